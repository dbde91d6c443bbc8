//! The Ashby API client: one async method per endpoint, over any [`Transport`].
//!
//! Every call is a POST with a JSON body, HTTP Basic auth (`key:` with an empty password),
//! and a pinned API version. The client makes exactly one request per method call, except the
//! `*_all` helpers which follow cursors; retries are the caller's, decided by
//! [`crate::ashby::retry`], because a create must be re-checked before it is repeated.

use super::base64;
use super::envelope::{classify_json, Envelope};
use super::error::AshbyError;
use super::http::{HttpRequest, Transport};
use super::retry::OperationKind;
use super::scopes::Permission;
use super::types::{
    AddTagRequest, ApiKeyInfo, Application, ApplicationCreateRequest, ApplicationInfoRequest,
    ApplicationListRequest, Candidate, CandidateCreateRequest, CandidateInfoRequest,
    CandidateSearchRequest, CandidateTagListRequest, CandidateUpdateRequest, CreateNoteRequest,
    Department, DepartmentListRequest, Job, JobInfoRequest, JobListRequest, Note, Source,
    SourceListRequest, Tag, User, UserSearchRequest,
};
use crate::from_json::FromJson;
use crate::json_text::Json;
use crate::json_writer::WriteJson;
use std::fmt;

pub const DEFAULT_BASE_URL: &str = "https://api.ashbyhq.com";

/// The Ashby API version this client is written against, sent as `Ashby-Version` so a change
/// of the key's default version cannot change behaviour under us. `2026-01-01` is Ashby's only
/// active version (`shared/ashby-api.md` §1); moving to a newer one is a deliberate change.
pub const ASHBY_API_VERSION: &str = "2026-01-01";

/// Per-request timeout. An MV3 service worker may be stopped after ~30 s of waiting, so a
/// request must end well before that.
pub const DEFAULT_TIMEOUT_MS: u32 = 20_000;

/// Ashby's largest (and default) page size.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Guard for the `*_all` helpers against a server that never stops paginating (100 pages of
/// 100 is far beyond any organisation's open jobs or one job's applicants we handle).
const MAX_PAGES: usize = 1_000;

/// The endpoints this client calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ApiKeyInfo,
    JobList,
    JobInfo,
    CandidateSearch,
    CandidateInfo,
    CandidateCreate,
    CandidateUpdate,
    CandidateCreateNote,
    CandidateAddTag,
    CandidateTagList,
    ApplicationCreate,
    ApplicationList,
    ApplicationInfo,
    SourceList,
    UserSearch,
    DepartmentList,
}

impl Endpoint {
    /// The RPC path, e.g. `/candidate.create`.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::ApiKeyInfo => "/apiKey.info",
            Endpoint::JobList => "/job.list",
            Endpoint::JobInfo => "/job.info",
            Endpoint::CandidateSearch => "/candidate.search",
            Endpoint::CandidateInfo => "/candidate.info",
            Endpoint::CandidateCreate => "/candidate.create",
            Endpoint::CandidateUpdate => "/candidate.update",
            Endpoint::CandidateCreateNote => "/candidate.createNote",
            Endpoint::CandidateAddTag => "/candidate.addTag",
            Endpoint::CandidateTagList => "/candidateTag.list",
            Endpoint::ApplicationCreate => "/application.create",
            Endpoint::ApplicationList => "/application.list",
            Endpoint::ApplicationInfo => "/application.info",
            Endpoint::SourceList => "/source.list",
            Endpoint::UserSearch => "/user.search",
            Endpoint::DepartmentList => "/department.list",
        }
    }

    /// How a failed call to this endpoint may be retried.
    pub fn operation_kind(self) -> OperationKind {
        match self {
            Endpoint::CandidateCreate
            | Endpoint::ApplicationCreate
            | Endpoint::CandidateCreateNote => OperationKind::Create,
            Endpoint::CandidateUpdate | Endpoint::CandidateAddTag => OperationKind::IdempotentWrite,
            _ => OperationKind::Read,
        }
    }

    /// The key permission the endpoint requires (`shared/ashby-api.md` §5).
    pub fn permission(self) -> Permission {
        match self {
            Endpoint::ApiKeyInfo => Permission::ApiKeysRead,
            Endpoint::JobList | Endpoint::JobInfo => Permission::JobsRead,
            Endpoint::CandidateSearch
            | Endpoint::CandidateInfo
            | Endpoint::ApplicationList
            | Endpoint::ApplicationInfo => Permission::CandidatesRead,
            Endpoint::CandidateCreate
            | Endpoint::CandidateUpdate
            | Endpoint::CandidateCreateNote
            | Endpoint::CandidateAddTag
            | Endpoint::ApplicationCreate => Permission::CandidatesWrite,
            Endpoint::CandidateTagList | Endpoint::SourceList => {
                Permission::HiringProcessMetadataRead
            }
            Endpoint::UserSearch | Endpoint::DepartmentList => Permission::OrganizationRead,
        }
    }
}

/// One page of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub more_data_available: bool,
    pub next_cursor: Option<String>,
    /// Present on the last page of lists that support incremental sync.
    pub sync_token: Option<String>,
}

/// Every page of a list, followed to the end.
#[derive(Debug, Clone, PartialEq)]
pub struct AllPages<T> {
    pub items: Vec<T>,
    /// From the last page: send it next time to get only what changed.
    pub sync_token: Option<String>,
}

/// A created object and Ashby's warnings about parts that failed (e.g. an application created
/// without some requested metadata).
#[derive(Debug, Clone, PartialEq)]
pub struct Created<T> {
    pub value: T,
    pub warnings: Vec<String>,
}

/// List requests that take a `cursor`.
pub trait Paginated: WriteJson + Clone {
    fn cursor(&self) -> Option<&str>;
    fn set_cursor(&mut self, cursor: String);
}

macro_rules! impl_paginated {
    ($($request:ty),*) => {$(
        impl Paginated for $request {
            fn cursor(&self) -> Option<&str> {
                self.cursor.as_deref()
            }
            fn set_cursor(&mut self, cursor: String) {
                self.cursor = Some(cursor);
            }
        }
    )*};
}
impl_paginated!(
    JobListRequest,
    ApplicationListRequest,
    CandidateTagListRequest,
    DepartmentListRequest
);

/// The Ashby API over a transport. Holds the key; its `Debug` output never shows it.
pub struct AshbyClient<T: Transport> {
    transport: T,
    api_key: String,
    base_url: String,
    timeout_ms: u32,
}

impl<T: Transport> fmt::Debug for AshbyClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AshbyClient")
            .field("base_url", &self.base_url)
            .field("api_key", &"<redacted>")
            .field("timeout_ms", &self.timeout_ms)
            .finish_non_exhaustive()
    }
}

impl<T: Transport> AshbyClient<T> {
    /// A client for `https://api.ashbyhq.com` with the default timeout.
    pub fn new(transport: T, api_key: impl Into<String>) -> Self {
        Self {
            transport,
            api_key: api_key.into(),
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
        }
    }

    /// Another API root, e.g. the local Ashby sandbox in tests. A trailing `/` is ignored.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    pub fn with_timeout_ms(mut self, timeout_ms: u32) -> Self {
        self.timeout_ms = timeout_ms;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The exact request a call to `endpoint` with `body` sends. The body is its hand-written
    /// encoder's text ([`crate::json_writer`], no serde in the worker), which cannot fail.
    pub fn build_request<B: WriteJson + ?Sized>(
        &self,
        endpoint: Endpoint,
        body: &B,
    ) -> HttpRequest {
        self.request(endpoint, body.json_text())
    }

    /// [`Self::build_request`] with the body's text already written.
    fn request(&self, endpoint: Endpoint, body: String) -> HttpRequest {
        let credentials = base64::encode(format!("{}:", self.api_key).as_bytes());
        HttpRequest {
            url: format!("{}{}", self.base_url, endpoint.path()),
            headers: vec![
                ("Authorization".to_owned(), format!("Basic {credentials}")),
                ("Content-Type".to_owned(), "application/json".to_owned()),
                (
                    "Accept".to_owned(),
                    "application/json; version=1".to_owned(),
                ),
                ("Ashby-Version".to_owned(), ASHBY_API_VERSION.to_owned()),
            ],
            body,
            timeout_ms: self.timeout_ms,
        }
    }

    /// Sends one call and reads the envelope, `results` typed as `R`. The typed methods below
    /// are thin wrappers; use this directly to see warnings or envelope fields.
    pub async fn call<B: WriteJson + ?Sized, R: FromJson>(
        &self,
        endpoint: Endpoint,
        body: &B,
    ) -> Result<Envelope<R>, AshbyError> {
        let (status, results, envelope) = self.exchange(endpoint, body.json_text()).await?;
        envelope.read(status, &results)
    }

    /// What every call does whatever its types: send the request, read the envelope. Not
    /// generic, so it is compiled once rather than into each endpoint's call.
    async fn exchange(
        &self,
        endpoint: Endpoint,
        body: String,
    ) -> Result<(u16, Json, Envelope<()>), AshbyError> {
        let response = self.transport.send(self.request(endpoint, body)).await?;
        let (results, envelope) = classify_json(&response)
            .map_err(|error| error.for_permission(endpoint.permission()))?;
        Ok((response.status, results, envelope))
    }

    async fn results<B: WriteJson + ?Sized, R: FromJson>(
        &self,
        endpoint: Endpoint,
        body: &B,
    ) -> Result<R, AshbyError> {
        Ok(self.call(endpoint, body).await?.results)
    }

    async fn created<B: WriteJson + ?Sized, R: FromJson>(
        &self,
        endpoint: Endpoint,
        body: &B,
    ) -> Result<Created<R>, AshbyError> {
        let envelope = self.call(endpoint, body).await?;
        Ok(Created {
            value: envelope.results,
            warnings: envelope.warnings,
        })
    }

    async fn page<B: Paginated, R: FromJson>(
        &self,
        endpoint: Endpoint,
        request: &B,
    ) -> Result<Page<R>, AshbyError> {
        let envelope: Envelope<Vec<R>> = self.call(endpoint, request).await?;
        Ok(Page {
            items: envelope.results,
            more_data_available: envelope.more_data_available,
            next_cursor: envelope.next_cursor,
            sync_token: envelope.sync_token,
        })
    }

    /// Follows `nextCursor` until `moreDataAvailable` is false. The request (filters and any
    /// `syncToken`) is resent unchanged with each cursor. A failure on any page fails the
    /// whole listing: partial lists would look complete to the caller.
    async fn all_pages<B: Paginated, R: FromJson>(
        &self,
        endpoint: Endpoint,
        first: &B,
    ) -> Result<AllPages<R>, AshbyError> {
        let mut request = first.clone();
        let mut items = Vec::new();
        for _ in 0..MAX_PAGES {
            let page: Page<R> = self.page(endpoint, &request).await?;
            items.extend(page.items);
            if !page.more_data_available {
                return Ok(AllPages {
                    items,
                    sync_token: page.sync_token,
                });
            }
            let next = page
                .next_cursor
                .ok_or_else(|| pagination_error("moreDataAvailable without nextCursor"))?;
            if request.cursor() == Some(next.as_str()) {
                return Err(pagination_error("the same cursor came back twice"));
            }
            request.set_cursor(next);
        }
        Err(pagination_error("too many pages"))
    }

    // ---- Endpoints ---------------------------------------------------------------------------

    /// `apiKey.info`: the connection check; returns the key's title and scopes.
    pub async fn api_key_info(&self) -> Result<ApiKeyInfo, AshbyError> {
        self.results(Endpoint::ApiKeyInfo, &serde_json::json!({}))
            .await
    }

    /// `job.list`, one page.
    pub async fn list_jobs(&self, request: &JobListRequest) -> Result<Page<Job>, AshbyError> {
        self.page(Endpoint::JobList, request).await
    }

    /// `job.list`, every page, with the final sync token.
    pub async fn list_jobs_all(
        &self,
        filter: &JobListRequest,
    ) -> Result<AllPages<Job>, AshbyError> {
        self.all_pages(Endpoint::JobList, filter).await
    }

    /// `job.info`.
    pub async fn job_info(&self, request: &JobInfoRequest) -> Result<Job, AshbyError> {
        self.results(Endpoint::JobInfo, request).await
    }

    /// `candidate.search`: at most 100 candidates; email and name are ANDed.
    pub async fn search_candidates(
        &self,
        request: &CandidateSearchRequest,
    ) -> Result<Vec<Candidate>, AshbyError> {
        self.results(Endpoint::CandidateSearch, request).await
    }

    /// `candidate.info`.
    pub async fn candidate_info(
        &self,
        request: &CandidateInfoRequest,
    ) -> Result<Candidate, AshbyError> {
        self.results(Endpoint::CandidateInfo, request).await
    }

    /// `candidate.create`. NOT idempotent: after a timeout, search before trying again.
    pub async fn create_candidate(
        &self,
        request: &CandidateCreateRequest,
    ) -> Result<Created<Candidate>, AshbyError> {
        self.created(Endpoint::CandidateCreate, request).await
    }

    /// `candidate.update`. Mind the field names and the `socialLinks` replacement (see
    /// [`CandidateUpdateRequest`]).
    pub async fn update_candidate(
        &self,
        request: &CandidateUpdateRequest,
    ) -> Result<Candidate, AshbyError> {
        self.results(Endpoint::CandidateUpdate, request).await
    }

    /// `candidate.createNote`. Not idempotent: a repeat adds a second note.
    pub async fn create_note(&self, request: &CreateNoteRequest) -> Result<Note, AshbyError> {
        self.results(Endpoint::CandidateCreateNote, request).await
    }

    /// `candidate.addTag`; returns the updated candidate.
    pub async fn add_tag(&self, request: &AddTagRequest) -> Result<Candidate, AshbyError> {
        self.results(Endpoint::CandidateAddTag, request).await
    }

    /// `candidateTag.list`, one page.
    pub async fn list_candidate_tags(
        &self,
        request: &CandidateTagListRequest,
    ) -> Result<Page<Tag>, AshbyError> {
        self.page(Endpoint::CandidateTagList, request).await
    }

    /// `candidateTag.list`, every page.
    pub async fn list_candidate_tags_all(
        &self,
        filter: &CandidateTagListRequest,
    ) -> Result<AllPages<Tag>, AshbyError> {
        self.all_pages(Endpoint::CandidateTagList, filter).await
    }

    /// `application.create`. NOT idempotent: after a timeout, read `candidate.info` →
    /// `applicationIds` before trying again.
    pub async fn create_application(
        &self,
        request: &ApplicationCreateRequest,
    ) -> Result<Created<Application>, AshbyError> {
        self.created(Endpoint::ApplicationCreate, request).await
    }

    /// `application.list`, one page (filter by job; there is no candidate filter).
    pub async fn list_applications(
        &self,
        request: &ApplicationListRequest,
    ) -> Result<Page<Application>, AshbyError> {
        self.page(Endpoint::ApplicationList, request).await
    }

    /// `application.list`, every page, with the final sync token.
    pub async fn list_applications_all(
        &self,
        filter: &ApplicationListRequest,
    ) -> Result<AllPages<Application>, AshbyError> {
        self.all_pages(Endpoint::ApplicationList, filter).await
    }

    /// `application.info`: one application, with its job and candidate. With
    /// `candidate.info` → `applicationIds`, how to see whether a candidate already has an
    /// application for a job (Ashby's `application.list` filters by job, not by candidate).
    pub async fn application_info(
        &self,
        request: &ApplicationInfoRequest,
    ) -> Result<Application, AshbyError> {
        self.results(Endpoint::ApplicationInfo, request).await
    }

    /// `source.list` (not paginated by cursor).
    pub async fn list_sources(
        &self,
        request: &SourceListRequest,
    ) -> Result<Vec<Source>, AshbyError> {
        self.results(Endpoint::SourceList, request).await
    }

    /// `user.search` by email; Ashby returns a list.
    pub async fn search_users(&self, request: &UserSearchRequest) -> Result<Vec<User>, AshbyError> {
        self.results(Endpoint::UserSearch, request).await
    }

    /// `department.list`, one page: the names behind jobs' `departmentId`.
    pub async fn list_departments(
        &self,
        request: &DepartmentListRequest,
    ) -> Result<Page<Department>, AshbyError> {
        self.page(Endpoint::DepartmentList, request).await
    }

    /// `department.list`, every page.
    pub async fn list_departments_all(
        &self,
        filter: &DepartmentListRequest,
    ) -> Result<AllPages<Department>, AshbyError> {
        self.all_pages(Endpoint::DepartmentList, filter).await
    }
}

fn pagination_error(detail: &str) -> AshbyError {
    AshbyError::MalformedResponse {
        status: 200,
        detail: format!("pagination: {detail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ashby::http::{HttpResponse, TransportError};
    use crate::ashby::test_support::{block_on, ok, FakeTransport};
    use crate::ashby::types::{JobStatus, NoteBody};
    use serde_json::{json, Value};

    const API_KEY_INFO: &str = include_str!("../../tests/fixtures/ashby/api_key_info.json");
    const JOB_LIST_PAGE_1: &str = include_str!("../../tests/fixtures/ashby/job_list_page1.json");
    const JOB_LIST_PAGE_2: &str = include_str!("../../tests/fixtures/ashby/job_list_page2.json");
    const JOB_INFO: &str = include_str!("../../tests/fixtures/ashby/job_info.json");
    const CANDIDATE: &str = include_str!("../../tests/fixtures/ashby/candidate.json");
    const CANDIDATE_SEARCH: &str = include_str!("../../tests/fixtures/ashby/candidate_search.json");
    const NOTE: &str = include_str!("../../tests/fixtures/ashby/candidate_note.json");
    const TAG_LIST: &str = include_str!("../../tests/fixtures/ashby/candidate_tag_list.json");
    const APPLICATION_CREATE: &str =
        include_str!("../../tests/fixtures/ashby/application_create.json");
    const APPLICATION_LIST_PAGE_1: &str =
        include_str!("../../tests/fixtures/ashby/application_list_page1.json");
    const APPLICATION_LIST_PAGE_2: &str =
        include_str!("../../tests/fixtures/ashby/application_list_page2.json");
    const SOURCE_LIST: &str = include_str!("../../tests/fixtures/ashby/source_list.json");
    const USER_SEARCH: &str = include_str!("../../tests/fixtures/ashby/user_search.json");
    const MISSING_PERMISSION: &str =
        include_str!("../../tests/fixtures/ashby/error_missing_permission.json");

    fn client(responses: Vec<Result<HttpResponse, TransportError>>) -> AshbyClient<FakeTransport> {
        AshbyClient::new(FakeTransport::new(responses), "secret-key")
    }

    fn body_of(request: &HttpRequest) -> Value {
        serde_json::from_str(&request.body).unwrap()
    }

    #[test]
    fn every_request_is_an_authenticated_versioned_json_post() {
        let client = client(vec![ok(API_KEY_INFO)]);
        let info = block_on(client.api_key_info()).unwrap();
        assert_eq!(info.title, "Fetcher extension");
        assert_eq!(info.scopes.len(), 6);

        let sent = client.transport().requests();
        assert_eq!(sent.len(), 1);
        let request = &sent[0];
        assert_eq!(request.url, "https://api.ashbyhq.com/apiKey.info");
        assert_eq!(request.body, "{}");
        assert_eq!(request.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(
            request.headers,
            vec![
                // base64("secret-key:")
                ("Authorization".into(), "Basic c2VjcmV0LWtleTo=".into()),
                ("Content-Type".into(), "application/json".into()),
                ("Accept".into(), "application/json; version=1".into()),
                ("Ashby-Version".into(), "2026-01-01".into()),
            ]
        );
    }

    #[test]
    fn the_body_sent_is_the_requests_own_text() {
        let client = client(vec![]);
        let create = CandidateCreateRequest {
            name: "Jane \"JD\" Doe\n".into(),
            alternate_email_addresses: Some(vec!["jane@work.com".into()]),
            location: Some(crate::ashby::types::LocationInput {
                city: Some("Berlin".into()),
                ..Default::default()
            }),
            ..CandidateCreateRequest::default()
        };
        let sent = client.build_request(Endpoint::CandidateCreate, &create);
        assert_eq!(sent.body, create.json_text());
        assert_eq!(sent.body, serde_json::to_string(&create).unwrap());
        let list = JobListRequest::open_jobs_with_location();
        let sent = client.build_request(Endpoint::JobList, &list);
        assert_eq!(sent.body, r#"{"status":["Open"],"expand":["location"]}"#);
    }

    #[test]
    fn base_url_and_timeout_can_be_overridden() {
        let client = client(vec![ok(SOURCE_LIST)])
            .with_base_url("http://127.0.0.1:8080/")
            .with_timeout_ms(5_000);
        let sources = block_on(client.list_sources(&SourceListRequest::default())).unwrap();
        assert_eq!(sources.len(), 3);
        assert_eq!(sources[1].source_type, None);
        let request = &client.transport().requests()[0];
        assert_eq!(request.url, "http://127.0.0.1:8080/source.list");
        assert_eq!(request.timeout_ms, 5_000);
    }

    #[test]
    fn debug_output_hides_the_key() {
        let client = client(vec![]);
        let printed = format!("{client:?}");
        assert!(!printed.contains("secret-key"), "{printed}");
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn list_jobs_all_follows_cursors_and_keeps_the_filter() {
        let client = client(vec![ok(JOB_LIST_PAGE_1), ok(JOB_LIST_PAGE_2)]);
        let all =
            block_on(client.list_jobs_all(&JobListRequest::open_jobs_with_location())).unwrap();
        let ids: Vec<&str> = all.items.iter().map(|job| job.id.as_str()).collect();
        assert_eq!(ids, ["job-1", "job-2", "job-3"]);
        assert_eq!(all.sync_token.as_deref(), Some("sync-token-after-jobs"));
        assert_eq!(
            all.items[0]
                .location
                .as_ref()
                .and_then(|l| l.name.as_deref()),
            Some("Berlin")
        );
        assert_eq!(all.items[1].location, None);
        assert!(all.items[1].hiring_team.is_empty());

        let sent = client.transport().requests();
        assert_eq!(sent.len(), 2);
        assert!(sent.iter().all(|r| r.url.ends_with("/job.list")));
        assert_eq!(
            body_of(&sent[0]),
            json!({"status": ["Open"], "expand": ["location"]})
        );
        assert_eq!(
            body_of(&sent[1]),
            json!({"status": ["Open"], "expand": ["location"], "cursor": "cursor-page-2"})
        );
    }

    #[test]
    fn list_jobs_all_resends_the_sync_token_with_each_cursor() {
        let client = client(vec![ok(JOB_LIST_PAGE_1), ok(JOB_LIST_PAGE_2)]);
        let filter = JobListRequest {
            sync_token: Some("old-token".into()),
            ..JobListRequest::default()
        };
        block_on(client.list_jobs_all(&filter)).unwrap();
        let sent = client.transport().requests();
        assert_eq!(
            body_of(&sent[1]),
            json!({"syncToken": "old-token", "cursor": "cursor-page-2"})
        );
    }

    #[test]
    fn a_failing_page_fails_the_whole_listing() {
        let client = client(vec![ok(JOB_LIST_PAGE_1), Err(TransportError::Timeout)]);
        assert_eq!(
            block_on(client.list_jobs_all(&JobListRequest::default())).unwrap_err(),
            AshbyError::Timeout
        );
    }

    #[test]
    fn pagination_guards_against_missing_or_repeated_cursors() {
        let no_cursor = r#"{"success": true, "results": [], "moreDataAvailable": true}"#;
        let client1 = client(vec![ok(no_cursor)]);
        assert!(matches!(
            block_on(client1.list_jobs_all(&JobListRequest::default())),
            Err(AshbyError::MalformedResponse { .. })
        ));
        let looping =
            r#"{"success": true, "results": [], "moreDataAvailable": true, "nextCursor": "same"}"#;
        let client2 = client(vec![ok(looping), ok(looping)]);
        assert!(matches!(
            block_on(client2.list_jobs_all(&JobListRequest::default())),
            Err(AshbyError::MalformedResponse { .. })
        ));
        assert_eq!(client2.transport().requests().len(), 2);
    }

    #[test]
    fn list_applications_all_without_a_sync_token() {
        let client = client(vec![
            ok(APPLICATION_LIST_PAGE_1),
            ok(APPLICATION_LIST_PAGE_2),
        ]);
        let all = block_on(client.list_applications_all(&ApplicationListRequest::for_job("job-1")))
            .unwrap();
        assert_eq!(all.items.len(), 3);
        assert_eq!(all.sync_token, None);
        assert_eq!(
            all.items[2].status,
            Some(crate::ashby::types::ApplicationStatus::Unknown)
        );
        let sent = client.transport().requests();
        assert_eq!(body_of(&sent[0]), json!({"jobId": "job-1"}));
        assert_eq!(
            body_of(&sent[1]),
            json!({"jobId": "job-1", "cursor": "apps-cursor-2"})
        );
    }

    #[test]
    fn job_info_tolerates_an_unknown_status() {
        let client = client(vec![ok(JOB_INFO)]);
        let job = block_on(client.job_info(&JobInfoRequest {
            id: "job-1".into(),
            expand: None,
        }))
        .unwrap();
        assert_eq!(job.status, Some(JobStatus::Unknown));
        assert_eq!(job.confidential, Some(true));
        assert_eq!(
            body_of(&client.transport().requests()[0]),
            json!({"id": "job-1"})
        );
    }

    #[test]
    fn candidate_search_and_info_parse_full_and_sparse_candidates() {
        let client = client(vec![ok(CANDIDATE_SEARCH), ok(CANDIDATE)]);
        let found = block_on(
            client.search_candidates(&CandidateSearchRequest::by_email("jane@example.com")),
        )
        .unwrap();
        assert_eq!(found.len(), 2);
        assert!(found[1].social_links.is_empty());
        assert!(found[1].primary_email_address.is_none());

        let candidate =
            block_on(client.candidate_info(&CandidateInfoRequest::by_id("cand-1"))).unwrap();
        assert_eq!(candidate.application_ids, ["app-1", "app-2"]);
        assert_eq!(
            candidate.profile_url.as_deref(),
            Some("https://app.ashbyhq.com/candidates/cand-1")
        );
        assert_eq!(
            candidate.all_emails(),
            ["jane@example.com", "jane@work.example"]
        );
        assert_eq!(candidate.social_links.len(), 2);
        assert_eq!(
            candidate.source.as_ref().map(|s| s.title.as_str()),
            Some("Fetcher")
        );
        assert_eq!(
            candidate
                .location
                .as_ref()
                .map(|l| l.location_components.len()),
            Some(3)
        );
        assert_eq!(candidate.custom_fields[0].value, json!(30));

        let sent = client.transport().requests();
        assert!(sent[0].url.ends_with("/candidate.search"));
        assert_eq!(body_of(&sent[0]), json!({"email": "jane@example.com"}));
        assert!(sent[1].url.ends_with("/candidate.info"));
        assert_eq!(body_of(&sent[1]), json!({"id": "cand-1"}));
    }

    #[test]
    fn create_candidate_sends_create_field_names() {
        let client = client(vec![ok(CANDIDATE)]);
        let created = block_on(client.create_candidate(&CandidateCreateRequest {
            name: "Jane Doe".into(),
            email: Some("jane@example.com".into()),
            website: Some("https://jane.dev".into()),
            ..CandidateCreateRequest::default()
        }))
        .unwrap();
        assert_eq!(created.value.id, "cand-1");
        assert!(created.warnings.is_empty());
        let request = &client.transport().requests()[0];
        assert!(request.url.ends_with("/candidate.create"));
        assert_eq!(
            body_of(request),
            json!({"name": "Jane Doe", "email": "jane@example.com", "website": "https://jane.dev"})
        );
    }

    #[test]
    fn update_note_tag_and_application_calls() {
        let client = client(vec![
            ok(CANDIDATE),
            ok(NOTE),
            ok(CANDIDATE),
            ok(APPLICATION_CREATE),
            ok(TAG_LIST),
            ok(USER_SEARCH),
        ]);
        let update = CandidateUpdateRequest {
            website_url: Some("https://jane.dev".into()),
            ..CandidateUpdateRequest::new("cand-1")
        };
        block_on(client.update_candidate(&update)).unwrap();
        let note = block_on(client.create_note(&CreateNoteRequest {
            candidate_id: "cand-1".into(),
            note: NoteBody::Plain("From Fetcher".into()),
            send_notifications: None,
            is_private: None,
            created_at: None,
        }))
        .unwrap();
        assert_eq!(note.id, "note-1");
        block_on(client.add_tag(&AddTagRequest {
            candidate_id: "cand-1".into(),
            tag_id: "tag-1".into(),
        }))
        .unwrap();
        let application = block_on(client.create_application(&ApplicationCreateRequest {
            candidate_id: "cand-1".into(),
            job_id: "job-1".into(),
            ..ApplicationCreateRequest::default()
        }))
        .unwrap();
        assert_eq!(application.value.id, "app-3");
        assert_eq!(application.warnings, ["unable_to_add_application_metadata"]);
        let tags =
            block_on(client.list_candidate_tags_all(&CandidateTagListRequest::default())).unwrap();
        assert_eq!(tags.items.len(), 2);
        assert_eq!(tags.sync_token.as_deref(), Some("sync-tags"));
        let users = block_on(client.search_users(&UserSearchRequest {
            email: "rita@example.com".into(),
        }))
        .unwrap();
        assert_eq!(users[0].id, "user-1");

        let sent = client.transport().requests();
        let paths: Vec<&str> = sent
            .iter()
            .map(|r| r.url.trim_start_matches(DEFAULT_BASE_URL))
            .collect();
        assert_eq!(
            paths,
            [
                "/candidate.update",
                "/candidate.createNote",
                "/candidate.addTag",
                "/application.create",
                "/candidateTag.list",
                "/user.search"
            ]
        );
        assert_eq!(
            body_of(&sent[0]),
            json!({"candidateId": "cand-1", "websiteUrl": "https://jane.dev"})
        );
        assert_eq!(
            body_of(&sent[2]),
            json!({"candidateId": "cand-1", "tagId": "tag-1"})
        );
    }

    #[test]
    fn application_info_asks_by_application_id() {
        let client = client(vec![ok(APPLICATION_CREATE)]);
        let application = block_on(
            client.application_info(&crate::ashby::types::ApplicationInfoRequest::new("app-3")),
        )
        .unwrap();
        assert_eq!(application.id, "app-3");
        let request = &client.transport().requests()[0];
        assert!(request.url.ends_with("/application.info"));
        assert_eq!(body_of(request), json!({"applicationId": "app-3"}));
        assert_eq!(
            Endpoint::ApplicationInfo.permission(),
            Permission::CandidatesRead
        );
        assert_eq!(
            Endpoint::ApplicationInfo.operation_kind(),
            OperationKind::Read
        );
    }

    #[test]
    fn errors_come_back_classified() {
        let client = client(vec![
            Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: MISSING_PERMISSION.into(),
            }),
            Err(TransportError::Network("offline".into())),
        ]);
        let error =
            block_on(client.create_application(&ApplicationCreateRequest::default())).unwrap_err();
        assert!(error.is_auth_problem());
        assert_eq!(
            block_on(client.api_key_info()).unwrap_err(),
            AshbyError::Network("offline".into())
        );
    }

    #[test]
    fn a_403_without_error_info_names_the_endpoints_permission() {
        let client = client(vec![Ok(HttpResponse {
            status: 403,
            headers: vec![],
            body: r#"{"success": false, "errors": [{"message": "missing_endpoint_permission"}]}"#
                .into(),
        })]);
        let error =
            block_on(client.create_candidate(&CandidateCreateRequest::default())).unwrap_err();
        assert_eq!(
            error,
            AshbyError::MissingPermission {
                message: "missing_endpoint_permission".into(),
                request_id: None,
                permission: Some(Permission::CandidatesWrite),
            }
        );
    }

    #[test]
    fn list_departments_reads_names_and_needs_organization_read() {
        let client = client(vec![
            ok(
                r#"{"success": true, "moreDataAvailable": true, "nextCursor": "dep-2",
                "syncToken": null, "results": [
                {"id": "d1", "name": "Engineering", "isArchived": false, "parentId": null}
            ]}"#,
            ),
            ok(
                r#"{"success": true, "moreDataAvailable": false, "syncToken": "dep-sync",
                "results": [{"id": "d2", "name": null}]}"#,
            ),
        ]);
        let departments =
            block_on(client.list_departments_all(&DepartmentListRequest::default())).unwrap();
        assert_eq!(departments.items.len(), 2, "both pages are read");
        assert_eq!(departments.items[0].name, "Engineering");
        assert_eq!(departments.items[0].is_archived, Some(false));
        assert_eq!(departments.items[1].name, "");
        assert_eq!(departments.sync_token.as_deref(), Some("dep-sync"));
        let requests = client.transport().requests();
        assert!(requests[0].url.ends_with("/department.list"));
        assert_eq!(body_of(&requests[0]), json!({}));
        assert_eq!(body_of(&requests[1]), json!({"cursor": "dep-2"}));
        assert_eq!(
            Endpoint::DepartmentList.permission(),
            Permission::OrganizationRead
        );
        assert_eq!(
            Endpoint::DepartmentList.operation_kind(),
            OperationKind::Read
        );
    }

    #[test]
    fn endpoint_metadata() {
        assert_eq!(
            Endpoint::CandidateCreate.operation_kind(),
            OperationKind::Create
        );
        assert_eq!(
            Endpoint::ApplicationCreate.operation_kind(),
            OperationKind::Create
        );
        assert_eq!(
            Endpoint::CandidateSearch.operation_kind(),
            OperationKind::Read
        );
        assert_eq!(
            Endpoint::CandidateUpdate.operation_kind(),
            OperationKind::IdempotentWrite
        );
        assert_eq!(Endpoint::ApiKeyInfo.permission(), Permission::ApiKeysRead);
        assert_eq!(
            Endpoint::SourceList.permission(),
            Permission::HiringProcessMetadataRead
        );
        assert_eq!(
            Endpoint::UserSearch.permission(),
            Permission::OrganizationRead
        );
    }
}
