// Screen 3: the review queue (review/list, PUT review/{kind}/{id}). A
// decision that lost a race (409) says so and reloads the queue.
import { h, text } from './dom.js';
import { request } from './api.js';
import { notice, noticeBox, toast, withProgress, pager, thumbnails, badge, statusTone } from './ui.js';
import { KINDS, REVIEW_STATUSES, SUBMISSION_FIELDS, PICTURE_FIELDS } from './labels.js';

const state = { kind: '', status: '0', page: 1 };

function fieldValue(v) {
    if (Array.isArray(v)) return v.map(text).join('、');
    return text(v);
}

function submission(r, reload, msg) {
    const fields = Object.keys(r).filter(k => k in SUBMISSION_FIELDS && !PICTURE_FIELDS.has(k));
    const pending = r.status === '待审核';
    const reason = h('textarea', { rows: 2, maxlength: 200, placeholder: '驳回原因（用户可见，1-200 字）', 'aria-label': '驳回原因' });
    const approve = h('button.btn.primary', { type: 'button' }, '通过');
    const reject = h('button.btn.danger', { type: 'button' }, '驳回');
    const own = noticeBox();
    const item = h('article.card.review', { dataset: { kind: text(r.kind), id: text(r.id) } },
        h('div.card-head', {},
            h('h3', {}, KINDS[r.kind] || text(r.kind), ' #', text(r.id)),
            badge(text(r.status), statusTone(r.status)), h('span.spacer'),
            h('span.muted', {}, '提交于 ', text(r.submitted_at))),
        h('dl.props', {},
            h('dt', {}, '用户'), h('dd', {}, h('a.review-user', { href: '#/users/' + encodeURIComponent(text(r.user_id)) }, text(r.nickname)), '（ID ', text(r.user_id), '）'),
            fields.map(k => [h('dt', {}, SUBMISSION_FIELDS[k]), h('dd.pre', {}, fieldValue(r[k]))]),
            r.reviewed_at ? [h('dt', {}, '审核时间'), h('dd', {}, text(r.reviewed_at))] : null,
            r.reviewer ? [h('dt', {}, '审核人'), h('dd', {}, text(r.reviewer))] : null,
            r.message ? [h('dt', {}, '审核意见'), h('dd.pre', {}, text(r.message))] : null),
        h('div.pictures', {}, h('span.muted', {}, '图片：'), thumbnails(r.pictures, (KINDS[r.kind] || '') + '图片')),
        own,
        pending ? h('div.decide', {}, reason, h('div.actions', {}, approve, reject)) : null);

    async function decide(btn, body, done) {
        await withProgress(btn, '提交中…', async () => {
            approve.disabled = reject.disabled = true;
            try {
                await request('PUT', `review/${encodeURIComponent(r.kind)}/${encodeURIComponent(text(r.id))}`, null, body);
                toast('ok', done);
                await reload();
            } catch (e) {
                if (e.status === 409) {
                    notice(msg, 'error', `${e.message}（列表已刷新）`);
                    await reload(true);
                } else {
                    notice(own, 'error', e.message);
                }
            } finally { approve.disabled = reject.disabled = false; }
        });
    }
    approve.addEventListener('click', () => decide(approve, { decision: 'approve', message: reason.value.trim() }, '已通过'));
    reject.addEventListener('click', () => {
        if (!reason.value.trim()) { notice(own, 'error', '驳回时请填写原因'); reason.focus(); return; }
        decide(reject, { decision: 'reject', message: reason.value.trim() }, '已驳回');
    });
    return item;
}

export async function reviewsScreen(main) {
    const msg = noticeBox();
    const list = h('div.list');
    const kind = h('select', { 'aria-label': '类型', id: 'review-kind' }, h('option', { value: '' }, '全部类型'),
        Object.entries(KINDS).map(([k, l]) => h('option', { value: k, selected: k === state.kind }, l)));
    const status = h('select', { 'aria-label': '状态', id: 'review-status' },
        REVIEW_STATUSES.map(([v, l]) => h('option', { value: v, selected: v === state.status }, l)));
    const refresh = h('button.btn', { type: 'button' }, '刷新');
    kind.addEventListener('change', () => { state.kind = kind.value; state.page = 1; load(); });
    status.addEventListener('change', () => { state.status = status.value; state.page = 1; load(); });
    refresh.addEventListener('click', () => load());
    main.replaceChildren(h('section.screen', { id: 'reviews-screen' },
        h('div.screen-head', {}, h('h2', {}, '审核队列'), h('span.spacer'),
            h('div.filters', {}, kind, status, refresh)), msg, list));
    document.title = '审核队列 · 开发者平台管理后台';

    // keep: leave the message (a lost race) in place
    async function load(keep) {
        if (!keep) notice(msg, 'info', '');
        list.replaceChildren(h('p.loading', {}, '正在加载审核队列…'));
        try {
            const d = await request('GET', 'review/list', { kind: state.kind, status: state.status, page: state.page, per_page: 10 });
            const rows = Array.isArray(d.data) ? d.data : [];
            list.replaceChildren(...rows.map(r => submission(r, load, msg)),
                rows.length ? '' : h('p.empty', {}, '没有符合条件的提交'),
                pager(d, p => { state.page = p; load(); }));
        } catch (e) {
            list.replaceChildren();
            notice(msg, 'error', e.message);
        }
    }
    load();
}
