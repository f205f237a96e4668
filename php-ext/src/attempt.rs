//! Attempt OrderIDs (`<prefix>-<order id>-<n>`): `attempt_id`, `parse_attempt_id`,
//! `attempt_id_error`.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ipc::{AttemptId, AttemptIdError, ErrorKind};

use crate::args::{Int, Str};
use crate::errors::{guard, throwable_coded, Kind};
use crate::output::Assoc;

/// An InvalidArgumentException coded as the core's kind for it (`InvalidRequest`, like every
/// extension exception), whose message ends with the rule's code, e.g. `[invalid_prefix]`.
fn attempt_error(what: &str, e: &AttemptIdError) -> PhpException {
    throwable_coded(
        Kind::InvalidArgument,
        ErrorKind::InvalidRequest,
        format!("{what} {e} [{}]", e.code()),
    )
}

/// The attempt OrderID `<prefix>-<order>-<attempt>`.
#[php_function]
#[php(name = "MyPOS\\IPC\\attempt_id")]
pub fn attempt_id(prefix: Str, order: Str, attempt: Int) -> PhpResult<String> {
    guard("attempt_id", || {
        const AT: &str = "MyPOS\\IPC\\attempt_id";
        let prefix = prefix.text((AT, 1, "prefix"))?;
        let order = order.text((AT, 2, "order"))?;
        let attempt = attempt.int((AT, 3, "attempt"))?;
        let number = u32::try_from(attempt).map_err(|_| {
            attempt_error(
                "attempt_id(): the attempt OrderID",
                &AttemptIdError::InvalidAttemptNumber,
            )
        })?;
        AttemptId::new(prefix, order, number)
            .map(|id| id.to_string())
            .map_err(|e| attempt_error("attempt_id(): the attempt OrderID", &e))
    })
}

/// `['prefix' => ?string, 'order' => string, 'attempt' => int]`; a bare order id is attempt 1
/// with a null prefix.
#[php_function]
#[php(name = "MyPOS\\IPC\\parse_attempt_id")]
pub fn parse_attempt_id(orderId: Str) -> PhpResult<ZBox<ZendHashTable>> {
    guard("parse_attempt_id", || {
        let text = orderId.text(("MyPOS\\IPC\\parse_attempt_id", 1, "orderId"))?;
        let id = AttemptId::parse(text)
            .map_err(|e| attempt_error("parse_attempt_id(): $orderId", &e))?;
        Ok(Assoc::new()
            .set("prefix", id.prefix().map(str::to_string))?
            .set("order", id.order())?
            .set("attempt", i64::from(id.number()))?
            .done())
    })
}

/// The rule `$orderId` breaks as a code (`too_long`, `wrong_shape`, ...), or null when it is an
/// attempt OrderID or a bare order id.
#[php_function]
#[php(name = "MyPOS\\IPC\\attempt_id_error")]
pub fn attempt_id_error(orderId: Str) -> PhpResult<Option<String>> {
    guard("attempt_id_error", || {
        let text = orderId.text(("MyPOS\\IPC\\attempt_id_error", 1, "orderId"))?;
        Ok(AttemptId::parse(text).err().map(|e| e.code().to_string()))
    })
}

/// Adds the functions to the module.
pub fn register(module: ModuleBuilder) -> ModuleBuilder {
    module
        .function(wrap_function!(attempt_id))
        .function(wrap_function!(parse_attempt_id))
        .function(wrap_function!(attempt_id_error))
}
