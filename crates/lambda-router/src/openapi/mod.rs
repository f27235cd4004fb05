//! The OpenAPI 3.1 document, made from the route table and the schemas the derives wrote: no
//! request needed. Served, with a Swagger UI page, by an app configured with
//! [`App::openapi`](crate::App::openapi); printed by `--openapi`.
//!
//! Made once, on first use, by a small JSON writer of its own: this is not the request path,
//! but every function links it (`--openapi`), so it stays small (no `serde_json::Value`).

use std::io::Write;
use std::sync::OnceLock;

use crate::Method;
use crate::response::encode::write_str;
use crate::router::Router;
use crate::validate::{Bound, Constraints, FieldSchema, Location, ModelSchema, Schema};

/// The public swagger-ui-dist assets, as the reference links them.
const SWAGGER_JS: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js";
const SWAGGER_CSS: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css";

/// The OpenAPI document's title, version and description, and where the Swagger UI is served
/// (`GET /swagger` by default; `GET /swagger?format=json` is the document).
///
/// ```
/// use lambda_router::openapi::OpenApi;
/// let openapi = OpenApi::new("Orders API", "1.0.0")
///     .description("Orders and their items")
///     .swagger_path("/docs")
///     .swagger_assets("https://assets.example.com/swagger-ui-bundle.js", "https://assets.example.com/swagger-ui.css");
/// assert_eq!(openapi.path(), "/docs");
/// ```
#[derive(Debug, Clone)]
pub struct OpenApi {
    title: String,
    version: String,
    description: Option<String>,
    path: String,
    js: String,
    css: String,
    document: OnceLock<String>,
    page: OnceLock<String>,
}

impl Default for OpenApi {
    fn default() -> OpenApi {
        OpenApi::new("lambda-router app", "0.1.0")
    }
}

impl OpenApi {
    /// A document with this title and version, its Swagger UI at `/swagger`.
    pub fn new(title: &str, version: &str) -> OpenApi {
        OpenApi {
            title: title.to_owned(),
            version: version.to_owned(),
            description: None,
            path: "/swagger".to_owned(),
            js: SWAGGER_JS.to_owned(),
            css: SWAGGER_CSS.to_owned(),
            document: OnceLock::new(),
            page: OnceLock::new(),
        }
    }

    /// The API's description.
    pub fn description(mut self, description: &str) -> OpenApi {
        self.description = Some(description.to_owned());
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

    /// Where the Swagger UI is served.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The document for `router`, made on first use.
    pub(crate) fn document(&self, router: &Router) -> &str {
        self.document.get_or_init(|| document(router, self))
    }

    /// The Swagger UI page.
    pub(crate) fn page(&self) -> &str {
        self.page.get_or_init(|| {
            let title = html_escape(&self.title);
            let (js, css) = (html_escape(&self.js), html_escape(&self.css));
            format!(
                "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
                 <link rel=\"stylesheet\" href=\"{css}\">\n</head>\n<body>\n<div id=\"swagger-ui\"></div>\n\
                 <script src=\"{js}\"></script>\n<script>\nwindow.onload = function () {{\n  \
                 window.ui = SwaggerUIBundle({{ url: window.location.pathname + \"?format=json\", dom_id: \"#swagger-ui\" }});\n\
                 }};\n</script>\n</body>\n</html>\n"
            )
        })
    }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Writes JSON into a buffer: objects and arrays with their commas, strings escaped.
#[derive(Default)]
struct Writer {
    out: Vec<u8>,
    /// Per open object or array: whether it has a member yet.
    open: Vec<bool>,
}

// Out of line: the document is written once, and inlined writes would multiply its code in
// every function binary.
impl Writer {
    #[inline(never)]
    fn separate(&mut self) {
        if let Some(has_member) = self.open.last_mut() {
            if *has_member {
                self.out.push(b',');
            }
            *has_member = true;
        }
    }

    #[inline(never)]
    fn begin(&mut self, bracket: char) {
        self.separate();
        self.out.push(bracket as u8);
        self.open.push(false);
    }

    #[inline(never)]
    fn end(&mut self, bracket: char) {
        self.open.pop();
        self.out.push(bracket as u8);
    }

    /// A key; the next value written is its value.
    #[inline(never)]
    fn key(&mut self, key: &str) {
        self.separate();
        self.escaped(key);
        self.out.push(b':');
        // The value that follows must not add a comma of its own.
        if let Some(has_member) = self.open.last_mut() {
            *has_member = false;
        }
    }

    #[inline(never)]
    fn string(&mut self, text: &str) {
        self.separate();
        self.escaped(text);
    }

    /// JSON text, written as it is (numbers, `true`, a default's JSON).
    #[inline(never)]
    fn raw(&mut self, json: &str) {
        self.separate();
        self.out.extend_from_slice(json.as_bytes());
    }

    /// A bound as a JSON number: an integer exactly, a float in Rust's shortest round-trip
    /// form, which is JSON for every finite value (bounds are finite: `Bound::float`).
    #[inline(never)]
    fn bound(&mut self, bound: Bound) {
        self.separate();
        // Writing to a `Vec` cannot fail.
        let _ = match bound {
            Bound::Int(value) => write!(self.out, "{value}"),
            Bound::Float(value) if value.is_finite() => write!(self.out, "{value:?}"),
            // Unreachable through `Bound::float`; never write what is not JSON.
            Bound::Float(_) => write!(self.out, "null"),
        };
    }

    #[inline(never)]
    fn escaped(&mut self, text: &str) {
        write_str(&mut self.out, text);
    }

    #[inline(never)]
    fn field(&mut self, key: &str, text: &str) {
        self.key(key);
        self.string(text);
    }

    /// `{"type": kind}` and its keys (the caller closes it).
    #[inline(never)]
    fn typed(&mut self, kind: &str) {
        self.begin('{');
        self.field("type", kind);
    }
}

/// The whole document.
fn document(router: &Router, config: &OpenApi) -> String {
    let mut models: Vec<&'static ModelSchema> = Vec::new();
    let mut w = Writer::default();
    w.begin('{');
    w.field("openapi", "3.1.0");
    w.key("info");
    w.begin('{');
    w.field("title", &config.title);
    w.field("version", &config.version);
    if let Some(description) = &config.description {
        w.field("description", description);
    }
    w.end('}');
    w.key("servers");
    w.begin('[');
    w.begin('{');
    w.field("url", "/");
    w.end('}');
    w.end(']');
    w.key("paths");
    w.begin('{');
    // Routes sharing a path go in one path item, in table order.
    let routes: Vec<crate::Route> = router.routes().collect();
    let mut paths: Vec<PathItem<'_>> = Vec::new();
    for (index, route) in routes.iter().enumerate() {
        if route.http().doc.is_some_and(|doc| doc.hidden) {
            continue;
        }
        let (path, names) = openapi_path(router.full_pattern(index));
        match paths.iter_mut().find(|(p, _)| *p == path) {
            Some((_, routes)) => routes.push((route, router.methods(index), names)),
            None => paths.push((path, vec![(route, router.methods(index), names)])),
        }
    }
    for (path, routes) in &paths {
        w.key(path);
        w.begin('{');
        for (route, methods, path_names) in routes {
            // The methods the table compiled; OpenAPI has no CONNECT operation.
            let methods = Method::ALL.into_iter().filter(|&m| m != Method::Connect && methods.contains(m));
            for method in methods {
                w.key(&method.as_str().to_ascii_lowercase());
                operation(&mut w, route, method, path, path_names, &mut models);
            }
        }
        w.end('}');
    }
    w.end('}');
    w.key("components");
    w.begin('{');
    w.key("schemas");
    w.begin('{');
    // Models found while writing their schemas are written in turn, each once.
    let mut written = 0;
    while written < models.len() {
        let model = models[written];
        written += 1;
        w.key(model.name);
        model_schema(&mut w, model, &mut models);
    }
    w.key("ValidationError");
    w.raw(r#"{"type":"object","title":"ValidationError","properties":{"loc":{"type":"array","title":"Location","items":{"anyOf":[{"type":"string"},{"type":"integer"}]}},"type":{"type":"string","title":"Error Type"}},"required":["loc","type"]}"#);
    w.key("HTTPValidationError");
    w.raw(r##"{"type":"object","title":"HTTPValidationError","properties":{"statusCode":{"type":"integer"},"detail":{"type":"array","title":"Detail","items":{"$ref":"#/components/schemas/ValidationError"}}}}"##);
    w.end('}');
    w.end('}');
    w.end('}');
    // Every byte written is ASCII or comes from a `&str`: the document is UTF-8.
    String::from_utf8(w.out).unwrap_or_default()
}

/// An OpenAPI path and the routes under it, each with its path's parameter names.
type PathItem<'r> = (String, Vec<(&'r crate::Route, crate::MethodSet, Vec<String>)>);

/// A route without a [`RouteDoc`](crate::RouteDoc).
const NO_DOC: crate::RouteDoc = crate::RouteDoc::new();

/// One operation: metadata, parameters, body and responses.
fn operation(
    w: &mut Writer,
    route: &crate::Route,
    method: Method,
    path: &str,
    path_names: &[String],
    models: &mut Vec<&'static ModelSchema>,
) {
    let doc = route.http().doc.unwrap_or(&NO_DOC);
    w.begin('{');
    match doc.summary {
        Some(summary) => w.field("summary", summary),
        None => w.field("summary", &format!("{} {path}", method.as_str())),
    }
    if let Some(description) = doc.description {
        w.field("description", description);
    }
    if !doc.tags.is_empty() {
        w.key("tags");
        w.begin('[');
        for tag in doc.tags {
            w.string(tag);
        }
        w.end(']');
    }
    let method_name = method.as_str().to_ascii_lowercase();
    match doc.operation_id {
        Some(id) => w.field("operationId", id),
        None => w.field("operationId", &default_operation_id(&method_name, path)),
    }
    if doc.deprecated {
        w.key("deprecated");
        w.raw("true");
    }
    let declared = route.input().map_or(&[][..], |input| input.params);
    // Path parameters no input declares: an untyped handler reads them as text.
    let untyped: Vec<&String> = path_names
        .iter()
        .filter(|name| !declared.iter().any(|p| p.location == Location::Path && p.field.name == name.as_str()))
        .collect();
    if !declared.is_empty() || !untyped.is_empty() {
        w.key("parameters");
        w.begin('[');
        for param in declared {
            w.begin('{');
            w.field("name", param.field.name);
            w.field("in", param.location.as_str());
            w.key("required");
            w.raw(if param.field.required || param.location == Location::Path { "true" } else { "false" });
            w.key("schema");
            field_schema(w, &param.field, models);
            w.end('}');
        }
        for name in untyped {
            w.begin('{');
            w.field("name", name);
            w.field("in", "path");
            w.key("required");
            w.raw("true");
            w.key("schema");
            w.raw(r#"{"type":"string"}"#);
            w.end('}');
        }
        w.end(']');
    }
    if let Some(body) = route.input().and_then(|input| input.body.as_ref()) {
        w.key("requestBody");
        w.begin('{');
        w.key("required");
        w.raw(if body.required { "true" } else { "false" });
        w.key("content");
        w.begin('{');
        w.key("application/json");
        w.begin('{');
        w.key("schema");
        field_schema(w, body, models);
        w.end('}');
        w.end('}');
        w.end('}');
    }
    w.key("responses");
    w.begin('{');
    w.key("200");
    w.begin('{');
    w.field("description", "Successful Response");
    w.key("content");
    w.begin('{');
    w.key("application/json");
    w.begin('{');
    w.key("schema");
    match doc.response {
        Some(schema) => schema_of(w, schema, &Constraints::NONE, models, None),
        None => w.raw(r#"{"type":"object","additionalProperties":true}"#),
    }
    w.end('}');
    w.end('}');
    w.end('}');
    w.key("422");
    w.raw(r##"{"description":"Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPValidationError"}}}}"##);
    w.end('}');
    w.end('}');
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

/// `put` and `/todos/{todo_id}` → `put_todos__todo_id_`.
fn default_operation_id(method: &str, path: &str) -> String {
    let tail: String = path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    format!("{method}{tail}")
}

/// A field's or parameter's schema: its type's, its constraints, its default and description.
fn field_schema(w: &mut Writer, field: &FieldSchema, models: &mut Vec<&'static ModelSchema>) {
    schema_of(w, field.schema, &field.constraints, models, Some(field));
}

/// A type's schema with `constraints` applied where the reference puts them; `field` adds its
/// default and description (outside an `anyOf`).
fn schema_of(
    w: &mut Writer,
    schema: &'static Schema,
    constraints: &Constraints,
    models: &mut Vec<&'static ModelSchema>,
    field: Option<&FieldSchema>,
) {
    match schema {
        Schema::Integer => w.typed("integer"),
        Schema::Number => w.typed("number"),
        Schema::Boolean => w.typed("boolean"),
        Schema::String => w.typed("string"),
        Schema::Uuid => {
            w.typed("string");
            w.field("format", "uuid");
        }
        Schema::Date => {
            w.typed("string");
            w.field("format", "date");
        }
        Schema::DateTime => {
            w.typed("string");
            w.field("format", "date-time");
        }
        Schema::Literal(values) => {
            w.typed("string");
            w.key("enum");
            w.begin('[');
            for value in *values {
                w.string(value);
            }
            w.end(']');
        }
        Schema::Array(items) => {
            w.typed("array");
            w.key("items");
            schema_of(w, items, &Constraints::NONE, models, None);
        }
        Schema::Nullable(inner) => {
            w.begin('{');
            w.key("anyOf");
            w.begin('[');
            schema_of(w, inner, constraints, models, None);
            w.raw(r#"{"type":"null"}"#);
            w.end(']');
        }
        Schema::Model(model) => {
            if !models.iter().any(|m| m.name == model.name) {
                models.push(model);
            }
            w.begin('{');
            w.field("$ref", &format!("#/components/schemas/{}", model.name));
        }
    }
    if !matches!(schema, Schema::Nullable(_) | Schema::Model(_)) {
        let bounds = [
            ("exclusiveMinimum", constraints.gt),
            ("minimum", constraints.ge),
            ("exclusiveMaximum", constraints.lt),
            ("maximum", constraints.le),
        ];
        for (key, bound) in bounds {
            if let Some(bound) = bound {
                w.key(key);
                w.bound(bound);
            }
        }
        let (min, max) =
            if matches!(schema, Schema::Array(_)) { ("minItems", "maxItems") } else { ("minLength", "maxLength") };
        for (key, length) in [(min, constraints.min_length), (max, constraints.max_length)] {
            if let Some(length) = length {
                w.key(key);
                w.raw(&length.to_string());
            }
        }
    }
    if let Some(field) = field {
        if let Some(default) = field.default {
            w.key("default");
            w.raw(&default());
        }
        if let Some(description) = field.description {
            w.field("description", description);
        }
    }
    w.end('}');
}

/// A model's component schema: its fields, which are required, its description.
fn model_schema(w: &mut Writer, model: &ModelSchema, models: &mut Vec<&'static ModelSchema>) {
    w.typed("object");
    w.field("title", model.name);
    if let Some(description) = model.description {
        w.field("description", description);
    }
    w.key("properties");
    w.begin('{');
    for field in model.fields {
        w.key(field.name);
        field_schema(w, field, models);
    }
    w.end('}');
    if model.fields.iter().any(|f| f.required) {
        w.key("required");
        w.begin('[');
        for field in model.fields.iter().filter(|f| f.required) {
            w.string(field.name);
        }
        w.end(']');
    }
    w.end('}');
}

#[cfg(test)]
mod tests {
    use super::openapi_path;

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
}
