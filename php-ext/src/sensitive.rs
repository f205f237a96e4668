//! Marks the parameters that carry secrets with `#[\SensitiveParameter]`, so no backtrace
//! (exceptions, TypeErrors, debug_backtrace) shows their values. ext-php-rs has no attribute
//! support, so this is done once, at the first request, on the registered functions.

use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use ext_php_rs::ffi::{zend_function, zend_string, HashTable};
use ext_php_rs::types::{ZendHashTable, ZendStr};
use ext_php_rs::zend::{ClassEntry, ExecutorGlobals};

const ZEND_ATTRIBUTE_PERSISTENT: u32 = 1;

extern "C" {
    fn zend_add_attribute(
        attributes: *mut *mut HashTable,
        name: *mut zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut c_void;
}

/// (function or `Class::method`, zero-based parameter positions)
const SENSITIVE: &[(&str, &[u32])] = &[
    ("mypos\\ipc\\sign", &[1]),
    ("mypos\\ipc\\sign_form", &[1]),
    ("mypos\\ipc\\config_pack_info", &[0]),
    ("mypos\\ipc\\config_pack_parts", &[0]),
    ("MyPOS\\IPC\\Config::frompack", &[0]),
    ("MyPOS\\IPC\\Config::fromarray", &[0]),
    ("MyPOS\\IPC\\Config::validatefield", &[1]),
    ("MyPOS\\IPC\\Config::withkey", &[1]),
];

fn lookup(table: &ZendHashTable, name: &str) -> Option<*mut zend_function> {
    let zv = table.get(name)?;
    // SAFETY: function tables hold IS_PTR zvals pointing at zend_function.
    let ptr = unsafe { zv.value.ptr }.cast::<zend_function>();
    (!ptr.is_null()).then_some(ptr)
}

fn find(name: &str) -> Option<*mut zend_function> {
    match name.split_once("::") {
        Some((class, method)) => {
            let ce = ClassEntry::try_find(class)?;
            let table: &ZendHashTable = &ce.function_table;
            lookup(table, method)
        }
        None => {
            let eg = ExecutorGlobals::get();
            let table = eg.function_table()?;
            lookup(table, name)
        }
    }
}

/// Adds the attribute (idempotent: runs once per process). Returns how many were marked.
pub fn mark() -> usize {
    static ONCE: Once = Once::new();
    static MARKED: AtomicUsize = AtomicUsize::new(0);
    ONCE.call_once(|| {
        // zend_add_attribute takes its own reference to the name; ours is released below.
        let mut name = ZendStr::new("SensitiveParameter", true);
        let mut count = 0;
        for (func, params) in SENSITIVE {
            let Some(f) = find(func) else { continue };
            for p in *params {
                // SAFETY: `f` is a live internal function; the attribute table is persistent
                // like the function, and so is the name.
                unsafe {
                    let attrs = std::ptr::addr_of_mut!((*f).common.attributes);
                    zend_add_attribute(
                        attrs,
                        std::ptr::addr_of_mut!(*name).cast(),
                        0,
                        ZEND_ATTRIBUTE_PERSISTENT,
                        p + 1,
                        0,
                    );
                }
                count += 1;
            }
        }
        drop(name);
        MARKED.store(count, Ordering::Release);
    });
    MARKED.load(Ordering::Acquire)
}
