// Screen 2: users (list/user, user/{id}, PUT user/{id}, PUT audit/user/{id},
// DELETE user/{id}), the user's submissions (review/list?user_id=) and
// credit records (GET and POST user/{id}/credit).
import { h, text } from './dom.js';
import { request, storageUrl } from './api.js';
import { notice, noticeBox, toast, withProgress, modal, pager, table, field, fieldErrors,
         badge, statusTone, lightbox } from './ui.js';
import { KINDS, REVIEW_STATUSES } from './labels.js';

const state = { page: 1, per_page: 15 };

function level(u) { return u.user_level === 1 ? badge('管理员', 'admin') : badge('普通用户'); }

export async function usersScreen(main) {
    const msg = noticeBox();
    const list = h('div.list');
    const perPage = h('select', { 'aria-label': '每页条数', onchange: () => { state.per_page = +perPage.value; state.page = 1; load(); } },
        [15, 30, 50, 100].map(n => h('option', { value: n, selected: n === state.per_page }, `每页 ${n} 条`)));
    main.replaceChildren(h('section.screen', { id: 'users-screen' },
        h('div.screen-head', {}, h('h2', {}, '用户管理'), h('span.spacer'), perPage,
            h('a.btn.primary', { href: '#/signup' }, '添加人员')),
        msg, list));
    document.title = '用户管理 · 开发者平台管理后台';

    async function load() {
        list.replaceChildren(h('p.loading', {}, '正在加载用户…'));
        try {
            const d = await request('GET', 'list/user', { page: state.page, per_page: state.per_page });
            const rows = Array.isArray(d.data) ? d.data : [];
            list.replaceChildren(table([
                { label: 'ID', cell: u => text(u.id) },
                { label: '用户名', cell: u => h('a.user-link', { href: '#/users/' + encodeURIComponent(text(u.id)) }, text(u.nickname)) },
                { label: '姓名', cell: u => text(u.name) },
                { label: '手机号', cell: u => text(u.phone) },
                { label: '职务', cell: u => text(u.position) },
                { label: '状态', cell: u => badge(text(u.account_status), statusTone(u.account_status)) },
                { label: '级别', cell: u => level(u) },
                { label: '创建时间', cell: u => text(u.create_time) },
                { label: '操作', cell: u => h('a.btn.small', { href: '#/users/' + encodeURIComponent(text(u.id)) }, '详情') },
            ], rows, '暂无用户'), pager(d, p => { state.page = p; load(); }));
        } catch (e) {
            list.replaceChildren();
            notice(msg, 'error', e.message);
        }
    }
    load();
}

// A credit record's change in words: '+50 通用积分', '-20 专用积分'.
function creditText(r) {
    return `${r.is_positive_growth ? '+' : '-'}${text(r.change)} ${r.dedicated ? '专用积分' : '通用积分'}`;
}

function dl(pairs) {
    return h('dl.props', {}, pairs.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export async function userScreen(main, id) {
    const msg = noticeBox();
    const card = h('div.card', {}, h('p.loading', {}, '正在加载用户…'));
    const reviews = h('div.card');
    const credits = h('div.card');
    main.replaceChildren(h('section.screen', { id: 'user-screen' },
        h('div.screen-head', {}, h('a.back', { href: '#/users' }, '← 返回用户列表'),
            h('h2', {}, '用户详情')), msg, card, h('div.grid2', {}, reviews, credits)));
    document.title = '用户详情 · 开发者平台管理后台';

    let user;
    async function load() {
        try {
            user = await request('GET', 'user/' + encodeURIComponent(id));
        } catch (e) {
            card.replaceChildren(h('p.muted', {}, '无法显示该用户。'));
            notice(msg, 'error', e.message);
            return;
        }
        const avatarUrl = storageUrl(user.avatar);
        const avatar = avatarUrl
            ? h('button.avatar', { type: 'button', title: '点击放大', onclick: () => lightbox(avatarUrl, '头像') }, h('img', { src: avatarUrl, alt: '头像' }))
            : h('span.avatar.empty', { 'aria-label': '无头像' }, (text(user.nickname) || '?').slice(0, 1));
        const waiting = ['未审核', '审核中'].includes(user.account_status);
        const auditBtn = h('button.btn.primary', { type: 'button', disabled: !waiting,
            title: waiting ? '' : '只有未审核或审核中的账号可以审核' }, '审核通过');
        const editBtn = h('button.btn', { type: 'button' }, '编辑');
        const delBtn = h('button.btn.danger', { type: 'button' }, '删除');
        auditBtn.addEventListener('click', () => audit(auditBtn));
        editBtn.addEventListener('click', () => edit());
        delBtn.addEventListener('click', () => remove(delBtn));
        card.replaceChildren(
            h('div.user-head', {}, avatar, h('div', {},
                h('h3.user-name', {}, text(user.nickname)),
                h('div.badges', {}, badge(text(user.account_status), statusTone(user.account_status)), level(user))),
                h('span.spacer'), h('div.actions', {}, auditBtn, editBtn, delBtn)),
            dl([['ID', text(user.id)], ['用户名', text(user.nickname)], ['姓名', text(user.name)],
                ['手机号', text(user.phone)], ['邮箱', text(user.email)], ['职务', text(user.position)],
                ['创建时间', text(user.create_time)], ['更新时间', text(user.update_time)]]));
    }

    async function audit(btn) {
        await withProgress(btn, '处理中…', async () => {
            try {
                await request('PUT', 'audit/user/' + encodeURIComponent(id));
                toast('ok', '已审核通过');
                await load();
            } catch (e) { notice(msg, 'error', e.message); }
        });
    }

    async function remove(btn) {
        const ok = await modal('删除用户', h('p', {}, '确定删除用户「', text(user.nickname), '」吗？删除后该用户无法登录，所有会话立即失效。'),
                               { okLabel: '删除', danger: true });
        if (!ok) return;
        await withProgress(btn, '正在删除…', async () => {
            try {
                await request('DELETE', 'user/' + encodeURIComponent(id));
                toast('ok', '用户已删除');
                location.hash = '#/users';
            } catch (e) { notice(msg, 'error', e.message); }
        });
    }

    function edit() {
        const inputs = {
            nickname: h('input', { type: 'text', value: text(user.nickname), maxlength: 16 }),
            name: h('input', { type: 'text', value: text(user.name), maxlength: 16 }),
            phone: h('input', { type: 'tel', value: text(user.phone), maxlength: 11 }),
            position: h('input', { type: 'text', value: text(user.position), maxlength: 20 }),
            email: h('input', { type: 'email', value: text(user.email), maxlength: 254 }),
        };
        const labels = { nickname: '用户名', name: '姓名', phone: '手机号', position: '职务', email: '邮箱' };
        const emsg = noticeBox();
        const save = h('button.btn.primary', { type: 'submit' }, '保存');
        const form = h('form.card.form', { id: 'user-edit', novalidate: true }, h('h3', {}, '编辑用户'), emsg,
            Object.entries(inputs).map(([k, el]) => field(k, labels[k], el,
                k === 'phone' || k === 'email' ? '修改他人联系方式会结束其全部会话' : null)),
            h('div.actions', {}, h('button.btn', { type: 'button', onclick: () => form.remove() }, '取消'), save));
        form.addEventListener('submit', async e => {
            e.preventDefault();
            const body = {};
            for (const [k, el] of Object.entries(inputs)) if (el.value.trim() !== text(user[k])) body[k] = el.value.trim();
            if (!Object.keys(body).length) { notice(emsg, 'info', '没有需要保存的修改'); return; }
            await withProgress(save, '正在保存…', async () => {
                try {
                    await request('PUT', 'user/' + encodeURIComponent(id), null, body);
                    toast('ok', '已保存');
                    form.remove();
                    await load();
                } catch (err) { notice(emsg, 'error', err.message); fieldErrors(form, err.errors); }
            });
        });
        const old = main.querySelector('#user-edit');
        if (old) old.remove();
        card.after(form);
        inputs.nickname.focus();
    }

    // the user's submissions, one status at a time
    const rstate = { status: '0', page: 1 };
    async function loadReviews() {
        const sel = h('select', { 'aria-label': '审核状态', onchange: () => { rstate.status = sel.value; rstate.page = 1; loadReviews(); } },
            REVIEW_STATUSES.map(([v, l]) => h('option', { value: v, selected: v === rstate.status }, l)));
        const box = h('div', {}, h('p.loading', {}, '正在加载…'));
        reviews.replaceChildren(h('div.card-head', {}, h('h3', {}, '认证记录'), h('span.spacer'), sel), box);
        try {
            const d = await request('GET', 'review/list', { user_id: id, status: rstate.status, page: rstate.page, per_page: 10 });
            box.replaceChildren(table([
                { label: '类型', cell: r => KINDS[r.kind] || text(r.kind) },
                { label: '状态', cell: r => badge(text(r.status), statusTone(r.status)) },
                { label: '提交时间', cell: r => text(r.submitted_at) },
                { label: '审核意见', cell: r => text(r.message) },
                { label: '审核人', cell: r => text(r.reviewer) },
            ], Array.isArray(d.data) ? d.data : [], '暂无记录'), pager(d, p => { rstate.page = p; loadReviews(); }));
        } catch (e) { box.replaceChildren(h('p.notice.error', { role: 'alert' }, e.message)); }
    }

    // every credit record of the user, the totals, and the form
    const cstate = { page: 1 };
    async function loadCredits(lastBalance) {
        const box = h('div', {}, h('p.loading', {}, '正在加载…'));
        const change = h('input', { type: 'number', step: 1, min: -1000000, max: 1000000, placeholder: '正数增加，负数扣减', required: true });
        const kind = h('select', {}, h('option', { value: '0' }, '通用积分'), h('option', { value: '1' }, '专用积分'));
        const reason = h('input', { type: 'text', maxlength: 100, placeholder: '如：活动奖励', required: true });
        const cmsg = noticeBox();
        const go = h('button.btn.primary', { type: 'submit' }, '提交调整');
        const form = h('form.form.inline', { id: 'credit-form', novalidate: true }, cmsg,
            field('change', '积分变动', change), field('dedicated', '积分类型', kind), field('message', '变动原因', reason),
            h('div.actions', {}, go));
        if (lastBalance) notice(cmsg, 'ok', lastBalance);
        form.addEventListener('submit', async e => {
            e.preventDefault();
            fieldErrors(form, null);
            await withProgress(go, '正在提交…', async () => {
                try {
                    const d = await request('POST', 'user/' + encodeURIComponent(id) + '/credit', null,
                        { change: change.value.trim(), message: reason.value.trim(), dedicated: +kind.value });
                    cstate.page = 1;
                    await loadCredits(`已调整。当前积分 ${text(d.integral)}（通用 ${text(d.general_integral)}，专用 ${text(d.dedicated_integral)}）`);
                } catch (err) { notice(cmsg, 'error', err.message); fieldErrors(form, err.errors); }
            });
        });
        const totals = h('p.muted');
        credits.replaceChildren(h('div.card-head', {}, h('h3', {}, '积分记录')), form, totals, box);
        try {
            const d = await request('GET', 'user/' + encodeURIComponent(id) + '/credit', { page: cstate.page, per_page: 10 });
            totals.replaceChildren(`当前积分 ${text(d.integral)}（通用 ${text(d.general_integral)}，专用 ${text(d.dedicated_integral)}）`);
            box.replaceChildren(table([
                { label: '时间', cell: r => text(r.created_at) },
                { label: '变动', cell: r => creditText(r) },
                { label: '原因', cell: r => text(r.message) },
            ], Array.isArray(d.data) ? d.data : [], '暂无积分记录'), pager(d, p => { cstate.page = p; loadCredits(); }));
        } catch (e) { box.replaceChildren(h('p.notice.error', { role: 'alert' }, e.message)); }
    }

    await load();
    if (user) { loadReviews(); loadCredits(); }
}
