//! Typed values → JSON, the worker's one encoder: every value is written as JSON text by its
//! hand-written encoder ([`crate::json_writer`]), which Ashby's request bodies need anyway. A
//! value the storage layer holds as [`serde_json::Value`] is read back from that text by
//! [`crate::json_text`], as storage itself will give it back.
//!
//! Why not serde: the derived `Serialize` impls, instantiated with serde_json's serializer,
//! were ~57 KB of the worker's wasm (BENCHMARKS.md); `to_value` beside `to_string` would be a
//! second encoder on top. A stored value is small, so writing and reading its text costs
//! microseconds.

use crate::json_writer::WriteJson;
use serde_json::Value;

/// The value as JSON text.
pub fn text<T: WriteJson + ?Sized>(value: &T) -> String {
    value.json_text()
}

/// The value as [`Value`], by way of its text: what `chrome.storage` gives back once it is
/// stored (numbers as JavaScript holds them, a whole one as an integer; `null` for non-finite
/// floats). The encoders write JSON, so the text always reads (`null` if one ever did not).
pub fn value<T: WriteJson + ?Sized>(value: &T) -> Value {
    value_of_text(&text(value))
}

/// [`value`]'s reading, compiled once rather than into each type's `value`.
#[inline(never)]
fn value_of_text(text: &str) -> Value {
    crate::json_text::Json::parse(text).map_or(Value::Null, |json| json.to_value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_writer::Object;
    use serde::Serialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Sample {
        count: u64,
        at_ms: f64,
        whole_ms: f64,
        not_a_number: f64,
        negative: i64,
        name: Option<String>,
        tags: Vec<&'static str>,
        by_key: BTreeMap<String, u32>,
    }

    impl WriteJson for Sample {
        fn write_json(&self, out: &mut String) {
            let mut object = Object::open(out);
            object
                .member("count", &self.count)
                .member("atMs", &self.at_ms)
                .member("wholeMs", &self.whole_ms)
                .member("notANumber", &self.not_a_number)
                .member("negative", &self.negative)
                .member("name", &self.name)
                .member("tags", &self.tags)
                .member("byKey", &self.by_key);
            object.close();
        }
    }

    #[test]
    fn value_by_way_of_text_is_to_value() {
        let sample = Sample {
            count: 9_007_199_254_740_991,
            at_ms: 1_764_000_000_123.5,
            whole_ms: 1_764_000_000_000.0,
            not_a_number: f64::NAN,
            negative: -42,
            name: Some("Zoë \"Z\" \u{1F600}\n".into()),
            tags: vec!["a", ""],
            by_key: BTreeMap::from([("b".into(), 2), ("a".into(), 1)]),
        };
        assert_eq!(
            value(&sample),
            json!({
                "count": 9_007_199_254_740_991_u64,
                "atMs": 1_764_000_000_123.5,
                // A whole float as an integer, as storage gives it back.
                "wholeMs": 1_764_000_000_000_u64,
                "notANumber": null,
                "negative": -42,
                "name": "Zoë \"Z\" \u{1F600}\n",
                "tags": ["a", ""],
                "byKey": {"a": 1, "b": 2},
            })
        );
        assert_eq!(value(&0.1_f64), json!(0.1));
        assert_eq!(value(&()), Value::Null);
        // The text keeps the fields' order (`Value` sorts them); readers never depend on it.
        assert_eq!(text(&sample), serde_json::to_string(&sample).unwrap());
    }
}
