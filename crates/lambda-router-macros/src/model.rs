//! `#[derive(Model)]`: a struct becomes a JSON body model (read field by field in declaration
//! order, every error kept, defaults filled; its schema; its serialization, every field in
//! order), a fieldless enum a set of literal strings.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Data, DeriveInput, Fields, Lifetime};

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
    let mut schemas = Vec::new();
    let mut matches = Vec::new();
    let mut reads = Vec::new();
    let mut builds = Vec::new();
    let mut serializes = Vec::new();
    for (index, field) in fields.named.iter().enumerate() {
        let field_ident = field.ident.as_ref().ok_or_else(|| syn::Error::new_spanned(field, "a named field"))?;
        let attrs = FieldAttrs::read(&field.attrs, "field")?;
        let key = attrs.name.as_ref().map_or_else(|| plain_name(field_ident), syn::LitStr::value);
        let ty = &field.ty;
        let constraints = attrs.constraints(&krate, ty);
        let description = attrs.description.as_ref().map(syn::LitStr::value).or_else(|| doc_comment(&field.attrs));
        schemas.push(attrs.schema(&krate, &key, ty, description));
        matches.push(quote!(#key => slots[#index] = ::core::option::Option::Some(value),));
        let local = format_ident!("__field_{}", index);
        let default_fn = attrs.default_fn(ty);
        reads.push(quote! {
            let #local = cx.field::<#ty>(#key, slots[#index], &{ const C: #krate::validate::Constraints = #constraints; C }, #default_fn);
        });
        builds.push(quote!(#field_ident: #local?,));
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
    })
}

fn derive_enum(input: &DeriveInput, lifetime: Option<Lifetime>, data: &syn::DataEnum) -> syn::Result<TokenStream> {
    if lifetime.is_some() {
        return Err(syn::Error::new_spanned(&input.generics, "a literal enum takes no lifetime"));
    }
    let krate = krate();
    let ident = &input.ident;
    let mut literals = Vec::new();
    let mut parses = Vec::new();
    let mut writes = Vec::new();
    for variant in &data.variants {
        if !matches!(variant.fields, Fields::Unit) {
            return Err(syn::Error::new_spanned(
                variant,
                "a Model enum is a set of literal strings: unit variants only",
            ));
        }
        let attrs = FieldAttrs::read(&variant.attrs, "field")?;
        let literal = attrs.name.as_ref().map_or_else(|| snake_case(&variant.ident.to_string()), syn::LitStr::value);
        let name = &variant.ident;
        literals.push(literal.clone());
        parses.push(quote!(#literal => ::core::option::Option::Some(#ident::#name),));
        writes.push(quote!(#ident::#name => #literal,));
    }
    Ok(quote! {
        impl<'__model> #krate::validate::Value<'__model> for #ident {
            const SCHEMA: &'static #krate::validate::Schema = &#krate::validate::Schema::Literal(&[#(#literals),*]);

            fn from_json(
                json: #krate::__private::Json<'_, '__model>,
                constraints: &#krate::validate::Constraints,
                cx: &mut #krate::__private::Validation<'__model>,
            ) -> ::core::option::Option<Self> {
                match json.kind() {
                    #krate::__private::JsonKind::Str(text) => Self::from_text(text, constraints, cx),
                    _ => {
                        cx.error(#krate::validate::ErrorType::LiteralError);
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
                    cx.error(#krate::validate::ErrorType::LiteralError);
                }
                found
            }
        }

        impl #krate::__private::serde::Serialize for #ident {
            fn serialize<S: #krate::__private::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(match self { #(#writes)* })
            }
        }
    })
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
