// Proves the toolchain end to end on the production build: the worker starts and answers,
// survives being stopped, reaches the Ashby sandbox without CORS; the content script runs on
// Fetcher; the Leptos popup and options pages render.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import vm from 'node:vm';
import { DIST, FETCHER, KEYS, launchBrowser, sendFromPage, startSandbox } from './harness.mjs';

describe('foundation', () => {
  let sandbox;
  let browser;
  before(async () => {
    sandbox = await startSandbox();
    browser = await launchBrowser(sandbox);
  });
  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  test('the worker answers the popup, and again after being stopped', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    const first = await sendFromPage(popup, { type: 'Ping' });
    assert.equal(first.type, 'Pong');
    assert.equal(first.version, '0.1.0');

    await browser.stopWorkers();
    const second = await sendFromPage(popup, { type: 'Ping' });
    assert.equal(second.type, 'Pong');
    assert.ok(second.startedAt > first.startedAt, 'a new worker instance answered');
    await popup.close();
  });

  test('the worker refuses messages that do not fit the protocol', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    const reply = await sendFromPage(popup, { type: 'Hello', pageKind: 'search' });
    assert.equal(reply.type, 'Error', 'content-script messages are refused from extension pages');
    const junk = await sendFromPage(popup, { type: 'Connect', apiKey: 42 });
    assert.equal(junk.type, 'Error');
    await popup.close();
  });

  test('the popup renders, and connecting calls apiKey.info through the worker', async () => {
    await sandbox.admin('/admin/requests/clear', {});
    const popup = await browser.openExtensionPage('popup/index.html');
    const keyBox = popup.getByRole('textbox', { name: 'Ashby API key' });
    await keyBox.waitFor();

    await keyBox.fill('not-a-real-key');
    await popup.getByRole('button', { name: 'Connect' }).click();
    await popup.getByRole('alert').waitFor();
    assert.match(await popup.getByRole('alert').textContent(), /Ashby/);

    await keyBox.fill(KEYS.full);
    await popup.getByRole('button', { name: 'Connect' }).click();
    await popup.getByText('Connected to Ashby with the key').waitFor();

    const log = await sandbox.admin('/admin/requests');
    const calls = (log.requests ?? log).filter((r) => r.endpoint === 'apiKey.info');
    assert.deepEqual(calls.map((r) => r.status), [403, 200], 'the bad key was refused, the good one accepted');
    await popup.close();
  });

  test('the options page renders and Disconnect forgets the key', async () => {
    const options = await browser.openExtensionPage('options/index.html');
    await options.getByText('Connected to Ashby with the key').waitFor();
    await options.getByRole('button', { name: 'Disconnect' }).click();
    await options.getByText(/Disconnected/).waitFor();
    const stored = await browser.worker().evaluate(() => chrome.storage.local.get(null));
    assert.equal(stored.ashbyApiKey, undefined);
    await options.close();
  });

  test('the content script adds "Send to Ashby" to a profile menu on Fetcher', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${FETCHER}/searches/search-eng-berlin?delay=0`);
    const firstCandidate = page.getByRole('article').first().getByRole('link').first();
    await firstCandidate.click(); // SPA navigation (pushState), no reload
    await page.getByRole('button', { name: 'More actions' }).click();
    const item = page.getByRole('menuitem', { name: 'Send to Ashby' });
    await item.waitFor();
    assert.equal(await page.getByRole('menuitem', { name: 'Send to Ashby' }).count(), 1);
    await item.click();
    // Not connected (the previous test disconnected): the recruiter is told how to connect.
    await page.getByText(/Connect Ashby first/).waitFor();
    await page.close();
  });
});

// The content script's wasm travels inside its glue (.ci/classic-glue.mjs), so nothing is
// fetched when a Fetcher page loads and nothing of it is web-accessible. The browsers decode it
// with Uint8Array.fromBase64 (every test above loads it so); older ones fall back to atob, which
// Node (without fromBase64) runs here.
describe('the content script package', () => {
  test('the glue carries the wasm, and nothing of it is web-accessible', () => {
    assert.deepEqual(readdirSync(path.join(DIST, 'content')), ['content.js']);
    const manifest = JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8'));
    const shared = (manifest.web_accessible_resources ?? []).flatMap((entry) => entry.resources);
    assert.deepEqual(shared.filter((resource) => resource.startsWith('content/')), []);

    const glue = readFileSync(path.join(DIST, 'content', 'content.js'), 'utf8');
    const literal = /^const wasm_base64 =\n"([A-Za-z0-9+/=]+)";$/m.exec(glue)?.[1];
    assert.ok(literal, 'the embedded wasm, on its own line');
    const context = vm.createContext({ atob, TextDecoder, TextEncoder });
    vm.runInContext(glue, context);
    assert.equal(vm.runInContext('typeof Uint8Array.fromBase64', context), 'undefined', 'the fallback is what runs here');
    const bytes = context.fetcherAshbyContent.wasm_bytes();
    assert.deepEqual(Buffer.from(bytes), Buffer.from(literal, 'base64'));
    assert.ok(WebAssembly.validate(Buffer.from(bytes)), 'a valid wasm module');
  });
});
