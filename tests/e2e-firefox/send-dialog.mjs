// Driving the "Send to Ashby" dialog, in one place: today it is opened from the profile's ⋮
// (More actions) menu and lives in an open shadow root in the Fetcher page. If it moves (e.g.
// into an extension page in an iframe), only this file changes.
import { byRole, fill, textOf, until } from './harness.mjs';

/** Opens the dialog from the profile's More actions menu; returns the dialog's controls. */
export async function openSendDialog(page) {
  await (await byRole(page, 'button', 'More actions')).click();
  await (await byRole(page, 'menuitem', 'Send to Ashby')).click();
  const dialog = await byRole(page, 'dialog', 'Send to Ashby');
  return {
    /** Types `query` into "Ashby job" and picks the option named `option`. */
    async pickJob(query, option) {
      const picker = await byRole(page, 'combobox', 'Ashby job', { scope: dialog });
      await fill(picker, query);
      await (await byRole(page, 'option', option, { scope: dialog })).click();
      return picker.evaluate((input) => input.value);
    },
    /** Waits until the dialog's text matches `pattern` (e.g. the duplicate preview). */
    async waitForText(pattern) {
      await until(`the dialog to show ${pattern}`, async () => pattern.test(await textOf(dialog)));
    },
    /** Presses Send and waits for the dialog to close. */
    async send() {
      const send = await byRole(page, 'button', 'Send', { scope: dialog });
      await until('Send to be enabled', () => send.evaluate((b) => !b.disabled));
      await send.click();
      await until('the dialog to close', () => dialog.evaluate((d) => !d.isConnected));
    },
  };
}
