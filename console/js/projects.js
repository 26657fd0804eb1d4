// Screen 4: the project catalogue (project/list, POST project,
// PUT/DELETE project/{id}).
import { h, text } from './dom.js';
import { request } from './api.js';
import { notice, noticeBox, toast, withProgress, modal, pager, table, field, fieldErrors, badge } from './ui.js';
import { PROJECT_STATUSES } from './labels.js';

const state = { q: '', status: '', page: 1 };

const FIELDS = [
    ['name', '项目名称', () => h('input', { type: 'text', maxlength: 100, required: true })],
    ['status', '状态', () => h('select', {}, Object.entries(PROJECT_STATUSES).map(([v, l]) => h('option', { value: v }, l)))],
    ['purchase_budget', '采购预算（元）', () => h('input', { type: 'number', min: 0, step: 1 })],
    ['level', '等级限制', () => h('input', { type: 'number', min: 1, step: 1 })],
    ['delivery_at', '交付时间', () => h('input', { type: 'text', placeholder: 'YYYY-MM-DD HH:MM:SS', maxlength: 19, required: true })],
    ['domain', '领域', () => h('input', { type: 'text', maxlength: 64 })],
    ['research_direction', '研究方向', () => h('input', { type: 'text', maxlength: 64 })],
    ['introduction', '简介', () => h('textarea', { rows: 4, maxlength: 2000 })],
];
const NUMERIC = new Set(['purchase_budget', 'level']);

// The create/edit form; project null for a new one.
function editor(main, project, reload) {
    const inputs = {};
    const emsg = noticeBox();
    const save = h('button.btn.primary', { type: 'submit' }, project ? '保存修改' : '创建项目');
    const form = h('form.card.form', { id: 'project-form', novalidate: true },
        h('h3', {}, project ? `编辑项目 #${text(project.id)}` : '新建项目'), emsg,
        h('div.form-grid', {}, FIELDS.map(([k, label, make]) => {
            const el = make();
            inputs[k] = el;
            if (project) el.value = text(project[k]);
            else if (k === 'status') el.value = 'registration';
            else if (k === 'level') el.value = '1';
            else if (k === 'purchase_budget') el.value = '0';
            return field(k, label, el);
        })),
        h('div.actions', {}, h('button.btn', { type: 'button', onclick: () => form.remove() }, '取消'), save));
    form.addEventListener('submit', async e => {
        e.preventDefault();
        fieldErrors(form, null);
        const body = {};
        for (const [k] of FIELDS) {
            const v = k === 'introduction' ? inputs[k].value : inputs[k].value.trim();
            if (project && v === text(project[k])) continue;
            if (!project && v === '' && !['name', 'delivery_at'].includes(k)) continue;
            body[k] = NUMERIC.has(k) && /^\d+$/.test(v) ? Number(v) : v;
        }
        if (project && !Object.keys(body).length) { notice(emsg, 'info', '没有需要保存的修改'); return; }
        await withProgress(save, '正在保存…', async () => {
            try {
                const p = project
                    ? await request('PUT', 'project/' + encodeURIComponent(text(project.id)), null, body)
                    : await request('POST', 'project', null, body);
                toast('ok', project ? '项目已保存' : `项目「${text(p.name)}」已创建`);
                form.remove();
                await reload();
            } catch (err) { notice(emsg, 'error', err.message); fieldErrors(form, err.errors); }
        });
    });
    const old = main.querySelector('#project-form');
    if (old) old.remove();
    main.querySelector('.screen-head').after(form);
    inputs.name.focus();
}

export async function projectsScreen(main) {
    const msg = noticeBox();
    const list = h('div.list');
    const q = h('input', { type: 'search', placeholder: '搜索项目名称', 'aria-label': '搜索项目名称', value: state.q, maxlength: 100 });
    const status = h('select', { 'aria-label': '状态' }, h('option', { value: '' }, '全部状态'),
        Object.entries(PROJECT_STATUSES).map(([v, l]) => h('option', { value: v, selected: v === state.status }, l)));
    const search = h('form.filters', { role: 'search' }, q, status, h('button.btn', { type: 'submit' }, '搜索'));
    search.addEventListener('submit', e => { e.preventDefault(); state.q = q.value.trim(); state.status = status.value; state.page = 1; load(); });
    status.addEventListener('change', () => { state.status = status.value; state.page = 1; load(); });
    const create = h('button.btn.primary', { type: 'button', onclick: () => editor(main, null, load) }, '新建项目');
    main.replaceChildren(h('section.screen', { id: 'projects-screen' },
        h('div.screen-head', {}, h('h2', {}, '项目管理'), h('span.spacer'), search, create), msg, list));
    document.title = '项目管理 · 开发者平台管理后台';

    async function remove(p, btn) {
        const ok = await modal('删除项目', h('p', {}, '确定删除项目「', text(p.name), '」吗？开发者将看不到该项目。'),
                               { okLabel: '删除', danger: true });
        if (!ok) return;
        await withProgress(btn, '删除中…', async () => {
            try {
                await request('DELETE', 'project/' + encodeURIComponent(text(p.id)));
                toast('ok', '项目已删除');
                await load();
            } catch (e) { notice(msg, 'error', e.message); }
        });
    }

    async function load() {
        list.replaceChildren(h('p.loading', {}, '正在加载项目…'));
        try {
            const d = await request('GET', 'project/list', { q: state.q, status: state.status, page: state.page, per_page: 15 });
            list.replaceChildren(table([
                { label: 'ID', cell: p => text(p.id) },
                { label: '名称', cell: p => h('span.project-name', {}, text(p.name)) },
                { label: '状态', cell: p => p.deleted ? badge('已删除', 'bad') : badge(PROJECT_STATUSES[p.status] || text(p.status), 'plain') },
                { label: '采购预算', cell: p => text(p.purchase_budget) },
                { label: '等级', cell: p => text(p.level) },
                { label: '交付时间', cell: p => text(p.delivery_at) },
                { label: '操作', cell: p => p.deleted ? h('span.muted', {}, '删除于 ', text(p.deleted_at)) : h('div.actions', {},
                    h('button.btn.small', { type: 'button', onclick: () => editor(main, p, load) }, '编辑'),
                    h('button.btn.small.danger', { type: 'button', onclick: e => remove(p, e.currentTarget) }, '删除')) },
            ], Array.isArray(d.data) ? d.data : [], '没有找到项目'), pager(d, p => { state.page = p; load(); }));
        } catch (e) {
            list.replaceChildren();
            notice(msg, 'error', e.message);
        }
    }
    load();
}
