//! # lambda-router-build
//!
//! The build-time route-table compiler of [lambda-router](https://docs.rs/lambda-router), for
//! build scripts. It reads `const` route tables from Rust source with `syn`, compiles them with
//! the same compiler the runtime uses (`lambda-router-core`), and writes a `static` router to
//! be `include!`d beside the table: nothing is built at cold start.
//!
//! ```text
//! # Cargo.toml
//! [dependencies]
//! lambda-router = "0.1"
//! [build-dependencies]
//! lambda-router-build = "0.1"
//! ```
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! lambda_router_build::compile_routes("src/routes.rs", "routes.rs").unwrap_or_else(|err| panic!("{err}"));
//! ```
//!
//! ```ignore
//! // src/routes.rs
//! pub const ROUTES: &[Route] = &[Route::get("/hello", hello)];
//! lambda_router::include_router!("routes.rs"); // defines `pub static ROUTER`
//! ```
//!
//! A malformed pattern, or two routes that can never be told apart, fails the build with the
//! file, the line and the route. The generated code asserts at compile time that the table
//! still holds the routes it was generated from.
//!
//! This crate depends on `syn`, `quote`, `proc-macro2` and the std-only core: none of the
//! runtime's dependencies is compiled for a build script.
#![deny(missing_docs, missing_debug_implementations, unsafe_code)]

mod emit;
mod read;

use std::fmt;
use std::path::{Path, PathBuf};

use lambda_router_core::{RouteError, RouteSpec, compile, join_prefix};

use emit::EmittedTable;

/// Why a route table could not be compiled at build time. The message names the file, the
/// line and the route.
#[derive(Debug)]
pub struct BuildError {
    file: PathBuf,
    line: usize,
    message: String,
}

impl BuildError {
    pub(crate) fn new(file: &Path, line: usize, message: impl Into<String>) -> BuildError {
        BuildError { file: file.to_owned(), line, message: message.into() }
    }

    /// The file that holds the faulty table.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The line of the faulty route (1-based), or 0 when the problem is the whole file.
    pub fn line(&self) -> usize {
        self.line
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

impl std::error::Error for BuildError {}

/// One `const` table mounted under a prefix.
#[derive(Debug, Clone)]
struct Mount {
    prefix: String,
    file: PathBuf,
    /// The Rust path of the const, as seen from where the generated file is included.
    path: String,
    /// The file's text, when given rather than read.
    source: Option<String>,
}

/// Compiles one or more `const` route tables into a `static` router.
///
/// The generated file defines `pub static ROUTER` (or the name given to
/// [`router_name`](Build::router_name)) and checks, at compile time, that every table still
/// holds the routes it was generated from.
///
/// ```no_run
/// // build.rs: the users routes under `/users`, the health routes at the root.
/// lambda_router_build::Build::new("app_routes.rs")
///     .mount("/users", "src/users.rs", "crate::users::ROUTES")
///     .mount("", "src/health.rs", "crate::health::ROUTES")
///     .write()
///     .unwrap_or_else(|err| panic!("{err}"));
/// ```
#[derive(Debug, Clone)]
pub struct Build {
    out_name: String,
    router_name: String,
    crate_path: String,
    mounts: Vec<Mount>,
}

impl Build {
    /// A build that writes `$OUT_DIR/<out_name>`.
    pub fn new(out_name: &str) -> Build {
        Build {
            out_name: out_name.to_owned(),
            router_name: "ROUTER".to_owned(),
            crate_path: "::lambda_router".to_owned(),
            mounts: Vec::new(),
        }
    }

    /// The path the generated code reaches the runtime crate by (default `::lambda_router`),
    /// for a dependency renamed in Cargo.toml, as prost-build's `prost_path`:
    ///
    /// ```no_run
    /// // Cargo.toml: router = { package = "lambda-router", version = "0.1" }
    /// lambda_router_build::Build::new("routes.rs")
    ///     .crate_path("::router")
    ///     .mount("", "src/routes.rs", "ROUTES")
    ///     .write()
    ///     .unwrap_or_else(|err| panic!("{err}"));
    /// ```
    pub fn crate_path(mut self, path: &str) -> Build {
        self.crate_path = path.trim().to_owned();
        self
    }

    /// The name of the generated `static` (default `ROUTER`).
    pub fn router_name(mut self, name: &str) -> Build {
        self.router_name = name.to_owned();
        self
    }

    /// Mounts the `const` table `path` (its last segment is the const's name in `file`; the
    /// whole path is how the generated code reaches it) under `prefix` (`""` for none).
    pub fn mount(mut self, prefix: &str, file: impl AsRef<Path>, path: &str) -> Build {
        self.mounts.push(Mount {
            prefix: prefix.to_owned(),
            file: file.as_ref().to_owned(),
            path: path.to_owned(),
            source: None,
        });
        self
    }

    /// As [`mount`](Build::mount), with the file's text given (`file` only names it in
    /// messages): for tools and tests that hold tables in memory.
    pub fn mount_source(mut self, prefix: &str, file: impl AsRef<Path>, source: &str, path: &str) -> Build {
        self.mounts.push(Mount {
            prefix: prefix.to_owned(),
            file: file.as_ref().to_owned(),
            path: path.to_owned(),
            source: Some(source.to_owned()),
        });
        self
    }

    /// Generates the router's source code.
    pub fn generate(&self) -> Result<String, BuildError> {
        let mut tables = Vec::new();
        let mut element = None;
        for mount in &self.mounts {
            let source = match &mount.source {
                Some(source) => source.clone(),
                None => std::fs::read_to_string(&mount.file)
                    .map_err(|err| BuildError::new(&mount.file, 0, format!("cannot read the route table: {err}")))?,
            };
            let name = mount.path.rsplit("::").next().unwrap_or(&mount.path).trim();
            let (kind, routes) = read::read_table(&mount.file, &source, name)?;
            element.get_or_insert(kind);
            tables.push(EmittedTable { path: &mount.path, file: mount.file.display().to_string(), routes });
        }
        let mut specs = Vec::new();
        let mut origin = Vec::new();
        for (mount, table) in self.mounts.iter().zip(&tables) {
            for route in &table.routes {
                specs.push(RouteSpec { pattern: join_prefix(&mount.prefix, &route.pattern), methods: route.methods });
                origin.push((mount.file.as_path(), route.line));
            }
        }
        let table = compile(&specs).map_err(|err| {
            let route = match &err {
                RouteError::Pattern { route, .. }
                | RouteError::NoMethod { route, .. }
                | RouteError::Conflict { route, .. } => Some(*route),
                _ => None,
            };
            match (route.and_then(|r| origin.get(r)), self.mounts.first()) {
                (Some((file, line)), _) => BuildError::new(file, *line, err.to_string()),
                (None, Some(mount)) => BuildError::new(&mount.file, 0, err.to_string()),
                (None, None) => BuildError::new(Path::new(&self.out_name), 0, err.to_string()),
            }
        })?;
        let element = element.unwrap_or(read::Element::Endpoint);
        Ok(emit::router_source(&self.crate_path, &self.router_name, &element, &tables, &table))
    }

    /// Generates the router and writes it to `$OUT_DIR`; tells Cargo to rerun when a table's
    /// file changes.
    pub fn write(&self) -> Result<PathBuf, BuildError> {
        for mount in &self.mounts {
            println!("cargo:rerun-if-changed={}", mount.file.display());
        }
        let code = self.generate()?;
        let out_dir = std::env::var_os("OUT_DIR")
            .ok_or_else(|| BuildError::new(Path::new(&self.out_name), 0, "OUT_DIR is not set: call from build.rs"))?;
        let out = Path::new(&out_dir).join(&self.out_name);
        std::fs::write(&out, code).map_err(|err| BuildError::new(&out, 0, format!("cannot write: {err}")))?;
        Ok(out)
    }
}

/// Compiles the `ROUTES` const of `file` into `$OUT_DIR/<out_name>` as `pub static ROUTER`.
///
/// ```no_run
/// // build.rs
/// lambda_router_build::compile_routes("src/routes.rs", "routes.rs")
///     .unwrap_or_else(|err| panic!("{err}"));
/// // then in src/routes.rs, after `pub const ROUTES: &[Route] = &[...];`:
/// // lambda_router::include_router!("routes.rs");
/// ```
pub fn compile_routes(file: impl AsRef<Path>, out_name: &str) -> Result<PathBuf, BuildError> {
    Build::new(out_name).mount("", file, "ROUTES").write()
}
