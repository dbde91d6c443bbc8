//! The storage seam of the outbox: a tiny async key-value API. The background worker implements
//! it over `chrome.storage.local`; tests and benchmarks use [`MemoryStore`].
//!
//! Values are JSON. `set` is one batched write (chrome.storage.local applies a `set` call's
//! items together), which is how a step persists its entry and its card record at once.

use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;

/// Why storage refused a read or a write (quota, browser shutting down, …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage failed: {0}")]
pub struct StoreError(pub String);

/// Async key-value storage. Futures are not `Send`: the extension is single-threaded wasm.
pub trait Store {
    /// The values stored under `keys`; absent keys are simply missing from the map.
    fn get(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<BTreeMap<String, Value>, StoreError>>;

    /// Writes every item in one batch.
    fn set(&self, items: Vec<(String, Value)>) -> impl Future<Output = Result<(), StoreError>>;

    /// Deletes `keys`; absent keys are ignored.
    fn remove(&self, keys: &[String]) -> impl Future<Output = Result<(), StoreError>>;
}

impl<S: Store + ?Sized> Store for &S {
    fn get(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<BTreeMap<String, Value>, StoreError>> {
        (**self).get(keys)
    }
    fn set(&self, items: Vec<(String, Value)>) -> impl Future<Output = Result<(), StoreError>> {
        (**self).set(items)
    }
    fn remove(&self, keys: &[String]) -> impl Future<Output = Result<(), StoreError>> {
        (**self).remove(keys)
    }
}

impl<S: Store + ?Sized> Store for Rc<S> {
    fn get(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<BTreeMap<String, Value>, StoreError>> {
        (**self).get(keys)
    }
    fn set(&self, items: Vec<(String, Value)>) -> impl Future<Output = Result<(), StoreError>> {
        (**self).set(items)
    }
    fn remove(&self, keys: &[String]) -> impl Future<Output = Result<(), StoreError>> {
        (**self).remove(keys)
    }
}

/// In-memory [`Store`] that counts its traffic, for tests and benchmarks. Its futures are
/// ready immediately.
#[derive(Debug, Default)]
pub struct MemoryStore {
    items: RefCell<BTreeMap<String, Value>>,
    set_calls: Cell<u64>,
    keys_written: Cell<u64>,
    bytes_written: Cell<u64>,
    get_calls: Cell<u64>,
    /// When set, the `set` call after this many more succeed fails with the message (then the
    /// store works again).
    fail_set: RefCell<Option<(u64, String)>>,
}

/// What a [`MemoryStore`] has been asked to do so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreStats {
    /// `set` calls (batched writes).
    pub set_calls: u64,
    /// Keys written over all `set` calls.
    pub keys_written: u64,
    /// Serialised JSON bytes written over all `set` calls.
    pub bytes_written: u64,
    pub get_calls: u64,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn stats(&self) -> StoreStats {
        StoreStats {
            set_calls: self.set_calls.get(),
            keys_written: self.keys_written.get(),
            bytes_written: self.bytes_written.get(),
            get_calls: self.get_calls.get(),
        }
    }

    /// One stored value (synchronously, for assertions).
    pub fn peek(&self, key: &str) -> Option<Value> {
        self.items.borrow().get(key).cloned()
    }

    /// Every stored key, sorted.
    pub fn keys(&self) -> Vec<String> {
        self.items.borrow().keys().cloned().collect()
    }

    pub fn len(&self) -> usize {
        self.items.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.borrow().is_empty()
    }

    /// Makes the next `set` fail (simulates a full quota or a dying worker).
    pub fn fail_next_set(&self, message: impl Into<String>) {
        self.fail_set_after(0, message);
    }

    /// Lets `successes` more `set` calls through, then fails one (a worker killed right after
    /// its n-th write).
    pub fn fail_set_after(&self, successes: u64, message: impl Into<String>) {
        *self.fail_set.borrow_mut() = Some((successes, message.into()));
    }
}

impl Store for MemoryStore {
    fn get(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<BTreeMap<String, Value>, StoreError>> {
        self.get_calls.set(self.get_calls.get() + 1);
        let items = self.items.borrow();
        let found = keys
            .iter()
            .filter_map(|key| items.get(key).map(|value| (key.clone(), value.clone())))
            .collect();
        std::future::ready(Ok(found))
    }

    fn set(&self, items: Vec<(String, Value)>) -> impl Future<Output = Result<(), StoreError>> {
        {
            let mut fail = self.fail_set.borrow_mut();
            match fail.as_mut() {
                Some((0, _)) => {
                    let (_, message) = fail.take().unwrap_or_default();
                    return std::future::ready(Err(StoreError(message)));
                }
                Some((remaining, _)) => *remaining -= 1,
                None => {}
            }
        }
        self.set_calls.set(self.set_calls.get() + 1);
        let mut stored = self.items.borrow_mut();
        for (key, value) in items {
            self.keys_written.set(self.keys_written.get() + 1);
            let bytes = value.to_string().len() as u64;
            self.bytes_written.set(self.bytes_written.get() + bytes);
            stored.insert(key, value);
        }
        std::future::ready(Ok(()))
    }

    fn remove(&self, keys: &[String]) -> impl Future<Output = Result<(), StoreError>> {
        let mut stored = self.items.borrow_mut();
        for key in keys {
            stored.remove(key);
        }
        std::future::ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ashby::test_support::block_on;
    use serde_json::json;

    #[test]
    fn memory_store_round_trip_and_counts() {
        let store = MemoryStore::new();
        block_on(store.set(vec![("a".into(), json!(1)), ("b".into(), json!({"x": 2}))])).unwrap();
        let got = block_on(store.get(&["a".into(), "c".into()])).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got["a"], json!(1));
        block_on(store.remove(&["a".into()])).unwrap();
        assert_eq!(store.keys(), ["b"]);
        let stats = store.stats();
        assert_eq!(stats.set_calls, 1);
        assert_eq!(stats.keys_written, 2);
        assert_eq!(stats.get_calls, 1);

        store.fail_next_set("quota");
        assert_eq!(
            block_on(store.set(vec![("c".into(), json!(3))])),
            Err(StoreError("quota".into()))
        );
        let by_ref: &MemoryStore = &store;
        block_on(Store::set(&by_ref, vec![("c".into(), json!(3))])).unwrap();
        assert_eq!(store.peek("c"), Some(json!(3)));
    }
}
