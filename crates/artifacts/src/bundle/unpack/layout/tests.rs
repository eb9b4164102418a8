//! Hostile layouts, written byte by byte since no zip writer makes them: entries sharing data,
//! local headers naming other files, names one file system takes for one, and many entries
//! each under the ratio floor.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::super::{Archive, Limits, UnpackError};

fn u16_of(value: usize) -> [u8; 2] {
    u16::try_from(value).unwrap().to_le_bytes()
}

fn u32_of(value: usize) -> [u8; 4] {
    u32::try_from(value).unwrap().to_le_bytes()
}

/// The fields local and central headers share from the method on (APPNOTE.TXT 4.3.7, 4.3.12):
/// stored, no date, the CRC-32 and both sizes of `content`, the name's length, no extra field.
fn common_fields(name: &str, content: &[u8]) -> Vec<u8> {
    let mut crc = flate2::Crc::new();
    crc.update(content);
    let mut out = Vec::new();
    out.extend(0_u16.to_le_bytes());
    out.extend(0_u32.to_le_bytes());
    out.extend(crc.sum().to_le_bytes());
    out.extend(u32_of(content.len()));
    out.extend(u32_of(content.len()));
    out.extend(u16_of(name.len()));
    out.extend(0_u16.to_le_bytes());
    out
}

/// A stored entry's local header followed by its content.
fn local(name: &str, content: &[u8]) -> Vec<u8> {
    let mut out = b"PK\x03\x04".to_vec();
    out.extend(20_u16.to_le_bytes());
    out.extend(0_u16.to_le_bytes());
    out.extend(common_fields(name, content));
    out.extend(name.as_bytes());
    out.extend(content);
    out
}

/// A central-directory record for a stored entry of `content` whose local header is at `at`.
fn central(name: &str, content: &[u8], at: usize) -> Vec<u8> {
    let mut out = b"PK\x01\x02".to_vec();
    out.extend(20_u16.to_le_bytes());
    out.extend(20_u16.to_le_bytes());
    out.extend(0_u16.to_le_bytes());
    out.extend(common_fields(name, content));
    out.extend([0; 6]);
    out.extend(0_u32.to_le_bytes());
    out.extend(u32_of(at));
    out.extend(name.as_bytes());
    out
}

/// `body` (the local entries), then a central directory of `(name, content, offset)`, then the
/// end record.
fn zip_of(body: Vec<u8>, records: &[(&str, &[u8], usize)]) -> Vec<u8> {
    let mut out = body;
    let start = out.len();
    for (name, content, at) in records {
        out.extend(central(name, content, *at));
    }
    let size = out.len() - start;
    out.extend(b"PK\x05\x06");
    out.extend([0; 4]);
    out.extend(u16_of(records.len()));
    out.extend(u16_of(records.len()));
    out.extend(u32_of(size));
    out.extend(u32_of(start));
    out.extend(0_u16.to_le_bytes());
    out
}

fn open(bytes: Vec<u8>) -> Result<Archive<Cursor<Vec<u8>>>, UnpackError> {
    Archive::open(Cursor::new(bytes), Limits::default())
}

fn refusal(bytes: Vec<u8>) -> String {
    open(bytes).unwrap_err().to_string()
}

#[test]
fn the_hand_written_layout_is_a_zip_that_unpacks() {
    let mut body = local("a.txt", b"hello");
    let second = body.len();
    body.extend(local("b.txt", b"world"));
    let bytes = zip_of(body, &[("a.txt", b"hello", 0), ("b.txt", b"world", second)]);
    let mut archive = open(bytes).unwrap();
    let item = archive.items()[1].clone();
    let mut content = Vec::new();
    archive.extract(&item, &mut content).unwrap();
    assert_eq!(content, b"world");
}

#[test]
fn entries_pointing_at_the_same_data_are_refused() {
    let content = vec![b'x'; 4096];
    let records: Vec<(String, usize)> = (0..1000).map(|n| (format!("f{n}"), 0)).collect();
    let records: Vec<(&str, &[u8], usize)> = records
        .iter()
        .map(|(name, at)| (name.as_str(), content.as_slice(), *at))
        .collect();
    let bytes = zip_of(local("f0", &content), &records[..2]);
    assert_eq!(
        refusal(bytes),
        "entry `f1` shares its bytes with `f0`, so the zip unpacks the same data more than once"
    );
    // One local entry under a thousand names: refused before any of it is read.
    let bytes = zip_of(local("f0", &content), &records);
    assert!(matches!(open(bytes), Err(UnpackError::Overlap { .. })));
}

#[test]
fn a_local_header_quoted_inside_another_entry_is_refused() {
    // The "better zip bomb" layout: the outer entry's data holds the next entry's header, so
    // the outer entry unpacks the inner one a second time.
    let inner = local("inner", b"payload");
    let outer = local("outer", &inner);
    let quoted_at = outer.len() - inner.len();
    let bytes = zip_of(
        outer,
        &[("outer", &inner, 0), ("inner", b"payload", quoted_at)],
    );
    assert_eq!(
        refusal(bytes),
        "entry `inner` shares its bytes with `outer`, so the zip unpacks the same data more than once"
    );
}

#[test]
fn a_local_header_naming_another_file_is_refused() {
    let bytes = zip_of(
        local("run.sh", b"rm -rf /"),
        &[("readme.txt", b"rm -rf /", 0)],
    );
    assert_eq!(
        refusal(bytes),
        "entry `readme.txt` has another name in its local header, so what one tool unpacks is not \
         what another checks"
    );
    // The same length, one byte changed: what a tool that trusts the local header would write.
    let bytes = zip_of(local("taskdef.jsoN", b"{}"), &[("taskdef.json", b"{}", 0)]);
    assert!(matches!(open(bytes), Err(UnpackError::Renamed { .. })));
}

/// A zip the library's own writer makes of `names`, each holding `content`, deflated.
fn written(names: &[&str], content: &[u8]) -> Vec<u8> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for name in names {
        writer.start_file(*name, options).unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn names_equal_after_case_folding_or_normalisation_are_refused() {
    assert_eq!(
        refusal(written(&["Taskdef.json", "taskdef.json"], b"{}")),
        "entry `taskdef.json` has the name of entry `Taskdef.json` but for letter case or Unicode \
         form, so the two are one file on macOS and Windows"
    );
    // `é` as one code point, then as `e` and a combining accent.
    let error = open(written(
        &["conf/caf\u{e9}.txt", "conf/cafe\u{301}.txt"],
        b"x",
    ))
    .unwrap_err();
    assert!(matches!(error, UnpackError::SameFolded { .. }), "{error}");
    // Printed so that the two can be told apart.
    assert!(
        error.to_string().contains("`conf/cafe\\u{301}.txt`"),
        "{error}"
    );
    assert!(open(written(&["a/taskdef.json", "b/Taskdef.json"], b"{}")).is_ok());
}

#[test]
fn many_entries_each_under_the_ratio_floor_are_refused_together() {
    // Each entry is exactly the floor, so no one of them is held to the ratio.
    let zeros = vec![0; 1024 * 1024];
    let bytes = written(&["a", "b", "c"], &zeros);
    let error = open(bytes).unwrap_err();
    assert!(matches!(error, UnpackError::TotalRatio { .. }), "{error}");
    assert!(
        error
            .to_string()
            .starts_with("entry `a` and the 2 after it expand 3145728 bytes from "),
        "{error}"
    );
    // One such entry is the floor itself: allowed, as before.
    assert!(open(written(&["a"], &zeros)).is_ok());
}
