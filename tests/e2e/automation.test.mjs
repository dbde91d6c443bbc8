// Automation end to end on the production build: page events on the fake Fetcher site → the
// worker's decisions → the durable outbox → the Ashby sandbox, with faults injected. Each test
// gets a fresh sandbox and browser profile, so what one test uploads cannot hide another's.
import assert from 'node:assert/strict';
import { afterEach, before, describe, test } from 'node:test';
import { FETCHER, KEYS, fetcherUrl, fetcherVariants, launchBrowser, sendFromPage, startSandbox } from './harness.mjs';

const SEARCH = 'search-eng-berlin';
const JOB_TITLE = 'Senior Backend Engineer';
/** The search's first batch, as the fake site's data has it (status, liked). */
const FIRST_BATCH = [
  'cand-lena-hoffmann', // New
  'cand-existing-person', // Liked
  'cand-linkedin-match', // New
  'cand-amira-haddad', // Contacted
  'cand-tomasz-nowak', // Replied, liked
  'cand-sofia-rossi', // Interested
];
const POOL_EMAILS = {
  'cand-david-mensah': 'david.mensah@example.com',
  'cand-hannah-schulz': 'hannah.schulz@example.org',
  'cand-kenji-tanaka': 'kenji.tanaka@example.net',
  'cand-elif-yilmaz': 'elif.yilmaz@example.com',
};

let sandbox;
let browser;
/** The fake site's variant the running suite uses (each suite runs once per variant). */
let variant;
afterEach(async () => {
  await browser?.close();
  await sandbox?.stop();
  browser = sandbox = undefined;
});

/** Waits until `check()` returns a truthy value (polling), or fails after `ms`. */
async function until(what, check, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A connected extension with the search page open and its first batch recorded by the worker
 * (so automation turned on afterwards is not retroactive), then automation saved.
 */
async function setUp({ trigger, limit = null, remember = false, sandboxArgs = [] }) {
  sandbox = await startSandbox(sandboxArgs);
  browser = await launchBrowser(sandbox);
  const state = await sandbox.admin('/admin/state');
  const jobId = state.jobs.find((j) => j.title === JOB_TITLE && j.status === 'Open').id;
  const popup = await browser.openExtensionPage('popup/index.html');
  assert.equal((await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full })).type, 'Connection');
  if (remember) await sendFromPage(popup, { type: 'SetKeyStorage', remember: true });
  const page = await browser.context.newPage();
  await page.goto(fetcherUrl(variant, `/searches/${SEARCH}`));
  await page.evaluate(() => window.fetcherDemo.ready());
  // The search's owner may be read after its title and first cards: only an owner may save.
  await until('the search, its owner and the first batch to be recorded', async () => {
    const local = await popup.evaluate(() => chrome.storage.local.get(null));
    return (
      local[`search/${SEARCH}`]?.ownerEmail &&
      FIRST_BATCH.every((id) => local[`history/${SEARCH}/${id}`])
    );
  });
  const saved = await sendFromPage(popup, {
    type: 'SaveAutomation',
    automation: { searchId: SEARCH, jobId, enabled: true, trigger, applicantLimit: limit },
  });
  assert.equal(saved.type, 'Searches', JSON.stringify(saved));
  // The sandbox's seed already has applications to the job; tests count what is added.
  seeded = (await ashby(jobId)).appliedNames;
  return { page, popup, jobId };
}

/** Candidate names the seed had applied to the test's job. */
let seeded = [];

/** The Ashby candidates (with their applications to `jobId`) per email, lower-cased. */
async function ashby(jobId) {
  const state = await sandbox.admin('/admin/state');
  const byEmail = new Map();
  for (const candidate of state.candidates) {
    const applications = state.applications.filter((a) => a.candidate?.id === candidate.id && a.job?.id === jobId);
    for (const email of candidate.emailAddresses) {
      const key = email.value.toLowerCase();
      byEmail.set(key, [...(byEmail.get(key) ?? []), { candidate, applications }]);
    }
  }
  return { state, byEmail, appliedNames: state.applications.filter((a) => a.job?.id === jobId).map((a) => a.candidate.name).sort() };
}

/** The application names to `jobId` once they equal `names` (order ignored); fails otherwise. */
async function expectApplied(jobId, names) {
  const want = [...seeded, ...names].sort();
  let last;
  try {
    await until(`applications of ${want.join(', ')}`, async () => {
      last = (await ashby(jobId)).appliedNames;
      return JSON.stringify(last) === JSON.stringify(want);
    });
  } catch (error) {
    throw new Error(`${error.message}; applied: ${JSON.stringify(last)}`);
  }
  // Settled: nothing else arrives a moment later (a queued extra would show by then).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.deepEqual((await ashby(jobId)).appliedNames, want);
}

/** Exactly one Ashby candidate with this email, with exactly one application to the job. */
async function expectOnce(jobId, email) {
  const found = (await ashby(jobId)).byEmail.get(email) ?? [];
  assert.equal(found.length, 1, `one candidate with ${email}`);
  assert.equal(found[0].applications.length, 1, `one application for ${email}`);
}

const demo = (page, call, ...args) => page.evaluate(([c, a]) => window.fetcherDemo[c](...a), [call, args]);

for (const v of fetcherVariants()) describe(`automation triggers on the fixture pages [${v}]`, () => {
  before(() => {
    variant = v;
  });
  test('All new candidates: a new batch is uploaded; candidates seen before are not', async () => {
    const { page, jobId } = await setUp({ trigger: 'AllNewCandidates' });
    const added = await demo(page, 'addBatch', 3);
    assert.deepEqual(added, ['cand-david-mensah', 'cand-hannah-schulz', 'cand-kenji-tanaka']);
    await expectApplied(jobId, ['David Mensah', 'Hannah Schulz', 'Kenji Tanaka']);
    for (const id of added) await expectOnce(jobId, POOL_EMAILS[id]);
    const card = page.getByRole('article').filter({ hasText: 'David Mensah' });
    await card.getByRole('status', { name: 'Ashby upload status' })
      .filter({ hasText: new RegExp(`^Sent to Ashby · ${JOB_TITLE}`) }).waitFor();
    // Re-renders and a reload change nothing.
    await demo(page, 'rerender');
    await page.reload();
    await page.evaluate(() => window.fetcherDemo.ready());
    await expectApplied(jobId, ['David Mensah', 'Hannah Schulz', 'Kenji Tanaka']);
  });

  test('On like: a like uploads; earlier likes and other events do not', async () => {
    const { page, jobId } = await setUp({ trigger: 'OnLike' });
    await demo(page, 'like', 'cand-lena-hoffmann');
    await demo(page, 'addBatch', 2); // new, not liked
    await demo(page, 'setStatus', 'cand-hannah-schulz', 'Contacted'); // implies a like
    await demo(page, 'setStatus', 'cand-amira-haddad', 'Replied'); // liked before: fired already
    await expectApplied(jobId, ['Hannah Schulz', 'Lena Hoffmann']);
  });

  test('On contact: only candidates becoming Contacted (or later) are uploaded', async () => {
    const { page, jobId } = await setUp({ trigger: 'OnContact' });
    await demo(page, 'setStatus', 'cand-lena-hoffmann', 'Contacted');
    await demo(page, 'like', 'cand-linkedin-match');
    await demo(page, 'setStatus', 'cand-amira-haddad', 'Replied'); // contacted before
    await expectApplied(jobId, ['Lena Hoffmann']);
  });

  test('On reply: only candidates replying are uploaded', async () => {
    const { page, jobId } = await setUp({ trigger: 'OnReply' });
    await demo(page, 'setStatus', 'cand-amira-haddad', 'Replied');
    await demo(page, 'setStatus', 'cand-lena-hoffmann', 'Contacted');
    await demo(page, 'setStatus', 'cand-tomasz-nowak', 'Interested'); // replied before
    await expectApplied(jobId, ['Amira Haddad']);
  });

  test('On interested reply: only interested replies are uploaded, once', async () => {
    const { page, jobId } = await setUp({ trigger: 'OnInterestedReply' });
    await demo(page, 'setStatus', 'cand-tomasz-nowak', 'Interested');
    await demo(page, 'setStatus', 'cand-amira-haddad', 'Replied');
    await expectApplied(jobId, ['Tomasz Nowak']);
    // The same event seen from another tab and after a reload fires nothing more.
    const other = await browser.context.newPage();
    await other.goto(fetcherUrl(variant, `/searches/${SEARCH}/candidates/cand-tomasz-nowak`));
    await other.evaluate(() => window.fetcherDemo.ready());
    await page.reload();
    await expectApplied(jobId, ['Tomasz Nowak']);
  });
});

for (const v of fetcherVariants()) describe(`automation limits and missing contact details [${v}]`, () => {
  before(() => {
    variant = v;
  });
  test('an applicant limit of 2 with a batch of 5 new candidates uploads exactly 2', async () => {
    const { page, popup, jobId } = await setUp({ trigger: 'AllNewCandidates', limit: 2 });
    const added = await demo(page, 'addBatch', 5);
    assert.equal(added.length, 5);
    await until('three skipped cards', async () =>
      (await page.getByRole('status', { name: 'Ashby upload status' })
        .filter({ hasText: /^Not sent to Ashby · .*applicant limit of 2/ }).count()) === 3);
    const uploaded = async () => (await ashby(jobId)).appliedNames.filter((name) => !seeded.includes(name));
    await until('two uploads', async () => (await uploaded()).length >= 2);
    const applied = await uploaded();
    await expectApplied(jobId, applied);
    assert.equal(applied.length, 2, JSON.stringify(applied));
    const searches = await sendFromPage(popup, { type: 'ListSearches' });
    assert.equal(searches.searches.find((s) => s.searchId === SEARCH).uploaded, 2);
  });

  // gen-4's card shows no email and no link; its name is "Emil Silva" (the fake site's
  // generator), and its profile shows emil.silva.4@example.com with LinkedIn and GitHub.
  const GEN4_EMAIL = 'emil.silva.4@example.com';
  const emilSilvas = async () => (await sandbox.admin('/admin/state')).candidates.filter((c) => c.name === 'Emil Silva');

  test('a card without contact details goes when nobody in Ashby has its name; its profile adds them later', async () => {
    const { page, jobId } = await setUp({ trigger: 'AllNewCandidates' });
    // Four named pool candidates, then gen-1 … gen-4.
    const added = await demo(page, 'addBatch', 8);
    assert.equal(added.at(-1), 'gen-4');
    const status = page.getByRole('article').filter({ has: page.locator(`a[href$="/candidates/gen-4"]`) })
      .getByRole('status', { name: 'Ashby upload status' });
    const addedCount = () => ashby(jobId).then((a) => a.appliedNames.length - seeded.length);
    await until('all 8', async () => (await addedCount()) === 8);
    await status.filter({ hasText: /^Sent to Ashby/ }).waitFor();
    const created = await emilSilvas();
    assert.equal(created.length, 1);
    assert.deepEqual(created[0].emailAddresses, []);
    // The profile shows the email and links: added to that candidate, not a second one.
    const profile = await browser.context.newPage();
    await profile.goto(`${FETCHER}/searches/${SEARCH}/candidates/gen-4?delay=0`);
    await until('the email added', async () => {
      const found = await emilSilvas();
      return found.length === 1 && found[0].emailAddresses.some((e) => e.value.toLowerCase() === GEN4_EMAIL);
    });
    const { state } = await ashby(jobId);
    const applied = state.applications.filter((a) => a.job?.id === jobId).map((a) => a.candidate.id);
    assert.equal(new Set(applied).size, applied.length, 'one application per candidate');
    assert.equal(applied.length, seeded.length + 8);
  });

  test('a card without contact details waits when Ashby has someone by its name, then goes once its profile shows one', async () => {
    const { page, jobId } = await setUp({ trigger: 'AllNewCandidates' });
    await sandbox.admin('/admin/seed', { candidates: [{ name: 'Emil Silva', email: 'emil.silva@elsewhere.example' }] });
    const added = await demo(page, 'addBatch', 8);
    assert.equal(added.at(-1), 'gen-4');
    const waiting = page.getByRole('article').filter({ has: page.locator(`a[href$="/candidates/gen-4"]`) })
      .getByRole('status', { name: 'Ashby upload status' });
    await waiting.filter({ hasText: /^Queued for Ashby · .*with this name.*open the candidate's profile/ }).waitFor();
    const addedCount = () => ashby(jobId).then((a) => a.appliedNames.length - seeded.length);
    await until('the 7 others', async () => (await addedCount()) === 7);
    const profile = await browser.context.newPage();
    await profile.goto(fetcherUrl(variant, `/searches/${SEARCH}/candidates/gen-4`));
    await until('gen-4 too', async () => (await addedCount()) === 8);
    await waiting.filter({ hasText: /^Sent to Ashby/ }).waitFor();
    // The one already in Ashby has another email and no links: another person.
    assert.equal((await emilSilvas()).length, 2);
    const { state } = await ashby(jobId);
    const applied = state.applications.filter((a) => a.job?.id === jobId).map((a) => a.candidate.id);
    assert.equal(new Set(applied).size, applied.length, 'one application per candidate');
    assert.equal(applied.length, seeded.length + 8);
  });
});

for (const v of fetcherVariants()) describe(`automation under faults: nothing lost, nothing twice [${v}]`, () => {
  before(() => {
    variant = v;
  });
  // Wakes a stopped worker the way any event would (it resumes the queue from storage).
  async function stopAndWake(release) {
    await browser.stopWorkers();
    if (release) await sandbox.admin('/admin/release', {});
    const popup = await browser.openExtensionPage('popup/index.html');
    assert.equal((await sendFromPage(popup, { type: 'Ping' })).type, 'Pong');
    await popup.close();
  }

  async function waitForCall(endpoint) {
    await until(`a call to ${endpoint}`, async () =>
      (await sandbox.admin('/admin/requests')).some((r) => r.endpoint === endpoint));
  }

  for (const [step, fault] of [
    ['before the search answers', { endpoint: 'candidate.search', mode: 'hang' }],
    ['after the create committed', { endpoint: 'candidate.create', mode: 'hang', after: true }],
    ['after the application committed', { endpoint: 'application.create', mode: 'hang', after: true }],
  ]) {
    test(`the worker stopped ${step}: exactly one candidate and one application`, async () => {
      const { page, jobId } = await setUp({ trigger: 'OnLike' });
      await sandbox.admin('/admin/faults', { ...fault, count: 1 });
      await demo(page, 'like', 'cand-lena-hoffmann');
      await waitForCall(fault.endpoint);
      await stopAndWake(true);
      await expectApplied(jobId, ['Lena Hoffmann']);
      await expectOnce(jobId, 'lena.hoffmann@example.com');
    });
  }

  test('429 storms with Retry-After, a run of 500s and dropped connections: all arrive once', async () => {
    const { page, jobId } = await setUp({ trigger: 'AllNewCandidates' });
    await sandbox.admin('/admin/faults', { endpoint: '*', mode: 'status', status: 429, retryAfter: 1, count: 4 });
    await sandbox.admin('/admin/faults', { endpoint: 'candidate.create', mode: 'status', status: 500, count: 3 });
    await sandbox.admin('/admin/faults', { endpoint: 'application.create', mode: 'drop', after: true, count: 2 });
    await sandbox.admin('/admin/faults', { endpoint: 'candidate.search', mode: 'drop', count: 2 });
    const added = await demo(page, 'addBatch', 4);
    await expectApplied(jobId, ['David Mensah', 'Elif Yılmaz', 'Hannah Schulz', 'Kenji Tanaka']);
    for (const id of added) await expectOnce(jobId, POOL_EMAILS[id]);
    const log = await sandbox.admin('/admin/requests');
    assert.ok(log.filter((r) => r.status === 429).length >= 4, 'the storm happened');
  });

  test('a browser restart with a non-empty queue: everything arrives, nothing twice', async () => {
    const { page, jobId } = await setUp({ trigger: 'AllNewCandidates', remember: true });
    // Nothing answers: the batch stays queued while the browser closes.
    await sandbox.admin('/admin/faults', { endpoint: '*', mode: 'hang', count: 1000, hangMs: 60_000 });
    await demo(page, 'addBatch', 3);
    await until('three queued entries', async () => {
      const popup = await browser.openExtensionPage('popup/index.html');
      const local = await popup.evaluate(() => chrome.storage.local.get('outbox/index'));
      await popup.close();
      return (local['outbox/index'] ?? []).length === 3;
    });
    const profileDir = browser.userDataDir;
    await browser.close({ keepProfile: true });
    await sandbox.admin('/admin/faults/clear', {});
    await sandbox.admin('/admin/release', {});
    browser = await launchBrowser(sandbox, { profileDir });
    await expectApplied(jobId, ['David Mensah', 'Hannah Schulz', 'Kenji Tanaka']);
    for (const id of ['cand-david-mensah', 'cand-hannah-schulz', 'cand-kenji-tanaka']) {
      await expectOnce(jobId, POOL_EMAILS[id]);
    }
  });
});
