//! The few global-scope functions used outside a window (the worker has none): random ids and
//! timers.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[cfg(feature = "background")]
    #[wasm_bindgen(js_namespace = crypto, js_name = randomUUID)]
    fn crypto_random_uuid() -> String;

    #[wasm_bindgen(js_name = setTimeout, catch)]
    fn set_timeout(handler: &js_sys::Function, milliseconds: f64) -> Result<JsValue, JsValue>;
}

/// A random version-4 UUID (`crypto.randomUUID()`), unguessable.
#[cfg(feature = "background")]
pub fn random_uuid() -> String {
    crypto_random_uuid()
}

/// Resolves after `ms` (a timer in the global scope; in the worker it does not survive the
/// worker being stopped: alarms do).
pub async fn sleep(ms: f64) {
    let _ = JsFuture::from(timer(ms)).await;
}

/// A promise that resolves after `ms`.
pub fn timer(ms: f64) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, _| {
        let _ = set_timeout(&resolve, ms.max(0.0));
    })
}
