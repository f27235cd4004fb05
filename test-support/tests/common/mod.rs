//! Helpers shared by the tests that run the example binaries.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The path of an example binary, built (debug) if needed: `cargo test` builds the examples
/// before running tests, and `cargo test --test NAME` alone does not, so this asks cargo.
pub fn example(name: &str) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut args = vec!["build", "--quiet", "--example", name];
    if !cfg!(debug_assertions) {
        args.push("--release");
    }
    let status = Command::new(cargo).args(&args).current_dir(env!("CARGO_MANIFEST_DIR")).status().expect("cargo runs");
    assert!(status.success(), "cargo build --example {name} failed");
    let mut path = std::env::current_exe().expect("the test binary's path");
    path.pop(); // deps
    path.pop(); // debug
    path.push("examples");
    path.push(name);
    assert!(path.exists(), "{} exists", path.display());
    path
}

/// A free port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("an address").port()
}
