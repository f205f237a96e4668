//! Class modifiers shared by the Rust-backed classes.

use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::flags::ClassFlags;

/// Marks a class final (ext-php-rs 0.14 ignores `#[php(flags)]`); ext-php-rs already makes
/// classes with Rust objects not serializable.
pub fn final_class(builder: ClassBuilder) -> ClassBuilder {
    builder.flags(ClassFlags::Final)
}
