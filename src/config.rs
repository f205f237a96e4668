//! Merchant configuration: store identity, keys (parsed once), endpoint and protocol options.
//! Everything is validated when the config is built, with errors that name the field.

use std::sync::Arc;

use crate::configpack::ConfigPack;
use crate::error::{Error, Result};
use crate::keyring::{Keyring, MerchantKey, MAX_MERCHANT_KEYS};
use crate::keys::{same_key, PrivateKey, PublicKey};
use crate::urls;

/// Production endpoint (docs/protocol.md, "Endpoints").
pub const PRODUCTION_URL: &str = "https://www.mypos.com/vmp/checkout";
/// Test (sandbox) endpoint (docs/protocol.md, "Endpoints").
pub const TEST_URL: &str = "https://www.mypos.com/vmp/checkout-test";
/// Default `Source` sent with every request.
pub const DEFAULT_SOURCE: &str = concat!("mypos-ipc-rs ", env!("CARGO_PKG_VERSION"));

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `https://www.mypos.com/vmp/checkout`
    Production,
    /// `https://www.mypos.com/vmp/checkout-test`
    Test,
    /// Any other URL, e.g. a local sandbox (`http://127.0.0.1:PORT/vmp/checkout-test`).
    Custom(String),
}

impl Endpoint {
    /// `production`, `test`, or a URL (https, or http on a loopback host).
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "production" | "live" => Ok(Endpoint::Production),
            "test" | "sandbox" => Ok(Endpoint::Test),
            url => {
                urls::check_url("endpoint", url)?;
                Ok(Endpoint::Custom(url.to_string()))
            }
        }
    }

    /// The URL requests are posted to.
    pub fn url(&self) -> &str {
        match self {
            Endpoint::Production => PRODUCTION_URL,
            Endpoint::Test => TEST_URL,
            Endpoint::Custom(u) => u,
        }
    }
}

/// `IPCVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IpcVersion {
    /// 1.4, the current version and the default.
    #[default]
    V1_4,
    /// 1.4.1, for partners: needs ApplicationID and PartnerID.
    V1_4_1,
}

impl IpcVersion {
    /// Wire text.
    pub fn as_str(&self) -> &'static str {
        match self {
            IpcVersion::V1_4 => "1.4",
            IpcVersion::V1_4_1 => "1.4.1",
        }
    }

    /// Parses `1.4` or `1.4.1`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "1.4" => Ok(IpcVersion::V1_4),
            "1.4.1" => Ok(IpcVersion::V1_4_1),
            other => Err(Error::config(
                "version",
                format!(
                    "'{}' is not supported (use 1.4 or 1.4.1)",
                    crate::amount::shorten(other)
                ),
            )),
        }
    }
}

/// A validated merchant configuration. Cheap to clone: keys are shared.
#[derive(Debug, Clone)]
pub struct Config {
    sid: String,
    wallet: String,
    key_index: u32,
    private_key: Arc<PrivateKey>,
    mypos_keys: Keyring,
    merchant_keys: Vec<MerchantKey>,
    endpoint: Endpoint,
    version: IpcVersion,
    language: String,
    source: String,
    application_id: String,
    partner_id: String,
}

/// Builds a [`Config`]; `build` validates every field.
#[derive(Debug, Default)]
pub struct ConfigBuilder {
    sid: Option<String>,
    wallet: Option<String>,
    key_index: Option<u32>,
    private_key: Option<Arc<PrivateKey>>,
    private_key_error: Option<Error>,
    mypos_key: Option<Arc<PublicKey>>,
    mypos_key_error: Option<Error>,
    extra_mypos_keys: Vec<Arc<PublicKey>>,
    extra_merchant_keys: Vec<MerchantKey>,
    endpoint: Option<Endpoint>,
    version: IpcVersion,
    language: Option<String>,
    source: Option<String>,
    application_id: String,
    partner_id: String,
}

impl ConfigBuilder {
    /// Store ID (SID): 15 alphanumeric characters.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.sid = Some(sid.into());
        self
    }
    /// Wallet (client) number: 11 digits.
    pub fn wallet(mut self, wallet: impl Into<String>) -> Self {
        self.wallet = Some(wallet.into());
        self
    }
    /// Key index of the merchant certificate: a positive integer.
    pub fn key_index(mut self, index: u32) -> Self {
        self.key_index = Some(index);
        self
    }
    /// The merchant private key as PEM (parsed now; errors surface in `build`).
    pub fn private_key_pem(mut self, pem: &str) -> Self {
        match PrivateKey::from_pem(pem) {
            Ok(k) => {
                self.private_key = Some(Arc::new(k));
                self.private_key_error = None;
            }
            Err(e) => self.private_key_error = Some(e),
        }
        self
    }
    /// An already parsed merchant key (shared, e.g. from a key cache).
    pub fn private_key(mut self, key: Arc<PrivateKey>) -> Self {
        self.private_key = Some(key);
        self.private_key_error = None;
        self
    }
    /// The myPOS certificate or public key as PEM.
    pub fn mypos_public_key_pem(mut self, pem: &str) -> Self {
        match PublicKey::from_pem(pem) {
            Ok(k) => {
                self.mypos_key = Some(Arc::new(k));
                self.mypos_key_error = None;
            }
            Err(e) => self.mypos_key_error = Some(e),
        }
        self
    }
    /// An already parsed myPOS key.
    pub fn mypos_public_key(mut self, key: Arc<PublicKey>) -> Self {
        self.mypos_key = Some(key);
        self.mypos_key_error = None;
        self
    }
    /// One more accepted myPOS certificate or public key as PEM, after the one given with
    /// [`Self::mypos_public_key_pem`] (key rotation: notifies signed by either verify).
    pub fn add_mypos_public_key_pem(mut self, pem: &str) -> Self {
        match PublicKey::from_pem(pem) {
            Ok(k) => self.extra_mypos_keys.push(Arc::new(k)),
            Err(e) => {
                if self.mypos_key_error.is_none() {
                    self.mypos_key_error = Some(e)
                }
            }
        }
        self
    }
    /// One more accepted, already parsed myPOS key.
    pub fn add_mypos_public_key(mut self, key: Arc<PublicKey>) -> Self {
        self.extra_mypos_keys.push(key);
        self
    }
    /// Replaces every accepted myPOS certificate with `keyring`'s, in its order.
    pub fn mypos_keyring(mut self, keyring: &Keyring) -> Self {
        let mut keys = keyring.certificates().iter().cloned();
        self.mypos_key = keys.next();
        self.mypos_key_error = None;
        self.extra_mypos_keys = keys.collect();
        self
    }
    /// One more merchant key with its KeyIndex, besides the one given with
    /// [`Self::key_index`] and [`Self::private_key_pem`]; [`Self::key_index`] chooses the
    /// active (signing) key among all of them.
    pub fn add_merchant_key_pem(mut self, index: u32, pem: &str) -> Self {
        match PrivateKey::from_pem(pem) {
            Ok(k) => self.extra_merchant_keys.push(MerchantKey {
                index,
                key: Arc::new(k),
            }),
            Err(e) => {
                if self.private_key_error.is_none() {
                    self.private_key_error = Some(e)
                }
            }
        }
        self
    }
    /// One more, already parsed merchant key with its KeyIndex.
    pub fn add_merchant_key(mut self, index: u32, key: Arc<PrivateKey>) -> Self {
        self.extra_merchant_keys.push(MerchantKey { index, key });
        self
    }
    /// Production, test or a custom URL (default: test).
    pub fn endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = Some(endpoint);
        self
    }
    /// IPCVersion (default 1.4).
    pub fn version(mut self, version: IpcVersion) -> Self {
        self.version = version;
        self
    }
    /// IPCLanguage, two letters (default `en`).
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }
    /// Source, identifying the integration.
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
    /// Partner ApplicationID (needed for 1.4.1).
    pub fn application_id(mut self, id: impl Into<String>) -> Self {
        self.application_id = id.into();
        self
    }
    /// Partner PartnerID (needed for 1.4.1).
    pub fn partner_id(mut self, id: impl Into<String>) -> Self {
        self.partner_id = id.into();
        self
    }

    /// Takes SID, wallet, key index, keys and partner ids from a decoded configuration pack.
    pub fn pack(mut self, pack: &ConfigPack) -> Self {
        self = self.sid(pack.sid.clone()).wallet(pack.wallet.clone());
        self.key_index = Some(pack.key_index);
        match pack.private_key_pem() {
            Some(pem) => self = self.private_key_pem(pem),
            None => {
                self.private_key_error = Some(Error::config(
                    "private_key",
                    "the configuration pack has no private key (pk)",
                ))
            }
        }
        match pack.mypos_certificate_pem.as_deref() {
            Some(pem) => self = self.mypos_public_key_pem(pem),
            None => {
                self.mypos_key_error = Some(Error::config(
                    "mypos_certificate",
                    "the configuration pack has no myPOS certificate (pc)",
                ))
            }
        }
        if let Some(a) = &pack.application_id {
            self.application_id = a.clone();
        }
        if let Some(p) = &pack.partner_id {
            self.partner_id = p.clone();
        }
        self
    }

    /// Validates everything and returns the config.
    pub fn build(self) -> Result<Config> {
        let sid = self.sid.ok_or_else(|| Error::config("sid", "missing"))?;
        check_sid(&sid)?;
        let wallet = self
            .wallet
            .ok_or_else(|| Error::config("wallet", "missing"))?;
        check_wallet(&wallet)?;
        let key_index = self
            .key_index
            .ok_or_else(|| Error::config("key_index", "missing"))?;
        if key_index == 0 {
            return Err(Error::config("key_index", "must be a positive integer"));
        }
        if let Some(e) = self.private_key_error {
            return Err(nest("private_key", e));
        }
        let mut merchant_keys = Vec::with_capacity(1 + self.extra_merchant_keys.len());
        let explicit = self.private_key.is_some();
        if let Some(key) = self.private_key {
            merchant_keys.push(MerchantKey {
                index: key_index,
                key,
            });
        }
        for extra in self.extra_merchant_keys {
            if extra.index == 0 {
                return Err(Error::config("key_index", "must be a positive integer"));
            }
            if let Some(at) = merchant_keys.iter().position(|k| k.index == extra.index) {
                // A key given with private_key_pem replaces a held one of its index.
                if at == 0 && explicit {
                    continue;
                }
                if !same_key(merchant_keys[at].key.public_key(), extra.key.public_key()) {
                    return Err(Error::config(
                        "key_index",
                        format!("{} is given for two different keys", extra.index),
                    ));
                }
                continue;
            }
            merchant_keys.push(extra);
        }
        if merchant_keys.len() > MAX_MERCHANT_KEYS {
            return Err(Error::config(
                "private_key",
                format!("at most {MAX_MERCHANT_KEYS} merchant keys are held at once"),
            ));
        }
        let private_key = match merchant_keys.iter().find(|k| k.index == key_index) {
            Some(k) => Arc::clone(&k.key),
            None if merchant_keys.is_empty() => {
                return Err(Error::config("private_key", "missing"))
            }
            None => {
                return Err(Error::config(
                    "key_index",
                    format!(
                        "{key_index} (the active key) has no private key (held: {})",
                        key_indexes(&merchant_keys)
                    ),
                ))
            }
        };
        if let Some(e) = self.mypos_key_error {
            return Err(nest("mypos_certificate", e));
        }
        let mypos_key = self
            .mypos_key
            .ok_or_else(|| Error::config("mypos_certificate", "missing"))?;
        let mut mypos_keys = Keyring::new(mypos_key);
        for extra in self.extra_mypos_keys {
            mypos_keys.add(extra)?;
        }
        let endpoint = self.endpoint.unwrap_or(Endpoint::Test);
        for merchant in &merchant_keys {
            if endpoint == Endpoint::Production && merchant.key.bits() < 2048 {
                return Err(Error::config(
                    "private_key",
                    format!(
                        "has {} bits; the production endpoint needs 2048 bits or more",
                        merchant.key.bits()
                    ),
                ));
            }
            if mypos_keys.position(merchant.key.public_key()).is_some() {
                return Err(Error::config(
                    "mypos_certificate",
                    "is the merchant's own public key; use the certificate myPOS issued for this store",
                ));
            }
        }
        let language = self.language.unwrap_or_else(|| "en".into());
        check_language(&language)?;
        let source = self.source.unwrap_or_else(|| DEFAULT_SOURCE.into());
        check_source(&source)?;
        if self.version == IpcVersion::V1_4_1
            && (self.application_id.is_empty() || self.partner_id.is_empty())
        {
            return Err(Error::config(
                "version",
                "IPCVersion 1.4.1 requires ApplicationID and PartnerID",
            ));
        }
        Ok(Config {
            sid,
            wallet,
            key_index,
            private_key,
            mypos_keys,
            merchant_keys,
            endpoint,
            version: self.version,
            language,
            source,
            application_id: self.application_id,
            partner_id: self.partner_id,
        })
    }
}

/// The configuration options by name, in the order a form shows them: what
/// [`validate_field`] checks and what the bindings' option arrays take.
pub const OPTIONS: [&str; 11] = [
    "sid",
    "wallet",
    "key_index",
    "private_key",
    "mypos_certificate",
    "endpoint",
    "version",
    "language",
    "source",
    "application_id",
    "partner_id",
];

/// Checks one configuration field given as text, by the same rules [`ConfigBuilder::build`]
/// applies, so a settings form can say which field is wrong before building: `sid` (15
/// letters or digits), `wallet` (11 digits), `key_index` (a whole number from 1, digits
/// only), `private_key` and `mypos_certificate` (PEM that parses), `endpoint`, `version`,
/// `language` (two letters) and `source` (`application_id` and `partner_id` are free text).
/// Errors are [`Error::Config`] naming the field;
/// an unknown name is an [`Error::InvalidRequest`] for `name`. Checks that need two fields
/// (the production key size, a certificate that is the merchant's own key) stay in `build`.
pub fn validate_field(name: &str, value: &str) -> Result<()> {
    match name {
        "sid" => check_sid(value),
        "wallet" => check_wallet(value),
        "key_index" => parse_key_index(value).map(drop),
        "private_key" => PrivateKey::from_pem(value)
            .map(drop)
            .map_err(|e| nest("private_key", e)),
        "mypos_certificate" => PublicKey::from_pem(value)
            .map(drop)
            .map_err(|e| nest("mypos_certificate", e)),
        "endpoint" => Endpoint::parse(value).map(drop).map_err(|e| match e {
            Error::InvalidRequest { reason, .. } => Error::config("endpoint", reason),
            other => other,
        }),
        "version" => IpcVersion::parse(value).map(drop),
        "language" => check_language(value),
        "source" => check_source(value),
        "application_id" | "partner_id" => Ok(()),
        other => Err(Error::request(
            "name",
            format!(
                "'{}' is not a configuration field (one of {})",
                crate::amount::shorten(other),
                OPTIONS.join(", ")
            ),
        )),
    }
}

/// The key index as text (digits only, from 1).
pub fn parse_key_index(text: &str) -> Result<u32> {
    let bad = || Error::config("key_index", "must be a whole number from 1");
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match text.parse::<u32>() {
        Ok(0) | Err(_) => Err(bad()),
        Ok(n) => Ok(n),
    }
}

fn check_sid(sid: &str) -> Result<()> {
    if sid.len() != 15 || !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::config("sid", "must be 15 alphanumeric characters"));
    }
    Ok(())
}

fn check_wallet(wallet: &str) -> Result<()> {
    if wallet.len() != 11 || !wallet.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::config("wallet", "must be 11 digits"));
    }
    Ok(())
}

fn check_language(language: &str) -> Result<()> {
    if language.len() != 2 || !language.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(Error::config("language", "must be two letters, e.g. EN"));
    }
    Ok(())
}

fn check_source(source: &str) -> Result<()> {
    if source.is_empty() || source.len() > 100 || source.chars().any(char::is_control) {
        return Err(Error::config(
            "source",
            "must be 1 to 100 printable characters",
        ));
    }
    Ok(())
}

fn key_indexes(keys: &[MerchantKey]) -> String {
    keys.iter()
        .map(|k| k.index.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn nest(field: &'static str, e: Error) -> Error {
    match e {
        Error::Key(why) => Error::config(field, why),
        other => other,
    }
}

impl Config {
    /// Starts a builder.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// A builder holding this config's values (keys shared, not copied), to derive a
    /// variant: `config.to_builder().language("BG").build()`.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            sid: Some(self.sid.clone()),
            wallet: Some(self.wallet.clone()),
            key_index: Some(self.key_index),
            // Every held key, the active one included, goes by its index: key_index chooses.
            private_key: None,
            private_key_error: None,
            mypos_key: Some(Arc::clone(self.mypos_keys.primary())),
            mypos_key_error: None,
            extra_mypos_keys: self.mypos_keys.certificates()[1..].to_vec(),
            extra_merchant_keys: self.merchant_keys.clone(),
            endpoint: Some(self.endpoint.clone()),
            version: self.version,
            language: Some(self.language.clone()),
            source: Some(self.source.clone()),
            application_id: self.application_id.clone(),
            partner_id: self.partner_id.clone(),
        }
    }

    /// A config from a configuration pack and an endpoint.
    pub fn from_pack(pack: &ConfigPack, endpoint: Endpoint) -> Result<Self> {
        Config::builder().pack(pack).endpoint(endpoint).build()
    }

    /// Store ID.
    pub fn sid(&self) -> &str {
        &self.sid
    }
    /// Wallet number.
    pub fn wallet(&self) -> &str {
        &self.wallet
    }
    /// Key index.
    pub fn key_index(&self) -> u32 {
        self.key_index
    }
    /// Merchant private key.
    pub fn private_key(&self) -> &PrivateKey {
        &self.private_key
    }
    /// The first accepted myPOS public key (the only one unless certificates were added).
    pub fn mypos_key(&self) -> &PublicKey {
        self.mypos_keys.primary()
    }
    /// Every accepted myPOS certificate, in order; verify with it to accept any of them and
    /// learn which one matched.
    pub fn mypos_keyring(&self) -> &Keyring {
        &self.mypos_keys
    }
    /// Every merchant key with its KeyIndex; the active one is [`Self::key_index`].
    pub fn merchant_keys(&self) -> &[MerchantKey] {
        &self.merchant_keys
    }
    /// The KeyIndexes held, in order.
    pub fn key_indexes(&self) -> Vec<u32> {
        self.merchant_keys.iter().map(|k| k.index).collect()
    }
    /// This configuration with another held KeyIndex active for signing.
    pub fn with_active_key(&self, index: u32) -> Result<Config> {
        if !self.merchant_keys.iter().any(|k| k.index == index) {
            return Err(Error::config(
                "key_index",
                format!(
                    "{index} has no private key (held: {})",
                    key_indexes(&self.merchant_keys)
                ),
            ));
        }
        self.to_builder().key_index(index).build()
    }
    /// This configuration accepting one more myPOS certificate (after the others).
    pub fn with_mypos_key(&self, key: Arc<PublicKey>) -> Result<Config> {
        self.to_builder().add_mypos_public_key(key).build()
    }
    /// This configuration no longer accepting a myPOS certificate (the same key, in any
    /// container); retiring the last one is refused.
    pub fn without_mypos_key(&self, key: &PublicKey) -> Result<Config> {
        let mut ring = self.mypos_keys.clone();
        ring.retire(key)?;
        self.to_builder().mypos_keyring(&ring).build()
    }
    /// This configuration holding one more merchant key (not active until
    /// [`Self::with_active_key`]).
    pub fn with_merchant_key(&self, index: u32, key: Arc<PrivateKey>) -> Result<Config> {
        if self.merchant_keys.iter().any(|k| k.index == index) {
            return Err(Error::config(
                "key_index",
                format!("{index} is already held"),
            ));
        }
        self.to_builder().add_merchant_key(index, key).build()
    }
    /// This configuration without the merchant key of `index`; the active one cannot go.
    pub fn without_merchant_key(&self, index: u32) -> Result<Config> {
        if index == self.key_index {
            return Err(Error::config(
                "key_index",
                format!("{index} is the active key; make another one active first"),
            ));
        }
        if !self.merchant_keys.iter().any(|k| k.index == index) {
            return Err(Error::config("key_index", format!("{index} is not held")));
        }
        let mut b = self.to_builder();
        b.extra_merchant_keys.retain(|k| k.index != index);
        b.build()
    }
    /// Endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }
    /// IPCVersion.
    pub fn version(&self) -> IpcVersion {
        self.version
    }
    /// IPCLanguage.
    pub fn language(&self) -> &str {
        &self.language
    }
    /// Source.
    pub fn source(&self) -> &str {
        &self.source
    }
    /// ApplicationID (empty unless a partner).
    pub fn application_id(&self) -> &str {
        &self.application_id
    }
    /// PartnerID (empty unless a partner).
    pub fn partner_id(&self) -> &str {
        &self.partner_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_checked_one_by_one_with_the_build_rules() {
        for (name, good) in [
            ("sid", "000000000000010"),
            ("wallet", "61938166610"),
            ("key_index", "1"),
            ("key_index", "42"),
            ("endpoint", "test"),
            ("endpoint", "https://pay.example/"),
            ("version", "1.4.1"),
            ("language", "BG"),
            ("source", "shop 1.0"),
        ] {
            assert_eq!(validate_field(name, good), Ok(()), "{name}={good}");
        }
        for (name, bad) in [
            ("sid", "00000000000001"),
            ("sid", "00000000000001!"),
            ("wallet", "6193816661"),
            ("wallet", "6193816661x"),
            ("key_index", "0"),
            ("key_index", "-1"),
            ("key_index", "+1"),
            ("key_index", "1.0"),
            ("key_index", ""),
            ("key_index", "99999999999"),
            ("private_key", "not a pem"),
            ("mypos_certificate", ""),
            ("endpoint", "http://pay.example/"),
            ("version", "1.3"),
            ("language", "bul"),
            ("source", ""),
        ] {
            let e = validate_field(name, bad).unwrap_err();
            assert!(
                matches!(&e, Error::Config { field, .. } if *field == name),
                "{name}={bad}: {e:?}"
            );
            assert_eq!(e.kind(), crate::ErrorKind::InvalidConfig, "{name}={bad}");
        }
        let e = validate_field("colour", "red").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest);
        assert!(e.to_string().contains("'name'"), "{e}");
        assert_eq!(parse_key_index("007"), Ok(7));
    }
}
