// Worker cold start: from a message sent to a stopped service worker to its reply, timed in an
// extension page (performance.now() around chrome.runtime.sendMessage). The worker is stopped
// through CDP (`ServiceWorker.stopAllWorkers`, as Chrome stops an idle worker); a `Ping`
// afterwards checks a new worker instance answered. Called by bench.mjs; figures only.
import { KEYS, launchBrowser, sendFromPage, startSandbox } from '../e2e/harness.mjs';

function quantile(values, q) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : '–');

/** ms for one message round trip from `page`. */
function roundTrip(page, message) {
  return page.evaluate(async (m) => {
    const started = performance.now();
    await chrome.runtime.sendMessage(m);
    return performance.now() - started;
  }, message);
}

export async function workerStartTimings({ runs = Number(process.env.BENCH_RUNS ?? 50) } = {}) {
  const sandbox = await startSandbox();
  const browser = await launchBrowser(sandbox);
  try {
    const page = await browser.openExtensionPage('manifest.json');
    const connected = await sendFromPage(page, { type: 'Connect', apiKey: KEYS.full });
    if (!connected.connected) throw new Error(`connect failed: ${JSON.stringify(connected)}`);
    const cold = { ping: [], status: [] };
    const warm = { ping: [], status: [] };
    let notRestarted = 0;
    for (let run = 0; run < runs; run += 1) {
      for (const [kind, message] of [['ping', { type: 'Ping' }], ['status', { type: 'ConnectionStatus' }]]) {
        const before = (await sendFromPage(page, { type: 'Ping' })).startedAt;
        warm[kind].push(await roundTrip(page, message));
        await browser.stopWorkers();
        cold[kind].push(await roundTrip(page, message));
        if (!((await sendFromPage(page, { type: 'Ping' })).startedAt > before)) notRestarted += 1;
      }
    }
    return { runs, cold, warm, notRestarted };
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}

/** The BENCHMARKS.md section. */
export function workerStartSection(r, machine) {
  if (r.error) return `## Worker cold start (issue #15)\n\n_Not measured in this run: ${r.error}_\n`;
  const row = (label, values) => `| ${label} | ${fmt(quantile(values, 0.5))} | ${fmt(quantile(values, 0.95))} | ${values.length} |`;
  return `## Worker cold start (issue #15)

${machine}
Code: \`tests/bench/worker-start.mjs\`. Production \`dist/\`, headless Chromium, connected. From an
extension page, \`performance.now()\` around \`chrome.runtime.sendMessage\`; "stopped" means the
worker was stopped through CDP \`ServiceWorker.stopAllWorkers\` right before (as Chrome stops an
idle worker), so the time includes starting the worker, instantiating its wasm and its answer.

| measure | median | p95 | samples |
|---|---:|---:|---:|
${row('**stopped worker: `Ping` → reply**', r.cold.ping)}
${row('**stopped worker: `ConnectionStatus` → reply**', r.cold.status)}
${row('running worker: `Ping` → reply', r.warm.ping)}
${row('running worker: `ConnectionStatus` → reply', r.warm.status)}

${r.notRestarted ? `${r.notRestarted} stops did not restart the worker (its \`startedAt\` did not change).` : 'Every stop started a new worker instance (checked by `Ping`\'s `startedAt`).'}
`;
}
