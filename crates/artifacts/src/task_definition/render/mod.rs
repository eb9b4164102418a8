//! Rendering a task definition: read, convert to register input, substitute variables, edit,
//! check, and print — in that order, and nothing is returned unless every step succeeded.

use serde_json::Value;

use super::edit::{self, Edits, set_pointer};
use super::rules::{self, RuleOptions};
use super::shape::{self, ShapeType};
use super::source::{self, SourceFormat};
use crate::finding::{Finding, has_errors};
use crate::location::JsonPath;
use crate::placeholder::ImagePlaceholder;
use crate::variables::{Variables, substitute_strings};

/// Everything a render needs.
#[derive(Clone, Copy)]
pub struct RenderRequest<'a> {
    /// The template or fetched definition.
    pub source: &'a [u8],
    /// Its syntax.
    pub format: SourceFormat,
    /// Values for `${NAME}` references.
    pub variables: &'a dyn Variables,
    /// The edits to apply.
    pub edits: &'a Edits,
    /// `--set /pointer=VALUE` pairs, applied after the edits.
    pub sets: &'a [(String, String)],
    /// What the checks allow.
    pub options: RuleOptions,
}

impl std::fmt::Debug for RenderRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderRequest")
            .field("format", &self.format)
            .field("edits", &self.edits)
            .finish_non_exhaustive()
    }
}

/// One `Image<N>ContainerName` setting of the Blue/Green action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageSlot {
    /// N, 1 to [`ImagePlaceholder::MAX`]: the setting is [`ImagePlaceholder::container_setting`].
    pub slot: ImagePlaceholder,
    /// The placeholder name without brackets: the setting's value.
    pub placeholder: String,
    /// The container whose image it replaces.
    pub container: String,
}

/// A rendered task definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    /// The register-input document.
    pub document: Value,
    /// Pretty JSON with a trailing newline.
    pub bytes: Vec<u8>,
    /// Warnings found on the way (no errors: those fail the render).
    pub findings: Vec<Finding>,
    /// The placeholders and their action settings.
    pub slots: Vec<ImageSlot>,
}

/// Renders `request`; on failure, every error found (and the warnings) in the order found.
pub fn render(request: &RenderRequest<'_>) -> Result<Rendered, Vec<Finding>> {
    let (document, findings) = read(request.source, request.format)?;
    render_document(document, findings, request)
}

/// Reads a template, register input or describe output into register input: the first step
/// of [`render`], for callers that look at the document (its container names) before editing.
pub fn read(source: &[u8], format: SourceFormat) -> Result<(Value, Vec<Finding>), Vec<Finding>> {
    let (parsed, mut findings) = source::parse(source, format).map_err(|finding| vec![finding])?;
    let (document, dropped) = shape::to_register_input(parsed);
    if !dropped.is_empty() {
        let names: Vec<String> = dropped.iter().map(|name| format!("`{name}`")).collect();
        findings.push(
            Finding::warning(
                "describe-only-key",
                format!("dropped {}, which DescribeTaskDefinition returns and RegisterTaskDefinition refuses", names.join(", ")),
            )
            .at(JsonPath::root()),
        );
    }
    Ok((document, findings))
}

/// The rest of [`render`], from a document [`read`] returned (the request's `source` and
/// `format` are not used).
pub fn render_document(
    mut document: Value,
    mut findings: Vec<Finding>,
    request: &RenderRequest<'_>,
) -> Result<Rendered, Vec<Finding>> {
    substitute_strings(&mut document, request.variables)
        .map_err(|error| fail(&findings, error.findings()))?;
    edit::apply(&mut document, request.edits).map_err(|errors| fail(&findings, errors))?;
    for (pointer, raw) in request.sets {
        let value = coerce(pointer, raw).map_err(|error| fail(&findings, vec![error]))?;
        set_pointer(&mut document, pointer, value).map_err(|error| {
            fail(
                &findings,
                vec![Finding::error("set", error.to_string()).at_flag("--set", pointer)],
            )
        })?;
    }
    findings.extend(shape::check_structure(&document));
    findings.extend(rules::check(&document, &request.options));
    if has_errors(&findings) {
        return Err(findings);
    }
    let bytes = to_pretty_json(&document);
    let slots = image_slots(&document);
    Ok(Rendered {
        document,
        bytes,
        findings,
        slots,
    })
}

fn fail(earlier: &[Finding], errors: Vec<Finding>) -> Vec<Finding> {
    earlier.iter().cloned().chain(errors).collect()
}

/// Pretty JSON, keys sorted (`serde_json`'s default map), and a trailing newline.
#[must_use]
pub fn to_pretty_json(document: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(document).expect("a JSON value always serializes");
    bytes.push(b'\n');
    bytes
}

/// `--set` values take the type the API model gives the member: `--set /cpu=512` stays the
/// string ECS wants, `--set /containerDefinitions/0/cpu=512` becomes the integer.
fn coerce(pointer: &str, raw: &str) -> Result<Value, Finding> {
    let wrong = |expected: &str| {
        Finding::error(
            "set",
            format!("`{pointer}` takes {expected}, and `{raw}` is not one"),
        )
        .at_flag("--set", pointer)
    };
    match shape::type_at_pointer(pointer) {
        Some(ShapeType::String) => Ok(Value::String(raw.to_owned())),
        Some(ShapeType::Integer | ShapeType::Long) => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| wrong("an integer")),
        Some(ShapeType::Double | ShapeType::Float) => raw
            .parse::<f64>()
            .map(Value::from)
            .map_err(|_| wrong("a number")),
        Some(ShapeType::Boolean) => raw
            .parse::<bool>()
            .map(Value::from)
            .map_err(|_| wrong("`true` or `false`")),
        Some(ShapeType::Structure | ShapeType::List | ShapeType::Map) => {
            serde_json::from_str(raw).map_err(|_| wrong("a JSON object or array"))
        }
        Some(ShapeType::Timestamp | ShapeType::Blob) | None => {
            Ok(serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_owned())))
        }
    }
}

/// `IMAGEn_NAME` placeholders keep slot n; others take the free slots in container order.
/// The rules have refused more placeholders than there are slots.
fn image_slots(document: &Value) -> Vec<ImageSlot> {
    let found = rules::placeholders(document);
    let mut slots: Vec<ImageSlot> = found
        .iter()
        .filter_map(|(placeholder, container)| {
            Some(ImageSlot {
                slot: ImagePlaceholder::from_setting(placeholder)?,
                placeholder: placeholder.clone(),
                container: container.clone(),
            })
        })
        .collect();
    for (placeholder, container) in &found {
        if ImagePlaceholder::from_setting(placeholder).is_none()
            && let Some(free) = ImagePlaceholder::all().find(|n| slots.iter().all(|s| s.slot != *n))
        {
            slots.push(ImageSlot {
                slot: free,
                placeholder: placeholder.clone(),
                container: container.clone(),
            });
        }
    }
    slots.sort_by_key(|slot| slot.slot);
    slots
}

#[cfg(test)]
mod tests;
