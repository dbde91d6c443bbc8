// Boots the popup's wasm. An external module because the extension CSP forbids inline scripts.
import init, { start_popup } from './fetcher-ashby.js';

// Wakes a stopped worker while the wasm compiles: the popup's first requests then find it
// starting or ready (a Ping has no effect beyond that).
chrome.runtime.sendMessage({ type: 'Ping' }).catch(() => {});
init({ module_or_path: './fetcher-ashby_bg.wasm' }).then(() => start_popup());
