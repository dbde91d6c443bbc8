// When the extension cannot work on a Fetcher page, the popup says so plainly.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FETCHER, launchBrowser, startSandbox } from './harness.mjs';

async function popupNote(browser) {
  const popup = await browser.openExtensionPage('popup/index.html');
  await popup.getByRole('heading', { name: 'Fetcher → Ashby' }).waitFor();
  await popup.getByRole('textbox', { name: 'Ashby API key' }).waitFor();
  const note = popup.locator('.page-problem');
  const text = (await note.count()) ? await note.textContent() : null;
  await popup.close();
  return text;
}

describe('pages the extension cannot work on', () => {
  test('an unrecognised Fetcher page is explained, and a search page clears it', async () => {
    const sandbox = await startSandbox();
    const browser = await launchBrowser(sandbox);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${FETCHER}/settings?delay=0`);
      await page.waitForTimeout(300);
      assert.match((await popupNote(browser)) ?? '', /not a search or a candidate profile/);
      await page.goto(`${FETCHER}/searches/search-eng-berlin?delay=0`);
      await page.getByRole('article').first().waitFor();
      await page.waitForTimeout(300);
      assert.equal(await popupNote(browser), null);
    } finally {
      await browser.close();
      await sandbox.stop();
    }
  });

  test('a page whose CSP blocks WebAssembly is reported, and the page still works', async () => {
    const sandbox = await startSandbox(['--fetcher-csp', "script-src 'self'; object-src 'none'"]);
    const browser = await launchBrowser(sandbox);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${FETCHER}/searches/search-eng-berlin/candidates/cand-lena-hoffmann?delay=0`);
      await page.getByRole('button', { name: 'More actions' }).click();
      await page.getByRole('menu').waitFor();
      assert.equal(await page.getByRole('menuitem', { name: 'Send to Ashby' }).count(), 0);
      let note = null;
      for (let i = 0; i < 20 && !note; i += 1) {
        note = await popupNote(browser);
        if (!note) await page.waitForTimeout(200);
      }
      assert.match(note ?? '', /blocked the extension/);
    } finally {
      await browser.close();
      await sandbox.stop();
    }
  });
});
