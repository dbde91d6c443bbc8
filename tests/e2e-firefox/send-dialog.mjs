// Driving the "Send to Ashby" dialog, in one place. It is the extension's own page
// (`send/index.html`) framed into the Fetcher tab inside a CLOSED shadow root: the page's DOM
// does not lead to it, so the test finds it in the browser's frame tree, as the Chromium
// suite does (`sendDialog` in ../e2e/harness.mjs).
//
// Firefox's remote agent lists the frame as a child browsing context of the tab and runs
// scripts in it, but never reports its navigation to the moz-extension:// page, so puppeteer's
// `frame.url()` stays "about:blank": the frame is recognised by its own `location.href`.
import { byRole, fill, textOf, until } from './harness.mjs';

const SEND_PAGE = /^moz-extension:\/\/[^/]+\/send\/index\.html#/;

/** The frames of `page` that are the Send dialog page, with their location. */
export async function sendFrames(page) {
  const found = [];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame() || frame.detached) continue;
    const href = await frame.evaluate(() => location.href).catch(() => '');
    if (SEND_PAGE.test(href)) found.push({ frame, href });
  }
  return found;
}

/** Waits until no Send dialog frame is left in `page`. */
export async function sendDialogClosed(page) {
  await until('the dialog to close', async () => (await sendFrames(page)).length === 0);
}

/**
 * Opens the dialog from the profile's More actions menu (real clicks: the content script acts
 * only on trusted input); returns the dialog's controls and where its frame comes from.
 */
export async function openSendDialog(page) {
  await (await byRole(page, 'button', 'More actions')).click();
  await (await byRole(page, 'menuitem', 'Send to Ashby')).click();
  const { frame, href } = await until('the Send dialog frame', async () => (await sendFrames(page))[0]);
  const dialog = await byRole(frame, 'dialog', 'Send to Ashby');
  return {
    /** The frame's URL (the extension's page, the draft's token in the fragment). */
    href,
    /** Types `query` into "Ashby job" and picks the option named `option`. */
    async pickJob(query, option) {
      const picker = await byRole(frame, 'combobox', 'Ashby job', { scope: dialog });
      await fill(picker, query);
      await (await byRole(frame, 'option', option, { scope: dialog })).click();
      return picker.evaluate((input) => input.value);
    },
    /** The value of the review field `label` (what was read from the Fetcher page). */
    async field(label) {
      return (await byRole(frame, 'textbox', label, { scope: dialog })).evaluate((input) => input.value);
    },
    /** Waits until the dialog's text matches `pattern` (e.g. the duplicate preview). */
    async waitForText(pattern) {
      let text = '';
      await until(`the dialog to show ${pattern}`, async () => pattern.test(text = await textOf(dialog)))
        .catch((error) => { throw new Error(`${error.message}; it shows: ${text}`); });
    },
    /** Presses Send and waits for the dialog's frame to be removed from the page. */
    async send() {
      const send = await byRole(frame, 'button', 'Send', { scope: dialog });
      await until('Send to be enabled', () => send.evaluate((b) => !b.disabled));
      await send.click();
      await sendDialogClosed(page);
    },
  };
}
