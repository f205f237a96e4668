//! Server-to-server answers (docs/protocol.md, "What is signed in an answer", "Server answers"): JSON or XML documents whose Signature covers
//! every leaf, depth-first in document order, nested Signatures included; only the top-level
//! Signature is removed. An unsigned answer is reported as such and never trusted.

use quick_xml::events::Event;
use serde_json::Value;

use crate::canonical::signing_input;
use crate::error::{Error, Result};
use crate::fields::Fields;
use crate::keyring::Keyring;
use crate::keys::{PrivateKey, PublicKey};
use crate::limits::{MAX_BODY_BYTES, MAX_DEPTH};
use crate::message::Message;
use crate::request::OutputFormat;
use crate::signer::sign_values;
use crate::status::StatusCode;
use crate::verifier::{verify_fields, verify_values};

/// A node of an answer document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A value (JSON scalars as PHP turns them into text; XML text).
    Leaf(String),
    /// An object or element with children, in document order (names may repeat in XML).
    Branch(Vec<(String, Node)>),
}

impl Node {
    fn collect_leaves<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Node::Leaf(v) => out.push(v),
            Node::Branch(children) => children.iter().for_each(|(_, c)| c.collect_leaves(out)),
        }
    }

    /// The first child named `name` (case-insensitive).
    pub fn child(&self, name: &str) -> Option<&Node> {
        match self {
            Node::Branch(children) => children
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, c)| c),
            Node::Leaf(_) => None,
        }
    }

    /// The text of a leaf.
    pub fn text(&self) -> Option<&str> {
        match self {
            Node::Leaf(v) => Some(v),
            Node::Branch(_) => None,
        }
    }

    /// Direct leaf children as fields (nested branches are skipped).
    pub fn leaf_fields(&self) -> Fields {
        match self {
            Node::Branch(children) => children
                .iter()
                .filter_map(|(n, c)| c.text().map(|t| (n.clone(), t.to_string())))
                .collect(),
            Node::Leaf(_) => Fields::new(),
        }
    }
}

/// A verified API answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    format: OutputFormat,
    root: Node,
    status: Option<StatusCode>,
}

impl Response {
    /// Parses (format detected when `None`) and verifies with the myPOS key. A signed answer
    /// with a non-zero Status is valid: check [`Response::status`].
    pub fn parse_and_verify(
        body: &[u8],
        format: Option<OutputFormat>,
        mypos_key: &PublicKey,
    ) -> Result<Self> {
        Self::parse_and_verify_with(body, format, |values, signature| {
            verify_values(values, signature, mypos_key).map(|()| 0)
        })
        .map(|(r, _)| r)
    }

    /// [`Self::parse_and_verify`] with every certificate of `keyring` (key rotation). Returns
    /// the answer and the index of the certificate that matched.
    pub fn parse_and_verify_keyring(
        body: &[u8],
        format: Option<OutputFormat>,
        keyring: &Keyring,
    ) -> Result<(Self, usize)> {
        Self::parse_and_verify_with(body, format, |values, signature| {
            keyring.verify_values(values, signature)
        })
    }

    fn parse_and_verify_with(
        body: &[u8],
        format: Option<OutputFormat>,
        verify: impl FnOnce(Vec<&str>, &str) -> Result<usize>,
    ) -> Result<(Self, usize)> {
        let (format, root) = parse_document(body, format)?;
        let Node::Branch(children) = &root else {
            return Err(Error::MalformedResponse("not an object".into()));
        };
        let positions: Vec<usize> = children
            .iter()
            .enumerate()
            .filter(|(_, (n, _))| n.eq_ignore_ascii_case("Signature"))
            .map(|(i, _)| i)
            .collect();
        let signature = match positions.as_slice() {
            [] => {
                let claimed = root
                    .child("Status")
                    .and_then(Node::text)
                    .map(str::to_string);
                return Err(Error::UnsignedResponse {
                    claimed_status: claimed,
                });
            }
            [one] => match &children[*one].1 {
                Node::Leaf(s) => s.clone(),
                Node::Branch(_) => {
                    return Err(Error::MalformedSignature("Signature is not a value".into()))
                }
            },
            _ => return Err(Error::DuplicateField("Signature".into())),
        };
        let rest: Vec<(String, Node)> = children
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("Signature"))
            .cloned()
            .collect();
        let root = Node::Branch(rest);
        let mut leaves = Vec::new();
        root.collect_leaves(&mut leaves);
        let matched = verify(leaves, &signature)?;
        let status = parse_status(&root)?;
        Ok((
            Response {
                format,
                root,
                status,
            },
            matched,
        ))
    }

    /// The document format.
    pub fn format(&self) -> OutputFormat {
        self.format
    }
    /// The document without the top-level Signature.
    pub fn root(&self) -> &Node {
        &self.root
    }
    /// Status. An answer without Status (e.g. a stored notify) reads as 99
    /// `E_UNDEFINED_ERROR`, never as success; see [`Response::has_status`].
    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or(StatusCode(99))
    }
    /// True when the answer carries a Status.
    pub fn has_status(&self) -> bool {
        self.status.is_some()
    }
    /// StatusMsg.
    pub fn status_msg(&self) -> &str {
        self.get("StatusMsg").unwrap_or_default()
    }
    /// IPCmethod (spelled `IPCmethod` or `IPCMethod`).
    pub fn method(&self) -> &str {
        self.get("IPCmethod").unwrap_or_default()
    }
    /// A top-level value by name (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.root.child(name).and_then(Node::text)
    }

    /// IPCGetTxnStatus: the nested `OrderStatus` message (the last one myPOS sent), if any.
    pub fn order_status(&self) -> Option<Fields> {
        let node = self.root.child("OrderStatus")?;
        let f = node.leaf_fields();
        (!f.is_empty()).then_some(f)
    }

    /// [`Self::order_status_message`] with every certificate of `keyring`.
    pub fn order_status_message_keyring(&self, keyring: &Keyring) -> Result<Option<Message>> {
        match self.order_status() {
            None => Ok(None),
            Some(fields) => {
                Message::from_verified_fields(keyring.verify_fields(fields)?.0).map(Some)
            }
        }
    }

    /// IPCGetTxnStatus: the nested `OrderStatus` verified as the message it is (it carries
    /// its own myPOS Signature) and checked like a notify: `Ok(None)` when the answer holds
    /// none, an error when the nested message does not verify or breaks a field rule.
    pub fn order_status_message(&self, mypos_key: &PublicKey) -> Result<Option<Message>> {
        match self.order_status() {
            None => Ok(None),
            Some(fields) => {
                Message::from_verified_fields(verify_fields(fields, mypos_key)?).map(Some)
            }
        }
    }

    /// IPCGetPaymentStatus: `PaymentStatus` (1 paid, 2 pending, 3 failed, 4 reversed).
    pub fn payment_status(&self) -> Option<u8> {
        self.get("PaymentStatus")?.parse().ok()
    }

    /// IPCRefund / IPCReversal / IPCIAPurchase: the echoed transaction, checked for shape.
    /// Amount and Currency are present for refunds and purchases; a reversal may omit them.
    pub fn transaction(&self) -> Result<TransactionResult> {
        let trnref = self
            .get("IPC_Trnref")
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::MalformedResponse("no IPC_Trnref in the answer".into()))?
            .to_string();
        let amount = match (self.get("Amount"), self.get("Currency")) {
            (Some(a), Some(c)) => {
                let currency = crate::amount::Currency::parse(c).map_err(|_| {
                    Error::MalformedResponse(format!(
                        "Currency '{}' is not ISO 4217",
                        crate::amount::shorten(c)
                    ))
                })?;
                Some(crate::amount::Money::parse(a, currency).map_err(|_| {
                    Error::MalformedResponse(format!(
                        "Amount '{}' is not a {currency} amount",
                        crate::amount::shorten(a)
                    ))
                })?)
            }
            _ => None,
        };
        Ok(TransactionResult { trnref, amount })
    }

    /// IPCGetPaymentStatus: the typed payment state.
    pub fn payment_state(&self) -> Option<PaymentState> {
        match self.payment_status()? {
            1 => Some(PaymentState::Paid),
            2 => Some(PaymentState::Pending),
            3 => Some(PaymentState::Failed),
            4 => Some(PaymentState::Reversed),
            _ => None,
        }
    }

    /// IPCGetTxnLog: the log entries in order.
    pub fn txn_log(&self) -> Vec<Fields> {
        match self.root.child("log") {
            Some(Node::Branch(items)) => items.iter().map(|(_, n)| n.leaf_fields()).collect(),
            _ => Vec::new(),
        }
    }
}

/// The transaction a refund, reversal or purchase answer echoes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionResult {
    /// IPC_Trnref (for a refund, the refund's own reference).
    pub trnref: String,
    /// Amount and currency, when echoed.
    pub amount: Option<crate::amount::Money>,
}

/// `PaymentStatus` of IPCGetPaymentStatus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    /// 1: paid.
    Paid,
    /// 2: pending.
    Pending,
    /// 3: unsuccessful.
    Failed,
    /// 4: reversed.
    Reversed,
}

fn parse_status(root: &Node) -> Result<Option<StatusCode>> {
    let Some(text) = root.child("Status").and_then(Node::text) else {
        return Ok(None);
    };
    text.parse::<u32>()
        .map(|c| Some(StatusCode(c)))
        .map_err(|_| {
            Error::MalformedResponse(format!(
                "Status '{}' is not a number",
                crate::amount::shorten(text)
            ))
        })
}

/// Parses a JSON or XML answer into a tree without verifying it.
pub fn parse_document(body: &[u8], format: Option<OutputFormat>) -> Result<(OutputFormat, Node)> {
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::MalformedResponse(format!(
            "answer has {} bytes; at most {MAX_BODY_BYTES} are accepted",
            body.len()
        )));
    }
    let text = std::str::from_utf8(body).map_err(|_| Error::InvalidUtf8("API answer".into()))?;
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    let format = match format {
        Some(f) => f,
        None if trimmed.starts_with('{') => OutputFormat::Json,
        None if trimmed.starts_with('<') => OutputFormat::Xml,
        None => return Err(Error::MalformedResponse("neither JSON nor XML".into())),
    };
    let root = match format {
        OutputFormat::Json => parse_json(trimmed)?,
        OutputFormat::Xml => parse_xml(trimmed)?,
    };
    Ok((format, root))
}

fn parse_json(text: &str) -> Result<Node> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| Error::MalformedResponse(format!("JSON: {e}")))?;
    if !value.is_object() {
        return Err(Error::MalformedResponse(
            "JSON answer is not an object".into(),
        ));
    }
    json_node(value, 0)
}

fn json_node(value: Value, depth: usize) -> Result<Node> {
    if depth > MAX_DEPTH {
        return Err(Error::MalformedResponse("nested too deeply".into()));
    }
    Ok(match value {
        // PHP's string conversion: true is "1", false and null are "".
        Value::Null | Value::Bool(false) => Node::Leaf(String::new()),
        Value::Bool(true) => Node::Leaf("1".into()),
        // Numbers keep their text as sent (serde_json's arbitrary_precision).
        Value::Number(n) => Node::Leaf(n.to_string()),
        Value::String(s) => Node::Leaf(s),
        Value::Array(items) => Node::Branch(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| Ok((i.to_string(), json_node(v, depth + 1)?)))
                .collect::<Result<_>>()?,
        ),
        Value::Object(map) => Node::Branch(
            map.into_iter()
                .map(|(k, v)| Ok((k, json_node(v, depth + 1)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

fn xml_error(e: impl std::fmt::Display) -> Error {
    Error::MalformedResponse(format!("XML: {e}"))
}

/// An open XML element: its name, the children seen so far, and its text.
type Frame = (String, Vec<(String, Node)>, String);

fn parse_xml(text: &str) -> Result<Node> {
    let mut reader = quick_xml::Reader::from_str(text);
    // Open elements; leaf text is kept exactly.
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        match reader.read_event().map_err(xml_error)? {
            Event::Start(e) => {
                if root.is_some() {
                    return Err(xml_error("content after the root element"));
                }
                if stack.len() > MAX_DEPTH {
                    return Err(Error::MalformedResponse("nested too deeply".into()));
                }
                let name = String::from_utf8(e.name().as_ref().to_vec()).map_err(xml_error)?;
                if stack.is_empty() && !name.eq_ignore_ascii_case("IPC_response") {
                    return Err(xml_error(format!(
                        "root element is <{}>, expected <IPC_response>",
                        crate::amount::shorten(&name)
                    )));
                }
                stack.push((name, Vec::new(), String::new()));
            }
            Event::Empty(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).map_err(xml_error)?;
                match stack.last_mut() {
                    Some(top) => top.1.push((name, Node::Leaf(String::new()))),
                    None => return Err(xml_error("empty root element")),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&t.unescape().map_err(xml_error)?);
                } else if !t.iter().all(u8::is_ascii_whitespace) {
                    return Err(xml_error("text outside the root element"));
                }
            }
            Event::CData(c) => {
                let s = std::str::from_utf8(&c).map_err(xml_error)?;
                match stack.last_mut() {
                    Some(top) => top.2.push_str(s),
                    None => return Err(xml_error("CDATA outside the root element")),
                }
            }
            Event::End(_) => {
                let (name, children, text) =
                    stack.pop().ok_or_else(|| xml_error("unbalanced end tag"))?;
                let node = if children.is_empty() {
                    Node::Leaf(text)
                } else if text.trim().is_empty() {
                    Node::Branch(children)
                } else {
                    return Err(xml_error(format!(
                        "<{}> mixes text and elements",
                        crate::amount::shorten(&name)
                    )));
                };
                match stack.last_mut() {
                    Some(parent) => parent.1.push((name, node)),
                    None => {
                        root = Some(match node {
                            Node::Leaf(t) if t.trim().is_empty() => Node::Branch(Vec::new()),
                            Node::Leaf(_) => return Err(xml_error("root element holds only text")),
                            branch => branch,
                        })
                    }
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err(xml_error("DOCTYPE is not allowed")),
        }
    }
    if !stack.is_empty() {
        return Err(xml_error("document ends inside an element"));
    }
    root.ok_or_else(|| xml_error("no root element"))
}

/// Builds signed answers the way myPOS does (used by the sandbox and tests).
#[derive(Debug, Clone, Default)]
pub struct ResponseBuilder {
    children: Vec<(String, Node)>,
}

impl ResponseBuilder {
    /// An empty answer.
    pub fn new() -> Self {
        Self::default()
    }
    /// Appends a value.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.children.push((name.into(), Node::Leaf(value.into())));
        self
    }
    /// Appends a nested object (e.g. `OrderStatus`) made of fields, in order.
    pub fn nested(mut self, name: impl Into<String>, fields: &Fields) -> Self {
        let node = Node::Branch(
            fields
                .iter()
                .map(|(n, v)| (n.to_string(), Node::Leaf(v.to_string())))
                .collect(),
        );
        self.children.push((name.into(), node));
        self
    }
    /// Appends any node.
    pub fn node(mut self, name: impl Into<String>, node: Node) -> Self {
        self.children.push((name.into(), node));
        self
    }

    /// Signs over all leaves and renders the document. `Status` is written as a JSON number.
    pub fn sign(self, format: OutputFormat, key: &PrivateKey) -> Result<String> {
        let root = Node::Branch(self.children);
        let mut leaves = Vec::new();
        root.collect_leaves(&mut leaves);
        let signature = sign_values(leaves.iter().copied(), key)?;
        let Node::Branch(mut children) = root else {
            unreachable!("built as a branch")
        };
        children.push(("Signature".into(), Node::Leaf(signature)));
        Ok(match format {
            OutputFormat::Json => render_json(&children).to_string(),
            OutputFormat::Xml => {
                let mut out =
                    String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IPC_response>");
                render_xml(&children, &mut out);
                out.push_str("</IPC_response>");
                out
            }
        })
    }
}

/// The base64 signing input over all leaves of an unsigned tree (for diagnostics).
pub fn leaves_signing_input(root: &Node) -> String {
    let mut leaves = Vec::new();
    root.collect_leaves(&mut leaves);
    signing_input(leaves.iter().copied())
}

fn render_json(children: &[(String, Node)]) -> Value {
    let mut map = serde_json::Map::new();
    for (name, node) in children {
        let v = match node {
            Node::Leaf(t) if name == "Status" && t.parse::<u64>().is_ok() => Value::Number(
                t.parse::<u64>()
                    .map(Into::into)
                    .unwrap_or_else(|_| 0u64.into()),
            ),
            Node::Leaf(t) => Value::String(t.clone()),
            Node::Branch(c) => render_json(c),
        };
        map.insert(name.clone(), v);
    }
    Value::Object(map)
}

fn render_xml(children: &[(String, Node)], out: &mut String) {
    for (name, node) in children {
        out.push('<');
        out.push_str(name);
        out.push('>');
        match node {
            Node::Leaf(t) => out.push_str(&quick_xml::escape::escape(t.as_str())),
            Node::Branch(c) => render_xml(c, out),
        }
        out.push_str("</");
        out.push_str(name);
        out.push('>');
    }
}
