//! `ipc::ResponseBuilder::sign` → `ipc::Response::parse_and_verify`: an answer signed the way
//! myPOS does (JSON or XML, optional nested `OrderStatus`) with arbitrary values must verify
//! with the matching key and give back its Status and values.
#![no_main]

use arbitrary::Arbitrary;
use ipc::{Fields, OutputFormat, Response, ResponseBuilder};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    xml: bool,
    status: u16,
    values: Vec<String>,
    nested: Option<Vec<String>>,
}

/// XML 1.0 can carry these characters; others are refused by XML parsers by design.
fn xml_safe(s: &str) -> bool {
    s.chars()
        .all(|c| !c.is_control() || matches!(c, '\t' | '\n'))
}

fuzz_target!(|input: Input| {
    let format = if input.xml {
        OutputFormat::Xml
    } else {
        OutputFormat::Json
    };
    // The 1024-bit test key: RSA signing dominates each run, and the key size does not matter here.
    let key = fuzz_common::merchant_key();
    let mut builder = ResponseBuilder::new().field("Status", input.status.to_string());
    for (i, v) in input.values.iter().enumerate() {
        builder = builder.field(format!("F{i}"), v.clone());
    }
    let nested: Option<Fields> = input.nested.as_ref().map(|vs| {
        vs.iter()
            .enumerate()
            .map(|(i, v)| (format!("N{i}"), v.clone()))
            .collect()
    });
    if let Some(n) = &nested {
        builder = builder.nested("OrderStatus", n);
    }
    let body = match builder.sign(format, key) {
        Ok(b) => b,
        Err(e) => panic!("signing an answer failed: {e}"),
    };
    let result = Response::parse_and_verify(body.as_bytes(), Some(format), key.public_key());
    let all_values = input.values.iter().chain(input.nested.iter().flatten());
    // XML drops what it cannot carry; a nested element made only of empty or whitespace
    // text is read back as a branch or leaf depending on content, so only plain text is held
    // to the round-trip there.
    let strict = match format {
        OutputFormat::Json => true,
        OutputFormat::Xml => {
            all_values.clone().all(|v| xml_safe(v) && !v.contains('\r'))
                && nested.as_ref().is_none_or(|n| !n.is_empty())
        }
    };
    let response = match result {
        Ok(r) => r,
        Err(e) if strict => {
            panic!("a {format:?} answer the core signed does not verify: {e}\n{body}")
        }
        Err(_) => return,
    };
    assert_eq!(response.status().0, u32::from(input.status));
    for (i, v) in input.values.iter().enumerate() {
        assert_eq!(
            response.get(&format!("F{i}")),
            Some(v.as_str()),
            "value F{i}"
        );
    }
    if let Some(n) = nested.filter(|n| !n.is_empty()) {
        assert_eq!(response.order_status(), Some(n), "nested OrderStatus");
    }
});
