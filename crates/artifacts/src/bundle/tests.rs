use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::*;

/// Zips `files` (name, content, executable) in the order given.
fn zip_of(files: &[(&str, &[u8], bool)], settings: &Settings) -> Result<Vec<u8>, BundleError> {
    let contents: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|(name, content, _)| ((*name).to_owned(), content.to_vec()))
        .collect();
    let entries = files
        .iter()
        .map(|(name, content, executable)| Entry {
            name: (*name).to_owned(),
            size: content.len() as u64,
            executable: *executable,
        })
        .collect();
    let out = write_zip(Cursor::new(Vec::new()), entries, settings, |entry| {
        Ok(Cursor::new(contents[&entry.name].clone()))
    })?;
    Ok(out.into_inner())
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Pseudo-random bytes that deflate cannot shrink.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x9e37_79b9_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

const TASKDEF: &[u8] = b"{\"family\": \"web\"}\n";
const APPSPEC: &[u8] = b"version: 0.0\n";
const SCRIPT: &[u8] = b"#!/bin/sh\necho hi\n";

#[test]
fn the_same_files_in_any_order_give_the_same_bytes() {
    let single = Settings {
        threads: 1,
        ..Settings::default()
    };
    let parallel = Settings {
        threads: 4,
        ..Settings::default()
    };
    // Over the 16 MiB compressed in memory, so it is streamed; the small ones are not.
    let big = noise(17 * 1024 * 1024);
    let one = zip_of(
        &[
            ("taskdef.json", TASKDEF, false),
            ("appspec.yaml", APPSPEC, false),
            ("bin/run.sh", SCRIPT, true),
            ("big.bin", &big, false),
        ],
        &single,
    )
    .unwrap();
    let two = zip_of(
        &[
            ("big.bin", &big, false),
            ("bin/run.sh", SCRIPT, true),
            ("appspec.yaml", APPSPEC, false),
            ("taskdef.json", TASKDEF, false),
        ],
        &parallel,
    )
    .unwrap();
    assert!(one == two, "the zips differ");
}

/// Text that deflates well: lines of words, none repeated in a row.
fn text(len: usize) -> Vec<u8> {
    let words = [
        "deploy", "task", "image", "service", "artifact", "pipeline", "blue", "green",
    ];
    let mut state = 0x2545_f491_u32;
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        out.extend_from_slice(words[(state % 8) as usize].as_bytes());
        out.push(if state.is_multiple_of(11) {
            b'\n'
        } else {
            b' '
        });
    }
    out.truncate(len);
    out
}

#[test]
fn the_probe_tells_text_from_noise() {
    assert!(compresses(&text(64 * 1024)));
    assert!(compresses(&vec![0; 64 * 1024]));
    assert!(!compresses(&noise(64 * 1024)));
    // High byte entropy but repeated: deflate's matches shrink it, so it is deflated.
    assert!(compresses(&noise(4096).repeat(16)));
}

/// Every path of the writer at once: small and large, deflated and stored, in memory and
/// streamed, on one thread and on several; the bytes must not depend on which thread finished
/// first.
#[test]
fn stored_and_deflated_entries_in_memory_or_streamed_give_the_same_bytes_on_any_thread_count() {
    let large_text = text(17 * 1024 * 1024);
    let large_noise = noise(17 * 1024 * 1024);
    let medium_noise = noise(300 * 1024);
    let small_noise = noise(100 * 1024);
    let tiny_noise = noise(1000);
    let small_text = text(50 * 1024);
    let files: Vec<(&str, &[u8], bool)> = vec![
        ("a/large.log", &large_text, false),
        ("b/archive.tar.gz", &large_noise, false),
        ("c/image.png", &medium_noise, false),
        ("d/font.woff2", &small_noise, false),
        ("e/tiny.bin", &tiny_noise, false),
        ("f/main.js", &small_text, false),
        ("taskdef.json", TASKDEF, false),
    ];
    let zips: Vec<Vec<u8>> = [1, 4]
        .into_iter()
        .map(|threads| {
            let settings = Settings {
                threads,
                ..Settings::default()
            };
            zip_of(&files, &settings).unwrap()
        })
        .collect();
    assert!(
        zips.windows(2).all(|pair| pair[0] == pair[1]),
        "the zips differ"
    );
    let mut archive = zip::ZipArchive::new(Cursor::new(zips[0].clone())).unwrap();
    for (name, content, _) in &files {
        let mut entry = archive.by_name(name).unwrap();
        let stored = entry.compression() == CompressionMethod::Stored;
        let expect_stored = [".gz", ".png", ".woff2"]
            .iter()
            .any(|extension| name.ends_with(extension));
        assert_eq!(stored, expect_stored, "{name}: {:?}", entry.compression());
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut back).unwrap();
        assert!(back == *content, "{name} unpacks to what went in");
    }
    // The stored entries keep the archive no larger than its incompressible part.
    let incompressible = large_noise.len() + medium_noise.len() + small_noise.len();
    assert!(zips[0].len() < incompressible + incompressible / 100 + 5 * 1024 * 1024);
}

/// Catches a `zip` or deflate upgrade that changes the bytes: update the digest on purpose,
/// never to make the test pass, since every artifact's hash changes with it.
#[test]
fn a_small_zip_has_the_golden_digest() {
    let bytes = zip_of(
        &[
            ("taskdef.json", TASKDEF, false),
            ("appspec.yaml", APPSPEC, false),
            ("bin/run.sh", SCRIPT, true),
        ],
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(
        sha256(&bytes),
        "23683824fbafbb23e444f76cf84991fe139926a8d46b7d8eefd81d3b23897f7e"
    );
}

#[test]
fn entries_are_sorted_unix_and_stamped_with_the_fixed_time() {
    let settings = Settings {
        timestamp: Timestamp::from_unix(1_700_000_000).unwrap(),
        ..Settings::default()
    };
    let bytes = zip_of(
        &[("z.json", TASKDEF, false), ("a/run.sh", SCRIPT, true)],
        &settings,
    )
    .unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let first = archive.by_index(0).unwrap();
    assert_eq!(first.name().unwrap(), "a/run.sh");
    assert_eq!(first.unix_mode(), Some(0o100_755), "Unix system, 0755");
    let time = first.last_modified().unwrap();
    // 2023-11-14 22:13:20 UTC.
    assert_eq!(
        (
            time.year(),
            time.month(),
            time.day(),
            time.hour(),
            time.minute(),
            time.second()
        ),
        (2023, 11, 14, 22, 13, 20)
    );
    drop(first);
    let second = archive.by_index(1).unwrap();
    assert_eq!(second.unix_mode(), Some(0o100_644));
    assert!(
        second.extra_data().is_none_or(|extra| extra.is_empty()),
        "no extra fields"
    );
}

#[test]
fn source_date_epoch_is_clamped_to_1980_and_limited_to_2107() {
    assert_eq!(Timestamp::from_unix(0).unwrap(), Timestamp::default());
    assert_eq!(Timestamp::from_unix(-5).unwrap(), Timestamp::default());
    assert!(Timestamp::from_unix(5_000_000_000).is_err());
}

#[test]
fn names_are_relative_with_forward_slashes() {
    assert_eq!(
        entry_name(Path::new("./out/taskdef.json")).unwrap(),
        "out/taskdef.json"
    );
    for refused in ["../x", "/etc/passwd", "a/../../b", ".", "a\\b"] {
        let error = entry_name(Path::new(refused)).unwrap_err();
        assert!(
            error.to_string().contains(&format!("`{refused}`")),
            "{error}"
        );
    }
}

#[test]
fn duplicates_and_a_file_that_is_also_a_folder_are_refused() {
    let error = zip_of(
        &[("a", b"1", false), ("a", b"2", false)],
        &Settings::default(),
    );
    assert!(matches!(error, Err(BundleError::Duplicate { name }) if name == "a"));
    let error = zip_of(
        &[
            ("a", b"1", false),
            ("a-b", b"1", false),
            ("a/b", b"2", false),
        ],
        &Settings::default(),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "`a` would be both a file and the folder of `a/b` in the zip"
    );
}

#[test]
fn a_file_that_changes_size_while_read_is_refused() {
    let entries = vec![Entry {
        name: "grows.log".to_owned(),
        size: 3,
        executable: false,
    }];
    let error = write_zip(
        Cursor::new(Vec::new()),
        entries,
        &Settings::default(),
        |_| Ok(Cursor::new(b"longer".to_vec())),
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "`grows.log` changed while it was being zipped: it had 3 bytes, then more"
    );
}

// --- unpacking ---------------------------------------------------------------------------

/// A zip made with the library's own writer, with no checks of ours in the way.
fn raw_zip(build: impl FnOnce(&mut ZipWriter<Cursor<Vec<u8>>>, SimpleFileOptions)) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    build(&mut writer, options);
    writer.finish().unwrap().into_inner()
}

fn open(bytes: Vec<u8>) -> Result<Archive<Cursor<Vec<u8>>>, UnpackError> {
    Archive::open(Cursor::new(bytes), Limits::default())
}

#[test]
fn our_zips_unpack_to_what_went_in() {
    let bytes = zip_of(
        &[
            ("appspec.yaml", APPSPEC, false),
            ("bin/run.sh", SCRIPT, true),
        ],
        &Settings::default(),
    )
    .unwrap();
    let mut archive = open(bytes).unwrap();
    let items = archive.items().to_vec();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].path, Path::new("bin/run.sh"));
    assert!(items[1].executable && !items[0].executable);
    let mut content = Vec::new();
    archive.extract(&items[1], &mut content).unwrap();
    assert_eq!(content, SCRIPT);
}

#[test]
fn entries_that_escape_the_folder_are_refused() {
    for (name, reason) in [
        ("../evil.sh", "it contains `..`"),
        ("a/../../evil.sh", "it contains `..`"),
        ("/etc/cron.d/evil", "it is an absolute path"),
        ("C:/Windows/evil.dll", "it starts with a drive letter"),
        (
            "a\\..\\..\\evil",
            "it contains a backslash, a folder separator on Windows",
        ),
    ] {
        let bytes = raw_zip(|zip, options| {
            zip.start_file(name, options).unwrap();
            zip.write_all(b"x").unwrap();
        });
        let error = open(bytes).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("entry `{name}` would be written outside the folder: {reason}")
        );
    }
}

#[test]
fn symlink_entries_are_refused() {
    let bytes = raw_zip(|zip, options| {
        zip.add_symlink("link", "/etc/passwd", options).unwrap();
    });
    let error = open(bytes).unwrap_err();
    assert_eq!(
        error.to_string(),
        "entry `link` is a symbolic link, which could point anywhere"
    );
}

#[test]
fn duplicate_entries_are_refused() {
    // The writer refuses duplicates, so write two names and rename one in the bytes: the
    // name is stored in the local header and in the central directory, and no CRC covers it.
    let bytes = raw_zip(|zip, options| {
        for name in ["taskdef.json", "taskdef.jsox"] {
            zip.start_file(name, options).unwrap();
            zip.write_all(b"{}").unwrap();
        }
    });
    let mut patched = bytes.clone();
    let needle = b"taskdef.jsox";
    let mut at = 0;
    while let Some(found) = patched[at..]
        .windows(needle.len())
        .position(|w| w == needle)
    {
        patched[at + found + needle.len() - 1] = b'n';
        at += found + needle.len();
    }
    assert_ne!(patched, bytes);
    let error = open(patched).unwrap_err();
    assert!(
        matches!(&error, UnpackError::DuplicateNames { name } if name == "taskdef.json"),
        "{error}"
    );
    let bytes = raw_zip(|zip, options| {
        zip.start_file("a", options).unwrap();
        zip.start_file("a/b", options).unwrap();
    });
    assert!(matches!(open(bytes), Err(UnpackError::Duplicate { name }) if name == "a"));
}

#[test]
fn a_high_ratio_entry_is_refused_as_a_bomb() {
    let bytes = raw_zip(|zip, options| {
        zip.start_file("zeros.bin", options).unwrap();
        zip.write_all(&vec![0; 20 * 1024 * 1024]).unwrap();
    });
    let error = open(bytes).unwrap_err().to_string();
    assert!(
        error.starts_with("entry `zeros.bin` expands 20971520 bytes from ")
            && error.ends_with(", a ratio over the limit of 200:1"),
        "{error}"
    );
}

#[test]
fn entry_count_and_total_size_are_limited() {
    let bytes = raw_zip(|zip, options| {
        for name in ["a", "b", "c"] {
            zip.start_file(name, options).unwrap();
            zip.write_all(&noise(1000)).unwrap();
        }
    });
    let few = Limits {
        max_entries: 2,
        ..Limits::default()
    };
    let error = Archive::open(Cursor::new(bytes.clone()), few).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the zip has 3 entries, more than the limit of 2"
    );
    let small = Limits {
        max_total_size: 2500,
        ..Limits::default()
    };
    let error = Archive::open(Cursor::new(bytes), small).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the zip would unpack to more than 2500 bytes (at entry `c`)"
    );
}

#[test]
fn not_a_zip_is_unreadable() {
    let error = open(b"PK but not really".to_vec()).unwrap_err();
    assert!(
        error.to_string().starts_with("not a readable zip: "),
        "{error}"
    );
}
