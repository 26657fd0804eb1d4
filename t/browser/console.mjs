// The admin console end to end in headless Chromium (t/console/10_console.t
// prepares the data and checks the effects through the faces' APIs).
//   node t/browser/console.mjs SCENARIO.json
// Prints one JSON line per check ({ok, name, diag}) and facts the .t file
// uses ({fact, value}); screenshots go to the scenario's shots directory.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, Checks, screenshotDir } from './lib.mjs';

const S = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const base = S.base.replace(/\/$/, '');
const origin = new URL(base).origin;
const shots = screenshotDir(S.shots);
const t = new Checks();

const context = await launch();
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(15000);

// What must never happen: a dialog (an injected alert), a script error, a
// CSP refusal, a request to another origin.
const dialogs = [], errors = [], foreign = [], cspRefusals = [];
page.on('dialog', d => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
page.on('pageerror', e => errors.push(String(e)));
page.on('console', m => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspRefusals.push(m.text());
});
page.on('request', r => {
    const u = r.url();
    if (!u.startsWith(origin + '/') && !u.startsWith('blob:' + origin) && !u.startsWith('data:')) foreign.push(u);
});

// The code of each captcha the page draws (DevplatExposeCodes On).
let captcha = null;
page.on('response', async r => {
    if (r.url().startsWith(base + '/admin/api/captcha')) {
        try { const j = await r.json(); captcha = j.data; } catch { /* page gone */ }
    }
});
async function nextCaptcha(trigger) {
    captcha = null;
    const wait = page.waitForResponse(r => r.url().startsWith(base + '/admin/api/captcha'));
    if (trigger) await trigger();
    await wait;
    await page.waitForFunction(() => document.querySelector('.captcha-img')?.src?.startsWith('blob:'));
    for (let i = 0; i < 50 && !captcha; i++) await page.waitForTimeout(20);
    return captcha;
}

async function shot(name) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(150);          // transitions and thumbnails
    await page.screenshot({ path: path.join(shots, `${name}-${page.viewportSize().width}.png`), fullPage: true });
}
async function step(name, fn) {
    try { await fn(); }
    catch (e) { t.ok(false, `${name}: completed`, String(e && e.stack || e)); }
}
async function api(method, p, body, token) {
    const r = await fetch(base + '/admin/api/' + p, { method, headers: {
        Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined });
    return { status: r.status, json: await r.json().catch(() => null) };
}
async function go(hash) {
    await page.evaluate(h => { location.hash = h; }, hash);
}
async function toastSeen(re) {
    await page.locator('.toast', { hasText: re }).first().waitFor();
}

// ------------------------------------------------------------------ 1 login
await step('login', async () => {
    const first = nextCaptcha();
    const res = await page.goto(base + '/console/');
    t.is(res.status(), 200, 'GET /console/: 200');
    const h = res.headers();
    t.like(h['content-security-policy'] || '', /script-src 'self'/, 'the page has its CSP');
    t.is(h['x-frame-options'], 'DENY', 'X-Frame-Options DENY');
    await first;
    const c1 = captcha;
    t.ok(c1 && /^[0-9a-f]{32}$/.test(c1.id), 'the login screen drew a captcha', JSON.stringify(c1));
    t.like(await page.getAttribute('.captcha-img', 'src'), /^blob:/, 'the captcha picture is a blob: copy of the PNG');
    await shot('01-login');

    // a click draws a new one
    const c2 = await nextCaptcha(() => page.click('button.captcha'));
    t.ok(c2 && c2.id !== c1.id, 'a click on the picture draws a new captcha');

    // a wrong captcha: the API's message in place, and a new captcha
    await page.fill('input[name=nickname]', S.admin.nickname);
    await page.fill('input[name=passwd]', S.admin.password);
    const wrong = c2.code === '22222' ? '33333' : '22222';
    await page.fill('input[name=captcha_code]', wrong);
    const c3p = nextCaptcha(() => page.click('form.login-form button[type=submit]'));
    await page.locator('.login-form .notice.error').waitFor();
    t.like(await page.textContent('.login-form .notice.error'), /验证码/, 'a wrong captcha: the API message shown in place');
    const c3 = await c3p;
    t.ok(c3 && c3.id !== c2.id, 'a failed login draws a new captcha');
    t.is(await page.inputValue('input[name=passwd]'), '', 'the password is cleared after a failure');
    await shot('01-login-error');

    // a user who is not an administrator is told so and not let in
    await page.fill('input[name=nickname]', S.plain.nickname);
    await page.fill('input[name=passwd]', S.plain.password);
    await page.fill('input[name=captcha_code]', c3.code);
    const c4p = nextCaptcha(() => page.click('form.login-form button[type=submit]'));
    await page.locator('.login-form .notice.error', { hasText: '不是管理员' }).waitFor();
    t.ok(true, 'a non-administrator: 该账号不是管理员');
    t.is(await page.evaluate(() => sessionStorage.length), 0, 'a non-administrator: no token kept');
    const c4 = await c4p;

    // the administrator
    await page.fill('input[name=nickname]', S.admin.nickname);
    await page.fill('input[name=passwd]', S.admin.password);
    await page.fill('input[name=captcha_code]', c4.code.toLowerCase());
    await page.click('form.login-form button[type=submit]');
    await page.locator('#users-screen table').waitFor();
    t.ok(true, 'the administrator signs in (captcha typed in lower case) and sees the users');
    const store = await page.evaluate(() => ({
        session: Object.keys(sessionStorage), token: sessionStorage.getItem('devplat.console.token') || '',
        local: localStorage.length, cookie: document.cookie }));
    t.like(store.token, /^eyJ/, 'the token is in sessionStorage');
    t.is(store.local, 0, 'nothing in localStorage');
    t.is(store.cookie, '', 'no cookie');
    t.like(await page.textContent('.topbar .who'), new RegExp(S.admin.nickname), 'the top bar names the administrator');
});

// ------------------------------------------------------------------ 2 users
await step('users', async () => {
    // newest users are on the last page (list/user is by id)
    await page.selectOption('select[aria-label=每页条数]', '100');
    await page.locator('#users-screen table').waitFor();
    const last = page.locator('.pager button', { hasText: '末页' });
    if (await last.isEnabled()) {
        await last.click();
        await page.waitForTimeout(300);
        await page.locator('#users-screen table').waitFor();
    }
    const link = page.locator(`a.user-link[href="#/users/${S.xss.id}"]`);
    await link.waitFor();
    t.is(await link.textContent(), S.xss.nickname, 'the XSS nickname shows literally in the list');
    t.is(await page.locator('#users-screen table img').count(), 0, 'no img element came out of it');
    t.like(await page.textContent(`tr:has(a.user-link[href="#/users/${S.xss.id}"])`), /未审核|已审核/, 'each row shows a status');
    await shot('02-users');

    // detail of the XSS user
    await go('#/users/' + S.xss.id);
    await page.locator('.user-name').waitFor();
    t.is(await page.textContent('.user-name'), S.xss.nickname, 'the XSS nickname shows literally in the detail');
    t.is(await page.locator('.user-head img').count(), 0, 'no img in the detail either (the user has no avatar)');

    // detail, edit, credit of the developer user
    await go('#/users/' + S.edit.id);
    await page.locator('.user-name').waitFor();
    t.is(await page.textContent('.user-name'), S.edit.nickname, 'the detail of a user');
    await page.locator('#credit-form').waitFor();
    await page.click('.user-head button:has-text("编辑")');
    await page.fill('#user-edit input[name=position]', 'Lead_QA');
    await page.click('#user-edit button[type=submit]');
    await toastSeen(/已保存/);
    await page.locator('dd', { hasText: 'Lead_QA' }).waitFor();
    t.ok(true, 'edit: the new position is shown after saving');
    // an edit the API refuses: its message under the field
    await page.click('.user-head button:has-text("编辑")');
    await page.fill('#user-edit input[name=email]', 'not-an-email');
    await page.click('#user-edit button[type=submit]');
    await page.locator('#user-edit .notice.error').waitFor();
    t.like(await page.textContent('#user-edit .notice.error'), /邮箱/, 'edit refused: the API message names the field');
    t.ok(await page.locator('#user-edit .field[data-field=email] .field-error').isVisible(), 'edit refused: shown under the field');
    await page.click('#user-edit button:has-text("取消")');

    await page.fill('#credit-form input[name=change]', '50');
    await page.fill('#credit-form input[name=message]', '活动奖励');
    await page.click('#credit-form button[type=submit]');
    await page.locator('#credit-form .notice.ok').waitFor();
    t.like(await page.textContent('#credit-form .notice.ok'), /当前积分 \d+/, 'credit change: the new balance shown');
    await page.locator('.card', { hasText: '积分记录' }).locator('td', { hasText: '活动奖励' }).first().waitFor();
    t.ok(true, 'credit change: listed in the history');
    await page.locator('.card', { hasText: '积分记录' }).locator('td', { hasText: '完成注册获取积分' }).first().waitFor();
    t.ok(true, 'credit history: every record of the user, the registration credit too');
    // a deduction below 0: the API's message
    await page.fill('#credit-form input[name=change]', '-99999');
    await page.fill('#credit-form input[name=message]', '扣减');
    await page.click('#credit-form button[type=submit]');
    await page.locator('#credit-form .notice.error').waitFor();
    t.like(await page.textContent('#credit-form .notice.error'), /余额/, 'credit below 0: the API message shown');
    // authentication records of the user
    await page.locator('.card', { hasText: '认证记录' }).locator('td', { hasText: '实名认证' }).first().waitFor();
    t.ok(true, 'the user\'s pending real-name submission is in their authentication records');
    await shot('03-user');

    // delete with confirmation: cancel first, then confirm
    await go('#/users/' + S.del.id);
    await page.locator('.user-name').waitFor();
    await page.click('.user-head button:has-text("删除")');
    await page.locator('.dialog').waitFor();
    t.like(await page.textContent('.dialog'), new RegExp(S.del.nickname), 'delete asks first, naming the user');
    await shot('04-user-delete');
    await page.click('.dialog button:has-text("取消")');
    t.is(await page.locator('.dialog').count(), 0, 'cancel closes the confirmation');
    await page.click('.user-head button:has-text("删除")');
    await page.click('.dialog button:has-text("删除")');
    await toastSeen(/用户已删除/);
    await page.locator('#users-screen').waitFor();
    t.ok(true, 'deleted: back to the list');
});

// ------------------------------------------------------------------ 3 reviews
async function queue(kind) {
    await go('#/reviews');
    await page.locator('#reviews-screen').waitFor();
    await page.selectOption('#review-status', '0');
    await page.selectOption('#review-kind', kind);
    await page.locator('#reviews-screen .pager').waitFor();
}
function article(kind, id) { return page.locator(`article.review[data-kind="${kind}"][data-id="${id}"]`); }

await step('reviews', async () => {
    await queue('real-name');
    const a = article('real-name', S.realname.review_id);
    await a.waitFor();
    t.like(await a.textContent(), new RegExp(S.realname.nickname), 'the real-name submission names its user');
    const thumbs = a.locator('.thumb img');
    t.ok(await thumbs.count() >= 1, 'its picture is shown as a thumbnail');
    const src = await thumbs.first().getAttribute('src');
    t.like(src, /^\/storage\/[A-Za-z0-9_./-]+$/, 'the thumbnail comes from the storage URL');
    await page.waitForFunction(el => el.complete && el.naturalWidth > 0, await thumbs.first().elementHandle());
    t.ok(true, 'the thumbnail loaded');
    await shot('05-reviews');
    await a.locator('.thumb').first().click();
    await page.locator('.lightbox img').waitFor();
    t.is(await page.getAttribute('.lightbox img', 'src'), src, 'a click enlarges the picture');
    await shot('06-review-picture');
    await page.click('.lightbox');
    await a.locator('button:has-text("通过")').click();
    await toastSeen(/已通过/);
    await a.waitFor({ state: 'detached' });
    t.ok(true, 'approved: the submission leaves the pending queue');

    await queue('qualification');
    const q = article('qualification', S.qualification.review_id);
    await q.waitFor();
    await q.locator('button:has-text("驳回")').click();
    await q.locator('.notice.error').waitFor();
    t.like(await q.locator('.notice.error').textContent(), /原因/, 'a rejection without a message is not sent');
    await q.locator('textarea').fill(S.qualification.message);
    await q.locator('button:has-text("驳回")').click();
    await toastSeen(/已驳回/);
    await q.waitFor({ state: 'detached' });
    t.ok(true, 'rejected: the qualification leaves the pending queue');

    // the XSS user's submission: literal text in the queue
    await queue('educational-info');
    const x = article('educational-info', S.xss.review_id);
    await x.waitFor();
    t.is(await x.locator('a.review-user').textContent(), S.xss.nickname, 'the queue shows the XSS nickname literally');
    t.ok((await x.textContent()).includes(S.xss.institution), 'and the submitted XSS text literally');
    t.is(await x.locator('img').count(), 0, 'no img element came out of them');

    // the race: decided through the API after the page listed it
    const r = article('educational-info', S.race.review_id);
    await r.waitFor();
    const first = await api('PUT', `review/educational-info/${S.race.review_id}`, { decision: 'approve' }, S.admin.token);
    t.is(first.status, 200, 'the race: another administrator decides first through the API');
    await r.locator('textarea').fill('材料不全');
    await r.locator('button:has-text("驳回")').click();
    await page.locator('#reviews-screen > .notice.error', { hasText: '已被审核' }).waitFor();
    t.like(await page.textContent('#reviews-screen > .notice.error'), /该提交已被审核或已被用户更新/, 'the race: the 409 message is shown');
    await r.waitFor({ state: 'detached' });
    t.ok(true, 'the race: the queue reloaded without the decided submission');
    await shot('07-review-race');
});

// ------------------------------------------------------------------ 4 projects
await step('projects', async () => {
    await go('#/projects');
    await page.locator('#projects-screen table').waitFor();
    await page.click('button:has-text("新建项目")');
    await page.locator('#project-form').waitFor();
    // refused first: the API names the broken fields
    await page.fill('#project-form input[name=delivery_at]', '2027-02-30 10:00:00');
    await page.click('#project-form button[type=submit]');
    await page.locator('#project-form .notice.error').waitFor();
    t.ok(await page.locator('#project-form .field[data-field=name] .field-error').isVisible(), 'create refused: the name error under its field');
    t.ok(await page.locator('#project-form .field[data-field=delivery_at] .field-error').isVisible(), 'create refused: the time error under its field');
    await shot('08-project-form');
    await page.fill('#project-form input[name=name]', S.project.name);
    await page.selectOption('#project-form select[name=status]', 'ing');
    await page.fill('#project-form input[name=purchase_budget]', '33000');
    await page.fill('#project-form input[name=delivery_at]', '2027-06-30 18:00:00');
    await page.fill('#project-form input[name=domain]', '计算机视觉');
    await page.fill('#project-form textarea[name=introduction]', '第一行\n第二行');
    await page.click('#project-form button[type=submit]');
    await toastSeen(/已创建/);
    await page.fill('input[type=search]', S.project.name);
    await page.click('#projects-screen form.filters button[type=submit]');
    const row = page.locator('tr', { has: page.locator('.project-name', { hasText: S.project.name }) });
    await row.waitFor();
    t.ok(true, 'created: found by searching its name');
    const id = (await row.locator('td').first().textContent()).trim();
    t.fact('project_id', id);
    // edit
    await row.locator('button:has-text("编辑")').click();
    t.is(await page.inputValue('#project-form input[name=name]'), S.project.name, 'edit: the form shows the project');
    await page.fill('#project-form input[name=purchase_budget]', '45000');
    await page.click('#project-form button[type=submit]');
    await toastSeen(/项目已保存/);
    await row.locator('td', { hasText: '45000' }).waitFor();
    t.ok(true, 'edit: the new budget is listed');
    await shot('09-projects');

    // a second project, removed
    await page.click('button:has-text("新建项目")');
    await page.fill('#project-form input[name=name]', S.project.removed);
    await page.fill('#project-form input[name=delivery_at]', '2027-01-01 00:00:00');
    await page.click('#project-form button[type=submit]');
    await toastSeen(/已创建/);
    await page.fill('input[type=search]', S.project.removed);
    await page.click('#projects-screen form.filters button[type=submit]');
    const gone = page.locator('tr', { has: page.locator('.project-name', { hasText: S.project.removed }) });
    await gone.locator('button:has-text("删除")').click();
    await page.click('.dialog button:has-text("删除")');
    await toastSeen(/项目已删除/);
    await gone.locator('.badge', { hasText: '已删除' }).waitFor();
    t.ok(true, 'removed: listed as 已删除');
});

// ------------------------------------------------------------------ 5 audit log
await step('audit', async () => {
    await go('#/audit');
    await page.locator('#audit-screen table').waitFor();
    await page.fill('#audit-screen input[aria-label=用户ID]', String(S.edit.id));
    await page.selectOption('#audit-screen select[aria-label=操作]', 'credit_change');
    await page.fill('#audit-screen input[aria-label=开始时间]', '2000-01-01T00:00');
    await page.fill('#audit-screen input[aria-label=结束时间]', '2099-12-31T23:59');
    await page.click('#audit-screen button:has-text("查询")');
    await page.locator('#audit-screen td', { hasText: '活动奖励' }).first().waitFor();
    const rows = await page.locator('#audit-screen tbody tr').count();
    t.is(rows, 1, 'filtered by user, action and time: the one credit change');
    t.like(await page.textContent('#audit-screen tbody tr'), new RegExp(S.admin.nickname), 'the row names the administrator');
    await shot('10-audit');
    // a range the API refuses: its message
    await page.fill('#audit-screen input[aria-label=开始时间]', '2030-01-01T00:00');
    await page.fill('#audit-screen input[aria-label=结束时间]', '2020-01-01T00:00');
    await page.click('#audit-screen button:has-text("查询")');
    await page.locator('#audit-screen .notice.error').waitFor();
    t.ok((await page.textContent('#audit-screen .notice.error')).length > 0, 'from after to: the API message shown');
    await page.click('#audit-screen button:has-text("重置")');
    await page.locator('#audit-screen table').waitFor();
    t.ok(true, 'reset: the whole log again');
});

// ------------------------------------------------------------------ 6 sign-up
await step('signup', async () => {
    await go('#/signup');
    await page.locator('#signup-form').waitFor();
    await page.setInputFiles('#signup-form input[name=avatar]', S.signup.avatar);
    for (const k of ['nickname', 'name', 'passwd', 'repasswd', 'phone', 'position', 'email']) {
        await page.fill(`#signup-form input[name=${k}]`, S.signup[k]);
    }
    await page.fill('#signup-form input[name=repasswd]', S.signup.passwd + 'x');
    await page.click('#signup-form button[type=submit]');
    await page.locator('#signup-form .field[data-field=repasswd] .field-error').waitFor();
    t.ok(true, 'sign-up refused: the mismatch shown under 确认密码');
    await page.setInputFiles('#signup-form input[name=avatar]', S.signup.avatar);
    await page.fill('#signup-form input[name=repasswd]', S.signup.passwd);
    await shot('11-signup');
    await page.click('#signup-form button[type=submit]');
    await page.locator('#signup-form .notice.ok').waitFor();
    const done = await page.textContent('#signup-form .notice.ok');
    t.like(done, /未审核/, 'signed up: the new account is 未审核');
    const id = (/ID (\d+)/.exec(done) || [])[1];
    t.fact('signup_id', id);
    // approve it from its detail (审核), its avatar from the storage
    await page.click('#signup-form .notice.ok a');
    await page.locator('.user-name').waitFor();
    t.like(await page.getAttribute('.user-head .avatar img', 'src'), /^\/storage\/avatar\//, 'the avatar comes from the storage URL');
    await page.click('.user-head button:has-text("审核通过")');
    await toastSeen(/已审核通过/);
    await page.locator('.user-head .badge', { hasText: '已审核' }).waitFor();
    t.ok(true, 'audited: the account is 已审核');
});

// ------------------------------------------------------------------ phone width
await step('screens at 390 px', async () => {
    const screens = [['users', '#/users', '#users-screen table'], ['user', '#/users/' + S.edit.id, '#credit-form'],
                     ['reviews', '#/reviews', '#reviews-screen .pager'], ['projects', '#/projects', '#projects-screen table'],
                     ['audit', '#/audit', '#audit-screen table'], ['signup', '#/signup', '#signup-form']];
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, hash, ready] of screens) {
        await go(hash);
        await page.locator(ready).first().waitFor();
        await page.waitForTimeout(200);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        t.ok(w <= 390, `390 px: ${name} fits the width`, `scrollWidth ${w}`);
        await shot(name);
    }
    await page.click('.menu-toggle');
    await page.locator('.sidebar.open').waitFor();
    t.ok(await page.locator('.sidebar a', { hasText: '审核队列' }).isVisible(), '390 px: the menu opens');
    await shot('menu');
    await page.click('.menu-toggle');
    await page.setViewportSize({ width: 1280, height: 800 });
});

// ------------------------------------------------------------------ logout
await step('logout', async () => {
    const token = await page.evaluate(() => sessionStorage.getItem('devplat.console.token'));
    await page.click('.topbar button:has-text("退出登录")');
    await page.locator('form.login-form').waitFor();
    t.is(await page.evaluate(() => sessionStorage.length), 0, 'logout: the token is gone from the tab');
    const after = await api('GET', `user/${S.edit.id}`, null, token);
    t.is(after.status, 401, 'logout: the token no longer works');
    await page.setViewportSize({ width: 390, height: 844 });
    await nextCaptcha(() => page.reload());
    await shot('01-login');
});

t.is(dialogs.length, 0, 'no dialog was ever opened (no alert from injected markup)');
if (dialogs.length) t.ok(false, 'dialogs', dialogs.join('\n'));
t.is(errors.length, 0, 'no script error' + (errors.length ? ': ' + errors[0] : ''));
t.is(cspRefusals.length, 0, 'nothing refused by the CSP' + (cspRefusals.length ? ': ' + cspRefusals[0] : ''));
t.is(foreign.length, 0, 'no request left the origin' + (foreign.length ? ': ' + foreign[0] : ''));
await context.cleanup();
process.stdout.write(JSON.stringify({ done: true, checks: t.n, failed: t.failed }) + '\n');
