//! Properties of unpacking: arbitrary bytes and zips with hostile names never panic, and
//! unpacking what passes, the way `ecs-bundle unpack` does, writes nothing outside its folder.

use std::fs::{self, OpenOptions};
use std::io::{Cursor, Write};
use std::path::{Component, Path};

use proptest::prelude::*;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::*;

/// Opens `bytes` and unpacks every checked entry under `folder` as `ecs-bundle unpack` does:
/// the path joined to the folder, parents created, files created new, never overwritten.
fn unpack_into(bytes: &[u8], folder: &Path) {
    let Ok(mut archive) = Archive::open(Cursor::new(bytes), Limits::default()) else {
        return;
    };
    for item in archive.items().to_vec() {
        assert!(
            item.path
                .components()
                .all(|part| matches!(part, Component::Normal(_))),
            "{item:?}"
        );
        let target = folder.join(&item.path);
        assert!(target.starts_with(folder), "{item:?}");
        if item.is_dir {
            fs::create_dir_all(&target).unwrap();
            continue;
        }
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .unwrap();
        let _ = archive.extract(&item, &mut file);
    }
}

/// Every path under `root`, relative to it.
fn tree(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            found.push(path.strip_prefix(root).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                pending.push(path);
            }
        }
    }
    found
}

/// Entry names from the parts that escape a folder on some system, and ordinary ones.
fn entry_name() -> impl Strategy<Value = String> {
    let part = prop::sample::select(vec![
        "..", ".", "", "a", "b", "é", "C:", "c:", "\\", "..\\x", "\0", "~", "a b", ":", "/",
    ]);
    (
        any::<bool>(),
        prop::collection::vec(part, 1..5),
        any::<bool>(),
    )
        .prop_map(|(absolute, parts, folder)| {
            let mut name = if absolute {
                "/".to_owned()
            } else {
                String::new()
            };
            name.push_str(&parts.join("/"));
            if folder {
                name.push('/');
            }
            name
        })
}

/// What one entry of a generated zip is.
#[derive(Clone, Debug)]
enum Kind {
    File(Vec<u8>),
    Folder,
    Symlink(String),
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..64).prop_map(Kind::File),
        1 => Just(Kind::Folder),
        1 => entry_name().prop_map(Kind::Symlink),
    ]
}

/// A zip the library's own writer makes from `entries`, or `None` when it refuses one.
fn write(entries: &[(String, Kind)], deflate: bool) -> Option<Vec<u8>> {
    let method = if deflate {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    let options = SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::default());
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, kind) in entries {
        match kind {
            Kind::File(content) => {
                writer.start_file(name.as_str(), options).ok()?;
                writer.write_all(content).ok()?;
            }
            Kind::Folder => writer.add_directory(name.as_str(), options).ok()?,
            Kind::Symlink(target) => writer
                .add_symlink(name.as_str(), target.as_str(), options)
                .ok()?,
        }
    }
    Some(writer.finish().ok()?.into_inner())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(mut archive) = Archive::open(Cursor::new(&bytes), Limits::default()) {
            for item in archive.items().to_vec() {
                let _ = archive.extract(&item, &mut std::io::sink());
            }
        }
    }

    /// Hostile names, links and folders, then the same zip with a few bytes changed (names sit
    /// in both the local header and the central directory, and no checksum covers them):
    /// whatever passes the checks lands inside the folder.
    #[test]
    fn nothing_is_written_outside_the_folder(
        entries in prop::collection::vec((entry_name(), kind()), 1..6),
        deflate in any::<bool>(),
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
    ) {
        let Some(mut bytes) = write(&entries, deflate) else {
            return Ok(());
        };
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("out");
        fs::create_dir(&folder).unwrap();
        unpack_into(&bytes, &folder);
        for (at, byte) in changes {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        let again = root.path().join("again");
        fs::create_dir(&again).unwrap();
        unpack_into(&bytes, &again);
        let mut top = tree(root.path())
            .into_iter()
            .filter(|path| !path.contains('/'))
            .collect::<Vec<_>>();
        top.sort();
        prop_assert_eq!(top, ["again", "out"]);
    }
}
