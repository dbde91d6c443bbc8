//! The ids the extension keys everything by: Fetcher's search and candidate ids and Ashby's
//! job ids. One rule for all of them, checked once when an id is made or decoded.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest id accepted. Fetcher's page model gives its ids as `[A-Za-z0-9_-]{1,64}` and Ashby's
/// ids are UUIDs (36 characters), so 64 covers both. It is also every id earlier versions could
/// have stored: Fetcher ids only ever came through the 64-character page rule and job ids from
/// Ashby, so stored keys (which earlier versions checked against a looser 128) still read.
pub const MAX_ID_CHARS: usize = 64;

/// The id rule: `[A-Za-z0-9_-]{1,64}`. No `/` (ids are joined with `/` into storage keys
/// without escaping) and nothing a URL path or a storage key would need to escape.
pub fn is_valid_id(raw: &str) -> bool {
    (1..=MAX_ID_CHARS).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A string that is not an id of the kind wanted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} id: {id:?}")]
pub struct InvalidId {
    pub what: &'static str,
    /// The rejected value, cut to the longest id (it may be huge).
    pub id: String,
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `raw` against the id rule.
            pub fn parse(raw: &str) -> Result<Self, InvalidId> {
                Self::try_from(raw.to_owned())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        // Written as its text (serde's `into = "String"`).
        crate::write_json_as!(as_str: $name);

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(raw: String) -> Result<Self, InvalidId> {
                if is_valid_id(&raw) {
                    Ok(Self(raw))
                } else {
                    Err(InvalidId {
                        what: $what,
                        id: raw.chars().take(MAX_ID_CHARS).collect(),
                    })
                }
            }
        }

        /// Test fixtures only: an id written in a test is valid, or the test is wrong.
        #[cfg(test)]
        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self::parse(raw).expect("a valid id in a test fixture")
            }
        }

        impl crate::from_json::FromJson for $name {
            fn from_json(
                json: &crate::json_text::Json,
            ) -> Result<Self, crate::from_json::Mismatch> {
                let raw = String::from_json(json)?;
                Self::try_from(raw).map_err(|_| crate::from_json::Mismatch($what))
            }
        }

        impl std::str::FromStr for $name {
            type Err = InvalidId;
            fn from_str(raw: &str) -> Result<Self, InvalidId> {
                Self::parse(raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }
    };
}

id_type!(
    /// A Fetcher search (`/searches/{searchId}`).
    SearchId,
    "search"
);
id_type!(
    /// A Fetcher candidate within a search (`…/candidates/{candidateId}`).
    CandidateId,
    "candidate"
);
id_type!(
    /// An Ashby job.
    JobId,
    "job"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_rule_for_every_id() {
        for ok in [
            "a",
            "abc-1_2",
            "Z9",
            "3f2b8c1e-0d4a-4b7e-9c1f-2a6d8e0b5c7a",
            &"a".repeat(64),
        ] {
            assert!(is_valid_id(ok), "{ok}");
            assert_eq!(SearchId::parse(ok).unwrap().as_str(), ok);
            assert_eq!(JobId::parse(ok).unwrap(), ok);
        }
        for bad in [
            "",
            "a/b",
            "a b",
            "a.b",
            "é",
            "index\n",
            &"a".repeat(65),
            &"x".repeat(129),
        ] {
            assert!(!is_valid_id(bad), "{bad}");
            assert!(CandidateId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids_decode_only_when_valid_and_encode_as_plain_strings() {
        let id: SearchId = serde_json::from_str("\"s-1\"").unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"s-1\"");
        assert!(serde_json::from_str::<SearchId>("\"a/b\"").is_err());
        let error = JobId::parse(&"x".repeat(10_000)).unwrap_err();
        assert_eq!((error.what, error.id.len()), ("job", MAX_ID_CHARS));
    }
}
