//! Compiles the route tables of the tests and benches through the public build API
//! (`lambda-router-build`), as a user's build script would, and generates the big and random
//! ones first: 64 random tables for the differential property test, the 1,000-route table of
//! the cold-start measurement, and the GitHub API route set of the lookup benchmark.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use lambda_router_build::Build;

fn out_dir() -> PathBuf {
    PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set for build scripts"))
}

fn write(build: Build) {
    build.write().unwrap_or_else(|err| panic!("{err}"));
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=data/github-routes.txt");
    write(Build::new("pipeline_routes.rs").mount("", "src/pipeline/routes.rs", "ROUTES"));
    // Tables of the router alone (`Route<T>` of lambda-router-core) reach the core crate.
    write(
        Build::new("mounted_routes.rs")
            .crate_path("::lambda_router_core")
            .mount("/users", "src/mounted/users.rs", "users::ROUTES")
            .mount("", "src/mounted/health.rs", "health::ROUTES"),
    );
    write(Build::new("cold_start_10_routes.rs").mount("", "examples/cold_start_10.rs", "ROUTES"));
    thousand_routes();
    github_routes();
    random_tables::write();
}

/// The 1,000-route table of the cold-start example: written as source, then compiled through
/// the build-time path like any hand-written table.
fn thousand_routes() {
    let mut source = String::from("pub const ROUTES: &[Route] = &[\n    Route::get(\"/hello\", hello),\n");
    for i in 1..1000 {
        let _ = writeln!(source, "    Route::get(\"/r{}/<id>/x{i}\", hello),", i % 97);
    }
    source.push_str("];\n");
    let file = out_dir().join("cold_start_1000.rs");
    std::fs::write(&file, source).expect("write the 1,000 routes");
    write(Build::new("cold_start_1000_routes.rs").mount("", &file, "ROUTES"));
}

/// The GitHub API route set of matchit's benchmark (`data/github-routes.txt`), every route a
/// `GET` whose value is its index.
fn github_routes() {
    let list = std::fs::read_to_string(Path::new("data/github-routes.txt")).expect("data/github-routes.txt");
    let mut source = String::from("pub const ROUTES: &[Route<u32>] = &[\n");
    let routes = list.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
    for (index, route) in routes.enumerate() {
        let _ = writeln!(source, "    Route::new(MethodSet::one(Method::Get), {route:?}, {index}),");
    }
    source.push_str("];\n");
    let file = out_dir().join("github.rs");
    std::fs::write(&file, source).expect("write the GitHub routes");
    write(Build::new("github_routes.rs").crate_path("::lambda_router_core").mount("", &file, "ROUTES"));
}

/// Random route tables, compiled through the build-time path, for the differential property
/// test (`tests/router_props.rs`): it checks them against run-time tables and a naive matcher.
mod random_tables {
    use lambda_router_build::Build;
    use lambda_router_core::{MethodSet, RouteSpec, compile};
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
        let out = super::out_dir();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut index_file = String::new();
        let mut made = 0;
        while made < TABLES {
            let count = 1 + rng.below(12) as usize;
            let routes: Vec<(String, u16)> = (0..count).map(|_| (pattern(&mut rng), 1 + rng.below(7) as u16)).collect();
            let specs: Vec<RouteSpec> = routes
                .iter()
                .map(|(p, m)| RouteSpec { pattern: p.clone(), methods: MethodSet::from_bits(*m) })
                .collect();
            if compile(&specs).is_err() {
                continue; // a conflict: draw another table
            }
            let mut source = String::from("pub const ROUTES: &[Route<u16>] = &[\n");
            for (i, (p, m)) in routes.iter().enumerate() {
                let methods: Vec<String> = MethodSet::from_bits(*m).iter().map(|m| format!("Method::{m:?}")).collect();
                let _ = writeln!(source, "    Route::new(MethodSet::of(&[{}]), {p:?}, {i}),", methods.join(", "));
            }
            source.push_str("];\n");
            let file = out.join(format!("random_{made}.rs"));
            std::fs::write(&file, &source).expect("write random table");
            Build::new(&format!("random_{made}_router.rs"))
                .crate_path("::lambda_router_core")
                .mount("", &file, "ROUTES")
                .write()
                .unwrap_or_else(|err| panic!("random table {made}: {err}"));
            let _ = writeln!(
                index_file,
                "pub mod t{made} {{ use lambda_router_core::{{Method, MethodSet, Route}}; \
                 include!(concat!(env!(\"OUT_DIR\"), \"/random_{made}.rs\")); \
                 include!(concat!(env!(\"OUT_DIR\"), \"/random_{made}_router.rs\")); }}"
            );
            made += 1;
        }
        let _ = write!(
            index_file,
            "pub type Table = (&'static [lambda_router_core::Route<u16>], &'static lambda_router_core::Router<lambda_router_core::Route<u16>>);\npub static TABLES: [Table; {TABLES}] = ["
        );
        for i in 0..TABLES {
            let _ = write!(index_file, "(t{i}::ROUTES, &t{i}::ROUTER), ");
        }
        index_file.push_str("];\n");
        std::fs::write(out.join("random_tables.rs"), index_file).expect("write random tables");
    }
}
