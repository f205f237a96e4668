//! # mypos-ipc
//!
//! The myPOS IPC (Checkout API) protocol core: configuration and configuration packs,
//! request signing, verification of notifications and API answers, and notify decisions.
//! No network I/O: every binding (C, PHP, CLI) does its own transport.
//!
//! ```
//! use ipc::{Config, Endpoint, Money, Currency, Purchase, ReturnUrls, CartItem};
//! # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys/");
//! # let key = std::fs::read_to_string(format!("{dir}merchant_private.pem")).unwrap();
//! # let cert = std::fs::read_to_string(format!("{dir}mypos_cert.pem")).unwrap();
//! let config = Config::builder()
//!     .sid("000000000000010").wallet("61938166610").key_index(1)
//!     .private_key_pem(&key).mypos_public_key_pem(&cert)
//!     .endpoint(Endpoint::Test)
//!     .build()?;
//! let eur = Currency::parse("EUR")?;
//! let purchase = Purchase::new("ORDER-1", Money::new(2445, eur), ReturnUrls {
//!         ok: "https://shop.example/ok".into(),
//!         cancel: "https://shop.example/cancel".into(),
//!         notify: "https://shop.example/notify".into(),
//!     })
//!     .item(CartItem::new("Sticker", 2, 1050))
//!     .item(CartItem::delivery("Delivery", 345));
//! let signed = purchase.sign(&config)?;
//! assert_eq!(signed.fields().get("Amount"), Some("24.45"));
//! let _html = signed.html_form();
//! # Ok::<(), ipc::Error>(())
//! ```

#![cfg_attr(not(test), warn(clippy::unwrap_used))]

pub mod amount;
pub mod attempt;
pub mod canonical;
pub mod capture;
pub mod config;
pub mod configpack;
pub mod error;
#[cfg(feature = "capi")]
pub mod ffi;
pub mod fields;
pub mod keyring;
pub mod keys;
pub mod limits;
pub mod message;
pub mod notify;
pub mod refund;
pub mod request;
pub mod response;
pub mod signer;
pub mod status;
pub mod urls;
pub mod verifier;

pub use amount::{Currency, Money};
pub use attempt::{AttemptId, AttemptIdError};
pub use capture::{
    check_capture_answer, check_release_answer, CaptureConfirmation, CaptureProblem,
};
pub use config::{validate_field, Config, ConfigBuilder, Endpoint, IpcVersion};
pub use configpack::ConfigPack;
pub use error::{Error, ErrorKind, Outcome, Result};
pub use fields::{parse_urlencoded, Fields};
pub use keyring::{Keyring, MerchantKey};
pub use keys::{PrivateKey, PublicKey};
pub use message::{Message, MessageKind};
pub use notify::{
    decide, decide_attempt, Action, AttemptContext, AttemptKind, Decision, NoteCode, OrderSnapshot,
    OrderState, Reply,
};
pub use refund::{check_refund_answer, RefundConfirmation, RefundProblem};
pub use request::{
    CardTokenRequest, CartItem, Customer, GenericRequest, GetPaymentStatus, GetTxnLog,
    GetTxnStatus, IaPreAuthorization, IaPurchaseWithToken, OutputFormat, PaymentMethod,
    PaymentParameters, PreAuthCancellation, PreAuthCompletion, PreAuthStatus, PreAuthorization,
    Purchase, Refund, ReturnUrls, Reversal, SignatureVerify, SignedRequest,
};
pub use response::{Node, PaymentState, Response, ResponseBuilder, TransactionResult};
pub use signer::{sign_fields, sign_form, sign_values};
pub use status::StatusCode;
pub use verifier::{verify_fields, verify_form, verify_values};

/// The crate version (equals `ipc_version()` in C).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
