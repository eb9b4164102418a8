//! Where a finding is: a JSON path into a document, a line (and column) of a text, a
//! command-line flag, or a named place in another document, alone or together. Each part stays
//! typed for callers that act on it (a report's line numbers, a flag the value came from); the
//! text users read is [`Location`]'s `Display`, such as `$[1].imageUri`, `line 3, column 7` or
//! `line 8, $.Resources[0]`.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::suggest::push_key;

/// One step of a [`JsonPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// An object member.
    Key(String),
    /// An array element, from 0.
    Index(usize),
}

/// A path into a JSON or YAML document, from its root `$`: `$.containerDefinitions[0].image`.
///
/// Keys that are not names in RFC 9535's member-name shorthand are shown bracketed and quoted
/// (`$.dockerLabels['com.example']`), so the path reads back to one member.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(Vec<Segment>);

impl JsonPath {
    /// `$`, the whole document.
    #[must_use]
    pub fn root() -> Self {
        Self::default()
    }

    /// The member `key` of the value at this path.
    #[must_use]
    pub fn key(&self, key: impl Into<String>) -> Self {
        self.with(Segment::Key(key.into()))
    }

    /// The element `index` of the array at this path.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        self.with(Segment::Index(index))
    }

    /// `relative`, a path from the value at this path, as a path from the root.
    #[must_use]
    pub fn join(&self, relative: &JsonPath) -> Self {
        Self(self.0.iter().chain(&relative.0).cloned().collect())
    }

    /// The steps from the root.
    #[must_use]
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    fn with(&self, segment: Segment) -> Self {
        let mut segments = Vec::with_capacity(self.0.len() + 1);
        segments.extend_from_slice(&self.0);
        segments.push(segment);
        Self(segments)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::from("$");
        for segment in &self.0 {
            match segment {
                Segment::Key(key) => push_key(&mut text, key),
                Segment::Index(index) => {
                    text.push('[');
                    text.push_str(&index.to_string());
                    text.push(']');
                }
            }
        }
        f.write_str(&text)
    }
}

/// A place in a text: a line from 1, and within it a column (characters from 1) or a byte
/// offset when the text is not valid UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, when known.
    pub column: Option<Column>,
}

/// Where within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// A character count from 1: `column 7`.
    Character(usize),
    /// A byte offset into the input: `byte 12`.
    Byte(usize),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        match self.column {
            Some(Column::Character(column)) => write!(f, ", column {column}"),
            Some(Column::Byte(offset)) => write!(f, ", byte {offset}"),
            None => Ok(()),
        }
    }
}

/// A command-line flag and the value given to it: `--set /cpu`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Flag {
    /// The flag, with its dashes: `--set`.
    pub name: String,
    /// The value as given, or the part of it the finding is about.
    pub value: String,
}

/// A member of an action's declaration in a pipeline: `Build/Deploy: configuration.FileName`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ActionMember {
    /// The action, `Stage/Action`.
    pub action: String,
    /// The member, `configuration.FileName` or `inputArtifacts`; `None` for the whole action.
    pub member: Option<String>,
}

/// Where a finding is. Its parts are shown in this order, joined by `, `: the position in the
/// text, the JSON path, the flag, the pipeline action's member, the named place.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location(Box<Parts>);

/// Boxed: a finding carries its location everywhere a `Result` does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
struct Parts {
    position: Option<Position>,
    path: Option<JsonPath>,
    flag: Option<Flag>,
    action: Option<ActionMember>,
    place: Option<String>,
    /// The parts as shown, kept so that reports and tests can borrow the text.
    shown: String,
}

impl Location {
    /// A line, and a column when known.
    #[must_use]
    pub fn line(line: usize, column: Option<usize>) -> Self {
        Self::at_position(Position {
            line,
            column: column.map(Column::Character),
        })
    }

    /// A position in a text.
    #[must_use]
    pub fn at_position(position: Position) -> Self {
        Self(Box::new(Parts {
            position: Some(position),
            ..Parts::default()
        }))
        .shown()
    }

    /// A command-line flag and its value.
    #[must_use]
    pub fn flag(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self(Box::new(Parts {
            flag: Some(Flag {
                name: name.into(),
                value: value.into(),
            }),
            ..Parts::default()
        }))
        .shown()
    }

    /// A member of a pipeline action: `member` of `action` (`Stage/Action`).
    #[must_use]
    pub fn action(action: impl Into<String>, member: Option<&str>) -> Self {
        Self(Box::new(Parts {
            action: Some(ActionMember {
                action: action.into(),
                member: member.map(str::to_owned),
            }),
            ..Parts::default()
        }))
        .shown()
    }

    /// A place named as its document names it, which is none of the other parts: a pipeline
    /// action's setting (`Build/Deploy: configuration.FileName`), a CloudFormation resource
    /// (`Resources.Pipeline.Stages[Deploy]…`), a Terraform attribute.
    #[must_use]
    pub fn place(text: impl Into<String>) -> Self {
        Self(Box::new(Parts {
            place: Some(text.into()),
            ..Parts::default()
        }))
        .shown()
    }

    /// This location, at `path` too.
    #[must_use]
    pub fn with_path(mut self, path: JsonPath) -> Self {
        self.0.path = Some(path);
        self.shown()
    }

    /// This location, with the named place `text` too.
    #[must_use]
    pub fn with_place(mut self, text: impl Into<String>) -> Self {
        self.0.place = Some(text.into());
        self.shown()
    }

    /// The location as users read it: `line 3, column 7`, `$[1].imageUri`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0.shown
    }

    fn shown(mut self) -> Self {
        let at = &mut *self.0;
        let mut parts: Vec<String> = Vec::new();
        if let Some(position) = &at.position {
            parts.push(position.to_string());
        }
        if let Some(path) = &at.path {
            parts.push(path.to_string());
        }
        if let Some(Flag { name, value }) = &at.flag {
            parts.push(format!("{name} {value}"));
        }
        if let Some(ActionMember { action, member }) = &at.action {
            parts.push(match member {
                Some(member) => format!("{action}: {member}"),
                None => action.clone(),
            });
        }
        parts.extend(at.place.clone());
        at.shown = parts.join(", ");
        self
    }

    /// The position in the text, when the finding has one.
    #[must_use]
    pub fn position(&self) -> Option<Position> {
        self.0.position
    }

    /// The JSON path, when the finding has one.
    #[must_use]
    pub fn path(&self) -> Option<&JsonPath> {
        self.0.path.as_ref()
    }

    /// The command-line flag, when the finding is about one.
    #[must_use]
    pub fn flag_given(&self) -> Option<&Flag> {
        self.0.flag.as_ref()
    }

    /// The pipeline action's member, when the finding is about one.
    #[must_use]
    pub fn action_member(&self) -> Option<&ActionMember> {
        self.0.action.as_ref()
    }

    /// The named place, when the finding has one.
    #[must_use]
    pub fn named_place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }
}

impl From<JsonPath> for Location {
    fn from(path: JsonPath) -> Self {
        Self::default().with_path(path)
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Self {
        location.clone()
    }
}

impl From<Position> for Location {
    fn from(position: Position) -> Self {
        Self::at_position(position)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.shown)
    }
}

/// Reports carry the location as the text users read.
impl Serialize for Location {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_show_as_json_paths() {
        let root = JsonPath::root();
        assert_eq!(root.to_string(), "$");
        assert_eq!(root.index(1).key("imageUri").to_string(), "$[1].imageUri");
        let image = root.key("containerDefinitions").index(0).key("image");
        assert_eq!(image.to_string(), "$.containerDefinitions[0].image");
        let label = root.key("dockerLabels").key("com.example");
        assert_eq!(label.to_string(), "$.dockerLabels['com.example']");
        assert_eq!(root.key("AWS::X").to_string(), "$['AWS::X']");
        assert_eq!(root.key("it's").to_string(), "$['it\\'s']");
        assert_eq!(
            root.index(2).join(&root.key("name")).to_string(),
            "$[2].name"
        );
        assert_eq!(image.segments()[1], Segment::Index(0));
    }

    #[test]
    fn parts_show_in_order() {
        assert_eq!(Location::line(3, Some(7)).to_string(), "line 3, column 7");
        assert_eq!(Location::line(3, None).to_string(), "line 3");
        let byte = Position {
            line: 2,
            column: Some(Column::Byte(12)),
        };
        assert_eq!(Location::from(byte).to_string(), "line 2, byte 12");
        let both = Location::line(8, None).with_path(JsonPath::root().key("Resources").index(0));
        assert_eq!(both.to_string(), "line 8, $.Resources[0]");
        assert_eq!(Location::flag("--set", "/cpu").to_string(), "--set /cpu");
        let member = Location::action("Deploy/Blue", Some("configuration.Image1ArtifactName"));
        assert_eq!(
            member.to_string(),
            "Deploy/Blue: configuration.Image1ArtifactName"
        );
        assert_eq!(
            Location::action("Deploy/Blue", None).to_string(),
            "Deploy/Blue"
        );
        let place = Location::line(4, Some(1)).with_place("aws_ecr_repository.app");
        assert_eq!(
            place.to_string(),
            "line 4, column 1, aws_ecr_repository.app"
        );
        assert_eq!(
            serde_json::to_string(&Location::from(JsonPath::root().index(0))).unwrap(),
            "\"$[0]\""
        );
    }
}
