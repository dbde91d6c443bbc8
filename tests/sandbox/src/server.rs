//! Listeners and request pipelines: the Ashby API (HTTPS), the Fetcher site (HTTPS), admin (HTTP).

use crate::api::{self, dispatch, key_has, permission_for};
use crate::contract::Contract;
use crate::model::State;
use crate::seed::{apply_admin_seed, AdminSeed};
use crate::util::{iso, now_ms, ApiError};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;

pub const API_VERSION: &str = "2026-01-01";
/// The request log keeps at most this many entries (oldest dropped first).
const MAX_LOG: usize = 10_000;

type Resp = Response<Full<Bytes>>;

/// Returned by a service to make hyper close the connection without any response.
#[derive(Debug)]
pub struct DropConnection;
impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}
impl std::error::Error for DropConnection {}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    /// Endpoint name such as `application.create`, or `*` for every endpoint.
    pub endpoint: String,
    /// `status` | `hang` | `drop`.
    pub mode: String,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub retry_after: Option<u64>,
    #[serde(default = "one")]
    pub count: u32,
    /// Run the handler (and commit) first, then fail/hang/drop the response.
    #[serde(default)]
    pub after: bool,
    /// How long a hang lasts at most (default: the sandbox's hang limit, 120 s).
    #[serde(default)]
    pub hang_ms: Option<u64>,
}
fn one() -> u32 {
    1
}

#[derive(Debug, Clone)]
pub struct RateLimit {
    pub limit: u32,
    pub window: Duration,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            limit: 1000,
            window: Duration::from_secs(60),
        }
    }
}

pub struct Inner {
    pub state: State,
    pub seed: State,
    pub faults: Vec<Fault>,
    pub latency_ms: u64,
    pub rate: RateLimit,
    pub windows: HashMap<String, (Instant, u32)>,
    pub requests: Vec<Value>,
    pub request_counter: u64,
}

pub struct Shared {
    pub inner: Mutex<Inner>,
    /// Bumped by `/admin/release` and `/admin/reset`: wakes hung requests, which then drop.
    pub release: watch::Sender<u64>,
    pub fetcher_root: PathBuf,
    pub fetcher_csp: Option<String>,
    pub hang_max: Duration,
    pub log: bool,
    pub info: Mutex<Value>,
}

impl Shared {
    pub fn new(
        seed: State,
        fetcher_root: PathBuf,
        fetcher_csp: Option<String>,
        hang_max: Duration,
        log: bool,
    ) -> Arc<Self> {
        Arc::new(Shared {
            inner: Mutex::new(Inner {
                state: seed.clone(),
                seed,
                faults: vec![],
                latency_ms: 0,
                rate: RateLimit::default(),
                windows: HashMap::new(),
                requests: vec![],
                request_counter: 0,
            }),
            release: watch::channel(0).0,
            fetcher_root,
            fetcher_csp,
            hang_max,
            log,
            info: Mutex::new(Value::Null),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn release_hangs(&self) {
        self.release.send_modify(|g| *g += 1);
    }
}

// ---------------------------------------------------------------- listeners

pub async fn serve_tls(
    listener: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    shared: Arc<Shared>,
    fetcher: bool,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => return,
        };
        let Ok((tcp, _)) = accepted else { continue };
        let acceptor = acceptor.clone();
        let shared = shared.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let svc = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move {
                    if fetcher {
                        Ok::<_, DropConnection>(fetcher_site(&shared, req).await)
                    } else {
                        api_request(shared, req).await
                    }
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tls), svc)
                .await;
        });
    }
}

pub async fn serve_admin(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => return,
        };
        let Ok((tcp, _)) = accepted else { continue };
        let shared = shared.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, DropConnection>(admin(&shared, req).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(tcp), svc)
                .await;
        });
    }
}

// ---------------------------------------------------------------- Ashby API

fn envelope_error(e: &ApiError, request_id: &str) -> Value {
    json!({
        "success": false,
        "errors": [e.code],
        "errorInfo": {"code": e.code, "message": e.message, "requestId": request_id, "meta": e.meta},
    })
}

fn api_response(status: u16, body: &Value, retry_after: Option<u64>) -> Resp {
    let mut b = Response::builder()
        .status(status)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Ashby-Version", API_VERSION)
        .header("Ashby-Version-Status", "active")
        .header("Cache-Control", "no-store");
    if status == 405 {
        b = b.header("Allow", "POST");
    }
    if let Some(s) = retry_after {
        b = b.header("Retry-After", s.to_string());
    }
    b.body(Full::new(Bytes::from(body.to_string())))
        .expect("valid response")
}

/// Codes answered by the transport layer (status, auth, version), before any endpoint runs.
const TRANSPORT_CODES: &[&str] = &[
    "unauthenticated",
    "invalid_api_key",
    "api_key_disabled",
    "method_not_allowed",
    "endpoint_not_found",
    "invalid_api_version",
    "internal_server_error",
    "service_unavailable",
    "contract_violation",
];

/// The strictest reading of Ashby's error codes: an endpoint answers only the codes the spec
/// documents. Anything more specific the handlers know (`job_not_open`, `candidate_not_found`,
/// a second application for the same job…) goes out as `invalid_input` with the same message
/// and no `meta`, so no client can come to depend on a code real Ashby never promised.
fn documented_code_only(mut e: ApiError) -> ApiError {
    let documented = contract().documented_error_codes();
    if !documented.contains(&e.code) && !TRANSPORT_CODES.contains(&e.code.as_str()) {
        e.code = "invalid_input".into();
        e.meta = json!({});
    }
    e
}

fn contract() -> &'static Contract {
    static CONTRACT: std::sync::OnceLock<Contract> = std::sync::OnceLock::new();
    CONTRACT.get_or_init(Contract::load)
}

struct Ctx {
    shared: Arc<Shared>,
    request_id: String,
    endpoint: String,
    method: String,
    key_title: Option<String>,
}

impl Ctx {
    fn log(&self, status: Option<u16>, code: Option<&str>, fault: Option<&str>) {
        let entry = json!({
            "requestId": self.request_id, "time": iso(now_ms()), "method": self.method,
            "endpoint": self.endpoint, "key": self.key_title, "status": status,
            "errorCode": code, "fault": fault,
        });
        if self.shared.log {
            eprintln!("[ashby] {entry}");
        }
        let mut g = self.shared.lock();
        if g.requests.len() >= MAX_LOG {
            g.requests.drain(..MAX_LOG / 10);
        }
        g.requests.push(entry);
    }

    fn fail(&self, e: ApiError) -> Resp {
        let e = documented_code_only(e);
        self.log(Some(e.status), Some(&e.code), None);
        api_response(
            e.status,
            &envelope_error(&e, &self.request_id),
            e.retry_after,
        )
    }

    /// Applies a fault; `Ok(Some)` is a response to send, `Err` drops the connection.
    async fn apply_fault(&self, f: &Fault, mode_label: &str) -> Result<Resp, DropConnection> {
        match f.mode.as_str() {
            "drop" => {
                self.log(None, None, Some(mode_label));
                Err(DropConnection)
            }
            "hang" => {
                self.log(None, None, Some(mode_label));
                let mut rx = self.shared.release.subscribe();
                let max = f
                    .hang_ms
                    .map_or(self.shared.hang_max, Duration::from_millis);
                tokio::select! {
                    _ = rx.changed() => {}
                    _ = tokio::time::sleep(max) => {}
                }
                Err(DropConnection)
            }
            _ => {
                let status = f.status.unwrap_or(500);
                let code = match status {
                    429 => "rate_limit_exceeded",
                    503 => "service_unavailable",
                    502 => "bad_gateway",
                    504 => "gateway_timeout",
                    _ => "internal_server_error",
                };
                let e =
                    ApiError::new(code, format!("Injected fault: HTTP {status}")).status(status);
                self.log(Some(status), Some(code), Some(mode_label));
                Ok(api_response(
                    status,
                    &envelope_error(&e, &self.request_id),
                    f.retry_after,
                ))
            }
        }
    }
}

fn parse_basic(header: Option<&str>) -> Result<String, String> {
    let h = header
        .ok_or("Missing Authorization header: use HTTP Basic with the API key as username")?;
    let (scheme, rest) = h
        .trim()
        .split_once(' ')
        .ok_or("Malformed Authorization header")?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(format!(
            "Unsupported authorization scheme {scheme:?}; use Basic"
        ));
    }
    let decoded = STANDARD
        .decode(rest.trim())
        .map_err(|_| "Authorization header is not valid base64")?;
    let text = String::from_utf8(decoded).map_err(|_| "Authorization header is not UTF-8")?;
    let (user, pass) = text
        .split_once(':')
        .ok_or("Basic credentials must be '<api key>:' (note the colon)")?;
    if user.is_empty() {
        return Err("Missing API key (empty Basic username)".into());
    }
    if !pass.is_empty() {
        return Err("The Basic password must be empty; the API key is the username".into());
    }
    Ok(user.to_string())
}

async fn api_request(shared: Arc<Shared>, req: Request<Incoming>) -> Result<Resp, DropConnection> {
    let latency = {
        let mut g = shared.lock();
        g.request_counter += 1;
        g.latency_ms
    };
    let request_id = {
        let n = shared.lock().request_counter;
        format!("sbx-req-{n:06}")
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let endpoint = req.uri().path().trim_start_matches('/').to_string();
    let mut ctx = Ctx {
        shared: shared.clone(),
        request_id,
        endpoint: endpoint.clone(),
        method: req.method().to_string(),
        key_title: None,
    };
    if req.method() != Method::POST {
        return Ok(ctx.fail(
            ApiError::new(
                "method_not_allowed",
                format!(
                    "{} is not allowed; every Ashby endpoint is POST",
                    req.method()
                ),
            )
            .status(405),
        ));
    }
    let Some(permission) = permission_for(&endpoint) else {
        return Ok(ctx.fail(
            ApiError::new(
                "endpoint_not_found",
                format!("Unknown endpoint /{endpoint}"),
            )
            .status(404),
        ));
    };
    let auth = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    let key_str = match parse_basic(auth) {
        Ok(k) => k,
        Err(m) => return Ok(ctx.fail(ApiError::new("unauthenticated", m).status(401))),
    };
    let key = shared.lock().state.key(&key_str).cloned();
    let Some(key) = key else {
        return Ok(
            ctx.fail(ApiError::new("invalid_api_key", "The API key is not valid").status(403))
        );
    };
    ctx.key_title = Some(key.title.clone());
    if key.disabled {
        return Ok(ctx.fail(
            ApiError::new("api_key_disabled", "The API key has been deactivated").status(403),
        ));
    }
    // Rate limit: fixed window per key.
    {
        let mut g = shared.lock();
        let rate = g.rate.clone();
        let now = Instant::now();
        let w = g.windows.entry(key.key.clone()).or_insert((now, 0));
        if now.duration_since(w.0) >= rate.window {
            *w = (now, 0);
        }
        if w.1 >= rate.limit {
            let left = rate.window.saturating_sub(now.duration_since(w.0));
            let secs = left.as_millis().div_ceil(1000).max(1) as u64;
            drop(g);
            let mut e = ApiError::new(
                "rate_limit_exceeded",
                format!(
                    "Rate limit of {} requests per {} s exceeded; try again in {secs} seconds",
                    rate.limit,
                    rate.window.as_secs()
                ),
            )
            .status(429);
            e.retry_after = Some(secs);
            return Ok(ctx.fail(e));
        }
        w.1 += 1;
    }
    if let Some(v) = req.headers().get("ashby-version") {
        let v = v.to_str().unwrap_or("").trim();
        if v != API_VERSION {
            return Ok(ctx.fail(
                ApiError::new(
                    "invalid_api_version",
                    format!("API version {v:?} is not available; active versions: {API_VERSION}"),
                )
                .meta(json!({"activeVersions": [API_VERSION]})),
            ));
        }
    }
    // Faults: taken after authentication, before the handler.
    let fault = {
        let mut g = shared.lock();
        let idx = g
            .faults
            .iter()
            .position(|f| f.endpoint == endpoint || f.endpoint == "*");
        idx.map(|i| {
            let f = g.faults[i].clone();
            g.faults[i].count -= 1;
            if g.faults[i].count == 0 {
                g.faults.remove(i);
            }
            f
        })
    };
    if let Some(f) = fault.as_ref().filter(|f| !f.after) {
        return ctx.apply_fault(f, &f.mode).await;
    }
    // Permission.
    if !key_has(&key, permission) {
        let e = ApiError::new(
            "missing_endpoint_permission",
            format!("The API key is missing the {permission} permission required by {endpoint}"),
        )
        .meta(json!({"requiredPermission": permission}));
        let e = if key.permission_error_as_200 {
            e
        } else {
            e.status(403)
        };
        return Ok(ctx.fail(e));
    }
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Err(DropConnection),
    };
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" {
        return Ok(ctx.fail(ApiError::invalid(format!(
            "Content-Type must be application/json, got {content_type:?}"
        ))));
    }
    let parsed: Map<String, Value> = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(m)) => m,
        Ok(_) => return Ok(ctx.fail(ApiError::invalid("The request body must be a JSON object"))),
        Err(e) => {
            return Ok(ctx.fail(ApiError::invalid(format!(
                "The request body is not valid JSON: {e}"
            ))))
        }
    };
    // The contract's request schema: what a client may send (the handlers check more).
    if contract().endpoint(&endpoint).is_some() {
        if let Err(violation) = contract().check_request(&endpoint, &Value::Object(parsed.clone()))
        {
            return Ok(ctx.fail(ApiError::invalid(format!(
                "The request does not follow Ashby's API: {violation}"
            ))));
        }
    }
    let result = {
        let mut g = shared.lock();
        dispatch(&mut g.state, &key, &endpoint, &parsed, now_ms())
    };
    // The sandbox must answer only what the contract allows: a violation is the sandbox's bug
    // and fails loudly instead of teaching clients a shape Ashby never sends.
    let result = result.and_then(|m| match m.get("results") {
        Some(results) if contract().endpoint(&endpoint).is_some() => {
            match contract().check_results(&endpoint, results) {
                Ok(()) => Ok(m),
                Err(violation) => {
                    eprintln!("[ashby] contract violation in {endpoint}: {violation}");
                    Err(ApiError::new(
                        "contract_violation",
                        format!("The sandbox answered outside the contract: {violation}"),
                    )
                    .status(500))
                }
            }
        }
        _ => Ok(m),
    });
    if let Some(f) = fault.as_ref().filter(|f| f.after) {
        let label = format!("{}-after", f.mode);
        return ctx.apply_fault(f, &label).await;
    }
    match result {
        Ok(mut m) => {
            ctx.log(Some(200), None, None);
            let mut out = Map::new();
            out.insert("success".into(), true.into());
            out.append(&mut m);
            Ok(api_response(200, &Value::Object(out), None))
        }
        Err(e) => Ok(ctx.fail(e)),
    }
}

// ---------------------------------------------------------------- Fetcher demo site

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn plain(status: u16, text: &str) -> Resp {
    Response::builder()
        .status(status)
        .header("Content-Type", "text/plain; charset=utf-8")
        .body(Full::new(Bytes::from(text.to_string())))
        .expect("valid response")
}

/// Static files with SPA fallback: a path that is not a file and has no asset extension gets
/// the root `index.html`; a missing asset (`/x.js`) is a 404; traversal is a 400.
async fn fetcher_site(shared: &Shared, req: Request<Incoming>) -> Resp {
    let head = req.method() == Method::HEAD;
    if req.method() != Method::GET && !head {
        return plain(405, "method not allowed");
    }
    let raw = req.uri().path();
    let Some(decoded) = percent_decode(raw) else {
        return plain(400, "bad path encoding");
    };
    if decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.split('/').any(|seg| seg == ".." || seg == ".")
    {
        if shared.log {
            eprintln!("[fetcher] {} {raw} -> 400 (traversal)", req.method());
        }
        return plain(400, "path traversal rejected");
    }
    let root = &shared.fetcher_root;
    let rel = decoded.trim_start_matches('/');
    let mut candidate = root.join(rel);
    if candidate.is_dir() {
        candidate = candidate.join("index.html");
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    let file = match candidate.canonicalize() {
        Ok(p) if p.starts_with(&canonical_root) && p.is_file() => Some(p),
        Ok(_) => return plain(400, "path traversal rejected"),
        Err(_) => None,
    };
    let file = match file {
        Some(f) => f,
        None => {
            let last = rel.rsplit('/').next().unwrap_or("");
            let has_ext = Path::new(last).extension().is_some();
            if has_ext {
                return plain(404, "not found");
            }
            root.join("index.html")
        }
    };
    let Ok(bytes) = tokio::fs::read(&file).await else {
        return plain(404, "not found (is --fetcher-root right?)");
    };
    if shared.log {
        eprintln!("[fetcher] {} {raw} -> {}", req.method(), file.display());
    }
    let mut b = Response::builder()
        .status(200)
        .header("Content-Type", content_type(&file))
        .header("Cache-Control", "no-store")
        .header("X-Content-Type-Options", "nosniff");
    if let Some(csp) = &shared.fetcher_csp {
        b = b.header("Content-Security-Policy", csp.as_str());
    }
    let len = bytes.len();
    let body = if head {
        Bytes::new()
    } else {
        Bytes::from(bytes)
    };
    b.header("Content-Length", len.to_string())
        .body(Full::new(body))
        .expect("valid response")
}

// ---------------------------------------------------------------- admin

fn admin_json(status: u16, v: &Value) -> Resp {
    Response::builder()
        .status(status)
        .header("Content-Type", "application/json; charset=utf-8")
        .body(Full::new(Bytes::from(v.to_string())))
        .expect("valid response")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LatencyReq {
    ms: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomFieldsReq {
    on: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RateReq {
    limit: u32,
    #[serde(default)]
    window_seconds: Option<u64>,
}

async fn admin(shared: &Shared, req: Request<Incoming>) -> Resp {
    let method = req.method().clone();
    let path = req.uri().path().trim_end_matches('/').to_string();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let parse = |b: &Bytes| -> Result<Value, String> {
        if b.is_empty() {
            return Ok(json!({}));
        }
        serde_json::from_slice(b).map_err(|e| format!("invalid JSON: {e}"))
    };
    macro_rules! typed {
        ($t:ty) => {
            match parse(&body).and_then(|v| serde_json::from_value::<$t>(v).map_err(|e| e.to_string())) {
                Ok(x) => x,
                Err(e) => return admin_json(400, &json!({ "error": e })),
            }
        };
    }
    let ok = || admin_json(200, &json!({"ok": true}));
    match (method.as_str(), path.as_str()) {
        ("GET", "/admin/state") => {
            let g = shared.lock();
            let mut dump = g.state.dump();
            dump["config"] = json!({
                "latencyMs": g.latency_ms,
                "rateLimit": {"limit": g.rate.limit, "windowSeconds": g.rate.window.as_secs()},
                "pendingFaults": g.faults.iter().map(|f| json!({
                    "endpoint": f.endpoint, "mode": f.mode, "status": f.status,
                    "retryAfter": f.retry_after, "count": f.count, "after": f.after,
                })).collect::<Vec<_>>(),
            });
            admin_json(200, &dump)
        }
        ("GET", "/admin/info") => admin_json(
            200,
            &shared
                .info
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
        ),
        ("GET", "/admin/endpoints") => admin_json(
            200,
            &api::ENDPOINTS
                .iter()
                .map(|(e, p)| json!({"endpoint": e, "permission": p}))
                .collect::<Vec<_>>()
                .into(),
        ),
        ("GET", "/admin/requests") => {
            admin_json(200, &Value::Array(shared.lock().requests.clone()))
        }
        ("POST", "/admin/requests/clear") => {
            shared.lock().requests.clear();
            ok()
        }
        ("POST", "/admin/reset") => {
            {
                let mut g = shared.lock();
                g.state = g.seed.clone();
                g.faults.clear();
                g.latency_ms = 0;
                g.rate = RateLimit::default();
                g.windows.clear();
                g.requests.clear();
            }
            shared.release_hangs();
            ok()
        }
        ("POST", "/admin/release") => {
            shared.release_hangs();
            ok()
        }
        ("POST", "/admin/seed") => {
            let seed = typed!(AdminSeed);
            let mut g = shared.lock();
            match apply_admin_seed(&mut g.state, seed, now_ms()) {
                Ok(created) => admin_json(200, &json!({"ok": true, "ids": created})),
                Err(e) => admin_json(400, &json!({"error": e})),
            }
        }
        ("POST", "/admin/faults") => {
            let v = match parse(&body) {
                Ok(v) => v,
                Err(e) => return admin_json(400, &json!({ "error": e })),
            };
            let list = if v.is_array() {
                v
            } else {
                Value::Array(vec![v])
            };
            let faults: Vec<Fault> = match serde_json::from_value(list) {
                Ok(f) => f,
                Err(e) => return admin_json(400, &json!({"error": e.to_string()})),
            };
            for f in &faults {
                if !matches!(f.mode.as_str(), "status" | "hang" | "drop") {
                    return admin_json(400, &json!({"error": "mode must be status | hang | drop"}));
                }
                if f.endpoint != "*" && permission_for(&f.endpoint).is_none() {
                    return admin_json(
                        400,
                        &json!({"error": format!("unknown endpoint {}", f.endpoint)}),
                    );
                }
                if f.count == 0 {
                    return admin_json(400, &json!({"error": "count must be at least 1"}));
                }
            }
            shared.lock().faults.extend(faults);
            ok()
        }
        ("POST", "/admin/faults/clear") => {
            shared.lock().faults.clear();
            ok()
        }
        ("POST", "/admin/custom-fields") => {
            let c = typed!(CustomFieldsReq);
            shared.lock().state.custom_fields_off = !c.on;
            ok()
        }
        ("POST", "/admin/latency") => {
            let l = typed!(LatencyReq);
            shared.lock().latency_ms = l.ms;
            ok()
        }
        ("POST", "/admin/rate-limit") => {
            let r = typed!(RateReq);
            let mut g = shared.lock();
            g.rate = RateLimit {
                limit: r.limit,
                window: Duration::from_secs(r.window_seconds.unwrap_or(60).max(1)),
            };
            g.windows.clear();
            ok()
        }
        (_, p) if p.starts_with("/admin/") => admin_json(
            404,
            &json!({"error": format!("no admin route {method} {p}")}),
        ),
        _ => admin_json(404, &json!({"error": "not found"})),
    }
}
