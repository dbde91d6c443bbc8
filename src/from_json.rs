//! Typed values from [`Json`], by hand-written decoders: what a page decodes without serde.
//!
//! Why: a derived `Deserialize` brings serde's visitors, its `Content` buffering and its error
//! text (float formatting, Unicode tables) into every wasm that decodes with it, about a fifth
//! of a small page's wasm. A page that decodes only through [`FromJson`] carries none of it.
//!
//! Each impl follows the serde form its type is written in (the worker still writes with
//! serde), and its tests check both decoders agree on the same texts: required fields are
//! required, `Option` fields take a missing member or `null`, `default` fields take a missing
//! member (not `null`), unknown members are ignored, and a value of the wrong type is refused.

use crate::json_text::Json;

/// The worker decodes with serde (its stored records and messages arrive as
/// `serde_json::Value`s): in wasm, a type with a hand-written decoder is decoded through it
/// there too (`deserialize_through_from_json!`), so its derived visitors stay out of the
/// worker's wasm. Native builds keep the derived impl, which this module's differential tests
/// hold the hand-written decoder to.
#[cfg(target_arch = "wasm32")]
pub fn through_from_json<'de, T: FromJson, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    T::from_value(&value).map_err(serde::de::Error::custom)
}

/// `Deserialize` through [`FromJson`] in wasm, for types whose native builds derive it
/// (`#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]`); see
/// [`through_from_json`].
#[macro_export]
macro_rules! deserialize_through_from_json {
    ($($ty:ty),+ $(,)?) => {
        $(
            #[cfg(target_arch = "wasm32")]
            impl<'de> serde::Deserialize<'de> for $ty {
                fn deserialize<D: serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> Result<Self, D::Error> {
                    $crate::from_json::through_from_json(deserializer)
                }
            }
        )+
    };
}

/// A value that can be read from JSON.
pub trait FromJson: Sized {
    fn from_json(json: &Json) -> Result<Self, Mismatch>;

    /// The value in a JSON text.
    fn from_json_text(text: &str) -> Result<Self, Mismatch> {
        Self::from_json(&Json::parse(text).ok_or(Mismatch("JSON text"))?)
    }

    /// The value in serde_json's `Value` (the worker's storage form), read by this decoder
    /// directly: not through serde's `Deserialize` on a `Value`, whose visitors each type
    /// compiled again in the worker's wasm.
    fn from_value(value: &serde_json::Value) -> Result<Self, Mismatch> {
        Self::from_json(&Json::from_value(value))
    }
}

/// The JSON did not have the shape of the value asked for; names what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mismatch(pub &'static str);

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "expected {}", self.0)
    }
}

impl FromJson for bool {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match json {
            Json::Bool(value) => Ok(*value),
            _ => Err(Mismatch("a boolean")),
        }
    }
}

impl FromJson for String {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        json.as_str().map(str::to_owned).ok_or(Mismatch("a string"))
    }
}

impl FromJson for f64 {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        json.as_f64().ok_or(Mismatch("a number"))
    }
}

/// Unsigned integers: a whole, non-negative number that fits. Only below 2^53 (JavaScript's
/// safe integers) is a number known to be the one written: from 2^53 on, text such as
/// `9007199254740993` reads rounded, so it is refused rather than taken as another number.
macro_rules! unsigned_from_json {
    ($($ty:ty),*) => {$(
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Result<Self, Mismatch> {
                const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
                let number = json.as_f64().ok_or(Mismatch("a number"))?;
                if !(0.0..MAX_EXACT).contains(&number) || number.fract() != 0.0 {
                    return Err(Mismatch("a whole number"));
                }
                // Exact: whole and below 2^53.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let whole = number as u64;
                <$ty>::try_from(whole).map_err(|_| Mismatch("a smaller number"))
            }
        }
    )*};
}
unsigned_from_json!(u8, u16, u32, u64, usize);

impl FromJson for i64 {
    /// A whole number strictly within ±2^53 (as the unsigned ones).
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        const MAX_EXACT: f64 = 9_007_199_254_740_992.0;
        let number = json.as_f64().ok_or(Mismatch("a number"))?;
        if number.abs() >= MAX_EXACT || number.fract() != 0.0 {
            return Err(Mismatch("a whole number"));
        }
        // Exact: whole and below 2^53 in magnitude.
        #[allow(clippy::cast_possible_truncation)]
        Ok(number as i64)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match json {
            Json::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    // A plain loop, not `collect` into a `Result`: every element type compiled its own
    // `GenericShunt` adapter around the same decoding.
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let items = json.as_array().ok_or(Mismatch("an array"))?;
        let mut decoded = Vec::with_capacity(items.len());
        for item in items {
            decoded.push(T::from_json(item)?);
        }
        Ok(decoded)
    }
}

/// serde's form of a `Result`: `{"Ok": value}` or `{"Err": error}` (the worker's shared
/// answers, passed between its own tasks as JS values).
impl<T: FromJson, E: FromJson> FromJson for Result<T, E> {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match variant(json)? {
            ("Ok", Some(value)) => T::from_json(value).map(Ok),
            ("Err", Some(error)) => E::from_json(error).map(Err),
            _ => Err(Mismatch("Ok or Err")),
        }
    }
}

/// An object whose members are all `T`s, by name (serde's map form).
impl<T: FromJson> FromJson for std::collections::BTreeMap<String, T> {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let mut map = std::collections::BTreeMap::new();
        for (name, value) in json.as_object().ok_or(Mismatch("an object"))? {
            map.insert(name.clone(), T::from_json(value)?);
        }
        Ok(map)
    }
}

/// An object whose members are all `T`s, by name; a repeated name keeps its last value (as
/// serde's map form does).
impl<T: FromJson> FromJson for crate::sorting::SortedMap<T> {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let mut map = crate::sorting::SortedMap::new();
        for (name, value) in json.as_object().ok_or(Mismatch("an object"))? {
            map.insert(name.clone(), T::from_json(value)?);
        }
        Ok(map)
    }
}

/// An object's members, read as serde reads a struct's fields.
pub struct Fields<'a>(&'a Json);

impl<'a> Fields<'a> {
    /// The members of `json`, which must be an object.
    pub fn of(json: &'a Json) -> Result<Self, Mismatch> {
        match json {
            Json::Object(_) => Ok(Fields(json)),
            _ => Err(Mismatch("an object")),
        }
    }

    /// The members of a struct whose members all have defaults (`#[serde(default)]` on the
    /// struct): serde also reads one from an empty array (its sequence form, with no members).
    pub fn of_defaulted(json: &'a Json) -> Result<Self, Mismatch> {
        static NO_MEMBERS: Json = Json::Object(Vec::new());
        match json {
            Json::Array(items) if items.is_empty() => Ok(Fields(&NO_MEMBERS)),
            _ => Self::of(json),
        }
    }

    /// Refuses members other than `names` (`#[serde(deny_unknown_fields)]`).
    pub fn only(self, names: &[&str]) -> Result<Self, Mismatch> {
        match self.0.as_object() {
            Some(members)
                if members
                    .iter()
                    .all(|(name, _)| names.contains(&name.as_str())) =>
            {
                Ok(self)
            }
            _ => Err(Mismatch("no other members")),
        }
    }

    /// A member that must be present (an `Option` takes `null`, but not absence: use
    /// [`Fields::optional`] for serde's `Option` fields).
    pub fn required<T: FromJson>(&self, name: &'static str) -> Result<T, Mismatch> {
        T::from_json(self.0.get(name).ok_or(Mismatch(name))?)
    }

    /// An `Option` field: absent or `null` is `None`.
    pub fn optional<T: FromJson>(&self, name: &'static str) -> Result<Option<T>, Mismatch> {
        self.0.get(name).map_or(Ok(None), Option::<T>::from_json)
    }

    /// A `#[serde(default)]` field: absent is the default; present must be a `T`.
    pub fn or_default<T: FromJson + Default>(&self, name: &'static str) -> Result<T, Mismatch> {
        self.0
            .get(name)
            .map_or_else(|| Ok(T::default()), T::from_json)
    }
}

/// An externally tagged enum value, as serde writes one: a unit variant is its name, any other
/// is `{name: value}`. Returns the name and, for the object form, the value.
pub fn variant(json: &Json) -> Result<(&str, Option<&Json>), Mismatch> {
    match json {
        Json::String(name) => Ok((name, None)),
        Json::Object(members) => match members.as_slice() {
            [(name, value)] => Ok((name, Some(value))),
            _ => Err(Mismatch("an object with one member")),
        },
        _ => Err(Mismatch("a variant")),
    }
}

/// A unit variant's value: its name alone, or `{name: null}`.
pub fn unit<T>(value: Option<&Json>, variant: T) -> Result<T, Mismatch> {
    match value {
        None | Some(Json::Null) => Ok(variant),
        Some(_) => Err(Mismatch("a unit variant")),
    }
}

/// A variant with fields: `{name: {fields}}`.
pub fn with_fields<'a>(value: Option<&'a Json>) -> Result<Fields<'a>, Mismatch> {
    Fields::of(value.ok_or(Mismatch("a variant with fields"))?)
}

/// A fieldless enum value as serde writes one (its variant's name), looked up in `names`.
pub fn named<T: Copy>(json: &Json, names: &[(&str, T)], what: &'static str) -> Result<T, Mismatch> {
    let (name, value) = variant(json)?;
    let (_, found) = names
        .iter()
        .find(|(known, _)| *known == name)
        .ok_or(Mismatch(what))?;
    unit(value, *found)
}

/// The `tag` member of an internally tagged enum value (`{"type": "ShortcutSend", …}`).
pub fn tag<'a>(fields: &Fields<'a>, name: &'static str) -> Result<&'a str, Mismatch> {
    fields
        .0
        .get(name)
        .and_then(Json::as_str)
        .ok_or(Mismatch(name))
}

#[cfg(test)]
pub mod testing {
    //! Differential checks: a [`FromJson`] impl against the type's serde `Deserialize`.

    use super::FromJson;
    use serde::{de::DeserializeOwned, Serialize};
    use std::fmt::Debug;

    /// Each value written by serde reads back the same through [`FromJson`].
    pub fn round_trips<T: FromJson + Serialize + PartialEq + Debug>(values: &[T]) {
        for value in values {
            let text = serde_json::to_string(value).unwrap();
            assert_eq!(T::from_json_text(&text).as_ref(), Ok(value), "{text}");
        }
    }

    /// `full` and, for every member of every object in it (at any depth; in a list, its first
    /// item), `full` with that member absent, `null`, `7`, `"x"`, `[]` and `{}`, each with an
    /// unknown member added beside it: texts for [`agrees_with_serde`].
    pub fn member_edits(full: &serde_json::Value) -> Vec<String> {
        use serde_json::{json, Value};
        fn paths(value: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
            match value {
                Value::Object(members) => {
                    out.push(at.clone());
                    for (name, member) in members {
                        at.push(json!(name));
                        paths(member, at, out);
                        at.pop();
                    }
                }
                Value::Array(items) if !items.is_empty() => {
                    at.push(json!(0));
                    paths(&items[0], at, out);
                    at.pop();
                }
                _ => {}
            }
        }
        fn object_at<'a>(
            value: &'a mut Value,
            path: &[Value],
        ) -> &'a mut serde_json::Map<String, Value> {
            let target = path.iter().fold(value, |v, step| match step {
                Value::String(name) => &mut v[name.as_str()],
                _ => &mut v[0],
            });
            target.as_object_mut().unwrap()
        }
        let mut objects = Vec::new();
        paths(full, &mut Vec::new(), &mut objects);
        let mut texts = vec![full.to_string()];
        for path in objects {
            let mut probe = full.clone();
            let names: Vec<String> = object_at(&mut probe, &path).keys().cloned().collect();
            for name in names {
                for change in [
                    None,
                    Some(Value::Null),
                    Some(json!(7)),
                    Some(json!("x")),
                    Some(json!([])),
                    Some(json!({})),
                ] {
                    let mut edited = full.clone();
                    let members = object_at(&mut edited, &path);
                    match change {
                        None => {
                            members.remove(&name);
                        }
                        Some(value) => {
                            members.insert(name.clone(), value);
                        }
                    }
                    members.insert("unknownMember".into(), json!(true));
                    texts.push(edited.to_string());
                }
            }
        }
        texts
    }

    /// On each text, [`FromJson`] reads what serde reads, and refuses what serde refuses.
    pub fn agrees_with_serde<T: FromJson + DeserializeOwned + PartialEq + Debug>(texts: &[&str]) {
        for text in texts {
            let by_serde = serde_json::from_str::<T>(text).ok();
            let by_hand = T::from_json_text(text).ok();
            assert_eq!(by_hand, by_serde, "{text}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::agrees_with_serde;
    use super::*;

    /// The worker's small stored records (and a send draft), each full form with every member
    /// absent, `null` and mistyped, against serde.
    #[test]
    fn stored_records_read_by_hand_as_serde_reads_them() {
        use super::testing::member_edits;
        use serde_json::json;
        fn agrees<T: FromJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
            full: &serde_json::Value,
        ) {
            let texts = member_edits(full);
            agrees_with_serde::<T>(&texts.iter().map(String::as_str).collect::<Vec<_>>());
            assert!(T::from_json_text(&full.to_string()).is_ok(), "{full}");
        }
        use crate::automation::brake::Brake;
        use crate::automation::{CandidateHistory, TriggerSet};
        use crate::storage_schema::{
            AccountSeen, KeyStorage, SearchSeen, StorageReport, StoredConnection,
        };
        use crate::upload::context_cache::ContextCache;
        use crate::upload::runner::RateState;
        agrees::<RateState>(&json!({"tokens": 2.5, "updatedAtMs": 1000, "blockedUntilMs": 5}));
        agrees::<Brake>(&json!({"recentMs": [1, 2], "pausedAtMs": 3, "held": 2}));
        agrees_with_serde::<Brake>(&["{}", r#"{"recentMs": [1.5]}"#, r#"{"held": -1}"#]);
        agrees::<CandidateHistory>(&json!({
            "status": "Liked", "liked": true, "firstSeenMs": 10, "fired": 3,
            "uploadedBy": "OnLike", "skippedOverLimit": "OnReply", "heldByBrake": "AllNewCandidates"
        }));
        agrees_with_serde::<TriggerSet>(&["0", "31", "255", "256", "-1", "1.5", "null"]);
        agrees_with_serde::<KeyStorage>(&[r#""session""#, r#""local""#, r#""Local""#, "1"]);
        agrees::<StoredConnection>(&json!({
            "keyTitle": "Fetcher", "scopes": ["candidatesRead"], "checkedAtMs": 5,
            "user": {"kind": "found", "userId": "u", "name": "Rita", "email": "rita@agency.com"},
            "confirmedAccount": "rita@agency.com", "accountChange": "new@agency.com"
        }));
        agrees::<AccountSeen>(&json!({"email": "rita@agency.com", "seenAtMs": 5}));
        agrees::<SearchSeen>(&json!({
            "searchId": "s-1", "title": "Engineers \u{202e}Berlin", "ownerEmail": "lead@agency.com",
            "lastSeenMs": 5
        }));
        agrees_with_serde::<SearchSeen>(&[r#"{"searchId": "s-1", "title": " ", "lastSeenMs": 5}"#]);
        agrees::<StorageReport>(&json!({
            "atMs": 5, "problems": [{"kind": "corrupt", "key": "connection"}, "Old text."]
        }));
        agrees::<ContextCache>(&json!({
            "forEmail": "rita@agency.com", "fetcherSourceId": "src-1", "creditedUserId": "u-1",
            "lookedUpAtMs": 5
        }));
        agrees::<crate::send_draft::Draft>(&json!({
            "token": "t", "tabId": 4, "claimedBy": -1, "createdAtMs": 5,
            "candidate": {"searchId": "s-1", "candidateId": "c-1", "name": "Ana", "emails": [],
                          "phones": [], "websiteUrls": [], "liked": false}
        }));
    }

    #[test]
    fn primitives_read_as_serde_reads_them() {
        agrees_with_serde::<bool>(&["true", "false", "null", "0", "\"true\""]);
        agrees_with_serde::<String>(&["\"a\\u00e9\"", "\"\"", "null", "1", "[]"]);
        agrees_with_serde::<u16>(&["0", "65535", "65536", "-1", "1.5", "\"1\"", "null"]);
        agrees_with_serde::<u64>(&["0", "1764625000000", "-3", "true"]);
        agrees_with_serde::<Option<u32>>(&["null", "7", "\"7\"", "4294967296"]);
        agrees_with_serde::<Vec<String>>(&["[]", "[\"a\",\"b\"]", "[\"a\",1]", "{}", "null"]);
        agrees_with_serde::<f64>(&["0", "-2.5", "1764625000000", "\"1\""]);
        agrees_with_serde::<Result<u8, String>>(&[
            r#"{"Ok": 7}"#,
            r#"{"Err": "no"}"#,
            r#"{"Ok": "7"}"#,
            r#"{"Err": 1}"#,
            r#""Ok""#,
            r#"{"Ok": 1, "Err": "x"}"#,
            r#"{"Maybe": 1}"#,
            "{}",
            "null",
        ]);
        agrees_with_serde::<std::collections::BTreeMap<String, String>>(&[
            r#"{"d1": "Engineering", "d2": "Sales"}"#,
            r#"{"d1": 3}"#,
            "{}",
            "[]",
        ]);
    }

    #[test]
    fn whole_numbers_beyond_what_reads_exactly_are_refused_not_rounded() {
        assert_eq!(
            u64::from_json_text("999999999999999"),
            Ok(999_999_999_999_999)
        );
        assert_eq!(
            u64::from_json_text("9007199254740991"),
            Ok(9_007_199_254_740_991)
        );
        // From 2^53 on, the text may have been rounded on reading (this one reads as 2^53).
        assert!(u64::from_json_text("9007199254740993").is_err());
        assert!(u64::from_json_text("9007199254740992").is_err());
        assert!(i64::from_json_text("-9007199254740993").is_err());
        assert_eq!(
            i64::from_json_text("-9007199254740991"),
            Ok(-9_007_199_254_740_991)
        );
        assert!(u64::from_json(&Json::Number(9_007_199_254_740_994.0)).is_err());
        assert!(u64::from_json(&Json::Number(f64::INFINITY)).is_err());
        // JS numbers do not tell 3 from 3.0 (serde-wasm-bindgen reads both as 3; serde_json
        // only the first): a whole number reads whatever its notation.
        assert_eq!(u16::from_json_text("3.0"), Ok(3));
        assert_eq!(u64::from_json_text("1e3"), Ok(1000));
    }

    #[test]
    fn fields_follow_serde_rules_for_absent_and_null_members() {
        let json = Json::parse(r#"{"a": 1, "n": null}"#).unwrap();
        let fields = Fields::of(&json).unwrap();
        assert_eq!(fields.required::<u32>("a"), Ok(1));
        assert_eq!(fields.required::<u32>("b"), Err(Mismatch("b")));
        assert_eq!(fields.optional::<u32>("b"), Ok(None));
        assert_eq!(fields.optional::<u32>("n"), Ok(None));
        assert_eq!(fields.or_default::<u32>("b"), Ok(0));
        assert!(fields.or_default::<u32>("n").is_err());
        assert!(Fields::of(&Json::Array(vec![])).is_err());
    }

    #[test]
    fn variants_are_a_name_or_an_object_with_one_member() {
        let named = Json::parse(r#""storageFailed""#).unwrap();
        assert_eq!(variant(&named), Ok(("storageFailed", None)));
        let object = Json::parse(r#"{"ashby": {"kind": "timeout"}}"#).unwrap();
        assert_eq!(variant(&object).unwrap().0, "ashby");
        assert!(variant(&Json::parse(r#"{"a": 1, "b": 2}"#).unwrap()).is_err());
        assert!(variant(&Json::Null).is_err());
        assert_eq!(unit(Some(&Json::Null), 1), Ok(1));
        assert!(unit(Some(&Json::Bool(true)), 1).is_err());
        assert!(with_fields(None).is_err());
    }
}
