//! A handful of values by text key, kept in a list.
//!
//! Why: each `BTreeMap` value type compiles its own tree code, ~4 to 6 KB of wasm each. Maps
//! that hold a few entries at a time (the automation planner's per-search counts and brakes, a
//! batch's histories, the upload runner's waiting sightings) need no tree; a list searched
//! from the front costs a few comparisons.

/// Values by key, in the order first inserted; a key is in it at most once.
#[derive(Debug, Clone)]
pub struct Keyed<V>(Vec<(String, V)>);

impl<V> Default for Keyed<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> Keyed<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0
            .iter()
            .find(|(held, _)| held == key)
            .map(|(_, value)| value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`'s value, in place of an older one.
    pub fn insert(&mut self, key: String, value: V) {
        match self.0.iter_mut().find(|(held, _)| *held == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Sets `key`'s value unless it has one.
    pub fn insert_if_absent(&mut self, key: String, value: V) {
        if !self.contains_key(&key) {
            self.0.push((key, value));
        }
    }

    /// Removes `key`, giving its value.
    pub fn take(&mut self, key: &str) -> Option<V> {
        let position = self.0.iter().position(|(held, _)| held == key)?;
        Some(self.0.swap_remove(position).1)
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(key, _)| key)
    }

    /// `key`'s value, made by `make` when it has none yet.
    pub fn get_or_insert_with(&mut self, key: String, make: impl FnOnce() -> V) -> &mut V {
        let position = match self.0.iter().position(|(held, _)| *held == key) {
            Some(position) => position,
            None => {
                self.0.push((key, make()));
                self.0.len() - 1
            }
        };
        &mut self.0[position].1
    }
}

#[cfg(test)]
mod tests {
    use super::Keyed;

    #[test]
    fn a_key_holds_its_latest_value() {
        let mut counts: Keyed<u32> = Keyed::default();
        assert_eq!(counts.get("a"), None);
        *counts.get_or_insert_with("a".into(), || 1) += 1;
        assert_eq!(
            *counts.get_or_insert_with("a".into(), || 10),
            2,
            "made once"
        );
        counts.insert("b".into(), 5);
        counts.insert("b".into(), 6);
        assert_eq!(counts.get("b"), Some(&6));
        assert!(counts.contains_key("a") && !counts.contains_key("c"));
        assert_eq!(counts.0.len(), 2, "each key once");
        counts.insert_if_absent("b".into(), 7);
        assert_eq!(counts.get("b"), Some(&6), "kept");
        assert_eq!(counts.take("b"), Some(6));
        assert_eq!(counts.take("b"), None);
        assert_eq!(counts.keys().collect::<Vec<_>>(), ["a"]);
    }
}
