// Set-up for the Firefox suite: Debian's Firefox ESR driven over WebDriver BiDi (puppeteer-core,
// which never downloads a browser), with the Firefox store package that `.ci/build` produces
// installed as a temporary add-on, against the same Ashby sandbox and fake Fetcher site as the
// Chromium suite (`../e2e/harness.mjs` starts them).
//
// Firefox has no host-resolver flag, so the production hosts reach the sandbox through a tiny
// HTTP CONNECT proxy on loopback (Firefox's proxy prefs): it tunnels api.ashbyhq.com:443 and
// app.fetcher.ai:443 to the sandbox's ports and refuses everything else, so nothing in the test
// reaches the internet, no port 443 is needed and parallel runs do not collide. TLS stays end
// to end (the sandbox's self-signed cert, accepted by `acceptInsecureCerts`).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { ROOT, RUN_SEED } from '../e2e/harness.mjs';

export { FETCHER, KEYS, startSandbox } from '../e2e/harness.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/lib/firefox-esr/firefox-esr';

/** The newest Firefox package in target/ (or $FETCHER_ASHBY_FIREFOX_ZIP). */
export function firefoxPackage() {
  if (process.env.FETCHER_ASHBY_FIREFOX_ZIP) return process.env.FETCHER_ASHBY_FIREFOX_ZIP;
  const dir = path.join(ROOT, 'target');
  const zips = readdirSync(dir)
    .filter((name) => /^fetcher-ashby-.*-firefox\.zip$/.test(name))
    .map((name) => path.join(dir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!zips.length) throw new Error('no target/fetcher-ashby-*-firefox.zip: run bash .ci/build');
  return zips[0];
}

/** The package's manifest (its gecko id, host permissions). */
export function packageManifest(zip) {
  return JSON.parse(execFileSync('unzip', ['-p', zip, 'manifest.json'], { encoding: 'utf8' }));
}

/** A CONNECT proxy that tunnels only the two production hosts to the sandbox. */
async function startHostRouter(sandbox) {
  const routes = { 'api.ashbyhq.com:443': sandbox.ashby, 'app.fetcher.ai:443': sandbox.fetcher };
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    res.writeHead(403).end('plain HTTP is not routed');
  });
  server.on('connect', (req, client, head) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.on('error', () => {});
    const port = routes[req.url];
    if (!port) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => { sockets.delete(upstream); client.destroy(); });
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check()` returns a truthy value (polling), or fails after `ms`. */
export async function until(what, check, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * Launches Firefox ESR with the Firefox package installed (a temporary add-on) and its
 * moz-extension UUID pinned, so the tests can open its pages.
 */
export async function launchFirefox(sandbox) {
  const zip = firefoxPackage();
  const manifest = packageManifest(zip);
  const geckoId = manifest.browser_specific_settings.gecko.id;
  const uuid = randomUUID();
  const router = await startHostRouter(sandbox);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    acceptInsecureCerts: true,
    // Lets the remote agent open extension pages and reach the chrome context (below).
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: uuid }),
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': router.port,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': router.port,
      'network.proxy.no_proxies_on': '',
      // Test-only: `permissions.request` grants without the doorhanger a recruiter would answer.
      'extensions.webextOptionalPermissionPrompts': false,
    },
  });
  await browser.installExtension(zip);
  const origin = `moz-extension://${uuid}/`;

  /** Runs `expression` (an async function body) in Firefox's privileged chrome context. */
  async function chromeEval(body) {
    const { result: { contexts } } = await browser.connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
    const { result } = await browser.connection.send('script.evaluate', {
      expression: `(async () => { ${body} })()`,
      target: { context: contexts[0].context },
      awaitPromise: true,
    });
    if (result.type !== 'success') throw new Error(`chrome context: ${JSON.stringify(result.exceptionDetails ?? result)}`);
    return result.result?.value;
  }

  return {
    browser,
    geckoId,
    origin,
    url: (page) => `${origin}${page}`,
    /** A new tab at a web URL. */
    /**
     * A new tab at `url`. Fake Fetcher pages loaded without ?seed= take the run's seed (as in
     * the Chromium suite), so the variant a failure met is replayed with FETCHER_SEED=….
     */
    async openPage(url) {
      const page = await browser.newPage();
      await page.evaluateOnNewDocument((seed) => {
        if (location.hostname === 'app.fetcher.ai') window.__fakeFetcherSeed = seed;
      }, RUN_SEED);
      await page.goto(url);
      return page;
    },
    /**
     * A new tab with one of the extension's pages. Firefox's remote agent never reports an
     * extension page's navigation as finished, so `goto` is not awaited: the page is polled.
     */
    async openExtensionPage(page) {
      const tab = await browser.newPage();
      const target = `${origin}${page}`;
      tab.goto(target).catch(() => {});
      // Polled by hand: an evaluation that meets the navigation half-way fails, and is retried.
      await until(`${page} to load`, () => tab
        .evaluate((url) => location.href === url && document.readyState === 'complete', target)
        .catch(() => false), 30_000);
      return tab;
    },
    /**
     * Unloads the event page as Firefox does when it is idle (`Extension.terminateBackground`,
     * what Firefox's idle timer calls), even while a request is in flight. Resolves once it is
     * stopped.
     */
    async terminateBackground() {
      return chromeEval(`
        const extension = WebExtensionPolicy.getByID(${JSON.stringify(geckoId)}).extension;
        await extension.terminateBackground({ ignoreDevToolsAttached: true });
        return String(extension.backgroundState);`);
    },
    /** The event page's state: "running", "stopped", … */
    async backgroundState() {
      return chromeEval(`
        return String(WebExtensionPolicy.getByID(${JSON.stringify(geckoId)}).extension.backgroundState);`);
    },
    /** Errors Firefox logged for the extension (extension pages' consoles do not reach BiDi). */
    async extensionErrors() {
      return chromeEval(`
        return Services.console.getMessageArray()
          .filter((m) => m instanceof Ci.nsIScriptError && !(m.flags & Ci.nsIScriptError.warningFlag))
          .map((m) => m.sourceName + ': ' + m.errorMessage)
          .filter((line) => line.includes(${JSON.stringify(uuid)}))
          .join('\\n');`);
    },
    async close() {
      await browser.close();
      await router.stop();
    },
  };
}

/** Sends a message to the worker from an extension page, as the popup does. */
export function sendFromPage(page, message) {
  return page.evaluate((m) => browser.runtime.sendMessage(m), message);
}

/** Both storage areas the worker writes, read from an extension page. */
export function storage(page) {
  return page.evaluate(async () => ({
    local: await browser.storage.local.get(null),
    session: await browser.storage.session.get(null),
  }));
}

// ---------------------------------------------------------------- finding by role and name
// The tests find elements the way a screen reader does (role + accessible name), through open
// shadow roots, as the Chromium suite does with Playwright's getByRole.

/**
 * The visible elements with `role` whose accessible name matches `name` (a string is an exact
 * match, a RegExp a search), inside `scope` (an element handle) or the whole page.
 */
async function findByRole(page, role, name, scope) {
  const pattern = name instanceof RegExp ? { source: name.source, flags: name.flags } : name;
  const handle = await page.evaluateHandle(
    (root, role, pattern) => {
      const implicit = {
        button: 'button, input[type=button], input[type=submit]',
        link: 'a[href]',
        checkbox: 'input[type=checkbox]',
        textbox: 'input:not([type]), input[type=text], input[type=password], input[type=email], input[type=search], textarea',
        spinbutton: 'input[type=number]',
        combobox: 'select',
        heading: 'h1, h2, h3, h4, h5, h6',
        dialog: 'dialog',
        option: 'option',
        listitem: 'li',
        region: 'section[aria-label], section[aria-labelledby]',
      };
      const selector = `[role="${role}"]${implicit[role] ? `, ${implicit[role]}` : ''}`;
      const all = [];
      const walk = (node) => {
        for (const element of node.querySelectorAll('*')) {
          if (element.matches(selector)) {
            const explicit = element.getAttribute('role');
            if (!explicit || explicit === role) all.push(element);
          }
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(root ?? document);
      const squash = (value) => value.replace(/\s+/g, ' ').trim();
      const text = (element) => squash(element.textContent ?? '');
      // Name from content, as accname computes it: aria-hidden subtrees (icons) add nothing;
      // visually hidden text (an sr-only span) counts.
      const contentText = (node) => {
        if (node.nodeType === Node.TEXT_NODE) return node.data;
        if (node.nodeType !== Node.ELEMENT_NODE || node.getAttribute('aria-hidden') === 'true') return '';
        return [...node.childNodes].map(contentText).join('');
      };
      const nameOf = (element) => {
        const label = element.getAttribute('aria-label');
        if (label) return label.trim();
        const ids = element.getAttribute('aria-labelledby');
        if (ids) {
          const home = element.getRootNode();
          return ids.split(/\s+/).map((id) => home.getElementById?.(id) ?? home.querySelector(`#${CSS.escape(id)}`))
            .filter(Boolean).map(text).join(' ');
        }
        if (element.labels?.length) return [...element.labels].map(text).join(' ');
        const fromContent = element.matches('input, textarea, select')
          ? element.getAttribute('placeholder') ?? ''
          : squash(contentText(element));
        return fromContent || squash(element.getAttribute('title') ?? '');
      };
      const matches = (value) => typeof pattern === 'string'
        ? value === pattern
        : new RegExp(pattern.source, pattern.flags).test(value);
      const visible = (element) => element.getClientRects().length > 0;
      return all.filter((element) => visible(element) && (pattern === undefined || matches(nameOf(element))));
    },
    scope ?? null,
    role,
    pattern,
  );
  const properties = await handle.getProperties();
  await handle.dispose();
  return [...properties.values()].map((p) => p.asElement()).filter(Boolean);
}

/** Waits for the first element with `role` and `name` (see `findByRole`) and returns it. */
export async function byRole(page, role, name, { scope, timeout = 30_000 } = {}) {
  let found;
  await until(`${role} ${name ?? ''}`, async () => {
    found = (await findByRole(page, role, name, scope))[0];
    return found;
  }, timeout);
  return found;
}

/** How many elements with `role` and `name` are visible now. */
export async function countByRole(page, role, name, scope) {
  return (await findByRole(page, role, name, scope)).length;
}

/** The element's text, whitespace collapsed. */
export function textOf(element) {
  return element.evaluate((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim());
}

/** Replaces an input's value by typing, as a recruiter would. */
export async function fill(input, value) {
  await input.click({ count: 3 });
  await input.evaluate((e) => e.select?.());
  await input.type(value);
}

/**
 * Every "Ashby upload status" on the page (they live in shadow roots), with the text of the
 * card (or, outside cards, the page) that shows it.
 */
export function uploadStatuses(page) {
  return page.evaluate(() => {
    const found = [];
    const walk = (root) => {
      for (const element of root.querySelectorAll('*')) {
        if (element.getAttribute('role') === 'status' && element.getAttribute('aria-label') === 'Ashby upload status') {
          let host = element;
          while (host.getRootNode() instanceof ShadowRoot) host = host.getRootNode().host;
          const owner = host.closest('article, [role=article]') ?? document.body;
          const text = (e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim();
          found.push({ owner: text(owner), text: text(element) });
        }
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return found;
  });
}
