//! The pipeline benchmark's scenarios: realistic events (1.5–3 KB, ~20 headers) made from the
//! AWS sample events in `crates/lambda-router/tests/fixtures/events/`, one per case the issue names.

use serde_json::{Value, json};

pub struct Scenario {
    pub name: &'static str,
    pub event: Vec<u8>,
    /// The status both apps must answer.
    pub status: u16,
}

/// The headers a browser request carries through CloudFront and API Gateway.
const HEADERS: [(&str, &str); 20] = [
    ("Accept", "application/json, text/plain, */*"),
    ("Accept-Language", "en-GB,en;q=0.9,fr;q=0.8"),
    (
        "Authorization",
        "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
    ("CloudFront-Forwarded-Proto", "https"),
    ("CloudFront-Is-Desktop-Viewer", "true"),
    ("CloudFront-Is-Mobile-Viewer", "false"),
    ("CloudFront-Viewer-Country", "GB"),
    ("Content-Type", "application/json"),
    ("Host", "abcdef1234.execute-api.eu-west-1.amazonaws.com"),
    ("Origin", "https://app.example.com"),
    ("Referer", "https://app.example.com/dashboard"),
    ("sec-ch-ua", "\"Chromium\";v=\"130\", \"Google Chrome\";v=\"130\""),
    ("sec-fetch-mode", "cors"),
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"),
    ("Via", "2.0 a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6.cloudfront.net (CloudFront)"),
    ("X-Amz-Cf-Id", "kE2WxDdV7Tj4fRkFqvR9mK2b4mQ4kYl9wq3N8eZ0cXrT5vB1aS6jLg=="),
    ("X-Amzn-Trace-Id", "Root=1-67a1b2c3-4d5e6f7a8b9c0d1e2f3a4b5c"),
    ("X-Forwarded-For", "203.0.113.42, 130.176.36.81"),
    ("X-Forwarded-Port", "443"),
    ("X-Forwarded-Proto", "https"),
];

fn fixture(name: &str) -> Value {
    let path = format!("{}/../crates/lambda-router/tests/fixtures/events/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture JSON")
}

pub fn rest_v1(method: &str, path: &str, body: Option<&str>, extra: &[(&str, &str)]) -> Vec<u8> {
    let mut event = fixture("apiGatewayProxyEvent.json");
    let headers: Vec<(&str, &str)> = HEADERS.iter().copied().chain(extra.iter().copied()).collect();
    event["httpMethod"] = json!(method);
    event["path"] = json!(path);
    event["resource"] = json!("/{proxy+}");
    event["requestContext"]["httpMethod"] = json!(method);
    event["requestContext"]["path"] = json!(format!("/prod{path}"));
    event["requestContext"]["stage"] = json!("prod");
    event["headers"] = headers.iter().map(|(n, v)| (n.to_string(), json!(v))).collect();
    event["multiValueHeaders"] = headers.iter().map(|(n, v)| (n.to_string(), json!([v]))).collect();
    event["queryStringParameters"] = Value::Null;
    event["multiValueQueryStringParameters"] = Value::Null;
    event["pathParameters"] = json!({"proxy": path.trim_start_matches('/')});
    event["body"] = json!(body);
    serde_json::to_vec(&event).expect("serializes")
}

fn http_v2(path: &str) -> Vec<u8> {
    let mut event = fixture("apiGatewayProxyV2Event.json");
    event["rawPath"] = json!(path);
    event["rawQueryString"] = json!("");
    event["requestContext"]["http"]["method"] = json!("GET");
    event["requestContext"]["http"]["path"] = json!(path);
    event["headers"] = HEADERS.iter().map(|(n, v)| (n.to_ascii_lowercase(), json!(v))).collect();
    event["queryStringParameters"] = Value::Null;
    event["pathParameters"] = Value::Null;
    event["body"] = Value::Null;
    serde_json::to_vec(&event).expect("serializes")
}

fn alb(path: &str) -> Vec<u8> {
    let mut event = fixture("albEvent.json");
    event["httpMethod"] = json!("GET");
    event["path"] = json!(path);
    event["headers"] = HEADERS.iter().map(|(n, v)| (n.to_ascii_lowercase(), json!(v))).collect();
    event["queryStringParameters"] = json!({});
    event["body"] = json!("");
    serde_json::to_vec(&event).expect("serializes")
}

pub fn all() -> Vec<Scenario> {
    vec![
        Scenario { name: "rest-v1 GET /hello", event: rest_v1("GET", "/hello", None, &[]), status: 200 },
        Scenario { name: "rest-v1 GET /hello/<name>", event: rest_v1("GET", "/hello/world", None, &[]), status: 200 },
        Scenario {
            name: "rest-v1 POST /echo (300 B JSON)",
            event: rest_v1("POST", "/echo", Some(test_support::pipeline::data::ORDER_JSON), &[]),
            status: 200,
        },
        Scenario { name: "http-v2 GET /hello/<name>", event: http_v2("/hello/world"), status: 200 },
        Scenario { name: "alb GET /hello", event: alb("/hello"), status: 200 },
        Scenario {
            name: "rest-v1 GET /compressed (10 KB, gzip)",
            event: rest_v1("GET", "/compressed", None, &[("Accept-Encoding", "gzip, deflate, br")]),
            status: 200,
        },
        Scenario { name: "rest-v1 404", event: rest_v1("GET", "/v2/nothing/here", None, &[]), status: 404 },
    ]
}
