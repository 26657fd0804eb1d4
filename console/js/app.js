// The console's shell: sign-in gate, navigation, and the screen of the
// location's hash (#/users, #/users/12, #/reviews, #/projects, #/audit,
// #/signup).
import { h } from './dom.js';
import { session, logout, onBusy, whenUnauthorized } from './api.js';
import { toast } from './ui.js';
import { loginScreen } from './login.js';
import { usersScreen, userScreen } from './users.js';
import { reviewsScreen } from './reviews.js';
import { projectsScreen } from './projects.js';
import { auditScreen } from './audit.js';
import { signupScreen } from './signup.js';

const root = document.getElementById('app');
const progress = document.getElementById('progress');
onBusy(on => { progress.hidden = !on; document.body.classList.toggle('is-busy', on); });

const NAV = [
    ['users', '用户管理'],
    ['reviews', '审核队列'],
    ['projects', '项目管理'],
    ['audit', '审计日志'],
    ['signup', '添加人员'],
];

whenUnauthorized(() => {
    if (!session.token) return;
    session.end();
    toast('error', '登录已失效，请重新登录');
    render();
});

function route() {
    const parts = location.hash.replace(/^#\/?/, '').split('?')[0].split('/').filter(Boolean);
    return { name: parts[0] || 'users', arg: parts[1] || '' };
}

function shell(current) {
    const me = session.user || {};
    const main = h('main.content', { id: 'content', tabindex: '-1' });
    const menu = h('button.menu-toggle', { type: 'button', 'aria-label': '菜单', 'aria-expanded': 'false' }, '☰');
    const nav = h('nav.sidebar', { 'aria-label': '主导航' },
        NAV.map(([k, label]) => h('a' + (k === current ? '.active' : ''), { href: '#/' + k,
            'aria-current': k === current ? 'page' : null }, label)));
    menu.addEventListener('click', () => {
        const open = nav.classList.toggle('open');
        menu.setAttribute('aria-expanded', String(open));
    });
    const out = h('button.btn.small.ghost', { type: 'button', onclick: async () => {
        out.disabled = true;
        await logout();
        toast('ok', '已退出登录');
        location.hash = '#/users';
        render();
    } }, '退出登录');
    root.replaceChildren(
        h('header.topbar', {}, menu, h('span.logo', {}, 'D'), h('strong.title', {}, '开发者平台管理后台'),
            h('span.spacer'), h('span.who', {}, '管理员：', h('b', {}, String(me.nickname || ''))), out),
        h('div.layout', {}, nav, main));
    return main;
}

function render() {
    if (!session.token) {
        document.title = '登录 · 开发者平台管理后台';
        loginScreen(root, () => { toast('ok', '登录成功'); render(); });
        return;
    }
    const { name, arg } = route();
    const main = shell(name);
    const screens = {
        users: () => (arg ? userScreen(main, arg) : usersScreen(main)),
        reviews: () => reviewsScreen(main),
        projects: () => projectsScreen(main),
        audit: () => auditScreen(main),
        signup: () => signupScreen(main),
    };
    (screens[name] || screens.users)();
}

window.addEventListener('hashchange', render);
render();
