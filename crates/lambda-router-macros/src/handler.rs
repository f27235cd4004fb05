//! `#[handler]` and `#[middleware]`: a `fn` or `async fn` as written, made into what a `const`
//! route table names. The function itself is kept whole, nested inside what is generated.
//!
//! - `#[handler]` on a handler with typed inputs (a second argument) writes a `fn` of the
//!   function's name, of the request alone: it validates the inputs, then runs the function (an
//!   `async fn`'s future goes into the invocation's arena). Its return type names the inputs'
//!   type, so that a route learns their schema. On a handler of the request alone it changes
//!   nothing: such a function is a handler as it is.
//! - `#[middleware]` writes a `fn` of the function's name with the `Middleware` signature; a
//!   third argument `config: &C` is the app's `C` (`App::state`).

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use syn::{FnArg, GenericArgument, ItemFn, Pat, PathArguments, ReturnType, Type};

use crate::attrs::{krate, with_static_lifetimes};

/// The `Ok` type of a `Result<T, E>` return type, if the function has one.
fn ok_type(output: &ReturnType) -> Option<&Type> {
    let ReturnType::Type(_, ty) = output else { return None };
    let Type::Path(path) = &**ty else { return None };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    args.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

/// Whether `ty` is a `Response`.
fn is_response(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "Response"))
}

/// `#[handler]`.
pub(crate) fn handler(item: ItemFn) -> syn::Result<TokenStream> {
    let krate = krate();
    let args: Vec<&FnArg> = item.sig.inputs.iter().collect();
    if let Some(FnArg::Receiver(receiver)) = args.first() {
        return Err(syn::Error::new_spanned(receiver, "a handler is a free function, not a method"));
    }
    // A model returned rather than a `Response`: written as the JSON answer, and the route's
    // response model.
    let model = ok_type(&item.sig.output).filter(|ty| !is_response(ty)).map(with_static_lifetimes);
    let input = match args.as_slice() {
        // A handler of the request alone that returns a `Response` is a handler as it is.
        [_] if model.is_none() => return Ok(quote!(#item)),
        [_] => None,
        [_, FnArg::Typed(typed)] => Some(with_static_lifetimes(&typed.ty)),
        _ => {
            return Err(syn::Error::new_spanned(
                &item.sig,
                "a handler takes the request, and optionally its typed inputs: \
                 `fn name<'a>(req: &Request<'a>, input: Inputs<'a>) -> Result<Response<'a>, Error>`",
            ));
        }
    };
    let name = item.sig.ident.clone();
    let vis = item.vis.clone();
    let outer_attrs: Vec<_> = item.attrs.iter().filter(|a| !a.path().is_ident("allow")).cloned().collect();
    let is_async = item.sig.asyncness.is_some();
    let mut inner = item.clone();
    inner.attrs.retain(|a| a.path().is_ident("allow"));
    inner.vis = syn::Visibility::Inherited;
    inner.sig.ident = format_ident!("__handler");
    let call = match &input {
        Some(_) => quote!(__handler(req, input)),
        None => quote!(__handler(req)),
    };
    let call = match (&model, is_async) {
        (None, false) => call,
        (None, true) => quote!(#call.await),
        (Some(model), false) => quote!(#krate::__private::model_response::<#model>(req, &#call?)),
        (Some(model), true) => quote!(#krate::__private::model_response::<#model>(req, &#call.await?)),
    };
    let start = if is_async {
        quote!(#krate::__private::pending(req, move || async move { #call }))
    } else {
        quote!(#krate::__private::ready(move || #call))
    };
    let input_ty = input.clone().unwrap_or_else(|| syn::parse_quote!(()));
    let model_ty = model.unwrap_or_else(|| syn::parse_quote!(()));
    Ok(quote! {
        #(#outer_attrs)*
        #vis fn #name<'r, 'a>(req: &'r #krate::Request<'a>) -> #krate::__private::TypedStart<'r, 'a, #input_ty, #model_ty, #is_async> {
            #[allow(clippy::needless_lifetimes)]
            #inner
            #krate::__private::TypedStart::new(match #krate::__private::validated::<#input_ty>(req) {
                ::core::result::Result::Ok(input) => {
                    let _ = &input;
                    #start
                }
                ::core::result::Result::Err(error) => #krate::__private::Started::Ready(::core::result::Result::Err(error)),
            })
        }
    })
}

/// `#[middleware]`.
pub(crate) fn middleware(item: ItemFn) -> syn::Result<TokenStream> {
    let krate = krate();
    let name = item.sig.ident.clone();
    let vis = item.vis.clone();
    if item.sig.asyncness.is_none() {
        return Err(syn::Error::new_spanned(
            item.sig.fn_token,
            "a middleware is an `async fn(req: &'r Request<'a>, next: Next<'r, 'a>) -> Result<Response<'a>, Error>`",
        ));
    }
    let args: Vec<&FnArg> = item.sig.inputs.iter().collect();
    let config = match args.as_slice() {
        [_, _] => None,
        [_, _, FnArg::Typed(typed)] => match &*typed.ty {
            Type::Reference(reference) if reference.mutability.is_none() => {
                let arg = match &*typed.pat {
                    Pat::Ident(ident) => ident.ident.to_string(),
                    _ => "config".to_owned(),
                };
                Some((with_static_lifetimes(&reference.elem), arg))
            }
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    "a middleware's configuration is a shared reference to the app's value: `config: &'r Config`",
                ));
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                &item.sig.inputs,
                "a middleware takes the request, the rest of the chain, and optionally its configuration: \
                 `(req: &'r Request<'a>, next: Next<'r, 'a>, config: &'r Config)`",
            ));
        }
    };
    let outer_attrs: Vec<_> = item.attrs.iter().filter(|a| !a.path().is_ident("allow")).cloned().collect();
    let mut inner = item.clone();
    inner.attrs.retain(|a| a.path().is_ident("allow"));
    inner.vis = syn::Visibility::Inherited;
    inner.sig.ident = format_ident!("__middleware");
    // Type and const parameters (`auth::<Admin>`: one middleware, a configuration per use) go
    // on the outer function too; the inner one is named with them.
    let params: Vec<&syn::GenericParam> =
        item.sig.generics.params.iter().filter(|p| !matches!(p, syn::GenericParam::Lifetime(_))).collect();
    let where_clause = &item.sig.generics.where_clause;
    let args = params.iter().map(|param| match param {
        syn::GenericParam::Type(ty) => ty.ident.to_token_stream(),
        syn::GenericParam::Const(constant) => constant.ident.to_token_stream(),
        syn::GenericParam::Lifetime(lifetime) => lifetime.lifetime.to_token_stream(),
    });
    let callee = quote!(__middleware::<#(#args),*>);
    let name_text = name.to_string();
    let body = match &config {
        None => quote!(#krate::NextFuture::__started(#krate::__private::pending(req, move || #callee(req, next)))),
        Some((ty, _)) => {
            quote! {
                match req.state::<#ty>() {
                    ::core::option::Option::Some(config) => #krate::NextFuture::__started(
                        #krate::__private::pending(req, move || #callee(req, next, config)),
                    ),
                    ::core::option::Option::None => {
                        #krate::__private::missing_config(#name_text, ::core::any::type_name::<#ty>())
                    }
                }
            }
        }
    };
    Ok(quote! {
        #(#outer_attrs)*
        #vis fn #name<'r, 'a, #(#params),*>(req: &'r #krate::Request<'a>, next: #krate::Next<'r, 'a>) -> #krate::NextFuture<'r, 'a> #where_clause {
            #[allow(clippy::needless_lifetimes)]
            #inner
            #body
        }
    })
}
