//! The low-level functions: sign, verify, sign_form, verify_form, config_pack_info,
//! config_pack_parts.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ipc::{ConfigPack, Currency, Error, ErrorKind, Money};

use crate::args::{Arr, Int, Str};
use crate::errors::{core_as, from_core, guard, invalid, malformed, throwable_coded, Kind};
use crate::input::{fields as read_fields, text};
use crate::keycache;
use crate::output::Assoc;

/// Maps a verification result to true / false / MalformedInputException.
pub fn verdict(what: &str, result: ipc::Result<ipc::Fields>) -> PhpResult<bool> {
    match result {
        Ok(_) => Ok(true),
        Err(Error::SignatureInvalid) => Ok(false),
        Err(e) => Err(core_as(Kind::Malformed, &e, format!("{what}: {e}"))),
    }
}

/// The base64 Signature over the values of `$fields` in array order.
#[php_function]
#[php(name = "MyPOS\\IPC\\sign")]
pub fn sign(fields: Arr, privateKeyPem: Str) -> PhpResult<String> {
    guard("sign", || {
        let fields = fields.table(("MyPOS\\IPC\\sign", 1, "fields"))?;
        let privateKeyPem = privateKeyPem.bytes(("MyPOS\\IPC\\sign", 2, "privateKeyPem"))?;
        let f = read_fields("sign(): $fields", fields, invalid)?;
        if let Some((name, _)) = f.iter().find(|(n, _)| n.eq_ignore_ascii_case("Signature")) {
            return Err(invalid(format!(
                "sign(): $fields must not hold a Signature (key '{name}')"
            )));
        }
        let pem = text("sign(): $privateKeyPem", privateKeyPem)?;
        let key =
            keycache::private_key(pem).map_err(|e| from_core("sign(): $privateKeyPem", &e))?;
        ipc::sign_fields(&f, &key).map_err(|e| from_core("sign()", &e))
    })
}

/// True when `$fields` (holding a Signature in any case and position) verifies.
#[php_function]
#[php(name = "MyPOS\\IPC\\verify")]
pub fn verify(fields: Arr, publicKeyOrCertificatePem: Str) -> PhpResult<bool> {
    guard("verify", || {
        let fields = fields.table(("MyPOS\\IPC\\verify", 1, "fields"))?;
        let pem = publicKeyOrCertificatePem.bytes((
            "MyPOS\\IPC\\verify",
            2,
            "publicKeyOrCertificatePem",
        ))?;
        let f = read_fields("verify(): $fields", fields, malformed)?;
        let pem = text("verify(): $publicKeyOrCertificatePem", pem)?;
        let key = keycache::public_key(pem).map_err(|e| {
            core_as(
                Kind::Malformed,
                &e,
                format!("verify(): $publicKeyOrCertificatePem: {e}"),
            )
        })?;
        verdict("verify(): $fields", ipc::verify_fields(f, &key))
    })
}

/// Signs a urlencoded body and returns it with `&Signature=...` appended.
#[php_function]
#[php(name = "MyPOS\\IPC\\sign_form")]
pub fn sign_form(body: Str, privateKeyPem: Str) -> PhpResult<String> {
    guard("sign_form", || {
        let body = body.bytes(("MyPOS\\IPC\\sign_form", 1, "body"))?;
        let pem = privateKeyPem.bytes(("MyPOS\\IPC\\sign_form", 2, "privateKeyPem"))?;
        let pem = text("sign_form(): $privateKeyPem", pem)?;
        let key =
            keycache::private_key(pem).map_err(|e| from_core("sign_form(): $privateKeyPem", &e))?;
        ipc::sign_form(body, &key).map_err(|e| match e {
            Error::MalformedBody(ref why) if why.contains("Signature") => core_as(
                Kind::InvalidArgument,
                &e,
                format!("sign_form(): $body: {e}"),
            ),
            _ => core_as(Kind::Malformed, &e, format!("sign_form(): $body: {e}")),
        })
    })
}

/// True when the raw urlencoded `$body` verifies.
#[php_function]
#[php(name = "MyPOS\\IPC\\verify_form")]
pub fn verify_form(body: Str, publicKeyOrCertificatePem: Str) -> PhpResult<bool> {
    guard("verify_form", || {
        let body = body.bytes(("MyPOS\\IPC\\verify_form", 1, "body"))?;
        let pem = publicKeyOrCertificatePem.bytes((
            "MyPOS\\IPC\\verify_form",
            2,
            "publicKeyOrCertificatePem",
        ))?;
        let pem = text("verify_form(): $publicKeyOrCertificatePem", pem)?;
        let key = keycache::public_key(pem).map_err(|e| {
            core_as(
                Kind::Malformed,
                &e,
                format!("verify_form(): $publicKeyOrCertificatePem: {e}"),
            )
        })?;
        verdict("verify_form(): $body", ipc::verify_form(body, &key))
    })
}

/// The pack argument of `function` (`php_name`, its name in PHP), decoded by the core.
fn decode_pack(function: &str, php_name: &'static str, pack: Str) -> PhpResult<ConfigPack> {
    let bytes = pack.bytes((php_name, 1, "pack"))?;
    let text = std::str::from_utf8(bytes).map_err(|_| {
        throwable_coded(
            Kind::Config,
            ErrorKind::InvalidUtf8,
            format!("{function}(): $pack is not valid UTF-8"),
        )
    })?;
    ConfigPack::decode(text).map_err(|e| from_core(&format!("{function}(): $pack"), &e))
}

/// What a configuration pack holds, without its keys.
#[php_function]
#[php(name = "MyPOS\\IPC\\config_pack_info")]
pub fn config_pack_info(pack: Str) -> PhpResult<ZBox<ZendHashTable>> {
    guard("config_pack_info", || {
        let p = decode_pack("config_pack_info", "MyPOS\\IPC\\config_pack_info", pack)?;
        Ok(Assoc::new()
            .set("sid", p.sid.as_str())?
            .set("wallet", p.wallet.as_str())?
            .set("key_index", i64::from(p.key_index))?
            .set("has_private_key", p.private_key_pem().is_some())?
            .set("has_certificate", p.mypos_certificate_pem.is_some())?
            .done())
    })
}

/// Everything a configuration pack holds, its private key included, for a caller that stores
/// the parts apart (the WooCommerce plug-in seals only the key): the pack's format stays the
/// core's. The pack is the parameter marked sensitive; callers must not log the result.
#[php_function]
#[php(name = "MyPOS\\IPC\\config_pack_parts")]
pub fn config_pack_parts(pack: Str) -> PhpResult<ZBox<ZendHashTable>> {
    guard("config_pack_parts", || {
        let p = decode_pack("config_pack_parts", "MyPOS\\IPC\\config_pack_parts", pack)?;
        Ok(Assoc::new()
            .set("sid", p.sid.as_str())?
            .set("wallet", p.wallet.as_str())?
            .set("key_index", i64::from(p.key_index))?
            .set("private_key", p.private_key_pem().map(str::to_string))?
            .set("mypos_certificate", p.mypos_certificate_pem.clone())?
            .set("application_id", p.application_id.clone())?
            .set("partner_id", p.partner_id.clone())?
            .done())
    })
}

/// Decimal text (`"12.30"`) as integer minor units of `$currency`, strictly (no floats; no
/// more decimals than the currency has unless they are zeros).
#[php_function]
#[php(name = "MyPOS\\IPC\\parse_amount")]
pub fn parse_amount(amount: Str, currency: Str) -> PhpResult<i64> {
    guard("parse_amount", || {
        const F: &str = "MyPOS\\IPC\\parse_amount";
        let amount = amount.text((F, 1, "amount"))?;
        let currency = currency_arg("parse_amount()", currency.text((F, 2, "currency"))?)?;
        Money::parse_decimal(amount, currency)
            .map(|m| m.minor)
            .map_err(|e| from_core("parse_amount(): $amount", &e))
    })
}

/// Minor units as the wire text myPOS expects for `$currency` (`1230` EUR is `"12.30"`).
#[php_function]
#[php(name = "MyPOS\\IPC\\format_amount")]
pub fn format_amount(amountMinor: Int, currency: Str) -> PhpResult<String> {
    guard("format_amount", || {
        const F: &str = "MyPOS\\IPC\\format_amount";
        let minor = amountMinor.int((F, 1, "amountMinor"))?;
        let currency = currency_arg("format_amount()", currency.text((F, 2, "currency"))?)?;
        Ok(Money::new(minor, currency).wire())
    })
}

/// Decimal places myPOS uses for `$currency` (0 for HUF, JPY, TWD; otherwise 2).
#[php_function]
#[php(name = "MyPOS\\IPC\\currency_decimals")]
pub fn currency_decimals(currency: Str) -> PhpResult<i64> {
    guard("currency_decimals", || {
        let t = currency.text(("MyPOS\\IPC\\currency_decimals", 1, "currency"))?;
        Ok(i64::from(
            currency_arg("currency_decimals()", t)?.decimals(),
        ))
    })
}

fn currency_arg(what: &str, text: &str) -> PhpResult<Currency> {
    Currency::parse(text).map_err(|e| from_core(&format!("{what}: $currency"), &e))
}

/// Adds the functions to the module.
/// The validity end (X.509 notAfter) of a certificate PEM, in seconds since the Unix epoch,
/// or null for a bare public key (no validity). Verification ignores it: a certificate past
/// its validity still verifies; warn with it (e.g. within 30 days).
#[php_function]
#[php(name = "MyPOS\\IPC\\certificate_not_after")]
pub fn certificate_not_after(certificate: Str) -> PhpResult<Option<i64>> {
    guard("certificate_not_after", || {
        const F: &str = "MyPOS\\IPC\\certificate_not_after";
        let pem = certificate.text((F, 1, "certificate"))?;
        let key = ipc::PublicKey::from_pem(pem)
            .map_err(|e| from_core("certificate_not_after(): $certificate", &e))?;
        Ok(key
            .not_after()
            .map(|t| i64::try_from(t).unwrap_or(i64::MAX)))
    })
}

pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(certificate_not_after))
        .function(wrap_function!(sign))
        .function(wrap_function!(verify))
        .function(wrap_function!(sign_form))
        .function(wrap_function!(verify_form))
        .function(wrap_function!(config_pack_info))
        .function(wrap_function!(config_pack_parts))
        .function(wrap_function!(parse_amount))
        .function(wrap_function!(format_amount))
        .function(wrap_function!(currency_decimals))
}
