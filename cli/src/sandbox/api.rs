//! Server-to-server methods: refund, reversal, status queries, pre-authorization follow-ups.
//! Each handler returns the answer's fields between IPCmethod and Status.

use ipc::{Fields, Node, OutputFormat, PrivateKey, ResponseBuilder};

use super::checks::{money, order_id, value, Checked, Reject};
use super::clock;
use super::state::{Order, Payment, PreAuth, State, TokenKind};
use super::tds;

pub type Body = Vec<(String, Node)>;

fn leaf(name: &str, value: impl Into<String>) -> (String, Node) {
    (name.to_string(), Node::Leaf(value.into()))
}

/// Runs a verified server-to-server request against the state.
pub fn handle(method: &str, f: &Fields, state: &mut State) -> Checked<Body> {
    match method {
        "IPCRefund" => refund(f, state),
        "IPCReversal" => reversal(f, state),
        "IPCGetTxnStatus" => txn_status(f, state),
        "IPCGetPaymentStatus" => payment_status(f, state),
        "IPCGetTxnLog" => txn_log(f, state),
        "IPCPreAuthStatus" => preauth_status(f, state),
        "IPCPreAuthCompletion" => preauth_completion(f, state),
        "IPCPreAuthCancellation" => preauth_cancellation(f, state),
        "IPCIAPurchaseWithToken" => purchase_with_token(f, state),
        "IPCIAPreAuthorization" => ia_preauthorization(f, state),
        "IPCSignatureVerify" => Ok(Vec::new()),
        other => Err(Reject::new(10, format!("unsupported IPCmethod {other}"))),
    }
}

/// Renders and signs an answer (errors are signed answers too, as myPOS does).
pub fn render(
    method: &str,
    result: Checked<Body>,
    format: OutputFormat,
    key: &PrivateKey,
) -> ipc::Result<String> {
    let mut builder = ResponseBuilder::new().field("IPCmethod", method);
    let (status, message) = match result {
        Ok(body) => {
            for (name, node) in body {
                builder = builder.node(name, node);
            }
            (0, "Success".to_string())
        }
        Err(reject) => (reject.status, reject.message),
    };
    builder
        .field("Status", status.to_string())
        .field("StatusMsg", message)
        .sign(format, key)
}

fn order_by_trnref<'a>(f: &Fields, state: &'a mut State) -> Checked<(String, &'a mut Order)> {
    let trnref = value(f, "IPC_Trnref")?;
    let order_key = state
        .trnrefs
        .get(trnref)
        .cloned()
        .ok_or_else(|| Reject::new(5, "unknown IPC_Trnref"))?;
    let order = state
        .orders
        .get_mut(&order_key)
        .ok_or_else(|| Reject::new(5, "unknown IPC_Trnref"))?;
    Ok((order_key, order))
}

fn order<'a>(f: &Fields, state: &'a mut State) -> Checked<(String, &'a mut Order)> {
    let id = order_id(f)?;
    let order = state
        .orders
        .get_mut(&id)
        .ok_or_else(|| Reject::new(5, format!("unknown OrderID {id}")))?;
    Ok((id, order))
}

fn refund(f: &Fields, state: &mut State) -> Checked<Body> {
    let amount = money(f)?;
    let id = order_id(f)?;
    let trnref = value(f, "IPC_Trnref")?.to_string();
    let (order_key, order) = order_by_trnref(f, state)?;
    if order_key != id {
        return Err(Reject::new(5, "IPC_Trnref does not belong to OrderID"));
    }
    if order.payment != Payment::Paid {
        return Err(Reject::new(14, "the payment is not in a refundable state"));
    }
    if order.preauth == Some(PreAuth::Authorized) {
        return Err(Reject::new(
            14,
            "the pre-authorization is not captured; cancel it instead",
        ));
    }
    if amount.currency != order.amount.currency {
        return Err(Reject::new(5, "Currency differs from the payment's"));
    }
    // A captured pre-authorization can give back what was captured, not what was held.
    let taken = match order.preauth {
        Some(PreAuth::Captured) => order.captured,
        _ => order.amount.minor,
    };
    let left = taken - order.refunded;
    if amount.minor > left {
        order.log_with(
            "refund",
            "refused: more than the amount left",
            vec![
                ("IPC_Trnref", trnref.clone()),
                ("Amount", amount.wire()),
                ("Currency", amount.currency.code().to_string()),
            ],
        );
        return Err(Reject::new(
            9,
            "the refund exceeds the amount left to refund",
        ));
    }
    order.refunded += amount.minor;
    order.log_with(
        "refund",
        &format!("refunded {} {}", amount.wire(), amount.currency),
        vec![
            ("IPC_Trnref", trnref.clone()),
            ("Amount", amount.wire()),
            ("Currency", amount.currency.code().to_string()),
        ],
    );
    let total = order.refunded;
    state.events.push(
        "refund",
        &[
            ("order_id", &id),
            ("trnref", &trnref),
            ("amount", &amount.wire()),
            (
                "refunded_total",
                &ipc::Money::new(total, amount.currency).wire(),
            ),
        ],
    );
    Ok(vec![
        leaf("IPC_Trnref", trnref),
        leaf("Amount", amount.wire()),
        leaf("Currency", amount.currency.code()),
    ])
}

fn reversal(f: &Fields, state: &mut State) -> Checked<Body> {
    let trnref = value(f, "IPC_Trnref")?.to_string();
    let (order_key, order) = order_by_trnref(f, state)?;
    if order.payment != Payment::Paid
        || order.refunded != 0
        || order.preauth == Some(PreAuth::Captured)
    {
        return Err(Reject::new(
            14,
            "only an unrefunded paid transaction can be reversed",
        ));
    }
    order.payment = Payment::Reversed;
    if order.preauth == Some(PreAuth::Authorized) {
        order.preauth = Some(PreAuth::Reversed);
    }
    order.log("reversal", "reversed");
    state
        .events
        .push("reversal", &[("order_id", &order_key), ("trnref", &trnref)]);
    Ok(vec![leaf("IPC_Trnref", trnref)])
}

fn txn_status(f: &Fields, state: &mut State) -> Checked<Body> {
    let (id, order) = order(f, state)?;
    let mut body = vec![leaf("OrderID", id)];
    if let Some(message) = &order.last_message {
        let node = Node::Branch(
            message
                .iter()
                .map(|(n, v)| (n.to_string(), Node::Leaf(v.to_string())))
                .collect(),
        );
        body.push(("OrderStatus".into(), node));
    }
    Ok(body)
}

fn payment_status(f: &Fields, state: &mut State) -> Checked<Body> {
    let (id, order) = order(f, state)?;
    Ok(vec![
        leaf("OrderID", id),
        leaf("PaymentMethod", "1"),
        leaf("PaymentStatus", order.payment.code()),
        leaf("Amount", order.amount.wire()),
        leaf("Currency", order.amount.currency.code()),
        leaf("IPC_Trnref", order.trnref.clone().unwrap_or_default()),
        leaf("DateTime", order.paid_at.clone()),
    ])
}

fn txn_log(f: &Fields, state: &mut State) -> Checked<Body> {
    let format = super::checks::output_format(f);
    let (id, order) = order(f, state)?;
    let items = order
        .log
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            // JSON objects cannot repeat a key: number the items there, as PHP arrays do.
            let name = match format {
                OutputFormat::Json => i.to_string(),
                OutputFormat::Xml => "item".to_string(),
            };
            let mut leaves = vec![
                leaf("time", entry.time.as_str()),
                leaf("action", entry.action.as_str()),
                leaf("result", entry.result.as_str()),
            ];
            leaves.extend(entry.extra.iter().map(|(n, v)| leaf(n, v.as_str())));
            (name, Node::Branch(leaves))
        })
        .collect();
    Ok(vec![
        leaf("OrderID", id),
        ("log".into(), Node::Branch(items)),
    ])
}

fn preauth<'a>(f: &Fields, state: &'a mut State) -> Checked<(String, &'a mut Order, PreAuth)> {
    let (id, order) = order(f, state)?;
    let status = order
        .preauth
        .ok_or_else(|| Reject::new(5, "the order is not a pre-authorization"))?;
    Ok((id, order, status))
}

fn preauth_status(f: &Fields, state: &mut State) -> Checked<Body> {
    let (id, order, _) = preauth(f, state)?;
    if order.preauth_expired() {
        // The hold ran out: myPOS releases the amount.
        order.preauth = Some(PreAuth::Reversed);
        order.payment = Payment::Reversed;
        order.log("preauth expiry", "released");
    }
    let status = order.preauth.unwrap_or(PreAuth::Authorized);
    Ok(vec![
        leaf("OrderID", id),
        leaf("IPCPreAuthStatus", status.code()),
        leaf("Amount", order.amount.wire()),
        leaf("Currency", order.amount.currency.code()),
        leaf("PreAuthExpDate", clock::date_at(order.preauth_expires)),
    ])
}

fn preauth_completion(f: &Fields, state: &mut State) -> Checked<Body> {
    let amount = money(f)?;
    let (id, order, status) = preauth(f, state)?;
    if order.preauth_expired() {
        return Err(Reject::new(14, "the pre-authorization has expired"));
    }
    if status != PreAuth::Authorized {
        return Err(Reject::new(14, "the pre-authorization is not open"));
    }
    if amount.currency != order.amount.currency {
        return Err(Reject::new(
            5,
            "Currency differs from the pre-authorization's",
        ));
    }
    if amount.minor > order.amount.minor {
        return Err(Reject::new(
            9,
            "the completion exceeds the authorized amount",
        ));
    }
    order.preauth = Some(PreAuth::Captured);
    order.captured = amount.minor;
    order.log(
        "preauth completion",
        &format!("captured {} {}", amount.wire(), amount.currency),
    );
    let trnref = order.trnref.clone().unwrap_or_default();
    state.events.push(
        "preauth_completion",
        &[("order_id", &id), ("amount", &amount.wire())],
    );
    Ok(vec![
        leaf("OrderID", id),
        leaf("IPC_Trnref", trnref),
        leaf("Amount", amount.wire()),
        leaf("Currency", amount.currency.code()),
    ])
}

fn preauth_cancellation(f: &Fields, state: &mut State) -> Checked<Body> {
    let amount = money(f)?;
    let (id, order, status) = preauth(f, state)?;
    if status != PreAuth::Authorized {
        return Err(Reject::new(14, "the pre-authorization is not open"));
    }
    if amount != order.amount {
        return Err(Reject::new(9, "Amount differs from the authorized amount"));
    }
    order.preauth = Some(PreAuth::Cancelled);
    order.payment = Payment::Reversed;
    order.log("preauth cancellation", "cancelled");
    state
        .events
        .push("preauth_cancellation", &[("order_id", &id)]);
    Ok(vec![
        leaf("OrderID", id),
        leaf("Amount", amount.wire()),
        leaf("Currency", amount.currency.code()),
    ])
}

fn purchase_with_token(f: &Fields, state: &mut State) -> Checked<Body> {
    let amount = money(f)?;
    let id = order_id(f)?;
    let token = value(f, "CardToken")?;
    let (kind, stored_by) = state
        .tokens
        .get(token)
        .map(|t| (t.kind, t.order_id.clone()))
        .ok_or_else(|| Reject::new(5, "unknown CardToken"))?;
    if state
        .orders
        .get(&id)
        .is_some_and(|o| o.payment == Payment::Paid)
    {
        return Err(Reject::new(20, "the OrderID is already paid"));
    }
    if !state.has_room() {
        return Err(Reject::new(3, "sandbox is full"));
    }
    let refused = match kind {
        TokenKind::Expired => Some(Reject::new(22, "the stored card has expired")),
        _ => tds::use_reference(f, token, amount, state).err(),
    };
    let refused = refused.or_else(|| {
        (kind == TokenKind::Declines)
            .then(|| Reject::new(13, "declined by the issuer: not sufficient funds"))
    });
    let trnref = state.new_trnref(&id);
    let mut order = Order::new(amount);
    order.trnref = Some(trnref.clone());
    if let Some(reject) = refused {
        // A refused charge is a failed payment of that OrderID (status queries say so).
        order.payment = Payment::Failed;
        order.log(
            "purchase with token",
            &format!("declined: {}", reject.message),
        );
        state.orders.insert(id.clone(), order);
        state.events.push(
            "purchase_with_token_declined",
            &[("order_id", &id), ("status", &reject.status.to_string())],
        );
        return Err(reject);
    }
    order.payment = Payment::Paid;
    order.paid_at = clock::now_text();
    order.log("purchase with token", "paid");
    state.orders.insert(id.clone(), order);
    state.events.push(
        "purchase_with_token",
        &[
            ("order_id", &id),
            ("trnref", &trnref),
            ("amount", &amount.wire()),
            ("card_stored_by", &stored_by),
        ],
    );
    Ok(vec![
        leaf("OrderID", id),
        leaf("IPC_Trnref", trnref),
        leaf("Amount", amount.wire()),
        leaf("Currency", amount.currency.code()),
    ])
}

/// IPCIAPreAuthorization: holds the amount on a stored card, server to server; completed,
/// cancelled and queried like a browser pre-authorization. No 3-D Secure check (merchant
/// initiated, as IPCAuthorization).
fn ia_preauthorization(f: &Fields, state: &mut State) -> Checked<Body> {
    let amount = money(f)?;
    let id = order_id(f)?;
    let token = value(f, "CardToken")?;
    let kind = state
        .tokens
        .get(token)
        .map(|t| t.kind)
        .ok_or_else(|| Reject::new(5, "unknown CardToken"))?;
    if state.orders.contains_key(&id) {
        return Err(Reject::new(20, "the OrderID is already used"));
    }
    if !state.has_room() {
        return Err(Reject::new(3, "sandbox is full"));
    }
    let refused = match kind {
        TokenKind::Expired => Some(Reject::new(22, "the stored card has expired")),
        TokenKind::Declines => Some(Reject::new(
            13,
            "declined by the issuer: not sufficient funds",
        )),
        _ => None,
    };
    let trnref = state.new_trnref(&id);
    let mut order = Order::new(amount);
    order.trnref = Some(trnref.clone());
    if let Some(reject) = refused {
        order.payment = Payment::Failed;
        order.log(
            "ia preauthorization",
            &format!("declined: {}", reject.message),
        );
        state.orders.insert(id.clone(), order);
        state.events.push(
            "ia_preauthorization_declined",
            &[("order_id", &id), ("status", &reject.status.to_string())],
        );
        return Err(reject);
    }
    let expires = clock::now_secs() + super::state::PREAUTH_DAYS * 86_400;
    order.payment = Payment::Paid;
    order.paid_at = clock::now_text();
    order.preauth = Some(PreAuth::Authorized);
    order.preauth_expires = expires;
    order.log("ia preauthorization", "authorized");
    state.orders.insert(id.clone(), order);
    state.events.push(
        "ia_preauthorization",
        &[
            ("order_id", &id),
            ("trnref", &trnref),
            ("amount", &amount.wire()),
        ],
    );
    Ok(vec![
        leaf("OrderID", id),
        leaf("IPC_Trnref", trnref),
        leaf("Amount", amount.wire()),
        leaf("Currency", amount.currency.code()),
        // Not in myPOS's documentation (as in the pre-authorization notify): when the hold ends.
        leaf("PreAuthExpDate", clock::date_at(expires)),
    ])
}

/// `POST /sandbox/preauth-expiry` (urlencoded `order=<OrderID>&days=<n>`): the open
/// pre-authorization of that OrderID expires `days` days from now (0 or less: it has expired).
pub fn set_preauth_expiry(body: &[u8], state: &mut State) -> Result<serde_json::Value, String> {
    let form = ipc::parse_urlencoded(body).map_err(|e| format!("form: {e}"))?;
    for (name, _) in form.iter() {
        if !matches!(name, "order" | "days") {
            return Err(format!(
                "unknown field '{}'",
                name.chars().take(20).collect::<String>()
            ));
        }
    }
    let id = form.get("order").ok_or("order is missing")?.to_string();
    let days: i64 = form
        .get("days")
        .and_then(|d| d.parse().ok())
        .filter(|d: &i64| (-3650..=3650).contains(d))
        .ok_or("days must be a whole number from -3650 to 3650")?;
    let order = state.orders.get_mut(&id).ok_or_else(|| {
        format!(
            "unknown OrderID '{}'",
            id.chars().take(80).collect::<String>()
        )
    })?;
    if order.preauth != Some(PreAuth::Authorized) {
        return Err("the OrderID has no open pre-authorization".into());
    }
    let now = clock::now_secs() as i64;
    order.preauth_expires = u64::try_from(now + days * 86_400).unwrap_or(0);
    order.log("preauth expiry", &format!("set to {days} days from now"));
    Ok(serde_json::json!({
        "order_id": id,
        "expires": clock::date_at(order.preauth_expires),
    }))
}
