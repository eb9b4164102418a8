//! `--pin`: rewrites image references in task definitions and the two image files to digests.
//!
//! The rewrite replaces the JSON string `"reference"` by `"pinned"` in the text, so everything
//! else in the file (key order, indentation, other values) stays byte for byte as it was.

use crate::image_reference::{Digest, ImageReference};

/// The pinned form of `reference`: `name@digest`, or `name:tag@digest` with `keep_tag`.
#[must_use]
pub fn pinned(reference: &ImageReference, digest: &Digest<'_>, keep_tag: bool) -> String {
    match reference.tag() {
        Some(tag) if keep_tag => format!("{}:{tag}@{digest}", reference.name()),
        _ => reference.pinned(digest),
    }
}

/// `text` with every JSON string equal to `from` replaced by `to`; the number replaced.
#[must_use]
pub fn rewrite(text: &str, from: &str, to: &str) -> (String, usize) {
    let needle = serde_json::to_string(from).expect("strings always serialize");
    let replacement = serde_json::to_string(to).expect("strings always serialize");
    let count = text.matches(&needle).count();
    (text.replace(&needle, &replacement), count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_with_and_without_the_tag() {
        let reference =
            ImageReference::parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1").unwrap();
        let digest = Digest::parse(
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        )
        .unwrap();
        let short = pinned(&reference, &digest, false);
        assert_eq!(
            short,
            format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web@{digest}")
        );
        let long = pinned(&reference, &digest, true);
        assert_eq!(
            long,
            format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1@{digest}")
        );
        let text = "[{\"name\": \"web\", \"imageUri\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1\"}]\n";
        let (out, count) = rewrite(text, reference.as_str(), &short);
        assert_eq!(count, 1);
        assert_eq!(
            out,
            format!("[{{\"name\": \"web\", \"imageUri\": \"{short}\"}}]\n")
        );
    }
}
