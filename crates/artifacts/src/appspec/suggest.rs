//! Key paths into an AppSpec; the near-miss suggester is the crate's.

use crate::suggest::push_key;
pub(crate) use crate::suggest::{Reach, backticked, similar};

/// `path` extended by a mapping key: `.Key`, or `['odd key']` (RFC 9535 member-name shorthand).
pub(crate) fn child(path: &str, key: &str) -> String {
    let mut out = path.to_owned();
    push_key(&mut out, key);
    out
}

/// `path` extended by a list index.
pub(crate) fn index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(child("$", "Resources"), "$.Resources");
        assert_eq!(index("$.Resources", 0), "$.Resources[0]");
        assert_eq!(child("$", "AWS::X"), "$['AWS::X']");
        assert_eq!(child("$", "it's"), "$['it\\'s']");
        assert_eq!(backticked(["a", "b"]), "`a`, `b`");
    }
}
