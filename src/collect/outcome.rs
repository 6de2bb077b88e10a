//! What a session's commands add up to, judged on its **final state**: the last run
//! of each validation counts, and a failure that a later run of the same check fixed
//! is evidence ("failed → passed"), not a failure.
//!
//! Every command is judged at the end of the session, from its last observed state,
//! because some logs state an exit code after the output (Codex `exec_command_end`,
//! unified-exec polls).

use super::Catalogue;
use super::git_ops::{Asked, GitOps};
use super::signals;
use super::validation::{Recognized, program_words, segments};
use crate::schema::{CommandRun, ValidationResult};

/// Output kept per command for judging: its head and tail (summary lines sit at the end).
const KEEP_HEAD: usize = 2_000;
const KEEP_TAIL: usize = 6_000;

/// What was seen of one command beyond its text and exit code.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// Its output (head and tail).
    pub output: String,
    /// The user rejected the call: it never ran.
    pub rejected: bool,
    /// The exit code was measured by the harness, not read from text.
    pub measured: bool,
    /// How many files the run had changed when the command started.
    pub after_changes: usize,
}

/// The judged facts of a session.
#[derive(Debug, Default)]
pub struct Outcomes {
    /// Commands that ran (rejected calls left out).
    pub commands: Vec<CommandRun>,
    /// One result per validation key, its last run deciding.
    pub validations: Vec<ValidationResult>,
    /// Failures still standing at the end.
    pub failure_markers: Vec<String>,
    /// Success facts that are not tests.
    pub success_markers: Vec<String>,
}

/// The head and tail of a command's output, as words (terminal colours removed).
pub fn keep_for_judging(output: &str) -> String {
    crate::text::head_and_tail(&crate::text::without_ansi(output), KEEP_HEAD, KEEP_TAIL)
}

struct CheckRun {
    checks: Vec<Recognized>,
    passed: bool,
    counts: (Option<u64>, Option<u64>),
    markers: Vec<String>,
}

/// Judge a session's commands. `changed` lists the files the run changed, in order.
pub fn judge(
    catalogue: &Catalogue,
    commands: Vec<CommandRun>,
    observed: Vec<Observed>,
    changed: &[String],
    asked: Asked,
) -> Outcomes {
    let mut out = Outcomes::default();
    // Git operations that succeeded for the last request, and whether every command run
    // for it has a known end (a log cut off mid-command cannot say what was not done).
    let mut done_last = GitOps::default();
    let mut last_known = true;
    // The git operations of the last request's command that was still running when the
    // log ends.
    let mut pending_ops = GitOps::default();
    // Whether the last request ran git alone and changed no file: with a request that is
    // a git command (`git add .`), nothing but that operation was asked.
    let mut last_only_git = true;
    let mut changed_before_last = None;
    let mut runs: Vec<CheckRun> = Vec::new();
    // Other commands that failed with a marker: (position, command, markers, the git
    // operations it tried). A later success of the same command, or of the same git
    // operations, clears them, and so does any later validation run: the checks, not the
    // exploration before them, say what state the run left.
    let mut other: Vec<(usize, String, Vec<String>, GitOps)> = Vec::new();
    let mut last_check = None;
    for (position, (command, seen)) in commands.into_iter().zip(observed).enumerate() {
        if seen.rejected {
            continue;
        }
        out.commands.push(command.clone());
        if position >= asked.last_from {
            // Cut off while running is the last command's state: a command of the last
            // request whose status the log lost, followed by others that ended, did end.
            last_known = command.exit_code.is_some();
            pending_ops = if last_known {
                GitOps::default()
            } else {
                GitOps::done_by(&command.command)
            };
            last_only_git &= GitOps::only_git(&command.command);
            changed_before_last.get_or_insert(seen.after_changes);
        }
        let recognized = catalogue.recognize(&command.command);
        // `cargo fmt --check && cargo check` with no status in the log, whose output is
        // rustfmt's diff: the format check failed, and an `&&` chain stopped there. So
        // did one piped through `tail`, whose status is tail's (`ruff format --check |
        // tail -5` saying "1 file would be reformatted").
        let format_piped = recognized.iter().any(|c| c.kind == super::CheckKind::Format && c.piped);
        if (command.exit_code.is_none() || format_piped)
            && let Some(diff) = signals::format_diff(&seen.output)
            && let Some(format) = recognized.iter().position(|c| c.kind == super::CheckKind::Format)
        {
            last_check = Some(position);
            runs.push(CheckRun {
                checks: vec![recognized[format].clone()],
                passed: false,
                counts: (None, None),
                markers: vec![diff],
            });
            continue;
        }
        // A check's output is read for failures whatever its status (a pipe hides it);
        // another command's only when it failed.
        let check_markers = (!recognized.is_empty()).then(|| signals::failure_markers(&seen.output));
        // A check whose exit status the log does not state (OpenCode's compact form, a
        // shell that reports success whatever ran) failed if its output shows a failure;
        // nothing says it passed.
        let Some(exit) = command
            .exit_code
            .or_else(|| summary_status(catalogue, &recognized, &seen.output))
            .or_else(|| check_markers.as_ref().is_some_and(|m| !m.is_empty()).then_some(1))
        else {
            continue;
        };
        // `npx eslint x.js || echo "Linting completed"` exits 0 either way; the fallback's
        // words in the output say the check failed (dev49).
        let fell_back = exit == 0
            && !recognized.is_empty()
            && fallback_echo(&command.command).is_some_and(|words| seen.output.contains(words));
        let exit = if fell_back { 1 } else { exit };
        // 126/127: the shell could not run the tool at all; it checked nothing.
        let checks = if matches!(exit, 126 | 127) {
            Vec::new()
        } else {
            recognized
        };
        let markers = match check_markers {
            Some(markers) if exit != 0 || !checks.is_empty() => markers,
            None if exit != 0 => signals::failure_markers(&seen.output),
            _ => Vec::new(),
        };
        let ops = GitOps::done_by(&command.command);
        // `git add … && prek run … && git commit … && git push`: the push is done though
        // the command also checks.
        if exit == 0 && position >= asked.last_from {
            done_last = done_last.with(ops);
        }
        if checks.is_empty() {
            // A push after CI answered gives CI new work: its earlier failing answer was
            // about a head that is gone (dev26: checks failed, review fixes pushed).
            if exit == 0 && ops.contains(GitOps::named("push")) {
                runs.retain(|run| run.passed || !run.checks.iter().all(|c| c.kind == super::CheckKind::Ci));
            }
            let text = attempt(&command.command);
            // A git operation that succeeds settles earlier failed tries of it, whatever
            // their arguments (`but commit -p up,yu` failing, then `-p upw,yu`).
            other.retain(|(_, c, _, o)| *c != text && !(exit == 0 && ops != GitOps::default() && ops.covers(*o)));
            // A look around that the network failed (`git ls-remote` not resolving the
            // host, dev44) failed on its environment, not on the work; a delivery's
            // failure still stands, as why it is undelivered.
            let environment = ops == GitOps::default() && signals::environment_failure(&seen.output);
            if exit != 0 && !markers.is_empty() && !environment {
                other.push((position, text, markers, ops));
            } else if exit == 0 {
                success_marker(
                    &command.command,
                    &changed[..seen.after_changes.min(changed.len())],
                    asked.any,
                    &mut out,
                );
            }
            continue;
        }
        let counted = checks
            .iter()
            .find(|c| c.kind == super::CheckKind::Test)
            .unwrap_or(&checks[0]);
        let counts = catalogue.counts(counted, &seen.output);
        // `unittest discover` finding nothing (exit 5), pytest collecting no test, Jest
        // with no test file: no test ran, so the run judges nothing (dev15).
        if checks.iter().all(|c| c.kind == super::CheckKind::Test)
            && counts.0.unwrap_or(0) == 0
            && counts.1.unwrap_or(0) == 0
            && signals::ran_no_tests(&seen.output)
        {
            continue;
        }
        if checks.iter().all(|c| c.kind == super::CheckKind::Ci) {
            // CI's answer is its table of checks; pending, or no answer, judges nothing.
            let Some(passed) = ci_verdict(exit, checks.iter().any(|c| c.piped), counts, &seen.output) else {
                continue;
            };
            last_check = Some(position);
            runs.push(CheckRun {
                checks,
                passed,
                counts,
                markers: Vec::new(),
            });
            continue;
        }
        let evidence_of_failure = counts.1.unwrap_or(0) > 0 || !markers.is_empty();
        let piped = checks.iter().any(|c| c.piped);
        let passed = match exit {
            // Tail's status, and a preview of the output without its verdict: unjudged.
            0 if piped && !evidence_of_failure && counts.0.is_none() && signals::only_a_preview(&seen.output) => {
                continue;
            }
            // `pytest | tail -5` exits with tail's status: the output decides.
            0 if piped => !evidence_of_failure,
            0 => counts.1.unwrap_or(0) == 0,
            // `go build && ./app bad-arg` failing: which command failed, the status does
            // not say; unless the check's own summary counts failures, it is unjudged.
            _ if fell_back => false,
            _ if !checks.iter().any(|c| c.last) && counts.1.unwrap_or(0) == 0 => continue,
            _ => false,
        };
        // A check the network failed, or one whose program is not there, with no
        // failure of its own counted, judged nothing of the work.
        if !passed
            && counts.1.unwrap_or(0) == 0
            && (signals::environment_failure(&seen.output) || signals::tool_missing(&seen.output))
        {
            continue;
        }
        // `fmt && lint` failing: the checks before the last had to pass for it to run, or
        // one of them failed and the last never ran; only the last is judged failed.
        let checks = if passed || checks.len() < 2 {
            checks
        } else {
            checks.into_iter().filter(|c| c.last).collect()
        };
        last_check = Some(position);
        runs.push(CheckRun {
            checks,
            passed,
            counts,
            markers: if passed { Vec::new() } else { markers },
        });
    }
    final_validations(&runs, &mut out);
    // "Make a branch, add a comment, then push it": the push the last request asked for
    // never succeeding leaves that request part done, however well the rest went.
    let mut undelivered = Vec::new();
    for op in GitOps::DELIVERED.map(GitOps::named) {
        // A log cut off mid-request still tells of a try that failed and was not
        // redone (dev29: the push GitHub refused, then the log stops).
        let failed_last = other
            .iter()
            .any(|(position, _, _, ops)| *position >= asked.last_from && ops.contains(op));
        // Nor does a log that ends while a delivery itself runs, after files
        // were changed for the request: the work is done, its delivery not shown (dev31,
        // dev42: figma-to-code runs ending on `git add . && git commit && git push`).
        // Only when a check showed that work working: unchecked work cut off on its way
        // out is unknown, not part done (dev45: a figma-to-code run that built nothing).
        let cut_on_it = !last_known
            && pending_ops.contains(op)
            && changed_before_last.is_some_and(|before| before < changed.len())
            && runs.iter().any(|r| r.passed);
        // The delivery it set out to make counts as asked: a harness's skill file, not the
        // request, tells these runs to push.
        let asked_or_begun = asked.last.contains(op) || cut_on_it;
        if (last_known || failed_last || cut_on_it) && asked_or_begun && !done_last.contains(op) {
            // Nothing else done for it: the request failed, it is not work left undelivered.
            let only_this = asked.last_is_command
                && last_only_git
                && changed_before_last.is_some_and(|before| before == changed.len());
            let marker = if only_this {
                format!("the last request was a git {} that never succeeded", GitOps::name(op))
            } else {
                format!(
                    "{} {} that never succeeded",
                    crate::schema::UNDELIVERED_MARKER,
                    GitOps::name(op)
                )
            };
            undelivered.push(marker);
        }
    }
    // A git operation that failed on the way to delivering (`git checkout main` refused
    // before the merge and push asked for) is why the work is undelivered: it is said
    // with that, not counted as a failure of the work (dev27).
    let explained = undelivered
        .iter()
        .any(|m| m.starts_with(crate::schema::UNDELIVERED_MARKER));
    // A command that failed for an earlier request is that request's story: the run is
    // judged by its last request (dev47: a helper script called wrong while a spec was
    // written, before the scaffold the last request asked for).
    for (position, _, markers, ops) in other {
        if position >= asked.last_from && last_check.is_none_or(|last| position > last) {
            if explained && ops != GitOps::default() {
                if let (Some(first), Some(why)) = (undelivered.first_mut(), markers.first()) {
                    first.push_str(&format!(" (git failed: {why})"));
                }
                continue;
            }
            push_markers(&mut out.failure_markers, markers);
        }
    }
    // "Push and commit please" after the work of earlier requests: the request is the
    // delivery, and it is judged by it (dev29) — when it asked for nothing else, got
    // nothing else done, and every operation it asked for succeeded.
    let asked_delivery: Vec<usize> = GitOps::DELIVERED
        .map(GitOps::named)
        .into_iter()
        .filter(|&op| asked.last.contains(op))
        .collect();
    if undelivered.is_empty()
        && last_known
        && last_only_git
        && !asked_delivery.is_empty()
        && changed_before_last.is_some_and(|before| before == changed.len())
        && asked_delivery.iter().all(|&op| done_last.contains(op))
    {
        let names: Vec<&str> = asked_delivery.iter().map(|&op| GitOps::name(op)).collect();
        out.success_markers.push(format!(
            "{} ({}), and every operation succeeded",
            crate::schema::DELIVERED_MARKER,
            names.join(", ")
        ));
    }
    push_markers(&mut out.failure_markers, undelivered);
    // A log cut off while a command of the last request ran cannot say how that request
    // ended; what earlier commands achieved ("commit and push" done for an earlier
    // request) is no outcome of it.
    if !last_known {
        out.success_markers.clear();
    }
    out
}

/// What a command attempts, so that a retry clears the failure of the try before it: the
/// command itself, or for an inline script (`python3 -c '…'`, `node -e '…'`) the
/// interpreter, since a retry usually fixes the script's own text (a quote, an escape).
/// A script behind `cd dir &&` is the same attempt, and so is the interpreter by its full
/// path (`cd X && E:/envs/simclr/python.exe -c "…"`).
///
/// Otherwise the last command of the line without its flags: `rm -rf x && cargo new x &&
/// cargo run --manifest-path x/Cargo.toml` failing offline is retried by `cargo run
/// --offline --manifest-path x/Cargo.toml` (dev15, a Codex review probing a scratch crate).
fn attempt(command: &str) -> String {
    let command = command.trim();
    let parts: Vec<Vec<String>> = segments(command)
        .into_iter()
        .filter(|s| !s.text.starts_with("cd ") && !s.downstream)
        .map(|s| program_words(&s.text))
        .collect();
    // `ssh host "cd app && docker compose up -d"`: the remote command is the attempt.
    if let Some([ssh, _host, rest @ ..]) = parts.last().map(Vec::as_slice)
        && ssh == "ssh"
        && let Some(remote) = rest.iter().rev().find(|w| w.contains(' '))
    {
        return attempt(remote);
    }
    match parts.first().map(Vec::as_slice) {
        Some([program, flag, ..]) if matches!(flag.as_str(), "-c" | "-e" | "--eval" | "-") => {
            let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
            format!("{} {flag}", name.trim_end_matches(".exe"))
        }
        // Compose v1 and v2 are one tool: `docker-compose up` retries `docker compose up`.
        _ => match parts.last() {
            Some(words) => words
                .iter()
                .filter(|w| !w.starts_with('-'))
                .map(|w| {
                    if w == "docker-compose" {
                        "docker compose"
                    } else {
                        w.as_str()
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
            None => command.to_owned(),
        },
    }
}

/// The status a validation's own summary line implies when the log states no exit
/// code (Aider): failures → 1, passes and no failure → 0; otherwise unknown. Only the
/// judgement uses it; the command's recorded exit code stays unknown.
fn summary_status(catalogue: &Catalogue, checks: &[Recognized], output: &str) -> Option<i32> {
    // A build or a checker alone on its line, whose output ends on its word of success.
    if let [check] = checks
        && check.kind != super::CheckKind::Test
        && check.last
        && signals::check_succeeded(output)
    {
        return Some(0);
    }
    // A test runner's summary, or CI's table of checks (`gh pr checks` in a code-mode
    // script, which reports no status: dev28).
    let check = checks
        .iter()
        .find(|c| c.kind == super::CheckKind::Test)
        .or_else(|| checks.iter().find(|c| c.kind == super::CheckKind::Ci))?;
    match catalogue.counts(check, output) {
        (_, Some(failed)) if failed > 0 => Some(1),
        (Some(passed), _) if passed > 0 => Some(0),
        _ => None,
    }
}

/// How CI judged the pushed work: any failing check fails it, checks that all passed
/// pass it; a check still pending (`gh pr checks` exits 8), or no checks at all, say
/// nothing. Without a table, the exit status of an unpiped query decides.
fn ci_verdict(exit: i32, piped: bool, counts: (Option<u64>, Option<u64>), output: &str) -> Option<bool> {
    let pending = output.contains("\tpending\t") || output.contains("no checks reported");
    match counts {
        (_, Some(failed)) if failed > 0 => Some(false),
        _ if pending || exit == 8 => None,
        (Some(passed), _) if passed > 0 => Some(true),
        _ if piped => None,
        _ => Some(exit == 0),
    }
}

/// One result per key: the last run that covers it (its own, or a broader later run of
/// the same tool, or CI passing after it) decides, and the earlier ones are its history.
fn final_validations(runs: &[CheckRun], out: &mut Outcomes) {
    let mut keys: Vec<&Recognized> = Vec::new();
    for run in runs {
        for check in &run.checks {
            if !keys.iter().any(|k| k.key == check.key) {
                keys.push(check);
            }
        }
    }
    let mut final_runs: Vec<usize> = Vec::new();
    for key in keys {
        // CI that passed checked the pushed work as a whole: lint, tests and build.
        let covered_by_ci = |run: &CheckRun| run.passed && run.checks.iter().any(|c| c.kind == super::CheckKind::Ci);
        let history: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].checks.iter().any(|c| c.covers(key)) || covered_by_ci(&runs[i]))
            .collect();
        let Some(&last) = history.last() else { continue };
        let run = &runs[last];
        let own = run.checks.iter().any(|c| c.covers(key));
        let status = |passed: bool| if passed { "passed" } else { "failed" };
        let mut detail = String::new();
        if history.len() > 1 {
            let earlier: Vec<&str> = history[..history.len() - 1]
                .iter()
                .map(|&i| status(runs[i].passed))
                .collect();
            let place = if own { "" } else { " in CI" };
            detail = format!("{} → {}{place}", compress(&earlier), status(run.passed));
        }
        if let Some(marker) = run.markers.first().filter(|_| !run.passed) {
            if !detail.is_empty() {
                detail.push_str(": ");
            }
            detail.push_str(marker);
        }
        // Counts are the run's own check's: not a test run's shown for the build it covers.
        let single = own && run.checks.len() == 1 && run.checks[0].kind == key.kind;
        out.validations.push(ValidationResult {
            name: crate::text::truncate(&key.key, 200),
            passed: run.passed,
            passed_count: run.counts.0.filter(|_| single),
            failed_count: run.counts.1.filter(|_| single),
            detail: (!detail.is_empty()).then_some(detail),
        });
        if !run.passed && !final_runs.contains(&last) {
            final_runs.push(last);
        }
    }
    for i in final_runs {
        push_markers(&mut out.failure_markers, runs[i].markers.clone());
    }
}

/// `failed, failed, passed` → `failed ×2, passed`.
fn compress(statuses: &[&str]) -> String {
    let mut parts: Vec<(String, usize)> = Vec::new();
    for s in statuses {
        match parts.last_mut() {
            Some((last, n)) if last == s => *n += 1,
            _ => parts.push(((*s).to_owned(), 1)),
        }
    }
    parts
        .into_iter()
        .map(|(s, n)| if n > 1 { format!("{s} ×{n}") } else { s })
        .collect::<Vec<_>>()
        .join(" → ")
}

fn push_markers(into: &mut Vec<String>, markers: Vec<String>) {
    for m in markers {
        if !into.contains(&m) {
            into.push(m);
        }
    }
}

/// Success facts that are not tests: a commit after the run's edits, a git operation the
/// request asked for, or a program the run wrote that then ran to exit 0. `changed` are
/// the files changed before `command`.
fn success_marker(command: &str, changed: &[String], asked: GitOps, out: &mut Outcomes) {
    for segment in segments(command).into_iter().filter(|s| !s.downstream) {
        let words = program_words(&segment.text);
        let marker = match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            ["git", "commit", ..] if !changed.is_empty() => Some("a commit succeeded after the run's edits".to_owned()),
            // The git operation was the task ("commit all code", "check out main and
            // pull"): its success is the outcome.
            ["git", op, ..] => GitOps::of_command(op)
                .filter(|&op| asked.contains(op))
                .map(|op| format!("the git {} the request asked for succeeded", GitOps::name(op))),
            _ if changed.is_empty() => None,
            // "run it": the project's own runner built the changed program and it ran to
            // its end (dev46: `cargo run` after an edit of `src/main.rs`).
            [runner @ ("cargo" | "go" | "dotnet" | "swift"), "run", ..]
                if changed.iter().any(|f| compiled_by(runner, f)) =>
            {
                Some(format!("{runner} run built and ran the changed program: exit 0"))
            }
            [program, rest @ ..] => {
                ran_own_file(program, rest, changed).map(|f| format!("ran {f}, which the run wrote: exit 0"))
            }
            [] => None,
        };
        if let Some(marker) = marker
            && !out.success_markers.contains(&marker)
        {
            out.success_markers.push(marker);
        }
    }
}

/// The words a command's `|| echo "…"` fallback prints when what comes before it fails.
fn fallback_echo(command: &str) -> Option<&str> {
    let (_, after) = command.rsplit_once("|| echo ")?;
    let words = after.trim_start();
    let words = match words.chars().next()? {
        quote @ ('"' | '\'') => words[1..].split(quote).next()?,
        _ => words.split(['&', ';', '|', '\n']).next()?.trim(),
    };
    (words.len() >= 4).then_some(words)
}

/// Whether `runner run` compiles `file`: a source file of its language.
fn compiled_by(runner: &str, file: &str) -> bool {
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    match runner {
        "cargo" => ext == "rs",
        "go" => ext == "go",
        "dotnet" => matches!(ext, "cs" | "fs" | "vb"),
        "swift" => ext == "swift",
        _ => false,
    }
}

/// The changed file a command runs: `./x.sh`, `python x.py`, `node x.js`, `bash x.sh`.
fn ran_own_file<'a>(program: &str, rest: &[&str], changed: &'a [String]) -> Option<&'a str> {
    const INTERPRETERS: &[&str] = &[
        "python", "python3", "node", "bash", "sh", "ruby", "deno", "bun", "tsx", "ts-node", "php", "perl",
    ];
    let target = if INTERPRETERS.contains(&program) {
        rest.iter().find(|w| !w.starts_with('-') && **w != "run")?
    } else {
        program
    };
    let target = target.trim_start_matches("./");
    if target.is_empty() || !target.contains('.') {
        return None;
    }
    changed
        .iter()
        .find(|f| *f == target || f.ends_with(&format!("/{target}")) || target.ends_with(&format!("/{f}")))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(command: &str, exit: i32, output: &str) -> (CommandRun, Observed) {
        (
            CommandRun {
                command: command.into(),
                exit_code: Some(exit),
            },
            Observed {
                output: output.into(),
                after_changes: 1,
                ..Observed::default()
            },
        )
    }

    /// A command the log gives no exit status for (Codex's code mode, OpenCode's compact
    /// form), with its output.
    fn run_unknown(command: &str, output: &str) -> (CommandRun, Observed) {
        let (mut command, observed) = run(command, 0, output);
        command.exit_code = None;
        (command, observed)
    }

    /// Each validation's name and whether its last run passed.
    fn finals(out: &Outcomes) -> Vec<(&str, bool)> {
        out.validations.iter().map(|v| (v.name.as_str(), v.passed)).collect()
    }

    fn judged(runs: Vec<(CommandRun, Observed)>) -> Outcomes {
        let (commands, observed): (Vec<_>, Vec<_>) = runs.into_iter().unzip();
        judge(
            &Catalogue::default(),
            commands,
            observed,
            &["src/lib.rs".to_owned()],
            Asked::default(),
        )
    }

    #[test]
    fn red_then_green_is_one_passed_validation_with_its_history() {
        let out = judged(vec![
            run(
                "cargo test checkout",
                101,
                "error[E0308]: mismatched types\ntest result: FAILED. 3 passed; 1 failed",
            ),
            run("cargo test checkout", 101, "test result: FAILED. 3 passed; 1 failed"),
            run(
                "cargo test checkout 2>&1 | tail -5",
                0,
                "test result: ok. 4 passed; 0 failed",
            ),
        ]);
        assert_eq!(out.validations.len(), 1, "{:?}", out.validations);
        let v = &out.validations[0];
        assert!(v.passed);
        assert_eq!((v.passed_count, v.failed_count), (Some(4), Some(0)));
        assert_eq!(v.detail.as_deref(), Some("failed ×2 → passed"));
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }

    /// dev31, dev42 (metaphi-agent figma-eval runs, Gemini CLI): the harness's skill file,
    /// not the request, says to push; the log ends while the run's own `git add, commit,
    /// push` runs, after it wrote the app. The work is done; its delivery is not shown.
    #[test]
    fn a_log_ending_on_the_runs_own_delivery_after_its_work_leaves_it_undelivered() {
        let request = "Write production grade React code for the given Figma design.";
        let ask = GitOps::asked_in(request);
        let asked = Asked {
            any: ask,
            last: ask,
            last_from: 0,
            last_is_command: false,
        };
        let commands = vec![
            run("npm run build", 0, "built in 2s").0,
            CommandRun {
                command: "git init\ngit add .\ngit commit -m \"Initial commit\"\ngit push -u origin main".into(),
                exit_code: None,
            },
        ];
        let observed = vec![Observed::default(); commands.len()];
        let changed = ["src/App.tsx".to_owned()];
        let out = judge(
            &Catalogue::default(),
            commands.clone(),
            observed.clone(),
            &changed,
            asked,
        );
        assert!(
            out.failure_markers
                .iter()
                .any(|m| m == "the last request asked for a git push that never succeeded"),
            "{:?}",
            out.failure_markers
        );
        // Nothing changed for the request: a cut-off delivery says nothing.
        let out = judge(&Catalogue::default(), commands.clone(), observed.clone(), &[], asked);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
        // dev45 (another figma-to-code run): nothing built or tested the app it wrote;
        // cut off on its delivery, the run is unknown, not part done.
        let unchecked = commands[1..].to_vec();
        let out = judge(
            &Catalogue::default(),
            unchecked,
            observed[1..].to_vec(),
            &changed,
            asked,
        );
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }

    /// dev8 (StefanJonssonInExchange/branch-pruner, Claude Code): "make a feature branch,
    /// add a comment, then push it"; the log ends before any commit or push.
    #[test]
    fn a_push_the_last_request_asked_for_and_never_got_is_a_failure() {
        // The last request is the only one; its commands start after the first.
        let asked_last = |request: &str, commands: Vec<CommandRun>| {
            let ask = GitOps::asked_in(request);
            let observed = vec![Observed::default(); commands.len()];
            let asked = Asked {
                any: ask,
                last: ask,
                last_from: 1,
                last_is_command: false,
            };
            judge(&Catalogue::default(), commands, observed, &[], asked)
        };
        let commands = || {
            vec![
                run("git push origin main", 0, "").0,
                run("git checkout -b docs/comment", 0, "").0,
            ]
        };
        let known = super::super::git_ops::GIT_OPS.len();
        assert!(GitOps::DELIVERED.iter().all(|n| GitOps::named(n) < known));
        let request = "make a feature branch, add a comment somewhere, then push it";
        let out = asked_last(request, commands());
        assert_eq!(
            out.failure_markers,
            ["the last request asked for a git push that never succeeded"]
        );
        let mut cut_off = commands();
        cut_off.push(CommandRun {
            command: "git add a.ps1 && git commit -m c".into(),
            exit_code: None,
        });
        let out = asked_last(request, cut_off.clone());
        assert!(
            out.failure_markers.is_empty(),
            "the log ends mid-command: {:?}",
            out.failure_markers
        );
        // dev22 (SucksToBeAnik/mtl-management-system, OpenCode): a command whose status
        // the log lost, and then others that ended: the log was not cut off there.
        cut_off.push(run("git status", 0, "").0);
        let out = asked_last(request, cut_off);
        assert_eq!(
            out.failure_markers,
            ["the last request asked for a git push that never succeeded"]
        );
        // dev9 (Nomos-N4s/nomos, OpenCode): "add a LICENSE, tag a release, check the
        // Dockerfile" — the tag was left for after the merge.
        let tag = "three launch blockers: add a LICENSE, tag a release, and sanity-check the Dockerfile";
        let out = asked_last(tag, commands());
        assert_eq!(
            out.failure_markers,
            ["the last request asked for a git tag that never succeeded"]
        );
        // dev5 (entireio/skills, Codex): "open a PR", and the log ends before any.
        let open = "Great, open a PR";
        let out = asked_last(open, commands());
        assert_eq!(
            out.failure_markers,
            ["the last request asked for a git pull request that never succeeded"]
        );
        let mut opened = commands();
        opened.push(
            run(
                "git push -u origin fix && gh pr create --fill",
                0,
                "https://github.com/o/r/pull/7",
            )
            .0,
        );
        let out = asked_last(open, opened);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
        let mut pushed = commands();
        pushed.push(
            run(
                "git add a.ps1 && git commit -m c && git push -u origin docs/comment",
                0,
                "",
            )
            .0,
        );
        let out = asked_last(request, pushed);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
        // dev13 (raman325/lock_code_manager): the repository's hooks checked in the same
        // command as the commit and the push.
        let mut checked = commands();
        checked.push(
            run(
                "git add a.ps1 && prek run --files a.ps1 && git commit -m c && git push -u origin docs/comment",
                0,
                "ruff check....Passed",
            )
            .0,
        );
        let out = asked_last(request, checked);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }

    /// dev9 (Nomos-N4s/nomos, OpenCode): a `docker build` whose exit status the log
    /// drops, its output ending in the build's error.
    #[test]
    fn a_check_of_unknown_status_fails_on_its_output_and_never_passes_by_silence() {
        let out = judged(vec![run_unknown(
            "docker build -t nomos:v0.8.0 .",
            "ERROR: failed to build: failed to solve: process \"/bin/sh -c pip install\" did not complete successfully: exit code: 1",
        )]);
        assert_eq!(finals(&out), [("docker build nomos:v0.8.0 .", false)]);
        let out = judged(vec![run_unknown(
            "docker build -t nomos:v0.8.0 .",
            "naming to docker.io/library/nomos:v0.8.0 done",
        )]);
        assert!(out.validations.is_empty(), "{:?}", out.validations);
    }

    /// dev8 (IslamicITHub/rushdul-ilm, Gemini): a `python3 -c` log writer failed on its
    /// own quoting and the fixed retry succeeded; the failure does not stand.
    /// dev15 (a Codex session on a Python CLI): `unittest` with nothing to discover exits 5
    /// ("NO TESTS RAN"); the run that found the tests decides.
    #[test]
    fn a_test_run_that_ran_no_test_judges_nothing() {
        let none = "----------------------------------------------------------------------\nRan 0 tests in 0.000s\n\nNO TESTS RAN\n";
        let out = judged(vec![
            run("PYTHONPATH=src python3 -m unittest", 5, none),
            run("PYTHONPATH=src python3 -m unittest discover", 5, none),
            run(
                "PYTHONPATH=src python3 -m unittest discover -s tests",
                0,
                "..........\n----------------------------------------------------------------------\nRan 10 tests in 0.012s\n\nOK\n",
            ),
        ]);
        assert!(out.validations.iter().all(|v| v.passed), "{:?}", out.validations);
        assert!(!out.validations.is_empty());
        let out = judged(vec![run(
            "pytest tests/unit",
            5,
            "collected 0 items\n\n==== no tests ran in 0.01s ====",
        )]);
        assert!(out.validations.is_empty(), "{:?}", out.validations);
    }

    /// dev15 (a Codex review probing a scratch crate): a command retried with other flags
    /// is the same attempt, and its success clears the failure.
    #[test]
    fn a_command_retried_with_other_flags_clears_its_failure() {
        let out = judged(vec![
            run("cargo test", 0, "test result: ok. 4 passed; 0 failed"),
            run(
                "rm -rf /tmp/probe && cargo new --bin /tmp/probe && cargo run --quiet --manifest-path /tmp/probe/Cargo.toml",
                101,
                "error: failed to get `serde` as a dependency of package `probe v0.1.0`",
            ),
            run(
                "cargo run --offline --quiet --manifest-path /tmp/probe/Cargo.toml",
                0,
                "ok",
            ),
        ]);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }

    #[test]
    fn a_retried_inline_script_clears_its_failure() {
        let out = judged(vec![
            run("./gradlew assembleDebug", 0, "BUILD SUCCESSFUL in 40s"),
            run(
                "python3 -c ' log = \"\"\"a\"\"\"'",
                1,
                "SyntaxError: unterminated triple-quoted string literal (detected at line 22)",
            ),
            run("python3 -c ' log = r\"\"\"a\"\"\"'", 0, ""),
        ]);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
        let out = judged(vec![
            run("./gradlew assembleDebug", 0, "BUILD SUCCESSFUL in 40s"),
            run("node deploy.js", 1, "Error: Cannot find module 'x'"),
            run("node -e 'console.log(1)'", 0, "1"),
        ]);
        assert!(
            !out.failure_markers.is_empty(),
            "another program's success clears nothing"
        );
        // test12, opened after its measurement (Real-s/mini-simclr-assignment): the
        // interpreter by its full path, behind `cd`.
        let python = "cd \"E:/p/mini-simclr\" && E:/anaconda3/envs/simclr/python.exe -c";
        let out = judged(vec![
            run("./gradlew assembleDebug", 0, "BUILD SUCCESSFUL in 40s"),
            run(
                &format!("{python} \"from code.data_utils import load\""),
                1,
                "Traceback (most recent call last):\nModuleNotFoundError: No module named 'code.data_utils'",
            ),
            run(
                &format!("{python} \"from code.data_utils import load; load()\""),
                0,
                "ok",
            ),
        ]);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }

    #[test]
    fn the_last_run_failing_keeps_its_failure() {
        let out = judged(vec![
            run("mix test", 0, "12 tests, 0 failures"),
            run("mix test", 2, "12 tests, 11 failures"),
        ]);
        assert!(!out.validations[0].passed);
        assert_eq!(out.validations[0].detail.as_deref(), Some("passed → failed"));
    }

    /// dev5 (EntityProcess/agentv, Codex): `bun run lint` failed on an untracked local
    /// file, the agent fixed the tracked one, pushed, and watched CI go green.
    #[test]
    fn ci_passing_after_a_push_settles_earlier_local_failures_and_pending_says_nothing() {
        let out = judged(vec![
            run("bun run lint", 1, "error: script \"lint\" exited with code 1"),
            run("gh pr checks 12 2>&1 | head", 0, "lint\tpending\t0\thttps://x\t\n"),
            run(
                "gh run watch 27682786059 --repo o/r --exit-status",
                0,
                "✓ main CI · 27682786059\n✓ Run CI (ID 27682786059) completed with 'success'\n",
            ),
        ]);
        assert_eq!(
            finals(&out),
            [("bun run lint", true), ("gh run watch 27682786059 o/r", true)],
            "{:?}",
            out.validations
        );
        assert_eq!(out.validations[0].detail.as_deref(), Some("failed → passed in CI"));
        assert_eq!(
            out.validations[0].passed_count, None,
            "CI's counts are not the linter's"
        );

        // dev5 (entireio/entire-graph, Claude Code): CI failed on the PR after local tests
        // passed; a failing CI settles nothing else, and stands until CI passes again.
        let out = judged(vec![
            run("go test ./...", 0, "ok  \tx/y\t0.1s"),
            run(
                "gh pr checks 43",
                1,
                "lint\tfail\t17s\thttps://x\t\nbuild (ubuntu-latest)\tpass\t18s\thttps://x\t\n",
            ),
            run(
                "gh pr checks 43 --watch 2>&1 | tail -10",
                0,
                "no checks reported on the 'b' branch",
            ),
        ]);
        assert_eq!(finals(&out), [("go test ./...", true), ("gh pr checks 43", false)]);

        // dev28 (a Codex code-mode session): a script that printed only the checks'
        // table, with no status, and a job failed while others were pending.
        let out = judged(vec![
            run("make check", 0, "ok"),
            run_unknown(
                "gh pr checks 77 --watch --interval 10",
                "Refreshing checks status every 10 seconds.\n\nlint, test, and build\tfail\t14s\thttps://x\t\nCodeRabbit\tpending\t0\t\tReview in progress\n",
            ),
        ]);
        assert_eq!(finals(&out), [("make check", true), ("gh pr checks 77", false)]);
    }

    #[test]
    fn a_broader_passing_run_settles_a_narrow_failure() {
        let out = judged(vec![
            run("pytest tests/test_api.py::test_login -x", 1, "=== 1 failed in 0.2s ==="),
            run("pytest", 0, "=== 40 passed in 3.1s ==="),
        ]);
        let names = finals(&out);
        assert_eq!(
            names,
            [("pytest tests/test_api.py::test_login", true), ("pytest", true)]
        );
        assert_eq!(out.validations[0].detail.as_deref(), Some("failed → passed"));
    }

    #[test]
    fn exploration_before_the_last_check_and_tools_that_never_ran_are_not_failures() {
        // From a real Codex session: a helper script misused early, `pnpm` missing, and
        // the suite green at the end.
        let out = judged(vec![
            run(
                "scripts/create-feature.sh --short-name",
                1,
                "Error: --short-name requires a value",
            ),
            run("pnpm test", 127, "bash: pnpm: command not found"),
            run("go test ./...", 0, "ok  \tapp/domain\t0.1s"),
        ]);
        assert_eq!(out.validations.len(), 1, "{:?}", out.validations);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
        let late = judged(vec![
            run("go test ./...", 0, "ok  \tapp\t0.1s"),
            run("python deploy.py", 1, "Traceback (most recent call last)"),
        ]);
        assert_eq!(late.failure_markers, ["Traceback (most recent call last)"]);
    }

    /// dev44 (Codex, spec-kit): `git ls-remote` that could not resolve the host looked
    /// around and failed on the network, not on the work.
    #[test]
    fn a_look_around_the_network_failed_is_no_failure() {
        let out = judged(vec![run(
            "git ls-remote --heads origin",
            128,
            "fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com",
        )]);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }

    /// From real Claude Code sessions: failing tests piped through `tail` exit 0, and a
    /// build chained before a deliberately failing smoke run is not what failed.
    #[test]
    fn a_pipe_or_a_chain_does_not_decide_a_check_by_its_status_alone() {
        let out = judged(vec![
            run(
                "go test ./... 2>&1 | tail -20",
                0,
                "--- FAIL: TestParse (0.00s)\nFAIL\tapp/parse\t0.1s",
            ),
            run(
                "go build -o /tmp/app ./cmd/app && /tmp/app unknowncommand",
                1,
                "Usage:\n  app [command]",
            ),
        ]);
        let names = finals(&out);
        assert_eq!(
            names,
            [("go test ./...", false)],
            "the build is unjudged, the piped tests failed"
        );
    }

    /// From real sessions: `mise run fmt && mise run lint` failing on lint, then lint
    /// fixed; and `go test -race` failing in a sandbox after `go test` passed.
    #[test]
    fn a_failed_chain_fails_its_last_check_and_flags_that_change_the_check_keep_their_key() {
        let out = judged(vec![
            run(
                "mise run fmt && mise run lint",
                1,
                "wrapcheck: error returned from external package is unwrapped",
            ),
            run("mise run lint", 0, "0 issues."),
            run("go test ./...", 0, "ok  \texample.com/x\t0.1s"),
            run("go test -race ./...", 1, "--- FAIL: TestServe (0.00s)\nFAIL"),
        ]);
        let names = finals(&out);
        assert_eq!(
            names,
            [
                ("mise run lint", true),
                ("go test ./...", true),
                ("go test -race ./...", false)
            ],
            "{:?}",
            out.validations
        );
    }

    /// dev20 (AkashJana18/edgerunner, Codex code mode): scripts print a command's output
    /// but not its status; a build whose output ends "✓ built in 89ms" passed, one with
    /// TypeScript errors failed, and one whose output says neither is not judged.
    #[test]
    fn a_check_without_a_status_passes_on_its_own_word_of_success() {
        let out = judged(vec![
            run_unknown(
                "npm run build",
                "> web@0.1.0 build\n> tsc -b && vite build\n\nsrc/App.tsx(23,25): error TS2339: Property 'env' does not exist",
            ),
            run_unknown(
                "npm run build",
                "> web@0.1.0 build\n> tsc -b && vite build\n\n✓ 1773 modules transformed.\n✓ built in 89ms\n",
            ),
            run_unknown(
                "cargo clippy --all-targets",
                "    Checking app v0.1.0\n    Finished `dev` profile [unoptimized + debuginfo] target(s) in 2.1s",
            ),
        ]);
        assert_eq!(
            finals(&out),
            [("npm run build", true), ("cargo clippy", true)],
            "{:?}",
            out.validations
        );
        let silent = judged(vec![run_unknown("npm run build", "> web@0.1.0 build\n> vite build\n")]);
        assert!(
            silent.validations.is_empty(),
            "nothing says it passed: {:?}",
            silent.validations
        );
    }

    /// dev23 (jdx/fnox): the task runner's bats suite ran no test (GNU parallel
    /// missing), then bats itself ran the file and passed.
    #[test]
    fn a_suite_that_ran_no_test_judges_nothing() {
        let out = judged(vec![
            run(
                "mise run test:bats test/daemon.bats",
                1,
                "bats-exec-suite: line 314: parallel: command not found\n# bats warning: Executed 0 instead of expected 8 tests",
            ),
            run(
                "test/bats/bin/bats test/daemon.bats",
                0,
                "1..8\nok 1 daemon starts\nok 2 daemon stops",
            ),
        ]);
        assert_eq!(
            finals(&out),
            [("test/bats/bin/bats test/daemon.bats", true)],
            "{:?}",
            out.validations
        );
        // dev23 (jdx/hk, code mode): bats' TAP output, with no status in the log.
        let out = judged(vec![run_unknown(
            "mise run test:bats test/x.bats",
            "1..2\nok 1 a\nnot ok 2 b\n",
        )]);
        assert_eq!(
            finals(&out),
            [("mise run test:bats test/x.bats", false)],
            "{:?}",
            out.validations
        );
        // dev25 (jcleira/entire-local): `make test` over Go packages without a test file.
        let out = judged(vec![run(
            "make test 2>&1",
            0,
            "Running tests...
?   \tgithub.com/jcleira/entire-local\t[no test files]\n\tgithub.com/jcleira/entire-local/cmd\t\tcoverage: 0.0% of statements
",
        )]);
        assert!(out.validations.is_empty(), "{:?}", out.validations);
        // A package that ran its tests beside one without: the run judges.
        let out = judged(vec![run(
            "go test ./...",
            0,
            "?   \tgithub.com/x/cmd\t[no test files]\nok  \tgithub.com/x/pkg\t0.01s\n",
        )]);
        assert_eq!(finals(&out), [("go test ./...", true)], "{:?}", out.validations);
    }

    /// dev23 (jdx/mise, Codex code mode): `cargo fmt --check && cargo check --bin mise`
    /// printed only rustfmt's diff; the format check failed and nothing reran it.
    #[test]
    fn a_format_check_that_prints_a_diff_failed() {
        let out = judged(vec![run_unknown(
            "cargo fmt --check && cargo check --bin mise",
            "Diff in /w/mise/src/toolset/env_cache.rs:43:\n-    let nonce = Nonce::try_from(&data[..12])\n+    let nonce =\n",
        )]);
        assert_eq!(finals(&out), [("cargo fmt --check", false)], "{:?}", out.validations);
    }

    #[test]
    fn a_preview_of_a_piped_check_judges_nothing() {
        // dev24 (MIBlue119's native module): Claude Code kept 2 KB of a 49 KB build log.
        let out = judged(vec![run(
            "xcodebuild -scheme OpenWhispr -sdk iphonesimulator build 2>&1 | grep -E \"(error:|warning:)\"",
            0,
            "<persisted-output>\nOutput too large (49.4KB). Full output saved to: /Users/me/tool-results/x.txt\n\nPreview (first 2KB):\n  whisperkit: https://github.com/argmaxinc/WhisperKit\n...\n</persisted-output>",
        )]);
        assert!(out.validations.is_empty(), "{:?}", out.validations);
    }

    /// dev49 (reviewchaser/dealerflow, Claude Code): a lint whose failure an `|| echo`
    /// hid; its fallback's words in the output say it failed.
    #[test]
    fn a_check_whose_failure_a_fallback_echo_hid_failed() {
        let lint = "cd /c/app && npx eslint pages/a.js --quiet 2>/dev/null || echo \"Linting completed (warnings may be present)\"";
        let out = judged(vec![run(lint, 0, "Linting completed (warnings may be present)")]);
        assert_eq!(finals(&out), [("eslint pages/a.js", false)], "{:?}", out.validations);
        let out = judged(vec![run(lint, 0, "")]);
        assert_eq!(finals(&out), [("eslint pages/a.js", true)], "{:?}", out.validations);
    }

    /// dev47 (ethannortharc/framer, Claude Code): a remote deploy failed twice, then
    /// `down` and `up` again brought the containers up: the failures are settled.
    #[test]
    fn a_remote_command_retried_to_success_settles_its_failures() {
        let failed = "ssh me@10.0.0.2 \"cd /srv/app && docker compose --env-file .env up -d --build\" 2>&1";
        let retried = "ssh me@10.0.0.2 \"cd /srv/app && docker-compose --env-file .env down && docker-compose --env-file .env up -d\" 2>&1";
        assert_eq!(attempt(failed), attempt(retried));
        let out = judged(vec![
            run(failed, 1, "ERROR: for backend  'ContainerConfig'"),
            run(retried, 0, "Container app-backend-1  Started"),
        ]);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }

    #[test]
    fn success_facts_that_are_not_tests() {
        let out = judged(vec![
            run("python src/lib.rs", 0, ""),
            run("git add -A && git commit -m 'fix'", 0, "[main abc123] fix"),
        ]);
        assert_eq!(
            out.success_markers,
            [
                "ran src/lib.rs, which the run wrote: exit 0",
                "a commit succeeded after the run's edits"
            ]
        );
        // dev46 (a Claude Code run asked to "run it" after editing `src/main.rs`).
        let out = judged(vec![run(
            "cargo run --manifest-path /Users/me/p/Cargo.toml",
            0,
            "   Compiling p v0.1.0\nHello, world!",
        )]);
        assert_eq!(
            out.success_markers,
            ["cargo run built and ran the changed program: exit 0"]
        );
        assert!(
            judged(vec![run("go run .", 0, "")]).success_markers.is_empty(),
            "no Go file changed"
        );
        let untouched = judge(
            &Catalogue::default(),
            vec![run("git commit -m x", 0, "").0],
            vec![Observed::default()],
            &["a.rs".to_owned()],
            Asked::default(),
        );
        assert!(
            untouched.success_markers.is_empty(),
            "no edits before it: not a success fact"
        );
        // Unless committing was the task.
        let asked = judge(
            &Catalogue::default(),
            vec![run("git commit -m x", 0, "").0],
            vec![Observed::default()],
            &["a.rs".to_owned()],
            Asked {
                any: GitOps::asked_in("commit all code"),
                ..Asked::default()
            },
        );
        assert_eq!(
            asked.success_markers,
            ["the git commit the request asked for succeeded"]
        );
        assert_eq!(GitOps::asked_in("fix the commit message parser"), GitOps::default());
        // dev18 (ycheng4-design/memorybridge): the workflow the task asks for.
        let workflow = GitOps::asked_in("Fix it with a safe plan, incremental commits, and one PR per phase");
        assert!(workflow.contains(GitOps::named("commit")) && workflow.contains(GitOps::named("pull request")));
        assert_eq!(GitOps::asked_in("review the last 3 commits"), GitOps::default());
        // dev22 (vidluther/linkblog): GitButler's CLI commits, pushes and opens PRs.
        assert_eq!(
            GitOps::done_by("but commit update-feed-docs -m \"docs: feed\" && but push"),
            GitOps::asked_in("commit it").with(GitOps::asked_in("push it"))
        );
        assert_eq!(
            GitOps::done_by("but pr new update-feed-docs -m \"Update\""),
            GitOps::asked_in("open a PR").with(GitOps::asked_in("push it"))
        );
        // dev46 (shpwrck/entire-test): git's own options before the subcommand.
        assert_eq!(
            GitOps::done_by("git -C /home/me/repo push origin main"),
            GitOps::asked_in("push it")
        );
        assert_eq!(
            GitOps::done_by("git -c user.name=x --no-pager commit -m y"),
            GitOps::asked_in("commit it")
        );
        // dev22 (tomochang/aidev): a plan handed over as data asks for nothing.
        assert_eq!(
            GitOps::asked_in(
                "Implement the following plan.\n<untrusted-content source=\"plan\">\n\"Run the suite, commit and push.\"\n</untrusted-content>\nReturn a commitMessageDraft."
            ),
            GitOps::default()
        );
        // dev20 (JoakimCarlsson/wasa-cli): a last request the log ends before doing.
        assert_eq!(
            GitOps::asked_in("git commit, push and open or no co-author bs"),
            GitOps::asked_in("commit it").with(GitOps::asked_in("push it"))
        );
        // Taken from a real Codex session: "check out main and pull".
        let synced = judge(
            &Catalogue::default(),
            vec![run("git checkout main", 0, "").0, run("git pull --ff-only", 0, "").0],
            vec![Observed::default(), Observed::default()],
            &[],
            Asked {
                any: GitOps::asked_in("Can you check out main and pull?"),
                ..Asked::default()
            },
        );
        assert_eq!(
            synced.success_markers,
            [
                "the git checkout the request asked for succeeded",
                "the git pull the request asked for succeeded"
            ]
        );
        for unasked in [
            "review the pull request",
            "push notifications are broken",
            "fix the checkout page",
            "check out the docs for the API",
        ] {
            assert_eq!(GitOps::asked_in(unasked), GitOps::default(), "{unasked}");
        }
    }

    #[test]
    fn rejected_calls_did_not_run_and_a_later_success_clears_a_crash() {
        let (cmd, mut seen) = run("rm -rf build", 1, "");
        seen.rejected = true;
        let out = judged(vec![
            (cmd, seen),
            run("python script.py", 1, "Traceback (most recent call last)"),
            run("python script.py", 0, "done"),
        ]);
        assert_eq!(out.commands.len(), 2);
        assert!(out.failure_markers.is_empty(), "{:?}", out.failure_markers);
    }
}
