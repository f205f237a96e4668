//! `MyPOS\IPC\Config`: the store's identity and keys, and the request builders.

use std::sync::Arc;

use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ipc::{ConfigPack, Currency, Endpoint, IpcVersion, Money, OutputFormat};

use crate::args::{opt_table, opt_text, Arr, Int, Str};
use crate::errors::{config_error, core_as, from_core, guard, invalid, Kind};
use crate::input::{text, Options};
use crate::keycache;
use crate::modifiers::final_class;
use crate::notification::Notification;
use crate::order;
use crate::request::Request;
use crate::response::Response;

/// A store configuration. Holds Rust data only: nothing to dump or serialize.
#[php_class]
#[php(name = "MyPOS\\IPC\\Config")]
#[php(modifier = final_class)]
#[derive(Debug)]
pub struct Config {
    inner: Arc<ipc::Config>,
}

const C: &str = "MyPOS\\IPC\\Config";

fn endpoint(what: &str, text: &str) -> PhpResult<Endpoint> {
    Endpoint::parse(text).map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))
}

/// The optional `$outputFormat` argument at position `pos` (default `json`).
fn output(what: &str, arg: Option<Str>, pos: u32) -> PhpResult<OutputFormat> {
    let text = opt_text(arg, (C, pos, "outputFormat"))?.unwrap_or("json");
    format_named(what, "outputFormat", text)
}

fn format_named(what: &str, param: &str, text: &str) -> PhpResult<OutputFormat> {
    OutputFormat::parse(text)
        .ok_or_else(|| invalid(format!("{what}: ${param} must be 'json' or 'xml'")))
}

fn money(what: &str, amount: i64, currency: &str) -> PhpResult<Money> {
    let c = Currency::parse(currency).map_err(|e| invalid(format!("{what}: $currency: {e}")))?;
    Ok(Money::new(amount, c))
}

/// The options a configuration pack leaves to the shop: `version`, `language`, `source`.
const PACK_OPTION_KEYS: &[&str] = &["version", "language", "source"];

/// Applies `version`, `language` and `source` from an options array.
fn page_options(
    mut b: ipc::ConfigBuilder,
    o: &Options<'_>,
    what: &str,
) -> PhpResult<ipc::ConfigBuilder> {
    if let Some(v) = o.opt_str("version")? {
        b = b.version(
            IpcVersion::parse(&v)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: 'version': {e}")))?,
        );
    }
    if let Some(v) = o.opt_str("language")? {
        b = b.language(v);
    }
    if let Some(v) = o.opt_str("source")? {
        b = b.source(v);
    }
    Ok(b)
}

/// A `$keyIndex` argument: a whole number from 1.
fn key_index_arg(what: &str, v: i64) -> PhpResult<u32> {
    match u32::try_from(v) {
        Ok(k) if k > 0 => Ok(k),
        _ => Err(config_error(format!(
            "{what}: $keyIndex must be a positive integer"
        ))),
    }
}

impl Config {
    fn sign(&self, what: &str, r: ipc::Result<ipc::SignedRequest>) -> PhpResult<Request> {
        r.map(Request::new).map_err(|e| from_core(what, &e))
    }

    /// The order-status queries: reads `$orderId` and `$outputFormat` (positions 1 and 2), then
    /// `build` makes the request, signed with this config.
    fn order_query(
        &self,
        entry: &'static str,
        order_id: Str,
        output_format: Option<Str>,
        build: impl FnOnce(String, OutputFormat) -> ipc::Result<ipc::SignedRequest>,
    ) -> PhpResult<Request> {
        guard(entry, || {
            let what = format!("{entry}()");
            let order_id = order_id.text((C, 1, "orderId"))?.to_string();
            let output = output(&what, output_format, 2)?;
            self.sign(&what, build(order_id, output))
        })
    }

    /// The pre-authorization follow-ups: reads `$orderId`, `$amount` and `$currency`
    /// (positions 1 to 3), then `build` makes the request, signed with this config.
    fn pre_auth_step(
        &self,
        entry: &'static str,
        (order_id, amount, currency): (Str, Int, Str),
        build: impl FnOnce(String, Money) -> ipc::Result<ipc::SignedRequest>,
    ) -> PhpResult<Request> {
        guard(entry, || {
            let what = format!("{entry}()");
            let order_id = order_id.text((C, 1, "orderId"))?.to_string();
            let amount = amount.int((C, 2, "amount"))?;
            let money = money(&what, amount, currency.text((C, 3, "currency"))?)?;
            self.sign(&what, build(order_id, money))
        })
    }

    /// The core config (for the other classes).
    pub fn core(&self) -> &Arc<ipc::Config> {
        &self.inner
    }
}

#[php_impl]
impl Config {
    /// A config from a configuration pack; `$endpoint` is 'production', 'test' or a URL;
    /// `$options` may set what a pack does not hold: 'version', 'language', 'source'.
    pub fn from_pack(pack: Str, endpoint: Option<Str>, options: Option<Arr>) -> PhpResult<Config> {
        guard("Config::fromPack", || {
            let what = "Config::fromPack()";
            let pack = pack.bytes((C, 1, "pack"))?;
            let endpoint = opt_text(endpoint, (C, 2, "endpoint"))?.unwrap_or("test");
            let options = opt_table(options, (C, 3, "options"))?;
            let t = text("Config::fromPack(): $pack", pack)?;
            let p = ConfigPack::decode(t)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: $pack: {e}")))?;
            let ep = self::endpoint("Config::fromPack(): $endpoint", endpoint)?;
            let mut b = ipc::Config::builder()
                .sid(p.sid.clone())
                .wallet(p.wallet.clone())
                .key_index(p.key_index)
                .endpoint(ep);
            let pk = p
                .private_key_pem()
                .ok_or_else(|| config_error(format!("{what}: $pack has no private key (pk)")))?;
            b = b.private_key(
                keycache::private_key(pk)
                    .map_err(|e| core_as(Kind::Config, &e, format!("{what}: private key: {e}")))?,
            );
            let cert = p.mypos_certificate_pem.as_deref().ok_or_else(|| {
                config_error(format!("{what}: $pack has no myPOS certificate (pc)"))
            })?;
            b = b.mypos_public_key(keycache::public_key(cert).map_err(|e| {
                core_as(Kind::Config, &e, format!("{what}: myPOS certificate: {e}"))
            })?);
            if let Some(a) = &p.application_id {
                b = b.application_id(a.clone());
            }
            if let Some(pid) = &p.partner_id {
                b = b.partner_id(pid.clone());
            }
            if let Some(options) = options {
                let o = Options::new("Config::fromPack(): $options", options, PACK_OPTION_KEYS)?;
                b = page_options(b, &o, "Config::fromPack(): $options")?;
            }
            let inner = b
                .build()
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))?;
            Ok(Config {
                inner: Arc::new(inner),
            })
        })
    }

    /// A config from an options array (sid, wallet, key_index, private_key,
    /// mypos_certificate, endpoint, version, language, source, application_id, partner_id).
    pub fn from_array(options: Arr) -> PhpResult<Config> {
        guard("Config::fromArray", || {
            let options = options.table((C, 1, "options"))?;
            let what = "Config::fromArray(): $options";
            let o = Options::new(what, options, &ipc::config::OPTIONS)?;
            let mut b = ipc::Config::builder();
            if let Some(v) = o.opt_str("sid")? {
                b = b.sid(v);
            }
            if let Some(v) = o.opt_str("wallet")? {
                b = b.wallet(v);
            }
            if let Some(v) = o.opt_int("key_index")? {
                let k = u32::try_from(v).map_err(|_| {
                    config_error(format!("{what}: 'key_index' must be a positive integer"))
                })?;
                b = b.key_index(k);
            }
            if let Some(pem) = o.opt_str("private_key")? {
                b = b.private_key(keycache::private_key(&pem).map_err(|e| {
                    core_as(Kind::Config, &e, format!("{what}: 'private_key': {e}"))
                })?);
            }
            if let Some(pem) = o.opt_str("mypos_certificate")? {
                b = b.mypos_public_key(keycache::public_key(&pem).map_err(|e| {
                    core_as(
                        Kind::Config,
                        &e,
                        format!("{what}: 'mypos_certificate': {e}"),
                    )
                })?);
            }
            if let Some(v) = o.opt_str("endpoint")? {
                b = b.endpoint(self::endpoint(&format!("{what}: 'endpoint'"), &v)?);
            }
            b = page_options(b, &o, what)?;
            if let Some(v) = o.opt_str("application_id")? {
                b = b.application_id(v);
            }
            if let Some(v) = o.opt_str("partner_id")? {
                b = b.partner_id(v);
            }
            let inner = b
                .build()
                .map_err(|e| core_as(Kind::Config, &e, format!("Config::fromArray(): {e}")))?;
            Ok(Config {
                inner: Arc::new(inner),
            })
        })
    }

    /// Checks one configuration field given as text ('sid', 'wallet', 'key_index',
    /// 'private_key', 'mypos_certificate', 'endpoint', 'version', 'language', 'source') by the
    /// rules fromArray() applies: null when valid, else the rule it breaks (e.g. "must be 11
    /// digits"), without the field name or the value. An unknown name throws.
    pub fn validate_field(name: Str, value: Str) -> PhpResult<Option<String>> {
        guard("Config::validateField", || {
            let name = name.text((C, 1, "name"))?;
            let value = value.text((C, 2, "value"))?;
            match ipc::validate_field(name, value) {
                Ok(()) => Ok(None),
                Err(ipc::Error::Config { reason, .. }) => Ok(Some(reason)),
                Err(e) => Err(from_core("Config::validateField(): $name", &e)),
            }
        })
    }

    /// The store ID (SID).
    pub fn sid(&self) -> String {
        self.inner.sid().to_string()
    }

    /// The wallet number.
    pub fn wallet(&self) -> String {
        self.inner.wallet().to_string()
    }

    /// The key index.
    pub fn key_index(&self) -> i64 {
        i64::from(self.inner.key_index())
    }

    /// A copy that also accepts `$certificate` (a myPOS certificate or public key PEM) when
    /// verifying, after the ones this config accepts: key rotation, during which messages
    /// signed by either verify (`Notification::certificateIndex()` says which). This config is
    /// unchanged. The same key twice throws `InvalidConfigException`.
    pub fn with_certificate(&self, certificate: Str) -> PhpResult<Config> {
        guard("Config::withCertificate", || {
            let what = "Config::withCertificate(): $certificate";
            let pem = certificate.text((C, 1, "certificate"))?;
            let key = keycache::public_key(pem)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))?;
            let inner = self
                .inner
                .with_mypos_key(key)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))?;
            Ok(Config {
                inner: Arc::new(inner),
            })
        })
    }

    /// A copy that no longer accepts `$certificate` (the same key, in any container): the
    /// end of a rotation. A certificate not accepted, or the last one, throws
    /// `InvalidConfigException`.
    pub fn without_certificate(&self, certificate: Str) -> PhpResult<Config> {
        guard("Config::withoutCertificate", || {
            let what = "Config::withoutCertificate(): $certificate";
            let pem = certificate.text((C, 1, "certificate"))?;
            let key = keycache::public_key(pem)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))?;
            let inner = self
                .inner
                .without_mypos_key(&key)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))?;
            Ok(Config {
                inner: Arc::new(inner),
            })
        })
    }

    /// How many myPOS certificates this config accepts (1 unless added).
    pub fn certificate_count(&self) -> i64 {
        i64::try_from(self.inner.mypos_keyring().len()).unwrap_or(i64::MAX)
    }

    /// A copy that also holds the merchant key `$privateKey` (PEM) for `$keyIndex`; signing
    /// keeps the current KeyIndex until `useKey()`. An index already held throws
    /// `InvalidConfigException`.
    pub fn with_key(&self, keyIndex: Int, privateKey: Str) -> PhpResult<Config> {
        guard("Config::withKey", || {
            let what = "Config::withKey()";
            let index = key_index_arg(what, keyIndex.int((C, 1, "keyIndex"))?)?;
            let pem = privateKey.text((C, 2, "privateKey"))?;
            let key = keycache::private_key(pem)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: $privateKey: {e}")))?;
            let inner = self
                .inner
                .with_merchant_key(index, key)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))?;
            Ok(Config {
                inner: Arc::new(inner),
            })
        })
    }

    /// A copy that signs with the held key of `$keyIndex` (and sends that KeyIndex). An index
    /// without a key throws `InvalidConfigException`.
    pub fn use_key(&self, keyIndex: Int) -> PhpResult<Config> {
        guard("Config::useKey", || {
            let what = "Config::useKey()";
            let index = key_index_arg(what, keyIndex.int((C, 1, "keyIndex"))?)?;
            let inner = self
                .inner
                .with_active_key(index)
                .map_err(|e| core_as(Kind::Config, &e, format!("{what}: {e}")))?;
            Ok(Config {
                inner: Arc::new(inner),
            })
        })
    }

    /// The KeyIndexes this config holds a merchant key for, in order.
    pub fn key_indexes(&self) -> Vec<i64> {
        self.inner
            .key_indexes()
            .into_iter()
            .map(i64::from)
            .collect()
    }

    /// The URL requests are posted to.
    pub fn endpoint_url(&self) -> String {
        self.inner.endpoint().url().to_string()
    }

    /// The size of the merchant private key in bits.
    pub fn private_key_bits(&self) -> i64 {
        i64::try_from(self.inner.private_key().bits()).unwrap_or(i64::MAX)
    }

    /// IPCPurchase from an order array.
    pub fn purchase(&self, order: Arr) -> PhpResult<Request> {
        guard("Config::purchase", || {
            let order = order.table((C, 1, "order"))?;
            let p = order::purchase("Config::purchase(): $order", order)?;
            self.sign("Config::purchase()", p.sign(&self.inner))
        })
    }

    /// IPCIAPurchaseWithToken from a charge array (JSON answer).
    pub fn purchase_with_token(&self, charge: Arr) -> PhpResult<Request> {
        guard("Config::purchaseWithToken", || {
            let charge = charge.table((C, 1, "charge"))?;
            let p = order::purchase_with_token("Config::purchaseWithToken(): $charge", charge)?;
            self.sign("Config::purchaseWithToken()", p.sign(&self.inner))
        })
    }

    /// IPCIAPreAuthorization from a hold array (JSON answer).
    pub fn ia_pre_authorization(&self, hold: Arr) -> PhpResult<Request> {
        guard("Config::iaPreAuthorization", || {
            let hold = hold.table((C, 1, "hold"))?;
            let p = order::ia_pre_authorization("Config::iaPreAuthorization(): $hold", hold)?;
            self.sign("Config::iaPreAuthorization()", p.sign(&self.inner))
        })
    }

    /// IPCPreAuthorization from an order array.
    pub fn pre_authorization(&self, order: Arr) -> PhpResult<Request> {
        guard("Config::preAuthorization", || {
            let order = order.table((C, 1, "order"))?;
            let p = order::pre_authorization("Config::preAuthorization(): $order", order)?;
            self.sign("Config::preAuthorization()", p.sign(&self.inner))
        })
    }

    /// IPCRefund.
    pub fn refund(
        &self,
        orderId: Str,
        trnref: Str,
        amount: Int,
        currency: Str,
        outputFormat: Option<Str>,
    ) -> PhpResult<Request> {
        guard("Config::refund", || {
            let what = "Config::refund()";
            let r = ipc::Refund {
                order_id: orderId.text((C, 1, "orderId"))?.to_string(),
                trnref: trnref.text((C, 2, "trnref"))?.to_string(),
                amount: money(
                    what,
                    amount.int((C, 3, "amount"))?,
                    currency.text((C, 4, "currency"))?,
                )?,
                output: output(what, outputFormat, 5)?,
            };
            self.sign(what, r.sign(&self.inner))
        })
    }

    /// IPCReversal.
    pub fn reversal(&self, trnref: Str, outputFormat: Option<Str>) -> PhpResult<Request> {
        guard("Config::reversal", || {
            let what = "Config::reversal()";
            let r = ipc::Reversal {
                trnref: trnref.text((C, 1, "trnref"))?.to_string(),
                output: output(what, outputFormat, 2)?,
            };
            self.sign(what, r.sign(&self.inner))
        })
    }

    /// IPCGetTxnStatus.
    pub fn get_txn_status(&self, orderId: Str, outputFormat: Option<Str>) -> PhpResult<Request> {
        self.order_query(
            "Config::getTxnStatus",
            orderId,
            outputFormat,
            |order_id, output| ipc::GetTxnStatus { order_id, output }.sign(&self.inner),
        )
    }

    /// IPCGetPaymentStatus.
    pub fn get_payment_status(
        &self,
        orderId: Str,
        outputFormat: Option<Str>,
    ) -> PhpResult<Request> {
        self.order_query(
            "Config::getPaymentStatus",
            orderId,
            outputFormat,
            |order_id, output| ipc::GetPaymentStatus { order_id, output }.sign(&self.inner),
        )
    }

    /// IPCGetTxnLog.
    pub fn get_txn_log(&self, orderId: Str, outputFormat: Option<Str>) -> PhpResult<Request> {
        self.order_query(
            "Config::getTxnLog",
            orderId,
            outputFormat,
            |order_id, output| ipc::GetTxnLog { order_id, output }.sign(&self.inner),
        )
    }

    /// IPCPreAuthCompletion.
    pub fn pre_auth_completion(
        &self,
        orderId: Str,
        amount: Int,
        currency: Str,
    ) -> PhpResult<Request> {
        let args = (orderId, amount, currency);
        self.pre_auth_step("Config::preAuthCompletion", args, |order_id, amount| {
            let output = OutputFormat::default();
            ipc::PreAuthCompletion {
                order_id,
                amount,
                output,
            }
            .sign(&self.inner)
        })
    }

    /// IPCPreAuthCancellation.
    pub fn pre_auth_cancellation(
        &self,
        orderId: Str,
        amount: Int,
        currency: Str,
    ) -> PhpResult<Request> {
        let args = (orderId, amount, currency);
        self.pre_auth_step("Config::preAuthCancellation", args, |order_id, amount| {
            let output = OutputFormat::default();
            ipc::PreAuthCancellation {
                order_id,
                amount,
                output,
            }
            .sign(&self.inner)
        })
    }

    /// IPCPreAuthStatus.
    pub fn pre_auth_status(&self, orderId: Str) -> PhpResult<Request> {
        guard("Config::preAuthStatus", || {
            let r = ipc::PreAuthStatus {
                order_id: orderId.text((C, 1, "orderId"))?.to_string(),
                output: OutputFormat::default(),
            };
            self.sign("Config::preAuthStatus()", r.sign(&self.inner))
        })
    }

    /// IPCSignatureVerify (the connection test).
    pub fn signature_verify(&self, urlNotify: Str) -> PhpResult<Request> {
        guard("Config::signatureVerify", || {
            let r = ipc::SignatureVerify {
                url_notify: urlNotify.text((C, 1, "urlNotify"))?.to_string(),
            };
            self.sign("Config::signatureVerify()", r.sign(&self.inner))
        })
    }

    /// Any method: the standard prefix, then `$params` in order, signed as given.
    pub fn request(&self, method: Str, params: Arr) -> PhpResult<Request> {
        guard("Config::request", || {
            let what = "Config::request(): $params";
            let method = method.text((C, 1, "method"))?.to_string();
            let params = params.table((C, 2, "params"))?;
            let mut g = ipc::GenericRequest::new(method);
            if !params.is_empty() {
                let f = crate::input::fields(what, params, invalid)?;
                if f.has_signature() {
                    return Err(invalid(format!("{what}: must not hold a Signature")));
                }
                for (n, v) in f.iter() {
                    g = g.param(n, v);
                }
            }
            self.sign("Config::request()", g.sign(&self.inner))
        })
    }

    /// Parses and verifies a raw notification body with the config's myPOS key.
    pub fn notification(&self, rawBody: Str) -> PhpResult<Notification> {
        guard("Config::notification", || {
            Notification::parse(rawBody.bytes((C, 1, "rawBody"))?, &self.inner)
        })
    }

    /// Parses and verifies an API answer; `$format` is 'json', 'xml' or null (detect).
    pub fn response(&self, body: Str, format: Option<Str>) -> PhpResult<Response> {
        guard("Config::response", || {
            let body = body.bytes((C, 1, "body"))?;
            let fmt = match opt_text(format, (C, 2, "format"))? {
                None => None,
                Some(f) => Some(format_named("Config::response()", "outputFormat", f)?),
            };
            Response::parse(body, fmt, &self.inner)
        })
    }
}
