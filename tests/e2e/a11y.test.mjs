// Accessibility on the production build: an axe-core scan of the popup (disconnected and
// connected), the options page and the Send dialog (an extension page framed into the tab) finds no serious or
// critical violation; the whole send flow works from the keyboard alone, with visible focus.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { FETCHER, KEYS, closeSendDialogBy, launchBrowser, sendDialog, sendFromPage, startSandbox } from './harness.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PROFILE = `${FETCHER}/searches/search-eng-berlin/candidates/cand-lena-hoffmann?delay=0`;

/**
 * Serious and critical axe violations in `page` (within `include`, a CSS selector, when
 * given). axe is evaluated through the debugger protocol, which the extension pages' CSP does
 * not apply to (an injected <script> would be blocked, rightly).
 */
async function seriousViolations(page, include) {
  await page.evaluate(`${AXE_SOURCE};0`);
  const violations = await page.evaluate(async (selector) => {
    const context = selector ? { include: [[selector]] } : document;
    const { violations, passes } = await window.axe.run(context, { resultTypes: ['violations'] });
    if (passes.length < 5) throw new Error(`axe checked almost nothing (${passes.length} rules passed)`);
    return violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' >>> ')) }));
  }, include);
  const minor = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) console.log(`axe, minor (${page.url()}): ${JSON.stringify(minor)}`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Presses Tab until `locator` has focus (at most `limit` times); fails otherwise. */
async function tabTo(page, locator, limit = 30) {
  for (let i = 0; i < limit; i++) {
    if (await locator.evaluate((el) => el === document.activeElement || el.getRootNode().activeElement === el)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${locator}`);
}

/** The outline the focused element (inside shadow roots too) is drawn with. */
function focusRing(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const style = getComputedStyle(el);
    return { what: `${el.tagName} ${el.getAttribute('role') ?? ''} ${el.textContent.trim().slice(0, 30)}`, style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
}

describe('accessibility', () => {
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

  test('the popup, disconnected, has no serious violations and connects from the keyboard', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    const keyBox = popup.getByRole('textbox', { name: 'Ashby API key' });
    await keyBox.waitFor();
    assert.deepEqual(await seriousViolations(popup), []);

    await tabTo(popup, keyBox);
    const ring = await focusRing(popup);
    assert.ok(ring.style !== 'none' && ring.width > 0, `visible focus on ${ring.what}`);
    await popup.keyboard.type(KEYS.full);
    await popup.keyboard.press('Enter'); // submits the form
    await popup.getByText('Connected to Ashby with the key').waitFor();
    await popup.close();
  });

  test('the popup, connected, with a search seen, has no serious violations', async () => {
    // A Fetcher visit makes a search appear in Ashby Sync.
    const page = await browser.context.newPage();
    await page.goto(`${FETCHER}/searches/search-eng-berlin?delay=0`);
    await page.getByRole('article').first().waitFor();
    const popup = await browser.openExtensionPage('popup/index.html');
    await popup.getByText('Connected to Ashby with the key').waitFor();
    await popup.getByRole('region', { name: 'Ashby Sync' }).or(popup.locator('section.sync')).first().waitFor();
    // The search of the tab in front is open, so its form is scanned; so are the connection
    // details (behind a button while the connection is healthy).
    await popup
      .getByRole('region', { name: 'Senior Backend Engineer – Berlin' })
      .getByRole('combobox', { name: 'Ashby job' })
      .waitFor();
    const details = popup.getByRole('button', { name: 'Connection details' });
    if ((await details.getAttribute('aria-expanded')) === 'false') await details.click();
    await popup.getByRole('region', { name: 'Permissions' }).waitFor();
    await popup.waitForLoadState('networkidle');
    assert.deepEqual(await seriousViolations(popup), []);
    await popup.close();
    await page.close();
  });

  test('the options page has no serious violations', async () => {
    const options = await browser.openExtensionPage('options/index.html');
    await options.getByRole('button', { name: 'Disconnect' }).waitFor();
    assert.deepEqual(await seriousViolations(options), []);
    await options.close();
  });

  test('menu item, dialog and Send work from the keyboard alone, with visible focus, and the dialog passes axe', async () => {
    const popup = await browser.openExtensionPage('popup/index.html');
    const connected = await sendFromPage(popup, { type: 'ConnectionStatus' });
    if (!connected.connected) await sendFromPage(popup, { type: 'Connect', apiKey: KEYS.full });
    await popup.close();

    const page = await browser.context.newPage();
    await page.goto(PROFILE);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const more = page.getByRole('button', { name: 'More actions' });
    await tabTo(page, more, 80);
    await page.keyboard.press('ArrowDown'); // opens the menu on its first item
    const item = page.getByRole('menuitem', { name: 'Send to Ashby' });
    await item.waitFor();
    for (let i = 0; i < 10 && !(await item.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('ArrowDown');
    }
    assert.ok(await item.evaluate((el) => el === document.activeElement), 'Send to Ashby has focus');
    const itemRing = await focusRing(page);
    assert.ok(itemRing.style !== 'none' && itemRing.width > 0, `visible focus on ${itemRing.what}`);
    await page.keyboard.press('Enter');

    const { frame, dialog } = await sendDialog(page);
    await frame.waitForFunction(() => document.activeElement?.getAttribute('role') === 'combobox');
    assert.deepEqual(await seriousViolations(frame), []);

    await page.keyboard.type('backend berlin');
    await dialog.getByRole('option').first().waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter'); // chooses the highlighted job
    const send = dialog.getByRole('button', { name: 'Send', exact: true });
    await frame.waitForFunction(() => !document.querySelector('button.primary')?.disabled);
    await dialog.getByText(/Not in Ashby yet|Already in Ashby/).waitFor();
    assert.deepEqual(await seriousViolations(frame), [], 'with a job chosen and its preview');
    await tabTo(page, send, 30);
    const sendRing = await focusRing(frame);
    assert.ok(sendRing.style !== 'none' && sendRing.width > 0, `visible focus on ${sendRing.what}`);
    await closeSendDialogBy(page, () => page.keyboard.press('Enter'));
    assert.ok(await more.evaluate((el) => el === document.activeElement), 'focus returns to the ⋮ button');
    const status = page.getByRole('status', { name: 'Ashby upload status' });
    await status.filter({ hasText: /^Sent to Ashby|^Queued for Ashby|^Sending to Ashby/ }).first().waitFor();
    await page.close();
  });

  test('the profile button is reachable by Tab, with a visible focus ring, and passes axe', async () => {
    const page = await browser.context.newPage();
    await page.goto(PROFILE);
    const button = page.getByRole('button', { name: /^(Send to Ashby|Send again…)$/ });
    await button.waitFor();
    await tabTo(page, button, 80);
    const ring = await focusRing(page);
    assert.ok(ring.style !== 'none' && ring.width > 0, `visible focus on ${ring.what}`);
    assert.deepEqual(await seriousViolations(page, '[data-fetcher-ashby-status]'), []);
    await page.close();
  });

  test('Escape closes the dialog and returns focus', async () => {
    const page = await browser.context.newPage();
    await page.goto(PROFILE);
    const more = page.getByRole('button', { name: 'More actions' });
    await tabTo(page, more, 80);
    await page.keyboard.press('Enter');
    const item = page.getByRole('menuitem', { name: 'Send to Ashby' });
    await item.waitFor();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const { frame } = await sendDialog(page);
    await frame.waitForFunction(() => document.activeElement?.getAttribute('role') === 'combobox');
    await closeSendDialogBy(page, () => page.keyboard.press('Escape'));
    assert.ok(await more.evaluate((el) => el === document.activeElement), 'focus returns to the ⋮ button');
    await page.close();
  });
});
