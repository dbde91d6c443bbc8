//! The client against the project's Ashby contract (`tests/contract/ashby.json`), property
//! style: thousands of seeded, generated answers of every shape the contract allows must
//! decode, every failure shape must classify, and every request the client can build must
//! conform. A failure prints its seed; `Rng::new(seed)` reproduces it.

use ashby_sandbox::contract::{Contract, Rng};
use fetcher_ashby::ashby::envelope::classify_as;
use fetcher_ashby::ashby::http::HttpResponse;
use fetcher_ashby::ashby::types::*;
use fetcher_ashby::ashby::{AshbyClient, AshbyError, Endpoint};
use fetcher_ashby::domain::{Email, FetcherCandidate, HttpsUrl};
use fetcher_ashby::json_writer::WriteJson;
use fetcher_ashby::upload::pipeline::{contact_update_for, create_request, UploadContext};
use serde_json::{json, Map, Value};

const RUNS: u64 = 400;

/// Every endpoint the client calls, with its path name.
const CLIENT_ENDPOINTS: [Endpoint; 16] = [
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
];

fn name(endpoint: Endpoint) -> &'static str {
    endpoint.path().trim_start_matches('/')
}

fn response(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![],
        body: body.to_string(),
    }
}

/// Decodes `results` the way the client's method for `endpoint` does.
fn decode(endpoint: Endpoint, http: &HttpResponse) -> Result<(), AshbyError> {
    fn as_<T: fetcher_ashby::from_json::FromJson>(http: &HttpResponse) -> Result<(), AshbyError> {
        classify_as::<T>(http).map(|_| ())
    }
    match endpoint {
        Endpoint::ApiKeyInfo => as_::<ApiKeyInfo>(http),
        Endpoint::JobList => as_::<Vec<Job>>(http),
        Endpoint::JobInfo => as_::<Job>(http),
        Endpoint::CandidateSearch => as_::<Vec<Candidate>>(http),
        Endpoint::CandidateInfo
        | Endpoint::CandidateCreate
        | Endpoint::CandidateUpdate
        | Endpoint::CandidateAddTag => as_::<Candidate>(http),
        Endpoint::CandidateCreateNote => as_::<Note>(http),
        Endpoint::CandidateTagList => as_::<Vec<Tag>>(http),
        Endpoint::ApplicationCreate | Endpoint::ApplicationInfo => as_::<Application>(http),
        Endpoint::ApplicationList => as_::<Vec<Application>>(http),
        Endpoint::SourceList => as_::<Vec<Source>>(http),
        Endpoint::UserSearch => as_::<Vec<User>>(http),
        Endpoint::DepartmentList => as_::<Vec<Department>>(http),
    }
}

/// A success envelope around `results`, with the list fields the endpoint's pagination has
/// and, sometimes, warnings and fields added later.
fn success(contract: &Contract, endpoint: &str, results: Value, rng: &mut Rng) -> Value {
    let mut body = Map::new();
    body.insert("success".into(), json!(true));
    body.insert("results".into(), results);
    match contract.pagination(endpoint) {
        "cursor+sync" => {
            let more = rng.chance(2);
            body.insert("moreDataAvailable".into(), json!(more));
            if more {
                body.insert("nextCursor".into(), json!(rng.uuid()));
                if rng.chance(2) {
                    body.insert("syncToken".into(), Value::Null);
                }
            } else if rng.chance(2) {
                body.insert("syncToken".into(), json!(rng.uuid()));
            }
        }
        "flag" => {
            body.insert("moreDataAvailable".into(), json!(false));
        }
        _ => {}
    }
    if rng.chance(3) {
        let warnings = match rng.below(3) {
            0 => json!([]),
            1 => json!(["unable_to_add_application_metadata"]),
            _ => json!([{"code": "some_new_warning", "message": "Added later"}]),
        };
        body.insert("warnings".into(), warnings);
    }
    if rng.chance(4) {
        body.insert("envelopeFieldAddedLater".into(), json!({"x": 1}));
    }
    Value::Object(body)
}

#[test]
fn every_response_shape_the_contract_allows_decodes() {
    let contract = Contract::load();
    for endpoint in CLIENT_ENDPOINTS {
        let name = name(endpoint);
        let schema = contract
            .results_schema(name)
            .unwrap_or_else(|| panic!("{name} is in the contract"))
            .clone();
        for seed in 0..RUNS {
            let mut rng = Rng::new(seed);
            let results = contract.generate(&schema, &mut rng);
            let body = success(&contract, name, results, &mut rng);
            if let Err(error) = decode(endpoint, &response(200, &body)) {
                panic!("{name}, seed {seed}: {error}\n{body:#}");
            }
        }
    }
}

#[test]
fn custom_fields_of_every_branch_are_generated_and_decode() {
    // The union that broke job.list: make sure the generator reaches every branch of
    // `customFields[].value` and both shapes of `valueLabel`, and the client reads them.
    let contract = Contract::load();
    let schema = json!({"ref": "CustomField"});
    let mut seen_labels = [false; 2];
    let mut seen_values = std::collections::BTreeSet::new();
    for seed in 0..2_000 {
        let mut rng = Rng::new(seed);
        let field = contract.generate(&schema, &mut rng);
        match &field["valueLabel"] {
            Value::String(_) => seen_labels[0] = true,
            Value::Array(_) => seen_labels[1] = true,
            _ => {}
        }
        let kind = match &field["value"] {
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(o) if o.contains_key("currencyCode") && o.contains_key("interval") => {
                "compensation range"
            }
            Value::Object(o) if o.contains_key("minValue") => "number range",
            Value::Object(_) => "currency",
            Value::Null => "null",
        };
        seen_values.insert(kind);
        let job = json!({"success": true, "results": [{"id": "j", "title": "t", "customFields": [field]}]});
        decode(Endpoint::JobList, &response(200, &job)).unwrap_or_else(|e| panic!("{seed}: {e}"));
    }
    assert_eq!(seen_labels, [true, true]);
    for kind in [
        "boolean",
        "number",
        "string",
        "array",
        "currency",
        "number range",
        "compensation range",
    ] {
        assert!(seen_values.contains(kind), "{kind} never generated");
    }
}

#[test]
fn every_failure_shape_classifies() {
    let contract = Contract::load();
    let mut codes = contract.documented_error_codes();
    codes.push("a_code_added_later".into());
    for seed in 0..RUNS {
        let mut rng = Rng::new(seed);
        let code = rng.pick(&codes).clone();
        let message = format!("Ashby says {}", rng.text());
        let mut body = Map::new();
        body.insert("success".into(), json!(false));
        let form = rng.below(5);
        if form != 1 && form != 2 {
            body.insert(
                "errorInfo".into(),
                json!({"code": code, "message": message, "requestId": rng.uuid(), "meta": {}}),
            );
        }
        match form {
            1 => {
                body.insert("errors".into(), json!([code]));
            }
            2 => {
                body.insert("errors".into(), json!([{"message": code}]));
            }
            3 => {
                body.insert("errors".into(), json!([{"code": code, "message": message}]));
            }
            _ => {
                body.insert("errors".into(), json!([code]));
            }
        }
        let status = *rng.pick(&[200u16, 200, 400, 403, 429]);
        let body = Value::Object(body);
        let error = decode(Endpoint::JobList, &response(status, &body)).unwrap_err();
        let expected_kind = match (status, code.as_str()) {
            (429, _) | (_, "rate_limit_exceeded" | "concurrent_limit_exceeded") => "rate",
            (_, "missing_endpoint_permission") => "permission",
            (403, _) => "key",
            _ => "api",
        };
        let kind = match &error {
            AshbyError::RateLimited { .. } => "rate",
            AshbyError::MissingPermission { .. } => "permission",
            AshbyError::InvalidKey { .. } => "key",
            AshbyError::Api { code: got, .. } => {
                assert_eq!(got, &code, "seed {seed}");
                "api"
            }
            other => panic!("seed {seed}: {other:?}"),
        };
        assert_eq!(kind, expected_kind, "seed {seed}: HTTP {status} {body}");
    }
}

// ---- Requests --------------------------------------------------------------------------------

fn maybe<T>(rng: &mut Rng, value: impl FnOnce(&mut Rng) -> T) -> Option<T> {
    rng.chance(2).then(|| value(rng))
}

fn id(rng: &mut Rng) -> String {
    rng.uuid()
}

fn email(rng: &mut Rng) -> String {
    rng.pick(&["Jane.Doe@Example.com", "a@b.co", "x+y@work.example"])
        .to_string()
}

fn url(rng: &mut Rng) -> String {
    rng.pick(&[
        "https://www.linkedin.com/in/jane",
        "https://github.com/jane",
        "https://jane.dev/",
    ])
    .to_string()
}

fn link(url: &str) -> HttpsUrl {
    HttpsUrl::parse(url).unwrap()
}

fn fetcher_candidate(rng: &mut Rng) -> FetcherCandidate {
    FetcherCandidate {
        search_id: "s1".parse().unwrap(),
        candidate_id: "c1".parse().unwrap(),
        name: rng.text(),
        title: maybe(rng, ashby_sandbox::contract::Rng::text),
        company: maybe(rng, ashby_sandbox::contract::Rng::text),
        location: maybe(rng, ashby_sandbox::contract::Rng::text),
        emails: (0..rng.below(3))
            .map(|_| Email::parse(&email(rng)).unwrap())
            .collect(),
        phones: (0..rng.below(2))
            .map(|_| "+49 30 1234".to_owned())
            .collect(),
        linkedin_url: maybe(rng, |_| link("https://www.linkedin.com/in/jane")),
        github_url: maybe(rng, |_| link("https://github.com/jane")),
        website_urls: (0..rng.below(2))
            .map(|_| link("https://jane.dev"))
            .collect(),
        status: None,
        liked: false,
    }
}

/// One request of every type the client sends, with its optional fields chosen by `rng`
/// (including the pipeline's own builders), written by its own encoder as the client writes it.
fn requests(rng: &mut Rng) -> Vec<(Endpoint, Box<dyn WriteJson>)> {
    fn to<T: WriteJson + Clone + 'static>(request: &T) -> Box<dyn WriteJson> {
        Box::new(request.clone())
    }
    #[allow(clippy::redundant_closure)]
    let _ = ();
    let ctx = UploadContext {
        fetcher_source_id: maybe(rng, id),
        credited_user_id: maybe(rng, id),
    };
    let fetcher = fetcher_candidate(rng);
    let ashby: Candidate = serde_json::from_value(json!({
        "id": id(rng),
        "name": "Jane",
        "socialLinks": [{"type": "Twitter", "url": "https://x.com/jane"}],
    }))
    .unwrap();
    let update = contact_update_for(&fetcher, &ashby).unwrap_or_default();
    let statuses = [
        JobStatus::Draft,
        JobStatus::Open,
        JobStatus::Closed,
        JobStatus::Archived,
    ];
    let limit = |r: &mut Rng| 1 + r.below(100) as u32;
    vec![
        (Endpoint::ApiKeyInfo, to(&json!({}))),
        (
            Endpoint::JobList,
            to(&JobListRequest {
                status: maybe(rng, |r| vec![*r.pick(&statuses), *r.pick(&statuses)]),
                expand: maybe(rng, |_| vec![JobExpand::Location]),
                limit: maybe(rng, limit),
                cursor: maybe(rng, id),
                sync_token: maybe(rng, id),
                created_after: maybe(rng, |r| r.below(1 << 40) as i64),
                closed_after: maybe(rng, |r| r.below(1 << 40) as i64),
            }),
        ),
        (
            Endpoint::JobList,
            to(&JobListRequest::open_jobs_with_location()),
        ),
        (
            Endpoint::JobInfo,
            to(&JobInfoRequest {
                id: id(rng),
                expand: maybe(rng, |_| vec![JobExpand::Location, JobExpand::Openings]),
            }),
        ),
        (
            Endpoint::CandidateSearch,
            to(&CandidateSearchRequest::by_email(email(rng))),
        ),
        (
            Endpoint::CandidateSearch,
            to(&CandidateSearchRequest::by_name(rng.text())),
        ),
        (
            Endpoint::CandidateInfo,
            to(&CandidateInfoRequest::by_id(id(rng))),
        ),
        (
            Endpoint::CandidateCreate,
            to(&create_request(&fetcher, &ctx)),
        ),
        (
            Endpoint::CandidateCreate,
            to(&CandidateCreateRequest {
                name: rng.text(),
                email: maybe(rng, email),
                phone_number: maybe(rng, |_| "+1 555".to_owned()),
                linked_in_url: maybe(rng, url),
                github_url: maybe(rng, url),
                website: maybe(rng, url),
                alternate_email_addresses: maybe(rng, |r| vec![email(r)]),
                source_id: maybe(rng, id),
                credited_to_user_id: maybe(rng, id),
                location: maybe(rng, |r| LocationInput {
                    city: maybe(r, ashby_sandbox::contract::Rng::text),
                    region: maybe(r, ashby_sandbox::contract::Rng::text),
                    country: maybe(r, ashby_sandbox::contract::Rng::text),
                }),
                created_at: maybe(rng, |_| "2026-01-05T09:00:00.000Z".to_owned()),
            }),
        ),
        (
            Endpoint::CandidateUpdate,
            to(&CandidateUpdateRequest {
                social_links: update.social_links.clone(),
                alternate_email: update.alternate_email.as_ref().map(ToString::to_string),
                phone_number: update.phone_number.clone(),
                send_notifications: Some(false),
                ..CandidateUpdateRequest::new(id(rng))
            }),
        ),
        (
            Endpoint::CandidateUpdate,
            to(&CandidateUpdateRequest {
                name: maybe(rng, ashby_sandbox::contract::Rng::text),
                email: maybe(rng, email),
                linked_in_url: maybe(rng, url),
                github_url: maybe(rng, url),
                website_url: maybe(rng, url),
                source_id: maybe(rng, id),
                credited_to_user_id: maybe(rng, id),
                created_at: maybe(rng, |_| "2026-01-05T09:00:00.000Z".to_owned()),
                ..CandidateUpdateRequest::new(id(rng))
            }),
        ),
        (
            Endpoint::CandidateCreateNote,
            to(&CreateNoteRequest {
                candidate_id: id(rng),
                note: if rng.chance(2) {
                    NoteBody::Plain(rng.text())
                } else {
                    NoteBody::Typed {
                        r#type: *rng.pick(&[NoteContentType::PlainText, NoteContentType::Html]),
                        value: rng.text(),
                    }
                },
                send_notifications: maybe(rng, |r| r.chance(2)),
                is_private: maybe(rng, |r| r.chance(2)),
                created_at: maybe(rng, |_| "2026-01-05T09:00:00.000Z".to_owned()),
            }),
        ),
        (
            Endpoint::CandidateAddTag,
            to(&AddTagRequest {
                candidate_id: id(rng),
                tag_id: id(rng),
            }),
        ),
        (
            Endpoint::CandidateTagList,
            to(&CandidateTagListRequest {
                include_archived: maybe(rng, |r| r.chance(2)),
                limit: maybe(rng, limit),
                cursor: maybe(rng, id),
                sync_token: maybe(rng, id),
            }),
        ),
        (
            Endpoint::ApplicationCreate,
            to(&ApplicationCreateRequest {
                candidate_id: id(rng),
                job_id: id(rng),
                interview_plan_id: maybe(rng, id),
                interview_stage_id: maybe(rng, id),
                source_id: ctx.fetcher_source_id.clone(),
                credited_to_user_id: ctx.credited_user_id.clone(),
                created_at: maybe(rng, |_| "2026-01-05T09:00:00.000Z".to_owned()),
            }),
        ),
        (
            Endpoint::ApplicationList,
            to(&ApplicationListRequest {
                status: maybe(rng, |r| {
                    *r.pick(&[
                        ApplicationStatus::Lead,
                        ApplicationStatus::Active,
                        ApplicationStatus::Hired,
                        ApplicationStatus::Archived,
                    ])
                }),
                limit: maybe(rng, limit),
                cursor: maybe(rng, id),
                sync_token: maybe(rng, id),
                created_after: maybe(rng, |r| r.below(1 << 40) as i64),
                ..ApplicationListRequest::for_job(id(rng))
            }),
        ),
        (
            Endpoint::ApplicationInfo,
            to(&ApplicationInfoRequest::new(id(rng))),
        ),
        (
            Endpoint::SourceList,
            to(&SourceListRequest {
                include_archived: maybe(rng, |r| r.chance(2)),
            }),
        ),
        (
            Endpoint::UserSearch,
            to(&UserSearchRequest { email: email(rng) }),
        ),
        (
            Endpoint::DepartmentList,
            to(&DepartmentListRequest {
                include_archived: maybe(rng, |r| r.chance(2)),
                limit: maybe(rng, limit),
                cursor: maybe(rng, id),
                sync_token: maybe(rng, id),
            }),
        ),
    ]
}

#[test]
fn every_request_the_client_builds_conforms() {
    let contract = Contract::load();
    let client = AshbyClient::new(NoTransport, "key");
    let mut covered = std::collections::BTreeSet::new();
    for seed in 0..RUNS {
        let mut rng = Rng::new(seed);
        for (endpoint, body) in requests(&mut rng) {
            // The body exactly as the client sends it.
            let sent = client.build_request(endpoint, &body);
            let sent: Value = serde_json::from_str(&sent.body).unwrap();
            let name = name(endpoint);
            if let Err(violation) = contract.check_request(name, &sent) {
                panic!("{name}, seed {seed}: {violation}\n{sent:#}");
            }
            covered.insert(name);
        }
    }
    for endpoint in CLIENT_ENDPOINTS {
        assert!(covered.contains(name(endpoint)), "{endpoint:?} not covered");
    }
}

#[test]
fn every_endpoint_the_client_calls_is_in_the_contract_with_its_permission() {
    let contract = Contract::load();
    for endpoint in CLIENT_ENDPOINTS {
        let entry = contract
            .endpoint(name(endpoint))
            .unwrap_or_else(|| panic!("{endpoint:?} missing from the contract"));
        assert_eq!(
            entry["permission"].as_str(),
            Some(endpoint.permission().ashby_name()),
            "{endpoint:?}"
        );
    }
}

/// Never called: `build_request` only.
struct NoTransport;

impl fetcher_ashby::ashby::http::Transport for NoTransport {
    fn send(
        &self,
        _: fetcher_ashby::ashby::http::HttpRequest,
    ) -> impl std::future::Future<
        Output = Result<HttpResponse, fetcher_ashby::ashby::http::TransportError>,
    > {
        std::future::ready(Err(fetcher_ashby::ashby::http::TransportError::Network(
            "not used".into(),
        )))
    }
}
