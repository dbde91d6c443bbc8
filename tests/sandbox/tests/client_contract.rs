//! Contract tests: the project's own `AshbyClient` (over the native `UreqTransport`) against the
//! strict in-process sandbox. Every endpoint the client wraps, every error class with its
//! `AshbyError` variant, recruiter message and retry decision, scope reporting and the request
//! log. No assertion depends on elapsed time.

mod common;

use ashby_sandbox::native::{block_on, UreqTransport};
use ashby_sandbox::Sandbox;
use common::{start, FULL, READONLY};
use fetcher_ashby::ashby::client::{Endpoint, ASHBY_API_VERSION};
use fetcher_ashby::ashby::social_links::update_adding_social_links;
use fetcher_ashby::ashby::types::{
    AddTagRequest, ApplicationCreateRequest, ApplicationInfoRequest, ApplicationListRequest,
    ApplicationStatus, CandidateCreateRequest, CandidateInfoRequest, CandidateSearchRequest,
    CandidateTagListRequest, CandidateUpdateRequest, CreateNoteRequest, DepartmentListRequest,
    JobExpand, JobInfoRequest, JobListRequest, JobStatus, NoteBody, SocialLink, SourceListRequest,
    UserSearchRequest,
};
use fetcher_ashby::ashby::{
    retry_decision, AshbyClient, AshbyError, OperationKind, Permission, RetryDecision, ScopeReport,
};
use fetcher_ashby::text;
use serde_json::{json, Value};
use std::collections::HashSet;

const DISABLED: &str = "sandbox-key-disabled";
const OVERPRIVILEGED: &str = "sandbox-key-overprivileged";
const PERM_200: &str = "sandbox-key-200perm";
const ALL_KEYS: [&str; 5] = [FULL, READONLY, DISABLED, OVERPRIVILEGED, PERM_200];

const JOB_OPEN: &str = "00000001-0000-4000-8000-000000000001";
const JOB_FRONTEND: &str = "00000001-0000-4000-8000-000000000002";
const JOB_CLOSED: &str = "00000001-0000-4000-8000-000000000009";
const CAND_EXISTING: &str = "00000002-0000-4000-8000-000000000001";
const CAND_LINDA: &str = "00000002-0000-4000-8000-000000000002";
const CAND_APPLIED: &str = "00000002-0000-4000-8000-000000000003";
const APP_SEEDED: &str = "00000003-0000-4000-8000-000000000001";
const USER_RECRUITER: &str = "00000004-0000-4000-8000-000000000001";
const SOURCE_FETCHER: &str = "00000005-0000-4000-8000-000000000001";
const TAG_FETCHER: &str = "00000006-0000-4000-8000-000000000001";

type Client = AshbyClient<UreqTransport>;

fn client(sb: &Sandbox, key: &str) -> Client {
    AshbyClient::new(UreqTransport::for_sandbox(sb), key)
}

/// The recruiter message for `error`, checked to contain `phrase` and no API key.
fn message(error: &AshbyError, phrase: &str) -> String {
    let text = text::ashby_error(error);
    assert!(
        text.contains(phrase),
        "message {text:?} lacks {phrase:?} ({error:?})"
    );
    for key in ALL_KEYS {
        assert!(!text.contains(key), "message leaks the key: {text}");
        assert!(
            !format!("{error:?}").contains(key),
            "error leaks the key: {error:?}"
        );
    }
    text
}

fn new_candidate(c: &Client, name: &str) -> String {
    block_on(c.create_candidate(&CandidateCreateRequest {
        name: name.into(),
        ..CandidateCreateRequest::default()
    }))
    .expect("candidate.create")
    .value
    .id
}

fn admin_candidate(sb: &Sandbox, id: &str) -> Value {
    sb.admin().state()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("candidate {id} not in admin state"))
        .clone()
}

// ---- Endpoints -------------------------------------------------------------------------------

#[test]
fn api_key_info_gives_title_and_scopes() {
    let sb = start();
    let info = block_on(client(&sb, FULL).api_key_info()).unwrap();
    assert_eq!(info.title, "Fetcher extension (sandbox)");
    assert!(
        info.scopes.iter().any(|s| s == "candidates:read"),
        "{info:?}"
    );
    assert!(Permission::CandidatesWrite.matches_scope(
        info.scopes
            .iter()
            .find(|s| Permission::CandidatesWrite.matches_scope(s))
            .unwrap()
    ));
}

#[test]
fn job_list_filters_drafts_and_expands_location() {
    let sb = start();
    let c = client(&sb, FULL);
    let default = block_on(c.list_jobs(&JobListRequest::default())).unwrap();
    assert_eq!(default.items.len(), 34);
    assert!(default
        .items
        .iter()
        .all(|j| j.status != Some(JobStatus::Draft)));
    assert!(!default.more_data_available);
    assert!(default.sync_token.is_some());

    let drafts = block_on(c.list_jobs(&JobListRequest {
        status: Some(vec![JobStatus::Draft]),
        ..JobListRequest::default()
    }))
    .unwrap();
    assert_eq!(drafts.items.len(), 2);
    assert!(drafts
        .items
        .iter()
        .all(|j| j.status == Some(JobStatus::Draft)));

    let open = block_on(c.list_jobs(&JobListRequest::open_jobs_with_location())).unwrap();
    assert!(!open.items.is_empty());
    for job in &open.items {
        assert_eq!(job.status, Some(JobStatus::Open), "{}", job.title);
        let name = job.location.as_ref().and_then(|l| l.name.as_deref());
        assert!(
            name.is_some_and(|n| !n.is_empty()),
            "{} has no location",
            job.title
        );
    }
    let backend = open.items.iter().find(|j| j.id == JOB_OPEN).unwrap();
    assert_eq!(
        backend.location.as_ref().unwrap().name.as_deref(),
        Some("Berlin")
    );
    // Without expand, no location object.
    assert!(default.items.iter().all(|j| j.location.is_none()));
}

#[test]
fn list_jobs_all_pages_once_each_then_syncs_only_changes() {
    let sb = start();
    let c = client(&sb, FULL);
    sb.admin().clear_requests();
    let all = block_on(c.list_jobs_all(&JobListRequest {
        limit: Some(5),
        ..JobListRequest::default()
    }))
    .unwrap();
    let ids: Vec<&str> = all.items.iter().map(|j| j.id.as_str()).collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), 34);
    assert_eq!(unique.len(), 34, "a job came back twice");
    let pages = sb.admin().requests().as_array().unwrap().len();
    assert_eq!(pages, 7, "34 jobs in pages of 5");
    let token = all.sync_token.expect("final syncToken");

    // Nothing changed yet.
    let none = block_on(c.list_jobs_all(&JobListRequest {
        sync_token: Some(token.clone()),
        ..JobListRequest::default()
    }))
    .unwrap();
    assert!(none.items.is_empty(), "{:?}", none.items);

    sb.admin()
        .seed(json!({"jobs": [{"id": JOB_FRONTEND, "status": "Closed"}]}));
    let changed = block_on(c.list_jobs_all(&JobListRequest {
        sync_token: Some(token),
        limit: Some(5),
        ..JobListRequest::default()
    }))
    .unwrap();
    assert_eq!(changed.items.len(), 1, "{:?}", changed.items);
    assert_eq!(changed.items[0].id, JOB_FRONTEND);
    assert_eq!(changed.items[0].status, Some(JobStatus::Closed));
    assert!(changed.sync_token.is_some());
}

#[test]
fn department_list_names_every_department_a_job_points_at() {
    let sb = start();
    let c = client(&sb, FULL);
    let departments = block_on(c.list_departments_all(&DepartmentListRequest::default())).unwrap();
    let names: HashSet<&str> = departments.items.iter().map(|d| d.name.as_str()).collect();
    assert!(names.contains("Engineering"), "{names:?}");
    let jobs = block_on(c.list_jobs_all(&JobListRequest::default())).unwrap();
    for job in &jobs.items {
        let id = job
            .department_id
            .as_deref()
            .expect("seeded jobs have a department");
        assert!(
            departments
                .items
                .iter()
                .any(|d| d.id == id && !d.name.is_empty()),
            "{} points at an unknown department {id}",
            job.title
        );
    }
    let backend = jobs.items.iter().find(|j| j.id == JOB_OPEN).unwrap();
    let engineering = departments
        .items
        .iter()
        .find(|d| Some(d.id.as_str()) == backend.department_id.as_deref())
        .unwrap();
    assert_eq!(engineering.name, "Engineering");
    // A filter the endpoint does not know is refused, as everywhere in the sandbox.
    let error = block_on(c.call::<_, Value>(
        Endpoint::DepartmentList,
        &json!({"includeArchived": true, "parentId": "x"}),
    ))
    .unwrap_err();
    assert_eq!(error.api_code(), Some("invalid_input"), "{error:?}");
}

#[test]
fn department_list_without_organization_read_is_a_missing_permission() {
    let sb = start();
    sb.admin().seed(json!({"keys": [{
        "key": "jobs-only-key", "title": "Jobs only", "scopes": ["apiKeysRead", "jobsRead"]
    }]}));
    let c = client(&sb, "jobs-only-key");
    // Jobs still list; only the department names are out of reach.
    assert!(
        !block_on(c.list_jobs(&JobListRequest::open_jobs_with_location()))
            .unwrap()
            .items
            .is_empty()
    );
    let error = block_on(c.list_departments(&DepartmentListRequest::default())).unwrap_err();
    assert!(
        matches!(&error, AshbyError::MissingPermission { message, .. } if message.contains("organizationRead")),
        "{error:?}"
    );
}

#[test]
fn job_info_and_not_found() {
    let sb = start();
    let c = client(&sb, FULL);
    let job = block_on(c.job_info(&JobInfoRequest {
        id: JOB_OPEN.into(),
        expand: Some(vec![JobExpand::Location]),
    }))
    .unwrap();
    assert_eq!(job.title, "Senior Backend Engineer");
    assert_eq!(job.status, Some(JobStatus::Open));
    let error = block_on(c.job_info(&JobInfoRequest {
        id: "00000001-0000-4000-8000-0000000fffff".into(),
        expand: None,
    }))
    .unwrap_err();
    // Ashby documents no `job_not_found`: the sandbox answers the documented `invalid_input`.
    assert!(
        matches!(&error, AshbyError::Api { code, message, .. }
            if code == "invalid_input" && message.contains("No job")),
        "{error:?}"
    );
    message(&error, text::ASHBY_REFUSED);
}

#[test]
fn candidate_search_by_exact_email_and_by_name() {
    let sb = start();
    let c = client(&sb, FULL);
    let found = block_on(c.search_candidates(&CandidateSearchRequest::by_email(
        "  existing.person@example.com ",
    )))
    .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, CAND_EXISTING);
    // The strictest reading: another case of the same address does not match.
    let other_case = block_on(c.search_candidates(&CandidateSearchRequest::by_email(
        "Existing.Person@Example.com",
    )))
    .unwrap();
    assert!(other_case.is_empty(), "{other_case:?}");
    // The alternate address matches too.
    let alt = block_on(c.search_candidates(&CandidateSearchRequest::by_email(
        "existing.person@work.example",
    )))
    .unwrap();
    assert_eq!(alt.len(), 1);
    assert_eq!(alt[0].id, CAND_EXISTING);
    let by_name =
        block_on(c.search_candidates(&CandidateSearchRequest::by_name("linda link"))).unwrap();
    assert_eq!(by_name.len(), 1);
    assert_eq!(by_name[0].id, CAND_LINDA);
    let nobody =
        block_on(c.search_candidates(&CandidateSearchRequest::by_email("nobody@nowhere.example")))
            .unwrap();
    assert!(nobody.is_empty());
}

#[test]
fn candidate_info_reads_the_profile() {
    let sb = start();
    let c = client(&sb, FULL);
    let cand = block_on(c.candidate_info(&CandidateInfoRequest::by_id(CAND_APPLIED))).unwrap();
    assert_eq!(cand.name, "Applied Candidate");
    assert_eq!(cand.application_ids, [APP_SEEDED]);
    assert_eq!(
        cand.primary_email_address
            .as_ref()
            .map(|e| e.value.as_str()),
        Some("applied.candidate@example.com")
    );
    let existing = block_on(c.candidate_info(&CandidateInfoRequest::by_id(CAND_EXISTING))).unwrap();
    let emails = existing.all_emails();
    assert!(
        emails.contains(&"existing.person@work.example"),
        "{emails:?}"
    );
    let missing = block_on(c.candidate_info(&CandidateInfoRequest::by_id(
        "00000002-0000-4000-8000-0000000fffff",
    )))
    .unwrap_err();
    assert_eq!(missing.api_code(), Some("invalid_input"), "{missing:?}");
}

#[test]
fn candidate_create_with_source_and_credited_user() {
    let sb = start();
    let c = client(&sb, FULL);
    let created = block_on(c.create_candidate(&CandidateCreateRequest {
        name: "Contract Person".into(),
        email: Some("contract.person@example.com".into()),
        linked_in_url: Some("https://www.linkedin.com/in/contract-person".into()),
        website: Some("https://contract.example".into()),
        source_id: Some(SOURCE_FETCHER.into()),
        credited_to_user_id: Some(USER_RECRUITER.into()),
        ..CandidateCreateRequest::default()
    }))
    .unwrap();
    assert!(created.warnings.is_empty());
    let cand = created.value;
    assert_eq!(cand.name, "Contract Person");
    assert_eq!(
        cand.profile_url.as_deref(),
        Some(format!("https://app.ashbyhq.com/candidates/{}", cand.id).as_str())
    );
    assert_eq!(
        cand.source.as_ref().map(|s| s.id.as_str()),
        Some(SOURCE_FETCHER)
    );

    let state = admin_candidate(&sb, &cand.id);
    assert_eq!(state["name"], "Contract Person");
    assert_eq!(state["source"]["title"], "Fetcher");
    assert_eq!(state["creditedToUser"]["id"], USER_RECRUITER);
    assert_eq!(
        state["primaryEmailAddress"]["value"],
        "contract.person@example.com"
    );
    let links: Vec<&str> = state["socialLinks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["url"].as_str().unwrap())
        .collect();
    assert!(links.contains(&"https://contract.example"), "{links:?}");
}

#[test]
fn candidate_update_uses_its_own_field_names() {
    let sb = start();
    let c = client(&sb, FULL);
    let id = new_candidate(&c, "Update Me");
    let updated = block_on(c.update_candidate(&CandidateUpdateRequest {
        website_url: Some("https://update-me.example".into()),
        alternate_email: Some("update.me@other.example".into()),
        email: Some("update.me@example.com".into()),
        ..CandidateUpdateRequest::new(id.clone())
    }))
    .unwrap();
    assert_eq!(updated.id, id);
    let emails = updated.all_emails();
    assert!(emails.contains(&"update.me@example.com"), "{emails:?}");
    assert!(emails.contains(&"update.me@other.example"), "{emails:?}");
    assert!(
        updated
            .social_links
            .iter()
            .any(|l| l.url == "https://update-me.example"),
        "{:?}",
        updated.social_links
    );
    let state = admin_candidate(&sb, &id);
    assert_eq!(
        state["primaryEmailAddress"]["value"],
        "update.me@example.com"
    );
}

#[test]
fn candidate_update_merging_social_links_keeps_existing_ones() {
    let sb = start();
    let c = client(&sb, FULL);
    let linda = block_on(c.candidate_info(&CandidateInfoRequest::by_id(CAND_LINDA))).unwrap();
    assert_eq!(linda.social_links.len(), 2);
    let website = SocialLink {
        r#type: "Website".into(),
        url: "https://linda.example".into(),
    };
    // Re-adding a link she already has (another spelling) needs no call.
    let same_linkedin = SocialLink {
        r#type: "LinkedIn".into(),
        url: "linkedin.com/in/existing-linkedin/".into(),
    };
    assert!(update_adding_social_links(&linda, std::slice::from_ref(&same_linkedin)).is_none());
    let request = update_adding_social_links(&linda, &[same_linkedin, website]).unwrap();
    let updated = block_on(c.update_candidate(&request)).unwrap();
    let urls: Vec<&str> = updated
        .social_links
        .iter()
        .map(|l| l.url.as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "https://www.linkedin.com/in/existing-linkedin",
            "https://github.com/existing-linkedin",
            "https://linda.example"
        ]
    );
    let state = admin_candidate(&sb, CAND_LINDA);
    assert_eq!(state["socialLinks"].as_array().unwrap().len(), 3);
}

#[test]
fn create_note_is_stored_with_the_author() {
    let sb = start();
    let c = client(&sb, FULL);
    let id = new_candidate(&c, "Noted Person");
    let note = block_on(c.create_note(&CreateNoteRequest {
        candidate_id: id.clone(),
        note: NoteBody::Plain("Sent from Fetcher".into()),
        send_notifications: Some(false),
        is_private: None,
        created_at: None,
    }))
    .unwrap();
    assert!(!note.id.is_empty());
    assert_eq!(note.content.as_deref(), Some("Sent from Fetcher"));
    assert_eq!(
        note.author.as_ref().and_then(|a| a.id.as_deref()),
        Some(USER_RECRUITER)
    );
    let notes = admin_candidate(&sb, &id)["notes"].clone();
    assert_eq!(notes.as_array().unwrap().len(), 1);
    assert_eq!(notes[0]["content"], "Sent from Fetcher");
}

#[test]
fn add_tag_and_list_tags() {
    let sb = start();
    let c = client(&sb, FULL);
    let tags = block_on(c.list_candidate_tags_all(&CandidateTagListRequest {
        limit: Some(2),
        ..CandidateTagListRequest::default()
    }))
    .unwrap();
    let titles: Vec<&str> = tags.items.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Fetcher", "Senior", "Silver Medalist", "Do Not Contact"],
        "archived tags only when asked"
    );
    assert!(tags.sync_token.is_some());
    let with_archived = block_on(c.list_candidate_tags(&CandidateTagListRequest {
        include_archived: Some(true),
        ..CandidateTagListRequest::default()
    }))
    .unwrap();
    assert!(with_archived
        .items
        .iter()
        .any(|t| t.title == "Legacy Import" && t.is_archived));

    let fetcher = tags.items.iter().find(|t| t.title == "Fetcher").unwrap();
    assert_eq!(fetcher.id, TAG_FETCHER);
    let id = new_candidate(&c, "Tagged Person");
    let tagged = block_on(c.add_tag(&AddTagRequest {
        candidate_id: id.clone(),
        tag_id: fetcher.id.clone(),
    }))
    .unwrap();
    assert_eq!(tagged.id, id);
    assert!(tagged.tags.iter().any(|t| t.id == TAG_FETCHER));
    let state = admin_candidate(&sb, &id);
    assert_eq!(state["tags"][0]["title"], "Fetcher");
}

#[test]
fn application_create_then_duplicate_is_an_api_error() {
    let sb = start();
    let c = client(&sb, FULL);
    let id = new_candidate(&c, "Applying Person");
    let created = block_on(c.create_application(&ApplicationCreateRequest {
        candidate_id: id.clone(),
        job_id: JOB_OPEN.into(),
        source_id: Some(SOURCE_FETCHER.into()),
        credited_to_user_id: Some(USER_RECRUITER.into()),
        ..ApplicationCreateRequest::default()
    }))
    .unwrap();
    let app = created.value;
    assert_eq!(app.status, Some(ApplicationStatus::Lead));
    assert_eq!(app.job.as_ref().map(|j| j.id.as_str()), Some(JOB_OPEN));
    assert_eq!(
        app.candidate.as_ref().map(|c| c.id.as_str()),
        Some(id.as_str())
    );
    assert_eq!(
        app.source.as_ref().map(|s| s.title.as_str()),
        Some("Fetcher")
    );
    let info = block_on(c.application_info(&ApplicationInfoRequest::new(app.id.clone()))).unwrap();
    assert_eq!(info.id, app.id);
    let cand = block_on(c.candidate_info(&CandidateInfoRequest::by_id(id.clone()))).unwrap();
    assert_eq!(cand.application_ids, std::slice::from_ref(&app.id));

    let error = block_on(c.create_application(&ApplicationCreateRequest {
        candidate_id: id,
        job_id: JOB_OPEN.into(),
        ..ApplicationCreateRequest::default()
    }))
    .unwrap_err();
    assert!(
        matches!(&error, AshbyError::Api { code, request_id, .. }
            if code == "invalid_input" && request_id.is_some()),
        "{error:?}"
    );
    assert_eq!(
        retry_decision(&error, 1, OperationKind::Create, 0.0),
        RetryDecision::GiveUp
    );
    message(&error, text::ASHBY_REFUSED);
    let apps = sb.admin().state()["applications"].as_array().unwrap().len();
    assert_eq!(apps, 2, "the seeded one and ours, no duplicate");
}

#[test]
fn application_list_by_job_pages() {
    let sb = start();
    let c = client(&sb, FULL);
    let mut candidates = vec![];
    let mut applications = vec![];
    for i in 0..6 {
        let id = new_candidate(&c, &format!("Lister {i}"));
        candidates.push(id.clone());
        applications.push(json!({"candidateId": id, "jobId": JOB_OPEN}));
    }
    sb.admin().seed(json!({ "applications": applications }));

    let first = block_on(c.list_applications(&ApplicationListRequest {
        limit: Some(3),
        ..ApplicationListRequest::for_job(JOB_OPEN)
    }))
    .unwrap();
    assert_eq!(first.items.len(), 3);
    assert!(first.more_data_available);
    assert!(first.next_cursor.is_some());
    assert!(
        first.sync_token.is_none(),
        "syncToken only on the last page"
    );

    let all = block_on(c.list_applications_all(&ApplicationListRequest {
        limit: Some(3),
        ..ApplicationListRequest::for_job(JOB_OPEN)
    }))
    .unwrap();
    assert_eq!(all.items.len(), 7, "the seeded application plus six");
    let unique: HashSet<&str> = all.items.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(unique.len(), 7);
    assert!(all
        .items
        .iter()
        .all(|a| a.job.as_ref().is_some_and(|j| j.id == JOB_OPEN)));
    for id in &candidates {
        assert!(all
            .items
            .iter()
            .any(|a| a.candidate.as_ref().is_some_and(|c| &c.id == id)));
    }
    assert!(all.sync_token.is_some());
    let other =
        block_on(c.list_applications_all(&ApplicationListRequest::for_job(JOB_FRONTEND))).unwrap();
    assert!(other.items.is_empty());
}

#[test]
fn source_list_finds_fetcher() {
    let sb = start();
    let c = client(&sb, FULL);
    let sources = block_on(c.list_sources(&SourceListRequest::default())).unwrap();
    let fetcher = sources.iter().find(|s| s.title == "Fetcher").unwrap();
    assert_eq!(fetcher.id, SOURCE_FETCHER);
    assert!(!fetcher.is_archived);
    assert!(!sources.iter().any(|s| s.title == "Old Job Board"));
    let all = block_on(c.list_sources(&SourceListRequest {
        include_archived: Some(true),
    }))
    .unwrap();
    assert!(all
        .iter()
        .any(|s| s.title == "Old Job Board" && s.is_archived));
}

#[test]
fn user_search_is_case_insensitive() {
    let sb = start();
    let c = client(&sb, FULL);
    let users = block_on(c.search_users(&UserSearchRequest {
        email: "RECRUITER@Fetcher-Demo.example".into(),
    }))
    .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id, USER_RECRUITER);
    assert_eq!(users[0].first_name.as_deref(), Some("Riley"));
    let none = block_on(c.search_users(&UserSearchRequest {
        email: "nobody@fetcher-demo.example".into(),
    }))
    .unwrap();
    assert!(none.is_empty());
}

// ---- Error classes ---------------------------------------------------------------------------

#[test]
fn missing_key_is_401_missing_key() {
    let sb = start();
    let error = block_on(client(&sb, "").api_key_info()).unwrap_err();
    assert_eq!(error, AshbyError::MissingKey);
    assert!(error.is_auth_problem());
    assert_eq!(
        message(&error, "did not receive an API key"),
        text::ASHBY_MISSING_KEY
    );
    assert_eq!(
        retry_decision(&error, 1, OperationKind::Read, 0.0),
        RetryDecision::GiveUp
    );
    let log = sb.admin().requests();
    assert_eq!(log[0]["status"], 401);
    assert_eq!(log[0]["errorCode"], "unauthenticated");
}

#[test]
fn invalid_key_is_403_invalid_key() {
    let sb = start();
    let secret = "sandbox-key-not-a-real-one";
    let error = block_on(client(&sb, secret).api_key_info()).unwrap_err();
    assert!(
        matches!(
            &error,
            AshbyError::InvalidKey {
                request_id: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    let text = message(&error, "Ashby rejected the API key");
    assert!(!text.contains(secret));
    assert!(!format!("{error:?}").contains(secret));
    assert_eq!(
        retry_decision(&error, 1, OperationKind::Read, 0.0),
        RetryDecision::GiveUp
    );
}

#[test]
fn disabled_key_is_invalid_key() {
    let sb = start();
    let error = block_on(client(&sb, DISABLED).api_key_info()).unwrap_err();
    assert!(
        matches!(&error, AshbyError::InvalidKey { message: Some(m), .. } if m.contains("deactivated")),
        "{error:?}"
    );
    assert!(error.is_auth_problem());
    message(&error, "Ashby rejected the API key");
    assert_eq!(
        retry_decision(&error, 1, OperationKind::Create, 0.0),
        RetryDecision::GiveUp
    );
}

#[test]
fn missing_permission_as_403_and_as_200() {
    let sb = start();
    let as_403 = block_on(
        client(&sb, READONLY).create_candidate(&CandidateCreateRequest {
            name: "Not Allowed".into(),
            ..CandidateCreateRequest::default()
        }),
    )
    .unwrap_err();
    let as_200 = block_on(client(&sb, PERM_200).list_jobs(&JobListRequest::default())).unwrap_err();
    for (error, permission) in [(&as_403, "candidatesWrite"), (&as_200, "jobsRead")] {
        assert!(
            matches!(error, AshbyError::MissingPermission { message, request_id: Some(_), .. }
                if message.contains(permission)),
            "{error:?}"
        );
        assert!(error.is_auth_problem());
        let text = message(error, "lacks a permission");
        assert!(text.contains(permission), "{text}");
        assert_eq!(
            retry_decision(error, 1, OperationKind::Create, 0.0),
            RetryDecision::GiveUp
        );
    }
    let statuses: Vec<Value> = sb
        .admin()
        .requests()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(statuses, [json!(403), json!(200)]);
    // Nothing was created.
    let created = sb.admin().state()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Not Allowed");
    assert!(!created);
}

#[test]
fn closed_job_refuses_the_application() {
    let sb = start();
    let c = client(&sb, FULL);
    let id = new_candidate(&c, "Late Applicant");
    let error = block_on(c.create_application(&ApplicationCreateRequest {
        candidate_id: id,
        job_id: JOB_CLOSED.into(),
        ..ApplicationCreateRequest::default()
    }))
    .unwrap_err();
    assert!(
        matches!(&error, AshbyError::Api { code, message, .. }
            if code == "invalid_input" && message.contains("Closed")),
        "{error:?}"
    );
    assert!(!error.is_auth_problem());
    message(&error, text::ASHBY_REFUSED);
    assert_eq!(
        retry_decision(&error, 1, OperationKind::Create, 0.0),
        RetryDecision::GiveUp
    );
}

#[test]
fn rate_limit_gives_retry_after_and_recovers_after_waiting_it() {
    let sb = start();
    sb.admin().rate_limit(2, 1);
    let c = client(&sb, FULL);
    // Two calls fit in the window; the third is refused. (Should a slow machine cross into a
    // new window between calls, a later call hits the limit instead: count calls, not time.)
    let error = (0..6)
        .find_map(|_| block_on(c.list_jobs(&JobListRequest::default())).err())
        .expect("the rate limit is reached within six calls");
    let AshbyError::RateLimited {
        retry_after_ms: Some(wait),
        integration_partner_limit: false,
        ..
    } = error
    else {
        panic!("expected a rate limit with Retry-After, got {error:?}")
    };
    assert_eq!(wait, 1_000, "Retry-After: 1 (seconds) in milliseconds");
    assert_eq!(
        message(&error, text::ASHBY_RATE_LIMITED),
        format!(
            "{} Sending resumes in about 1 second.",
            text::ASHBY_RATE_LIMITED
        )
    );
    // Every kind of call retries after the wait (the request was refused before acting).
    for kind in [
        OperationKind::Read,
        OperationKind::IdempotentWrite,
        OperationKind::Create,
    ] {
        assert_eq!(
            retry_decision(&error, 1, kind, 0.0),
            RetryDecision::RetryAfter(wait)
        );
    }
    std::thread::sleep(std::time::Duration::from_millis(wait));
    let page = block_on(c.list_jobs(&JobListRequest::default())).unwrap();
    assert_eq!(page.items.len(), 34);
    let codes: Vec<Value> = sb
        .admin()
        .requests()
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert!(codes.len() >= 4, "{codes:?}");
    assert_eq!(codes[codes.len() - 2..], [json!(429), json!(200)]);
    assert!(
        codes[..codes.len() - 2].iter().all(|s| s == 200),
        "{codes:?}"
    );
}

#[test]
fn server_error_is_5xx_and_creates_recheck() {
    let sb = start();
    let c = client(&sb, FULL);
    sb.admin()
        .fault(json!({"endpoint": "candidate.create", "mode": "status", "status": 500}));
    let error = block_on(c.create_candidate(&CandidateCreateRequest {
        name: "Server Error".into(),
        ..CandidateCreateRequest::default()
    }))
    .unwrap_err();
    assert!(
        matches!(
            &error,
            AshbyError::ServerError {
                status: 500,
                request_id: Some(_)
            }
        ),
        "{error:?}"
    );
    let text = message(&error, text::ASHBY_SERVER_ERROR);
    assert!(text.contains("(HTTP 500)"), "{text}");
    assert!(matches!(
        retry_decision(&error, 1, Endpoint::CandidateCreate.operation_kind(), 0.0),
        RetryDecision::RecheckThenRetry { .. }
    ));
    assert!(matches!(
        retry_decision(&error, 1, Endpoint::JobList.operation_kind(), 0.0),
        RetryDecision::RetryAfter(_)
    ));
    sb.admin()
        .fault(json!({"endpoint": "job.list", "mode": "status", "status": 503}));
    let read = block_on(c.list_jobs(&JobListRequest::default())).unwrap_err();
    assert!(
        matches!(read, AshbyError::ServerError { status: 503, .. }),
        "{read:?}"
    );
    assert!(matches!(
        retry_decision(&read, 1, Endpoint::JobList.operation_kind(), 0.0),
        RetryDecision::RetryAfter(_)
    ));
}

#[test]
fn hang_times_out_and_the_decision_depends_on_the_operation() {
    let sb = start();
    let c = client(&sb, FULL).with_timeout_ms(500);
    sb.admin().fault(json!([
        {"endpoint": "candidate.create", "mode": "hang", "hangMs": 5000},
        {"endpoint": "job.list", "mode": "hang", "hangMs": 5000}
    ]));
    let create = block_on(c.create_candidate(&CandidateCreateRequest {
        name: "Slow Create".into(),
        ..CandidateCreateRequest::default()
    }))
    .unwrap_err();
    assert_eq!(create, AshbyError::Timeout);
    assert_eq!(message(&create, "took too long"), text::ASHBY_TIMEOUT);
    assert!(matches!(
        retry_decision(&create, 1, Endpoint::CandidateCreate.operation_kind(), 0.0),
        RetryDecision::RecheckThenRetry { .. }
    ));
    let read = block_on(c.list_jobs(&JobListRequest::default())).unwrap_err();
    assert_eq!(read, AshbyError::Timeout);
    assert!(matches!(
        retry_decision(&read, 1, Endpoint::JobList.operation_kind(), 0.0),
        RetryDecision::RetryAfter(_)
    ));
    sb.admin().release();
    // A fault fired before the handler: nothing was created.
    assert!(!sb.admin().state()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "Slow Create"));
    // The faults are used up; the same client works again.
    block_on(c.api_key_info()).unwrap();
}

#[test]
fn dropped_connection_is_network() {
    let sb = start();
    let c = client(&sb, FULL);
    sb.admin().fault(json!([
        {"endpoint": "candidate.search", "mode": "drop"},
        {"endpoint": "application.create", "mode": "drop", "after": true}
    ]));
    let read = block_on(c.search_candidates(&CandidateSearchRequest::by_email(
        "existing.person@example.com",
    )))
    .unwrap_err();
    assert!(matches!(read, AshbyError::Network(_)), "{read:?}");
    assert_eq!(
        message(&read, "Could not reach Ashby"),
        text::ASHBY_UNREACHABLE
    );
    assert!(matches!(
        retry_decision(&read, 1, OperationKind::Read, 0.0),
        RetryDecision::RetryAfter(_)
    ));

    // Dropped after the handler committed: the create happened, so re-check before retrying.
    let id = new_candidate(&c, "Dropped Applicant");
    let create = block_on(c.create_application(&ApplicationCreateRequest {
        candidate_id: id.clone(),
        job_id: JOB_OPEN.into(),
        ..ApplicationCreateRequest::default()
    }))
    .unwrap_err();
    assert!(matches!(create, AshbyError::Network(_)), "{create:?}");
    assert!(matches!(
        retry_decision(
            &create,
            1,
            Endpoint::ApplicationCreate.operation_kind(),
            0.0
        ),
        RetryDecision::RecheckThenRetry { .. }
    ));
    let recheck = block_on(c.candidate_info(&CandidateInfoRequest::by_id(id))).unwrap();
    assert_eq!(recheck.application_ids.len(), 1, "the re-check finds it");
}

// ---- Scopes ----------------------------------------------------------------------------------

#[test]
fn scope_reports_from_each_seeded_key() {
    let sb = start();
    let scopes = |key: &str| block_on(client(&sb, key).api_key_info()).unwrap().scopes;

    let full = ScopeReport::from_scopes(&scopes(FULL));
    assert!(full.is_complete(), "{full:?}");
    assert!(full.missing.is_empty());
    assert!(full.unneeded.is_empty(), "{full:?}");

    let readonly = ScopeReport::from_scopes(&scopes(READONLY));
    assert_eq!(readonly.missing, [Permission::CandidatesWrite]);
    assert!(readonly.unneeded.is_empty(), "{readonly:?}");

    let over = ScopeReport::from_scopes(&scopes(OVERPRIVILEGED));
    assert!(over.is_complete(), "{over:?}");
    let mut unneeded = over.unneeded.clone();
    unneeded.sort();
    let mut expected = vec![
        "apiKeysWrite",
        "jobsWrite",
        "offersWrite",
        "offersRead",
        "interviewsRead",
        "hiringProcessMetadataWrite",
        "organizationWrite",
        "reportsRead",
    ];
    expected.sort_unstable();
    assert_eq!(unneeded, expected);

    let only_info = ScopeReport::from_scopes(&scopes(PERM_200));
    assert_eq!(only_info.needed[0], (Permission::ApiKeysRead, true));
    assert_eq!(only_info.missing.len(), Permission::NEEDED.len() - 1);
}

// ---- Requests on the wire --------------------------------------------------------------------

#[test]
fn every_call_is_a_post_to_its_endpoint() {
    let sb = start();
    let c = client(&sb, FULL);
    // The client pins the one active version; the sandbox answers any other with
    // `invalid_api_version`, so the successful calls below also show the header is accepted.
    let request = c.build_request(Endpoint::ApiKeyInfo, &json!({}));
    assert!(request
        .headers
        .iter()
        .any(|(k, v)| k == "Ashby-Version" && v == ASHBY_API_VERSION));
    assert_eq!(ASHBY_API_VERSION, "2026-01-01");

    sb.admin().clear_requests();
    block_on(c.api_key_info()).unwrap();
    block_on(c.list_jobs(&JobListRequest::default())).unwrap();
    block_on(c.job_info(&JobInfoRequest {
        id: JOB_OPEN.into(),
        expand: None,
    }))
    .unwrap();
    block_on(c.search_candidates(&CandidateSearchRequest::by_name("Existing"))).unwrap();
    block_on(c.candidate_info(&CandidateInfoRequest::by_id(CAND_EXISTING))).unwrap();
    let id = new_candidate(&c, "Wire Person");
    block_on(c.update_candidate(&CandidateUpdateRequest {
        name: Some("Wire Person Jr".into()),
        ..CandidateUpdateRequest::new(id.clone())
    }))
    .unwrap();
    block_on(c.create_note(&CreateNoteRequest {
        candidate_id: id.clone(),
        note: NoteBody::Plain("hello".into()),
        send_notifications: None,
        is_private: None,
        created_at: None,
    }))
    .unwrap();
    block_on(c.add_tag(&AddTagRequest {
        candidate_id: id.clone(),
        tag_id: TAG_FETCHER.into(),
    }))
    .unwrap();
    block_on(c.list_candidate_tags(&CandidateTagListRequest::default())).unwrap();
    let app = block_on(c.create_application(&ApplicationCreateRequest {
        candidate_id: id,
        job_id: JOB_OPEN.into(),
        ..ApplicationCreateRequest::default()
    }))
    .unwrap()
    .value;
    block_on(c.list_applications(&ApplicationListRequest::for_job(JOB_OPEN))).unwrap();
    block_on(c.application_info(&ApplicationInfoRequest::new(app.id))).unwrap();
    block_on(c.list_sources(&SourceListRequest::default())).unwrap();
    block_on(c.search_users(&UserSearchRequest {
        email: "jane@agency.com".into(),
    }))
    .unwrap();
    block_on(c.list_departments(&DepartmentListRequest::default())).unwrap();

    let log = sb.admin().requests();
    let log = log.as_array().unwrap();
    let endpoints: Vec<&str> = log
        .iter()
        .map(|r| r["endpoint"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = [
        Endpoint::ApiKeyInfo,
        Endpoint::JobList,
        Endpoint::JobInfo,
        Endpoint::CandidateSearch,
        Endpoint::CandidateInfo,
        Endpoint::CandidateCreate,
        Endpoint::CandidateUpdate,
        Endpoint::CandidateCreateNote,
        Endpoint::CandidateAddTag,
        Endpoint::CandidateTagList,
        Endpoint::ApplicationCreate,
        Endpoint::ApplicationList,
        Endpoint::ApplicationInfo,
        Endpoint::SourceList,
        Endpoint::UserSearch,
        Endpoint::DepartmentList,
    ]
    .iter()
    .map(|e| e.path().trim_start_matches('/'))
    .collect();
    assert_eq!(endpoints, expected);
    for entry in log {
        assert_eq!(entry["method"], "POST", "{entry}");
        assert_eq!(entry["status"], 200, "{entry}");
        assert!(entry["errorCode"].is_null(), "{entry}");
        assert_eq!(entry["key"], "Fetcher extension (sandbox)", "{entry}");
    }
}
