// Shared set-up for the end-to-end suites: the Ashby sandbox (which also serves the fake
// Fetcher site) and headless Chromium with the production dist/ loaded, where
// api.ashbyhq.com and app.fetcher.ai resolve to the sandbox on loopback.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = process.env.FETCHER_ASHBY_DIST ?? path.join(ROOT, 'dist');
const SANDBOX_BIN = process.env.ASHBY_SANDBOX_BIN ?? path.join(ROOT, 'target/debug/ashby-sandbox');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/lib/chromium/chromium';

export const FETCHER = 'https://app.fetcher.ai';
export const KEYS = {
  full: 'sandbox-key-full',
  readonly: 'sandbox-key-readonly',
  disabled: 'sandbox-key-disabled',
};

/**
 * The fake Fetcher variants a suite runs on: query strings for the fake site (see
 * tests/fixtures/fetcher/README.md). Two per run, differing in every dimension the page model
 * allows to vary (how names are given, how the ⋮ menu exists, timing), each with a random
 * seed for the rest. They are in the test names, so a failure shows the one to replay:
 * FETCHER_VARIANT='seed=…&names=…&menu=…&delay=…' runs exactly that one.
 */
export function fetcherVariants() {
  if (process.env.FETCHER_VARIANT) return [process.env.FETCHER_VARIANT];
  const seed = () => Math.random().toString(36).slice(2, 10);
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  return [
    `seed=${seed()}&delay=0&names=${pick(['labelledby', 'hidden', 'title'])}&menu=${pick(['inline', 'portal', 'body'])}`,
    `seed=${seed()}&delay=${pick([25, 60])}&names=mixed&menu=persistent`,
  ];
}

/** A fake Fetcher URL for `path` in `variant` (a query string from `fetcherVariants`). */
export function fetcherUrl(variant, path) {
  return `${FETCHER}${path}${path.includes('?') ? '&' : '?'}${variant}`;
}

/** Starts the sandbox on ephemeral ports; resolves once it printed its ports. */
export async function startSandbox(extraArgs = []) {
  const child = spawn(SANDBOX_BIN, ['--fetcher-root', path.join(ROOT, 'tests/fixtures/fetcher'), ...(process.env.SANDBOX_VERBOSE ? [] : ['--quiet']), ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`ashby-sandbox exited early (${code})`)));
  });
  const info = JSON.parse(firstLine);
  const adminUrl = `http://127.0.0.1:${info.admin}`;
  return {
    ...info,
    async admin(route, body) {
      const response = await fetch(`${adminUrl}${route}`, body === undefined
        ? {}
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`admin ${route}: ${response.status} ${await response.text()}`);
      const text = await response.text();
      return text ? JSON.parse(text) : null;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    },
  };
}

/**
 * The fake site's seed for pages loaded without one (its variant comes from it), printed once
 * per test file; FETCHER_SEED=… replays it.
 */
export const RUN_SEED = process.env.FETCHER_SEED ?? Math.random().toString(36).slice(2, 10);
console.log(`fake Fetcher: pages without ?seed= use FETCHER_SEED=${RUN_SEED}`);

/** Launches Chromium with the extension, in a fresh profile unless one is given. */
export async function launchBrowser(sandbox, { profileDir } = {}) {
  const userDataDir = profileDir ?? (await mkdtemp(path.join(tmpdir(), 'fetcher-ashby-profile-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      `--disable-extensions-except=${DIST}`,
      `--load-extension=${DIST}`,
      `--host-resolver-rules=MAP api.ashbyhq.com 127.0.0.1:${sandbox.ashby}, MAP app.fetcher.ai 127.0.0.1:${sandbox.fetcher}, EXCLUDE localhost`,
      `--ignore-certificate-errors-spki-list=${sandbox.spki}`,
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  await context.addInitScript((seed) => {
    if (location.hostname === 'app.fetcher.ai') window.__fakeFetcherSeed = seed;
  }, RUN_SEED);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    extensionId,
    userDataDir,
    url: (page) => `chrome-extension://${extensionId}/${page}`,
    /** The current worker (a stopped worker is replaced by a new one when woken). */
    worker: () => context.serviceWorkers().find((w) => w.url().includes(extensionId)),
    async openExtensionPage(page) {
      const tab = await context.newPage();
      await tab.goto(`chrome-extension://${extensionId}/${page}`);
      return tab;
    },
    /** Stops every service worker, as Chrome does to an idle worker. */
    async stopWorkers() {
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await cdp.detach();
    },
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile) await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Sends a message to the worker from an extension page, as the popup does. */
export function sendFromPage(page, message) {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

// ---- The Send dialog ------------------------------------------------------------------------
// It is an extension page framed into the Fetcher tab inside a CLOSED shadow root: the page's
// DOM does not lead to it (that is the point), so tests find it in the browser's frame tree.

const SEND_PAGE = /^chrome-extension:\/\/[^/]+\/send\/index\.html/;

/** The open Send dialog's frame in `page`, or undefined. */
export function sendFrame(page) {
  return page.frames().find((frame) => SEND_PAGE.test(frame.url()));
}

/** Waits for the Send dialog in `page`; resolves to `{ frame, dialog }` (dialog: a locator). */
export async function sendDialog(page, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const frame = sendFrame(page);
    if (frame) {
      const dialog = frame.getByRole('dialog', { name: 'Send to Ashby' });
      await dialog.waitFor({ timeout: Math.max(1000, deadline - Date.now()) });
      return { frame, dialog };
    }
    if (Date.now() > deadline) throw new Error('the Send dialog never opened');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Does `action` (a click or key press inside the Send dialog that closes it) and waits until the
 * frame is gone. The dialog is an out-of-process frame: when the input removes it, Chromium may
 * never acknowledge that input, and Playwright then waits for the acknowledgement forever (a key
 * press has no timeout). So the action is not awaited past the frame's removal; if it never
 * closes the dialog, `sendDialogClosed` fails with its own message.
 */
export async function closeSendDialogBy(page, action) {
  let failure;
  const acted = action().catch((error) => { failure = error; });
  try {
    await sendDialogClosed(page);
  } catch (error) {
    throw failure ?? error;
  }
  await Promise.race([acted, new Promise((resolve) => setTimeout(resolve, 1000))]);
}

/** Waits until the Send dialog's frame is gone from `page`. */
export async function sendDialogClosed(page, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  while (sendFrame(page)) {
    if (Date.now() > deadline) throw new Error('the Send dialog never closed');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
