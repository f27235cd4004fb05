//! The `functionSchema` of a function action group, as CloudFormation's `AWS::Bedrock::Agent`
//! takes it (`ActionGroups[].FunctionSchema`): each tool's name, description and parameters,
//! each parameter's type (`string`, `integer`, `number`, `boolean`, `array`), description and
//! whether it is required. Printed by `--function-schema`.

use super::writer::Writer;
use crate::agent::Tool;
use crate::validate::{Location, Schema};

/// The schema of `tools`.
pub(crate) fn write(tools: &[Tool]) -> String {
    let mut w = Writer::default();
    w.begin('{');
    w.key("Functions");
    w.begin('[');
    for tool in tools {
        w.begin('{');
        w.field("Name", tool.name());
        if let Some(description) = tool.about() {
            w.field("Description", description);
        }
        w.key("Parameters");
        w.begin('{');
        let params = tool.handler().input().map_or(&[][..], |input| input.params);
        for param in params.iter().filter(|p| matches!(p.location, Location::Path | Location::Query)) {
            let field = &param.field;
            w.key(field.name);
            w.begin('{');
            w.field("Type", kind(field.schema));
            if let Some(description) = field.description {
                w.field("Description", description);
            }
            w.key("Required");
            w.raw(if field.required { "true" } else { "false" });
            w.end('}');
        }
        w.end('}');
        w.end('}');
    }
    w.end(']');
    w.end('}');
    String::from_utf8(w.out).unwrap_or_default()
}

/// The type the function schema of `tools` declares for the parameter `name` of the tool
/// `function` (which Bedrock writes in its call's parameters), or `None` if there is no such
/// parameter.
pub(crate) fn declared_type(tools: &[Tool], function: &str, name: &str) -> Option<&'static str> {
    let tool = tools.iter().find(|tool| tool.name() == function)?;
    let params = tool.handler().input().map_or(&[][..], |input| input.params);
    params
        .iter()
        .filter(|p| matches!(p.location, Location::Path | Location::Query))
        .find(|p| p.field.name == name)
        .map(|p| kind(p.field.schema))
}

/// The parameter type Bedrock knows for a schema.
fn kind(schema: &Schema) -> &'static str {
    match schema {
        Schema::Integer | Schema::IntLiteral(_) => "integer",
        Schema::Number => "number",
        Schema::Boolean => "boolean",
        Schema::Array(_) => "array",
        Schema::Nullable(inner) => kind(inner),
        _ => "string",
    }
}
