//! JSON Schemas of typed inputs and models, in OpenAPI 3.1's spelling or 3.0's: a nullable
//! value is `anyOf [.., {"type": "null"}]` in 3.1 and `nullable: true` in 3.0; an exclusive
//! bound is a number in 3.1 and `minimum` with `exclusiveMinimum: true` in 3.0. The 3.0
//! document is the one for Amazon Bedrock Agents, which take no `enum`: a fixed set's values
//! are said in its `description`.

use super::document::Version;
use super::writer::Writer;
use crate::response::encode::write_str;
use crate::validate::{Constraints, FieldSchema, ModelSchema, Schema};

/// The component schemas met while writing the document, each written once at the end.
#[derive(Default)]
pub(super) struct Components {
    pub(super) models: Vec<&'static ModelSchema>,
    /// Enums: name, values, description.
    pub(super) enums: Vec<(&'static str, &'static [&'static str], Option<&'static str>)>,
}

impl Components {
    fn model(&mut self, model: &'static ModelSchema) {
        if !self.models.iter().any(|m| m.name == model.name) {
            self.models.push(model);
        }
    }

    fn enumeration(&mut self, name: &'static str, values: &'static [&'static str], description: Option<&'static str>) {
        if !self.enums.iter().any(|(n, ..)| *n == name) {
            self.enums.push((name, values, description));
        }
    }
}

/// The writer of schemas for one version of the document.
pub(super) struct Schemas<'w> {
    pub(super) w: &'w mut Writer,
    pub(super) components: &'w mut Components,
    pub(super) version: Version,
}

impl Schemas<'_> {
    /// A field's or a parameter's schema: its type's, its constraints, its default and its
    /// description.
    pub(super) fn field(&mut self, field: &FieldSchema) {
        self.schema(field.schema, &field.constraints, Some(field));
    }

    /// The schema of a type alone.
    pub(super) fn of(&mut self, schema: &'static Schema) {
        self.schema(schema, &Constraints::NONE, None);
    }

    /// A type's schema with `constraints` where the reference puts them; `field` adds its
    /// default and description at the outside.
    fn schema(&mut self, schema: &'static Schema, constraints: &Constraints, field: Option<&FieldSchema>) {
        // A fixed set's values, for a document without `enum` (see `fixed_set`).
        let mut allowed = None;
        match schema {
            Schema::Nullable(inner) => {
                self.w.begin('{');
                self.w.key("anyOf");
                self.w.begin('[');
                self.schema(inner, constraints, None);
                if self.version == Version::V31 {
                    self.w.raw(r#"{"type":"null"}"#);
                }
                self.w.end(']');
                if self.version == Version::V30 {
                    self.w.key("nullable");
                    self.w.raw("true");
                }
            }
            Schema::Model(model) => {
                self.components.model(model);
                self.w.begin('{');
                self.w.field("$ref", &format!("#/components/schemas/{}", model.name));
            }
            Schema::Enum { name, values, description } => {
                self.components.enumeration(name, values, *description);
                self.w.begin('{');
                self.w.field("$ref", &format!("#/components/schemas/{name}"));
            }
            Schema::Union(members) => {
                self.w.begin('{');
                self.w.key("anyOf");
                self.w.begin('[');
                for member in *members {
                    self.of(member);
                }
                self.w.end(']');
            }
            Schema::Array(items) => {
                self.w.typed("array");
                self.w.key("items");
                self.of(items);
                self.lengths(constraints, "minItems", "maxItems");
            }
            Schema::Map(values) => {
                self.w.typed("object");
                self.w.key("additionalProperties");
                self.of(values);
            }
            Schema::Literal(values) => {
                self.w.typed("string");
                allowed = self.fixed_set(FixedSet::Strings(values));
            }
            Schema::IntLiteral(values) => {
                self.w.typed("integer");
                allowed = self.fixed_set(FixedSet::Integers(values));
            }
            Schema::Integer | Schema::Number => {
                self.w.typed(if matches!(schema, Schema::Integer) { "integer" } else { "number" });
                self.bounds(constraints);
            }
            Schema::Boolean => self.w.typed("boolean"),
            Schema::String => {
                self.w.typed("string");
                self.lengths(constraints, "minLength", "maxLength");
                if let Some(pattern) = constraints.pattern {
                    self.w.field("pattern", pattern.as_str());
                }
            }
            Schema::Uuid => self.formatted("uuid"),
            Schema::Date => self.formatted("date"),
            Schema::DateTime => self.formatted("date-time"),
            Schema::Bytes => self.formatted("binary"),
        }
        if let Some(default) = field.and_then(|field| field.default) {
            self.w.key("default");
            self.w.raw(&default());
        }
        self.description(field.and_then(|field| field.description), allowed);
        self.w.end('}');
    }

    /// A fixed set of values: `enum` in 3.1. Amazon Bedrock Agents take a subset of OpenAPI 3.0
    /// without `enum`, and ask for the allowed values in the `description` instead ("Define
    /// OpenAPI schemas for your agent's action groups"): in 3.0, nothing is written and that
    /// sentence is returned, for [`description`](Self::description).
    fn fixed_set(&mut self, values: FixedSet<'_>) -> Option<String> {
        match self.version {
            Version::V31 => {
                self.w.key("enum");
                self.w.begin('[');
                match values {
                    FixedSet::Strings(values) => values.iter().for_each(|value| self.w.string(value)),
                    FixedSet::Integers(values) => values.iter().for_each(|value| self.w.raw(&value.to_string())),
                }
                self.w.end(']');
                None
            }
            Version::V30 => {
                // `One of: "a", "b".`: each value after a space and before a comma, the last
                // comma a full stop.
                let mut sentence = b"One of:".to_vec();
                match values {
                    FixedSet::Strings(values) => values.iter().for_each(|value| {
                        sentence.push(b' ');
                        write_str(&mut sentence, value);
                        sentence.push(b',');
                    }),
                    FixedSet::Integers(values) => values.iter().for_each(|value| {
                        sentence.extend_from_slice(format!(" {value},").as_bytes());
                    }),
                }
                if sentence.last() == Some(&b',') {
                    sentence.pop();
                }
                sentence.push(b'.');
                String::from_utf8(sentence).ok()
            }
        }
    }

    /// A schema's `description`: its own, then the allowed values of a fixed set (3.0's).
    fn description(&mut self, description: Option<&str>, allowed: Option<String>) {
        match (description, allowed) {
            (Some(description), Some(allowed)) => self.w.field("description", &format!("{description} {allowed}")),
            (Some(description), None) => self.w.field("description", description),
            (None, Some(allowed)) => self.w.field("description", &allowed),
            (None, None) => {}
        }
    }

    fn formatted(&mut self, format: &str) {
        self.w.typed("string");
        self.w.field("format", format);
    }

    fn lengths(&mut self, constraints: &Constraints, min: &str, max: &str) {
        for (key, length) in [(min, constraints.min_length), (max, constraints.max_length)] {
            if let Some(length) = length {
                self.w.key(key);
                self.w.raw(&length.to_string());
            }
        }
    }

    /// The bounds, in this version's spelling.
    fn bounds(&mut self, constraints: &Constraints) {
        let exclusive =
            [("exclusiveMinimum", "minimum", constraints.gt), ("exclusiveMaximum", "maximum", constraints.lt)];
        for (exclusive_key, inclusive_key, bound) in exclusive {
            if let Some(bound) = bound {
                match self.version {
                    Version::V31 => {
                        self.w.key(exclusive_key);
                        self.w.bound(bound);
                    }
                    Version::V30 => {
                        self.w.key(inclusive_key);
                        self.w.bound(bound);
                        self.w.key(exclusive_key);
                        self.w.raw("true");
                    }
                }
            }
        }
        for (key, bound) in [("minimum", constraints.ge), ("maximum", constraints.le)] {
            if let Some(bound) = bound {
                self.w.key(key);
                self.w.bound(bound);
            }
        }
    }

    /// A model's component schema: its fields, which are required, its description.
    pub(super) fn model(&mut self, model: &'static ModelSchema) {
        self.w.typed("object");
        self.w.field("title", model.name);
        if let Some(description) = model.description {
            self.w.field("description", description);
        }
        self.object(model.fields.iter());
        self.w.end('}');
    }

    /// `properties` and `required` of an object of these fields.
    pub(super) fn object<'f>(&mut self, fields: impl Iterator<Item = &'f FieldSchema> + Clone) {
        self.w.key("properties");
        self.w.begin('{');
        for field in fields.clone() {
            self.w.key(field.name);
            self.field(field);
        }
        self.w.end('}');
        if fields.clone().any(|f| f.required) {
            self.w.key("required");
            self.w.begin('[');
            for field in fields.filter(|f| f.required) {
                self.w.string(field.name);
            }
            self.w.end(']');
        }
    }

    /// An enum's component schema.
    pub(super) fn enumeration(&mut self, name: &str, values: &[&str], description: Option<&str>) {
        self.w.typed("string");
        self.w.field("title", name);
        // The description before the values, as the reference writes a component.
        match self.version {
            Version::V31 => {
                self.description(description, None);
                self.fixed_set(FixedSet::Strings(values));
            }
            Version::V30 => {
                let allowed = self.fixed_set(FixedSet::Strings(values));
                self.description(description, allowed);
            }
        }
        self.w.end('}');
    }
}

/// The values of a fixed set: a literal's or an enum's.
#[derive(Clone, Copy)]
enum FixedSet<'v> {
    Strings(&'v [&'v str]),
    Integers(&'v [i64]),
}
