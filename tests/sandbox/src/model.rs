//! In-memory organisation state and its rendering as Ashby JSON objects.

use crate::util::{iso, make_id, Kind};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct ApiKey {
    pub key: String,
    pub title: String,
    /// As spelled when created (`candidatesRead` or `candidates:read`); compared normalised.
    pub scopes: Vec<String>,
    pub disabled: bool,
    /// Answer `missing_endpoint_permission` as HTTP 200 `success:false` instead of 403.
    pub permission_error_as_200: bool,
    /// Ashby keys can carry a default source for applications they create.
    pub default_source_id: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub global_role: String,
    pub is_enabled: bool,
    pub updated_at: i64,
}

#[derive(Debug, Clone)]
pub struct SourceType {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub is_archived: bool,
    pub source_type_id: String,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub id: String,
    pub title: String,
    pub is_archived: bool,
    pub seq: u64,
}

#[derive(Debug, Clone)]
pub struct Department {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Location {
    pub id: String,
    pub name: String,
    pub city: String,
    pub region: String,
    pub country: String,
    pub is_remote: bool,
    pub workplace_type: String,
}

#[derive(Debug, Clone)]
pub struct Job {
    pub id: String,
    pub title: String,
    pub status: String,
    pub employment_type: String,
    pub location_id: Option<String>,
    pub department_id: Option<String>,
    pub confidential: bool,
    pub requisition_id: Option<String>,
    pub hiring_team: Vec<(String, String)>, // (userId, role)
    pub created_at: i64,
    pub updated_at: i64,
    pub opened_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub seq: u64,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub value: String,
    pub kind: String,
    pub is_primary: bool,
}

#[derive(Debug, Clone)]
pub struct Note {
    pub id: String,
    pub created_at: i64,
    pub is_private: bool,
    pub content: String,
    pub content_type: String,
    pub author_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CandidateLocation {
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub emails: Vec<Contact>,
    pub phones: Vec<Contact>,
    pub social_links: Vec<(String, String)>, // (type, url)
    pub tag_ids: Vec<String>,
    pub position: Option<String>,
    pub company: Option<String>,
    pub school: Option<String>,
    pub application_ids: Vec<String>,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
    pub location: Option<CandidateLocation>,
    pub created_at: i64,
    pub updated_at: i64,
    pub notes: Vec<Note>,
    pub seq: u64,
}

#[derive(Debug, Clone)]
pub struct Application {
    pub id: String,
    pub candidate_id: String,
    pub job_id: String,
    pub status: String,
    pub source_id: Option<String>,
    pub credited_to_user_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub seq: u64,
}

/// Everything the fake organisation holds. Cloned for `reset`.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Change sequence: every created/changed listable object gets the next value.
    pub seq: u64,
    counters: [u64; 16],
    pub keys: Vec<ApiKey>,
    pub users: Vec<User>,
    pub source_types: Vec<SourceType>,
    pub sources: Vec<Source>,
    pub tags: Vec<Tag>,
    pub departments: Vec<Department>,
    pub locations: Vec<Location>,
    pub jobs: Vec<Job>,
    pub candidates: Vec<Candidate>,
    pub applications: Vec<Application>,
    /// Leave `customFields` empty on candidates, jobs and applications (`/admin/custom-fields`
    /// or `--custom-fields off`). Off only for a test that needs it: real organisations have
    /// custom fields, so the default is on.
    pub custom_fields_off: bool,
}

pub const PLAN_ID: &str = "0000000c-0000-4000-8000-000000000001";
pub const LEAD_STAGE_ID: &str = "0000000b-0000-4000-8000-000000000001";

impl State {
    pub fn next_id(&mut self, kind: Kind) -> String {
        let c = &mut self.counters[kind as usize];
        *c += 1;
        make_id(kind, *c)
    }

    pub fn bump(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Makes sure counters stay ahead of explicitly supplied ids of our own format.
    pub fn note_id(&mut self, kind: Kind, id: &str) {
        let prefix = format!("{:08x}-0000-4000-8000-", kind as u32);
        if let Some(n) = id
            .strip_prefix(&prefix)
            .and_then(|t| u64::from_str_radix(t, 16).ok())
        {
            let c = &mut self.counters[kind as usize];
            *c = (*c).max(n);
        }
    }

    pub fn key(&self, key: &str) -> Option<&ApiKey> {
        self.keys.iter().find(|k| k.key == key)
    }
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
    pub fn tag(&self, id: &str) -> Option<&Tag> {
        self.tags.iter().find(|s| s.id == id)
    }
    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }
    pub fn candidate(&self, id: &str) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.id == id)
    }
    pub fn candidate_mut(&mut self, id: &str) -> Option<&mut Candidate> {
        self.candidates.iter_mut().find(|c| c.id == id)
    }
    pub fn application(&self, id: &str) -> Option<&Application> {
        self.applications.iter().find(|c| c.id == id)
    }
    pub fn location(&self, id: &str) -> Option<&Location> {
        self.locations.iter().find(|c| c.id == id)
    }

    pub fn department_by_name(&mut self, name: &str) -> String {
        if let Some(d) = self
            .departments
            .iter()
            .find(|d| d.name.eq_ignore_ascii_case(name))
        {
            return d.id.clone();
        }
        let id = self.next_id(Kind::Department);
        self.departments.push(Department {
            id: id.clone(),
            name: name.to_string(),
        });
        id
    }

    pub fn location_by_name(&mut self, name: &str) -> String {
        if let Some(l) = self
            .locations
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(name))
        {
            return l.id.clone();
        }
        let id = self.next_id(Kind::Location);
        let remote = name.to_ascii_lowercase().contains("remote");
        self.locations.push(Location {
            id: id.clone(),
            name: name.to_string(),
            city: if remote {
                String::new()
            } else {
                name.to_string()
            },
            region: String::new(),
            country: String::new(),
            is_remote: remote,
            workplace_type: if remote { "Remote" } else { "OnSite" }.to_string(),
        });
        id
    }

    // ---------- rendering ----------

    pub fn user_json(&self, u: &User) -> Value {
        json!({
            "id": u.id, "firstName": u.first_name, "lastName": u.last_name, "email": u.email,
            "globalRole": u.global_role, "isEnabled": u.is_enabled, "updatedAt": iso(u.updated_at),
        })
    }

    pub fn user_json_by_id(&self, id: Option<&String>) -> Value {
        id.and_then(|id| self.user(id))
            .map_or(Value::Null, |u| self.user_json(u))
    }

    pub fn source_json(&self, s: &Source) -> Value {
        let st = self.source_types.iter().find(|t| t.id == s.source_type_id);
        json!({
            "id": s.id, "title": s.title, "isArchived": s.is_archived,
            "sourceType": st.map(|t| json!({"id": t.id, "title": t.title, "isArchived": false})),
        })
    }

    pub fn source_json_by_id(&self, id: Option<&String>) -> Value {
        id.and_then(|id| self.source(id))
            .map_or(Value::Null, |s| self.source_json(s))
    }

    pub fn tag_json(&self, t: &Tag) -> Value {
        json!({"id": t.id, "title": t.title, "isArchived": t.is_archived})
    }

    pub fn location_json(&self, l: &Location) -> Value {
        json!({
            "id": l.id, "name": l.name, "isArchived": false, "isRemote": l.is_remote,
            "workplaceType": l.workplace_type,
            "address": {"postalAddress": {
                "addressCountry": l.country, "addressRegion": l.region, "addressLocality": l.city,
            }},
        })
    }

    pub fn job_json(&self, j: &Job, expand_location: bool, expand_openings: bool) -> Value {
        let hiring_team: Vec<Value> = j
            .hiring_team
            .iter()
            .filter_map(|(uid, role)| {
                self.user(uid).map(|u| {
                    json!({"userId": u.id, "email": u.email, "firstName": u.first_name,
                           "lastName": u.last_name, "role": role})
                })
            })
            .collect();
        let mut v = json!({
            "id": j.id, "title": j.title, "confidential": j.confidential, "status": j.status,
            "employmentType": j.employment_type, "locationId": j.location_id,
            "departmentId": j.department_id, "defaultInterviewPlanId": PLAN_ID,
            "interviewPlanIds": [PLAN_ID], "customFields": self.custom_fields("job", &j.id),
            "jobPostingIds": [],
            "customRequisitionId": j.requisition_id, "brandId": null, "hiringTeam": hiring_team,
            "author": null, "createdAt": iso(j.created_at), "updatedAt": iso(j.updated_at),
            "openedAt": j.opened_at.map(iso), "closedAt": j.closed_at.map(iso),
        });
        if expand_location {
            v["location"] = j
                .location_id
                .as_ref()
                .and_then(|id| self.location(id))
                .map_or(Value::Null, |l| self.location_json(l));
        }
        if expand_openings {
            v["openings"] = json!([]);
        }
        v
    }

    fn contact_json(c: &Contact) -> Value {
        json!({"value": c.value, "type": c.kind, "isPrimary": c.is_primary})
    }

    pub fn candidate_json(&self, c: &Candidate) -> Value {
        let primary_email = c
            .emails
            .iter()
            .find(|e| e.is_primary)
            .map(Self::contact_json);
        let primary_phone = c
            .phones
            .iter()
            .find(|e| e.is_primary)
            .map(Self::contact_json);
        let location = c.location.as_ref().map(|l| {
            let mut comps = vec![];
            let mut summary = vec![];
            for (t, v) in [
                ("Country", &l.country),
                ("Region", &l.region),
                ("City", &l.city),
            ] {
                if let Some(v) = v {
                    comps.push(json!({"type": t, "name": v}));
                    summary.push(v.clone());
                }
            }
            json!({"id": format!("loc-{}", c.id), "locationSummary": summary.join(", "),
                   "locationComponents": comps})
        });
        json!({
            "id": c.id, "name": c.name,
            "createdAt": iso(c.created_at), "updatedAt": iso(c.updated_at),
            "primaryEmailAddress": primary_email,
            "emailAddresses": c.emails.iter().map(Self::contact_json).collect::<Vec<_>>(),
            "primaryPhoneNumber": primary_phone,
            "phoneNumbers": c.phones.iter().map(Self::contact_json).collect::<Vec<_>>(),
            "socialLinks": c.social_links.iter().map(|(t, u)| json!({"type": t, "url": u})).collect::<Vec<_>>(),
            "tags": c.tag_ids.iter().filter_map(|id| self.tag(id)).map(|t| self.tag_json(t)).collect::<Vec<_>>(),
            "position": c.position, "company": c.company, "school": c.school,
            "applicationIds": c.application_ids,
            "resumeFileHandle": null, "fileHandles": [],
            "customFields": self.custom_fields("candidate", &c.id),
            "profileUrl": format!("https://app.ashbyhq.com/candidates/{}", c.id),
            "source": self.source_json_by_id(c.source_id.as_ref()),
            "creditedToUser": self.user_json_by_id(c.credited_to_user_id.as_ref()),
            "timezone": null,
            "location": location,
            "fraudStatus": null,
        })
    }

    pub fn note_json(&self, n: &Note) -> Value {
        let author = n.author_id.as_ref().and_then(|id| self.user(id)).map(|u| {
            json!({"id": u.id, "firstName": u.first_name, "lastName": u.last_name, "email": u.email})
        });
        json!({"id": n.id, "createdAt": iso(n.created_at), "isPrivate": n.is_private,
               "content": n.content, "author": author})
    }

    pub fn application_json(&self, a: &Application) -> Value {
        let cand = self.candidate(&a.candidate_id);
        let job = self.job(&a.job_id);
        json!({
            "id": a.id, "createdAt": iso(a.created_at), "updatedAt": iso(a.updated_at),
            "status": a.status, "customFields": self.custom_fields("application", &a.id),
            "candidate": cand.map(|c| json!({
                "id": c.id, "name": c.name,
                "primaryEmailAddress": c.emails.iter().find(|e| e.is_primary).map(Self::contact_json),
                "primaryPhoneNumber": c.phones.iter().find(|e| e.is_primary).map(Self::contact_json),
            })),
            "currentInterviewStage": {
                "id": LEAD_STAGE_ID, "title": "Lead", "type": "Lead", "orderInInterviewPlan": 0,
                "interviewStageGroupId": null, "interviewPlanId": PLAN_ID,
            },
            "source": self.source_json_by_id(a.source_id.as_ref()),
            "archiveReason": null, "archivedAt": null,
            "job": job.map(|j| json!({"id": j.id, "title": j.title, "locationId": j.location_id,
                                       "departmentId": j.department_id})),
            "creditedToUser": self.user_json_by_id(a.credited_to_user_id.as_ref()),
            "hiringTeam": [], "appliedViaJobPostingId": null,
        })
    }

    /// One value of every custom field type Ashby's spec allows (boolean, number, string, long
    /// text, date, currency, value select with a string label, multi-value select with an
    /// array label, number range, compensation range), varied per object so lists differ.
    pub fn custom_fields(&self, kind: &str, id: &str) -> Value {
        if self.custom_fields_off {
            return json!([]);
        }
        let n = id
            .bytes()
            .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
        let pick = |options: &[&'static str]| options[(n as usize) % options.len()];
        let field = |index: u32, title: &str, private: bool, value: Value| {
            json!({"id": format!("0000000d-0000-4000-8000-{index:012x}"), "title": format!("{title} ({kind})"),
                   "isPrivate": private, "value": value})
        };
        let level = pick(&["Junior", "Mid-level", "Senior", "Staff"]);
        let languages: Vec<&str> = ["English", "German", "Spanish", "French"]
            .into_iter()
            .take(1 + (n as usize) % 3)
            .collect();
        let mut select = field(
            7,
            "Seniority",
            false,
            json!(format!("option-{}", level.to_lowercase())),
        );
        select["valueLabel"] = json!(level);
        let mut multi = field(
            8,
            "Languages",
            false,
            json!(languages
                .iter()
                .map(|l| format!("option-{}", l.to_lowercase()))
                .collect::<Vec<_>>()),
        );
        multi["valueLabel"] = json!(languages);
        json!([
            field(1, "Open to relocation", false, json!(n % 2 == 0)),
            field(2, "Years of experience", false, json!(n % 15)),
            field(
                3,
                "Referral code",
                false,
                json!(format!("REF-{:04}", n % 10_000))
            ),
            field(
                4,
                "Recruiter summary",
                true,
                json!("Strong systems background.\nPrefers hybrid work.")
            ),
            field(
                5,
                "Available from",
                false,
                json!(format!("2026-{:02}-01T00:00:00.000Z", 1 + n % 12))
            ),
            field(
                6,
                "Salary expectation",
                true,
                json!({"value": 60_000 + (n % 50) * 1_000, "currencyCode": pick(&["EUR", "USD", "GBP"])})
            ),
            select,
            multi,
            field(
                9,
                "Team size",
                false,
                json!({"type": "number-range", "minValue": 3, "maxValue": 8 + n % 5})
            ),
            field(
                10,
                "Budget",
                true,
                json!({"type": "compensation-range", "minValue": 70_000, "maxValue": 95_000,
                                                "currencyCode": "EUR", "interval": "1 YEAR"})
            ),
        ])
    }

    /// The full dump served by `GET /admin/state`.
    pub fn dump(&self) -> Value {
        json!({
            "seq": self.seq,
            "keys": self.keys.iter().map(|k| json!({
                "key": k.key, "title": k.title, "scopes": k.scopes, "disabled": k.disabled,
                "permissionErrorAs200": k.permission_error_as_200,
                "defaultSourceId": k.default_source_id, "createdAt": iso(k.created_at),
            })).collect::<Vec<_>>(),
            "users": self.users.iter().map(|u| self.user_json(u)).collect::<Vec<_>>(),
            "sources": self.sources.iter().map(|s| self.source_json(s)).collect::<Vec<_>>(),
            "tags": self.tags.iter().map(|t| self.tag_json(t)).collect::<Vec<_>>(),
            "departments": self.departments.iter().map(|d| json!({"id": d.id, "name": d.name})).collect::<Vec<_>>(),
            "locations": self.locations.iter().map(|l| self.location_json(l)).collect::<Vec<_>>(),
            "jobs": self.jobs.iter().map(|j| self.job_json(j, true, false)).collect::<Vec<_>>(),
            "candidates": self.candidates.iter().map(|c| {
                let mut v = self.candidate_json(c);
                v["notes"] = c.notes.iter().map(|n| {
                    let mut nv = self.note_json(n);
                    nv["type"] = json!(n.content_type);
                    nv
                }).collect::<Vec<_>>().into();
                v
            }).collect::<Vec<_>>(),
            "applications": self.applications.iter().map(|a| self.application_json(a)).collect::<Vec<_>>(),
        })
    }
}

/// `candidates:read` → `candidatesRead`; camelCase passes through.
pub fn normalize_scope(s: &str) -> String {
    match s.split_once(':') {
        Some((module, access)) => {
            let mut a = access.chars();
            let cap = a
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + a.as_str())
                .unwrap_or_default();
            format!("{module}{cap}")
        }
        None => s.to_string(),
    }
}
