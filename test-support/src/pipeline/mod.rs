//! lambda-router's side of the pipeline benchmark: the 60 routes, compiled at build time,
//! and the data both apps serve (`data.rs`).

pub mod data;
pub mod routes;

use lambda_router::{App, Error, Request, Response};

use data::{Found, ITEMS, Message, Order, Receipt};

pub mod handlers {
    use super::*;

    pub fn hello<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        req.json_response(&Message { message: "hello universe" })
    }

    pub fn hello_name<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        let name = req.param("name").unwrap_or_default();
        req.json_response(&Message { message: req.format(format_args!("hello {name}")) })
    }

    pub fn echo<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        let order: Order<'a> = req.json()?;
        req.json_response(&Receipt {
            id: order.id,
            customer: order.customer,
            total_cents: order.total_cents,
            items: order.items,
            city: order.address.city,
        })
    }

    pub fn compressed<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        req.json_response(&*ITEMS)
    }

    pub fn filler<'a>(req: &Request<'a>) -> Result<Response<'a>, Error> {
        req.json_response(&Found { id: req.param("id").unwrap_or_default() })
    }
}

/// The benchmark's app.
pub fn app() -> App {
    App::new(&routes::ROUTER)
}

/// A middleware that does nothing but call the rest of the chain: the cost of the mechanism.
#[lambda_router::middleware]
async fn pass<'r, 'a>(req: &'r Request<'a>, next: lambda_router::Next<'r, 'a>) -> Result<Response<'a>, Error> {
    let _ = req;
    next.run().await
}

/// The benchmark's app with three no-op middleware around every route.
pub fn app_with_middleware() -> App {
    app().middleware(&[pass, pass, pass])
}
