//! What the snapshot tests compare (insta, <https://insta.rs/docs/>): what a run printed, the
//! `--help` pages of a program, the entries of a zip; each made the same on every machine, so
//! a snapshot changes only when the output does.
//!
//! A changed output fails its test and leaves the new snapshot beside the old one
//! (`*.snap.new`): review it with `cargo insta review`, or rerun with `INSTA_UPDATE=always` and
//! read the diff before committing.

use std::fmt::Write as _;
use std::io::Cursor;
use std::path::Path;

use super::harness::{Outcome, Test};

/// The exit code, stdout and stderr of a run, as one text; its `--- end` line keeps the last
/// newline of stderr in the snapshot.
pub(crate) fn printed(outcome: &Outcome) -> String {
    let text = format!(
        "exit code: {}\n--- stdout\n{}--- stderr\n{}--- end\n",
        outcome.code, outcome.stdout, outcome.stderr
    );
    redact(&text, outcome.path())
}

/// `text`, once checked to be whole lines ending in `\n`, with no `\r`: insta compares
/// snapshots without their trailing newlines and with CRLF read as LF, so a file snapshot needs
/// this to be exact.
#[track_caller]
pub(crate) fn whole_lines(text: &str) -> &str {
    assert!(
        text.ends_with('\n') && !text.ends_with("\n\n") && !text.contains('\r'),
        "not whole LF-ended lines: {text:?}"
    );
    text
}

/// `text` with the scratch folder `dir` as `[DIR]`, this package's version (in a SARIF
/// report's `tool.driver.version` and `semanticVersion`) as `[VERSION]`, and the line of a
/// rule's row in `docs/` (a SARIF `helpUri`, `…?plain=1#L63`) as `#L[LINE]`, which moves with
/// every edit above the row.
pub(crate) fn redact(text: &str, dir: &Path) -> String {
    let mut text = text.to_owned();
    if let Ok(real) = dir.canonicalize() {
        text = text.replace(&real.display().to_string(), "[DIR]");
    }
    let text = text
        .replace(&dir.display().to_string(), "[DIR]")
        .replace(
            &format!("\"version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"version\": \"[VERSION]\"",
        )
        .replace(
            &format!("\"semanticVersion\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"semanticVersion\": \"[VERSION]\"",
        );
    let marker = "?plain=1#L";
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(marker) {
        let after = &rest[at + marker.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..at]);
        out.push_str("?plain=1#L[LINE]");
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// The `--help` page of `program` and of each subcommand it lists, at any depth, named
/// `help` and `help-SUBCOMMAND` (`help-render`, …).
pub(crate) fn help_pages(program: &str) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let mut pending = vec![Vec::<String>::new()];
    while let Some(path) = pending.pop() {
        let outcome = Test::new()
            .args(path.iter().map(String::as_str).chain(["--help"]))
            .run(program)
            .success()
            .stderr_is("");
        for subcommand in subcommands(&outcome.stdout) {
            pending.push([path.clone(), vec![subcommand]].concat());
        }
        let name = ["help".to_owned()]
            .into_iter()
            .chain(path)
            .collect::<Vec<_>>();
        pages.push((name.join("-"), outcome.stdout));
    }
    pages.sort();
    pages
}

/// The subcommands a help page lists under `Commands:`, without `help`.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.is_empty())
        .filter_map(|line| line.strip_prefix("  "))
        .filter(|entry| !entry.starts_with(' '))
        .filter_map(|entry| entry.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// One line per entry of a zip, in stored order: name, size, compression, CRC-32, modification
/// time and Unix mode, which are what make two bundles of the same files the same zip.
pub(crate) fn zip_listing(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut listing = String::new();
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).expect("an entry");
        let modified = entry
            .last_modified()
            .map_or_else(|| "-".to_owned(), |time| time.to_string());
        let mode = entry
            .unix_mode()
            .map_or_else(|| "-".to_owned(), |mode| format!("{mode:o}"));
        let _ = writeln!(
            listing,
            "{} size={} {} crc32={:08x} modified={modified} mode={mode}",
            entry.name().expect("a UTF-8 name"),
            entry.size(),
            entry.compression(),
            entry.crc32(),
        );
    }
    listing
}
