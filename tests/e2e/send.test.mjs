// "Send to Ashby" end to end on the production build: the profile menu, the job picker, the
// worker's dedupe and upload against the Ashby sandbox, and the status on the profile.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FETCHER, KEYS, ROOT, closeSendDialogBy, fetcherUrl, fetcherVariants, launchBrowser, sendDialog, sendFrame, sendFromPage, startSandbox } from './harness.mjs';

const SEARCH = 'search-eng-berlin';
const JOB_TITLE = 'Senior Backend Engineer';

// Every test on each of the fake site's variants (how names are given, how the ⋮ menu exists).
for (const variant of fetcherVariants()) describe(`send to Ashby [${variant}]`, () => {
  let sandbox;
  let browser;
  let jobId;

  before(async () => {
    sandbox = await startSandbox();
    browser = await launchBrowser(sandbox);
    const state = await sandbox.admin('/admin/state');
    jobId = state.jobs.find((j) => j.title === JOB_TITLE && j.status === 'Open').id;
  });
  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });
  beforeEach(async () => {
    await sandbox.admin('/admin/reset', {});
    const popup = await browser.openExtensionPage('popup/index.html');
    const reply = await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full });
    assert.equal(reply.type, 'Connection');
    await popup.close();
  });

  /** Opens a profile, sends it to the job through the menu and dialog, returns the page. */
  async function sendFromProfile(candidateId, { expectPreview, search = SEARCH } = {}) {
    const page = await browser.context.newPage();
    await page.goto(fetcherUrl(variant, `/searches/${search}/candidates/${candidateId}`));
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Send to Ashby' }).click();
    const { dialog } = await sendDialog(page);
    const picker = dialog.getByRole('combobox', { name: 'Ashby job' });
    await picker.fill('backend berlin');
    // Each option names the job's department (from department.list) and location.
    await dialog.getByRole('option', { name: `${JOB_TITLE} · Engineering · Berlin`, exact: true }).click();
    assert.equal(await picker.inputValue(), `${JOB_TITLE} · Engineering · Berlin`);
    if (expectPreview) await dialog.getByText(expectPreview).waitFor();
    await closeSendDialogBy(page, () => dialog.getByRole('button', { name: 'Send', exact: true }).click());
    return page;
  }

  async function statusText(page) {
    const status = page.getByRole('status', { name: 'Ashby upload status' });
    await status.filter({ hasText: /^Sent to Ashby|^Ashby upload failed/ }).waitFor();
    return status.textContent();
  }

  const candidatesWithEmail = (state, email) =>
    state.candidates.filter((c) => c.emailAddresses.some((e) => e.value.toLowerCase() === email));

  test('a new candidate lands once, with an application, the Fetcher source and the recruiter', async () => {
    const page = await sendFromProfile('cand-lena-hoffmann', { expectPreview: /Not in Ashby yet/ });
    assert.match(await statusText(page), new RegExp(`^Sent to Ashby · ${JOB_TITLE} · `));
    assert.equal(await page.getByRole('link', { name: 'Open in Ashby' }).count(), 1);

    const state = await sandbox.admin('/admin/state');
    const created = state.candidates.filter((c) => c.name === 'Lena Hoffmann');
    assert.equal(created.length, 1, 'exactly one candidate');
    const [candidate] = created;
    assert.equal(candidate.source?.title, 'Fetcher');
    assert.equal(candidate.creditedToUser?.email, 'jane@agency.com');
    assert.ok(candidate.socialLinks.some((l) => l.type === 'LinkedIn'));
    const applications = state.applications.filter((a) => a.candidate.id === candidate.id);
    assert.equal(applications.length, 1, 'exactly one application');
    assert.equal(applications[0].job.id, jobId);
    assert.match(candidate.notes.map((n) => n.content).join('\n'), /app\.fetcher\.ai\/searches\/search-eng-berlin\/candidates\/cand-lena-hoffmann/);
    await page.close();
  });

  test('sending twice creates nothing new', async () => {
    // A candidate no other test sends (the outbox remembers sends across tests).
    const twice = { search: 'search-design-remote' };
    const firstPage = await sendFromProfile('cand-noor-elsayed', twice);
    await statusText(firstPage);
    await firstPage.close();
    const first = await sandbox.admin('/admin/state');
    const page = await sendFromProfile('cand-noor-elsayed', { ...twice, expectPreview: /Already in Ashby/ });
    await statusText(page);
    const second = await sandbox.admin('/admin/state');
    assert.equal(second.candidates.length, first.candidates.length);
    assert.equal(second.applications.length, first.applications.length);
    await page.close();
  });

  test('an existing candidate with the same email in another case is reused', async () => {
    const before = await sandbox.admin('/admin/state');
    const existing = candidatesWithEmail(before, 'existing.person@example.com');
    assert.equal(existing.length, 1);
    const page = await sendFromProfile('cand-existing-person', { expectPreview: /Already in Ashby.*existing\.person@example\.com/ });
    await statusText(page);
    const after = await sandbox.admin('/admin/state');
    assert.equal(after.candidates.length, before.candidates.length, 'no new candidate');
    const applied = after.applications.filter((a) => a.candidate.id === existing[0].id && a.job.id === jobId);
    assert.equal(applied.length, 1);
    await page.close();
  });

  test('an existing candidate with the same LinkedIn profile and another email is reused', async () => {
    const before = await sandbox.admin('/admin/state');
    const page = await sendFromProfile('cand-linkedin-match', { expectPreview: /Already in Ashby.*LinkedIn/ });
    await statusText(page);
    const after = await sandbox.admin('/admin/state');
    assert.equal(after.candidates.length, before.candidates.length, 'no new candidate');
    const linked = after.candidates.find((c) => c.socialLinks.some((l) => /existing-linkedin/i.test(l.url)));
    assert.ok(linked.emailAddresses.some((e) => e.value === 'linda.linkedin@example.net'), 'the new email was added');
    assert.equal(after.applications.filter((a) => a.candidate.id === linked.id && a.job.id === jobId).length, 1);
    await page.close();
  });

  test('a job closed after it was picked fails with the recruiter-facing message and can be retried', async () => {
    const page = await browser.context.newPage();
    await page.goto(fetcherUrl(variant, `/searches/${SEARCH}/candidates/cand-amira-haddad`));
    await page.getByRole('button', { name: 'More actions' }).click();
    await page.getByRole('menuitem', { name: 'Send to Ashby' }).click();
    const { dialog } = await sendDialog(page);
    await dialog.getByRole('combobox', { name: 'Ashby job' }).fill('backend berlin');
    await dialog.getByRole('option', { name: new RegExp(`^${JOB_TITLE}`) }).first().click();
    await sandbox.admin('/admin/seed', { jobs: [{ id: jobId, status: 'Closed' }] });
    await closeSendDialogBy(page, () => dialog.getByRole('button', { name: 'Send', exact: true }).click());
    const text = await statusText(page);
    assert.match(text, /^Ashby upload failed: /);
    assert.match(text, /open|closed/i);
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    // A retry the worker refuses says why: here the recruiter has disconnected meanwhile.
    const popup = await browser.openExtensionPage('popup/index.html');
    assert.equal((await sendFromPage(popup, { type: 'Disconnect' })).type, 'Ok');
    await popup.close();
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('alert').filter({ hasText: /^Connect Ashby first/ }).waitFor();
    await page.close();
  });

  test('a hostile name runs no script and arrives in Ashby as literal text', async () => {
    const page = await sendFromProfile('hostile-img', { search: 'hostile-search' });
    await statusText(page);
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    const state = await sandbox.admin('/admin/state');
    const created = state.candidates.filter((c) => c.name.includes('onerror'));
    assert.equal(created.length, 1);
    assert.match(created[0].name, /<img src=x onerror=/, 'kept as text, not stripped into markup');
    await page.close();
  });

  test('a key without write permission leaves the upload queued with the reason, creating nothing', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    assert.equal((await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.readonly })).type, 'Connection');
    await popup.close();
    const before = await sandbox.admin('/admin/state');
    const page = await sendFromProfile('cand-tomasz-nowak');
    const status = page.getByRole('status', { name: 'Ashby upload status' });
    await status.filter({ hasText: /permission/i }).waitFor();
    assert.match(await status.textContent(), /^Queued for Ashby/);
    const after = await sandbox.admin('/admin/state');
    assert.equal(after.candidates.length, before.candidates.length);
    await page.close();
  });

  test('a worker stopped while application.create hangs ends with exactly one of each', async () => {
    // The sandbox commits the application, then never answers: the worker cannot know.
    await sandbox.admin('/admin/faults', { endpoint: 'application.create', mode: 'hang', after: true, count: 1 });
    const page = await sendFromProfile('cand-sofia-rossi');
    const status = page.getByRole('status', { name: 'Ashby upload status' });
    await status.filter({ hasText: /^(Queued|Sending)/ }).waitFor();
    await waitForLog((log) => log.some((r) => r.endpoint === 'application.create'));
    await browser.stopWorkers();
    await sandbox.admin('/admin/release', {});
    // Any event wakes the worker, which resumes the queue from storage.
    const popup = await browser.openExtensionPage('popup/index.html');
    assert.equal((await sendFromPage(popup, { type: 'Ping' })).type, 'Pong');
    await popup.close();
    assert.match(await statusText(page), /^Sent to Ashby/);
    const state = await sandbox.admin('/admin/state');
    const candidates = state.candidates.filter((c) => c.name === 'Sofia Rossi');
    assert.equal(candidates.length, 1, 'one candidate');
    assert.equal(state.applications.filter((a) => a.candidate.id === candidates[0].id).length, 1, 'one application');
    await page.close();
  });

  test('the status shows on the search card and survives re-renders, navigation and reloads', async () => {
    const search = 'search-design-remote';
    (await sendFromProfile('cand-lucas-martin', { search })).close();
    const page = await browser.context.newPage();
    await page.goto(fetcherUrl(variant, `/searches/${search}`));
    const card = page.getByRole('article').filter({ hasText: 'Lucas Martin' });
    const status = card.getByRole('status', { name: 'Ashby upload status' });
    await status.filter({ hasText: /^Sent to Ashby · / }).waitFor();
    await page.evaluate(() => window.fetcherDemo.rerender());
    await status.filter({ hasText: /^Sent to Ashby · / }).waitFor();
    assert.equal(await status.count(), 1, 'attached once after the re-render');
    // Candidates never sent (by any test) show no upload status.
    for (const name of ['Freya Larsen', 'Inês Duarte']) {
      const other = page.getByRole('article').filter({ hasText: name });
      assert.equal(await other.getByRole('status', { name: 'Ashby upload status' }).count(), 0, name);
    }
    await page.evaluate(() => window.fetcherDemo.navigate('/searches/search-eng-berlin'));
    await page.evaluate(() => window.fetcherDemo.navigate('/searches/search-design-remote'));
    await status.filter({ hasText: /^Sent to Ashby/ }).waitFor();
    await page.reload();
    await status.filter({ hasText: /^Sent to Ashby/ }).waitFor();

    // A page's first statuses come from the worker's copy of its search's records (one storage
    // read, `uploadDigest/<search>`); the records, read next, correct a copy behind them.
    const popup = await browser.openExtensionPage('popup/index.html');
    const digestKey = `uploadDigest/${search}`;
    const recordKey = `upload/${search}/cand-lucas-martin`;
    // The worker rewrites the digest after the record's change: read until it has.
    const read = () => popup.evaluate((keys) => chrome.storage.local.get(keys), [digestKey, recordKey]);
    let stored = await read();
    while (!stored[digestKey]?.['cand-lucas-martin']) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stored = await read();
    }
    assert.deepEqual(stored[digestKey]?.['cand-lucas-martin'], stored[recordKey], 'the digest copies the record');
    const behind = {
      ...stored[digestKey],
      'cand-lucas-martin': { ...stored[recordKey], jobTitle: 'Stale copy' },
      'cand-freya-larsen': { ...stored[recordKey], jobTitle: 'Pruned since' },
    };
    await popup.evaluate(([key, value]) => chrome.storage.local.set({ [key]: value }), [digestKey, behind]);
    await page.reload();
    await status.filter({ hasText: new RegExp(`^Sent to Ashby · ${JOB_TITLE}`) }).waitFor();
    assert.equal(await status.filter({ hasText: 'Stale copy' }).count(), 0, 'the record wins');
    const freyaCard = page.getByRole('article').filter({ hasText: 'Freya Larsen' });
    assert.equal(await freyaCard.getByRole('status', { name: 'Ashby upload status' }).count(), 0,
      'a candidate whose record is gone shows nothing');
    await popup.evaluate((key) => chrome.storage.local.remove(key), digestKey);
    await popup.close();
    await page.close();
  });

  /** The profile's own button, beside the name heading (in the status host). */
  const profileButton = (page, name = 'Send to Ashby') => page.getByRole('button', { name, exact: true });

  test('the profile button: the reviewed fields are what reaches Ashby; disabled while sending; then "Send again…"', async () => {
    const page = await browser.context.newPage();
    await page.goto(fetcherUrl(variant, `/searches/${SEARCH}/candidates/gen-31`));
    await profileButton(page).click();
    const { dialog } = await sendDialog(page);
    // What was read from the page, in labelled, editable fields.
    const name = dialog.getByRole('textbox', { name: 'Name', exact: true });
    const heading = (await page.getByRole('heading', { level: 1 }).textContent()).trim();
    assert.ok(heading.includes(await name.inputValue()), 'the name as read from the page');
    for (const label of ['Email', 'Phone', 'LinkedIn', 'GitHub', 'Location', 'Headline']) {
      assert.equal(await dialog.getByRole('textbox', { name: label, exact: true }).count(), 1, label);
    }
    await name.fill('Reviewed Person');
    const email = dialog.getByRole('textbox', { name: 'Email', exact: true });
    await email.fill('not an email');
    await dialog.getByText(/^Not an email address/).waitFor();
    const picker = dialog.getByRole('combobox', { name: 'Ashby job' });
    await picker.fill('backend berlin');
    await dialog.getByRole('option', { name: `${JOB_TITLE} · Engineering · Berlin`, exact: true }).click();
    const send = dialog.getByRole('button', { name: 'Send', exact: true });
    assert.ok(await send.isDisabled(), 'an invalid field blocks Send');
    // The match in Ashby follows the email as corrected: one Ashby already has (another case)…
    await email.fill('Existing.Person@example.com');
    await dialog.getByText(/^Already in Ashby.*existing\.person@example\.com/i).waitFor();
    // …then a new one.
    await email.fill('reviewed.person@example.com');
    await dialog.getByText(/^Not in Ashby yet/).waitFor();
    await dialog.getByRole('textbox', { name: 'LinkedIn', exact: true }).fill('');
    await dialog.getByRole('textbox', { name: 'GitHub', exact: true }).fill('');
    // Without a profile link the dialog says what that means for duplicate checks.
    await dialog.getByText(/No LinkedIn or GitHub link: the duplicate check/).waitFor();
    await dialog.getByText(/Not in Ashby yet|Already in Ashby/).waitFor();
    // The README's picture: the profile button beside the heading and the dialog over the page.
    await mkdir(path.join(ROOT, 'tests/screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'tests/screenshots/send-dialog.png') });
    // Slow Ashby down so the queued upload can be seen on the profile.
    await sandbox.admin('/admin/latency', { ms: 1500 });
    await closeSendDialogBy(page, () => send.click());
    const status = page.getByRole('status', { name: 'Ashby upload status' });
    await status.filter({ hasText: /^(Queued|Sending)/ }).waitFor();
    assert.ok(await profileButton(page).isDisabled(), 'disabled while queued or sending, with the status beside it');
    await sandbox.admin('/admin/latency', { ms: 0 });
    assert.match(await statusText(page), /^Sent to Ashby/);

    const state = await sandbox.admin('/admin/state');
    const created = candidatesWithEmail(state, 'reviewed.person@example.com');
    assert.equal(created.length, 1, 'the email the recruiter typed');
    assert.equal(created[0].name, 'Reviewed Person', 'the name the recruiter typed');
    assert.equal(created[0].socialLinks.filter((l) => l.type === 'LinkedIn').length, 0, 'the link the recruiter removed');

    // Sent: the button offers to send again, and the dialog says what was sent before.
    await profileButton(page, 'Send again…').click();
    const again = await sendDialog(page);
    await again.dialog.getByText(new RegExp(`^Sent before: Sent to Ashby · ${JOB_TITLE}`)).waitFor();
    await closeSendDialogBy(page, () => again.dialog.getByRole('button', { name: 'Cancel' }).click());
    await page.close();
  });

  test('the profile button survives re-renders and pushState navigation, and takes focus back after Escape', async () => {
    const page = await browser.context.newPage();
    await page.goto(fetcherUrl(variant, `/searches/${SEARCH}/candidates/gen-32`));
    const button = profileButton(page);
    await button.waitFor();
    await page.evaluate(() => window.fetcherDemo.rerender());
    await button.waitFor();
    assert.equal(await button.count(), 1, 'once after a re-render');
    await page.evaluate(() => window.fetcherDemo.navigate('/searches/search-eng-berlin/candidates/gen-33'));
    await page.evaluate(() => window.fetcherDemo.ready());
    await button.waitFor();
    assert.equal(await button.count(), 1, 'once after navigating to another profile');
    const heading = (await page.getByRole('heading', { level: 1 }).textContent()).trim();
    await button.focus();
    await page.keyboard.press('Enter');
    const { frame, dialog } = await sendDialog(page);
    const name = await dialog.getByRole('textbox', { name: 'Name', exact: true }).inputValue();
    assert.ok(name && heading.includes(name), `the dialog is about the profile now shown (${name} / ${heading})`);
    // Focus starts in the dialog's job picker.
    await frame.waitForFunction(() => document.hasFocus() && document.activeElement?.getAttribute('role') === 'combobox');
    await closeSendDialogBy(page, () => page.keyboard.press('Escape'));
    assert.ok(await button.evaluate((el) => el.getRootNode().activeElement === el), 'focus returns to the button');
    await page.close();
  });

  async function waitForLog(predicate) {
    for (let i = 0; i < 100; i += 1) {
      const log = await sandbox.admin('/admin/requests');
      if (predicate(log.requests ?? log)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the expected Ashby call never came');
  }
  test('the keyboard shortcut sends the open profile to its search\'s last job, or asks for one', async () => {
    // Headless Chromium does not route shortcuts to extensions: the test checks the command is
    // declared, then delivers it the way the worker's shim does (to the active tab).
    const commands = await browser.worker().evaluate(() => chrome.commands.getAll());
    const command = commands.find((c) => c.name === 'send-to-ashby');
    assert.match(command?.description ?? '', /Send the open Fetcher profile to Ashby/, JSON.stringify(commands));
    const before = (await sandbox.admin('/admin/state')).applications.filter((a) => a.job.id === jobId).length;
    // The content script starts with the page (document_start, then wasm): until it listens, a
    // shortcut finds no receiver, as it would for a recruiter pressing it that early.
    const pressShortcut = (page) => page.bringToFront().then(() => browser.worker().evaluate(async () => {
      const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
      for (let attempt = 0; ; attempt += 1) {
        try {
          return await chrome.tabs.sendMessage(tab.id, { type: 'ShortcutSend' });
        } catch (error) {
          if (attempt > 50) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }));
    // Not on a profile: explained.
    const searchPage = await browser.context.newPage();
    await searchPage.goto(fetcherUrl(variant, `/searches/${SEARCH}`));
    await searchPage.evaluate(() => window.fetcherDemo.ready());
    await pressShortcut(searchPage);
    await searchPage.getByRole('alert').filter({ hasText: /Open a candidate's profile/ }).waitFor();
    await searchPage.close();
    // No job used for this search yet: the dialog opens instead of guessing.
    const popup = await browser.openExtensionPage('popup/index.html');
    await popup.evaluate((search) => chrome.storage.local.remove(`lastJob/${search}`), SEARCH);
    await popup.close();
    const first = await browser.context.newPage();
    await first.goto(fetcherUrl(variant, `/searches/${SEARCH}/candidates/gen-21`));
    await first.evaluate(() => window.fetcherDemo.ready());
    await pressShortcut(first);
    const { dialog } = await sendDialog(first);
    await dialog.getByRole('combobox', { name: 'Ashby job' }).fill('backend berlin');
    await dialog.getByRole('option', { name: new RegExp(`^${JOB_TITLE}`) }).first().click();
    await closeSendDialogBy(first, () => dialog.getByRole('button', { name: 'Send', exact: true }).click());
    assert.match(await statusText(first), /^Sent to Ashby/);
    await first.close();
    // Now the search has a job: the shortcut sends straight away.
    const second = await browser.context.newPage();
    await second.goto(fetcherUrl(variant, `/searches/${SEARCH}/candidates/gen-22`));
    await second.evaluate(() => window.fetcherDemo.ready());
    await pressShortcut(second);
    await second.getByRole('alert').filter({ hasText: /is queued for Ashby · Senior Backend Engineer/ }).waitFor();
    assert.equal(sendFrame(second), undefined, 'no dialog');
    assert.match(await statusText(second), /^Sent to Ashby · Senior Backend Engineer/);
    const after = (await sandbox.admin('/admin/state')).applications.filter((a) => a.job.id === jobId).length;
    assert.equal(after, before + 2, 'one application each for the two profiles');
    await second.close();
  });
});
