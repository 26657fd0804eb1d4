// Screen 1: sign in with the image captcha (GET captcha, POST login).
import { h } from './dom.js';
import { request, session, ApiError } from './api.js';
import { notice, noticeBox, withProgress, field, fieldErrors } from './ui.js';

// The captcha's data:image/png;base64 URL as a blob: URL (the page's CSP
// allows pictures from its own origin and blob: only), checked to be a PNG.
function pngBlobUrl(dataUrl) {
    const m = /^data:image\/png;base64,([A-Za-z0-9+/]+=*)$/.exec(typeof dataUrl === 'string' ? dataUrl : '');
    if (!m) return null;
    const bin = atob(m[1]);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
    if (bytes.length < 8 || sig.some((b, i) => bytes[i] !== b)) return null;
    return URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
}

export function loginScreen(root, done) {
    let captchaId = '';
    let blobUrl = null;
    const msg = noticeBox();
    const img = h('img.captcha-img', { alt: '验证码图片，点击换一张', width: 150, height: 50 });
    const captchaBtn = h('button.captcha', { type: 'button', title: '看不清？点击换一张', 'aria-label': '换一张验证码' }, img);
    const nickname = h('input', { type: 'text', autocomplete: 'username', required: true, maxlength: 16 });
    const passwd = h('input', { type: 'password', autocomplete: 'current-password', required: true, maxlength: 32 });
    const code = h('input', { type: 'text', autocomplete: 'off', required: true, maxlength: 5,
                              autocapitalize: 'characters', spellcheck: 'false', placeholder: '5 位字符' });
    const submit = h('button.btn.primary.wide', { type: 'submit' }, '登录');

    async function newCaptcha() {
        captchaBtn.disabled = true;
        captchaBtn.classList.add('busy');
        try {
            const d = await request('GET', 'captcha');
            const url = pngBlobUrl(d && d.picture);
            if (!url || typeof d.id !== 'string') throw new ApiError(0, '验证码图片无效，请点击重试', null);
            if (blobUrl) URL.revokeObjectURL(blobUrl);
            blobUrl = url;
            img.src = url;
            captchaId = d.id;
            code.value = '';
        } catch (e) {
            notice(msg, 'error', e.message);
        } finally {
            captchaBtn.disabled = false;
            captchaBtn.classList.remove('busy');
        }
    }
    captchaBtn.addEventListener('click', newCaptcha);

    const form = h('form.login-form', { novalidate: true },
        h('div.brand', {}, h('span.logo', {}, 'D'), h('div', {}, h('h1', {}, '开发者平台管理后台'), h('p.muted', {}, '请使用管理员账号登录'))),
        msg,
        field('nickname', '用户名', nickname),
        field('passwd', '密码', passwd),
        h('div.captcha-row', {}, field('captcha_code', '验证码', code), captchaBtn),
        submit,
        h('p.muted.small', {}, '令牌只保存在当前标签页中，关闭标签页即退出。'));
    form.addEventListener('submit', async e => {
        e.preventDefault();
        notice(msg, 'info', '');
        fieldErrors(form, null);
        await withProgress(submit, '正在登录…', async () => {
            try {
                const d = await request('POST', 'login', null, {
                    nickname: nickname.value.trim(), passwd: passwd.value,
                    captcha_code: code.value.trim(), captcha_id: captchaId });
                if (!d || typeof d.token !== 'string') throw new ApiError(0, '登录返回内容无效', null);
                if (d.user_level !== 1) {
                    notice(msg, 'error', '该账号不是管理员，不能使用管理后台');
                    await newCaptcha();
                    return;
                }
                session.start(d.token, { id: d.id, nickname: d.nickname, user_level: d.user_level });
                if (blobUrl) URL.revokeObjectURL(blobUrl);
                done();
            } catch (err) {
                notice(msg, 'error', err.message);
                fieldErrors(form, err.errors);
                passwd.value = '';
                await newCaptcha();       // every attempt spends the captcha
            }
        });
    });
    root.replaceChildren(h('main.login-page', {}, form));
    newCaptcha();
    nickname.focus();
}
