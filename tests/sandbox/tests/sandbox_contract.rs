//! The sandbox against the project's Ashby contract (`tests/contract/ashby.json`): its
//! answers, custom fields, the pagination of `department.list` and `location.list`, and the
//! strict readings listed in the README's assumptions.

mod common;

use ashby_sandbox::contract::Contract;
use common::*;
use serde_json::{json, Value};

/// Reads every page of a list with `limit`, checking the envelope rules on each.
fn all_pages(sb: &ashby_sandbox::Sandbox, endpoint: &str, limit: u64) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut body = json!({"limit": limit});
    for pages in 1..=100 {
        let page = ok(sb, endpoint, body.clone());
        let results = page["results"].as_array().expect("results").clone();
        assert!(results.len() as u64 <= limit);
        items.extend(results);
        if page["moreDataAvailable"] == json!(true) {
            assert!(
                page["syncToken"].is_null(),
                "no syncToken before the last page"
            );
            let cursor = page["nextCursor"]
                .as_str()
                .expect("a cursor with more data");
            body = json!({"limit": limit, "cursor": cursor});
        } else {
            assert!(page["syncToken"].is_string(), "syncToken on the last page");
            assert!(page.get("nextCursor").is_none());
            return (items, pages);
        }
    }
    panic!("{endpoint} never ended");
}

#[test]
fn departments_and_locations_paginate_like_the_other_lists() {
    let sb = start();
    for endpoint in ["department.list", "location.list"] {
        let (everything, one_page) = all_pages(&sb, endpoint, 100);
        assert_eq!(one_page, 1);
        let (paged, pages) = all_pages(&sb, endpoint, 2);
        assert!(pages > 2, "{endpoint}: {pages} pages");
        assert_eq!(
            paged, everything,
            "{endpoint}: the same items, page by page"
        );
        let contract = Contract::load();
        contract
            .check_results(endpoint, &Value::Array(everything))
            .unwrap();
        // limit ≤ 100, as the spec says.
        assert_eq!(
            call(&sb, FULL, endpoint, json!({"limit": 101})).code(),
            "invalid_input"
        );
        // A later sync returns nothing new: departments and locations do not change.
        let last = ok(&sb, endpoint, json!({}));
        let token = last["syncToken"].as_str().unwrap();
        let since = ok(&sb, endpoint, json!({"syncToken": token}));
        assert_eq!(since["results"], json!([]));
    }
}

#[test]
fn every_candidate_job_and_application_carries_custom_fields_of_every_type() {
    let sb = start();
    let jobs = ok(&sb, "job.list", json!({}));
    let candidates = ok(&sb, "candidate.search", json!({"name": "e"}));
    let applications = ok(&sb, "application.list", json!({}));
    for (what, list) in [
        ("job", &jobs["results"]),
        ("candidate", &candidates["results"]),
        ("application", &applications["results"]),
    ] {
        let list = list.as_array().unwrap();
        assert!(!list.is_empty(), "{what}");
        for object in list {
            let fields = object["customFields"].as_array().unwrap();
            let has = |test: &dyn Fn(&Value) -> bool| fields.iter().any(test);
            assert!(has(&|f| f["value"].is_boolean()), "{what}: boolean");
            assert!(has(&|f| f["value"].is_number()), "{what}: number");
            assert!(
                has(&|f| f["value"].is_string() && f.get("valueLabel").is_none()),
                "{what}: string"
            );
            assert!(
                has(&|f| f["value"]["currencyCode"].is_string() && f["value"]["value"].is_number()),
                "{what}: currency"
            );
            assert!(has(&|f| f["valueLabel"].is_string()), "{what}: ValueSelect");
            assert!(
                has(&|f| f["valueLabel"].is_array() && f["value"].is_array()),
                "{what}: MultiValueSelect"
            );
            assert!(
                has(&|f| f["value"]["type"] == "number-range"),
                "{what}: number range"
            );
            assert!(
                has(&|f| f["value"]["type"] == "compensation-range"),
                "{what}: compensation range"
            );
            assert!(
                has(&|f| f["value"]
                    .as_str()
                    .is_some_and(|v| v.ends_with('Z') && v.contains('T'))),
                "{what}: date"
            );
        }
    }
}

#[test]
fn custom_fields_can_be_turned_off_for_one_test_and_reset_turns_them_on() {
    let sb = start();
    let (status, _) = sb
        .admin()
        .post("/admin/custom-fields", json!({"on": false}));
    assert_eq!(status, 200);
    let jobs = ok(&sb, "job.list", json!({}));
    assert!(jobs["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|j| j["customFields"] == json!([])));
    sb.admin().reset();
    let jobs = ok(&sb, "job.list", json!({}));
    assert_ne!(jobs["results"][0]["customFields"], json!([]));
}

#[test]
fn requests_outside_the_contract_are_refused() {
    let sb = start();
    // `department.list` takes no `parentId`; `candidate.search` no `emailAddress`.
    for (endpoint, body) in [
        ("department.list", json!({"parentId": "x"})),
        ("candidate.search", json!({"emailAddress": "a@b.c"})),
        ("job.list", json!({"limit": "100"})),
        ("user.search", json!({})),
    ] {
        let reply = call(&sb, FULL, endpoint, body);
        assert_eq!(
            (reply.status, reply.code()),
            (200, "invalid_input"),
            "{endpoint}"
        );
    }
}

#[test]
fn only_documented_error_codes_are_answered() {
    let sb = start();
    let contract = Contract::load();
    let documented = contract.documented_error_codes();
    let refusals = [
        (
            "job.info",
            json!({"id": "00000001-0000-4000-8000-0000000fffff"}),
        ),
        (
            "candidate.info",
            json!({"id": "00000002-0000-4000-8000-0000000fffff"}),
        ),
        (
            "application.create",
            json!({"candidateId": "00000002-0000-4000-8000-000000000003",
                   "jobId": "00000001-0000-4000-8000-000000000001"}),
        ),
        (
            "application.create",
            json!({"candidateId": "00000002-0000-4000-8000-000000000003",
                   "jobId": "00000001-0000-4000-8000-000000000009"}),
        ),
        (
            "candidate.addTag",
            json!({"candidateId": "00000002-0000-4000-8000-000000000003", "tagId": "nope"}),
        ),
        (
            "candidate.create",
            json!({"name": "X", "creditedToUserId": "00000004-0000-4000-8000-000000000005"}),
        ),
    ];
    for (endpoint, body) in refusals {
        let reply = call(&sb, FULL, endpoint, body);
        let code = reply.code().to_owned();
        assert!(
            documented.contains(&code),
            "{endpoint}: {code} is not documented"
        );
        assert_eq!(reply.json["errors"], json!([code]));
        assert_eq!(
            reply.json["errorInfo"]["meta"],
            json!({}),
            "{endpoint}: no invented meta"
        );
    }
}

#[test]
fn a_deactivated_user_cannot_be_credited() {
    let sb = start();
    const DANA: &str = "00000004-0000-4000-8000-000000000005";
    let users = ok(
        &sb,
        "user.search",
        json!({"email": "dana.former@fetcher-demo.example"}),
    );
    assert_eq!(users["results"][0]["id"], DANA);
    assert_eq!(users["results"][0]["isEnabled"], json!(false));
    let create = call(
        &sb,
        FULL,
        "candidate.create",
        json!({"name": "Cred", "creditedToUserId": DANA}),
    );
    assert_eq!(create.code(), "invalid_input");
    assert!(create.json["errorInfo"]["message"]
        .as_str()
        .unwrap()
        .contains("deactivated"));
    let candidate = ok(&sb, "candidate.create", json!({"name": "Cred"}));
    let id = candidate["results"]["id"].as_str().unwrap();
    let apply = call(
        &sb,
        FULL,
        "application.create",
        json!({"candidateId": id, "jobId": "00000001-0000-4000-8000-000000000001", "creditedToUserId": DANA}),
    );
    assert_eq!(apply.code(), "invalid_input");
    let update = call(
        &sb,
        FULL,
        "candidate.update",
        json!({"candidateId": id, "creditedToUserId": DANA}),
    );
    assert_eq!(update.code(), "invalid_input");
}
