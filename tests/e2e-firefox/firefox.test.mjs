// The extension in Firefox ESR, end to end: the Firefox store package from `.ci/build`,
// installed in Debian's firefox-esr, against the Ashby sandbox and the fake Fetcher site. One
// browser for the whole file; each test builds on the previous one, as a recruiter's day would:
// allow site access, connect, send by hand, automate, survive the event page being unloaded,
// disconnect.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import {
  FETCHER, KEYS, byRole, countByRole, fill, launchFirefox, sendFromPage, startSandbox, storage,
  textOf, until, uploadStatuses,
} from './harness.mjs';
import { openSendDialog, sendFrames } from './send-dialog.mjs';

const SEARCH = 'search-eng-berlin';
const JOB_TITLE = 'Senior Backend Engineer';
const JOB_LINE = `${JOB_TITLE} · Engineering · Berlin`;
/** The search's first batch (the worker records it before automation is turned on). */
const FIRST_BATCH = ['cand-lena-hoffmann', 'cand-existing-person', 'cand-linkedin-match',
  'cand-amira-haddad', 'cand-tomasz-nowak', 'cand-sofia-rossi'];

describe('Firefox ESR: the Firefox package end to end', () => {
  let sandbox;
  let firefox;
  let jobId;
  let seeded;
  let searchPage;

  before(async () => {
    sandbox = await startSandbox();
    firefox = await launchFirefox(sandbox);
    const state = await sandbox.admin('/admin/state');
    jobId = state.jobs.find((j) => j.title === JOB_TITLE && j.status === 'Open').id;
    seeded = appliedNames(state);
  });
  after(async () => {
    await firefox?.close();
    await sandbox?.stop();
  });
  afterEach(async (t) => {
    // Extension pages' consoles do not reach the test: print what Firefox logged on failure.
    if (t.passed === false || process.env.FIREFOX_VERBOSE) {
      console.error(`extension errors:\n${await firefox.extensionErrors().catch((e) => e.message)}`);
    }
  });

  const appliedNames = (state) =>
    state.applications.filter((a) => a.job?.id === jobId).map((a) => a.candidate.name).sort();

  /** Waits until the job's applications are the seed's plus `names`, then checks it stays so. */
  async function expectApplied(names) {
    const want = [...seeded, ...names].sort();
    let last;
    await until(`applications of ${names.join(', ')}`, async () => {
      last = appliedNames(await sandbox.admin('/admin/state'));
      return JSON.stringify(last) === JSON.stringify(want);
    }).catch((error) => { throw new Error(`${error.message}; applied: ${JSON.stringify(last)}`); });
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a doubled upload would show
    assert.deepEqual(appliedNames(await sandbox.admin('/admin/state')), want);
  }

  /** Exactly one Ashby candidate with this email. */
  async function expectOneCandidate(email) {
    const state = await sandbox.admin('/admin/state');
    const found = state.candidates.filter((c) => c.emailAddresses.some((e) => e.value.toLowerCase() === email));
    assert.equal(found.length, 1, `one candidate with ${email}`);
    return found[0];
  }

  /** The Ashby upload status on the card (or profile) showing `name`, once it is final. */
  async function cardStatus(page, name, pattern = /^Sent to Ashby|^Ashby upload failed/) {
    return until(`the status of ${name}`, async () => {
      const found = await uploadStatuses(page);
      return found.find((s) => s.owner.includes(name) && pattern.test(s.text))?.text;
    });
  }

  const demo = (page, call, ...args) => page.evaluate((c, a) => window.fetcherDemo[c](...a), call, args);

  test('site access withheld: the popup asks for exactly the two hosts and Allow grants them', async () => {
    const hosts = await firefox.openExtensionPage('options/index.html');
    const manifest = await hosts.evaluate(() => browser.runtime.getManifest());
    const origins = manifest.host_permissions;
    assert.deepEqual(origins, ['https://api.ashbyhq.com/*', 'https://app.fetcher.ai/*']);
    // A temporary add-on gets its host permissions at install; a recruiter's install may not
    // (they are optional in Firefox's MV3), so the test takes them away first.
    assert.equal(await hosts.evaluate((o) => browser.permissions.remove({ origins: o }), origins), true);
    assert.equal(await hosts.evaluate((o) => browser.permissions.contains({ origins: o }), origins), false);

    const popup = await firefox.openExtensionPage('popup/index.html');
    const allow = await byRole(popup, 'button', 'Allow access to Ashby and Fetcher');
    await allow.click(); // a real click: Firefox grants only from a user's input
    await until('the Allow section to go', async () => (await countByRole(popup, 'button', 'Allow access to Ashby and Fetcher')) === 0);
    for (const origin of origins) {
      assert.equal(await hosts.evaluate((o) => browser.permissions.contains({ origins: [o] }), origin), true, origin);
    }
    await popup.close();
    await hosts.close();
  });

  test('Connect in the popup: the key is checked and kept for the session only (storage.session)', async () => {
    const popup = await firefox.openExtensionPage('popup/index.html');
    await fill(await byRole(popup, 'textbox', 'Ashby API key'), KEYS.full);
    await (await byRole(popup, 'button', 'Connect')).click();
    let shown = '';
    await until('the connection', async () => {
      shown = await textOf(await popup.$('body'));
      return shown.includes('Connected to Ashby with the key Fetcher extension (sandbox)');
    }).catch((error) => { throw new Error(`${error.message}; the popup shows: ${shown}`); });
    const { local, session } = await storage(popup);
    assert.equal(local.ashbyApiKey, undefined, 'never where content scripts can read');
    assert.equal(typeof session.ashbyApiKey, 'string', 'in storage.session');
    await popup.close();
    // Opened again with a connection remembered in storage.session, the popup takes its
    // start-up path that renders from storage and holds its messages to the worker until
    // then: it must still end up showing the connection in Firefox.
    const again = await firefox.openExtensionPage('popup/index.html');
    await until('the remembered connection', async () => {
      shown = await textOf(await again.$('body'));
      return shown.includes('Connected to Ashby with the key Fetcher extension (sandbox)');
    }).catch((error) => { throw new Error(`${error.message}; the popup shows: ${shown}`); });
    assert.equal(await countByRole(again, 'textbox', 'Ashby API key'), 0, 'no key form for a connected extension');
    await again.close();
  });

  test('Send to Ashby from a profile with the job picker: one candidate, one application, the status on the card', async () => {
    const profile = await firefox.openPage(`${FETCHER}/searches/${SEARCH}/candidates/cand-lena-hoffmann?delay=0`);
    const dialog = await openSendDialog(profile);
    // The extension's own page, framed where the page's script cannot reach it.
    assert.ok(dialog.href.startsWith(firefox.url('send/index.html#')), dialog.href);
    assert.equal(await profile.evaluate(() => document.querySelectorAll('iframe').length), 0);
    // The review shows what the content script read from the profile.
    assert.equal(await dialog.field('Name'), 'Lena Hoffmann');
    assert.equal(await dialog.field('Email'), 'lena.hoffmann@example.com');
    assert.equal(await dialog.pickJob('backend berlin', JOB_LINE), JOB_LINE);
    await dialog.waitForText(/Not in Ashby yet/);
    await dialog.send();
    assert.match(await cardStatus(profile, 'Lena Hoffmann'), new RegExp(`^Sent to Ashby · ${JOB_TITLE} · `));
    assert.equal(await countByRole(profile, 'link', 'Open in Ashby'), 1);
    await profile.close();

    const candidate = await expectOneCandidate('lena.hoffmann@example.com');
    assert.equal(candidate.source?.title, 'Fetcher');
    await expectApplied(['Lena Hoffmann']);
    // The search page's card shows the same status.
    searchPage = await firefox.openPage(`${FETCHER}/searches/${SEARCH}?delay=0`);
    await demo(searchPage, 'ready');
    assert.match(await cardStatus(searchPage, 'Lena Hoffmann'), new RegExp(`^Sent to Ashby · ${JOB_TITLE}`));
  });

  test('automation "On like", set in the popup\'s form: a liked card is uploaded once', async () => {
    let popup = await firefox.openExtensionPage('popup/index.html');
    await until('the first batch to be recorded', async () => {
      const { local } = await storage(popup);
      return local[`search/${SEARCH}`] && FIRST_BATCH.every((id) => local[`history/${SEARCH}/${id}`]);
    });
    // Opened again, the popup lists the search, in front (its tab was used last) and open; the
    // recruiter links the job, turns automatic upload on for likes, and saves.
    await popup.close();
    popup = await firefox.openExtensionPage('popup/index.html');
    const picker = await byRole(popup, 'combobox', 'Ashby job');
    await fill(picker, 'backend');
    await (await byRole(popup, 'option', JOB_LINE)).click();
    assert.equal(await picker.evaluate((input) => input.value), JOB_LINE);
    await (await byRole(popup, 'checkbox', 'Upload automatically')).click();
    await (await byRole(popup, 'combobox', 'When')).select('OnLike');
    await (await byRole(popup, 'button', 'Save')).click();
    await byRole(popup, 'status', 'Saved.');
    await popup.close();
    const added = await demo(searchPage, 'addBatch', 2); // new, not liked: nothing fires
    assert.deepEqual(added, ['cand-david-mensah', 'cand-hannah-schulz']);
    await demo(searchPage, 'like', 'cand-david-mensah');
    await expectApplied(['David Mensah', 'Lena Hoffmann']);
    await expectOneCandidate('david.mensah@example.com');
    assert.match(await cardStatus(searchPage, 'David Mensah'), new RegExp(`^Sent to Ashby · ${JOB_TITLE}`));
  });

  test('the event page unloaded mid-upload and woken: nothing lost, nothing doubled', async () => {
    // Ashby commits the candidate but its answer never comes: the worker is mid-pipeline.
    const logStart = (await sandbox.admin('/admin/requests')).length;
    const since = async () => (await sandbox.admin('/admin/requests')).slice(logStart);
    await sandbox.admin('/admin/faults', { endpoint: 'candidate.create', mode: 'hang', after: true, count: 1 });
    await demo(searchPage, 'like', 'cand-hannah-schulz');
    await until('candidate.create to be called', async () => (await since()).some((r) => r.endpoint === 'candidate.create'));
    const popup = await firefox.openExtensionPage('popup/index.html');
    const before = (await sendFromPage(popup, { type: 'Ping' })).startedAt;
    assert.equal(await firefox.backgroundState(), 'running');
    assert.equal(await firefox.terminateBackground(), 'stopped');
    const atStop = (await since()).length;
    await sandbox.admin('/admin/release', {}); // the hung answer is dropped: nobody is listening
    // Any event wakes it (here a message from the popup); it resumes the queue from storage.
    const pong = await sendFromPage(popup, { type: 'Ping' });
    assert.equal(pong.type, 'Pong');
    assert.ok(pong.startedAt > before, 'a new event page instance');
    await popup.close();
    await expectApplied(['David Mensah', 'Hannah Schulz', 'Lena Hoffmann']);
    await expectOneCandidate('hannah.schulz@example.org');
    const calls = await since();
    assert.ok(calls.length > atStop, 'the woken event page resumed the upload');
    assert.equal(calls.filter((r) => r.endpoint === 'candidate.create').length, 1, 'created once');
    assert.equal(calls.filter((r) => r.endpoint === 'application.create').length, 1, 'applied once');
    assert.match(await cardStatus(searchPage, 'Hannah Schulz'), new RegExp(`^Sent to Ashby · ${JOB_TITLE}`));
  });

  test('the keyboard shortcut on a profile: sent to its search\'s last job, no dialog', async () => {
    // Headless Firefox does not route shortcuts to extensions: the test checks the command is
    // declared, then delivers it as the event page's shim does (a message to the tab). The
    // search's last job is the one the Send dialog used above.
    const popup = await firefox.openExtensionPage('popup/index.html');
    const commands = await popup.evaluate(() => browser.commands.getAll());
    const command = commands.find((c) => c.name === 'send-to-ashby');
    assert.match(command?.description ?? '', /Send the open Fetcher profile to Ashby/, JSON.stringify(commands));
    const profile = await firefox.openPage(`${FETCHER}/searches/${SEARCH}/candidates/cand-amira-haddad?delay=0`);
    await demo(profile, 'ready');
    // Until the content script listens (document_start, then wasm), the message finds no receiver.
    await popup.evaluate(async (url) => {
      const [tab] = await browser.tabs.query({ url });
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await browser.tabs.sendMessage(tab.id, { type: 'ShortcutSend' });
        } catch (error) {
          if (attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }, `${FETCHER}/searches/${SEARCH}/candidates/cand-amira-haddad*`);
    await popup.close();
    await byRole(profile, 'alert', new RegExp(`is queued for Ashby · ${JOB_TITLE}`));
    assert.match(await cardStatus(profile, 'Amira Haddad'), new RegExp(`^Sent to Ashby · ${JOB_TITLE} · `));
    assert.equal((await sendFrames(profile)).length, 0, 'no dialog');
    await profile.close();
    await expectApplied(['Amira Haddad', 'David Mensah', 'Hannah Schulz', 'Lena Hoffmann']);
  });

  test('a remembered key lives in the event page\'s IndexedDB and survives the event page being unloaded', async () => {
    const popup = await firefox.openExtensionPage('popup/index.html');
    const moved = await sendFromPage(popup, { type: 'SetKeyStorage', remember: true });
    assert.equal(moved.rememberKey, true, JSON.stringify(moved));
    const { local, session } = await storage(popup);
    assert.equal(session.ashbyApiKey, undefined, 'moved out of storage.session');
    assert.equal(local.ashbyApiKey, undefined, 'never where content scripts can read');
    assert.equal(await firefox.terminateBackground(), 'stopped');
    const status = await sendFromPage(popup, { type: 'ConnectionStatus' });
    assert.equal(status.connected, true, JSON.stringify(status));
    assert.equal(status.rememberKey, true);
    await popup.close();
  });

  test('Disconnect on the options page forgets the key; the popup asks for one again', async () => {
    await searchPage?.close();
    const options = await firefox.openExtensionPage('options/index.html');
    await (await byRole(options, 'button', 'Disconnect')).click();
    const status = await byRole(options, 'status', /^Disconnected\./);
    assert.match(await textOf(status), /automation settings are kept/);
    const { local, session } = await storage(options);
    assert.equal(session.ashbyApiKey, undefined);
    assert.equal(local.connection, undefined);
    assert.equal((await sendFromPage(options, { type: 'ConnectionStatus' })).connected, false);
    await options.close();
    const popup = await firefox.openExtensionPage('popup/index.html');
    await byRole(popup, 'textbox', 'Ashby API key');
    await popup.close();
  });
});
