//! Bounded observation history. Every candidate a page shows gets a `history/<search>/<id>`
//! entry (that is what keeps automation from acting retroactively), so a page, or years of
//! use, could otherwise fill `chrome.storage.local` (10 MB) until nothing can be saved.
//!
//! The rule: at most [`MAX_HISTORIES`] entries over all searches. Past that, the oldest (by
//! first sighting) are forgotten down to [`KEEP_AFTER_PRUNE`], and each forgotten
//! `(search, candidate)` goes into a fixed-size [`ForgottenSketch`] (a Bloom filter, 128 KiB
//! however many are forgotten). A candidate with no history that the sketch has seen is
//! treated as seen before with every trigger fired ([`remembered_history`]), so a forgotten
//! candidate shown again never fires "All new candidates" or a status trigger. The sketch can
//! err only one way: rarely (about 1 in 100 after 110,000 forgotten candidates) a truly new
//! candidate is taken for a forgotten one and not uploaded automatically; it is never the
//! other way round.

use super::CandidateHistory;
use crate::domain::Trigger;
use crate::from_json::FromJson;
use crate::storage_schema::keys;
use serde_json::Value;
use std::collections::BTreeMap;

/// History entries kept over all searches before the oldest are forgotten.
pub const MAX_HISTORIES: usize = 20_000;
/// What a pruning pass leaves (so passes are rare, not one per batch).
pub const KEEP_AFTER_PRUNE: usize = 16_000;
/// Where the sketch is stored.
pub const SKETCH_KEY: &str = keys::HISTORY_FORGOTTEN;
const HISTORY_PREFIX: &str = keys::HISTORY_PREFIX;

/// Bits in the sketch (2^20: 128 KiB) and bits set per candidate.
const BITS: usize = 1 << 20;
const HASHES: u64 = 7;

/// A Bloom filter of forgotten `(search, candidate)` pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgottenSketch {
    words: Vec<u64>,
}

impl Default for ForgottenSketch {
    fn default() -> Self {
        Self {
            words: vec![0; BITS / 64],
        }
    }
}

/// FNV-1a over the bytes, with a seed so two independent hashes come from one function.
fn fnv(seed: u64, parts: &[&str]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325 ^ seed;
    for part in parts {
        for byte in part.bytes().chain([b'/']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // A final mix: FNV's low bits are weak on short keys.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^ (hash >> 33)
}

impl ForgottenSketch {
    fn positions(search_id: &str, candidate_id: &str) -> impl Iterator<Item = usize> {
        let a = fnv(0, &[search_id, candidate_id]);
        let b = fnv(0x9e37_79b9_7f4a_7c15, &[search_id, candidate_id]) | 1;
        (0..HASHES).map(move |i| (a.wrapping_add(i.wrapping_mul(b)) % BITS as u64) as usize)
    }

    pub fn insert(&mut self, search_id: &str, candidate_id: &str) {
        for bit in Self::positions(search_id, candidate_id) {
            self.words[bit / 64] |= 1 << (bit % 64);
        }
    }

    /// Whether this pair was (probably) forgotten.
    pub fn contains(&self, search_id: &str, candidate_id: &str) -> bool {
        Self::positions(search_id, candidate_id)
            .all(|bit| self.words[bit / 64] & (1 << (bit % 64)) != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// The stored form: lower-case hex, 16 digits per word.
    pub fn to_stored(&self) -> Value {
        let mut hex = String::with_capacity(BITS / 4);
        for word in &self.words {
            hex.push_str(&format!("{word:016x}"));
        }
        Value::String(hex)
    }

    /// Reads the stored form; anything else (absent, or not written by this worker) is `None`.
    pub fn from_stored(value: Option<&Value>) -> Option<Self> {
        let hex = value?.as_str()?;
        if hex.len() != BITS / 4 || !hex.is_ascii() {
            return None;
        }
        let words = (0..BITS / 64)
            .map(|i| {
                let word = hex.get(i * 16..i * 16 + 16)?;
                u64::from_str_radix(word, 16).ok()
            })
            .collect::<Option<Vec<u64>>>()?;
        Some(Self { words })
    }
}

/// The history a forgotten candidate gets back when seen again: seen before, every trigger
/// fired, so nothing fires for it a second time.
pub fn remembered_history() -> CandidateHistory {
    CandidateHistory {
        fired: Trigger::ALL.into_iter().collect(),
        ..CandidateHistory::default()
    }
}

/// One pruning pass: which history keys to remove, and the sketch with them added.
#[derive(Debug, Clone, PartialEq)]
pub struct Pruning {
    pub remove: Vec<String>,
    pub sketch: ForgottenSketch,
}

/// The pruning pass for everything stored (`None` while there are at most [`MAX_HISTORIES`]
/// entries). Oldest first sighting goes first; unreadable entries before any other.
pub fn prune_histories(all: &BTreeMap<String, Value>, sketch: &ForgottenSketch) -> Option<Pruning> {
    prune_histories_to(all, sketch, MAX_HISTORIES, KEEP_AFTER_PRUNE)
}

/// When storage is full: half of the history goes (oldest first), whatever its size.
pub fn prune_half(all: &BTreeMap<String, Value>, sketch: &ForgottenSketch) -> Option<Pruning> {
    let count = all.keys().filter(|k| k.starts_with(HISTORY_PREFIX)).count();
    prune_histories_to(all, sketch, 0, count / 2)
}

/// Past `max` entries, the oldest go until `keep` are left.
fn prune_histories_to(
    all: &BTreeMap<String, Value>,
    sketch: &ForgottenSketch,
    max: usize,
    keep: usize,
) -> Option<Pruning> {
    let mut histories: Vec<(u64, &str, &str, &String)> = all
        .iter()
        .filter_map(|(key, value)| {
            let (search, candidate) = key.strip_prefix(HISTORY_PREFIX)?.split_once('/')?;
            let first_seen = CandidateHistory::from_value(value).map_or(0, |h| h.first_seen_ms);
            Some((first_seen, search, candidate, key))
        })
        .collect();
    if histories.len() <= max || histories.len() <= keep {
        return None;
    }
    crate::sorting::sort(&mut histories);
    let excess = histories.len() - keep;
    let mut sketch = sketch.clone();
    let remove = histories[..excess]
        .iter()
        .map(|(_, search, candidate, key)| {
            sketch.insert(search, candidate);
            (*key).clone()
        })
        .collect();
    Some(Pruning { remove, sketch })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stored(n: usize) -> BTreeMap<String, Value> {
        (0..n)
            .map(|i| {
                (
                    format!("history/s{}/c{i}", i % 3),
                    json!({"status": "New", "firstSeenMs": 1_000 + i as u64, "fired": 1}),
                )
            })
            .collect()
    }

    #[test]
    fn nothing_is_pruned_up_to_the_cap() {
        assert_eq!(
            prune_histories(&stored(MAX_HISTORIES), &ForgottenSketch::default()),
            None
        );
    }

    #[test]
    fn past_the_cap_the_oldest_go_and_are_remembered_in_the_sketch() {
        let mut all = stored(MAX_HISTORIES + 1);
        all.insert("history/s0/broken".into(), json!("garbage"));
        all.insert("automation/s0".into(), json!({}));
        let pruning = prune_histories(&all, &ForgottenSketch::default()).unwrap();
        assert_eq!(pruning.remove.len(), MAX_HISTORIES + 2 - KEEP_AFTER_PRUNE);
        assert_eq!(pruning.remove[0], "history/s0/broken", "unreadable first");
        assert!(pruning.remove.contains(&"history/s0/c0".to_owned()));
        let newest = format!("history/s{}/c{}", MAX_HISTORIES % 3, MAX_HISTORIES);
        assert!(!pruning.remove.contains(&newest));
        for key in &pruning.remove {
            let (search, candidate) = key["history/".len()..].split_once('/').unwrap();
            assert!(pruning.sketch.contains(search, candidate), "{key}");
        }
    }

    #[test]
    fn a_full_storage_halves_the_history_whatever_its_size() {
        let pruning = prune_half(&stored(10), &ForgottenSketch::default()).unwrap();
        assert_eq!(pruning.remove.len(), 5);
        assert!(pruning.remove.contains(&"history/s0/c0".to_owned()));
        assert_eq!(
            prune_half(&stored(1), &ForgottenSketch::default()).map(|p| p.remove.len()),
            Some(1)
        );
        assert_eq!(
            prune_half(&BTreeMap::new(), &ForgottenSketch::default()),
            None
        );
    }

    #[test]
    fn the_sketch_keeps_false_positives_rare_and_never_misses() {
        let mut sketch = ForgottenSketch::default();
        for i in 0..60_000 {
            sketch.insert("flood", &format!("cand-{i}"));
        }
        assert!((0..60_000).all(|i| sketch.contains("flood", &format!("cand-{i}"))));
        let wrong = (0..20_000)
            .filter(|i| sketch.contains("flood", &format!("new-{i}")))
            .count();
        assert!(
            wrong < 100,
            "{wrong} of 20,000 new candidates taken for forgotten ones"
        );
        // The search is part of the key.
        assert!(
            !sketch.contains("other-search", "cand-1")
                || !sketch.contains("other-search", "cand-2")
        );
    }

    #[test]
    fn the_sketch_round_trips_and_rejects_anything_else() {
        let mut sketch = ForgottenSketch::default();
        sketch.insert("s", "c");
        let value = sketch.to_stored();
        assert_eq!(ForgottenSketch::from_stored(Some(&value)), Some(sketch));
        for bad in [json!("abc"), json!(12), json!("z".repeat(BITS / 4))] {
            assert_eq!(ForgottenSketch::from_stored(Some(&bad)), None);
        }
        assert_eq!(ForgottenSketch::from_stored(None), None);
    }

    #[test]
    fn a_remembered_candidate_fires_nothing_again() {
        use crate::domain::{CandidateStatus, FetcherCandidate, SearchAutomation};
        let settings = SearchAutomation {
            search_id: "s".into(),
            job_id: Some("job".into()),
            enabled: true,
            trigger: Trigger::AllNewCandidates,
            applicant_limit: None,
            enabled_at_ms: Some(1),
        };
        for status in [CandidateStatus::New, CandidateStatus::Interested] {
            let seen = FetcherCandidate {
                status: Some(status),
                liked: true,
                ..FetcherCandidate::new("s".parse().unwrap(), "c".parse().unwrap())
            };
            for trigger in Trigger::ALL {
                let settings = SearchAutomation {
                    trigger,
                    ..settings.clone()
                };
                let decision =
                    super::super::decide(&seen, Some(&settings), Some(&remembered_history()), 0, 5);
                assert_eq!(
                    decision.action,
                    super::super::Action::Nothing,
                    "{trigger:?}"
                );
            }
        }
    }
}
