//! JSON paths into a task definition.

use super::PathSegment;
use crate::location::JsonPath;
pub(super) use crate::suggest::{Reach, backticked, similar};

/// A JSON path: `$.containerDefinitions[0].portMappings[1].hostPort`. Keys that are not
/// names in RFC 9535's member-name shorthand (a letter, `_` or non-ASCII first, then those or
/// digits) are written in brackets: `$.containerDefinitions[0].dockerLabels['com.example']`.
pub(super) fn json_path(path: &[PathSegment<'_>]) -> JsonPath {
    path.iter()
        .fold(JsonPath::root(), |at, segment| match segment {
            PathSegment::Index(index) => at.index(*index),
            PathSegment::Key(key) => at.key(*key),
        })
}
