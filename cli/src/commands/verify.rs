//! `ipc verify` and `ipc verify-response`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::args::Format;
use crate::fail::{CliResult, Failure};
use crate::input;

/// Fields as one JSON object of strings, in order.
pub fn fields_json(fields: &ipc::Fields) -> Value {
    let mut map = Map::new();
    for (n, v) in fields.iter() {
        map.insert(n.to_string(), Value::String(v.to_string()));
    }
    Value::Object(map)
}

/// An answer tree as nested JSON objects of strings. Names that repeat among siblings (XML
/// `<log><item/><item/></log>`) become one array, at the place of their first occurrence.
pub fn node_json(node: &ipc::Node) -> Value {
    match node {
        ipc::Node::Leaf(v) => Value::String(v.clone()),
        ipc::Node::Branch(children) => {
            // Each name's count among the siblings, taken once: a scan per child was
            // quadratic in the number of siblings.
            let mut counts: HashMap<&str, usize> = HashMap::with_capacity(children.len());
            for (n, _) in children {
                *counts.entry(n.as_str()).or_default() += 1;
            }
            let mut map = Map::new();
            for (n, c) in children {
                let value = node_json(c);
                let repeats = counts.get(n.as_str()).is_some_and(|&k| k > 1);
                match map.get_mut(n) {
                    Some(Value::Array(items)) if repeats => items.push(value),
                    _ if repeats => {
                        map.insert(n.clone(), Value::Array(vec![value]));
                    }
                    _ => {
                        map.insert(n.clone(), value);
                    }
                }
            }
            Value::Object(map)
        }
    }
}

/// The certificates of repeated `--cert` options as one keyring (errors name the file).
fn keyring(certs: &[PathBuf]) -> CliResult<ipc::Keyring> {
    let mut keys = Vec::with_capacity(certs.len());
    for path in certs {
        keys.push(Arc::new(input::public_key(path)?));
    }
    ipc::Keyring::from_keys(keys).map_err(|e| Failure::malformed(format!("--cert: {e}")))
}

/// With more than one `--cert`, names the one that matched on stderr (stdout is unchanged).
fn report(certs: &[PathBuf], ring: &ipc::Keyring, matched: usize) {
    if certs.len() > 1 {
        eprintln!(
            "verified with --cert {} of {} ({}, sha256 {})",
            matched + 1,
            certs.len(),
            certs[matched].display(),
            ring.certificates()[matched].fingerprint_hex()
        );
    }
}

pub fn form(certs: &[PathBuf]) -> CliResult {
    let ring = keyring(certs)?;
    let body = input::stdin_bytes()?;
    let (fields, matched) = ring
        .verify_form(&body)
        .map_err(|e| Failure::from_core("body on stdin", &e))?;
    report(certs, &ring, matched);
    input::print_line(&fields_json(&fields).to_string())
}

pub fn response(certs: &[PathBuf], format: Option<Format>) -> CliResult {
    let ring = keyring(certs)?;
    let body = input::stdin_bytes()?;
    let format = format.map(|f| match f {
        Format::Json => ipc::OutputFormat::Json,
        Format::Xml => ipc::OutputFormat::Xml,
    });
    let fail = |e: ipc::Error| Failure::from_core("answer on stdin", &e);
    let (answer, matched) =
        ipc::Response::parse_and_verify_keyring(&body, format, &ring).map_err(fail)?;
    report(certs, &ring, matched);
    input::print_line(&node_json(answer.root()).to_string())
}
