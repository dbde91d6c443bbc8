//! `chrome.alarms`: wake-ups that survive the worker being stopped (timers do not).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = create, catch)]
    fn alarms_create(name: &str, info: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = get, catch)]
    fn alarms_get(name: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "alarms"], js_name = clear, catch)]
    fn alarms_clear(name: &str) -> Result<Promise, JsValue>;
}

/// Settles `promise` in the background (its outcome does not matter, but it is not left
/// unhandled).
fn settle(promise: Result<Promise, JsValue>) {
    if let Ok(promise) = promise {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

fn info(field: &str, value: f64) -> JsValue {
    let info = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&info, &field.into(), &JsValue::from_f64(value));
    info.into()
}

/// Whether an alarm of this name exists.
pub async fn exists(name: &str) -> bool {
    match alarms_get(name) {
        Ok(promise) => JsFuture::from(promise)
            .await
            .is_ok_and(|existing| existing.is_object()),
        Err(_) => false,
    }
}

/// Creates (or replaces) a repeating alarm, first firing after one period.
pub async fn create_periodic(name: &str, period_minutes: f64) {
    if let Ok(promise) = alarms_create(name, &info("periodInMinutes", period_minutes)) {
        let _ = JsFuture::from(promise).await;
    }
}

/// Creates (or replaces) a one-off alarm at `when_ms`. The call is made now, so calls keep
/// their order; its outcome is not awaited.
pub fn set_at(name: &str, when_ms: f64) {
    settle(alarms_create(name, &info("when", when_ms)));
}

/// Clears an alarm. The call is made now; its outcome is not awaited.
pub fn clear(name: &str) {
    settle(alarms_clear(name));
}
