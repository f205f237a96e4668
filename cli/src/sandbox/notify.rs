//! Messages myPOS sends to the merchant (docs/protocol.md, "Notify flow"): Notify, OK, Cancel, Rollback, signed with
//! the sandbox's myPOS key; and their server-to-server delivery to URL_Notify.

use std::time::Duration;

use ipc::{Fields, PrivateKey};

/// Time allowed for the merchant to answer a notify.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Largest merchant answer read.
const MAX_ANSWER: u64 = 64 * 1024;

/// Appends the Signature.
pub fn sign(mut fields: Fields, key: &PrivateKey) -> ipc::Result<Fields> {
    let signature = ipc::sign_fields(&fields, key)?;
    fields.push("Signature", signature);
    Ok(fields)
}

/// The outcome of a server-to-server POST to URL_Notify.
#[derive(Debug)]
pub enum Delivery {
    /// HTTP status and body.
    Answered(u16, String),
    /// No HTTP answer (refused, timeout, https without TLS support, bad URL).
    Failed(String),
}

impl Delivery {
    /// The merchant accepted: HTTP 200 and a body of exactly `OK`.
    pub fn accepted(&self) -> bool {
        matches!(self, Delivery::Answered(200, body) if body == "OK")
    }

    pub fn describe(&self) -> String {
        match self {
            Delivery::Answered(code, body) => {
                let shown: String = body.chars().take(40).collect();
                format!("HTTP {code} {shown:?}")
            }
            Delivery::Failed(why) => why.clone(),
        }
    }
}

/// POSTs a signed message to URL_Notify. Plain http only reaches loopback hosts (checked
/// before); https needs TLS, which the sandbox does not do, so it fails like an unreachable host.
pub fn post(url: &str, fields: &Fields) -> Delivery {
    if let Err(e) = ipc::urls::check_url("URL_Notify", url) {
        return Delivery::Failed(e.to_string());
    }
    if !url.starts_with("http://") {
        return Delivery::Failed(
            "the sandbox delivers notifies over plain http to loopback only".into(),
        );
    }
    let agent = ureq::AgentBuilder::new()
        .timeout(TIMEOUT)
        .redirects(0)
        .build();
    let result = agent
        .post(url)
        .set("Content-Type", "application/x-www-form-urlencoded")
        .set("User-Agent", "mypos-ipc-sandbox")
        .send_string(&fields.to_urlencoded());
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Delivery::Failed(format!("no answer: {e}")),
    };
    let status = response.status();
    let mut body = String::new();
    use std::io::Read;
    match response
        .into_reader()
        .take(MAX_ANSWER)
        .read_to_string(&mut body)
    {
        Ok(_) => Delivery::Answered(status, body),
        Err(e) => Delivery::Failed(format!("unreadable answer: {e}")),
    }
}
