//! Fault injection, exercised through the project's Transport implementation.

mod common;
use ashby_sandbox::native::{block_on, UreqTransport};
use common::*;
use fetcher_ashby::ashby::http::{HttpRequest, Transport, TransportError};
use serde_json::{json, Value};

const JOB_OPEN: &str = "00000001-0000-4000-8000-000000000001";

fn request(endpoint: &str, body: Value, timeout_ms: u32) -> HttpRequest {
    HttpRequest {
        url: format!("https://api.ashbyhq.com/{endpoint}"),
        headers: vec![
            ("Authorization".into(), basic(FULL)),
            ("Content-Type".into(), "application/json".into()),
        ],
        body: body.to_string(),
        timeout_ms,
    }
}

fn new_candidate(sb: &ashby_sandbox::Sandbox) -> Value {
    ok(sb, "candidate.create", json!({"name": "Fault Test"}))["results"]["id"].clone()
}

fn app_count(sb: &ashby_sandbox::Sandbox) -> usize {
    sb.admin().state()["applications"].as_array().unwrap().len()
}

#[test]
fn transport_round_trip_keeps_headers_and_statuses() {
    let sb = start();
    let t = UreqTransport::for_sandbox(&sb);
    let r = block_on(t.send(request("apiKey.info", json!({}), 5000))).unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.header("ashby-version"), Some("2026-01-01"));
    let mut bad = request("apiKey.info", json!({}), 5000);
    bad.headers.retain(|(k, _)| k != "Authorization");
    let r = block_on(t.send(bad)).unwrap();
    assert_eq!(r.status, 401, "non-2xx is a response, not an error");
    // An untrusting client fails TLS as a network error.
    let plain =
        UreqTransport::trusting(b"not a cert").rewrite("https://api.ashbyhq.com", &sb.ashby_url());
    assert!(matches!(
        block_on(plain.send(request("apiKey.info", json!({}), 5000))),
        Err(TransportError::Network(_))
    ));
}

#[test]
fn status_fault_before_does_not_act() {
    let sb = start();
    let cand = new_candidate(&sb);
    let before = app_count(&sb);
    sb.admin().fault(json!({"endpoint": "application.create", "mode": "status", "status": 503, "retryAfter": 7, "count": 2}));
    let t = UreqTransport::for_sandbox(&sb);
    for _ in 0..2 {
        let r = block_on(t.send(request(
            "application.create",
            json!({"candidateId": cand, "jobId": JOB_OPEN}),
            5000,
        )))
        .unwrap();
        assert_eq!(r.status, 503);
        assert_eq!(r.header("Retry-After"), Some("7"));
        let v: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["success"], false);
    }
    assert_eq!(app_count(&sb), before);
    // The fault is used up; other endpoints were never affected.
    let r = block_on(t.send(request(
        "application.create",
        json!({"candidateId": cand, "jobId": JOB_OPEN}),
        5000,
    )))
    .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(app_count(&sb), before + 1);
    let log = sb.admin().requests();
    let faults: Vec<&Value> = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["fault"] == "status")
        .collect();
    assert_eq!(faults.len(), 2);
}

#[test]
fn status_fault_after_commits_then_fails() {
    let sb = start();
    let cand = new_candidate(&sb);
    let before = app_count(&sb);
    sb.admin().fault(
        json!({"endpoint": "application.create", "mode": "status", "status": 500, "after": true}),
    );
    let r = call(
        &sb,
        FULL,
        "application.create",
        json!({"candidateId": cand, "jobId": JOB_OPEN}),
    );
    assert_eq!(r.status, 500);
    assert_eq!(
        app_count(&sb),
        before + 1,
        "the create happened despite the 500"
    );
    let info = ok(&sb, "candidate.info", json!({"id": cand}));
    assert_eq!(
        info["results"]["applicationIds"].as_array().unwrap().len(),
        1
    );
}

#[test]
fn hang_times_out_on_the_client_and_has_not_acted() {
    let sb = start();
    let cand = new_candidate(&sb);
    let before = app_count(&sb);
    sb.admin()
        .fault(json!({"endpoint": "application.create", "mode": "hang"}));
    let t = UreqTransport::for_sandbox(&sb);
    let r = block_on(t.send(request(
        "application.create",
        json!({"candidateId": cand, "jobId": JOB_OPEN}),
        300,
    )));
    assert_eq!(r, Err(TransportError::Timeout));
    sb.admin().release();
    assert_eq!(app_count(&sb), before);
}

#[test]
fn hang_after_commits() {
    let sb = start();
    let cand = new_candidate(&sb);
    let before = app_count(&sb);
    sb.admin()
        .fault(json!({"endpoint": "application.create", "mode": "hang", "after": true}));
    let t = UreqTransport::for_sandbox(&sb);
    let r = block_on(t.send(request(
        "application.create",
        json!({"candidateId": cand, "jobId": JOB_OPEN}),
        300,
    )));
    assert_eq!(r, Err(TransportError::Timeout));
    assert_eq!(app_count(&sb), before + 1);
    sb.admin().reset();
}

#[test]
fn drop_is_a_network_error() {
    let sb = start();
    let cand = new_candidate(&sb);
    let before = app_count(&sb);
    sb.admin().fault(json!([
        {"endpoint": "application.create", "mode": "drop"},
        {"endpoint": "candidate.create", "mode": "drop", "after": true}
    ]));
    let t = UreqTransport::for_sandbox(&sb);
    let r = block_on(t.send(request(
        "application.create",
        json!({"candidateId": cand, "jobId": JOB_OPEN}),
        5000,
    )));
    assert!(matches!(r, Err(TransportError::Network(_))), "{r:?}");
    assert_eq!(app_count(&sb), before);
    let n = sb.admin().state()["candidates"].as_array().unwrap().len();
    let r = block_on(t.send(request(
        "candidate.create",
        json!({"name": "Dropped"}),
        5000,
    )));
    assert!(matches!(r, Err(TransportError::Network(_))), "{r:?}");
    assert_eq!(
        sb.admin().state()["candidates"].as_array().unwrap().len(),
        n + 1,
        "after:true committed"
    );
}

#[test]
fn latency_and_bad_fault_specs() {
    let sb = start();
    sb.admin().latency(400);
    let t = UreqTransport::for_sandbox(&sb);
    assert_eq!(
        block_on(t.send(request("apiKey.info", json!({}), 100))),
        Err(TransportError::Timeout)
    );
    sb.admin().latency(0);
    assert_eq!(
        block_on(t.send(request("apiKey.info", json!({}), 5000)))
            .unwrap()
            .status,
        200
    );
    let (status, _) = sb.admin().post(
        "/admin/faults",
        json!({"endpoint": "nope.nope", "mode": "drop"}),
    );
    assert_eq!(status, 400);
    let (status, _) = sb.admin().post(
        "/admin/faults",
        json!({"endpoint": "job.list", "mode": "explode"}),
    );
    assert_eq!(status, 400);
}
