// Bench (issue #6): a batch of new candidates drained by automation through the production
// build against the sandbox with per-call latency, compared with the two lower bounds (the
// minimal call count made one at a time, and the runner's rate limit), plus the worker's memory.
// Reports figures only; nothing here is asserted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FETCHER, KEYS, ROOT, launchBrowser, sendFromPage, startSandbox } from '../e2e/harness.mjs';

/** src/upload/runner.rs RunnerConfig::default(). */
export const RUNNER_RATE = { callsPerMinute: 300, burst: 20 };
/**
 * Automatic uploads one search gets within 10 minutes before automation's brake pauses it
 * until the recruiter resumes it (src/automation/brake.rs MAX_UPLOADS_IN_WINDOW, issue #13).
 */
export const BRAKE_LIMIT = 50;
/**
 * The drain's searches: 100 new candidates as 50 in each of two searches, each search's
 * automation uploading to its own job. The brake counts per search, so neither is paused and
 * the bench keeps the safety feature on. `skip`: cards of earlier batches, seen before
 * automation is turned on: the fake site numbers its generated candidates per search
 * (`gen-<n>`, the same person in every search), so the second search's new candidates start
 * past the first's and all 100 are different people.
 */
export const DRAIN_SEARCHES = [
  { id: 'search-eng-berlin', job: 'Senior Backend Engineer', count: BRAKE_LIMIT, skip: 0 },
  { id: 'search-platform-remote', job: 'Staff Platform Engineer', count: BRAKE_LIMIT, skip: BRAKE_LIMIT },
];

/** BENCH_DRAIN_SAMPLES=1: also sample the worker's memory every ~3 s during the drain. */
const SAMPLE_DURING_DRAIN = process.env.BENCH_DRAIN_SAMPLES === '1';

/** Progress on stderr (BENCHMARKS.md gets stdout): where a slow or stuck run is. */
const began = Date.now();
const progress = (what) => console.error(`drain bench +${((Date.now() - began) / 1000).toFixed(1)} s: ${what}`);

async function until(what, check, ms, every = 250) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

/**
 * The service worker's JS heap (Runtime.getHeapUsage) and the byte length of every
 * WebAssembly.Memory in its heap (Runtime.queryObjects on WebAssembly.Memory.prototype), read
 * over CDP: a page session finds the worker target and talks to it through
 * Target.sendMessageToTarget, so production code needs no hook.
 */
export async function workerMemory(browser, page) {
  // Attaching to a worker that is being replaced can leave a CDP call unanswered: a sample
  // that takes over 20 s is reported as not read, so no wait of the bench hangs on it.
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve({ error: 'no sample in 20 s' }), 20_000); });
  try {
    return await Promise.race([sampleWorkerMemory(browser, page), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function sampleWorkerMemory(browser, page) {
  const cdp = await browser.context.newCDPSession(page);
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.includes(browser.extensionId));
    if (!target) return { error: 'no service worker target' };
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
    let nextId = 1;
    const pending = new Map();
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== sessionId) return;
      const message = JSON.parse(event.message);
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${message.error.message}`));
      else waiter.resolve(message.result);
    });
    const send = (method, params = {}) => new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      // A worker replaced meanwhile never answers: the sample is skipped, not waited for.
      setTimeout(() => pending.delete(id) && reject(new Error(`${method}: no answer in 10 s`)), 10_000);
      cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
    });
    try {
      await send('Runtime.enable');
      await send('HeapProfiler.collectGarbage').catch(() => {});
      const heap = await send('Runtime.getHeapUsage');
      const proto = await send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
      const { objects } = await send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
      const lengths = await send('Runtime.callFunctionOn', {
        objectId: objects.objectId,
        functionDeclaration: 'function () { return this.map((m) => m.buffer.byteLength); }',
        returnByValue: true,
      });
      return { usedHeap: heap.usedSize, totalHeap: heap.totalSize, wasm: lengths.result.value };
    } finally {
      await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    }
  } catch (error) {
    return { error: String(error.message ?? error) };
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** Ashby calls the pipeline needs at least for a new candidate: one search per email, one name
 * search when a LinkedIn or GitHub link allows matching by it, create, application, note. */
function minimalCalls(emails, hasProfileLink) {
  return emails + (hasProfileLink ? 1 : 0) + 3;
}

/** The fake site's batch order for a search (data pool, then gen-<n>), with what the card
 * shows: the `count` candidates added after the first `skip`. */
function batchPlan(searchId, count, skip = 0) {
  const data = JSON.parse(readFileSync(path.join(ROOT, 'tests/fixtures/fetcher/data/searches', `${searchId}.json`), 'utf8'));
  // A card shows the primary email and no links, so a candidate read from its card is looked
  // up by that email alone; a name-only card is read from its profile (every email and link).
  const minimal = (cardEmail, emails, links) => (cardEmail ? minimalCalls(1, false) : minimalCalls(emails, links));
  const shown = new Set(data.candidates.map((c) => c.id));
  const plan = data.pool.filter((c) => !shown.has(c.id)).map((c) => {
    const cardEmail = c.cardContact !== false;
    return { id: c.id, search: searchId, cardEmail, emails: c.emails.length, minimal: minimal(cardEmail, c.emails.length, c.links.some((l) => /^(LinkedIn|GitHub)$/.test(l.label))) };
  });
  // app.js synth(n): one email, LinkedIn and GitHub; every fourth card shows no email.
  for (let n = 1; plan.length < skip + count; n += 1) {
    plan.push({ id: `gen-${n}`, search: searchId, cardEmail: n % 4 !== 0, emails: 1, minimal: minimal(n % 4 !== 0, 1, true) });
  }
  return plan.slice(skip, skip + count);
}

/** addBatch takes at most 50 at a time: chunks started together, in one go. */
async function addCards(page, count) {
  return page.evaluate(async (n) => {
    const chunks = [];
    for (let left = n; left > 0; left -= 50) chunks.push(Math.min(50, left));
    return (await Promise.all(chunks.map((c) => window.fetcherDemo.addBatch(c)))).flat();
  }, count);
}

/** Waits until the worker has recorded every one of these cards (its automation history). */
async function recorded(popup, searchId, ids) {
  // The search's owner too: only its owner may save automation, and the page may report it
  // after the first cards (as the e2e automation tests wait for it).
  await until(`${ids.length} cards of ${searchId} and its owner to be recorded`, async () => {
    const local = await popup.evaluate(() => chrome.storage.local.get(null));
    return local[`search/${searchId}`]?.ownerEmail && ids.every((id) => local[`history/${searchId}/${id}`]);
  }, 60_000);
}

/** What the cards of the candidates that never got their application say (for a timeout). */
async function unfinished(popup, plan, landedEmails) {
  const local = await popup.evaluate(() => chrome.storage.local.get(null));
  const counts = {};
  for (const p of plan) {
    const record = local[`upload/${p.search}/${p.id}`];
    const entry = Object.entries(local).find(([k]) => k.startsWith(`outbox/${p.search}/${p.id}/`))?.[1];
    if (record?.status === 'Sent' && landedEmails) continue;
    const what = `${record?.status ?? 'no record'}${record?.error ? ` (${JSON.stringify(record.error)})` : ''}, entry ${entry?.state ?? 'none'}${entry && !entry.candidate?.emails?.length ? ' without email' : ''}`;
    (counts[what] ??= []).push(`${p.search}/${p.id}`);
  }
  const summary = Object.entries(counts).map(([what, ids]) => `${ids.length}× ${what}: ${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}`).join('; ');
  // The stored state of the first few stuck ones, whole: what the runner would read.
  const stuck = plan.filter((p) => !(local[`upload/${p.search}/${p.id}`]?.status === 'Sent' && landedEmails)).slice(0, 3);
  const dump = stuck.map((p) => JSON.stringify(Object.fromEntries(Object.entries(local)
    .filter(([k]) => k.includes(`/${p.id}`) && k.includes(p.search)))));
  const runner = JSON.stringify(Object.fromEntries(Object.entries(local).filter(([k]) => /^outbox\/(index|prunedAt|paused|rate|connection)$/.test(k) || k === 'outbox')));
  return `${summary}\nstored: ${dump.join('\n')}\nrunner keys: ${runner}`;
}

/**
 * Connects; per search, opens its page, records the cards already there (and `skip` more),
 * saves "All new candidates" automation to the search's job; sets the sandbox latency; adds
 * each search's `count` candidates at once (all searches together) and opens the profiles of
 * those whose cards show no email (in another tab); then waits until every application landed.
 */
export async function automationDrain({ searches = DRAIN_SEARCHES, latencyMs = 50, timeoutMs = Number(process.env.BENCH_DRAIN_TIMEOUT_MS ?? 15 * 60_000) } = {}) {
  const sandbox = await startSandbox();
  const browser = await launchBrowser(sandbox);
  const memory = [];
  try {
    const state = await sandbox.admin('/admin/state');
    const jobIds = searches.map((s) => {
      const job = state.jobs.find((j) => j.title === s.job && j.status === 'Open');
      if (!job) throw new Error(`no open job "${s.job}" in the sandbox`);
      return job.id;
    });
    if (new Set(jobIds).size !== jobIds.length) throw new Error('each search needs its own job');
    const applied = async () => {
      const apps = (await sandbox.admin('/admin/state')).applications;
      return jobIds.map((id) => apps.filter((a) => a.job?.id === id).length);
    };
    const seeded = await applied();
    const popup = await browser.openExtensionPage('popup/index.html');
    const connected = await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full });
    if (connected.type !== 'Connection') throw new Error(`connect: ${JSON.stringify(connected)}`);
    progress('connected');
    const pages = [];
    for (const [i, s] of searches.entries()) {
      const page = await browser.context.newPage();
      await page.goto(`${FETCHER}/searches/${s.id}?delay=0`);
      await page.evaluate(() => window.fetcherDemo.ready());
      const first = (await page.evaluate(() => window.fetcherDemo.candidates())).map((c) => c.id);
      await recorded(popup, s.id, first);
      if (s.skip) {
        const earlier = await addCards(page, s.skip);
        await recorded(popup, s.id, earlier);
      }
      const saved = await sendFromPage(popup, {
        type: 'SaveAutomation',
        automation: { searchId: s.id, jobId: jobIds[i], enabled: true, trigger: 'AllNewCandidates', applicantLimit: null },
      });
      if (saved.type !== 'Searches') throw new Error(`save automation: ${JSON.stringify(saved)}`);
      pages.push(page);
      progress(`${s.id}: cards recorded, automation saved`);
    }
    await sandbox.admin('/admin/latency', { ms: latencyMs });
    await sandbox.admin('/admin/requests/clear', {});
    memory.push({ when: 'connected, idle, before the batch', ...(await workerMemory(browser, popup)) });

    const plans = searches.map((s) => batchPlan(s.id, s.count, s.skip));
    const plan = plans.flat();
    const count = plan.length;
    const startedAt = Date.now();
    // A service worker started during the drain is a restart (Chrome stopped the old one).
    const workerStarts = [];
    browser.context.on('serviceworker', (w) => {
      if (w.url().includes(browser.extensionId)) workerStarts.push(Date.now() - startedAt);
    });
    const added = await Promise.all(searches.map((s, i) => addCards(pages[i], s.count)));
    const cardsAt = Date.now();
    for (const [i, ids] of added.entries()) {
      if (JSON.stringify(ids) !== JSON.stringify(plans[i].map((p) => p.id))) {
        throw new Error(`the batch of ${searches[i].id} differs from the plan: ${ids.slice(0, 8).join(', ')}…`);
      }
    }
    progress(`${count} cards added`);
    // Name-only cards wait for their profile: open each, as the recruiter would.
    const profile = await browser.context.newPage();
    const nameOnly = plan.filter((p) => !p.cardEmail);
    for (const [i, p] of nameOnly.entries()) {
      const route = `/searches/${p.search}/candidates/${p.id}`;
      if (i === 0) await profile.goto(`${FETCHER}${route}?delay=0`);
      else await profile.evaluate((r) => window.fetcherDemo.navigate(r), route);
      await profile.evaluate(() => window.fetcherDemo.ready());
      // Leave the page only once the worker has the profile's details: the upload's entry
      // holds its email (a profile without one: the entry is there). Its card record alone
      // says "Queued" from the card already, so waiting for that left the first profile
      // before the content script had read it, and that candidate rightly waited for a
      // profile nobody stayed on.
      let lastEntry;
      await until(`${p.search}/${p.id}'s profile to reach its upload`, async () => {
        const local = await popup.evaluate(() => chrome.storage.local.get(null));
        const entry = Object.entries(local).find(([k]) => k.startsWith(`outbox/${p.search}/${p.id}/`))?.[1];
        lastEntry = entry;
        return entry && (p.emails === 0 || entry.candidate?.emails?.length > 0);
      }, 30_000, 50).catch((error) => {
        // Where the entry stood, so a stuck run says why (state, progress, last error).
        const where = lastEntry
          ? JSON.stringify({ state: lastEntry.state, emails: lastEntry.candidate?.emails?.length ?? 0, progress: lastEntry.progress, lastError: lastEntry.lastError })
          : 'no outbox entry';
        throw new Error(`${error.message}; profile ${i + 1} of ${nameOnly.length}; entry: ${where}`);
      });
    }
    const profilesDoneAt = Date.now();
    progress(`${nameOnly.length} profiles read`);

    let peakHeap = memory[0].usedHeap ?? 0;
    let samples = 0;
    const target = seeded.reduce((sum, n) => sum + n, 0) + count;
    try {
      await until(`${count} applications`, async () => {
        samples += 1;
        // Memory is sampled during the drain only with BENCH_DRAIN_SAMPLES=1: each sample
        // attaches CDP to the worker, which the throughput figure should not carry.
        if (SAMPLE_DURING_DRAIN && samples % 12 === 0) {
          const m = await workerMemory(browser, popup);
          if (m.usedHeap > peakHeap) peakHeap = m.usedHeap;
        }
        return (await applied()).reduce((sum, n) => sum + n, 0) >= target;
      }, timeoutMs);
    } catch (error) {
      const log = await sandbox.admin('/admin/requests');
      const byEndpoint = {};
      for (const r of log) byEndpoint[r.endpoint] = (byEndpoint[r.endpoint] ?? 0) + 1;
      const now = await applied();
      throw new Error(`${error.message}: ${now.map((n, i) => n - seeded[i]).join(' + ')} landed; ` +
        `calls ${JSON.stringify(byEndpoint)}; cards not sent: ${await unfinished(popup, plan, true)}`);
    }
    const polledDoneAt = Date.now();
    progress('every application landed');
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // anything queued behind shows
    const log = await sandbox.admin('/admin/requests');
    memory.push({ when: 'after the drain', ...(await workerMemory(browser, popup)) });
    if (SAMPLE_DURING_DRAIN) {
      memory.push({ when: 'highest JS heap used, sampled (same way) every ~3 s during the drain', usedHeap: peakHeap });
    }

    const byEndpoint = {};
    for (const r of log) byEndpoint[r.endpoint] = (byEndpoint[r.endpoint] ?? 0) + 1;
    const times = (endpoint) => log.filter((r) => r.endpoint === endpoint && r.status === 200).map((r) => Date.parse(r.time));
    const applyTimes = times('application.create');
    const finalApplied = await applied();
    const minimal = plan.reduce((sum, p) => sum + p.minimal, 0);
    const perMs = RUNNER_RATE.callsPerMinute / 60_000;
    return {
      count,
      searches: searches.map((s, i) => ({ ...s, applications: finalApplied[i] - seeded[i] })),
      latencyMs,
      nameOnly: nameOnly.length,
      cardEmail: count - nameOnly.length,
      applications: finalApplied.reduce((sum, n, i) => sum + n - seeded[i], 0),
      startedAt,
      cardsMs: cardsAt - startedAt,
      profilesMs: profilesDoneAt - startedAt,
      firstApplicationMs: Math.min(...applyTimes) - startedAt,
      lastApplicationMs: Math.max(...applyTimes) - startedAt,
      lastCallMs: Math.max(...log.map((r) => Date.parse(r.time))) - startedAt,
      polledDoneMs: polledDoneAt - startedAt,
      calls: log.length,
      callsOk: log.filter((r) => r.status === 200).length,
      calls429: log.filter((r) => r.status === 429).length,
      byEndpoint,
      minimal,
      serialBoundMs: minimal * latencyMs,
      rateBoundMs: Math.max(0, minimal - RUNNER_RATE.burst) / perMs,
      callTimes: log.map((r) => Date.parse(r.time) - startedAt),
      workerStarts,
      memory,
    };
  } finally {
    await browser.close();
    await sandbox.stop();
  }
}

const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const kib = (bytes) => `${Math.round(bytes / 1024).toLocaleString('en')} KiB`;

/** Longest gaps between consecutive calls (where the drain waited on something). */
function gaps(callTimes, top = 5) {
  const sorted = [...callTimes].sort((a, b) => a - b);
  const out = [];
  for (let i = 1; i < sorted.length; i += 1) out.push({ at: sorted[i - 1], gap: sorted[i] - sorted[i - 1] });
  return out.sort((a, b) => b.gap - a.gap).slice(0, top);
}

/** The BENCHMARKS.md section. */
export function automationDrainSection(r, machine) {
  if (r.error) {
    return `## Automation drain (issue #6)\n\n_Not measured in this run: ${r.error}_\n`;
  }
  const dominant = r.rateBoundMs >= r.serialBoundMs ? 'the rate limit' : 'the serial latency';
  const bound = Math.max(r.rateBoundMs, r.serialBoundMs);
  const memRows = r.memory.map((m) => `| ${m.when} | ${m.usedHeap !== undefined ? kib(m.usedHeap) : '–'} | ${m.totalHeap !== undefined ? kib(m.totalHeap) : '–'} | ${m.wasm ? m.wasm.map(kib).join(' + ') : (m.error ? `not read: ${m.error}` : '–')} |`);
  const topGaps = gaps(r.callTimes).map((g) => `${s(g.gap)} after ${s(g.at)}`).join(', ');
  return `## Automation drain (issue #6)

${machine}
Reproduce: \`bash .ci/bench\` (this section alone: \`BENCH_ONLY=drain bash .ci/bench\`, which
rewrites only this section of BENCHMARKS.md).

Set-up: production \`dist/\` in headless Chromium, connected with the full-access sandbox key;
sandbox latency ${r.latencyMs} ms on every Ashby call. ${r.count} new candidates in
${r.searches.length} searches, each with automation "All new candidates" to its own job:
${r.searches.map((x) => `${x.count} in \`${x.id}\` → "${x.job}"`).join(', ')}. Why not one search: automation's brake
(issue #13, \`src/automation/brake.rs\`) pauses a search's automation at its
${BRAKE_LIMIT + 1}st automatic upload within 10 minutes until the recruiter resumes it, so one
search of ${r.count} would measure the brake; it counts per search, so two searches of
${BRAKE_LIMIT} drain the same ${r.count} uploads through the one queue with the brake on and
never engaged. Each search page is open in its own tab with the cards already there
recorded (for the second search also ${r.searches.slice(1).map((x) => x.skip).join(', ')} earlier cards: the fake site numbers generated
candidates per search, so its new ones are other people than the first search's). Then the
new candidates are added on both pages at once (\`fetcherDemo.addBatch\`, 50 per call):
${r.cardEmail} cards show an email, ${r.nameOnly} (every fourth generated \`gen-<n>\`) show
none, so those profiles are opened one after another in another tab, as a recruiter would.
A name-only card's upload takes the profile's email when the profile is read before the
runner reaches it; one the runner reaches first is checked by name (issue #12) and created
without contact details (the profile's details are added later) or waits for the profile.
All ${r.count} count. The clock starts when the batches are added (cards on the pages
${s(r.cardsMs)} later); the last of the ${r.nameOnly} profiles was read at ${s(r.profilesMs)}.

| measure | value |
|---|---:|
| applications that landed in the sandbox | ${r.applications} of ${r.count} (${r.searches.map((x) => `${x.applications} for "${x.job}"`).join(', ')}) |
| batch added → first application created | ${s(r.firstApplicationMs)} |
| **batch added → last application created (drain time)** | **${s(r.lastApplicationMs)}** |
| batch added → last Ashby call (its note) | ${s(r.lastCallMs)} |
| Ashby calls made (sandbox log) | ${r.calls} (${r.callsOk} answered 200, ${r.calls429} answered 429) |
| minimal calls for these candidates | ${r.minimal} |
| (a) minimal calls × ${r.latencyMs} ms, one at a time | ${s(r.serialBoundMs)} |
| (b) runner rate limit (${RUNNER_RATE.callsPerMinute}/min, burst ${RUNNER_RATE.burst}): (${r.minimal} − ${RUNNER_RATE.burst}) ÷ ${RUNNER_RATE.callsPerMinute / 60}/s | ${s(r.rateBoundMs)} |
| last call ÷ the larger bound | ${(r.lastCallMs / bound).toFixed(2)} × |
| **share of the rate-limit bound reached** (bound ÷ last call; target ≥ 0.95) | **${(bound / r.lastCallMs).toFixed(2)}** |

Calls per endpoint: ${Object.entries(r.byEndpoint).map(([k, v]) => `${k} ${v}`).join(', ')}.
Minimal per new candidate: one \`candidate.search\` per email, one by name when a LinkedIn or
GitHub link can confirm the match, then \`candidate.create\`, \`application.create\`,
\`candidate.createNote\`. A card shows one email and no links, so a candidate read from its card
needs 4 calls; a name-only candidate read from its profile (1 email, LinkedIn, GitHub) needs 5.
Beyond the minimal (${r.calls - r.minimal} calls here): the upload context (\`source.list\`,
\`user.search\`: ${r.byEndpoint['source.list'] ?? 0} this run), and for a name-only card the runner reached before its
profile, its name check and later \`candidate.info\` + \`candidate.update\` adding the profile's
details (${r.byEndpoint['candidate.update'] ?? 0} this run).
**${dominant[0].toUpperCase()}${dominant.slice(1)} dominates** (${s(bound)} vs ${s(Math.min(r.rateBoundMs, r.serialBoundMs))}): the
runner makes one call at a time, so latency alone would allow ${(1000 / r.latencyMs).toFixed(0)} calls/s, while the
bucket refills ${RUNNER_RATE.callsPerMinute / 60}/s after the first ${RUNNER_RATE.burst}.
Longest pauses between consecutive calls: ${topGaps}. Service worker restarts during the
drain: ${r.workerStarts.length ? r.workerStarts.map(s).join(', ') : 'none'}.

Where the runner's own limit comes from: \`RunnerConfig::default()\` in \`src/upload/runner.rs\`
(${RUNNER_RATE.callsPerMinute} calls per minute sustained, bursts of ${RUNNER_RATE.burst}), a token bucket kept in
\`outbox/rate\` across worker restarts. It is our choice, not Ashby's: Ashby documents no
number for its normal endpoints (only report endpoints: 15 per minute per organization);
the figure usually quoted, 1,000 requests per minute per API key, comes from Zapier's Ashby
listing (\`/work/shared/ashby-api.md\` §4). ${RUNNER_RATE.callsPerMinute}/min stays well under it, leaving room on the same key for
the popup's calls and other integrations; a 429 still stops the runner until it may retry.

Worker memory (CDP on the service worker target, after a forced GC: \`Runtime.getHeapUsage\`,
and \`byteLength\` of every \`WebAssembly.Memory\` found by \`Runtime.queryObjects\`), before
and after the drain only, so the drain's timing carries no CDP attach to the worker
(\`BENCH_DRAIN_SAMPLES=1\` also samples every ~3 s during the drain):

| when | JS heap used | JS heap total | wasm linear memory |
|---|---:|---:|---:|
${memRows.join('\n')}
`;
}
