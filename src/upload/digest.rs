//! A search's upload records copied into one stored value (`uploadDigest/<searchId>`), kept by
//! the worker. A search page draws its first statuses from it with one storage read: the
//! records themselves need two (list the keys, then read them), and on a first load the second
//! answer often arrives after the site has rendered its cards. The records stay the truth: the
//! content script reads them as well and corrects what the copy had (it can lag, for example
//! when the worker stops between writing a record and its digest).

use crate::domain::SearchId;
use crate::storage_schema::keys::{self, StorageKey};
use crate::upload::outbox::newest_first;

/// The most records a digest holds, the newest: a page shows a few dozen cards, and every
/// record change rewrites the whole digest. Older ones reach their cards from the records.
pub const MOST_RECORDS: usize = 500;

/// The keys of the search's upload records among `stored` (every key in storage).
pub fn record_keys(search_id: &SearchId, stored: &[String]) -> Vec<String> {
    stored
        .iter()
        .filter(|key| {
            matches!(StorageKey::parse(key),
                Some(StorageKey::UploadRecord { search_id: of, .. }) if &of == search_id)
        })
        .cloned()
        .collect()
}

/// Which of the search's records its digest holds: the newest [`MOST_RECORDS`] by when their
/// status was set (`records`: each record's `atMs`, 0 when it has none, and key, in key order),
/// newest first, equal times in key order so the same records give the same digest. The
/// digest itself is `{candidateId: record}`, the records copied as stored (whoever reads them
/// decodes and checks them, as they would the records); none is kept for a search without
/// records.
pub fn newest(mut records: Vec<(f64, &String)>) -> Vec<&String> {
    newest_first(&mut records);
    records.truncate(MOST_RECORDS);
    records.into_iter().map(|(_, key)| key).collect()
}

/// The candidate a record key of the search names (the digest's key for it).
pub fn candidate_of<'a>(search_id: &SearchId, record_key: &'a str) -> Option<&'a str> {
    record_key.strip_prefix(&keys::upload_records_of(search_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_searchs_own_records_are_picked() {
        let stored: Vec<String> = [
            "upload/s1/c1",
            "upload/s1/c2",
            "upload/s10/c3",
            "upload/s1/c4/extra",
            "history/s1/c5",
            "uploadDigest/s1",
            "outbox/s1/c1/j1",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            record_keys(&"s1".into(), &stored),
            ["upload/s1/c1", "upload/s1/c2"]
        );
    }

    fn keys(names: impl IntoIterator<Item = String>) -> Vec<String> {
        let mut keys: Vec<String> = names.into_iter().collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_newest_records_are_kept_newest_first() {
        let stored = keys(["upload/s1/c1", "upload/s1/c2", "upload/s1/c3"].map(String::from));
        let kept = newest(vec![
            (10.0, &stored[0]),
            (30.0, &stored[2]),
            (20.0, &stored[1]),
        ]);
        assert_eq!(kept, ["upload/s1/c3", "upload/s1/c2", "upload/s1/c1"]);
        assert!(newest(Vec::new()).is_empty());
        assert_eq!(candidate_of(&"s1".into(), "upload/s1/c2"), Some("c2"));
        assert_eq!(candidate_of(&"s1".into(), "upload/s10/c2"), None);
    }

    #[test]
    fn a_long_search_keeps_its_newest_records() {
        let stored = keys((0..MOST_RECORDS + 20).map(|n| format!("upload/s1/c{n:04}")));
        let records = stored
            .iter()
            .enumerate()
            .map(|(n, key)| (1_000.0 + n as f64, key))
            .collect();
        let kept = newest(records);
        assert_eq!(kept.len(), MOST_RECORDS);
        // The 20 oldest (c0000..c0019) are left to the records.
        assert!(!kept.contains(&&stored[19]));
        assert!(kept.contains(&&stored[20]));
        assert_eq!(kept[0], &stored[MOST_RECORDS + 19]);
    }

    #[test]
    fn equal_times_are_kept_in_key_order() {
        let stored = keys(
            (0..=MOST_RECORDS)
                .map(|n| format!("upload/s1/c{n:04}"))
                .chain(["upload/s1/a-old".to_owned()]),
        );
        let records = stored
            .iter()
            .map(|key| (if key.ends_with("a-old") { 0.0 } else { 5.0 }, key))
            .collect();
        let kept = newest(records);
        assert_eq!(kept.first().unwrap().as_str(), "upload/s1/c0000");
        assert_eq!(
            kept.last().unwrap(),
            &&format!("upload/s1/c{:04}", MOST_RECORDS - 1)
        );
        assert!(!kept.iter().any(|key| key.ends_with("a-old")));
    }
}
