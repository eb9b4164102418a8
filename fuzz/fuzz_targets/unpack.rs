//! Zip unpacking on arbitrary bytes, in memory, with the library's default limits: no panic,
//! every accepted path stays inside the folder, and no entry yields more than it declared.

#![no_main]

use std::io::{self, Cursor, Write};
use std::path::Component;

use deploykit_artifacts::bundle::{Archive, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(mut archive) = Archive::open(Cursor::new(bytes), Limits::default()) else {
        return;
    };
    let items = archive.items().to_vec();
    for item in &items {
        assert!(
            item.path
                .components()
                .all(|part| matches!(part, Component::Normal(_))),
            "{item:?} leaves the folder"
        );
        let mut sink = Counter::default();
        if let Ok(written) = archive.extract(item, &mut sink) {
            assert_eq!(written, item.size, "{item:?}");
            assert_eq!(sink.0, written, "{item:?}");
        }
    }
});

/// Counts what is written without keeping it: a declared size may be gigabytes.
#[derive(Default)]
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        self.0 += buffer.len() as u64;
        Ok(buffer.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
