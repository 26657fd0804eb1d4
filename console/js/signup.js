// Screen 6: adding staff with 001's signUp (multipart, with the avatar).
// The new account starts 未审核; an administrator approves it under 用户管理.
import { h, text } from './dom.js';
import { request } from './api.js';
import { notice, noticeBox, toast, withProgress, field, fieldErrors } from './ui.js';

const AVATAR_MAX = 30720;

export async function signupScreen(main) {
    const msg = noticeBox();
    const preview = h('img.avatar-preview', { alt: '头像预览', hidden: true });
    let previewUrl = null;
    const inputs = {
        avatar: h('input', { type: 'file', accept: 'image/png,image/jpeg,image/bmp', required: true }),
        nickname: h('input', { type: 'text', maxlength: 16, autocomplete: 'off', required: true }),
        name: h('input', { type: 'text', maxlength: 16, required: true }),
        passwd: h('input', { type: 'password', maxlength: 16, autocomplete: 'new-password', required: true }),
        repasswd: h('input', { type: 'password', maxlength: 16, autocomplete: 'new-password', required: true }),
        phone: h('input', { type: 'tel', maxlength: 11, required: true }),
        position: h('input', { type: 'text', maxlength: 20, required: true }),
        email: h('input', { type: 'email', maxlength: 254, required: true }),
    };
    const labels = {
        avatar: ['头像', 'PNG、JPG 或 BMP，不超过 30KB'], nickname: ['用户名', '2-16 个汉字、字母、数字、_ 或 -，用于登录'],
        name: ['姓名', '2-16 个汉字、字母、数字、_ 或 -'], passwd: ['密码', '6-16 位字母、数字、_ 或 -'],
        repasswd: ['确认密码', null], phone: ['手机号', '11 位手机号'], position: ['职务', '2-20 位字母、数字、_ 或 -'],
        email: ['邮箱', null],
    };
    inputs.avatar.addEventListener('change', () => {
        const f = inputs.avatar.files[0];
        if (previewUrl) URL.revokeObjectURL(previewUrl);
        previewUrl = f ? URL.createObjectURL(f) : null;
        preview.hidden = !previewUrl;
        if (previewUrl) preview.src = previewUrl;
        notice(msg, 'info', f && f.size > AVATAR_MAX ? `头像大小 ${f.size} 字节，超过 30KB，服务器会拒绝` : '');
    });
    const submit = h('button.btn.primary', { type: 'submit' }, '提交注册');
    const form = h('form.card.form', { id: 'signup-form', novalidate: true }, msg,
        h('div.form-grid', {}, Object.entries(inputs).map(([k, el]) => field(k, labels[k][0], el, labels[k][1]))),
        preview, h('div.actions', {}, submit));
    form.addEventListener('submit', async e => {
        e.preventDefault();
        fieldErrors(form, null);
        notice(msg, 'info', '');
        const fd = new FormData();
        for (const [k, el] of Object.entries(inputs)) {
            if (k === 'avatar') { if (el.files[0]) fd.append('avatar', el.files[0], el.files[0].name); }
            else fd.append(k, el.value.trim());
        }
        await withProgress(submit, '正在上传并注册…', async () => {
            try {
                const u = await request('PUT', 'signUp', null, fd);
                toast('ok', '注册成功');
                form.reset();
                preview.hidden = true;
                notice(msg, 'ok', `已添加「${text(u.nickname)}」（ID ${text(u.id)}，状态：${text(u.account_status)}）。`);
                msg.append(h('a', { href: '#/users/' + encodeURIComponent(text(u.id)) }, '查看并审核'));
            } catch (err) { notice(msg, 'error', err.message); fieldErrors(form, err.errors); }
        });
    });
    main.replaceChildren(h('section.screen', { id: 'signup-screen' },
        h('div.screen-head', {}, h('h2', {}, '添加人员'), h('span.muted', {}, '新账号需在“用户管理”中审核后方可正常使用')), form));
    document.title = '添加人员 · 开发者平台管理后台';
}
