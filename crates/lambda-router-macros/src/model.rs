//! `#[derive(Model)]`: a struct becomes a JSON body model (read field by field in declaration
//! order, every error kept, defaults filled; its schema; its serialization, every field in
//! order), a fieldless enum a set of literal strings.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, Lifetime, Lit};

use crate::attrs::{FieldAttrs, doc_comment, krate, plain_name};

pub(crate) fn derive(input: &DeriveInput) -> syn::Result<TokenStream> {
    let lifetime = single_lifetime(input)?;
    match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(fields) => derive_struct(input, lifetime, fields),
            _ => Err(syn::Error::new_spanned(&input.ident, "a Model struct needs named fields")),
        },
        Data::Enum(data) => derive_enum(input, lifetime, data),
        Data::Union(_) => Err(syn::Error::new_spanned(&input.ident, "a Model is a struct or a fieldless enum")),
    }
}

/// The type's one lifetime parameter, if any; type and const parameters are not supported.
pub(crate) fn single_lifetime(input: &DeriveInput) -> syn::Result<Option<Lifetime>> {
    let generics = &input.generics;
    if generics.type_params().next().is_some() || generics.const_params().next().is_some() {
        return Err(syn::Error::new_spanned(
            generics,
            "typed inputs take at most one lifetime parameter, no type parameters",
        ));
    }
    let mut lifetimes = generics.lifetimes();
    let first = lifetimes.next().map(|l| l.lifetime.clone());
    if lifetimes.next().is_some() {
        return Err(syn::Error::new_spanned(generics, "typed inputs take at most one lifetime parameter"));
    }
    Ok(first)
}

fn derive_struct(
    input: &DeriveInput,
    lifetime: Option<Lifetime>,
    fields: &syn::FieldsNamed,
) -> syn::Result<TokenStream> {
    let krate = krate();
    let ident = &input.ident;
    let name = ident.to_string();
    let description = match doc_comment(&input.attrs) {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let lt = lifetime.clone().unwrap_or_else(|| Lifetime::new("'__model", proc_macro2::Span::call_site()));
    let self_ty = match &lifetime {
        Some(l) => quote!(#ident<#l>),
        None => quote!(#ident),
    };
    let serialize_generics = match &lifetime {
        Some(l) => quote!(<#l>),
        None => quote!(),
    };
    let count = fields.named.len();
    let response = response_model(&krate, ident, lifetime.is_some());
    let mut schemas = Vec::new();
    let mut matches = Vec::new();
    let mut reads = Vec::new();
    let mut builds = Vec::new();
    let mut serializes = Vec::new();
    let mut checks = Vec::new();
    let mut field_types = Vec::new();
    for (index, field) in fields.named.iter().enumerate() {
        let field_ident = field.ident.as_ref().ok_or_else(|| syn::Error::new_spanned(field, "a named field"))?;
        let attrs = FieldAttrs::read(&field.attrs, "field")?;
        let key = attrs.name.as_ref().map_or_else(|| plain_name(field_ident), syn::LitStr::value);
        let ty = &field.ty;
        let constraints = attrs.constraints(&krate, ty);
        let description = attrs.description.as_ref().map(syn::LitStr::value).or_else(|| doc_comment(&field.attrs));
        schemas.push(attrs.schema(&krate, &key, ty, description));
        matches.push(quote!(#key => slots[#index] = ::core::option::Option::Some(value),));
        // The field's constraints, made at compile time: read with, and checked against.
        let constraints = quote!(&{ const C: #krate::validate::Constraints = #constraints; C });
        let local = format_ident!("__field_{}", index);
        let default_fn = attrs.default_fn(ty);
        reads.push(quote! {
            let #local = cx.field::<#ty>(#key, slots[#index], #constraints, #default_fn);
        });
        builds.push(quote!(#field_ident: #local?,));
        checks.push(quote! {
            && #krate::validate::Value::satisfies(&self.#field_ident, #constraints)
        });
        field_types.push(ty.clone());
        serializes.push(quote!(state.serialize_field(#key, &self.#field_ident)?;));
    }
    Ok(quote! {
        impl<#lt> #krate::validate::Value<#lt> for #self_ty {
            const SCHEMA: &'static #krate::validate::Schema = &#krate::validate::Schema::Model(&#krate::validate::ModelSchema {
                name: #name,
                description: #description,
                fields: &[#(#schemas),*],
            });

            fn from_json(
                json: #krate::__private::Json<'_, #lt>,
                _: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<#lt>,
            ) -> ::core::option::Option<Self> {
                if !::core::matches!(json.kind(), #krate::__private::JsonKind::Object(_)) {
                    cx.error(#krate::validate::ErrorType::ModelAttributesType);
                    return ::core::option::Option::None;
                }
                // The last of duplicate keys wins, as in the reference's `json.loads`.
                let mut slots: [::core::option::Option<#krate::__private::Json<'_, #lt>>; #count] = [::core::option::Option::None; #count];
                for (key, value) in json.members() {
                    match key {
                        #(#matches)*
                        _ => {}
                    }
                }
                #(#reads)*
                ::core::option::Option::Some(Self { #(#builds)* })
            }

            const CHECKS_AS_VALUE: bool = true #(&& <#field_types as #krate::validate::Value<#lt>>::CHECKS_AS_VALUE)*;

            fn satisfies(&self, _: &#krate::validate::Constraints) -> bool {
                true #(#checks)*
            }

            fn from_text(
                _: &#lt str,
                _: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<#lt>,
            ) -> ::core::option::Option<Self> {
                cx.error(#krate::validate::ErrorType::ModelAttributesType);
                ::core::option::Option::None
            }
        }

        impl #serialize_generics #krate::__private::serde::Serialize for #self_ty {
            fn serialize<S: #krate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                use #krate::__private::serde::ser::SerializeStruct;
                let mut state = serializer.serialize_struct(#name, #count)?;
                #(#serializes)*
                state.end()
            }
        }

        #response
    })
}

/// `#[model(literal)]` on an enum: a `Literal[...]` rather than an `Enum`.
fn is_literal(input: &DeriveInput) -> syn::Result<bool> {
    let mut literal = false;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("literal") {
                literal = true;
                Ok(())
            } else {
                Err(meta.error("expected `literal`"))
            }
        })?;
    }
    Ok(literal)
}

fn derive_enum(input: &DeriveInput, lifetime: Option<Lifetime>, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    let unit = data.variants.iter().all(|v| matches!(v.fields, Fields::Unit));
    let union = data.variants.iter().all(|v| matches!(&v.fields, Fields::Unnamed(f) if f.unnamed.len() == 1));
    if data.variants.is_empty() || !(unit || union) {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "a Model enum is either a set of values (unit variants: strings, or integers with `= N`) or a union \
             of types (one field per variant: `Int(i64), Str(&'a str)`)",
        ));
    }
    if union {
        return derive_union(input, lifetime, data);
    }
    if lifetime.is_some() {
        return Err(syn::Error::new_spanned(&input.generics, "an enum of values takes no lifetime"));
    }
    let with_numbers = data.variants.iter().filter(|v| v.discriminant.is_some()).count();
    match with_numbers {
        0 => derive_string_enum(input, data, is_literal(input)?),
        n if n == data.variants.len() => derive_int_literal(input, data),
        _ => Err(syn::Error::new_spanned(&input.ident, "give every variant its integer (`= N`), or none")),
    }
}

/// A string `Enum` (error `enum`, a component schema) or, with `#[model(literal)]`, a string
/// `Literal` (error `literal_error`, inline).
fn derive_string_enum(input: &DeriveInput, data: &syn::DataEnum, literal: bool) -> syn::Result<TokenStream> {
    let krate = krate();
    let ident = &input.ident;
    let response = response_model(&krate, ident, false);
    let mut values = Vec::new();
    let mut parses = Vec::new();
    let mut writes = Vec::new();
    for variant in &data.variants {
        let attrs = FieldAttrs::read(&variant.attrs, "field")?;
        let value = attrs.name.as_ref().map_or_else(|| snake_case(&variant.ident.to_string()), syn::LitStr::value);
        let name = &variant.ident;
        values.push(value.clone());
        parses.push(quote!(#value => ::core::option::Option::Some(#ident::#name),));
        writes.push(quote!(#ident::#name => #value,));
    }
    let name = ident.to_string();
    let description = match doc_comment(&input.attrs) {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let (schema, error) = if literal {
        (quote!(#krate::validate::Schema::Literal(&[#(#values),*])), quote!(#krate::validate::ErrorType::LiteralError))
    } else {
        (
            quote!(#krate::validate::Schema::Enum { name: #name, values: &[#(#values),*], description: #description }),
            quote!(#krate::validate::ErrorType::Enum),
        )
    };
    Ok(quote! {
        impl<'__model> #krate::validate::Value<'__model> for #ident {
            const SCHEMA: &'static #krate::validate::Schema = &#schema;

            fn exactness(json: #krate::__private::Json<'_, '__model>) -> #krate::validate::Exactness {
                match json.kind() {
                    #krate::__private::JsonKind::Str(_) => #krate::validate::Exactness::Exact,
                    _ => #krate::validate::Exactness::Lax,
                }
            }

            fn from_json(
                json: #krate::__private::Json<'_, '__model>,
                constraints: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<'__model>,
            ) -> ::core::option::Option<Self> {
                match json.kind() {
                    #krate::__private::JsonKind::Str(_) if json.has_lone_surrogate() => {
                        cx.error(#krate::validate::ErrorType::StringUnicode);
                        ::core::option::Option::None
                    }
                    #krate::__private::JsonKind::Str(text) => Self::from_text(text, constraints, cx),
                    _ => {
                        cx.error(#error);
                        ::core::option::Option::None
                    }
                }
            }

            fn from_text(
                text: &'__model str,
                _: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<'__model>,
            ) -> ::core::option::Option<Self> {
                let found = match text {
                    #(#parses)*
                    _ => ::core::option::Option::None,
                };
                if found.is_none() {
                    cx.error(#error);
                }
                found
            }

            const CHECKS_AS_VALUE: bool = true;

            fn satisfies(&self, _: &#krate::validate::Constraints) -> bool {
                true
            }
        }

        impl #krate::__private::serde::Serialize for #ident {
            fn serialize<S: #krate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(match self { #(#writes)* })
            }
        }

        #response
    })
}

/// An integer `Literal[1, 2, 3]`: from JSON, only those integers; from text (a query string),
/// never, as the reference's strict literal refuses `"2"`.
fn derive_int_literal(input: &DeriveInput, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    let krate = krate();
    let ident = &input.ident;
    let response = response_model(&krate, ident, false);
    let mut values = Vec::new();
    let mut parses = Vec::new();
    let mut writes = Vec::new();
    for variant in &data.variants {
        let Some((_, expr)) = &variant.discriminant else { unreachable!("checked: every variant has one") };
        let value: i64 = match expr {
            syn::Expr::Lit(syn::ExprLit { lit: Lit::Int(int), .. }) => int.base10_parse()?,
            syn::Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => match &**expr {
                syn::Expr::Lit(syn::ExprLit { lit: Lit::Int(int), .. }) => -int.base10_parse::<i64>()?,
                other => return Err(syn::Error::new_spanned(other, "an integer literal")),
            },
            other => return Err(syn::Error::new_spanned(other, "an integer literal")),
        };
        let name = &variant.ident;
        values.push(value);
        parses.push(quote!(#value => ::core::option::Option::Some(#ident::#name),));
        writes.push(quote!(#ident::#name => #value,));
    }
    Ok(quote! {
        impl<'__model> #krate::validate::Value<'__model> for #ident {
            const SCHEMA: &'static #krate::validate::Schema = &#krate::validate::Schema::IntLiteral(&[#(#values),*]);

            fn exactness(json: #krate::__private::Json<'_, '__model>) -> #krate::validate::Exactness {
                match json.kind() {
                    #krate::__private::JsonKind::Int(_) => #krate::validate::Exactness::Exact,
                    _ => #krate::validate::Exactness::Lax,
                }
            }

            fn from_json(
                json: #krate::__private::Json<'_, '__model>,
                _: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<'__model>,
            ) -> ::core::option::Option<Self> {
                let found = match #krate::__private::int_literal_key(json) {
                    ::core::result::Result::Ok(::core::option::Option::Some(value)) => match value {
                        #(#parses)*
                        _ => ::core::option::Option::None,
                    },
                    ::core::result::Result::Ok(::core::option::Option::None) => ::core::option::Option::None,
                    ::core::result::Result::Err(error) => {
                        cx.error(error);
                        return ::core::option::Option::None;
                    }
                };
                if found.is_none() {
                    cx.error(#krate::validate::ErrorType::LiteralError);
                }
                found
            }

            fn from_text(
                _: &'__model str,
                _: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<'__model>,
            ) -> ::core::option::Option<Self> {
                cx.error(#krate::validate::ErrorType::LiteralError);
                ::core::option::Option::None
            }

            const CHECKS_AS_VALUE: bool = true;

            fn satisfies(&self, _: &#krate::validate::Constraints) -> bool {
                true
            }
        }

        impl #krate::__private::serde::Serialize for #ident {
            fn serialize<S: #krate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(match self { #(#writes)* })
            }
        }

        #response
    })
}

/// A union of types, one per variant, read as pydantic's smart union reads one: the first
/// member the value fits exactly wins; else the best fit that validates (the first of
/// equals); else every member's errors, each under the member's name (`int`, `str`, a
/// model's name, or the variant's `#[field(name = "..")]`).
fn derive_union(input: &DeriveInput, lifetime: Option<Lifetime>, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    let krate = krate();
    let ident = &input.ident;
    let response = response_model(&krate, ident, lifetime.is_some());
    let lt = lifetime.clone().unwrap_or_else(|| Lifetime::new("'__model", proc_macro2::Span::call_site()));
    let self_ty = match &lifetime {
        Some(l) => quote!(#ident<#l>),
        None => quote!(#ident),
    };
    let serialize_generics = match &lifetime {
        Some(l) => quote!(<#l>),
        None => quote!(),
    };
    let mut schemas = Vec::new();
    let mut json_tries = Vec::new();
    let mut text_tries = Vec::new();
    let mut writes = Vec::new();
    for variant in &data.variants {
        let Fields::Unnamed(fields) = &variant.fields else { unreachable!("checked: one field each") };
        let ty = &fields.unnamed[0].ty;
        let name = &variant.ident;
        let attrs = FieldAttrs::read(&variant.attrs, "field")?;
        let label = match &attrs.name {
            Some(name) => quote!(::core::option::Option::Some(#name)),
            None => quote!(::core::option::Option::None),
        };
        schemas.push(quote!(<#ty as #krate::validate::Value<#lt>>::SCHEMA));
        json_tries.push(quote! {
            {
                let label = #krate::__private::union_label(<#ty as #krate::validate::Value<#lt>>::SCHEMA, #label);
                let exactness = <#ty as #krate::validate::Value<#lt>>::exactness(json);
                let read = cx.at(#krate::validate::LocPart::Key(label), |cx| {
                    <#ty as #krate::validate::Value<#lt>>::from_json(json, &#krate::validate::Constraints::NONE, cx)
                });
                if let ::core::option::Option::Some(value) = read {
                    if exactness == #krate::validate::Exactness::Exact {
                        cx.truncate_errors(start);
                        return ::core::option::Option::Some(#ident::#name(value));
                    }
                    if best.as_ref().is_none_or(|(best, _)| *best < exactness) {
                        best = ::core::option::Option::Some((exactness, #ident::#name(value)));
                    }
                }
            }
        });
        text_tries.push(quote! {
            {
                let label = #krate::__private::union_label(<#ty as #krate::validate::Value<#lt>>::SCHEMA, #label);
                let read = cx.at(#krate::validate::LocPart::Key(label), |cx| {
                    <#ty as #krate::validate::Value<#lt>>::from_text(text, &#krate::validate::Constraints::NONE, cx)
                });
                if let ::core::option::Option::Some(value) = read {
                    cx.truncate_errors(start);
                    return ::core::option::Option::Some(#ident::#name(value));
                }
            }
        });
        writes.push(quote!(#ident::#name(value) => #krate::__private::serde::Serialize::serialize(value, serializer),));
    }
    Ok(quote! {
        impl<#lt> #krate::validate::Value<#lt> for #self_ty {
            const SCHEMA: &'static #krate::validate::Schema = &#krate::validate::Schema::Union(&[#(#schemas),*]);

            fn from_json(
                json: #krate::__private::Json<'_, #lt>,
                _: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<#lt>,
            ) -> ::core::option::Option<Self> {
                let start = cx.errors().len();
                let mut best: ::core::option::Option<(#krate::validate::Exactness, Self)> = ::core::option::Option::None;
                #(#json_tries)*
                let (_, value) = best?;
                cx.truncate_errors(start);
                ::core::option::Option::Some(value)
            }

            fn from_text(
                text: &#lt str,
                _: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<#lt>,
            ) -> ::core::option::Option<Self> {
                let start = cx.errors().len();
                #(#text_tries)*
                ::core::option::Option::None
            }
        }

        impl #serialize_generics #krate::__private::serde::Serialize for #self_ty {
            fn serialize<S: #krate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                match self { #(#writes)* }
            }
        }

        #response
    })
}

/// `impl ResponseModel`: the type (its lifetime, if any, `'static`) as a route's response model,
/// checked with its own `Value` impl at any lifetime.
fn response_model(krate: &TokenStream, ident: &syn::Ident, has_lifetime: bool) -> TokenStream {
    let (static_ty, at_a) =
        if has_lifetime { (quote!(#ident<'static>), quote!(#ident<'__a>)) } else { (quote!(#ident), quote!(#ident)) };
    quote! {
        impl #krate::validate::ResponseModel for #static_ty {
            type Value<'__a> = #at_a;
        }
    }
}

/// `HighPriority` → `high_priority`.
fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
