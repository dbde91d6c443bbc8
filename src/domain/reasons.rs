//! Why the worker refused a request, why a search is read-only, why automation or the last
//! Fetcher page needs the recruiter: reasons as data, travelling between the worker and the
//! pages. `crate::text` turns them into English only where a recruiter reads them (popup,
//! options, Send dialog, content script), so no code decides on a sentence.
//!
//! Serde's default (externally tagged) form keeps them small on the wire and in the wasm: a
//! unit reason is its name (`"storageFailed"`), one with data is `{"notOwner": {…}}`.

use super::clean_text::clean_text;
use super::problem::{AshbyProblem, MAX_LEGACY_CHARS};
use crate::from_json::{unit, variant, with_fields, FromJson, Mismatch};
use crate::json_text::Json;
use crate::json_writer::{write_variant, Object, WriteJson};
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;

/// Why the worker did not carry out a request: the body of its `Error` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub enum WorkerProblem {
    /// The sender or the message's shape is not one this extension sends.
    MessageRefused,
    /// The browser refused to read or save the extension's data.
    StorageFailed,
    /// What was pasted cannot be an Ashby API key (empty, too long, not ASCII).
    ApiKeyMalformed,
    /// Ashby says the key was deactivated.
    ApiKeyDisabled,
    /// The key lacks "API Keys: Read", so `apiKey.info` cannot check it.
    ApiKeyCannotBeChecked,
    /// A Disconnect came while Ashby was checking the key: it was not saved.
    ConnectInterrupted,
    /// No key is saved.
    ConnectFirst,
    /// Fetcher pages asked Ashby too often in a short time.
    TooManyChecks,
    /// The worker could not finish the request (it stopped or lost its own answer).
    Unavailable,
    /// Retry without a failed upload to retry.
    NothingToRetry,
    /// The Send dialog's draft expired or was claimed by another frame.
    DraftGone,
    /// The search was never seen on Fetcher.
    UnknownSearch,
    /// An Ashby call failed.
    Ashby(AshbyProblem),
    /// Only the search's owner may change its automation.
    ReadOnly(ReadOnlyReason),
    /// The automation settings cannot be saved as they are.
    Automation(AutomationProblem),
}

impl From<&crate::ashby::error::AshbyError> for WorkerProblem {
    fn from(error: &crate::ashby::error::AshbyError) -> Self {
        Self::Ashby(error.into())
    }
}

impl FromJson for WorkerProblem {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let (name, value) = variant(json)?;
        let inner = || value.ok_or(Mismatch("a problem's details"));
        match name {
            "messageRefused" => unit(value, Self::MessageRefused),
            "storageFailed" => unit(value, Self::StorageFailed),
            "apiKeyMalformed" => unit(value, Self::ApiKeyMalformed),
            "apiKeyDisabled" => unit(value, Self::ApiKeyDisabled),
            "apiKeyCannotBeChecked" => unit(value, Self::ApiKeyCannotBeChecked),
            "connectInterrupted" => unit(value, Self::ConnectInterrupted),
            "connectFirst" => unit(value, Self::ConnectFirst),
            "tooManyChecks" => unit(value, Self::TooManyChecks),
            "unavailable" => unit(value, Self::Unavailable),
            "nothingToRetry" => unit(value, Self::NothingToRetry),
            "draftGone" => unit(value, Self::DraftGone),
            "unknownSearch" => unit(value, Self::UnknownSearch),
            "ashby" => AshbyProblem::from_json(inner()?).map(Self::Ashby),
            "readOnly" => ReadOnlyReason::from_json(inner()?).map(Self::ReadOnly),
            "automation" => AutomationProblem::from_json(inner()?).map(Self::Automation),
            _ => Err(Mismatch("a worker problem")),
        }
    }
}

/// Why the open profile cannot be sent from its page: what the shortcut, the ⋮ menu item and
/// the popup's "Send this profile to Ashby" explain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsendable {
    /// The page does not show a readable candidate profile (yet).
    ProfileNotReadable,
    /// The worker did not prepare it, or did not answer.
    Worker(WorkerProblem),
}

/// Why the recruiter may only look at a search's automation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub enum ReadOnlyReason {
    /// No Fetcher account seen yet.
    AccountUnknown,
    /// The page did not show the search's owner.
    OwnerUnknown,
    /// Someone else owns the search (their email as the page showed it).
    NotOwner { owner: String },
}

/// Why an automation setting cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub enum AutomationProblem {
    /// Automatic upload without a job.
    NoJob,
    /// The applicant limit is not a positive whole number.
    BadLimit,
    /// The job is not open in Ashby (closed, draft, archived or gone).
    JobNotOpen { title: Option<String> },
}

impl FromJson for ReadOnlyReason {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match variant(json)? {
            ("accountUnknown", value) => unit(value, Self::AccountUnknown),
            ("ownerUnknown", value) => unit(value, Self::OwnerUnknown),
            ("notOwner", value) => Ok(Self::NotOwner {
                owner: with_fields(value)?.required("owner")?,
            }),
            _ => Err(Mismatch("a read-only reason")),
        }
    }
}

impl FromJson for AutomationProblem {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        match variant(json)? {
            ("noJob", value) => unit(value, Self::NoJob),
            ("badLimit", value) => unit(value, Self::BadLimit),
            ("jobNotOpen", value) => Ok(Self::JobNotOpen {
                title: with_fields(value)?.optional("title")?,
            }),
            _ => Err(Mismatch("an automation problem")),
        }
    }
}

/// A search whose automation the brake paused: more than `limit` automatic uploads within
/// its window, `held` candidates held back since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub struct AutomationPaused {
    pub limit: usize,
    pub held: u32,
}

impl FromJson for AutomationPaused {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(AutomationPaused {
            limit: fields.required("limit")?,
            held: fields.required("held")?,
        })
    }
}

/// Why the extension could not work on the last Fetcher page it ran on. Stored (under
/// `fetcher/pageProblem`) as a plain string, as earlier versions stored their English: a
/// string that is not one of the names below is that English, shown as it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(from = "String", into = "String")]
pub enum PageProblem {
    /// Not a search or a candidate profile.
    NotRecognised,
    /// The page's security policy kept the wasm content script from starting.
    ContentBlocked,
    /// Text stored by an earlier version.
    Legacy { text: String },
}

const NOT_RECOGNISED: &str = "notRecognised";
const CONTENT_BLOCKED: &str = "contentBlocked";

impl From<String> for PageProblem {
    fn from(stored: String) -> Self {
        match stored.as_str() {
            NOT_RECOGNISED => Self::NotRecognised,
            CONTENT_BLOCKED => Self::ContentBlocked,
            text => Self::Legacy {
                text: clean_text(text, MAX_LEGACY_CHARS),
            },
        }
    }
}

impl FromJson for PageProblem {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        String::from_json(json).map(Self::from)
    }
}

impl From<PageProblem> for String {
    fn from(problem: PageProblem) -> String {
        match problem {
            PageProblem::NotRecognised => NOT_RECOGNISED.to_owned(),
            PageProblem::ContentBlocked => CONTENT_BLOCKED.to_owned(),
            PageProblem::Legacy { text } => text,
        }
    }
}

// Hand-written encoders (`crate::json_writer`): serde's externally tagged forms above.

impl WriteJson for WorkerProblem {
    fn write_json(&self, out: &mut String) {
        let name = match self {
            Self::MessageRefused => "messageRefused",
            Self::StorageFailed => "storageFailed",
            Self::ApiKeyMalformed => "apiKeyMalformed",
            Self::ApiKeyDisabled => "apiKeyDisabled",
            Self::ApiKeyCannotBeChecked => "apiKeyCannotBeChecked",
            Self::ConnectInterrupted => "connectInterrupted",
            Self::ConnectFirst => "connectFirst",
            Self::TooManyChecks => "tooManyChecks",
            Self::Unavailable => "unavailable",
            Self::NothingToRetry => "nothingToRetry",
            Self::DraftGone => "draftGone",
            Self::UnknownSearch => "unknownSearch",
            Self::Ashby(problem) => return write_variant("ashby", problem, out),
            Self::ReadOnly(reason) => return write_variant("readOnly", reason, out),
            Self::Automation(problem) => return write_variant("automation", problem, out),
        };
        name.write_json(out);
    }
}

impl WriteJson for ReadOnlyReason {
    fn write_json(&self, out: &mut String) {
        match self {
            Self::AccountUnknown => "accountUnknown".write_json(out),
            Self::OwnerUnknown => "ownerUnknown".write_json(out),
            Self::NotOwner { owner } => {
                let mut object = Object::open(out);
                object.member("notOwner", &Member("owner", owner));
                object.close();
            }
        }
    }
}

impl WriteJson for AutomationProblem {
    fn write_json(&self, out: &mut String) {
        match self {
            Self::NoJob => "noJob".write_json(out),
            Self::BadLimit => "badLimit".write_json(out),
            Self::JobNotOpen { title } => {
                let mut object = Object::open(out);
                object.member("jobNotOpen", &Member("title", title));
                object.close();
            }
        }
    }
}

/// A struct variant's one field, as the object serde writes for it.
struct Member<'a, T>(&'a str, &'a T);

impl<T: WriteJson> WriteJson for Member<'_, T> {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object.member(self.0, self.1);
        object.close();
    }
}

impl WriteJson for AutomationPaused {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("limit", &self.limit)
            .member("held", &self.held);
        object.close();
    }
}

impl WriteJson for PageProblem {
    fn write_json(&self, out: &mut String) {
        match self {
            Self::NotRecognised => NOT_RECOGNISED,
            Self::ContentBlocked => CONTENT_BLOCKED,
            Self::Legacy { text } => text,
        }
        .write_json(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::from_json::testing::{agrees_with_serde, round_trips};
    use serde_json::json;

    /// Every worker problem, each reason and automation problem among them.
    fn every_worker_problem() -> Vec<WorkerProblem> {
        vec![
            WorkerProblem::MessageRefused,
            WorkerProblem::StorageFailed,
            WorkerProblem::ApiKeyMalformed,
            WorkerProblem::ApiKeyDisabled,
            WorkerProblem::ApiKeyCannotBeChecked,
            WorkerProblem::ConnectInterrupted,
            WorkerProblem::ConnectFirst,
            WorkerProblem::TooManyChecks,
            WorkerProblem::Unavailable,
            WorkerProblem::NothingToRetry,
            WorkerProblem::DraftGone,
            WorkerProblem::UnknownSearch,
            WorkerProblem::Ashby(AshbyProblem::RateLimited {
                retry_after_ms: Some(1_500),
                partner_limit: true,
            }),
            WorkerProblem::ReadOnly(ReadOnlyReason::AccountUnknown),
            WorkerProblem::ReadOnly(ReadOnlyReason::OwnerUnknown),
            WorkerProblem::ReadOnly(ReadOnlyReason::NotOwner {
                owner: "lead@agency.com".into(),
            }),
            WorkerProblem::Automation(AutomationProblem::NoJob),
            WorkerProblem::Automation(AutomationProblem::BadLimit),
            WorkerProblem::Automation(AutomationProblem::JobNotOpen {
                title: Some("Engineer".into()),
            }),
        ]
    }

    #[test]
    fn reasons_travel_as_their_names_and_round_trip() {
        let cases = [
            (WorkerProblem::MessageRefused, json!("messageRefused")),
            (WorkerProblem::StorageFailed, json!("storageFailed")),
            (
                WorkerProblem::Ashby(AshbyProblem::Timeout),
                json!({"ashby": {"kind": "timeout"}}),
            ),
            (
                WorkerProblem::ReadOnly(ReadOnlyReason::NotOwner {
                    owner: "lead@agency.com".into(),
                }),
                json!({"readOnly": {"notOwner": {"owner": "lead@agency.com"}}}),
            ),
            (
                WorkerProblem::Automation(AutomationProblem::JobNotOpen { title: None }),
                json!({"automation": {"jobNotOpen": {"title": null}}}),
            ),
        ];
        for (problem, wire) in cases {
            assert_eq!(serde_json::to_value(&problem).unwrap(), wire, "{problem:?}");
            crate::json_writer::testing::same_as_serde(&problem);
            assert_eq!(
                serde_json::from_value::<WorkerProblem>(wire).unwrap(),
                problem
            );
        }
        assert!(serde_json::from_value::<WorkerProblem>(json!("Some English.")).is_err());
        let paused = AutomationPaused { limit: 50, held: 2 };
        let wire = serde_json::to_value(paused).unwrap();
        assert_eq!(wire, json!({"limit": 50, "held": 2}));
        assert_eq!(
            serde_json::from_value::<AutomationPaused>(wire).unwrap(),
            paused
        );
    }

    #[test]
    fn every_reason_is_written_as_serde_writes_it() {
        use crate::json_writer::testing::{awkward_text, same_as_serde};
        every_worker_problem().iter().for_each(same_as_serde);
        same_as_serde(&WorkerProblem::ReadOnly(ReadOnlyReason::NotOwner {
            owner: awkward_text(),
        }));
        same_as_serde(&WorkerProblem::Automation(AutomationProblem::JobNotOpen {
            title: None,
        }));
        same_as_serde(&AutomationPaused { limit: 25, held: 3 });
        for problem in [
            PageProblem::NotRecognised,
            PageProblem::ContentBlocked,
            PageProblem::Legacy {
                text: awkward_text(),
            },
        ] {
            same_as_serde(&problem);
        }
    }

    #[test]
    fn reasons_read_by_hand_as_serde_reads_them() {
        round_trips(&every_worker_problem());
        agrees_with_serde::<WorkerProblem>(&[
            r#""storageFailed""#,
            r#"{"storageFailed": null}"#,
            r#"{"storageFailed": 1}"#,
            r#""ashby""#,
            r#"{"ashby": "Ashby refused it."}"#,
            r#"{"ashby": {"kind": "paused"}}"#,
            r#"{"readOnly": "notOwner"}"#,
            r#"{"readOnly": {"notOwner": {}}}"#,
            r#"{"readOnly": {"notOwner": {"owner": "x", "more": 1}}}"#,
            r#"{"automation": {"jobNotOpen": {}}}"#,
            r#"{"automation": {"jobNotOpen": {"title": 3}}}"#,
            r#"{"automation": "noJob", "readOnly": "ownerUnknown"}"#,
            r#""Some English.""#,
            r#"7"#,
        ]);
        round_trips(&[
            PageProblem::NotRecognised,
            PageProblem::ContentBlocked,
            PageProblem::Legacy {
                text: "Old.".into(),
            },
        ]);
        agrees_with_serde::<PageProblem>(&[r#""Blocked.\u202e""#, "5", "null"]);
    }

    #[test]
    fn a_page_problem_is_stored_as_a_string_and_old_english_reads_back() {
        for problem in [PageProblem::NotRecognised, PageProblem::ContentBlocked] {
            let wire = serde_json::to_value(&problem).unwrap();
            assert!(wire.is_string());
            assert_eq!(
                serde_json::from_value::<PageProblem>(wire).unwrap(),
                problem
            );
        }
        let old = "Fetcher's page blocked the extension.\u{202E}";
        assert_eq!(
            serde_json::from_value::<PageProblem>(json!(old)).unwrap(),
            PageProblem::Legacy {
                text: "Fetcher's page blocked the extension.".into()
            }
        );
        assert!(serde_json::from_value::<PageProblem>(json!(5)).is_err());
    }
}

crate::deserialize_through_from_json!(
    WorkerProblem,
    ReadOnlyReason,
    AutomationProblem,
    AutomationPaused,
    PageProblem
);
