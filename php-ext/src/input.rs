//! Reading PHP values: strings as UTF-8, ordered field arrays, option arrays.

use ext_php_rs::exception::PhpResult;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use ipc::fields::NameSet;
use ipc::limits::{MAX_FIELDS, MAX_FIELD_NAME_BYTES};
use ipc::{ErrorKind, Fields};

use crate::errors::{invalid, throwable_coded, Kind};

/// Bytes of a string argument as UTF-8 text without NUL bytes.
pub fn text<'a>(what: &str, bytes: &'a [u8]) -> PhpResult<&'a str> {
    let s = std::str::from_utf8(bytes).map_err(|_| {
        throwable_coded(
            Kind::Malformed,
            ErrorKind::InvalidUtf8,
            format!("{what}: invalid UTF-8"),
        )
    })?;
    if s.contains('\0') {
        return Err(throwable_coded(
            Kind::Malformed,
            ErrorKind::InvalidArgument,
            format!("{what}: contains a NUL byte"),
        ));
    }
    Ok(s)
}

/// The key of an array entry as text.
pub fn key_text(key: &ArrayKey<'_>) -> String {
    match key {
        ArrayKey::Long(n) => n.to_string(),
        ArrayKey::String(s) => s.clone(),
        ArrayKey::Str(s) => (*s).to_string(),
    }
}

/// A scalar value (string or int) as text; anything else is an InvalidArgumentException.
pub fn scalar(what: &str, name: &str, value: &Zval) -> PhpResult<String> {
    if let Some(n) = value.long() {
        return Ok(n.to_string());
    }
    if let Some(bytes) = value.zend_str().map(|s| s.as_bytes()) {
        return match std::str::from_utf8(bytes) {
            Ok(s) if s.contains('\0') => Err(invalid(format!(
                "{what}: value of '{name}' contains a NUL byte"
            ))),
            Ok(s) => Ok(s.to_string()),
            Err(_) => Err(invalid(format!(
                "{what}: value of '{name}' is not valid UTF-8"
            ))),
        };
    }
    Err(invalid(format!(
        "{what}: value of '{name}' must be a string or an int, {} given",
        type_name(value)
    )))
}

/// A PHP type name for messages.
pub fn type_name(value: &Zval) -> &'static str {
    if value.is_null() {
        "null"
    } else if value.is_bool() {
        "bool"
    } else if value.is_double() {
        "float"
    } else if value.is_array() {
        "array"
    } else if value.is_object() {
        "object"
    } else if value.is_long() {
        "int"
    } else if value.is_string() {
        "string"
    } else {
        "value"
    }
}

/// An ordered name => value array as fields: names are non-empty strings, values strings or
/// ints, names unique (case-insensitively), within the limits of `ipc::limits` (a duplicate or
/// a breach of a limit is `dup`'s exception).
pub fn fields(
    what: &str,
    array: &ZendHashTable,
    dup: fn(String) -> ext_php_rs::exception::PhpException,
) -> PhpResult<Fields> {
    if array.is_empty() {
        return Err(invalid(format!("{what}: must not be empty")));
    }
    if array.len() > MAX_FIELDS {
        return Err(dup(format!(
            "{what}: has more than {MAX_FIELDS} fields (the limit)"
        )));
    }
    let mut out = Fields::new();
    let mut seen = NameSet::with_capacity(array.len());
    for (key, value) in array.iter() {
        let name = key_text(&key);
        if matches!(key, ArrayKey::Long(_)) {
            return Err(invalid(format!(
                "{what}: key '{name}' must be a field name, not a list index"
            )));
        }
        if name.is_empty() || name.contains('\0') {
            return Err(invalid(format!(
                "{what}: field names must be non-empty text"
            )));
        }
        if name.len() > MAX_FIELD_NAME_BYTES {
            return Err(dup(format!(
                "{what}: field name '{}…' is longer than {MAX_FIELD_NAME_BYTES} bytes (the limit)",
                name.chars().take(20).collect::<String>()
            )));
        }
        if !seen.insert(&name) {
            return Err(dup(format!("{what}: duplicate field '{name}'")));
        }
        let v = scalar(what, &name, value)?;
        out.push(name, v);
    }
    Ok(out)
}

/// Option arrays (`['sid' => ..., ...]`).
#[derive(Debug)]
pub struct Options<'a> {
    what: &'a str,
    array: &'a ZendHashTable,
}

impl<'a> Options<'a> {
    /// Wraps `array`; rejects keys outside `known`.
    pub fn new(what: &'a str, array: &'a ZendHashTable, known: &[&str]) -> PhpResult<Self> {
        for (key, _) in array.iter() {
            let name = key_text(&key);
            if !known.contains(&name.as_str()) {
                return Err(invalid(format!("{what}: unknown key '{name}'")));
            }
        }
        Ok(Options { what, array })
    }

    fn raw(&self, name: &str) -> Option<&'a Zval> {
        self.array.get(name).filter(|v| !v.is_null())
    }

    /// An optional string (ints accepted as their decimal text).
    pub fn opt_str(&self, name: &str) -> PhpResult<Option<String>> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) if v.is_string() => Ok(Some(scalar(self.what, name, v)?)),
            Some(v) => Err(invalid(format!(
                "{}: '{name}' must be a string, {} given",
                self.what,
                type_name(v)
            ))),
        }
    }

    /// A required string.
    pub fn req_str(&self, name: &str) -> PhpResult<String> {
        self.opt_str(name)?
            .ok_or_else(|| invalid(format!("{}: '{name}' is required", self.what)))
    }

    /// An optional int.
    pub fn opt_int(&self, name: &str) -> PhpResult<Option<i64>> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => v.long().map(Some).ok_or_else(|| {
                invalid(format!(
                    "{}: '{name}' must be an int, {} given",
                    self.what,
                    type_name(v)
                ))
            }),
        }
    }

    /// A required int.
    pub fn req_int(&self, name: &str) -> PhpResult<i64> {
        self.opt_int(name)?
            .ok_or_else(|| invalid(format!("{}: '{name}' is required", self.what)))
    }

    /// An optional bool.
    pub fn opt_bool(&self, name: &str) -> PhpResult<Option<bool>> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => v.bool().map(Some).ok_or_else(|| {
                invalid(format!(
                    "{}: '{name}' must be a bool, {} given",
                    self.what,
                    type_name(v)
                ))
            }),
        }
    }

    /// An optional nested array.
    pub fn opt_array(&self, name: &str) -> PhpResult<Option<&'a ZendHashTable>> {
        match self.raw(name) {
            None => Ok(None),
            Some(v) => v.array().map(Some).ok_or_else(|| {
                invalid(format!(
                    "{}: '{name}' must be an array, {} given",
                    self.what,
                    type_name(v)
                ))
            }),
        }
    }
}
