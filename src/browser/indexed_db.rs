//! The extension origin's IndexedDB, as a key-value store of one object store per database
//! (all the key vault needs). Bound by hand (a few methods) rather than through web-sys's
//! IndexedDB features, which would pull in many more types than these calls need.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

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

/// One object store (`store`) in its own database (`database`, version 1, created on first
/// use).
pub struct KeyValueStore {
    pub database: &'static str,
    pub store: &'static str,
}

impl KeyValueStore {
    /// The value under `key` (`undefined` when absent).
    pub async fn get(&self, key: &str) -> Result<JsValue, JsValue> {
        self.with_store("readonly", |store| store.get(key)).await
    }

    pub async fn put(&self, key: &str, value: &JsValue) -> Result<(), JsValue> {
        self.with_store("readwrite", |store| store.put(value, key))
            .await
            .map(drop)
    }

    pub async fn delete(&self, key: &str) -> Result<(), JsValue> {
        self.with_store("readwrite", |store| store.delete(key))
            .await
            .map(drop)
    }

    async fn database(&self) -> Result<Database, JsValue> {
        let factory: Factory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())?
            .dyn_into::<js_sys::Object>()?
            .unchecked_into();
        let request = factory.open(self.database, 1)?;
        let upgrading = same(&request);
        let store = self.store;
        request.set_onupgradeneeded(
            Closure::once_into_js(move || {
                let db: Database = upgrading.result().unchecked_into();
                let _ = db.create_object_store(store);
            })
            .unchecked_ref(),
        );
        Ok(finished(&request).await?.unchecked_into())
    }

    /// Runs one request on the store and closes the database after it.
    async fn with_store(
        &self,
        mode: &str,
        call: impl FnOnce(&Store) -> Result<Request, JsValue>,
    ) -> Result<JsValue, JsValue> {
        let db = self.database().await?;
        let result = async {
            let store = db.transaction(self.store, mode)?.object_store(self.store)?;
            finished(&call(&store)?).await
        }
        .await;
        db.close();
        result
    }
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
