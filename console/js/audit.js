// Screen 5: the audit log (audit/list), by user, action and time range.
import { h, text } from './dom.js';
import { request } from './api.js';
import { notice, noticeBox, pager, table, apiTime } from './ui.js';
import { AUDIT_ACTIONS } from './labels.js';

const state = { user_id: '', action: '', from: '', to: '', page: 1 };

export async function auditScreen(main) {
    const msg = noticeBox();
    const list = h('div.list');
    const user = h('input', { type: 'number', min: 1, step: 1, placeholder: '用户ID', 'aria-label': '用户ID', value: state.user_id });
    const action = h('select', { 'aria-label': '操作' }, h('option', { value: '' }, '全部操作'),
        Object.entries(AUDIT_ACTIONS).map(([k, l]) => h('option', { value: k, selected: k === state.action }, `${l}（${k}）`)));
    const from = h('input', { type: 'datetime-local', 'aria-label': '开始时间', value: state.from });
    const to = h('input', { type: 'datetime-local', 'aria-label': '结束时间', value: state.to });
    const form = h('form.filters.wrap', { role: 'search' },
        h('label.inline', {}, '用户 ', user), h('label.inline', {}, '操作 ', action),
        h('label.inline', {}, '从 ', from), h('label.inline', {}, '到 ', to),
        h('button.btn.primary', { type: 'submit' }, '查询'),
        h('button.btn', { type: 'reset' }, '重置'));
    form.addEventListener('submit', e => {
        e.preventDefault();
        Object.assign(state, { user_id: user.value.trim(), action: action.value, from: from.value, to: to.value, page: 1 });
        load();
    });
    form.addEventListener('reset', () => {
        Object.assign(state, { user_id: '', action: '', from: '', to: '', page: 1 });
        setTimeout(load);
    });
    main.replaceChildren(h('section.screen', { id: 'audit-screen' },
        h('div.screen-head', {}, h('h2', {}, '审计日志')), form, msg, list));
    document.title = '审计日志 · 开发者平台管理后台';

    async function load() {
        notice(msg, 'info', '');
        list.replaceChildren(h('p.loading', {}, '正在加载审计日志…'));
        try {
            const d = await request('GET', 'audit/list', { user_id: state.user_id, action: state.action,
                from: apiTime(state.from, false), to: apiTime(state.to, true), page: state.page, per_page: 20 });
            list.replaceChildren(table([
                { label: '时间', cell: r => text(r.created_at) },
                { label: '用户ID', cell: r => r.user_id ? h('a', { href: '#/users/' + encodeURIComponent(text(r.user_id)) }, text(r.user_id)) : '—' },
                { label: '操作', cell: r => AUDIT_ACTIONS[r.action] || text(r.action) },
                { label: '操作人', cell: r => text(r.actor) || '—' },
                { label: '详情', cell: r => h('span.detail', {}, text(r.detail)) },
                { label: 'IP', cell: r => text(r.ip) },
                { label: '客户端', cell: r => h('span.ua', { title: text(r.user_agent) }, text(r.user_agent)) },
            ], Array.isArray(d.data) ? d.data : [], '没有符合条件的记录'), pager(d, p => { state.page = p; load(); }));
        } catch (e) {
            list.replaceChildren();
            notice(msg, 'error', e.message);
        }
    }
    load();
}
