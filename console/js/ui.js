// Shared pieces of every screen: messages, progress, confirmation, pager,
// picture viewer, forms with per-field errors.
import { h, clear, append, text } from './dom.js';
import { storageUrl } from './api.js';

// A message in place: kind 'error' | 'ok' | 'info'. role=alert reads it out.
export function notice(box, kind, message) {
    clear(box);
    box.hidden = !message;
    box.className = 'notice ' + kind;
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    if (message) box.append(document.createTextNode(message));
    return box;
}
export function noticeBox() { return h('div.notice', { hidden: true }); }

// The page-wide toast for results that outlive a screen change.
export function toast(kind, message) {
    const area = document.getElementById('toasts');
    const t = h('div.toast.' + kind, { role: kind === 'error' ? 'alert' : 'status' }, message);
    area.append(t);
    setTimeout(() => t.remove(), kind === 'error' ? 8000 : 4000);
}

// Runs fn with the button showing progress and disabled (no double submit).
export async function withProgress(button, busyLabel, fn) {
    const label = button.textContent;
    button.disabled = true;
    button.classList.add('busy');
    button.textContent = busyLabel;
    button.setAttribute('aria-busy', 'true');
    try { return await fn(); }
    finally {
        button.disabled = false;
        button.classList.remove('busy');
        button.textContent = label;
        button.removeAttribute('aria-busy');
    }
}

// A modal dialog (not window.confirm): resolves true on confirm.
export function modal(title, body, { okLabel = '确定', cancelLabel = '取消', danger = false } = {}) {
    return new Promise(resolve => {
        const close = v => { back.remove(); document.removeEventListener('keydown', key); resolve(v); };
        const key = e => { if (e.key === 'Escape') close(false); };
        const ok = h('button.btn' + (danger ? '.danger' : '.primary'), { type: 'button', onclick: () => close(true) }, okLabel);
        const back = h('div.backdrop', { onclick: e => { if (e.target === back) close(false); } },
            h('div.dialog', { role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
                h('h3', {}, title),
                h('div.dialog-body', {}, body),
                h('div.dialog-actions', {},
                    h('button.btn', { type: 'button', onclick: () => close(false) }, cancelLabel), ok)));
        document.addEventListener('keydown', key);
        document.body.append(back);
        ok.focus();
    });
}

// A picture of the storage, large, over the page.
export function lightbox(url, alt) {
    const back = h('div.backdrop.lightbox', { onclick: () => back.remove() },
        h('figure', {}, h('img', { src: url, alt }), h('figcaption', {}, alt, '（点击任意处关闭）')));
    document.body.append(back);
}

// Thumbnails of picture paths; a path outside the storage shows as text.
export function thumbnails(paths, caption) {
    const list = h('div.thumbs');
    for (const p of Array.isArray(paths) ? paths : []) {
        const url = storageUrl(p);
        if (url) {
            const img = h('img', { src: url, alt: caption, loading: 'lazy' });
            const btn = h('button.thumb', { type: 'button', title: '点击放大', onclick: () => lightbox(url, caption) }, img);
            img.addEventListener('error', () => {
                btn.disabled = true;
                btn.title = '';
                btn.replaceChildren(h('span.missing', {}, '图片无法加载'));
            });
            list.append(btn);
        } else {
            list.append(h('span.bad-picture', {}, '图片地址无效：', text(p)));
        }
    }
    if (!list.firstChild) list.append(h('span.muted', {}, '无图片'));
    return list;
}

// Paging of 001's page object {total, per_page, current_page, last_page}.
export function pager(page, go) {
    const cur = page.current_page, last = Math.max(1, page.last_page);
    return h('nav.pager', { 'aria-label': '分页' },
        h('span.muted', {}, `共 ${page.total} 条，第 ${cur} / ${last} 页`),
        h('button.btn.small', { type: 'button', disabled: cur <= 1, onclick: () => go(1) }, '首页'),
        h('button.btn.small', { type: 'button', disabled: cur <= 1, onclick: () => go(cur - 1) }, '上一页'),
        h('button.btn.small', { type: 'button', disabled: cur >= last, onclick: () => go(cur + 1) }, '下一页'),
        h('button.btn.small', { type: 'button', disabled: cur >= last, onclick: () => go(last) }, '末页'));
}

// A table of rows: columns [{label, cell: row => Node|text}]
export function table(columns, rows, empty = '暂无数据') {
    const body = h('tbody');
    for (const r of rows) {
        body.append(h('tr', {}, columns.map(c => h('td', { 'data-label': c.label }, c.cell(r)))));
    }
    if (!rows.length) body.append(h('tr', {}, h('td.empty', { colspan: columns.length }, empty)));
    return h('div.table-wrap', {}, h('table', {}, h('thead', {}, h('tr', {}, columns.map(c => h('th', {}, c.label)))), body));
}

// A labelled field: field('nickname', '用户名', input)
export function field(name, label, control, hint) {
    control.name = name;
    control.id = control.id || 'f-' + name + '-' + Math.random().toString(36).slice(2, 8);
    return h('div.field', { dataset: { field: name } },
        h('label', { for: control.id }, label), control,
        hint ? h('small.hint', {}, hint) : null,
        h('small.field-error', { hidden: true }));
}

// Shows data.errors of a 422 under the fields of a form; clears otherwise.
export function fieldErrors(form, errors) {
    for (const f of form.querySelectorAll('.field')) {
        const box = f.querySelector('.field-error');
        const msgs = errors && errors[f.dataset.field];
        clear(box);
        box.hidden = !msgs;
        f.classList.toggle('invalid', !!msgs);
        if (msgs) append(box, [Array.isArray(msgs) ? msgs.map(text).join('；') : text(msgs)]);
    }
}

export function badge(label, tone) { return h('span.badge.' + (tone || 'plain'), {}, label); }

// The tone of a status text of the API.
export function statusTone(s) {
    if (['已审核', '已通过'].includes(s)) return 'ok';
    if (['未审核', '审核中', '待审核'].includes(s)) return 'wait';
    if (['审核未通过', '未通过', '已冻结', '已删除'].includes(s)) return 'bad';
    return 'plain';
}

// "YYYY-MM-DDTHH:MM" of <input type=datetime-local> as the API's time text.
export function apiTime(local, endOfMinute) {
    if (!local) return '';
    const [d, t] = local.split('T');
    const hm = (t || '00:00').slice(0, 5);
    return `${d} ${hm}:${endOfMinute ? '59' : '00'}`;
}
