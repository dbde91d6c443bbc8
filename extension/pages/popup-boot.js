// Boots the popup's wasm. An external module because the extension CSP forbids inline scripts.
import init, { start_popup } from './fetcher-ashby.js';

// What the popup shows first is in storage: asked for now, while the wasm loads, and handed
// to it (the keys are the storage schema's; a failed read is asked again by the wasm).
const early = {
  remembered: chrome.storage.session.get(['popup/connection', 'popup/searches']).catch(() => undefined),
  jobs: chrome.storage.local.get('cache/jobs').catch(() => undefined),
};
// With nothing remembered (the first opening in a browser session) the popup waits for the
// worker: a stopped one is woken now, to start while the wasm compiles (a Ping does nothing
// else). Otherwise the popup asks it once it has shown what storage holds (`startup.rs`), so
// its start-up does not compete with the popup's.
early.remembered.then((found) => {
  if (!found?.['popup/connection']) chrome.runtime.sendMessage({ type: 'Ping' }).catch(() => {});
});
init({ module_or_path: './fetcher-ashby_bg.wasm' }).then(() => start_popup(early));
