//! Response validation: a route that declares the model it answers with has each successful
//! answer's JSON checked against it, as the reference checks what a handler returns against its
//! return annotation, and documented with it.

use std::any::TypeId;

use super::{Constraints, Json, LocPart, Schema, Validation, Value};
use crate::error::Error;
use crate::request::Request;
use crate::response::{Body, Response};

/// A type a route answers with: its schema (for the document), and how an answer's JSON is
/// read into it and written back (the reference answers with the model's serialization of
/// what the handler returned: unknown fields dropped, lax values made exact). Implemented by
/// [`Model`](macro@super::Model) for models and enums (the type with its lifetime `'static`),
/// and for lists and options of those.
pub trait ResponseModel: 'static {
    /// The type at the lifetime of an invocation.
    type Value<'a>: Value<'a> + serde::Serialize;
}

impl<T: ResponseModel> ResponseModel for &'static [T] {
    type Value<'a> = &'a [T::Value<'a>];
}

impl<T: ResponseModel> ResponseModel for Option<T> {
    type Value<'a> = Option<T::Value<'a>>;
}

macro_rules! scalar_models {
    ($($ty:ty),*) => {$(
        impl ResponseModel for $ty {
            type Value<'a> = $ty;
        }
    )*};
}

scalar_models!(i64, i32, u32, u64, f64, bool, super::Uuid, super::Date, super::DateTime);

impl ResponseModel for &'static str {
    type Value<'a> = &'a str;
}

/// Reads `json` as `T` and writes it back, into the arena (the workspace's JSON buffers hold
/// the tape `json` is read from). `size` is the length of the text `json` was parsed from: the
/// model's JSON is about as long, and the space reserved for it once is not copied as it grows.
fn rewrite<'t, 'a, T: ResponseModel>(
    json: Json<'t, 'a>,
    size: usize,
    cx: &mut Validation<'a>,
    req: &Request<'a>,
) -> Option<&'a str> {
    let value = <T::Value<'a> as Value<'a>>::from_json(json, &Constraints::NONE, cx)?;
    let mut out = ArenaWriter(bumpalo::collections::Vec::with_capacity_in(size + size / 8 + 16, req.arena));
    serde_json::to_writer(&mut out, &value).ok()?;
    // serde_json writes UTF-8 only.
    std::str::from_utf8(out.0.into_bump_slice()).ok()
}

/// `io::Write` into the invocation's arena.
struct ArenaWriter<'a>(bumpalo::collections::Vec<'a, u8>);

impl std::io::Write for ArenaWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A route's response model, as its `const` table stores it.
#[derive(Clone, Copy)]
pub struct ResponseSpec {
    pub(crate) schema: &'static Schema,
    /// The model's type: what an answer checked as a typed value is marked with (a `fn`, as
    /// `TypeId::of` is `const` only from Rust 1.91).
    model: fn() -> TypeId,
    rewrite: for<'t, 'a> fn(Json<'t, 'a>, usize, &mut Validation<'a>, &Request<'a>) -> Option<&'a str>,
}

impl std::fmt::Debug for ResponseSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseSpec").field("schema", &self.schema).finish_non_exhaustive()
    }
}

/// The response model of `T`, made at compile time.
pub(crate) struct ResponseOf<T>(std::marker::PhantomData<T>);

impl<T: ResponseModel> ResponseOf<T> {
    pub(crate) const SPEC: &'static ResponseSpec = &ResponseSpec {
        schema: <T::Value<'static> as Value<'static>>::SCHEMA,
        model: TypeId::of::<T>,
        rewrite: rewrite::<T>,
    };
}

/// A `#[handler]`'s typed answer `value` of the response model `T`: its JSON, as
/// [`Request::json_response`] writes it. When `T` [checks as a value](Value::CHECKS_AS_VALUE),
/// the app has no serializer of its own, and `value` satisfies `T`, the answer is marked so:
/// validating it against `T` then keeps it as it is, which is what re-reading and re-writing its
/// JSON would give, without doing either. Otherwise it is re-read as any answer is.
pub fn model_response<'a, T: ResponseModel>(req: &Request<'a>, value: &T::Value<'a>) -> Result<Response<'a>, Error> {
    let response = req.json_response(value)?;
    let checks =
        <T::Value<'a> as Value<'a>>::CHECKS_AS_VALUE && req.serializer.is_none() && value.satisfies(&Constraints::NONE);
    Ok(if checks { response.checked_as(TypeId::of::<T>()) } else { response })
}

impl ResponseSpec {
    /// Checks a successful response's JSON body against the model and answers with the model's
    /// JSON. `Err` is the `ResponseValidationError` (answered with `status`), every problem under
    /// `response`.
    pub(crate) fn validate<'a>(
        &self,
        req: &Request<'a>,
        response: Response<'a>,
        status: Option<u16>,
    ) -> Result<Response<'a>, Error> {
        if response.checked() == Some((self.model)()) {
            return Ok(response);
        }
        let mut cx = Validation::new(req);
        let text = match response.body() {
            Body::Text(text) => text,
            Body::Empty => "",
            _ => {
                // Bytes are no JSON the model could describe.
                cx.at(LocPart::Key("response"), |cx| cx.error(super::ErrorType::ModelAttributesType));
                return Err(cx.response_error(req, status));
            }
        };
        let mut rewritten = None;
        cx.at(LocPart::Key("response"), |cx| {
            cx.json_text(req, text, |json, cx| {
                rewritten = (self.rewrite)(json, text.len(), cx, req);
                rewritten.is_some()
            })
        });
        match rewritten {
            Some(body) if cx.errors().is_empty() => Ok(response.with_body(Body::Text(body))),
            _ => Err(cx.response_error(req, status)),
        }
    }
}
