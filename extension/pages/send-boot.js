// Boots the Send dialog page's wasm module (entry `start_send`). An external module because
// the extension CSP forbids inline scripts.
import init, { start_send } from './fetcher-ashby.js';

init({ module_or_path: './fetcher-ashby_bg.wasm' }).then(() => start_send());
