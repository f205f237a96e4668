//! Signed notify bodies of an exact size, at the input limits (`ipc::limits`): used by
//! `tests/limits.rs` and by the worst-case benchmark (`benches/crypto.rs` includes this file).
#![allow(dead_code)]

use ipc::limits::{MAX_FIELDS, MAX_FIELD_NAME_BYTES};
use ipc::{Fields, PrivateKey};

/// A plausible IPCPurchaseNotify, without Signature.
pub fn notify_pairs() -> Vec<(String, String)> {
    [
        ("IPCmethod", "IPCPurchaseNotify"),
        ("SID", "000000000000010"),
        ("Amount", "23.45"),
        ("Currency", "EUR"),
        ("OrderID", "ORDER-0001"),
        ("IPC_Trnref", "410227"),
        ("RequestSTAN", "083107"),
        ("RequestDateTime", "2026-01-15 14:49:48"),
        ("PaymentMethod", "1"),
        ("BillingDescriptor", "myPOS  * TESTSTORE"),
        ("PAN", "4444"),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect()
}

/// The urlencoded body of `pairs` plus the Signature that `key` makes over them, with the
/// value of the last pair replaced by padding so that the body has exactly `len` bytes.
/// The urlencoded Signature's length varies with its `+` and `/` (2 bytes more each), so this
/// pads for a likely Signature length and changes a counter inside the padding (a new
/// signature each time) until the Signature has that length.
pub fn signed_body_of_len(
    mut pairs: Vec<(String, String)>,
    key: &PrivateKey,
    len: usize,
) -> Vec<u8> {
    let build = |pairs: &[(String, String)]| {
        let fields: Fields = pairs.iter().cloned().collect();
        let signature = ipc::fields::urlencode(&ipc::sign_fields(&fields, key).expect("sign"));
        let mut body = fields.to_urlencoded();
        body.push_str("&Signature=");
        let unsigned = body.len();
        body.push_str(&signature);
        (body, unsigned)
    };
    let (first, unsigned) = build(&pairs);
    let signature0 = first.len() - unsigned;
    let fixed = unsigned - pairs.last().expect("a field to pad").1.len();
    for attempt in 0..5000usize {
        let step = [0, 2, 4][attempt % 3];
        let target = (signature0 + step).checked_sub(2).unwrap_or(signature0);
        let pad = len
            .checked_sub(fixed + target)
            .expect("room for the padding");
        let counter = format!("{:08}", attempt / 3);
        let value = if pad >= counter.len() {
            "a".repeat(pad - counter.len()) + &counter
        } else {
            "a".repeat(pad)
        };
        pairs.last_mut().expect("a field to pad").1 = value;
        let (body, _) = build(&pairs);
        if body.len() == len {
            return body.into_bytes();
        }
    }
    panic!("no signature gave a body of exactly {len} bytes");
}

/// The worst case the limits allow: a notify followed by distinct fields with names of
/// [`MAX_FIELD_NAME_BYTES`] bytes, [`MAX_FIELDS`] fields with Signature, `len` bytes in all.
pub fn worst_case(key: &PrivateKey, len: usize) -> Vec<u8> {
    let mut pairs = notify_pairs();
    let fillers = MAX_FIELDS - pairs.len() - 1;
    // Each filler is name, '=', value and '&'; about 400 bytes are left for the Signature.
    let per_value = (len - 400 - pairs.len() * 40) / fillers - MAX_FIELD_NAME_BYTES - 2;
    for i in 0..fillers {
        let name = format!("F{i:0width$}", width = MAX_FIELD_NAME_BYTES - 1);
        pairs.push((name, "v".repeat(per_value)));
    }
    signed_body_of_len(pairs, key, len)
}

/// The same notify with its bulk in one long field, `len` bytes in all.
pub fn one_long_field(key: &PrivateKey, len: usize) -> Vec<u8> {
    let mut pairs = notify_pairs();
    pairs.push(("Data".to_string(), String::new()));
    signed_body_of_len(pairs, key, len)
}
