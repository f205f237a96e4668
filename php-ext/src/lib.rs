//! The PHP extension `mypos_ipc`: myPOS IPC signing and verification, request builders,
//! verified notifications with notify decisions, and API answers, under `MyPOS\IPC`.
#![cfg_attr(windows, feature(abi_vectorcall))]
// Rust parameter names become the PHP parameter names, which are camelCase ($privateKeyPem).
#![allow(non_snake_case)]

mod args;
mod attempt;
mod config;
mod errors;
mod functions;
mod input;
mod keycache;
mod modifiers;
mod notification;
mod order;
mod output;
mod request;
mod response;
mod sensitive;
mod uncloneable;

use ext_php_rs::prelude::*;

/// The extension version (`MyPOS\IPC\VERSION`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The PHP this build is for (`MyPOS\IPC\BUILD_TARGET`): "php<major.minor>-<nts|zts>-<arch>",
/// from the `php` and `php-config` the build used (php-ext/build.rs).
pub const BUILD_TARGET: &str = env!("MYPOS_BUILD_TARGET");

/// The PHP API number of that PHP (`php-config --phpapi`, `MyPOS\IPC\PHP_API`).
pub const PHP_API: &str = env!("MYPOS_PHP_API");

/// The extension's phpinfo() section.
extern "C" fn module_info(_module: *mut ext_php_rs::zend::ModuleEntry) {
    ext_php_rs::info_table_start!();
    ext_php_rs::info_table_row!("mypos_ipc support", "enabled");
    ext_php_rs::info_table_row!("Version", VERSION);
    ext_php_rs::info_table_row!("Build target", BUILD_TARGET);
    ext_php_rs::info_table_row!("Built for PHP API", PHP_API);
    ext_php_rs::info_table_end!();
}

extern "C" fn request_startup(_type: i32, _module: i32) -> i32 {
    let _ = std::panic::catch_unwind(sensitive::mark);
    let _ = std::panic::catch_unwind(uncloneable::apply);
    0
}

/// Module start-up (before ext-php-rs registers the Rust-backed classes).
fn module_startup(_type: i32, _module: i32) -> i32 {
    match std::panic::catch_unwind(errors::register) {
        Ok(Ok(())) => 0,
        _ => 1,
    }
}

#[php_module]
#[php(startup = module_startup)]
pub fn get_module(module: ModuleBuilder) -> ModuleBuilder {
    // The package is mypos-ipc-php; the PHP extension is named mypos_ipc.
    drop(module);
    ModuleBuilder::new("mypos_ipc", VERSION)
        .request_startup_function(request_startup)
        .info_function(module_info)
        .constant(("MyPOS\\IPC\\VERSION", VERSION, &[]))
        .constant(("MyPOS\\IPC\\BUILD_TARGET", BUILD_TARGET, &[]))
        .constant(("MyPOS\\IPC\\PHP_API", php_api(), &[]))
        // The input limits of every entry point (ipc::limits).
        .constant((
            "MyPOS\\IPC\\MAX_BODY_BYTES",
            limit(ipc::limits::MAX_BODY_BYTES),
            &[],
        ))
        .constant((
            "MyPOS\\IPC\\MAX_FIELDS",
            limit(ipc::limits::MAX_FIELDS),
            &[],
        ))
        .constant((
            "MyPOS\\IPC\\MAX_FIELD_NAME_BYTES",
            limit(ipc::limits::MAX_FIELD_NAME_BYTES),
            &[],
        ))
        .class::<config::Config>()
        .class::<request::Request>()
        .class::<notification::Notification>()
        .class::<notification::Decision>()
        .class::<response::Response>()
        .pipe(functions::register)
        .pipe(attempt::register)
}

/// `PHP_API` as a PHP int.
fn php_api() -> i64 {
    PHP_API.parse().unwrap_or(0)
}

/// A limit as a PHP int (they are small; saturates rather than wraps).
fn limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

trait Pipe: Sized {
    fn pipe(self, f: impl FnOnce(Self) -> Self) -> Self {
        f(self)
    }
}
impl Pipe for ModuleBuilder<'_> {}
