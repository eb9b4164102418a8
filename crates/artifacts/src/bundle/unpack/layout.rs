//! Where each entry's bytes lie in the zip, checked before anything is inflated.
//!
//! A zip names every entry twice: in a local header in front of its data and in the central
//! directory at the end (APPNOTE.TXT 4.3.7 and 4.3.12,
//! <https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT>). Readers list entries from the
//! central directory but may unpack by the local header, and nothing stops two central entries
//! pointing at the same data: the "overlapping files" zip bomb unpacks one megabyte of
//! deflate thousands of times under thousands of names (David Fifield, "A better zip bomb",
//! <https://www.bamsoftware.com/hacks/zipbomb/>).

use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom};

use super::UnpackError;

/// Where one entry sits, from the central directory.
#[derive(Debug)]
pub(super) struct Span {
    /// The entry name as the central directory spells it.
    pub(super) name: String,
    /// The offset of its local header.
    pub(super) header_start: u64,
    /// The offset of its data, after the local header's name and extra field.
    pub(super) data_start: u64,
    /// The length of its data as stored.
    pub(super) compressed: u64,
}

impl Span {
    fn end(&self) -> u64 {
        self.data_start.saturating_add(self.compressed)
    }
}

/// Refuses two entries whose local header and data share a byte, and an entry whose data runs
/// into the central directory at `directory_start`.
pub(super) fn refuse_overlaps(spans: &[Span], directory_start: u64) -> Result<(), UnpackError> {
    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_by_key(|span| (span.header_start, span.end()));
    for pair in sorted.windows(2) {
        if pair[1].header_start < pair[0].end() {
            return Err(UnpackError::Overlap {
                name: pair[1].name.clone(),
                other: pair[0].name.clone(),
            });
        }
    }
    match sorted.last() {
        Some(last) if last.end() > directory_start => Err(UnpackError::Overlap {
            name: last.name.clone(),
            other: "the central directory".to_owned(),
        }),
        _ => Ok(()),
    }
}

/// Refuses an entry whose local header names another file than the central directory does:
/// a tool that unpacks by the local header would write what no check saw.
pub(super) fn refuse_renamed<R: Read + Seek>(
    reader: &mut R,
    spans: &[Span],
    names: &[Vec<u8>],
) -> Result<(), UnpackError> {
    for (span, central) in spans.iter().zip(names) {
        let local = local_name(reader, span.header_start);
        if local.as_deref() != Some(central.as_slice()) {
            return Err(UnpackError::Renamed {
                name: span.name.clone(),
            });
        }
    }
    Ok(())
}

/// The name in the local header at `start` (a 30-byte header whose name length is at byte 26).
fn local_name<R: Read + Seek>(reader: &mut R, start: u64) -> Option<Vec<u8>> {
    reader.seek(SeekFrom::Start(start)).ok()?;
    let mut header = [0_u8; 30];
    reader.read_exact(&mut header).ok()?;
    let mut name = vec![0_u8; usize::from(u16::from_le_bytes([header[26], header[27]]))];
    reader.read_exact(&mut name).ok()?;
    Some(name)
}

/// The first name the central directory at `start` lists twice. The zip library keeps one
/// entry per name and says only that some name repeats, so the directory is read again here,
/// by its record layout (APPNOTE.TXT 4.3.12: a 46-byte header, then name, extra, comment).
pub(super) fn repeated_name<R: Read + Seek>(reader: &mut R, start: u64) -> Option<String> {
    const SIGNATURE: [u8; 4] = [b'P', b'K', 1, 2];
    reader.seek(SeekFrom::Start(start)).ok()?;
    let mut seen = BTreeSet::new();
    let mut header = [0_u8; 46];
    while reader.read_exact(&mut header).is_ok() && header[..4] == SIGNATURE {
        let field = |at: usize| usize::from(u16::from_le_bytes([header[at], header[at + 1]]));
        let (name_length, rest) = (field(28), field(30) + field(32));
        let mut name = vec![0_u8; name_length];
        reader.read_exact(&mut name).ok()?;
        let name = String::from_utf8_lossy(&name).into_owned();
        if !seen.insert(name.clone()) {
            return Some(name);
        }
        reader
            .seek(SeekFrom::Current(i64::try_from(rest).ok()?))
            .ok()?;
    }
    None
}

#[cfg(test)]
mod tests;
