//! Large blobs written as loose objects, with the compression spread over the thread pool.
//!
//! gix writes a loose object through one zlib stream on one thread; for the note of a big
//! collect (gigabytes) that was the slowest step. Here the content is deflated in
//! independent pieces in parallel, each ended by a sync flush — byte-aligned, so the
//! pieces concatenate into one valid deflate stream, as pigz does — and framed as zlib
//! with the adler-32 of the whole. Git and gix read the result like any loose object;
//! publication (a read-only temporary file in the object directory, renamed into place)
//! is what gix does.

use super::Store;
use super::error::{GitContext, Result, StoreError};
use gix::ObjectId;
use rayon::prelude::*;
use std::io::Write;

/// Pieces compressed together; the hashing of a group overlaps its compression.
const GROUP: usize = 8;

impl Store {
    /// Write a blob of exactly `size` bytes arriving in `pieces` (any sizes; about a MiB
    /// each keeps the pool busy). Pieces that add up to any other size, or a piece that
    /// is an error, leave nothing in the object database.
    pub fn write_blob_pieces(
        &self,
        size: u64,
        pieces: impl Iterator<Item = std::io::Result<Vec<u8>>>,
    ) -> Result<ObjectId> {
        let dir = self.repo.objects.store_ref().path().to_owned();
        let context = || format!("cannot write a blob of {size} bytes to {}", dir.display());
        let mut builder = tempfile::Builder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o444));
        }
        let temp = builder.tempfile_in(&dir).ctx(context)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, temp);
        // zlib header: deflate with a 32 KiB window, fastest level (the check bits make
        // 0x7801 a multiple of 31).
        out.write_all(&[0x78, 0x01]).ctx(context)?;
        let mut hasher = gix::hash::hasher(self.repo.object_hash());
        let mut adler = 1u32;
        let mut delivered = 0u64;
        let header = gix::objs::encode::loose_header(gix::objs::Kind::Blob, size).to_vec();
        let mut group: Vec<Vec<u8>> = vec![header];
        let mut pieces = pieces;
        loop {
            let piece = pieces.next().transpose().ctx(context)?;
            let last = piece.is_none();
            if let Some(piece) = piece {
                delivered += piece.len() as u64;
                group.push(piece);
            }
            if group.len() >= GROUP || (last && !group.is_empty()) {
                let (deflated, ()) = rayon::join(
                    || {
                        group
                            .par_iter()
                            .map(|p| deflate_piece(p))
                            .collect::<std::io::Result<Vec<_>>>()
                    },
                    || {
                        for p in &group {
                            hasher.update(p);
                            adler = zlib_rs::adler32::adler32(adler, p);
                        }
                    },
                );
                for d in deflated.ctx(context)? {
                    out.write_all(&d).ctx(context)?;
                }
                group.clear();
            }
            if last {
                break;
            }
        }
        if delivered != size {
            return Err(StoreError::Git {
                context: context(),
                message: format!("{delivered} bytes arrived"),
            });
        }
        out.write_all(&final_block().ctx(context)?).ctx(context)?;
        out.write_all(&adler.to_be_bytes()).ctx(context)?;
        let id = hasher.try_finalize().ctx(context)?;
        let temp = out.into_inner().map_err(|e| e.into_error()).ctx(context)?;
        let path = self.loose_object_path(id);
        if let Some(parent) = path.parent() {
            match std::fs::create_dir(parent) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e).ctx(context),
                _ => {}
            }
        }
        temp.persist(path).ctx(context)?;
        Ok(id)
    }

    /// Where the loose object `id` lives (or would): `objects/ab/cdef…`.
    pub(super) fn loose_object_path(&self, id: ObjectId) -> std::path::PathBuf {
        let hex = id.to_string();
        self.repo.objects.store_ref().path().join(&hex[..2]).join(&hex[2..])
    }
}

/// `input` as raw deflate ending in a sync flush (not final: more may follow).
fn deflate_piece(input: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut deflate = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    loop {
        if out.len() == out.capacity() {
            out.reserve(input.len() / 4 + 64);
        }
        let consumed = deflate.total_in() as usize;
        deflate
            .compress_vec(&input[consumed..], &mut out, flate2::FlushCompress::Sync)
            .map_err(std::io::Error::other)?;
        // A sync flush is complete once all input is taken and output room is left over.
        if deflate.total_in() as usize == input.len() && out.len() < out.capacity() {
            return Ok(out);
        }
    }
}

/// An empty final deflate block, ending the stream.
fn final_block() -> std::io::Result<Vec<u8>> {
    let mut deflate = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut out = Vec::with_capacity(64);
    deflate
        .compress_vec(&[], &mut out, flate2::FlushCompress::Finish)
        .map_err(std::io::Error::other)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    fn git(dir: &std::path::Path, args: &[&str], input: Option<&[u8]>) -> Vec<u8> {
        use std::io::Write as _;
        let mut cmd = Command::new("git");
        cmd.current_dir(dir)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null");
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.unwrap_or_default())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "git {args:?}");
        out.stdout
    }

    #[test]
    fn git_reads_what_the_parallel_writer_wrote_and_agrees_on_its_id() {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"], None);
        let store = super::Store::discover(dir.path()).unwrap();
        let content: Vec<u8> = (0..200_000u32)
            .flat_map(|i| format!("{{\"n\":{i}}}\n").into_bytes())
            .collect();
        let pieces: Vec<Vec<u8>> = content
            .chunks(100_003)
            .map(<[u8]>::to_vec)
            .chain([Vec::new()])
            .collect();
        let id = store
            .write_blob_pieces(content.len() as u64, pieces.into_iter().map(Ok))
            .unwrap();
        let expected = git(dir.path(), &["hash-object", "--stdin"], Some(&content));
        assert_eq!(format!("{id}\n").as_bytes(), expected.as_slice());
        assert_eq!(git(dir.path(), &["cat-file", "blob", &id.to_string()], None), content);
        git(dir.path(), &["fsck", "--strict"], None);
    }

    #[test]
    fn pieces_that_do_not_add_up_leave_no_object() {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"], None);
        let store = super::Store::discover(dir.path()).unwrap();
        for pieces in [vec![b"ab".to_vec()], vec![b"abcdef".to_vec()]] {
            assert!(store.write_blob_pieces(5, pieces.into_iter().map(Ok)).is_err());
        }
        let failed: std::io::Result<Vec<u8>> = Err(std::io::Error::other("merge failed"));
        assert!(
            store
                .write_blob_pieces(5, [Ok(b"ab".to_vec()), failed].into_iter())
                .is_err()
        );
        let objects = git(dir.path(), &["count-objects"], None);
        assert!(String::from_utf8_lossy(&objects).starts_with("0 objects"));
        let leftovers = std::fs::read_dir(dir.path().join(".git/objects"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_type().unwrap().is_file())
            .count();
        assert_eq!(leftovers, 0, "no temporary file is left behind");
    }
}
