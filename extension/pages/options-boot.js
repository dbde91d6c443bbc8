// Boots the options page's wasm. An external module because the extension CSP forbids inline scripts.
import init, { start_options } from './fetcher-ashby.js';

init({ module_or_path: './fetcher-ashby_bg.wasm' }).then(() => start_options());
