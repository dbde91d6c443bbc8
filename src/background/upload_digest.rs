//! Keeps each search's upload digest ([`crate::upload::digest`]) in step with its records.
//! Every change to a record (an upload's progress, automation, pruning, a reset) marks its
//! search, whoever made it; one task at a time rewrites the marked searches' digests from the
//! records as stored then, so the last rewrite always follows the last change.

use crate::browser::storage::local;
use crate::domain::SearchId;
use crate::storage_schema::keys::{self, StorageKey};
use crate::upload::digest;
use js_sys::{Object, Reflect};
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;

thread_local! {
    /// Searches whose records changed since their digest was last written.
    static MARKED: RefCell<Vec<SearchId>> = const { RefCell::new(Vec::new()) };
    /// Whether the rewriting task is running (it takes every search marked meanwhile too).
    static REWRITING: Cell<bool> = const { Cell::new(false) };
}

/// Follows record changes for the life of this worker instance. A worker stopped before a
/// rewrite leaves the digest behind its records until their next change; readers correct it
/// from the records.
pub fn follow_records() {
    local::on_change(|key, _| {
        if let Some(StorageKey::UploadRecord { search_id, .. }) = StorageKey::parse(&key) {
            mark(search_id);
        }
    });
}

fn mark(search_id: SearchId) {
    MARKED.with(|marked| {
        let mut marked = marked.borrow_mut();
        if !marked.contains(&search_id) {
            marked.push(search_id);
        }
    });
    if REWRITING.with(|rewriting| rewriting.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        while let Some(search_id) = MARKED.with(|marked| marked.borrow_mut().pop()) {
            if let Err(error) = rewrite(&search_id).await {
                web_sys::console::warn_2(
                    &"fetcher-ashby: upload digest not written:".into(),
                    &error,
                );
            }
        }
        REWRITING.with(|rewriting| rewriting.set(false));
    });
}

/// Writes the search's digest from its records as stored (removes it when there are none). A
/// digest that cannot be written (storage full) is removed rather than left behind its records.
/// The records stay JS values: they are copied, not decoded.
async fn rewrite(search_id: &SearchId) -> Result<(), JsValue> {
    let key = keys::upload_digest(search_id);
    let mut record_keys = digest::record_keys(search_id, &local::keys(None).await?);
    crate::sorting::sort(&mut record_keys);
    let found = match record_keys.is_empty() {
        true => JsValue::UNDEFINED,
        false => local::get_many(&record_keys).await?,
    };
    let record = |record_key: &String| Reflect::get(&found, &JsValue::from_str(record_key));
    let records: Vec<(f64, &String)> = record_keys
        .iter()
        .filter_map(|record_key| {
            let record = record(record_key).ok().filter(JsValue::is_object)?;
            let at_ms = Reflect::get(&record, &JsValue::from_str("atMs")).ok()?;
            Some((at_ms.as_f64().unwrap_or(0.0), record_key))
        })
        .collect();
    if records.is_empty() {
        return local::remove(&[key]).await;
    }
    let copy = Object::new();
    for record_key in digest::newest(records) {
        if let Some(candidate_id) = digest::candidate_of(search_id, record_key) {
            Reflect::set(
                &copy,
                &JsValue::from_str(candidate_id),
                &record(record_key)?,
            )?;
        }
    }
    if let Err(error) = local::set(&key, &copy).await {
        local::remove(&[key]).await?;
        return Err(error);
    }
    Ok(())
}
