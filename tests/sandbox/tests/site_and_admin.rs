//! The Fetcher demo site (static + SPA fallback + CSP) and the admin API.

mod common;
use ashby_sandbox::{Sandbox, SandboxConfig};
use common::*;
use serde_json::json;
use std::path::PathBuf;

fn site_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("ashby-sandbox-site-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Fetcher</title>",
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "console.log('hi')").unwrap();
    std::fs::write(dir.join("data/searches.json"), "[]").unwrap();
    std::fs::write(
        dir.parent()
            .unwrap()
            .join(format!("secret-{}.txt", std::process::id())),
        "secret",
    )
    .unwrap();
    dir
}

fn get(sb: &Sandbox, path: &str) -> Reply {
    raw_to(sb, &sb.fetcher_url(), "GET", path, &[], None)
}

#[test]
fn serves_files_with_types_and_spa_fallback() {
    let root = site_dir("spa");
    let sb = Sandbox::start(SandboxConfig {
        fetcher_root: root,
        ..Default::default()
    });
    let r = get(&sb, "/");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text.contains("<title>Fetcher</title>"));
    assert!(r.header("content-security-policy").is_none());
    let r = get(&sb, "/app.js");
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/javascript"));
    let r = get(&sb, "/data/searches.json");
    assert_eq!(r.header("content-type"), Some("application/json"));
    let r = get(&sb, "/searches/abc/candidates/xyz");
    assert_eq!(r.status, 200);
    assert!(r.text.contains("<title>Fetcher</title>"));
    assert_eq!(get(&sb, "/missing.js").status, 404);
}

#[test]
fn rejects_traversal() {
    let root = site_dir("trav");
    let sb = Sandbox::start(SandboxConfig {
        fetcher_root: root,
        ..Default::default()
    });
    let secret = format!("secret-{}.txt", std::process::id());
    for p in [
        format!("/../{secret}"),
        format!("/%2e%2e/{secret}"),
        format!("/data/%2E%2E/%2E%2E/{secret}"),
        format!("/..%2f{secret}"),
        "/..%5c..%5cetc/passwd".to_string(),
    ] {
        let r = get(&sb, &p);
        assert_ne!(r.status, 200, "{p}");
        assert!(!r.text.contains("secret"), "{p}");
    }
}

#[test]
fn csp_header_when_configured() {
    let root = site_dir("csp");
    let sb = Sandbox::start(SandboxConfig {
        fetcher_root: root,
        fetcher_csp: Some("script-src 'self'".into()),
        ..Default::default()
    });
    assert_eq!(
        get(&sb, "/").header("content-security-policy"),
        Some("script-src 'self'")
    );
}

#[test]
fn admin_state_requests_seed_and_reset() {
    let sb = start();
    let s = sb.admin().state();
    assert_eq!(s["jobs"].as_array().unwrap().len(), 36);
    assert_eq!(s["users"].as_array().unwrap().len(), 5);
    assert_eq!(s["keys"].as_array().unwrap().len(), 5);
    assert!(s["sources"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["title"] == "Fetcher" && x["sourceType"]["title"] == "Sourced"));

    call(&sb, FULL, "apiKey.info", json!({}));
    call(&sb, "bad-key", "apiKey.info", json!({}));
    let log = sb.admin().requests();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["endpoint"], "apiKey.info");
    assert_eq!(log[0]["key"], "Fetcher extension (sandbox)");
    assert_eq!(log[0]["status"], 200);
    assert_eq!(log[1]["key"], serde_json::Value::Null);
    assert_eq!(log[1]["status"], 403);
    sb.admin().clear_requests();
    assert_eq!(sb.admin().requests().as_array().unwrap().len(), 0);

    let ids = sb.admin().seed(json!({
        "keys": [{"key": "k2", "title": "Second", "scopes": ["candidates:read"]}],
        "candidates": [{"name": "Seeded", "email": "seeded@example.com"}],
        "users": [{"firstName": "New", "lastName": "User", "email": "new@x.com"}]
    }));
    assert_eq!(ids["candidates"].as_array().unwrap().len(), 1);
    let r = call(
        &sb,
        "k2",
        "candidate.search",
        json!({"email": "seeded@example.com"}),
    );
    assert_eq!(r.json["results"].as_array().unwrap().len(), 1);
    assert_eq!(
        call(&sb, "k2", "job.list", json!({})).code(),
        "missing_endpoint_permission"
    );
    let (status, _) = sb.admin().post("/admin/seed", json!({"bogus": []}));
    assert_eq!(status, 400);

    sb.admin().reset();
    let s = sb.admin().state();
    assert_eq!(s["candidates"].as_array().unwrap().len(), 3);
    assert_eq!(call(&sb, "k2", "apiKey.info", json!({})).status, 403);
    let info = sb.admin().get("/admin/info");
    assert_eq!(info["ashby"], sb.ashby_port());
    assert_eq!(info["spki"], sb.spki());
}

#[test]
fn binary_prints_one_ready_line() {
    use std::io::BufRead as _;
    let dir = std::env::temp_dir().join(format!("ashby-sandbox-bin-{}", std::process::id()));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ashby-sandbox"))
        .args(["--quiet", "--seed", "empty", "--cert-dir"])
        .arg(&dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn ashby-sandbox");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: serde_json::Value = serde_json::from_str(&line).expect("one JSON line");
    for k in ["ashby", "fetcher", "admin"] {
        assert!(ready[k].as_u64().unwrap() > 0, "{k}");
    }
    let pem = std::fs::read_to_string(ready["certPem"].as_str().unwrap()).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    assert_eq!(ready["spki"].as_str().unwrap().len(), 44);
    let admin = ashby_sandbox::native::Admin::new(format!("http://127.0.0.1:{}", ready["admin"]));
    assert_eq!(admin.state()["jobs"], json!([]));
    child.kill().unwrap();
    child.wait().unwrap();
}
