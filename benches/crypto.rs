//! Sign, verify and notify parse+verify, at 1024 and 2048 bits, for the build's backend
//! (`aws-lc` by default) and, as a same-run baseline, the pure-Rust `rsa` crate directly.
//! `make bench` runs these in full and `scripts/bench-report.py` compares with `openssl speed`.
//! The group `limits` times notify parse+verify of the worst body the input limits allow
//! (`ipc::limits`: 1 MiB of 4,096 fields with distinct 64-byte names) against a body of the
//! same size whose bulk is one long field; the report prints their ratio (goal: within 3x).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use sha2::Sha256;

#[path = "../tests/common/bodies.rs"]
mod bodies;

fn data(rel: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/data/{rel}", env!("CARGO_MANIFEST_DIR"))).expect(rel)
}

struct Keys {
    bits: usize,
    private: ipc::PrivateKey,
    public: ipc::PublicKey,
    notify: Vec<u8>,
}

fn keys() -> Vec<Keys> {
    [
        (1024, "test-keys/mypos-test-merchant-private-key.pem"),
        (2048, "test-keys/simulated-mypos-private-key.pem"),
    ]
    .into_iter()
    .map(|(bits, path)| {
        let private = ipc::PrivateKey::from_pem(&data(path)).expect("key");
        let public = private.public_key().clone();
        let mut fields: ipc::Fields = [
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
        .collect();
        let sig = ipc::sign_fields(&fields, &private).expect("sign");
        fields.push("Signature", sig);
        Keys {
            bits,
            private,
            public,
            notify: fields.to_urlencoded().into_bytes(),
        }
    })
    .collect()
}

fn benches(c: &mut Criterion) {
    let message = ipc::canonical::signing_input([
        "IPCPurchaseNotify",
        "000000000000010",
        "23.45",
        "EUR",
        "ORDER-0001",
    ]);
    let backend = ipc::keys::backend_name();
    for k in keys() {
        let mut g = c.benchmark_group(format!("rsa{}", k.bits));
        g.bench_function(BenchmarkId::new("sign", backend), |b| {
            b.iter(|| k.private.sign(message.as_bytes()).expect("sign"))
        });
        let sig = k.private.sign(message.as_bytes()).expect("sign");
        g.bench_function(BenchmarkId::new("verify", backend), |b| {
            b.iter(|| k.public.verify(message.as_bytes(), &sig).expect("verify"))
        });
        g.bench_function(BenchmarkId::new("notify", backend), |b| {
            b.iter(|| ipc::Message::parse_and_verify(&k.notify, &k.public).expect("notify"))
        });
        // Baseline in the same run: the rsa crate on its own.
        let rsa_sign: &SigningKey<Sha256> = k.private.rsa_signing_key();
        let rsa_verify = VerifyingKey::<Sha256>::new(k.public.rsa_key().clone());
        g.bench_function(BenchmarkId::new("sign", "rustcrypto"), |b| {
            b.iter(|| rsa_sign.sign(message.as_bytes()).to_vec())
        });
        let rsig = rsa_sign.sign(message.as_bytes());
        g.bench_function(BenchmarkId::new("verify", "rustcrypto"), |b| {
            b.iter(|| {
                rsa_verify
                    .verify(message.as_bytes(), &rsig)
                    .expect("verify")
            })
        });
        g.finish();
    }
}

fn limits(c: &mut Criterion) {
    let private =
        ipc::PrivateKey::from_pem(&data("test-keys/simulated-mypos-private-key.pem")).expect("key");
    let public = private.public_key().clone();
    let len = ipc::limits::MAX_BODY_BYTES;
    let mut g = c.benchmark_group("limits");
    for (name, body) in [
        ("worst-case", bodies::worst_case(&private, len)),
        ("one-long-field", bodies::one_long_field(&private, len)),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| ipc::Message::parse_and_verify(&body, &public).expect("parse+verify"))
        });
    }
    g.finish();
}

criterion_group!(name = crypto; config = Criterion::default().sample_size(20); targets = benches, limits);
criterion_main!(crypto);
