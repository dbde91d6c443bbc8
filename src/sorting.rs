//! Sorting, and building maps and sets, through one compiled sort.
//!
//! Why: each `sort_by` on another type or with another comparison, and each `collect` into a
//! `BTreeMap` or `BTreeSet` (which sorts what it collects), compiles Rust's whole stable sort
//! again: ~3.5 KB of wasm each, and the worker had 14 of them (~48 KB). Here positions are
//! sorted, with the comparison passed as `&dyn Fn`, so every caller shares one sort; maps are
//! built by inserting, as a `collect` would (a later key replaces an earlier one). Sets are
//! sorted lists ([`SortedSet`]): a tree type is code of its own, and the worker's sets are of a
//! few hundred keys at most.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Sorts `items` by `compare`, stably: equal items keep their order.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| compare(&items[a], &items[b]));
    // `order[i]` is where the item that belongs at `i` is now: move each cycle into place.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            items.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// The one sort compiled: of positions, compared through `compare`.
fn sort_positions(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}

/// Sorts `items` by `key`, stably.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in their own order, stably.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The map of `pairs`; of pairs with the same key, the last is kept (as `collect` keeps it).
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// The set of `items`.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> SortedSet<T> {
    let mut items: Vec<T> = items.into_iter().collect();
    sort(&mut items);
    items.dedup();
    SortedSet(items)
}

/// A set as a sorted list without repeats: looked up by binary search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedSet<T>(Vec<T>);

impl<T: Ord> SortedSet<T> {
    pub fn new() -> Self {
        SortedSet(Vec::new())
    }

    pub fn contains(&self, item: &T) -> bool {
        self.0.binary_search(item).is_ok()
    }

    /// Adds `item`; false if it was there already.
    pub fn insert(&mut self, item: T) -> bool {
        match self.0.binary_search(&item) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, item);
                true
            }
        }
    }
}

impl<T: Ord> Default for SortedSet<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// A map from names as a list of pairs sorted by name, each name once: looked up by binary
/// search. Written and read as a JSON object, as a `BTreeMap<String, V>` is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortedMap<V>(Vec<(String, V)>);

impl<V> SortedMap<V> {
    pub fn new() -> Self {
        SortedMap(Vec::new())
    }

    /// The map of `pairs`; of pairs with the same name, the last is kept (as `collect` keeps it).
    pub fn of(pairs: impl IntoIterator<Item = (String, V)>) -> Self {
        let mut map = Self::new();
        for (name, value) in pairs {
            map.insert(name, value);
        }
        map
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.position(name).ok().map(|at| &self.0[at].1)
    }

    /// Sets `name` to `value`, replacing what it had.
    pub fn insert(&mut self, name: String, value: V) {
        match self.position(&name) {
            Ok(at) => self.0[at].1 = value,
            Err(at) => self.0.insert(at, (name, value)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(name, value)| (name, value))
    }
}

impl<V> Default for SortedMap<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: serde::Serialize> serde::Serialize for SortedMap<V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

/// An object, members by name (as serde writes it above).
impl<V: crate::json_writer::WriteJson> crate::json_writer::WriteJson for SortedMap<V> {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        for (name, value) in self.iter() {
            object.member(name, value);
        }
        object.close();
    }
}

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for SortedMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, V>::deserialize(deserializer).map(SortedMap::of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// A fixed pseudo-random sequence (no dependency for tests' data).
    fn numbers(seed: u64, count: usize, range: u64) -> Vec<u64> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 33) % range
            })
            .collect()
    }

    #[test]
    fn sorts_as_the_standard_stable_sort_does() {
        for (seed, count, range) in [(1, 0, 5), (2, 1, 5), (3, 2, 2), (4, 50, 7), (5, 1000, 40)] {
            // Each item remembers where it started, so stability shows.
            let items: Vec<(u64, usize)> = numbers(seed, count, range)
                .into_iter()
                .enumerate()
                .map(|(position, n)| (n, position))
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| item.0);
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            assert_eq!(ours, expected, "seed {seed}");
            let mut reversed = items;
            expected.sort_by_key(|item| std::cmp::Reverse(item.0));
            sort_by(&mut reversed, |a, b| b.0.cmp(&a.0));
            assert_eq!(reversed, expected, "seed {seed}, descending");
        }
    }

    #[test]
    fn maps_and_sets_are_what_collect_builds() {
        let pairs = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map_of(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        let items = ["b", "a", "b"];
        assert_eq!(set_of(items).0, ["a", "b"]);
        let mut words = vec!["pear", "apple", "fig"];
        sort(&mut words);
        assert_eq!(words, ["apple", "fig", "pear"]);
    }

    #[test]
    fn sorted_sets_answer_as_tree_sets_do() {
        for (seed, count, range) in [(6, 0, 3), (7, 1, 3), (8, 60, 9), (9, 500, 300)] {
            let items = numbers(seed, count, range);
            let mut built = SortedSet::new();
            let mut tree = BTreeSet::new();
            for &item in &items {
                assert_eq!(built.insert(item), tree.insert(item), "seed {seed}, {item}");
            }
            assert_eq!(set_of(items.iter().copied()), built, "seed {seed}");
            for probe in 0..range + 1 {
                assert_eq!(built.contains(&probe), tree.contains(&probe), "seed {seed}");
            }
            assert!(
                built.0.iter().eq(tree.iter()),
                "seed {seed}: sorted, no repeats"
            );
        }
    }

    #[test]
    fn sorted_maps_answer_as_tree_maps_do_and_read_and_write_as_they_do() {
        let pairs: Vec<(String, u64)> = numbers(10, 300, 60)
            .into_iter()
            .enumerate()
            .map(|(i, n)| (format!("k{n}"), i as u64))
            .collect();
        let ours = SortedMap::of(pairs.clone());
        let tree: BTreeMap<String, u64> = pairs.into_iter().collect();
        assert!(
            ours.iter().eq(tree.iter()),
            "sorted, the last value of each name"
        );
        for probe in 0..70 {
            let name = format!("k{probe}");
            assert_eq!(ours.get(&name), tree.get(&name));
        }
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&tree).unwrap()
        );
        assert_eq!(
            crate::json_writer::WriteJson::json_text(&ours),
            serde_json::to_string(&tree).unwrap()
        );
        let text = r#"{"b":2,"a":1,"b":3}"#;
        let read: SortedMap<u64> = serde_json::from_str(text).unwrap();
        assert_eq!(read, SortedMap::of([("a".into(), 1), ("b".into(), 3)]));
        let json = crate::json_text::Json::parse(text).unwrap();
        assert_eq!(crate::from_json::FromJson::from_json(&json), Ok(read));
        assert!(SortedMap::<u64>::new().is_empty());
        let awkward = crate::json_writer::testing::awkward_text();
        for map in [
            SortedMap::new(),
            SortedMap::of([
                (awkward.clone(), vec![awkward.clone()]),
                ("a".into(), vec![]),
            ]),
        ] {
            crate::json_writer::testing::same_as_serde(&map);
        }
    }
}
