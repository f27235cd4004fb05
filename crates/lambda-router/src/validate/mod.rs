//! Typed routes: a route's inputs declared once, as Rust types, and from that one declaration
//! their parsing, their validation (the reference's 422, every error located) and their OpenAPI
//! schema.
//!
//! - [`Model`](macro@Model) derives a JSON body model: a struct of named fields, or a
//!   fieldless enum of literal strings. Fields borrow from the event (`&'a str`, lists as
//!   `&'a [T]` in the invocation's arena): nothing is allocated on the heap.
//! - [`Input`](macro@Input) derives a route's inputs: fields marked `#[param]` (a path
//!   parameter), `#[query]`, `#[header]` or `#[body]`.
//! - A handler with typed inputs takes the request and the validated inputs, and is marked
//!   `#[handler]`; it is named in a route like any handler (`Route::post(pattern, handler)`).
//!   A path parameter that is not in the pattern is a compile error.
//!
//! Values are read the reference's (pydantic's lax) way: from text, `+7`, ` 7 `, `007`,
//! `1_000` and `3.0` are integers and `1.5` is not; a boolean is `true/false/1/0/yes/no/on/off/
//! t/f/y/n` in any case; in a JSON body, a number given as a string is a number, `3.0` is an
//! integer, `2.5` for an integer is `int_from_float`, and a number is not a string.
//!
//! ```
//! use lambda_router::validate::{Input, Model};
//! use lambda_router::{Error, Request, Response, Route, handler};
//!
//! #[derive(Model)]
//! struct Item<'a> {
//!     #[field(min_length = 1, max_length = 16)]
//!     sku: &'a str,
//!     #[field(ge = 1, le = 1000)]
//!     qty: i64,
//! }
//!
//! #[derive(Input)]
//! struct AddItem<'a> {
//!     #[param]
//!     cart: i64,
//!     #[query(default = false)]
//!     dry_run: bool,
//!     #[body]
//!     item: Item<'a>,
//! }
//!
//! #[handler]
//! fn add_item<'a>(req: &Request<'a>, input: AddItem<'a>) -> Result<Response<'a>, Error> {
//!     let text = req.format(format_args!("cart {}: {} x {}", input.cart, input.item.qty, input.item.sku));
//!     Ok(Response::text(200, text))
//! }
//!
//! const ROUTES: &[Route] = &[Route::post("/carts/<cart>/items", add_item)];
//! # let _ = ROUTES;
//! ```

pub(crate) mod check;
mod compound;
mod error;
mod form;
pub(crate) mod json;
mod number;
mod python;
pub(crate) mod response;
mod scalars;
mod schema;
mod temporal;

pub use check::{ErrorType, LocPart, Location, Problem};
pub(crate) use check::{FormValues, Texts, Validation};
#[doc(hidden)]
pub use compound::pattern_matches;
#[doc(hidden)]
pub use compound::union_label;
pub use compound::{Exactness, Map, Pattern};
pub use error::{RequestValidationError, ResponseValidationError, UnsupportedContentType};
pub use form::FormValue;
pub use form::UploadFile;
pub(crate) use json::{Json, JsonKind};
pub use lambda_router_macros::{Input, Model};
pub use number::Bound;
pub(crate) use response::ResponseOf;
pub use response::{ResponseModel, ResponseSpec};
pub use schema::{FieldSchema, InputSchema, ModelSchema, ParamSchema, Schema};
pub use temporal::{Date, DateTime, Uuid};

use crate::event::Declared;
use crate::request::Request;

/// Constraints on a field or a parameter: pydantic's `Field(gt=.., ge=.., lt=.., le=..,
/// min_length=.., max_length=..)`. Lengths count characters for strings, elements for lists.
/// Made with the builder methods, in a `const` (the derives write them).
///
/// ```
/// use lambda_router::validate::{Bound, Constraints};
/// const QTY: Constraints = Constraints::NONE.ge(Bound::int(1)).le(Bound::int(1000));
/// assert_eq!(QTY.le, Some(Bound::int(1000)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct Constraints {
    /// Exclusive lower bound.
    pub gt: Option<Bound>,
    /// Inclusive lower bound.
    pub ge: Option<Bound>,
    /// Exclusive upper bound.
    pub lt: Option<Bound>,
    /// Inclusive upper bound.
    pub le: Option<Bound>,
    /// Fewest characters (strings) or elements (lists).
    pub min_length: Option<usize>,
    /// Most characters (strings) or elements (lists).
    pub max_length: Option<usize>,
    /// A regular expression a string must match (somewhere: pydantic's search, with the same
    /// `regex` crate pydantic-core uses).
    pub pattern: Option<&'static Pattern>,
}

impl Constraints {
    /// No constraint.
    pub const NONE: Constraints =
        Constraints { gt: None, ge: None, lt: None, le: None, min_length: None, max_length: None, pattern: None };

    /// An exclusive lower bound.
    pub const fn gt(mut self, bound: Bound) -> Constraints {
        self.gt = Some(bound);
        self
    }

    /// An inclusive lower bound.
    pub const fn ge(mut self, bound: Bound) -> Constraints {
        self.ge = Some(bound);
        self
    }

    /// An exclusive upper bound.
    pub const fn lt(mut self, bound: Bound) -> Constraints {
        self.lt = Some(bound);
        self
    }

    /// An inclusive upper bound.
    pub const fn le(mut self, bound: Bound) -> Constraints {
        self.le = Some(bound);
        self
    }

    /// The fewest characters or elements.
    pub const fn min_length(mut self, length: usize) -> Constraints {
        self.min_length = Some(length);
        self
    }

    /// The most characters or elements.
    pub const fn max_length(mut self, length: usize) -> Constraints {
        self.max_length = Some(length);
        self
    }

    /// A pattern strings must match.
    pub const fn pattern(mut self, pattern: &'static Pattern) -> Constraints {
        self.pattern = Some(pattern);
        self
    }

    /// The first bound `number` breaks, in pydantic's order.
    pub(crate) fn broken(&self, number: number::Number) -> Option<ErrorType> {
        number.broken(self.gt, self.ge, self.lt, self.le)
    }
}

/// A type a field or a parameter can have: read from a JSON value of a body, or from the text of
/// a path, query or header parameter, by the reference's rules. Implemented for `i64`, `i32`,
/// `u32`, `u64`, `f64`, `bool`, `&'a str`, `Option<T>`, `&'a [T]`, and by
/// [`Model`](macro@Model) for models and literal enums.
pub trait Value<'a>: Sized {
    /// The type's schema.
    const SCHEMA: &'static Schema;
    /// Whether an absent field or parameter is allowed without a default (`Option`).
    const OPTIONAL: bool = false;

    /// How well a JSON value fits the type before any coercion: what a union of types (an
    /// `enum` deriving `Model` with one field per variant) picks its member by, as pydantic's
    /// smart unions do. A value of the type's own JSON kind is exact.
    fn exactness(json: Json<'_, 'a>) -> Exactness {
        let _ = json;
        Exactness::Lax
    }

    /// Whether a value of the type, written as JSON and read back, is the same value, so that a
    /// handler's typed answer can be checked as it is ([`Value::satisfies`]) rather than written,
    /// re-read and written again. Not so for a union (its JSON may read as another member), a map
    /// (a repeated key collapses), dates and times (written in one of several forms): those are
    /// re-read, as is any type that does not say so.
    const CHECKS_AS_VALUE: bool = false;

    /// Whether the value meets `constraints` and its type's own rules, as reading its JSON would
    /// find. Asked only of a type whose [`CHECKS_AS_VALUE`](Value::CHECKS_AS_VALUE) holds; `false`
    /// (re-read its JSON) unless the type says otherwise. A value that does not satisfy is
    /// re-read, which records why.
    fn satisfies(&self, constraints: &Constraints) -> bool {
        let _ = constraints;
        false
    }

    /// Reads a JSON value; on failure records the errors in `cx` and returns `None`.
    fn from_json(json: Json<'_, 'a>, constraints: &Constraints, cx: &mut Validation<'a>) -> Option<Self>;

    /// Reads one text value (a path, query or header parameter).
    fn from_text(text: &'a str, constraints: &Constraints, cx: &mut Validation<'a>) -> Option<Self>;

    /// Reads a parameter's values: one value for a scalar (several are the reference's type
    /// error), every value for a list.
    fn from_texts(texts: Texts<'a>, constraints: &Constraints, cx: &mut Validation<'a>) -> Option<Self> {
        if let Texts::Call(text, declared) = texts {
            return Self::from_call(text, declared, constraints, cx);
        }
        match texts.single() {
            Some(text) => Self::from_text(text, constraints, cx),
            None => {
                cx.error(Self::SCHEMA.type_error());
                None
            }
        }
    }

    /// Reads a Bedrock Agents function call's parameter, converted first by the type the call
    /// declares, as the reference converts it before its tool sees the value: an `integer` by
    /// Python's `int()`, a `number` by `float()`, a `boolean` true exactly when its text is `true`
    /// in any case, anything else the text as sent. A number or a boolean parameter takes only a
    /// value so converted (an integer for a number too); any other type reads the text as sent,
    /// whatever the declared type.
    fn from_call(
        text: &'a str,
        declared: Declared,
        constraints: &Constraints,
        cx: &mut Validation<'a>,
    ) -> Option<Self> {
        let _ = declared;
        Self::from_text(text, constraints, cx)
    }

    /// Reads a form's or a multipart body's values of one name: the first for a scalar (the
    /// reference's `value[0]`), every one for a list. A file where text is expected is the
    /// type's error, as pydantic refuses an upload for a string.
    fn from_form(values: FormValues<'a>, constraints: &Constraints, cx: &mut Validation<'a>) -> Option<Self> {
        match values.first() {
            Some(FormValue::Text(text)) => Self::from_text(text, constraints, cx),
            _ => {
                cx.error(Self::SCHEMA.type_error());
                None
            }
        }
    }

    /// The value of an absent optional field (`None` for `Option`).
    fn absent() -> Option<Self> {
        None
    }
}

/// A route's typed inputs, derived with [`Input`](macro@Input).
pub trait Input {
    /// The inputs of one request, borrowing from it.
    type Value<'a>;
    /// Where each input comes from, its schema and constraints.
    const SCHEMA: &'static InputSchema;

    /// Reads and validates every input; on failure the errors are in `cx`.
    fn extract<'a>(req: &Request<'a>, cx: &mut Validation<'a>) -> Option<Self::Value<'a>>;
}

/// No inputs: a `#[handler]` of the request alone that returns a model.
impl Input for () {
    type Value<'a> = ();
    const SCHEMA: &'static InputSchema = &InputSchema { params: &[], body: None };

    fn extract<'a>(_: &Request<'a>, _: &mut Validation<'a>) -> Option<()> {
        Some(())
    }
}
