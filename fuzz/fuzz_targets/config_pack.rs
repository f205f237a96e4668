//! `ipc::ConfigPack::decode`: never panics; decode -> encode -> decode round-trips; the
//! private key never shows in `Debug` or in the redacted JSON.
#![no_main]

use ipc::{Config, ConfigPack, Endpoint, PrivateKey, PublicKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(pack) = ConfigPack::decode(text) else {
        return;
    };
    assert!(pack.key_index > 0);
    let encoded = pack.encode();
    let again = match ConfigPack::decode(&encoded) {
        Ok(p) => p,
        Err(e) => panic!("re-encoded pack does not decode: {e}"),
    };
    assert_eq!(again, pack, "decode -> encode -> decode changed the pack");
    if let Some(pk) = pack.private_key_pem() {
        let others = format!(
            "{}|{}|{}|{:?}|{:?}|{:?}",
            pack.sid,
            pack.wallet,
            pack.key_index,
            pack.mypos_certificate_pem,
            pack.application_id,
            pack.partner_id
        );
        if pk.len() >= 12 && !others.contains(pk) && !"[redacted]".contains(pk) {
            assert!(
                !format!("{pack:?}").contains(pk),
                "private key in Debug output"
            );
            assert!(
                !pack.to_json(false).contains(pk),
                "private key in redacted JSON"
            );
        }
        let _ = PrivateKey::from_pem(pk);
    }
    if let Some(pc) = &pack.mypos_certificate_pem {
        let _ = PublicKey::from_pem(pc);
    }
    let _ = Config::from_pack(&pack, Endpoint::Test);
});
