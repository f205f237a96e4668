//! Keys and helpers shared by the fuzz targets. Keys are compiled in so the targets run from
//! any directory; they are test keys only.

use std::sync::OnceLock;

use ipc::{Config, Endpoint, PrivateKey, PublicKey};

/// The simulated myPOS certificate (`tests/data/test-keys/simulated-mypos-cert.pem`).
pub const SIMULATED_MYPOS_CERT: &str =
    include_str!("../../tests/data/test-keys/simulated-mypos-cert.pem");
/// The mock myPOS certificate of the golden vectors (`tests/data/keys/mypos_cert.pem`).
pub const VECTOR_MYPOS_CERT: &str = include_str!("../../tests/data/keys/mypos_cert.pem");
/// The 1024-bit public myPOS test merchant key (fast to sign with).
pub const TEST_MERCHANT_KEY: &str =
    include_str!("../../tests/data/test-keys/mypos-test-merchant-private-key.pem");

fn must<T>(r: ipc::Result<T>, what: &str) -> T {
    match r {
        Ok(v) => v,
        Err(e) => panic!("fuzz setup: {what}: {e}"),
    }
}

/// The simulated myPOS public key (notify verification).
pub fn simulated_mypos_key() -> &'static PublicKey {
    static K: OnceLock<PublicKey> = OnceLock::new();
    K.get_or_init(|| {
        must(
            PublicKey::from_pem(SIMULATED_MYPOS_CERT),
            "simulated myPOS cert",
        )
    })
}

/// The golden vectors' mock myPOS public key (API answers).
pub fn vector_mypos_key() -> &'static PublicKey {
    static K: OnceLock<PublicKey> = OnceLock::new();
    K.get_or_init(|| must(PublicKey::from_pem(VECTOR_MYPOS_CERT), "vector myPOS cert"))
}

/// The 1024-bit test merchant key (signing targets).
pub fn merchant_key() -> &'static PrivateKey {
    static K: OnceLock<PrivateKey> = OnceLock::new();
    K.get_or_init(|| must(PrivateKey::from_pem(TEST_MERCHANT_KEY), "test merchant key"))
}

/// A config with the test merchant key and the simulated myPOS certificate.
pub fn config() -> &'static Config {
    static C: OnceLock<Config> = OnceLock::new();
    C.get_or_init(|| {
        must(
            Config::builder()
                .sid("000000000000010")
                .wallet("61938166610")
                .key_index(1)
                .private_key_pem(TEST_MERCHANT_KEY)
                .mypos_public_key_pem(SIMULATED_MYPOS_CERT)
                .endpoint(Endpoint::Test)
                .build(),
            "config",
        )
    })
}

/// Asserts that a signed urlencoded body verifies with `key` and that its fields equal
/// `expected` (the Signature removed).
pub fn assert_verifies(body: &str, key: &PublicKey, expected: &ipc::Fields) {
    match ipc::verify_form(body.as_bytes(), key) {
        Ok(fields) => assert_eq!(
            &fields, expected,
            "verified fields differ from the signed ones"
        ),
        Err(e) => panic!("a body the core signed does not verify: {e}"),
    }
}
