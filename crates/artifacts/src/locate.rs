//! Where a JSON path points in a text: the line and column of the member's key, or of the
//! element, read from the spans of a YAML parse. YAML 1.2 is a superset of JSON, so one
//! span-keeping parser (granit-parser, the one `serde-saphyr` reads with) places paths in both
//! kinds of file.
//!
//! A CloudFormation place named as the template's checks name it
//! (`Resources.Pipeline.Stages[Build].Actions[Build].Configuration.ProjectName`: a list element
//! chosen by its `Name`, a resource's property without `Properties`) is first made a JSON path
//! against the template's values, then placed the same way.

use serde_json::Value;
use serde_saphyr::granit_parser::{Event, Marker, Parser};

use crate::location::{Column, JsonPath, Position, Segment};

/// Where `path` is in `text`: the key of its last member, or its element. When the path goes
/// further than the document does (a missing member, a text that stops parsing), the deepest
/// part of it that exists; `None` when not even the root parses.
#[must_use]
pub fn position_of(text: &str, path: &JsonPath) -> Option<Position> {
    let target = path.segments();
    let mut best: Option<(usize, Marker)> = None;
    let mut note = |depth: usize, marker: Marker| {
        if best.is_none_or(|(found, _)| depth > found) {
            best = Some((depth, marker));
        }
    };
    // One frame per open mapping or sequence: its own path segment (none for the root) and
    // what comes next in it.
    let mut frames: Vec<Frame> = Vec::new();
    let mut current: Vec<Segment> = Vec::new();
    // Nodes inside a key that is itself a mapping or sequence: they are not on any path.
    let mut skipping = 0usize;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        let starts = matches!(
            event,
            Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Scalar(..)
                | Event::Alias(_)
        );
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        if skipping > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => skipping += 1,
                Event::MappingEnd | Event::SequenceEnd => skipping -= 1,
                _ => {}
            }
            continue;
        }
        if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
            if let Some(frame) = frames.pop()
                && frame.segment.is_some()
            {
                current.pop();
            }
            continue;
        }
        if matches!(event, Event::DocumentEnd) {
            break;
        }
        if !starts {
            continue;
        }
        if let Some(frame) = frames.last_mut()
            && matches!(frame.next, Next::Key)
        {
            if let Event::Scalar(key, ..) = &event {
                frame.next = Next::Value(key.to_string(), span.start);
            } else {
                frame.next = Next::Value(String::new(), span.start);
                skipping = usize::from(opens);
            }
            continue;
        }
        // The segment this node stands at, and where a finding about it points.
        let (segment, marker) = match frames.last_mut() {
            None => (None, span.start),
            Some(frame) => match std::mem::replace(&mut frame.next, Next::Key) {
                Next::Value(key, at) => (Some(Segment::Key(key)), at),
                Next::Element(index) => {
                    frame.next = Next::Element(index + 1);
                    (Some(Segment::Index(index)), span.start)
                }
                Next::Key => unreachable!("keys are taken above"),
            },
        };
        let depth = current.len() + usize::from(segment.is_some());
        let on_path = depth <= target.len()
            && current[..] == target[..current.len()]
            && segment.as_ref().is_none_or(|s| *s == target[current.len()]);
        if on_path {
            note(depth, marker);
            if depth == target.len() {
                break;
            }
        }
        if opens {
            frames.push(Frame {
                segment: segment.clone(),
                next: if matches!(event, Event::MappingStart(..)) {
                    Next::Key
                } else {
                    Next::Element(0)
                },
            });
            if let Some(segment) = segment {
                current.push(segment);
            }
        }
    }
    best.map(|(_, marker)| Position {
        line: marker.line(),
        column: Some(Column::Character(marker.col() + 1)),
    })
}

/// An open mapping or sequence.
struct Frame {
    segment: Option<Segment>,
    next: Next,
}

/// What the next node of a frame is.
enum Next {
    /// A mapping's key.
    Key,
    /// A mapping's value, after this key, which starts here.
    Value(String, Marker),
    /// A sequence's element at this index.
    Element(usize),
}

/// Where the CloudFormation place `place` is in the template `text`, as [`position_of`] places
/// its JSON path. The place is read up to what follows it (`, buildspecs/dev.yml:14`,
/// ` (the inline buildspec…)`); `None` when it does not start at `Resources` or the text does
/// not parse.
#[must_use]
pub fn position_of_named(text: &str, place: &str) -> Option<Position> {
    let place = place.split([',', ' ']).next()?;
    if !place.starts_with("Resources.") {
        return None;
    }
    let template: Value = serde_saphyr::from_str(text).ok()?;
    position_of(text, &named_path(&template, place))
}

/// The JSON path of `place` in `template`, as far as the template has it: `.Key` is a member
/// (or the member of the resource's `Properties`), `[Name]` the element whose `Name` is
/// `Name`, `[3]` the element at 3.
fn named_path(template: &Value, place: &str) -> JsonPath {
    let mut path = JsonPath::root();
    let mut node = template;
    for step in steps(place) {
        let Some((segments, value)) = step_into(node, &step) else {
            break;
        };
        for segment in segments {
            path = match segment {
                Segment::Key(key) => path.key(key),
                Segment::Index(index) => path.index(index),
            };
        }
        node = value;
    }
    path
}

/// The value one step of a place into `node`, and the segments that lead to it.
fn step_into<'v>(node: &'v Value, step: &Segment) -> Option<(Vec<Segment>, &'v Value)> {
    match (step, node) {
        (Segment::Key(key), Value::Object(members)) => {
            if let Some(value) = members.get(key) {
                return Some((vec![step.clone()], value));
            }
            let value = members.get("Properties")?.get(key)?;
            Some((vec![Segment::Key("Properties".into()), step.clone()], value))
        }
        (Segment::Key(name), Value::Array(elements)) => {
            let index = elements
                .iter()
                .position(|e| e.get("Name").and_then(Value::as_str) == Some(name))?;
            Some((vec![Segment::Index(index)], &elements[index]))
        }
        (Segment::Index(index), Value::Array(elements)) => {
            Some((vec![step.clone()], elements.get(*index)?))
        }
        _ => None,
    }
}

/// The steps of a place: `Stages[Build]` is the key `Stages` and then `Build`, a bracketed
/// number an index; dots inside brackets belong to the name.
fn steps(place: &str) -> Vec<Segment> {
    let mut steps = Vec::new();
    let mut rest = place;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']').unwrap_or(inner.len());
            let name = &inner[..end];
            steps.push(match name.parse() {
                Ok(index) => Segment::Index(index),
                Err(_) => Segment::Key(name.to_owned()),
            });
            rest = inner.get(end + 1..).unwrap_or_default();
        } else {
            let rest_key = rest.strip_prefix('.').unwrap_or(rest);
            let end = rest_key.find(['.', '[']).unwrap_or(rest_key.len());
            steps.push(Segment::Key(rest_key[..end].to_owned()));
            rest = &rest_key[end..];
        }
    }
    steps
}

/// The number of lines of `text`, for a finding about the whole file: at least 1.
#[must_use]
pub fn line_count(text: &str) -> usize {
    text.lines().count().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &JsonPath) -> Option<(usize, usize)> {
        position_of(text, path).map(|p| match p.column {
            Some(Column::Character(c)) => (p.line, c),
            _ => (p.line, 0),
        })
    }

    #[test]
    fn json_members_and_elements() {
        let text = "{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n    {\"name\": \"a\"},\n    {\"name\": \"b\", \"image\": 3}\n  ]\n}\n";
        let root = JsonPath::root();
        assert_eq!(at(text, &root), Some((1, 1)));
        assert_eq!(at(text, &root.key("family")), Some((2, 3)));
        let second = root.key("containerDefinitions").index(1);
        assert_eq!(at(text, &second), Some((5, 5)));
        assert_eq!(at(text, &second.key("image")), Some((5, 19)));
        // A member that is not there: its object.
        assert_eq!(at(text, &second.key("cpu")), Some((5, 5)));
        assert_eq!(at(text, &root.key("nope").index(3)), Some((1, 1)));
    }

    #[test]
    fn yaml_block_and_flow_style_and_broken_texts() {
        let yaml = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n";
        let root = JsonPath::root();
        let service = root.key("Resources").index(0).key("TargetService");
        assert_eq!(at(yaml, &service.key("Type")), Some((4, 7)));
        let flow = "{version: 0.0, Resources: [{TargetService: {Type: x}}]}";
        assert_eq!(at(flow, &service.key("Type")), Some((1, 45)));
        // A complex key is on no path; the parse stops at a syntax error.
        assert_eq!(at("? [a]\n: 1\nb: 2\n", &root.key("b")), Some((3, 1)));
        assert_eq!(at("a: 1\nb: [1, 2\n", &root.key("a")), Some((1, 1)));
        // The byte order mark is no character of the line.
        assert_eq!(at("\u{feff}{\"a\": 1}", &root.key("a")), Some((1, 2)));
        assert_eq!(at("", &root.key("a")), None);
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 2);
    }

    #[test]
    fn cloudformation_places_by_name() {
        let yaml = "Resources:\n  Pipeline:\n    Type: AWS::CodePipeline::Pipeline\n    Properties:\n      Stages:\n        - Name: Source\n        - Name: v1.Build\n          Actions:\n            - Name: Build\n              Configuration:\n                ProjectName: !Ref Project\n";
        let at = |place: &str| position_of_named(yaml, place).map(|p| p.line);
        let action = "Resources.Pipeline.Stages[v1.Build].Actions[Build]";
        assert_eq!(at(action), Some(9));
        let project = format!("{action}.Configuration.ProjectName, buildspecs/dev.yml:14");
        assert_eq!(at(&project), Some(11));
        assert_eq!(at("Resources.Pipeline.Properties.Stages[1]"), Some(7));
        // A name the template does not have: the deepest part that it has.
        assert_eq!(
            at("Resources.Pipeline.Stages[Deploy].Actions[Deploy]"),
            Some(5)
        );
        assert_eq!(at("Build/Deploy: configuration.FileName"), None);
        assert_eq!(position_of_named("a: [", "Resources.X"), None);
    }
}
