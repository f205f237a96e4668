//! The README's commands and examples are the ones that run.

mod quickstart {
    include!("../examples/quickstart.rs");
}

#[test]
fn rust_quick_start_runs() {
    quickstart::main().expect("quick start");
}

#[test]
fn readme_shows_the_quick_start_verbatim() {
    let readme = include_str!("../README.md");
    let example = include_str!("../examples/quickstart.rs");
    assert!(
        readme.contains(example.trim()),
        "README.md must show examples/quickstart.rs verbatim"
    );
}

#[test]
fn readme_starts_with_the_two_commands() {
    let readme = include_str!("../README.md");
    let head: String = readme.lines().take(15).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("make demo") && head.contains("make test"),
        "{head}"
    );
}
