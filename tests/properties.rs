//! Property tests: sign then verify round-trips for arbitrary values; changing, dropping,
//! swapping or adding any value fails verification.

mod common;

use std::sync::OnceLock;

use proptest::prelude::*;

fn keys() -> &'static (ipc::PrivateKey, ipc::PublicKey) {
    static KEYS: OnceLock<(ipc::PrivateKey, ipc::PublicKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        let private = common::private_key("keys/mypos_private.pem");
        let public = common::public_key("keys/mypos_cert.pem");
        (private, public)
    })
}

fn field_values() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(any::<String>(), 1..8)
}

fn signed_body(values: &[String]) -> ipc::Fields {
    let fields: ipc::Fields = values
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("F{i}"), v.clone()))
        .collect();
    let sig = ipc::sign_fields(&fields, &keys().0).unwrap();
    let mut signed = fields;
    signed.push("Signature", sig);
    signed
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn sign_then_verify_round_trips(values in field_values()) {
        let signed = signed_body(&values);
        let body = signed.to_urlencoded();
        let verified = ipc::verify_form(body.as_bytes(), &keys().1).unwrap();
        prop_assert_eq!(verified.values().collect::<Vec<_>>(), values.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn changing_a_value_fails(values in field_values(), index in any::<prop::sample::Index>(), extra in "[a-z0-9]{1,3}") {
        let signed = signed_body(&values);
        let i = index.index(values.len());
        let mut pairs = signed.into_pairs();
        pairs[i].1.push_str(&extra);
        let tampered: ipc::Fields = pairs.into_iter().collect();
        prop_assert_eq!(ipc::verify_fields(tampered, &keys().1), Err(ipc::Error::SignatureInvalid));
    }

    #[test]
    fn dropping_a_value_fails(values in prop::collection::vec(any::<String>(), 2..8), index in any::<prop::sample::Index>()) {
        let signed = signed_body(&values);
        let i = index.index(values.len());
        let mut pairs = signed.into_pairs();
        let removed = pairs.remove(i);
        // Dropping an empty value next to another changes the joined text too ("a--b" vs "a-b").
        let tampered: ipc::Fields = pairs.into_iter().collect();
        let r = ipc::verify_fields(tampered, &keys().1);
        prop_assert_eq!(r, Err(ipc::Error::SignatureInvalid), "dropped {:?}", removed);
    }

    #[test]
    fn adding_a_value_fails(values in field_values(), index in any::<prop::sample::Index>(), extra in ".{0,8}") {
        let signed = signed_body(&values);
        let mut pairs = signed.into_pairs();
        let i = index.index(pairs.len());
        pairs.insert(i, ("Extra".into(), extra));
        let tampered: ipc::Fields = pairs.into_iter().collect();
        prop_assert_eq!(ipc::verify_fields(tampered, &keys().1), Err(ipc::Error::SignatureInvalid));
    }

    #[test]
    fn swapping_two_different_values_fails(values in prop::collection::vec("[a-z]{1,6}", 2..8), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let (i, j) = (a.index(values.len()), b.index(values.len()));
        prop_assume!(values[i] != values[j]);
        let signed = signed_body(&values);
        let mut pairs = signed.into_pairs();
        let (vi, vj) = (pairs[i].1.clone(), pairs[j].1.clone());
        pairs[i].1 = vj;
        pairs[j].1 = vi;
        let tampered: ipc::Fields = pairs.into_iter().collect();
        prop_assert_eq!(ipc::verify_fields(tampered, &keys().1), Err(ipc::Error::SignatureInvalid));
    }

    #[test]
    fn urlencoded_round_trips(values in field_values()) {
        let fields: ipc::Fields = values.iter().enumerate().map(|(i, v)| (format!("n{i}"), v.clone())).collect();
        prop_assert_eq!(ipc::parse_urlencoded(fields.to_urlencoded().as_bytes()).unwrap(), fields);
    }

    #[test]
    fn money_wire_text_parses_back(minor in -10_000_000i64..10_000_000, zero_decimals in any::<bool>()) {
        let currency = ipc::Currency::parse(if zero_decimals { "HUF" } else { "EUR" }).unwrap();
        let m = ipc::Money::new(minor, currency);
        prop_assert_eq!(ipc::amount::parse_decimal(&m.wire(), currency.decimals()), Some(minor));
    }
}
