//! The OpenAPI 3.1 document, made from the route table and the schemas the derives wrote: no
//! request needed. Served, with a Swagger UI page, by an app configured with
//! [`App::openapi`](crate::App::openapi); printed by `--openapi`.
//!
//! Made once, on first use, with serde_json: this is not the request path.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Map, Value as Json, json};

use super::{Constraints, FieldSchema, Location, Schema};
use crate::{Method, Router};

/// The public swagger-ui-dist assets, as the reference links them.
const SWAGGER_JS: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js";
const SWAGGER_CSS: &str = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css";

/// The OpenAPI document's title, version and description, and where the Swagger UI is served
/// (`GET /swagger` by default; `GET /swagger?format=json` is the document).
///
/// ```
/// use lambda_router::validate::OpenApi;
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
        self.document.get_or_init(|| {
            let document = document(router, self);
            serde_json::to_string_pretty(&document).unwrap_or_default()
        })
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

/// The whole document.
fn document(router: &Router, config: &OpenApi) -> Json {
    let mut models = BTreeMap::new();
    let mut paths = Map::new();
    for (index, route) in router.routes().iter().enumerate() {
        let doc = &route.http().doc;
        if doc.hidden {
            continue;
        }
        let (path, path_names) = openapi_path(router.full_pattern(index));
        let item = paths.entry(path.clone()).or_insert_with(|| json!({}));
        // OpenAPI has no CONNECT operation.
        let methods = Method::ALL.into_iter().filter(|&m| m != Method::Connect && route.methods().contains(m));
        for method in methods {
            let name = method.as_str().to_ascii_lowercase();
            let mut operation = Map::new();
            operation.insert(
                "summary".into(),
                json!(doc.summary.map_or_else(|| format!("{} {path}", method.as_str()), str::to_owned)),
            );
            if let Some(description) = doc.description {
                operation.insert("description".into(), json!(description));
            }
            if !doc.tags.is_empty() {
                operation.insert("tags".into(), json!(doc.tags));
            }
            let operation_id = doc.operation_id.map_or_else(|| default_operation_id(&name, &path), str::to_owned);
            operation.insert("operationId".into(), json!(operation_id));
            if doc.deprecated {
                operation.insert("deprecated".into(), json!(true));
            }
            let declared = route.input().map_or(&[][..], |input| input.params);
            let mut parameters: Vec<Json> = declared
                .iter()
                .map(|param| {
                    json!({
                        "name": param.field.name,
                        "in": param.location.as_str(),
                        "required": param.field.required || param.location == Location::Path,
                        "schema": field_schema(&param.field, &mut models),
                    })
                })
                .collect();
            // Path parameters no input declares (an untyped handler reads them as text).
            for name in &path_names {
                let typed = declared.iter().any(|p| p.location == Location::Path && p.field.name == name.as_str());
                if !typed {
                    parameters
                        .push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
                }
            }
            if !parameters.is_empty() {
                operation.insert("parameters".into(), json!(parameters));
            }
            if let Some(body) = route.input().and_then(|input| input.body.as_ref()) {
                operation.insert(
                    "requestBody".into(),
                    json!({
                        "required": body.required,
                        "content": {"application/json": {"schema": field_schema(body, &mut models)}},
                    }),
                );
            }
            let ok = match doc.response {
                Some(schema) => schema_of(schema, &Constraints::NONE, &mut models),
                None => json!({"type": "object", "additionalProperties": true}),
            };
            operation.insert(
                "responses".into(),
                json!({
                    "200": {"description": "Successful Response", "content": {"application/json": {"schema": ok}}},
                    "422": {
                        "description": "Validation Error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
                    },
                }),
            );
            if let Some(item) = item.as_object_mut() {
                item.insert(name, Json::Object(operation));
            }
        }
    }
    let mut schemas: Map<String, Json> = models.into_iter().collect();
    schemas.insert(
        "ValidationError".into(),
        json!({
            "type": "object",
            "title": "ValidationError",
            "properties": {
                "loc": {"type": "array", "title": "Location", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                "type": {"type": "string", "title": "Error Type"},
            },
            "required": ["loc", "type"],
        }),
    );
    schemas.insert(
        "HTTPValidationError".into(),
        json!({
            "type": "object",
            "title": "HTTPValidationError",
            "properties": {
                "statusCode": {"type": "integer"},
                "detail": {"type": "array", "title": "Detail", "items": {"$ref": "#/components/schemas/ValidationError"}},
            },
        }),
    );
    let mut info = json!({"title": config.title, "version": config.version});
    if let (Some(description), Some(info)) = (&config.description, info.as_object_mut()) {
        info.insert("description".into(), json!(description));
    }
    json!({
        "openapi": "3.1.0",
        "info": info,
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
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
fn field_schema(field: &FieldSchema, models: &mut BTreeMap<String, Json>) -> Json {
    let mut schema = schema_of(field.schema, &field.constraints, models);
    if let Some(object) = schema.as_object_mut() {
        if let Some(default) = field.default {
            object.insert("default".into(), default());
        }
        if let Some(description) = field.description {
            object.insert("description".into(), json!(description));
        }
    }
    schema
}

/// A type's schema with `constraints` applied where the reference puts them.
fn schema_of(schema: &Schema, constraints: &Constraints, models: &mut BTreeMap<String, Json>) -> Json {
    let mut out = match schema {
        Schema::Integer => json!({"type": "integer"}),
        Schema::Number => json!({"type": "number"}),
        Schema::Boolean => json!({"type": "boolean"}),
        Schema::String => json!({"type": "string"}),
        Schema::Literal(values) => json!({"type": "string", "enum": values}),
        Schema::Array(items) => json!({"type": "array", "items": schema_of(items, &Constraints::NONE, models)}),
        Schema::Nullable(inner) => {
            return json!({"anyOf": [schema_of(inner, constraints, models), {"type": "null"}]});
        }
        Schema::Model(model) => {
            if !models.contains_key(model.name) {
                // Registered before its fields, so that a model that contains itself ends.
                models.insert(model.name.to_owned(), Json::Null);
                let mut properties = Map::new();
                let mut required = Vec::new();
                for field in model.fields {
                    properties.insert(field.name.to_owned(), field_schema(field, models));
                    if field.required {
                        required.push(field.name);
                    }
                }
                let mut object = json!({"type": "object", "title": model.name, "properties": properties});
                if let Some(map) = object.as_object_mut() {
                    if !required.is_empty() {
                        map.insert("required".into(), json!(required));
                    }
                    if let Some(description) = model.description {
                        map.insert("description".into(), json!(description));
                    }
                }
                models.insert(model.name.to_owned(), object);
            }
            return json!({"$ref": format!("#/components/schemas/{}", model.name)});
        }
    };
    if let Some(object) = out.as_object_mut() {
        let bounds = [
            ("exclusiveMinimum", constraints.gt),
            ("minimum", constraints.ge),
            ("exclusiveMaximum", constraints.lt),
            ("maximum", constraints.le),
        ];
        for (key, bound) in bounds {
            if let Some(bound) = bound {
                object.insert(key.into(), json!(bound));
            }
        }
        let (min, max) =
            if matches!(schema, Schema::Array(_)) { ("minItems", "maxItems") } else { ("minLength", "maxLength") };
        if let Some(length) = constraints.min_length {
            object.insert(min.into(), json!(length));
        }
        if let Some(length) = constraints.max_length {
            object.insert(max.into(), json!(length));
        }
    }
    out
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
