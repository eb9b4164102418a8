//! How fast a tree of mixed files is zipped: 200 small JSON/YAML/text files and a few larger
//! ones, about 24 MiB, from memory so that only compression and zip writing are measured; the
//! three files of a Blue/Green artifact, written on the calling thread; and the probe that
//! decides whether an entry is deflated. The comparison against Info-ZIP on a 1 GiB tree on
//! disk is in `benches/compare.sh`.

use std::hint::black_box;
use std::io::Cursor;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deploykit_artifacts::bundle::{Entry, Settings, compresses, write_zip};

/// Text that compresses like source and configuration files, with some variety.
fn text(seed: usize, len: usize) -> Vec<u8> {
    let line = format!(
        "{{\"name\": \"setting-{seed}\", \"value\": \"abcdefghijklmnopqrstuvwxyz-{seed:05}\"}},\n"
    );
    line.bytes().cycle().take(len).collect()
}

/// Bytes that do not compress, like images and archives.
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_u32;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

fn tree() -> Vec<(Entry, Vec<u8>)> {
    let mut files = Vec::new();
    for i in 0..200 {
        files.push((format!("config/file-{i:03}.json"), text(i, 4096 + i * 37)));
    }
    for i in 0..4 {
        files.push((format!("assets/image-{i}.png"), noise(3 * 1024 * 1024 + i)));
        files.push((
            format!("data/table-{i}.csv"),
            text(i, 2 * 1024 * 1024 + 4096),
        ));
    }
    files
        .into_iter()
        .map(|(name, content)| {
            let entry = Entry {
                name,
                size: content.len() as u64,
                executable: false,
            };
            (entry, content)
        })
        .collect()
}

fn zip_tree(c: &mut Criterion) {
    let files = tree();
    let total: u64 = files.iter().map(|(entry, _)| entry.size).sum();
    let entries = entries_of(&files);
    let open = opener(&files);
    let mut group = c.benchmark_group("bundle");
    group.throughput(Throughput::Bytes(total));
    group.sample_size(10);
    for threads in [1, 2] {
        let settings = Settings {
            threads,
            ..Settings::default()
        };
        group.bench_function(format!("zip 24 MiB mixed tree, {threads} thread(s)"), |b| {
            b.iter(|| {
                let out = Cursor::new(Vec::with_capacity(16 * 1024 * 1024));
                black_box(write_zip(out, entries.clone(), &settings, open).expect("a zip"))
            });
        });
    }
    group.finish();
}

fn entries_of(files: &[(Entry, Vec<u8>)]) -> Vec<Entry> {
    files.iter().map(|(entry, _)| entry.clone()).collect()
}

/// What `write_zip` opens each entry with: its content, from memory.
fn opener<'a>(
    files: &'a [(Entry, Vec<u8>)],
) -> impl Fn(&Entry) -> std::io::Result<Cursor<&'a [u8]>> + Sync + Copy + 'a {
    move |entry| {
        let content = &files
            .iter()
            .find(|(candidate, _)| candidate.name == entry.name)
            .expect("a listed file")
            .1;
        Ok(Cursor::new(content.as_slice()))
    }
}

/// `taskdef.json`, `appspec.yaml` and `imageDetail.json` of a Blue/Green artifact.
fn blue_green_artifact(c: &mut Criterion) {
    let files: Vec<(Entry, Vec<u8>)> = [
        ("taskdef.json", text(1, 1800)),
        ("appspec.yaml", text(2, 260)),
        ("imageDetail.json", text(3, 140)),
    ]
    .into_iter()
    .map(|(name, content)| {
        let entry = Entry {
            name: name.to_owned(),
            size: content.len() as u64,
            executable: false,
        };
        (entry, content)
    })
    .collect();
    let entries = entries_of(&files);
    let open = opener(&files);
    c.bench_function("bundle/Blue/Green artifact, 3 small files", |b| {
        b.iter(|| {
            let out = Cursor::new(Vec::with_capacity(4096));
            black_box(write_zip(out, entries.clone(), &Settings::default(), open).expect("a zip"))
        });
    });
}

/// The compressibility probe on a 64 KiB sample: text is cleared by the byte histogram alone,
/// random bytes also get the trial deflate.
fn probe(c: &mut Criterion) {
    let mut group = c.benchmark_group("bundle/probe 64 KiB");
    group.throughput(Throughput::Bytes(64 * 1024));
    let sample_text = text(7, 64 * 1024);
    let sample_noise = noise(64 * 1024);
    group.bench_function("text", |b| b.iter(|| black_box(compresses(&sample_text))));
    group.bench_function("random bytes", |b| {
        b.iter(|| black_box(compresses(&sample_noise)));
    });
    group.finish();
}

criterion_group!(benches, zip_tree, blue_green_artifact, probe);
criterion_main!(benches);
