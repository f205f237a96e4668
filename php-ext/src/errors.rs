//! The exception hierarchy and the mapping from core errors to exceptions.
//!
//! The exception classes are plain PHP classes (registered with `ClassBuilder`, no Rust object
//! behind them), so PHP code can construct, extend and catch them like any exception. Every
//! exception the extension throws has the core's stable [`ErrorKind`] number as `getCode()`
//! (the C `ipc_result` number); `MyPOS\IPC\Exception` lists them as class constants.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::zend::{ce, ClassEntry};
use ipc::{Error, ErrorKind, Outcome};

/// The exception classes.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// `MyPOS\IPC\Exception`
    Root,
    /// `MyPOS\IPC\InvalidArgumentException`
    InvalidArgument,
    /// `MyPOS\IPC\MalformedInputException`
    Malformed,
    /// `MyPOS\IPC\SignatureException`
    Signature,
    /// `MyPOS\IPC\ConfigException`
    Config,
}

static ROOT: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static INVALID: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static MALFORMED: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static SIGNATURE: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());
static CONFIG: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());

impl Kind {
    fn slot(self) -> &'static AtomicPtr<ClassEntry> {
        match self {
            Kind::Root => &ROOT,
            Kind::InvalidArgument => &INVALID,
            Kind::Malformed => &MALFORMED,
            Kind::Signature => &SIGNATURE,
            Kind::Config => &CONFIG,
        }
    }

    /// The registered class entry (\Exception before module start-up, which cannot happen).
    pub fn ce(self) -> &'static ClassEntry {
        let p = self.slot().load(Ordering::Acquire);
        // SAFETY: set once at module start-up to a class entry that lives as long as PHP.
        unsafe { p.as_ref() }.unwrap_or_else(ce::exception)
    }
}

fn root_ce() -> &'static ClassEntry {
    Kind::Root.ce()
}

/// Remembers a registered class entry.
type Store = fn(&'static mut ClassEntry);

/// Registers the exception classes (module start-up, before any other class).
pub fn register() -> ext_php_rs::error::Result<()> {
    let mut root = ClassBuilder::new("MyPOS\\IPC\\Exception")
        .extends((ce::exception, "\\Exception"))
        .registration(|c| ROOT.store(c, Ordering::Release));
    for kind in ErrorKind::ALL.into_iter().filter(|k| *k != ErrorKind::Ok) {
        root = root.constant(kind.name(), i64::from(kind.code()), &[])?;
    }
    root.register()?;
    let children: [(&str, Store); 4] = [
        ("MyPOS\\IPC\\InvalidArgumentException", |c| {
            INVALID.store(c, Ordering::Release)
        }),
        ("MyPOS\\IPC\\MalformedInputException", |c| {
            MALFORMED.store(c, Ordering::Release)
        }),
        ("MyPOS\\IPC\\SignatureException", |c| {
            SIGNATURE.store(c, Ordering::Release)
        }),
        ("MyPOS\\IPC\\ConfigException", |c| {
            CONFIG.store(c, Ordering::Release)
        }),
    ];
    for (name, store) in children {
        ClassBuilder::new(name)
            .extends((root_ce, "\\MyPOS\\IPC\\Exception"))
            .registration(store)
            .register()?;
    }
    Ok(())
}

/// An exception of `kind` with `message` and the stable number of `code` as `getCode()`.
pub fn throwable_coded(kind: Kind, code: ErrorKind, message: impl Into<String>) -> PhpException {
    PhpException::new(
        message.into(),
        i32::try_from(code.code()).unwrap_or(0),
        kind.ce(),
    )
}

/// An exception of `kind` with `message`, coded as the class's usual kind.
pub fn throwable(kind: Kind, message: impl Into<String>) -> PhpException {
    let code = match kind {
        Kind::Root => ErrorKind::InternalError,
        Kind::InvalidArgument => ErrorKind::InvalidArgument,
        Kind::Malformed => ErrorKind::MalformedBody,
        Kind::Signature => ErrorKind::SignatureInvalid,
        Kind::Config => ErrorKind::InvalidConfig,
    };
    throwable_coded(kind, code, message)
}

/// An InvalidArgumentException with `message`.
pub fn invalid(message: impl Into<String>) -> PhpException {
    throwable(Kind::InvalidArgument, message)
}

/// A MalformedInputException with `message`.
pub fn malformed(message: impl Into<String>) -> PhpException {
    throwable(Kind::Malformed, message)
}

/// A SignatureException with `message`.
pub fn signature(message: impl Into<String>) -> PhpException {
    throwable(Kind::Signature, message)
}

/// A ConfigException with `message`.
pub fn config_error(message: impl Into<String>) -> PhpException {
    throwable(Kind::Config, message)
}

/// An exception of class `kind` for the core error `e`, coded with `e`'s kind.
pub fn core_as(kind: Kind, e: &Error, message: impl Into<String>) -> PhpException {
    throwable_coded(kind, e.kind(), message)
}

/// The exception for a core error met while reading `what` (an argument name).
pub fn from_core(what: &str, e: &Error) -> PhpException {
    let message = format!("{what}: {e}");
    let kind = match e {
        Error::SignatureInvalid => Kind::Signature,
        Error::Config { .. } | Error::ConfigPack(_) => Kind::Config,
        Error::InvalidRequest { .. } => Kind::InvalidArgument,
        _ if e.outcome() == Outcome::Malformed => Kind::Malformed,
        _ => Kind::Root,
    };
    core_as(kind, e, message)
}

/// Runs an entry point, turning a panic into an exception instead of unwinding into PHP.
pub fn guard<T>(entry: &str, body: impl FnOnce() -> PhpResult<T>) -> PhpResult<T> {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(_) => Err(throwable_coded(
            Kind::Root,
            ErrorKind::InternalPanic,
            format!("{entry}: internal error (panic caught)"),
        )),
    }
}
