//! Request builders (purchase, refund, reversal, status queries, any method) and the signed
//! `ipc_request` with its accessors.

use std::ffi::c_char;

use super::boundary::{
    arg_mut, arg_ref, arg_str, free_box, guard, set_box, set_found, set_string, FfiError,
    FfiResult, Out,
};
use super::config::ipc_config;
use super::result::ipc_result;
use crate::amount::{Currency, Money};
use crate::config::Config;
use crate::fields::Fields;
use crate::request::{
    CardTokenRequest, CartItem, Customer, GenericRequest, GetPaymentStatus, GetTxnStatus,
    OutputFormat, PaymentMethod, PaymentParameters, Purchase, Refund, ReturnUrls, Reversal,
    SignedRequest,
};

/// The answer format of a server-to-server request, or the format of an answer to parse.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_output_format {
    /// Detect the format of an answer (only valid for `ipc_response_parse`).
    Auto = 0,
    /// JSON (recommended).
    Json = 1,
    /// XML.
    Xml = 2,
}

/// Reads an `ipc_output_format` value; `Auto` gives `None`.
pub(crate) fn output_format(value: u32, allow_auto: bool) -> FfiResult<Option<OutputFormat>> {
    match value {
        0 if allow_auto => Ok(None),
        1 => Ok(Some(OutputFormat::Json)),
        2 => Ok(Some(OutputFormat::Xml)),
        other => Err(FfiError::new(
            ipc_result::InvalidArgument,
            format!("output_format {other} is not an IPC_OUTPUT_FORMAT_* value valid here"),
        )),
    }
}

fn request_format(value: u32) -> FfiResult<OutputFormat> {
    Ok(output_format(value, false)?.unwrap_or_default())
}

fn money(amount_minor: i64, currency: &str) -> FfiResult<Money> {
    Ok(Money::new(amount_minor, Currency::parse(currency)?))
}

/// The shared body of every `ipc_*_sign` function: checks `config` and `request_out`, runs
/// `build` inside the panic boundary and stores the signed request in `*request_out`.
///
/// # Safety
/// As for the exported functions that call it.
unsafe fn sign_into(
    config: *const ipc_config,
    request_out: *mut *mut ipc_request,
    build: impl FnOnce(&Config) -> FfiResult<SignedRequest>,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(request_out, "request_out")?;
        let inner = build(&config.inner)?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_request { inner }) };
        Ok(())
    })
}

/// The order-status queries: [`sign_into`] with the order id and answer format read first.
///
/// # Safety
/// As for the exported functions that call it.
unsafe fn sign_order_query(
    config: *const ipc_config,
    order_id: *const c_char,
    output_format: u32,
    request_out: *mut *mut ipc_request,
    build: impl FnOnce(&Config, String, OutputFormat) -> crate::Result<SignedRequest>,
) -> ipc_result {
    let build = |config: &Config| -> FfiResult<SignedRequest> {
        // SAFETY: the caller's contract for every pointer.
        let order_id = unsafe { arg_str(order_id, "order_id") }?;
        Ok(build(
            config,
            order_id.into(),
            request_format(output_format)?,
        )?)
    };
    // SAFETY: forwarded contract.
    unsafe { sign_into(config, request_out, build) }
}

/// A signed request: ordered fields ending with Signature, its urlencoded body, and (for
/// browser methods) a self-submitting HTML form.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct ipc_request {
    inner: SignedRequest,
}

/// An IPCPurchase being built: add cart lines and customer data, then sign.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct ipc_purchase {
    inner: Purchase,
}

/// A request for any method: the standard prefix from the config, then parameters in order.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct ipc_generic {
    /// `None` for a raw request (no prefix).
    method: Option<String>,
    params: Fields,
}

/// Starts an IPCPurchase of `amount_minor` (minor units, e.g. cents) in `currency` ("EUR")
/// with the three return URLs. On success `*purchase_out` receives an object to free with
/// `ipc_purchase_free`.
///
/// # Safety
/// Strings must be NUL-terminated; `purchase_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_purchase_new(
    order_id: *const c_char,
    amount_minor: i64,
    currency: *const c_char,
    url_ok: *const c_char,
    url_cancel: *const c_char,
    url_notify: *const c_char,
    purchase_out: *mut *mut ipc_purchase,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let order_id = unsafe { arg_str(order_id, "order_id") }?;
        let currency = unsafe { arg_str(currency, "currency") }?;
        let urls = ReturnUrls {
            ok: unsafe { arg_str(url_ok, "url_ok") }?.into(),
            cancel: unsafe { arg_str(url_cancel, "url_cancel") }?.into(),
            notify: unsafe { arg_str(url_notify, "url_notify") }?.into(),
        };
        let out = Out::new(purchase_out, "purchase_out")?;
        let inner = Purchase::new(order_id, money(amount_minor, currency)?, urls);
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_purchase { inner }) };
        Ok(())
    })
}

/// Adds a cart line: `quantity` × `unit_price_minor`; `delivery` marks a shipping line.
/// Lines must add up to the purchase amount (checked when signing).
///
/// # Safety
/// `purchase` must be NULL or live; `article` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ipc_purchase_add_item(
    purchase: *mut ipc_purchase,
    article: *const c_char,
    quantity: u32,
    unit_price_minor: i64,
    delivery: bool,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let purchase = unsafe { arg_mut(purchase, "purchase") }?;
        let article = unsafe { arg_str(article, "article") }?;
        let mut item = CartItem::new(article, quantity, unit_price_minor);
        item.delivery = delivery;
        purchase.inner.cart.push(item);
        Ok(())
    })
}

/// Sets the customer data. Every string is required (use "" for unknown); with customer data
/// the page uses PaymentParametersRequired 1 (full) when e-mail and both names are given.
///
/// # Safety
/// `purchase` must be NULL or live; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ipc_purchase_set_customer(
    purchase: *mut ipc_purchase,
    email: *const c_char,
    phone: *const c_char,
    first_names: *const c_char,
    family_name: *const c_char,
    country: *const c_char,
    city: *const c_char,
    zip_code: *const c_char,
    address: *const c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let purchase = unsafe { arg_mut(purchase, "purchase") }?;
        let customer = Customer {
            email: unsafe { arg_str(email, "email") }?.into(),
            phone: unsafe { arg_str(phone, "phone") }?.into(),
            first_names: unsafe { arg_str(first_names, "first_names") }?.into(),
            family_name: unsafe { arg_str(family_name, "family_name") }?.into(),
            country: unsafe { arg_str(country, "country") }?.into(),
            city: unsafe { arg_str(city, "city") }?.into(),
            zip_code: unsafe { arg_str(zip_code, "zip_code") }?.into(),
            address: unsafe { arg_str(address, "address") }?.into(),
        };
        let full = !customer.email.is_empty()
            && !customer.first_names.is_empty()
            && !customer.family_name.is_empty();
        purchase.inner.customer = customer;
        if full {
            purchase.inner.payment_parameters = PaymentParameters::Full;
        }
        Ok(())
    })
}

/// Sets the page options by their wire values: `payment_parameters` is
/// PaymentParametersRequired (1 full, 2 simplified, 3 card only), `payment_method` is
/// PaymentMethod (1 card, 2 iDEAL, 3 both) and `card_token_request` is CardTokenRequest
/// (0 none, 1 store the card only, 2 pay and store). Overrides the PaymentParametersRequired
/// chosen by `ipc_purchase_set_customer`. Any other value is `IPC_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// `purchase` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ipc_purchase_set_options(
    purchase: *mut ipc_purchase,
    payment_parameters: u32,
    payment_method: u32,
    card_token_request: u32,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let purchase = unsafe { arg_mut(purchase, "purchase") }?;
        let invalid = |name: &str, value: u32| {
            FfiError::new(
                ipc_result::InvalidArgument,
                format!("{name} {value} is not a valid wire value"),
            )
        };
        let parameters = PaymentParameters::parse(&payment_parameters.to_string())
            .ok_or_else(|| invalid("payment_parameters", payment_parameters))?;
        let method = PaymentMethod::parse(&payment_method.to_string())
            .ok_or_else(|| invalid("payment_method", payment_method))?;
        let token = match card_token_request {
            0 => CardTokenRequest::None,
            1 => CardTokenRequest::StoreOnly,
            2 => CardTokenRequest::PayAndStore,
            other => return Err(invalid("card_token_request", other)),
        };
        purchase.inner.payment_parameters = parameters;
        purchase.inner.payment_method = method;
        purchase.inner.card_token_request = token;
        Ok(())
    })
}

/// Sets the Note shown to the buyer.
///
/// # Safety
/// `purchase` must be NULL or live; `note` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ipc_purchase_set_note(
    purchase: *mut ipc_purchase,
    note: *const c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let purchase = unsafe { arg_mut(purchase, "purchase") }?;
        purchase.inner.note = unsafe { arg_str(note, "note") }?.into();
        Ok(())
    })
}

/// Validates and signs the purchase with the config's key. On success `*request_out`
/// receives an object to free with `ipc_request_free`.
///
/// # Safety
/// Objects must be NULL or live; `request_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_purchase_sign(
    purchase: *const ipc_purchase,
    config: *const ipc_config,
    request_out: *mut *mut ipc_request,
) -> ipc_result {
    let build = |config: &Config| -> FfiResult<SignedRequest> {
        // SAFETY: the caller's contract for every pointer.
        let purchase = unsafe { arg_ref(purchase, "purchase") }?;
        Ok(purchase.inner.sign(config)?)
    };
    // SAFETY: forwarded contract.
    unsafe { sign_into(config, request_out, build) }
}

/// Frees a purchase builder. NULL-safe.
///
/// # Safety
/// `purchase` must be NULL or from `ipc_purchase_new`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_purchase_free(purchase: *mut ipc_purchase) {
    // SAFETY: the caller's contract.
    unsafe { free_box(purchase) }
}

/// Signs an IPCRefund of `amount_minor` in `currency` for the payment `trnref` of `order_id`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `request_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_refund_sign(
    config: *const ipc_config,
    order_id: *const c_char,
    trnref: *const c_char,
    amount_minor: i64,
    currency: *const c_char,
    output_format: u32,
    request_out: *mut *mut ipc_request,
) -> ipc_result {
    let build = |config: &Config| -> FfiResult<SignedRequest> {
        // SAFETY: the caller's contract for every pointer.
        let order_id = unsafe { arg_str(order_id, "order_id") }?;
        let trnref = unsafe { arg_str(trnref, "trnref") }?;
        let currency = unsafe { arg_str(currency, "currency") }?;
        let refund = Refund {
            order_id: order_id.into(),
            trnref: trnref.into(),
            amount: money(amount_minor, currency)?,
            output: request_format(output_format)?,
        };
        Ok(refund.sign(config)?)
    };
    // SAFETY: forwarded contract.
    unsafe { sign_into(config, request_out, build) }
}

/// Signs an IPCReversal of the payment `trnref`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `request_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_reversal_sign(
    config: *const ipc_config,
    trnref: *const c_char,
    output_format: u32,
    request_out: *mut *mut ipc_request,
) -> ipc_result {
    let build = |config: &Config| -> FfiResult<SignedRequest> {
        // SAFETY: the caller's contract for every pointer.
        let trnref = unsafe { arg_str(trnref, "trnref") }?;
        let reversal = Reversal {
            trnref: trnref.into(),
            output: request_format(output_format)?,
        };
        Ok(reversal.sign(config)?)
    };
    // SAFETY: forwarded contract.
    unsafe { sign_into(config, request_out, build) }
}

/// Signs an IPCGetTxnStatus query for `order_id`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `request_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_get_txn_status_sign(
    config: *const ipc_config,
    order_id: *const c_char,
    output_format: u32,
    request_out: *mut *mut ipc_request,
) -> ipc_result {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        sign_order_query(
            config,
            order_id,
            output_format,
            request_out,
            |config, order_id, output| GetTxnStatus { order_id, output }.sign(config),
        )
    }
}

/// Signs an IPCGetPaymentStatus query for `order_id`.
///
/// # Safety
/// `config` must be NULL or live; strings NUL-terminated; `request_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_get_payment_status_sign(
    config: *const ipc_config,
    order_id: *const c_char,
    output_format: u32,
    request_out: *mut *mut ipc_request,
) -> ipc_result {
    // SAFETY: the caller's contract, forwarded.
    unsafe {
        sign_order_query(
            config,
            order_id,
            output_format,
            request_out,
            |config, order_id, output| GetPaymentStatus { order_id, output }.sign(config),
        )
    }
}

/// Starts a request for any IPCmethod (letters and digits). On success `*generic_out`
/// receives an object to free with `ipc_generic_free`.
///
/// # Safety
/// `method` NUL-terminated; `generic_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_generic_new(
    method: *const c_char,
    generic_out: *mut *mut ipc_generic,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let method = unsafe { arg_str(method, "method") }?;
        let out = Out::new(generic_out, "generic_out")?;
        let generic = ipc_generic {
            method: Some(method.to_string()),
            params: Fields::new(),
        };
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, generic) };
        Ok(())
    })
}

/// Starts a raw request: its fields are exactly the parameters added (no prefix from the
/// config), in order; `IPCmethod` must be among them. Signs any recorded field list, e.g. a
/// known-answer vector. On success `*generic_out` receives an object to free with
/// `ipc_generic_free`.
///
/// # Safety
/// `generic_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_generic_new_raw(generic_out: *mut *mut ipc_generic) -> ipc_result {
    guard(|| {
        let out = Out::new(generic_out, "generic_out")?;
        let generic = ipc_generic {
            method: None,
            params: Fields::new(),
        };
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, generic) };
        Ok(())
    })
}

/// Appends a parameter; values are signed exactly as given.
///
/// # Safety
/// `generic` must be NULL or live; strings NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ipc_generic_add_param(
    generic: *mut ipc_generic,
    name: *const c_char,
    value: *const c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let generic = unsafe { arg_mut(generic, "generic") }?;
        let name = unsafe { arg_str(name, "name") }?;
        let value = unsafe { arg_str(value, "value") }?;
        generic.params.push(name, value);
        Ok(())
    })
}

/// Signs the request with the config's key. On success `*request_out` receives an object to
/// free with `ipc_request_free`.
///
/// # Safety
/// Objects must be NULL or live; `request_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_generic_sign(
    generic: *const ipc_generic,
    config: *const ipc_config,
    request_out: *mut *mut ipc_request,
) -> ipc_result {
    let build = |config: &Config| -> FfiResult<SignedRequest> {
        // SAFETY: the caller's contract for every pointer.
        let generic = unsafe { arg_ref(generic, "generic") }?;
        let request = match &generic.method {
            Some(method) => generic
                .params
                .iter()
                .fold(GenericRequest::new(method.as_str()), |r, (n, v)| {
                    r.param(n, v)
                }),
            None => GenericRequest::raw(generic.params.clone()),
        };
        Ok(request.sign(config)?)
    };
    // SAFETY: forwarded contract.
    unsafe { sign_into(config, request_out, build) }
}

/// Frees a generic request builder. NULL-safe.
///
/// # Safety
/// `generic` must be NULL or from `ipc_generic_new`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_generic_free(generic: *mut ipc_generic) {
    // SAFETY: the caller's contract.
    unsafe { free_box(generic) }
}

/// Runs a string accessor on a request.
unsafe fn request_string(
    request: *const ipc_request,
    out: *mut *mut c_char,
    get: impl FnOnce(&SignedRequest) -> FfiResult<String>,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let request = unsafe { arg_ref(request, "request") }?;
        let out = Out::new(out, "out")?;
        let text = get(&request.inner)?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_string(out, &text) }
    })
}

/// The urlencoded body to POST, as a string to free with `ipc_string_free`.
///
/// # Safety
/// `request` must be NULL or live; `body_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_body(
    request: *const ipc_request,
    body_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { request_string(request, body_out, |r| Ok(r.body())) }
}

/// A complete self-submitting HTML page posting the fields to myPOS, as a string to free
/// with `ipc_string_free`.
///
/// # Safety
/// `request` must be NULL or live; `html_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_html_form(
    request: *const ipc_request,
    html_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { request_string(request, html_out, |r| Ok(r.html_form())) }
}

/// Only the form, to embed in a page of one's own: `<form id="form_id">` with the signed
/// fields, a submit button labelled `button` (for browsers without JavaScript) and a script
/// that submits that form by its id, never `document.forms[0]`. `form_id` is 1 to 64 ASCII
/// letters, digits, `-` or `_`, starting with a letter (else `IPC_RESULT_INVALID_REQUEST`).
/// The string is freed with `ipc_string_free`.
///
/// # Safety
/// `request` must be NULL or live; strings NUL-terminated; `html_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_html_form_embedded(
    request: *const ipc_request,
    form_id: *const c_char,
    button: *const c_char,
    html_out: *mut *mut c_char,
) -> ipc_result {
    let build = |r: &SignedRequest| -> FfiResult<String> {
        // SAFETY: the caller's contract for every pointer.
        let form_id = unsafe { arg_str(form_id, "form_id") }?;
        let button = unsafe { arg_str(button, "button") }?;
        Ok(r.html_form_embedded(form_id, button)?)
    };
    // SAFETY: forwarded contract.
    unsafe { request_string(request, html_out, build) }
}

/// The Signature value, as a string to free with `ipc_string_free`.
///
/// # Safety
/// `request` must be NULL or live; `signature_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_signature(
    request: *const ipc_request,
    signature_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { request_string(request, signature_out, |r| Ok(r.signature().to_string())) }
}

/// The URL to post to, as a string to free with `ipc_string_free`.
///
/// # Safety
/// `request` must be NULL or live; `url_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_action_url(
    request: *const ipc_request,
    url_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { request_string(request, url_out, |r| Ok(r.action_url().to_string())) }
}

/// The number of fields, Signature included.
///
/// # Safety
/// `request` must be NULL or live; `count_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_field_count(
    request: *const ipc_request,
    count_out: *mut usize,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let request = unsafe { arg_ref(request, "request") }?;
        let out = Out::new(count_out, "count_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(request.inner.fields().len()) };
        Ok(())
    })
}

fn field_at(request: &SignedRequest, index: usize) -> FfiResult<&(String, String)> {
    request.fields().pairs().get(index).ok_or_else(|| {
        FfiError::new(
            ipc_result::InvalidArgument,
            format!(
                "field index {index} is past the end ({} fields)",
                request.fields().len()
            ),
        )
    })
}

/// The name of field `index` (0-based, wire order), as a string to free with
/// `ipc_string_free`. An index past the end is `IPC_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// `request` must be NULL or live; `name_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_field_name(
    request: *const ipc_request,
    index: usize,
    name_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { request_string(request, name_out, |r| Ok(field_at(r, index)?.0.clone())) }
}

/// The value of field `index` (0-based, wire order), as a string to free with
/// `ipc_string_free`.
///
/// # Safety
/// `request` must be NULL or live; `value_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_field_value(
    request: *const ipc_request,
    index: usize,
    value_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { request_string(request, value_out, |r| Ok(field_at(r, index)?.1.clone())) }
}

/// A field's value by name (case-insensitive), as a string to free with `ipc_string_free`;
/// `IPC_RESULT_NOT_FOUND` when absent.
///
/// # Safety
/// `request` must be NULL or live; `name` NUL-terminated; `value_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_get(
    request: *const ipc_request,
    name: *const c_char,
    value_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let request = unsafe { arg_ref(request, "request") }?;
        let name = unsafe { arg_str(name, "name") }?;
        let out = Out::new(value_out, "value_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe {
            set_found(
                out,
                request.inner.fields().get(name),
                &format!("field '{name}'"),
            )
        }
    })
}

/// Frees a signed request. NULL-safe.
///
/// # Safety
/// `request` must be NULL or from an `ipc_*_sign` function, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_request_free(request: *mut ipc_request) {
    // SAFETY: the caller's contract.
    unsafe { free_box(request) }
}
