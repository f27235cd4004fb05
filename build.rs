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

/// `(prefix, source file, Rust path of the const)`.
#[cfg(feature = "build")]
type Mount = (&'static str, &'static str, &'static str);

/// `(generated file, router name, tables mounted into it)`.
#[cfg(feature = "build")]
const TABLES: &[(&str, &str, &[Mount])] = &[
    ("conformance_routes.rs", "ROUTER", &[("", "examples/conformance/routes.rs", "ROUTES")]),
    ("hello_routes.rs", "ROUTER", &[("", "examples/hello/routes.rs", "ROUTES")]),
    ("pipeline_routes.rs", "ROUTER", &[("", "benches/routes/pipeline.rs", "ROUTES")]),
    ("cold_start_10_routes.rs", "ROUTER", &[("", "examples/cold_start_10.rs", "ROUTES")]),
    (
        "users_routes.rs",
        "ROUTER",
        &[
            ("/users", "examples/users/users.rs", "crate::users::ROUTES"),
            ("", "examples/users/health.rs", "crate::health::ROUTES"),
        ],
    ),
    ("router_tests.rs", "ROUTER", &[("", "tests/routes/conformance.rs", "ROUTES")]),
    ("github_routes.rs", "ROUTER", &[("", "tests/routes/github.rs", "ROUTES")]),
    (
        "mounted_routes.rs",
        "ROUTER",
        &[("/users", "tests/routes/users.rs", "users::ROUTES"), ("", "tests/routes/health.rs", "health::ROUTES")],
    ),
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(feature = "build")]
    if std::path::Path::new("tests/router_props.rs").exists() {
        random_tables::write();
    }
    #[cfg(feature = "build")]
    if std::path::Path::new("examples/cold_start_1000.rs").exists() {
        thousand_routes();
    }
    #[cfg(feature = "build")]
    for (out, name, mounts) in TABLES {
        if mounts.iter().any(|(_, file, _)| !std::path::Path::new(file).exists()) {
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

/// The 1,000-route table of the cold-start example: written as source, then compiled through
/// the build-time path like any hand-written table.
#[cfg(feature = "build")]
fn thousand_routes() {
    use std::fmt::Write as _;
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut source = String::from("pub const ROUTES: &[Route] = &[\n    Route::get(\"/hello\", hello),\n");
    for i in 1..1000 {
        let _ = writeln!(source, "    Route::get(\"/r{}/<id>/x{i}\", hello),", i % 97);
    }
    source.push_str("];\n");
    let file = out.join("cold_start_1000.rs");
    std::fs::write(&file, source).expect("write the 1,000 routes");
    router::codegen::Build::new("cold_start_1000_routes.rs")
        .mount("", &file, "ROUTES")
        .write()
        .unwrap_or_else(|err| panic!("the 1,000 routes: {err}"));
}

/// Random route tables, compiled through the build-time path, for the differential property
/// test (`tests/router_props.rs`): it checks them against run-time tables and a naive matcher.
#[cfg(feature = "build")]
mod random_tables {
    use super::router::{codegen::Build, compile, method::MethodSet};
    use std::fmt::Write as _;

    const TABLES: usize = 64;
    const STATICS: [&str; 4] = ["a", "b", "c", "ab"];

    /// xorshift64*: deterministic, so the tables are the same on every build.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn pattern(rng: &mut Rng) -> String {
        if rng.below(40) == 0 {
            return ".+".to_owned();
        }
        let segments = rng.below(4);
        let mut pattern = String::new();
        for index in 0..segments {
            let last = index + 1 == segments;
            pattern.push('/');
            match rng.below(10) {
                0..=4 => pattern.push_str(STATICS[rng.below(4) as usize]),
                5..=7 => {
                    let _ =
                        if rng.below(2) == 0 { write!(pattern, "<p{index}>") } else { write!(pattern, "{{p{index}}}") };
                }
                _ if last => pattern.push_str(if rng.below(2) == 0 { ".+" } else { "{rest+}" }),
                _ => pattern.push_str(STATICS[0]),
            }
        }
        let trailing_slash = !pattern.ends_with('+') && rng.below(10) == 0;
        if pattern.is_empty() || trailing_slash {
            pattern.push('/');
        }
        pattern
    }

    pub fn write() {
        let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut index_file = String::new();
        let mut made = 0;
        while made < TABLES {
            let count = 1 + rng.below(12) as usize;
            let routes: Vec<(String, u16)> = (0..count).map(|_| (pattern(&mut rng), 1 + rng.below(7) as u16)).collect();
            let specs: Vec<compile::RouteSpec> = routes
                .iter()
                .map(|(p, m)| compile::RouteSpec { pattern: p.clone(), methods: MethodSet::from_bits(*m) })
                .collect();
            if compile::compile(&specs).is_err() {
                continue; // a conflict: draw another table
            }
            let mut source = String::from("pub const ROUTES: &[Route<u16>] = &[\n");
            for (i, (p, m)) in routes.iter().enumerate() {
                let methods: Vec<String> = MethodSet::from_bits(*m).iter().map(|m| format!("Method::{m:?}")).collect();
                let _ = writeln!(source, "    Route::with(MethodSet::of(&[{}]), {p:?}, {i}),", methods.join(", "));
            }
            source.push_str("];\n");
            let file = out.join(format!("random_{made}.rs"));
            std::fs::write(&file, &source).expect("write random table");
            Build::new(&format!("random_{made}_router.rs"))
                .mount("", &file, "ROUTES")
                .write()
                .unwrap_or_else(|err| panic!("random table {made}: {err}"));
            let _ = writeln!(
                index_file,
                "pub mod t{made} {{ use lambda_router::{{Method, MethodSet, Route}}; \
                 include!(concat!(env!(\"OUT_DIR\"), \"/random_{made}.rs\")); \
                 include!(concat!(env!(\"OUT_DIR\"), \"/random_{made}_router.rs\")); }}"
            );
            made += 1;
        }
        let _ = write!(
            index_file,
            "pub static TABLES: [(&[lambda_router::Route<u16>], &lambda_router::Router<u16>); {TABLES}] = ["
        );
        for i in 0..TABLES {
            let _ = write!(index_file, "(t{i}::ROUTES, &t{i}::ROUTER), ");
        }
        index_file.push_str("];\n");
        std::fs::write(out.join("random_tables.rs"), index_file).expect("write random tables");
    }
}
