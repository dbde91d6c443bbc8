//! Native clients: the project's [`Transport`] over ureq, an admin helper, and `block_on`.

use fetcher_ashby::ashby::http::{HttpRequest, HttpResponse, Transport, TransportError};
use serde_json::Value;
use std::io::Read as _;
use std::sync::Arc;
use std::time::Duration;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

/// Runs a future to completion on the current thread (for tests).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    pollster::block_on(f)
}

/// A ureq agent that trusts `cert_der` (or nothing extra, with verification disabled when
/// `cert_der` is `None`), never turns HTTP statuses into errors, and keeps no idle connections
/// (so a dropped connection never poisons the next request).
pub fn agent(cert_der: Option<&[u8]>) -> ureq::Agent {
    let tls = match cert_der {
        Some(der) => TlsConfig::builder()
            .root_certs(RootCerts::Specific(Arc::new(vec![Certificate::from_der(
                der,
            )
            .to_owned()])))
            .build(),
        None => TlsConfig::builder().disable_verification(true).build(),
    };
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .tls_config(tls)
        .max_idle_connections(0)
        .max_idle_connections_per_host(0)
        .build()
        .new_agent()
}

/// [`Transport`] implementation for native tests: blocking ureq wrapped in a ready future.
///
/// URLs starting with `rewrite_from` (e.g. `https://api.ashbyhq.com`) are sent to `rewrite_to`
/// instead, so client code built for production URLs talks to the sandbox.
#[derive(Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    rewrite: Option<(String, String)>,
}

impl UreqTransport {
    /// Trusts the given certificate (DER); no rewriting.
    pub fn trusting(cert_der: &[u8]) -> Self {
        UreqTransport {
            agent: agent(Some(cert_der)),
            rewrite: None,
        }
    }

    /// Accepts any certificate. Only for tests.
    pub fn insecure() -> Self {
        UreqTransport {
            agent: agent(None),
            rewrite: None,
        }
    }

    /// Trusts the sandbox's certificate and maps `https://api.ashbyhq.com` to the sandbox.
    pub fn for_sandbox(sandbox: &crate::Sandbox) -> Self {
        Self::trusting(sandbox.cert_der()).rewrite("https://api.ashbyhq.com", &sandbox.ashby_url())
    }

    pub fn rewrite(mut self, from: &str, to: &str) -> Self {
        self.rewrite = Some((
            from.trim_end_matches('/').to_string(),
            to.trim_end_matches('/').to_string(),
        ));
        self
    }

    pub fn send_blocking(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let url = match &self.rewrite {
            Some((from, to)) if request.url.starts_with(from.as_str()) => {
                format!("{to}{}", &request.url[from.len()..])
            }
            _ => request.url.clone(),
        };
        let mut b = self.agent.post(&url);
        for (k, v) in &request.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        let timeout = Duration::from_millis(u64::from(request.timeout_ms.max(1)));
        let result = b
            .config()
            .timeout_global(Some(timeout))
            .build()
            .send(request.body.as_str());
        let mut resp = result.map_err(map_err)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = String::new();
        resp.body_mut()
            .as_reader()
            .read_to_string(&mut body)
            .map_err(|e| map_io(&e))?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

fn map_err(e: ureq::Error) -> TransportError {
    match e {
        ureq::Error::Timeout(_) => TransportError::Timeout,
        ureq::Error::Io(io) => map_io(&io),
        other => TransportError::Network(other.to_string()),
    }
}

fn map_io(e: &std::io::Error) -> TransportError {
    if matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    ) {
        return TransportError::Timeout;
    }
    // ureq reports body-read timeouts as io errors wrapping its own Error.
    if e.get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(|u| matches!(u, ureq::Error::Timeout(_)))
    {
        return TransportError::Timeout;
    }
    TransportError::Network(e.to_string())
}

impl Transport for UreqTransport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl std::future::Future<Output = Result<HttpResponse, TransportError>> {
        std::future::ready(self.send_blocking(request))
    }
}

/// Thin client for the admin API (`http://127.0.0.1:ADMIN/admin/...`). Panics on transport
/// failures and non-200 answers, which is what tests want.
pub struct Admin {
    base: String,
    agent: ureq::Agent,
}

impl Admin {
    pub fn new(base: String) -> Self {
        Admin {
            base,
            agent: agent(None),
        }
    }

    pub fn get(&self, path: &str) -> Value {
        let mut r = self
            .agent
            .get(format!("{}{path}", self.base))
            .call()
            .expect("admin GET");
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().expect("admin body");
        assert_eq!(status, 200, "admin GET {path}: {text}");
        serde_json::from_str(&text).expect("admin JSON")
    }

    /// POSTs JSON; returns the answer whatever the status (see [`Admin::post_ok`]).
    pub fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let mut r = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .send(body.to_string())
            .expect("admin POST");
        let status = r.status().as_u16();
        let text = r.body_mut().read_to_string().expect("admin body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub fn post_ok(&self, path: &str, body: Value) -> Value {
        let (status, v) = self.post(path, body);
        assert_eq!(status, 200, "admin POST {path}: {v}");
        v
    }

    pub fn state(&self) -> Value {
        self.get("/admin/state")
    }
    pub fn requests(&self) -> Value {
        self.get("/admin/requests")
    }
    pub fn clear_requests(&self) {
        self.post_ok("/admin/requests/clear", Value::Null);
    }
    pub fn reset(&self) {
        self.post_ok("/admin/reset", Value::Null);
    }
    /// `{keys, users, sources, tags, jobs, candidates, applications}`; returns the created ids.
    pub fn seed(&self, seed: Value) -> Value {
        self.post_ok("/admin/seed", seed)["ids"].clone()
    }
    /// `{endpoint, mode: status|hang|drop, status?, retryAfter?, count?, after?, hangMs?}`.
    pub fn fault(&self, fault: Value) {
        self.post_ok("/admin/faults", fault);
    }
    pub fn release(&self) {
        self.post_ok("/admin/release", Value::Null);
    }
    pub fn latency(&self, ms: u64) {
        self.post_ok("/admin/latency", serde_json::json!({ "ms": ms }));
    }
    pub fn rate_limit(&self, limit: u32, window_seconds: u64) {
        self.post_ok(
            "/admin/rate-limit",
            serde_json::json!({"limit": limit, "windowSeconds": window_seconds}),
        );
    }
}
