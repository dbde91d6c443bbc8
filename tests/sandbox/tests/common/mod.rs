#![allow(dead_code)]

use ashby_sandbox::{native, Sandbox, SandboxConfig};
use base64::Engine as _;
use serde_json::Value;

pub const FULL: &str = "sandbox-key-full";
pub const READONLY: &str = "sandbox-key-readonly";

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub json: Value,
    pub text: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn code(&self) -> &str {
        self.json["errorInfo"]["code"].as_str().unwrap_or("")
    }
    pub fn assert_no_cors(&self) {
        for (k, _) in &self.headers {
            assert!(
                !k.to_ascii_lowercase().starts_with("access-control-"),
                "CORS header {k} present"
            );
        }
    }
}

pub fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default())
}

pub fn basic(key: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    )
}

/// Sends a raw request; `headers` are sent exactly (no defaults added).
pub fn raw(
    sb: &Sandbox,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<&str>,
) -> Reply {
    raw_to(sb, &sb.ashby_url(), method, path, headers, body)
}

pub fn raw_to(
    sb: &Sandbox,
    base: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<&str>,
) -> Reply {
    let agent = native::agent(Some(sb.cert_der()));
    let mut b = ureq::http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"));
    for (k, v) in headers {
        b = b.header(*k, v.as_str());
    }
    let mut resp = match body {
        Some(body) => agent.run(b.body(body.to_string()).unwrap()),
        None => agent.run(b.body(()).unwrap()),
    }
    .expect("request");
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let text = resp.body_mut().read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        json,
        text,
    }
}

/// A well-formed API call with `key`.
pub fn call(sb: &Sandbox, key: &str, endpoint: &str, body: Value) -> Reply {
    raw(
        sb,
        "POST",
        &format!("/{endpoint}"),
        &[
            ("Authorization", basic(key)),
            ("Content-Type", "application/json".into()),
        ],
        Some(&body.to_string()),
    )
}

/// A successful call's `results` (panics with the body otherwise).
pub fn ok(sb: &Sandbox, endpoint: &str, body: Value) -> Value {
    let r = call(sb, FULL, endpoint, body);
    assert_eq!(r.status, 200, "{endpoint}: {}", r.text);
    assert_eq!(r.json["success"], true, "{endpoint}: {}", r.text);
    r.json
}
