//! JSON paths into a task definition.

use std::fmt::Write as _;

use super::PathSegment;
use crate::suggest::push_key;
pub(super) use crate::suggest::{Reach, backticked, similar};

/// A JSON path: `$.containerDefinitions[0].portMappings[1].hostPort`. Keys that are not
/// names in RFC 9535's member-name shorthand (a letter, `_` or non-ASCII first, then those or
/// digits) are written in brackets: `$.containerDefinitions[0].dockerLabels['com.example']`.
pub(super) fn json_path(path: &[PathSegment<'_>]) -> String {
    let mut out = String::from("$");
    for segment in path {
        match segment {
            PathSegment::Index(index) => {
                let _ = write!(out, "[{index}]");
            }
            PathSegment::Key(key) => push_key(&mut out, key),
        }
    }
    out
}
