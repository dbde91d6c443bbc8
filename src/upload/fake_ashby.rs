//! A small stateful Ashby for the pipeline's unit tests: a [`Transport`] that keeps candidates,
//! applications and notes, answers the endpoints the pipeline calls the way the sandbox does,
//! logs every call, and injects faults before or after the call takes effect. Clones share
//! state, so a "restarted worker" can get a new client over the same Ashby.

use crate::ashby::http::{HttpRequest, HttpResponse, Transport, TransportError};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeCandidate {
    pub id: String,
    pub name: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub links: Vec<(String, String)>,
    pub application_ids: Vec<String>,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeApplication {
    pub id: String,
    pub candidate_id: String,
    pub job_id: String,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No answer in time.
    Timeout,
    /// Connection dropped.
    Network,
    /// HTTP status with an error envelope (401, 403, 429, 5xx); `Retry-After` in seconds.
    Status {
        status: u16,
        retry_after: Option<u32>,
    },
    /// HTTP 200 `success:false` with this code.
    Api(String),
}

#[derive(Debug, Clone)]
struct PendingFault {
    endpoint: String,
    fault: Fault,
    /// The call takes effect first, then the answer is replaced by the fault.
    after: bool,
}

#[derive(Debug, Default)]
pub struct FakeState {
    pub candidates: Vec<FakeCandidate>,
    pub applications: Vec<FakeApplication>,
    pub notes: Vec<(String, String)>,
    /// Job id → status; unknown jobs are Open.
    pub job_status: BTreeMap<String, String>,
    /// Every call: endpoint (without `/`) and JSON body.
    pub log: Vec<(String, Value)>,
    faults: VecDeque<PendingFault>,
    next_id: u32,
}

#[derive(Clone, Default)]
pub struct FakeAshby {
    pub state: Rc<RefCell<FakeState>>,
}

impl FakeAshby {
    pub fn new() -> Self {
        Self::default()
    }

    fn next_id(state: &mut FakeState, kind: u8) -> String {
        state.next_id += 1;
        format!("{kind:08x}-0000-4000-8000-{:012x}", state.next_id)
    }

    /// Adds a candidate; returns its id.
    pub fn seed_candidate(
        &self,
        name: &str,
        emails: &[&str],
        links: &[(&str, &str)],
        application_jobs: &[&str],
    ) -> String {
        let mut st = self.state.borrow_mut();
        let id = Self::next_id(&mut st, 2);
        let mut application_ids = Vec::new();
        for job in application_jobs {
            let app = Self::next_id(&mut st, 3);
            st.applications.push(FakeApplication {
                id: app.clone(),
                candidate_id: id.clone(),
                job_id: (*job).to_owned(),
                source_id: None,
                credited_to_user_id: None,
            });
            application_ids.push(app);
        }
        st.candidates.push(FakeCandidate {
            id: id.clone(),
            name: name.to_owned(),
            emails: emails.iter().map(|e| (*e).to_owned()).collect(),
            phones: Vec::new(),
            links: links
                .iter()
                .map(|(t, u)| ((*t).to_owned(), (*u).to_owned()))
                .collect(),
            application_ids,
            source_id: None,
            credited_to_user_id: None,
        });
        id
    }

    /// A link added in Ashby by someone else (e.g. a recruiter) after our search.
    pub fn add_social_link(&self, candidate_id: &str, kind: &str, url: &str) {
        let mut st = self.state.borrow_mut();
        if let Some(c) = st.candidates.iter_mut().find(|c| c.id == candidate_id) {
            c.links.push((kind.to_owned(), url.to_owned()));
        }
    }

    pub fn set_job_status(&self, job_id: &str, status: &str) {
        self.state
            .borrow_mut()
            .job_status
            .insert(job_id.to_owned(), status.to_owned());
    }

    /// The next call to `endpoint` (e.g. `candidate.create`) fails with `fault`, before it
    /// takes effect.
    pub fn fault(&self, endpoint: &str, fault: Fault) {
        self.push_fault(endpoint, fault, false);
    }

    /// The next call to `endpoint` takes effect, then its answer is lost as `fault`.
    pub fn fault_after(&self, endpoint: &str, fault: Fault) {
        self.push_fault(endpoint, fault, true);
    }

    fn push_fault(&self, endpoint: &str, fault: Fault, after: bool) {
        self.state.borrow_mut().faults.push_back(PendingFault {
            endpoint: endpoint.to_owned(),
            fault,
            after,
        });
    }

    /// The endpoints called so far, in order.
    pub fn calls(&self) -> Vec<String> {
        self.state
            .borrow()
            .log
            .iter()
            .map(|(e, _)| e.clone())
            .collect()
    }

    pub fn clear_log(&self) {
        self.state.borrow_mut().log.clear();
    }

    pub fn bodies(&self, endpoint: &str) -> Vec<Value> {
        self.state
            .borrow()
            .log
            .iter()
            .filter(|(e, _)| e == endpoint)
            .map(|(_, b)| b.clone())
            .collect()
    }

    pub fn candidates(&self) -> Vec<FakeCandidate> {
        self.state.borrow().candidates.clone()
    }

    pub fn applications(&self) -> Vec<FakeApplication> {
        self.state.borrow().applications.clone()
    }

    pub fn notes(&self) -> Vec<(String, String)> {
        self.state.borrow().notes.clone()
    }

    fn handle(&self, endpoint: &str, body: &Value) -> Result<Value, (String, String)> {
        let mut st = self.state.borrow_mut();
        let str_of = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_owned);
        match endpoint {
            "candidate.search" => {
                // Exact, case included: the strictest reading of an undocumented behaviour.
                let email = str_of("email").map(|e| e.trim().to_owned());
                let name = str_of("name").map(|n| n.trim().to_lowercase());
                let found: Vec<Value> = st
                    .candidates
                    .iter()
                    .filter(|c| {
                        email
                            .as_ref()
                            .is_none_or(|e| c.emails.iter().any(|x| x == e))
                    })
                    .filter(|c| {
                        name.as_ref()
                            .is_none_or(|n| c.name.to_lowercase().contains(n.as_str()))
                    })
                    .map(candidate_json)
                    .collect();
                Ok(Value::Array(found))
            }
            "candidate.info" => {
                let id = str_of("id").unwrap_or_default();
                st.candidates
                    .iter()
                    .find(|c| c.id == id)
                    .map(candidate_json)
                    .ok_or_else(|| not_found("candidate", &id))
            }
            "candidate.create" => {
                let id = Self::next_id(&mut st, 2);
                let mut emails: Vec<String> = str_of("email").into_iter().collect();
                if let Some(Value::Array(alts)) = body.get("alternateEmailAddresses") {
                    emails.extend(alts.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                let mut links = Vec::new();
                for (field, kind) in [
                    ("linkedInUrl", "LinkedIn"),
                    ("githubUrl", "GitHub"),
                    ("website", "Website"),
                ] {
                    if let Some(url) = str_of(field) {
                        links.push((kind.to_owned(), url));
                    }
                }
                let candidate = FakeCandidate {
                    id,
                    name: str_of("name").unwrap_or_default(),
                    emails,
                    phones: str_of("phoneNumber").into_iter().collect(),
                    links,
                    application_ids: Vec::new(),
                    source_id: str_of("sourceId"),
                    credited_to_user_id: str_of("creditedToUserId"),
                };
                let json = candidate_json(&candidate);
                st.candidates.push(candidate);
                Ok(json)
            }
            "candidate.update" => {
                let id = str_of("candidateId").unwrap_or_default();
                let candidate = st
                    .candidates
                    .iter_mut()
                    .find(|c| c.id == id)
                    .ok_or_else(|| not_found("candidate", &id))?;
                if let Some(Value::Array(links)) = body.get("socialLinks") {
                    candidate.links = links
                        .iter()
                        .map(|l| {
                            (
                                l["type"].as_str().unwrap_or_default().to_owned(),
                                l["url"].as_str().unwrap_or_default().to_owned(),
                            )
                        })
                        .collect();
                }
                if let Some(email) = str_of("alternateEmail") {
                    candidate.emails.push(email);
                }
                if let Some(phone) = str_of("phoneNumber") {
                    candidate.phones.push(phone);
                }
                Ok(candidate_json(candidate))
            }
            "candidate.createNote" => {
                let id = str_of("candidateId").unwrap_or_default();
                if !st.candidates.iter().any(|c| c.id == id) {
                    return Err(not_found("candidate", &id));
                }
                let note = str_of("note").unwrap_or_default();
                st.notes.push((id, note));
                let note_id = Self::next_id(&mut st, 9);
                Ok(json!({"id": note_id}))
            }
            "application.info" => {
                let id = str_of("applicationId").unwrap_or_default();
                st.applications
                    .iter()
                    .find(|a| a.id == id)
                    .map(application_json)
                    .ok_or_else(|| not_found("application", &id))
            }
            "application.create" => {
                let candidate_id = str_of("candidateId").unwrap_or_default();
                let job_id = str_of("jobId").unwrap_or_default();
                // Only documented codes (the strict reading the sandbox also takes): every
                // refusal below is `invalid_input` with Ashby-like words.
                if !st.candidates.iter().any(|c| c.id == candidate_id) {
                    return Err(refused(format!("No candidate with id {candidate_id}")));
                }
                let status = st
                    .job_status
                    .get(&job_id)
                    .cloned()
                    .unwrap_or_else(|| "Open".to_owned());
                if status != "Open" {
                    return Err(refused(format!("Job {job_id} is {status}")));
                }
                if st
                    .applications
                    .iter()
                    .any(|a| a.candidate_id == candidate_id && a.job_id == job_id)
                {
                    return Err(refused(
                        "The candidate already has an application for this job".to_owned(),
                    ));
                }
                let id = Self::next_id(&mut st, 3);
                let application = FakeApplication {
                    id: id.clone(),
                    candidate_id: candidate_id.clone(),
                    job_id,
                    source_id: str_of("sourceId"),
                    credited_to_user_id: str_of("creditedToUserId"),
                };
                let json = application_json(&application);
                st.applications.push(application);
                if let Some(c) = st.candidates.iter_mut().find(|c| c.id == candidate_id) {
                    c.application_ids.push(id);
                }
                Ok(json)
            }
            other => Err(("endpoint_not_found".to_owned(), other.to_owned())),
        }
    }
}

fn refused(message: String) -> (String, String) {
    ("invalid_input".to_owned(), message)
}

fn not_found(kind: &str, id: &str) -> (String, String) {
    (
        format!("{kind}_not_found"),
        format!("No {kind} with id {id}"),
    )
}

fn candidate_json(c: &FakeCandidate) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "primaryEmailAddress": c.emails.first().map(|e| json!({"value": e, "isPrimary": true})),
        "emailAddresses": c.emails.iter().enumerate()
            .map(|(i, e)| json!({"value": e, "isPrimary": i == 0})).collect::<Vec<_>>(),
        "phoneNumbers": c.phones.iter().map(|p| json!({"value": p})).collect::<Vec<_>>(),
        "socialLinks": c.links.iter().map(|(t, u)| json!({"type": t, "url": u})).collect::<Vec<_>>(),
        "applicationIds": c.application_ids,
        "profileUrl": format!("https://app.ashbyhq.com/candidates/{}", c.id),
    })
}

fn application_json(a: &FakeApplication) -> Value {
    json!({
        "id": a.id,
        "status": "Lead",
        "candidate": {"id": a.candidate_id},
        "job": {"id": a.job_id, "title": "A job"},
    })
}

fn response(status: u16, headers: Vec<(String, String)>, body: Value) -> HttpResponse {
    HttpResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

fn error_body(code: &str, message: &str) -> Value {
    json!({"success": false, "errors": [code],
           "errorInfo": {"code": code, "message": message, "requestId": "req-fake"}})
}

fn fault_response(fault: &Fault) -> Result<HttpResponse, TransportError> {
    match fault {
        Fault::Timeout => Err(TransportError::Timeout),
        Fault::Network => Err(TransportError::Network("connection reset".into())),
        Fault::Status {
            status,
            retry_after,
        } => {
            let headers = retry_after
                .map(|s| vec![("Retry-After".to_owned(), s.to_string())])
                .unwrap_or_default();
            let code = match status {
                401 => "unauthenticated",
                403 => "invalid_api_key",
                429 => "rate_limit_exceeded",
                _ => "internal_server_error",
            };
            Ok(response(*status, headers, error_body(code, "fault")))
        }
        Fault::Api(code) => Ok(response(200, Vec::new(), error_body(code, "refused"))),
    }
}

impl Transport for FakeAshby {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let endpoint = request
            .url
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let body: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
        self.state
            .borrow_mut()
            .log
            .push((endpoint.clone(), body.clone()));
        let fault = {
            let mut st = self.state.borrow_mut();
            let position = st.faults.iter().position(|f| f.endpoint == endpoint);
            position.and_then(|i| st.faults.remove(i))
        };
        let answer = match fault {
            Some(PendingFault {
                fault,
                after: false,
                ..
            }) => fault_response(&fault),
            Some(PendingFault {
                fault, after: true, ..
            }) => {
                let _ = self.handle(&endpoint, &body);
                fault_response(&fault)
            }
            None => Ok(match self.handle(&endpoint, &body) {
                Ok(results) => response(
                    200,
                    Vec::new(),
                    json!({"success": true, "results": results}),
                ),
                Err((code, message)) => response(200, Vec::new(), error_body(&code, &message)),
            }),
        };
        std::future::ready(answer)
    }
}
