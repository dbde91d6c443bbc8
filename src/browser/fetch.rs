//! What the worker's `fetch` needs beyond gloo-net: a deadline.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `AbortSignal.timeout(ms)`: aborts with a `TimeoutError` DOMException.
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_signal_timeout(milliseconds: u32) -> web_sys::AbortSignal;
}

/// A signal that aborts a request after `milliseconds`.
pub fn timeout_signal(milliseconds: u32) -> web_sys::AbortSignal {
    abort_signal_timeout(milliseconds)
}
