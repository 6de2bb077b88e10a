//! A spilled run on disk: sorted note lines in LZ4 blocks of whole lines, each block
//! preceded by its raw and compressed lengths (little-endian `u32`s).
//!
//! Spilled lines are written once and read once. Note lines compress about five times,
//! and LZ4 costs less than the page cache and disk they would otherwise fill: fresh
//! page-cache pages are the dearest part of writing gigabytes (on a virtual machine that
//! hands freed memory back to its host, each page costs a fault in the host).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// Raw bytes per block (a block ends after the line that reaches it): small, so that a
/// merge reading a hundred runs at once holds a few MiB.
const BLOCK_BYTES: usize = 64 << 10;

/// Write `lines` (each without its newline) to a new run file at `path`.
pub(super) fn write(path: &Path, lines: &[String]) -> io::Result<()> {
    // Large writes: the file system zeroes the rest of each page-cache folio a small
    // write starts.
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut block = Vec::with_capacity(BLOCK_BYTES * 2);
    let mut compressed = Vec::new();
    for line in lines {
        block.extend_from_slice(line.as_bytes());
        block.push(b'\n');
        if block.len() >= BLOCK_BYTES {
            write_block(&mut out, &block, &mut compressed)?;
            block.clear();
        }
    }
    if !block.is_empty() {
        write_block(&mut out, &block, &mut compressed)?;
    }
    out.flush()
}

fn write_block(out: &mut impl Write, block: &[u8], compressed: &mut Vec<u8>) -> io::Result<()> {
    compressed.resize(lz4_flex::block::get_maximum_output_size(block.len()), 0);
    let size = lz4_flex::block::compress_into(block, compressed).map_err(io::Error::other)?;
    let length = |n: usize| {
        u32::try_from(n)
            .map(u32::to_le_bytes)
            .map_err(|_| io::Error::other(format!("a spill block of {n} bytes is too large")))
    };
    out.write_all(&length(block.len())?)?;
    out.write_all(&length(size)?)?;
    out.write_all(&compressed[..size])
}

/// The lines of a run file, in order, without their newlines.
pub(super) struct RunReader {
    file: BufReader<File>,
    block: Vec<u8>,
    compressed: Vec<u8>,
    /// Where the next line of `block` starts.
    at: usize,
}

impl RunReader {
    pub(super) fn open(path: &Path) -> io::Result<RunReader> {
        Ok(RunReader {
            file: BufReader::new(File::open(path)?),
            block: Vec::new(),
            compressed: Vec::new(),
            at: 0,
        })
    }

    /// Decompress the next block; `false` at the end of the file.
    fn next_block(&mut self) -> io::Result<bool> {
        if self.file.fill_buf()?.is_empty() {
            return Ok(false);
        }
        let mut lengths = [0u8; 8];
        self.file.read_exact(&mut lengths)?;
        let [r0, r1, r2, r3, c0, c1, c2, c3] = lengths;
        let raw = u32::from_le_bytes([r0, r1, r2, r3]) as usize;
        self.compressed.resize(u32::from_le_bytes([c0, c1, c2, c3]) as usize, 0);
        self.file.read_exact(&mut self.compressed)?;
        self.block.resize(raw, 0);
        let size = lz4_flex::block::decompress_into(&self.compressed, &mut self.block)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        if size != raw {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a spill block holds {size} bytes, not {raw}"),
            ));
        }
        self.at = 0;
        Ok(true)
    }
}

impl Iterator for RunReader {
    type Item = io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<io::Result<Vec<u8>>> {
        while self.at >= self.block.len() {
            match self.next_block() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
        let rest = &self.block[self.at..];
        let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        self.at += end + 1;
        Some(Ok(rest[..end].to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_back_in_order_across_blocks_of_any_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run");
        let big = "x".repeat(3 * BLOCK_BYTES);
        let mut lines: Vec<String> = (0..20_000).map(|i| format!("{{\"n\":{i}}}")).collect();
        lines.insert(7, big);
        write(&path, &lines).unwrap();
        let read: Vec<String> = RunReader::open(&path)
            .unwrap()
            .map(|l| String::from_utf8(l.unwrap()).unwrap())
            .collect();
        assert_eq!(read, lines);
        let raw: usize = lines.iter().map(|l| l.len() + 1).sum();
        let on_disk = std::fs::metadata(&path).unwrap().len() as usize;
        assert!(on_disk * 3 < raw, "compressed: {on_disk} of {raw} bytes");
    }

    #[test]
    fn a_truncated_run_is_an_error_not_a_short_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run");
        let lines: Vec<String> = (0..10_000).map(|i| format!("line {i}")).collect();
        write(&path, &lines).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        let results: Vec<io::Result<Vec<u8>>> = RunReader::open(&path).unwrap().collect();
        assert!(results.iter().any(|r| r.is_err()), "the cut block is reported");
    }
}
