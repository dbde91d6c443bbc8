// Popup with a large job cache: open → interactive, and the "Ashby job" combobox's filter per
// keystroke, on the production dist/ in headless Chromium against the sandbox seeded with
// many jobs. Called by bench.mjs; returns a BENCHMARKS.md section. Figures only, no asserts
// on time.
import { FETCHER, KEYS, launchBrowser, sendFromPage, startSandbox } from '../e2e/harness.mjs';

const SEARCH = { id: 'search-eng-berlin', title: 'Senior Backend Engineer – Berlin' };
/** Typed one character at a time; every prefix is one measured keystroke. */
const QUERY = 'software engineer berlin';

function quantile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const fmt = (ms) => `${ms.toFixed(1)} ms`;

/**
 * In the popup, from its first script on: types "e" into the first enabled "Ashby job"
 * combobox as soon as it exists, and resolves `window.__interactive` with the time (ms since
 * navigation start) at which options (from the cached jobs) are listed.
 */
function watchInteractive() {
  window.__interactive = new Promise((resolve) => {
    let typed = false;
    const check = () => {
      const input = document.querySelector('input[role="combobox"]:not([disabled])');
      if (input && !typed) {
        typed = true;
        input.value = 'e';
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      if (typed && document.querySelector('[role="option"]')) {
        resolve(performance.now());
        return true;
      }
      return false;
    };
    const start = () => {
      if (check()) return;
      const observer = new MutationObserver(() => {
        if (check()) observer.disconnect();
      });
      observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
    };
    if (document.documentElement) start();
    else document.addEventListener('readystatechange', start, { once: true });
  });
}

/** Types QUERY into the combobox, one character per keystroke; ms per keystroke until the DOM
 * is updated (Leptos renders in microtasks, so a following macrotask sees the result). */
function typeQuery(query) {
  const input = document.querySelector('input[role="combobox"]:not([disabled])');
  const afterMicrotasks = () => new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  });
  return (async () => {
    const times = [];
    const counts = [];
    for (let i = 1; i <= query.length; i += 1) {
      const t0 = performance.now();
      input.value = query.slice(0, i);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await afterMicrotasks();
      times.push(performance.now() - t0);
      counts.push(document.querySelectorAll('[role="option"]').length);
    }
    return { times, counts };
  })();
}

export async function popupJobsBench({ runs = 30, jobs = 2000, machine = '' } = {}) {
  const sandbox = await startSandbox(['--jobs', String(jobs)]);
  const browser = await launchBrowser(sandbox);
  try {
    const page = await browser.openExtensionPage('manifest.json');
    const connected = await sendFromPage(page, { type: 'Connect', apiKey: KEYS.full });
    if (!connected.connected) throw new Error(`connect failed: ${JSON.stringify(connected)}`);
    // A search seen on Fetcher, so the popup lists it with its combobox.
    const fetcher = await browser.context.newPage();
    await fetcher.goto(`${FETCHER}/searches/${SEARCH.id}?delay=0&account=jane%40agency.com`);
    for (let i = 0; ; i += 1) {
      const seen = await page.evaluate((key) => chrome.storage.local.get(key), `search/${SEARCH.id}`);
      if (seen[`search/${SEARCH.id}`]) break;
      if (i > 100) throw new Error('the search was never recorded');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await fetcher.close();
    // Fill the cache: a full listing of every job (department names included).
    const fullStart = Date.now();
    const listed = await sendFromPage(page, { type: 'ListJobs', refresh: true });
    const fullRefreshMs = Date.now() - fullStart;
    if (listed.type !== 'Jobs' || listed.jobs.length < jobs * 0.5) {
      throw new Error(`job cache not filled: ${listed.type} ${listed.jobs?.length}`);
    }
    // An incremental refresh right after: nothing changed, so only the changes are asked for.
    const syncStart = Date.now();
    await sendFromPage(page, { type: 'ListJobs', refresh: true });
    const syncRefreshMs = Date.now() - syncStart;
    await page.close();

    const interactive = [];
    const interactiveCold = [];
    const keystrokes = [];
    let optionCounts = [];
    for (let run = 0; run < runs; run += 1) {
      // Every run twice: with the worker running, then with it stopped (as Chrome stops an
      // idle worker), so the popup's first answers wait for a worker start.
      for (const cold of [false, true]) {
        if (cold) {
          await browser.stopWorkers();
        } else {
          // "Running" means up and answering: the worker woken by the previous (cold) opening
          // may still be starting. Asked from a page closed again, so the cold runs still
          // open the popup with no extension page open, as before.
          const awake = await browser.openExtensionPage('manifest.json');
          await sendFromPage(awake, { type: 'Ping' });
          await awake.close();
        }
        const popup = await browser.context.newPage();
        await popup.addInitScript(watchInteractive);
        await popup.goto(browser.url('popup/index.html'));
        (cold ? interactiveCold : interactive).push(await popup.evaluate(() => window.__interactive));
        if (!cold) {
          const { times, counts } = await popup.evaluate(typeQuery, QUERY);
          keystrokes.push(...times);
          optionCounts = counts;
        }
        await popup.close();
      }
    }
    return `## Popup with ${listed.jobs.length.toLocaleString('en')} cached jobs (headless Chromium, ${runs} runs)

${machine}
Sandbox started with \`--jobs ${jobs}\` (${listed.jobs.length.toLocaleString('en')} of them open or draft, so cached);
the popup lists one Fetcher search with its "Ashby job" combobox. Code: \`tests/bench/popup-jobs.mjs\`.
Each run opens the popup twice: with the worker running (it has just answered a \`Ping\`, so
it is up, not still starting), then with it stopped through CDP, as Chrome stops an idle
worker (no extension page is open meanwhile, so nothing else keeps the extension running).

| measure | median | p95 |
|---|---:|---:|
| **popup navigation start → "Ashby job" lists cached jobs for a typed "e"** (worker running) | ${fmt(quantile(interactive, 0.5))} | ${fmt(quantile(interactive, 0.95))} |
| **the same, worker stopped before the popup opens** (cold start included) | ${fmt(quantile(interactiveCold, 0.5))} | ${fmt(quantile(interactiveCold, 0.95))} |
| one keystroke in "Ashby job" → options re-rendered (${keystrokes.length} keystrokes typing "${QUERY}") | ${fmt(quantile(keystrokes, 0.5))} | ${fmt(quantile(keystrokes, 0.95))} |

Options shown after each keystroke of the last run (at most 50 are rendered):
${optionCounts.join(', ')}. Filling the cache (full \`job.list\` of every page + \`department.list\`,
through the worker): ${fullRefreshMs} ms; an incremental \`syncToken\` refresh right after:
${syncRefreshMs} ms (once each, not a distribution).
`;
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}
