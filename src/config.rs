//! `.distill/config.toml`: sources to collect, drift settings, limits.
//!
//! Unknown keys are errors (a typo must not silently disable a source), reported as
//! one line naming the file, the line and the key.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the config lives, relative to the work tree.
pub const CONFIG_PATH: &str = ".distill/config.toml";

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file exists but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file does not parse or has an unknown key or a bad value.
    #[error("{}:{line}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong, naming the key.
        message: String,
    },
    /// A value parsed but makes no sense.
    #[error("{}: {key}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The key.
        key: String,
        /// What is wrong.
        message: String,
    },
}

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Log sources to collect.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
    /// Drift settings.
    #[serde(default)]
    pub drift: DriftConfig,
    /// Collector limits.
    #[serde(default)]
    pub collect: CollectConfig,
    /// Search: embedding model and fusion.
    #[serde(default)]
    pub search: SearchConfig,
    /// What `fetch` accepts from other clones.
    #[serde(default)]
    pub sync: SyncConfig,
    /// Dataset card metadata for `export`.
    #[serde(default)]
    pub export: ExportConfig,
    /// Commands to count as validations, tried before the shipped catalogue.
    #[serde(default)]
    pub validation: Vec<crate::collect::ValidationEntry>,
    /// The validation catalogue: `validation` entries compiled, then the shipped ones.
    #[serde(skip)]
    pub checks: std::sync::Arc<crate::collect::Catalogue>,
}

/// What `export` writes into the dataset card's metadata.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportConfig {
    /// The card's `license`: a Hugging Face license id (`mit`, `cc-by-4.0`, ...).
    #[serde(default = "default_license")]
    pub license: String,
    /// The card's `language` codes.
    #[serde(default = "default_language")]
    pub language: Vec<String>,
}

impl Default for ExportConfig {
    fn default() -> Self {
        ExportConfig {
            license: default_license(),
            language: default_language(),
        }
    }
}

fn default_license() -> String {
    "other".to_owned()
}

fn default_language() -> Vec<String> {
    vec!["en".to_owned()]
}

/// Limits on what `fetch` (and the fetch inside `push`) accepts from another clone.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncConfig {
    /// An incoming note larger than this many bytes is refused whole.
    #[serde(default = "default_max_note_bytes")]
    pub max_note_bytes: u64,
    /// An incoming note with more lines than this is refused whole.
    #[serde(default = "default_max_note_lines")]
    pub max_note_lines: usize,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            max_note_bytes: default_max_note_bytes(),
            max_note_lines: default_max_note_lines(),
        }
    }
}

fn default_max_note_bytes() -> u64 {
    64 << 20
}

fn default_max_note_lines() -> usize {
    100_000
}

/// One log source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Name used with `--source`.
    pub name: String,
    /// Adapter: `jsonl`, `claude-code`, `codex`, `aider`, `gemini`, `lakehouse`, `git-ai`, `entire`.
    pub adapter: crate::collect::AdapterKind,
    /// File path or glob (`~` expands to the home directory); none for `git-ai` and
    /// `entire`, which read the repository itself.
    #[serde(default)]
    pub path: String,
    /// For `jsonl`: EvidenceRecord field → JSON pointer, or `{ pointer, const, default }`.
    #[serde(default)]
    pub map: BTreeMap<String, FieldMap>,
    /// For `lakehouse`: which stream shape (`mode`, `contract`, `distilled`, ...); guessed when absent.
    #[serde(default)]
    pub preset: Option<String>,
}

/// How one EvidenceRecord field is filled from a JSON line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum FieldMap {
    /// A JSON pointer (`/run_id`).
    Pointer(String),
    /// A pointer with a default, or a constant.
    Spec {
        /// JSON pointer into the line.
        #[serde(default)]
        pointer: Option<String>,
        /// A constant value.
        #[serde(default, rename = "const")]
        constant: Option<toml::Value>,
        /// Used when the pointer finds nothing.
        #[serde(default)]
        default: Option<toml::Value>,
    },
}

/// Drift settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftConfig {
    /// PRD files to read, in order.
    #[serde(default = "default_prd_files")]
    pub files: Vec<String>,
    /// Fail (exit 1) when no PRD exists at the checked commit.
    #[serde(default)]
    pub require_prd: bool,
    /// What the pre-push hook does on new drift.
    #[serde(default)]
    pub pre_push: PrePush,
}

impl Default for DriftConfig {
    fn default() -> Self {
        DriftConfig {
            files: default_prd_files(),
            require_prd: false,
            pre_push: PrePush::default(),
        }
    }
}

/// What the pre-push hook does when a push introduces drift.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PrePush {
    /// Report it and let the push go.
    #[default]
    Warn,
    /// Refuse the push.
    Block,
}

/// Collector limits.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectConfig {
    /// Lines longer than this many bytes are quarantined.
    #[serde(default = "default_max_line_bytes")]
    pub max_line_bytes: usize,
    /// Keep the (redacted, length-capped) request and response of runs whose log has no
    /// transcript, as a two-turn transcript; `false` stores hashes only, and drops
    /// every transcript.
    #[serde(default = "default_true")]
    pub keep_text: bool,
}

impl Default for CollectConfig {
    fn default() -> Self {
        CollectConfig {
            max_line_bytes: default_max_line_bytes(),
            keep_text: true,
        }
    }
}

/// Search settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Embedding model: a sentence-transformers directory or a wheel holding one,
    /// relative to the work tree. Without one, search is keyword-only.
    #[serde(default)]
    pub model: Option<String>,
    /// Reciprocal rank fusion constant.
    #[serde(default = "default_rrf_k")]
    pub rrf_k: f64,
    /// Weight of the BM25 ranking in the fusion.
    #[serde(default = "default_weight")]
    pub keyword_weight: f64,
    /// Weight of the embedding ranking in the fusion.
    #[serde(default = "default_weight")]
    pub dense_weight: f64,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            model: None,
            rrf_k: default_rrf_k(),
            keyword_weight: default_weight(),
            dense_weight: default_weight(),
        }
    }
}

fn default_rrf_k() -> f64 {
    60.0
}
fn default_weight() -> f64 {
    1.0
}
fn default_prd_files() -> Vec<String> {
    vec!["PRD.md".to_owned()]
}
fn default_true() -> bool {
    true
}

fn default_max_line_bytes() -> usize {
    8 * 1024 * 1024
}

impl Config {
    /// Load `<workdir>/.distill/config.toml`; a missing file is the default config.
    pub fn load(workdir: &Path) -> Result<Config, ConfigError> {
        let path = workdir.join(CONFIG_PATH);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(source) => Err(ConfigError::Read { path, source }),
        }
    }

    /// Parse config text; `path` names the file in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let parse_error = |e: toml::de::Error, key: Option<String>| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            let message = e.message().replace('\n', " ");
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                // The key, as `source[0].adapter`, where the parser knows it.
                message: key.map_or_else(|| message.clone(), |k| format!("{k}: {message}")),
            }
        };
        let document = toml::Deserializer::parse(text).map_err(|e| parse_error(e, None))?;
        let mut config: Config = serde_path_to_error::deserialize(document).map_err(|e| {
            let key = e.path().to_string();
            parse_error(e.into_inner(), (key != ".").then_some(key))
        })?;
        let invalid = |key: &str, message: &str| ConfigError::Invalid {
            path: path.to_path_buf(),
            key: key.to_owned(),
            message: message.to_owned(),
        };
        config.checks = std::sync::Arc::new(
            crate::collect::Catalogue::with_entries(&config.validation)
                .map_err(|e| invalid("validation", &e.to_string()))?,
        );
        let s = &config.search;
        if ![s.rrf_k, s.keyword_weight, s.dense_weight]
            .iter()
            .all(|x| x.is_finite() && *x >= 0.0)
        {
            return Err(invalid("search", "rrf_k and the weights must be finite numbers ≥ 0"));
        }
        let mut names = std::collections::BTreeSet::new();
        for source in &config.sources {
            if !names.insert(source.name.as_str()) {
                return Err(invalid("source.name", &format!("`{}` is declared twice", source.name)));
            }
            if let Some(key) = source
                .map
                .keys()
                .find(|k| !crate::collect::mappable_fields().any(|f| f == k.as_str()))
            {
                let known: Vec<&str> = crate::collect::mappable_fields().collect();
                return Err(invalid(
                    &format!("source `{}`", source.name),
                    &format!("unknown field `{key}` in [source.map]; known: {}", known.join(", ")),
                ));
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sources_and_maps() {
        let text = "[[source]]\nname = \"t\"\nadapter = \"jsonl\"\npath = \"a.jsonl\"\n[source.map]\nrun_id = \"/id\"\nmodel_role = { const = \"executor\" }\ntask_type = { pointer = \"/k\", default = \"general\" }\n";
        let config = Config::parse(Path::new("c.toml"), text).unwrap();
        assert_eq!(config.sources[0].map["run_id"], FieldMap::Pointer("/id".into()));
        assert!(matches!(
            config.sources[0].map["model_role"],
            FieldMap::Spec { constant: Some(_), .. }
        ));
        assert_eq!(config.drift.files, vec!["PRD.md"]);
    }

    #[test]
    fn unknown_key_is_one_line_naming_file_line_and_key() {
        let text = "[drift]\nfiles = [\"PRD.md\"]\nfail_on_typo = true\n";
        let err = Config::parse(Path::new(".distill/config.toml"), text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(".distill/config.toml:3: "), "{err}");
        assert!(err.contains("fail_on_typo"), "{err}");
        assert_eq!(err.lines().count(), 1);
    }
}
