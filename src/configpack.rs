//! Configuration packs (docs/protocol.md, "Configuration packs"): base64 of a JSON object with `sid`, `cn`, `pk`, `pc`, `idx`
//! and optional `appid`, `pid`. Any other key is an error, as in the official SDK.

use std::fmt;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A decoded configuration pack. The private key is redacted in `Debug` and zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigPack {
    /// Store ID (`sid`).
    pub sid: String,
    /// Wallet / client number (`cn`).
    pub wallet: String,
    /// Key index (`idx`).
    pub key_index: u32,
    private_key_pem: Option<Zeroizing<String>>,
    /// myPOS certificate PEM (`pc`).
    pub mypos_certificate_pem: Option<String>,
    /// Partner ApplicationID (`appid`).
    pub application_id: Option<String>,
    /// Partner PartnerID (`pid`).
    pub partner_id: Option<String>,
}

impl fmt::Debug for ConfigPack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigPack")
            .field("sid", &self.sid)
            .field("wallet", &self.wallet)
            .field("key_index", &self.key_index)
            .field(
                "private_key_pem",
                &self.private_key_pem.as_ref().map(|_| "[redacted]"),
            )
            .field(
                "mypos_certificate_pem",
                &self.mypos_certificate_pem.is_some(),
            )
            .field("application_id", &self.application_id)
            .field("partner_id", &self.partner_id)
            .finish()
    }
}

const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn string_field(key: &str, value: &Value) -> Result<String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(Error::ConfigPack(format!("'{key}' must be a string"))),
    }
}

impl ConfigPack {
    /// A pack from its parts.
    pub fn new(
        sid: impl Into<String>,
        wallet: impl Into<String>,
        key_index: u32,
        private_key_pem: Option<String>,
        mypos_certificate_pem: Option<String>,
    ) -> Self {
        ConfigPack {
            sid: sid.into(),
            wallet: wallet.into(),
            key_index,
            private_key_pem: private_key_pem.map(Zeroizing::new),
            mypos_certificate_pem,
            application_id: None,
            partner_id: None,
        }
    }

    /// The merchant private key PEM (`pk`), if the pack has one.
    pub fn private_key_pem(&self) -> Option<&str> {
        self.private_key_pem.as_deref().map(String::as_str)
    }

    /// Decodes pack text (surrounding and embedded ASCII whitespace is ignored, so a pack
    /// pasted with line wraps still loads).
    pub fn decode(text: &str) -> Result<Self> {
        let compact: Zeroizing<String> =
            Zeroizing::new(text.chars().filter(|c| !c.is_ascii_whitespace()).collect());
        if compact.is_empty() {
            return Err(Error::ConfigPack("the pack is empty".into()));
        }
        let json = Zeroizing::new(
            LENIENT
                .decode(compact.as_bytes())
                .map_err(|_| Error::ConfigPack("not base64".into()))?,
        );
        let value: Value = serde_json::from_slice(&json)
            .map_err(|_| Error::ConfigPack("base64 does not hold JSON".into()))?;
        let Value::Object(map) = value else {
            return Err(Error::ConfigPack("the JSON is not an object".into()));
        };
        Self::from_map(map)
    }

    fn from_map(mut map: Map<String, Value>) -> Result<Self> {
        if map.is_empty() {
            return Err(Error::ConfigPack("the JSON object is empty".into()));
        }
        if let Some(unknown) = map.keys().find(|k| {
            !matches!(
                k.as_str(),
                "sid" | "cn" | "pk" | "pc" | "idx" | "appid" | "pid"
            )
        }) {
            return Err(Error::ConfigPack(format!(
                "unknown key '{}'",
                crate::amount::shorten(unknown)
            )));
        }
        let mut take = |key: &str| -> Result<Option<String>> {
            map.remove(key).map(|v| string_field(key, &v)).transpose()
        };
        let sid = take("sid")?.ok_or_else(|| Error::ConfigPack("missing 'sid'".into()))?;
        let wallet = take("cn")?.ok_or_else(|| Error::ConfigPack("missing 'cn'".into()))?;
        let idx = take("idx")?.ok_or_else(|| Error::ConfigPack("missing 'idx'".into()))?;
        let key_index = idx
            .parse::<u32>()
            .ok()
            .filter(|&i| i > 0)
            .ok_or_else(|| Error::ConfigPack("'idx' must be a positive integer".into()))?;
        let private_key_pem = take("pk")?.map(Zeroizing::new);
        let mypos_certificate_pem = take("pc")?;
        let application_id = take("appid")?;
        let partner_id = take("pid")?;
        Ok(ConfigPack {
            sid,
            wallet,
            key_index,
            private_key_pem,
            mypos_certificate_pem,
            application_id,
            partner_id,
        })
    }

    /// The pack's JSON with `pk` replaced by `[redacted]` unless `show_secrets`.
    pub fn to_json(&self, show_secrets: bool) -> Zeroizing<String> {
        let mut map = Map::new();
        map.insert("sid".into(), Value::String(self.sid.clone()));
        map.insert("cn".into(), Value::String(self.wallet.clone()));
        if let Some(pk) = &self.private_key_pem {
            let shown = if show_secrets {
                pk.to_string()
            } else {
                "[redacted]".into()
            };
            map.insert("pk".into(), Value::String(shown));
        }
        if let Some(pc) = &self.mypos_certificate_pem {
            map.insert("pc".into(), Value::String(pc.clone()));
        }
        map.insert("idx".into(), Value::Number(self.key_index.into()));
        if let Some(a) = &self.application_id {
            map.insert("appid".into(), Value::String(a.clone()));
        }
        if let Some(p) = &self.partner_id {
            map.insert("pid".into(), Value::String(p.clone()));
        }
        let text = Zeroizing::new(Value::Object(map).to_string());
        // PHP's json_encode escapes '/', and myPOS packs are made that way.
        Zeroizing::new(text.replace('/', "\\/"))
    }

    /// Encodes the pack (base64 of JSON, `/` escaped as PHP does).
    pub fn encode(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.to_json(true).as_bytes()))
    }
}
