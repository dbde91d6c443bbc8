//! The content script's per-card state, by candidate id (records, drawn statuses, cards read
//! and reported): std's `HashMap` with FNV-1a in place of SipHash and its random keys, whose
//! code the content script need not carry (~1 KB). The keys come from the page, which could
//! choose ids that collide; the cost would be its own tab's time, nothing else.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub type CardMap<V> = HashMap<String, V, BuildHasherDefault<Fnv1a>>;

/// An empty map, usable in a `thread_local!` constant.
pub const fn card_map<V>() -> CardMap<V> {
    HashMap::with_hasher(BuildHasherDefault::new())
}

/// 64-bit FNV-1a over the key's bytes.
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_gives_the_published_values() {
        let hash = |text: &str| {
            let mut hasher = Fnv1a::default();
            hasher.write(text.as_bytes());
            hasher.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn a_card_map_holds_by_id() {
        let mut map = card_map();
        map.insert("c1".to_owned(), 1);
        map.insert("c2".to_owned(), 2);
        map.insert("c1".to_owned(), 3);
        assert_eq!(
            (map.get("c1"), map.get("c2"), map.len()),
            (Some(&3), Some(&2), 2)
        );
    }
}
