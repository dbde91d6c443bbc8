//! Transport-level strictness: auth, methods, content type, versions, permissions, rate limit.

mod common;
use common::*;
use serde_json::json;

#[test]
fn every_response_carries_version_headers_and_no_cors() {
    let sb = start();
    let r = call(&sb, FULL, "apiKey.info", json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Ashby-Version"), Some("2026-01-01"));
    assert_eq!(r.header("Ashby-Version-Status"), Some("active"));
    assert_eq!(r.json["results"]["title"], "Fetcher extension (sandbox)");
    assert!(r.json["results"]["scopes"]
        .as_array()
        .unwrap()
        .contains(&json!("candidates:read")));
    r.assert_no_cors();
}

#[test]
fn missing_or_garbled_auth_is_401() {
    let sb = start();
    let ct = ("Content-Type", "application/json".to_string());
    for auth in [
        None,
        Some("Bearer sandbox-key-full".to_string()),
        Some("Basic !!!".to_string()),
        Some(basic("")),
    ] {
        let mut h = vec![ct.clone()];
        if let Some(a) = auth {
            h.push(("Authorization", a));
        }
        let r = raw(&sb, "POST", "/apiKey.info", &h, Some("{}"));
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(r.json["success"], false);
        assert_eq!(r.json["errors"][0], r.code());
        assert!(r.json["errorInfo"]["requestId"].as_str().is_some());
        r.assert_no_cors();
    }
    // A non-empty password is refused too: the key is the username, the password is empty.
    let bad = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            "sandbox-key-full:x"
        )
    );
    let r = raw(
        &sb,
        "POST",
        "/apiKey.info",
        &[ct, ("Authorization", bad)],
        Some("{}"),
    );
    assert_eq!(r.status, 401);
}

#[test]
fn unknown_and_disabled_keys_are_403() {
    let sb = start();
    let r = call(&sb, "no-such-key", "apiKey.info", json!({}));
    assert_eq!(r.status, 403);
    assert_eq!(r.json["success"], false);
    let r = call(&sb, "sandbox-key-disabled", "apiKey.info", json!({}));
    assert_eq!(r.status, 403);
    assert_eq!(r.code(), "api_key_disabled");
}

#[test]
fn missing_permission_is_403_or_200_per_key() {
    let sb = start();
    let r = call(&sb, READONLY, "candidate.create", json!({"name": "X"}));
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(r.code(), "missing_endpoint_permission");
    let r = call(&sb, "sandbox-key-200perm", "job.list", json!({}));
    assert_eq!(r.status, 200);
    assert_eq!(r.json["success"], false);
    assert_eq!(r.code(), "missing_endpoint_permission");
    // Read endpoints still work for the read-only key.
    let r = call(&sb, READONLY, "job.list", json!({}));
    assert_eq!(r.json["success"], true);
    // Nothing was created.
    assert_eq!(
        sb.admin().state()["candidates"].as_array().unwrap().len(),
        3
    );
}

#[test]
fn get_and_options_are_refused_without_cors() {
    let sb = start();
    for m in ["GET", "OPTIONS", "PUT", "DELETE"] {
        let h = [
            ("Authorization", basic(FULL)),
            ("Origin", "chrome-extension://abc".to_string()),
            ("Access-Control-Request-Method", "POST".to_string()),
        ];
        let r = raw(&sb, m, "/job.list", &h, None);
        assert_eq!(r.status, 405, "{m}");
        assert_eq!(r.json["success"], false);
        r.assert_no_cors();
    }
    let r = call(&sb, FULL, "job.list", json!({}));
    r.assert_no_cors();
}

#[test]
fn unknown_endpoint_is_404_envelope() {
    let sb = start();
    let r = call(&sb, FULL, "candidate.merge", json!({}));
    assert_eq!(r.status, 404);
    assert_eq!(r.json["success"], false);
    assert_eq!(r.code(), "endpoint_not_found");
}

#[test]
fn content_type_and_json_are_checked() {
    let sb = start();
    let auth = ("Authorization", basic(FULL));
    let r = raw(
        &sb,
        "POST",
        "/apiKey.info",
        std::slice::from_ref(&auth),
        Some("{}"),
    );
    assert_eq!((r.status, r.code()), (200, "invalid_input"), "{}", r.text);
    let r = raw(
        &sb,
        "POST",
        "/apiKey.info",
        &[auth.clone(), ("Content-Type", "text/plain".into())],
        Some("{}"),
    );
    assert_eq!((r.status, r.code()), (200, "invalid_input"));
    let r = raw(
        &sb,
        "POST",
        "/apiKey.info",
        &[
            auth.clone(),
            ("Content-Type", "application/json; charset=utf-8".into()),
        ],
        Some("{}"),
    );
    assert_eq!(r.json["success"], true);
    let r = raw(
        &sb,
        "POST",
        "/apiKey.info",
        &[auth.clone(), ("Content-Type", "application/json".into())],
        Some("{nope"),
    );
    assert_eq!((r.status, r.code()), (200, "invalid_input"));
    let r = raw(
        &sb,
        "POST",
        "/apiKey.info",
        &[auth, ("Content-Type", "application/json".into())],
        Some("[1]"),
    );
    assert_eq!(r.code(), "invalid_input");
    // Unknown fields are refused (catches create/update spelling mix-ups).
    let r = call(
        &sb,
        FULL,
        "candidate.update",
        json!({"candidateId": "x", "website": "https://a.dev"}),
    );
    assert_eq!(r.code(), "invalid_input");
}

#[test]
fn api_version_header_is_checked() {
    let sb = start();
    let h = |v: &str| {
        [
            ("Authorization", basic(FULL)),
            ("Content-Type", "application/json".to_string()),
            ("Ashby-Version", v.to_string()),
        ]
    };
    let r = raw(&sb, "POST", "/apiKey.info", &h("2026-01-01"), Some("{}"));
    assert_eq!(r.json["success"], true);
    let r = raw(&sb, "POST", "/apiKey.info", &h("2024-01-01"), Some("{}"));
    assert_eq!((r.status, r.code()), (200, "invalid_api_version"));
}

#[test]
fn rate_limit_gives_429_with_retry_after() {
    let sb = start();
    sb.admin().rate_limit(3, 60);
    for _ in 0..3 {
        assert_eq!(call(&sb, FULL, "apiKey.info", json!({})).status, 200);
    }
    let r = call(&sb, FULL, "apiKey.info", json!({}));
    assert_eq!(r.status, 429);
    assert_eq!(r.code(), "rate_limit_exceeded");
    let secs: u64 = r
        .header("Retry-After")
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!((1..=60).contains(&secs));
    // Per key: another key is not limited.
    assert_eq!(call(&sb, READONLY, "apiKey.info", json!({})).status, 200);
    // Reset restores the default limit.
    sb.admin().reset();
    assert_eq!(call(&sb, FULL, "apiKey.info", json!({})).status, 200);
}
