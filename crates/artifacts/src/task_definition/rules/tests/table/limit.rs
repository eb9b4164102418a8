//! One documented limit as `boundaries.rs` walks it, and the pieces `limits.rs` and
//! `container_limits.rs` write their limits with.

use serde_json::{Value, json};

use super::platforms::Platform;

/// One side of a range: the last valid value, the step that leaves the range (negative for a
/// lower limit), and how many steps inward stay valid (none where the valid values are a list).
#[derive(Clone, Copy, Debug)]
pub(super) struct Side {
    pub(super) limit: i64,
    pub(super) outward: i64,
    pub(super) inward: i64,
}

type Set = Box<dyn Fn(&mut Value, Platform, i64)>;

/// A documented limit: the rule that enforces it, where its finding points, its sides, and the
/// platforms and member it is tried on.
pub(super) struct Boundary {
    pub(super) rule: &'static str,
    pub(super) at: &'static str,
    pub(super) sides: Vec<Side>,
    /// The least value the member can hold (a length or a count: 0).
    pub(super) floor: i64,
    pub(super) applies: fn(Platform) -> bool,
    pub(super) set: Set,
}

pub(super) fn side(limit: i64, outward: i64, inward: i64) -> Side {
    Side {
        limit,
        outward,
        inward,
    }
}

/// `low..=high` in steps of one; `None` when that side has no limit.
pub(super) fn boundary(
    rule: &'static str,
    at: &'static str,
    (low, high): (Option<i64>, Option<i64>),
    applies: fn(Platform) -> bool,
    set: impl Fn(&mut Value, Platform, i64) + 'static,
) -> Boundary {
    Boundary {
        rule,
        at,
        sides: low
            .map(|l| side(l, -1, 3))
            .into_iter()
            .chain(high.map(|h| side(h, 1, 3)))
            .collect(),
        floor: 0,
        applies,
        set: Box::new(set),
    }
}

pub(super) fn text(length: i64, unit: &str) -> Value {
    json!(unit.repeat(usize::try_from(length).expect("a length")))
}

pub(super) fn app(document: &mut Value) -> &mut Value {
    &mut document["containerDefinitions"][0]
}

/// `count` items made by `item(index)`.
pub(super) fn list(count: i64, item: impl Fn(i64) -> Value) -> Value {
    Value::Array((0..count).map(item).collect())
}

pub(super) fn all(_: Platform) -> bool {
    true
}

pub(super) fn fargate(platform: Platform) -> bool {
    platform.fargate()
}

pub(super) fn linux_fargate(platform: Platform) -> bool {
    platform.fargate() && !platform.windows
}

pub(super) fn not_fargate(platform: Platform) -> bool {
    !platform.fargate()
}
