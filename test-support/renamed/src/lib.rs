//! A function crate that depends on lambda-router under another name (`router`): its build
//! script passes `.crate_path("::router")`, and the generated static router compiles and routes.
//! Nothing here may name `lambda_router`, which this crate cannot see.

use router::{Error, Request, Response, Route};

pub const ROUTES: &[Route] = &[Route::get("/hello/<name>", hello)];

router::include_router!("routes.rs");

fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
    Ok(Response::text(200, req.format(format_args!("hello {}", req.param("name").unwrap_or("")))))
}

#[cfg(test)]
mod tests {
    use router::{App, Method, testing::TestRequest};

    #[test]
    fn the_generated_router_reaches_the_renamed_crate() {
        let found = super::ROUTER.find(Method::Get, "/hello/ada").expect("a route");
        assert_eq!(super::ROUTER.full_pattern(found.route), "/hello/<name>");
        let response = TestRequest::get("/hello/ada").http_v2().invoke(&App::new(&super::ROUTER)).unwrap();
        assert_eq!((response.status(), response.text()), (200, "hello ada".to_owned()));
    }
}
