//! The BERT encoder of a sentence-transformers model, on candle tensors: embeddings, then
//! `num_hidden_layers` blocks of self-attention and a GELU feed-forward, each followed by
//! a residual add and layer norm (post-norm), as Hugging Face's `BertModel` computes them.
//!
//! It is ours rather than candle-transformers' so that embedding runs at the speed
//! docs/benchmarks.md records: the query, key and value projections are one matrix
//! multiply (their weights stacked at load, the 1/√d attention scale folded into the
//! query's), and GELU and softmax are vectorized ([`super::kernels`]).

use super::kernels;
use candle_core::{D, DType, Module, Tensor};
use candle_nn::{Embedding, LayerNorm, Linear, VarBuilder};

/// The fields of a BERT `config.json` the encoder reads.
#[derive(Debug, serde::Deserialize)]
pub(super) struct Config {
    vocab_size: usize,
    /// Width of each token's vector, and of the sentence vector after pooling.
    pub hidden_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    intermediate_size: usize,
    /// The longest sequence the model has positions for.
    pub max_position_embeddings: usize,
    #[serde(default = "two")]
    type_vocab_size: usize,
    #[serde(default = "layer_norm_eps")]
    layer_norm_eps: f64,
    #[serde(default = "gelu")]
    hidden_act: String,
    #[serde(default = "absolute")]
    position_embedding_type: String,
}

fn two() -> usize {
    2
}
fn layer_norm_eps() -> f64 {
    1e-12
}
fn gelu() -> String {
    "gelu".into()
}
fn absolute() -> String {
    "absolute".into()
}

impl Config {
    /// Refuse what this encoder does not compute, rather than give other vectors than
    /// the model was trained to.
    pub(super) fn check(&self) -> Result<(), String> {
        if self.hidden_act != "gelu" {
            return Err(format!(
                "config.json: activation {:?} is not supported (only \"gelu\")",
                self.hidden_act
            ));
        }
        if self.position_embedding_type != "absolute" {
            return Err(format!(
                "config.json: position embeddings {:?} are not supported (only \"absolute\")",
                self.position_embedding_type
            ));
        }
        if self.num_attention_heads == 0 || self.hidden_size % self.num_attention_heads != 0 {
            return Err("config.json: hidden_size is not a multiple of num_attention_heads".into());
        }
        Ok(())
    }
}

/// A loaded encoder.
pub(super) struct Bert {
    words: Embedding,
    positions: Embedding,
    /// Row 0 of the token-type table: every token of a single sentence has type 0.
    type_zero: Tensor,
    norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
}

struct Layer {
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    up: Linear,
    down: Linear,
    out_norm: LayerNorm,
}

impl Bert {
    /// Load the weights, named as Hugging Face saves them (with or without `bert.`).
    pub(super) fn load(vb: VarBuilder, config: &Config) -> candle_core::Result<Bert> {
        let vb = if vb.contains_tensor("embeddings.word_embeddings.weight") {
            vb
        } else {
            vb.pp("bert")
        };
        let (h, eps) = (config.hidden_size, config.layer_norm_eps);
        let emb = vb.pp("embeddings");
        let types = candle_nn::embedding(config.type_vocab_size, h, emb.pp("token_type_embeddings"))?;
        let layers = (0..config.num_hidden_layers)
            .map(|i| Layer::load(vb.pp(format!("encoder.layer.{i}")), config))
            .collect::<candle_core::Result<_>>()?;
        Ok(Bert {
            words: candle_nn::embedding(config.vocab_size, h, emb.pp("word_embeddings"))?,
            positions: candle_nn::embedding(config.max_position_embeddings, h, emb.pp("position_embeddings"))?,
            type_zero: types.embeddings().get(0)?,
            norm: candle_nn::layer_norm(h, eps, emb.pp("LayerNorm"))?,
            layers,
            heads: config.num_attention_heads,
        })
    }

    /// Token vectors `(batch, tokens, hidden)` for `ids` `(batch, tokens)`; `mask` is 1
    /// for real tokens and 0 for padding.
    pub(super) fn forward(&self, ids: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (_, tokens) = ids.dims2()?;
        let positions = Tensor::arange(0u32, tokens as u32, ids.device())?;
        let x = self
            .words
            .forward(ids)?
            .broadcast_add(&self.positions.forward(&positions)?)?
            .broadcast_add(&self.type_zero)?;
        let mut x = self.norm.forward(&x)?;
        // Padding gets the lowest score, so it weighs nothing after softmax (as in HF).
        let bias = ((mask.to_dtype(DType::F32)? - 1.0)? * f64::from(f32::MAX))?
            .unsqueeze(1)?
            .unsqueeze(1)?;
        for layer in &self.layers {
            x = layer.forward(&x, &bias, self.heads)?;
        }
        Ok(x)
    }
}

impl Layer {
    fn load(vb: VarBuilder, config: &Config) -> candle_core::Result<Layer> {
        let (h, eps) = (config.hidden_size, config.layer_norm_eps);
        let attention = vb.pp("attention.self");
        let part = |name: &str| -> candle_core::Result<(Tensor, Tensor)> {
            let vb = attention.pp(name);
            Ok((vb.get((h, h), "weight")?, vb.get(h, "bias")?))
        };
        let scale = 1.0 / ((h / config.num_attention_heads) as f64).sqrt();
        let (qw, qb) = part("query")?;
        let (kw, kb) = part("key")?;
        let (vw, vb_) = part("value")?;
        let weight = Tensor::cat(&[(qw * scale)?, kw, vw], 0)?;
        let bias = Tensor::cat(&[(qb * scale)?, kb, vb_], 0)?;
        Ok(Layer {
            qkv: Linear::new(weight, Some(bias)),
            attention_out: candle_nn::linear(h, h, vb.pp("attention.output.dense"))?,
            attention_norm: candle_nn::layer_norm(h, eps, vb.pp("attention.output.LayerNorm"))?,
            up: candle_nn::linear(h, config.intermediate_size, vb.pp("intermediate.dense"))?,
            down: candle_nn::linear(config.intermediate_size, h, vb.pp("output.dense"))?,
            out_norm: candle_nn::layer_norm(h, eps, vb.pp("output.LayerNorm"))?,
        })
    }

    fn forward(&self, x: &Tensor, bias: &Tensor, heads: usize) -> candle_core::Result<Tensor> {
        let (batch, tokens, hidden) = x.dims3()?;
        let head = hidden / heads;
        let qkv = self.qkv.forward(x)?;
        // (batch, tokens, hidden) → (batch, heads, tokens, head)
        let split = |i: usize| {
            qkv.narrow(D::Minus1, i * hidden, hidden)?
                .reshape((batch, tokens, heads, head))?
                .transpose(1, 2)?
                .contiguous()
        };
        let (q, k, v) = (split(0)?, split(1)?, split(2)?);
        let scores = q.matmul(&k.t()?)?.broadcast_add(bias)?;
        let context = kernels::softmax_last_dim(&scores)?
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((batch, tokens, hidden))?;
        let x = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + x)?)?;
        let up = kernels::gelu(&self.up.forward(&x)?)?;
        self.out_norm.forward(&(self.down.forward(&up)? + x)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(changes: serde_json::Value) -> Config {
        let mut json = serde_json::json!({"vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6,
            "num_attention_heads": 12, "intermediate_size": 1536, "max_position_embeddings": 512});
        for (key, value) in changes.as_object().unwrap() {
            json[key] = value.clone();
        }
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn only_what_the_encoder_computes_is_accepted() {
        use serde_json::json;
        assert!(config(json!({})).check().is_ok());
        let explicit = json!({"hidden_act": "gelu", "position_embedding_type": "absolute"});
        assert!(config(explicit).check().is_ok());
        let tanh = config(json!({"hidden_act": "gelu_new"})).check().unwrap_err();
        assert!(tanh.contains("gelu_new"), "{tanh}");
        assert!(
            config(json!({"position_embedding_type": "relative_key"}))
                .check()
                .is_err()
        );
        assert!(config(json!({"num_attention_heads": 7})).check().is_err());
    }
}
