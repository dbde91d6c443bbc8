//! `chrome.permissions`: host access the recruiter grants at run time (Firefox makes MV3 host
//! permissions optional).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = contains, catch)]
    fn permissions_contains(permissions: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "permissions"], js_name = request, catch)]
    fn permissions_request(permissions: &JsValue) -> Result<Promise, JsValue>;
}

/// `{ origins }`.
fn origins(hosts: &[&str]) -> JsValue {
    let object = js_sys::Object::new();
    let list: js_sys::Array = hosts.iter().map(|h| JsValue::from_str(h)).collect();
    let _ = js_sys::Reflect::set(&object, &"origins".into(), &list);
    object.into()
}

/// A permissions answer still to come: `None` when the API is not there.
pub struct Answer(Option<Promise>);

impl Answer {
    pub async fn granted(self) -> Option<bool> {
        JsFuture::from(self.0?).await.ok()?.as_bool()
    }
}

/// Whether every one of `hosts` is granted.
pub async fn contains(hosts: &[&str]) -> Option<bool> {
    Answer(permissions_contains(&origins(hosts)).ok())
        .granted()
        .await
}

/// Asks the recruiter for `hosts`. Made at once, not when awaited: Firefox honours the
/// request only inside the click handler itself, so call this there and await the answer.
pub fn request(hosts: &[&str]) -> Answer {
    Answer(permissions_request(&origins(hosts)).ok())
}
