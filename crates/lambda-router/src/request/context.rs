//! Contexts: the Lambda invocation's (request id, deadline, ARN) and the event's request
//! context (API Gateway request id, stage, caller, authorizer).

use super::{JsonValue, Request};
use crate::event::Source;
use crate::event::json::{member, string};

/// The Lambda invocation's context: what the Runtime API sends with the invocation (request
/// id, deadline, ARN, X-Ray trace id) and what the environment says of the function (name,
/// version, memory, log group and stream).
///
/// In sequential mode `lambda_runtime` also sets `_X_AMZN_TRACE_ID` for each invocation, as
/// the AWS SDKs read it; with `AWS_LAMBDA_MAX_CONCURRENCY` above 1 no environment variable can
/// belong to one invocation, so read [`xray_trace_id`](LambdaContext::xray_trace_id).
///
/// ```
/// use lambda_router::LambdaContext;
/// let context = LambdaContext { request_id: "8476a536", xray_trace_id: Some("Root=1-5759e988"), ..LambdaContext::LOCAL };
/// assert_eq!(context.function_name, "local");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LambdaContext<'a> {
    /// The invocation's request id (`Lambda-Runtime-Aws-Request-Id`).
    pub request_id: &'a str,
    /// The deadline, in milliseconds since the Unix epoch.
    pub deadline_ms: u64,
    /// The ARN the function was invoked with.
    pub function_arn: &'a str,
    /// The X-Ray trace header (`Lambda-Runtime-Trace-Id`), when tracing is on.
    pub xray_trace_id: Option<&'a str>,
    /// `AWS_LAMBDA_FUNCTION_NAME`.
    pub function_name: &'a str,
    /// `AWS_LAMBDA_FUNCTION_VERSION`.
    pub function_version: &'a str,
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, in MB.
    pub memory_mb: u32,
    /// `AWS_LAMBDA_LOG_GROUP_NAME`.
    pub log_group: &'a str,
    /// `AWS_LAMBDA_LOG_STREAM_NAME`.
    pub log_stream: &'a str,
}

impl LambdaContext<'_> {
    /// The context of a local invocation (no Lambda service around it).
    pub const LOCAL: LambdaContext<'static> = LambdaContext {
        request_id: "local",
        deadline_ms: u64::MAX,
        function_arn: "arn:aws:lambda:local:000000000000:function:local",
        xray_trace_id: None,
        function_name: "local",
        function_version: "$LATEST",
        memory_mb: 0,
        log_group: "",
        log_stream: "",
    };
}

impl<'a> Request<'a> {
    /// The request context of the event, to read anything the accessors below do not.
    pub fn request_context(&self) -> Option<JsonValue<'a>> {
        self.event.context.map(JsonValue)
    }

    fn context_path(&self, path: &[&str]) -> Option<JsonValue<'a>> {
        path.iter().try_fold(self.request_context()?, |value, key| value.get(key))
    }

    /// The API Gateway request id (`requestContext.requestId`).
    pub fn request_id(&self) -> Option<&'a str> {
        self.context_path(&["requestId"])?.as_str()
    }

    /// The API Gateway stage (`requestContext.stage`).
    pub fn stage(&self) -> Option<&'a str> {
        self.context_path(&["stage"])?.as_str()
    }

    /// The client's IP address: from the request context, or for ALB and VPC Lattice the first
    /// address of `X-Forwarded-For`.
    pub fn source_ip(&self) -> Option<&'a str> {
        let from_context = match self.event.source {
            Source::RestV1 => self.context_path(&["identity", "sourceIp"]),
            Source::HttpV2 | Source::FunctionUrl => self.context_path(&["http", "sourceIp"]),
            _ => None,
        };
        from_context
            .and_then(|v| v.as_str())
            .or_else(|| Some(self.header("x-forwarded-for")?.split(',').next()?.trim()))
    }

    /// The client's user agent.
    pub fn user_agent(&self) -> Option<&'a str> {
        let from_context = match self.event.source {
            Source::RestV1 => self.context_path(&["identity", "userAgent"]),
            Source::HttpV2 | Source::FunctionUrl => self.context_path(&["http", "userAgent"]),
            _ => None,
        };
        from_context.and_then(|v| v.as_str()).or_else(|| self.header("user-agent"))
    }

    /// The authorizer's output (`requestContext.authorizer`): Cognito or JWT claims, a Lambda
    /// authorizer's context, IAM.
    pub fn authorizer(&self) -> Option<JsonValue<'a>> {
        self.context_path(&["authorizer"]).filter(|v| !v.is_null())
    }

    /// A string claim of the authorizer: REST API Cognito claims
    /// (`authorizer.claims`) or HTTP API JWT claims (`authorizer.jwt.claims`).
    pub fn claim(&self, name: &str) -> Option<&'a str> {
        let authorizer = self.authorizer()?;
        authorizer.get("claims").or_else(|| authorizer.get("jwt")?.get("claims"))?.get(name)?.as_str()
    }

    /// The caller's IAM user ARN, for IAM-authorized requests.
    pub fn iam_user_arn(&self) -> Option<&'a str> {
        match self.event.source {
            Source::RestV1 => self.context_path(&["identity", "userArn"])?.as_str(),
            _ => self.authorizer()?.get("iam")?.get("userArn")?.as_str(),
        }
    }

    /// The stage variable `name`.
    pub fn stage_variable(&self, name: &str) -> Option<&'a str> {
        string(member(self.event.stage_variables?, name)?)
    }

    /// A path parameter as API Gateway itself matched it (`pathParameters`, from the API's
    /// own resources such as `/{proxy+}`), as opposed to this router's [`param`](Self::param).
    pub fn gateway_path_parameter(&self, name: &str) -> Option<&'a str> {
        string(member(self.event.path_parameters?, name)?)
    }
}
