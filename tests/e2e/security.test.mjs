// The security review's points, each with a test: the manifest asks for exactly what the
// extension needs; the API key never reaches content scripts, the DOM, logs or replies; the
// worker takes messages only from this extension (content-script messages only from Fetcher
// tabs, UI messages only from its own pages) and checks every field; hostile pages run no
// script; the code never builds markup from strings.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DIST, FETCHER, KEYS, ROOT, launchBrowser, sendDialog, sendFromPage, startSandbox } from './harness.mjs';

const HOSTS = ['https://api.ashbyhq.com/*', 'https://app.fetcher.ai/*'];
// The worker's reason for refusing (the page that asked shows it as "This request was refused: it
// did not come from this extension.").
const REFUSED = 'messageRefused';
const CONNECT_SRC = "connect-src 'self' https://api.ashbyhq.com";

// ---- The manifest --------------------------------------------------------------------------

/** Every way the manifest could grant more than storage, alarms and the two hosts. */
export function manifestProblems(manifest) {
  const problems = [];
  const same = (what, actual, expected) => {
    const a = JSON.stringify([...(actual ?? [])].sort());
    const e = JSON.stringify([...expected].sort());
    if (a !== e) problems.push(`${what} is ${a}, expected ${e}`);
  };
  same('permissions', manifest.permissions, ['alarms', 'storage']);
  same('host_permissions', manifest.host_permissions, HOSTS);
  same('optional_permissions', manifest.optional_permissions, []);
  same('optional_host_permissions', manifest.optional_host_permissions, []);
  for (const [i, script] of (manifest.content_scripts ?? []).entries()) {
    same(`content_scripts[${i}].matches`, script.matches, ['https://app.fetcher.ai/*']);
    if (script.all_frames || script.match_about_blank || script.match_origin_as_fallback) {
      problems.push(`content_scripts[${i}] reaches into other frames`);
    }
    if (script.world && script.world !== 'ISOLATED') problems.push(`content_scripts[${i}] runs in the page's world`);
  }
  for (const [i, entry] of (manifest.web_accessible_resources ?? []).entries()) {
    same(`web_accessible_resources[${i}].matches`, entry.matches, ['https://app.fetcher.ai/*']);
    if (entry.extension_ids || entry.use_dynamic_url === false) problems.push(`web_accessible_resources[${i}] is shared more widely`);
  }
  if ('externally_connectable' in manifest) problems.push('externally_connectable lets web pages message the worker');
  const csp = manifest.content_security_policy ?? {};
  for (const key of Object.keys(csp)) if (key !== 'extension_pages') problems.push(`content_security_policy.${key} is set`);
  const directives = String(csp.extension_pages ?? '').split(';').map((d) => d.trim()).filter(Boolean);
  const allowed = new Set(["script-src 'self' 'wasm-unsafe-eval'", "object-src 'self'", CONNECT_SRC]);
  for (const directive of directives) if (!allowed.has(directive)) problems.push(`CSP directive "${directive}" goes beyond 'self', 'wasm-unsafe-eval' and Ashby's API`);
  if (!directives.includes("script-src 'self' 'wasm-unsafe-eval'")) problems.push('CSP lacks script-src');
  // The extension's pages and worker may connect only to themselves and Ashby's API.
  if (!directives.includes(CONNECT_SRC)) problems.push('CSP lacks connect-src limited to Ashby');
  for (const key of ['sandbox', 'chrome_url_overrides', 'devtools_page', 'declarative_net_request', 'key', 'update_url']) {
    if (key in manifest) problems.push(`${key} is set`);
  }
  return problems;
}

describe('manifest', () => {
  const manifests = [path.join(ROOT, 'extension/manifest.json'), path.join(DIST, 'manifest.json')].filter(existsSync);

  test('asks for exactly storage, alarms and the two hosts, with a CSP of self + wasm-unsafe-eval, connecting only to Ashby', () => {
    assert.ok(manifests.length > 0);
    for (const file of manifests) {
      assert.deepEqual(manifestProblems(JSON.parse(readFileSync(file, 'utf8'))), [], file);
    }
  });

  test('the check notices anything more', () => {
    const good = JSON.parse(readFileSync(manifests[0], 'utf8'));
    const worse = [
      { permissions: [...good.permissions, 'tabs'] },
      { host_permissions: ['<all_urls>'] },
      { optional_permissions: ['cookies'] },
      { content_scripts: [{ ...good.content_scripts[0], matches: ['https://*/*'] }] },
      { content_scripts: [{ ...good.content_scripts[0], all_frames: true }] },
      { web_accessible_resources: [{ ...good.web_accessible_resources[0], matches: ['<all_urls>'] }] },
      { externally_connectable: { matches: ['https://app.fetcher.ai/*'] } },
      { content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; object-src 'self'" } },
      { content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval' https://cdn.example; object-src 'self'" } },
      { content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" } },
      { content_security_policy: { extension_pages: `script-src 'self' 'wasm-unsafe-eval'; object-src 'self'; ${CONNECT_SRC} https://evil.example` } },
    ];
    for (const change of worse) {
      assert.notDeepEqual(manifestProblems({ ...good, ...change }), [], JSON.stringify(change));
    }
  });

  test('the README justifies each permission', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.split(/^## Permissions$/m)[1]?.split(/^## /m)[0] ?? '';
    for (const word of ['`storage`', '`alarms`', ...HOSTS.map((h) => `\`${h}\``)]) {
      assert.ok(section.includes(word), `the Permissions section explains ${word}`);
    }
  });
});

// ---- No markup from strings ----------------------------------------------------------------

const MARKUP_SINKS = /inner_?html|outer_?html|insert_?adjacent_?html|document\.write|set_inner_html|dangerouslySetInner/i;

/** Rust source with its test-only code removed: `#[cfg(test)]`-like items (brace-matched). */
export function withoutTestCode(source) {
  const lines = source.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*#\[cfg\((all\()?test\b/.test(lines[i])) {
      // Skip the attribute and the item it guards: up to a `;` line or the matching brace.
      let depth = 0;
      let opened = false;
      for (i += 1; i < lines.length; i++) {
        const code = lines[i].replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/'(?:[^'\\]|\\.)'/g, "''").replace(/\/\/.*$/, '');
        for (const ch of code) {
          if (ch === '{') { depth += 1; opened = true; }
          if (ch === '}') depth -= 1;
        }
        if ((opened && depth <= 0) || (!opened && code.trim().endsWith(';'))) break;
      }
      continue;
    }
    out.push(lines[i]);
  }
  return out.join('\n');
}

/** Files that are test modules as a whole (`#[cfg(test)] mod x;` declarations). */
function testOnlyFiles(files) {
  const testOnly = new Set();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/#\[cfg\((?:all\()?test\b[^\]]*\]\s*mod\s+(\w+)\s*;/g)) {
      const dir = path.basename(file) === 'mod.rs' || path.basename(file) === 'lib.rs'
        ? path.dirname(file) : path.join(path.dirname(file), path.basename(file, '.rs'));
      testOnly.add(path.join(dir, `${m[1]}.rs`));
      testOnly.add(path.join(dir, m[1], 'mod.rs'));
    }
  }
  return testOnly;
}

function filesUnder(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return filesUnder(full, ext);
    return full.endsWith(ext) ? [full] : [];
  });
}

describe('no markup from strings', () => {
  test('src/ and the JS shims use no innerHTML / outerHTML / insertAdjacentHTML outside tests', () => {
    const rust = filesUnder(path.join(ROOT, 'src'), '.rs');
    const testOnly = testOnlyFiles(rust);
    const offenders = [];
    for (const file of rust.filter((f) => !testOnly.has(f))) {
      const code = withoutTestCode(readFileSync(file, 'utf8'));
      code.split('\n').forEach((line, i) => {
        if (MARKUP_SINKS.test(line.replace(/\/\/.*$/, ''))) offenders.push(`${path.relative(ROOT, file)}: ${line.trim()}`);
      });
    }
    for (const file of [...filesUnder(path.join(ROOT, 'extension'), '.js')]) {
      readFileSync(file, 'utf8').split('\n').forEach((line) => {
        if (MARKUP_SINKS.test(line)) offenders.push(`${path.relative(ROOT, file)}: ${line.trim()}`);
      });
    }
    assert.ok(rust.length > 20 && testOnly.size > 0);
    assert.deepEqual(offenders, []);
  });

  test('the scan sees a sink outside tests and ignores one inside', () => {
    const sample = [
      'fn show(e: &Element, t: &str) { e.set_inner_html(t); }',
      '#[cfg(test)]',
      'mod tests {',
      '    fn load() { let s = "}"; template.set_inner_html(s); }',
      '}',
      'fn after() {}',
    ].join('\n');
    const kept = withoutTestCode(sample);
    assert.match(kept, /fn show/);
    assert.match(kept, /fn after/);
    assert.equal(kept.split('\n').filter((l) => MARKUP_SINKS.test(l)).length, 1);
  });
});

// ---- In the browser ------------------------------------------------------------------------

/** Runs `expression` in the extension's content-script world of `page` (its isolated world). */
async function inContentScript(browser, page, expression) {
  const cdp = await browser.context.newCDPSession(page);
  const contexts = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  let world;
  for (let tries = 0; tries < 100 && !world; tries++) {
    world = contexts.find((c) => c.auxData?.type === 'isolated' && (c.origin?.includes(browser.extensionId) || c.name === 'Fetcher → Ashby'));
    if (!world) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(world, 'the content script runs on this page');
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression, contextId: world.id, awaitPromise: true, returnByValue: true,
  });
  await cdp.detach();
  if (exceptionDetails) return { thrown: exceptionDetails.exception?.description ?? exceptionDetails.text };
  return result.value;
}

/** Everything a page shows: markup of the document and every open shadow root, and values. */
function everythingOnPage(page) {
  return page.evaluate(() => {
    const parts = [];
    const walk = (root) => {
      for (const el of root.querySelectorAll('*')) {
        if ('value' in el && typeof el.value === 'string') parts.push(el.value);
        if (el.shadowRoot) { parts.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
      }
    };
    parts.push(document.documentElement.outerHTML);
    walk(document);
    return parts.join('\n');
  });
}

/** Records the worker's console (the worker has no page to listen on). */
async function recordWorkerConsole(browser) {
  await browser.worker().evaluate(() => {
    globalThis.__recorded = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
      const original = console[level].bind(console);
      console[level] = (...args) => {
        globalThis.__recorded.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
        original(...args);
      };
    }
    self.addEventListener('error', (e) => globalThis.__recorded.push(String(e.message)));
    self.addEventListener('unhandledrejection', (e) => globalThis.__recorded.push(String(e.reason)));
  });
  return () => browser.worker().evaluate(() => globalThis.__recorded.join('\n'));
}

// A candidate in its validated form, as the Send dialog sends it back.
const CANDIDATE = {
  searchId: 'search-eng-berlin', candidateId: 'cand-security-check', name: 'Sec Check', title: null, company: null,
  location: null, emails: ['sec.check@example.com'], phones: [], linkedinUrl: null, githubUrl: null,
  websiteUrls: [], status: null, liked: false,
};
// A candidate as a content script reads it off the page (the worker validates it).
const reading = (fields = {}) => ({
  searchId: 'search-eng-berlin', candidateId: 'cand-security-check', name: 'Sec Check', headline: null,
  location: null, emailHrefs: ['mailto:sec.check@example.com'], phoneHrefs: [], linkHrefs: [],
  statusText: null, likePressed: false, ...fields,
});

describe('security in the browser', () => {
  let sandbox;
  let browser;
  const pageConsole = [];
  let workerConsole;
  let jobId;

  before(async () => {
    sandbox = await startSandbox();
    browser = await launchBrowser(sandbox);
    browser.context.on('console', (message) => pageConsole.push(message.text()));
    browser.context.on('weberror', (error) => pageConsole.push(String(error.error())));
    workerConsole = await recordWorkerConsole(browser);
    const state = await sandbox.admin('/admin/state');
    jobId = state.jobs.find((j) => j.status === 'Open').id;
  });
  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  /** A profile page with the content script running, and a way to message from its world. */
  async function fetcherTab() {
    const page = await browser.context.newPage();
    await page.goto(`${FETCHER}/searches/search-eng-berlin/candidates/cand-lena-hoffmann?delay=0`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  }
  const fromContent = (page, message) =>
    inContentScript(browser, page, `chrome.runtime.sendMessage(${JSON.stringify(message)})`);

  test('failed connections leave the key nowhere: not in replies, the popup, or any console', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    for (const apiKey of ['not-a-real-key-zq81', KEYS.disabled]) {
      const reply = await sendFromPage(popup, { type: 'Connect', apiKey });
      assert.equal(reply.type, 'Error');
      assert.ok(!JSON.stringify(reply).includes(apiKey));
    }
    // Through the form: the error shown does not echo the key (only the box typed into holds it).
    const keyBox = popup.getByRole('textbox', { name: 'Ashby API key' });
    await keyBox.fill('not-a-real-key-zq81');
    await popup.getByRole('button', { name: 'Connect' }).click();
    await popup.getByRole('alert').waitFor();
    const markup = await popup.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!markup.includes('not-a-real-key-zq81'), 'not in the popup markup');
    const logs = `${pageConsole.join('\n')}\n${await workerConsole()}`;
    assert.ok(!logs.includes('not-a-real-key-zq81') && !logs.includes(KEYS.disabled), logs);
    await popup.close();
  });

  for (const remember of [false, true]) {
    const mode = remember ? 'remembered' : 'kept for the session';
    test(`a key ${mode} is out of reach of content scripts, pages, logs and replies`, async () => {
      const popup = await browser.openExtensionPage('popup/index.html');
      await sendFromPage(popup, { type: 'Disconnect' });
      await sendFromPage(popup, { type: 'SetKeyStorage', remember });
      const connected = await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full });
      assert.equal(connected.type, 'Connection');
      assert.equal(connected.connected, true);
      assert.equal(connected.rememberKey, remember);
      assert.ok(!JSON.stringify(connected).includes(KEYS.full));
      await popup.reload();
      await popup.getByText('Connected to Ashby with the key').waitFor();
      assert.ok(!(await everythingOnPage(popup)).includes(KEYS.full), 'not in the popup');

      // Storage as the worker sees it: never in .local, where content scripts can read.
      const local = await browser.worker().evaluate(() => chrome.storage.local.get(null));
      assert.ok(!JSON.stringify(local).includes(KEYS.full), 'not in chrome.storage.local');

      const page = await fetcherTab();
      const seen = await inContentScript(browser, page, `(async () => {
        const local = await chrome.storage.local.get(null);
        let session;
        try { session = await chrome.storage.session.get(null); } catch (e) { session = 'refused: ' + e.message; }
        return { local: JSON.stringify(local), session: JSON.stringify(session) ?? 'undefined' };
      })()`);
      assert.ok(seen.local.length > 2, 'the content script does read .local');
      assert.ok(!seen.local.includes(KEYS.full), 'not in .local as content scripts see it');
      assert.ok(!seen.session.includes(KEYS.full), `not in .session as content scripts see it: ${seen.session}`);

      // Every reply a content script can get.
      const replies = [];
      for (const message of [
        { type: 'Hello', pageKind: 'profile' },
        { type: 'PrepareSend', candidate: reading() },
        { type: 'PageSeen', accountEmail: 'jane@agency.com', searchId: 'search-eng-berlin', searchTitle: 'T', searchOwnerEmail: 'jane@agency.com' },
        { type: 'SendByShortcut', candidate: reading() },
        { type: 'SendNow', candidate: reading(), jobId },
        { type: 'CheckCandidates', candidates: [reading(), reading({ candidateId: '../x' })] },
        { type: 'RetryUpload', searchId: 'search-eng-berlin', candidateId: 'cand-security-check' },
        { type: 'ContentBlocked', reason: 'test' },
      ]) {
        const reply = await fromContent(page, message);
        assert.ok(reply && !reply.thrown, `${message.type}: ${JSON.stringify(reply)}`);
        replies.push(JSON.stringify(reply));
      }
      assert.ok(replies.some((r) => r.includes('"Prepared"') && r.includes('"token"')), replies.join('\n'));
      assert.ok(!replies.join('\n').includes(KEYS.full), 'no reply carries the key');

      // The page, the dialog (an extension page framed into it), and every console.
      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Send to Ashby' }).click();
      const { frame } = await sendDialog(page);
      assert.ok(!(await everythingOnPage(page)).includes(KEYS.full), 'not in the Fetcher page');
      assert.ok(!(await frame.content()).includes(KEYS.full), 'not in the Send dialog');
      const logs = `${pageConsole.join('\n')}\n${await workerConsole()}`;
      assert.ok(!logs.includes(KEYS.full), 'not in any console');

      if (remember) {
        // Remembered means it survives the worker being stopped (it lives in IndexedDB).
        await browser.stopWorkers();
        const status = await sendFromPage(popup, { type: 'ConnectionStatus' });
        assert.equal(status.connected, true);
        // Disconnect forgets it there too.
        assert.equal((await sendFromPage(popup, { type: 'Disconnect' })).type, 'Ok');
        await browser.stopWorkers();
        assert.equal((await sendFromPage(popup, { type: 'ConnectionStatus' })).connected, false);
        workerConsole = await recordWorkerConsole(browser);
      }
      await page.close();
      await popup.close();
    });
  }

  test('a key an earlier version remembered in chrome.storage.local moves out of it', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    await sendFromPage(popup, { type: 'Disconnect' });
    await browser.worker().evaluate((key) => chrome.storage.local.set({ ashbyApiKey: key, 'settings/keyStorage': 'local' }), KEYS.full);
    const status = await sendFromPage(popup, { type: 'ConnectionStatus' });
    assert.equal(status.connected, true);
    const local = await browser.worker().evaluate(() => chrome.storage.local.get(null));
    assert.equal(local.ashbyApiKey, undefined);
    const again = await sendFromPage(popup, { type: 'ConnectionStatus' });
    assert.equal(again.connected, true, 'still connected, from the vault');
    await popup.close();
  });

  test('UI requests from a Fetcher tab are refused, and malformed fields too', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full });
    const page = await fetcherTab();
    for (const message of [
      { type: 'Ping' }, { type: 'ConnectionStatus' }, { type: 'Connect', apiKey: 'stolen' },
      { type: 'Disconnect' }, { type: 'ListJobs', refresh: false }, { type: 'SetKeyStorage', remember: true },
      { type: 'ListSearches' }, { type: 'ListActivity' }, { type: 'ForgetAutomation' },
      { type: 'RetryFromActivity', searchId: 's', candidateId: 'c' },
      { type: 'OpenDraft', token: 'guessed' }, { type: 'CloseDraft', token: 'guessed' },
      { type: 'SendDraft', token: 'guessed', candidate: CANDIDATE, jobId },
    ]) {
      assert.deepEqual(await fromContent(page, message), { type: 'Error', problem: REFUSED }, message.type);
    }
    const tooMany = reading({ emailHrefs: Array.from({ length: 101 }, (_, i) => `mailto:a${i}@example.com`) });
    for (const message of [
      { type: 'SendNow', candidate: tooMany, jobId },
      { type: 'SendNow', candidate: reading({ name: 'x'.repeat(5000) }), jobId },
      { type: 'SendNow', candidate: reading({ candidateId: '../x' }), jobId },
      { type: 'CandidatesSeen', candidates: [reading({ statusText: 'x'.repeat(5000) })] },
      { type: 'RetryUpload', searchId: '../../x', candidateId: 'c' },
      { type: 'JobsForSearch', searchId: 'search-eng-berlin' },
      { type: 'SendReadiness' },
      { type: 'PreviewSend', candidate: reading(), jobId },
      { type: 'PageSeen', searchTitle: 'x'.repeat(5000) },
      { type: 'Hello', pageKind: 42 },
    ]) {
      assert.deepEqual(await fromContent(page, message), { type: 'Error', problem: REFUSED }, JSON.stringify(message).slice(0, 80));
    }
    // Still connected: the refused Disconnect did nothing.
    assert.equal((await sendFromPage(popup, { type: 'ConnectionStatus' })).connected, true);
    await page.close();
    await popup.close();
  });

  test('the page cannot act for the recruiter: clicks and events on our controls, and the dialog, reach no Ashby candidate call', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full });
    // No job remembered for the search: an opened dialog would preview (call Ashby) only
    // once someone picks a job in it.
    await popup.evaluate(() => chrome.storage.local.remove('lastJob/search-design-remote'));
    await popup.close();
    const page = await browser.context.newPage();
    await page.goto(`${FETCHER}/searches/search-design-remote/candidates/cand-marta-kowalczyk?delay=0`);
    await page.getByRole('button', { name: 'Send to Ashby', exact: true }).waitFor();
    await sandbox.admin('/admin/requests/clear', {});

    // The page's own script, as an attacker on app.fetcher.ai would write it.
    const seen = await page.evaluate(async () => {
      const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
      const report = {};
      const press = (el) => {
        el.click();
        el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
        for (const key of ['Enter', ' ']) {
          el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
          el.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, composed: true }));
        }
      };
      // The profile button, in the status host's (open) shadow root.
      const host = document.querySelector('[data-fetcher-ashby-status]');
      const button = host?.shadowRoot?.querySelector('button');
      report.button = button?.textContent ?? null;
      if (button) press(button);
      // The ⋮ menu item.
      document.querySelector('button[aria-label="More actions"]')?.click();
      await sleep(100);
      const item = [...document.querySelectorAll('[role="menuitem"]')].find((el) => el.textContent.includes('Send to Ashby'));
      report.menuItem = Boolean(item);
      if (item) press(item);
      await sleep(1500);
      // Whatever opened: the page finds no dialog, no frame element, nothing to read or press.
      const texts = [document.body.innerText];
      for (const el of document.querySelectorAll('*')) if (el.shadowRoot) texts.push(el.shadowRoot.textContent);
      report.dialogVisibleToPage = /Ashby job|Not in Ashby|Already in Ashby/.test(texts.join('\n'));
      report.iframes = document.querySelectorAll('iframe').length;
      report.frameReadable = [];
      for (let i = 0; i < window.frames.length; i++) {
        try {
          report.frameReadable.push(Boolean(window.frames[i].document.body));
        } catch {
          report.frameReadable.push(false);
        }
        // Forged "messages" to the frame are never read by it.
        window.frames[i].postMessage({ type: 'SendDraft', jobId: 'x' }, '*');
      }
      return report;
    });
    assert.equal(seen.button, 'Send to Ashby', 'the profile button was there to attack');
    assert.equal(seen.dialogVisibleToPage, false, 'the page read nothing of a dialog');
    assert.equal(seen.iframes, 0, 'no frame element is reachable from the page');
    assert.ok(seen.frameReadable.every((readable) => !readable), 'no frame is readable');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const log = await sandbox.admin('/admin/requests');
    const calls = (log.requests ?? log).map((r) => r.endpoint).filter((e) => /^(candidate|application)\./.test(e));
    assert.deepEqual(calls, [], 'Ashby saw no candidate or application call');
    const local = await browser.worker().evaluate(() => chrome.storage.local.get(null));
    const queued = Object.keys(local).filter((key) => /^(outbox|upload)\//.test(key) && key.includes('cand-marta-kowalczyk'));
    assert.deepEqual(queued, [], 'nothing was queued for the candidate');
    await page.close();
  });

  test('a web page cannot message the worker at all', async () => {
    const page = await fetcherTab();
    const reach = await page.evaluate(() => ({
      runtime: typeof globalThis.chrome?.runtime?.sendMessage,
      connect: typeof globalThis.chrome?.runtime?.connect,
    }));
    assert.deepEqual(reach, { runtime: 'undefined', connect: 'undefined' });
    await page.close();
  });

  test('hostile pages served as Fetcher profiles run no script and crash nothing', async () => {
    const dir = path.join(ROOT, 'tests/fixtures/hostile');
    const chosen = ['inject-img-onerror-profile', 'inject-attribute-breakout-profile', 'bidi-overrides', 'huge-name', 'malformed-urls', 'deep-wrappers-profile'];
    const before = pageConsole.length;
    for (const name of chosen) {
      const html = readFileSync(path.join(dir, `${name}.html`), 'utf8');
      const url = `${FETCHER}/searches/hostile/candidates/${name}`;
      await browser.context.route(url, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><html><body>${html}</body></html>` }));
      const page = await browser.context.newPage();
      await page.goto(url);
      // The content script has read the page once it reported it (its isolated world exists).
      const kind = await inContentScript(browser, page, 'typeof chrome.runtime.sendMessage');
      assert.equal(kind, 'function', name);
      assert.equal(await page.evaluate(() => window.__xss), undefined, `${name}: no script ran`);
      await page.close();
      await browser.context.unroute(url);
    }
    const crashes = pageConsole.slice(before).filter((line) => /panicked|RuntimeError|unreachable/i.test(line));
    assert.deepEqual(crashes, []);
  });
});

// ---- What a page can cause, and Disconnect -------------------------------------------------

describe('Disconnect means stop', () => {
  let sandbox;
  let browser;
  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  /** Requests the sandbox answered that carried a key (any key: only one is ever used here). */
  const keyed = async () => (await sandbox.admin('/admin/requests')).filter((r) => r.key !== null);
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  test('after the Disconnect reply no request with the old key reaches Ashby, mid-drain of 40 uploads', async () => {
    sandbox = await startSandbox();
    browser = await launchBrowser(sandbox);
    const LATENCY = 150;
    const state = await sandbox.admin('/admin/state');
    const jobId = state.jobs.find((j) => j.status === 'Open').id;
    const popup = await browser.openExtensionPage('popup/index.html');
    assert.equal((await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full })).type, 'Connection');
    const page = await browser.context.newPage();
    await page.goto(`${FETCHER}/searches/search-eng-berlin/candidates/cand-lena-hoffmann?delay=0`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await sandbox.admin('/admin/latency', { ms: LATENCY });
    await sandbox.admin('/admin/requests/clear', {});
    // 40 uploads queued from the content-script channel (each several Ashby calls).
    const queued = await inContentScript(browser, page, `(async () => {
      const replies = [];
      for (let n = 0; n < 40; n++) {
        replies.push(await chrome.runtime.sendMessage({ type: 'SendNow', jobId: ${JSON.stringify(jobId)}, candidate: {
          searchId: 'search-eng-berlin', candidateId: 'cand-drain-' + n, name: 'Drain Person ' + n, headline: null,
          location: null, emailHrefs: ['mailto:drain.' + n + '@example.com'], phoneHrefs: [], linkHrefs: [],
          statusText: null, likePressed: false } }));
      }
      return replies.map((r) => r.type);
    })()`);
    assert.deepEqual(queued, Array(40).fill('Ok'));
    // Mid-drain: a few calls made, most of the queue still to go.
    for (let tries = 0; (await keyed()).length < 6; tries++) {
      assert.ok(tries < 600, 'the drain started');
      await wait(100);
    }
    assert.equal((await sendFromPage(popup, { type: 'Disconnect' })).type, 'Ok');
    const atReply = (await keyed()).length;
    // The call under way at the reply (sent before it) is answered and logged within the latency.
    await wait(LATENCY * 4 + 500);
    const settled = (await keyed()).length;
    assert.ok(settled - atReply <= 1, `${settled - atReply} calls with the old key were answered after the reply`);
    // Long enough for many more calls of an unstopped drain (one per latency at most).
    await wait(LATENCY * 20);
    const later = await keyed();
    assert.equal(later.length, settled, `no call after the reply: ${JSON.stringify(later.slice(settled))}`);
    const applied = (await sandbox.admin('/admin/state')).applications.filter((a) => a.candidate?.name?.startsWith('Drain Person'));
    assert.ok(applied.length < 40, 'stopped mid-drain, not after it');

    // Nothing a content script asks for reaches Ashby now either; the queue is intact.
    const asks = await inContentScript(browser, page, `(async () => [
      await chrome.runtime.sendMessage({ type: 'SendByShortcut', candidate: ${JSON.stringify(reading())} }),
      await chrome.runtime.sendMessage({ type: 'PrepareSend', candidate: ${JSON.stringify(reading())} }),
    ])()`);
    assert.deepEqual(asks, [{ type: 'Error', problem: 'connectFirst' }, { type: 'Error', problem: 'connectFirst' }]);
    await wait(LATENCY * 4);
    assert.equal((await keyed()).length, settled, 'no call for the content script');

    // Connecting again resumes the queue with the new connection.
    assert.equal((await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full })).type, 'Connection');
    const drained = async () => (await sandbox.admin('/admin/state')).applications.filter((a) => a.candidate?.name?.startsWith('Drain Person')).length;
    for (let tries = 0; (await drained()) <= applied.length; tries++) {
      assert.ok(tries < 600, 'the queue resumed after reconnecting');
      await wait(100);
    }
    await page.close();
    await popup.close();
  });
});

describe('what a page can cause through the content script', () => {
  let sandbox;
  let browser;
  let jobId;
  before(async () => {
    sandbox = await startSandbox();
    browser = await launchBrowser(sandbox);
    jobId = (await sandbox.admin('/admin/state')).jobs.find((j) => j.status === 'Open').id;
  });
  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  async function fetcherTab() {
    const page = await browser.context.newPage();
    await page.goto(`${FETCHER}/searches/search-eng-berlin/candidates/cand-lena-hoffmann?delay=0`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  }
  const fromContent = (page, message) =>
    inContentScript(browser, page, `chrome.runtime.sendMessage(${JSON.stringify(message)})`);
  async function until(what, check, ms = 60_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const invented = (searchId, n, extra = {}) => ({
    searchId, candidateId: `cand-flood-${n}`, name: `Flood Person ${n}`, headline: null, location: null,
    emailHrefs: [`mailto:flood.${n}@example.com`], phoneHrefs: [], linkHrefs: [], statusText: 'New',
    likePressed: false, ...extra,
  });

  test('more than 50 automatic uploads in 10 minutes pause the search until the recruiter resumes it', async () => {
    const SEARCH = 'search-brake-test';
    const popup = await browser.openExtensionPage('popup/index.html');
    assert.equal((await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full })).type, 'Connection');
    const page = await fetcherTab();
    const account = 'jane@agency.com';
    assert.equal((await fromContent(page, { type: 'PageSeen', accountEmail: account, searchId: SEARCH, searchTitle: 'Brake test', searchOwnerEmail: account })).type, 'Ok');
    const saved = await sendFromPage(popup, {
      type: 'SaveAutomation',
      automation: { searchId: SEARCH, jobId, enabled: true, trigger: 'AllNewCandidates', applicantLimit: null },
    });
    assert.equal(saved.type, 'Searches', JSON.stringify(saved));
    // A page reporting 60 "new" candidates at once (as a flood would).
    const batch = Array.from({ length: 60 }, (_, n) => invented(SEARCH, n));
    assert.equal((await fromContent(page, { type: 'CandidatesSeen', candidates: batch })).type, 'Ok');
    const local = await popup.evaluate(() => chrome.storage.local.get(null));
    const queued = Object.keys(local).filter((k) => k.startsWith(`outbox/${SEARCH}/`));
    assert.equal(queued.length, 50, 'fifty uploads queued, no more');
    const held = local[`upload/${SEARCH}/cand-flood-55`];
    assert.equal(held.status, 'Skipped');
    // Stored as data (the brake's limit), shown in English only on the card.
    assert.deepEqual(held.error, { kind: 'automationBraked', limit: 50 });
    // Still paused for candidates reported later.
    await fromContent(page, { type: 'CandidatesSeen', candidates: [invented(SEARCH, 60)] });
    const later = await popup.evaluate((key) => chrome.storage.local.get(key), `outbox/${SEARCH}/cand-flood-60/${jobId}`);
    assert.deepEqual(later, {});

    // The popup says so, and one click resumes.
    await popup.reload();
    const notice = popup.getByRole('region', { name: 'Automation paused' });
    await notice.getByText(/more than 50 automatic uploads within 10 minutes/).waitFor();
    await notice.getByRole('button', { name: 'Resume automation' }).click();
    await notice.waitFor({ state: 'hidden' });
    await fromContent(page, { type: 'CandidatesSeen', candidates: [invented(SEARCH, 61)] });
    const resumed = await popup.evaluate((key) => chrome.storage.local.get(key), `outbox/${SEARCH}/cand-flood-61/${jobId}`);
    assert.equal(Object.keys(resumed).length, 1, 'a new candidate is uploaded again');
    await sendFromPage(popup, { type: 'Disconnect' });
    await page.close();
    await popup.close();
  });

  test('the account uploads are credited for is the one connected; another waits for the recruiter', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    await sendFromPage(popup, { type: 'Disconnect' });
    const accountSeen = (email) => until(`the worker to see ${email}`, async () =>
      (await popup.evaluate(() => chrome.storage.local.get('fetcher/account')))['fetcher/account']?.email === email);
    const jane = await browser.context.newPage();
    await jane.goto(`${FETCHER}/searches/search-eng-berlin?delay=0&account=jane@agency.com`);
    await accountSeen('jane@agency.com');
    const connected = await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full });
    assert.equal(connected.confirmedAccount, 'jane@agency.com');
    assert.equal(connected.user.email, 'jane@agency.com');
    await jane.close();
    await sandbox.admin('/admin/requests/clear', {});

    // A page shows another account (and then alternates between many): noted, not looked up.
    const sam = await browser.context.newPage();
    await sam.goto(`${FETCHER}/searches/search-eng-berlin/candidates/cand-lena-hoffmann?delay=0&account=sam.patel@fetcher-demo.example`);
    await accountSeen('sam.patel@fetcher-demo.example');
    for (let n = 0; n < 40; n++) {
      await fromContent(sam, { type: 'PageSeen', accountEmail: `someone${n % 2 ? '' : '.else'}${n}@agency.com`, searchId: null, searchTitle: null, searchOwnerEmail: null });
    }
    await fromContent(sam, { type: 'PageSeen', accountEmail: 'sam.patel@fetcher-demo.example', searchId: null, searchTitle: null, searchOwnerEmail: null });
    const status = await sendFromPage(popup, { type: 'ConnectionStatus' });
    assert.equal(status.confirmedAccount, 'jane@agency.com');
    assert.equal(status.accountChange, 'sam.patel@fetcher-demo.example');
    assert.equal(status.user.email, 'jane@agency.com');
    const lookups = (await sandbox.admin('/admin/requests')).filter((r) => r.endpoint === 'user.search').length;
    assert.ok(lookups <= 1, `${lookups} user.search calls for 41 account changes`);

    // An upload from Sam's page is still credited to Jane's Ashby user.
    const candidate = reading({ candidateId: 'cand-credit-check', name: 'Credit Check', emailHrefs: ['mailto:credit.check@example.com'] });
    assert.equal((await fromContent(sam, { type: 'SendNow', candidate, jobId })).type, 'Ok');
    const application = await until('the upload', async () => (await sandbox.admin('/admin/state')).applications
      .find((a) => a.candidate?.name === 'Credit Check'));
    assert.equal(application.creditedToUser?.email, 'jane@agency.com');

    // The popup asks; one click moves the credit.
    await popup.reload();
    const notice = popup.getByRole('region', { name: 'Fetcher account changed' });
    await notice.getByText(/uploads are credited for jane@agency\.com/).waitFor();
    await notice.getByRole('button', { name: 'Credit uploads for sam.patel@fetcher-demo.example' }).click();
    await notice.waitFor({ state: 'detached' });
    const after = await sendFromPage(popup, { type: 'ConnectionStatus' });
    assert.equal(after.confirmedAccount, 'sam.patel@fetcher-demo.example');
    assert.equal(after.user.email, 'sam.patel@fetcher-demo.example');
    await sendFromPage(popup, { type: 'Disconnect' });
    await sam.close();
    await popup.close();
  });

  test('a flood of 60,000 invented candidates leaves storage bounded, and sending still works', { timeout: 900_000 }, async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    assert.equal((await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full })).type, 'Connection');
    const page = await fetcherTab();
    // 300 reports of 200 candidates each, from the content script's world, one after another
    // (as fast as the worker answers).
    const answers = await inContentScript(browser, page, `(async () => {
      const types = {};
      for (let batch = 0; batch < 300; batch++) {
        const candidates = [];
        for (let n = batch * 200; n < (batch + 1) * 200; n++) {
          candidates.push({ searchId: 'search-flood-' + (n % 7), candidateId: 'flood-' + n, name: 'Flood ' + n,
            headline: null, location: null, emailHrefs: ['mailto:flood' + n + '@example.com'], phoneHrefs: [],
            linkHrefs: [], statusText: 'New', likePressed: false });
        }
        const reply = await chrome.runtime.sendMessage({ type: 'CandidatesSeen', candidates });
        types[reply.type] = (types[reply.type] ?? 0) + 1;
      }
      return types;
    })()`);
    assert.deepEqual(answers, { Ok: 300 });
    const { histories, bytes } = await popup.evaluate(async () => ({
      histories: Object.keys(await chrome.storage.local.get(null)).filter((k) => k.startsWith('history/')).length,
      bytes: await chrome.storage.local.getBytesInUse(null),
    }));
    assert.ok(histories <= 21_200, `${histories} history entries kept`);
    assert.ok(bytes < 4_000_000, `${bytes} bytes in storage`);

    // Sending still works.
    const state = await sandbox.admin('/admin/state');
    const job = state.jobs.find((j) => j.status === 'Open').id;
    const candidate = reading({ candidateId: 'cand-after-flood', name: 'After Flood', emailHrefs: ['mailto:after.flood@example.com'] });
    assert.equal((await fromContent(page, { type: 'SendNow', candidate, jobId: job })).type, 'Ok');
    for (let tries = 0; ; tries++) {
      const record = (await popup.evaluate(() => chrome.storage.local.get('upload/search-eng-berlin/cand-after-flood')))['upload/search-eng-berlin/cand-after-flood'];
      if (record?.status === 'Sent') break;
      assert.ok(tries < 300 && record?.status !== 'Failed', JSON.stringify(record));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const landed = (await sandbox.admin('/admin/state')).candidates.filter((c) => c.name === 'After Flood');
    assert.equal(landed.length, 1);
    await sendFromPage(popup, { type: 'Disconnect' });
    await page.close();
    await popup.close();
  });
});
