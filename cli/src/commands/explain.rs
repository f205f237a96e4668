//! `ipc explain`: every step of a signature check, and the usual causes when it fails.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::args::ExplainArgs;
use crate::fail::{CliResult, Failure};
use crate::input;

/// The usual causes of a failed check (docs/protocol.md: "Signing", "Status codes", "Field boundaries are not protected").
const CAUSES: &[&str] = &[
    "wrong key or certificate (or a KeyIndex that points at another certificate)",
    "fields reordered, added or removed after signing (order is signed, names are not)",
    "a value changed by HTML escaping, e.g. '&' sent as '&amp;' (or decoded twice)",
    "trailing whitespace or a newline added to a value",
    "an unencoded '+' in the body, which decodes to a space",
    "an amount written differently from the signed text (24.5 vs 24.50)",
];

pub fn run(args: &ExplainArgs) -> CliResult {
    let key = match (&args.source.cert, &args.source.key) {
        (Some(cert), _) => input::public_key(cert)?,
        (None, Some(key)) => input::private_key(key)?.public_key().clone(),
        (None, None) => return Err(Failure::usage("give --cert or --key")),
    };
    let body = input::stdin_bytes()?;
    let mut out = String::new();
    let result = explain(&body, &key, &mut out);
    input::print_line(&out)?;
    result
}

fn explain(body: &[u8], key: &ipc::PublicKey, out: &mut String) -> CliResult {
    let trimmed = body
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .copied()
        .next();
    let (values, signature) = match trimmed {
        Some(b'{') | Some(b'<') => answer_values(body, out)?,
        _ => form_values(body, out)?,
    };
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    let joined = ipc::canonical::joined(refs.iter().copied());
    let b64 = ipc::canonical::signing_input(refs.iter().copied());
    let digest = Sha256::digest(b64.as_bytes());
    let _ = writeln!(out, "joined: {joined}");
    let _ = writeln!(out, "base64: {b64}");
    let _ = writeln!(out, "sha256(base64): {}", hex(&digest));
    let _ = writeln!(
        out,
        "key: RSA {} bits, SPKI SHA256:{}",
        key.bits(),
        key.fingerprint_hex()
    );
    let _ = writeln!(out, "signature: {signature}");
    match ipc::verify_values(refs.iter().copied(), &signature, key) {
        Ok(()) => {
            let _ = writeln!(out, "verdict: valid");
            Ok(())
        }
        Err(e) => {
            let verdict = match e.outcome() {
                ipc::Outcome::SignatureInvalid => "signature invalid".to_string(),
                _ => format!("malformed ({e})"),
            };
            let _ = writeln!(out, "verdict: {verdict}");
            causes(&values, out);
            Err(Failure::from_core("Signature", &e))
        }
    }
}

fn causes(values: &[String], out: &mut String) {
    let _ = writeln!(out, "usual causes:");
    for c in CAUSES {
        let _ = writeln!(out, "  - {c}");
    }
    for (i, v) in values.iter().enumerate() {
        if v.contains("&amp;") || v.contains("&quot;") || v.contains("&lt;") {
            let _ = writeln!(out, "  ! value {} contains an HTML entity", i + 1);
        }
        if v.ends_with(char::is_whitespace) || v.starts_with(char::is_whitespace) {
            let _ = writeln!(
                out,
                "  ! value {} has leading or trailing whitespace",
                i + 1
            );
        }
    }
}

fn form_values(body: &[u8], out: &mut String) -> CliResult<(Vec<String>, String)> {
    let fields = ipc::parse_urlencoded(body).map_err(|e| malformed(out, "body on stdin", &e))?;
    let (rest, signature) = fields
        .split_signature()
        .map_err(|e| malformed(out, "body on stdin", &e))?;
    let _ = writeln!(out, "values in order:");
    for (i, (n, v)) in rest.iter().enumerate() {
        let _ = writeln!(out, "  {:>2}. {n} = {v:?}", i + 1);
    }
    Ok((rest.values().map(str::to_string).collect(), signature))
}

fn answer_values(body: &[u8], out: &mut String) -> CliResult<(Vec<String>, String)> {
    let (_, root) = ipc::response::parse_document(body, None)
        .map_err(|e| malformed(out, "answer on stdin", &e))?;
    let ipc::Node::Branch(children) = root else {
        return Err(Failure::malformed("answer on stdin: not an object"));
    };
    let mut signature = None;
    let mut leaves = Vec::new();
    let _ = writeln!(out, "values in order (depth-first):");
    for (name, node) in &children {
        if name.eq_ignore_ascii_case("Signature") {
            if let ipc::Node::Leaf(s) = node {
                signature = Some(s.clone());
            }
            continue;
        }
        collect(name, node, &mut leaves);
    }
    for (i, (n, v)) in leaves.iter().enumerate() {
        let _ = writeln!(out, "  {:>2}. {n} = {v:?}", i + 1);
    }
    let signature = signature.ok_or_else(|| {
        let _ = writeln!(out, "verdict: malformed (unsigned API answer)");
        Failure::malformed("answer on stdin: unsigned API answer; not trusted")
    })?;
    Ok((leaves.into_iter().map(|(_, v)| v).collect(), signature))
}

fn collect(path: &str, node: &ipc::Node, out: &mut Vec<(String, String)>) {
    match node {
        ipc::Node::Leaf(v) => out.push((path.to_string(), v.clone())),
        ipc::Node::Branch(children) => {
            for (n, c) in children {
                collect(&format!("{path}.{n}"), c, out);
            }
        }
    }
}

fn malformed(out: &mut String, what: &str, e: &ipc::Error) -> Failure {
    let _ = writeln!(out, "verdict: malformed ({e})");
    Failure::from_core(what, e)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
