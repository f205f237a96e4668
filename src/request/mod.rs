//! Requests from the merchant to myPOS: typed builders (validated before signing) and a
//! generic builder for any method. Every builder yields a [`SignedRequest`]: ordered fields
//! ending with Signature, the urlencoded body, and for browser methods a self-submitting form.

mod api;
mod purchase;

pub use api::{
    GetPaymentStatus, GetTxnLog, GetTxnStatus, IaPreAuthorization, IaPurchaseWithToken,
    PreAuthCancellation, PreAuthCompletion, PreAuthStatus, Refund, Reversal, SignatureVerify,
};
pub use purchase::{
    CardTokenRequest, CartItem, Customer, PaymentMethod, PaymentParameters, PreAuthorization,
    Purchase, ReturnUrls,
};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fields::{limit_breach, Fields, NameSet, SIGNATURE};
use crate::signer::sign_fields;

/// `OutputFormat` of a server-to-server answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// JSON (recommended: nested answers verify reliably).
    #[default]
    Json,
    /// XML (myPOS's default).
    Xml,
}

impl OutputFormat {
    /// Wire text.
    pub fn as_str(&self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Xml => "xml",
        }
    }

    /// Parses `json` or `xml` (any case).
    pub fn parse(text: &str) -> Option<Self> {
        if text.eq_ignore_ascii_case("json") {
            Some(OutputFormat::Json)
        } else if text.eq_ignore_ascii_case("xml") {
            Some(OutputFormat::Xml)
        } else {
            None
        }
    }
}

/// A signed request, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    method: String,
    fields: Fields,
    action: String,
}

impl SignedRequest {
    /// The IPCmethod.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// All fields in order, Signature last.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// The Signature value.
    pub fn signature(&self) -> &str {
        self.fields.get(SIGNATURE).unwrap_or_default()
    }

    /// The URL to post to (the config's endpoint).
    pub fn action_url(&self) -> &str {
        &self.action
    }

    /// The `application/x-www-form-urlencoded` body.
    pub fn body(&self) -> String {
        self.fields.to_urlencoded()
    }

    /// A complete HTML page whose form posts the fields to myPOS and submits itself.
    /// Attribute escaping is undone by the browser, so the posted values equal the signed ones.
    pub fn html_form(&self) -> String {
        html_form(&self.action, &self.fields)
    }

    /// The form alone, to embed in a page: see [`html_form_embedded`].
    pub fn html_form_embedded(&self, form_id: &str, button: &str) -> crate::Result<String> {
        html_form_embedded(&self.action, &self.fields, form_id, button)
    }
}

/// Escapes text for an HTML attribute value (`&`, `<`, `>`, `"`, `'`).
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#039;"),
            c => out.push(c),
        }
    }
    out
}

/// The id of the form in [`html_form`]'s page.
pub const FORM_ID: &str = "mypos-ipc";

/// A self-submitting page posting `fields` to `action` (works without JavaScript too). The
/// form submits itself by its id ([`FORM_ID`]), never as `document.forms[0]`.
pub fn html_form(action: &str, fields: &Fields) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirecting to myPOS</title></head>\n\
         <body>\n",
    );
    form_element(
        &mut out,
        action,
        fields,
        FORM_ID,
        "<noscript><button type=\"submit\">Continue to payment</button></noscript>",
    );
    out.push_str("</body></html>\n");
    out
}

/// A form to embed in a page of one's own (a shop's order page): only the `<form>` with the
/// id `form_id`, a submit button labelled `button` (escaped here) for browsers without
/// JavaScript, and a script that submits that form by its id, so other forms on the page
/// (a theme's search form) are never submitted. `form_id` is 1 to 64 ASCII letters, digits,
/// `-` or `_`, starting with a letter.
pub fn html_form_embedded(
    action: &str,
    fields: &Fields,
    form_id: &str,
    button: &str,
) -> crate::Result<String> {
    check_form_id(form_id)?;
    let mut out = String::new();
    let button = format!("<button type=\"submit\">{}</button>", html_escape(button));
    form_element(&mut out, action, fields, form_id, &button);
    Ok(out)
}

/// Refuses a form id that is not safe in an attribute and a script string.
pub fn check_form_id(form_id: &str) -> crate::Result<()> {
    let ok = (1..=64).contains(&form_id.len())
        && form_id.starts_with(|c: char| c.is_ascii_alphabetic())
        && form_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(crate::Error::request(
            "form_id",
            "must be 1 to 64 ASCII letters, digits, '-' or '_', starting with a letter",
        ))
    }
}

fn form_element(out: &mut String, action: &str, fields: &Fields, form_id: &str, button: &str) {
    out.push_str(&format!(
        "<form id=\"{form_id}\" method=\"post\" action=\"{}\" accept-charset=\"utf-8\">\n",
        html_escape(action)
    ));
    for (name, value) in fields.iter() {
        out.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            html_escape(name),
            html_escape(value)
        ));
    }
    out.push_str(button);
    out.push_str(&format!(
        "\n</form>\n<script>document.getElementById(\"{form_id}\").submit();</script>\n"
    ));
}

/// Builds any method: the standard prefix (IPCmethod, IPCVersion, IPCLanguage, SID,
/// WalletNumber, KeyIndex, Source) from the config, then the given parameters in order.
/// Values are signed exactly as given.
#[derive(Debug, Clone)]
pub struct GenericRequest {
    method: String,
    params: Fields,
    with_prefix: bool,
}

impl GenericRequest {
    /// A request for `method` with the standard prefix.
    pub fn new(method: impl Into<String>) -> Self {
        GenericRequest {
            method: method.into(),
            params: Fields::new(),
            with_prefix: true,
        }
    }

    /// A request whose fields are exactly `fields` (no prefix is added); `IPCmethod` must be
    /// among them.
    pub fn raw(fields: Fields) -> Self {
        let method = fields.get("IPCmethod").unwrap_or_default().to_string();
        GenericRequest {
            method,
            params: fields,
            with_prefix: false,
        }
    }

    /// Appends a parameter.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push(name, value);
        self
    }

    /// Signs with the config's key.
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        if self.method.is_empty() {
            return Err(Error::request("IPCmethod", "missing"));
        }
        if !self.method.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::request("IPCmethod", "must be letters and digits"));
        }
        let mut fields = if self.with_prefix {
            prefix(config, &self.method)
        } else {
            Fields::new()
        };
        let mut seen = NameSet::with_capacity(fields.len() + self.params.len());
        for (n, _) in fields.iter() {
            seen.insert(n);
        }
        for (n, v) in self.params.iter() {
            if n.is_empty() {
                return Err(Error::request(n, "empty parameter name"));
            }
            if n.eq_ignore_ascii_case(SIGNATURE) {
                return Err(Error::request(n, "Signature is added by the signer"));
            }
            if !seen.insert(n) {
                return Err(Error::request(n, "given twice"));
            }
            fields.push(n, v);
        }
        finish(config, &self.method, fields)
    }
}

/// The standard prefix P (docs/protocol.md, "Requests and field order") the SDK sends first.
pub(crate) fn prefix(config: &Config, method: &str) -> Fields {
    let mut f = Fields::new();
    f.push("IPCmethod", method);
    f.push("IPCVersion", config.version().as_str());
    f.push("IPCLanguage", config.language());
    f.push("SID", config.sid());
    f.push("WalletNumber", config.wallet());
    f.push("KeyIndex", config.key_index().to_string());
    f.push("Source", config.source());
    f
}

/// Signs `fields` and appends Signature. What is signed stays within the limits that every
/// parser (the sandbox's too) applies to a body.
pub(crate) fn finish(config: &Config, method: &str, mut fields: Fields) -> Result<SignedRequest> {
    let signature = sign_fields(&fields, config.private_key())?;
    fields.push(SIGNATURE, signature);
    if let Some(why) = limit_breach(&fields) {
        return Err(Error::request("fields", why));
    }
    Ok(SignedRequest {
        method: method.to_string(),
        fields,
        action: config.endpoint().url().to_string(),
    })
}

/// Free text for typed builders: line breaks become spaces (a browser would turn them into
/// CRLF and break the signature); other control characters are refused.
pub(crate) fn clean_text(field: &str, value: &str, max_chars: usize) -> Result<String> {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            '\n' => out.push(' '),
            '\t' => out.push(' '),
            c if c.is_control() => {
                return Err(Error::request(field, "contains a control character"))
            }
            c => out.push(c),
        }
    }
    if out.chars().count() > max_chars {
        return Err(Error::request(
            field,
            format!("is longer than {max_chars} characters"),
        ));
    }
    Ok(out)
}

/// An identifier such as OrderID or IPC_Trnref: 1 to `max` printable characters.
pub(crate) fn check_id(field: &str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() {
        return Err(Error::request(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(Error::request(
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::request(field, "contains a control character"));
    }
    Ok(())
}
