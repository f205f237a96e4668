//! `ipc sandbox`: a local myPOS (docs/architecture.md, "Local sandbox") on 127.0.0.1.

mod api;
mod checks;
mod clock;
mod cron;
mod events;
mod notify;
mod pages;
mod purchase;
mod server;
mod setup;
mod shared;
mod state;
mod tds;

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use crate::args::SandboxArgs;
use crate::fail::{CliResult, Failure};

/// Worker threads (a notify may call back into the sandbox while a payment waits).
const WORKERS: usize = 4;

pub fn run(args: &SandboxArgs) -> CliResult {
    let addr = setup::listen_addr(&args.listen)?;
    let merchant_keys = setup::merchant_keys(&args.merchant_certs)?;
    let mypos = setup::mypos_identity(args)?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| Failure::io(format!("cannot handle signals: {e}")))?;
    }
    let server = tiny_http::Server::http(addr)
        .map_err(|e| Failure::io(format!("cannot listen on {addr}: {e}")))?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or_else(|| Failure::io("listener has no IP address"))?;
    {
        let mut out = std::io::stdout().lock();
        let mut lines = format!("listening on http://127.0.0.1:{port}\n");
        if let Some(path) = &mypos.written_cert {
            lines.push_str(&format!("mypos certificate: {}\n", path.display()));
        }
        out.write_all(lines.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| Failure::io(format!("cannot write stdout: {e}")))?;
    }
    let cleanup = mypos.written_cert.clone().filter(|_| mypos.temporary);
    let shared = shared::Shared {
        identity: checks::Identity {
            sid: args.sid.clone(),
            wallet: args.wallet.clone(),
            merchant_keys,
            mypos_key: std::sync::RwLock::new(std::sync::Arc::new(mypos.key)),
        },
        state: Mutex::new(state::State::default()),
        mypos_cert_pem: std::sync::RwLock::new(mypos.cert_pem),
        written_cert: mypos.written_cert.clone(),
        rollback_schedule: setup::rollback_schedule(&args.rollback_retry)?,
    };
    shared
        .lock()
        .events
        .push("started", &[("port", &port.to_string())]);
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            scope.spawn(|| server::serve(&server, &shared, &stop));
        }
        scope.spawn(|| cron::run(&shared, &stop));
    });
    shared.lock().events.push("stopped", &[]);
    if let Some(path) = cleanup {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}
