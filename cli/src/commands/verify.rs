//! `ipc verify` and `ipc verify-response`.

use std::collections::HashMap;
use std::path::Path;

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

pub fn form(cert: &Path) -> CliResult {
    let key = input::public_key(cert)?;
    let body = input::stdin_bytes()?;
    let fields =
        ipc::verify_form(&body, &key).map_err(|e| Failure::from_core("body on stdin", &e))?;
    input::print_line(&fields_json(&fields).to_string())
}

pub fn response(cert: &Path, format: Option<Format>) -> CliResult {
    let key = input::public_key(cert)?;
    let body = input::stdin_bytes()?;
    let format = format.map(|f| match f {
        Format::Json => ipc::OutputFormat::Json,
        Format::Xml => ipc::OutputFormat::Xml,
    });
    let fail = |e: ipc::Error| Failure::from_core("answer on stdin", &e);
    let answer = ipc::Response::parse_and_verify(&body, format, &key).map_err(fail)?;
    input::print_line(&node_json(answer.root()).to_string())
}
