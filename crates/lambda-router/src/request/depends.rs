//! Dependencies: typed values computed from the request, at most once per request, by a
//! function of the request that may itself depend on others (the reference's `Depends()`).
//! Resolved values live in the invocation's arena (no allocation); a test replaces one on the
//! app (`App::override_dependency`, the reference's `dependency_overrides`).

use super::{ContextKey, Request};
use crate::error::{Error, ServiceError};

/// A dependency: a value of type [`Output`](Dependency::Output) made from the request by
/// [`resolve`](Dependency::resolve), which may ask for other dependencies with
/// [`Request::depends`]. Resolved once per request, however many handlers, inputs and other
/// dependencies ask for it; its error takes the app's error path.
///
/// ```
/// use lambda_router::{Dependency, Error, Request, ServiceError};
///
/// /// The caller's tenant, from `X-Tenant`; a request without one is refused with 401.
/// struct Tenant;
///
/// impl Dependency for Tenant {
///     type Output<'a> = &'a str;
///
///     fn resolve<'a>(req: &Request<'a>) -> Result<&'a str, Error> {
///         req.header("x-tenant").ok_or_else(|| ServiceError::unauthorized("no tenant").into())
///     }
/// }
///
/// /// The tenant's region, from the tenant.
/// struct Region;
///
/// impl Dependency for Region {
///     type Output<'a> = &'static str;
///
///     fn resolve<'a>(req: &Request<'a>) -> Result<&'static str, Error> {
///         let tenant = req.depends::<Tenant>()?;
///         Ok(if tenant.starts_with("eu-") { "eu" } else { "us" })
///     }
/// }
/// ```
///
/// A handler reads one with `req.depends::<Region>()?`, or as a typed input:
/// `#[depends(Region)] region: &'static str` in a `#[derive(Input)]` struct, resolved after the
/// other inputs validated.
pub trait Dependency: 'static {
    /// The value, which may borrow from the request. It must not need dropping (values live in
    /// the invocation's arena, which runs no destructor): borrow, or copy into
    /// [`Request::arena`].
    type Output<'a>: Copy;

    /// Makes the value from the request.
    fn resolve<'a>(req: &Request<'a>) -> Result<Self::Output<'a>, Error>;
}

/// Where a resolved value is kept.
struct Resolved<D>(std::marker::PhantomData<D>);

impl<D: Dependency> ContextKey for Resolved<D> {
    type Value<'a> = D::Output<'a>;
}

/// Marks a dependency being resolved, to refuse a cycle rather than recurse for ever.
struct Resolving<D>(std::marker::PhantomData<D>);

impl<D: Dependency> ContextKey for Resolving<D> {
    type Value<'a> = bool;
}

/// A replacement of `D`'s resolver, kept by the app (`App::override_dependency`).
pub(crate) struct Override<D: Dependency> {
    pub(crate) resolve: for<'r, 'a> fn(&'r Request<'a>) -> Result<D::Output<'a>, Error>,
}

impl<'a> Request<'a> {
    /// The value of the dependency `D` for this request: resolved the first time it is asked
    /// for (by the app's replacement, if a test set one), then the same value every time.
    pub fn depends<D: Dependency>(&self) -> Result<D::Output<'a>, Error> {
        if let Some(value) = self.context.get::<Resolved<D>>() {
            return Ok(*value);
        }
        if self.context.get::<Resolving<D>>().is_some_and(|resolving| *resolving) {
            tracing::error!(dependency = std::any::type_name::<D>(), "a dependency depends on itself");
            return Err(ServiceError::internal("Internal Server Error").into());
        }
        self.context.insert::<Resolving<D>>(true);
        let replacement = self.overrides.iter().find_map(|value| value.downcast_ref::<Override<D>>());
        let resolved = match replacement {
            Some(replacement) => (replacement.resolve)(self),
            None => D::resolve(self),
        };
        self.context.insert::<Resolving<D>>(false);
        let value = resolved?;
        self.context.insert::<Resolved<D>>(value);
        Ok(value)
    }
}
