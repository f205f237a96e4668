//! `ipc::parse_urlencoded`: never panics; a parsed body re-encodes to a canonical body that
//! parses back to the same ordered fields, and canonical encoding is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(fields) = ipc::parse_urlencoded(data) else {
        return;
    };
    assert!(!fields.is_empty(), "parsed an empty field list");
    assert!(
        fields.iter().all(|(n, _)| !n.is_empty()),
        "empty field name accepted"
    );
    let canonical = fields.to_urlencoded();
    let again = match ipc::parse_urlencoded(canonical.as_bytes()) {
        Ok(f) => f,
        Err(e) => panic!("canonical re-encoding does not parse: {e}"),
    };
    assert_eq!(
        again, fields,
        "parse -> to_urlencoded -> parse changed the fields"
    );
    assert_eq!(
        again.to_urlencoded(),
        canonical,
        "canonical encoding is not stable"
    );
    // Case-insensitive lookup finds the first (and only) field of each name.
    for (n, v) in fields.iter() {
        assert_eq!(fields.get(&n.to_ascii_uppercase()), Some(v));
    }
});
