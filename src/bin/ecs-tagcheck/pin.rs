//! `--pin`: the new text of each file whose images can be pinned to the digests ECR holds for
//! their tags, computed whole before anything is written.

use deploykit_artifacts::Location;
use deploykit_artifacts::tagcheck::{self, Policy, Scan, pin};

use crate::lookup::Answers;
use crate::walk::Found;

/// One file's new contents, with what changed in it.
#[derive(Debug)]
pub(crate) struct Rewrite {
    /// The index of the file among those checked.
    pub(crate) file: usize,
    pub(crate) bytes: Vec<u8>,
    /// The scan of the new contents.
    pub(crate) scan: Scan,
    /// `(from, to, location)` for each image pinned.
    pub(crate) pinned: Vec<(String, String, Location)>,
}

/// The rewrites of the files whose pinnable images have a digest in `answers`.
pub(crate) fn rewrites(
    files: &[Found],
    scans: &[Scan],
    answers: &Answers,
    policy: &Policy,
    keep_tag: bool,
) -> Vec<Rewrite> {
    files
        .iter()
        .zip(scans)
        .enumerate()
        .filter_map(|(index, (file, scan))| rewrite(index, file, scan, answers, policy, keep_tag))
        .collect()
}

fn rewrite(
    index: usize,
    file: &Found,
    scan: &Scan,
    answers: &Answers,
    policy: &Policy,
    keep_tag: bool,
) -> Option<Rewrite> {
    let mut text = String::from_utf8_lossy(&file.bytes).into_owned();
    let mut pinned = Vec::new();
    for image in scan
        .images
        .iter()
        .filter(|image| image.pinnable && image.reference.digest().is_none())
    {
        let Some(digest) = answers.digest_of_tag(&image.reference) else {
            continue;
        };
        let to = pin::pinned(&image.reference, &digest, keep_tag);
        let (rewritten, count) = pin::rewrite(&text, image.reference.as_str(), &to);
        if count > 0 {
            text = rewritten;
            pinned.push((image.reference.to_string(), to, image.location.clone()));
        }
    }
    if pinned.is_empty() {
        return None;
    }
    let bytes = text.into_bytes();
    Some(Rewrite {
        file: index,
        scan: tagcheck::scan(file.kind, &file.name(), &bytes, policy),
        bytes,
        pinned,
    })
}
