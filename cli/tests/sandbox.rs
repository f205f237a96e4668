//! The sandbox end to end over real HTTP on 127.0.0.1: the six scenarios of docs/protocol.md ("Test scenarios") and the
//! server-to-server state (refunds, reversal, status queries, pre-authorizations, tokens).
//! Requests come from the core's typed builders; every answer and callback is verified.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use ipc::{
    CardTokenRequest, CartItem, Config, Currency, Fields, GetPaymentStatus, GetTxnLog,
    GetTxnStatus, IaPreAuthorization, IaPurchaseWithToken, Message, MessageKind, Money,
    OutputFormat, PreAuthCancellation, PreAuthCompletion, PreAuthStatus, PreAuthorization,
    PublicKey, Purchase, Refund, Response, ReturnUrls, Reversal, SignedRequest,
};

const OK_URL: &str = "http://127.0.0.1:9/shop/ok";
const CANCEL_URL: &str = "http://127.0.0.1:9/shop/cancel";

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::parse("EUR").unwrap())
}

struct World {
    sandbox: Sandbox,
    merchant: Merchant,
    config: Config,
    mypos: PublicKey,
}

fn world(reply: Reply) -> World {
    let sandbox = Sandbox::start();
    let config = merchant_config(&sandbox.mypos_cert);
    let mypos = PublicKey::from_pem(&sandbox.mypos_cert).unwrap();
    World {
        sandbox,
        merchant: Merchant::start(reply),
        config,
        mypos,
    }
}

impl World {
    fn urls(&self) -> ReturnUrls {
        ReturnUrls {
            ok: OK_URL.into(),
            cancel: CANCEL_URL.into(),
            notify: self.merchant.url.clone(),
        }
    }

    /// EUR 24.45: 2 x 10.50 + delivery 3.45.
    fn purchase(&self, order: &str) -> Purchase {
        Purchase::new(order, eur(2445), self.urls())
            .item(CartItem::new("Sticker", 2, 1050))
            .item(CartItem::delivery("Delivery", 345))
    }

    fn post_body(&self, body: &str) -> String {
        let (code, html) = post(&self.sandbox.checkout_url(), body);
        assert_eq!(code, 200);
        html
    }

    /// Opens the payment page; returns its session id.
    fn open(&self, request: &SignedRequest) -> String {
        let html = self.post_body(&request.body());
        session_id(&html)
    }

    fn press(&self, session: &str, action: &str) -> String {
        let (code, html) = post(
            &format!("{}/vmp/payment", self.sandbox.base),
            &format!("session={session}&action={action}"),
        );
        assert_eq!(code, 200);
        html
    }

    fn pay(&self, order: &str) -> String {
        let session = self.open(&self.purchase(order).sign(&self.config).unwrap());
        self.press(&session, "pay")
    }

    /// Posts a server-to-server request and verifies the signed answer.
    fn api(&self, request: SignedRequest) -> Response {
        let (code, body) = post(&self.sandbox.checkout_url(), &request.body());
        assert_eq!(code, 200, "{body}");
        Response::parse_and_verify(body.as_bytes(), None, &self.mypos)
            .unwrap_or_else(|e| panic!("{e}: {body}"))
    }

    fn api_raw(&self, body: &str) -> Response {
        let (code, text) = post(&self.sandbox.checkout_url(), body);
        assert_eq!(code, 200);
        Response::parse_and_verify(text.as_bytes(), None, &self.mypos).unwrap()
    }

    fn payment_status(&self, order: &str) -> u8 {
        let r = self.api(
            GetPaymentStatus {
                order_id: order.into(),
                output: OutputFormat::Xml,
            }
            .sign(&self.config)
            .unwrap(),
        );
        assert_eq!(r.status().0, 0);
        r.payment_status().unwrap()
    }

    fn txn_status(&self, order: &str) -> Response {
        self.api(
            GetTxnStatus {
                order_id: order.into(),
                output: OutputFormat::Json,
            }
            .sign(&self.config)
            .unwrap(),
        )
    }

    /// Callbacks received by the merchant, verified.
    fn callbacks(&self) -> Vec<Message> {
        self.merchant
            .received()
            .iter()
            .map(|b| Message::parse_and_verify(b, &self.mypos).unwrap())
            .collect()
    }

    /// Re-signs `fields` with the merchant key after `edit` (for invalid requests).
    fn resign(
        &self,
        request: &SignedRequest,
        edit: impl Fn(&str, &str) -> Option<String>,
    ) -> String {
        let fields: Fields = request
            .fields()
            .iter()
            .filter(|(n, _)| *n != "Signature")
            .filter_map(|(n, v)| edit(n, v).map(|v| (n.to_string(), v)))
            .collect();
        let mut fields = fields;
        let sig = ipc::sign_fields(&fields, self.config.private_key()).unwrap();
        fields.push("Signature", sig);
        fields.to_urlencoded()
    }
}

/// Rewrites one field of a request (None drops it).
type Edit = dyn Fn(&str, &str) -> Option<String>;

fn names(f: &Fields) -> Vec<&str> {
    f.iter().map(|(n, _)| n).collect()
}

fn trnref(r: &Response) -> String {
    r.order_status()
        .unwrap()
        .get("IPC_Trnref")
        .unwrap()
        .to_string()
}

#[test]
fn scenario5_customer_pays_and_merchant_answers_ok() {
    let w = world(Reply::Ok);
    let html = w.pay("ORDER-5");
    let (action, ok) = form(&html);
    assert_eq!(action, OK_URL);
    let ok = ipc::verify_fields(ok, &w.mypos).unwrap();
    assert_eq!(ok.get("IPCmethod"), Some("IPCPurchaseOK"));
    let callbacks = w.callbacks();
    assert_eq!(callbacks.len(), 1);
    let notify = &callbacks[0];
    assert_eq!(notify.kind(), &MessageKind::PurchaseNotify);
    assert_eq!(
        names(notify.fields()),
        [
            "IPCmethod",
            "SID",
            "Amount",
            "Currency",
            "OrderID",
            "IPC_Trnref",
            "RequestSTAN",
            "RequestDateTime",
            "PaymentMethod",
            "BillingDescriptor",
            "PAN",
            "CustomerEmail",
            "CustomerPhone",
            "CustomerFirstNames",
            "CustomerFamilyName",
        ]
    );
    assert_eq!(notify.get("Amount"), Some("24.45"));
    assert_eq!(notify.get("OrderID"), Some("ORDER-5"));
    assert_eq!(notify.get("SID"), Some(SID));
    // The OK redirect carries the notify's fields (IPCmethod aside).
    let same: Vec<_> = ok.iter().skip(1).collect();
    let notified: Vec<_> = notify.fields().iter().skip(1).collect();
    assert_eq!(same, notified);
    // The core's own notify decision agrees: mark paid, answer OK.
    let decision = ipc::decide(
        notify,
        Some(&ipc::OrderSnapshot {
            amount: eur(2445),
            state: ipc::OrderState::AwaitingPayment,
        }),
        SID,
    );
    assert!(
        matches!(decision.action, ipc::Action::MarkPaid { .. }),
        "{decision:?}"
    );
    // Status queries reflect the payment.
    assert_eq!(w.payment_status("ORDER-5"), 1);
    let status = w.txn_status("ORDER-5");
    let inner = status.order_status().unwrap();
    assert_eq!(inner.get("IPCmethod"), Some("IPCPurchaseNotify"));
    assert_eq!(inner.get("IPC_Trnref"), notify.trnref());
    ipc::verify_fields(inner, &w.mypos).unwrap();
    // A paid OrderID cannot be paid again (code 20): error page, no callback.
    let again = w.post_body(&w.purchase("ORDER-5").sign(&w.config).unwrap().body());
    assert!(again.contains("<span id=\"status\">20</span>"), "{again}");
    assert_eq!(w.merchant.received().len(), 1);
    let events = w.sandbox.events();
    assert!(events
        .iter()
        .any(|e| e["event"] == "notify" && e["accepted"] == "true" && e["order_id"] == "ORDER-5"));
    assert!(events
        .iter()
        .any(|e| e["event"] == "browser_error" && e["status"] == "20"));
}

#[test]
fn scenario6_merchant_does_not_answer_ok_so_payment_is_reversed() {
    let w = world(Reply::Http500);
    let html = w.pay("ORDER-6");
    assert!(html.contains("reversed"), "{html}");
    let (action, cancel) = form(&html);
    assert_eq!(action, CANCEL_URL);
    let cancel = ipc::verify_fields(cancel, &w.mypos).unwrap();
    assert_eq!(cancel.get("IPCmethod"), Some("IPCPurchaseCancel"));
    let callbacks = w.callbacks();
    assert_eq!(callbacks.len(), 2, "notify then rollback");
    assert_eq!(callbacks[0].kind(), &MessageKind::PurchaseNotify);
    assert_eq!(callbacks[1].kind(), &MessageKind::PurchaseRollback);
    assert_eq!(
        names(callbacks[1].fields()),
        ["IPCmethod", "SID", "Amount", "Currency", "OrderID"]
    );
    assert_eq!(callbacks[1].get("Amount"), Some("24.45"));
    assert_eq!(w.payment_status("ORDER-6"), 4);
    let status = w.txn_status("ORDER-6");
    assert_eq!(
        status.order_status().unwrap().get("IPCmethod"),
        Some("IPCPurchaseRollback")
    );
    // Not paid, so a refund is refused and the order can be paid again.
    let refund = w.api(
        Refund {
            order_id: "ORDER-6".into(),
            trnref: callbacks[0].trnref().unwrap().into(),
            amount: eur(100),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(refund.status().0, 14);
    let session = w.open(&w.purchase("ORDER-6").sign(&w.config).unwrap());
    assert!(!session.is_empty());
    let events = w.sandbox.events();
    assert!(events
        .iter()
        .any(|e| e["event"] == "notify" && e["accepted"] == "false"));
    assert!(events
        .iter()
        .any(|e| e["event"] == "rollback" && e["accepted"] == "true"));
}

#[test]
fn scenario4_customer_cancels() {
    let w = world(Reply::Ok);
    let session = w.open(&w.purchase("ORDER-4").sign(&w.config).unwrap());
    let html = w.press(&session, "cancel");
    assert!(html.contains("submit()"), "auto-submitting form");
    let (action, fields) = form(&html);
    assert_eq!(action, CANCEL_URL);
    let fields = ipc::verify_fields(fields, &w.mypos).unwrap();
    assert_eq!(
        names(&fields),
        ["IPCmethod", "SID", "Amount", "Currency", "OrderID"]
    );
    assert_eq!(fields.get("IPCmethod"), Some("IPCPurchaseCancel"));
    assert_eq!(fields.get("OrderID"), Some("ORDER-4"));
    assert!(
        w.merchant.received().is_empty(),
        "no server-to-server message on cancel"
    );
    // The session is finished.
    let html = w.press(&session, "pay");
    assert!(html.contains("<span id=\"status\">23</span>"), "{html}");
    assert_eq!(w.payment_status("ORDER-4"), 2);
}

#[test]
fn scenario1_errors_in_the_request() {
    let w = world(Reply::Ok);
    let signed = w.purchase("ORDER-1").sign(&w.config).unwrap();
    let cases: [(&str, u32, Box<Edit>); 4] = [
        (
            "missing OrderID",
            1,
            Box::new(|n, v| (n != "OrderID").then(|| v.to_string())),
        ),
        (
            "missing URL_Notify",
            1,
            Box::new(|n, v| (n != "URL_Notify").then(|| v.to_string())),
        ),
        (
            "bad Amount",
            5,
            Box::new(|n, v| {
                Some(if n == "Amount" {
                    "24,45".into()
                } else {
                    v.to_string()
                })
            }),
        ),
        (
            "cart mismatch",
            5,
            Box::new(|n, v| {
                Some(if n == "Amount" {
                    "99.00".into()
                } else {
                    v.to_string()
                })
            }),
        ),
    ];
    for (what, status, edit) in cases {
        let html = w.post_body(&w.resign(&signed, edit));
        assert!(html.contains("shopping cart with errors"), "{what}: {html}");
        assert!(
            html.contains(&format!("<span id=\"status\">{status}</span>")),
            "{what}: {html}"
        );
        assert!(!html.contains("name=\"session\""), "{what}");
    }
    let plain_http = Purchase::new(
        "ORDER-1b",
        eur(100),
        ReturnUrls {
            ok: OK_URL.into(),
            cancel: CANCEL_URL.into(),
            notify: "http://127.0.0.1:1/notify".into(),
        },
    )
    .item(CartItem::new("x", 1, 100))
    .sign(&w.config)
    .unwrap();
    let external = w.resign(&plain_http, |n, v| {
        Some(if n == "URL_Notify" {
            "http://shop.example/notify".into()
        } else {
            v.to_string()
        })
    });
    assert!(w
        .post_body(&external)
        .contains("<span id=\"status\">5</span>"));
    assert!(
        w.merchant.received().is_empty(),
        "no callback for a request with errors"
    );
    // Server to server: signed answers with Status 1, 5, 10.
    let refund = Refund {
        order_id: "ORDER-1".into(),
        trnref: "123".into(),
        amount: eur(100),
        output: OutputFormat::Json,
    }
    .sign(&w.config)
    .unwrap();
    let missing = w.api_raw(&w.resign(&refund, |n, v| (n != "Amount").then(|| v.to_string())));
    assert_eq!((missing.status().0, missing.method()), (1, "IPCRefund"));
    let invalid = w.api_raw(&w.resign(&refund, |n, v| {
        Some(if n == "Currency" {
            "EURO".into()
        } else {
            v.to_string()
        })
    }));
    assert_eq!(invalid.status().0, 5);
    let unknown = w.api_raw(&w.resign(&refund, |n, v| {
        Some(if n == "IPCmethod" {
            "IPCTeleport".into()
        } else {
            v.to_string()
        })
    }));
    assert_eq!(unknown.status().0, 10);
    let unknown_trnref = w.api(refund);
    assert_eq!(unknown_trnref.status().0, 5);
}

#[test]
fn scenario2_wrong_signature_is_status_2() {
    let w = world(Reply::Ok);
    let signed = w.purchase("ORDER-2").sign(&w.config).unwrap();
    // Tampered after signing: the browser gets the error page.
    let tampered = signed.body().replace("Amount=24.45", "Amount=2.45");
    assert_ne!(tampered, signed.body());
    let html = w.post_body(&tampered);
    assert!(html.contains("<span id=\"status\">2</span>"), "{html}");
    // Server to server, signed with a key myPOS does not know for KeyIndex 1.
    let wrong = ipc::Config::builder()
        .sid(SID)
        .wallet(WALLET)
        .key_index(1)
        .private_key_pem(&read(&repo_keys("mypos_private.pem")))
        .mypos_public_key_pem(&w.sandbox.mypos_cert)
        .build()
        .unwrap();
    let query = GetTxnStatus {
        order_id: "ORDER-2".into(),
        output: OutputFormat::Xml,
    };
    let r = w.api(query.sign(&wrong).unwrap());
    assert_eq!(r.status().0, 2);
    assert_eq!(r.format(), OutputFormat::Xml);
    // An unknown KeyIndex is a signature failure too.
    let other_index = merchant_config(&w.sandbox.mypos_cert);
    let body = w.resign(&query.sign(&other_index).unwrap(), |n, v| {
        Some(if n == "KeyIndex" {
            "7".into()
        } else {
            v.to_string()
        })
    });
    assert_eq!(w.api_raw(&body).status().0, 2);
    // The wrong store.
    let body = w.resign(&query.sign(&other_index).unwrap(), |n, v| {
        Some(if n == "SID" {
            "999".into()
        } else {
            v.to_string()
        })
    });
    assert_eq!(w.api_raw(&body).status().0, 4);
    assert!(w.merchant.received().is_empty());
    let events = w.sandbox.events();
    assert!(events
        .iter()
        .any(|e| e["event"] == "api" && e["status"] == "2"));
}

#[test]
fn scenario3_callbacks_are_signed_and_tampering_is_detected() {
    let w = world(Reply::Ok);
    w.pay("ORDER-3");
    let raw = w.merchant.received()[0].clone();
    let body = String::from_utf8(raw).unwrap();
    ipc::verify_form(body.as_bytes(), &w.mypos).unwrap();
    let tampered = body.replace("Amount=24.45", "Amount=0.01");
    assert_eq!(
        ipc::verify_form(tampered.as_bytes(), &w.mypos),
        Err(ipc::Error::SignatureInvalid)
    );
    // Re-ordered: swap the first two pairs.
    let mut parts: Vec<&str> = body.split('&').collect();
    parts.swap(0, 1);
    assert_eq!(
        ipc::verify_form(parts.join("&").as_bytes(), &w.mypos),
        Err(ipc::Error::SignatureInvalid)
    );
    // The CLI agrees.
    let cert =
        std::env::temp_dir().join(format!("ipc-sandbox-test-{}-cert.pem", std::process::id()));
    std::fs::write(&cert, &w.sandbox.mypos_cert).unwrap();
    assert_eq!(
        code(&ipc(
            &["verify", "--cert", cert.to_str().unwrap()],
            body.as_bytes()
        )),
        0
    );
    assert_eq!(
        code(&ipc(
            &["verify", "--cert", cert.to_str().unwrap()],
            tampered.as_bytes()
        )),
        1
    );
    let _ = std::fs::remove_file(&cert);
}

#[test]
fn refunds_partial_full_and_over() {
    let w = world(Reply::Ok);
    w.pay("ORDER-R");
    let trn = trnref(&w.txn_status("ORDER-R"));
    let refund = |minor: i64, format: OutputFormat| {
        w.api(
            Refund {
                order_id: "ORDER-R".into(),
                trnref: trn.clone(),
                amount: eur(minor),
                output: format,
            }
            .sign(&w.config)
            .unwrap(),
        )
    };
    let first = refund(1000, OutputFormat::Json);
    assert_eq!(first.status().0, 0, "{}", first.status_msg());
    assert_eq!(
        (
            first.get("IPC_Trnref"),
            first.get("Amount"),
            first.get("Currency")
        ),
        (Some(trn.as_str()), Some("10.00"), Some("EUR"))
    );
    let over = refund(1446, OutputFormat::Xml);
    assert_eq!(over.status().0, 9, "more than the 14.45 left");
    let rest = refund(1445, OutputFormat::Xml);
    assert_eq!(rest.status().0, 0);
    assert_eq!(
        refund(1, OutputFormat::Json).status().0,
        9,
        "fully refunded"
    );
    let log = w.api(
        GetTxnLog {
            order_id: "ORDER-R".into(),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    let refunds: Vec<String> = log
        .txn_log()
        .iter()
        .filter(|f| f.get("action") == Some("refund"))
        .map(|f| f.get("result").unwrap_or_default().to_string())
        .collect();
    assert_eq!(refunds.len(), 4, "{refunds:?}");
    assert_eq!(
        refunds.iter().filter(|r| r.starts_with("refused")).count(),
        2,
        "{refunds:?}"
    );
    let xml_log = w.api(
        GetTxnLog {
            order_id: "ORDER-R".into(),
            output: OutputFormat::Xml,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(xml_log.txn_log().len(), log.txn_log().len());
    // A single over-refund on a fresh payment.
    w.pay("ORDER-R2");
    let trn2 = trnref(&w.txn_status("ORDER-R2"));
    let r = w.api(
        Refund {
            order_id: "ORDER-R2".into(),
            trnref: trn2.clone(),
            amount: eur(3000),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(r.status().0, 9);
    // The trnref of another order is refused.
    let r = w.api(
        Refund {
            order_id: "ORDER-R".into(),
            trnref: trn2,
            amount: eur(100),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(r.status().0, 5);
    let events = w.sandbox.events();
    assert_eq!(events.iter().filter(|e| e["event"] == "refund").count(), 2);
}

#[test]
fn reversal_and_status_queries() {
    let w = world(Reply::Ok);
    w.pay("ORDER-V");
    let trn = trnref(&w.txn_status("ORDER-V"));
    assert_eq!(w.payment_status("ORDER-V"), 1);
    let r = w.api(
        Reversal {
            trnref: trn.clone(),
            output: OutputFormat::Xml,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!((r.status().0, r.get("IPC_Trnref")), (0, Some(trn.as_str())));
    assert_eq!(w.payment_status("ORDER-V"), 4);
    let again = w.api(
        Reversal {
            trnref: trn.clone(),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(again.status().0, 14);
    let refund = w.api(
        Refund {
            order_id: "ORDER-V".into(),
            trnref: trn,
            amount: eur(100),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(refund.status().0, 14);
    // Unknown orders.
    let unknown = w.api(
        GetPaymentStatus {
            order_id: "NOPE".into(),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(unknown.status().0, 5);
    // A declined attempt is "failed" until the buyer pays.
    let session = w.open(&w.purchase("ORDER-D").sign(&w.config).unwrap());
    assert_eq!(w.payment_status("ORDER-D"), 2);
    let page = w.press(&session, "decline");
    assert!(page.contains("declined"), "{page}");
    assert_eq!(w.payment_status("ORDER-D"), 3);
    assert!(w.merchant.received().len() == 1, "a decline sends nothing");
    let (action, _) = form(&w.press(&session, "pay"));
    assert_eq!(action, OK_URL);
    assert_eq!(w.payment_status("ORDER-D"), 1);
}

#[test]
fn preauthorization_completion_and_cancellation() {
    let w = world(Reply::Ok);
    let pre = |order: &str| PreAuthorization {
        order_id: order.into(),
        item_name: "Room 12".into(),
        amount: eur(5000),
        urls: w.urls(),
        note: String::new(),
    };
    for order in ["PRE-1", "PRE-2"] {
        let session = w.open(&pre(order).sign(&w.config).unwrap());
        let (action, _) = form(&w.press(&session, "pay"));
        assert_eq!(action, OK_URL);
    }
    let status = |order: &str| {
        let r = w.api(
            PreAuthStatus {
                order_id: order.into(),
                output: OutputFormat::Json,
            }
            .sign(&w.config)
            .unwrap(),
        );
        assert_eq!(r.status().0, 0);
        r.get("IPCPreAuthStatus").unwrap().to_string()
    };
    assert_eq!(status("PRE-1"), "1");
    let over = w.api(
        PreAuthCompletion {
            order_id: "PRE-1".into(),
            amount: eur(6000),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(over.status().0, 9);
    let done = w.api(
        PreAuthCompletion {
            order_id: "PRE-1".into(),
            amount: eur(4000),
            output: OutputFormat::Xml,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(done.status().0, 0);
    assert_eq!(status("PRE-1"), "3");
    let cancel = w.api(
        PreAuthCancellation {
            order_id: "PRE-2".into(),
            amount: eur(5000),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(cancel.status().0, 0);
    assert_eq!(status("PRE-2"), "6");
    let late = w.api(
        PreAuthCompletion {
            order_id: "PRE-2".into(),
            amount: eur(100),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(late.status().0, 14);
    // An ordinary purchase is not a pre-authorization.
    w.pay("ORDER-P");
    let r = w.api(
        PreAuthStatus {
            order_id: "ORDER-P".into(),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(r.status().0, 5);
}

#[test]
fn preauthorization_expiry_and_refunds() {
    let w = world(Reply::Ok);
    let session = w.open(
        &PreAuthorization {
            order_id: "PRE-9".into(),
            item_name: "Bike".into(),
            amount: eur(5000),
            urls: w.urls(),
            note: String::new(),
        }
        .sign(&w.config)
        .unwrap(),
    );
    w.press(&session, "pay");
    // The notify tells when the hold ends (a sandbox addition).
    let notify = w.callbacks().into_iter().next().unwrap();
    let expiry = notify.get("PreAuthExpDate").unwrap().to_string();
    assert_eq!(expiry.len(), 10, "{expiry}");
    let api = |r: SignedRequest| w.api(r);
    let status = || {
        api(PreAuthStatus {
            order_id: "PRE-9".into(),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap())
    };
    assert_eq!(status().get("PreAuthExpDate"), Some(expiry.as_str()));
    let refund = api(Refund {
        order_id: "PRE-9".into(),
        trnref: notify.trnref().unwrap().into(),
        amount: eur(100),
        output: OutputFormat::Json,
    }
    .sign(&w.config)
    .unwrap());
    assert_eq!(refund.status().0, 14, "no refund before the capture");
    let expire = |form: &str| post(&format!("{}/sandbox/preauth-expiry", w.sandbox.base), form);
    assert_eq!(expire("order=NOPE&days=1").0, 400);
    assert_eq!(expire("order=PRE-9&days=x").0, 400);
    assert_eq!(expire("order=PRE-9&days=1&x=1").0, 400);
    let (code, body) = expire("order=PRE-9&days=-1");
    assert_eq!(code, 200, "{body}");
    let capture = api(PreAuthCompletion {
        order_id: "PRE-9".into(),
        amount: eur(5000),
        output: OutputFormat::Json,
    }
    .sign(&w.config)
    .unwrap());
    assert_eq!(
        (capture.status().0, capture.status_msg()),
        (14, "the pre-authorization has expired")
    );
    let after = status();
    assert_eq!(
        after.get("IPCPreAuthStatus"),
        Some("5"),
        "an expired hold is released"
    );
    assert_ne!(after.get("PreAuthExpDate"), Some(expiry.as_str()));
    assert_eq!(expire("order=PRE-9&days=5").0, 400, "no longer open");
}

#[test]
fn card_token_then_purchase_with_token() {
    let w = world(Reply::Ok);
    let mut purchase = w.purchase("ORDER-T");
    purchase.card_token_request = CardTokenRequest::PayAndStore;
    let session = w.open(&purchase.sign(&w.config).unwrap());
    w.press(&session, "pay");
    let notify = &w.callbacks()[0];
    let names = names(notify.fields());
    assert_eq!(&names[10..14], ["CardToken", "PAN", "ExpDate", "CardType"]);
    let token = notify.card_token().unwrap().to_string();
    let with_token = |order: &str, token: &str| IaPurchaseWithToken {
        order_id: order.into(),
        amount: eur(500),
        card_token: token.into(),
        allow_without_tds: true,
        tds_reference_id: String::new(),
        manager_sid: String::new(),
        account_settlement: String::new(),
        note: String::new(),
        cart: vec![CartItem::new("Refill", 1, 500)],
        output: OutputFormat::Json,
    };
    let r = w.api(with_token("ORDER-T2", &token).sign(&w.config).unwrap());
    assert_eq!(r.status().0, 0, "{}", r.status_msg());
    assert!(r.get("IPC_Trnref").is_some());
    assert_eq!(w.payment_status("ORDER-T2"), 1);
    assert_eq!(
        w.api(with_token("ORDER-T2", &token).sign(&w.config).unwrap())
            .status()
            .0,
        20
    );
    assert_eq!(
        w.api(
            with_token("ORDER-T3", "UNKNOWNTOKEN")
                .sign(&w.config)
                .unwrap()
        )
        .status()
        .0,
        5
    );
}

// ---- saved cards: tokens that decline or expired, 3-D Secure for a stored card (issue 20) ----

impl World {
    /// Pays (or stores, `request`) with a typed test card; returns the notify's token fields.
    fn store_card(&self, order: &str, request: CardTokenRequest, card: &str) -> Fields {
        let mut purchase = self.purchase(order);
        purchase.card_token_request = request;
        let session = self.open(&purchase.sign(&self.config).unwrap());
        let page = self.press(&session, &format!("pay&card={card}"));
        assert!(!page.contains("declined"), "{page}");
        let notify = self.callbacks().pop().unwrap();
        assert_eq!(notify.fields().get("OrderID"), Some(order));
        notify.fields().clone()
    }

    fn charge(&self, order: &str, token: &str, minor: i64, tds: Option<&str>) -> Response {
        self.api(
            IaPurchaseWithToken {
                order_id: order.into(),
                amount: eur(minor),
                card_token: token.into(),
                allow_without_tds: tds.is_none(),
                tds_reference_id: tds.unwrap_or_default().into(),
                manager_sid: String::new(),
                account_settlement: String::new(),
                note: String::new(),
                cart: vec![CartItem::new("Renewal", 1, minor)],
                output: OutputFormat::Json,
            }
            .sign(&self.config)
            .unwrap(),
        )
    }

    fn tds(&self, token: &str, minor: i64, redirect: &str) -> ipc::SignedRequest {
        ipc::GenericRequest::new("IPCTDSProcess")
            .param("Amount", eur(minor).wire())
            .param("Currency", "EUR")
            .param("CardToken", token)
            .param("UseRedirect", redirect)
            .param("ReturnUrl", OK_URL)
            .param("ManagerSID", "")
            .param("OutputFormat", "json")
            .sign(&self.config)
            .unwrap()
    }

    /// Answers the 3-D Secure page at `url`; returns the signed result posted to ReturnUrl.
    fn answer_tds(&self, url: &str, action: &str) -> Message {
        let (code, page) = get(url);
        assert_eq!(code, 200, "{page}");
        assert!(page.contains("3-D Secure"), "{page}");
        let session = tds_session(&page);
        let (code, back) = post(
            &format!("{}/vmp/tds", self.sandbox.base),
            &format!("session={session}&action={action}"),
        );
        assert_eq!(code, 200);
        let (to, fields) = form(&back);
        assert_eq!(to, OK_URL);
        Message::parse_and_verify(fields.to_urlencoded().as_bytes(), &self.mypos).unwrap()
    }
}

/// The 3-D Secure page's session id.
fn tds_session(html: &str) -> String {
    let (action, fields) = form(html);
    assert_eq!(action, "/vmp/tds", "{html}");
    fields.get("session").unwrap().to_string()
}

#[test]
fn saved_test_cards_give_tokens_that_pay_decline_or_have_expired() {
    let w = world(Reply::Ok);
    let good = w.store_card("C-GOOD", CardTokenRequest::PayAndStore, "");
    assert_eq!(
        (good.get("PAN"), good.get("ExpDate"), good.get("CardType")),
        (Some("0007"), Some("3012"), Some("3"))
    );
    let declines = w.store_card(
        "C-DECL",
        CardTokenRequest::PayAndStore,
        "4006+0900+0000+0015",
    );
    assert_eq!(declines.get("PAN"), Some("0015"));
    let expired = w.store_card("C-EXP", CardTokenRequest::StoreOnly, "4006+0900+0000+0023");
    assert_eq!(
        (expired.get("PAN"), expired.get("ExpDate")),
        (Some("0023"), Some("2001"))
    );
    assert!(
        expired.get("Amount").is_none(),
        "a store-only notify has no Amount"
    );

    let paid = w.charge("R-1", good.get("CardToken").unwrap(), 999, None);
    assert_eq!(paid.status().0, 0, "{}", paid.status_msg());
    assert_eq!(w.payment_status("R-1"), 1);

    let r = w.charge("R-2", declines.get("CardToken").unwrap(), 999, None);
    assert_eq!(r.status().0, 13);
    assert!(r.status_msg().contains("not sufficient funds"));
    assert_eq!(
        w.payment_status("R-2"),
        3,
        "a declined charge is a failed payment"
    );

    let r = w.charge("R-3", expired.get("CardToken").unwrap(), 999, None);
    assert_eq!(r.status().0, 22);
    assert_eq!(w.payment_status("R-3"), 3);
    let r = w.api(w.tds(expired.get("CardToken").unwrap(), 999, "0"));
    assert_eq!(r.status().0, 22, "an expired card gets no 3-D Secure check");
}

#[test]
fn ia_preauthorization_holds_a_saved_card_then_captures_or_releases() {
    let w = world(Reply::Ok);
    let good = w.store_card("H-GOOD", CardTokenRequest::PayAndStore, "");
    let declines = w.store_card(
        "H-DECL",
        CardTokenRequest::PayAndStore,
        "4006+0900+0000+0015",
    );
    let hold = |order: &str, token: &str, minor: i64| {
        w.api(
            IaPreAuthorization {
                order_id: order.into(),
                item_name: "Pre-order".into(),
                amount: eur(minor),
                card_token: token.into(),
                note: String::new(),
                output: OutputFormat::Json,
            }
            .sign(&w.config)
            .unwrap(),
        )
    };
    let status = |order: &str| {
        let r = w.api(
            PreAuthStatus {
                order_id: order.into(),
                output: OutputFormat::Json,
            }
            .sign(&w.config)
            .unwrap(),
        );
        (r.status().0, r.get("IPCPreAuthStatus").map(str::to_string))
    };
    let token = good.get("CardToken").unwrap();
    let held = hold("H-1", token, 5000);
    assert_eq!(held.status().0, 0, "{}", held.status_msg());
    assert!(held.get("IPC_Trnref").is_some());
    assert_eq!(held.get("Amount"), Some("50.00"));
    assert_eq!(held.get("PreAuthExpDate").map(str::len), Some(10));
    assert_eq!(status("H-1"), (0, Some("1".into())), "open");
    assert_eq!(
        hold("H-1", token, 5000).status().0,
        20,
        "an OrderID holds once"
    );
    let capture = |order: &str, minor: i64| {
        w.api(
            PreAuthCompletion {
                order_id: order.into(),
                amount: eur(minor),
                output: OutputFormat::Json,
            }
            .sign(&w.config)
            .unwrap(),
        )
        .status()
        .0
    };
    assert_eq!(capture("H-1", 6000), 9, "more than held");
    assert_eq!(capture("H-1", 3000), 0);
    assert_eq!(status("H-1"), (0, Some("3".into())), "captured");

    assert_eq!(hold("H-2", token, 1000).status().0, 0);
    let release = w.api(
        PreAuthCancellation {
            order_id: "H-2".into(),
            amount: eur(1000),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    assert_eq!(release.status().0, 0, "{}", release.status_msg());
    assert_eq!(status("H-2"), (0, Some("6".into())), "released");

    let refused = hold("H-3", declines.get("CardToken").unwrap(), 1000);
    assert_eq!(refused.status().0, 13);
    assert_eq!(
        capture("H-3", 1000),
        5,
        "a refused hold is no pre-authorization"
    );
    assert_eq!(hold("H-4", "UNKNOWNTOKEN", 1000).status().0, 5);
    let holds = w
        .sandbox
        .events()
        .into_iter()
        .filter(|e| e["event"] == "ia_preauthorization")
        .count();
    assert_eq!(holds, 2, "two holds made");
}

#[test]
fn tds_process_then_purchase_with_token_uses_the_reference_once() {
    let w = world(Reply::Ok);
    let card = w.store_card("C-TDS", CardTokenRequest::PayAndStore, "");
    let token = card.get("CardToken").unwrap();

    let r = w.charge("T-0", token, 1500, Some(""));
    assert_eq!(
        r.status().0,
        24,
        "without a reference and without AllowWithoutTDSReferenceID"
    );

    let started = w.api(w.tds(token, 1500, "0"));
    assert_eq!(started.status().0, 0, "{}", started.status_msg());
    let reference = started.get("TDSReferenceID").unwrap().to_string();
    let url = started.get("RedirectURL").unwrap().to_string();
    assert!(url.starts_with(&w.sandbox.base), "{url}");
    let r = w.charge("T-1", token, 1500, Some(&reference));
    assert_eq!(r.status().0, 24, "not answered yet: {}", r.status_msg());

    let back = w.answer_tds(&url, "authenticate");
    assert_eq!(back.method(), "IPCTDSProcess");
    assert_eq!(
        back.fields().get("TDSReferenceID"),
        Some(reference.as_str())
    );
    assert_eq!(back.fields().get("TDSStatus"), Some("1"));
    let r = w.charge("T-2", token, 1600, Some(&reference));
    assert_eq!(r.status().0, 24, "another amount");
    let r = w.charge("T-3", token, 1500, Some(&reference));
    assert_eq!(r.status().0, 0, "{}", r.status_msg());
    assert_eq!(w.payment_status("T-3"), 1);
    let r = w.charge("T-4", token, 1500, Some(&reference));
    assert_eq!(r.status().0, 24, "a reference pays once");
    assert!(r.status_msg().contains("used"));

    // The browser form (UseRedirect=1) opens the same page; a failed check refuses the charge.
    let (code, page) = post(&w.sandbox.checkout_url(), &w.tds(token, 700, "1").body());
    assert_eq!(code, 200);
    let session = tds_session(&page);
    let (_, back) = post(
        &format!("{}/vmp/tds", w.sandbox.base),
        &format!("session={session}&action=fail"),
    );
    let (_, fields) = form(&back);
    assert_eq!(fields.get("TDSStatus"), Some("2"));
    let reference = fields.get("TDSReferenceID").unwrap();
    let r = w.charge("T-5", token, 700, Some(reference));
    assert_eq!(r.status().0, 24);
    assert!(r.status_msg().contains("failed"));
    let (code, page) = get(&format!("{}/vmp/tds?session={session}", w.sandbox.base));
    assert_eq!(code, 200);
    assert!(
        page.contains("unknown or finished"),
        "a finished check is closed"
    );
}

#[test]
fn a_lost_charge_answer_then_the_retry_with_the_same_order_id_is_refused_as_paid() {
    let w = world(Reply::Ok);
    let card = w.store_card("C-LOST", CardTokenRequest::PayAndStore, "");
    let token = card.get("CardToken").unwrap();
    let (code, _) = post(&format!("{}/sandbox/faults", w.sandbox.base), "charge=drop");
    assert_eq!(code, 200);
    let request = IaPurchaseWithToken {
        order_id: "LOST-1".into(),
        amount: eur(500),
        card_token: token.into(),
        allow_without_tds: true,
        tds_reference_id: String::new(),
        manager_sid: String::new(),
        account_settlement: String::new(),
        note: String::new(),
        cart: vec![CartItem::new("Renewal", 1, 500)],
        output: OutputFormat::Json,
    }
    .sign(&w.config)
    .unwrap();
    let (code, body) = post(&w.sandbox.checkout_url(), &request.body());
    assert_eq!((code, body.as_str()), (504, ""), "the answer is lost");
    assert_eq!(w.payment_status("LOST-1"), 1, "but the charge was made");
    let r = w.charge("LOST-1", token, 500, None);
    assert_eq!(r.status().0, 20, "the same OrderID is never charged twice");
    let charges = w
        .sandbox
        .events()
        .iter()
        .filter(|e| e["event"] == "purchase_with_token")
        .count();
    assert_eq!(charges, 1);
}

#[test]
fn signature_verify_probe_answers_signed_xml() {
    let w = world(Reply::Ok);
    let probe = ipc::SignatureVerify {
        url_notify: w.merchant.url.clone(),
    }
    .sign(&w.config)
    .unwrap();
    let (code, body) = post(&w.sandbox.checkout_url(), &probe.body());
    assert_eq!(code, 200);
    assert!(body.starts_with("<?xml"), "{body}");
    let r = Response::parse_and_verify(body.as_bytes(), None, &w.mypos).unwrap();
    assert_eq!(r.status().0, 0);
}

#[test]
fn generated_key_events_and_sigterm() {
    let mut sandbox = Sandbox::spawn(&[], true);
    let line = sandbox.second_line.clone().unwrap();
    assert!(line.starts_with("mypos certificate: "), "{line}");
    let key = PublicKey::from_pem(&sandbox.mypos_cert).unwrap();
    assert_eq!(key.bits(), 2048);
    let (code, served) = get(&format!("{}/sandbox/mypos-cert", sandbox.base));
    assert_eq!((code, served.as_str()), (200, sandbox.mypos_cert.as_str()));
    let config = merchant_config(&sandbox.mypos_cert);
    let (_, body) = post(
        &sandbox.checkout_url(),
        &GetTxnStatus {
            order_id: "X".into(),
            output: OutputFormat::Json,
        }
        .sign(&config)
        .unwrap()
        .body(),
    );
    let r = Response::parse_and_verify(body.as_bytes(), None, &key).unwrap();
    assert_eq!(r.status().0, 5);
    let events = sandbox.events();
    assert_eq!(events[0]["event"], "started");
    assert!(events
        .iter()
        .all(|e| e["seq"].is_u64() && e["time"].is_string()));
    let (code, _) = get(&format!("{}/nowhere", sandbox.base));
    assert_eq!(code, 404);
    let status = sandbox.stop();
    assert!(status.success(), "{status:?}");
    let path = line.strip_prefix("mypos certificate: ").unwrap();
    assert!(
        !std::path::Path::new(path).exists(),
        "the temporary certificate is removed on exit"
    );
}

#[test]
fn bad_sandbox_arguments() {
    let cert = repo_keys("merchant_cert.pem");
    let spec = format!("1={}", cert.display());
    let base = ["sandbox", "--sid", SID, "--wallet", WALLET];
    let run = |extra: &[&str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        ipc(&args, b"")
    };
    assert_eq!(
        code(&run(&["--merchant-cert", &spec, "--listen", "0.0.0.0:0"])),
        64
    );
    assert_eq!(code(&run(&["--merchant-cert", "nonsense"])), 64);
    assert_eq!(code(&run(&["--merchant-cert", "0=x.pem"])), 64);
    let out = run(&["--merchant-cert", "1=/nonexistent.pem"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("/nonexistent.pem"));
    let key = repo_keys("merchant_private.pem");
    // A myPOS certificate that does not match the myPOS key.
    let out = run(&[
        "--merchant-cert",
        &spec,
        "--mypos-key",
        key.to_str().unwrap(),
        "--mypos-cert",
        repo_keys("mypos_cert.pem").to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("does not belong"), "{}", stderr(&out));
    let out = run(&["--merchant-cert", &format!("1={}", key.display())]);
    assert_eq!(
        code(&out),
        2,
        "a private key is not a certificate: {}",
        stderr(&out)
    );
}

#[test]
fn two_sessions_for_one_order_pay_once() {
    let w = world(Reply::Ok);
    let request = w.purchase("ORDER-2S").sign(&w.config).unwrap();
    let first = w.open(&request);
    let second = w.open(&request);
    assert_ne!(first, second);
    let (action, _) = form(&w.press(&first, "pay"));
    assert_eq!(action, OK_URL);
    let html = w.press(&second, "pay");
    assert!(html.contains("<span id=\"status\">20</span>"), "{html}");
    assert_eq!(w.merchant.received().len(), 1, "one notify only");
    // Unknown buttons and sessions get the error page.
    let html = w.press(&first, "refund-me");
    assert!(html.contains("shopping cart with errors"), "{html}");
}

#[test]
fn hostile_bodies_get_clear_answers_and_the_sandbox_keeps_serving() {
    let w = world(Reply::Ok);
    let url = w.sandbox.checkout_url();
    let send = |bytes: &[u8]| match ureq::post(&url).send_bytes(bytes) {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(c, r)) => (c, r.into_string().unwrap_or_default()),
        Err(e) => panic!("{e}"),
    };
    for body in [
        &b"\xff\xfe=\x00"[..],
        b"%zz=1",
        b"&&&",
        b"IPCmethod=IPCRefund&IPCmethod=IPCRefund",
        b"",
    ] {
        let (code, text) = send(body);
        assert_eq!(code, 200);
        let r = Response::parse_and_verify(text.as_bytes(), None, &w.mypos).unwrap();
        assert!(matches!(r.status().0, 1 | 5), "{body:?}: {}", r.status().0);
    }
    // The core's input limits: a body of exactly the cap is read and refused by the parser,
    // one byte more is refused unread; too many fields are named in StatusMsg.
    let (code, text) = send(&vec![b'a'; ipc::limits::MAX_BODY_BYTES]);
    assert_eq!(code, 200);
    let r = Response::parse_and_verify(text.as_bytes(), None, &w.mypos).unwrap();
    assert_eq!(r.status().0, 5, "{}", r.status_msg());
    let (code, _) = send(&vec![b'a'; ipc::limits::MAX_BODY_BYTES + 1]);
    assert_eq!(code, 413);
    let many: String = (0..=ipc::limits::MAX_FIELDS)
        .map(|i| format!("f{i}="))
        .collect::<Vec<_>>()
        .join("&");
    let (code, text) = send(many.as_bytes());
    assert_eq!(code, 200);
    let r = Response::parse_and_verify(text.as_bytes(), None, &w.mypos).unwrap();
    assert_eq!(r.status().0, 5);
    assert!(
        r.status_msg().contains("more than 4096 fields (the limit)"),
        "{}",
        r.status_msg()
    );
    assert_eq!(w.payment_status_or_5("NOPE"), 5);
}

impl World {
    fn payment_status_or_5(&self, order: &str) -> u32 {
        self.api(
            GetPaymentStatus {
                order_id: order.into(),
                output: OutputFormat::Json,
            }
            .sign(&self.config)
            .unwrap(),
        )
        .status()
        .0
    }
}

#[test]
fn a_typed_card_other_than_the_test_card_is_declined() {
    let w = world(Reply::Ok);
    let session = w.open(&w.purchase("ORDER-CARD").sign(&w.config).unwrap());
    let page = w.press(
        &session,
        "pay&card=4111+1111+1111+1111&expiry=12%2F30&cvc=123",
    );
    assert!(page.contains("declined"), "{page}");
    assert!(w.merchant.received().is_empty(), "a decline sends nothing");
    assert_eq!(w.payment_status("ORDER-CARD"), 3);
    let page = w.press(
        &session,
        "pay&card=4006+0900+0000+0007&expiry=12%2F30&cvc=123",
    );
    let (action, _) = form(&page);
    assert_eq!(action, OK_URL);
    assert_eq!(w.payment_status("ORDER-CARD"), 1);
}

// ---- payment attempts, rollback retries and refund faults (issue 15) ----

fn world_with(sandbox: Sandbox, merchant: Merchant) -> World {
    let config = merchant_config(&sandbox.mypos_cert);
    let mypos = PublicKey::from_pem(&sandbox.mypos_cert).unwrap();
    World {
        sandbox,
        merchant,
        config,
        mypos,
    }
}

fn simulated_mypos(extra: &[&str]) -> Sandbox {
    let key = data("test-keys/simulated-mypos-private-key.pem");
    let cert = data("test-keys/simulated-mypos-cert.pem");
    let mut args = vec![
        "--mypos-key",
        key.to_str().unwrap(),
        "--mypos-cert",
        cert.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    Sandbox::spawn(&args, false)
}

impl World {
    /// (IPCmethod, OrderID) of every callback, in arrival order.
    fn callback_log(&self) -> Vec<(String, String)> {
        self.callbacks()
            .iter()
            .map(|m| {
                (
                    m.method().to_string(),
                    m.order_id().unwrap_or_default().to_string(),
                )
            })
            .collect()
    }

    fn count(&self, event: &str) -> usize {
        self.sandbox
            .events()
            .iter()
            .filter(|e| e["event"] == event)
            .count()
    }

    fn faults(&self, form: &str) -> (u16, String) {
        post(&format!("{}/sandbox/faults", self.sandbox.base), form)
    }

    fn shop_order(&self, id: &str) -> Vec<serde_json::Value> {
        let (code, body) = get(&format!(
            "{}/sandbox/orders?shop_order={id}",
            self.sandbox.base
        ));
        assert_eq!(code, 200);
        serde_json::from_str::<serde_json::Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }

    fn refund_request(&self, order: &str, trnref: &str, minor: i64) -> SignedRequest {
        Refund {
            order_id: order.into(),
            trnref: trnref.into(),
            amount: eur(minor),
            output: OutputFormat::Json,
        }
        .sign(&self.config)
        .unwrap()
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

fn pair(method: &str, order: &str) -> (String, String) {
    (method.to_string(), order.to_string())
}

#[test]
fn rollbacks_are_retried_on_the_schedule_until_answered_ok() {
    // The notify fails; the rollback is answered 500 twice, then OK.
    let merchant = Merchant::scripted(|method, _, n| match method {
        "IPCPurchaseRollback" if n < 2 => 500,
        "IPCPurchaseRollback" => 200,
        _ => 500,
    });
    let w = world_with(
        simulated_mypos(&["--rollback-retry", "0.2,0.3,5"]),
        merchant,
    );
    let html = w.pay("wp-3-1");
    assert!(html.contains("reversed"), "{html}");
    wait_until("the third rollback", || w.merchant.received().len() == 4);
    assert_eq!(
        w.callback_log(),
        [
            pair("IPCPurchaseNotify", "wp-3-1"),
            pair("IPCPurchaseRollback", "wp-3-1"),
            pair("IPCPurchaseRollback", "wp-3-1"),
            pair("IPCPurchaseRollback", "wp-3-1"),
        ]
    );
    let events = w.sandbox.events();
    let tries: Vec<(String, String, String)> = events
        .iter()
        .filter(|e| e["event"] == "rollback" || e["event"] == "rollback_retry")
        .map(|e| {
            (
                e["event"].as_str().unwrap().to_string(),
                e["try"].as_str().unwrap().to_string(),
                e["accepted"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let t = |e: &str, n: &str, a: &str| (e.to_string(), n.to_string(), a.to_string());
    assert_eq!(
        tries,
        [
            t("rollback", "1", "false"),
            t("rollback_retry", "2", "false"),
            t("rollback_retry", "3", "true"),
        ]
    );
    assert_eq!(w.count("rollback_queued"), 2);
    std::thread::sleep(std::time::Duration::from_millis(400));
    assert_eq!(w.merchant.received().len(), 4, "no try after the OK");
    // Every try is in the transaction log.
    let log = w.api(
        GetTxnLog {
            order_id: "wp-3-1".into(),
            output: OutputFormat::Xml,
        }
        .sign(&w.config)
        .unwrap(),
    );
    let notifies = log
        .txn_log()
        .iter()
        .filter(|f| {
            f.get("action")
                .is_some_and(|a| a.starts_with("rollback notify"))
        })
        .count();
    assert_eq!(notifies, 3);
}

#[test]
fn a_rollback_never_answered_ok_is_abandoned_after_the_last_try() {
    let merchant = Merchant::scripted(|_, _, _| 503);
    let w = world_with(simulated_mypos(&["--rollback-retry", "0.1,0.1"]), merchant);
    w.pay("wp-4-1");
    wait_until("the abandoned rollback", || {
        w.count("rollback_abandoned") == 1
    });
    assert_eq!(
        w.merchant.received().len(),
        4,
        "notify, then 3 rollback tries"
    );
    assert_eq!(w.payment_status("wp-4-1"), 4);
    // "none": each rollback is sent once.
    let w = world_with(
        simulated_mypos(&["--rollback-retry", "none"]),
        Merchant::scripted(|_, _, _| 500),
    );
    w.pay("wp-4-2");
    wait_until("the abandoned rollback", || {
        w.count("rollback_abandoned") == 1
    });
    assert_eq!(w.merchant.received().len(), 2);
}

/// Scenario 6 of docs/protocol.md (a reversed payment, paid again) with attempts: the notify of attempt 1 is answered 500, myPOS reverses it
/// and its rollback is held by the cron; the buyer pays attempt 2; the late rollback of
/// attempt 1 arrives after that payment.
#[test]
fn a_held_rollback_of_attempt_1_arrives_after_attempt_2_paid() {
    let merchant = Merchant::scripted(|method, order, _| {
        if method == "IPCPurchaseNotify" && order == "wp-8-1" {
            500
        } else {
            200
        }
    });
    let w = world_with(simulated_mypos(&[]), merchant);
    let (code, armed) = w.faults("rollback=hold");
    assert_eq!(code, 200, "{armed}");
    assert!(armed.contains("\"rollback_hold\":1"), "{armed}");
    assert!(w.pay("wp-8-1").contains("reversed"));
    assert_eq!(w.count("rollback_held"), 1);
    assert_eq!(w.callback_log(), [pair("IPCPurchaseNotify", "wp-8-1")]);
    let (action, _) = form(&w.pay("wp-8-2"));
    assert_eq!(action, OK_URL, "attempt 2 is paid");
    let (code, sent) = post(&format!("{}/sandbox/cron", w.sandbox.base), "");
    assert_eq!(code, 200);
    let sent: serde_json::Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent[0]["order_id"], "wp-8-1");
    assert_eq!(sent[0]["accepted"], true);
    assert_eq!(
        w.callback_log(),
        [
            pair("IPCPurchaseNotify", "wp-8-1"),
            pair("IPCPurchaseNotify", "wp-8-2"),
            pair("IPCPurchaseRollback", "wp-8-1"),
        ]
    );
    let attempts = w.shop_order("8");
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(
        (
            &attempts[0]["order_id"],
            &attempts[0]["attempt"],
            &attempts[0]["payment_status"]
        ),
        (&"wp-8-1".into(), &"1".into(), &"4".into())
    );
    assert_eq!(
        (
            &attempts[1]["order_id"],
            &attempts[1]["attempt"],
            &attempts[1]["payment_status"]
        ),
        (&"wp-8-2".into(), &"2".into(), &"1".into())
    );
    let pages: Vec<serde_json::Value> = w
        .sandbox
        .events()
        .into_iter()
        .filter(|e| e["event"] == "payment_page")
        .collect();
    assert_eq!(pages[1]["shop_order"], "8");
    assert_eq!(pages[1]["attempt"], "2");
    // The cron queue is empty now.
    let (_, again) = post(&format!("{}/sandbox/cron", w.sandbox.base), "");
    assert_eq!(again, "[]");
}

/// The buyer opens two attempts and pays both: myPOS takes both (each is its own OrderID); the
/// shop refuses the second notify, so myPOS reverses the second payment.
#[test]
fn the_buyer_pays_two_attempts_and_the_refused_second_one_is_reversed() {
    let merchant = Merchant::scripted(|method, _, n| match method {
        "IPCPurchaseNotify" if n >= 1 => 409,
        _ => 200,
    });
    let w = world_with(simulated_mypos(&[]), merchant);
    let first = w.open(&w.purchase("wp-9-1").sign(&w.config).unwrap());
    let second = w.open(&w.purchase("wp-9-2").sign(&w.config).unwrap());
    let (action, _) = form(&w.press(&first, "pay"));
    assert_eq!(action, OK_URL);
    assert!(w.press(&second, "pay").contains("reversed"));
    assert_eq!(
        w.callback_log(),
        [
            pair("IPCPurchaseNotify", "wp-9-1"),
            pair("IPCPurchaseNotify", "wp-9-2"),
            pair("IPCPurchaseRollback", "wp-9-2"),
        ]
    );
    let states: Vec<String> = w
        .shop_order("9")
        .iter()
        .map(|o| {
            format!(
                "{}:{}",
                o["attempt"].as_str().unwrap(),
                o["payment_status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(states, ["1:1", "2:4"]);
    // A third attempt of the same order can still be opened (myPOS does not know orders).
    assert!(!w
        .open(&w.purchase("wp-9-3").sign(&w.config).unwrap())
        .is_empty());
    assert!(w.shop_order("nothing").is_empty());
}

#[test]
fn refund_answers_can_be_dropped_or_delayed_and_the_refund_still_shows_in_the_log() {
    let w = world(Reply::Ok);
    w.pay("wp-10-1");
    let trn = trnref(&w.txn_status("wp-10-1"));
    let (code, armed) = w.faults("refund=drop");
    assert_eq!(code, 200, "{armed}");
    let request = w.refund_request("wp-10-1", &trn, 1000);
    let (code, body) = post(&w.sandbox.checkout_url(), &request.body());
    assert_eq!((code, body.as_str()), (504, ""), "the answer is lost");
    // The refund was made: the log shows it with its reference, amount and currency.
    let log = w.api(
        GetTxnLog {
            order_id: "wp-10-1".into(),
            output: OutputFormat::Json,
        }
        .sign(&w.config)
        .unwrap(),
    );
    let refunds: Vec<Fields> = log
        .txn_log()
        .into_iter()
        .filter(|f| f.get("action") == Some("refund"))
        .collect();
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].get("result"), Some("refunded 10.00 EUR"));
    assert_eq!(refunds[0].get("IPC_Trnref"), Some(trn.as_str()));
    assert_eq!(refunds[0].get("Amount"), Some("10.00"));
    assert_eq!(refunds[0].get("Currency"), Some("EUR"));
    // The fault was used up: the next refund is answered, and checks against its request.
    let next = w.api(w.refund_request("wp-10-1", &trn, 445));
    assert!(ipc::check_refund_answer(&next, "wp-10-1", eur(445)).is_ok());
    // A delayed answer.
    let (code, _) = w.faults("refund=delay&delay_ms=1200");
    assert_eq!(code, 200);
    let started = std::time::Instant::now();
    let late = w.api(w.refund_request("wp-10-1", &trn, 100));
    assert!(started.elapsed() >= std::time::Duration::from_millis(1200));
    assert_eq!(late.status().0, 0);
    let (_, now) = get(&format!("{}/sandbox/faults", w.sandbox.base));
    assert_eq!(now, r#"{"refund":null,"rollback_hold":0,"charge_drop":0}"#);
    assert_eq!(w.count("refund_fault"), 2);
    // Two refunds dropped in a row, then none.
    assert_eq!(w.faults("refund=drop&times=2").0, 200);
    assert_eq!(w.faults("refund=none").0, 200);
    assert_eq!(w.api(w.refund_request("wp-10-1", &trn, 100)).status().0, 0);
    for bad in [
        "",
        "refund=sometimes",
        "refund=delay",
        "refund=delay&delay_ms=0",
        "refund=delay&delay_ms=600001",
        "rollback=later",
        "refund=drop&times=0",
        "refund=drop&colour=red",
    ] {
        let (code, why) = w.faults(bad);
        assert_eq!(code, 400, "{bad}: {why}");
        assert!(!why.is_empty());
    }
}

#[test]
fn bad_rollback_retry_schedules_are_usage_errors() {
    let cert = repo_keys("merchant_cert.pem");
    let spec = format!("1={}", cert.display());
    for bad in ["", "x", "-1", "0", "1,,2", "90000", "inf"] {
        let out = ipc(
            &[
                "sandbox",
                "--sid",
                SID,
                "--wallet",
                WALLET,
                "--merchant-cert",
                &spec,
                "--rollback-retry",
                bad,
            ],
            b"",
        );
        assert_eq!(code(&out), 64, "{bad:?}: {}", stderr(&out));
    }
}
