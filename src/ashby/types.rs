//! Typed requests and responses for the Ashby endpoints this extension calls
//! (`shared/ashby-api.md` §6). Field names follow Ashby's camelCase.
//!
//! Requests leave out every `None` field, so Ashby applies its own defaults. Responses are
//! lenient: unknown fields are ignored, and missing or `null` optional fields become `None` or
//! empty, because Ashby adds fields over time and its examples are not exhaustive. Only the
//! ids that make an object usable are required.

use crate::json_writer::{Object, WriteJson};
use serde::{Deserialize, Deserializer, Serialize};

/// Treats `null` like a missing field: the type's default. Pair with `#[serde(default)]`.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

// ---- Shared pieces ---------------------------------------------------------------------------

/// An email address or phone number as Ashby returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ContactValue {
    #[serde(deserialize_with = "null_as_default")]
    pub value: String,
    /// `Personal`, `Work` or `Other`.
    pub r#type: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub is_primary: bool,
}

/// A social profile link, e.g. `{type: "LinkedIn", url: "…"}`; also sent by `candidate.update`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct SocialLink {
    /// `LinkedIn`, `GitHub`, `Twitter`, `Medium`, `StackOverflow`, `YouTube`, `CodePen`,
    /// `Website`; kept as text so a new kind does not break parsing.
    #[serde(deserialize_with = "null_as_default")]
    pub r#type: String,
    #[serde(deserialize_with = "null_as_default")]
    pub url: String,
}

/// A candidate tag (`candidateTag.list`, `Candidate::tags`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_archived: bool,
}

/// The kind of a source (Inbound, Internal, Referral, Sourced, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceType {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_archived: bool,
}

/// Where a candidate or application came from (`source.list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub is_archived: bool,
    #[serde(default)]
    pub source_type: Option<SourceType>,
}

/// An Ashby user (`user.search`; also `creditedToUser`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// `Organization Admin`, `Elevated Access`, `Limited Access`, `External Recruiter`.
    #[serde(default)]
    pub global_role: Option<String>,
    /// Missing means unknown; treat as enabled rather than hiding the user.
    #[serde(default)]
    pub is_enabled: Option<bool>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub manager_id: Option<String>,
}

/// An uploaded file's handle (resume, other files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct FileHandle {
    pub id: Option<String>,
    pub name: Option<String>,
    pub handle: Option<String>,
}

/// A custom field value on a candidate, job, application or user. Ashby's field types give
/// `value` many shapes (boolean, number, string, date string, `{value, currencyCode}`,
/// number or compensation ranges, arrays of strings), so it stays raw JSON: nothing here reads
/// it, and a new field type must never fail the object around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomFieldValue {
    #[serde(deserialize_with = "lenient_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub title: Option<String>,
    pub value: serde_json::Value,
    /// Only on select fields: one label, or one per chosen value (MultiValueSelect).
    #[serde(deserialize_with = "lenient_label")]
    pub value_label: Option<CustomFieldLabel>,
    #[serde(deserialize_with = "lenient_bool")]
    pub is_private: Option<bool>,
}

/// A select field's label(s): a string for ValueSelect, an array for MultiValueSelect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CustomFieldLabel {
    One(String),
    Many(Vec<String>),
}

/// Any JSON; a string gives `Some`, anything else `None`.
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Some(text),
        _ => None,
    })
}

fn lenient_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(serde_json::Value::deserialize(deserializer)?.as_bool())
}

/// A label string or array of strings; any other shape (or non-string items) is dropped
/// rather than failing the object.
fn lenient_label<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<CustomFieldLabel>, D::Error> {
    Ok(match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Some(CustomFieldLabel::One(text)),
        serde_json::Value::Array(items) => Some(CustomFieldLabel::Many(
            items
                .into_iter()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect(),
        )),
        _ => None,
    })
}

/// A list whose items are decoded one by one; an item that does not decode is skipped instead
/// of failing the whole response. For lists nothing in the extension depends on (custom
/// fields), where one odd entry must not stop a recruiter from sending anyone.
fn lenient_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let items = Option::<Vec<serde_json::Value>>::deserialize(deserializer)?.unwrap_or_default();
    Ok(items
        .into_iter()
        .filter_map(|item| serde_json::from_value(item).ok())
        .collect())
}

// ---- apiKey.info -----------------------------------------------------------------------------

/// `apiKey.info` results: the connection check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ApiKeyInfo {
    /// The key's name as set by the admin.
    #[serde(deserialize_with = "null_as_default")]
    pub title: String,
    pub created_at: Option<String>,
    /// Granted permissions, in either spelling (`candidates:read` or `candidatesRead`); see
    /// [`crate::ashby::scopes`].
    #[serde(deserialize_with = "null_as_default")]
    pub scopes: Vec<String>,
}

// ---- Jobs ------------------------------------------------------------------------------------

/// A job's status; also the `job.list` status filter (the domain's one definition).
pub use crate::domain::JobStatus;

/// Related objects `job.list` / `job.info` can inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum JobExpand {
    Location,
    Openings,
}

/// `job.list` request. Every filter is optional; `Default` lists open, closed and archived
/// jobs (Ashby returns drafts only when `Draft` is in `status`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct JobListRequest {
    pub status: Option<Vec<JobStatus>>,
    pub expand: Option<Vec<JobExpand>>,
    /// Page size; Ashby's maximum and default is 100.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub sync_token: Option<String>,
    /// Epoch milliseconds.
    pub created_after: Option<i64>,
    /// Jobs closed after this time (epoch milliseconds).
    pub closed_after: Option<i64>,
}

impl JobListRequest {
    /// The job picker's call: open jobs with their location inlined.
    pub fn open_jobs_with_location() -> Self {
        Self {
            status: Some(vec![JobStatus::Open]),
            expand: Some(vec![JobExpand::Location]),
            ..Self::default()
        }
    }
}

/// `job.info` request.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobInfoRequest {
    pub id: String,
    pub expand: Option<Vec<JobExpand>>,
}

/// A job's location, present only with `expand: ["location"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct JobLocation {
    pub id: Option<String>,
    pub name: Option<String>,
    /// `OnSite`, `Remote`, `Hybrid`, …
    pub workplace_type: Option<String>,
    /// Address shape varies; kept raw.
    pub address: Option<serde_json::Value>,
}

/// A member of a job's or application's hiring team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct HiringTeamMember {
    pub user_id: Option<String>,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<String>,
}

/// A job (`job.list`, `job.info`). Ashby sends no location or department *name* unless
/// `location` is expanded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    #[serde(default)]
    pub status: Option<JobStatus>,
    #[serde(default)]
    pub confidential: Option<bool>,
    /// `FullTime`, `PartTime`, `Intern`, `Contract`, `Temporary`.
    #[serde(default)]
    pub employment_type: Option<String>,
    #[serde(default)]
    pub location_id: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
    #[serde(default)]
    pub default_interview_plan_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub interview_plan_ids: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub job_posting_ids: Vec<String>,
    #[serde(default)]
    pub custom_requisition_id: Option<String>,
    #[serde(default)]
    pub brand_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub hiring_team: Vec<HiringTeamMember>,
    #[serde(default, deserialize_with = "lenient_list")]
    pub custom_fields: Vec<CustomFieldValue>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub opened_at: Option<String>,
    #[serde(default)]
    pub closed_at: Option<String>,
    #[serde(default)]
    pub location: Option<JobLocation>,
}

/// `department.list` request. Jobs carry only a `departmentId`; this is where the pickers get
/// department names. Paginated like the other lists (`cursor`, `limit` ≤ 100, `syncToken`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct DepartmentListRequest {
    pub include_archived: Option<bool>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub sync_token: Option<String>,
}

/// A department (`department.list`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Department {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default)]
    pub is_archived: Option<bool>,
    #[serde(default)]
    pub parent_id: Option<String>,
}

// ---- Candidates ------------------------------------------------------------------------------

/// A candidate's location as Ashby returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CandidateLocation {
    pub id: Option<String>,
    /// e.g. "Germany, Berlin, Berlin".
    pub location_summary: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub location_components: Vec<LocationComponent>,
}

/// One part of a location: `{type: "Country"|"Region"|"City", name}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct LocationComponent {
    pub r#type: Option<String>,
    pub name: Option<String>,
}

/// A location to set on `candidate.create` / `candidate.update`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct LocationInput {
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

/// The Candidate object (`candidate.search`, `.info`, `.create`, `.update`, `.addTag`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub primary_email_address: Option<ContactValue>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub email_addresses: Vec<ContactValue>,
    #[serde(default)]
    pub primary_phone_number: Option<ContactValue>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub phone_numbers: Vec<ContactValue>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub social_links: Vec<SocialLink>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub school: Option<String>,
    /// Every application of this candidate: how to see whether one exists for a job.
    #[serde(default, deserialize_with = "null_as_default")]
    pub application_ids: Vec<String>,
    #[serde(default)]
    pub resume_file_handle: Option<FileHandle>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub file_handles: Vec<FileHandle>,
    #[serde(default, deserialize_with = "lenient_list")]
    pub custom_fields: Vec<CustomFieldValue>,
    /// Deep link to the candidate in Ashby ("open in Ashby").
    #[serde(default)]
    pub profile_url: Option<String>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub credited_to_user: Option<User>,
    #[serde(default)]
    pub timezone: Option<String>,
    #[serde(default)]
    pub location: Option<CandidateLocation>,
    #[serde(default)]
    pub fraud_status: Option<String>,
}

impl Candidate {
    /// Every email Ashby holds for this candidate, primary first, without repeats.
    pub fn all_emails(&self) -> Vec<&str> {
        let mut emails: Vec<&str> = Vec::new();
        let all = self
            .primary_email_address
            .iter()
            .chain(self.email_addresses.iter());
        for contact in all {
            let email = contact.value.trim();
            if !email.is_empty() && !emails.iter().any(|e| e.eq_ignore_ascii_case(email)) {
                emails.push(email);
            }
        }
        emails
    }
}

/// `candidate.search` request. Ashby ANDs the two when both are set; at most 100 results.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CandidateSearchRequest {
    pub email: Option<String>,
    pub name: Option<String>,
}

impl CandidateSearchRequest {
    pub fn by_email(email: impl Into<String>) -> Self {
        Self {
            email: Some(email.into()),
            name: None,
        }
    }

    pub fn by_name(name: impl Into<String>) -> Self {
        Self {
            email: None,
            name: Some(name.into()),
        }
    }
}

/// `candidate.info` request: by Ashby id or by an external system's id (one of the two).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateInfoRequest {
    pub id: Option<String>,
    pub external_mapping_id: Option<String>,
}

impl CandidateInfoRequest {
    pub fn by_id(id: impl Into<String>) -> Self {
        Self {
            id: Some(id.into()),
            external_mapping_id: None,
        }
    }
}

/// `candidate.create` request. Only `name` is required; URLs must be valid URLs.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CandidateCreateRequest {
    pub name: String,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub linked_in_url: Option<String>,
    pub github_url: Option<String>,
    /// Named `website` here but `websiteUrl` on update (an Ashby quirk).
    pub website: Option<String>,
    pub alternate_email_addresses: Option<Vec<String>>,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
    pub location: Option<LocationInput>,
    /// ISO 8601.
    pub created_at: Option<String>,
}

/// `candidate.update` request. Its field names differ from create: `websiteUrl` and a single
/// `alternateEmail`. Sending `social_links` REPLACES all links and makes Ashby ignore
/// `linkedInUrl` / `githubUrl` / `websiteUrl`; build it with
/// [`crate::ashby::social_links::merge_social_links`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CandidateUpdateRequest {
    pub candidate_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone_number: Option<String>,
    pub linked_in_url: Option<String>,
    pub github_url: Option<String>,
    pub website_url: Option<String>,
    pub alternate_email: Option<String>,
    pub social_links: Option<Vec<SocialLink>>,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
    pub location: Option<LocationInput>,
    pub created_at: Option<String>,
    /// Ashby's default is `true`.
    pub send_notifications: Option<bool>,
}

impl CandidateUpdateRequest {
    /// An update that changes nothing yet.
    pub fn new(candidate_id: impl Into<String>) -> Self {
        Self {
            candidate_id: candidate_id.into(),
            ..Self::default()
        }
    }
}

// ---- Notes and tags --------------------------------------------------------------------------

/// A note's body: plain text, or typed (`text/plain` / `text/html`). Ashby keeps only `b`, `i`,
/// `u`, `a`, lists, `code` and `pre` in HTML notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum NoteBody {
    Plain(String),
    Typed {
        r#type: NoteContentType,
        value: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NoteContentType {
    #[serde(rename = "text/plain")]
    PlainText,
    #[serde(rename = "text/html")]
    Html,
}

/// `candidate.createNote` request.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateNoteRequest {
    pub candidate_id: String,
    pub note: NoteBody,
    /// Ashby's default is `false`.
    pub send_notifications: Option<bool>,
    pub is_private: Option<bool>,
    pub created_at: Option<String>,
}

/// The author of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct NoteAuthor {
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
}

/// `candidate.createNote` results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub is_private: Option<bool>,
    #[serde(default)]
    pub content: Option<String>,
    #[serde(default)]
    pub author: Option<NoteAuthor>,
}

/// `candidate.addTag` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddTagRequest {
    pub candidate_id: String,
    pub tag_id: String,
}

/// `candidateTag.list` request.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CandidateTagListRequest {
    pub include_archived: Option<bool>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub sync_token: Option<String>,
}

// ---- Applications ----------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ApplicationStatus {
    Lead,
    Active,
    Hired,
    Archived,
    /// A status this code does not know yet. Never sent.
    #[serde(other)]
    Unknown,
}

/// `application.create` request: consider a candidate for a job.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationCreateRequest {
    pub candidate_id: String,
    pub job_id: String,
    /// The job's default plan when omitted.
    pub interview_plan_id: Option<String>,
    /// The first "Lead" stage when omitted; `"FirstPreInterviewScreen"` is also accepted.
    pub interview_stage_id: Option<String>,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
    pub created_at: Option<String>,
}

/// `application.list` request. It filters by job; Ashby has no candidate filter.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationListRequest {
    pub job_id: Option<String>,
    /// A single status (unlike `job.list`, which takes several).
    pub status: Option<ApplicationStatus>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    pub sync_token: Option<String>,
    pub created_after: Option<i64>,
}

impl ApplicationListRequest {
    pub fn for_job(job_id: impl Into<String>) -> Self {
        Self {
            job_id: Some(job_id.into()),
            ..Self::default()
        }
    }
}

/// `application.info` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationInfoRequest {
    pub application_id: String,
}

impl ApplicationInfoRequest {
    pub fn new(application_id: impl Into<String>) -> Self {
        Self {
            application_id: application_id.into(),
        }
    }
}

/// The candidate summary inside an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationCandidate {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub primary_email_address: Option<ContactValue>,
    #[serde(default)]
    pub primary_phone_number: Option<ContactValue>,
}

/// The job summary inside an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationJob {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub location_id: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
}

/// An interview stage (`currentInterviewStage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct InterviewStage {
    pub id: Option<String>,
    pub title: Option<String>,
    /// `Lead`, `PreInterviewScreen`, `Active`, `Offer`, `Hired`, `Archived`.
    pub r#type: Option<String>,
    pub order_in_interview_plan: Option<i64>,
    pub interview_stage_group_id: Option<String>,
    pub interview_plan_id: Option<String>,
}

/// An application (`application.create`, `application.list`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub status: Option<ApplicationStatus>,
    #[serde(default)]
    pub candidate: Option<ApplicationCandidate>,
    #[serde(default)]
    pub job: Option<ApplicationJob>,
    #[serde(default)]
    pub current_interview_stage: Option<InterviewStage>,
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    pub credited_to_user: Option<User>,
    #[serde(default)]
    pub archive_reason: Option<serde_json::Value>,
    #[serde(default)]
    pub archived_at: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub hiring_team: Vec<HiringTeamMember>,
    #[serde(default, deserialize_with = "lenient_list")]
    pub custom_fields: Vec<CustomFieldValue>,
    #[serde(default)]
    pub applied_via_job_posting_id: Option<String>,
}

// ---- Sources and users -----------------------------------------------------------------------

/// `source.list` request (not paginated by cursor).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SourceListRequest {
    pub include_archived: Option<bool>,
}

/// `user.search` request: find the Ashby user with the recruiter's email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSearchRequest {
    pub email: String,
}

// ---- Hand-written encoders -------------------------------------------------------------------
//
// What the client sends, written by `crate::json_writer` in place of serde's derives above (no
// serde `Serialize` in the worker's wasm). Each mirrors its derive: camelCase names, `None`
// left out under `skip_serializing_none`, the derives' variant names; the tests hold each to
// its derive.

impl WriteJson for SocialLink {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object.member("type", &self.r#type).member("url", &self.url);
        object.close();
    }
}

impl WriteJson for JobExpand {
    fn write_json(&self, out: &mut String) {
        match self {
            JobExpand::Location => "location",
            JobExpand::Openings => "openings",
        }
        .write_json(out);
    }
}

impl WriteJson for JobListRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("status", &self.status)
            .member_some("expand", &self.expand)
            .member_some("limit", &self.limit)
            .member_some("cursor", &self.cursor)
            .member_some("syncToken", &self.sync_token)
            .member_some("createdAfter", &self.created_after)
            .member_some("closedAfter", &self.closed_after);
        object.close();
    }
}

impl WriteJson for JobInfoRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("id", &self.id)
            .member_some("expand", &self.expand);
        object.close();
    }
}

impl WriteJson for DepartmentListRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("includeArchived", &self.include_archived)
            .member_some("limit", &self.limit)
            .member_some("cursor", &self.cursor)
            .member_some("syncToken", &self.sync_token);
        object.close();
    }
}

impl WriteJson for LocationInput {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("city", &self.city)
            .member_some("region", &self.region)
            .member_some("country", &self.country);
        object.close();
    }
}

impl WriteJson for CandidateSearchRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("email", &self.email)
            .member_some("name", &self.name);
        object.close();
    }
}

impl WriteJson for CandidateInfoRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("id", &self.id)
            .member_some("externalMappingId", &self.external_mapping_id);
        object.close();
    }
}

impl WriteJson for CandidateCreateRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("name", &self.name)
            .member_some("email", &self.email)
            .member_some("phoneNumber", &self.phone_number)
            .member_some("linkedInUrl", &self.linked_in_url)
            .member_some("githubUrl", &self.github_url)
            .member_some("website", &self.website)
            .member_some("alternateEmailAddresses", &self.alternate_email_addresses)
            .member_some("sourceId", &self.source_id)
            .member_some("creditedToUserId", &self.credited_to_user_id)
            .member_some("location", &self.location)
            .member_some("createdAt", &self.created_at);
        object.close();
    }
}

impl WriteJson for CandidateUpdateRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("candidateId", &self.candidate_id)
            .member_some("name", &self.name)
            .member_some("email", &self.email)
            .member_some("phoneNumber", &self.phone_number)
            .member_some("linkedInUrl", &self.linked_in_url)
            .member_some("githubUrl", &self.github_url)
            .member_some("websiteUrl", &self.website_url)
            .member_some("alternateEmail", &self.alternate_email)
            .member_some("socialLinks", &self.social_links)
            .member_some("sourceId", &self.source_id)
            .member_some("creditedToUserId", &self.credited_to_user_id)
            .member_some("location", &self.location)
            .member_some("createdAt", &self.created_at)
            .member_some("sendNotifications", &self.send_notifications);
        object.close();
    }
}

impl WriteJson for NoteContentType {
    fn write_json(&self, out: &mut String) {
        match self {
            NoteContentType::PlainText => "text/plain",
            NoteContentType::Html => "text/html",
        }
        .write_json(out);
    }
}

/// `#[serde(untagged)]`: the text alone, or the typed object.
impl WriteJson for NoteBody {
    fn write_json(&self, out: &mut String) {
        match self {
            NoteBody::Plain(text) => text.write_json(out),
            NoteBody::Typed { r#type, value } => {
                let mut object = Object::open(out);
                object.member("type", r#type).member("value", value);
                object.close();
            }
        }
    }
}

impl WriteJson for CreateNoteRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("candidateId", &self.candidate_id)
            .member("note", &self.note)
            .member_some("sendNotifications", &self.send_notifications)
            .member_some("isPrivate", &self.is_private)
            .member_some("createdAt", &self.created_at);
        object.close();
    }
}

impl WriteJson for AddTagRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("candidateId", &self.candidate_id)
            .member("tagId", &self.tag_id);
        object.close();
    }
}

impl WriteJson for CandidateTagListRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("includeArchived", &self.include_archived)
            .member_some("limit", &self.limit)
            .member_some("cursor", &self.cursor)
            .member_some("syncToken", &self.sync_token);
        object.close();
    }
}

/// The variant's name (`Unknown` too, as its derive writes it, though it is never sent).
impl WriteJson for ApplicationStatus {
    fn write_json(&self, out: &mut String) {
        match self {
            ApplicationStatus::Lead => "Lead",
            ApplicationStatus::Active => "Active",
            ApplicationStatus::Hired => "Hired",
            ApplicationStatus::Archived => "Archived",
            ApplicationStatus::Unknown => "Unknown",
        }
        .write_json(out);
    }
}

impl WriteJson for ApplicationCreateRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member("candidateId", &self.candidate_id)
            .member("jobId", &self.job_id)
            .member_some("interviewPlanId", &self.interview_plan_id)
            .member_some("interviewStageId", &self.interview_stage_id)
            .member_some("sourceId", &self.source_id)
            .member_some("creditedToUserId", &self.credited_to_user_id)
            .member_some("createdAt", &self.created_at);
        object.close();
    }
}

impl WriteJson for ApplicationListRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object
            .member_some("jobId", &self.job_id)
            .member_some("status", &self.status)
            .member_some("limit", &self.limit)
            .member_some("cursor", &self.cursor)
            .member_some("syncToken", &self.sync_token)
            .member_some("createdAfter", &self.created_after);
        object.close();
    }
}

impl WriteJson for ApplicationInfoRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object.member("applicationId", &self.application_id);
        object.close();
    }
}

impl WriteJson for SourceListRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object.member_some("includeArchived", &self.include_archived);
        object.close();
    }
}

impl WriteJson for UserSearchRequest {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::open(out);
        object.member("email", &self.email);
        object.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::json_writer::testing::{awkward_text, same_as_serde};

    /// The hand-written text is serde's, member for member and in its order.
    fn written_as_serde_writes_it<T: WriteJson + Serialize>(value: &T) {
        same_as_serde(value);
        assert_eq!(value.json_text(), serde_json::to_string(value).unwrap());
    }

    fn text(label: &str) -> Option<String> {
        Some(format!("{label} {}", awkward_text()))
    }

    fn links() -> Vec<SocialLink> {
        vec![
            SocialLink {
                r#type: "LinkedIn".into(),
                url: "https://www.linkedin.com/in/jane".into(),
            },
            SocialLink {
                r#type: awkward_text(),
                url: String::new(),
            },
        ]
    }

    fn location() -> LocationInput {
        LocationInput {
            city: text("city"),
            region: text("region"),
            country: text("country"),
        }
    }

    #[test]
    fn job_requests_are_written_as_serde_writes_them() {
        let statuses = vec![
            JobStatus::Draft,
            JobStatus::Open,
            JobStatus::Closed,
            JobStatus::Archived,
            JobStatus::Unknown,
        ];
        let full = JobListRequest {
            status: Some(statuses),
            expand: Some(vec![JobExpand::Location, JobExpand::Openings]),
            limit: Some(u32::MAX),
            cursor: text("cursor"),
            sync_token: text("sync"),
            created_after: Some(i64::MIN),
            closed_after: Some(1_764_000_000_123),
        };
        let empty_lists = JobListRequest {
            status: Some(vec![]),
            expand: Some(vec![]),
            limit: Some(0),
            created_after: Some(-1),
            ..JobListRequest::default()
        };
        for request in [
            full,
            empty_lists,
            JobListRequest::default(),
            JobListRequest::open_jobs_with_location(),
        ] {
            written_as_serde_writes_it(&request);
        }
        for expand in [None, Some(vec![]), Some(vec![JobExpand::Openings])] {
            written_as_serde_writes_it(&JobInfoRequest {
                id: awkward_text(),
                expand,
            });
        }
        written_as_serde_writes_it(&DepartmentListRequest {
            include_archived: Some(false),
            limit: Some(100),
            cursor: text("cursor"),
            sync_token: text("sync"),
        });
        written_as_serde_writes_it(&DepartmentListRequest {
            include_archived: Some(true),
            ..DepartmentListRequest::default()
        });
        written_as_serde_writes_it(&DepartmentListRequest::default());
    }

    #[test]
    fn candidate_requests_are_written_as_serde_writes_them() {
        for search in [
            CandidateSearchRequest::by_email(awkward_text()),
            CandidateSearchRequest::by_name(awkward_text()),
            CandidateSearchRequest {
                email: text("email"),
                name: text("name"),
            },
            CandidateSearchRequest::default(),
        ] {
            written_as_serde_writes_it(&search);
        }
        for info in [
            CandidateInfoRequest::by_id(awkward_text()),
            CandidateInfoRequest {
                id: None,
                external_mapping_id: text("external"),
            },
            CandidateInfoRequest {
                id: text("id"),
                external_mapping_id: text("external"),
            },
            CandidateInfoRequest {
                id: None,
                external_mapping_id: None,
            },
        ] {
            written_as_serde_writes_it(&info);
        }
        let create = CandidateCreateRequest {
            name: awkward_text(),
            email: text("email"),
            phone_number: text("phone"),
            linked_in_url: text("linkedin"),
            github_url: text("github"),
            website: text("website"),
            alternate_email_addresses: Some(vec![awkward_text(), "b@example.com".into()]),
            source_id: text("source"),
            credited_to_user_id: text("user"),
            location: Some(location()),
            created_at: text("2026-01-01T00:00:00Z"),
        };
        let sparse_create = CandidateCreateRequest {
            alternate_email_addresses: Some(vec![]),
            location: Some(LocationInput::default()),
            ..CandidateCreateRequest::default()
        };
        for request in [create, sparse_create, CandidateCreateRequest::default()] {
            written_as_serde_writes_it(&request);
        }
        let update = CandidateUpdateRequest {
            candidate_id: awkward_text(),
            name: text("name"),
            email: text("email"),
            phone_number: text("phone"),
            linked_in_url: text("linkedin"),
            github_url: text("github"),
            website_url: text("website"),
            alternate_email: text("alternate"),
            social_links: Some(links()),
            source_id: text("source"),
            credited_to_user_id: text("user"),
            location: Some(location()),
            created_at: text("2026-01-01T00:00:00Z"),
            send_notifications: Some(true),
        };
        let sparse_update = CandidateUpdateRequest {
            social_links: Some(vec![]),
            location: Some(LocationInput {
                country: text("country"),
                ..LocationInput::default()
            }),
            send_notifications: Some(false),
            ..CandidateUpdateRequest::new("cand-1")
        };
        for request in [update, sparse_update, CandidateUpdateRequest::new("")] {
            written_as_serde_writes_it(&request);
        }
        for link in links() {
            written_as_serde_writes_it(&link);
        }
        written_as_serde_writes_it(&SocialLink::default());
        written_as_serde_writes_it(&location());
        written_as_serde_writes_it(&LocationInput::default());
    }

    #[test]
    fn note_and_tag_requests_are_written_as_serde_writes_them() {
        let bodies = [
            NoteBody::Plain(awkward_text()),
            NoteBody::Plain(String::new()),
            NoteBody::Typed {
                r#type: NoteContentType::PlainText,
                value: awkward_text(),
            },
            NoteBody::Typed {
                r#type: NoteContentType::Html,
                value: "<b>Fetcher</b>".into(),
            },
        ];
        for note in bodies {
            written_as_serde_writes_it(&note);
            written_as_serde_writes_it(&CreateNoteRequest {
                candidate_id: awkward_text(),
                note: note.clone(),
                send_notifications: Some(false),
                is_private: Some(true),
                created_at: text("2026-01-01T00:00:00Z"),
            });
            written_as_serde_writes_it(&CreateNoteRequest {
                candidate_id: "c".into(),
                note,
                send_notifications: None,
                is_private: None,
                created_at: None,
            });
        }
        for kind in [NoteContentType::PlainText, NoteContentType::Html] {
            written_as_serde_writes_it(&kind);
        }
        written_as_serde_writes_it(&AddTagRequest {
            candidate_id: awkward_text(),
            tag_id: "tag-1".into(),
        });
        written_as_serde_writes_it(&CandidateTagListRequest {
            include_archived: Some(true),
            limit: Some(7),
            cursor: text("cursor"),
            sync_token: text("sync"),
        });
        written_as_serde_writes_it(&CandidateTagListRequest::default());
    }

    #[test]
    fn application_source_and_user_requests_are_written_as_serde_writes_them() {
        written_as_serde_writes_it(&ApplicationCreateRequest {
            candidate_id: awkward_text(),
            job_id: "j".into(),
            interview_plan_id: text("plan"),
            interview_stage_id: Some("FirstPreInterviewScreen".into()),
            source_id: text("source"),
            credited_to_user_id: text("user"),
            created_at: text("2026-01-01T00:00:00Z"),
        });
        written_as_serde_writes_it(&ApplicationCreateRequest::default());
        for status in [
            ApplicationStatus::Lead,
            ApplicationStatus::Active,
            ApplicationStatus::Hired,
            ApplicationStatus::Archived,
            ApplicationStatus::Unknown,
        ] {
            written_as_serde_writes_it(&status);
            written_as_serde_writes_it(&ApplicationListRequest {
                job_id: text("job"),
                status: Some(status),
                limit: Some(100),
                cursor: text("cursor"),
                sync_token: text("sync"),
                created_after: Some(-5),
            });
        }
        written_as_serde_writes_it(&ApplicationListRequest::for_job("j"));
        written_as_serde_writes_it(&ApplicationListRequest::default());
        written_as_serde_writes_it(&ApplicationInfoRequest::new(awkward_text()));
        for include_archived in [None, Some(false), Some(true)] {
            written_as_serde_writes_it(&SourceListRequest { include_archived });
        }
        written_as_serde_writes_it(&UserSearchRequest {
            email: awkward_text(),
        });
    }

    #[test]
    fn requests_leave_out_unset_fields() {
        let request = CandidateSearchRequest::by_email("jane@example.com");
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"email": "jane@example.com"})
        );
        assert_eq!(
            serde_json::to_value(JobListRequest::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn job_picker_request_shape() {
        let request = JobListRequest {
            limit: Some(100),
            ..JobListRequest::open_jobs_with_location()
        };
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"status": ["Open"], "expand": ["location"], "limit": 100})
        );
    }

    #[test]
    fn create_and_update_use_their_own_field_names() {
        let create = CandidateCreateRequest {
            name: "Jane Doe".into(),
            linked_in_url: Some("https://www.linkedin.com/in/jane".into()),
            github_url: Some("https://github.com/jane".into()),
            website: Some("https://jane.dev".into()),
            alternate_email_addresses: Some(vec!["jane@work.com".into()]),
            phone_number: Some("+1 555 0100".into()),
            source_id: Some("src".into()),
            credited_to_user_id: Some("usr".into()),
            ..CandidateCreateRequest::default()
        };
        assert_eq!(
            serde_json::to_value(&create).unwrap(),
            json!({
                "name": "Jane Doe",
                "phoneNumber": "+1 555 0100",
                "linkedInUrl": "https://www.linkedin.com/in/jane",
                "githubUrl": "https://github.com/jane",
                "website": "https://jane.dev",
                "alternateEmailAddresses": ["jane@work.com"],
                "sourceId": "src",
                "creditedToUserId": "usr"
            })
        );

        let update = CandidateUpdateRequest {
            website_url: Some("https://jane.dev".into()),
            alternate_email: Some("jane@work.com".into()),
            send_notifications: Some(false),
            ..CandidateUpdateRequest::new("cand-1")
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            json!({
                "candidateId": "cand-1",
                "websiteUrl": "https://jane.dev",
                "alternateEmail": "jane@work.com",
                "sendNotifications": false
            })
        );
    }

    #[test]
    fn note_body_is_a_string_or_typed_object() {
        let plain = CreateNoteRequest {
            candidate_id: "c".into(),
            note: NoteBody::Plain("Sourced in Fetcher".into()),
            send_notifications: None,
            is_private: None,
            created_at: None,
        };
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            json!({"candidateId": "c", "note": "Sourced in Fetcher"})
        );
        let html = CreateNoteRequest {
            note: NoteBody::Typed {
                r#type: NoteContentType::Html,
                value: "<b>Fetcher</b>".into(),
            },
            ..plain
        };
        assert_eq!(
            serde_json::to_value(&html).unwrap()["note"],
            json!({"type": "text/html", "value": "<b>Fetcher</b>"})
        );
    }

    #[test]
    fn application_requests() {
        let create = ApplicationCreateRequest {
            candidate_id: "c".into(),
            job_id: "j".into(),
            source_id: Some("s".into()),
            ..ApplicationCreateRequest::default()
        };
        assert_eq!(
            serde_json::to_value(&create).unwrap(),
            json!({"candidateId": "c", "jobId": "j", "sourceId": "s"})
        );
        let list = ApplicationListRequest {
            status: Some(ApplicationStatus::Active),
            ..ApplicationListRequest::for_job("j")
        };
        assert_eq!(
            serde_json::to_value(&list).unwrap(),
            json!({"jobId": "j", "status": "Active"})
        );
    }

    #[test]
    fn unknown_statuses_do_not_break_parsing() {
        let status: JobStatus = serde_json::from_value(json!("Paused")).unwrap();
        assert_eq!(status, JobStatus::Unknown);
        let status: ApplicationStatus = serde_json::from_value(json!("Lead")).unwrap();
        assert_eq!(status, ApplicationStatus::Lead);
    }

    #[test]
    fn candidate_with_nulls_everywhere_still_parses() {
        let candidate: Candidate = serde_json::from_value(json!({
            "id": "c1",
            "name": null,
            "emailAddresses": null,
            "socialLinks": null,
            "tags": null,
            "applicationIds": null,
            "primaryEmailAddress": null,
            "source": null,
            "location": {"id": null, "locationComponents": null},
            "brandNewField": {"x": 1}
        }))
        .unwrap();
        assert_eq!(candidate.name, "");
        assert!(candidate.social_links.is_empty());
        assert!(candidate.application_ids.is_empty());
        assert!(candidate.all_emails().is_empty());
    }

    #[test]
    fn custom_fields_of_every_shape_decode() {
        let job: Job = serde_json::from_value(json!({
            "id": "j1",
            "title": "Engineer",
            "customFields": [
                {"id": "f1", "title": "Remote ok", "value": true, "isPrivate": false},
                {"id": "f2", "title": "Headcount", "value": 3},
                {"id": "f3", "title": "Code", "value": "ENG-7"},
                {"id": "f4", "title": "Start", "value": "2026-03-01T00:00:00.000Z"},
                {"id": "f5", "title": "Budget", "value": {"value": 120000, "currencyCode": "EUR"}},
                {"id": "f6", "title": "Skills", "value": ["a1", "b2"], "valueLabel": ["Rust", "Go"]},
                {"id": "f7", "title": "Level", "value": "v1", "valueLabel": "Senior"},
                {"id": "f8", "title": "Range", "value": {"type": "number-range", "minValue": 1, "maxValue": 5}},
                {"id": "f9", "title": "Pay", "value": {"type": "compensation-range", "minValue": 1,
                    "maxValue": 2, "currencyCode": "USD", "interval": "1 YEAR"}},
                {"id": "f10", "title": "Empty", "value": null, "valueLabel": null},
                {"id": 11, "title": ["odd"], "valueLabel": {"x": 1}, "isPrivate": "no"},
                "not even an object"
            ]
        }))
        .unwrap();
        assert_eq!(
            job.custom_fields.len(),
            11,
            "only the non-object entry is dropped"
        );
        assert_eq!(
            job.custom_fields[5].value_label,
            Some(CustomFieldLabel::Many(vec!["Rust".into(), "Go".into()]))
        );
        assert_eq!(
            job.custom_fields[6].value_label,
            Some(CustomFieldLabel::One("Senior".into()))
        );
        assert_eq!(job.custom_fields[10].id, None);
        assert_eq!(job.custom_fields[10].value_label, None);
    }

    #[test]
    fn all_emails_puts_primary_first_without_repeats() {
        let candidate: Candidate = serde_json::from_value(json!({
            "id": "c1",
            "primaryEmailAddress": {"value": "Jane@Example.com", "isPrimary": true},
            "emailAddresses": [
                {"value": "jane@example.com", "type": "Personal", "isPrimary": true},
                {"value": "jane@work.com", "type": "Work", "isPrimary": false},
                {"value": "  ", "type": "Other"}
            ]
        }))
        .unwrap();
        assert_eq!(
            candidate.all_emails(),
            vec!["Jane@Example.com", "jane@work.com"]
        );
    }
}
