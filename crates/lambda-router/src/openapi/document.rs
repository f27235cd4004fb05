//! The whole document: info, servers, security, tags, extensions, the paths with their
//! operations (in table order, routes sharing a path in one path item) and the components.

use super::schema::{Components, Schemas};
use super::writer::Writer;
use super::{ApiKeyLocation, OpenApi, SecurityScheme};
use crate::route::{NO_DOC, Route, RouteDoc};
use crate::router::Router;
use crate::validate::{Location, ParamSchema, Schema};
use crate::{Method, MethodSet};

/// Which OpenAPI the document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    /// 3.1, for portals and tools.
    V31,
    /// 3.0, for Amazon Bedrock Agents.
    V30,
}

/// The reference's schemas of validation errors.
const VALIDATION_ERROR: &str = r#"{"properties":{"loc":{"items":{"anyOf":[{"type":"string"},{"type":"integer"}]},"type":"array","title":"Location"},"type":{"type":"string","title":"Error Type"}},"type":"object","required":["loc","msg","type"],"title":"ValidationError"}"#;
const HTTP_VALIDATION_ERROR: &str = r##"{"properties":{"detail":{"items":{"$ref":"#/components/schemas/ValidationError"},"type":"array","title":"Detail"}},"type":"object","title":"HTTPValidationError"}"##;
const RESPONSE_VALIDATION_ERROR: &str = r##"{"properties":{"detail":{"items":{"$ref":"#/components/schemas/ValidationError"},"type":"array","title":"Detail"}},"type":"object","title":"ResponseValidationError"}"##;
/// What a route without a declared model answers: any JSON object.
const ANY_OBJECT: &str = r#"{"additionalProperties":true,"type":"object","title":"Return"}"#;

/// An OpenAPI path and the routes under it: each route's methods (as the table compiled them),
/// its path's parameter names and its operation id's stem.
type PathItem = (String, Vec<(Route, MethodSet, Vec<String>)>);

/// The document for `router`, described by `config`, in `version`; `validation_status` is the
/// app's status for answers that do not validate against their model (if it sets one).
pub(super) fn write(router: &Router, config: &OpenApi, version: Version, validation_status: Option<u16>) -> String {
    let mut w = Writer::default();
    let mut components = Components::default();
    w.begin('{');
    w.field("openapi", if version == Version::V31 { "3.1.0" } else { "3.0.3" });
    info(&mut w, config, version);
    w.key("servers");
    w.begin('[');
    if config.servers.is_empty() {
        w.raw(r#"{"url":"/"}"#);
    }
    for server in &config.servers {
        w.begin('{');
        w.field("url", &server.url);
        if let Some(description) = &server.description {
            w.field("description", description);
        }
        w.end('}');
    }
    w.end(']');
    if !config.security.is_empty() {
        w.key("security");
        w.begin('[');
        for requirement in &config.security {
            w.begin('{');
            for (name, scopes) in requirement {
                w.key(name);
                w.begin('[');
                for scope in scopes {
                    w.string(scope);
                }
                w.end(']');
            }
            w.end('}');
        }
        w.end(']');
    }
    if !config.tags.is_empty() {
        w.key("tags");
        w.begin('[');
        for tag in &config.tags {
            w.begin('{');
            w.field("name", &tag.name);
            if let Some(description) = &tag.description {
                w.field("description", description);
            }
            w.end('}');
        }
        w.end(']');
    }
    for (name, json) in &config.extensions {
        w.key(name);
        w.raw(json);
    }
    let mut any_response_validation = false;
    let mut bodies: Vec<(String, &'static [ParamSchema])> = Vec::new();
    w.key("paths");
    w.begin('{');
    for (path, routes) in paths(router) {
        w.key(&path);
        w.begin('{');
        for (route, methods, names) in &routes {
            // OpenAPI has no CONNECT operation.
            for method in Method::ALL.into_iter().filter(|&m| m != Method::Connect && methods.contains(m)) {
                w.key(&method.as_str().to_ascii_lowercase());
                let operation = Operation { route, method, path: &path, path_names: names, validation_status };
                let mut schemas = Schemas { w: &mut w, components: &mut components, version };
                any_response_validation |= operation.write(&mut schemas, &mut bodies);
            }
        }
        w.end('}');
    }
    w.end('}');
    w.key("components");
    w.begin('{');
    w.key("schemas");
    w.begin('{');
    // Form bodies, then models and enums found while writing, each once (a model's fields may
    // add more).
    for (name, fields) in &bodies {
        w.key(name);
        let mut schemas = Schemas { w: &mut w, components: &mut components, version };
        schemas.w.typed("object");
        schemas.w.field("title", name);
        schemas.object(fields.iter().map(|param| &param.field));
        schemas.w.end('}');
    }
    let mut written = 0;
    while written < components.models.len() {
        let model = components.models[written];
        written += 1;
        w.key(model.name);
        Schemas { w: &mut w, components: &mut components, version }.model(model);
    }
    for (name, values, description) in std::mem::take(&mut components.enums) {
        w.key(name);
        Schemas { w: &mut w, components: &mut components, version }.enumeration(name, values, description);
    }
    w.key("ValidationError");
    w.raw(VALIDATION_ERROR);
    w.key("HTTPValidationError");
    w.raw(HTTP_VALIDATION_ERROR);
    if any_response_validation {
        w.key("ResponseValidationError");
        w.raw(RESPONSE_VALIDATION_ERROR);
    }
    w.end('}');
    if !config.security_schemes.is_empty() {
        w.key("securitySchemes");
        w.begin('{');
        for (name, scheme) in &config.security_schemes {
            w.key(name);
            security_scheme(&mut w, scheme);
        }
        w.end('}');
    }
    w.end('}');
    w.end('}');
    // Every byte written is ASCII or comes from a `&str`: the document is UTF-8.
    String::from_utf8(w.out).unwrap_or_default()
}

fn info(w: &mut Writer, config: &OpenApi, version: Version) {
    w.key("info");
    w.begin('{');
    w.field("title", &config.title);
    if let (Some(summary), Version::V31) = (&config.summary, version) {
        w.field("summary", summary);
    }
    if let Some(description) = &config.description {
        w.field("description", description);
    }
    if let Some(terms) = &config.terms_of_service {
        w.field("termsOfService", terms);
    }
    if let Some(contact) = &config.contact {
        w.key("contact");
        w.begin('{');
        for (key, value) in [("name", &contact.name), ("url", &contact.url), ("email", &contact.email)] {
            if let Some(value) = value {
                w.field(key, value);
            }
        }
        w.end('}');
    }
    if let Some(license) = &config.license {
        w.key("license");
        w.begin('{');
        w.field("name", &license.name);
        if let (Some(identifier), Version::V31) = (&license.identifier, version) {
            w.field("identifier", identifier);
        }
        if let Some(url) = &license.url {
            w.field("url", url);
        }
        w.end('}');
    }
    w.field("version", &config.version);
    w.end('}');
}

fn security_scheme(w: &mut Writer, scheme: &SecurityScheme) {
    w.begin('{');
    match scheme {
        SecurityScheme::ApiKey { name, location } => {
            w.field("type", "apiKey");
            w.field(
                "in",
                match location {
                    ApiKeyLocation::Header => "header",
                    ApiKeyLocation::Query => "query",
                    ApiKeyLocation::Cookie => "cookie",
                },
            );
            w.field("name", name);
        }
        SecurityScheme::Http { scheme, bearer_format } => {
            w.field("type", "http");
            w.field("scheme", scheme);
            if let Some(format) = bearer_format {
                w.field("bearerFormat", format);
            }
        }
        SecurityScheme::OpenIdConnect { url } => {
            w.field("type", "openIdConnect");
            w.field("openIdConnectUrl", url);
        }
        SecurityScheme::OAuth2 { flows } => {
            w.field("type", "oauth2");
            w.key("flows");
            w.raw(flows);
        }
    }
    w.end('}');
}

/// The documented routes by OpenAPI path, in table order.
fn paths(router: &Router) -> Vec<PathItem> {
    let mut paths: Vec<PathItem> = Vec::new();
    for (index, route) in router.routes().enumerate() {
        if route.http().doc.is_some_and(|doc| doc.hidden) {
            continue;
        }
        let (path, names) = openapi_path(router.full_pattern(index));
        let methods = router.methods(index);
        match paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push((route, methods, names)),
            None => paths.push((path, vec![(route, methods, names)])),
        }
    }
    paths
}

/// One operation of a route.
struct Operation<'o> {
    route: &'o Route,
    method: Method,
    path: &'o str,
    path_names: &'o [String],
    validation_status: Option<u16>,
}

impl Operation<'_> {
    /// Writes the operation; a form body's component is added to `bodies`. Returns whether the
    /// operation documents response validation.
    fn write(&self, s: &mut Schemas<'_>, bodies: &mut Vec<(String, &'static [ParamSchema])>) -> bool {
        let doc: &RouteDoc = self.route.http().doc.unwrap_or(&NO_DOC);
        let method = self.method.as_str().to_ascii_lowercase();
        s.w.begin('{');
        if !doc.tags.is_empty() {
            s.w.key("tags");
            s.w.begin('[');
            for tag in doc.tags {
                s.w.string(tag);
            }
            s.w.end(']');
        }
        match doc.summary {
            Some(summary) => s.w.field("summary", summary),
            None => s.w.field("summary", &format!("{} {}", self.method.as_str(), self.path)),
        }
        if let Some(description) = doc.description {
            s.w.field("description", description);
        }
        let operation_id = match doc.operation_id {
            Some(id) => id.to_owned(),
            None => default_operation_id(self.route.handler().name(), self.path, &method),
        };
        s.w.field("operationId", &operation_id);
        if doc.deprecated {
            s.w.key("deprecated");
            s.w.raw("true");
        }
        self.parameters(s);
        self.request_body(s, &operation_id, bodies);
        let validates = self.responses(s, doc);
        if let Some(security) = doc.security {
            s.w.key("security");
            s.w.begin('[');
            for requirement in security {
                s.w.begin('{');
                for (name, scopes) in *requirement {
                    s.w.key(name);
                    s.w.begin('[');
                    for scope in *scopes {
                        s.w.string(scope);
                    }
                    s.w.end(']');
                }
                s.w.end('}');
            }
            s.w.end(']');
        }
        for (name, json) in doc.extensions {
            s.w.key(name);
            s.w.raw(json);
        }
        s.w.end('}');
        validates
    }

    /// Path, query, header and cookie parameters, then path parameters no input declares (an
    /// untyped handler reads them as text).
    fn parameters(&self, s: &mut Schemas<'_>) {
        let declared = self.route.input().map_or(&[][..], |input| input.params);
        let typed = declared.iter().filter(|p| p.location.parameter_in().is_some());
        let untyped: Vec<&String> = self
            .path_names
            .iter()
            .filter(|name| !declared.iter().any(|p| p.location == Location::Path && p.field.name == name.as_str()))
            .collect();
        if typed.clone().next().is_none() && untyped.is_empty() {
            return;
        }
        s.w.key("parameters");
        s.w.begin('[');
        for param in typed {
            s.w.begin('{');
            s.w.field("name", param.field.name);
            s.w.field("in", param.location.parameter_in().unwrap_or("query"));
            s.w.key("required");
            s.w.raw(if param.field.required || param.location == Location::Path { "true" } else { "false" });
            if let Some(description) = param.field.description {
                s.w.field("description", description);
            }
            s.w.key("schema");
            s.field(&param.field);
            s.w.end('}');
        }
        for name in untyped {
            s.w.begin('{');
            s.w.field("name", name);
            s.w.field("in", "path");
            s.w.key("required");
            s.w.raw("true");
            s.w.key("schema");
            s.w.raw(r#"{"type":"string"}"#);
            s.w.end('}');
        }
        s.w.end(']');
    }

    /// The JSON body, or the form's fields (url-encoded, or multipart when a file is among them)
    /// as a component named as the reference names it.
    fn request_body(
        &self,
        s: &mut Schemas<'_>,
        operation_id: &str,
        bodies: &mut Vec<(String, &'static [ParamSchema])>,
    ) {
        let Some(input) = self.route.input() else { return };
        if let Some(body) = &input.body {
            s.w.key("requestBody");
            s.w.begin('{');
            s.w.key("content");
            s.w.begin('{');
            s.w.key("application/json");
            s.w.begin('{');
            s.w.key("schema");
            s.field(body);
            s.w.end('}');
            s.w.end('}');
            s.w.key("required");
            s.w.raw(if body.required { "true" } else { "false" });
            s.w.end('}');
            return;
        }
        let form = input.form_fields();
        if form.is_empty() {
            return;
        }
        let multipart = form.iter().any(|p| p.location == Location::File);
        let name = format!("Body_{operation_id}");
        s.w.key("requestBody");
        s.w.begin('{');
        s.w.key("content");
        s.w.begin('{');
        s.w.key(if multipart { "multipart/form-data" } else { "application/x-www-form-urlencoded" });
        s.w.begin('{');
        s.w.key("schema");
        s.w.begin('{');
        s.w.field("$ref", &format!("#/components/schemas/{name}"));
        s.w.end('}');
        s.w.end('}');
        s.w.end('}');
        s.w.key("required");
        s.w.raw(if form.iter().any(|p| p.field.required) { "true" } else { "false" });
        s.w.end('}');
        bodies.push((name, form));
    }

    /// The 422, the route's success with its model, the responses its doc lists, and response
    /// validation's failure when the route's or the app's status makes it one.
    fn responses(&self, s: &mut Schemas<'_>, doc: &RouteDoc) -> bool {
        let options = self.route.http();
        let success = options.status.unwrap_or(200);
        let model = options.response.or(self.route.handler().response()).map(|spec| spec.schema).or(doc.response);
        s.w.key("responses");
        s.w.begin('{');
        s.w.key("422");
        s.w.raw(r##"{"description":"Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPValidationError"}}}}"##);
        if !doc.responses.iter().any(|r| r.status == success) {
            let any = if doc.schemaless { Any::Bare } else { Any::Object };
            response(s, success, "Successful Response", model, any);
        }
        for listed in doc.responses {
            let schema = listed.schema.or(if listed.status == success { model } else { None });
            response(s, listed.status, listed.description, schema, Any::Nothing);
        }
        let validation_status = options.validation_status.or(self.validation_status);
        if let Some(status) = validation_status {
            s.w.key(&status.to_string());
            s.w.raw(r##"{"description":"Response Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/ResponseValidationError"}}}}"##);
        }
        s.w.end('}');
        validation_status.is_some()
    }
}

/// One response: its description and, when it has one, its JSON body's schema (any JSON
/// object for a route's success without a declared model).
/// What a response without a model is documented as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Any {
    /// Any JSON object.
    Object,
    /// JSON, no schema.
    Bare,
    /// No content.
    Nothing,
}

fn response(s: &mut Schemas<'_>, status: u16, description: &str, schema: Option<&'static Schema>, any: Any) {
    s.w.key(&status.to_string());
    s.w.begin('{');
    s.w.field("description", description);
    if schema.is_some() || any != Any::Nothing {
        s.w.key("content");
        s.w.begin('{');
        s.w.key("application/json");
        s.w.begin('{');
        match schema {
            Some(schema) => {
                s.w.key("schema");
                s.of(schema);
            }
            None if any == Any::Object => {
                s.w.key("schema");
                s.w.raw(ANY_OBJECT);
            }
            None => {}
        }
        s.w.end('}');
        s.w.end('}');
    }
    s.w.end('}');
}

/// A pattern in OpenAPI's form, and its parameters' names: `/todos/<todo_id>` and
/// `/todos/{todo_id}` → `/todos/{todo_id}`; a greedy tail `{proxy+}` → `{proxy}`; the unnamed
/// catch-all `.+` → `{tail}`.
fn openapi_path(pattern: &str) -> (String, Vec<String>) {
    let mut names = Vec::new();
    let segments: Vec<String> = pattern
        .split('/')
        .map(|segment| {
            let name = segment
                .strip_prefix('<')
                .and_then(|s| s.strip_suffix('>'))
                .or_else(|| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .map(|name| name.trim_end_matches('+'))
                .or((segment == ".+").then_some("tail"));
            match name {
                Some(name) => {
                    names.push(name.to_owned());
                    format!("{{{name}}}")
                }
                None => segment.to_owned(),
            }
        })
        .collect();
    (segments.join("/"), names)
}

/// The reference's operation id (FastAPI's): the handler's name, the path with every other
/// character than a letter or digit made `_`, and the method: `get_todo`, `/todos/{todo_id}`,
/// `get` → `get_todo_todos__todo_id__get`.
fn default_operation_id(handler: &str, path: &str, method: &str) -> String {
    let tail: String = path.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    format!("{handler}{tail}_{method}")
}

#[cfg(test)]
mod tests {
    use super::{default_operation_id, openapi_path};

    #[test]
    fn patterns_take_openapis_form_with_their_parameters() {
        let path = |p: &str| openapi_path(p);
        assert_eq!(path("/todos/<todo_id>"), ("/todos/{todo_id}".into(), vec!["todo_id".into()]));
        assert_eq!(path("/a/{b}/c/<d>"), ("/a/{b}/c/{d}".into(), vec!["b".into(), "d".into()]));
        assert_eq!(path("/files/{proxy+}"), ("/files/{proxy}".into(), vec!["proxy".into()]));
        assert_eq!(path("/files/.+"), ("/files/{tail}".into(), vec!["tail".into()]));
        assert_eq!(path("/health"), ("/health".into(), vec![]));
        assert_eq!(path("/"), ("/".into(), vec![]));
    }

    /// As the reference's documents name them.
    #[test]
    fn operation_ids_are_the_references() {
        assert_eq!(default_operation_id("me", "/me", "get"), "me_me_get");
        assert_eq!(default_operation_id("report", "/reports/{report_id}", "get"), "report_reports__report_id__get");
        assert_eq!(
            default_operation_id("user_card", "/users/{user_id}/card", "get"),
            "user_card_users__user_id__card_get"
        );
    }
}
