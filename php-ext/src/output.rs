//! Building PHP arrays in order.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::types::ZendHashTable;
use ipc::Fields;

use crate::errors::{throwable, Kind};

/// An ordered associative array.
#[derive(Debug)]
pub struct Assoc(ZBox<ZendHashTable>);

impl Assoc {
    /// An empty array.
    pub fn new() -> Self {
        Assoc(ZendHashTable::new())
    }

    /// Appends `key => value`.
    pub fn set(mut self, key: &str, value: impl IntoZval) -> PhpResult<Self> {
        self.0
            .insert(key, value)
            .map_err(|e| throwable(Kind::Root, format!("array insert: {e}")))?;
        Ok(self)
    }

    /// Appends a list entry.
    pub fn push(mut self, value: impl IntoZval) -> PhpResult<Self> {
        self.0
            .push(value)
            .map_err(|e| throwable(Kind::Root, format!("array push: {e}")))?;
        Ok(self)
    }

    /// The finished array.
    pub fn done(self) -> ZBox<ZendHashTable> {
        self.0
    }
}

/// Fields as an ordered name => value array.
pub fn fields_array(fields: &Fields) -> PhpResult<ZBox<ZendHashTable>> {
    let mut a = Assoc::new();
    for (n, v) in fields.iter() {
        a = a.set(n, v)?;
    }
    Ok(a.done())
}
