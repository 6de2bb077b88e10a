//! Embeddings cached by content: `.git/distill/index/vectors-<model id>.bin` maps the
//! sha256 of a document's text (first 16 bytes) to its vector, so a text is embedded once
//! per model however often the notes move.
//!
//! Format: the 8 bytes `GDVEC01\n`, the dimension as u32 LE, then records of a 16-byte key
//! and `dim` f32 LE. New vectors are appended; a torn last record (an interrupted write)
//! is ignored on load; when most records are stale the file is rewritten with the live ones.

use super::{Result, WorkflowError};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"GDVEC01\n";
const HEADER: usize = MAGIC.len() + 4;

/// A content key.
pub(super) type Key = [u8; 16];

/// The key of `content` (a document's text, a note line): the first 16 bytes of its sha256.
pub(super) fn key(content: impl AsRef<[u8]>) -> Key {
    let digest = Sha256::digest(content.as_ref());
    let mut k = [0u8; 16];
    k.copy_from_slice(&digest[..16]);
    k
}

/// The cache of one model, loaded.
pub(super) struct VectorCache {
    path: PathBuf,
    dim: usize,
    /// Row of each key in `data`.
    rows: HashMap<Key, u32>,
    /// Key of each row.
    keys: Vec<Key>,
    /// The file ends in a partial record (or is not ours): rewrite before appending.
    dirty: bool,
    /// Vectors, `dim` floats a row.
    data: Vec<f32>,
    /// Records in the file (live and stale).
    stored: usize,
}

fn io_error(path: &Path, e: std::io::Error) -> WorkflowError {
    WorkflowError::io(path, e)
}

impl VectorCache {
    /// Load the cache at `path`; a missing, foreign or other-dimension file starts empty.
    pub fn load(path: PathBuf, dim: usize) -> VectorCache {
        let mut cache = VectorCache {
            path,
            dim,
            rows: HashMap::new(),
            keys: Vec::new(),
            dirty: true,
            data: Vec::new(),
            stored: 0,
        };
        let Ok(bytes) = std::fs::read(&cache.path) else {
            return cache;
        };
        if bytes.len() < HEADER || &bytes[..8] != MAGIC || bytes[8..12] != (dim as u32).to_le_bytes() {
            return cache;
        }
        let record = 16 + 4 * dim;
        cache.dirty = (bytes.len() - HEADER) % record != 0;
        for chunk in bytes[HEADER..].chunks_exact(record) {
            cache.stored += 1;
            let mut k = [0u8; 16];
            k.copy_from_slice(&chunk[..16]);
            if cache.rows.contains_key(&k) {
                continue;
            }
            cache.rows.insert(k, cache.keys.len() as u32);
            cache.keys.push(k);
            cache.data.extend(
                chunk[16..]
                    .chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        cache
    }

    /// The row of `key`, when cached.
    pub fn row(&self, key: &Key) -> Option<u32> {
        self.rows.get(key).copied()
    }

    /// The vector of `key`, when cached.
    pub fn vector(&self, key: &Key) -> Option<&[f32]> {
        let start = self.row(key)? as usize * self.dim;
        self.data.get(start..start + self.dim)
    }

    /// Add vectors (appended to the file at once, so an interrupted run keeps them).
    pub fn add(&mut self, entries: &[(Key, Vec<f32>)]) -> Result<()> {
        if self.dirty {
            let keys = self.keys.clone();
            self.rewrite(&keys)?;
        }
        let mut out = Vec::with_capacity(entries.len() * (16 + 4 * self.dim));
        for (k, v) in entries {
            if v.len() != self.dim || self.rows.contains_key(k) {
                continue;
            }
            self.rows.insert(*k, self.keys.len() as u32);
            self.keys.push(*k);
            self.data.extend_from_slice(v);
            push_record(&mut out, k, v);
            self.stored += 1;
        }
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(|e| io_error(&self.path, e))?;
        file.write_all(&out).map_err(|e| io_error(&self.path, e))
    }

    /// Done: rewrite the file with only `live` keys when most stored records are stale,
    /// and hand over the vectors (rows as [`VectorCache::row`] gave them).
    pub fn finish(mut self, live: &[Key]) -> Result<Vec<f32>> {
        if self.stored > 2 * live.len().max(512) {
            self.rewrite(live)?;
        }
        Ok(self.data)
    }

    /// Write the file anew (temp file + rename) holding the records of `keys`.
    fn rewrite(&mut self, keys: &[Key]) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        }
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(self.dim as u32).to_le_bytes());
        let mut written = std::collections::HashSet::new();
        for k in keys {
            let Some(row) = self.row(k) else { continue };
            if written.insert(*k) {
                let start = row as usize * self.dim;
                push_record(&mut out, k, &self.data[start..start + self.dim]);
            }
        }
        let tmp = self.path.with_extension("tmp");
        std::fs::write(&tmp, &out).map_err(|e| io_error(&tmp, e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| io_error(&self.path, e))?;
        self.stored = written.len();
        self.dirty = false;
        Ok(())
    }
}

fn push_record(out: &mut Vec<u8>, key: &Key, vector: &[f32]) {
    out.extend_from_slice(key);
    for x in vector {
        out.extend_from_slice(&x.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_a_reload_and_a_torn_tail_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("index/vectors-x.bin");
        let mut cache = VectorCache::load(path.clone(), 3);
        cache
            .add(&[(key("a"), vec![1.0, 0.0, 0.0]), (key("b"), vec![0.0, 1.0, 0.5])])
            .unwrap();
        cache.add(&[(key("a"), vec![9.0, 9.0, 9.0])]).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(&[7u8; 10]);
        std::fs::write(&path, bytes).unwrap();
        let loaded = VectorCache::load(path.clone(), 3);
        let b = loaded.row(&key("b")).unwrap() as usize;
        assert_eq!(&loaded.data[b * 3..b * 3 + 3], &[0.0, 1.0, 0.5]);
        let a = loaded.row(&key("a")).unwrap() as usize;
        assert_eq!(&loaded.data[a * 3..a * 3 + 3], &[1.0, 0.0, 0.0], "first vector kept");
        let mut torn = loaded;
        torn.add(&[(key("c"), vec![0.5, 0.5, 0.0])]).unwrap();
        let healed = VectorCache::load(path.clone(), 3);
        assert_eq!(healed.stored, 3, "the torn tail was dropped before appending");
        assert!(healed.row(&key("c")).is_some());
        assert!(
            VectorCache::load(path, 4).row(&key("a")).is_none(),
            "other dimension: empty"
        );
    }
}
