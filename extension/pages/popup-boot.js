// Boots the popup's wasm. An external module because the extension CSP forbids inline scripts.
import init, { start_popup } from './fetcher-ashby.js';

init({ module_or_path: './fetcher-ashby_bg.wasm' }).then(() => start_popup());
