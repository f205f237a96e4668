//! `ipc::Response::parse_and_verify` and `ipc::response::parse_document`: never panic;
//! document parse errors pass through verification unchanged; detection is consistent.
#![no_main]

use ipc::response::{leaves_signing_input, parse_document};
use ipc::{OutputFormat, Response};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let keys = [
        fuzz_common::simulated_mypos_key(),
        fuzz_common::vector_mypos_key(),
    ];
    for (format, key) in [None, Some(OutputFormat::Json), Some(OutputFormat::Xml)]
        .into_iter()
        .zip(keys.into_iter().cycle())
    {
        let parsed = parse_document(data, format);
        let verified = Response::parse_and_verify(data, format, key);
        match &parsed {
            Err(e) => assert_eq!(verified.as_ref().err(), Some(e), "parse error changed"),
            Ok((detected, root)) => {
                if let Some(f) = format {
                    assert_eq!(*detected, f, "forced format not kept");
                }
                let _ = leaves_signing_input(root);
                let _ = root.leaf_fields();
            }
        }
        if let Ok(response) = verified {
            let _ = (response.status(), response.status_msg(), response.method());
            let _ = (
                response.order_status(),
                response.payment_status(),
                response.txn_log(),
            );
        }
    }
});
