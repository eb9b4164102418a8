//! The Dockerfile `FROM` scanner on arbitrary bytes: no panic, and every line-based location
//! names a line and column inside the input.

#![no_main]

use deploykit_artifacts::location::{Column, Location};
use deploykit_artifacts::tagcheck::dockerfile::check;
use deploykit_artifacts::tagcheck::{Policy, line_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let scan = check(bytes, &Policy::default());
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    // The last position there is: one past the final character.
    let (lines, last_column) = line_of(text, text.len());
    for finding in &scan.findings {
        let Some((line, column)) = finding.location.as_ref().and_then(line_and_column) else {
            continue;
        };
        assert!((1..=lines).contains(&line), "{finding:?} in {lines} lines");
        let width = text
            .split('\n')
            .nth(line - 1)
            .map_or(0, |l| l.chars().count());
        assert!(
            (1..=width + 1).contains(&column),
            "{finding:?}: line {line} is {width} wide"
        );
        assert!(line < lines || column <= last_column, "{finding:?}");
    }
    for image in &scan.images {
        let _ = image.reference.to_string();
    }
});

/// The line and column of a location that has both.
fn line_and_column(location: &Location) -> Option<(usize, usize)> {
    let position = location.position()?;
    match position.column? {
        Column::Character(column) => Some((position.line, column)),
        Column::Byte(_) => None,
    }
}
