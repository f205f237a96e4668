//! Typed arguments that report a wrong type the way PHP does: a `TypeError` naming the
//! function, the position and the parameter (ext-php-rs would throw a plain `Exception`).
//! Reflection still shows the declared type. Arguments follow strict typing: a string
//! parameter takes a string, an int parameter an int.

use ext_php_rs::convert::FromZval;
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::flags::DataType;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ce;

use crate::input::type_name;

/// Where an argument sits, for messages: function, 1-based position, parameter name.
pub type At = (&'static str, u32, &'static str);

fn type_error(at: At, want: &str, got: &Zval) -> PhpException {
    let (func, pos, name) = at;
    PhpException::new(
        format!(
            "{func}(): Argument #{pos} (${name}) must be of type {want}, {} given",
            type_name(got)
        ),
        0,
        ce::type_error(),
    )
}

macro_rules! typed_arg {
    ($name:ident, $ty:expr) => {
        /// An argument declared with this PHP type; checked when read.
        #[derive(Debug, Clone, Copy)]
        pub struct $name<'a>(&'a Zval);

        impl<'a> FromZval<'a> for $name<'a> {
            const TYPE: DataType = $ty;
            fn from_zval(zval: &'a Zval) -> Option<Self> {
                Some($name(zval))
            }
        }
    };
}

typed_arg!(Str, DataType::String);
typed_arg!(Arr, DataType::Array);
typed_arg!(Int, DataType::Long);

impl<'a> Str<'a> {
    /// The string's bytes.
    pub fn bytes(self, at: At) -> PhpResult<&'a [u8]> {
        self.0
            .zend_str()
            .map(|s| s.as_bytes())
            .ok_or_else(|| type_error(at, "string", self.0))
    }

    /// The string as UTF-8 text (invalid UTF-8 or a NUL byte is an InvalidArgumentException).
    pub fn text(self, at: At) -> PhpResult<&'a str> {
        let bytes = self.bytes(at)?;
        let s = std::str::from_utf8(bytes).map_err(|_| {
            crate::errors::invalid(format!("{}(): ${} is not valid UTF-8", at.0, at.2))
        })?;
        if s.contains('\0') {
            return Err(crate::errors::invalid(format!(
                "{}(): ${} contains a NUL byte",
                at.0, at.2
            )));
        }
        Ok(s)
    }
}

/// An optional or nullable string argument: None when omitted or null.
pub fn opt_text<'a>(arg: Option<Str<'a>>, at: At) -> PhpResult<Option<&'a str>> {
    match arg {
        Some(a) if !a.0.is_null() => a.text(at).map(Some),
        _ => Ok(None),
    }
}

impl<'a> Arr<'a> {
    /// The array.
    pub fn table(self, at: At) -> PhpResult<&'a ZendHashTable> {
        self.0
            .array()
            .ok_or_else(|| type_error(at, "array", self.0))
    }
}

/// A nullable array argument: None when omitted or null.
pub fn opt_table<'a>(arg: Option<Arr<'a>>, at: At) -> PhpResult<Option<&'a ZendHashTable>> {
    match arg {
        Some(a) if !a.0.is_null() => a.table(at).map(Some),
        _ => Ok(None),
    }
}

impl Int<'_> {
    /// The int.
    pub fn int(self, at: At) -> PhpResult<i64> {
        self.0.long().ok_or_else(|| type_error(at, "int", self.0))
    }
}
