//! Records what PHP the extension is built for, from the same `php-config` (`PHP_CONFIG`) and
//! `php` (`PHP`) ext-php-rs builds against: `MyPOS\IPC\BUILD_TARGET` ("php8.2-nts-x86_64") and
//! `MyPOS\IPC\PHP_API` (`php-config --phpapi`), also shown by phpinfo().

use std::process::Command;

fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(out.status.success(), "{program} {args:?} failed");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn main() {
    for v in ["PHP", "PHP_CONFIG", "PATH"] {
        println!("cargo:rerun-if-env-changed={v}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    let php_config = std::env::var("PHP_CONFIG").unwrap_or_else(|_| "php-config".into());
    let php = std::env::var("PHP").unwrap_or_else(|_| "php".into());
    let api = run(&php_config, &["--phpapi"]);
    assert!(
        !api.is_empty() && api.bytes().all(|b| b.is_ascii_digit()),
        "{php_config} --phpapi: {api:?}"
    );
    let info = run(
        &php,
        &[
            "-n",
            "-r",
            "echo PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION, ' ', PHP_ZTS ? 'zts' : 'nts';",
        ],
    );
    let (version, ts) = info.split_once(' ').expect("php version and thread safety");
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    println!("cargo:rustc-env=MYPOS_BUILD_TARGET=php{version}-{ts}-{arch}");
    println!("cargo:rustc-env=MYPOS_PHP_API={api}");
}
