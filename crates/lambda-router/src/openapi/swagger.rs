//! The Swagger UI page: swagger-ui-dist's script and stylesheet, pointed at the document, with
//! the reference's options (OAuth 2 settings, persisted authorization).

use super::{OAuth2Config, OpenApi};

/// The page for `config`.
pub(super) fn page(config: &OpenApi) -> String {
    let title = html_escape(&config.title);
    let (js, css) = (html_escape(&config.js), html_escape(&config.css));
    let persist = if config.persist_authorization { "true" } else { "false" };
    let oauth2 = config.oauth2.as_ref().map(init_oauth).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n</head>\n<body>\n<div id=\"swagger-ui\"></div>\n\
         <script src=\"{js}\"></script>\n<script>\nwindow.onload = function () {{\n  \
         window.ui = SwaggerUIBundle({{ url: window.location.pathname + \"?format=json\", dom_id: \"#swagger-ui\", \
         persistAuthorization: {persist} }});\n{oauth2}}};\n</script>\n</body>\n</html>\n"
    )
}

/// `ui.initOAuth({...})`, its values as JSON strings.
fn init_oauth(config: &OAuth2Config) -> String {
    let mut options = Vec::new();
    for (key, value) in [("clientId", &config.client_id), ("realm", &config.realm), ("appName", &config.app_name)] {
        if let Some(value) = value {
            options.push(format!("{key}: {}", json_string(value)));
        }
    }
    if !config.scopes.is_empty() {
        options.push(format!("scopes: {}", json_string(&config.scopes.join(" "))));
    }
    if config.use_pkce {
        options.push("usePkceWithAuthorizationCodeGrant: true".to_owned());
    }
    format!("  window.ui.initOAuth({{ {} }});\n", options.join(", "))
}

/// A JSON string literal, safe inside a `<script>` element (no `</`).
fn json_string(text: &str) -> String {
    let mut out = Vec::new();
    crate::response::encode::write_str(&mut out, text);
    String::from_utf8_lossy(&out).replace("</", "<\\/")
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
