// Boots the popup's wasm. An external module because the extension CSP forbids inline scripts.
import init, { start_popup } from './fetcher-ashby.js';

// Wakes a stopped worker while the wasm compiles: the popup's first requests then find it
// starting or ready (a Ping has no effect beyond that).
chrome.runtime.sendMessage({ type: 'Ping' }).catch(() => {});
// What the popup shows first is in storage: asked for now, while the wasm loads, and handed
// to it (the keys are the storage schema's; a failed read is asked again by the wasm).
const early = {
  remembered: chrome.storage.session.get(['popup/connection', 'popup/searches']).catch(() => undefined),
  jobs: chrome.storage.local.get('cache/jobs').catch(() => undefined),
};
init({ module_or_path: './fetcher-ashby_bg.wasm' }).then(() => start_popup(early));
