//! Terminal transcripts: a session as the agent's terminal showed it — Claude Code's
//! `/export` text, or the screen of Claude Code or Gemini CLI copied into a file. Teams
//! keep these beside their code (`.convo-history/`, `docs/sessions/*.md`) when no JSON
//! log is at hand. The `claude-code` and `gemini` adapters read them.
//!
//! Claude Code (`/export`, or the screen):
//! ```text
//! > the request, wrapped lines at the left edge
//! ⏺ the answer (`●` in newer versions), continued two spaces in
//! ⏺ Bash(npm test) timeout: 30s         a tool call: name, then its arguments
//!   ⎿  Error: Exit code 1                its result; `Error: Exit code N` when the
//!      … +20 lines (ctrl+o to expand)     command failed, no `Error:` when it passed
//!   ⎿  Interrupted · What should Claude do instead?
//! ```
//! Gemini CLI (the screen):
//! ```text
//! > the request
//! ✦ the answer
//! │ ✓  Shell pytest [current working directory /p]  │   a tool in a box: ✓ ran, x failed,
//! │ ===== 1 failed in 0.09s =====                    │   - cancelled; its output below
//!   ✓  WriteFile  Book.php → Accepted (+58, -0)         newer versions: no box
//! ```
//! The screen shows what a person saw: a Claude Code result says whether the command
//! failed and its exit code, but a Gemini CLI ✓ only says the tool ran (a failing test
//! run shows ✓ too), so there the output decides. Outputs are often cut (`… +N
//! lines`). The screen has no times, ids or token counts.

use super::session::{ExitStatus, Session};
use super::{RunDraft, SourceSpec};

/// Which agent's terminal a transcript shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    /// Claude Code: `⏺`/`●` bullets and `⎿` results.
    ClaudeCode,
    /// Gemini CLI: `✦` answers and `✓  Tool` rows.
    Gemini,
}

/// The dialect of `text` (its start is enough), when it is a terminal transcript and not
/// JSON: answers or tool rows of the agent at the left edge, beside results.
pub(super) fn dialect(text: &str) -> Option<Dialect> {
    let first = text.trim_start_matches('\u{feff}').trim_start();
    if first.starts_with(['{', '[']) {
        return None;
    }
    let lines = || text.lines().take(4000);
    let bullets = lines().filter(|l| claude_bullet(l).is_some()).count();
    let results = lines().filter(|l| result_line(l).is_some()).count();
    // A long pasted request can push the first answer past the file's head; the
    // banner and a request say it is Claude Code's screen as well.
    let banner = lines().take(20).any(|l| l.contains("Claude Code v"));
    if bullets > 0 && results > 0 || banner && lines().any(|l| claude_prompt(l).is_some()) {
        return Some(Dialect::ClaudeCode);
    }
    let answers = lines().filter(|l| gemini_answer(l).is_some()).count();
    let tools = lines().filter(|l| gemini_tool(l).is_some()).count();
    (answers > 0 && (tools > 0 || lines().any(|l| gemini_prompt(l).is_some()))).then_some(Dialect::Gemini)
}

/// The run a transcript in `dialect` holds.
pub(super) fn parse(spec: &SourceSpec, display: &str, text: &str, dialect: Dialect) -> Vec<RunDraft> {
    let events = match dialect {
        Dialect::ClaudeCode => claude_events(text),
        Dialect::Gemini => gemini_events(text),
    };
    let mut session = Session::new(spec.checks.clone());
    session.cwd = banner_cwd(text, dialect);
    if let Some(model) = banner_model(text, dialect) {
        session.model(&model);
    }
    session.saw_line(0, 1, None);
    for (n, event) in events.into_iter().enumerate() {
        feed(&mut session, event, &format!("screen-{n}"));
    }
    session.infer_cwd();
    let mut outcome = super::FileOutcome::default();
    session.finish_into(&mut outcome, display);
    outcome.runs
}

/// What the screen shows, in order.
#[derive(Debug, PartialEq)]
enum Event {
    User(String),
    Assistant(String),
    Tool(Shown),
    /// The user stopped the turn.
    Interrupted,
    /// The harness failed (the model API).
    HarnessError(String),
}

/// A tool call as the screen shows it.
#[derive(Debug, PartialEq)]
struct Shown {
    /// The agent's own tool name (`Edit` for Claude Code's `Update`, `run_shell_command`
    /// for Gemini's `Shell`).
    name: String,
    /// The arguments as shown.
    args: String,
    command: Option<String>,
    files: Vec<String>,
    changes: bool,
    output: String,
    status: Status,
}

/// How a call ended, as far as the screen says.
#[derive(Debug, PartialEq)]
enum Status {
    /// It succeeded (a Claude Code command exited 0).
    Passed,
    /// It failed, with the exit code when shown.
    Failed(Option<i32>),
    /// It never ran: refused, cancelled or interrupted.
    NotRun,
    /// It ran; the screen does not say how it ended.
    Ran,
}

fn feed(session: &mut Session, event: Event, id: &str) {
    match event {
        Event::User(text) => session.user_text(&text),
        Event::Assistant(text) => session.assistant_text(&text, false),
        Event::Interrupted => session.interrupted(),
        Event::HarnessError(text) => session.harness_error(&text),
        Event::Tool(shown) => {
            // An edit that failed or never ran changed nothing.
            let changes = shown.changes && matches!(shown.status, Status::Passed | Status::Ran);
            let is_command = shown.command.is_some();
            session.tool_call(id, &shown.name, shown.args, shown.command, shown.files, changes);
            let exit = match shown.status {
                Status::NotRun => return session.rejected(id, &shown.output),
                Status::Passed => ExitStatus::Known(0),
                Status::Failed(Some(code)) => ExitStatus::Known(code),
                Status::Failed(None) => ExitStatus::Flagged(true),
                Status::Ran => match super::gemini::footer_exit_code(&shown.output) {
                    Some(code) => ExitStatus::Known(code),
                    // The shell's own words for a program it could not find.
                    None if shown.output.lines().any(|l| l.ends_with(": command not found")) => ExitStatus::Known(127),
                    // Gemini CLI shows `Command exited with code: N` for a failure
                    // that printed nothing, so a silent row exited 0.
                    None if shown.output.is_empty() && is_command => ExitStatus::Known(0),
                    None => ExitStatus::Unknown,
                },
            };
            session.tool_result(id, &shown.output, exit);
        }
    }
}

// ---- Claude Code ----

/// The text after a Claude Code bullet at the left edge.
fn claude_bullet(line: &str) -> Option<&str> {
    line.strip_prefix("⏺ ").or_else(|| line.strip_prefix("● "))
}

/// A request at the left edge: `> text` (`❯` in newer versions).
fn claude_prompt(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('>').or_else(|| line.strip_prefix('❯'))?;
    (rest.is_empty() || rest.starts_with(' ')).then(|| rest.trim())
}

/// The text of a result line, `  ⎿  text`.
fn result_line(line: &str) -> Option<&str> {
    let rest = line.trim_start_matches(' ');
    (line.len() - rest.len() <= 4).then_some(())?;
    rest.strip_prefix('⎿').map(str::trim)
}

/// Whether a line starts a new item: a request, an answer or a call.
fn claude_item(line: &str) -> bool {
    claude_bullet(line).is_some() || claude_prompt(line).is_some()
}

/// A call's header: its name and where its arguments start (`Bash(`, `Web Search(`,
/// `context7 - resolve-library-id (MCP)(`), or a call without arguments (`Update Todos`).
fn claude_header(text: &str) -> Option<(&str, &str)> {
    if let Some(at) = text.find("(MCP)(") {
        return Some((text[..at].trim(), &text[at + "(MCP)(".len()..]));
    }
    let open = text.find('(')?;
    let name = &text[..open];
    let words: Vec<&str> = name.split(' ').collect();
    let capitalized = |w: &&str| w.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    let plain = |w: &&str| w.chars().all(|c| c.is_ascii_alphanumeric());
    (words.len() <= 2 && words.iter().all(capitalized) && words.iter().all(plain)).then(|| (name, &text[open + 1..]))
}

/// Names the screen shows for a call, and the tool each is (as the JSON log names it).
const CLAUDE_TOOLS: &[(&str, &str)] = &[
    ("Update", "Edit"),
    ("Search", "Grep"),
    ("List", "LS"),
    ("Fetch", "WebFetch"),
    ("Web Search", "WebSearch"),
    ("Update Todos", "TodoWrite"),
    ("Read Todos", "TodoRead"),
    ("Kill Shell", "KillShell"),
    ("Explore", "Task"),
    ("Plan", "Task"),
];

fn claude_events(text: &str) -> Vec<Event> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut events = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(first) = claude_prompt(line) {
            // Wrapped lines of a request start at the left edge too.
            let mut request = vec![first];
            i += 1;
            while i < lines.len() && !claude_item(lines[i]) && result_line(lines[i]).is_none() {
                request.push(lines[i].trim());
                i += 1;
            }
            events.push(Event::User(request.join("\n").trim().to_owned()));
            match lines.get(i).and_then(|l| result_line(l)) {
                Some(result) if result.starts_with("Interrupted") => {
                    events.push(Event::Interrupted);
                    i += 1;
                }
                // A request's own error is the harness's: `/compact` failing on a
                // conversation too long to go on.
                Some(result) if result.starts_with("Error:") => {
                    events.push(Event::HarnessError(result.to_owned()));
                    i += 1;
                }
                _ => {}
            }
        } else if let Some(content) = claude_bullet(line) {
            i += 1;
            let header = claude_header(content).filter(|_| {
                // A call always shows a result (unless the log ends on it).
                let next = lines[i..]
                    .iter()
                    .find(|l| !l.trim().is_empty() && !l.starts_with("      "));
                next.is_none_or(|l| result_line(l).is_some())
            });
            let bare_call = CLAUDE_TOOLS.iter().any(|(shown, _)| *shown == content)
                && lines.get(i).is_some_and(|l| result_line(l).is_some());
            if let Some((name, args)) = header {
                let mut args = args.to_owned();
                // Arguments wrap onto lines six spaces in, up to the closing parenthesis.
                while i < lines.len() && lines[i].starts_with("      ") && result_line(lines[i]).is_none() {
                    args.push('\n');
                    args.push_str(lines[i].trim());
                    i += 1;
                }
                let (output, next) = claude_result(&lines, i);
                i = next;
                events.push(Event::Tool(claude_call(name, &args, output)));
            } else if bare_call {
                let (output, next) = claude_result(&lines, i);
                i = next;
                events.push(Event::Tool(claude_call(content, "", output)));
            } else {
                let mut answer = vec![content];
                while i < lines.len() && (lines[i].is_empty() || lines[i].starts_with("  ")) {
                    if result_line(lines[i]).is_some() {
                        break;
                    }
                    answer.push(lines[i].trim());
                    i += 1;
                }
                let answer = answer.join("\n").trim().to_owned();
                if answer.starts_with("API Error") {
                    events.push(Event::HarnessError(answer));
                } else {
                    events.push(Event::Assistant(answer));
                }
            }
        } else {
            i += 1;
        }
    }
    events
}

/// The result lines from `start` (each `⎿` and the lines four or more spaces in after
/// it), and the index after them.
fn claude_result(lines: &[&str], start: usize) -> (String, usize) {
    let mut out: Vec<&str> = Vec::new();
    let mut i = start;
    while i < lines.len() {
        let line = lines[i];
        if let Some(text) = result_line(line) {
            out.push(text);
        } else if line.starts_with("    ") && !out.is_empty() {
            out.push(line.trim());
        } else if !line.trim().is_empty() {
            break;
        }
        i += 1;
    }
    (out.join("\n").trim().to_owned(), i)
}

/// A Claude Code call from its shown name, arguments and result.
fn claude_call(shown: &str, args: &str, output: String) -> Shown {
    let name = CLAUDE_TOOLS
        .iter()
        .find(|(s, _)| *s == shown)
        .map_or(shown, |(_, tool)| tool)
        .to_owned();
    // `Bash(cmd) timeout: 30s`: the arguments end at the last parenthesis.
    let args = match args.rfind(')') {
        Some(close) => &args[..close],
        None => args,
    }
    .trim();
    // Older versions name the argument: `Read(file_path: "src/a.ts")`.
    let args = ["file_path: ", "command: ", "notebook_path: "]
        .iter()
        .find_map(|key| args.strip_prefix(key))
        .map_or(args, |quoted| quoted.trim_matches('"'))
        .to_owned();
    let first = output.lines().next().unwrap_or_default();
    let status = if first.starts_with("Interrupted")
        || first.starts_with("User rejected")
        || first.starts_with("User declined")
        || first.starts_with("Cancelled")
        || super::claude_code::was_rejected(first)
    {
        Status::NotRun
    } else if let Some(error) = first.strip_prefix("Error:") {
        let code = error
            .trim()
            .strip_prefix("Exit code")
            .and_then(|n| n.trim().parse().ok());
        Status::Failed(code)
    } else if first.starts_with("File must be read first")
        || first.starts_with("File has not been read yet")
        || first.starts_with("<tool_use_error>")
    {
        Status::Failed(None)
    } else {
        Status::Passed
    };
    let is_edit = matches!(name.as_str(), "Edit" | "MultiEdit" | "Write" | "NotebookEdit");
    let files = if is_edit || name == "Read" {
        vec![args.lines().next().unwrap_or_default().to_owned()]
    } else {
        Vec::new()
    };
    Shown {
        command: (name == "Bash").then(|| args.clone()),
        changes: is_edit,
        files,
        args,
        name,
        output,
        status,
    }
}

// ---- Gemini CLI ----

/// `> request` at most four spaces in.
fn gemini_prompt(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    (line.len() - rest.len() <= 4).then_some(())?;
    rest.strip_prefix("> ").map(str::trim)
}

/// `✦ answer` at most four spaces in.
fn gemini_answer(line: &str) -> Option<&str> {
    let rest = line.trim_start();
    (line.len() - rest.len() <= 4).then_some(())?;
    rest.strip_prefix("✦ ").map(str::trim)
}

/// Tools by the names Gemini CLI shows them under, and by their own names (shown
/// when a call failed), mapped to their own names.
const GEMINI_TOOLS: &[(&str, &str)] = &[
    ("Shell", "run_shell_command"),
    ("ReadFile", "read_file"),
    ("ReadManyFiles", "read_many_files"),
    ("ReadFolder", "list_directory"),
    ("FindFiles", "glob"),
    ("SearchText", "search_file_content"),
    ("GoogleSearch", "google_web_search"),
    ("WebFetch", "web_fetch"),
    ("WriteFile", "write_file"),
    ("Edit", "replace"),
    ("SaveMemory", "save_memory"),
    ("Save Memory", "save_memory"),
    ("WriteTodos", "write_todos"),
];

/// A tool row, boxed (`│ ✓  Shell …`) or not: its status glyph, the tool and the rest.
fn gemini_tool(line: &str) -> Option<(char, &'static str, &str)> {
    let inner = line.strip_prefix('│').unwrap_or(line).trim_start();
    let mut chars = inner.chars();
    let glyph = chars.next().filter(|g| "✓✔x✗-?⊷o".contains(*g))?;
    let rest = chars.as_str().strip_prefix("  ")?.trim_start();
    let rest = rest.trim_end().trim_end_matches('│').trim_end();
    GEMINI_TOOLS.iter().find_map(|&(shown, tool)| {
        let own = rest.strip_prefix(tool).filter(|r| r.is_empty() || r.starts_with(' '));
        let args = rest
            .strip_prefix(shown)
            .filter(|r| r.is_empty() || r.starts_with(' '))
            .or(own)?;
        Some((glyph, tool, args.trim()))
    })
}

fn gemini_events(text: &str) -> Vec<Event> {
    enum Open {
        Nothing,
        User(Vec<String>),
        Answer(Vec<String>),
        Tool(char, &'static str, String, Vec<String>),
    }
    let mut events = Vec::new();
    let mut open = Open::Nothing;
    let close = |open: Open, events: &mut Vec<Event>| match open {
        Open::Nothing => {}
        Open::User(lines) => events.push(Event::User(lines.join("\n").trim().to_owned())),
        Open::Answer(lines) => events.push(Event::Assistant(lines.join("\n").trim().to_owned())),
        Open::Tool(glyph, tool, args, output) => {
            events.push(Event::Tool(gemini_call(glyph, tool, &args, output.join("\n").trim())));
        }
    };
    for line in text.lines().map(str::trim_end) {
        if line.starts_with('╭') || line.starts_with('╰') {
            continue;
        }
        let boxed = line.starts_with('│');
        if let Some((glyph, tool, args)) = gemini_tool(line) {
            close(
                std::mem::replace(&mut open, Open::Tool(glyph, tool, args.to_owned(), Vec::new())),
                &mut events,
            );
            continue;
        }
        let prompt = gemini_prompt(line).filter(|_| !boxed);
        let answer = gemini_answer(line).filter(|_| !boxed);
        if let Some(text) = prompt {
            close(
                std::mem::replace(&mut open, Open::User(vec![text.to_owned()])),
                &mut events,
            );
        } else if let Some(text) = answer {
            close(
                std::mem::replace(&mut open, Open::Answer(vec![text.to_owned()])),
                &mut events,
            );
        } else if !boxed && line.trim_start().starts_with("ℹ Request cancelled") {
            close(std::mem::replace(&mut open, Open::Nothing), &mut events);
            events.push(Event::Interrupted);
        } else if !boxed && line.trim_start().starts_with("✕ [API Error") {
            close(std::mem::replace(&mut open, Open::Nothing), &mut events);
            events.push(Event::HarnessError(line.trim().to_owned()));
        } else {
            let inner = line.strip_prefix('│').unwrap_or(line);
            let inner = inner.trim_end().trim_end_matches('│').trim_end();
            match &mut open {
                Open::User(lines) | Open::Answer(lines) => lines.push(inner.trim().to_owned()),
                Open::Tool(.., output) => output.push(inner.trim().to_owned()),
                Open::Nothing => {}
            }
        }
    }
    close(open, &mut events);
    events
}

/// A Gemini CLI call from its row and output.
fn gemini_call(glyph: char, tool: &str, args: &str, output: &str) -> Shown {
    let json: Option<serde_json::Value> = serde_json::from_str(args).ok();
    let json_arg = |key: &str| {
        json.as_ref()
            .and_then(|v| v.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let command = (tool == "run_shell_command").then(|| {
        json_arg("command").unwrap_or_else(|| {
            // `cmd [current working directory /p] (what it does)`, cut at the box's edge.
            args.split(" [current working d")
                .next()
                .unwrap_or(args)
                .trim()
                .to_owned()
        })
    });
    let is_edit = matches!(tool, "write_file" | "replace");
    let files = if is_edit || tool == "read_file" {
        let path = json_arg("file_path")
            .or_else(|| json_arg("absolute_path"))
            .unwrap_or_else(|| {
                let shown = args.strip_prefix("Writing to ").unwrap_or(args);
                let shown = shown.split(" → ").next().unwrap_or(shown);
                let shown = shown.split(": ").next().unwrap_or(shown);
                shown.split_whitespace().next().unwrap_or_default().to_owned()
            });
        vec![path]
            .into_iter()
            .filter(|p| !p.is_empty() && !p.contains('…'))
            .collect()
    } else {
        Vec::new()
    };
    let refused = args.contains("→ Rejected") || args.contains("→ Cancelled");
    let status = match glyph {
        '-' => Status::NotRun,
        _ if refused => Status::NotRun,
        'x' | '✗' => Status::Failed(None),
        '✓' | '✔' if tool != "run_shell_command" => Status::Passed,
        _ => Status::Ran,
    };
    Shown {
        name: tool.to_owned(),
        args: args.to_owned(),
        command,
        files,
        changes: is_edit,
        output: output.to_owned(),
        status,
    }
}

// ---- What the banner and footer say ----

/// The working directory: Claude Code's banner (`cwd: /p`, or the path under the logo),
/// or the first whole `[current working directory /p]` of a Gemini CLI shell row.
fn banner_cwd(text: &str, dialect: Dialect) -> Option<String> {
    let path = |s: &str| {
        let s = s.trim();
        (s.starts_with('/') && !s.contains(' ') && !s.contains('…')).then(|| s.to_owned())
    };
    match dialect {
        Dialect::ClaudeCode => text.lines().take(12).find_map(|l| {
            let l = l.trim_matches(|c: char| c == '│' || c.is_whitespace());
            let l = l.trim_start_matches(|c: char| !c.is_ascii() || c.is_whitespace());
            path(l.strip_prefix("cwd:").unwrap_or(l))
        }),
        Dialect::Gemini => text.lines().find_map(|l| {
            let (_, rest) = l.split_once("[current working directory ")?;
            path(rest.split_once(']')?.0)
        }),
    }
}

/// The model: Claude Code's banner (`Sonnet 4.5 · Claude Pro` → `claude-sonnet-4-5`),
/// or Gemini CLI's footer (`gemini-2.5-pro (97% context left)`).
fn banner_model(text: &str, dialect: Dialect) -> Option<String> {
    match dialect {
        Dialect::ClaudeCode => text.lines().take(12).find_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            words.windows(2).find_map(|w| {
                let family = ["Opus", "Sonnet", "Haiku"].into_iter().find(|f| w[0] == *f)?;
                let version = w[1].trim_end_matches('·');
                version
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.')
                    .then(|| format!("claude-{}-{}", family.to_ascii_lowercase(), version.replace('.', "-")))
            })
        }),
        Dialect::Gemini => text.lines().rev().take(400).find_map(|l| {
            let at = l.find("context left)")?;
            l[..at]
                .split_whitespace()
                .rev()
                .find(|w| w.starts_with("gemini-"))
                .map(str::to_owned)
        }),
    }
}

#[cfg(test)]
mod tests;
