// The popup and options pages end to end on the production build: connecting (bad, disabled,
// unreachable and good keys), the permission report, the Ashby user match, per-search
// automation ("Ashby Sync") surviving a browser restart, and Disconnect. The popup for daily
// use: a healthy connection in one line and a problem expanded, the search in the tab in front
// first with its form open, the others one line each, the filter, recent uploads at a glance,
// and all of it within the browser's 600 px popup.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FETCHER, KEYS, ROOT, closeSendDialogBy, launchBrowser, sendDialog, sendFromPage, startSandbox } from './harness.mjs';

const SHOTS = path.join(ROOT, 'tests/screenshots');
const OWN_SEARCH = { id: 'search-eng-berlin', title: 'Senior Backend Engineer – Berlin' };
const SHARED_SEARCH = { id: 'search-design-remote', title: 'Product Designer (Remote, EU)' };
const JOB_TITLE = 'Senior Backend Engineer';
/** How the "Ashby job" combobox shows that job: title · department · location. */
const JOB_LINE = `${JOB_TITLE} · Engineering · Berlin`;

/** Waits until a control's value is `expected` (the job list loads after the popup opens). */
async function waitForValue(locator, expected) {
  let value;
  for (let i = 0; i < 100; i += 1) {
    value = await locator.inputValue();
    if (value === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(value, expected);
}

/** Minimal RFC 4180 reader for the exported CSV (quoted cells may hold commas and quotes). */
/** "Today" is the popup's day: a test that counts today's uploads waits out a day's last
 * half minute, so its uploads and the popup's count fall on the same day. */
async function awayFromMidnight() {
  const untilMidnight = new Date().setHours(24, 0, 0, 0) - Date.now();
  if (untilMidnight < 30_000) await new Promise((resolve) => setTimeout(resolve, untilMidnight + 100));
}

function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 1; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

describe('popup and options', () => {
  let sandbox;
  let browser;
  let jobId;

  before(async () => {
    await mkdir(SHOTS, { recursive: true });
    sandbox = await startSandbox();
    browser = await launchBrowser(sandbox);
    const state = await sandbox.admin('/admin/state');
    jobId = state.jobs.find((j) => j.title === JOB_TITLE && j.status === 'Open').id;
  });
  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  async function openPopup(b = browser) {
    const popup = await b.openExtensionPage('popup/index.html');
    // The browser's popup is at most 800 × 600.
    await popup.setViewportSize({ width: 440, height: 600 });
    return popup;
  }

  /** Both storage areas, read from an extension page (a trusted context). */
  async function storage(b = browser) {
    const page = await b.openExtensionPage('manifest.json');
    const areas = await page.evaluate(async () => ({
      local: await chrome.storage.local.get(null),
      session: await chrome.storage.session.get(null),
    }));
    await page.close();
    return areas;
  }

  async function waitForStorage(predicate, b = browser) {
    for (let i = 0; i < 100; i += 1) {
      const areas = await storage(b);
      if (predicate(areas)) return areas;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('storage never reached the expected state');
  }

  async function disconnect(b = browser) {
    const page = await b.openExtensionPage('manifest.json');
    assert.equal((await sendFromPage(page, { type: 'Disconnect' })).type, 'Ok');
    await page.close();
  }

  async function connectThroughPopup(key, { remember = false, b = browser } = {}) {
    const popup = await openPopup(b);
    await popup.getByRole('textbox', { name: 'Ashby API key' }).fill(key);
    if (remember) await popup.getByRole('checkbox', { name: 'Remember the key after the browser closes' }).check();
    await popup.getByRole('button', { name: 'Connect' }).click();
    return popup;
  }

  /** Opens a Fetcher search as `account` and waits until the worker has recorded it. */
  async function visitSearch(search, account = 'jane@agency.com', b = browser) {
    const page = await b.context.newPage();
    await page.goto(`${FETCHER}/searches/${search.id}?delay=0&account=${encodeURIComponent(account)}`);
    await waitForStorage(({ local }) =>
      local['fetcher/account']?.email === account && local[`search/${search.id}`]?.title === search.title, b);
    await page.close();
  }

  /** Opens a search's form: collapsed searches open with the button named by their title. */
  async function openSearch(popup, title) {
    const region = popup.getByRole('region', { name: title, exact: true });
    const toggle = region.getByRole('button', { name: title, exact: true });
    if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    return region;
  }

  /** Shows what a healthy connection keeps behind "Connection details". */
  async function showConnectionDetails(popup) {
    const button = popup.getByRole('button', { name: 'Connection details' });
    if ((await button.getAttribute('aria-expanded')) === 'false') await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
  }

  test('a bad, a deactivated and an unreachable key each get their own message and nothing is saved', async () => {
    await sandbox.admin('/admin/reset', {});
    const popup = await openPopup();
    const keyBox = popup.getByRole('textbox', { name: 'Ashby API key' });
    assert.equal(await keyBox.getAttribute('type'), 'password');
    const alert = popup.getByRole('alert');

    await keyBox.fill('not-a-real-key');
    await popup.getByRole('button', { name: 'Connect' }).click();
    await alert.waitFor();
    assert.match(await alert.textContent(), /^Ashby rejected the API key\. Check that it is copied whole/);

    await keyBox.fill(KEYS.disabled);
    await popup.getByRole('button', { name: 'Connect' }).click();
    await alert.filter({ hasText: /deactivated/ }).waitFor();
    assert.match(await alert.textContent(), /^Ashby says this API key has been deactivated/);

    // Every attempt fails (the client retries a dropped read before giving up).
    await sandbox.admin('/admin/faults', { endpoint: 'apiKey.info', mode: 'drop', count: 20 });
    await keyBox.fill(KEYS.full);
    await popup.getByRole('button', { name: 'Connect' }).click();
    await alert.filter({ hasText: /reach Ashby/ }).waitFor();
    assert.equal(await alert.textContent(), 'Could not reach Ashby. Check the internet connection and try again.');
    await sandbox.admin('/admin/faults/clear', {});

    const { local, session } = await storage();
    assert.equal(local.ashbyApiKey, undefined);
    assert.equal(session.ashbyApiKey, undefined);
    assert.equal(local.connection, undefined);
    assert.equal(local.schemaVersion, 2, 'the storage schema is versioned');
    await popup.close();
  });

  test('a good key connects: its title, every permission granted, kept only for the session', async () => {
    await sandbox.admin('/admin/reset', {});
    const popup = await connectThroughPopup(KEYS.full);
    await popup.getByText('Connected to Ashby with the key Fetcher extension (sandbox)').waitFor();
    await showConnectionDetails(popup);
    const permissions = popup.getByRole('region', { name: 'Permissions' });
    await permissions.getByText('The key has every permission the extension needs.').waitFor();
    const rows = permissions.getByRole('listitem');
    assert.equal(await rows.count(), 6);
    for (const row of await rows.all()) assert.match(await row.textContent(), /Granted$/);
    assert.match(await rows.nth(3).textContent(), /^✓Candidates: Write — adds candidates/);
    assert.equal(await popup.getByText(/never uses/).count(), 0);

    const { local, session } = await storage();
    assert.equal(session.ashbyApiKey, KEYS.full, 'kept until the browser closes');
    assert.equal(local.ashbyApiKey, undefined, 'not where content scripts could read it');
    assert.equal(local['settings/keyStorage'], 'session');
    assert.ok(!JSON.stringify(local).includes(KEYS.full), 'the key is nowhere in local storage');
    // The content script can never read the key (it learns only whether a send needs a connection).
    const fetcher = await browser.context.newPage();
    await fetcher.goto(`${FETCHER}/searches/${OWN_SEARCH.id}?delay=0`);
    assert.ok(!(await fetcher.content()).includes(KEYS.full));
    await fetcher.close();
    await popup.close();
  });

  test('a key without a needed permission, or with unneeded ones, is reported expanded', async () => {
    await disconnect();
    let popup = await connectThroughPopup(KEYS.readonly);
    const permissions = popup.getByRole('region', { name: 'Permissions' });
    // A problem is shown at once, with what to do: no click needed.
    await permissions.getByRole('alert').waitFor();
    assert.equal(await popup.getByRole('button', { name: 'Connection details' }).getAttribute('aria-expanded'), 'true');
    assert.match(await permissions.getByRole('alert').textContent(), /^This key lacks permissions the extension needs/);
    const missing = permissions.getByRole('listitem').filter({ hasText: /Missing$/ });
    assert.equal(await missing.count(), 1);
    assert.match(await missing.textContent(), /Candidates: Write — adds candidates, their applications to your job/);
    await popup.close();

    await disconnect();
    popup = await connectThroughPopup('sandbox-key-overprivileged');
    const advice = popup.getByText(/never uses/);
    await advice.waitFor();
    const text = await advice.textContent();
    assert.match(text, /reportsRead/);
    assert.match(text, /make a key with only the permissions listed above/);
    await popup.close();
  });

  test('the Ashby user is matched by the Fetcher account email, and a mismatch is explained', async () => {
    await disconnect();
    await visitSearch(OWN_SEARCH, 'jane@agency.com');
    let popup = await connectThroughPopup(KEYS.full);
    // All is well: one line, the details one click away.
    await popup
      .getByText('Connected to Ashby with the key Fetcher extension (sandbox) · Ashby user Jane Agency · all permissions granted')
      .waitFor();
    const details = popup.getByRole('button', { name: 'Connection details' });
    assert.equal(await details.getAttribute('aria-expanded'), 'false');
    assert.ok(!(await popup.getByRole('region', { name: 'Permissions' }).isVisible()));
    await details.click();
    await popup.getByText('Jane Agency (jane@agency.com): uploads are credited to this Ashby user.').waitFor();
    await popup.close();

    // Another account on the page: uploads stay credited to Jane until the recruiter confirms.
    await visitSearch(OWN_SEARCH, 'nobody@agency.com');
    await waitForStorage(({ local }) => local.connection?.accountChange === 'nobody@agency.com');
    popup = await openPopup();
    await showConnectionDetails(popup);
    await popup.getByText('Jane Agency (jane@agency.com): uploads are credited to this Ashby user.').waitFor();
    await popup.getByRole('button', { name: 'Credit uploads for nobody@agency.com' }).click();
    await waitForStorage(({ local }) => local.connection?.user?.email === 'nobody@agency.com');
    await popup.close();
    popup = await openPopup();
    // An unmatched user is a problem: shown expanded, with what to do.
    const explained = popup.getByText(/^No Ashby user has the email nobody@agency\.com/);
    await explained.waitFor();
    assert.equal(await popup.getByRole('button', { name: 'Connection details' }).getAttribute('aria-expanded'), 'true');
    assert.match(await explained.textContent(), /Ask an Ashby admin to give your Ashby user this email/);
    assert.match(await explained.textContent(), /Uploads still work, but they are not credited to anyone\./);
    await popup.close();
    await visitSearch(OWN_SEARCH, 'jane@agency.com');
  });

  test('automation is saved per search, only by its owner, and read back after a restart', async () => {
    await sandbox.admin('/admin/reset', {});
    const first = await launchBrowser(sandbox);
    const profileDir = first.userDataDir;
    await visitSearch(OWN_SEARCH, 'jane@agency.com', first);
    await visitSearch(SHARED_SEARCH, 'jane@agency.com', first);
    let popup = await connectThroughPopup(KEYS.full, { remember: true, b: first });
    await popup.getByText('Connected to Ashby with the key').waitFor();
    await showConnectionDetails(popup);
    await popup.getByText('Jane Agency (jane@agency.com)', { exact: false }).waitFor();

    // Someone else's search: listed, read-only, with the reason.
    const shared = await openSearch(popup, SHARED_SEARCH.title);
    await shared.getByText('Shared by lead@agency.com: only its owner can set up Ashby Sync for it.').waitFor();
    assert.ok(await shared.getByRole('combobox', { name: 'Ashby job' }).isDisabled());
    assert.equal(await shared.getByRole('button', { name: 'Save' }).count(), 0);

    const own = await openSearch(popup, OWN_SEARCH.title);
    const job = own.getByRole('combobox', { name: 'Ashby job' });
    const when = own.getByRole('combobox', { name: 'When' });
    assert.deepEqual(
      (await when.locator('option').allTextContents()).map((t) => t.trim()),
      ['All new candidates', 'On like', 'On contact', 'On reply', 'On interested reply'],
    );
    // No automation without a job; a limit is a positive whole number.
    await own.getByRole('checkbox', { name: 'Upload automatically' }).check();
    await own.getByRole('button', { name: 'Save' }).click();
    assert.equal(await own.getByRole('alert').textContent(), 'Choose an Ashby job before turning on automatic upload.');
    // Type to filter (title, department, location), then pick with the keyboard.
    assert.equal(await job.getAttribute('aria-expanded'), 'false');
    await job.fill('backend engineering berl');
    const options = own.getByRole('listbox', { name: 'Ashby job' }).getByRole('option');
    await options.filter({ hasText: JOB_LINE }).waitFor();
    assert.equal(await job.getAttribute('aria-expanded'), 'true');
    assert.deepEqual(await options.allTextContents(), [JOB_LINE]);
    await job.fill('sales');
    // The draft "Head of Sales, EMEA" is offered, flagged as not open.
    const draft = options.filter({ hasText: 'Head of Sales' });
    await draft.waitFor();
    assert.match(await draft.textContent(), /Draft: not open yet$/);
    for (const text of await options.allTextContents()) assert.match(text, /Sales/);
    await job.press('Escape');
    assert.equal(await job.getAttribute('aria-expanded'), 'false');
    assert.equal(await job.inputValue(), '', 'Escape restores the choice (none yet)');
    await job.fill('backend engineering berl');
    await options.filter({ hasText: JOB_LINE }).waitFor();
    await job.press('ArrowDown');
    assert.equal(await job.getAttribute('aria-activedescendant'), await options.first().getAttribute('id'));
    await job.press('Enter');
    assert.equal(await job.inputValue(), JOB_LINE);
    assert.equal(await job.getAttribute('aria-expanded'), 'false');
    await own.getByRole('spinbutton', { name: 'Applicant limit' }).fill('2.5');
    await own.getByRole('button', { name: 'Save' }).click();
    assert.match(await own.getByRole('alert').textContent(), /^The applicant limit must be a whole number above 0/);
    await own.getByRole('spinbutton', { name: 'Applicant limit' }).fill('5');
    await when.selectOption({ label: 'On reply' });
    await own.getByRole('button', { name: 'Save' }).click();
    await own.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await popup.screenshot({ path: path.join(SHOTS, 'popup-automation.png'), fullPage: true });
    await popup.close();

    const saved = (await storage(first)).local[`automation/${OWN_SEARCH.id}`];
    assert.equal(saved.jobId, jobId);
    assert.equal(saved.enabled, true);
    assert.equal(saved.trigger, 'OnReply');
    assert.equal(saved.applicantLimit, 5);
    assert.ok(Math.abs(saved.enabledAtMs - Date.now()) < 120_000, 'the time automation was turned on');
    // The worker refuses a change from someone who does not own the search.
    const page = await first.openExtensionPage('manifest.json');
    const refused = await sendFromPage(page, {
      type: 'SaveAutomation',
      automation: { searchId: SHARED_SEARCH.id, jobId, enabled: true, trigger: 'OnLike', applicantLimit: null },
    });
    assert.equal(refused.type, 'Error');
    assert.deepEqual(refused.problem, { readOnly: { notOwner: { owner: 'lead@agency.com' } } });
    await page.close();
    await first.close({ keepProfile: true });

    // Same profile, new browser: the key was remembered and the settings read back.
    const second = await launchBrowser(sandbox, { profileDir });
    try {
      popup = await openPopup(second);
      await popup.getByText('Connected to Ashby with the key Fetcher extension (sandbox)').waitFor();
      const again = await openSearch(popup, OWN_SEARCH.title);
      const jobAgain = again.getByRole('combobox', { name: 'Ashby job' });
      await waitForValue(jobAgain, JOB_LINE);
      assert.ok(await again.getByRole('checkbox', { name: 'Upload automatically' }).isChecked());
      assert.equal(await again.getByRole('combobox', { name: 'When' }).inputValue(), 'OnReply');
      assert.equal(await again.getByRole('spinbutton', { name: 'Applicant limit' }).inputValue(), '5');
      assert.equal(await again.getByText('0 of 5 candidates uploaded automatically').count(), 1);
      await popup.close();

      // A job closed in Ashby since is flagged once the job list is fetched again.
      await sandbox.admin('/admin/seed', { jobs: [{ id: jobId, status: 'Closed' }] });
      const jobsPage = await second.openExtensionPage('manifest.json');
      await jobsPage.evaluate(() => chrome.storage.local.remove('cache/jobs'));
      await jobsPage.close();
      popup = await openPopup(second);
      await (await openSearch(popup, OWN_SEARCH.title))
        .getByText(/^The linked Ashby job is no longer open/)
        .waitFor();
      await popup.close();
    } finally {
      await second.close();
    }
  });

  test('a key kept only for the session is gone after a restart, and the popup says so', async () => {
    await sandbox.admin('/admin/reset', {});
    const first = await launchBrowser(sandbox);
    const profileDir = first.userDataDir;
    const popup = await connectThroughPopup(KEYS.full, { b: first });
    await popup.getByText('Connected to Ashby with the key').waitFor();
    await first.close({ keepProfile: true });
    const second = await launchBrowser(sandbox, { profileDir });
    try {
      const again = await openPopup(second);
      await again.getByText(/^The browser was closed, so the API key kept for that session is gone/).waitFor();
      await again.getByRole('textbox', { name: 'Ashby API key' }).waitFor();
      const { local, session } = await storage(second);
      assert.equal(local.ashbyApiKey, undefined);
      assert.equal(session.ashbyApiKey, undefined);
    } finally {
      await second.close();
    }
  });

  test('Disconnect forgets the key and cached Ashby data, and keeps automation unless asked', async () => {
    await sandbox.admin('/admin/reset', {});
    await disconnect();
    await visitSearch(OWN_SEARCH);
    let popup = await connectThroughPopup(KEYS.full, { remember: true });
    await popup.getByText('Connected to Ashby with the key').waitFor();
    const own = await openSearch(popup, OWN_SEARCH.title);
    await own.getByRole('combobox', { name: 'Ashby job' }).fill('senior backend');
    await own.getByRole('option', { name: JOB_LINE, exact: true }).click();
    await own.getByRole('button', { name: 'Save' }).click();
    await own.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await popup.close();
    let areas = await storage();
    assert.equal(areas.local.ashbyApiKey, undefined, 'a remembered key is kept out of .local (content scripts read it)');
    assert.ok(areas.local['cache/jobs'], 'the job list was cached');
    // What the next popup shows before the worker answers: the worker's last answers.
    assert.equal(JSON.parse(areas.session['popup/connection']).connected, true);
    const shown = JSON.parse(areas.session['popup/searches']).searches.find((s) => s.searchId === OWN_SEARCH.id);
    assert.equal(shown.automation.jobId, jobId, 'the saved setting is what the next popup shows');

    let options = await browser.openExtensionPage('options/index.html');
    await options.getByText('Queued uploads are paused, not lost: they resume when you connect again.').first().waitFor();
    assert.ok(await options.getByRole('radio', { name: 'Remembered on this computer until you disconnect' }).isChecked());
    await options.screenshot({ path: path.join(SHOTS, 'options.png'), fullPage: true });
    await options.getByRole('button', { name: 'Disconnect' }).click();
    await options.getByRole('status').filter({ hasText: /^Disconnected\./ }).waitFor();
    assert.match(await options.getByRole('status').textContent(), /your automation settings are kept/);
    areas = await storage();
    assert.equal(areas.local.ashbyApiKey, undefined);
    assert.equal(areas.session.ashbyApiKey, undefined);
    assert.equal(areas.local.connection, undefined);
    assert.equal(areas.local['cache/jobs'], undefined);
    assert.equal(areas.session['popup/connection'], undefined, 'no popup opens on a forgotten connection');
    assert.equal(areas.local[`automation/${OWN_SEARCH.id}`].jobId, jobId, 'automation kept');
    await options.close();

    // Reconnect, then disconnect and forget the automation settings too.
    popup = await connectThroughPopup(KEYS.full);
    await popup.getByText('Connected to Ashby with the key').waitFor();
    await popup.close();
    options = await browser.openExtensionPage('options/index.html');
    await options.getByRole('checkbox', { name: 'Forget my automation settings' }).check();
    await options.getByRole('button', { name: 'Disconnect' }).click();
    await options.getByRole('status').filter({ hasText: /automation settings are forgotten/ }).waitFor();
    areas = await storage();
    assert.equal(areas.session.ashbyApiKey, undefined);
    assert.equal(areas.local[`automation/${OWN_SEARCH.id}`], undefined);
    assert.equal(areas.session['popup/searches'], undefined, 'nor on forgotten searches');
    await options.close();
  });

  test('recent uploads and failures are listed, with a link to Ashby and Retry', async () => {
    await awayFromMidnight();
    await sandbox.admin('/admin/reset', {});
    await disconnect();
    await visitSearch(OWN_SEARCH); // its title goes into the CSV export
    let popup = await connectThroughPopup(KEYS.full);
    await popup.getByText('Connected to Ashby with the key').waitFor();
    await popup.close();

    async function send(candidateId, { closeJobFirst = false } = {}) {
      const page = await browser.context.newPage();
      await page.goto(`${FETCHER}/searches/${OWN_SEARCH.id}/candidates/${candidateId}?delay=0`);
      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menuitem', { name: 'Send to Ashby' }).click();
      const { dialog } = await sendDialog(page);
      await dialog.getByRole('combobox', { name: 'Ashby job' }).fill('backend berlin');
      await dialog.getByRole('option', { name: new RegExp(`^${JOB_TITLE}`) }).first().click();
      if (closeJobFirst) await sandbox.admin('/admin/seed', { jobs: [{ id: jobId, status: 'Closed' }] });
      await closeSendDialogBy(page, () => dialog.getByRole('button', { name: 'Send', exact: true }).click());
      await page
        .getByRole('status', { name: 'Ashby upload status' })
        .filter({ hasText: /^Sent to Ashby|^Ashby upload failed/ })
        .waitFor();
      await page.close();
    }
    await send('cand-lena-hoffmann');
    await send('cand-amira-haddad', { closeJobFirst: true });

    popup = await openPopup();
    const activity = popup.getByRole('region', { name: 'Recent uploads' });
    const sent = activity.getByRole('listitem').filter({ hasText: 'Lena Hoffmann' });
    await sent.waitFor();
    assert.equal(await activity.getByText(/^Today:/).textContent(), 'Today: 1 sent · 1 failed · 0 in the queue');
    assert.match(await activity.getByRole('listitem').first().textContent(), /^Amira/, 'failures first');
    assert.match(await sent.textContent(), /Sent by hand/);
    assert.match(await sent.textContent(), new RegExp(`Sent to Ashby · ${JOB_TITLE}`));
    assert.match(
      await sent.getByRole('link', { name: 'Open in Ashby' }).getAttribute('href'),
      /^https:\/\/app\.ashbyhq\.com\/candidates\//,
    );
    const failed = activity.getByRole('listitem').filter({ hasText: 'Amira' });
    assert.match(await failed.textContent(), /Ashby upload failed/);
    await sandbox.admin('/admin/seed', { jobs: [{ id: jobId, status: 'Open' }] });
    await failed.getByRole('button', { name: 'Retry' }).click();
    await popup.close();
    // The retried upload goes through.
    for (let i = 0; ; i += 1) {
      popup = await openPopup();
      const row = popup.getByRole('region', { name: 'Recent uploads' }).getByRole('listitem').filter({ hasText: 'Amira' });
      await row.waitFor();
      const text = await row.textContent();
      await popup.close();
      if (/Sent to Ashby/.test(text)) break;
      assert.ok(i < 50, `still not sent: ${text}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // Export CSV downloads the list: one row per upload, formula-safe, with the Ashby link.
    popup = await openPopup();
    const list = popup.getByRole('region', { name: 'Recent uploads' });
    await list.getByRole('listitem').filter({ hasText: 'Lena Hoffmann' }).waitFor();
    const [download] = await Promise.all([
      popup.waitForEvent('download'),
      list.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^ashby-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\ufeff'), 'a byte-order mark, for spreadsheet apps');
    const [header, ...rows] = parseCsv(csv.slice(1));
    assert.deepEqual(header, ['Candidate', 'Fetcher search', 'Ashby job', 'Trigger', 'Time (UTC)', 'Result', 'Error', 'Ashby link']);
    assert.equal(rows.length, 2, JSON.stringify(rows));
    for (const name of ['Lena Hoffmann', 'Amira Haddad']) {
      const row = rows.find((r) => r[0] === name);
      assert.ok(row, `${name} is exported: ${JSON.stringify(rows)}`);
      assert.deepEqual(row.slice(1, 4), [OWN_SEARCH.title, JOB_TITLE, 'Manual']);
      assert.match(row[4], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.equal(row[5], 'Sent');
      assert.equal(row[6], '');
      assert.match(row[7], /^https:\/\/app\.ashbyhq\.com\/candidates\//);
    }
    await popup.close();
  });

  /** A fresh browser, connected with the full key as jane@agency.com, who has seen `searches`. */
  async function dailyBrowser(searches) {
    const b = await launchBrowser(sandbox);
    for (const search of searches) await visitSearch(search, 'jane@agency.com', b);
    const page = await b.openExtensionPage('manifest.json');
    assert.equal((await sendFromPage(page, { type: 'Connect', apiKey: KEYS.full })).type, 'Connection');
    await page.close();
    return b;
  }

  /** Runs `f(arg)` in an extension page (a trusted context) of browser `b`. */
  async function inExtension(b, f, arg) {
    const page = await b.openExtensionPage('manifest.json');
    const result = await page.evaluate(f, arg);
    await page.close();
    return result;
  }

  /** The searches' title buttons in the popup, in order: [title, aria-expanded]. */
  async function searchButtons(popup) {
    const sync = popup.getByRole('region', { name: 'Ashby Sync' });
    const buttons = sync.getByRole('heading', { level: 3 }).getByRole('button');
    await buttons.first().waitFor();
    const rows = [];
    for (const button of await buttons.all()) {
      rows.push([(await button.locator('.title').textContent()), await button.getAttribute('aria-expanded')]);
    }
    return rows;
  }

  test('the search in the tab in front comes first, open; the others are one line each, opened by their title and saved', async () => {
    await sandbox.admin('/admin/reset', {});
    const b = await dailyBrowser([OWN_SEARCH, SHARED_SEARCH]);
    try {
      // The worker saw the shared search last...
      await inExtension(b, async (id) => {
        const key = `search/${id}`;
        const seen = (await chrome.storage.local.get(key))[key];
        await chrome.storage.local.set({ [key]: { ...seen, lastSeenMs: Date.now() + 3_600_000 } });
      }, SHARED_SEARCH.id);
      const listed = await inExtension(b, () => chrome.runtime.sendMessage({ type: 'ListSearches' }));
      assert.equal(listed.searches[0].searchId, SHARED_SEARCH.id);
      // ...but the tab in front shows a profile in the recruiter's own search.
      const fetcher = await b.context.newPage();
      await fetcher.goto(`${FETCHER}/searches/${OWN_SEARCH.id}/candidates/cand-lena-hoffmann?delay=0`);
      await fetcher.getByRole('heading', { level: 1 }).waitFor();
      let popup = await b.openExtensionPage('popup/index.html');
      await popup.setViewportSize({ width: 440, height: 600 });
      await fetcher.bringToFront();
      await popup.reload();
      assert.deepEqual(await searchButtons(popup), [[OWN_SEARCH.title, 'true'], [SHARED_SEARCH.title, 'false']]);
      const own = popup.getByRole('region', { name: OWN_SEARCH.title, exact: true });
      assert.match(await own.locator('.summary').textContent(), /^In your Fetcher tab · jane@agency\.com · No job linked · Auto upload off · 0 uploaded$/);
      await own.getByRole('combobox', { name: 'Ashby job' }).waitFor();
      const shared = popup.getByRole('region', { name: SHARED_SEARCH.title, exact: true });
      assert.equal(await shared.getByRole('combobox', { name: 'Ashby job' }).count(), 0, 'a closed search is one line');
      assert.match(await shared.locator('.summary').textContent(), /^lead@agency\.com · No job linked · Auto upload off/);
      await popup.screenshot({ path: path.join(SHOTS, 'popup-connected.png'), fullPage: true });
      await popup.close();
      await fetcher.close();

      // No Fetcher tab open: the search seen last comes first; the other opens by its title.
      popup = await b.openExtensionPage('popup/index.html');
      assert.deepEqual(await searchButtons(popup), [[SHARED_SEARCH.title, 'true'], [OWN_SEARCH.title, 'false']]);
      const region = popup.getByRole('region', { name: OWN_SEARCH.title, exact: true });
      await region.getByRole('button', { name: OWN_SEARCH.title, exact: true }).click();
      assert.deepEqual(await searchButtons(popup), [[SHARED_SEARCH.title, 'true'], [OWN_SEARCH.title, 'true']]);
      await region.getByRole('combobox', { name: 'Ashby job' }).fill('senior backend');
      await region.getByRole('option', { name: JOB_LINE, exact: true }).click();
      await region.getByRole('checkbox', { name: 'Upload automatically' }).check();
      await region.getByRole('combobox', { name: 'When' }).selectOption({ label: 'On like' });
      await region.getByRole('spinbutton', { name: 'Applicant limit' }).fill('10');
      await region.getByRole('button', { name: 'Save' }).click();
      await region.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      // The title line says what was saved.
      await region.locator('.summary').filter({ hasText: `${JOB_TITLE} · Auto upload on · 0/10 uploaded` }).waitFor();
      // It closes again with the same button.
      await region.getByRole('button', { name: OWN_SEARCH.title, exact: true }).click();
      assert.ok(!(await region.getByRole('combobox', { name: 'Ashby job' }).isVisible()));
      await popup.close();
      const { local } = await storage(b);
      const saved = local[`automation/${OWN_SEARCH.id}`];
      assert.equal(saved.jobId, jobId);
      assert.equal(saved.enabled, true);
      assert.equal(saved.trigger, 'OnLike');
      assert.equal(saved.applicantLimit, 10);
    } finally {
      await b.close();
    }
  });

  test('a long day: more than five searches get a filter, recent uploads show today at a glance, and it fits 600 px', async () => {
    await sandbox.admin('/admin/reset', {});
    const b = await dailyBrowser([OWN_SEARCH]);
    try {
      const extra = [
        'Data Engineer – Munich', 'Account Executive – London', 'Sales Development Rep',
        'Frontend Engineer – Remote', 'Talent Partner – Paris', 'Head of Product – Berlin',
      ];
      // Just after midnight, "a second ago" is yesterday: clamped into today like the failures.
      await awayFromMidnight();
      const day = new Date();
      day.setHours(0, 0, 0, 0);
      const midnight = day.getTime();
      const now = Date.now();
      await inExtension(b, ({ extra, midnight, now, search }) => {
        const items = {};
        extra.forEach((title, i) => {
          items[`search/extra-${i}`] = { searchId: `extra-${i}`, title, ownerEmail: 'jane@agency.com', lastSeenMs: now - 60_000 * (i + 1) };
        });
        const record = (status, atMs, extra = {}) => ({ status, jobId: 'j1', jobTitle: 'Senior Backend Engineer', atMs, origin: { kind: 'manual' }, ...extra });
        items[`upload/${search}/c-sent-1`] = record('Sent', Math.max(midnight, now - 1_000));
        items[`upload/${search}/c-sent-2`] = record('Sent', Math.max(midnight, now - 2_000));
        items[`upload/${search}/c-sent-old`] = record('Sent', midnight - 3_600_000);
        items[`upload/${search}/c-failed-1`] = record('Failed', Math.max(midnight, now - 50_000), { error: 'Ashby is down.' });
        items[`upload/${search}/c-failed-2`] = record('Failed', Math.max(midnight, now - 60_000), { error: 'Ashby is down.' });
        items[`upload/${search}/c-queued`] = record('Queued', now - 3_000);
        return chrome.storage.local.set(items);
      }, { extra, midnight, now, search: OWN_SEARCH.id });

      const popup = await b.openExtensionPage('popup/index.html');
      await popup.setViewportSize({ width: 440, height: 600 });
      await popup.getByText('all permissions granted').waitFor();
      assert.equal((await searchButtons(popup)).length, 7);

      // It fits the browser's popup: the page never scrolls, the open search is whole in
      // view, and only the list below scrolls.
      const own = popup.getByRole('region', { name: OWN_SEARCH.title, exact: true });
      const save = own.getByRole('button', { name: 'Save' });
      await save.waitFor();
      const fit = await popup.evaluate(() => {
        const scroll = document.querySelector('#fetcher-ashby-popup > .scroll');
        return {
          page: document.documentElement.scrollHeight,
          scrolls: scroll.scrollHeight > scroll.clientHeight,
          overflow: getComputedStyle(scroll).overflowY,
        };
      });
      assert.ok(fit.page <= 600, `the popup is ${fit.page} px tall`);
      assert.ok(fit.scrolls && fit.overflow === 'auto', JSON.stringify(fit));
      const box = await save.boundingBox();
      assert.ok(box && box.y + box.height <= 600, `Save ends at ${box && box.y + box.height} px`);
      await popup.screenshot({ path: path.join(SHOTS, 'popup-daily.png') });

      // Type to filter by title; Enter opens the first match and moves there; Escape clears.
      const filter = popup.getByRole('searchbox', { name: 'Filter searches' });
      await filter.fill('engineer');
      assert.deepEqual((await searchButtons(popup)).map(([title]) => title),
        [OWN_SEARCH.title, 'Data Engineer – Munich', 'Frontend Engineer – Remote']);
      await filter.fill('REMOTE front');
      assert.deepEqual(await searchButtons(popup), [['Frontend Engineer – Remote', 'false']]);
      await filter.press('Enter');
      assert.deepEqual(await searchButtons(popup), [['Frontend Engineer – Remote', 'true']]);
      assert.equal(await popup.evaluate(() => document.activeElement.textContent.startsWith('Frontend Engineer – Remote')), true);
      await popup.keyboard.press('Tab'); // into the search's form
      assert.equal(await popup.evaluate(() => document.activeElement.getAttribute('role')), 'combobox');
      await filter.fill('zzz');
      await popup.getByRole('status').filter({ hasText: 'No search title contains “zzz”.' }).waitFor();
      await filter.press('Escape');
      assert.equal(await filter.inputValue(), '');
      assert.equal((await searchButtons(popup)).length, 7);

      // Recent uploads: today's counts, failures first with Retry, the rest one click away.
      const activity = popup.getByRole('region', { name: 'Recent uploads' });
      assert.equal(await activity.getByText(/^Today:/).textContent(), 'Today: 2 sent · 2 failed · 1 in the queue');
      const rows = activity.getByRole('listitem');
      assert.equal(await rows.count(), 3);
      assert.match(await rows.nth(0).textContent(), /Ashby upload failed/);
      assert.match(await rows.nth(1).textContent(), /Ashby upload failed/);
      assert.equal(await rows.nth(0).getByRole('button', { name: 'Retry' }).count(), 1);
      assert.equal(await rows.nth(2).getByRole('button', { name: 'Retry' }).count(), 0);
      const all = activity.getByRole('button', { name: 'All recent uploads (6)' });
      assert.equal(await all.getAttribute('aria-expanded'), 'false');
      await all.click();
      assert.equal(await all.getAttribute('aria-expanded'), 'true');
      assert.equal(await rows.count(), 6);
      assert.equal(await activity.getByRole('button', { name: 'Export CSV' }).count(), 1);
      await popup.close();
    } finally {
      await b.close();
    }
  });

  test('stored data from the first release is migrated, and corrupt data is reset with a report', async () => {
    await disconnect();
    const page = await browser.openExtensionPage('manifest.json');
    await page.evaluate(async (key) => {
      await chrome.storage.local.clear();
      await chrome.storage.local.set({
        ashbyApiKey: key,
        ashbyConnection: { connected: true, keyTitle: 'Old key', scopes: ['jobs:read'] },
        'automation/search-eng-berlin': { searchId: 'search-eng-berlin', enabled: true, trigger: 'Sometimes' },
      });
    }, KEYS.full);
    await page.close();
    await browser.stopWorkers(); // a new worker instance migrates before its first answer
    const options = await browser.openExtensionPage('options/index.html');
    await options.getByText('Connected to Ashby with the key Old key').waitFor();
    await options.getByText(/a search's automation settings \(automation\/search-eng-berlin\)/).waitFor();
    const { local } = await storage();
    assert.equal(local.schemaVersion, 2);
    assert.equal(local.ashbyApiKey, undefined, 'the remembered key moved out of .local (the upgrade still did not disconnect: see above)');
    assert.equal(local['settings/keyStorage'], 'local');
    assert.equal(local.ashbyConnection, undefined);
    assert.equal(local['automation/search-eng-berlin'], undefined);
    await options.close();
  });
});
