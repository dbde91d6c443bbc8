//! `ashby-sandbox`: runs the Ashby sandbox, the Fetcher demo site and the admin API until
//! SIGTERM/SIGINT. Prints one JSON line with the ports, cert path and SPKI hash when ready.

use ashby_sandbox::{Sandbox, SandboxConfig, Seed};
use std::io::Write as _;
use std::path::PathBuf;

const USAGE: &str = "usage: ashby-sandbox [--ashby-port N] [--fetcher-port N] [--admin-port N]
                     [--fetcher-root DIR] [--fetcher-csp POLICY] [--seed demo|empty]
                     [--jobs N] [--cert-dir DIR] [--hang-max-secs N] [--quiet]
Ports default to 0 (ephemeral). Prints {\"ashby\",\"fetcher\",\"admin\",\"certPem\",\"spki\"} on stdout.";

fn parse() -> Result<SandboxConfig, String> {
    let mut c = SandboxConfig {
        log: true,
        ..Default::default()
    };
    let mut cert_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut val = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{flag} needs a value"))
        };
        let port = |v: String| {
            v.parse::<u16>()
                .map_err(|_| format!("{flag}: not a port: {v}"))
        };
        match flag.as_str() {
            "--ashby-port" => c.ashby_port = port(val()?)?,
            "--fetcher-port" => c.fetcher_port = port(val()?)?,
            "--admin-port" => c.admin_port = port(val()?)?,
            "--fetcher-root" => c.fetcher_root = PathBuf::from(val()?),
            "--fetcher-csp" => c.fetcher_csp = Some(val()?),
            "--seed" => c.seed = val()?.parse::<Seed>()?,
            "--jobs" => c.jobs = Some(val()?.parse().map_err(|_| "--jobs: not a number")?),
            "--cert-dir" => cert_dir = Some(PathBuf::from(val()?)),
            "--hang-max-secs" => {
                c.hang_max = std::time::Duration::from_secs(
                    val()?
                        .parse()
                        .map_err(|_| "--hang-max-secs: not a number")?,
                );
            }
            "--quiet" => c.log = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    c.cert_dir = Some(cert_dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("ashby-sandbox-{}", std::process::id()))
    }));
    if !c.fetcher_root.join("index.html").is_file() {
        eprintln!(
            "[sandbox] warning: {} has no index.html; the Fetcher site will answer 404",
            c.fetcher_root.display()
        );
    }
    Ok(c)
}

fn main() {
    let config = match parse() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let sandbox = match Sandbox::try_start(config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ashby-sandbox: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", sandbox.ready_line());
    let _ = out.flush();
    drop(out);
    eprintln!(
        "[sandbox] Ashby API {}  Fetcher site {}  admin {}",
        sandbox.ashby_url(),
        sandbox.fetcher_url(),
        sandbox.admin_url()
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = term.recv() => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    });
    eprintln!("[sandbox] shutting down");
    drop(rt);
    drop(sandbox);
}
