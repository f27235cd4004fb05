//! Build time: reads `const` route tables from Rust source with `syn`, compiles them with the
//! same compiler the run time uses, and writes a `static` router to be `include!`d.
//!
//! Runs in build scripts only (the crate's own `build.rs` includes this file by path; users
//! reach it through the `build` feature). Errors name the file, the line and the route.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use proc_macro2::{Literal, TokenStream};
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, Item, Type};

use super::compile::{self, RouteError, RouteSpec};
use super::method::{Method, MethodSet};
use super::pattern;
use super::table::Table;

/// Why a route table could not be compiled at build time. The message names the file, the
/// line and the route.
#[derive(Debug)]
pub struct BuildError {
    file: PathBuf,
    line: usize,
    message: String,
}

impl BuildError {
    fn new(file: &Path, line: usize, message: impl Into<String>) -> BuildError {
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

/// A route read from a table: where it is, what it answers.
#[derive(Debug, Clone)]
struct ReadRoute {
    line: usize,
    methods: MethodSet,
    pattern: String,
}

/// Compiles one or more `const` route tables into a `static` router.
///
/// The generated file defines `pub static ROUTER` (or the name given to
/// [`router_name`](Build::router_name)) and checks, at compile time, that every table still
/// holds the routes it was generated from.
///
/// ```no_run
/// // build.rs: the users routes under `/users`, the health routes at the root.
/// lambda_router::build::Build::new("app_routes.rs")
///     .mount("/users", "src/users.rs", "crate::users::ROUTES")
///     .mount("", "src/health.rs", "crate::health::ROUTES")
///     .write()
///     .unwrap_or_else(|err| panic!("{err}"));
/// ```
#[derive(Debug, Clone)]
pub struct Build {
    out_name: String,
    router_name: String,
    mounts: Vec<Mount>,
}

impl Build {
    /// A build that writes `$OUT_DIR/<out_name>`.
    pub fn new(out_name: &str) -> Build {
        Build { out_name: out_name.to_owned(), router_name: "ROUTER".to_owned(), mounts: Vec::new() }
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
        for mount in &self.mounts {
            let source = match &mount.source {
                Some(source) => source.clone(),
                None => std::fs::read_to_string(&mount.file)
                    .map_err(|err| BuildError::new(&mount.file, 0, format!("cannot read the route table: {err}")))?,
            };
            let name = mount.path.rsplit("::").next().unwrap_or(&mount.path).trim();
            let (element, routes) = read_table(&mount.file, &source, name)?;
            tables.push((mount, element, routes));
        }
        let mut specs = Vec::new();
        let mut origin = Vec::new();
        for (mount, _, routes) in &tables {
            for route in routes {
                specs.push(RouteSpec {
                    pattern: pattern::join_prefix(&mount.prefix, &route.pattern),
                    methods: route.methods,
                });
                origin.push((mount.file.as_path(), route.line));
            }
        }
        let table = compile::compile(&specs).map_err(|err| {
            let route = match &err {
                RouteError::Pattern { route, .. }
                | RouteError::NoMethod { route, .. }
                | RouteError::Conflict { route, .. } => Some(*route),
                _ => None,
            };
            match route.and_then(|r| origin.get(r)) {
                Some((file, line)) => BuildError::new(file, *line, err.to_string()),
                None => BuildError::new(&self.mounts[0].file, 0, err.to_string()),
            }
        })?;
        let element = tables.first().map(|(_, e, _)| e.clone()).unwrap_or_default();
        Ok(self.emit(&tables, &element, &table))
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

    fn emit(&self, tables: &[(&Mount, TokenStream, Vec<ReadRoute>)], element: &TokenStream, table: &Table) -> String {
        let name = &self.router_name;
        let generic = if element.is_empty() { String::new() } else { format!("<{element}>") };
        let count: usize = tables.iter().map(|(_, _, routes)| routes.len()).sum();
        let mut out = String::new();
        let sources: Vec<String> = tables.iter().map(|(m, _, _)| m.file.display().to_string()).collect();
        let _ = writeln!(out, "// @generated by lambda-router from {}. Do not edit.", sources.join(", "));
        let _ = writeln!(
            out,
            "pub static {name}: ::lambda_router::Router{generic} = \
             ::lambda_router::Router::from_static(&__{name}_ROUTES, &__{name}_TABLE);"
        );
        let _ = write!(out, "static __{name}_ROUTES: [::lambda_router::Route{generic}; {count}] = [");
        for (mount, _, routes) in tables {
            for index in 0..routes.len() {
                let _ = write!(out, "{}[{index}], ", mount.path);
            }
        }
        let _ = writeln!(out, "];");
        let _ = writeln!(out, "const _: () = {{");
        for (mount, _, routes) in tables {
            let file = mount.file.display().to_string();
            let stale = format!(
                "lambda-router: the route table `{}` in {file} changed after its matcher was \
                 generated (a stale build?); rebuild",
                mount.path
            );
            let _ =
                writeln!(out, "    assert!({}.len() == {}, {});", mount.path, routes.len(), Literal::string(&stale));
            for (index, route) in routes.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "    assert!(::lambda_router::__private::same_route(&{}[{index}], {}, {}), {});",
                    mount.path,
                    Literal::string(&route.pattern),
                    route.methods.bits(),
                    Literal::string(&format!("{stale}: route #{index} (line {})", route.line)),
                );
            }
        }
        let _ = writeln!(out, "}};");
        let _ = writeln!(out, "static __{name}_TABLE: ::lambda_router::Table = {};", table_literal(table));
        out
    }
}

/// Compiles the `ROUTES` const of `file` into `$OUT_DIR/<out_name>` as `pub static ROUTER`.
///
/// ```no_run
/// // build.rs
/// lambda_router::build::compile_routes("src/routes.rs", "routes.rs")
///     .unwrap_or_else(|err| panic!("{err}"));
/// // then in src/routes.rs, after `pub const ROUTES: &[Route] = &[...];`:
/// // lambda_router::include_router!("routes.rs");
/// ```
pub fn compile_routes(file: impl AsRef<Path>, out_name: &str) -> Result<PathBuf, BuildError> {
    Build::new(out_name).mount("", file, "ROUTES").write()
}

fn cow_str(text: &str) -> String {
    format!("::std::borrow::Cow::Borrowed({})", Literal::string(text))
}

fn span(span: super::table::Span) -> String {
    format!("::lambda_router::__private::Span {{ start: {}, end: {} }}", span.start, span.end)
}

fn slice(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    format!("::std::borrow::Cow::Borrowed(&[{}])", items.join(", "))
}

/// The table as a Rust expression that is valid in a `static`.
fn table_literal(table: &Table) -> String {
    let p = "::lambda_router::__private";
    format!(
        "::lambda_router::Table {{ static_lengths: {lengths}, seed: {seed}, displacements: {displacements}, statics: {statics}, \
         nodes: {nodes}, edges: {edges}, edge_index: {edge_index}, entries: {entries}, routes: {routes}, param_names: {names} }}",
        lengths = table.static_lengths,
        seed = table.seed,
        displacements = slice(table.displacements.iter().map(|(a, b)| format!("({a}, {b})"))),
        statics =
            slice(table.statics.iter().map(|s| {
                format!("{p}::StaticPath {{ path: {}, entries: {} }}", cow_str(&s.path), span(s.entries))
            })),
        nodes = slice(table.nodes.iter().map(|n| {
            format!(
                "{p}::Node {{ edges: {}, param: {}, ends: {}, tails: {} }}",
                span(n.edges),
                n.param,
                span(n.ends),
                span(n.tails)
            )
        })),
        edges = slice(table.edges.iter().map(|e| {
            format!(
                "{p}::Edge {{ parent: {}, key: {}, segment: {}, node: {} }}",
                e.parent,
                e.key,
                cow_str(&e.segment),
                e.node
            )
        })),
        edge_index = slice(table.edge_index.iter().map(|i| i.to_string())),
        entries = slice(
            table.entries.iter().map(|e| { format!("{p}::Entry {{ methods: {}, route: {} }}", e.methods, e.route) })
        ),
        routes = slice(table.routes.iter().map(|r| {
            format!(
                "{p}::RouteInfo {{ pattern: {}, params: {}, whole_path_tail: {} }}",
                cow_str(&r.pattern),
                span(r.params),
                r.whole_path_tail
            )
        })),
        names = slice(table.param_names.iter().map(|n| cow_str(n))),
    )
}

/// Finds the const (or static) `name` in `source` and reads its routes; also returns the
/// handler type written in `Route<...>`, if any.
fn read_table(file: &Path, source: &str, name: &str) -> Result<(TokenStream, Vec<ReadRoute>), BuildError> {
    let parsed = syn::parse_file(source)
        .map_err(|err| BuildError::new(file, err.span().start().line, format!("cannot parse: {err}")))?;
    let found = find_table(&parsed.items, name);
    let Some((ty, expr)) = found else {
        return Err(BuildError::new(
            file,
            0,
            format!("no `const {name}` route table (at the top level or in an inline module)"),
        ));
    };
    let element = handler_type(ty).ok_or_else(|| {
        BuildError::new(
            file,
            ty.span().start().line,
            format!("`{name}` must have the type `&[Route]` or `&[Route<H>]`"),
        )
    })?;
    let Expr::Reference(reference) = expr else {
        return Err(BuildError::new(file, expr.span().start().line, format!("`{name}` must be `&[...]`")));
    };
    let Expr::Array(array) = &*reference.expr else {
        return Err(BuildError::new(file, expr.span().start().line, format!("`{name}` must be `&[...]`")));
    };
    let mut routes = Vec::new();
    for (index, element_expr) in array.elems.iter().enumerate() {
        let line = element_expr.span().start().line;
        let (methods, pattern) = read_route(element_expr)
            .map_err(|why| BuildError::new(file, line, format!("route #{index} of `{name}`: {why}")))?;
        routes.push(ReadRoute { line, methods, pattern });
    }
    Ok((element, routes))
}

/// The const (or static) `name` among `items`, or in their inline modules, depth first.
fn find_table<'f>(items: &'f [Item], name: &str) -> Option<(&'f Type, &'f Expr)> {
    items.iter().find_map(|item| match item {
        Item::Const(c) if c.ident == name => Some((&*c.ty, &*c.expr)),
        Item::Static(s) if s.ident == name => Some((&*s.ty, &*s.expr)),
        Item::Mod(m) => m.content.as_ref().and_then(|(_, items)| find_table(items, name)),
        _ => None,
    })
}

/// `&[Route]` → empty; `&[Route<H>]` → `H`; anything else → `None`.
fn handler_type(ty: &Type) -> Option<TokenStream> {
    let Type::Reference(reference) = ty else {
        return None;
    };
    let Type::Slice(slice) = &*reference.elem else {
        return None;
    };
    let Type::Path(path) = &*slice.elem else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Route" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::None => Some(TokenStream::new()),
        syn::PathArguments::AngleBracketed(args) => Some(args.args.to_token_stream()),
        syn::PathArguments::Parenthesized(_) => None,
    }
}

/// Reads `Route::get("/p", h)`, `Route::new(methods, "/p", h)` and option chains on them.
fn read_route(expr: &Expr) -> Result<(MethodSet, String), String> {
    match expr {
        Expr::MethodCall(call) => match call.method.to_string().as_str() {
            "compress" | "cors" | "cache_control" => read_route(&call.receiver),
            other => Err(format!("unknown route option `.{other}()`")),
        },
        Expr::Paren(inner) => read_route(&inner.expr),
        Expr::Call(call) => {
            let Expr::Path(func) = &*call.func else {
                return Err("expected `Route::get(\"/pattern\", handler)` or `Route::new(...)`".into());
            };
            let constructor = func.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            let args: Vec<&Expr> = call.args.iter().collect();
            let (methods, pattern) = match (constructor.as_str(), args.as_slice()) {
                ("new" | "new_async" | "with", [methods, pattern, _]) => (read_methods(methods)?, *pattern),
                (name, [pattern, _]) => {
                    (MethodSet::one(method_named(name.strip_suffix("_async").unwrap_or(name))?), *pattern)
                }
                _ => return Err(format!("cannot read `Route::{constructor}(...)`")),
            };
            Ok((methods, string_literal(pattern)?))
        }
        _ => Err("expected `Route::get(\"/pattern\", handler)` or `Route::new(...)`".into()),
    }
}

fn method_named(constructor: &str) -> Result<Method, String> {
    Ok(match constructor {
        "get" => Method::Get,
        "post" => Method::Post,
        "put" => Method::Put,
        "patch" => Method::Patch,
        "delete" => Method::Delete,
        "head" => Method::Head,
        "options" => Method::Options,
        other => return Err(format!("unknown route constructor `Route::{other}`")),
    })
}

fn string_literal(expr: &Expr) -> Result<String, String> {
    match expr {
        Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) => Ok(text.value()),
        _ => Err("the pattern must be a string literal, so that it can be compiled at build time".into()),
    }
}

/// `MethodSet::ANY`, `MethodSet::one(Method::X)`, `MethodSet::of(&[Method::X, ...])`.
fn read_methods(expr: &Expr) -> Result<MethodSet, String> {
    let variant = |expr: &Expr| -> Result<Method, String> {
        let Expr::Path(path) = expr else {
            return Err("expected `Method::Name`".into());
        };
        let name = path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        Method::ALL.into_iter().find(|m| format!("{m:?}") == name).ok_or_else(|| format!("unknown method `{name}`"))
    };
    match expr {
        Expr::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "ANY") => Ok(MethodSet::ANY),
        Expr::Call(call) => {
            let Expr::Path(func) = &*call.func else {
                return Err("cannot read the methods".into());
            };
            let name = func.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            let args: Vec<&Expr> = call.args.iter().collect();
            match (name.as_str(), args.as_slice()) {
                ("one", [method]) => Ok(MethodSet::one(variant(method)?)),
                ("of", [Expr::Reference(list)]) => match &*list.expr {
                    Expr::Array(array) => {
                        let methods: Result<Vec<Method>, String> = array.elems.iter().map(variant).collect();
                        Ok(MethodSet::of(&methods?))
                    }
                    _ => Err("expected `MethodSet::of(&[Method::Get, ...])`".into()),
                },
                _ => Err("expected `MethodSet::one(...)`, `MethodSet::of(&[...])` or `MethodSet::ANY`".into()),
            }
        }
        _ => Err("expected `MethodSet::one(...)`, `MethodSet::of(&[...])` or `MethodSet::ANY`".into()),
    }
}
