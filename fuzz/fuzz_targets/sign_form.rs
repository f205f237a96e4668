//! `ipc::sign_form`: never panics; fails exactly when the body does not parse, already holds
//! a Signature, or signed would break the limits (`ipc::limits`: fields, bytes); a signed body
//! keeps its bytes as a prefix and verifies.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = fuzz_common::merchant_key();
    let parsed = ipc::parse_urlencoded(data);
    match ipc::sign_form(data, key) {
        Ok(signed) => {
            let fields = match parsed {
                Ok(f) => f,
                Err(e) => panic!("signed a body that does not parse: {e}"),
            };
            assert!(!fields.has_signature());
            assert!(
                signed.as_bytes().starts_with(data),
                "sign_form changed the body's bytes"
            );
            fuzz_common::assert_verifies(&signed, key.public_key(), &fields);
        }
        Err(e) => {
            if let Ok(fields) = parsed {
                // `&Signature=` and a signature of a 4096-bit key, all percent-encoded, fit
                // in 4096 bytes.
                let at_limit = fields.len() >= ipc::limits::MAX_FIELDS
                    || data.len() + 4096 > ipc::limits::MAX_BODY_BYTES;
                assert!(
                    fields.has_signature() || at_limit,
                    "refused a parseable body without Signature: {e}"
                );
            }
        }
    }
});
