//! `ipc::verify_form`: never panics; parse errors are reported as such; a body that verifies
//! yields exactly its parsed fields without Signature.
#![no_main]

use ipc::{Error, Outcome};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for key in [
        fuzz_common::simulated_mypos_key(),
        fuzz_common::vector_mypos_key(),
    ] {
        let result = ipc::verify_form(data, key);
        match ipc::parse_urlencoded(data) {
            Err(parse_error) => {
                assert_eq!(
                    result.as_ref().err(),
                    Some(&parse_error),
                    "parse error not passed through"
                );
            }
            Ok(fields) => match result {
                Ok(verified) => {
                    let (rest, _) = match fields.split_signature() {
                        Ok(split) => split,
                        Err(e) => panic!("verified without a Signature: {e}"),
                    };
                    assert_eq!(verified, rest);
                }
                Err(e) => {
                    if e.outcome() == Outcome::SignatureInvalid {
                        assert!(fields.has_signature());
                    }
                    if !fields.has_signature() {
                        assert_eq!(e, Error::MissingSignature);
                    }
                }
            },
        }
    }
});
