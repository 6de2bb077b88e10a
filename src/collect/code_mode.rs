//! Codex's code mode: the model calls one tool, `exec`, whose input is a JavaScript
//! script that calls the real tools — `tools.exec_command({cmd: "go test ./...", …})`,
//! `tools.apply_patch(patch)` — and prints what it wants back with `text(…)`. The
//! script's output (`custom_tool_call_output`) starts `Script completed` and holds what
//! it printed after `Output:`; a script still running says `Script running with cell ID
//! N`, and a later `wait {cell_id: N}` call returns its output.
//!
//! The script is not run or interpreted: its string literals are read. A command is the
//! literal given as `cmd`; a patch, the `*** Add/Update/Delete File:` lines of any
//! literal. The exit status is known when the script printed the tool's result as JSON
//! (`text(JSON.stringify(r))`: `{"exit_code": 1, "output": …}`, or an array of them for
//! several commands); when it printed only `r.output`, the output decides.

use super::session::ExitStatus;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

/// What a script calls, as far as its literals tell.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Script {
    /// Commands given to `tools.exec_command` as literals, in order.
    pub commands: Vec<String>,
    /// `tools.exec_command` calls whose command is not a literal (a variable, a loop).
    pub dynamic_commands: usize,
    /// Files a patch in the script names (`*** Update File: path`).
    pub patched: Vec<String>,
    /// The script applies a patch.
    pub patches: bool,
    /// Exec sessions the script polls (`tools.write_stdin({session_id: N})`): commands
    /// an earlier script left running.
    pub polled: Vec<String>,
    /// `tools.write_stdin` calls whose session is not a literal.
    pub dynamic_polls: usize,
}

/// Read what `js` calls.
pub(super) fn read_script(js: &str) -> Script {
    static CMD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(?:\bcmd|"cmd")\s*:\s*"#).expect("static regex"));
    static SESSION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(?:\bsession_id|"session_id")\s*:\s*["']?(\d+)"#).expect("static regex"));
    let literals = literals(js);
    let at = |offset: usize| literals.iter().find(|(start, _)| *start == offset);
    let calls = js.matches("tools.exec_command(").count();
    let commands: Vec<String> = CMD
        .find_iter(js)
        .filter_map(|m| at(m.end()).and_then(|(_, text)| text.clone()))
        .collect();
    let texts: Vec<&str> = literals.iter().filter_map(|(_, t)| t.as_deref()).collect();
    let polled: Vec<String> = SESSION.captures_iter(js).map(|c| c[1].to_owned()).collect();
    Script {
        dynamic_commands: calls.saturating_sub(commands.len()),
        commands,
        patched: super::codex::patch_files(&texts.join("\n")),
        patches: js.contains("tools.apply_patch("),
        dynamic_polls: js.matches("tools.write_stdin(").count().saturating_sub(polled.len()),
        polled,
    }
}

/// How a script's output reads.
#[derive(Debug, PartialEq)]
pub(super) enum ScriptOutput {
    /// It finished; what it printed.
    Completed(String),
    /// It is still running in cell N.
    Running(String),
}

/// The output of a script call (or of the `wait` that finished it).
pub(super) fn script_output(text: &str) -> ScriptOutput {
    let head = text.lines().next().unwrap_or_default();
    if let Some(cell) = head.strip_prefix("Script running with cell ID") {
        return ScriptOutput::Running(cell.trim().to_owned());
    }
    let body = match text.split_once("Output:\n") {
        Some((header, body)) if header.lines().count() <= 4 => body,
        _ => text,
    };
    ScriptOutput::Completed(body.trim_start_matches('\n').to_owned())
}

/// What one command of a script came to.
#[derive(Debug, PartialEq)]
pub(super) struct ExecResult {
    /// Its output.
    pub output: String,
    /// Its exit status, when the script printed it.
    pub status: ExitStatus,
    /// The exec session it still runs in (a later `write_stdin` polls it).
    pub session: Option<String>,
}

/// What each of `count` commands (or polls) came to, from what their script printed:
/// the tool results it printed as JSON (one array, or one object after another, in
/// the order of the calls), else the whole output with no known status.
pub(super) fn command_results(printed: &str, count: usize) -> Vec<ExecResult> {
    let mut results: Vec<ExecResult> = Vec::new();
    let trimmed = printed.trim_start();
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(trimmed.trim_end()) {
        results.extend(items.iter().map_while(exec_result));
    } else {
        let stream = serde_json::Deserializer::from_str(trimmed).into_iter::<Value>();
        results.extend(stream.map_while(|v| v.ok()).map_while(|v| exec_result(&v)));
    }
    results.truncate(count);
    // `text(r.output); if (r.session_id) text(\`SESSION_ID=${r.session_id}\`)`: one
    // command, still running in the session the script named.
    static STILL_RUNNING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^SESSION_ID=(\d+)\s*\z").expect("static regex"));
    if results.is_empty()
        && count == 1
        && let Some(caps) = STILL_RUNNING.captures(printed)
    {
        let at = caps.get(0).map_or(printed.len(), |m| m.start());
        results.push(ExecResult {
            output: printed[..at].to_owned(),
            status: ExitStatus::Running,
            session: Some(caps[1].to_owned()),
        });
    }
    while results.len() < count {
        results.push(ExecResult {
            output: printed.to_owned(),
            status: ExitStatus::Unknown,
            session: None,
        });
    }
    results
}

/// `{"exit_code": N, "output": …}`, or `{"session_id": N, …}` for a command still running.
fn exec_result(result: &Value) -> Option<ExecResult> {
    let output = result
        .get("output")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let session = result.get("session_id").map(|id| match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    let status = match result.get("exit_code").and_then(Value::as_i64) {
        Some(code) => i32::try_from(code).map_or(ExitStatus::Flagged(true), ExitStatus::Known),
        None if session.is_some() => ExitStatus::Running,
        None => return None,
    };
    Some(ExecResult {
        output,
        status,
        session: session.filter(|_| status == ExitStatus::Running),
    })
}

/// The string literals of a script, decoded, by the offset of their opening quote;
/// `None` for a template literal with `${…}` in it.
fn literals(js: &str) -> Vec<(usize, Option<String>)> {
    let bytes = js.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'"' | b'\'' | b'`') => {
                let start = i;
                let mut text = String::new();
                let mut dynamic = false;
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    if bytes[i] == b'\\' && i + 1 < bytes.len() {
                        i += 1;
                        let (decoded, used) = escape(&js[i..]);
                        text.push_str(&decoded);
                        i += used;
                        continue;
                    }
                    if quote == b'`' && js[i..].starts_with("${") {
                        dynamic = true;
                    }
                    // Copy one whole character (the script is UTF-8).
                    let ch = js[i..].chars().next().unwrap_or('\u{fffd}');
                    text.push(ch);
                    i += ch.len_utf8();
                }
                i += 1;
                out.push((start, (!dynamic).then_some(text)));
            }
            // A line comment may hold a lone quote (`// don't`).
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = js[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            _ => i += 1,
        }
    }
    out
}

/// One escape after a backslash: the text it stands for and the bytes it took.
fn escape(rest: &str) -> (String, usize) {
    let mut chars = rest.chars();
    let Some(c) = chars.next() else {
        return (String::new(), 0);
    };
    let hex = |len: usize| {
        rest.get(1..=len)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32)
    };
    match c {
        'n' => ("\n".into(), 1),
        't' => ("\t".into(), 1),
        'r' => ("\r".into(), 1),
        'u' => hex(4).map_or(("u".into(), 1), |ch| (ch.to_string(), 5)),
        'x' => hex(2).map_or(("x".into(), 1), |ch| (ch.to_string(), 3)),
        other => (other.to_string(), other.len_utf8()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev10 (entireio/entire-graph, chikachow/cyspbot): the shapes code-mode scripts take.
    #[test]
    fn commands_and_patches_are_read_from_the_scripts_literals() {
        let one = "const r = await tools.exec_command({\n  cmd: \"go test ./internal/gitutil\",\n  workdir: \"/Users/t/p\",\n  yield_time_ms: 30000\n});\ntext(JSON.stringify(r,null,2));\n";
        assert_eq!(read_script(one).commands, ["go test ./internal/gitutil"]);
        let quoted_keys =
            r#"const r = await tools.exec_command({"cmd":"corepack pnpm run test","workdir":"/Users/c/s"});"#;
        assert_eq!(read_script(quoted_keys).commands, ["corepack pnpm run test"]);
        let parallel = "const rs = await Promise.all([\n tools.exec_command({ cmd: 'git status --short' }),\n tools.exec_command({ cmd: `go vet ./...` }),\n]);\nfor (const r of rs) text(r.output); // don't print twice\n";
        let script = read_script(parallel);
        assert_eq!(script.commands, ["git status --short", "go vet ./..."]);
        assert_eq!(script.dynamic_commands, 0);
        let patch = "const patch = \"*** Begin Patch\\n*** Update File: internal/sem/search.go\\n@@\\n-a\\n+b\\n*** End Patch\";\ntext(await tools.apply_patch(patch));";
        let script = read_script(patch);
        assert!(script.patches);
        assert_eq!(script.patched, ["internal/sem/search.go"]);
        let looped = "for (const c of cmds) { await tools.exec_command({ cmd: c }); }";
        assert_eq!(read_script(looped).dynamic_commands, 1);
        let poll = "const r = await tools.write_stdin({session_id: 67534, chars: \"\", yield_time_ms: 20000});\ntext(JSON.stringify(r));";
        assert_eq!(read_script(poll).polled, ["67534"]);
        assert_eq!(read_script("text(ALL_TOOLS.map(t => t.name));"), Script::default());
    }

    #[test]
    fn a_printed_result_gives_the_exit_code_and_bare_output_gives_none() {
        let completed = "Script completed\nWall time 0.6 seconds\nOutput:\n\n{\"chunk_id\":\"3387\",\"exit_code\":1,\"output\":\"Error: listen EPERM\"}";
        let ScriptOutput::Completed(printed) = script_output(completed) else {
            panic!()
        };
        let statuses = |printed: &str, n: usize| -> Vec<(String, ExitStatus, Option<String>)> {
            command_results(printed, n)
                .into_iter()
                .map(|r| (r.output, r.status, r.session))
                .collect()
        };
        assert_eq!(
            statuses(&printed, 1),
            [("Error: listen EPERM".to_owned(), ExitStatus::Known(1), None)]
        );
        assert_eq!(
            statuses("ok  \texample.com/p\t0.2s\n", 1),
            [("ok  \texample.com/p\t0.2s\n".to_owned(), ExitStatus::Unknown, None)]
        );
        // dev23 (jdx/mise): the output so far, then the session the command still runs in.
        assert_eq!(
            statuses("   Compiling mise v2026.7.1\nSESSION_ID=16488", 1),
            [(
                "   Compiling mise v2026.7.1\n".to_owned(),
                ExitStatus::Running,
                Some("16488".to_owned())
            )]
        );
        let two = r#"[{"exit_code":0,"output":"a"},{"exit_code":2,"output":"b"}]"#;
        assert_eq!(
            statuses(two, 2),
            [
                ("a".to_owned(), ExitStatus::Known(0), None),
                ("b".to_owned(), ExitStatus::Known(2), None)
            ]
        );
        // dev10 (entire-graph d2a005): one result printed as JSON, the next as text;
        // `mise run test` still running in exec session 91768.
        let mixed = "{\"exit_code\":1,\"output\":\"pattern ./...: operation not permitted\"}\n    15\treturn err\n";
        let got = statuses(mixed, 2);
        assert_eq!(got[0].1, ExitStatus::Known(1));
        assert_eq!(got[1].1, ExitStatus::Unknown);
        let running = r#"{"chunk_id":"7f48","session_id":91768,"output":"[test] $ go test ./..."}"#;
        assert_eq!(statuses(running, 1)[0].2.as_deref(), Some("91768"));
        assert_eq!(
            script_output("Script running with cell ID 108\nWall time 10.0 seconds\nOutput:\n"),
            ScriptOutput::Running("108".into())
        );
    }
}
