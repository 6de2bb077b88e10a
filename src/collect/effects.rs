//! What a tool call may change in the work tree. A run whose every call is known to
//! leave files alone changed nothing: a review or an investigation, whose passing tests
//! are not work of its own to accept.
//!
//! Conservative by design: a command or tool not known to be read-only counts as one
//! that may write, so "changed nothing" is only ever said when the log shows it.

use super::Catalogue;
use super::validation::{program_words, segments};

/// Tools that read, search or plan, by the names the agents give them (Claude Code,
/// Codex, Gemini CLI, OpenCode, Aider).
const READ_ONLY_TOOLS: &[&str] = &[
    // Claude Code
    "Read",
    "Grep",
    "Glob",
    "LS",
    "WebFetch",
    "WebSearch",
    "TodoWrite",
    "TodoRead",
    "ExitPlanMode",
    "EnterPlanMode",
    "BashOutput",
    "TaskOutput",
    "TaskStop",
    "KillShell",
    "KillBash",
    "AskUserQuestion",
    // Loads the schema of a deferred tool.
    "ToolSearch",
    "ListMcpResourcesTool",
    "ReadMcpResourceTool",
    // Codex
    "update_plan",
    "view_image",
    "web_search",
    "write_stdin",
    "list_mcp_resources",
    "read_mcp_resource",
    "wait",
    "wait_agent",
    "list_agents",
    // Gemini CLI
    "read_file",
    "read_many_files",
    "list_directory",
    "search_file_content",
    "web_fetch",
    "google_web_search",
    "ask_user",
    "save_memory",
    // OpenCode
    "read",
    "list",
    "glob",
    "grep",
    "webfetch",
    "websearch",
    "codesearch",
    "todowrite",
    "todoread",
    "question",
    "skill",
    // Aider: its lint runs and its own commits change no file.
    "lint",
    "commit",
];

/// Programs that only read and print (their output redirected nowhere).
const READERS: &[&str] = &[
    "cat",
    "head",
    "tail",
    "less",
    "more",
    "ls",
    "tree",
    "rg",
    "grep",
    "egrep",
    "fgrep",
    "ag",
    "ack",
    "fd",
    "wc",
    "nl",
    "pwd",
    "echo",
    "printf",
    "which",
    "type",
    "file",
    "stat",
    "du",
    "df",
    "diff",
    "cmp",
    "sort",
    "uniq",
    "cut",
    "tr",
    "column",
    "jq",
    "yq",
    "awk",
    "date",
    "whoami",
    "uname",
    "hostname",
    "id",
    "printenv",
    "true",
    "false",
    "test",
    "[",
    "sleep",
    "ps",
    "lsof",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "sha256sum",
    "shasum",
    "md5sum",
    "xxd",
    "hexdump",
    "od",
    "strings",
    "bat",
    "eza",
    "exa",
    "cd",
    "mktemp",
];

/// PowerShell cmdlets and aliases that only read and print, in lower case.
const POWERSHELL_READERS: &[&str] = &[
    "get-childitem",
    "get-content",
    "get-item",
    "get-location",
    "get-command",
    "select-string",
    "select-object",
    "where-object",
    "sort-object",
    "measure-object",
    "format-list",
    "format-table",
    "test-path",
    "resolve-path",
    "write-output",
    "write-host",
    "gci",
    "gc",
    "dir",
    "sls",
];

/// Git subcommands that leave the work tree and the index alone.
const GIT_READERS: &[&str] = &[
    "status",
    "diff",
    "log",
    "show",
    "ls-files",
    "ls-tree",
    "rev-parse",
    "blame",
    "grep",
    "describe",
    "fetch",
    "ls-remote",
    "shortlog",
    "reflog",
    "cat-file",
    "rev-list",
    "merge-base",
    "show-ref",
    "for-each-ref",
    "name-rev",
    "check-ignore",
    "count-objects",
    "remote",
    "help",
    "version",
];

/// What a call may do to the work tree, as far as the log shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// Known to only read (or to check without fixing).
    Reads,
    /// A program this module does not know: it may write, or not.
    Unknown,
    /// Known to write: an edit, a redirect into a file, `sed -i`, `rm`, `git commit`, an
    /// install, a fixer, or a tool that is not known to only read.
    Writes,
}

/// What a call of tool `name` (running `command`, when it is a shell) may do. A tool
/// that runs no command is judged by its name: one not known to read may edit.
pub fn call_effect(name: &str, command: Option<&str>, checks: &Catalogue) -> Effect {
    match command {
        Some(command) => command_effect(command, checks),
        None if READ_ONLY_TOOLS.contains(&name) => Effect::Reads,
        None => Effect::Writes,
    }
}

/// The paths a command of plain file operations changes (`mkdir -p a && mv "x.csv"
/// "a/x.csv"`): sources and destinations of `mv`, destinations of `cp`, the operands
/// of `rm` and `touch`; `mkdir`/`rmdir` make or drop directories only. `None` when any
/// part is something else, or names paths by pattern or variable.
pub fn file_operations(command: &str) -> Option<Vec<String>> {
    let mut changed = Vec::new();
    for segment in segments(command) {
        let words = program_words(&segment.text);
        let (program, args) = words.split_first()?;
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if operands.is_empty() || operands.iter().any(|a| a.contains(['*', '?', '$', '`', '>', '<'])) {
            return None;
        }
        match program.as_str() {
            "mkdir" | "rmdir" => {}
            "mv" | "rm" | "touch" => changed.extend(operands.into_iter().cloned()),
            "cp" => changed.extend(operands.last().map(|d| (*d).clone())),
            _ => return None,
        }
    }
    Some(changed)
}

/// Whether a command makes directories with PowerShell's `New-Item -ItemType Directory`
/// (in a loop too: `1..30 | ForEach-Object { New-Item -ItemType Directory -Name "F$_" }`)
/// beside cmdlets that only list (test42, Codex on Windows). `mkdir` with literal paths
/// is [`file_operations`]' (it changes no path).
pub fn new_item_directories(command: &str) -> bool {
    static NEW_DIRECTORY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:New-Item\b[^|;\n]*-ItemType\s+['\x22]?Directory|mkdir\s+-Force)\b")
            .expect("static regex")
    });
    // Cmdlets and syntax that write, delete or run something else.
    static OTHER_EFFECT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b(?:Set-Content|Add-Content|Out-File|Remove-Item|Copy-Item|Move-Item|Rename-Item|Invoke-\w+|Start-Process|Set-Item|New-Item\b[^|;\n]*-ItemType\s+['\x22]?File)\b|\s>{1,2}\s*[^\s&]")
            .expect("static regex")
    });
    NEW_DIRECTORY.is_match(command) && !OTHER_EFFECT.is_match(command)
}

/// The file a here-document writes whole (`cat <<'EOF' > notes/plan.md`, `cat > a.md
/// <<EOF`, `tee a.md <<EOF`), when that is all the command does: agents write files this
/// way as often as with their edit tools (dev43, Codex). `None` for anything else, or a
/// target named by pattern or variable.
pub fn heredoc_target(command: &str) -> Option<String> {
    static OPENING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r#"^\s*(?:cat\s+<<-?\s*['"]?(?P<t1>\w+)['"]?\s*>\s*(?P<p1>\S+)"#,
            r#"|cat\s+>\s*(?P<p2>\S+)\s+<<-?\s*['"]?(?P<t2>\w+)['"]?"#,
            r#"|tee\s+(?P<p3>[^\s-]\S*)\s+<<-?\s*['"]?(?P<t3>\w+)['"]?(?:\s*>\s*/dev/null)?)\s*$"#,
        ))
        .expect("static regex")
    });
    // The directory made for it first: `mkdir -p specs/x && cat > specs/x/a.md <<'EOF'` (dev50).
    static MAKE_DIRECTORY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"^\s*mkdir\s+(?:-p\s+)?(?:[^\s*?$`<>&;|]+\s+)*?[^\s*?$`<>&;|]+\s*&&\s*"#)
            .expect("static regex")
    });
    let (first, rest) = command.split_once('\n')?;
    let first = MAKE_DIRECTORY.find(first).map_or(first, |m| &first[m.end()..]);
    let found = OPENING.captures(first)?;
    let tag = ["t1", "t2", "t3"].iter().find_map(|n| found.name(n))?.as_str();
    let path = ["p1", "p2", "p3"].iter().find_map(|n| found.name(n))?.as_str();
    let path = path.trim_matches(['\'', '"']);
    let body_end = rest
        .trim_end()
        .rsplit_once('\n')
        .map_or(rest.trim_end(), |(_, last)| last);
    if body_end.trim() != tag || path.contains(['*', '?', '$', '`', '<', '>', '&', ';', '|']) {
        return None;
    }
    Some(path.to_owned())
}

/// What a shell command may do: the strongest effect of its simple commands, a
/// pipeline's filters too (`| tee out.txt`). Checks (tests, lints, builds) write no
/// source file unless told to fix or format it.
fn command_effect(command: &str, checks: &Catalogue) -> Effect {
    if let Some(effect) = inline_script_effect(command) {
        return effect;
    }
    let temp = TempPaths::of(command);
    if redirects_to_file(command, &temp) {
        return Effect::Writes;
    }
    segments(command)
        .iter()
        .map(|s| piece_effect(&s.text, checks, &temp))
        .max()
        .unwrap_or(Effect::Reads)
}

/// Whether every piece of `command` that may write is a script `request` told the agent
/// to run (spec-kit's prompts: "Run `.specify/scripts/bash/create-new-feature.sh --json`"):
/// a step the request prescribed, whose effect is the request's own, as a reader takes
/// it (test45, dev50: specs written by Codex after the feature script ran).
pub fn prescribed_by(command: &str, request: &str, checks: &Catalogue) -> bool {
    let temp = TempPaths::of(command);
    if redirects_to_file(command, &temp) || inline_script_effect(command).is_some() {
        return false;
    }
    let mut prescribed = false;
    for segment in segments(command) {
        if piece_effect(&segment.text, checks, &temp) == Effect::Reads {
            continue;
        }
        match script_of(&segment.text) {
            Some(script) if named_in(&script, request) => prescribed = true,
            _ => return false,
        }
    }
    prescribed
}

/// The script a piece runs, by a path with a directory in it: the program itself, or
/// the first operand of a shell or interpreter (`bash scripts/x.sh`).
fn script_of(piece: &str) -> Option<String> {
    let words = program_words(piece);
    let (program, rest) = words.split_first()?;
    let name = program.rsplit('/').next().unwrap_or(program);
    let script = if matches!(
        name,
        "bash" | "sh" | "zsh" | "pwsh" | "powershell" | "python" | "python3" | "node"
    ) {
        rest.iter().find(|w| !w.starts_with('-'))?
    } else {
        program
    };
    script.contains('/').then(|| script.trim_start_matches("./").to_owned())
}

/// Whether `request` names `script`, or a tail of its path that keeps a directory
/// (`/workspaces/app/.specify/scripts/bash/x.sh` is named as `.specify/scripts/bash/x.sh`).
fn named_in(script: &str, request: &str) -> bool {
    let mut tail = script;
    loop {
        if request.contains(tail) {
            return true;
        }
        match tail.split_once('/') {
            Some((_, rest)) if rest.contains('/') => tail = rest,
            _ => return false,
        }
    }
}

/// What an inline script may do: `python3 - <<'PY' … PY`, `python3 -c "…"`, `node -e
/// "…"`, `ruby -e '…'` — agents probe data and code with them all the time. Its body is
/// read as text: none of the calls that write files, run programs or touch the file
/// system (a conservative list) means it only reads. `None`: no inline script alone.
fn inline_script_effect(command: &str) -> Option<Effect> {
    static WRITES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r#"\bopen\([^)]*(?:['"][^'"]*[waxb+][^'"]*['"]\s*\)|mode\s*=)|\.write(?:_text|_bytes|lines)?\(|\bdump\("#,
            r"|\b(?:os|shutil|subprocess|pathlib|sqlite3|fs|child_process|FileUtils|File|Dir|IO)\b\s*\.\s*(?:remove|unlink|rename|replace|makedirs|mkdir|rmdir|rmtree|move|copy\w*|system|popen|run|call|check_\w+|Popen|chmod|symlink|link|truncate|connect|write\w*|append\w*|rm\w*|cp\w*|exec\w*|spawn\w*|delete|open)\b",
            r"|\b(?:mkdir|touch|unlink|rename|write_text|write_bytes|writeFile\w*|appendFile\w*|createWriteStream|execSync|spawnSync|system|exec)\s*\(",
            r"|\.(?:save|to_\w+|savefig|commit)\(|\brequire\(\s*['\x22]child_process|\bimport\s+(?:subprocess|shutil)\b|`",
        ))
        .expect("static regex")
    });
    let first = command.lines().next()?;
    let (words, body) = if let Some(at) = first.find("<<") {
        // `python3 - <<'PY'`, the script up to the line that ends it, nothing after.
        let words = program_words(&first[..at]);
        let tag = first[at + 2..].trim().trim_start_matches('-').trim_matches(['\'', '"']);
        let (body, last) = command.split_once('\n')?.1.trim_end().rsplit_once('\n')?;
        if tag.is_empty() || last.trim() != tag || body.lines().any(|l| l.trim() == tag) {
            return None;
        }
        (words, body.to_owned())
    } else {
        let mut words = program_words(command);
        let body = words.pop()?;
        (words, body)
    };
    let (program, flags) = words.split_first()?;
    let program = program.rsplit('/').next().unwrap_or(program);
    let interpreter = program
        .strip_prefix("python")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
        || matches!(program, "node" | "ruby" | "bun" | "deno");
    let heredoc = first.contains("<<");
    let inline = match flags {
        [] => heredoc,
        [flag] if heredoc => flag == "-",
        [flag] => matches!(flag.as_str(), "-c" | "-e" | "--eval" | "-p" | "--print"),
        _ => false,
    };
    (interpreter && inline).then(|| {
        if WRITES.is_match(&body) {
            Effect::Writes
        } else {
            Effect::Reads
        }
    })
}

/// Paths outside the work tree that a command writes scratch files to: `/tmp/…`,
/// `$TMPDIR/…`, and variables it set from `mktemp` (`tmp=$(mktemp -d); … > $tmp/x`).
struct TempPaths {
    vars: Vec<String>,
}

impl TempPaths {
    fn of(command: &str) -> TempPaths {
        static MKTEMP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(r"\b([A-Za-z_][A-Za-z0-9_]*)=\$\(mktemp\b").expect("static regex")
        });
        let mut vars: Vec<String> = MKTEMP.captures_iter(command).map(|c| c[1].to_owned()).collect();
        vars.push("TMPDIR".into());
        TempPaths { vars }
    }

    fn contains(&self, path: &str) -> bool {
        let path = path.trim_matches(['"', '\'']);
        if path == "/tmp" || path.starts_with("/tmp/") {
            return true;
        }
        self.vars.iter().any(|v| {
            let rest = path.strip_prefix('$').map(|p| {
                p.strip_prefix('{')
                    .and_then(|p| p.strip_prefix(v.as_str())?.strip_prefix('}'))
                    .or_else(|| p.strip_prefix(v.as_str()))
            });
            matches!(rest, Some(Some(r)) if r.is_empty() || r.starts_with('/'))
        })
    }
}

/// Programs that change files whatever their arguments (package managers only when
/// they install or remove).
const WRITERS: &[&str] = &[
    "rm", "rmdir", "mv", "cp", "mkdir", "touch", "ln", "chmod", "chown", "patch", "install", "truncate", "dd", "unzip",
    "tar",
];

fn piece_effect(piece: &str, checks: &Catalogue, temp: &TempPaths) -> Effect {
    let words = program_words(piece);
    let Some(program) = words.first() else {
        return Effect::Reads;
    };
    let has = |flags: &[&str]| words.iter().any(|w| flags.contains(&w.as_str()));
    let writes = |yes: bool| if yes { Effect::Writes } else { Effect::Reads };
    let program = program.rsplit('/').next().unwrap_or(program);
    let subcommand = words.get(1).map(String::as_str).unwrap_or_default();
    // `spl-token --help`, `tool sub --version`, `npm run test -- --help` (the help of the
    // script's program): a probe of a program's usage.
    if words.iter().filter(|w| *w != "--").count() <= 4
        && words
            .last()
            .is_some_and(|w| matches!(w.as_str(), "--help" | "-h" | "--version"))
    {
        return Effect::Reads;
    }
    match program {
        "sed" | "perl" => writes(
            words
                .iter()
                .any(|w| w.starts_with("-i") || w == "-pi" || w == "--in-place"),
        ),
        "tee" => writes(
            words[1..]
                .iter()
                .any(|w| !w.starts_with(['-', '>']) && w != "/dev/null" && !temp.contains(w)),
        ),
        // `find … -exec ls -ld {} \;` reads; `-exec rm {} +` does not.
        "find" => writes(
            has(&["-delete", "-ok", "-okdir", "-fprint", "-fprintf", "-fls"])
                || words.iter().enumerate().any(|(i, w)| {
                    matches!(w.as_str(), "-exec" | "-execdir")
                        && !words.get(i + 1).is_some_and(|p| READERS.contains(&p.as_str()))
                }),
        ),
        "git" => writes(!git_reads(&words[1..])),
        "curl" | "wget" => writes(has(&["-o", "-O", "--output", "--remote-name"]) || program == "wget"),
        _ if READERS.contains(&program) => Effect::Reads,
        // PowerShell's readers (`Get-ChildItem server -Recurse`, `gci`, `Select-String`).
        _ if POWERSHELL_READERS.contains(&program.to_ascii_lowercase().as_str()) => Effect::Reads,
        // Scratch files: `rm -rf $tmp`, `mkdir -p /tmp/x`, `cp out.json /tmp/`.
        "rm" | "rmdir" | "mkdir" | "touch"
            if words[1..]
                .iter()
                .filter(|w| !w.starts_with('-'))
                .all(|w| temp.contains(w)) =>
        {
            Effect::Reads
        }
        "cp" if words.last().is_some_and(|w| temp.contains(w)) => Effect::Reads,
        _ if WRITERS.contains(&program) => Effect::Writes,
        "npm" | "pnpm" | "yarn" | "bun" | "pip" | "pip3" | "uv" | "cargo" | "go" | "poetry" | "gem" | "bundle"
            if matches!(
                subcommand,
                "install" | "i" | "add" | "remove" | "rm" | "uninstall" | "get" | "update" | "upgrade"
            ) =>
        {
            Effect::Writes
        }
        _ if has(&["--fix", "--write", "-w", "--fix-only", "--unsafe-fixes"]) => Effect::Writes,
        // Formatters and generators that rewrite files unless asked only to check.
        "cargo" | "ruff" if matches!(subcommand, "fmt" | "format") && !has(&["--check"]) => Effect::Writes,
        "black" | "rustfmt" | "isort" | "autopep8" if !has(&["--check", "--diff"]) => Effect::Writes,
        "go" if subcommand == "generate" || (subcommand == "mod" && !has(&["-diff"])) => Effect::Writes,
        _ if !checks.recognize(piece).is_empty() => Effect::Reads,
        _ => Effect::Unknown,
    }
}

/// Whether git `args` (after `git`) only read.
fn git_reads(args: &[String]) -> bool {
    let mut args = args.iter().map(String::as_str).skip_while(|a| a.starts_with('-'));
    let Some(sub) = args.next() else {
        return true;
    };
    let rest: Vec<&str> = args.collect();
    match sub {
        "branch" | "tag" | "stash" | "worktree" => {
            let listing = [
                "--list",
                "-l",
                "--show-current",
                "-a",
                "-r",
                "-v",
                "-vv",
                "--all",
                "list",
                "show",
            ];
            rest.is_empty()
                || rest
                    .iter()
                    .all(|a| listing.contains(a) || (a.starts_with("--") && !a.contains("delete")))
        }
        "config" => rest
            .iter()
            .any(|a| matches!(*a, "--get" | "--list" | "-l" | "--get-all")),
        _ => GIT_READERS.contains(&sub),
    }
}

/// Whether `command` redirects output to a file (`> f`, `>> f`), not to a stream,
/// `/dev/null` or a scratch path (`| tee f` is judged as a command).
fn redirects_to_file(command: &str, temp: &TempPaths) -> bool {
    let bytes = command.as_bytes();
    for (i, _) in command.match_indices('>') {
        let after = command[i + 1..].trim_start_matches('>').trim_start();
        let target = after.split([' ', ';', '&', '|', '\n']).next().unwrap_or_default();
        let to_stream = after.starts_with('&')
            || after.starts_with("/dev/null")
            || after.starts_with("/dev/std")
            || temp.contains(target);
        // `2>&1`, `>&2`: a stream; `->` and `=>` inside words (arrows in code) are not redirects.
        let in_word = i > 0 && matches!(bytes[i - 1], b'-' | b'=');
        if !to_stream && !in_word {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// test42 (Codex on Windows): thirty folders made in one PowerShell loop.
    #[test]
    fn directory_making_commands_are_known() {
        let loop_ = "powershell.exe -NoProfile -Command 1..30 | ForEach-Object { New-Item -ItemType Directory -Force -Name (\"F{0}\" -f $_) | Out-Null }\nGet-ChildItem -Directory | Select-Object -ExpandProperty Name | Sort-Object";
        assert!(new_item_directories(loop_));
        assert_eq!(file_operations("mkdir -p src/a src/b"), Some(Vec::new()));
        assert!(!new_item_directories(
            "New-Item -ItemType Directory -Name a; Set-Content a/x.txt hi"
        ));
        assert!(!new_item_directories("New-Item -ItemType File -Name a.txt"));
        let mkdir_then_init = "mkdir a && npm init -y";
        assert!(file_operations(mkdir_then_init).is_none() && !new_item_directories(mkdir_then_init));
    }

    /// dev43 (Codex): a constitution written by `cat <<'EOF' > …`.
    #[test]
    fn a_here_document_names_the_file_it_writes() {
        let doc = "cat <<'EOF' > .specify/memory/constitution.md\n# Constitution\nEOF";
        assert_eq!(heredoc_target(doc).as_deref(), Some(".specify/memory/constitution.md"));
        assert_eq!(
            heredoc_target("cat > notes.md <<EOF\nhi\nEOF\n").as_deref(),
            Some("notes.md")
        );
        assert_eq!(
            heredoc_target("tee a.md <<'X' >/dev/null\nhi\nX").as_deref(),
            Some("a.md")
        );
        assert_eq!(heredoc_target("cat <<EOF > $OUT\nhi\nEOF"), None);
        assert_eq!(heredoc_target("cat <<EOF > a.md\nhi\nEOF\nnpm test"), None);
        assert_eq!(heredoc_target("cat a.md > b.md"), None);
        // dev50 (Codex, spec-kit): the directory made for the file first.
        assert_eq!(
            heredoc_target("mkdir -p specs/001/contracts && cat > specs/001/plan.md <<'EOF'\n# Plan\nEOF").as_deref(),
            Some("specs/001/plan.md")
        );
        assert_eq!(heredoc_target("mkdir -p $D && cat > a.md <<'EOF'\nx\nEOF"), None);
        assert_eq!(heredoc_target("rm -rf x && cat > a.md <<'EOF'\nx\nEOF"), None);
    }

    /// dev50 and test45 (Codex running spec-kit's prompts): the scripts a request tells
    /// the agent to run are its steps; other scripts, and prescribed ones that also
    /// redirect into a file, are not.
    #[test]
    fn scripts_the_request_prescribes_are_its_steps() {
        let checks = Catalogue::default();
        let request = "1. **Setup**: Run `.specify/scripts/bash/check-prerequisites.sh --json` from repo root";
        for command in [
            ".specify/scripts/bash/check-prerequisites.sh --json",
            "/workspaces/app/.specify/scripts/bash/check-prerequisites.sh --json --paths-only",
            "cd /workspaces/app && bash .specify/scripts/bash/check-prerequisites.sh --json",
        ] {
            assert!(prescribed_by(command, request, &checks), "{command}");
        }
        for command in [
            ".specify/scripts/bash/setup-plan.sh --json",
            ".specify/scripts/bash/check-prerequisites.sh --json > out.json",
            ".specify/scripts/bash/check-prerequisites.sh && ./deploy.sh",
            "ls",
        ] {
            assert!(!prescribed_by(command, request, &checks), "{command}");
        }
        // A program on the PATH is no script the request gave, whatever it names.
        assert!(!prescribed_by("deploy --prod", "run deploy --prod", &checks));
    }

    /// dev42 (elizabeth-goldsmith/prirodnik, Claude Code): a folder sorted by `mkdir` and
    /// `mv`; a pattern or a variable leaves what changed unknown.
    #[test]
    fn plain_file_operations_name_what_they_change() {
        assert_eq!(file_operations("mkdir -p research finance"), Some(Vec::new()));
        assert_eq!(
            file_operations(r#"mv "Bioenergy conf companies.csv" "conferences/bioenergy/data.csv""#),
            Some(vec![
                "Bioenergy conf companies.csv".to_owned(),
                "conferences/bioenergy/data.csv".to_owned()
            ])
        );
        assert_eq!(
            file_operations("cp -r a b && touch c"),
            Some(vec!["b".to_owned(), "c".to_owned()])
        );
        assert_eq!(file_operations("mv *.csv data/"), None);
        assert_eq!(file_operations("rm $FILE"), None);
        assert_eq!(file_operations("mv a b && npm test"), None);
    }

    #[test]
    fn reading_and_checking_write_nothing() {
        for command in [
            "git status --short --branch",
            "git diff -- src/provider.ts",
            "git log --oneline -5 | head",
            "sed -n '1,220p' src/lib.rs",
            "rg --files -g 'SKILL.md' | sort",
            "cd packages/worker && npm test",
            "npm --workspace packages/worker test 2>&1 | tail -20",
            "go test ./internal/planner",
            "cargo clippy -- -D warnings 2>/dev/null",
            "find . -maxdepth 3 -type d -name '.codex'",
            "git branch --show-current",
            "cat README.md",
            r#"rg --files | rg "RepositoriesPage|navigation\.ts|cache\.ts""#,
            "go mod tidy -diff",
            // jfmoe/react-native-live-text-view's `/init` session: the test script's usage.
            "npm run test -- --help",
        ] {
            assert_eq!(
                command_effect(command, &Catalogue::default()),
                Effect::Reads,
                "{command}"
            );
        }
    }

    #[test]
    fn inline_scripts_are_judged_by_their_body() {
        let effect = |c: &str| command_effect(c, &Catalogue::default());
        // dev12 (alejandroOPI/third-wave-cafes): Codex probing its data.
        let probe = "python3 - <<'PY'\nimport json\nwith open('chatgpt-research-full.json','r',encoding='utf-8') as f:\n    data = json.load(f)\nprint(len(data['cafes']) > 40)\nPY";
        assert_eq!(effect(probe), Effect::Reads);
        assert_eq!(
            effect("node -e \"const d=require('./js/data.js'); console.log(Object.keys(d).length > 2)\""),
            Effect::Reads
        );
        assert_eq!(effect("python3 -c 'import sys; print(sys.version)'"), Effect::Reads);
        // dev13 (teslamint/entirecontext): behind `uv run`, with the environment set.
        assert_eq!(
            effect(
                "UV_CACHE_DIR=/private/tmp/uv-cache uv run python - <<'PY'\nimport importlib.util\nprint(importlib.util.find_spec('x'))\nPY"
            ),
            Effect::Reads
        );
        assert_eq!(
            effect("find .opencode -maxdepth 5 -print -exec ls -ld {} \\; 2>/dev/null | head -100"),
            Effect::Reads
        );
        assert_ne!(effect("find . -name '*.pyc' -exec rm {} +"), Effect::Reads);
        for writing in [
            "python3 - <<'PY'\nopen('out.json', 'w').write('{}')\nPY",
            "python3 - <<'PY'\nfrom pathlib import Path\nPath('a.txt').write_text('x')\nPY",
            "python3 -c 'import os; os.remove(\"a\")'",
            "python3 -c 'import subprocess; subprocess.run([\"make\"])'",
            "node -e \"require('fs').writeFileSync('a', 'b')\"",
            "python3 - <<'PY' > out.txt\nprint(1)\nPY",
            "python3 - <<'PY'\nprint(1)\nPY\nrm -rf build",
        ] {
            assert_ne!(effect(writing), Effect::Reads, "{writing}");
        }
    }

    #[test]
    fn editing_moving_fixing_or_unknown_programs_may_write() {
        for command in [
            "sed -i 's/a/b/' src/lib.rs",
            "cat > src/new.rs <<'EOF'\nfn main() {}\nEOF",
            "echo done >> notes.md",
            "git checkout main",
            "git pull --ff-only",
            "git apply fix.patch",
            "rm -rf build",
            "mv a.rs b.rs",
            "npx eslint --fix src",
            "python scripts/migrate.py",
            "cargo fmt",
            "npm install left-pad",
            "grep foo a.txt | tee out.txt",
            "find . -name '*.orig' -delete",
            "git branch -D old",
        ] {
            assert_ne!(
                command_effect(command, &Catalogue::default()),
                Effect::Reads,
                "{command}"
            );
        }
    }

    #[test]
    fn known_writers_are_told_from_unknown_programs() {
        let effect = |c: &str| command_effect(c, &Catalogue::default());
        for command in [
            "sed -i 's/a/b/' src/lib.rs",
            "echo done >> notes.md",
            "rm -rf build",
            "git commit -am wip",
            "npm install left-pad",
            "npx eslint --fix src",
            "go run ./cmd/tool | tee out.txt",
            "cargo fmt",
            "go mod tidy",
        ] {
            assert_eq!(effect(command), Effect::Writes, "{command}");
        }
        for command in [
            "go run ./cmd/entire-sem snapshot --repo . | head -n 5",
            "entire explain 019e7f73",
            "python scripts/report.py",
        ] {
            assert_eq!(effect(command), Effect::Unknown, "{command}");
        }
        assert_eq!(effect("git status --short && go test ./..."), Effect::Reads);
        // dev6 (entireio/entire-sem): a review that tried its program on a scratch file.
        let scratch = "tmp=$(mktemp -d); printf 'package main\\nfunc Broken( {\\n' > $tmp/bad.go; go run ./cmd/entire-sem snapshot --repo $tmp --format ndjson | head -n 1; rm -rf $tmp";
        assert_eq!(effect(scratch), Effect::Unknown);
        assert_eq!(effect("go test ./... > /tmp/out.txt 2>&1"), Effect::Reads);
        // dev50: a listing kept in a scratch file, and remote branches looked up.
        assert_eq!(
            effect("awk '/T0/' tasks.md | tee /tmp/lines.txt >/dev/null"),
            Effect::Reads
        );
        assert_eq!(
            effect("git ls-remote --heads origin | grep -E 'x$' || true"),
            Effect::Reads
        );
        assert_eq!(effect("grep x a | tee notes.txt"), Effect::Writes);
        assert_eq!(
            effect("mkdir -p \"$TMPDIR/x\" && cp report.json \"${TMPDIR}/x/\""),
            Effect::Reads
        );
        assert_eq!(
            effect("tmpl=$(mktemp); echo x > $tmpl2/a"),
            Effect::Writes,
            "another variable"
        );
        assert_eq!(effect("rm -rf /tmp/x src"), Effect::Writes);
    }

    #[test]
    fn tools_are_judged_by_name_when_they_run_no_command() {
        let checks = Catalogue::default();
        assert_eq!(call_effect("Read", None, &checks), Effect::Reads);
        assert_eq!(call_effect("update_plan", None, &checks), Effect::Reads);
        // dev25: Claude Code loading a deferred tool before a plan the user refused
        // (jcleira/entire-local); OpenCode asking the user.
        assert_eq!(call_effect("ToolSearch", None, &checks), Effect::Reads);
        assert_eq!(call_effect("question", None, &checks), Effect::Reads);
        assert_eq!(
            call_effect("Task", None, &checks),
            Effect::Writes,
            "a subagent may edit"
        );
        assert_eq!(call_effect("mcp.github.create_file", None, &checks), Effect::Writes);
        assert_eq!(call_effect("shell", Some("git status"), &checks), Effect::Reads);
        assert_eq!(
            call_effect("shell", Some("git commit -am wip && git push"), &checks),
            Effect::Writes
        );
    }
}
