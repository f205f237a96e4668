//! The low-level functions: sign, verify, sign_form, verify_form, config_pack_info.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ipc::{ConfigPack, Error};

use crate::args::{Arr, Str};
use crate::errors::{config_error, from_core, guard, invalid, malformed};
use crate::input::{fields as read_fields, text};
use crate::keycache;
use crate::output::Assoc;

/// Maps a verification result to true / false / MalformedInputException.
pub fn verdict(what: &str, result: ipc::Result<ipc::Fields>) -> PhpResult<bool> {
    match result {
        Ok(_) => Ok(true),
        Err(Error::SignatureInvalid) => Ok(false),
        Err(e) => Err(malformed(format!("{what}: {e}"))),
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
        let key = keycache::public_key(pem)
            .map_err(|e| malformed(format!("verify(): $publicKeyOrCertificatePem: {e}")))?;
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
            Error::MalformedBody(ref why) if why.contains("Signature") => {
                invalid(format!("sign_form(): $body: {e}"))
            }
            _ => malformed(format!("sign_form(): $body: {e}")),
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
        let key = keycache::public_key(pem)
            .map_err(|e| malformed(format!("verify_form(): $publicKeyOrCertificatePem: {e}")))?;
        verdict("verify_form(): $body", ipc::verify_form(body, &key))
    })
}

/// What a configuration pack holds, without its keys.
#[php_function]
#[php(name = "MyPOS\\IPC\\config_pack_info")]
pub fn config_pack_info(pack: Str) -> PhpResult<ZBox<ZendHashTable>> {
    guard("config_pack_info", || {
        let pack = pack.bytes(("MyPOS\\IPC\\config_pack_info", 1, "pack"))?;
        let text = std::str::from_utf8(pack)
            .map_err(|_| config_error("config_pack_info(): $pack is not valid UTF-8"))?;
        let p = ConfigPack::decode(text).map_err(|e| from_core("config_pack_info(): $pack", &e))?;
        Ok(Assoc::new()
            .set("sid", p.sid.as_str())?
            .set("wallet", p.wallet.as_str())?
            .set("key_index", i64::from(p.key_index))?
            .set("has_private_key", p.private_key_pem().is_some())?
            .set("has_certificate", p.mypos_certificate_pem.is_some())?
            .done())
    })
}

/// Adds the functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(sign))
        .function(wrap_function!(verify))
        .function(wrap_function!(sign_form))
        .function(wrap_function!(verify_form))
        .function(wrap_function!(config_pack_info))
}
