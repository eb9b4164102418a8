//! Values as CloudFormation would resolve them, as far as that can be known before deploying:
//! parameters by their `Default`, `Fn::Sub` with those filled in, `Fn::Join` and `Fn::GetAtt`
//! in both their long and their tag-less short forms.

use serde_json::{Map, Value};

/// `!Ref AWS::NoValue` removes the property it is the value of.
pub(super) const NO_VALUE: &str = "AWS::NoValue";

/// Resolves values against the template's parameters.
pub(super) struct Resolver<'t> {
    pub(super) parameters: Option<&'t Map<String, Value>>,
}

impl Resolver<'_> {
    /// The string a value stands for, when it can be known without deploying.
    pub(super) fn text(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(text) => self.named(text),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            Value::Object(map) if map.len() == 1 => {
                let (function, inner) = map.iter().next()?;
                match (function.as_str(), inner) {
                    ("Ref", Value::String(name)) => self.named(name),
                    ("Fn::Sub", Value::String(text)) => Some(self.substitute(text)),
                    ("Fn::Sub", Value::Array(list)) => list
                        .first()
                        .and_then(Value::as_str)
                        .map(|text| self.substitute(text)),
                    ("Fn::GetAtt" | "Fn::Join", _) => self.sequence(inner),
                    _ => None,
                }
            }
            Value::Array(_) => self.sequence(value),
            _ => None,
        }
    }

    /// `!Join [sep, [parts]]` and `!GetAtt [Resource, Attribute]`, which lose their tags.
    fn sequence(&self, value: &Value) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Array(list) => match list.as_slice() {
                [Value::String(separator), Value::Array(parts)] => {
                    let parts: Option<Vec<String>> = parts.iter().map(|p| self.text(p)).collect();
                    Some(parts?.join(separator))
                }
                [Value::String(resource), Value::String(attribute)] => {
                    Some(format!("{resource}.{attribute}"))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A parameter's default for its name; any other string with its `${Parameter}`s filled in.
    fn named(&self, text: &str) -> Option<String> {
        if text == NO_VALUE {
            return None;
        }
        match self.parameters.and_then(|p| p.get(text)) {
            Some(parameter) => Some(
                parameter
                    .get("Default")
                    .and_then(|d| self.text(d))
                    .unwrap_or_else(|| text.to_owned()),
            ),
            None => Some(self.substitute(text)),
        }
    }

    fn substitute(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (name, parameter) in self.parameters.into_iter().flatten() {
            if let Some(default) = parameter.get("Default").and_then(Value::as_str) {
                out = out.replace(&format!("${{{name}}}"), default);
            }
        }
        out
    }
}
