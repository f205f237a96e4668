//! `MyPOS\IPC\Response`: a verified API answer.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ipc::{Error, Node, OutputFormat};

use crate::args::{Int, Str};
use crate::modifiers::final_class;
use std::sync::Arc;

use crate::errors::{from_core, guard, malformed, signature};
use crate::notification::Notification;
use crate::output::{fields_array, Assoc};

/// A verified API answer.
#[php_class]
#[php(name = "MyPOS\\IPC\\Response")]
#[php(modifier = final_class)]
#[derive(Debug)]
pub struct Response {
    inner: ipc::Response,
    config: Arc<ipc::Config>,
    certificate: usize,
}

impl Response {
    /// Parses and verifies with the config's myPOS key.
    pub fn parse(
        body: &[u8],
        format: Option<OutputFormat>,
        config: &Arc<ipc::Config>,
    ) -> PhpResult<Self> {
        match ipc::Response::parse_and_verify_keyring(body, format, config.mypos_keyring()) {
            Ok((inner, certificate)) => Ok(Response {
                inner,
                config: Arc::clone(config),
                certificate,
            }),
            Err(Error::SignatureInvalid) => {
                Err(signature("Config::response(): $body: signature invalid"))
            }
            Err(e) => Err(from_core("Config::response(): $body", &e)),
        }
    }
}

fn node_value(node: &Node) -> PhpResult<Zval> {
    let mut z = Zval::new();
    match node {
        Node::Leaf(text) => z
            .set_string(text, false)
            .map_err(|e| malformed(format!("Response: {e}")))?,
        Node::Branch(children) => z.set_hashtable(branch(children)?),
    }
    Ok(z)
}

fn branch(children: &[(String, Node)]) -> PhpResult<ZBox<ZendHashTable>> {
    let repeats = children
        .iter()
        .enumerate()
        .any(|(i, (n, _))| children[..i].iter().any(|(m, _)| m == n));
    let mut a = Assoc::new();
    for (name, child) in children {
        let v = node_value(child)?;
        a = if repeats { a.push(v)? } else { a.set(name, v)? };
    }
    Ok(a.done())
}

#[php_impl]
impl Response {
    /// Status (0 is success).
    pub fn status(&self) -> i64 {
        i64::from(self.inner.status().0)
    }

    /// The status constant's name.
    pub fn status_name(&self) -> String {
        self.inner.status().name().to_string()
    }

    /// What the status means.
    pub fn status_meaning(&self) -> String {
        self.inner.status().meaning().to_string()
    }

    /// StatusMsg as sent.
    pub fn status_message(&self) -> String {
        self.inner.status_msg().to_string()
    }

    /// True when Status is 0.
    pub fn is_success(&self) -> bool {
        self.inner.status().is_success()
    }

    /// IPCmethod.
    pub fn method(&self) -> String {
        self.inner.method().to_string()
    }

    /// A top-level value by name (case-insensitive).
    pub fn get(&self, name: Str) -> PhpResult<Option<String>> {
        let name = name.text(("MyPOS\\IPC\\Response::get", 1, "name"))?;
        Ok(self.inner.get(name).map(str::to_string))
    }

    /// Top-level values; nested objects as nested arrays.
    pub fn fields(&self) -> PhpResult<ZBox<ZendHashTable>> {
        match self.inner.root() {
            Node::Branch(children) => branch(children),
            Node::Leaf(_) => Ok(ZendHashTable::new()),
        }
    }

    /// IPCGetTxnStatus: the nested OrderStatus fields.
    pub fn order_status(&self) -> PhpResult<Option<ZBox<ZendHashTable>>> {
        self.inner
            .order_status()
            .map(|f| fields_array(&f))
            .transpose()
    }

    /// Which of the config's myPOS certificates verified this answer (as
    /// `Notification::certificateIndex()`).
    pub fn certificate_index(&self) -> i64 {
        i64::try_from(self.certificate).unwrap_or(i64::MAX)
    }

    /// IPCGetTxnStatus: the nested OrderStatus verified with the config's myPOS certificates
    /// as the message it is and checked like a notify; null when the answer holds none.
    /// Throws SignatureException or MalformedInputException when it does not verify.
    pub fn order_status_notification(&self) -> PhpResult<Option<Notification>> {
        guard("Response::orderStatusNotification", || {
            match self
                .inner
                .order_status_message_keyring(self.config.mypos_keyring())
            {
                Ok(found) => Ok(found.map(|m| Notification::from_message(m, &self.config))),
                Err(e) => Err(from_core(
                    "Response::orderStatusNotification(): OrderStatus",
                    &e,
                )),
            }
        })
    }

    /// IPCRefund / IPCReversal / IPCIAPurchase: the transaction myPOS confirms, as
    /// ['trnref' => string, 'amount' => ?int (minor units), 'currency' => ?string]; amount
    /// and currency are null when the answer does not echo them (a reversal may not).
    /// Throws MalformedInputException when IPC_Trnref is missing or the echo is not an amount.
    pub fn transaction(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard("Response::transaction", || {
            let t = self
                .inner
                .transaction()
                .map_err(|e| from_core("Response::transaction()", &e))?;
            Ok(Assoc::new()
                .set("trnref", t.trnref.as_str())?
                .set("amount", t.amount.map(|m| m.minor))?
                .set("currency", t.amount.map(|m| m.currency.code().to_string()))?
                .done())
        })
    }

    /// IPCGetPaymentStatus: PaymentStatus.
    pub fn payment_status(&self) -> Option<i64> {
        self.inner.payment_status().map(i64::from)
    }

    /// IPCGetTxnLog: the entries in order.
    pub fn txn_log(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut a = Assoc::new();
        for entry in self.inner.txn_log() {
            a = a.push(fields_array(&entry)?)?;
        }
        Ok(a.done())
    }

    /// IPCRefund: whether this answer confirms the refund requested for `$orderId`, `$amount`
    /// (minor units) and `$currency`: `['confirmed' => bool, 'code' => 'confirmed'|'refused'|
    /// ..., 'message' => string, 'trnref' => ?string]`.
    pub fn check_refund(
        &self,
        orderId: Str,
        amount: Int,
        currency: Str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        crate::errors::guard("Response::checkRefund", || {
            const AT: &str = "MyPOS\\IPC\\Response::checkRefund";
            let order_id = orderId.text((AT, 1, "orderId"))?;
            let minor = amount.int((AT, 2, "amount"))?;
            let code = currency.text((AT, 3, "currency"))?;
            let currency = ipc::Currency::parse(code).map_err(|e| {
                crate::errors::invalid(format!("Response::checkRefund(): $currency: {e}"))
            })?;
            let money = ipc::Money::new(minor, currency);
            let a = Assoc::new();
            Ok(
                match ipc::check_refund_answer(&self.inner, order_id, money) {
                    Ok(c) => a
                        .set("confirmed", true)?
                        .set("code", "confirmed")?
                        .set("message", "myPOS confirmed the refund")?
                        .set("trnref", c.trnref)?,
                    Err(p) => a
                        .set("confirmed", false)?
                        .set("code", p.code())?
                        .set("message", p.to_string())?
                        .set("trnref", Option::<String>::None)?,
                }
                .done(),
            )
        })
    }

    /// IPCPreAuthCompletion: whether this answer confirms the capture requested for
    /// `$orderId`, `$amount` (minor units) and `$currency`: `['confirmed' => bool, 'code' =>
    /// 'confirmed'|'refused'|..., 'message' => string, 'trnref' => ?string]`. Status must be 0;
    /// Amount, Currency and OrderID must be the request's where the answer echoes them.
    pub fn check_capture(
        &self,
        orderId: Str,
        amount: Int,
        currency: Str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        self.preauth_check(
            (
                "Response::checkCapture",
                "MyPOS\\IPC\\Response::checkCapture",
            ),
            ipc::check_capture_answer,
            orderId,
            amount,
            currency,
        )
    }

    /// IPCPreAuthCancellation: as `checkCapture()`, for a release.
    pub fn check_release(
        &self,
        orderId: Str,
        amount: Int,
        currency: Str,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        self.preauth_check(
            (
                "Response::checkRelease",
                "MyPOS\\IPC\\Response::checkRelease",
            ),
            ipc::check_release_answer,
            orderId,
            amount,
            currency,
        )
    }
}

type PreAuthCheck =
    fn(&ipc::Response, &str, ipc::Money) -> Result<ipc::CaptureConfirmation, ipc::CaptureProblem>;

impl Response {
    fn preauth_check(
        &self,
        (name, at): (&'static str, &'static str),
        check: PreAuthCheck,
        order_id: Str<'_>,
        amount: Int<'_>,
        currency: Str<'_>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        crate::errors::guard(name, || {
            let order_id = order_id.text((at, 1, "orderId"))?;
            let minor = amount.int((at, 2, "amount"))?;
            let code = currency.text((at, 3, "currency"))?;
            let currency = ipc::Currency::parse(code)
                .map_err(|e| crate::errors::invalid(format!("{name}(): $currency: {e}")))?;
            let a = Assoc::new();
            Ok(
                match check(&self.inner, order_id, ipc::Money::new(minor, currency)) {
                    Ok(c) => a
                        .set("confirmed", true)?
                        .set("code", "confirmed")?
                        .set("message", "myPOS confirmed it")?
                        .set("trnref", c.trnref)?,
                    Err(p) => a
                        .set("confirmed", false)?
                        .set("code", p.code())?
                        .set("message", p.to_string())?
                        .set("trnref", Option::<String>::None)?,
                }
                .done(),
            )
        })
    }
}
