//! IPCTDSProcess: 3-D Secure for a stored card. The request (server to server with
//! `UseRedirect=0`, or a browser form with `UseRedirect=1`) opens a check; the buyer answers it
//! on the sandbox's page; the browser then posts a signed form to `ReturnUrl` with the
//! `TDSReferenceID` and `TDSStatus` (1 authenticated, 2 failed). An IPCIAPurchaseWithToken for
//! the same token and amount may then name that reference, once.

use ipc::request::html_escape as esc;
use ipc::{Fields, Node};

use super::checks::{money, value, Checked, Reject};
use super::notify;
use super::purchase::Page;
use super::shared::Shared;
use super::state::{State, Tds, TdsStatus, TokenKind};

/// The answer of a server-to-server IPCTDSProcess (between IPCmethod and Status).
pub type Body = Vec<(String, Node)>;

/// Validates a verified IPCTDSProcess and opens the check. Returns its reference and the
/// session of its page.
fn open(f: &Fields, state: &mut State) -> Checked<(String, String)> {
    let amount = money(f)?;
    let token = value(f, "CardToken")?;
    let return_url = value(f, "ReturnUrl")?;
    ipc::urls::check_url("ReturnUrl", return_url).map_err(|e| Reject::new(5, e.to_string()))?;
    if !matches!(value(f, "UseRedirect")?, "0" | "1") {
        return Err(Reject::new(5, "UseRedirect must be 0 or 1"));
    }
    let kind = state
        .tokens
        .get(token)
        .map(|t| t.kind)
        .ok_or_else(|| Reject::new(5, "unknown CardToken"))?;
    if kind == TokenKind::Expired {
        return Err(Reject::new(22, "the stored card has expired"));
    }
    if !state.has_room() {
        return Err(Reject::new(3, "sandbox is full"));
    }
    let reference = state.new_tds_reference();
    let session = state.new_session_id();
    state.tds.insert(
        reference.clone(),
        Tds {
            reference: reference.clone(),
            token: token.to_string(),
            amount,
            return_url: return_url.to_string(),
            sid: f.get("SID").unwrap_or_default().to_string(),
            status: TdsStatus::Pending,
        },
    );
    state
        .tds_sessions
        .insert(session.clone(), reference.clone());
    state.events.push(
        "tds_started",
        &[("reference", &reference), ("amount", &amount.wire())],
    );
    Ok((reference, session))
}

/// `UseRedirect=0`: the answer names the reference and the page to send the buyer to.
pub fn start_api(f: &Fields, base: &str, state: &mut State) -> Checked<Body> {
    if f.get("UseRedirect") != Some("0") {
        return Err(Reject::new(
            5,
            "UseRedirect must be 0 for a server-to-server call",
        ));
    }
    let (reference, session) = open(f, state)?;
    Ok(vec![
        ("TDSReferenceID".to_string(), Node::Leaf(reference.clone())),
        (
            "RedirectURL".to_string(),
            Node::Leaf(format!("{base}/vmp/tds?session={session}")),
        ),
    ])
}

/// `UseRedirect=1`: the buyer's browser brought the request; the check's page is the answer.
pub fn start_browser(f: &Fields, shared: &Shared) -> Checked<Page> {
    let mut state = shared.lock();
    let (reference, session) = open(f, &mut state)?;
    let tds = state
        .tds
        .get(&reference)
        .ok_or_else(|| Reject::new(3, "the check is gone"))?;
    Ok(Page {
        html: page(&session, tds),
    })
}

/// `GET /vmp/tds?session=…`: the check's page.
pub fn show(session: &str, shared: &Shared) -> Checked<Page> {
    let state = shared.lock();
    let tds = state
        .tds_sessions
        .get(session)
        .and_then(|r| state.tds.get(r))
        .ok_or_else(|| Reject::new(23, "the 3-D Secure session is unknown or finished"))?;
    Ok(Page {
        html: page(session, tds),
    })
}

/// `POST /vmp/tds` (`session`, `action=authenticate|fail`): ends the check and sends the buyer
/// back to `ReturnUrl` with the signed result.
pub fn act(session: &str, action: &str, shared: &Shared) -> Checked<Page> {
    let status = match action {
        "authenticate" => TdsStatus::Authenticated,
        "fail" => TdsStatus::Failed,
        _ => return Err(Reject::new(5, "action must be authenticate or fail")),
    };
    let tds = {
        let mut state = shared.lock();
        let reference = state
            .tds_sessions
            .remove(session)
            .ok_or_else(|| Reject::new(23, "the 3-D Secure session is unknown or finished"))?;
        let tds = state
            .tds
            .get_mut(&reference)
            .ok_or_else(|| Reject::new(23, "the 3-D Secure session is unknown or finished"))?;
        tds.status = status;
        let tds = tds.clone();
        state.events.push(
            "tds_result",
            &[("reference", &reference), ("result", action)],
        );
        tds
    };
    let mut f = Fields::new();
    f.push("IPCmethod", "IPCTDSProcess");
    f.push("SID", tds.sid.as_str());
    f.push("Amount", tds.amount.wire());
    f.push("Currency", tds.amount.currency.code());
    f.push("TDSReferenceID", tds.reference.as_str());
    f.push(
        "TDSStatus",
        if status == TdsStatus::Authenticated {
            "1"
        } else {
            "2"
        },
    );
    let signed = notify::sign(f, &shared.mypos_key())
        .map_err(|e| Reject::new(3, format!("signing failed: {e}")))?;
    Ok(Page {
        html: ipc::request::html_form(&tds.return_url, &signed),
    })
}

/// Checks the 3-D Secure reference of an IPCIAPurchaseWithToken and uses it up.
pub fn use_reference(
    f: &Fields,
    token: &str,
    amount: ipc::Money,
    state: &mut State,
) -> Checked<()> {
    if f.get("AllowWithoutTDSReferenceID") == Some("1") {
        return Ok(());
    }
    let reference = f.get("TDSReferenceID").unwrap_or_default();
    if reference.is_empty() {
        return Err(Reject::new(
            24,
            "TDSReferenceID is required unless AllowWithoutTDSReferenceID=1",
        ));
    }
    let tds = state
        .tds
        .get_mut(reference)
        .ok_or_else(|| Reject::new(24, "unknown TDSReferenceID"))?;
    if tds.token != token || tds.amount != amount {
        return Err(Reject::new(
            24,
            "the TDSReferenceID was made for another card or amount",
        ));
    }
    match tds.status {
        TdsStatus::Authenticated => {
            tds.status = TdsStatus::Used;
            Ok(())
        }
        TdsStatus::Pending => Err(Reject::new(24, "3-D Secure is not finished")),
        TdsStatus::Failed => Err(Reject::new(24, "3-D Secure authentication failed")),
        TdsStatus::Used => Err(Reject::new(24, "the TDSReferenceID was used already")),
    }
}

fn page(session: &str, tds: &Tds) -> String {
    let body = format!(
        "<p>3-D Secure check for a stored card, <b id=\"amount\">{amount} {currency}</b>.</p>\n\
         <form method=\"post\" action=\"/vmp/tds\">\n\
         <input type=\"hidden\" name=\"session\" value=\"{sid}\">\n\
         <button type=\"submit\" name=\"action\" value=\"authenticate\">Authenticate</button>\n\
         <button type=\"submit\" name=\"action\" value=\"fail\">Fail</button>\n\
         </form>\n",
        amount = esc(&tds.amount.wire()),
        currency = esc(tds.amount.currency.code()),
        sid = esc(session),
    );
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>3-D Secure - myPOS sandbox</title></head>\n\
         <body>\n<h1>3-D Secure</h1>\n{body}</body></html>\n"
    )
}
