//! Uploads stay with the Ashby organisation they were queued for. Each outbox entry records
//! which connection queued it (a fingerprint of what `apiKey.info` says about the key, never
//! the key); after a Connect with a different key those entries are *held*: the runner does
//! not send them until the recruiter, in the popup, sends them with the new connection or
//! discards them.

use crate::ashby::types::ApiKeyInfo;
use serde::{Deserialize, Serialize};

/// Where the worker keeps the current connection's fingerprint (`chrome.storage.local`).
pub const FINGERPRINT_KEY: &str = crate::storage_schema::keys::OUTBOX_CONNECTION;

/// Identifies a connected key without containing it: FNV-1a (64 bit) of the key's title and
/// creation time as `apiKey.info` reports them. A reconnect with the same key gives the same
/// fingerprint; another key (another organisation, or another key of the same one) another.
pub fn connection_fingerprint(info: &ApiKeyInfo) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let created = info.created_at.as_deref().unwrap_or("");
    for byte in info
        .title
        .bytes()
        .chain([0x1f])
        .chain(created.bytes())
        .chain([0x1f])
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("k{hash:016x}")
}

/// Whether an entry queued under `queued_with` must not be sent now. Under another
/// connection it waits for the recruiter's choice; with no connection at all (after a
/// Disconnect, while a drain that started before it may still be running) it waits for the
/// next one. Entries queued while disconnected (`None`) go with whichever connection comes
/// next: the recruiter had chosen no organisation yet.
pub fn is_held(queued_with: Option<&str>, current: Option<&str>) -> bool {
    queued_with.is_some_and(|queued| current != Some(queued))
}

/// One held upload, as the popup lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct HeldUpload {
    /// The outbox storage key (what the worker acts on).
    pub key: String,
    pub candidate_name: String,
    pub job_title: String,
}

impl crate::from_json::FromJson for HeldUpload {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(HeldUpload {
            key: fields.required("key")?,
            candidate_name: fields.required("candidateName")?,
            job_title: fields.required("jobTitle")?,
        })
    }
}

impl crate::json_writer::WriteJson for HeldUpload {
    fn write_json(&self, out: &mut String) {
        let mut object = crate::json_writer::Object::open(out);
        object
            .member("key", &self.key)
            .member("candidateName", &self.candidate_name)
            .member("jobTitle", &self.job_title);
        object.close();
    }
}

/// The recruiter's choice for held uploads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum HeldChoice {
    /// Send them with the current connection.
    SendWithCurrent,
    /// Do not send them; they show as not sent.
    Discard,
}

impl HeldChoice {
    /// Its name in storage and messages (serde's), read by `FromJson` and written by
    /// `WriteJson` alike.
    pub const fn name(self) -> &'static str {
        match self {
            HeldChoice::SendWithCurrent => "sendWithCurrent",
            HeldChoice::Discard => "discard",
        }
    }
}

impl crate::from_json::FromJson for HeldChoice {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        const NAMES: [(&str, HeldChoice); 2] = [
            (
                HeldChoice::SendWithCurrent.name(),
                HeldChoice::SendWithCurrent,
            ),
            (HeldChoice::Discard.name(), HeldChoice::Discard),
        ];
        crate::from_json::named(json, &NAMES, "a choice for held uploads")
    }
}

crate::write_json_as!(name: HeldChoice);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_uploads_and_choices_are_written_as_serde_writes_them() {
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        same_as_serde(&HeldUpload {
            key: "outbox/s-1/c-1/j-1".into(),
            candidate_name: awkward_text(),
            job_title: awkward_text(),
        });
        same_as_serde(&HeldUpload {
            key: String::new(),
            candidate_name: String::new(),
            job_title: "Engineer".into(),
        });
        same_as_serde(&HeldChoice::SendWithCurrent);
        same_as_serde(&HeldChoice::Discard);
    }

    fn info(title: &str, created_at: Option<&str>) -> ApiKeyInfo {
        ApiKeyInfo {
            title: title.into(),
            created_at: created_at.map(str::to_owned),
            scopes: vec!["candidates:read".into()],
        }
    }

    #[test]
    fn the_same_key_gives_the_same_fingerprint_and_another_key_another() {
        let key = info("Fetcher", Some("2026-01-05T09:00:00.000Z"));
        assert_eq!(
            connection_fingerprint(&key),
            connection_fingerprint(&key.clone())
        );
        let rescoped = ApiKeyInfo {
            scopes: vec![],
            ..key.clone()
        };
        assert_eq!(
            connection_fingerprint(&key),
            connection_fingerprint(&rescoped),
            "permissions change, the key stays"
        );
        let other_org = info("Fetcher", Some("2026-03-01T10:00:00.000Z"));
        assert_ne!(
            connection_fingerprint(&key),
            connection_fingerprint(&other_org)
        );
        // Title and time are separated: "ab"+"c" is not "a"+"bc".
        assert_ne!(
            connection_fingerprint(&info("ab", Some("c"))),
            connection_fingerprint(&info("a", Some("bc")))
        );
    }

    #[test]
    fn the_fingerprint_never_contains_what_it_is_made_of() {
        let fingerprint = connection_fingerprint(&info("Secret title", Some("2026")));
        assert!(!fingerprint.contains("Secret"));
        assert_eq!(fingerprint.len(), 17);
    }

    #[test]
    fn the_popup_messages_are_ui_only_and_validated() {
        use crate::messages::{Incoming, Sender};
        let choice: Incoming =
            serde_json::from_str(r#"{"type":"ResolveHeldUploads","choice":"discard"}"#).unwrap();
        assert!(crate::message_checks::check(&choice).is_ok());
        assert!(choice.allowed_from(Sender::OwnPage));
        assert!(
            !choice.allowed_from(Sender::FetcherTab),
            "a page cannot decide"
        );
        assert!(serde_json::from_str::<Incoming>(
            r#"{"type":"ResolveHeldUploads","choice":"sendToEveryone"}"#
        )
        .is_err());
        let list: Incoming = serde_json::from_str(r#"{"type":"ListHeldUploads"}"#).unwrap();
        assert!(!list.allowed_from(Sender::FetcherTab));
    }

    #[test]
    fn held_only_when_queued_under_another_connection() {
        assert!(is_held(Some("a"), Some("b")));
        assert!(!is_held(Some("a"), Some("a")));
        assert!(!is_held(None, Some("b")), "queued while disconnected");
        assert!(
            is_held(Some("a"), None),
            "not sent after a Disconnect, whatever still runs"
        );
    }
}

crate::deserialize_through_from_json!(HeldUpload);
