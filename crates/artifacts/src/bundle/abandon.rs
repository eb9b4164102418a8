//! The writer under a zip, which goes quiet once the zip is given up.
//!
//! `zip::ZipWriter` finishes its archive when it is dropped, and prints any error of that on
//! stderr itself (`ZipWriter::drop: failed to finalize archive: Io(…)`, zip's `write.rs`,
//! `impl Drop for ZipWriter`), in the library's words and past the program's own error. A zip
//! whose writing failed is dropped unfinished, and its file removed; so once a write fails or
//! the zip is given up, every later write and seek succeeds into nothing, and that finishing
//! is silent. The first error is the one reported.

use std::io::{self, Seek, SeekFrom, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

pub(super) struct Abandonable<W> {
    inner: W,
    abandoned: Arc<AtomicBool>,
    /// Where the next write goes, and the end of what was written: kept so that seeks after
    /// the zip was given up still answer consistently.
    position: u64,
    end: u64,
}

impl<W> Abandonable<W> {
    /// `inner`, empty, given up once a write fails or `abandoned` is set.
    pub(super) fn new(inner: W, abandoned: Arc<AtomicBool>) -> Self {
        Self {
            inner,
            abandoned,
            position: 0,
            end: 0,
        }
    }

    pub(super) fn into_inner(self) -> W {
        self.inner
    }

    fn is_abandoned(&self) -> bool {
        self.abandoned.load(Ordering::SeqCst)
    }

    /// Gives up on a failure, passing it on.
    fn failed<T>(&self, result: io::Result<T>) -> io::Result<T> {
        if result.is_err() {
            self.abandoned.store(true, Ordering::SeqCst);
        }
        result
    }

    fn moved_to(&mut self, position: u64) -> u64 {
        self.position = position;
        self.end = self.end.max(position);
        position
    }
}

impl<W: Write> Write for Abandonable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = if self.is_abandoned() {
            buf.len()
        } else {
            let result = self.inner.write(buf);
            self.failed(result)?
        };
        self.moved_to(self.position + written as u64);
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.is_abandoned() {
            return Ok(());
        }
        let result = self.inner.flush();
        self.failed(result)
    }
}

impl<W: Seek> Seek for Abandonable<W> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        if !self.is_abandoned() {
            let result = self.inner.seek(to);
            let position = self.failed(result)?;
            return Ok(self.moved_to(position));
        }
        let base = match to {
            SeekFrom::Start(offset) => return Ok(self.moved_to(offset)),
            SeekFrom::Current(offset) => (self.position, offset),
            SeekFrom::End(offset) => (self.end, offset),
        };
        let position = base
            .0
            .checked_add_signed(base.1)
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        Ok(self.moved_to(position))
    }
}
