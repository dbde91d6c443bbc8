//! Endpoint behaviour: pagination + sync, search, create/update, notes, tags, applications.

mod common;
use common::*;
use serde_json::{json, Value};

const JOB_OPEN: &str = "00000001-0000-4000-8000-000000000001";
const JOB_CLOSED: &str = "00000001-0000-4000-8000-000000000009";
const JOB_DRAFT: &str = "00000001-0000-4000-8000-00000000000f";
const SOURCE_FETCHER: &str = "00000005-0000-4000-8000-000000000001";
const USER_RECRUITER: &str = "00000004-0000-4000-8000-000000000001";

fn ids(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn job_list_paginates_with_sync_token_on_last_page_only() {
    let sb = start();
    let mut all = vec![];
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    let token = loop {
        let mut body = json!({"limit": 10, "expand": ["location"]});
        if let Some(c) = &cursor {
            body["cursor"] = json!(c);
        }
        let r = ok(&sb, "job.list", body);
        pages += 1;
        all.extend(ids(&r));
        assert!(r["results"][0]["location"]["name"].is_string());
        if r["moreDataAvailable"] == true {
            assert!(r["syncToken"].is_null(), "syncToken on a non-final page");
            cursor = Some(r["nextCursor"].as_str().unwrap().to_string());
        } else {
            assert!(r.get("nextCursor").is_none());
            break r["syncToken"]
                .as_str()
                .expect("syncToken on last page")
                .to_string();
        }
    };
    assert_eq!(pages, 4);
    assert_eq!(all.len(), 34, "36 jobs minus 2 drafts");
    assert!(!all.contains(&JOB_DRAFT.to_string()));

    // Nothing changed: the sync is empty.
    let r = ok(&sb, "job.list", json!({"syncToken": token}));
    assert_eq!(r["results"].as_array().unwrap().len(), 0);
    // Change one job, add one: the sync returns exactly those.
    let created = sb.admin().seed(json!({"jobs": [
        {"id": JOB_OPEN, "status": "Closed"},
        {"title": "Brand New Role", "department": "Design", "location": "Berlin"}
    ]}));
    let r = ok(&sb, "job.list", json!({"syncToken": token}));
    let mut got = ids(&r);
    got.sort();
    let mut want = vec![
        JOB_OPEN.to_string(),
        created["jobs"][1].as_str().unwrap().to_string(),
    ];
    want.sort();
    assert_eq!(got, want);
    assert!(r["syncToken"].is_string());
}

#[test]
fn job_list_filters_and_token_errors() {
    let sb = start();
    let r = ok(&sb, "job.list", json!({"status": ["Draft"]}));
    assert_eq!(r["results"].as_array().unwrap().len(), 2);
    let r = ok(&sb, "job.list", json!({"status": ["Open"]}));
    assert!(r["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|j| j["status"] == "Open"));
    assert!(
        r["results"][0].get("location").is_none(),
        "location only when expanded"
    );
    assert_eq!(
        call(&sb, FULL, "job.list", json!({"status": "Open"})).code(),
        "invalid_input"
    );
    assert_eq!(
        call(&sb, FULL, "job.list", json!({"limit": 101})).code(),
        "invalid_input"
    );
    assert_eq!(
        call(&sb, FULL, "job.list", json!({"cursor": "garbage"})).code(),
        "invalid_next_cursor"
    );
    assert_eq!(
        call(&sb, FULL, "job.list", json!({"syncToken": "garbage"})).code(),
        "sync_token_invalid"
    );
    // A cursor is bound to its query.
    let r = ok(&sb, "job.list", json!({"limit": 1, "status": ["Open"]}));
    let c = r["nextCursor"].as_str().unwrap();
    assert_eq!(
        call(
            &sb,
            FULL,
            "job.list",
            json!({"cursor": c, "status": ["Closed"]})
        )
        .code(),
        "invalid_next_cursor"
    );
    assert_eq!(
        call(&sb, FULL, "application.list", json!({"cursor": c})).code(),
        "invalid_next_cursor"
    );
}

#[test]
fn job_info_and_not_found() {
    let sb = start();
    let r = ok(&sb, "job.info", json!({"id": JOB_OPEN}));
    assert_eq!(r["results"]["title"], "Senior Backend Engineer");
    assert_eq!(
        call(&sb, FULL, "job.info", json!({"id": "nope"})).code(),
        "invalid_input"
    );
    assert_eq!(
        call(&sb, FULL, "job.info", json!({})).code(),
        "invalid_input"
    );
}

#[test]
fn candidate_search_matches_email_exactly_case_included() {
    let sb = start();
    let r = ok(
        &sb,
        "candidate.search",
        json!({"email": "existing.person@example.com"}),
    );
    assert_eq!(r["results"].as_array().unwrap().len(), 1);
    assert_eq!(r["results"][0]["name"], "Existing Person");
    // The strictest reading: another case is another address.
    let r = ok(
        &sb,
        "candidate.search",
        json!({"email": "Existing.Person@Example.com"}),
    );
    assert_eq!(r["results"].as_array().unwrap().len(), 0);
    // Alternate emails count too.
    let r = ok(
        &sb,
        "candidate.search",
        json!({"email": "existing.person@work.example"}),
    );
    assert_eq!(r["results"].as_array().unwrap().len(), 1);
    // AND with name.
    let r = ok(
        &sb,
        "candidate.search",
        json!({"email": "existing.person@example.com", "name": "nobody"}),
    );
    assert_eq!(r["results"].as_array().unwrap().len(), 0);
    let r = ok(&sb, "candidate.search", json!({"name": "linda"}));
    assert_eq!(
        r["results"][0]["socialLinks"][0]["url"],
        "https://www.linkedin.com/in/existing-linkedin"
    );
    assert_eq!(
        call(&sb, FULL, "candidate.search", json!({})).code(),
        "invalid_input"
    );
}

#[test]
fn candidate_create_builds_a_full_candidate() {
    let sb = start();
    let r = ok(
        &sb,
        "candidate.create",
        json!({
            "name": "Jane Doe", "email": "jane@example.com", "phoneNumber": "+1 555 0100",
            "linkedInUrl": "https://www.linkedin.com/in/jane", "githubUrl": "https://github.com/jane",
            "website": "https://jane.dev", "alternateEmailAddresses": ["jane@work.com"],
            "sourceId": SOURCE_FETCHER, "creditedToUserId": USER_RECRUITER,
            "location": {"city": "Berlin", "country": "Germany"}
        }),
    );
    let c = &r["results"];
    let id = c["id"].as_str().unwrap();
    assert_eq!(
        c["profileUrl"],
        format!("https://app.ashbyhq.com/candidates/{id}")
    );
    assert_eq!(c["primaryEmailAddress"]["value"], "jane@example.com");
    assert_eq!(c["emailAddresses"].as_array().unwrap().len(), 2);
    assert_eq!(c["socialLinks"].as_array().unwrap().len(), 3);
    assert_eq!(c["applicationIds"], json!([]));
    assert_eq!(c["source"]["title"], "Fetcher");
    assert_eq!(c["source"]["sourceType"]["title"], "Sourced");
    assert_eq!(
        c["creditedToUser"]["email"],
        "recruiter@fetcher-demo.example"
    );
    assert_eq!(c["location"]["locationSummary"], "Germany, Berlin");

    for bad in [
        json!({}),
        json!({"name": "  "}),
        json!({"name": "X", "email": "not-an-email"}),
        json!({"name": "X", "linkedInUrl": "linkedin.com/in/x"}),
        json!({"name": "X", "websiteUrl": "https://x.dev"}),
    ] {
        assert_eq!(
            call(&sb, FULL, "candidate.create", bad.clone()).code(),
            "invalid_input",
            "{bad}"
        );
    }
    assert_eq!(
        call(
            &sb,
            FULL,
            "candidate.create",
            json!({"name": "X", "sourceId": "nope"})
        )
        .code(),
        "invalid_input"
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "candidate.create",
            json!({"name": "X", "creditedToUserId": "nope"})
        )
        .code(),
        "invalid_input"
    );
    // No dedupe: the same email again makes a second candidate.
    ok(
        &sb,
        "candidate.create",
        json!({"name": "Jane Doe", "email": "jane@example.com"}),
    );
    let r = ok(
        &sb,
        "candidate.search",
        json!({"email": "jane@example.com"}),
    );
    assert_eq!(r["results"].as_array().unwrap().len(), 2);
}

#[test]
fn candidate_update_uses_its_own_field_names() {
    let sb = start();
    let id = ok(
        &sb,
        "candidate.create",
        json!({"name": "U", "linkedInUrl": "https://www.linkedin.com/in/u"}),
    )["results"]["id"]
        .clone();
    let r = ok(
        &sb,
        "candidate.update",
        json!({"candidateId": id, "websiteUrl": "https://u.dev", "alternateEmail": "u@alt.com"}),
    );
    assert_eq!(r["results"]["socialLinks"].as_array().unwrap().len(), 2);
    assert_eq!(r["results"]["emailAddresses"][0]["value"], "u@alt.com");
    // socialLinks replaces everything; linkedInUrl is then ignored.
    let r = ok(
        &sb,
        "candidate.update",
        json!({"candidateId": id, "socialLinks": [{"type": "GitHub", "url": "https://github.com/u"}],
               "linkedInUrl": "https://www.linkedin.com/in/ignored"}),
    );
    assert_eq!(
        r["results"]["socialLinks"],
        json!([{"type": "GitHub", "url": "https://github.com/u"}])
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "candidate.update",
            json!({"candidateId": "nope"})
        )
        .code(),
        "invalid_input"
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "candidate.update",
            json!({"candidateId": id, "alternateEmailAddresses": ["a@b.co"]})
        )
        .code(),
        "invalid_input"
    );
}

#[test]
fn notes_and_tags() {
    let sb = start();
    let cand = ok(
        &sb,
        "candidate.search",
        json!({"email": "applied.candidate@example.com"}),
    )["results"][0]["id"]
        .clone();
    let r = ok(
        &sb,
        "candidate.createNote",
        json!({"candidateId": cand, "note": "From Fetcher: https://app.fetcher.ai/x"}),
    );
    assert!(r["results"]["id"].is_string());
    assert_eq!(
        r["results"]["author"]["email"],
        "recruiter@fetcher-demo.example"
    );
    ok(
        &sb,
        "candidate.createNote",
        json!({"candidateId": cand, "note": {"type": "text/html", "value": "<p>Hi <b>there</b></p>"}}),
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "candidate.createNote",
            json!({"candidateId": cand})
        )
        .code(),
        "invalid_input"
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "candidate.createNote",
            json!({"candidateId": cand, "note": {"type": "text/md", "value": "x"}})
        )
        .code(),
        "invalid_input"
    );

    let tags = ok(&sb, "candidateTag.list", json!({}));
    assert_eq!(
        tags["results"].as_array().unwrap().len(),
        4,
        "archived tag hidden by default"
    );
    let tag = tags["results"][0]["id"].clone();
    let r = ok(
        &sb,
        "candidate.addTag",
        json!({"candidateId": cand, "tagId": tag}),
    );
    assert_eq!(r["results"]["tags"][0]["title"], "Fetcher");
    assert_eq!(
        call(
            &sb,
            FULL,
            "candidate.addTag",
            json!({"candidateId": cand, "tagId": "nope"})
        )
        .code(),
        "invalid_input"
    );

    let state = sb.admin().state();
    let c = state["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == cand)
        .unwrap();
    assert_eq!(c["notes"].as_array().unwrap().len(), 2);
    assert_eq!(c["notes"][1]["content"], "Hi <b>there</b>");
}

#[test]
fn application_create_rules() {
    let sb = start();
    let cand = ok(&sb, "candidate.create", json!({"name": "Applicant"}))["results"]["id"].clone();
    let r = ok(
        &sb,
        "application.create",
        json!({"candidateId": cand, "jobId": JOB_OPEN, "sourceId": SOURCE_FETCHER, "creditedToUserId": USER_RECRUITER}),
    );
    let app = &r["results"];
    assert_eq!(app["status"], "Lead");
    assert_eq!(app["candidate"]["id"], cand);
    assert_eq!(app["job"]["id"], JOB_OPEN);
    assert_eq!(app["source"]["title"], "Fetcher");
    assert_eq!(app["currentInterviewStage"]["type"], "Lead");
    let info = ok(&sb, "candidate.info", json!({"id": cand}));
    assert_eq!(info["results"]["applicationIds"], json!([app["id"]]));

    let again = call(
        &sb,
        FULL,
        "application.create",
        json!({"candidateId": cand, "jobId": JOB_OPEN}),
    );
    assert_eq!((again.status, again.code()), (200, "invalid_input"));
    // No invented code, and no invented meta pointing at the existing application: a client
    // must re-read the candidate's applications to see it.
    assert_eq!(again.json["errorInfo"]["meta"], json!({}));
    assert!(again.json["errorInfo"]["message"]
        .as_str()
        .unwrap()
        .contains("already has application"));
    assert_eq!(
        call(
            &sb,
            FULL,
            "application.create",
            json!({"candidateId": cand, "jobId": JOB_CLOSED})
        )
        .code(),
        "invalid_input"
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "application.create",
            json!({"candidateId": cand, "jobId": JOB_DRAFT})
        )
        .code(),
        "invalid_input"
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "application.create",
            json!({"candidateId": cand, "jobId": "nope"})
        )
        .code(),
        "invalid_input"
    );
    assert_eq!(
        call(
            &sb,
            FULL,
            "application.create",
            json!({"candidateId": "nope", "jobId": JOB_OPEN})
        )
        .code(),
        "invalid_input"
    );

    // application.list by job: the seeded one plus ours, paginated.
    let p1 = ok(
        &sb,
        "application.list",
        json!({"jobId": JOB_OPEN, "limit": 1}),
    );
    assert_eq!(p1["moreDataAvailable"], true);
    let p2 = ok(
        &sb,
        "application.list",
        json!({"jobId": JOB_OPEN, "limit": 1, "cursor": p1["nextCursor"]}),
    );
    assert_eq!(p2["moreDataAvailable"], false);
    assert_eq!(p2["results"][0]["id"], app["id"]);
}

#[test]
fn metadata_endpoints() {
    let sb = start();
    let r = ok(&sb, "source.list", json!({}));
    assert_eq!(r["moreDataAvailable"], false);
    assert!(r.get("nextCursor").is_none());
    let titles: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Fetcher") && !titles.contains(&"Old Job Board"));
    let r = ok(&sb, "source.list", json!({"includeArchived": true}));
    assert_eq!(r["results"].as_array().unwrap().len(), 6);

    let r = ok(
        &sb,
        "user.search",
        json!({"email": "Recruiter@Fetcher-Demo.example"}),
    );
    assert_eq!(r["results"][0]["id"], USER_RECRUITER);
    let r = ok(&sb, "user.search", json!({"email": "nobody@x.com"}));
    assert_eq!(r["results"], json!([]));
    assert_eq!(
        call(&sb, FULL, "user.search", json!({})).code(),
        "invalid_input"
    );

    let r = ok(&sb, "candidate.list", json!({"limit": 2}));
    assert_eq!(r["moreDataAvailable"], true);
}

#[test]
fn generated_and_empty_seeds() {
    let sb = ashby_sandbox::Sandbox::start(ashby_sandbox::SandboxConfig {
        seed: ashby_sandbox::Seed::Empty,
        jobs: Some(250),
        ..Default::default()
    });
    let s = sb.admin().state();
    assert_eq!(s["jobs"].as_array().unwrap().len(), 250);
    assert_eq!(s["candidates"].as_array().unwrap().len(), 0);
    let r = ok(&sb, "job.list", json!({}));
    assert_eq!(r["results"].as_array().unwrap().len(), 100);
    assert_eq!(r["moreDataAvailable"], true);
}
