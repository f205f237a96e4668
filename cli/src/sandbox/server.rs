//! HTTP: routing, request bodies, answers. Workers share one listener and stop on a flag.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response};

use super::checks::{self, Reject};
use super::shared::Shared;
use super::state::TokenKind;
use super::{api, cron, pages, purchase, tds};

/// Largest request body read: the core's input cap, so the sandbox refuses what myPOS would.
const MAX_BODY: u64 = ipc::limits::MAX_BODY_BYTES as u64;
/// How often idle workers look at the stop flag.
const POLL: Duration = Duration::from_millis(100);

/// Serves requests until `stop` is set.
pub fn serve(server: &tiny_http::Server, shared: &Shared, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        match server.recv_timeout(POLL) {
            Ok(Some(request)) => handle(request, shared),
            Ok(None) => {}
            Err(e) => {
                eprintln!("sandbox: accept failed: {e}");
                std::thread::sleep(POLL);
            }
        }
    }
}

struct Answer {
    status: u16,
    content_type: &'static str,
    body: String,
}

fn answer(status: u16, content_type: &'static str, body: String) -> Answer {
    Answer {
        status,
        content_type,
        body,
    }
}

fn handle(mut request: Request, shared: &Shared) {
    let (path, query) = match request.url().split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (request.url().to_string(), String::new()),
    };
    let method = request.method().clone();
    // The sandbox's own address as the client reached it (for the 3-D Secure page's URL).
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or_else(|| "127.0.0.1".into());
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body);
    let result = if read.is_err() || body.len() as u64 > MAX_BODY {
        answer(
            413,
            "text/plain",
            "request body too large or unreadable\n".into(),
        )
    } else {
        route(
            &method,
            &path,
            &query,
            &body,
            shared,
            &format!("http://{host}"),
        )
    };
    let header = Header::from_bytes(&b"Content-Type"[..], result.content_type.as_bytes());
    let mut response = Response::from_string(result.body).with_status_code(result.status);
    if let Ok(h) = header {
        response = response.with_header(h);
    }
    if let Err(e) = request.respond(response) {
        eprintln!("sandbox: cannot answer {path}: {e}");
    }
}

fn route(
    method: &Method,
    path: &str,
    query: &str,
    body: &[u8],
    shared: &Shared,
    base: &str,
) -> Answer {
    let path = path.trim_end_matches('/');
    match (method, path) {
        (Method::Post, "/vmp/checkout-test" | "/vmp/checkout") => checkout(body, shared, base),
        (Method::Post, "/vmp/payment") => payment(body, shared),
        (Method::Get, "/vmp/tds") => {
            let form = ipc::parse_urlencoded(query.as_bytes()).unwrap_or_default();
            let session = form.get("session").unwrap_or_default();
            html(tds::show(session, shared), shared, "IPCTDSProcess")
        }
        (Method::Post, "/vmp/tds") => {
            let form = ipc::parse_urlencoded(body).unwrap_or_default();
            let session = form.get("session").unwrap_or_default();
            let action = form.get("action").unwrap_or_default();
            html(tds::act(session, action, shared), shared, "IPCTDSProcess")
        }
        (Method::Get, "/sandbox/events") => {
            answer(200, "application/json", shared.lock().events.to_json())
        }
        (Method::Get, "/sandbox/orders") => orders(query, shared),
        (Method::Post, "/sandbox/cron") => {
            let sent = cron::run_due(shared, true);
            answer(
                200,
                "application/json",
                serde_json::Value::Array(sent).to_string(),
            )
        }
        (Method::Get, "/sandbox/faults") => answer(
            200,
            "application/json",
            shared.lock().faults.to_json().to_string(),
        ),
        (Method::Post, "/sandbox/faults") => match cron::set_faults(body, shared) {
            Ok(now) => answer(200, "application/json", now.to_string()),
            Err(why) => answer(400, "text/plain", format!("{why}\n")),
        },
        (Method::Post, "/sandbox/preauth-expiry") => {
            match super::api::set_preauth_expiry(body, &mut shared.lock()) {
                Ok(now) => answer(200, "application/json", now.to_string()),
                Err(why) => answer(400, "text/plain", format!("{why}\n")),
            }
        }
        (Method::Post, "/sandbox/rotate-mypos-cert") => match rotate_mypos_cert(body, shared) {
            Ok(pem) => answer(200, "application/x-pem-file", pem),
            Err(why) => answer(400, "text/plain", format!("{why}\n")),
        },
        (Method::Get, "/sandbox/mypos-cert") => match shared.mypos_cert_pem() {
            Some(pem) => answer(200, "application/x-pem-file", pem),
            None => answer(
                404,
                "text/plain",
                "no certificate known to the sandbox\n".into(),
            ),
        },
        (Method::Get, "") => answer(
            200,
            "text/plain",
            "myPOS IPC sandbox: POST /vmp/checkout-test, GET /sandbox/events\n".into(),
        ),
        _ => answer(404, "text/plain", "not found\n".into()),
    }
}

fn html(result: Result<purchase::Page, Reject>, shared: &Shared, method: &str) -> Answer {
    match result {
        Ok(page) => answer(200, "text/html; charset=utf-8", page.html),
        Err(reject) => {
            shared.lock().events.push(
                "browser_error",
                &[
                    ("method", method),
                    ("status", &reject.status.to_string()),
                    ("message", &reject.message),
                ],
            );
            answer(
                200,
                "text/html; charset=utf-8",
                pages::error(reject.status, &reject.message),
            )
        }
    }
}

fn checkout(body: &[u8], shared: &Shared, base: &str) -> Answer {
    // An unverified look at the method and format, to answer in the right shape.
    let raw = ipc::parse_urlencoded(body).ok();
    let claimed = raw
        .as_ref()
        .and_then(|f| f.get("IPCmethod"))
        .unwrap_or_default()
        .to_string();
    let format = raw
        .as_ref()
        .map(checks::output_format)
        .unwrap_or(ipc::OutputFormat::Xml);
    let verified = checks::authenticate(body, &shared.identity).and_then(|(method, fields)| {
        let required = checks::required_fields(&method)
            .ok_or_else(|| Reject::new(10, format!("unsupported IPCmethod {method}")))?;
        checks::require_all(&fields, required)?;
        Ok((method, fields))
    });
    let redirect = raw.as_ref().and_then(|f| f.get("UseRedirect")) == Some("1");
    if claimed == "IPCTDSProcess" && redirect {
        let result = verified.and_then(|(_, fields)| tds::start_browser(&fields, shared));
        return html(result, shared, &claimed);
    }
    if checks::is_browser_method(&claimed) {
        let result = verified.and_then(|(method, fields)| purchase::start(&method, fields, shared));
        return html(result, shared, &claimed);
    }
    let mut fault = None;
    let mut drop_charge = false;
    let result = match verified {
        Ok((method, fields)) => {
            let mut state = shared.lock();
            if method == "IPCRefund" {
                fault = state.faults.take_refund();
            }
            if method == "IPCIAPurchaseWithToken" {
                drop_charge = state.faults.take_charge_drop();
            }
            if method == "IPCTDSProcess" {
                tds::start_api(&fields, base, &mut state)
            } else {
                api::handle(&method, &fields, &mut state)
            }
        }
        Err(reject) => Err(reject),
    };
    let (status, message) = match &result {
        Ok(_) => ("0".to_string(), String::new()),
        Err(r) => (r.status.to_string(), r.message.clone()),
    };
    shared.lock().events.push(
        "api",
        &[
            ("method", &claimed),
            ("status", &status),
            ("message", &message),
        ],
    );
    let method_name = if claimed.is_empty() {
        "IPCError"
    } else {
        claimed.as_str()
    };
    if drop_charge {
        shared
            .lock()
            .events
            .push("charge_fault", &[("kind", "drop"), ("status", &status)]);
        return answer(504, "text/plain", String::new());
    }
    match fault {
        Some(cron::RefundFault::Drop) => {
            shared
                .lock()
                .events
                .push("refund_fault", &[("kind", "drop"), ("status", &status)]);
            return answer(504, "text/plain", String::new());
        }
        Some(cron::RefundFault::Delay(d)) => {
            shared.lock().events.push(
                "refund_fault",
                &[
                    ("kind", "delay"),
                    ("delay_ms", &d.as_millis().to_string()),
                    ("status", &status),
                ],
            );
            std::thread::sleep(d);
        }
        None => {}
    }
    match api::render(method_name, result, format, &shared.mypos_key()) {
        Ok(text) => {
            let content_type = match format {
                ipc::OutputFormat::Json => "application/json",
                ipc::OutputFormat::Xml => "application/xml",
            };
            answer(200, content_type, text)
        }
        Err(e) => answer(
            500,
            "text/plain",
            format!("sandbox could not sign the answer: {e}\n"),
        ),
    }
}

fn payment(body: &[u8], shared: &Shared) -> Answer {
    let fields = match ipc::parse_urlencoded(body) {
        Ok(f) => f,
        Err(e) => return html(Err(Reject::new(5, format!("form: {e}"))), shared, "payment"),
    };
    let session = fields.get("session").unwrap_or_default();
    // A card typed on the page must be a test card; scripts may leave it out and pay. The test
    // card chosen decides how the card token it may give behaves.
    let kind = TokenKind::from_card(fields.get("card").unwrap_or_default());
    let action = match fields.get("action").unwrap_or_default() {
        "pay" if kind.is_none() => "decline",
        other => other,
    };
    html(
        purchase::act(session, action, kind.unwrap_or(TokenKind::Good), shared),
        shared,
        "payment",
    )
}

/// `GET /sandbox/orders[?shop_order=ID]`: every OrderID the sandbox knows (each attempt is
/// one), with its shop order and attempt number when it is an attempt OrderID.
fn orders(query: &str, shared: &Shared) -> Answer {
    let filter = ipc::parse_urlencoded(query.as_bytes())
        .ok()
        .and_then(|f| f.get("shop_order").map(str::to_string));
    let state = shared.lock();
    let mut list: Vec<(&String, &super::state::Order)> = state
        .orders
        .iter()
        .filter(|(id, _)| {
            filter
                .as_deref()
                .map_or(true, |want| purchase::attempt_of(id).0 == want)
        })
        .collect();
    list.sort_by(|a, b| a.0.cmp(b.0));
    let items: Vec<serde_json::Value> = list
        .into_iter()
        .map(|(id, o)| {
            let (shop_order, attempt) = purchase::attempt_of(id);
            serde_json::json!({
                "order_id": id,
                "shop_order": shop_order,
                "attempt": attempt,
                "payment_status": o.payment.code(),
                "amount": o.amount.wire(),
                "currency": o.amount.currency.code(),
                "trnref": o.trnref.clone().unwrap_or_default(),
                "refunded": ipc::Money::new(o.refunded, o.amount.currency).wire(),
            })
        })
        .collect();
    answer(
        200,
        "application/json",
        serde_json::Value::Array(items).to_string(),
    )
}

/// `POST /sandbox/rotate-mypos-cert` (optional urlencoded `bits=1024|2048|3072|4096`, default
/// 2048): a new myPOS key and self-signed certificate. Every message signed from then on
/// (notifies, rollbacks, redirects, API answers) uses the new key; the new certificate is the
/// answer, what `GET /sandbox/mypos-cert` gives, and is written over the file named at start.
fn rotate_mypos_cert(body: &[u8], shared: &Shared) -> Result<String, String> {
    let form = if body.is_empty() {
        ipc::Fields::default()
    } else {
        ipc::parse_urlencoded(body).map_err(|e| format!("body: {e}"))?
    };
    let bits = match form.get("bits") {
        None => 2048,
        Some(b @ ("1024" | "2048" | "3072" | "4096")) => b.parse().unwrap_or(2048),
        Some(_) => return Err("bits must be 1024, 2048, 3072 or 4096".into()),
    };
    let key = ipc::PrivateKey::generate(bits).map_err(|e| format!("key generation: {e}"))?;
    let cert = crate::cert::self_signed(&key, "myPOS IPC sandbox")
        .map_err(|e| format!("certificate: {}", e.message))?;
    if let Some(path) = &shared.written_cert {
        std::fs::write(path, cert.pem.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let fingerprint = key.public_key().fingerprint_hex();
    *shared
        .identity
        .mypos_key
        .write()
        .unwrap_or_else(|p| p.into_inner()) = std::sync::Arc::new(key);
    *shared
        .mypos_cert_pem
        .write()
        .unwrap_or_else(|p| p.into_inner()) = Some(cert.pem.clone());
    shared
        .lock()
        .events
        .push("mypos_cert_rotated", &[("sha256", &fingerprint)]);
    Ok(cert.pem)
}
