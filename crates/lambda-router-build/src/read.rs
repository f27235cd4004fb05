//! The reader: finds a `const` route table in Rust source with `syn` and reads each route's
//! methods and pattern, with the line it is on. Knows the route constructors of
//! `lambda-router` (`Route::get(..)`, `Route::new(methods, ..)`, ...) and nothing else of it.

use std::path::Path;

use lambda_router_core::{Method, MethodSet};
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, Item, Type};

use crate::BuildError;

/// The options a route may chain after its constructor; none changes its methods or pattern.
const ROUTE_OPTIONS: &[&str] =
    &["compress", "cors", "cache_control", "middleware", "doc", "returns", "status", "response_validation_status"];

/// A route read from a table: where it is, what it answers.
#[derive(Debug, Clone)]
pub(crate) struct ReadRoute {
    pub(crate) line: usize,
    pub(crate) methods: MethodSet,
    pub(crate) pattern: String,
}

/// The element type of a table, as the generated code must name it.
#[derive(Debug, Clone)]
pub(crate) enum Element {
    /// `&[Route]`: the runtime's route (a handler and its options).
    Endpoint,
    /// `&[Route<T>]`: the router alone, with values of type `T` (written as in the source).
    Value(TokenStream),
}

/// Finds the const (or static) `name` in `source` and reads its routes.
pub(crate) fn read_table(file: &Path, source: &str, name: &str) -> Result<(Element, Vec<ReadRoute>), BuildError> {
    let parsed = syn::parse_file(source)
        .map_err(|err| BuildError::new(file, err.span().start().line, format!("cannot parse: {err}")))?;
    let Some((ty, expr)) = find_table(&parsed.items, name) else {
        return Err(BuildError::new(
            file,
            0,
            format!("no `const {name}` route table (at the top level or in an inline module)"),
        ));
    };
    let element = element_type(ty).ok_or_else(|| {
        BuildError::new(
            file,
            ty.span().start().line,
            format!("`{name}` must have the type `&[Route]` or `&[Route<T>]`"),
        )
    })?;
    let Expr::Reference(reference) = expr else {
        return Err(BuildError::new(file, expr.span().start().line, format!("`{name}` must be `&[...]`")));
    };
    let Expr::Array(array) = &*reference.expr else {
        return Err(BuildError::new(file, expr.span().start().line, format!("`{name}` must be `&[...]`")));
    };
    let inputs = path_params_of_inputs(&parsed.items);
    let handlers = typed_handlers(&parsed.items);
    let mut routes = Vec::new();
    for (index, element_expr) in array.elems.iter().enumerate() {
        let line = element_expr.span().start().line;
        let (methods, pattern, handler) = read_route(element_expr)
            .map_err(|why| BuildError::new(file, line, format!("route #{index} of `{name}`: {why}")))?;
        // A `#[handler]` of this file whose input type is declared in this file too: its path
        // parameters must be in the pattern. (Any other is checked when the table is compiled,
        // without the parameter's name.)
        let input = handler.and_then(|handler| handlers.iter().find(|(name, _)| *name == handler).map(|(_, ty)| ty));
        let declared = input.and_then(|ty| inputs.iter().find(|(name, _)| name == ty));
        if let Some((ty, params)) = declared
            && let Some(missing) = params.iter().find(|p| !has_param(&pattern, p))
        {
            return Err(BuildError::new(
                file,
                line,
                format!(
                    "route #{index} `{methods} {pattern}`: `{ty}` reads the path parameter `{missing}`, \
                     which is not in the pattern"
                ),
            ));
        }
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

/// `&[Route]` → the endpoint route; `&[Route<T>]` → `T`; anything else → `None`.
fn element_type(ty: &Type) -> Option<Element> {
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
        syn::PathArguments::None => Some(Element::Endpoint),
        syn::PathArguments::AngleBracketed(args) => Some(Element::Value(args.args.to_token_stream())),
        syn::PathArguments::Parenthesized(_) => None,
    }
}

/// The structs of `items` (and their inline modules) with `#[param]` fields: their names and
/// those fields' names, the path parameters an `#[derive(Input)]` reads.
fn path_params_of_inputs(items: &[Item]) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for item in items {
        match item {
            Item::Struct(s) => {
                let params: Vec<String> = s
                    .fields
                    .iter()
                    .filter(|f| f.attrs.iter().any(|a| a.path().is_ident("param")))
                    .filter_map(|f| f.ident.as_ref().map(|i| i.to_string().trim_start_matches("r#").to_owned()))
                    .collect();
                if !params.is_empty() {
                    found.push((s.ident.to_string(), params));
                }
            }
            Item::Mod(m) => {
                found.extend(m.content.as_ref().map(|(_, items)| path_params_of_inputs(items)).unwrap_or_default())
            }
            _ => {}
        }
    }
    found
}

/// The `#[handler]` functions of `items` (and their inline modules) that take typed inputs:
/// their names and their input type's name.
fn typed_handlers(items: &[Item]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for item in items {
        match item {
            Item::Fn(function)
                if function.attrs.iter().any(|a| a.path().segments.last().is_some_and(|s| s.ident == "handler")) =>
            {
                let input = function.sig.inputs.iter().nth(1).and_then(|arg| match arg {
                    syn::FnArg::Typed(typed) => match &*typed.ty {
                        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
                        _ => None,
                    },
                    syn::FnArg::Receiver(_) => None,
                });
                if let Some(input) = input {
                    found.push((function.sig.ident.to_string(), input));
                }
            }
            Item::Mod(m) => {
                found.extend(m.content.as_ref().map(|(_, items)| typed_handlers(items)).unwrap_or_default())
            }
            _ => {}
        }
    }
    found
}

/// Whether `pattern` has the parameter `name`, as `<name>` or `{name}`.
fn has_param(pattern: &str, name: &str) -> bool {
    pattern.contains(&format!("<{name}>")) || pattern.contains(&format!("{{{name}}}"))
}

/// Reads `Route::get("/p", h)`, `Route::new(methods, "/p", h)` and option chains on them: the
/// methods, the pattern and the handler's name (when it is one).
fn read_route(expr: &Expr) -> Result<(MethodSet, String, Option<String>), String> {
    match expr {
        Expr::MethodCall(call) => match call.method.to_string().as_str() {
            option if ROUTE_OPTIONS.contains(&option) => read_route(&call.receiver),
            other => Err(format!("unknown route option `.{other}()`")),
        },
        Expr::Paren(inner) => read_route(&inner.expr),
        Expr::Call(call) => {
            let Expr::Path(func) = &*call.func else {
                return Err("expected `Route::get(\"/pattern\", handler)` or `Route::new(...)`".into());
            };
            let constructor = func.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            let args: Vec<&Expr> = call.args.iter().collect();
            let (methods, pattern, handler) = match (constructor.as_str(), args.as_slice()) {
                ("new", [methods, pattern, handler]) => (read_methods(methods)?, *pattern, *handler),
                (name, [pattern, handler]) => (MethodSet::one(method_named(name)?), *pattern, *handler),
                _ => return Err(format!("cannot read `Route::{constructor}(...)`")),
            };
            let handler = match handler {
                Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            Ok((methods, string_literal(pattern)?, handler))
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
