//! Helpers shared by the CLI tests: the built binary, key paths, a sandbox process, a
//! merchant endpoint and a small HTTP client. Everything binds 127.0.0.1 only.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_ipc");
pub const SID: &str = "000000000000010";
pub const WALLET: &str = "61938166610";

/// `tests/data/...` of the core crate (vectors, test keys; see its README).
pub fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(rel)
}

/// `tests/data/keys/...` of the core crate.
pub fn repo_keys(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/keys")
        .join(name)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn vectors(file: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&read(&data(&format!("vectors/{file}")))).unwrap();
    v["vectors"].as_array().unwrap().clone()
}

/// Runs `ipc` with arguments and stdin.
pub fn ipc(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let mut log = format!("$ ipc {}\n", args.join(" ")).into_bytes();
    log.extend_from_slice(&out.stderr);
    keep_log("ipc-stderr.log", &log);
    out
}

/// Under `make test` (MYPOS_TEST_ARTIFACTS set), appends to `<artifacts>/cli/logs/<name>` so
/// the secrets suite scans every error message the CLI printed.
pub fn keep_log(name: &str, bytes: &[u8]) {
    let Some(dir) = std::env::var_os("MYPOS_TEST_ARTIFACTS") else {
        return;
    };
    let dir = PathBuf::from(dir).join("cli/logs");
    std::fs::create_dir_all(&dir).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(name))
        .unwrap();
    f.write_all(bytes).unwrap();
}

/// Under `make test`, copies keys made at test time to `<artifacts>/cli/keys/<name>`.
pub fn keep_key(name: &str, path: &Path) {
    if let Some(dir) = std::env::var_os("MYPOS_TEST_ARTIFACTS") {
        let dir = PathBuf::from(dir).join("cli/keys");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(path, dir.join(name)).unwrap();
    }
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The merchant config the tests sign with (rsa2048 vector keys, KeyIndex 1).
pub fn merchant_config(mypos_cert: &str) -> ipc::Config {
    ipc::Config::builder()
        .sid(SID)
        .wallet(WALLET)
        .key_index(1)
        .private_key_pem(&read(&repo_keys("merchant_private.pem")))
        .mypos_public_key_pem(mypos_cert)
        .build()
        .unwrap()
}

/// A running `ipc sandbox`, stopped with SIGTERM on drop.
pub struct Sandbox {
    child: Option<Child>,
    pub base: String,
    pub mypos_cert: String,
    pub second_line: Option<String>,
}

impl Sandbox {
    /// With the simulated myPOS key from tests/data/test-keys.
    pub fn start() -> Self {
        let key = data("test-keys/simulated-mypos-private-key.pem");
        let cert = data("test-keys/simulated-mypos-cert.pem");
        Self::spawn(
            &[
                "--mypos-key",
                key.to_str().unwrap(),
                "--mypos-cert",
                cert.to_str().unwrap(),
            ],
            false,
        )
    }

    pub fn spawn(extra: &[&str], expect_second_line: bool) -> Self {
        let cert = repo_keys("merchant_cert.pem");
        let merchant = format!("1={}", cert.display());
        let mut args = vec![
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--sid",
            SID,
            "--wallet",
            WALLET,
            "--merchant-cert",
            &merchant,
        ];
        args.extend_from_slice(extra);
        let mut child = Command::new(BIN)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let base = line
            .trim_end()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line was {line:?}"))
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        let second_line = expect_second_line.then(|| {
            let mut l = String::new();
            reader.read_line(&mut l).unwrap();
            l.trim_end().to_string()
        });
        // Keep draining stderr so the sandbox never blocks on a full pipe; keep it as a log.
        let mut err = child.stderr.take().unwrap();
        let log_name = format!("sandbox-{}.err", child.id());
        std::thread::spawn(move || {
            let mut sink = Vec::new();
            let _ = err.read_to_end(&mut sink);
            keep_log(&log_name, &sink);
        });
        let mypos_cert = match &second_line {
            Some(l) => read(&PathBuf::from(
                l.strip_prefix("mypos certificate: ").unwrap(),
            )),
            None => read(&data("test-keys/simulated-mypos-cert.pem")),
        };
        Sandbox {
            child: Some(child),
            base,
            mypos_cert,
            second_line,
        }
    }

    pub fn checkout_url(&self) -> String {
        format!("{}/vmp/checkout-test", self.base)
    }

    pub fn events(&self) -> Vec<serde_json::Value> {
        let (code, body) = get(&format!("{}/sandbox/events", self.base));
        assert_eq!(code, 200);
        serde_json::from_str::<serde_json::Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    /// SIGTERM, then the exit status.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let mut child = self.child.take().unwrap();
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        for _ in 0..100 {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait().unwrap()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if self.child.is_some() {
            self.stop();
        }
    }
}

/// POSTs a urlencoded body; returns status and body.
pub fn post(url: &str, body: &str) -> (u16, String) {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(20))
        .build();
    let result = agent
        .post(url)
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(body);
    match result {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(c, r)) => (c, r.into_string().unwrap()),
        Err(e) => panic!("POST {url}: {e}"),
    }
}

pub fn get(url: &str) -> (u16, String) {
    match ureq::get(url).call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(c, r)) => (c, r.into_string().unwrap()),
        Err(e) => panic!("GET {url}: {e}"),
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#039;", "'")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The first form of a page: its action and hidden inputs in order.
pub fn form(html: &str) -> (String, ipc::Fields) {
    let start = html
        .find("<form")
        .unwrap_or_else(|| panic!("no form in {html}"));
    let tag_end = html[start..].find('>').unwrap() + start;
    let action = attr(&html[start..tag_end], "action").unwrap();
    let form_end = html[tag_end..]
        .find("</form>")
        .map_or(html.len(), |e| e + tag_end);
    let mut fields = ipc::Fields::new();
    let mut rest = &html[tag_end..form_end];
    while let Some(i) = rest.find("<input") {
        let end = rest[i..].find('>').unwrap() + i;
        let tag = &rest[i..end];
        if let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value")) {
            fields.push(n, v);
        }
        rest = &rest[end..];
    }
    (action, fields)
}

/// The payment page's session id.
pub fn session_id(html: &str) -> String {
    let (action, fields) = form(html);
    assert_eq!(action, "/vmp/payment", "{html}");
    fields.get("session").unwrap().to_string()
}

/// How the test merchant answers notifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Ok,
    Http500,
}

/// A merchant URL_Notify endpoint in this process, recording raw bodies.
pub struct Merchant {
    pub url: String,
    pub bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Merchant {
    pub fn start(reply: Reply) -> Self {
        // A rollback is always acknowledged; the notify gets the chosen reply.
        Self::scripted(move |method, _, _| {
            if reply == Reply::Http500 && method == "IPCPurchaseNotify" {
                500
            } else {
                200
            }
        })
    }

    /// Answers each message with the HTTP status `status(IPCmethod, OrderID, n)` gives (`n`:
    /// how many messages with that method came before); body `OK` for 200, else an error text.
    pub fn scripted(status: impl Fn(&str, &str, usize) -> u16 + Send + 'static) -> Self {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let bodies: Arc<Mutex<Vec<Vec<u8>>>> = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (b, s) = (Arc::clone(&bodies), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            for _ in 0..100_000 {
                if s.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(Some(mut req)) = server.recv_timeout(Duration::from_millis(50)) else {
                    continue;
                };
                let mut body = Vec::new();
                req.as_reader().read_to_end(&mut body).unwrap();
                let form = ipc::parse_urlencoded(&body).ok();
                let get = |name: &str| {
                    form.as_ref()
                        .and_then(|f| f.get(name).map(str::to_string))
                        .unwrap_or_default()
                };
                let (method, order_id) = (get("IPCmethod"), get("OrderID"));
                let n = {
                    let mut all = b.lock().unwrap();
                    let n = all
                        .iter()
                        .filter(|prev| {
                            ipc::parse_urlencoded(prev.as_slice())
                                .ok()
                                .and_then(|f| f.get("IPCmethod").map(|m| m == method))
                                .unwrap_or(false)
                        })
                        .count();
                    all.push(body);
                    n
                };
                let resp = match status(&method, &order_id, n) {
                    200 => tiny_http::Response::from_string("OK"),
                    code => {
                        tiny_http::Response::from_string("database down").with_status_code(code)
                    }
                };
                let _ = req.respond(resp);
            }
        });
        Merchant {
            url: format!("http://127.0.0.1:{port}/notify"),
            bodies,
            stop,
            thread: Some(thread),
        }
    }

    pub fn received(&self) -> Vec<Vec<u8>> {
        self.bodies.lock().unwrap().clone()
    }
}

impl Drop for Merchant {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
