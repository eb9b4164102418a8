//! The deterministic zip writer: sorted entries, fixed time and modes, compression on every
//! core with bounded memory.

use super::abandon::Abandonable;
use super::error::{BundleError, write_error, zip_error};
use super::probe::compresses;
use super::timestamp::Timestamp;
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread;

use zip::write::{PreparedZipFile, SimpleFileOptions, ZipFileBuilder};
use zip::{CompressionMethod, System, ZIP64_BYTES_THR, ZipWriter};

/// Files up to this size are compressed ahead, on worker threads, into memory; larger ones are
/// streamed through the writer in their turn, so memory stays bounded whatever the file size.
const SMALL_FILE: u64 = 16 * 1024 * 1024;
/// Stored (incompressible) files over this size are streamed too: copying them costs the writer
/// next to nothing, and holding them would take memory the compressed entries can use better.
const SMALL_STORED: u64 = 256 * 1024;
/// How many entries the workers may compress ahead of the writer. Large enough that a window of
/// small files never stops the workers while the writer streams a large file; the memory they
/// hold is bounded by `BUDGET`.
const WINDOW: usize = 4096;
/// How many bytes the entries compressed ahead may hold in memory together: counted at their
/// uncompressed size while being compressed, at their compressed size once done, so text runs
/// about three times further ahead than its raw size would allow. The entry the writer needs
/// next is always allowed, so one file of up to `SMALL_FILE` can go over. Keeps peak memory
/// under 64 MiB.
const BUDGET: u64 = 24 * 1024 * 1024;
/// Below this many bytes in all, entries are compressed on the caller's thread: starting the
/// workers (each with its own allocator arena and deflate state) costs more than the second
/// core saves, and the Blue/Green artifact of a few kilobytes is the common case.
const IN_TURN_BELOW: u64 = 256 * 1024;
/// The copy buffer for streamed files.
const BUFFER: usize = 64 * 1024;
/// How much of the start of a file is probed to decide whether it is worth deflating.
const SAMPLE: usize = 64 * 1024;
/// Files smaller than this are always deflated: the probe would cost more than it saves.
const PROBE_FROM: u64 = 4 * 1024;

/// A file to put in the zip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name inside the zip, from [`entry_name`](super::entry_name).
    pub name: String,
    /// The size seen when the file was listed; reading a different number of bytes means the
    /// file changed while it was being zipped, which is refused.
    pub size: u64,
    /// Written `0755` instead of `0644`: CodeBuild and `unzip` keep the executable bit.
    pub executable: bool,
}

/// How to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The modification time of every entry.
    pub timestamp: Timestamp,
    /// The deflate level, 1 to 9; 6 is `zip`'s and zlib's default.
    pub level: u8,
    /// How many threads compress, the writer itself running on the caller's thread; 0, the
    /// default, is one per core, looked up only when the entries are large enough to use them
    /// (the lookup reads the cgroup's CPU quota).
    pub threads: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            timestamp: Timestamp::default(),
            level: 6,
            threads: 0,
        }
    }
}

fn options(settings: &Settings, entry: &Entry, method: CompressionMethod) -> SimpleFileOptions {
    let level =
        (method == CompressionMethod::Deflated).then(|| i64::from(settings.level.clamp(1, 9)));
    SimpleFileOptions::default()
        .compression_method(method)
        .compression_level(level)
        .last_modified_time(settings.timestamp.date_time())
        .unix_permissions(if entry.executable { 0o755 } else { 0o644 })
        .system(System::Unix)
        // Zip64 only where a size needs it, so small artifacts carry no extra field.
        .large_file(entry.size >= ZIP64_BYTES_THR)
}

/// Sorts `entries` by name, refuses duplicates and names that are both a file and a folder.
fn prepare(entries: &mut [Entry]) -> Result<(), BundleError> {
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    for pair in entries.windows(2) {
        if pair[0].name == pair[1].name {
            return Err(BundleError::Duplicate {
                name: pair[0].name.clone(),
            });
        }
    }
    // `a` sorts right before the entries under `a/` except for names like `a-b` or `a.b`
    // in between, so look them up instead of relying on neighbours.
    let names: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    for entry in entries.iter() {
        let mut end = entry.name.len();
        while let Some(slash) = entry.name[..end].rfind('/') {
            if names.contains(&entry.name[..slash]) {
                return Err(BundleError::Conflict {
                    file: entry.name[..slash].to_owned(),
                    inner: entry.name.clone(),
                });
            }
            end = slash;
        }
    }
    Ok(())
}

/// What a worker made of an entry.
enum Job {
    /// Compressed (or stored) into memory, holding this many bytes until written.
    Prepared(PreparedZipFile, u64),
    /// For the writer to stream in its turn, with this method.
    Stream(CompressionMethod),
    Failed(BundleError),
}

impl Job {
    /// The bytes this job holds in memory until the writer takes it.
    fn held(&self) -> u64 {
        match self {
            Self::Prepared(_, held) => *held,
            Self::Stream(_) | Self::Failed(_) => 0,
        }
    }
}

/// The workers' queue: the next entry to claim and the next the writer needs.
struct Queue {
    claimed: usize,
    written: usize,
    /// The memory the entries claimed and not yet written hold, or may hold: the uncompressed
    /// size while compressing, the compressed size once done.
    held: u64,
}

/// Writes `entries` into a zip on `out` and returns `out`; `open` gives each entry's content.
///
/// The bytes depend only on the names, the contents, the executable bits and `settings`:
/// entries are sorted by name whatever order they come in. `open` is called from several
/// threads at once, at most once per entry.
pub fn write_zip<W, R, F>(
    out: W,
    mut entries: Vec<Entry>,
    settings: &Settings,
    open: F,
) -> Result<W, BundleError>
where
    W: Write + Seek,
    R: Read,
    F: Fn(&Entry) -> io::Result<R> + Sync,
{
    prepare(&mut entries)?;
    let abandoned = Arc::new(AtomicBool::new(false));
    let mut zip = ZipWriter::new(Abandonable::new(out, Arc::clone(&abandoned)));
    if let Err(error) = fill(&mut zip, &entries, settings, &open) {
        // Dropped unfinished, without a word from the zip library (`abandon.rs`).
        abandoned.store(true, Ordering::SeqCst);
        return Err(error);
    }
    zip.finish().map(Abandonable::into_inner).map_err(zip_error)
}

/// Writes every entry of `entries` into `zip`, on several threads when there is enough to do.
fn fill<W, R, F>(
    zip: &mut ZipWriter<W>,
    entries: &[Entry],
    settings: &Settings,
    open: &F,
) -> Result<(), BundleError>
where
    W: Write + Seek,
    R: Read,
    F: Fn(&Entry) -> io::Result<R> + Sync,
{
    let threads = match settings.threads {
        _ if entries.iter().map(|entry| entry.size).sum::<u64>() < IN_TURN_BELOW => 1,
        0 => thread::available_parallelism().map_or(1, usize::from),
        threads => threads,
    };
    if threads == 1 {
        // Every entry through the writer, which keeps one deflate state for them all: a new
        // one is 300 KiB of zeroed memory, most of the cost of a small zip.
        for entry in entries {
            let (method, head, reader) = probe(entry, open)?;
            write_entry(zip, entry, settings, method, &head, reader)?;
        }
        return Ok(());
    }
    let queue = Mutex::new(Queue {
        claimed: 0,
        written: 0,
        held: 0,
    });
    let turn = Condvar::new();
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::channel::<(usize, Job)>();
    thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (queue, turn, stop, open) = (&queue, &turn, &stop, &open);
            scope.spawn(move || {
                while let Some(index) = claim(queue, turn, stop, entries) {
                    let entry = &entries[index];
                    let job = compress(entry, settings, open).unwrap_or_else(Job::Failed);
                    // The reservation made at claim time becomes what the job really holds.
                    if let Ok(mut state) = queue.lock() {
                        state.held = state.held - reserved(entry) + job.held();
                    }
                    turn.notify_all();
                    if sender.send((index, job)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(sender);
        let result = append_in_order(zip, entries, settings, open, &receiver, &queue, &turn);
        // On error, let the workers finish what they hold and stop claiming.
        stop.store(true, Ordering::SeqCst);
        turn.notify_all();
        drop(receiver);
        result
    })
}

/// The next entry for a worker, waiting while it would run too far ahead of the writer.
fn claim(
    queue: &Mutex<Queue>,
    turn: &Condvar,
    stop: &AtomicBool,
    entries: &[Entry],
) -> Option<usize> {
    let mut state = queue.lock().ok()?;
    loop {
        if stop.load(Ordering::SeqCst) || state.claimed >= entries.len() {
            return None;
        }
        let size = reserved(&entries[state.claimed]);
        let next_needed = state.claimed == state.written;
        if next_needed || (state.claimed < state.written + WINDOW && state.held + size <= BUDGET) {
            state.held += size;
            state.claimed += 1;
            return Some(state.claimed - 1);
        }
        state = turn.wait(state).ok()?;
    }
}

/// The memory an entry may hold while a worker compresses it: its size when it can be
/// compressed ahead, nothing when it is streamed.
fn reserved(entry: &Entry) -> u64 {
    if entry.size > SMALL_FILE {
        0
    } else {
        entry.size
    }
}

fn append_in_order<W: Write + Seek, R: Read>(
    zip: &mut ZipWriter<W>,
    entries: &[Entry],
    settings: &Settings,
    open: &(impl Fn(&Entry) -> io::Result<R> + Sync),
    receiver: &mpsc::Receiver<(usize, Job)>,
    queue: &Mutex<Queue>,
    turn: &Condvar,
) -> Result<(), BundleError> {
    let mut pending = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let job = loop {
            if let Some(job) = pending.remove(&index) {
                break job;
            }
            let (done, job) = receiver.recv().map_err(|_| BundleError::Write {
                reason: "a compression thread stopped".to_owned(),
            })?;
            pending.insert(done, job);
        };
        let held = job.held();
        match job {
            Job::Prepared(prepared, _) => zip.add_prepared_file(prepared).map_err(zip_error)?,
            Job::Stream(method) => stream(zip, entry, settings, method, open)?,
            Job::Failed(error) => return Err(error),
        }
        if let Ok(mut state) = queue.lock() {
            state.written = index + 1;
            state.held -= held;
        }
        turn.notify_all();
    }
    Ok(())
}

/// Copies `entry` into `sink`: `head`, the part already read, then the rest from `reader`;
/// refuses a size other than the listed one.
fn copy_entry(
    entry: &Entry,
    head: &[u8],
    mut reader: impl Read,
    sink: &mut impl Write,
) -> Result<(), BundleError> {
    sink.write_all(head).map_err(write_error)?;
    // What is left to read, and one byte more to see a file that grew; a small file whose
    // head is all of it needs no 64 KiB of zeroed pages for that.
    let left = entry
        .size
        .saturating_sub(head.len() as u64)
        .saturating_add(1);
    let mut buffer = vec![0; usize::try_from(left).map_or(BUFFER, |left| left.min(BUFFER))];
    let mut read = head.len() as u64;
    loop {
        let count = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(count) => count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(BundleError::Read {
                    name: entry.name.clone(),
                    source,
                });
            }
        };
        read += count as u64;
        if read > entry.size {
            break;
        }
        sink.write_all(&buffer[..count]).map_err(write_error)?;
    }
    if read == entry.size {
        Ok(())
    } else {
        Err(BundleError::Changed {
            name: entry.name.clone(),
            listed: entry.size,
            read,
        })
    }
}

fn open_entry<R>(entry: &Entry, open: impl Fn(&Entry) -> io::Result<R>) -> Result<R, BundleError> {
    open(entry).map_err(|source| BundleError::Read {
        name: entry.name.clone(),
        source,
    })
}

/// Reads up to `SAMPLE` bytes from the start of `reader`: fewer only at its end.
fn read_head(entry: &Entry, reader: &mut impl Read) -> Result<Vec<u8>, BundleError> {
    let want = usize::try_from(entry.size.min(SAMPLE as u64)).unwrap_or(SAMPLE);
    let mut head = Vec::with_capacity(want);
    reader
        .by_ref()
        .take(want as u64)
        .read_to_end(&mut head)
        .map_err(|source| BundleError::Read {
            name: entry.name.clone(),
            source,
        })?;
    Ok(head)
}

/// Opens `entry`, reads its head and decides from it whether to deflate or store the entry.
fn probe<R: Read>(
    entry: &Entry,
    open: impl Fn(&Entry) -> io::Result<R>,
) -> Result<(CompressionMethod, Vec<u8>, R), BundleError> {
    let mut reader = open_entry(entry, open)?;
    let head = read_head(entry, &mut reader)?;
    let method = if entry.size < PROBE_FROM || compresses(&head) {
        CompressionMethod::Deflated
    } else {
        CompressionMethod::Stored
    };
    Ok((method, head, reader))
}

/// What a worker does with an entry: probes it, then compresses it into memory, or leaves it
/// to the writer to stream when it is large or stored.
fn compress<R: Read>(
    entry: &Entry,
    settings: &Settings,
    open: impl Fn(&Entry) -> io::Result<R>,
) -> Result<Job, BundleError> {
    let (method, head, reader) = probe(entry, open)?;
    if entry.size > SMALL_FILE || (method == CompressionMethod::Stored && entry.size > SMALL_STORED)
    {
        return Ok(Job::Stream(method));
    }
    let mut builder =
        ZipFileBuilder::new(&entry.name, options(settings, entry, method)).map_err(zip_error)?;
    copy_entry(entry, &head, reader, &mut builder)?;
    let prepared = builder.finish().map_err(zip_error)?;
    let compressed = prepared.compressed_size();
    Ok(Job::Prepared(prepared, compressed))
}

fn stream<W: Write + Seek, R: Read>(
    zip: &mut ZipWriter<W>,
    entry: &Entry,
    settings: &Settings,
    method: CompressionMethod,
    open: impl Fn(&Entry) -> io::Result<R>,
) -> Result<(), BundleError> {
    let reader = open_entry(entry, open)?;
    write_entry(zip, entry, settings, method, &[], reader)
}

/// Writes `entry` through the zip writer: `head`, the part already read, then `reader`.
fn write_entry<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    entry: &Entry,
    settings: &Settings,
    method: CompressionMethod,
    head: &[u8],
    reader: impl Read,
) -> Result<(), BundleError> {
    zip.start_file(&entry.name, options(settings, entry, method))
        .map_err(zip_error)?;
    copy_entry(entry, head, reader, zip)
}
