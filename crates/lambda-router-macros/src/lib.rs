//! Derives for lambda-router's typed routes, re-exported as `lambda_router::validate::{Model,
//! Input}`: each reads a type's declaration once and writes its parsing, its validation and its
//! schema (see the `lambda_router::validate` module for what they generate and why).

mod attrs;
mod input;
mod model;

use proc_macro::TokenStream;

/// A JSON body model: a struct of named fields (nested models, lists, options, numbers,
/// strings, booleans, literals) or a fieldless enum of literal strings.
#[proc_macro_derive(Model, attributes(field))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    model::derive(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// A route's typed inputs: fields read from the path (`#[param]`), the query (`#[query]`), the
/// headers (`#[header]`) and the body (`#[body]`).
#[proc_macro_derive(Input, attributes(param, query, header, body))]
pub fn derive_input(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    input::derive(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
