//! Compiles the route tables of this repository's examples, tests and benches.
//!
//! It does nothing unless the `build` feature is on, which only this repository's own
//! dev-dependency on itself turns on: a crate that depends on lambda-router pays for no
//! `syn` and no work here. It also skips every table whose file is absent (the published
//! package leaves examples, tests and benches out).

#[cfg(feature = "build")]
#[path = "src/router"]
#[allow(dead_code)]
mod router {
    pub mod codegen;
    pub mod compile;
    pub mod method;
    pub mod pattern;
    pub mod table;
}

/// `(generated file, router name, [(prefix, source file, Rust path of the const)])`.
#[cfg(feature = "build")]
const TABLES: &[(&str, &str, &[(&str, &str, &str)])] = &[
    (
        "router_tests.rs",
        "ROUTER",
        &[("", "tests/routes/conformance.rs", "ROUTES")],
    ),
    (
        "github_routes.rs",
        "ROUTER",
        &[("", "tests/routes/github.rs", "ROUTES")],
    ),
    (
        "mounted_routes.rs",
        "ROUTER",
        &[
            ("/users", "tests/routes/users.rs", "users::ROUTES"),
            ("", "tests/routes/health.rs", "health::ROUTES"),
        ],
    ),
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "build")]
    for (out, name, mounts) in TABLES {
        if mounts
            .iter()
            .any(|(_, file, _)| !std::path::Path::new(file).exists())
        {
            continue;
        }
        let mut build = router::codegen::Build::new(out).router_name(name);
        for (prefix, file, path) in mounts.iter() {
            build = build.mount(prefix, file, path);
        }
        if let Err(err) = build.write() {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
