//! The contract app with the reference's Swagger options set, for the browser test
//! (`test-support/browser/swagger_ui.sh`): an OAuth 2 client for the UI's sign-in (PKCE) and
//! authorizations kept across reloads. Same routes and document as the contract example.
//!
//! ```sh
//! cargo run -p test-support --example swagger_oauth --features serve -- --serve
//! ```

use lambda_router::openapi::OAuth2Config;

fn main() {
    let oauth2 = OAuth2Config::new()
        .client_id("swagger-ui")
        .realm("contract")
        .app_name("Contract API")
        .scope("items:read")
        .use_pkce(true);
    let openapi = contract::openapi().swagger_oauth2(oauth2).persist_authorization(true);
    std::process::exit(lambda_router::run(contract::app().openapi(openapi)));
}
