//! How the machine's paths appear in what we store or print: relative to the work tree,
//! `~/…` under the home directory, and always through the redactor (a key in a
//! directory name must not reach provenance, a receipt or stdout).

use crate::collect::redact::{RedactionCounts, may_contain_secret, redact};
use std::path::{Path, PathBuf};

/// The home directory, when `HOME` is set and not empty.
pub fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

/// `~/rest` expanded to the home directory; anything else (or no home) as given.
pub fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

/// Expand `~` and glob patterns (`*`, `?`, `**`, `[..]`) into the sorted list of files.
/// A pattern without wildcards is returned as is, so a missing file is reported by name.
pub fn expand_path(pattern: &str, base: &Path) -> super::Result<Vec<PathBuf>> {
    let expanded = base.join(expand_home(pattern));
    let text = expanded.to_string_lossy().into_owned();
    if !text.contains(['*', '?', '[']) {
        return Ok(vec![expanded]);
    }
    let mut found: Vec<PathBuf> = glob::glob(&text)
        .map_err(|e| super::WorkflowError::usage(format!("bad pattern `{pattern}`: {e}")))?
        .filter_map(|entry| entry.ok())
        // A glob never reaches into a repository's own database.
        .filter(|p| p.is_file() && !p.components().any(|c| c.as_os_str() == ".git"))
        .collect();
    found.sort();
    Ok(found)
}

/// `text` with every secret the redactor knows replaced. The prefilter goes first: the
/// full rule set takes milliseconds to compile, which a hook that only names its own
/// arguments should not pay.
pub fn scrub(text: &str) -> String {
    if may_contain_secret(text) {
        redact(text, &mut RedactionCounts::new())
    } else {
        text.to_owned()
    }
}

/// Where a stored file name (see [`portable_name`]) is on disk: `~/…` under the home
/// directory, absolute as it is, anything else relative to the work tree.
pub fn on_disk(name: &str, workdir: &Path) -> PathBuf {
    workdir.join(expand_home(name))
}

/// The name a file is stored under: relative to the work tree when inside it, `~/…`
/// under the home directory, else absolute; redacted either way. The same file gets the
/// same name whoever runs collect (a person, a hook) and from whichever directory.
pub fn portable_name(path: &Path, workdir: &Path) -> String {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let root = workdir.canonicalize().unwrap_or_else(|_| workdir.to_path_buf());
    let name = match canonical.strip_prefix(&root) {
        Ok(rel) => rel.to_string_lossy().into_owned(),
        Err(_) => match home_dir().and_then(|h| canonical.strip_prefix(&h).ok().map(Path::to_path_buf)) {
            Some(rel) => format!("~/{}", rel.to_string_lossy()),
            None => canonical.to_string_lossy().into_owned(),
        },
    };
    scrub(&name)
}

/// The command line as a receipt records it: the program by its name (`git-distill`),
/// arguments that name existing files or directories made portable, every argument
/// redacted — no absolute path of this machine inside the work tree or home.
pub fn invocation(workdir: &Path) -> Vec<String> {
    let mut args = std::env::args();
    let program = args
        .next()
        .map(|p| {
            Path::new(&p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(p)
        })
        .unwrap_or_else(|| "git-distill".to_owned());
    std::iter::once(scrub(&program))
        .chain(args.map(|arg| portable_arg(&arg, workdir)))
        .collect()
}

/// One argument made portable: a path (alone, or after `--flag=`) that exists is named by
/// [`portable_name`]; anything else is only redacted.
fn portable_arg(arg: &str, workdir: &Path) -> String {
    let (flag, value) = match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (Some(flag), value),
        _ => (None, arg),
    };
    let path = Path::new(value);
    let value = if path.is_absolute() && path.exists() {
        portable_name(path, workdir)
    } else {
        scrub(value)
    };
    match flag {
        Some(flag) => format!("{flag}={value}"),
        None => value,
    }
}

/// `Ok` when `path` is a regular file (through symlinks); else why not, on one line
/// naming it (redacted).
pub fn regular_file(path: &Path) -> Result<(), String> {
    let name = scrub(&path.display().to_string());
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(meta) if meta.is_dir() => Err(format!(
            "{name} is a directory; name the log files in it (a glob like {name}/*.jsonl)"
        )),
        Ok(_) => Err(format!("{name} is not a regular file (a FIFO, socket or device)")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!("no such file: {name}")),
        // ELOOP has no stable ErrorKind; its message says "too many levels of symbolic links".
        Err(e) => Err(format!("cannot read {name}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_in_a_directory_name_never_survives() {
        let dir = tempfile::tempdir().unwrap();
        let secret = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        let logs = dir.path().join("logs").join(secret);
        std::fs::create_dir_all(&logs).unwrap();
        let file = logs.join("x.jsonl");
        std::fs::write(&file, "{}\n").unwrap();
        let name = portable_name(&file, dir.path());
        assert_eq!(name, "logs/[REDACTED:stripe]/x.jsonl");
        let outside = portable_name(&file, Path::new("/nonexistent"));
        assert!(!outside.contains(secret), "{outside}");
        let arg = portable_arg(&format!("--out={}", file.display()), dir.path());
        assert_eq!(arg, "--out=logs/[REDACTED:stripe]/x.jsonl");
    }
}
