//! Seeds: the demo organisation, the empty one, generated job lists, and admin `/admin/seed`.

use crate::model::*;
use crate::util::{parse_iso, valid_email, valid_url, Kind};
use serde::Deserialize;
use serde_json::{json, Value};

/// Which organisation to start from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// A realistic org: 36 jobs, 5 users, sources incl. "Fetcher", tags, 3 candidates.
    #[default]
    Demo,
    /// Only the API keys.
    Empty,
}

impl std::str::FromStr for Seed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "demo" => Ok(Seed::Demo),
            "empty" => Ok(Seed::Empty),
            other => Err(format!("unknown seed {other:?} (demo | empty)")),
        }
    }
}

/// 2026-01-05T09:00:00Z: seed objects get fixed times so dumps are reproducible.
pub const SEED_EPOCH_MS: i64 = 1_767_603_600_000;
const HOUR: i64 = 3_600_000;

/// Scopes of `sandbox-key-full`, in the `module:access` spelling of Ashby's apiKey.info example.
pub const FULL_SCOPES_COLON: &[&str] = &[
    "apiKeys:read",
    "jobs:read",
    "candidates:read",
    "candidates:write",
    "hiringProcessMetadata:read",
    "organization:read",
];

pub fn build(seed: Seed, jobs: Option<usize>) -> State {
    let mut st = State::default();
    add_keys(&mut st);
    if seed == Seed::Demo {
        demo(&mut st);
    }
    if let Some(n) = jobs {
        st.jobs.clear();
        generate_jobs(&mut st, n);
    }
    st
}

fn key(key: &str, title: &str, scopes: &[&str], disabled: bool, as200: bool) -> ApiKey {
    ApiKey {
        key: key.into(),
        title: title.into(),
        scopes: scopes
            .iter()
            .map(std::string::ToString::to_string)
            .collect(),
        disabled,
        permission_error_as_200: as200,
        default_source_id: None,
        created_at: SEED_EPOCH_MS - 24 * HOUR,
    }
}

fn add_keys(st: &mut State) {
    let camel = [
        "apiKeysRead",
        "jobsRead",
        "candidatesRead",
        "candidatesWrite",
        "hiringProcessMetadataRead",
        "organizationRead",
    ];
    st.keys = vec![
        key(
            "sandbox-key-full",
            "Fetcher extension (sandbox)",
            FULL_SCOPES_COLON,
            false,
            false,
        ),
        key(
            "sandbox-key-readonly",
            "Read-only key (sandbox)",
            &[
                "apiKeysRead",
                "jobsRead",
                "candidatesRead",
                "hiringProcessMetadataRead",
                "organizationRead",
            ],
            false,
            false,
        ),
        key(
            "sandbox-key-disabled",
            "Disabled key (sandbox)",
            &camel,
            true,
            false,
        ),
        key(
            "sandbox-key-overprivileged",
            "Over-privileged key (sandbox)",
            &[
                "apiKeysRead",
                "apiKeysWrite",
                "jobsRead",
                "jobsWrite",
                "candidatesRead",
                "candidatesWrite",
                "hiringProcessMetadataRead",
                "hiringProcessMetadataWrite",
                "organizationRead",
                "organizationWrite",
                "interviewsRead",
                "offersRead",
                "offersWrite",
                "reportsRead",
            ],
            false,
            false,
        ),
        key(
            "sandbox-key-200perm",
            "Permission errors as 200 (sandbox)",
            &["apiKeysRead"],
            false,
            true,
        ),
    ];
}

fn demo(st: &mut State) {
    let t = SEED_EPOCH_MS;
    // Users 1..=5.
    for (first, last, email, role, enabled) in [
        (
            "Riley",
            "Recruiter",
            "recruiter@fetcher-demo.example",
            "Organization Admin",
            true,
        ),
        (
            "Jane",
            "Agency",
            "jane@agency.com",
            "External Recruiter",
            true,
        ),
        (
            "Sam",
            "Patel",
            "sam.patel@fetcher-demo.example",
            "Elevated Access",
            true,
        ),
        (
            "Alex",
            "Kim",
            "alex.kim@fetcher-demo.example",
            "Limited Access",
            true,
        ),
        (
            "Dana",
            "Former",
            "dana.former@fetcher-demo.example",
            "Limited Access",
            false,
        ),
    ] {
        let id = st.next_id(Kind::User);
        st.users.push(User {
            id,
            first_name: first.into(),
            last_name: last.into(),
            email: email.into(),
            global_role: role.into(),
            is_enabled: enabled,
            updated_at: t,
        });
    }
    // Source types 1..=4 (Ashby's defaults).
    for title in ["Inbound", "Internal", "Referral", "Sourced"] {
        let id = st.next_id(Kind::SourceType);
        st.source_types.push(SourceType {
            id,
            title: title.into(),
        });
    }
    // Sources 1..=6.
    for (title, ty, archived) in [
        ("Fetcher", "Sourced", false),
        ("LinkedIn", "Sourced", false),
        ("Employee Referral", "Referral", false),
        ("Careers Page", "Inbound", false),
        ("Internal Transfer", "Internal", false),
        ("Old Job Board", "Inbound", true),
    ] {
        add_source(st, title, ty, archived, None);
    }
    // Tags 1..=5.
    for (title, archived) in [
        ("Fetcher", false),
        ("Senior", false),
        ("Silver Medalist", false),
        ("Do Not Contact", false),
        ("Legacy Import", true),
    ] {
        let id = st.next_id(Kind::Tag);
        let seq = st.bump();
        st.tags.push(Tag {
            id,
            title: title.into(),
            is_archived: archived,
            seq,
        });
    }
    // Locations 1..=6.
    for (name, city, region, country, remote, wt) in [
        ("Berlin", "Berlin", "Berlin", "Germany", false, "Hybrid"),
        (
            "London",
            "London",
            "England",
            "United Kingdom",
            false,
            "Hybrid",
        ),
        (
            "New York",
            "New York",
            "New York",
            "United States",
            false,
            "OnSite",
        ),
        ("Remote", "", "", "", true, "Remote"),
        (
            "San Francisco",
            "San Francisco",
            "California",
            "United States",
            false,
            "OnSite",
        ),
        (
            "Amsterdam",
            "Amsterdam",
            "North Holland",
            "Netherlands",
            false,
            "Hybrid",
        ),
    ] {
        let id = st.next_id(Kind::Location);
        st.locations.push(Location {
            id,
            name: name.into(),
            city: city.into(),
            region: region.into(),
            country: country.into(),
            is_remote: remote,
            workplace_type: wt.into(),
        });
    }
    // Jobs 1..=36.
    const JOBS: &[(&str, &str, &str, &str)] = &[
        ("Senior Backend Engineer", "Engineering", "Berlin", "Open"),
        ("Frontend Engineer", "Engineering", "London", "Open"),
        ("Staff Platform Engineer", "Engineering", "Remote", "Open"),
        (
            "Engineering Manager, Payments",
            "Engineering",
            "New York",
            "Open",
        ),
        ("Site Reliability Engineer", "Engineering", "Berlin", "Open"),
        ("Data Engineer", "Engineering", "Amsterdam", "Open"),
        (
            "Machine Learning Engineer",
            "Engineering",
            "San Francisco",
            "Open",
        ),
        ("Mobile Engineer (iOS)", "Engineering", "Remote", "Open"),
        ("QA Automation Engineer", "Engineering", "Berlin", "Closed"),
        ("Security Engineer", "Engineering", "London", "Open"),
        ("Account Executive, DACH", "Sales", "Berlin", "Open"),
        ("Account Executive, UK&I", "Sales", "London", "Open"),
        (
            "Sales Development Representative",
            "Sales",
            "New York",
            "Open",
        ),
        (
            "Enterprise Account Executive",
            "Sales",
            "San Francisco",
            "Open",
        ),
        ("Head of Sales, EMEA", "Sales", "London", "Draft"),
        ("Sales Engineer", "Sales", "Remote", "Open"),
        ("Product Marketing Manager", "Marketing", "New York", "Open"),
        ("Content Marketing Lead", "Marketing", "Remote", "Open"),
        ("Growth Marketing Manager", "Marketing", "Berlin", "Closed"),
        ("Demand Generation Manager", "Marketing", "London", "Open"),
        ("Product Designer", "Design", "Berlin", "Open"),
        ("Senior Product Designer", "Design", "Remote", "Open"),
        ("UX Researcher", "Design", "Amsterdam", "Open"),
        ("Brand Designer", "Design", "New York", "Archived"),
        ("Operations Manager", "Operations", "Berlin", "Open"),
        (
            "Business Operations Analyst",
            "Operations",
            "New York",
            "Open",
        ),
        ("Office Manager", "Operations", "London", "Closed"),
        (
            "Customer Success Manager",
            "Customer Success",
            "London",
            "Open",
        ),
        ("Support Engineer", "Customer Success", "Remote", "Open"),
        (
            "Implementation Consultant",
            "Customer Success",
            "Amsterdam",
            "Open",
        ),
        ("Financial Analyst", "Finance", "New York", "Open"),
        ("Senior Accountant", "Finance", "Berlin", "Open"),
        ("Talent Partner", "People", "Remote", "Open"),
        ("People Operations Specialist", "People", "London", "Open"),
        ("Chief of Staff", "Operations", "San Francisco", "Draft"),
        ("Developer Advocate", "Marketing", "Remote", "Open"),
    ];
    for (i, (title, dept, loc, status)) in JOBS.iter().enumerate() {
        let at = t + i as i64 * HOUR;
        add_job(st, title, dept, loc, status, at);
    }
    // Hiring team on a couple of jobs.
    let (u1, u3) = (st.users[0].id.clone(), st.users[2].id.clone());
    st.jobs[0].hiring_team = vec![
        (u1.clone(), "Recruiter".into()),
        (u3, "Hiring Manager".into()),
    ];
    st.jobs[1].hiring_team = vec![(u1, "Recruiter".into())];

    // Candidates 1..=3.
    let linkedin_source = st.sources[1].id.clone();
    let c1 = add_candidate(
        st,
        CandidateSeed {
            name: "Existing Person".into(),
            email: Some("existing.person@example.com".into()),
            alternate_email_addresses: vec!["existing.person@work.example".into()],
            phone_number: Some("+49 30 1234567".into()),
            position: Some("Backend Engineer".into()),
            company: Some("Acme GmbH".into()),
            ..Default::default()
        },
        t + 40 * HOUR,
    )
    .expect("seed");
    let _ = c1;
    add_candidate(
        st,
        CandidateSeed {
            name: "Linda Linkedin".into(),
            linked_in_url: Some("https://www.linkedin.com/in/existing-linkedin".into()),
            github_url: Some("https://github.com/existing-linkedin".into()),
            source_id: Some(linkedin_source),
            position: Some("Product Designer".into()),
            ..Default::default()
        },
        t + 41 * HOUR,
    )
    .expect("seed");
    let c3 = add_candidate(
        st,
        CandidateSeed {
            name: "Applied Candidate".into(),
            email: Some("applied.candidate@example.com".into()),
            ..Default::default()
        },
        t + 42 * HOUR,
    )
    .expect("seed");
    let job1 = st.jobs[0].id.clone();
    add_application(st, &c3, &job1, None, None, t + 43 * HOUR).expect("seed");
}

pub fn add_source(
    st: &mut State,
    title: &str,
    ty: &str,
    archived: bool,
    id: Option<String>,
) -> String {
    let type_id = match st
        .source_types
        .iter()
        .find(|t| t.title.eq_ignore_ascii_case(ty))
    {
        Some(t) => t.id.clone(),
        None => {
            let id = st.next_id(Kind::SourceType);
            st.source_types.push(SourceType {
                id: id.clone(),
                title: ty.into(),
            });
            id
        }
    };
    let id = id.unwrap_or_else(|| st.next_id(Kind::Source));
    st.note_id(Kind::Source, &id);
    st.sources.push(Source {
        id: id.clone(),
        title: title.into(),
        is_archived: archived,
        source_type_id: type_id,
    });
    id
}

pub fn add_job(
    st: &mut State,
    title: &str,
    dept: &str,
    loc: &str,
    status: &str,
    at: i64,
) -> String {
    let id = st.next_id(Kind::Job);
    let department_id = Some(st.department_by_name(dept));
    let location_id = Some(st.location_by_name(loc));
    let seq = st.bump();
    let n = st.jobs.len() + 1;
    st.jobs.push(Job {
        id: id.clone(),
        title: title.into(),
        status: status.into(),
        employment_type: "FullTime".into(),
        location_id,
        department_id,
        confidential: false,
        requisition_id: Some(format!("REQ-{n:04}")),
        hiring_team: vec![],
        created_at: at,
        updated_at: at,
        opened_at: (status != "Draft").then_some(at),
        closed_at: matches!(status, "Closed" | "Archived").then_some(at + 24 * HOUR),
        seq,
    });
    id
}

fn generate_jobs(st: &mut State, n: usize) {
    const TITLES: &[&str] = &[
        "Software Engineer",
        "Account Executive",
        "Product Designer",
        "Data Analyst",
        "Customer Success Manager",
        "Marketing Manager",
        "Recruiter",
        "Financial Analyst",
    ];
    const DEPTS: &[&str] = &[
        "Engineering",
        "Sales",
        "Design",
        "Operations",
        "Customer Success",
        "Marketing",
        "People",
        "Finance",
    ];
    const LOCS: &[&str] = &[
        "Berlin",
        "London",
        "New York",
        "Remote",
        "San Francisco",
        "Amsterdam",
    ];
    for i in 0..n {
        let status = if i % 50 == 49 {
            "Archived"
        } else if i % 25 == 24 {
            "Draft"
        } else if i % 10 == 9 {
            "Closed"
        } else {
            "Open"
        };
        let title = format!("{} #{}", TITLES[i % TITLES.len()], i + 1);
        add_job(
            st,
            &title,
            DEPTS[i % DEPTS.len()],
            LOCS[i % LOCS.len()],
            status,
            SEED_EPOCH_MS + i as i64 * 60_000,
        );
    }
}

/// Candidate fields accepted by the seed (same names as `candidate.create`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CandidateSeed {
    pub id: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub alternate_email_addresses: Vec<String>,
    pub phone_number: Option<String>,
    pub linked_in_url: Option<String>,
    pub github_url: Option<String>,
    pub website: Option<String>,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
    pub tag_ids: Vec<String>,
    pub position: Option<String>,
    pub company: Option<String>,
    pub school: Option<String>,
    pub location: Option<LocationSeed>,
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LocationSeed {
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

/// Adds a candidate (shared by `candidate.create` and the seeds). Validation errors are messages.
pub fn add_candidate(
    st: &mut State,
    c: CandidateSeed,
    at: i64,
) -> Result<String, (String, String)> {
    let invalid = |m: String| ("invalid_input".to_string(), m);
    if c.name.trim().is_empty() {
        return Err(invalid("'name' is required".into()));
    }
    let mut emails = vec![];
    if let Some(e) = &c.email {
        if !valid_email(e.trim()) {
            return Err(invalid(format!(
                "'email' is not a valid email address: {e:?}"
            )));
        }
        emails.push(Contact {
            value: e.trim().into(),
            kind: "Personal".into(),
            is_primary: true,
        });
    }
    for e in &c.alternate_email_addresses {
        if !valid_email(e.trim()) {
            return Err(invalid(format!(
                "'alternateEmailAddresses' has an invalid email address: {e:?}"
            )));
        }
        if emails
            .iter()
            .any(|x: &Contact| x.value.eq_ignore_ascii_case(e.trim()))
        {
            continue;
        }
        let primary = emails.is_empty();
        emails.push(Contact {
            value: e.trim().into(),
            kind: "Other".into(),
            is_primary: primary,
        });
    }
    let mut links = vec![];
    for (field, ty, v) in [
        ("linkedInUrl", "LinkedIn", &c.linked_in_url),
        ("githubUrl", "GitHub", &c.github_url),
        ("website", "Website", &c.website),
    ] {
        if let Some(u) = v {
            if !valid_url(u.trim()) {
                return Err(invalid(format!("'{field}' is not a valid URL: {u:?}")));
            }
            links.push((ty.to_string(), u.trim().to_string()));
        }
    }
    if let Some(s) = &c.source_id {
        if st.source(s).is_none() {
            return Err(("source_not_found".into(), format!("No source with id {s}")));
        }
    }
    if let Some(u) = &c.credited_to_user_id {
        match st.user(u) {
            None => return Err(("user_not_found".into(), format!("No user with id {u}"))),
            Some(user) if !user.is_enabled => return Err(invalid(deactivated_user(u))),
            Some(_) => {}
        }
    }
    for t in &c.tag_ids {
        if st.tag(t).is_none() {
            return Err(("tag_not_found".into(), format!("No tag with id {t}")));
        }
    }
    let created = match &c.created_at {
        Some(s) => parse_iso(s).ok_or_else(|| {
            invalid(format!(
                "'createdAt' must be an ISO-8601 UTC date-time, got {s:?}"
            ))
        })?,
        None => at,
    };
    let id = match c.id {
        Some(id) => {
            if st.candidate(&id).is_some() {
                return Err(invalid(format!("candidate {id} already exists")));
            }
            st.note_id(Kind::Candidate, &id);
            id
        }
        None => st.next_id(Kind::Candidate),
    };
    let seq = st.bump();
    st.candidates.push(Candidate {
        id: id.clone(),
        name: c.name.trim().into(),
        emails,
        phones: c
            .phone_number
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                vec![Contact {
                    value: p.trim().into(),
                    kind: "Personal".into(),
                    is_primary: true,
                }]
            })
            .unwrap_or_default(),
        social_links: links,
        tag_ids: c.tag_ids,
        position: c.position,
        company: c.company,
        school: c.school,
        application_ids: vec![],
        source_id: c.source_id,
        credited_to_user_id: c.credited_to_user_id,
        location: c.location.map(|l| CandidateLocation {
            city: l.city,
            region: l.region,
            country: l.country,
        }),
        created_at: created,
        updated_at: created,
        notes: vec![],
        seq,
    });
    Ok(id)
}

/// Ashby does not say whether a deactivated user may be credited; the strict reading refuses.
pub fn deactivated_user(id: &str) -> String {
    format!("creditedToUserId {id} is a deactivated user and cannot be credited")
}

/// Adds an application; enforces the same rules as `application.create`.
pub fn add_application(
    st: &mut State,
    candidate_id: &str,
    job_id: &str,
    source_id: Option<String>,
    credited_to_user_id: Option<String>,
    at: i64,
) -> Result<String, (String, String, Value)> {
    let none = || json!({});
    if st.candidate(candidate_id).is_none() {
        return Err((
            "candidate_not_found".into(),
            format!("No candidate with id {candidate_id}"),
            none(),
        ));
    }
    let Some(job) = st.job(job_id) else {
        return Err((
            "job_not_found".into(),
            format!("No job with id {job_id}"),
            none(),
        ));
    };
    if job.status != "Open" {
        return Err((
            "job_not_open".into(),
            format!(
                "Job {job_id} is {}; applications can only be created on Open jobs",
                job.status
            ),
            json!({"jobStatus": job.status}),
        ));
    }
    if let Some(s) = &source_id {
        if st.source(s).is_none() {
            return Err((
                "source_not_found".into(),
                format!("No source with id {s}"),
                none(),
            ));
        }
    }
    if let Some(u) = &credited_to_user_id {
        match st.user(u) {
            None => {
                return Err((
                    "user_not_found".into(),
                    format!("No user with id {u}"),
                    none(),
                ))
            }
            Some(user) if !user.is_enabled => {
                return Err(("invalid_input".into(), deactivated_user(u), none()))
            }
            Some(_) => {}
        }
    }
    if let Some(existing) = st
        .applications
        .iter()
        .find(|a| a.candidate_id == candidate_id && a.job_id == job_id)
    {
        return Err((
            "application_already_exists".into(),
            format!(
                "Candidate {candidate_id} already has application {} for job {job_id}",
                existing.id
            ),
            json!({"applicationId": existing.id}),
        ));
    }
    let id = st.next_id(Kind::Application);
    let seq = st.bump();
    st.applications.push(Application {
        id: id.clone(),
        candidate_id: candidate_id.into(),
        job_id: job_id.into(),
        status: "Lead".into(),
        source_id,
        credited_to_user_id,
        created_at: at,
        updated_at: at,
        seq,
    });
    let cseq = st.bump();
    let c = st.candidate_mut(candidate_id).expect("checked");
    c.application_ids.push(id.clone());
    c.updated_at = at.max(c.updated_at);
    c.seq = cseq;
    Ok(id)
}

// ---------- /admin/seed ----------

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct AdminSeed {
    pub keys: Vec<KeySeed>,
    pub users: Vec<UserSeed>,
    pub sources: Vec<SourceSeed>,
    pub tags: Vec<TagSeed>,
    pub jobs: Vec<JobSeed>,
    pub candidates: Vec<CandidateSeed>,
    pub applications: Vec<ApplicationSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySeed {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub permission_error_as200: bool,
    #[serde(default)]
    pub default_source_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSeed {
    pub id: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(default)]
    pub global_role: Option<String>,
    #[serde(default)]
    pub is_enabled: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceSeed {
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub source_type: Option<String>,
    #[serde(default)]
    pub is_archived: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagSeed {
    pub id: Option<String>,
    pub title: String,
    #[serde(default)]
    pub is_archived: bool,
}

/// A job to add, or (when `id` names an existing job) fields to change on it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobSeed {
    pub id: Option<String>,
    pub title: Option<String>,
    pub status: Option<String>,
    pub employment_type: Option<String>,
    /// Department name (created if new).
    pub department: Option<String>,
    /// Location name (created if new).
    pub location: Option<String>,
    pub confidential: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationSeed {
    pub candidate_id: String,
    pub job_id: String,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
}

const JOB_STATUSES: &[&str] = &["Draft", "Open", "Closed", "Archived"];

/// Applies an admin seed; returns the ids created/updated per kind.
pub fn apply_admin_seed(st: &mut State, s: AdminSeed, now: i64) -> Result<Value, String> {
    let mut out = json!({"keys": [], "users": [], "sources": [], "tags": [], "jobs": [], "candidates": [], "applications": []});
    let push = |out: &mut Value, k: &str, id: &str| out[k].as_array_mut().unwrap().push(json!(id));
    for k in s.keys {
        st.keys.retain(|x| x.key != k.key);
        push(&mut out, "keys", &k.key);
        st.keys.push(ApiKey {
            key: k.key,
            title: k.title,
            scopes: k.scopes,
            disabled: k.disabled,
            permission_error_as_200: k.permission_error_as200,
            default_source_id: k.default_source_id,
            created_at: now,
        });
    }
    for u in s.users {
        let id = u.id.unwrap_or_else(|| st.next_id(Kind::User));
        st.note_id(Kind::User, &id);
        st.users.retain(|x| x.id != id);
        push(&mut out, "users", &id);
        st.users.push(User {
            id,
            first_name: u.first_name,
            last_name: u.last_name,
            email: u.email,
            global_role: u.global_role.unwrap_or_else(|| "Elevated Access".into()),
            is_enabled: u.is_enabled.unwrap_or(true),
            updated_at: now,
        });
    }
    for src in s.sources {
        st.sources.retain(|x| Some(&x.id) != src.id.as_ref());
        let id = add_source(
            st,
            &src.title,
            src.source_type.as_deref().unwrap_or("Sourced"),
            src.is_archived,
            src.id,
        );
        push(&mut out, "sources", &id);
    }
    for t in s.tags {
        let id = t.id.unwrap_or_else(|| st.next_id(Kind::Tag));
        st.note_id(Kind::Tag, &id);
        st.tags.retain(|x| x.id != id);
        let seq = st.bump();
        push(&mut out, "tags", &id);
        st.tags.push(Tag {
            id,
            title: t.title,
            is_archived: t.is_archived,
            seq,
        });
    }
    for j in s.jobs {
        if let Some(status) = &j.status {
            if !JOB_STATUSES.contains(&status.as_str()) {
                return Err(format!("job status must be one of {JOB_STATUSES:?}"));
            }
        }
        let existing =
            j.id.as_ref()
                .and_then(|id| st.jobs.iter().position(|x| &x.id == id));
        let Some(idx) = existing else {
            let title = j.title.clone().ok_or("a new job needs a title")?;
            let id = add_job(
                st,
                &title,
                j.department.as_deref().unwrap_or("Engineering"),
                j.location.as_deref().unwrap_or("Remote"),
                j.status.as_deref().unwrap_or("Open"),
                now,
            );
            if let Some(want) = &j.id {
                st.note_id(Kind::Job, want);
                let last = st.jobs.last_mut().unwrap();
                last.id = want.clone();
                let _ = id;
            }
            let last = st.jobs.len() - 1;
            if let Some(c) = j.confidential {
                st.jobs[last].confidential = c;
            }
            if let Some(e) = &j.employment_type {
                st.jobs[last].employment_type = e.clone();
            }
            push(&mut out, "jobs", &st.jobs[last].id.clone());
            continue;
        };
        let dept = j.department.as_ref().map(|d| st.department_by_name(d));
        let loc = j.location.as_ref().map(|d| st.location_by_name(d));
        let seq = st.bump();
        let job = &mut st.jobs[idx];
        if let Some(t) = j.title {
            job.title = t;
        }
        if let Some(s) = j.status {
            if s == "Open" && job.opened_at.is_none() {
                job.opened_at = Some(now);
            }
            if matches!(s.as_str(), "Closed" | "Archived") && job.closed_at.is_none() {
                job.closed_at = Some(now);
            }
            job.status = s;
        }
        if let Some(e) = j.employment_type {
            job.employment_type = e;
        }
        if let Some(c) = j.confidential {
            job.confidential = c;
        }
        if dept.is_some() {
            job.department_id = dept;
        }
        if loc.is_some() {
            job.location_id = loc;
        }
        job.updated_at = now;
        job.seq = seq;
        push(&mut out, "jobs", &job.id.clone());
    }
    for c in s.candidates {
        let id = add_candidate(st, c, now).map_err(|(code, m)| format!("{code}: {m}"))?;
        push(&mut out, "candidates", &id);
    }
    for a in s.applications {
        let id = add_application(
            st,
            &a.candidate_id,
            &a.job_id,
            a.source_id,
            a.credited_to_user_id,
            now,
        )
        .map_err(|(code, m, _)| format!("{code}: {m}"))?;
        push(&mut out, "applications", &id);
    }
    Ok(out)
}
