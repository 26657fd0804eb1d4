// Shared by the console's browser scenarios: playwright-core from the
// directory scripts/install-deps.sh fills (DEVPLAT_BROWSER_MODULES, by
// default /usr/local/lib/devplat-browser), or from t/browser/node_modules
// after a local `npm ci`; Debian's chromium, never a downloaded browser.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function loadPlaywright() {
    const roots = [process.env.DEVPLAT_BROWSER_MODULES || '/usr/local/lib/devplat-browser',
                   path.dirname(new URL(import.meta.url).pathname)];
    for (const r of roots) {
        if (existsSync(path.join(r, 'node_modules', 'playwright-core', 'package.json'))) {
            return createRequire(path.join(r, 'index.js'))('playwright-core');
        }
    }
    throw new Error('playwright-core is not installed (scripts/install-deps.sh installs it into '
                    + roots[0] + ')');
}

export async function launch() {
    const { chromium } = loadPlaywright();
    const profile = mkdtempSync(path.join(process.env.TMPDIR || tmpdir(), 'devplat-chromium-'));
    // a fresh profile each run, through a persistent context (--user-data-dir
    // is not accepted in args)
    const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.DEVPLAT_CHROMIUM || '/usr/bin/chromium',
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync',
               '--lang=zh-CN'],
        viewport: { width: 1280, height: 800 },
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
    });
    context.cleanup = async () => {
        await context.close().catch(() => {});
        rmSync(profile, { recursive: true, force: true });
    };
    return context;
}

// Results as the .t file reads them: one JSON object per line on stdout.
export class Checks {
    constructor() { this.n = 0; this.failed = 0; }
    ok(cond, name, diag) {
        this.n++;
        if (!cond) this.failed++;
        process.stdout.write(JSON.stringify({ ok: !!cond, name, diag: cond ? undefined : diag }) + '\n');
        return !!cond;
    }
    is(got, want, name) {
        return this.ok(got === want, name, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
    like(got, re, name) {
        return this.ok(typeof got === 'string' && re.test(got), name, `got ${JSON.stringify(got)}, want ${re}`);
    }
    fact(key, value) { process.stdout.write(JSON.stringify({ fact: key, value }) + '\n'); }
}

export function screenshotDir(dir) {
    mkdirSync(dir, { recursive: true });
    return dir;
}
