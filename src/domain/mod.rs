//! The domain's shared vocabulary, below every other module: the values the extension keys
//! and compares by (ids, emails, links, clean text, times), each checked once when made or
//! decoded; what a Fetcher candidate is once read from the page; an Ashby job as the pickers
//! show it; the automation settings of a Fetcher search and its triggers.

/// The read-only string views every validated text type offers: back into a `String`
/// (serde's `into`), `Deref` to `str`, and `Display`. Construction stays with each type.
macro_rules! string_views {
    ($ty:ident $(<const $max:ident: usize>)?) => {
        impl$(<const $max: usize>)? From<$ty$(<$max>)?> for String {
            fn from(value: $ty$(<$max>)?) -> String {
                value.0
            }
        }

        impl$(<const $max: usize>)? std::ops::Deref for $ty$(<$max>)? {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        /// Compares with text as given (fixtures and wire values), not by any looser rule.
        impl$(<const $max: usize>)? PartialEq<&str> for $ty$(<$max>)? {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl$(<const $max: usize>)? std::fmt::Display for $ty$(<$max>)? {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Decoding, `FromStr` and test fixtures for a checked text type whose `parse` is lenient
/// (trims, reads `mailto:`…): decoding accepts only the form `parse` gives, as everything this
/// extension writes is; tests may write fixtures as `"…".into()`.
macro_rules! parsed_strings {
    ($ty:ident, $err:ident) => {
        impl TryFrom<String> for $ty {
            type Error = $err;
            fn try_from(raw: String) -> Result<Self, $err> {
                Self::parse(&raw)
                    .ok()
                    .filter(|value| value.0 == raw)
                    .ok_or($err)
            }
        }

        /// Read as its serde form reads it: a string that is already in its parsed form.
        impl crate::from_json::FromJson for $ty {
            fn from_json(
                json: &crate::json_text::Json,
            ) -> Result<Self, crate::from_json::Mismatch> {
                let raw = <String as crate::from_json::FromJson>::from_json(json)?;
                Self::try_from(raw).map_err(|_| crate::from_json::Mismatch(stringify!($ty)))
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $err;
            fn from_str(raw: &str) -> Result<Self, $err> {
                Self::parse(raw)
            }
        }

        #[cfg(test)]
        impl From<&str> for $ty {
            fn from(raw: &str) -> Self {
                Self::parse(raw).expect("a valid value in a test fixture")
            }
        }
    };
}

pub mod clean_text;
pub mod email;
mod ids;
pub mod lower_case;
pub mod problem;
pub mod reasons;
pub mod web;

pub use clean_text::CleanText;
pub use email::Email;
pub use ids::{is_valid_id, CandidateId, InvalidId, JobId, SearchId, MAX_ID_CHARS};
pub use problem::{AshbyProblem, StorageProblem, UploadProblem};
pub use reasons::{
    AutomationPaused, AutomationProblem, PageProblem, ReadOnlyReason, Unsendable, WorkerProblem,
};
pub use web::{AshbyProfileUrl, HttpsUrl};

use crate::from_json::FromJson;
use crate::json_writer::{Object, WriteJson};
#[cfg(not(target_arch = "wasm32"))]
use serde::Deserialize;
use serde::Serialize;

/// Longest API key accepted (Ashby keys are far shorter).
pub const MAX_API_KEY_LEN: usize = 512;

/// A moment as milliseconds since the Unix epoch (what `Date.now()` gives): finite and not
/// negative, checked when made or decoded.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(try_from = "f64", into = "f64")]
pub struct EpochMs(f64);

/// Not a time: negative, infinite or NaN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a time in epoch milliseconds")]
pub struct InvalidTime;

impl EpochMs {
    pub fn new(ms: f64) -> Result<Self, InvalidTime> {
        (ms.is_finite() && ms >= 0.0)
            .then_some(Self(ms))
            .ok_or(InvalidTime)
    }

    /// A clock reading (`Date.now()`). No browser gives one before 1970 or NaN; one that did
    /// would count as the epoch, so nothing is ever refused for its own clock.
    pub fn from_clock(ms: f64) -> Self {
        Self::new(ms).unwrap_or_default()
    }

    pub fn as_f64(self) -> f64 {
        self.0
    }
}

/// Finite by construction, so times are totally ordered.
impl Eq for EpochMs {}

impl Ord for EpochMs {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl PartialOrd for EpochMs {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Compared with a clock reading as it comes (`now_ms`).
impl PartialEq<f64> for EpochMs {
    fn eq(&self, other: &f64) -> bool {
        self.0 == *other
    }
}

impl PartialOrd<f64> for EpochMs {
    fn partial_cmp(&self, other: &f64) -> Option<std::cmp::Ordering> {
        self.0.partial_cmp(other)
    }
}

impl TryFrom<f64> for EpochMs {
    type Error = InvalidTime;
    fn try_from(ms: f64) -> Result<Self, InvalidTime> {
        Self::new(ms)
    }
}

impl FromJson for EpochMs {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        EpochMs::new(f64::from_json(json)?).map_err(|_| crate::from_json::Mismatch("a time"))
    }
}

impl From<EpochMs> for f64 {
    fn from(at: EpochMs) -> f64 {
        at.0
    }
}

/// Which page the content script believes it is on (the route, not the page's text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub enum PageKind {
    // The lower-case names are what earlier content scripts sent in `Hello`.
    #[serde(alias = "search")]
    Search,
    #[serde(alias = "profile")]
    Profile,
    /// Any other Fetcher path: the extension stays idle there.
    #[default]
    #[serde(alias = "unrecognised")]
    Unrecognised,
}

impl PageKind {
    /// Its name in messages (serde's).
    pub const fn name(self) -> &'static str {
        match self {
            PageKind::Search => "Search",
            PageKind::Profile => "Profile",
            PageKind::Unrecognised => "Unrecognised",
        }
    }
}

impl FromJson for PageKind {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        const NAMES: [(&str, PageKind); 6] = [
            (PageKind::Search.name(), PageKind::Search),
            (PageKind::Profile.name(), PageKind::Profile),
            (PageKind::Unrecognised.name(), PageKind::Unrecognised),
            ("search", PageKind::Search),
            ("profile", PageKind::Profile),
            ("unrecognised", PageKind::Unrecognised),
        ];
        crate::from_json::named(json, &NAMES, "a page kind")
    }
}

/// An Ashby job's status (also the `job.list` status filter). Only `Open` jobs take
/// applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub enum JobStatus {
    Draft,
    Open,
    Closed,
    Archived,
    /// A status this code does not know yet. Never sent.
    #[serde(other)]
    Unknown,
}

impl JobStatus {
    /// Ashby's name for it (what the pickers show next to a job that is not open).
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Draft => "Draft",
            JobStatus::Open => "Open",
            JobStatus::Closed => "Closed",
            JobStatus::Archived => "Archived",
            JobStatus::Unknown => "Unknown",
        }
    }

    pub fn is_open(self) -> bool {
        self == JobStatus::Open
    }

    /// The status Ashby's name stands for (as serde reads it: an unknown name is `Unknown`).
    pub fn from_name(name: &str) -> Self {
        match name {
            "Draft" => JobStatus::Draft,
            "Open" => JobStatus::Open,
            "Closed" => JobStatus::Closed,
            "Archived" => JobStatus::Archived,
            _ => JobStatus::Unknown,
        }
    }
}

/// Ashby's status names; any other is [`JobStatus::Unknown`] (as when decoded).
impl From<&str> for JobStatus {
    fn from(name: &str) -> Self {
        [
            JobStatus::Draft,
            JobStatus::Open,
            JobStatus::Closed,
            JobStatus::Archived,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
        .unwrap_or(JobStatus::Unknown)
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromJson for JobStatus {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        // `#[serde(other)]`: any other name is `Unknown`.
        let (name, value) = crate::from_json::variant(json)?;
        crate::from_json::unit(value, JobStatus::from_name(name))
    }
}

/// An Ashby job as the pickers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct JobChoice {
    pub id: JobId,
    pub title: String,
    pub status: JobStatus,
    pub location: Option<String>,
    pub department: Option<String>,
}

impl FromJson for JobChoice {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(JobChoice {
            id: fields.required("id")?,
            title: fields.required("title")?,
            status: fields.required("status")?,
            location: fields.optional("location")?,
            department: fields.optional("department")?,
        })
    }
}

/// Which Ashby user the recruiter's Fetcher account maps to (credited with uploads).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum UserMatch {
    /// No Fetcher account seen yet (no Fetcher tab open since connecting).
    #[default]
    Unknown,
    /// An enabled Ashby user has the Fetcher account's email.
    Found {
        user_id: String,
        name: String,
        email: Email,
    },
    /// The Ashby user with this email is deactivated: uploads are not credited.
    Disabled { name: String, email: Email },
    /// No Ashby user has the Fetcher account's email.
    NotFound { email: Email },
    /// `user.search` failed (e.g. the key lacks Organization: Read). Earlier versions stored
    /// the English as `message`: it decodes as [`AshbyProblem::Legacy`].
    LookupFailed {
        email: Email,
        #[serde(alias = "message")]
        problem: AshbyProblem,
    },
}

impl FromJson for UserMatch {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        use crate::from_json::{Fields, Mismatch};
        let fields = Fields::of(json)?;
        let kind: String = fields.required("kind")?;
        Ok(match kind.as_str() {
            "unknown" => UserMatch::Unknown,
            "found" => UserMatch::Found {
                user_id: fields.required("userId")?,
                name: fields.required("name")?,
                email: fields.required("email")?,
            },
            "disabled" => UserMatch::Disabled {
                name: fields.required("name")?,
                email: fields.required("email")?,
            },
            "notFound" => UserMatch::NotFound {
                email: fields.required("email")?,
            },
            "lookupFailed" => UserMatch::LookupFailed {
                email: fields.required("email")?,
                // Earlier versions stored the English as `message`.
                problem: match fields.optional("problem")? {
                    Some(problem) => problem,
                    None => fields.required("message")?,
                },
            },
            _ => return Err(Mismatch("a user match")),
        })
    }
}

impl UserMatch {
    /// The Ashby user id to credit, when there is one.
    pub fn credited_user_id(&self) -> Option<&str> {
        match self {
            UserMatch::Found { user_id, .. } => Some(user_id),
            _ => None,
        }
    }

    /// The Fetcher email this match was made for.
    pub fn fetcher_email(&self) -> Option<&Email> {
        match self {
            UserMatch::Unknown => None,
            UserMatch::Found { email, .. }
            | UserMatch::Disabled { email, .. }
            | UserMatch::NotFound { email }
            | UserMatch::LookupFailed { email, .. } => Some(email),
        }
    }
}

/// A candidate's status in a Fetcher search, in the order the pipeline reaches them:
/// a later status implies the earlier ones happened (Interested ⇒ Replied ⇒ Contacted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub enum CandidateStatus {
    New,
    Liked,
    Contacted,
    Replied,
    Interested,
}

impl CandidateStatus {
    /// Its name in messages (serde's).
    pub const fn name(self) -> &'static str {
        match self {
            CandidateStatus::New => "New",
            CandidateStatus::Liked => "Liked",
            CandidateStatus::Contacted => "Contacted",
            CandidateStatus::Replied => "Replied",
            CandidateStatus::Interested => "Interested",
        }
    }
}

impl FromJson for CandidateStatus {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        const NAMES: [(&str, CandidateStatus); 5] = [
            (CandidateStatus::New.name(), CandidateStatus::New),
            (CandidateStatus::Liked.name(), CandidateStatus::Liked),
            (
                CandidateStatus::Contacted.name(),
                CandidateStatus::Contacted,
            ),
            (CandidateStatus::Replied.name(), CandidateStatus::Replied),
            (
                CandidateStatus::Interested.name(),
                CandidateStatus::Interested,
            ),
        ];
        crate::from_json::named(json, &NAMES, "a candidate status")
    }
}

/// A candidate as read from a Fetcher page: every field already validated and bounded by the
/// page-model rules (`fetcher::fields`), so downstream code can trust its shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct FetcherCandidate {
    pub search_id: SearchId,
    pub candidate_id: CandidateId,
    /// May be empty when the page shows none; never contains control or bidi characters.
    pub name: String,
    pub title: Option<String>,
    pub company: Option<String>,
    pub location: Option<String>,
    /// Well-formed addresses, primary first, deduplicated case-insensitively.
    pub emails: Vec<Email>,
    pub phones: Vec<String>,
    /// Normalised `https://www.linkedin.com/in/<slug>` (lower case, no query).
    pub linkedin_url: Option<HttpsUrl>,
    pub github_url: Option<HttpsUrl>,
    /// Other `https` links from the profile's Links section.
    pub website_urls: Vec<HttpsUrl>,
    pub status: Option<CandidateStatus>,
    pub liked: bool,
}

impl FromJson for FetcherCandidate {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        Ok(FetcherCandidate {
            search_id: fields.required("searchId")?,
            candidate_id: fields.required("candidateId")?,
            name: fields.required("name")?,
            title: fields.optional("title")?,
            company: fields.optional("company")?,
            location: fields.optional("location")?,
            emails: fields.required("emails")?,
            phones: fields.required("phones")?,
            linkedin_url: fields.optional("linkedinUrl")?,
            github_url: fields.optional("githubUrl")?,
            website_urls: fields.required("websiteUrls")?,
            status: fields.optional("status")?,
            liked: fields.required("liked")?,
        })
    }
}

impl FetcherCandidate {
    /// A candidate known only by its ids (nothing else read yet).
    pub fn new(search_id: SearchId, candidate_id: CandidateId) -> Self {
        Self {
            search_id,
            candidate_id,
            name: String::new(),
            title: None,
            company: None,
            location: None,
            emails: Vec::new(),
            phones: Vec::new(),
            linkedin_url: None,
            github_url: None,
            website_urls: Vec::new(),
            status: None,
            liked: false,
        }
    }

    /// The candidate's Fetcher profile (for the note in Ashby that links back).
    pub fn profile_url(&self) -> String {
        format!(
            "https://app.fetcher.ai/searches/{}/candidates/{}",
            self.search_id, self.candidate_id
        )
    }
}

/// An optional id where a blank string means none (the derived decoder's; the hand-written one
/// does the same).
#[cfg(not(target_arch = "wasm32"))]
fn blank_as_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: TryFrom<String>,
    T::Error: std::fmt::Display,
{
    match Option::<String>::deserialize(deserializer)? {
        Some(raw) if !raw.trim().is_empty() => {
            T::try_from(raw).map(Some).map_err(serde::de::Error::custom)
        }
        _ => Ok(None),
    }
}

/// When a search's automation uploads a candidate (the popup's "When" choices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
pub enum Trigger {
    #[default]
    AllNewCandidates,
    OnLike,
    OnContact,
    OnReply,
    OnInterestedReply,
}

impl Trigger {
    pub const ALL: [Trigger; 5] = [
        Trigger::AllNewCandidates,
        Trigger::OnLike,
        Trigger::OnContact,
        Trigger::OnReply,
        Trigger::OnInterestedReply,
    ];

    /// Its name in stored settings and messages (serde's), also the popup's `<option>` value.
    pub const fn name(self) -> &'static str {
        match self {
            Trigger::AllNewCandidates => "AllNewCandidates",
            Trigger::OnLike => "OnLike",
            Trigger::OnContact => "OnContact",
            Trigger::OnReply => "OnReply",
            Trigger::OnInterestedReply => "OnInterestedReply",
        }
    }

    /// The trigger named `name` (as [`Trigger::name`] gives it).
    pub fn named(name: &str) -> Option<Trigger> {
        Trigger::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl FromJson for Trigger {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        // A constant table (built from `name`, so the names are written once).
        const NAMES: [(&str, Trigger); 5] = [
            (Trigger::AllNewCandidates.name(), Trigger::AllNewCandidates),
            (Trigger::OnLike.name(), Trigger::OnLike),
            (Trigger::OnContact.name(), Trigger::OnContact),
            (Trigger::OnReply.name(), Trigger::OnReply),
            (
                Trigger::OnInterestedReply.name(),
                Trigger::OnInterestedReply,
            ),
        ];
        crate::from_json::named(json, &NAMES, "a trigger")
    }
}

/// One Fetcher search's automation ("Ashby Sync") settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(Deserialize))]
#[serde(rename_all = "camelCase")]
pub struct SearchAutomation {
    pub search_id: SearchId,
    /// The linked Ashby job; automation never runs without one. A blank id (which no version
    /// stored after saving, but the type once allowed) reads as none.
    #[serde(default, deserialize_with = "blank_as_none")]
    pub job_id: Option<JobId>,
    pub enabled: bool,
    pub trigger: Trigger,
    /// At most this many uploads for the search; `None` = no limit.
    pub applicant_limit: Option<u32>,
    /// When automation was last turned on or its trigger changed (epoch ms); `None` while off.
    #[serde(default)]
    pub enabled_at_ms: Option<u64>,
}

impl FromJson for SearchAutomation {
    fn from_json(json: &crate::json_text::Json) -> Result<Self, crate::from_json::Mismatch> {
        let fields = crate::from_json::Fields::of(json)?;
        // As `blank_as_none`: a blank id reads as none, any other must be an id.
        let job_id = match fields.optional::<String>("jobId")? {
            Some(raw) if !raw.trim().is_empty() => {
                Some(JobId::try_from(raw).map_err(|_| crate::from_json::Mismatch("a job id"))?)
            }
            _ => None,
        };
        Ok(SearchAutomation {
            search_id: fields.required("searchId")?,
            job_id,
            enabled: fields.required("enabled")?,
            trigger: fields.required("trigger")?,
            applicant_limit: fields.optional("applicantLimit")?,
            enabled_at_ms: fields.optional("enabledAtMs")?,
        })
    }
}

impl SearchAutomation {
    /// A search's settings before any are saved: switched off, no job, no limit.
    pub fn off(search_id: SearchId) -> Self {
        Self {
            search_id,
            job_id: None,
            enabled: false,
            trigger: Trigger::default(),
            applicant_limit: None,
            enabled_at_ms: None,
        }
    }
}

// Hand-written encoders (`crate::json_writer`): what serde's derives above write, without
// serde in the wasm. The tests hold each to its derive.

// Unit variants, written as their names (the same `name` their `FromJson` tables read).
crate::write_json_as!(name: PageKind, CandidateStatus, Trigger);

impl WriteJson for FetcherCandidate {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("searchId", &self.search_id)
            .member("candidateId", &self.candidate_id)
            .member("name", &self.name)
            .member("title", &self.title)
            .member("company", &self.company)
            .member("location", &self.location)
            .member("emails", &self.emails)
            .member("phones", &self.phones)
            .member("linkedinUrl", &self.linkedin_url)
            .member("githubUrl", &self.github_url)
            .member("websiteUrls", &self.website_urls)
            .member("status", &self.status)
            .member("liked", &self.liked);
        object.close();
    }
}

impl WriteJson for EpochMs {
    fn write_json(&self, out: &mut String) {
        self.as_f64().write_json(out);
    }
}

crate::write_json_as!(as_str: JobStatus);

impl WriteJson for JobChoice {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("id", &self.id)
            .member("title", &self.title)
            .member("status", &self.status)
            .member("location", &self.location)
            .member("department", &self.department);
        object.close();
    }
}

impl WriteJson for SearchAutomation {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("searchId", &self.search_id)
            .member("jobId", &self.job_id)
            .member("enabled", &self.enabled)
            .member("trigger", &self.trigger)
            .member("applicantLimit", &self.applicant_limit)
            .member("enabledAtMs", &self.enabled_at_ms);
        object.close();
    }
}

impl WriteJson for UserMatch {
    fn write_json(&self, out: &mut String) {
        let kind = match self {
            UserMatch::Unknown => "unknown",
            UserMatch::Found { .. } => "found",
            UserMatch::Disabled { .. } => "disabled",
            UserMatch::NotFound { .. } => "notFound",
            UserMatch::LookupFailed { .. } => "lookupFailed",
        };
        let mut object = Object::open(out);
        object.member("kind", kind);
        match self {
            UserMatch::Unknown => {}
            UserMatch::Found {
                user_id,
                name,
                email,
            } => {
                object
                    .member("userId", user_id)
                    .member("name", name)
                    .member("email", email);
            }
            UserMatch::Disabled { name, email } => {
                object.member("name", name).member("email", email);
            }
            UserMatch::NotFound { email } => {
                object.member("email", email);
            }
            UserMatch::LookupFailed { email, problem } => {
                object.member("email", email).member("problem", problem);
            }
        }
        object.close();
    }
}

#[cfg(test)]
mod tests {
    use crate::json_writer::testing::{awkward_text, same_as_serde};

    #[test]
    fn domain_values_are_written_as_serde_writes_them() {
        same_as_serde(&EpochMs::from_clock(1_764_000_000_123.0));
        same_as_serde(&EpochMs::default());
        for status in [
            JobStatus::Draft,
            JobStatus::Open,
            JobStatus::Closed,
            JobStatus::Archived,
            JobStatus::Unknown,
        ] {
            same_as_serde(&status);
        }
        Trigger::ALL.iter().for_each(same_as_serde);
        same_as_serde(&JobChoice {
            id: "job-1".parse().unwrap(),
            title: awkward_text(),
            status: JobStatus::Open,
            location: Some("Berlin".into()),
            department: None,
        });
        for (job_id, applicant_limit, enabled_at_ms) in [
            (Some("job-1"), Some(25), Some(1_764_000_000_000)),
            (None, None, None),
        ] {
            same_as_serde(&SearchAutomation {
                search_id: "search-1".parse().unwrap(),
                job_id: job_id.map(|id| id.parse().unwrap()),
                enabled: job_id.is_some(),
                trigger: Trigger::OnInterestedReply,
                applicant_limit,
                enabled_at_ms,
            });
        }
        let email = Email::parse("jane@acme.com").unwrap();
        for user in [
            UserMatch::Unknown,
            UserMatch::Found {
                user_id: "u-1".into(),
                name: awkward_text(),
                email: email.clone(),
            },
            UserMatch::Disabled {
                name: "Jane".into(),
                email: email.clone(),
            },
            UserMatch::NotFound {
                email: email.clone(),
            },
            UserMatch::LookupFailed {
                email,
                problem: AshbyProblem::Timeout,
            },
        ] {
            same_as_serde(&user);
        }
        same_as_serde(&CleanText::<10>::new("  a  b ").unwrap());
        same_as_serde(&AshbyProfileUrl::parse("https://app.ashbyhq.com/candidates/c-1").unwrap());
    }

    use super::*;
    use crate::from_json::testing::{agrees_with_serde, round_trips};

    /// A trigger's name is what serde writes for it (settings and messages) and reads back.
    #[test]
    fn trigger_names_are_serdes_names() {
        for trigger in Trigger::ALL {
            let written = serde_json::to_string(&trigger).unwrap();
            assert_eq!(written, format!("\"{}\"", trigger.name()));
            assert_eq!(Trigger::named(trigger.name()), Some(trigger));
        }
        round_trips(&Trigger::ALL);
        assert_eq!(Trigger::named("onLike"), None, "names are exact");
        assert_eq!(Trigger::named(""), None);
    }

    /// The worker decodes candidates (from pages' reports and its outbox) with this decoder.
    #[test]
    fn candidates_read_by_hand_as_serde_reads_them() {
        let full = FetcherCandidate {
            name: "Ana Alves".into(),
            title: Some("Engineer".into()),
            company: None,
            location: Some("Berlin".into()),
            emails: vec!["ana@example.com".into()],
            phones: vec!["+49 30 1".into()],
            linkedin_url: Some(HttpsUrl::parse("https://www.linkedin.com/in/ana").unwrap()),
            github_url: None,
            website_urls: vec![HttpsUrl::parse("https://ana.dev/").unwrap()],
            status: Some(CandidateStatus::Liked),
            liked: true,
            ..FetcherCandidate::new("s".into(), "c".into())
        };
        round_trips(&[full, FetcherCandidate::new("s".into(), "c".into())]);
        let candidate = |rest: &str| {
            format!(
                r#"{{"searchId": "s", "candidateId": "c", "name": "A", "emails": [], "phones": [], "websiteUrls": []{rest}}}"#
            )
        };
        let texts = [
            r#", "liked": false"#,
            r#", "liked": true, "status": "Interested", "title": null, "extra": 1"#,
            r#", "liked": false, "status": "Maybe""#,
            r#", "liked": 0"#,
            "",
            r#", "liked": false, "emails": ["not an email"]"#,
            r#", "liked": false, "linkedinUrl": "http://insecure.example/""#,
            r#", "liked": false, "candidateId": "has spaces""#,
        ]
        .map(candidate);
        agrees_with_serde::<FetcherCandidate>(
            &texts.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        agrees_with_serde::<FetcherCandidate>(&["null", "[]", r#""c""#]);
    }

    #[test]
    fn user_matches_and_emails_read_by_hand_as_serde_reads_them() {
        let email = Email::from("Rita@Agency.com");
        round_trips(&[
            UserMatch::Unknown,
            UserMatch::Found {
                user_id: "u1".into(),
                name: "Rita".into(),
                email: email.clone(),
            },
            UserMatch::Disabled {
                name: "Rita".into(),
                email: email.clone(),
            },
            UserMatch::NotFound {
                email: email.clone(),
            },
            UserMatch::LookupFailed {
                email,
                problem: problem::AshbyProblem::Timeout,
            },
        ]);
        agrees_with_serde::<UserMatch>(&[
            r#"{"kind": "unknown"}"#,
            r#"{"kind": "unknown", "email": "a@b.co"}"#,
            r#"{"kind": "found", "userId": "u", "name": "R"}"#,
            r#"{"kind": "found", "userId": "u", "name": "R", "email": "not one"}"#,
            r#"{"kind": "notFound", "email": "a@b.co", "extra": true}"#,
            r#"{"kind": "lookupFailed", "email": "a@b.co", "message": "Old."}"#,
            r#"{"kind": "lookupFailed", "email": "a@b.co", "problem": {"kind": "timeout"}}"#,
            r#"{"kind": "lookupFailed", "email": "a@b.co"}"#,
            r#"{"kind": "nonsense"}"#,
            r#"{"email": "a@b.co"}"#,
            r#""unknown""#,
            "null",
        ]);
        agrees_with_serde::<Email>(&[
            r#""jane@agency.com""#,
            r#"" jane@agency.com""#,
            r#""mailto:jane@agency.com""#,
            r#""jane\u202e@agency.com""#,
            "3",
        ]);
    }

    #[test]
    fn times_are_finite_and_not_negative_when_made_and_decoded() {
        assert_eq!(EpochMs::new(0.0).map(EpochMs::as_f64), Ok(0.0));
        let at = EpochMs::new(1_764_625_000_000.0).unwrap();
        assert_eq!(f64::from(at), 1_764_625_000_000.0);
        for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(EpochMs::new(bad), Err(InvalidTime), "{bad}");
        }
        // Stored times were written as integers or floats; both read back.
        let whole: EpochMs = serde_json::from_str("1764625000000").unwrap();
        assert_eq!(whole, at);
        let fraction: EpochMs = serde_json::from_str("1.5").unwrap();
        assert_eq!(fraction.as_f64(), 1.5);
        assert!(serde_json::from_str::<EpochMs>("-5").is_err());
        assert!(serde_json::from_str::<EpochMs>("\"5\"").is_err());
        assert_eq!(serde_json::to_string(&fraction).unwrap(), "1.5");
        assert!(EpochMs::new(1.0).unwrap() < EpochMs::new(2.0).unwrap());
        // A clock reading is always a time; compared with readings as they come.
        assert_eq!(EpochMs::from_clock(5.0), 5.0);
        assert_eq!(EpochMs::from_clock(f64::NAN), EpochMs::default());
        assert!(EpochMs::from_clock(5.0) < 6.0);
        let mut times = [at, EpochMs::from_clock(1.0)];
        times.sort();
        assert_eq!(times[0], 1.0);
    }

    #[test]
    fn automation_settings_read_a_blank_job_as_none_and_refuse_a_bad_one() {
        let read = |job: serde_json::Value| {
            serde_json::from_value::<SearchAutomation>(serde_json::json!({
                "searchId": "s1", "jobId": job, "enabled": false, "trigger": "OnLike",
                "applicantLimit": null
            }))
        };
        assert_eq!(read(serde_json::json!(" ")).unwrap().job_id, None);
        assert_eq!(read(serde_json::json!(null)).unwrap().job_id, None);
        assert_eq!(
            read(serde_json::json!("j-1")).unwrap().job_id,
            Some("j-1".into())
        );
        assert!(read(serde_json::json!("a/b")).is_err());
        let without_job: SearchAutomation = serde_json::from_value(serde_json::json!({
            "searchId": "s1", "enabled": false, "trigger": "AllNewCandidates", "applicantLimit": null
        }))
        .unwrap();
        assert_eq!(without_job, SearchAutomation::off("s1".into()));
    }
}

crate::deserialize_through_from_json!(
    UserMatch,
    FetcherCandidate,
    SearchAutomation,
    JobChoice,
    JobStatus,
    CandidateStatus,
    Trigger,
    PageKind,
    EpochMs
);
