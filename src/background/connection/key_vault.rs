//! Where a remembered API key lives: the extension origin's IndexedDB. It survives browser
//! restarts like `chrome.storage.local`, but content scripts cannot read it: they run in the
//! page's origin, so their `indexedDB` is Fetcher's, whereas Chrome lets content scripts read
//! `chrome.storage.local` (and `setAccessLevel` exists only for `.session`).
//!
//! Bound by hand (a few methods) rather than through web-sys's IndexedDB features, which
//! would pull in many more types than these four calls need.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const DATABASE: &str = "fetcher-ashby-vault";
const STORE: &str = "secrets";
/// The one record: the remembered key.
const RECORD: &str = "ashbyApiKey";

#[wasm_bindgen]
extern "C" {
    type Factory;
    #[wasm_bindgen(method, catch)]
    fn open(this: &Factory, name: &str, version: u32) -> Result<Request, JsValue>;

    type Request;
    #[wasm_bindgen(method, getter)]
    fn result(this: &Request) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn error(this: &Request) -> JsValue;
    #[wasm_bindgen(method, setter)]
    fn set_onsuccess(this: &Request, handler: &Function);
    #[wasm_bindgen(method, setter)]
    fn set_onerror(this: &Request, handler: &Function);
    #[wasm_bindgen(method, setter)]
    fn set_onupgradeneeded(this: &Request, handler: &Function);

    type Database;
    #[wasm_bindgen(method, js_name = createObjectStore, catch)]
    fn create_object_store(this: &Database, name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn transaction(this: &Database, store: &str, mode: &str) -> Result<Transaction, JsValue>;
    #[wasm_bindgen(method)]
    fn close(this: &Database);

    type Transaction;
    #[wasm_bindgen(method, js_name = objectStore, catch)]
    fn object_store(this: &Transaction, name: &str) -> Result<Store, JsValue>;

    type Store;
    #[wasm_bindgen(method, catch)]
    fn get(this: &Store, key: &str) -> Result<Request, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn put(this: &Store, value: &JsValue, key: &str) -> Result<Request, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn delete(this: &Store, key: &str) -> Result<Request, JsValue>;
}

/// Another handle on the same request, for a callback to own.
fn same(request: &Request) -> Request {
    JsValue::clone(request).unchecked_into()
}

/// Resolves with the request's result once it succeeds (rejects with its error).
async fn finished(request: &Request) -> Result<JsValue, JsValue> {
    let done = Promise::new(&mut |resolve, reject| {
        let ok = same(request);
        request.set_onsuccess(
            Closure::once_into_js(move || resolve.call1(&JsValue::NULL, &ok.result()))
                .unchecked_ref(),
        );
        let failed = same(request);
        request.set_onerror(
            Closure::once_into_js(move || reject.call1(&JsValue::NULL, &failed.error()))
                .unchecked_ref(),
        );
    });
    JsFuture::from(done).await
}

async fn database() -> Result<Database, JsValue> {
    let factory: Factory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())?
        .dyn_into::<js_sys::Object>()?
        .unchecked_into();
    let request = factory.open(DATABASE, 1)?;
    let upgrading = same(&request);
    request.set_onupgradeneeded(
        Closure::once_into_js(move || {
            let db: Database = upgrading.result().unchecked_into();
            let _ = db.create_object_store(STORE);
        })
        .unchecked_ref(),
    );
    Ok(finished(&request).await?.unchecked_into())
}

/// Runs one request on the store and closes the database after it.
async fn with_store(
    mode: &str,
    call: impl FnOnce(&Store) -> Result<Request, JsValue>,
) -> Result<JsValue, JsValue> {
    let db = database().await?;
    let result = async {
        let store = db.transaction(STORE, mode)?.object_store(STORE)?;
        finished(&call(&store)?).await
    }
    .await;
    db.close();
    result
}

/// The remembered key, if any (`None` also when IndexedDB is unavailable).
pub async fn read() -> Option<String> {
    with_store("readonly", |store| store.get(RECORD))
        .await
        .ok()?
        .as_string()
}

pub async fn write(key: &str) -> Result<(), JsValue> {
    with_store("readwrite", |store| {
        store.put(&JsValue::from_str(key), RECORD)
    })
    .await
    .map(drop)
}

pub async fn forget() -> Result<(), JsValue> {
    with_store("readwrite", |store| store.delete(RECORD))
        .await
        .map(drop)
}
