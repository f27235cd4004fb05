//! Macros for lambda-router, re-exported by it: the derives of typed routes
//! (`lambda_router::validate::{Model, Input}`), each reading a type's declaration once and
//! writing its parsing, its validation and its schema; and the attributes that make a function
//! something a `const` route table names (`lambda_router::{handler, middleware}`).

mod attrs;
mod handler;
mod input;
mod model;

use proc_macro::TokenStream;

/// A JSON body model: a struct of named fields (nested models, lists, options, numbers,
/// strings, booleans, literals) or a fieldless enum of literal strings.
#[proc_macro_derive(Model, attributes(field, model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    model::derive(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// A route's typed inputs: fields read from the path (`#[param]`), the query (`#[query]`), the
/// headers (`#[header]`), the cookies (`#[cookie]`), the body (a JSON `#[body]`, or `#[form]`
/// fields and `#[file]`s), and dependencies (`#[depends(Type)]`).
#[proc_macro_derive(Input, attributes(param, query, header, cookie, body, form, file, depends))]
pub fn derive_input(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    input::derive(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// A handler with typed inputs, or any handler: a `fn` or `async fn` of the request and,
/// optionally, its inputs (a type deriving `Input`), named directly in a route table.
#[proc_macro_attribute]
pub fn handler(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        let attr = proc_macro2::TokenStream::from(attr);
        return syn::Error::new_spanned(attr, "`#[handler]` takes no arguments").into_compile_error().into();
    }
    let item = syn::parse_macro_input!(item as syn::ItemFn);
    handler::handler(item).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// A middleware: an `async fn` of the request and the rest of the chain (and optionally its
/// configuration), named directly in an app's or a route's list.
#[proc_macro_attribute]
pub fn middleware(attr: TokenStream, item: TokenStream) -> TokenStream {
    if !attr.is_empty() {
        let attr = proc_macro2::TokenStream::from(attr);
        return syn::Error::new_spanned(attr, "`#[middleware]` takes no arguments").into_compile_error().into();
    }
    let item = syn::parse_macro_input!(item as syn::ItemFn);
    handler::middleware(item).unwrap_or_else(syn::Error::into_compile_error).into()
}
