//! The Swagger UI page: swagger-ui-dist's script and stylesheet, pointed at the document, with
//! the reference's options (OAuth 2 settings, persisted authorization).

use super::{OAuth2Config, OpenApi};

/// The page for `config`, with the reference's options: operations listed, deep links, the
/// filter box, extensions shown, the download bar, credentials sent, authorizations kept when
/// asked, and the OAuth 2 redirect at `?format=oauth2-redirect`.
pub(super) fn page(config: &OpenApi) -> String {
    let title = html_escape(&config.title);
    let (js, css) = (html_escape(&config.js), html_escape(&config.css));
    let persist = if config.persist_authorization { "true" } else { "false" };
    let oauth2 = config.oauth2.as_ref().map(init_oauth).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <meta http-equiv=\"Cache-control\" content=\"no-cache, no-store, must-revalidate\">\n\
         <link rel=\"stylesheet\" href=\"{css}\">\n</head>\n<body>\n<div id=\"swagger-ui\"></div>\n\
         <script src=\"{js}\"></script>\n<script>\n\
         var here = window.location.protocol + \"//\" + window.location.host + window.location.pathname;\n\
         window.ui = SwaggerUIBundle({{\n  url: window.location.pathname + \"?format=json\",\n  \
         dom_id: \"#swagger-ui\",\n  docExpansion: \"list\",\n  deepLinking: true,\n  filter: true,\n  \
         layout: \"BaseLayout\",\n  showExtensions: true,\n  showCommonExtensions: true,\n  \
         presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],\n  \
         plugins: [SwaggerUIBundle.plugins.DownloadUrl],\n  withCredentials: true,\n  \
         persistAuthorization: {persist},\n  oauth2RedirectUrl: here + \"?format=oauth2-redirect\"\n}});\n\
         {oauth2}</script>\n</body>\n</html>\n"
    )
}

/// The page an OAuth 2 provider sends the browser back to (`?format=oauth2-redirect`): it
/// hands the grant to the Swagger UI window that opened it (`swaggerUIRedirectOauth2`, the
/// UI's redirect protocol) and closes. The code of an authorization-code flow, or the token
/// of an implicit one, after the state the UI sent is checked.
pub(super) const OAUTH2_REDIRECT: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Swagger UI: OAuth2 redirect</title></head>
<body>
<script>
(function () {
  var pending = window.opener && window.opener.swaggerUIRedirectOauth2;
  if (!pending) { document.body.textContent = "No Swagger UI is waiting for this sign-in."; return; }
  var raw = /code|token|error/.test(window.location.hash)
    ? window.location.hash.substring(1)
    : window.location.search.substring(1);
  var params = {};
  raw.split("&").forEach(function (pair) {
    if (!pair) { return; }
    var at = pair.indexOf("=");
    var key = decodeURIComponent((at < 0 ? pair : pair.substring(0, at)).replace(/\+/g, " "));
    params[key] = at < 0 ? "" : decodeURIComponent(pair.substring(at + 1).replace(/\+/g, " "));
  });
  var auth = pending.auth;
  var isValid = params.state === auth.state;
  var flow = auth.schema.get ? auth.schema.get("flow") : auth.schema.flow;
  var codeFlow = flow === "accessCode" || flow === "authorizationCode" || flow === "authorization_code";
  if (codeFlow && !auth.code) {
    if (!isValid) {
      pending.errCb({ authId: auth.name, source: "auth", level: "warning",
        message: "The state sent and the state received differ: the sign-in may not be genuine." });
    }
    if (params.code) {
      delete pending.state;
      auth.code = params.code;
      pending.callback({ auth: auth, redirectUrl: pending.redirectUrl });
    } else {
      pending.errCb({ authId: auth.name, source: "auth", level: "error",
        message: params.error
          ? "[" + params.error + "]: " + (params.error_description || "no description") + (params.error_uri ? " (" + params.error_uri + ")" : "")
          : "The authorization server answered without a code." });
    }
  } else {
    pending.callback({ auth: auth, token: params, isValid: isValid, redirectUrl: pending.redirectUrl });
  }
  window.close();
})();
</script>
</body>
</html>
"#;

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
    format!("window.ui.initOAuth({{ {} }});\n", options.join(", "))
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
