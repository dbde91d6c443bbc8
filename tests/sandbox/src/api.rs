//! The Ashby endpoints: pure functions over [`State`], called under the state lock.

use crate::model::*;
use crate::seed::{add_application, add_candidate, CandidateSeed, LocationSeed};
use crate::util::*;
use serde_json::{json, Map, Value};

/// Endpoint → required permission (ashby-api.md §5). Also the list of known endpoints.
pub const ENDPOINTS: &[(&str, &str)] = &[
    ("apiKey.info", "apiKeysRead"),
    ("job.list", "jobsRead"),
    ("job.info", "jobsRead"),
    ("job.search", "jobsRead"),
    ("candidate.search", "candidatesRead"),
    ("candidate.list", "candidatesRead"),
    ("candidate.info", "candidatesRead"),
    ("candidate.listNotes", "candidatesRead"),
    ("application.list", "candidatesRead"),
    ("application.info", "candidatesRead"),
    ("candidate.create", "candidatesWrite"),
    ("candidate.update", "candidatesWrite"),
    ("candidate.createNote", "candidatesWrite"),
    ("candidate.addTag", "candidatesWrite"),
    ("application.create", "candidatesWrite"),
    ("source.list", "hiringProcessMetadataRead"),
    ("candidateTag.list", "hiringProcessMetadataRead"),
    ("user.search", "organizationRead"),
    ("user.list", "organizationRead"),
    ("user.info", "organizationRead"),
    ("location.list", "organizationRead"),
    ("department.list", "organizationRead"),
];

pub fn permission_for(endpoint: &str) -> Option<&'static str> {
    ENDPOINTS
        .iter()
        .find(|(e, _)| *e == endpoint)
        .map(|(_, p)| *p)
}

pub fn key_has(key: &ApiKey, permission: &str) -> bool {
    key.scopes.iter().any(|s| normalize_scope(s) == permission)
}

/// Successful body minus `success` (i.e. `results` plus any list fields).
pub type Out = ApiResult<Map<String, Value>>;

fn results(v: Value) -> Out {
    let mut m = Map::new();
    m.insert("results".into(), v);
    Ok(m)
}

pub fn dispatch(
    st: &mut State,
    key: &ApiKey,
    endpoint: &str,
    body: &Map<String, Value>,
    now: i64,
) -> Out {
    match endpoint {
        "apiKey.info" => {
            Body::new(body, &[])?;
            results(
                json!({"title": key.title, "createdAt": iso(key.created_at), "scopes": key.scopes}),
            )
        }
        "job.list" => job_list(st, body),
        "job.info" => {
            let b = Body::new(body, &["id", "expand", "includeUnpublishedJobPostingsIds"])?;
            let id = b.req_str("id")?;
            let (el, eo) = expand(&b)?;
            let job = st
                .job(&id)
                .ok_or_else(|| ApiError::new("job_not_found", format!("No job with id {id}")))?;
            results(st.job_json(job, el, eo))
        }
        "job.search" => {
            let b = Body::new(body, &["title", "requisitionId"])?;
            let title = b.opt_str("title")?.map(|s| s.to_lowercase());
            let req = b.opt_str("requisitionId")?;
            if title.is_none() && req.is_none() {
                return Err(ApiError::invalid(
                    "One of 'title' or 'requisitionId' is required",
                ));
            }
            let found: Vec<Value> = st
                .jobs
                .iter()
                .filter(|j| {
                    title
                        .as_ref()
                        .is_none_or(|t| j.title.to_lowercase().contains(t.as_str()))
                })
                .filter(|j| {
                    req.as_ref()
                        .is_none_or(|r| j.requisition_id.as_ref() == Some(r))
                })
                .map(|j| st.job_json(j, false, false))
                .collect();
            results(found.into())
        }
        "candidate.search" => {
            let b = Body::new(body, &["email", "name"])?;
            // Strictest reading of an undocumented behaviour: the address must equal one of
            // the candidate's emails exactly, case included (only surrounding spaces ignored).
            let email = b.opt_str("email")?.map(|s| s.trim().to_owned());
            let name = b.opt_str("name")?.map(|s| s.trim().to_lowercase());
            if email.as_deref().unwrap_or("").is_empty() && name.as_deref().unwrap_or("").is_empty()
            {
                return Err(ApiError::invalid(
                    "At least one of 'email' or 'name' is required",
                ));
            }
            let found: Vec<Value> = st
                .candidates
                .iter()
                .filter(|c| {
                    email
                        .as_ref()
                        .filter(|e| !e.is_empty())
                        .is_none_or(|e| c.emails.iter().any(|x| x.value == *e))
                })
                .filter(|c| {
                    name.as_ref()
                        .filter(|n| !n.is_empty())
                        .is_none_or(|n| c.name.to_lowercase().contains(n.as_str()))
                })
                .take(100)
                .map(|c| st.candidate_json(c))
                .collect();
            results(found.into())
        }
        "candidate.list" => {
            let b = Body::new(body, &["limit", "cursor", "syncToken", "createdAfter"])?;
            let after = b.opt_i64("createdAfter")?;
            let items = st
                .candidates
                .iter()
                .filter(|c| after.is_none_or(|a| c.created_at > a))
                .map(|c| (c.seq, st.candidate_json(c)))
                .collect();
            paginate(
                &b,
                st.seq,
                "candidate.list",
                &format!("{after:?}"),
                items,
                true,
            )
        }
        "candidate.info" => {
            let b = Body::new(body, &["id", "externalMappingId"])?;
            let c = find_candidate(st, &b)?;
            results(st.candidate_json(c))
        }
        "candidate.listNotes" => {
            let b = Body::new(
                body,
                &[
                    "candidateId",
                    "limit",
                    "cursor",
                    "syncToken",
                    "createdAfter",
                ],
            )?;
            let id = b.req_str("candidateId")?;
            let c = st.candidate(&id).ok_or_else(|| not_found_candidate(&id))?;
            let items = c.notes.iter().map(|n| (0, st.note_json(n))).collect();
            paginate(&b, st.seq, "candidate.listNotes", &id, items, false)
        }
        "candidate.create" => candidate_create(st, body, now),
        "candidate.update" => candidate_update(st, body, now),
        "candidate.createNote" => create_note(st, body, now),
        "candidate.addTag" => {
            let b = Body::new(body, &["candidateId", "tagId"])?;
            let cid = b.req_str("candidateId")?;
            let tid = b.req_str("tagId")?;
            if st.candidate(&cid).is_none() {
                return Err(not_found_candidate(&cid));
            }
            if st.tag(&tid).is_none() {
                return Err(ApiError::new(
                    "tag_not_found",
                    format!("No tag with id {tid}"),
                ));
            }
            let seq = st.bump();
            let c = st.candidate_mut(&cid).expect("checked");
            if !c.tag_ids.contains(&tid) {
                c.tag_ids.push(tid);
                c.updated_at = now;
                c.seq = seq;
            }
            let c = st.candidate(&cid).expect("checked");
            results(st.candidate_json(c))
        }
        "candidateTag.list" => {
            let b = Body::new(body, &["includeArchived", "cursor", "limit", "syncToken"])?;
            let arch = b.opt_bool("includeArchived")?.unwrap_or(false);
            let items = st
                .tags
                .iter()
                .filter(|t| arch || !t.is_archived)
                .map(|t| (t.seq, st.tag_json(t)))
                .collect();
            paginate(
                &b,
                st.seq,
                "candidateTag.list",
                &arch.to_string(),
                items,
                true,
            )
        }
        "application.create" => {
            let b = Body::new(
                body,
                &[
                    "candidateId",
                    "jobId",
                    "interviewPlanId",
                    "interviewStageId",
                    "sourceId",
                    "creditedToUserId",
                    "createdAt",
                    "applicationHistory",
                ],
            )?;
            let cid = b.req_str("candidateId")?;
            let jid = b.req_str("jobId")?;
            if let Some(p) = b.opt_str("interviewPlanId")? {
                if p != PLAN_ID {
                    return Err(ApiError::new(
                        "interview_plan_not_found",
                        format!("No interview plan with id {p}"),
                    ));
                }
            }
            if let Some(s) = b.opt_str("interviewStageId")? {
                if s != LEAD_STAGE_ID && s != "FirstPreInterviewScreen" {
                    return Err(ApiError::new(
                        "interview_stage_not_found",
                        format!("No interview stage with id {s}"),
                    ));
                }
            }
            let source = b
                .opt_str("sourceId")?
                .or_else(|| key.default_source_id.clone());
            let user = b.opt_str("creditedToUserId")?;
            let at = b.opt_time("createdAt")?.unwrap_or(now);
            let id = add_application(st, &cid, &jid, source, user, at)
                .map_err(|(code, m, meta)| ApiError::new(&code, m).meta(meta))?;
            let a = st.application(&id).expect("created");
            results(st.application_json(a))
        }
        "application.list" => {
            let b = Body::new(
                body,
                &[
                    "limit",
                    "cursor",
                    "syncToken",
                    "createdAfter",
                    "status",
                    "jobId",
                    "expand",
                ],
            )?;
            let job = b.opt_str("jobId")?;
            let after = b.opt_i64("createdAfter")?;
            let statuses = match body.get("status") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(vec![s.clone()]),
                Some(_) => b.opt_str_array("status")?,
            };
            let items = st
                .applications
                .iter()
                .filter(|a| job.as_ref().is_none_or(|j| &a.job_id == j))
                .filter(|a| after.is_none_or(|t| a.created_at > t))
                .filter(|a| statuses.as_ref().is_none_or(|s| s.contains(&a.status)))
                .map(|a| (a.seq, st.application_json(a)))
                .collect();
            let filter = format!("{job:?}{after:?}{statuses:?}");
            paginate(&b, st.seq, "application.list", &filter, items, true)
        }
        "application.info" => {
            let b = Body::new(body, &["applicationId", "expand"])?;
            let id = b.req_str("applicationId")?;
            let a = st.application(&id).ok_or_else(|| {
                ApiError::new(
                    "application_not_found",
                    format!("No application with id {id}"),
                )
            })?;
            results(st.application_json(a))
        }
        "source.list" => {
            let b = Body::new(body, &["includeArchived"])?;
            let arch = b.opt_bool("includeArchived")?.unwrap_or(false);
            let list: Vec<Value> = st
                .sources
                .iter()
                .filter(|s| arch || !s.is_archived)
                .map(|s| st.source_json(s))
                .collect();
            let mut m = results(list.into())?;
            m.insert("moreDataAvailable".into(), false.into());
            Ok(m)
        }
        "user.search" => {
            let b = Body::new(body, &["email"])?;
            let email = b.req_str("email")?.trim().to_lowercase();
            let list: Vec<Value> = st
                .users
                .iter()
                .filter(|u| u.email.to_lowercase() == email)
                .map(|u| st.user_json(u))
                .collect();
            results(list.into())
        }
        "user.list" => {
            let b = Body::new(
                body,
                &["limit", "cursor", "syncToken", "includeDeactivated"],
            )?;
            let deact = b.opt_bool("includeDeactivated")?.unwrap_or(false);
            let items = st
                .users
                .iter()
                .filter(|u| deact || u.is_enabled)
                .map(|u| (0, st.user_json(u)))
                .collect();
            paginate(&b, st.seq, "user.list", &deact.to_string(), items, false)
        }
        "user.info" => {
            let b = Body::new(body, &["userId"])?;
            let id = b.req_str("userId")?;
            let u = st
                .user(&id)
                .ok_or_else(|| ApiError::new("user_not_found", format!("No user with id {id}")))?;
            results(st.user_json(u))
        }
        "location.list" => {
            let b = Body::new(
                body,
                &[
                    "includeArchived",
                    "includeLocationHierarchy",
                    "limit",
                    "cursor",
                    "syncToken",
                ],
            )?;
            b.opt_bool("includeArchived")?;
            let hierarchy = b.opt_bool("includeLocationHierarchy")?.unwrap_or(false);
            // Locations and departments never change after the seed: one change sequence.
            let items = st
                .locations
                .iter()
                .map(|l| (1, st.location_json(l)))
                .collect();
            paginate(
                &b,
                st.seq.max(1),
                "location.list",
                &hierarchy.to_string(),
                items,
                true,
            )
        }
        "department.list" => {
            let b = Body::new(body, &["includeArchived", "limit", "cursor", "syncToken"])?;
            let arch = b.opt_bool("includeArchived")?.unwrap_or(false);
            let items = st
                .departments
                .iter()
                .map(|d| {
                    (
                        1,
                        json!({"id": d.id, "name": d.name, "isArchived": false,
                               "createdAt": iso(crate::seed::SEED_EPOCH_MS),
                               "updatedAt": iso(crate::seed::SEED_EPOCH_MS)}),
                    )
                })
                .collect();
            paginate(
                &b,
                st.seq.max(1),
                "department.list",
                &arch.to_string(),
                items,
                true,
            )
        }
        other => Err(
            ApiError::new("endpoint_not_found", format!("Unknown endpoint {other}")).status(404),
        ),
    }
}

fn not_found_candidate(id: &str) -> ApiError {
    ApiError::new("candidate_not_found", format!("No candidate with id {id}"))
}

fn find_candidate<'s>(st: &'s State, b: &Body) -> ApiResult<&'s Candidate> {
    if let Some(id) = b.opt_str("id")? {
        return st.candidate(&id).ok_or_else(|| not_found_candidate(&id));
    }
    if let Some(ext) = b.opt_str("externalMappingId")? {
        return Err(ApiError::new(
            "candidate_not_found",
            format!("No candidate with externalMappingId {ext}"),
        ));
    }
    Err(ApiError::invalid(
        "One of 'id' or 'externalMappingId' is required",
    ))
}

fn expand(b: &Body) -> ApiResult<(bool, bool)> {
    let e = b.opt_str_array("expand")?.unwrap_or_default();
    for x in &e {
        if x != "location" && x != "openings" {
            return Err(ApiError::invalid(format!(
                "Unknown expand value {x:?} (location, openings)"
            )));
        }
    }
    Ok((
        e.iter().any(|x| x == "location"),
        e.iter().any(|x| x == "openings"),
    ))
}

const JOB_STATUSES: &[&str] = &["Draft", "Open", "Closed", "Archived"];

fn job_list(st: &State, body: &Map<String, Value>) -> Out {
    let b = Body::new(
        body,
        &[
            "status",
            "limit",
            "cursor",
            "syncToken",
            "createdAfter",
            "openedAfter",
            "openedBefore",
            "closedAfter",
            "closedBefore",
            "includeUnpublishedJobPostingsIds",
            "expand",
        ],
    )?;
    let statuses = match b.opt_str_array("status")? {
        Some(s) => {
            for x in &s {
                if !JOB_STATUSES.contains(&x.as_str()) {
                    return Err(ApiError::invalid(format!(
                        "Invalid status {x:?}; expected one of Draft, Open, Closed, Archived"
                    )));
                }
            }
            s
        }
        // Default: every status except Draft (drafts come back only when asked for).
        None => vec!["Open".into(), "Closed".into(), "Archived".into()],
    };
    let (el, eo) = expand(&b)?;
    let created_after = b.opt_i64("createdAfter")?;
    let opened_after = b.opt_i64("openedAfter")?;
    let opened_before = b.opt_i64("openedBefore")?;
    let closed_after = b.opt_i64("closedAfter")?;
    let closed_before = b.opt_i64("closedBefore")?;
    b.opt_bool("includeUnpublishedJobPostingsIds")?;
    let items = st
        .jobs
        .iter()
        .filter(|j| statuses.contains(&j.status))
        .filter(|j| created_after.is_none_or(|t| j.created_at > t))
        .filter(|j| opened_after.is_none_or(|t| j.opened_at.is_some_and(|o| o > t)))
        .filter(|j| opened_before.is_none_or(|t| j.opened_at.is_some_and(|o| o < t)))
        .filter(|j| closed_after.is_none_or(|t| j.closed_at.is_some_and(|o| o > t)))
        .filter(|j| closed_before.is_none_or(|t| j.closed_at.is_some_and(|o| o < t)))
        .map(|j| (j.seq, st.job_json(j, el, eo)))
        .collect();
    let mut sorted = statuses.clone();
    sorted.sort();
    let filter = format!("{sorted:?}{created_after:?}{opened_after:?}{opened_before:?}{closed_after:?}{closed_before:?}");
    paginate(&b, st.seq, "job.list", &filter, items, true)
}

/// Cursor/sync pagination over `(seq, item)` pairs in creation order.
///
/// Cursors are opaque tokens binding endpoint, filter, offset and sync floor; a cursor from a
/// different endpoint or filter is `invalid_next_cursor`. `syncToken` is only on the last page
/// (null before); a later call with it returns only items whose seq is newer.
fn paginate(
    b: &Body,
    now_seq: u64,
    endpoint: &str,
    filter: &str,
    items: Vec<(u64, Value)>,
    sync: bool,
) -> Out {
    let limit = b.opt_i64("limit")?.unwrap_or(100);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid(format!(
            "'limit' must be between 1 and 100, got {limit}"
        )));
    }
    let limit = limit as usize;
    let (offset, since) = if let Some(c) = b.opt_str("cursor")? {
        let bad = || {
            ApiError::new(
                "invalid_next_cursor",
                "The cursor is invalid for this request; restart pagination without a cursor",
            )
        };
        let v = decode_token(&c).ok_or_else(bad)?;
        if v["t"] != "c" || v["e"] != endpoint || v["f"] != filter {
            return Err(bad());
        }
        (
            v["o"].as_u64().ok_or_else(bad)? as usize,
            v["s"].as_u64().ok_or_else(bad)?,
        )
    } else if let Some(t) = b.opt_str("syncToken")? {
        let bad = || {
            ApiError::new(
                "sync_token_invalid",
                "The sync token is invalid; drop it and run a full sync",
            )
        };
        if !sync {
            return Err(ApiError::invalid(format!(
                "{endpoint} does not support syncToken"
            )));
        }
        let v = decode_token(&t).ok_or_else(bad)?;
        if v["t"] != "s" || v["e"] != endpoint || v["f"] != filter {
            return Err(bad());
        }
        let s = v["s"].as_u64().ok_or_else(bad)?;
        if s > now_seq {
            return Err(bad());
        }
        (0, s)
    } else {
        (0, 0)
    };
    let all: Vec<Value> = items
        .into_iter()
        .filter(|(s, _)| *s > since)
        .map(|(_, v)| v)
        .collect();
    let page: Vec<Value> = all.iter().skip(offset).take(limit).cloned().collect();
    let more = offset + limit < all.len();
    let mut m = results(page.into())?;
    m.insert("moreDataAvailable".into(), more.into());
    if more {
        let c = json!({"t": "c", "e": endpoint, "f": filter, "o": offset + limit, "s": since});
        m.insert("nextCursor".into(), encode_token(&c).into());
        if sync {
            m.insert("syncToken".into(), Value::Null);
        }
    } else if sync {
        let t = json!({"t": "s", "e": endpoint, "f": filter, "s": now_seq});
        m.insert("syncToken".into(), encode_token(&t).into());
    }
    Ok(m)
}

fn parse_location(b: &Body) -> ApiResult<Option<LocationSeed>> {
    match b.map.get("location") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(o)) => {
            let lb = Body::new(o, &["city", "region", "country"])
                .map_err(|e| ApiError::invalid(format!("location: {}", e.message)))?;
            Ok(Some(LocationSeed {
                city: lb.opt_str("city")?,
                region: lb.opt_str("region")?,
                country: lb.opt_str("country")?,
            }))
        }
        Some(_) => Err(ApiError::invalid(
            "'location' must be an object {city, region, country}",
        )),
    }
}

fn candidate_create(st: &mut State, body: &Map<String, Value>, now: i64) -> Out {
    let b = Body::new(
        body,
        &[
            "name",
            "email",
            "phoneNumber",
            "linkedInUrl",
            "githubUrl",
            "website",
            "alternateEmailAddresses",
            "sourceId",
            "creditedToUserId",
            "location",
            "createdAt",
        ],
    )?;
    let seed = CandidateSeed {
        id: None,
        name: b.req_str("name")?,
        email: b.opt_email("email")?,
        alternate_email_addresses: b
            .opt_str_array("alternateEmailAddresses")?
            .unwrap_or_default(),
        phone_number: b.opt_str("phoneNumber")?,
        linked_in_url: b.opt_url("linkedInUrl")?,
        github_url: b.opt_url("githubUrl")?,
        website: b.opt_url("website")?,
        source_id: b.opt_str("sourceId")?,
        credited_to_user_id: b.opt_str("creditedToUserId")?,
        tag_ids: vec![],
        position: None,
        company: None,
        school: None,
        location: parse_location(&b)?,
        created_at: {
            b.opt_time("createdAt")?;
            b.opt_str("createdAt")?
        },
    };
    let id = add_candidate(st, seed, now).map_err(|(code, m)| ApiError::new(&code, m))?;
    results(st.candidate_json(st.candidate(&id).expect("created")))
}

const LINK_TYPES: &[&str] = &[
    "LinkedIn",
    "GitHub",
    "Twitter",
    "Medium",
    "StackOverflow",
    "YouTube",
    "CodePen",
    "Website",
];

fn candidate_update(st: &mut State, body: &Map<String, Value>, now: i64) -> Out {
    let b = Body::new(
        body,
        &[
            "candidateId",
            "name",
            "email",
            "phoneNumber",
            "linkedInUrl",
            "githubUrl",
            "websiteUrl",
            "alternateEmail",
            "socialLinks",
            "sourceId",
            "creditedToUserId",
            "location",
            "createdAt",
            "sendNotifications",
        ],
    )?;
    let id = b.req_str("candidateId")?;
    if st.candidate(&id).is_none() {
        return Err(not_found_candidate(&id));
    }
    let name = b.opt_str("name")?;
    if name.as_ref().is_some_and(|n| n.trim().is_empty()) {
        return Err(ApiError::invalid("'name' must not be empty"));
    }
    let email = b.opt_email("email")?;
    let alt = b.opt_email("alternateEmail")?;
    let phone = b.opt_str("phoneNumber")?;
    let li = b.opt_url("linkedInUrl")?;
    let gh = b.opt_url("githubUrl")?;
    let web = b.opt_url("websiteUrl")?;
    let social = match body.get("socialLinks") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => {
            let mut out = vec![];
            for l in a {
                let o = l.as_object().ok_or_else(|| {
                    ApiError::invalid("'socialLinks' entries must be {type, url}")
                })?;
                let lb = Body::new(o, &["type", "url"])
                    .map_err(|e| ApiError::invalid(format!("socialLinks: {}", e.message)))?;
                let ty = lb.req_str("type")?;
                if !LINK_TYPES.contains(&ty.as_str()) {
                    return Err(ApiError::invalid(format!(
                        "socialLinks: unknown type {ty:?} ({})",
                        LINK_TYPES.join(", ")
                    )));
                }
                let url = lb
                    .opt_url("url")?
                    .ok_or_else(|| ApiError::invalid("socialLinks: 'url' is required"))?;
                out.push((ty, url));
            }
            Some(out)
        }
        Some(_) => return Err(ApiError::invalid("'socialLinks' must be an array")),
    };
    let source = b.opt_str("sourceId")?;
    if let Some(s) = &source {
        if st.source(s).is_none() {
            return Err(ApiError::new(
                "source_not_found",
                format!("No source with id {s}"),
            ));
        }
    }
    let user = b.opt_str("creditedToUserId")?;
    if let Some(u) = &user {
        match st.user(u) {
            None => {
                return Err(ApiError::new(
                    "user_not_found",
                    format!("No user with id {u}"),
                ))
            }
            Some(found) if !found.is_enabled => {
                return Err(ApiError::invalid(crate::seed::deactivated_user(u)))
            }
            Some(_) => {}
        }
    }
    let location = parse_location(&b)?;
    let created = b.opt_time("createdAt")?;
    b.opt_bool("sendNotifications")?;

    let seq = st.bump();
    let c = st.candidate_mut(&id).expect("checked");
    if let Some(n) = name {
        c.name = n.trim().into();
    }
    if let Some(e) = email {
        c.emails.retain(|x| !x.value.eq_ignore_ascii_case(&e));
        for x in &mut c.emails {
            x.is_primary = false;
        }
        c.emails.insert(
            0,
            Contact {
                value: e,
                kind: "Personal".into(),
                is_primary: true,
            },
        );
    }
    if let Some(a) = alt {
        if !c.emails.iter().any(|x| x.value.eq_ignore_ascii_case(&a)) {
            let primary = c.emails.is_empty();
            c.emails.push(Contact {
                value: a,
                kind: "Other".into(),
                is_primary: primary,
            });
        }
    }
    if let Some(p) = phone {
        c.phones.retain(|x| !x.is_primary);
        c.phones.insert(
            0,
            Contact {
                value: p,
                kind: "Personal".into(),
                is_primary: true,
            },
        );
    }
    match social {
        // socialLinks replaces every link; linkedInUrl/githubUrl/websiteUrl are then ignored.
        Some(links) => c.social_links = links,
        None => {
            for (ty, v) in [("LinkedIn", li), ("GitHub", gh), ("Website", web)] {
                if let Some(u) = v {
                    c.social_links.retain(|(t, _)| t != ty);
                    c.social_links.push((ty.into(), u));
                }
            }
        }
    }
    if source.is_some() {
        c.source_id = source;
    }
    if user.is_some() {
        c.credited_to_user_id = user;
    }
    if let Some(l) = location {
        c.location = Some(CandidateLocation {
            city: l.city,
            region: l.region,
            country: l.country,
        });
    }
    if let Some(t) = created {
        c.created_at = t;
    }
    c.updated_at = now;
    c.seq = seq;
    results(st.candidate_json(st.candidate(&id).expect("checked")))
}

fn create_note(st: &mut State, body: &Map<String, Value>, now: i64) -> Out {
    let b = Body::new(
        body,
        &[
            "candidateId",
            "note",
            "sendNotifications",
            "isPrivate",
            "createdAt",
        ],
    )?;
    let id = b.req_str("candidateId")?;
    let (content, ty) = match body.get("note") {
        Some(Value::String(s)) if !s.trim().is_empty() => (s.clone(), "text/plain".to_string()),
        Some(Value::Object(o)) => {
            let nb = Body::new(o, &["type", "value"])
                .map_err(|e| ApiError::invalid(format!("note: {}", e.message)))?;
            let ty = nb.req_str("type")?;
            let value = nb.req_str("value")?;
            match ty.as_str() {
                "text/plain" => (value, ty),
                "text/html" => (sanitize_note_html(&value), ty),
                _ => {
                    return Err(ApiError::invalid(format!(
                        "note.type must be text/plain or text/html, got {ty:?}"
                    )))
                }
            }
        }
        _ => {
            return Err(ApiError::invalid(
                "'note' is required: a string or {type, value}",
            ))
        }
    };
    let private = b.opt_bool("isPrivate")?.unwrap_or(false);
    b.opt_bool("sendNotifications")?;
    let at = b.opt_time("createdAt")?.unwrap_or(now);
    if st.candidate(&id).is_none() {
        return Err(not_found_candidate(&id));
    }
    let note_id = st.next_id(Kind::Note);
    // Notes are authored by the organisation's first user (the API's service user stand-in).
    let author = st.users.first().map(|u| u.id.clone());
    let note = Note {
        id: note_id,
        created_at: at,
        is_private: private,
        content,
        content_type: ty,
        author_id: author,
    };
    let out = st.note_json(&note);
    st.candidate_mut(&id).expect("checked").notes.push(note);
    results(out)
}
