//! The cheap "does this compress?" probe that decides between deflating and storing an entry.

/// Whether `sample` is worth deflating. Compressed formats (images, archives, fonts) are
/// stored, as Info-ZIP stores what deflate cannot shrink, but without deflating the whole file
/// first: a byte histogram clears text and code at once, and only samples that look random get
/// a fast deflate to confirm that matches do not shrink them by at least 2%. Depends only on the
/// bytes, so the archive stays the same for the same files.
#[must_use]
pub fn compresses(sample: &[u8]) -> bool {
    let mut counts = [0_u32; 256];
    for &byte in sample {
        counts[usize::from(byte)] += 1;
    }
    #[allow(clippy::cast_precision_loss)] // Counts of at most `SAMPLE`, exact in an f64.
    let entropy = {
        let total = sample.len() as f64;
        counts
            .iter()
            .filter(|&&count| count > 0)
            .map(|&count| {
                let p = f64::from(count) / total;
                -p * p.log2()
            })
            .sum::<f64>()
    };
    // Random bytes measure just under 8 bits on a 64 KiB sample; text and code 4 to 6.
    if entropy < 7.5 {
        return true;
    }
    let mut deflate = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut out = Vec::with_capacity(sample.len() + sample.len() / 16 + 64);
    if deflate
        .compress_vec(sample, &mut out, flate2::FlushCompress::Finish)
        .is_err()
    {
        return true;
    }
    (out.len() as u64) * 50 < (sample.len() as u64) * 49
}
