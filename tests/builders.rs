//! Typed request builders and notify decisions.

mod common;

use common::*;
use ipc::*;

fn config() -> Config {
    Config::builder()
        .sid("000000000000010")
        .wallet("61938166610")
        .key_index(1)
        .private_key_pem(&read("keys/merchant_private.pem"))
        .mypos_public_key_pem(&read("keys/mypos_cert.pem"))
        .source("SDK_PHP_1.3.1")
        .build()
        .unwrap()
}

fn merchant_pub() -> PublicKey {
    public_key("keys/merchant_cert.pem")
}

fn urls() -> ReturnUrls {
    ReturnUrls {
        ok: "https://merchant.example/payment/ok".into(),
        cancel: "https://merchant.example/payment/cancel".into(),
        notify: "https://merchant.example/payment/notify".into(),
    }
}

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::parse("EUR").unwrap())
}

#[test]
fn purchase_matches_the_sdk_field_order_with_two_decimals() {
    let main = json("vectors/rsa2048/purchase_main.json");
    let sdk: Vec<String> = main["params_in_signing_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[0].as_str().unwrap().to_string())
        .collect();
    let mut p = Purchase::new("ORD-2026-0001", eur(2445), urls())
        .item(CartItem::new("HP ProBook 6360b sticker", 2, 1050))
        .item(CartItem::delivery("Delivery", 345));
    p.note = "Order 1001".into();
    p.payment_parameters = PaymentParameters::Full;
    p.customer = Customer {
        email: "name@website.com".into(),
        phone: "+23568956958".into(),
        first_names: "John".into(),
        family_name: "Smith".into(),
        country: "DEU".into(),
        city: "Hamburg".into(),
        zip_code: "20095".into(),
        address: "Kleine Bahnstr. 41".into(),
    };
    let signed = p.sign(&config()).unwrap();
    let names: Vec<String> = signed.fields().iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(names, sdk);
    let f = signed.fields();
    assert_eq!(
        (
            f.get("Amount"),
            f.get("Price_1"),
            f.get("Amount_1"),
            f.get("Delivery_2")
        ),
        (Some("24.45"), Some("10.50"), Some("21.00"), Some("1"))
    );
    ipc::verify_form(signed.body().as_bytes(), &merchant_pub()).unwrap();
    assert_eq!(signed.action_url(), config::TEST_URL);
}

#[test]
fn special_characters_round_trip_through_body_and_form() {
    let names = [
        "Fish & Chips",
        "\"Quoted\" 'single'",
        "<b>bold</b>",
        "Emoji 😀⚡",
        "Кирилица",
        "dash-in-name - yes",
        "a &amp; b",
    ];
    let mut p = Purchase::new("ORDER-&<>\"'", eur(700), urls());
    for n in names {
        p = p.item(CartItem::new(n, 1, 100));
    }
    let signed = p.sign(&config()).unwrap();
    let parsed = ipc::verify_form(signed.body().as_bytes(), &merchant_pub()).unwrap();
    for (i, n) in names.iter().enumerate() {
        assert_eq!(parsed.get(&format!("Article_{}", i + 1)), Some(*n));
    }
    let html = signed.html_form();
    assert!(
        html.contains("value=\"a &amp;amp; b\""),
        "a literal &amp; stays literal"
    );
    assert!(html.contains("value=\"&lt;b&gt;bold&lt;/b&gt;\""));
    assert!(!html.contains("<b>bold"));
}

#[test]
fn the_form_submits_itself_by_id_alone_or_embedded() {
    let signed = Purchase::new("O-ID", eur(700), urls())
        .item(CartItem::new("Mug", 1, 700))
        .sign(&config())
        .unwrap();
    let page = signed.html_form();
    assert!(!page.contains("forms[0]"));
    assert!(page.contains("<form id=\"mypos-ipc\""));
    assert!(page.contains("document.getElementById(\"mypos-ipc\").submit();"));
    let embedded = signed
        .html_form_embedded("shop-pay_1", "Pay <now> & go")
        .unwrap();
    assert!(embedded.starts_with("<form id=\"shop-pay_1\" method=\"post\""));
    assert!(!embedded.contains("<body") && !embedded.contains("<html"));
    assert!(embedded.contains("document.getElementById(\"shop-pay_1\").submit();"));
    assert!(embedded.contains("<button type=\"submit\">Pay &lt;now&gt; &amp; go</button>"));
    for (name, value) in signed.fields().iter() {
        assert!(embedded.contains(&format!(
            "name=\"{}\" value=\"{}\"",
            ipc::request::html_escape(name),
            ipc::request::html_escape(value)
        )));
    }
    for bad in ["", "1abc", "a\"b", "a b", "x);alert(1", &"a".repeat(65)] {
        let e = signed.html_form_embedded(bad, "Pay").unwrap_err();
        assert_eq!(e.kind(), ipc::ErrorKind::InvalidRequest, "{bad}");
        assert!(e.to_string().contains("'form_id'"), "{e}");
    }
}

#[test]
fn line_breaks_never_reach_a_browser_form() {
    let mut p = Purchase::new("O-1", eur(100), urls()).item(CartItem::new(
        "Gift card\r\nwith message",
        1,
        100,
    ));
    p.note = "line one\nline two".into();
    let f = p.sign(&config()).unwrap();
    assert_eq!(f.fields().get("Note"), Some("line one line two"));
    assert_eq!(f.fields().get("Article_1"), Some("Gift card with message"));
}

#[test]
fn zero_decimal_currencies() {
    let huf = Money::new(1500, Currency::parse("HUF").unwrap());
    let p = Purchase::new("O-HUF", huf, urls()).item(CartItem::new("Thing", 3, 500));
    let f = p.sign(&config()).unwrap();
    assert_eq!(
        (f.fields().get("Amount"), f.fields().get("Price_1")),
        (Some("1500"), Some("500"))
    );
}

#[test]
fn discounts_and_cart_totals() {
    let ok = Purchase::new("O-2", eur(950), urls())
        .item(CartItem::new("Thing", 1, 1000))
        .item(CartItem::new("Promo -5%", 1, -50));
    assert_eq!(
        ok.sign(&config()).unwrap().fields().get("Price_2"),
        Some("-0.50")
    );
    let bad = Purchase::new("O-3", eur(1000), urls()).item(CartItem::new("Thing", 1, 999));
    let err = bad.sign(&config()).unwrap_err();
    assert!(err.to_string().contains("add up to 9.99"), "{err}");
}

#[test]
fn builder_validation_names_the_field() {
    let field = |r: Result<SignedRequest>| match r.unwrap_err() {
        Error::InvalidRequest { field, .. } => field,
        other => panic!("{other}"),
    };
    let base = || Purchase::new("O-4", eur(100), urls()).item(CartItem::new("Thing", 1, 100));
    let mut p = base();
    p.urls.notify = "http://merchant.example/notify".into();
    assert_eq!(field(p.sign(&config())), "URL_Notify");
    let mut p = base();
    p.urls.ok = "http://127.0.0.1:8080/ok".into();
    assert!(p.sign(&config()).is_ok());
    let mut p = base();
    p.order_id = String::new();
    assert_eq!(field(p.sign(&config())), "OrderID");
    let mut p = base();
    p.payment_parameters = PaymentParameters::Full;
    assert_eq!(field(p.sign(&config())), "customeremail");
    let mut p = base();
    p.cart[0].quantity = 0;
    assert_eq!(field(p.sign(&config())), "Quantity_1");
    let mut p = base();
    p.note = "bell\u{7}".into();
    assert_eq!(field(p.sign(&config())), "Note");
    let mut p = base();
    p.cart.clear();
    assert_eq!(field(p.sign(&config())), "CartItems");
    let mut p = base();
    p.customer.country = "DE".into();
    assert_eq!(field(p.sign(&config())), "customercountry");
    let refund = Refund {
        order_id: "O".into(),
        trnref: "1".into(),
        amount: eur(0),
        output: OutputFormat::Json,
    };
    assert_eq!(field(refund.sign(&config())), "Amount");
    assert_eq!(
        field(
            GenericRequest::new("IPCX")
                .param("Signature", "x")
                .sign(&config())
        ),
        "Signature"
    );
    assert_eq!(
        field(GenericRequest::new("IPC X").sign(&config())),
        "IPCmethod"
    );
}

#[test]
fn store_card_only_has_no_amount_or_cart() {
    let mut p = Purchase::new("O-5", eur(0), urls());
    p.card_token_request = CardTokenRequest::StoreOnly;
    let f = p.sign(&config()).unwrap();
    assert!(f.fields().get("Amount").is_none() && f.fields().get("CartItems").is_none());
    assert_eq!(f.fields().get("CardTokenRequest"), Some("1"));
}

#[test]
fn server_to_server_builders_use_sdk_order() {
    let c = config();
    let names = |r: SignedRequest| {
        r.fields()
            .iter()
            .skip(7)
            .map(|(n, _)| n.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let refund = Refund {
        order_id: "O".into(),
        trnref: "410227".into(),
        amount: eur(1250),
        output: OutputFormat::Json,
    };
    assert_eq!(
        names(refund.sign(&c).unwrap()),
        "Currency,Amount,OrderID,IPC_Trnref,OutputFormat,ApplicationID,PartnerID,Signature"
    );
    let rev = Reversal {
        trnref: "410227".into(),
        output: OutputFormat::Xml,
    };
    assert_eq!(
        names(rev.sign(&c).unwrap()),
        "IPC_Trnref,OutputFormat,ApplicationID,PartnerID,Signature"
    );
    let st = GetTxnStatus {
        order_id: "O".into(),
        output: OutputFormat::Json,
    };
    assert_eq!(
        names(st.sign(&c).unwrap()),
        "OrderID,OutputFormat,Signature"
    );
    let pc = PreAuthCompletion {
        order_id: "O".into(),
        amount: eur(100),
        output: OutputFormat::Json,
    };
    assert_eq!(
        names(pc.sign(&c).unwrap()),
        "OrderID,Amount,Currency,OutputFormat,ApplicationID,PartnerID,Signature"
    );
    let mut hold = IaPreAuthorization {
        order_id: "O".into(),
        item_name: "Pre-order".into(),
        amount: eur(100),
        card_token: "TOKEN1".into(),
        note: String::new(),
        output: OutputFormat::Json,
    };
    assert_eq!(
        names(hold.sign(&c).unwrap()),
        "OrderID,ItemName,Amount,Currency,CardToken,Note,OutputFormat,ApplicationID,PartnerID,Signature"
    );
    hold.item_name = " ".into();
    assert!(hold.sign(&c).unwrap_err().to_string().contains("ItemName"));
    let sv = SignatureVerify {
        url_notify: "https://merchant.example/n".into(),
    }
    .sign(&c)
    .unwrap();
    let all: Vec<&str> = sv.fields().iter().map(|(n, _)| n).collect();
    assert_eq!(
        all,
        [
            "IPCmethod",
            "IPCVersion",
            "WalletNumber",
            "SID",
            "keyindex",
            "Source",
            "url_notify",
            "OutputFormat",
            "Signature"
        ]
    );
    for r in [refund.sign(&c).unwrap(), sv] {
        ipc::verify_form(r.body().as_bytes(), &merchant_pub()).unwrap();
    }
}

// ---- notify decisions (docs/notify-decisions.md) ----

fn message(pairs: &[(&str, &str)]) -> Message {
    Message::from_verified_fields(pairs.iter().copied().collect()).unwrap()
}

fn notify(amount: &str, currency: &str, trnref: &str) -> Message {
    message(&[
        ("IPCmethod", "IPCPurchaseNotify"),
        ("SID", "000000000000010"),
        ("Amount", amount),
        ("Currency", currency),
        ("OrderID", "O-1"),
        ("IPC_Trnref", trnref),
    ])
}

fn order(state: OrderState) -> OrderSnapshot {
    OrderSnapshot {
        amount: eur(5000),
        state,
    }
}

const SID: &str = "000000000000010";

#[test]
fn notify_decision_table() {
    let paid = |t: &str| OrderState::Paid { trnref: t.into() };
    let cases: Vec<(Message, Option<OrderSnapshot>, Action, Reply)> = vec![
        (
            notify("50", "EUR", "77"),
            Some(order(OrderState::AwaitingPayment)),
            Action::MarkPaid {
                trnref: "77".into(),
            },
            Reply::Ok,
        ),
        (
            notify("50.00", "EUR", "77"),
            Some(order(OrderState::Failed)),
            Action::MarkPaid {
                trnref: "77".into(),
            },
            Reply::Ok,
        ),
        (
            notify("50.0", "EUR", "77"),
            Some(order(OrderState::Cancelled)),
            Action::MarkPaid {
                trnref: "77".into(),
            },
            Reply::Ok,
        ),
        (
            notify("50.00", "EUR", "77"),
            Some(order(paid("77"))),
            Action::Duplicate,
            Reply::Ok,
        ),
        (
            notify("50.00", "EUR", "78"),
            Some(order(paid("77"))),
            Action::AlreadyPaidOtherwise,
            Reply::NotOk,
        ),
        (
            notify("49.99", "EUR", "77"),
            Some(order(OrderState::AwaitingPayment)),
            Action::HoldMismatch,
            Reply::NotOk,
        ),
        (
            notify("50.00", "USD", "77"),
            Some(order(OrderState::AwaitingPayment)),
            Action::HoldMismatch,
            Reply::NotOk,
        ),
        (
            notify("50.00", "EUR", "77"),
            None,
            Action::UnknownOrder,
            Reply::NotOk,
        ),
    ];
    for (i, (msg, ord, action, reply)) in cases.into_iter().enumerate() {
        let d = decide(&msg, ord.as_ref(), SID);
        assert_eq!((d.action, d.reply), (action, reply), "case {i}: {}", d.note);
    }
    let other_store = message(&[
        ("IPCmethod", "IPCPurchaseNotify"),
        ("SID", "000000000000099"),
        ("Amount", "50"),
        ("Currency", "EUR"),
        ("OrderID", "O-1"),
        ("IPC_Trnref", "1"),
    ]);
    assert_eq!(
        decide(&other_store, Some(&order(OrderState::AwaitingPayment)), SID).reply,
        Reply::BadRequest
    );
}

#[test]
fn rollback_cancel_ok_and_others() {
    let rollback = message(&[
        ("IPCmethod", "IPCPurchaseRollback"),
        ("SID", SID),
        ("Amount", "50.00"),
        ("Currency", "EUR"),
        ("OrderID", "O-1"),
    ]);
    let d = |m: &Message, s: OrderState| {
        let d = decide(m, Some(&order(s)), SID);
        (d.action, d.reply)
    };
    // Without attempt information (`decide`) a rollback that names no payment marks a paid
    // order failed, whichever attempt it belongs to; `decide_attempt` leaves the order paid
    // when the rollback is for another attempt (tests/attempts.rs).
    assert_eq!(
        d(&rollback, OrderState::Paid { trnref: "7".into() }),
        (Action::MarkFailed, Reply::Ok)
    );
    assert_eq!(
        d(&rollback, OrderState::AwaitingPayment),
        (Action::MarkFailed, Reply::Ok)
    );
    let rollback_of = |trnref: &str| {
        message(&[
            ("IPCmethod", "IPCPurchaseRollback"),
            ("SID", SID),
            ("Amount", "50.00"),
            ("Currency", "EUR"),
            ("OrderID", "O-1"),
            ("IPC_Trnref", trnref),
        ])
    };
    assert_eq!(
        d(&rollback_of("7"), OrderState::Paid { trnref: "7".into() }),
        (Action::MarkFailed, Reply::Ok),
        "a rollback of the payment that paid the order"
    );
    assert_eq!(
        d(&rollback_of("8"), OrderState::Paid { trnref: "7".into() }),
        (Action::NoteOnly, Reply::Ok),
        "a rollback of another payment leaves the completed one alone"
    );
    assert_eq!(
        d(&rollback, OrderState::Refunded { trnref: "7".into() }),
        (Action::NoteOnly, Reply::Ok)
    );
    assert_eq!(
        d(&rollback, OrderState::Cancelled),
        (Action::NoteOnly, Reply::Ok)
    );
    let cancel = message(&[
        ("IPCmethod", "IPCPurchaseCancel"),
        ("SID", SID),
        ("Amount", "50.00"),
        ("Currency", "EUR"),
        ("OrderID", "O-1"),
    ]);
    assert_eq!(
        d(&cancel, OrderState::AwaitingPayment),
        (Action::KeepPayable, Reply::RedirectToPayment)
    );
    assert_eq!(
        d(&cancel, OrderState::Paid { trnref: "7".into() }),
        (Action::NoteOnly, Reply::RedirectToReceived)
    );
    let ok = message(&[
        ("IPCmethod", "IPCPurchaseOK"),
        ("SID", SID),
        ("Amount", "50.00"),
        ("Currency", "EUR"),
        ("OrderID", "O-1"),
        ("IPC_Trnref", "7"),
    ]);
    assert_eq!(
        d(&ok, OrderState::AwaitingPayment),
        (Action::ShowReceived, Reply::RedirectToReceived)
    );
    let probe = message(&[("IPCmethod", "IPCSignatureVerify")]);
    assert_eq!(decide(&probe, None, SID).reply, Reply::Ok);
    let other = message(&[("IPCmethod", "IPCSomethingElse")]);
    assert_eq!(decide(&other, None, SID).reply, Reply::BadRequest);
    assert_eq!((Reply::Ok.http_status(), Reply::Ok.body()), (200, "OK"));
    assert_ne!(Reply::NotOk.body(), "OK");
}

#[test]
fn to_builder_derives_a_variant_and_revalidates() {
    let base = config();
    let bg = base.to_builder().language("BG").build().unwrap();
    assert_eq!(bg.language(), "BG");
    assert_eq!(bg.sid(), base.sid());
    assert_eq!(bg.source(), "SDK_PHP_1.3.1");
    assert_eq!(base.language(), "en", "the original is untouched");
    let err = base
        .to_builder()
        .version(IpcVersion::V1_4_1)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("ApplicationID"), "{err}");
}
