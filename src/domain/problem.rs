//! Why an upload did not (yet) go through, as data: what upload records, outbox entries, the
//! queue's pause and messages store. [`crate::text::upload_problem`] and
//! [`crate::text::ashby_problem`] turn them into English only when a recruiter reads them, so
//! no decision is ever made on a sentence and the wording can change without a migration.
//!
//! Earlier versions stored the English itself. Both types still decode such a string, as a
//! `Legacy` problem shown as it was written, so no stored record or entry is lost.

use super::clean_text::clean_text;
use crate::ashby::scopes::Permission;
use crate::from_json::{Fields, FromJson, Mismatch};
use crate::json_text::Json;
use crate::json_writer::{Object, WriteJson};
#[cfg(not(target_arch = "wasm32"))]
use serde::de::{self, MapAccess, Visitor};
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserializer;
use serde::{Deserialize, Serialize, Serializer};
#[cfg(not(target_arch = "wasm32"))]
use std::fmt;

/// Longest legacy text kept (an Ashby message with its request id fits many times over).
pub const MAX_LEGACY_CHARS: usize = 2_000;

/// A failed Ashby call, as much of [`crate::ashby::error::AshbyError`] as a recruiter reads:
/// Ashby's own message and request id where it sent them, nothing of the transport's internals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AshbyProblem {
    /// HTTP 401: Ashby saw no API key.
    MissingKey,
    /// HTTP 403: a wrong or deactivated key.
    InvalidKey { request_id: Option<String> },
    /// The key lacks `permission` (the called endpoint's, when known).
    MissingPermission {
        permission: Option<Permission>,
        /// Ashby's message (possibly just its error code).
        ashby_said: String,
        request_id: Option<String>,
    },
    /// HTTP 429, from this key's limit or the integration partner's (`partner_limit`).
    RateLimited {
        retry_after_ms: Option<u64>,
        partner_limit: bool,
    },
    /// HTTP 5xx.
    AshbyDown {
        status: u16,
        request_id: Option<String>,
    },
    /// No answer: offline, DNS, TLS, dropped connection.
    Unreachable,
    /// No answer in time.
    Timeout,
    /// An answer that is not Ashby's JSON envelope or has another shape.
    UnexpectedAnswer,
    /// The extension could not encode its own request (a bug; nothing was sent). No longer
    /// raised since requests are written by infallible encoders; kept so that records
    /// stored by earlier versions still read.
    RequestNotBuilt,
    /// Any other refusal (`success: false`), with Ashby's code and message.
    Refused {
        code: String,
        ashby_said: String,
        request_id: Option<String>,
    },
    /// Text stored by an earlier version, shown as it was.
    Legacy { text: String },
}

/// Why an upload failed, waits, or was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadProblem {
    /// An Ashby call of the upload failed (the entry retries later, or failed for good).
    Ashby { error: AshbyProblem },
    /// The whole queue is paused until the recruiter reconnects: the key cannot be used.
    Paused { because: AshbyProblem },
    /// A create's answer was lost and the candidate has no email or profile link to look them
    /// up by: the recruiter checks Ashby before retrying.
    MaybeCreated,
    /// The answer to adding the Fetcher note was lost; the note may be missing.
    NoteUncertain,
    /// Held for another Ashby connection, and the recruiter chose not to send it with this one.
    DiscardedOtherConnection,
    /// An automatic upload without contact details waits for the profile: Ashby has
    /// `same_name` candidates by the card's name (0: the card shows no usable name).
    WaitingSameName { same_name: usize },
    /// Automation did not send: the search reached its applicant limit.
    OverApplicantLimit { limit: u32 },
    /// Automation did not send: its brake paused the search after more than `limit`
    /// automatic uploads within its window.
    AutomationBraked { limit: usize },
    /// Text stored by an earlier version, shown as it was.
    Legacy { text: String },
}

/// One thing the storage migration found unreadable, and what was done about it (kept in
/// the storage report the options page shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageProblem {
    /// `schemaVersion` was not a version number at all.
    UnreadableVersion,
    /// Written by a newer version of the extension (after a downgrade).
    NewerVersion(u64),
    /// A stored value had the wrong shape and was removed.
    Corrupt { key: String },
    /// Text stored by an earlier version, shown as it was.
    Legacy { text: String },
}

impl UploadProblem {
    /// The problem of a failed Ashby call.
    pub fn ashby(error: &crate::ashby::error::AshbyError) -> Self {
        Self::Ashby {
            error: error.into(),
        }
    }
}

impl From<&crate::ashby::error::AshbyError> for AshbyProblem {
    fn from(error: &crate::ashby::error::AshbyError) -> Self {
        use crate::ashby::error::AshbyError as E;
        match error {
            E::MissingKey => Self::MissingKey,
            E::InvalidKey { request_id, .. } => Self::InvalidKey {
                request_id: request_id.clone(),
            },
            E::MissingPermission {
                message,
                request_id,
                permission,
            } => Self::MissingPermission {
                permission: *permission,
                ashby_said: message.clone(),
                request_id: request_id.clone(),
            },
            E::RateLimited {
                retry_after_ms,
                integration_partner_limit,
                ..
            } => Self::RateLimited {
                retry_after_ms: *retry_after_ms,
                partner_limit: *integration_partner_limit,
            },
            E::ServerError { status, request_id } => Self::AshbyDown {
                status: *status,
                request_id: request_id.clone(),
            },
            E::Network(_) => Self::Unreachable,
            E::Timeout => Self::Timeout,
            E::MalformedResponse { .. } => Self::UnexpectedAnswer,
            E::Api {
                code,
                message,
                request_id,
            } => Self::Refused {
                code: code.clone(),
                ashby_said: message.clone(),
                request_id: request_id.clone(),
            },
        }
    }
}

/// Every problem's kind, the `kind` of its stored form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Kind {
    MissingKey,
    InvalidKey,
    MissingPermission,
    RateLimited,
    AshbyDown,
    Unreachable,
    Timeout,
    UnexpectedAnswer,
    RequestNotBuilt,
    Refused,
    Ashby,
    Paused,
    MaybeCreated,
    NoteUncertain,
    DiscardedOtherConnection,
    WaitingSameName,
    OverApplicantLimit,
    AutomationBraked,
    UnreadableVersion,
    NewerVersion,
    Corrupt,
    Legacy,
}

/// The stored form of both problem types: `{"kind": …}` and the kind's fields. One flat
/// struct rather than serde's internally tagged enums, whose decoding buffers every value
/// first and costs tens of KB in each wasm surface.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    kind: Kind,
    #[serde(default)]
    permission: Option<Permission>,
    #[serde(default)]
    ashby_said: Option<String>,
    #[serde(default)]
    retry_after_ms: Option<u64>,
    #[serde(default)]
    partner_limit: Option<bool>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    error: Option<AshbyProblem>,
    #[serde(default)]
    because: Option<AshbyProblem>,
    #[serde(default)]
    same_name: Option<usize>,
    #[serde(default)]
    limit: Option<u64>,
    #[serde(default)]
    version: Option<u64>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

impl Wire {
    fn of(kind: Kind) -> Self {
        Self {
            kind,
            permission: None,
            ashby_said: None,
            retry_after_ms: None,
            partner_limit: None,
            status: None,
            code: None,
            request_id: None,
            error: None,
            because: None,
            same_name: None,
            limit: None,
            version: None,
            key: None,
            text: None,
        }
    }

    fn missing(&self, field: &str) -> String {
        format!("a {:?} problem without its {field}", self.kind)
    }
}

impl From<&AshbyProblem> for Wire {
    fn from(problem: &AshbyProblem) -> Self {
        match problem.clone() {
            AshbyProblem::MissingKey => Wire::of(Kind::MissingKey),
            AshbyProblem::InvalidKey { request_id } => Wire {
                request_id,
                ..Wire::of(Kind::InvalidKey)
            },
            AshbyProblem::MissingPermission {
                permission,
                ashby_said,
                request_id,
            } => Wire {
                permission,
                ashby_said: Some(ashby_said),
                request_id,
                ..Wire::of(Kind::MissingPermission)
            },
            AshbyProblem::RateLimited {
                retry_after_ms,
                partner_limit,
            } => Wire {
                retry_after_ms,
                partner_limit: Some(partner_limit),
                ..Wire::of(Kind::RateLimited)
            },
            AshbyProblem::AshbyDown { status, request_id } => Wire {
                status: Some(status),
                request_id,
                ..Wire::of(Kind::AshbyDown)
            },
            AshbyProblem::Unreachable => Wire::of(Kind::Unreachable),
            AshbyProblem::Timeout => Wire::of(Kind::Timeout),
            AshbyProblem::UnexpectedAnswer => Wire::of(Kind::UnexpectedAnswer),
            AshbyProblem::RequestNotBuilt => Wire::of(Kind::RequestNotBuilt),
            AshbyProblem::Refused {
                code,
                ashby_said,
                request_id,
            } => Wire {
                code: Some(code),
                ashby_said: Some(ashby_said),
                request_id,
                ..Wire::of(Kind::Refused)
            },
            AshbyProblem::Legacy { text } => Wire {
                text: Some(text),
                ..Wire::of(Kind::Legacy)
            },
        }
    }
}

impl TryFrom<Wire> for AshbyProblem {
    type Error = String;
    fn try_from(wire: Wire) -> Result<Self, String> {
        let said = |wire: &Wire| {
            wire.ashby_said
                .clone()
                .ok_or_else(|| wire.missing("message"))
        };
        Ok(match wire.kind {
            Kind::MissingKey => Self::MissingKey,
            Kind::InvalidKey => Self::InvalidKey {
                request_id: wire.request_id,
            },
            Kind::MissingPermission => Self::MissingPermission {
                ashby_said: said(&wire)?,
                permission: wire.permission,
                request_id: wire.request_id,
            },
            Kind::RateLimited => Self::RateLimited {
                retry_after_ms: wire.retry_after_ms,
                partner_limit: wire.partner_limit.unwrap_or(false),
            },
            Kind::AshbyDown => Self::AshbyDown {
                status: wire.status.ok_or_else(|| wire.missing("status"))?,
                request_id: wire.request_id,
            },
            Kind::Unreachable => Self::Unreachable,
            Kind::Timeout => Self::Timeout,
            Kind::UnexpectedAnswer => Self::UnexpectedAnswer,
            Kind::RequestNotBuilt => Self::RequestNotBuilt,
            Kind::Refused => Self::Refused {
                ashby_said: said(&wire)?,
                code: wire.code.clone().ok_or_else(|| wire.missing("code"))?,
                request_id: wire.request_id,
            },
            Kind::Legacy => Self::Legacy {
                text: wire.text.unwrap_or_default(),
            },
            other => return Err(format!("{other:?} is not an Ashby problem")),
        })
    }
}

impl From<&UploadProblem> for Wire {
    fn from(problem: &UploadProblem) -> Self {
        match problem.clone() {
            UploadProblem::Ashby { error } => Wire {
                error: Some(error),
                ..Wire::of(Kind::Ashby)
            },
            UploadProblem::Paused { because } => Wire {
                because: Some(because),
                ..Wire::of(Kind::Paused)
            },
            UploadProblem::MaybeCreated => Wire::of(Kind::MaybeCreated),
            UploadProblem::NoteUncertain => Wire::of(Kind::NoteUncertain),
            UploadProblem::DiscardedOtherConnection => Wire::of(Kind::DiscardedOtherConnection),
            UploadProblem::WaitingSameName { same_name } => Wire {
                same_name: Some(same_name),
                ..Wire::of(Kind::WaitingSameName)
            },
            UploadProblem::OverApplicantLimit { limit } => Wire {
                limit: Some(u64::from(limit)),
                ..Wire::of(Kind::OverApplicantLimit)
            },
            UploadProblem::AutomationBraked { limit } => Wire {
                limit: u64::try_from(limit).ok(),
                ..Wire::of(Kind::AutomationBraked)
            },
            UploadProblem::Legacy { text } => Wire {
                text: Some(text),
                ..Wire::of(Kind::Legacy)
            },
        }
    }
}

impl TryFrom<Wire> for UploadProblem {
    type Error = String;
    fn try_from(wire: Wire) -> Result<Self, String> {
        let limit = |wire: &Wire| wire.limit.ok_or_else(|| wire.missing("limit"));
        Ok(match wire.kind {
            Kind::Ashby => Self::Ashby {
                error: wire.error.clone().ok_or_else(|| wire.missing("error"))?,
            },
            Kind::Paused => Self::Paused {
                because: wire.because.clone().ok_or_else(|| wire.missing("reason"))?,
            },
            Kind::MaybeCreated => Self::MaybeCreated,
            Kind::NoteUncertain => Self::NoteUncertain,
            Kind::DiscardedOtherConnection => Self::DiscardedOtherConnection,
            Kind::WaitingSameName => Self::WaitingSameName {
                same_name: wire.same_name.ok_or_else(|| wire.missing("count"))?,
            },
            Kind::OverApplicantLimit => Self::OverApplicantLimit {
                limit: u32::try_from(limit(&wire)?).map_err(|e| e.to_string())?,
            },
            Kind::AutomationBraked => Self::AutomationBraked {
                limit: usize::try_from(limit(&wire)?).map_err(|e| e.to_string())?,
            },
            Kind::Legacy => Self::Legacy {
                text: wire.text.unwrap_or_default(),
            },
            other => return Err(format!("{other:?} is not an upload problem")),
        })
    }
}

impl From<&StorageProblem> for Wire {
    fn from(problem: &StorageProblem) -> Self {
        match problem.clone() {
            StorageProblem::UnreadableVersion => Wire::of(Kind::UnreadableVersion),
            StorageProblem::NewerVersion(version) => Wire {
                version: Some(version),
                ..Wire::of(Kind::NewerVersion)
            },
            StorageProblem::Corrupt { key } => Wire {
                key: Some(key),
                ..Wire::of(Kind::Corrupt)
            },
            StorageProblem::Legacy { text } => Wire {
                text: Some(text),
                ..Wire::of(Kind::Legacy)
            },
        }
    }
}

impl TryFrom<Wire> for StorageProblem {
    type Error = String;
    fn try_from(wire: Wire) -> Result<Self, String> {
        Ok(match wire.kind {
            Kind::UnreadableVersion => Self::UnreadableVersion,
            Kind::NewerVersion => {
                Self::NewerVersion(wire.version.ok_or_else(|| wire.missing("version"))?)
            }
            Kind::Corrupt => Self::Corrupt {
                key: wire.key.clone().ok_or_else(|| wire.missing("key"))?,
            },
            Kind::Legacy => Self::Legacy {
                text: wire.text.unwrap_or_default(),
            },
            other => return Err(format!("{other:?} is not a storage problem")),
        })
    }
}

impl Kind {
    const ALL: [Kind; 22] = [
        Kind::MissingKey,
        Kind::InvalidKey,
        Kind::MissingPermission,
        Kind::RateLimited,
        Kind::AshbyDown,
        Kind::Unreachable,
        Kind::Timeout,
        Kind::UnexpectedAnswer,
        Kind::RequestNotBuilt,
        Kind::Refused,
        Kind::Ashby,
        Kind::Paused,
        Kind::MaybeCreated,
        Kind::NoteUncertain,
        Kind::DiscardedOtherConnection,
        Kind::WaitingSameName,
        Kind::OverApplicantLimit,
        Kind::AutomationBraked,
        Kind::UnreadableVersion,
        Kind::NewerVersion,
        Kind::Corrupt,
        Kind::Legacy,
    ];

    /// Its name in the stored form (serde's camelCase).
    const fn name(self) -> &'static str {
        match self {
            Kind::MissingKey => "missingKey",
            Kind::InvalidKey => "invalidKey",
            Kind::MissingPermission => "missingPermission",
            Kind::RateLimited => "rateLimited",
            Kind::AshbyDown => "ashbyDown",
            Kind::Unreachable => "unreachable",
            Kind::Timeout => "timeout",
            Kind::UnexpectedAnswer => "unexpectedAnswer",
            Kind::RequestNotBuilt => "requestNotBuilt",
            Kind::Refused => "refused",
            Kind::Ashby => "ashby",
            Kind::Paused => "paused",
            Kind::MaybeCreated => "maybeCreated",
            Kind::NoteUncertain => "noteUncertain",
            Kind::DiscardedOtherConnection => "discardedOtherConnection",
            Kind::WaitingSameName => "waitingSameName",
            Kind::OverApplicantLimit => "overApplicantLimit",
            Kind::AutomationBraked => "automationBraked",
            Kind::UnreadableVersion => "unreadableVersion",
            Kind::NewerVersion => "newerVersion",
            Kind::Corrupt => "corrupt",
            Kind::Legacy => "legacy",
        }
    }
}

impl FromJson for Kind {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let name = json.as_str().ok_or(Mismatch("a problem kind"))?;
        Kind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or(Mismatch("a problem kind"))
    }
}

crate::write_json_as!(name: Kind);

impl WriteJson for Wire {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("kind", &self.kind)
            .member_some("permission", &self.permission)
            .member_some("ashbySaid", &self.ashby_said)
            .member_some("retryAfterMs", &self.retry_after_ms)
            .member_some("partnerLimit", &self.partner_limit)
            .member_some("status", &self.status)
            .member_some("code", &self.code)
            .member_some("requestId", &self.request_id)
            .member_some("error", &self.error)
            .member_some("because", &self.because)
            .member_some("sameName", &self.same_name)
            .member_some("limit", &self.limit)
            .member_some("version", &self.version)
            .member_some("key", &self.key)
            .member_some("text", &self.text);
        object.close();
    }
}

impl FromJson for Wire {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = Fields::of(json)?;
        Ok(Wire {
            kind: fields.required("kind")?,
            permission: fields.optional("permission")?,
            ashby_said: fields.optional("ashbySaid")?,
            retry_after_ms: fields.optional("retryAfterMs")?,
            partner_limit: fields.optional("partnerLimit")?,
            status: fields.optional("status")?,
            code: fields.optional("code")?,
            request_id: fields.optional("requestId")?,
            error: fields.optional("error")?,
            because: fields.optional("because")?,
            same_name: fields.optional("sameName")?,
            limit: fields.optional("limit")?,
            version: fields.optional("version")?,
            key: fields.optional("key")?,
            text: fields.optional("text")?,
        })
    }
}

/// Serde for a problem type: its [`Wire`] form, and on decode also a plain string from an
/// earlier version, as `Legacy` (cleaned, bounded).
macro_rules! wire_or_legacy {
    ($ty:ident) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                Wire::from(self).serialize(serializer)
            }
        }

        impl WriteJson for $ty {
            fn write_json(&self, out: &mut String) {
                Wire::from(self).write_json(out);
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct WireOrText;
                impl<'de> Visitor<'de> for WireOrText {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a problem, or its text from an earlier version")
                    }
                    fn visit_str<E: de::Error>(self, text: &str) -> Result<$ty, E> {
                        Ok($ty::Legacy {
                            text: clean_text(text, MAX_LEGACY_CHARS),
                        })
                    }
                    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        let wire = Wire::deserialize(de::value::MapAccessDeserializer::new(map))?;
                        $ty::try_from(wire).map_err(de::Error::custom)
                    }
                }
                deserializer.deserialize_any(WireOrText)
            }
        }
    };
}

/// The hand-written decoder of a problem type: the same two forms as its serde impl.
macro_rules! wire_or_legacy_from_json {
    ($ty:ident) => {
        impl FromJson for $ty {
            fn from_json(json: &Json) -> Result<Self, Mismatch> {
                match json {
                    Json::String(text) => Ok($ty::Legacy {
                        text: clean_text(text, MAX_LEGACY_CHARS),
                    }),
                    _ => $ty::try_from(Wire::from_json(json)?)
                        .map_err(|_| Mismatch("a problem with its details")),
                }
            }
        }
    };
}

wire_or_legacy_from_json!(AshbyProblem);
wire_or_legacy_from_json!(UploadProblem);
wire_or_legacy_from_json!(StorageProblem);

wire_or_legacy!(AshbyProblem);
wire_or_legacy!(UploadProblem);
wire_or_legacy!(StorageProblem);

crate::deserialize_through_from_json!(AshbyProblem, UploadProblem, StorageProblem);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_writer::testing::same_as_serde;
    use serde_json::json;

    #[test]
    fn the_wire_form_is_tagged_and_round_trips() {
        let problems = [
            UploadProblem::Ashby {
                error: AshbyProblem::Refused {
                    code: "invalid_input".into(),
                    ashby_said: "linkedInUrl must be a valid URL".into(),
                    request_id: Some("01JREQ".into()),
                },
            },
            UploadProblem::Paused {
                because: AshbyProblem::MissingPermission {
                    permission: Some(Permission::CandidatesWrite),
                    ashby_said: "missing_endpoint_permission".into(),
                    request_id: None,
                },
            },
            UploadProblem::Ashby {
                error: AshbyProblem::RateLimited {
                    retry_after_ms: Some(30_000),
                    partner_limit: false,
                },
            },
            UploadProblem::Ashby {
                error: AshbyProblem::AshbyDown {
                    status: 503,
                    request_id: None,
                },
            },
            UploadProblem::Ashby {
                error: AshbyProblem::Timeout,
            },
            UploadProblem::MaybeCreated,
            UploadProblem::NoteUncertain,
            UploadProblem::DiscardedOtherConnection,
            UploadProblem::WaitingSameName { same_name: 2 },
            UploadProblem::OverApplicantLimit { limit: 10 },
            UploadProblem::AutomationBraked { limit: 25 },
            UploadProblem::Legacy {
                text: "Ashby refused the request.".into(),
            },
        ];
        for problem in problems {
            let wire = serde_json::to_value(&problem).unwrap();
            assert!(wire["kind"].is_string(), "{wire}");
            let back: UploadProblem = serde_json::from_value(wire.clone()).unwrap();
            assert_eq!(back, problem, "{wire}");
        }
        assert_eq!(
            serde_json::to_value(UploadProblem::Paused {
                because: AshbyProblem::MissingPermission {
                    permission: Some(Permission::CandidatesWrite),
                    ashby_said: "missing_endpoint_permission".into(),
                    request_id: None,
                },
            })
            .unwrap(),
            json!({"kind": "paused", "because": {"kind": "missingPermission",
                "permission": "candidatesWrite", "ashbySaid": "missing_endpoint_permission"}})
        );
        assert_eq!(
            serde_json::to_value(UploadProblem::OverApplicantLimit { limit: 3 }).unwrap(),
            json!({"kind": "overApplicantLimit", "limit": 3})
        );
    }

    #[test]
    fn problems_read_by_hand_as_serde_reads_them() {
        let ashby = [
            AshbyProblem::MissingKey,
            AshbyProblem::InvalidKey {
                request_id: Some("01JREQ".into()),
            },
            AshbyProblem::MissingPermission {
                permission: Some(Permission::OrganizationRead),
                ashby_said: "missing_endpoint_permission".into(),
                request_id: None,
            },
            AshbyProblem::MissingPermission {
                permission: None,
                ashby_said: "no".into(),
                request_id: Some("r".into()),
            },
            AshbyProblem::RateLimited {
                retry_after_ms: None,
                partner_limit: true,
            },
            AshbyProblem::AshbyDown {
                status: 502,
                request_id: None,
            },
            AshbyProblem::Unreachable,
            AshbyProblem::Timeout,
            AshbyProblem::UnexpectedAnswer,
            AshbyProblem::RequestNotBuilt,
            AshbyProblem::Refused {
                code: "invalid_input".into(),
                ashby_said: "Bad.".into(),
                request_id: Some("r".into()),
            },
            AshbyProblem::Legacy {
                text: "Old English.".into(),
            },
        ];
        crate::from_json::testing::round_trips(&ashby);
        ashby.iter().for_each(same_as_serde);
        let upload = ashby
            .iter()
            .map(|error| UploadProblem::Ashby {
                error: error.clone(),
            })
            .chain([
                UploadProblem::Paused {
                    because: AshbyProblem::InvalidKey { request_id: None },
                },
                UploadProblem::MaybeCreated,
                UploadProblem::NoteUncertain,
                UploadProblem::DiscardedOtherConnection,
                UploadProblem::WaitingSameName { same_name: 0 },
                UploadProblem::OverApplicantLimit { limit: 10 },
                UploadProblem::AutomationBraked { limit: 25 },
                UploadProblem::Legacy {
                    text: "Old.".into(),
                },
            ])
            .collect::<Vec<_>>();
        crate::from_json::testing::round_trips(&upload);
        upload.iter().for_each(same_as_serde);
        let storage = [
            StorageProblem::UnreadableVersion,
            StorageProblem::NewerVersion(9),
            StorageProblem::Corrupt { key: "k".into() },
            StorageProblem::Legacy { text: "t".into() },
        ];
        crate::from_json::testing::round_trips(&storage);
        storage.iter().for_each(same_as_serde);
        let texts = [
            r#""Ashby took too long to answer.\u202e Try again.""#,
            r#"{"kind": "timeout", "unknown": [1, 2]}"#,
            r#"{"kind": "ashbyDown"}"#,
            r#"{"kind": "ashbyDown", "status": 70000}"#,
            r#"{"kind": "ashbyDown", "status": 503, "requestId": null}"#,
            r#"{"kind": "refused", "ashbySaid": "x"}"#,
            r#"{"kind": "rateLimited"}"#,
            r#"{"kind": "rateLimited", "partnerLimit": "yes"}"#,
            r#"{"kind": "missingPermission", "ashbySaid": "x", "permission": "jobsWrite"}"#,
            r#"{"kind": "ashby", "error": {"kind": "timeout"}}"#,
            r#"{"kind": "ashby", "error": "Ashby refused it."}"#,
            r#"{"kind": "ashby"}"#,
            r#"{"kind": "paused", "because": {"kind": "maybeCreated"}}"#,
            r#"{"kind": "overApplicantLimit", "limit": 4294967296}"#,
            r#"{"kind": "automationBraked", "limit": -1}"#,
            r#"{"kind": "waitingSameName", "sameName": 1.5}"#,
            r#"{"kind": "newerVersion", "version": 9}"#,
            r#"{"kind": "corrupt"}"#,
            r#"{"kind": "legacy"}"#,
            r#"{"kind": "nonsense"}"#,
            r#"{"kind": null}"#,
            r#"{}"#,
            "7",
            "null",
            "[]",
        ];
        crate::from_json::testing::agrees_with_serde::<AshbyProblem>(&texts);
        crate::from_json::testing::agrees_with_serde::<UploadProblem>(&texts);
        crate::from_json::testing::agrees_with_serde::<StorageProblem>(&texts);
    }

    #[test]
    fn text_from_an_earlier_version_decodes_as_legacy_cleaned() {
        let old: UploadProblem =
            serde_json::from_value(json!("Ashby took too long to answer.\u{202E} Try again."))
                .unwrap();
        assert_eq!(
            old,
            UploadProblem::Legacy {
                text: "Ashby took too long to answer. Try again.".into()
            }
        );
        let old: AshbyProblem = serde_json::from_value(json!("Ashby refused it.")).unwrap();
        assert_eq!(
            old,
            AshbyProblem::Legacy {
                text: "Ashby refused it.".into()
            }
        );
        // Not a problem at all: refused, not turned into an empty one.
        assert!(serde_json::from_value::<UploadProblem>(json!(7)).is_err());
        assert!(serde_json::from_value::<UploadProblem>(json!({"kind": "nonsense"})).is_err());
    }

    #[test]
    fn a_storage_report_keeps_its_problems_typed_and_reads_the_old_english() {
        let problems = [
            StorageProblem::UnreadableVersion,
            StorageProblem::NewerVersion(9),
            StorageProblem::Corrupt {
                key: "automation/s1".into(),
            },
            StorageProblem::Legacy {
                text: "a search seen on Fetcher (search/s1)".into(),
            },
        ];
        for problem in problems {
            let wire = serde_json::to_value(&problem).unwrap();
            assert_eq!(
                serde_json::from_value::<StorageProblem>(wire).unwrap(),
                problem
            );
        }
        assert_eq!(
            serde_json::to_value(StorageProblem::NewerVersion(9)).unwrap(),
            json!({"kind": "newerVersion", "version": 9})
        );
        // Earlier versions stored each problem's English.
        let old: Vec<StorageProblem> =
            serde_json::from_value(json!(["the saved API key (connect again) (ashbyApiKey)"]))
                .unwrap();
        assert_eq!(
            old,
            [StorageProblem::Legacy {
                text: "the saved API key (connect again) (ashbyApiKey)".into()
            }]
        );
        // Another type's kind, or a kind without its field, is refused.
        assert!(serde_json::from_value::<StorageProblem>(json!({"kind": "timeout"})).is_err());
        assert!(serde_json::from_value::<StorageProblem>(json!({"kind": "corrupt"})).is_err());
        assert!(
            serde_json::from_value::<UploadProblem>(json!({"kind": "corrupt", "key": "k"}))
                .is_err()
        );
    }

    #[test]
    fn a_user_lookup_stored_with_english_still_loads() {
        use crate::domain::UserMatch;
        let old = json!({"kind": "lookupFailed", "email": "rita@agency.com",
            "message": "The Ashby API key lacks a permission this needs."});
        let user: UserMatch = serde_json::from_value(old).unwrap();
        assert_eq!(
            user,
            UserMatch::LookupFailed {
                email: "rita@agency.com".into(),
                problem: AshbyProblem::Legacy {
                    text: "The Ashby API key lacks a permission this needs.".into()
                },
            }
        );
        let now = UserMatch::LookupFailed {
            email: "rita@agency.com".into(),
            problem: AshbyProblem::Timeout,
        };
        let wire = serde_json::to_value(&now).unwrap();
        assert_eq!(wire["problem"], json!({"kind": "timeout"}));
        assert_eq!(serde_json::from_value::<UserMatch>(wire).unwrap(), now);
    }

    #[test]
    fn every_ashby_error_keeps_what_the_recruiter_reads() {
        use crate::ashby::error::AshbyError;
        let cases = [
            (AshbyError::MissingKey, AshbyProblem::MissingKey),
            (
                AshbyError::InvalidKey {
                    message: Some("deactivated".into()),
                    request_id: Some("r".into()),
                },
                AshbyProblem::InvalidKey {
                    request_id: Some("r".into()),
                },
            ),
            (
                AshbyError::RateLimited {
                    retry_after_ms: None,
                    integration_partner_limit: true,
                    message: None,
                },
                AshbyProblem::RateLimited {
                    retry_after_ms: None,
                    partner_limit: true,
                },
            ),
            (
                AshbyError::Network("dns: secret.internal".into()),
                AshbyProblem::Unreachable,
            ),
            (
                AshbyError::MalformedResponse {
                    status: 200,
                    detail: "<html>".into(),
                },
                AshbyProblem::UnexpectedAnswer,
            ),
        ];
        for (error, problem) in cases {
            assert_eq!(AshbyProblem::from(&error), problem, "{error:?}");
        }
    }
}
