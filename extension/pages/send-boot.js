// Boots the Send dialog page with the popup's wasm module (entry `start_send`). An external
// module because the extension CSP forbids inline scripts.
import init, { start_send } from '../popup/fetcher-ashby.js';

init({ module_or_path: '../popup/fetcher-ashby_bg.wasm' }).then(() => start_send());
