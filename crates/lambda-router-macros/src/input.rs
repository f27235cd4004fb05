//! `#[derive(Input)]`: a route's inputs. Each field is read from where its attribute says:
//! `#[param]` (a path parameter), `#[query]`, `#[header]` or `#[body]`, all of them before the handler runs, path
//! first, then query, headers and body (the reference's order of errors).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, Lifetime};

use crate::attrs::{FieldAttrs, krate, plain_name};
use crate::model::single_lifetime;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    Path,
    Query,
    Header,
    Cookie,
    /// A JSON body, a form field or a file: read from the body, in declaration order.
    Body,
    Form,
    File,
    /// A dependency: resolved last, once every other input validated.
    Depends,
}

const PLACES: [(&str, Place); 8] = [
    ("param", Place::Path),
    ("query", Place::Query),
    ("header", Place::Header),
    ("cookie", Place::Cookie),
    ("body", Place::Body),
    ("form", Place::Form),
    ("file", Place::File),
    ("depends", Place::Depends),
];

/// The order inputs are read (and their errors listed): path, query, headers, cookies, then the
/// body's (a JSON body, form fields and files, in declaration order), then dependencies.
fn order(place: Place) -> u8 {
    match place {
        Place::Path => 0,
        Place::Query => 1,
        Place::Header => 2,
        Place::Cookie => 3,
        Place::Body | Place::Form | Place::File => 4,
        Place::Depends => 5,
    }
}

pub(crate) fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let krate = krate();
    let lifetime = single_lifetime(input)?;
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(&input.ident, "an Input is a struct of named fields"));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(&input.ident, "an Input is a struct of named fields"));
    };
    let ident = &input.ident;
    let value_lt = lifetime.clone().unwrap_or_else(|| Lifetime::new("'__input", proc_macro2::Span::call_site()));
    let mut read: Vec<(Place, usize, TokenStream)> = Vec::new();
    let mut params = Vec::new();
    let mut body = quote!(::core::option::Option::None);
    let mut builds = Vec::new();
    let mut bodies = 0;
    for (index, field) in fields.named.iter().enumerate() {
        let field_ident = field.ident.as_ref().ok_or_else(|| syn::Error::new_spanned(field, "a named field"))?;
        let mut places = PLACES.iter().filter(|(name, _)| field.attrs.iter().any(|a| a.path().is_ident(name)));
        let Some(&(kind, place)) = places.next() else {
            return Err(syn::Error::new_spanned(
                field,
                "say where this input comes from: #[param] (the path), #[query], #[header], #[cookie], #[body], \
                 #[form], #[file], or #[depends(Dependency)]",
            ));
        };
        if places.next().is_some() {
            return Err(syn::Error::new_spanned(field, "an input comes from one place only"));
        }
        let ty = &field.ty;
        if place == Place::Depends {
            let attr = field.attrs.iter().find(|a| a.path().is_ident("depends")).expect("found above");
            let dependency: syn::Type = attr.parse_args().map_err(|_| {
                syn::Error::new_spanned(attr, "name the dependency: #[depends(Tenant)], a type implementing Dependency")
            })?;
            let local = format_ident!("__input_{}", index);
            read.push((place, index, quote!(let #local = cx.depends::<#dependency>(req);)));
            builds.push(quote!(#field_ident: #local?,));
            continue;
        }
        let attrs = FieldAttrs::read(&field.attrs, kind)?;
        let name = match (place, &attrs.name) {
            (Place::Header, Some(name)) => name.value().to_ascii_lowercase(),
            (Place::Header, None) => plain_name(field_ident).replace('_', "-"),
            (_, Some(name)) => name.value(),
            (_, None) => plain_name(field_ident),
        };
        if place == Place::Path && (attrs.default.is_some() || attrs.name.is_some()) {
            return Err(syn::Error::new_spanned(
                field,
                "a path parameter is named by its field and always present: no `name`, no `default`",
            ));
        }
        let constraints = attrs.constraints(&krate, ty);
        let field_schema = attrs.schema(&krate, &name, ty, attrs.description.as_ref().map(syn::LitStr::value));
        let local = format_ident!("__input_{}", index);
        let default_fn = attrs.default_fn(ty);
        let constraints = quote!(&{ const C: #krate::validate::Constraints = #constraints; C });
        let reader = match place {
            Place::Body => {
                bodies += 1;
                if bodies > 1 {
                    return Err(syn::Error::new_spanned(field, "a route reads one #[body]"));
                }
                body = quote!(::core::option::Option::Some(#field_schema));
                quote!(let #local = cx.body::<#ty>(req, #constraints, #default_fn);)
            }
            _ => {
                let location = match place {
                    Place::Path => quote!(#krate::validate::Location::Path),
                    Place::Query => quote!(#krate::validate::Location::Query),
                    Place::Header => quote!(#krate::validate::Location::Header),
                    Place::Cookie => quote!(#krate::validate::Location::Cookie),
                    Place::Form => quote!(#krate::validate::Location::Form),
                    _ => quote!(#krate::validate::Location::File),
                };
                params.push((
                    place,
                    index,
                    quote!(#krate::validate::ParamSchema { location: #location, field: #field_schema }),
                ));
                quote!(let #local = cx.param::<#ty>(req, #location, #name, #constraints, #default_fn);)
            }
        };
        read.push((place, index, reader));
        builds.push(quote!(#field_ident: #local?,));
    }
    if bodies > 0 && read.iter().any(|(place, ..)| matches!(place, Place::Form | Place::File)) {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "a route reads its body as one JSON #[body], or as #[form] fields and #[file]s, not both",
        ));
    }
    read.sort_by_key(|(place, index, _)| (order(*place), *index));
    params.sort_by_key(|(place, index, _)| (order(*place), *index));
    let reads = read.into_iter().map(|(_, _, tokens)| tokens);
    let params = params.into_iter().map(|(_, _, tokens)| tokens);
    let (impl_generics, self_ty, value_ty) = match &lifetime {
        Some(l) => (quote!(<'__any>), quote!(#ident<'__any>), quote!(#ident<#l>)),
        None => (quote!(), quote!(#ident), quote!(#ident)),
    };
    Ok(quote! {
        impl #impl_generics #krate::validate::Input for #self_ty {
            type Value<#value_lt> = #value_ty;

            const SCHEMA: &'static #krate::validate::InputSchema = &#krate::validate::InputSchema {
                params: &[#(#params),*],
                body: #body,
            };

            fn extract<#value_lt>(
                req: &#krate::Request<#value_lt>,
                cx: &mut #krate::__private::Validation<#value_lt>,
            ) -> ::core::option::Option<#value_ty> {
                let _ = &req;
                #(#reads)*
                ::core::option::Option::Some(#ident { #(#builds)* })
            }
        }
    })
}
