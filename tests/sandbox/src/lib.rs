//! A strict local stand-in for the Ashby API subset fetcher-ashby uses (see
//! `/work/shared/ashby-api.md`), plus the Fetcher demo site and an admin API for tests.
//!
//! ```no_run
//! use ashby_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::default());
//! println!("{}", sandbox.ashby_url()); // https://127.0.0.1:PORT
//! let state = sandbox.admin().state();
//! # let _ = state;
//! ```

pub mod api;
pub mod contract;
pub mod model;
pub mod native;
pub mod seed;
pub mod server;
pub mod util;

pub use seed::Seed;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};
use server::Shared;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// Where the demo site lives by default: `<repo>/tests/fixtures/fetcher`.
pub fn default_fetcher_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("fixtures")
        .join("fetcher")
}

#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// 0 = ephemeral.
    pub ashby_port: u16,
    pub fetcher_port: u16,
    pub admin_port: u16,
    pub fetcher_root: PathBuf,
    /// Sent as `Content-Security-Policy` by the Fetcher site when set.
    pub fetcher_csp: Option<String>,
    pub seed: Seed,
    /// Replace the seed's jobs with this many generated ones.
    pub jobs: Option<usize>,
    /// Write `cert.pem` / `key.pem` here when set.
    pub cert_dir: Option<PathBuf>,
    /// Longest a `hang` fault holds a request (unless released earlier).
    pub hang_max: Duration,
    /// Log requests to stderr.
    pub log: bool,
    /// Custom field values on candidates, jobs and applications (on, as in real
    /// organisations; `POST /admin/custom-fields {"on": false}` turns them off live).
    pub custom_fields: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            ashby_port: 0,
            fetcher_port: 0,
            admin_port: 0,
            fetcher_root: default_fetcher_root(),
            fetcher_csp: None,
            seed: Seed::Demo,
            custom_fields: true,
            jobs: None,
            cert_dir: None,
            hang_max: Duration::from_secs(120),
            log: false,
        }
    }
}

/// A running sandbox (own tokio runtime on a background thread). Stops on drop.
pub struct Sandbox {
    ashby_port: u16,
    fetcher_port: u16,
    admin_port: u16,
    cert_pem: String,
    cert_der: Vec<u8>,
    key_pem: String,
    spki: String,
    cert_path: Option<PathBuf>,
    shutdown: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

struct Cert {
    cert_pem: String,
    cert_der: Vec<u8>,
    key_pem: String,
    key_der: Vec<u8>,
    spki: String,
}

fn make_cert() -> Result<Cert, String> {
    let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let mut params = rcgen::CertificateParams::new(vec![
        "api.ashbyhq.com".to_string(),
        "app.fetcher.ai".to_string(),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
    ])
    .map_err(|e| e.to_string())?;
    params.distinguished_name.push(
        rcgen::DnType::CommonName,
        "Ashby sandbox (fetcher-ashby tests)",
    );
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    let spki_hash = ring::digest::digest(&ring::digest::SHA256, &key.public_key_der());
    Ok(Cert {
        cert_pem: cert.pem(),
        cert_der: cert.der().to_vec(),
        key_pem: key.serialize_pem(),
        key_der: key.serialize_der(),
        spki: STANDARD.encode(spki_hash.as_ref()),
    })
}

impl Sandbox {
    /// Starts everything; panics if a listener cannot be bound.
    pub fn start(config: SandboxConfig) -> Sandbox {
        Self::try_start(config).expect("start the Ashby sandbox")
    }

    pub fn try_start(config: SandboxConfig) -> Result<Sandbox, String> {
        let cert = make_cert()?;
        let cert_path = match &config.cert_dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let p = dir.join("cert.pem");
                std::fs::write(&p, &cert.cert_pem).map_err(|e| format!("{}: {e}", p.display()))?;
                let k = dir.join("key.pem");
                std::fs::write(&k, &cert.key_pem).map_err(|e| format!("{}: {e}", k.display()))?;
                Some(p.canonicalize().unwrap_or(p))
            }
            None => None,
        };
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(
                vec![rustls::pki_types::CertificateDer::from(
                    cert.cert_der.clone(),
                )],
                rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key_der.clone().into()),
            )
            .map_err(|e| e.to_string())?;
        let mut tls = tls;
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));

        let mut state = seed::build(config.seed, config.jobs);
        state.custom_fields_off = !config.custom_fields;
        let shared = Shared::new(
            state,
            config.fetcher_root.clone(),
            config.fetcher_csp.clone(),
            config.hang_max,
            config.log,
        );
        let shared_outer = shared.clone();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(u16, u16, u16), String>>();
        let (shutdown_tx, shutdown_rx) = tokio::sync::watch::channel(false);
        let cfg = config.clone();
        let thread = std::thread::Builder::new()
            .name("ashby-sandbox".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.to_string()));
                        return;
                    }
                };
                rt.block_on(async move {
                    let bind = |port: u16| TcpListener::bind(("127.0.0.1", port));
                    let (a, f, m) = match (
                        bind(cfg.ashby_port).await,
                        bind(cfg.fetcher_port).await,
                        bind(cfg.admin_port).await,
                    ) {
                        (Ok(a), Ok(f), Ok(m)) => (a, f, m),
                        (a, f, m) => {
                            let err = [a.err(), f.err(), m.err()].into_iter().flatten().next();
                            let _ = ready_tx.send(Err(format!(
                                "bind: {}",
                                err.map(|e| e.to_string()).unwrap_or_default()
                            )));
                            return;
                        }
                    };
                    let port = |l: &TcpListener| l.local_addr().map_or(0, |a| a.port());
                    let ports = (port(&a), port(&f), port(&m));
                    tokio::spawn(server::serve_tls(
                        a,
                        acceptor.clone(),
                        shared.clone(),
                        false,
                        shutdown_rx.clone(),
                    ));
                    tokio::spawn(server::serve_tls(
                        f,
                        acceptor,
                        shared.clone(),
                        true,
                        shutdown_rx.clone(),
                    ));
                    tokio::spawn(server::serve_admin(m, shared.clone(), shutdown_rx.clone()));
                    let _ = ready_tx.send(Ok(ports));
                    let mut rx = shutdown_rx;
                    let _ = rx.wait_for(|stop| *stop).await;
                });
                rt.shutdown_background();
            })
            .map_err(|e| e.to_string())?;
        let (ashby_port, fetcher_port, admin_port) = ready_rx
            .recv()
            .map_err(|_| "sandbox thread died during start".to_string())??;
        let sandbox = Sandbox {
            ashby_port,
            fetcher_port,
            admin_port,
            cert_pem: cert.cert_pem,
            cert_der: cert.cert_der,
            key_pem: cert.key_pem,
            spki: cert.spki,
            cert_path,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        };
        // `/admin/info` reports the same line the binary prints.
        *shared_outer
            .info
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = sandbox.ready_line();
        Ok(sandbox)
    }

    pub fn ashby_port(&self) -> u16 {
        self.ashby_port
    }
    pub fn fetcher_port(&self) -> u16 {
        self.fetcher_port
    }
    pub fn admin_port(&self) -> u16 {
        self.admin_port
    }
    /// `https://127.0.0.1:PORT` (no trailing slash); endpoints are `{ashby_url}/job.list` etc.
    pub fn ashby_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.ashby_port)
    }
    pub fn fetcher_url(&self) -> String {
        format!("https://127.0.0.1:{}", self.fetcher_port)
    }
    pub fn admin_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.admin_port)
    }
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }
    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }
    /// base64(SHA-256(SubjectPublicKeyInfo)): Chromium's `--ignore-certificate-errors-spki-list`.
    pub fn spki(&self) -> &str {
        &self.spki
    }
    pub fn cert_path(&self) -> Option<&std::path::Path> {
        self.cert_path.as_deref()
    }

    /// The JSON line the binary prints when ready.
    pub fn ready_line(&self) -> Value {
        json!({
            "ashby": self.ashby_port, "fetcher": self.fetcher_port, "admin": self.admin_port,
            "certPem": self.cert_path.as_ref().map(|p| p.display().to_string()),
            "spki": self.spki,
        })
    }

    pub fn admin(&self) -> native::Admin {
        native::Admin::new(self.admin_url())
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(true);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
