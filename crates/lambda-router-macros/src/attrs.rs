//! The attributes both derives read: constraints (`gt`, `ge`, `lt`, `le`, `min_length`,
//! `max_length`), `default`, the external name and a description; and what they become in the
//! generated code.

use proc_macro2::TokenStream;
use quote::quote;
use syn::visit_mut::VisitMut;
use syn::{Attribute, Expr, Lit, LitStr, Type};

/// What a field's attribute says.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) gt: Option<Expr>,
    pub(crate) ge: Option<Expr>,
    pub(crate) lt: Option<Expr>,
    pub(crate) le: Option<Expr>,
    pub(crate) min_length: Option<Expr>,
    pub(crate) max_length: Option<Expr>,
    pub(crate) pattern: Option<LitStr>,
    /// `Some(None)`: `default` alone, the type's `Default`; `Some(Some(e))`: `default = e`.
    pub(crate) default: Option<Option<Expr>>,
    pub(crate) name: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
}

impl FieldAttrs {
    /// Reads every `#[<kind>(...)]` of `attrs` (`kind` alone, without a list, is allowed).
    pub(crate) fn read(attrs: &[Attribute], kind: &str) -> syn::Result<FieldAttrs> {
        let mut out = FieldAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident(kind)) {
            if matches!(attr.meta, syn::Meta::Path(_)) {
                continue;
            }
            attr.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                let slot = match key.as_str() {
                    "gt" => &mut out.gt,
                    "ge" => &mut out.ge,
                    "lt" => &mut out.lt,
                    "le" => &mut out.le,
                    "min_length" => &mut out.min_length,
                    "max_length" => &mut out.max_length,
                    "default" => {
                        out.default = Some(if meta.input.peek(syn::Token![=]) { Some(meta.value()?.parse()?) } else { None });
                        return Ok(());
                    }
                    "name" | "rename" => {
                        out.name = Some(meta.value()?.parse()?);
                        return Ok(());
                    }
                    "description" => {
                        out.description = Some(meta.value()?.parse()?);
                        return Ok(());
                    }
                    "pattern" => {
                        let pattern: LitStr = meta.value()?.parse()?;
                        // The syntax of the `regex` crate, which pydantic-core matches with: a
                        // pattern it would refuse fails the build here.
                        if let Err(err) = regex_syntax::Parser::new().parse(&pattern.value()) {
                            return Err(syn::Error::new_spanned(&pattern, format!("invalid pattern: {err}")));
                        }
                        out.pattern = Some(pattern);
                        return Ok(());
                    }
                    _ => {
                        return Err(meta.error(format!(
                            "unknown `{key}`: expected gt, ge, lt, le, min_length, max_length, pattern, default, name or description"
                        )));
                    }
                };
                *slot = Some(meta.value()?.parse()?);
                Ok(())
            })?;
        }
        for (bound, label) in [(&out.gt, "gt"), (&out.ge, "ge"), (&out.lt, "lt"), (&out.le, "le")] {
            if let Some(expr) = bound {
                check_number(expr, label)?;
            }
        }
        Ok(out)
    }

    /// The `Constraints` value, as a constant expression: `Constraints::NONE` and a builder
    /// call per constraint. A bound written as an integer literal is an exact integer bound,
    /// one written as a float literal a number bound (refused at compile time unless finite);
    /// any other expression is an integer bound on an integer field, a number bound otherwise.
    pub(crate) fn constraints(&self, krate: &TokenStream, ty: &Type) -> TokenStream {
        let integer_field = is_integer_type(ty);
        let bound = |e: &Expr| match literal_number(e) {
            Some(Lit::Int(_)) => quote!(#krate::validate::Bound::int(#e)),
            Some(_) => quote!(#krate::validate::Bound::float(#e)),
            None if integer_field => quote!(#krate::validate::Bound::int((#e) as i128)),
            None => quote!(#krate::validate::Bound::float((#e) as f64)),
        };
        let mut out = quote!(#krate::validate::Constraints::NONE);
        for (name, value) in [("gt", &self.gt), ("ge", &self.ge), ("lt", &self.lt), ("le", &self.le)] {
            if let Some(e) = value {
                let method = syn::Ident::new(name, proc_macro2::Span::call_site());
                let bound = bound(e);
                out = quote!(#out.#method(#bound));
            }
        }
        for (name, value) in [("min_length", &self.min_length), ("max_length", &self.max_length)] {
            if let Some(e) = value {
                let method = syn::Ident::new(name, proc_macro2::Span::call_site());
                out = quote!(#out.#method(#e));
            }
        }
        if let Some(pattern) = &self.pattern {
            out = quote!(#out.pattern({
                fn matches(text: &str) -> bool {
                    static COMPILED: ::std::sync::OnceLock<::core::option::Option<#krate::__private::Regex>> =
                        ::std::sync::OnceLock::new();
                    #krate::__private::pattern_matches(&COMPILED, #pattern, text)
                }
                const PATTERN: &#krate::validate::Pattern = &#krate::validate::Pattern::new(#pattern, matches);
                PATTERN
            }));
        }
        out
    }

    /// A `fn() -> T` giving the default, as an expression (`None` without a default).
    pub(crate) fn default_fn(&self, ty: &Type) -> TokenStream {
        match &self.default {
            None => quote!(::core::option::Option::None),
            Some(None) => quote!(::core::option::Option::Some(|| <#ty as ::core::default::Default>::default())),
            Some(Some(e)) => quote!(::core::option::Option::Some(|| -> #ty { #e })),
        }
    }

    /// The default as JSON, for the schema: `None`, or a `fn` writing it (through serde).
    pub(crate) fn default_doc(&self, krate: &TokenStream, ty: &Type) -> TokenStream {
        if self.default.is_none() {
            return quote!(::core::option::Option::None);
        }
        let static_ty = with_static_lifetimes(ty);
        let value = self.default_fn(&static_ty);
        let value = quote!({ let make: ::core::option::Option<fn() -> #static_ty> = #value; make });
        quote!(::core::option::Option::Some(|| #krate::__private::default_json(#value)))
    }

    /// The field's `FieldSchema` (what the OpenAPI document reads), as a constant expression.
    pub(crate) fn schema(
        &self,
        krate: &TokenStream,
        name: &str,
        ty: &Type,
        description: Option<String>,
    ) -> TokenStream {
        let static_ty = with_static_lifetimes(ty);
        let constraints = self.constraints(krate, ty);
        let has_default = self.default.is_some();
        let default_doc = self.default_doc(krate, ty);
        let description = match description {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            #krate::validate::FieldSchema {
                name: #name,
                schema: <#static_ty as #krate::validate::Value<'static>>::SCHEMA,
                constraints: #constraints,
                required: !(#has_default || <#static_ty as #krate::validate::Value<'static>>::OPTIONAL),
                default: #default_doc,
                description: #description,
            }
        }
    }
}

/// The number literal `expr` is (with its sign), if it is one.
fn literal_number(expr: &Expr) -> Option<&Lit> {
    let literal = match expr {
        Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => &**expr,
        other => other,
    };
    match literal {
        Expr::Lit(syn::ExprLit { lit: lit @ (Lit::Int(_) | Lit::Float(_)), .. }) => Some(lit),
        _ => None,
    }
}

/// Whether `ty` is an integer type, or an `Option` or list of one.
fn is_integer_type(ty: &Type) -> bool {
    const INTEGERS: [&str; 12] =
        ["i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize"];
    match ty {
        Type::Path(path) => path.path.segments.last().is_some_and(|last| {
            if INTEGERS.iter().any(|name| last.ident == name) {
                return true;
            }
            match &last.arguments {
                syn::PathArguments::AngleBracketed(args) if last.ident == "Option" => args
                    .args
                    .iter()
                    .any(|arg| matches!(arg, syn::GenericArgument::Type(inner) if is_integer_type(inner))),
                _ => false,
            }
        }),
        Type::Reference(reference) => is_integer_type(&reference.elem),
        Type::Slice(slice) => is_integer_type(&slice.elem),
        Type::Paren(inner) => is_integer_type(&inner.elem),
        _ => false,
    }
}

fn check_number(expr: &Expr, label: &str) -> syn::Result<()> {
    let literal = match expr {
        Expr::Unary(syn::ExprUnary { op: syn::UnOp::Neg(_), expr, .. }) => &**expr,
        other => other,
    };
    match literal {
        Expr::Lit(syn::ExprLit { lit: Lit::Int(_) | Lit::Float(_), .. }) => Ok(()),
        Expr::Path(_) | Expr::Paren(_) => Ok(()),
        _ => Err(syn::Error::new_spanned(expr, format!("`{label}` must be a number"))),
    }
}

/// The doc comment of an item, joined, if any.
pub(crate) fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let text = lines.join(" ").trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// `ty` with every lifetime `'static`: the type as its schema names it, outside any request.
pub(crate) fn with_static_lifetimes(ty: &Type) -> Type {
    struct Statics;
    impl VisitMut for Statics {
        fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
            *lifetime = syn::Lifetime::new("'static", lifetime.span());
        }
        fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
            if reference.lifetime.is_none() {
                reference.lifetime = Some(syn::Lifetime::new("'static", proc_macro2::Span::call_site()));
            }
            syn::visit_mut::visit_type_reference_mut(self, reference);
        }
    }
    let mut ty = ty.clone();
    Statics.visit_type_mut(&mut ty);
    ty
}

/// The field's name without a raw-identifier prefix (`r#type` → `type`).
pub(crate) fn plain_name(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_string).unwrap_or(name)
}

/// The crate the generated code names.
pub(crate) fn krate() -> TokenStream {
    quote!(::lambda_router)
}
