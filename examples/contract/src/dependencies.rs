//! The SPEC's dependencies: the caller's tenant, and its region, which depends on the tenant.

use lambda_router::{Dependency, Error, Request, ServiceError};

/// The caller's tenant, from the `X-Tenant` header; a request without one is refused (401).
///
/// Read as the reference app reads it, from `request.headers`: the event's single-value header
/// map, which an ALB target group with multi-value headers on does not send.
pub struct Tenant;

impl Dependency for Tenant {
    type Output<'a> = &'a str;

    fn resolve<'a>(req: &Request<'a>) -> Result<&'a str, Error> {
        match req.headers().single_value("x-tenant").filter(|tenant| !tenant.is_empty()) {
            Some(tenant) => Ok(tenant),
            None => Err(ServiceError::unauthorized("no tenant").into()),
        }
    }
}

/// The tenant's region: `eu` for a tenant starting with `eu-`, else `us`. The tenant is
/// resolved once per request, however many ask for it.
pub struct Region;

impl Dependency for Region {
    type Output<'a> = &'static str;

    fn resolve<'a>(req: &Request<'a>) -> Result<&'static str, Error> {
        let tenant = req.depends::<Tenant>()?;
        Ok(if tenant.starts_with("eu-") { "eu" } else { "us" })
    }
}
