//! `ImageReference::parse` on arbitrary text: no panic, and what parses reads back the same.

#![no_main]

use deploykit_artifacts::image_reference::{Digest, ImageReference, validate_tag};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = Digest::parse(text);
    let _ = validate_tag(text);
    let Ok(reference) = ImageReference::parse(text) else {
        return;
    };
    // Every accessor slices the original text by stored ranges: a wrong range panics here.
    assert_eq!(reference.as_str(), text);
    let _ = (
        reference.registry(),
        reference.repository(),
        reference.name(),
    );
    let _ = (reference.tag(), reference.effective_tag(), reference.ecr());
    let _ = reference.ecs_problems();
    if let Some(digest) = reference.digest() {
        let _ = reference.pinned(&digest);
    }
    let again =
        ImageReference::parse(&reference.to_string()).expect("a parsed reference re-parses");
    assert_eq!(again, reference);
});
