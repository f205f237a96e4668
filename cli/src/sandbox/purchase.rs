//! The browser flow (IPCPurchase, IPCPreAuthorization): hosted page, then pay, decline or
//! cancel. Paying sends a signed IPCPurchaseNotify to URL_Notify; if the merchant does not
//! answer `200 OK` the payment is reversed and an IPCPurchaseRollback follows.

use ipc::{Currency, Fields, Money};

use super::checks::{self, require_all, value, Checked, Reject};
use super::clock;
use super::notify::{self, Delivery};
use super::pages;
use super::shared::Shared;
use super::state::{Order, Payment, PreAuth, Session, TokenKind};

/// What the browser gets.
#[derive(Debug)]
pub struct Page {
    pub html: String,
}

fn html(html: String) -> Page {
    Page { html }
}

/// Validates a verified browser request and opens a payment session.
pub fn start(method: &str, f: Fields, shared: &Shared) -> Checked<Page> {
    let preauth = method == "IPCPreAuthorization";
    let (order_id, amount) = validate(method, &f)?;
    let mut state = shared.lock();
    if state
        .orders
        .get(&order_id)
        .is_some_and(|o| o.payment == Payment::Paid)
    {
        return Err(Reject::new(
            20,
            format!("OrderID {order_id} is already paid"),
        ));
    }
    if !state.has_room() {
        return Err(Reject::new(3, "sandbox is full"));
    }
    let session_id = state.new_session_id();
    let order = state
        .orders
        .entry(order_id.clone())
        .or_insert_with(|| Order::new(amount));
    order.amount = amount;
    order.payment = Payment::Pending;
    order.log(method, "payment page opened");
    let session = Session {
        request: f,
        order_id: order_id.clone(),
        amount,
        preauth,
        declined: false,
    };
    let page = pages::payment(&session_id, &session);
    state.sessions.insert(session_id.clone(), session);
    let (shop_order, attempt) = attempt_of(&order_id);
    state.events.push(
        "payment_page",
        &[
            ("method", method),
            ("order_id", &order_id),
            ("amount", &amount.wire()),
            ("session", &session_id),
            ("shop_order", &shop_order),
            ("attempt", &attempt),
        ],
    );
    Ok(html(page))
}

/// The shop order and attempt number an OrderID names (`<prefix>-<order>-<n>`; a bare id is
/// attempt 1); empty texts when it is not an attempt OrderID.
pub fn attempt_of(order_id: &str) -> (String, String) {
    match ipc::AttemptId::parse(order_id) {
        Ok(a) => (a.order().to_string(), a.number().to_string()),
        Err(_) => (String::new(), String::new()),
    }
}

fn validate(method: &str, f: &Fields) -> Checked<(String, Money)> {
    let order_id = checks::order_id(f)?;
    if method == "IPCPreAuthorization" {
        checks::urls(f)?;
        return Ok((order_id, checks::money(f)?));
    }
    let token_request = f.get("CardTokenRequest").unwrap_or("0");
    if !matches!(token_request, "0" | "1" | "2") {
        return Err(Reject::new(5, "CardTokenRequest must be 0, 1 or 2"));
    }
    let ppr = value(f, "PaymentParametersRequired")?;
    if !matches!(ppr, "1" | "2" | "3") {
        return Err(Reject::new(
            5,
            "PaymentParametersRequired must be 1, 2 or 3",
        ));
    }
    if ppr == "1" {
        require_all(
            f,
            &["CustomerEmail", "CustomerFirstNames", "CustomerFamilyName"],
        )?;
    }
    let amount = if token_request == "1" {
        let currency =
            Currency::parse(value(f, "Currency")?).map_err(|e| Reject::new(5, e.to_string()))?;
        Money::new(0, currency)
    } else {
        let amount = checks::money(f)?;
        checks::cart(f, amount)?;
        amount
    };
    checks::urls(f)?;
    Ok((order_id, amount))
}

/// The buyer pressed a button on the payment page (`kind`: the token the typed card gives).
pub fn act(session_id: &str, action: &str, kind: TokenKind, shared: &Shared) -> Checked<Page> {
    match action {
        "pay" => pay(session_id, kind, shared),
        "decline" => decline(session_id, shared),
        "cancel" => cancel(session_id, shared),
        other => Err(Reject::new(
            5,
            format!(
                "unknown action '{}'",
                other.chars().take(20).collect::<String>()
            ),
        )),
    }
}

fn take_session(session_id: &str, shared: &Shared) -> Checked<Session> {
    shared
        .lock()
        .sessions
        .remove(session_id)
        .ok_or_else(|| Reject::new(23, "the payment session is unknown or finished"))
}

fn req<'a>(session: &'a Session, name: &str) -> &'a str {
    session.request.get(name).unwrap_or_default()
}

/// IPCmethod, SID, Amount, Currency, OrderID: the Cancel and Rollback fields.
fn short_message(method: &str, session: &Session) -> Fields {
    let mut f = Fields::new();
    f.push("IPCmethod", method);
    f.push("SID", req(session, "SID"));
    f.push("Amount", session.amount.wire());
    f.push("Currency", session.amount.currency.code());
    f.push("OrderID", session.order_id.as_str());
    f
}

fn cancel(session_id: &str, shared: &Shared) -> Checked<Page> {
    let session = take_session(session_id, shared)?;
    let signed = sign(short_message("IPCPurchaseCancel", &session), shared)?;
    {
        let mut state = shared.lock();
        if let Some(order) = state.orders.get_mut(&session.order_id) {
            order.log("cancel", "buyer cancelled on the payment page");
            order.last_message = Some(signed.clone());
        }
        state
            .events
            .push("cancel", &[("order_id", &session.order_id)]);
    }
    Ok(html(ipc::request::html_form(
        req(&session, "URL_Cancel"),
        &signed,
    )))
}

fn decline(session_id: &str, shared: &Shared) -> Checked<Page> {
    let mut state = shared.lock();
    let session = state
        .sessions
        .get_mut(session_id)
        .ok_or_else(|| Reject::new(23, "the payment session is unknown or finished"))?;
    session.declined = true;
    let page = pages::payment(session_id, session);
    let order_id = session.order_id.clone();
    if let Some(order) = state.orders.get_mut(&order_id) {
        order.payment = Payment::Failed;
        order.log("authorization", "declined");
    }
    state.events.push("decline", &[("order_id", &order_id)]);
    Ok(html(page))
}

fn sign(fields: Fields, shared: &Shared) -> Checked<Fields> {
    notify::sign(fields, &shared.mypos_key())
        .map_err(|e| Reject::new(3, format!("signing failed: {e}")))
}

fn pay(session_id: &str, kind: TokenKind, shared: &Shared) -> Checked<Page> {
    let session = take_session(session_id, shared)?;
    let (notify_fields, trnref) = {
        let mut state = shared.lock();
        let order = state
            .orders
            .get_mut(&session.order_id)
            .ok_or_else(|| Reject::new(23, "the order of this session is gone"))?;
        if order.payment == Payment::Paid || order.paying {
            return Err(Reject::new(
                20,
                format!("OrderID {} is already paid", session.order_id),
            ));
        }
        order.paying = true;
        let trnref = state.new_trnref(&session.order_id);
        let stan = state.new_stan();
        let token = matches!(req(&session, "CardTokenRequest"), "1" | "2")
            .then(|| (state.new_card_token(&session.order_id, kind), kind));
        let mut body = notify_body("IPCPurchaseNotify", &session, &trnref, &stan, token);
        if session.preauth {
            // Not in myPOS's documentation; the sandbox tells the shop when the hold ends
            // so that the "capture before" note can be tested.
            body.push("PreAuthExpDate", clock::date_at(preauth_expiry()));
        }
        (body, trnref)
    };
    let signed = match sign(notify_fields.clone(), shared) {
        Ok(signed) => signed,
        Err(reject) => {
            if let Some(order) = shared.lock().orders.get_mut(&session.order_id) {
                order.paying = false;
            }
            return Err(reject);
        }
    };
    let url_notify = req(&session, "URL_Notify");
    let expires = preauth_expiry();
    let delivery = notify::post(url_notify, &signed);
    let accepted = delivery.accepted();
    {
        let mut state = shared.lock();
        state.events.push(
            "notify",
            &[
                ("order_id", &session.order_id),
                ("trnref", &trnref),
                ("url", url_notify),
                ("answer", &delivery.describe()),
                ("accepted", if accepted { "true" } else { "false" }),
            ],
        );
        if let Some(order) = state.orders.get_mut(&session.order_id) {
            order.paying = false;
            order.trnref = Some(trnref.clone());
            order.last_message = Some(signed.clone());
            order.log("notify", &delivery.describe());
            if accepted {
                order.payment = Payment::Paid;
                order.paid_at = clock::now_text();
                if session.preauth {
                    order.preauth = Some(PreAuth::Authorized);
                    order.preauth_expires = expires;
                }
                order.log("payment", "paid");
            }
        }
    }
    if accepted {
        let ok: Fields = notify_fields
            .iter()
            .map(|(n, v)| (n, if n == "IPCmethod" { "IPCPurchaseOK" } else { v }))
            .collect();
        let ok = sign(ok, shared)?;
        return Ok(html(ipc::request::html_form(req(&session, "URL_OK"), &ok)));
    }
    rollback(&session, &trnref, shared, &delivery)
}

fn rollback(session: &Session, trnref: &str, shared: &Shared, why: &Delivery) -> Checked<Page> {
    let signed = sign(short_message("IPCPurchaseRollback", session), shared)?;
    {
        let mut state = shared.lock();
        if let Some(order) = state.orders.get_mut(&session.order_id) {
            order.payment = Payment::Reversed;
            order.last_message = Some(signed.clone());
            order.log(
                "reversal",
                &format!("merchant did not answer OK ({})", why.describe()),
            );
        }
        state.events.push(
            "reversal",
            &[("order_id", &session.order_id), ("trnref", trnref)],
        );
    }
    super::cron::send_rollback(
        &session.order_id,
        req(session, "URL_Notify"),
        signed,
        shared,
    );
    let cancel = sign(short_message("IPCPurchaseCancel", session), shared)?;
    Ok(html(pages::reversed(req(session, "URL_Cancel"), &cancel)))
}

/// When a pre-authorization made now expires.
fn preauth_expiry() -> u64 {
    clock::now_secs() + super::state::PREAUTH_DAYS * 86_400
}

/// The notify fields in the order of the real notify (docs/protocol.md, "Notify flow").
fn notify_body(
    method: &str,
    s: &Session,
    trnref: &str,
    stan: &str,
    token: Option<(String, TokenKind)>,
) -> Fields {
    let mut f = Fields::new();
    f.push("IPCmethod", method);
    f.push("SID", req(s, "SID"));
    if req(s, "CardTokenRequest") != "1" {
        f.push("Amount", s.amount.wire());
    }
    f.push("Currency", s.amount.currency.code());
    f.push("OrderID", s.order_id.as_str());
    f.push("IPC_Trnref", trnref);
    f.push("RequestSTAN", stan);
    f.push("RequestDateTime", clock::now_text());
    f.push("PaymentMethod", "1");
    f.push("BillingDescriptor", "myPOS  * SANDBOX");
    match token {
        Some((token, kind)) => {
            f.push("CardToken", token);
            f.push("PAN", kind.last4());
            f.push("ExpDate", kind.exp_date());
            f.push("CardType", "3");
        }
        None => f.push("PAN", "0007"),
    }
    if matches!(req(s, "PaymentParametersRequired"), "1" | "2") {
        f.push("CustomerEmail", req(s, "CustomerEmail"));
        f.push("CustomerPhone", req(s, "CustomerPhone"));
        f.push("CustomerFirstNames", req(s, "CustomerFirstNames"));
        f.push("CustomerFamilyName", req(s, "CustomerFamilyName"));
    }
    f
}
