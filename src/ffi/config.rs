//! `ipc_config`: a validated merchant configuration whose keys are parsed once.

use std::ffi::c_char;

use super::boundary::{
    arg_ref, arg_str, free_box, guard, set_box, set_string, FfiError, FfiResult, Out,
};
use super::result::ipc_result;
use crate::config::{Config, Endpoint, IpcVersion};
use crate::configpack::ConfigPack;

/// A validated merchant configuration (SID, wallet, key index, merchant private key, myPOS
/// certificate, endpoint). Immutable and safe to share between threads once made.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct ipc_config {
    pub(crate) inner: Config,
}

// The "safe to share between threads" promise above holds at compile time.
const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<ipc_config>();
};

/// "test", "production" or a URL; a bad value is a configuration error.
fn endpoint_arg(text: &str) -> FfiResult<Endpoint> {
    Endpoint::parse(text)
        .map_err(|e| FfiError::new(ipc_result::InvalidConfig, format!("invalid endpoint: {e}")))
}

/// Makes a configuration. `endpoint` is "test", "production", or a URL (https, or http on a
/// loopback host). `private_key_pem` is the merchant key (PKCS#1 or PKCS#8);
/// `mypos_certificate_pem` the myPOS certificate or public key. On success `*config_out`
/// receives an object to free with `ipc_config_free`.
///
/// # Safety
/// Strings must be NUL-terminated; `config_out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_new(
    sid: *const c_char,
    wallet: *const c_char,
    key_index: u32,
    private_key_pem: *const c_char,
    mypos_certificate_pem: *const c_char,
    endpoint: *const c_char,
    config_out: *mut *mut ipc_config,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let sid = unsafe { arg_str(sid, "sid") }?;
        let wallet = unsafe { arg_str(wallet, "wallet") }?;
        let key = unsafe { arg_str(private_key_pem, "private_key_pem") }?;
        let cert = unsafe { arg_str(mypos_certificate_pem, "mypos_certificate_pem") }?;
        let endpoint = unsafe { arg_str(endpoint, "endpoint") }?;
        let out = Out::new(config_out, "config_out")?;
        let inner = Config::builder()
            .sid(sid)
            .wallet(wallet)
            .key_index(key_index)
            .private_key_pem(key)
            .mypos_public_key_pem(cert)
            .endpoint(endpoint_arg(endpoint)?)
            .build()?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_config { inner }) };
        Ok(())
    })
}

/// Derives a configuration that differs from `config` in one option; `config` itself is left
/// unchanged (configurations are immutable). `name` is one of "version" ("1.4" or "1.4.1"),
/// "language" (two letters), "source", "application_id", "partner_id"; the result is validated
/// as a whole, so set ApplicationID and PartnerID before version 1.4.1. On success
/// `*config_out` receives a new object to free with `ipc_config_free`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `config_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_with(
    config: *const ipc_config,
    name: *const c_char,
    value: *const c_char,
    config_out: *mut *mut ipc_config,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let name = unsafe { arg_str(name, "name") }?;
        let value = unsafe { arg_str(value, "value") }?;
        let out = Out::new(config_out, "config_out")?;
        let builder = config.inner.to_builder();
        let builder = match name {
            "version" => builder.version(IpcVersion::parse(value)?),
            "language" => builder.language(value),
            "source" => builder.source(value),
            "application_id" => builder.application_id(value),
            "partner_id" => builder.partner_id(value),
            other => {
                return Err(FfiError::new(
                    ipc_result::InvalidArgument,
                    format!(
                        "unknown configuration option '{}' (use version, language, source, \
                         application_id or partner_id)",
                        crate::amount::shorten(other)
                    ),
                ))
            }
        };
        let inner = builder.build()?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_config { inner }) };
        Ok(())
    })
}

/// Derives a configuration that also accepts `certificate_pem` (a myPOS certificate or public
/// key) when verifying, after the certificates `config` accepts: key rotation, during which
/// messages signed by either verify (`ipc_message_certificate_index` says which). The same
/// key twice or more than 8 certificates is `IPC_RESULT_INVALID_CONFIG`. On success
/// `*config_out` receives a new object to free with `ipc_config_free`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `config_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_add_certificate(
    config: *const ipc_config,
    certificate_pem: *const c_char,
    config_out: *mut *mut ipc_config,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let pem = unsafe { arg_str(certificate_pem, "certificate_pem") }?;
        let out = Out::new(config_out, "config_out")?;
        let inner = config
            .inner
            .to_builder()
            .add_mypos_public_key_pem(pem)
            .build()?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_config { inner }) };
        Ok(())
    })
}

/// Derives a configuration that no longer accepts `certificate_pem` (the same key, in any
/// container): the end of a rotation. A certificate `config` does not accept, or its last
/// one, is `IPC_RESULT_INVALID_CONFIG`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `config_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_retire_certificate(
    config: *const ipc_config,
    certificate_pem: *const c_char,
    config_out: *mut *mut ipc_config,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let pem = unsafe { arg_str(certificate_pem, "certificate_pem") }?;
        let out = Out::new(config_out, "config_out")?;
        let key = crate::keys::PublicKey::from_pem(pem)?;
        let inner = config.inner.without_mypos_key(&key)?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_config { inner }) };
        Ok(())
    })
}

/// How many myPOS certificates `config` accepts (1 unless added).
///
/// # Safety
/// `config` must be NULL or live; `count_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_certificate_count(
    config: *const ipc_config,
    count_out: *mut usize,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(count_out, "count_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(config.inner.mypos_keyring().len()) };
        Ok(())
    })
}

/// Derives a configuration that also holds the merchant key `private_key_pem` for KeyIndex
/// `key_index` (not active: signing keeps the current KeyIndex until `ipc_config_use_key`).
/// An index already held is `IPC_RESULT_INVALID_CONFIG`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `config_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_add_key(
    config: *const ipc_config,
    key_index: u32,
    private_key_pem: *const c_char,
    config_out: *mut *mut ipc_config,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let pem = unsafe { arg_str(private_key_pem, "private_key_pem") }?;
        let out = Out::new(config_out, "config_out")?;
        let key = crate::keys::PrivateKey::from_pem(pem).map_err(|e| match e {
            crate::Error::Key(why) => crate::Error::config("private_key", why),
            other => other,
        })?;
        let inner = config
            .inner
            .with_merchant_key(key_index, std::sync::Arc::new(key))?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_config { inner }) };
        Ok(())
    })
}

/// Derives a configuration that signs with the held key of `key_index` (and sends that
/// KeyIndex). An index without a key is `IPC_RESULT_INVALID_CONFIG`.
///
/// # Safety
/// `config` must be NULL or live; `config_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_use_key(
    config: *const ipc_config,
    key_index: u32,
    config_out: *mut *mut ipc_config,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(config_out, "config_out")?;
        let inner = config.inner.with_active_key(key_index)?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_config { inner }) };
        Ok(())
    })
}

/// The KeyIndex `config` signs with.
///
/// # Safety
/// `config` must be NULL or live; `key_index_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_key_index(
    config: *const ipc_config,
    key_index_out: *mut u32,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(key_index_out, "key_index_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(config.inner.key_index()) };
        Ok(())
    })
}

/// The validity end (X.509 notAfter) of a certificate, in seconds since the Unix epoch, so
/// an integration can warn before it ends (verification ignores it: a certificate past its
/// validity still verifies). `IPC_RESULT_BAD_KEY` for PEM that does not parse;
/// `IPC_RESULT_NOT_FOUND` for a bare public key, which has no validity.
///
/// # Safety
/// Strings NUL-terminated; `not_after_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_certificate_not_after(
    certificate_pem: *const c_char,
    not_after_out: *mut i64,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let pem = unsafe { arg_str(certificate_pem, "certificate_pem") }?;
        let out = Out::new(not_after_out, "not_after_out")?;
        let key = crate::keys::PublicKey::from_pem(pem)?;
        let end = key.not_after().ok_or_else(|| {
            FfiError::new(
                ipc_result::NotFound,
                "a bare public key has no validity (give the certificate)",
            )
        })?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(i64::try_from(end).unwrap_or(i64::MAX)) };
        Ok(())
    })
}

/// Makes a configuration from a myPOS configuration pack (base64 text) and an endpoint
/// ("test", "production" or a URL). On success `*config_out` receives an object to free with
/// `ipc_config_free`.
///
/// # Safety
/// Strings must be NUL-terminated; `config_out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_from_pack(
    pack: *const c_char,
    endpoint: *const c_char,
    config_out: *mut *mut ipc_config,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let pack = unsafe { arg_str(pack, "pack") }?;
        let endpoint = unsafe { arg_str(endpoint, "endpoint") }?;
        let out = Out::new(config_out, "config_out")?;
        let pack = ConfigPack::decode(pack)?;
        let inner = Config::from_pack(&pack, endpoint_arg(endpoint)?)?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_config { inner }) };
        Ok(())
    })
}

/// The configuration's SID, as a string to free with `ipc_string_free`.
///
/// # Safety
/// `config` must be NULL or live; `sid_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_sid(
    config: *const ipc_config,
    sid_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(sid_out, "sid_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_string(out, config.inner.sid()) }
    })
}

/// The URL requests are posted to, as a string to free with `ipc_string_free`.
///
/// # Safety
/// `config` must be NULL or live; `url_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_endpoint_url(
    config: *const ipc_config,
    url_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract.
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(url_out, "url_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_string(out, config.inner.endpoint().url()) }
    })
}

/// Checks one configuration field given as text, by the rules `ipc_config_new` applies, so
/// a settings form can say which field is wrong: "sid", "wallet", "key_index",
/// "private_key", "mypos_certificate", "endpoint", "version", "language" or "source".
/// `IPC_RESULT_OK` when valid; `IPC_RESULT_INVALID_CONFIG` with a detail naming the field
/// and its rule when not; `IPC_RESULT_INVALID_REQUEST` for an unknown `name`.
///
/// # Safety
/// Strings must be NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_validate_field(
    name: *const c_char,
    value: *const c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let name = unsafe { arg_str(name, "name") }?;
        let value = unsafe { arg_str(value, "value") }?;
        Ok(crate::config::validate_field(name, value)?)
    })
}

/// Frees a configuration. NULL-safe.
///
/// # Safety
/// `config` must be NULL or from `ipc_config_new` / `ipc_config_from_pack`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_config_free(config: *mut ipc_config) {
    // SAFETY: the caller's contract.
    unsafe { free_box(config) }
}
