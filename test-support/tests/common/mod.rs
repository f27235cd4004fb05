//! Helpers shared by the tests that run the example binaries.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// The path of an app's binary (an example crate of the workspace: `hello`, `conformance`,
/// `users`) or of one of this crate's examples (the cold-start programs), built with the test's
/// profile if needed: `cargo test` alone does not build them, so this asks cargo.
pub fn binary(name: &str) -> PathBuf {
    build(name, &["serve"])
}

/// An app's binary as it is deployed: no feature beyond the defaults (no dev server).
pub fn deployed_binary(name: &str) -> PathBuf {
    build(name, &[])
}

fn build(name: &str, features: &[&str]) -> PathBuf {
    let own_example = name.starts_with("cold_start")
        || name == "axum_cold_start"
        || name == "bare_function"
        || name == "axum_streaming";
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut args = vec!["build", "--quiet"];
    if own_example {
        args.extend(["-p", "test-support", "--example", name]);
    } else {
        // Every example forwards the dev server from its `serve` feature.
        args.extend(["-p", name]);
        for feature in features {
            args.extend(["--features", feature]);
        }
    }
    if !cfg!(debug_assertions) {
        args.push("--release");
    }
    let status = Command::new(cargo).args(&args).current_dir(env!("CARGO_MANIFEST_DIR")).status().expect("cargo runs");
    assert!(status.success(), "cargo {} failed", args.join(" "));
    let mut path = std::env::current_exe().expect("the test binary's path");
    path.pop(); // the test binary's name
    path.pop(); // deps: now target/debug or target/release
    if own_example {
        path.push("examples");
    }
    path.push(name);
    assert!(path.exists(), "{} exists", path.display());
    path
}

/// A free port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("an address").port()
}
