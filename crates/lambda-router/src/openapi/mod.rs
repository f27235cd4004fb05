//! The OpenAPI document of an app's routes, made from the route table and the schemas the
//! derives wrote: no request needed. It describes the routes; nothing validates against it.
//!
//! - OpenAPI 3.1 for portals, SDK generators and API Gateway's import: info, servers, tags,
//!   security schemes and requirements, extensions, and per operation its parameters (path,
//!   query, header, cookie), its body per content type (JSON, form, multipart), and every
//!   response with its model. Served, with a Swagger UI page, by an app configured with
//!   [`App::openapi`](crate::App::openapi); printed by `--openapi`.
//! - OpenAPI 3.0 for Amazon Bedrock Agents, which accept no other (`--openapi --agent`):
//!   nullable values and exclusive bounds spelled the 3.0 way, hidden routes left out.
//!
//! Made once, on first use, by a small JSON writer of its own: this is not the request path,
//! but every function links it, so it stays small (no `serde_json::Value`).

mod document;
pub(crate) mod functions;
mod schema;
mod swagger;
mod writer;

use std::sync::OnceLock;

pub use crate::route::{ResponseDoc, SecurityRequirement};
use crate::router::Router;

/// The public swagger-ui-dist assets, as the reference links them.
const SWAGGER_JS: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js";
const SWAGGER_CSS: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css";

/// The OpenAPI document's description of the API, and where its Swagger UI is served (`GET
/// /swagger` by default; `GET /swagger?format=json` is the document).
///
/// ```
/// use lambda_router::openapi::{Contact, License, OpenApi, SecurityScheme, Server, Tag};
/// let openapi = OpenApi::new("Orders API", "1.0.0")
///     .summary("Orders and their items")
///     .description("Everything about orders.")
///     .contact(Contact::new().name("API team").email("api@example.com"))
///     .license(License::new("MIT").identifier("MIT"))
///     .server(Server::new("https://api.example.com/prod").description("production"))
///     .tag(Tag::new("orders").description("Orders and their items"))
///     .security_scheme("apiKey", SecurityScheme::api_key_header("X-Api-Key"))
///     .security(&[("apiKey", &[])])
///     .extension("x-owner", r#""platform""#)
///     .swagger_path("/docs");
/// assert_eq!(openapi.path(), "/docs");
/// ```
#[derive(Debug, Clone)]
pub struct OpenApi {
    pub(crate) title: String,
    pub(crate) version: String,
    pub(crate) summary: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) terms_of_service: Option<String>,
    pub(crate) contact: Option<Contact>,
    pub(crate) license: Option<License>,
    pub(crate) servers: Vec<Server>,
    pub(crate) tags: Vec<Tag>,
    pub(crate) security_schemes: Vec<(String, SecurityScheme)>,
    pub(crate) security: Vec<Vec<(String, Vec<String>)>>,
    pub(crate) extensions: Vec<(String, String)>,
    path: String,
    js: String,
    css: String,
    oauth2: Option<OAuth2Config>,
    persist_authorization: bool,
    document: OnceLock<String>,
    agent_document: OnceLock<String>,
    page: OnceLock<String>,
}

impl Default for OpenApi {
    fn default() -> OpenApi {
        OpenApi::new("lambda-router app", "0.1.0")
    }
}

/// The API's contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub(crate) name: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) email: Option<String>,
}

impl Contact {
    /// A contact with nothing said yet.
    pub fn new() -> Contact {
        Contact::default()
    }

    /// The contact's name.
    pub fn name(mut self, name: &str) -> Contact {
        self.name = Some(name.to_owned());
        self
    }

    /// Its URL.
    pub fn url(mut self, url: &str) -> Contact {
        self.url = Some(url.to_owned());
        self
    }

    /// Its email address.
    pub fn email(mut self, email: &str) -> Contact {
        self.email = Some(email.to_owned());
        self
    }
}

/// The API's license.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    pub(crate) name: String,
    pub(crate) identifier: Option<String>,
    pub(crate) url: Option<String>,
}

impl License {
    /// A license by name.
    pub fn new(name: &str) -> License {
        License { name: name.to_owned(), identifier: None, url: None }
    }

    /// Its SPDX identifier (OpenAPI 3.1).
    pub fn identifier(mut self, identifier: &str) -> License {
        self.identifier = Some(identifier.to_owned());
        self
    }

    /// Its URL.
    pub fn url(mut self, url: &str) -> License {
        self.url = Some(url.to_owned());
        self
    }
}

/// A server the API is reached at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    pub(crate) url: String,
    pub(crate) description: Option<String>,
}

impl Server {
    /// A server at `url`.
    pub fn new(url: &str) -> Server {
        Server { url: url.to_owned(), description: None }
    }

    /// Its description.
    pub fn description(mut self, description: &str) -> Server {
        self.description = Some(description.to_owned());
        self
    }
}

/// A tag, with the description the document gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
}

impl Tag {
    /// A tag by name.
    pub fn new(name: &str) -> Tag {
        Tag { name: name.to_owned(), description: None }
    }

    /// Its description.
    pub fn description(mut self, description: &str) -> Tag {
        self.description = Some(description.to_owned());
        self
    }
}

/// Where an API key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// A header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A security scheme of the document (`components.securitySchemes`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecurityScheme {
    /// An API key in a header, a query parameter or a cookie.
    ApiKey {
        /// The header's, parameter's or cookie's name.
        name: String,
        /// Where it is sent.
        location: ApiKeyLocation,
    },
    /// HTTP authentication (`bearer`, `basic`).
    Http {
        /// The scheme.
        scheme: String,
        /// A hint of the bearer token's format (`JWT`).
        bearer_format: Option<String>,
    },
    /// OpenID Connect discovery.
    OpenIdConnect {
        /// The discovery document's URL.
        url: String,
    },
    /// OAuth 2 with the flows given, as the JSON of an OpenAPI `flows` object.
    OAuth2 {
        /// The `flows` object, as JSON text.
        flows: String,
    },
}

impl SecurityScheme {
    /// An API key in the header `name`.
    pub fn api_key_header(name: &str) -> SecurityScheme {
        SecurityScheme::ApiKey { name: name.to_owned(), location: ApiKeyLocation::Header }
    }

    /// An API key in the query parameter `name`.
    pub fn api_key_query(name: &str) -> SecurityScheme {
        SecurityScheme::ApiKey { name: name.to_owned(), location: ApiKeyLocation::Query }
    }

    /// An API key in the cookie `name`.
    pub fn api_key_cookie(name: &str) -> SecurityScheme {
        SecurityScheme::ApiKey { name: name.to_owned(), location: ApiKeyLocation::Cookie }
    }

    /// A bearer token, of the format given (`JWT`).
    pub fn bearer(format: Option<&str>) -> SecurityScheme {
        SecurityScheme::Http { scheme: "bearer".to_owned(), bearer_format: format.map(str::to_owned) }
    }

    /// HTTP basic authentication.
    pub fn basic() -> SecurityScheme {
        SecurityScheme::Http { scheme: "basic".to_owned(), bearer_format: None }
    }

    /// OpenID Connect, discovered at `url`.
    pub fn open_id_connect(url: &str) -> SecurityScheme {
        SecurityScheme::OpenIdConnect { url: url.to_owned() }
    }

    /// OAuth 2 with the flows of `flows_json` (an OpenAPI `flows` object).
    pub fn oauth2(flows_json: &str) -> SecurityScheme {
        SecurityScheme::OAuth2 { flows: flows_json.to_owned() }
    }
}

/// The Swagger UI's OAuth 2 settings (swagger-ui's `initOAuth`), the reference's
/// `swagger_ui_oauth2_config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuth2Config {
    pub(crate) client_id: Option<String>,
    pub(crate) realm: Option<String>,
    pub(crate) app_name: Option<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) use_pkce: bool,
}

impl OAuth2Config {
    /// No setting yet.
    pub fn new() -> OAuth2Config {
        OAuth2Config::default()
    }

    /// The client id the page authorizes with.
    pub fn client_id(mut self, client_id: &str) -> OAuth2Config {
        self.client_id = Some(client_id.to_owned());
        self
    }

    /// The realm.
    pub fn realm(mut self, realm: &str) -> OAuth2Config {
        self.realm = Some(realm.to_owned());
        self
    }

    /// The application's name shown in the authorization dialog.
    pub fn app_name(mut self, app_name: &str) -> OAuth2Config {
        self.app_name = Some(app_name.to_owned());
        self
    }

    /// A scope selected by default.
    pub fn scope(mut self, scope: &str) -> OAuth2Config {
        self.scopes.push(scope.to_owned());
        self
    }

    /// The authorization code flow with PKCE.
    pub fn use_pkce(mut self, on: bool) -> OAuth2Config {
        self.use_pkce = on;
        self
    }
}

impl OpenApi {
    /// A document with this title and version, its Swagger UI at `/swagger`.
    pub fn new(title: &str, version: &str) -> OpenApi {
        OpenApi {
            title: title.to_owned(),
            version: version.to_owned(),
            summary: None,
            description: None,
            terms_of_service: None,
            contact: None,
            license: None,
            servers: Vec::new(),
            tags: Vec::new(),
            security_schemes: Vec::new(),
            security: Vec::new(),
            extensions: Vec::new(),
            path: "/swagger".to_owned(),
            js: SWAGGER_JS.to_owned(),
            css: SWAGGER_CSS.to_owned(),
            oauth2: None,
            persist_authorization: false,
            document: OnceLock::new(),
            agent_document: OnceLock::new(),
            page: OnceLock::new(),
        }
    }

    /// The API's one-line summary (OpenAPI 3.1).
    pub fn summary(mut self, summary: &str) -> OpenApi {
        self.summary = Some(summary.to_owned());
        self
    }

    /// The API's description.
    pub fn description(mut self, description: &str) -> OpenApi {
        self.description = Some(description.to_owned());
        self
    }

    /// The URL of the API's terms of service.
    pub fn terms_of_service(mut self, url: &str) -> OpenApi {
        self.terms_of_service = Some(url.to_owned());
        self
    }

    /// The API's contact.
    pub fn contact(mut self, contact: Contact) -> OpenApi {
        self.contact = Some(contact);
        self
    }

    /// The API's license.
    pub fn license(mut self, license: License) -> OpenApi {
        self.license = Some(license);
        self
    }

    /// A server the API is reached at (by default the document lists `/`).
    pub fn server(mut self, server: Server) -> OpenApi {
        self.servers.push(server);
        self
    }

    /// A tag with its description.
    pub fn tag(mut self, tag: Tag) -> OpenApi {
        self.tags.push(tag);
        self
    }

    /// A security scheme, by the name requirements use.
    pub fn security_scheme(mut self, name: &str, scheme: SecurityScheme) -> OpenApi {
        self.security_schemes.push((name.to_owned(), scheme));
        self
    }

    /// A security requirement of every operation (one call per alternative): the schemes that
    /// together allow a call, each with its scopes. A route's own replaces them
    /// ([`RouteDoc::security`](crate::RouteDoc::security)).
    pub fn security(mut self, requirement: &[(&str, &[&str])]) -> OpenApi {
        let requirement = requirement
            .iter()
            .map(|(name, scopes)| ((*name).to_owned(), scopes.iter().map(|s| (*s).to_owned()).collect()))
            .collect();
        self.security.push(requirement);
        self
    }

    /// A specification extension of the document: an `x-` name and its value as JSON text.
    pub fn extension(mut self, name: &str, json: &str) -> OpenApi {
        self.extensions.push((name.to_owned(), json.to_owned()));
        self
    }

    /// Where the Swagger UI page and (with `?format=json`) the document are served.
    pub fn swagger_path(mut self, path: &str) -> OpenApi {
        self.path = path.to_owned();
        self
    }

    /// The Swagger UI's script and stylesheet (by default the public swagger-ui-dist CDN).
    pub fn swagger_assets(mut self, js: &str, css: &str) -> OpenApi {
        self.js = js.to_owned();
        self.css = css.to_owned();
        self
    }

    /// The Swagger UI's OAuth 2 settings.
    pub fn swagger_oauth2(mut self, config: OAuth2Config) -> OpenApi {
        self.oauth2 = Some(config);
        self
    }

    /// Whether the Swagger UI keeps an authorization across reloads (swagger-ui's
    /// `persistAuthorization`).
    pub fn persist_authorization(mut self, on: bool) -> OpenApi {
        self.persist_authorization = on;
        self
    }

    /// Where the Swagger UI is served.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The document for `router` (3.1), made on first use; `validation_status` is the app's
    /// status for answers that do not validate against their model.
    pub(crate) fn document(&self, router: &Router, validation_status: Option<u16>) -> &str {
        self.document.get_or_init(|| document::write(router, self, document::Version::V31, validation_status))
    }

    /// The document for `router` as Amazon Bedrock Agents take it (3.0), made on first use.
    pub(crate) fn agent_document(&self, router: &Router, validation_status: Option<u16>) -> &str {
        self.agent_document.get_or_init(|| document::write(router, self, document::Version::V30, validation_status))
    }

    /// The Swagger UI page.
    pub(crate) fn page(&self) -> &str {
        self.page.get_or_init(|| swagger::page(self))
    }

    /// The page an OAuth 2 sign-in returns to (`?format=oauth2-redirect`).
    pub(crate) fn oauth2_redirect(&self) -> &'static str {
        swagger::OAUTH2_REDIRECT
    }
}
