//! The event synthesizer: what each source sends for an HTTP request, in the shapes of the
//! AWS sample events (the test suite checks them against those samples). The test API and the
//! dev server both build their events here.

use serde_json::{Map, Value, json};

use super::TestRequest;
use crate::event::Source;

/// The query string as `(name, value)` pairs, percent-decoded or not.
pub(crate) fn query_pairs(query: &str, decoded: bool) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if decoded { (percent_decode(name), percent_decode(value)) } else { (name.to_owned(), value.to_owned()) }
        })
        .collect()
}

/// Percent-decodes a component (`+` is a space), as API Gateway does for its maps.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
                (Some(hi), Some(lo)) => {
                    out.push((hi * 16 + lo) as u8);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// ALB passes query strings through as they came: percent-encoded.
fn encoded(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (percent_encode(n), percent_encode(v))).collect()
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn single(pairs: &[(String, String)], join: bool) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        match map.get_mut(name) {
            Some(Value::String(existing)) if join => {
                existing.push(',');
                existing.push_str(value);
            }
            _ => {
                map.insert(name.clone(), json!(value));
            }
        }
    }
    map
}

fn multi(pairs: &[(String, String)]) -> Map<String, Value> {
    let mut map = Map::new();
    for (name, value) in pairs {
        if let Value::Array(values) = map.entry(name.clone()).or_insert_with(|| json!([])) {
            values.push(json!(value));
        }
    }
    map
}

fn or_null(map: Map<String, Value>) -> Value {
    if map.is_empty() { Value::Null } else { Value::Object(map) }
}

/// The event `source` sends for `request` (the dev server uses this too). `request.path` is
/// the path as it came over HTTP (percent-encoded); query values are not encoded.
pub(crate) fn build_event(source: Source, request: &TestRequest) -> Value {
    let method = request.method.as_str();
    let path = request.path.as_str();
    let (body, base64) = match (request.body.is_empty(), std::str::from_utf8(&request.body)) {
        (true, _) => (Value::Null, false),
        (false, Ok(text)) => (json!(text), false),
        (false, Err(_)) => (json!(base64_simd::STANDARD.encode_to_string(&request.body)), true),
    };
    let headers = &request.headers;
    let header = |name: &str| headers.iter().rev().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
    let user_agent = header("user-agent").unwrap_or("lambda-router-test");
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let request_id = format!("test-{now_ms}");
    let lower: Vec<(String, String)> = headers.iter().map(|(n, v)| (n.to_ascii_lowercase(), v.clone())).collect();
    let query = &request.query;
    let raw_query: Vec<String> = query.iter().map(|(n, v)| format!("{n}={v}")).collect();

    match source {
        Source::RestV1 => json!({
            "version": "1.0",
            "resource": "/{proxy+}",
            "path": path,
            "httpMethod": method,
            "headers": single(headers, false),
            "multiValueHeaders": multi(headers),
            "queryStringParameters": or_null(single(query, false)),
            "multiValueQueryStringParameters": or_null(multi(query)),
            "pathParameters": {"proxy": path.trim_start_matches('/')},
            "stageVariables": null,
            "requestContext": {
                "accountId": "123456789012", "apiId": "test", "stage": "test", "requestId": request_id,
                "httpMethod": method, "path": path, "protocol": "HTTP/1.1", "resourcePath": "/{proxy+}",
                "requestTimeEpoch": now_ms, "identity": {"sourceIp": request.source_ip, "userAgent": user_agent},
            },
            "body": body,
            "isBase64Encoded": base64,
        }),
        Source::HttpV2 | Source::FunctionUrl => {
            let cookies: Vec<String> = lower
                .iter()
                .filter(|(name, _)| name == "cookie")
                .flat_map(|(_, value)| value.split(';').map(|c| c.trim().to_owned()).collect::<Vec<_>>())
                .collect();
            let others: Vec<(String, String)> = lower.iter().filter(|(n, _)| n != "cookie").cloned().collect();
            let domain = if source == Source::FunctionUrl {
                "test.lambda-url.us-east-1.on.aws"
            } else {
                "test.execute-api.us-east-1.amazonaws.com"
            };
            json!({
                "version": "2.0",
                "routeKey": "$default",
                // HTTP API delivers the path decoded.
                "rawPath": percent_decode(&path.replace('+', "%2B")),
                "rawQueryString": raw_query.join("&"),
                "cookies": cookies,
                "headers": single(&others, true),
                "queryStringParameters": or_null(single(query, true)),
                "requestContext": {
                    "accountId": "123456789012", "apiId": "test", "domainName": domain, "requestId": request_id,
                    "routeKey": "$default", "stage": "$default", "timeEpoch": now_ms,
                    "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": request.source_ip, "userAgent": user_agent},
                },
                "body": body,
                "isBase64Encoded": base64,
            })
        }
        Source::AlbMultiValue => json!({
            "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/test/0"}},
            "httpMethod": method,
            "path": path,
            "multiValueQueryStringParameters": multi(&encoded(query)),
            "multiValueHeaders": multi(&lower),
            "body": body.as_str().unwrap_or(""),
            "isBase64Encoded": base64,
        }),
        Source::VpcLatticeV1 => json!({
            "raw_path": if raw_query.is_empty() { path.to_owned() } else { format!("{path}?{}", raw_query.join("&")) },
            "method": method,
            "headers": single(&lower, true),
            "query_string_parameters": single(query, false),
            "body": body.as_str().unwrap_or(""),
            "is_base64_encoded": base64,
        }),
        Source::VpcLatticeV2 => json!({
            "version": "2.0",
            "path": if raw_query.is_empty() { path.to_owned() } else { format!("{path}?{}", raw_query.join("&")) },
            "method": method,
            "headers": multi(&lower),
            "queryStringParameters": multi(query),
            "body": body,
            "isBase64Encoded": base64,
            "requestContext": {
                "serviceNetworkArn": "arn:aws:vpc-lattice:us-east-1:123456789012:servicenetwork/sn-test",
                "serviceArn": "arn:aws:vpc-lattice:us-east-1:123456789012:service/svc-test",
                "targetGroupArn": "arn:aws:vpc-lattice:us-east-1:123456789012:targetgroup/tg-test",
                "region": "us-east-1",
                "timeEpoch": now_ms.to_string(),
            },
        }),
        // An agent's call: the path is the operation's `apiPath` (or, for a function action
        // group, `/function`), the query pairs its `parameters`, and a JSON object body its
        // body's properties (values as strings, as Bedrock sends them).
        Source::BedrockAgent | Source::BedrockAgentFunction => {
            // A function call's parameters get the type the tool declares when the app runs
            // the event (`App::invoke`), as Bedrock writes the action group's.
            let parameters: Vec<Value> = query
                .iter()
                .map(|(name, value)| match source {
                    Source::BedrockAgentFunction => json!({"name": name, "value": value}),
                    _ => json!({"name": name, "type": "string", "value": value}),
                })
                .collect();
            let mut event = json!({
                "messageVersion": "1.0",
                "agent": {"name": "test-agent", "id": "AGENT00000", "alias": "TSTALIASID", "version": "DRAFT"},
                "inputText": "a test",
                "sessionId": request_id,
                "actionGroup": "TestActions",
                "parameters": parameters,
                "sessionAttributes": {},
                "promptSessionAttributes": {},
            });
            if source == Source::BedrockAgentFunction {
                event["function"] = json!(path.trim_start_matches('/'));
            } else {
                event["apiPath"] = json!(path);
                event["httpMethod"] = json!(method);
                let object = serde_json::from_slice::<Value>(&request.body).ok();
                if let Some(Value::Object(object)) = object {
                    let properties: Vec<Value> = object
                        .iter()
                        .map(|(name, value)| {
                            let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                            json!({"name": name, "type": "string", "value": text})
                        })
                        .collect();
                    event["requestBody"] = json!({"content": {"application/json": {"properties": properties}}});
                }
            }
            let _ = (user_agent, &lower, &raw_query, body, base64);
            event
        }
        Source::Alb => json!({
            // ALB, multi-value headers off: the last value of each header; query not decoded.
            "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/test/0"}},
            "httpMethod": method,
            "path": path,
            "queryStringParameters": single(&encoded(query), false),
            "headers": single(&lower, false),
            "body": body.as_str().unwrap_or(""),
            "isBase64Encoded": base64,
        }),
    }
}
