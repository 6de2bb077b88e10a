//! Exit statuses and small rendering helpers shared by the commands.

use std::io::Write;

/// Process exit statuses, stable for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked and every check passed.
    Ok = 0,
    /// A check failed or invalid data was found.
    Failed = 1,
    /// Usage or configuration error; the command could not run.
    Usage = 2,
    /// A check could not be decided (objects missing).
    Inconclusive = 3,
}

impl Exit {
    /// The exit code of a command that failed with `err`: a lost race with other writers,
    /// or inputs that do not allow the result, is a failed attempt (1), a missing object
    /// an undecidable one (3), anything else a usage or configuration error (2).
    pub fn of_error(err: &anyhow::Error) -> Exit {
        use crate::store::StoreError;
        if err
            .chain()
            .any(|e| matches!(e.downcast_ref(), Some(crate::workflow::WorkflowError::Refused(_))))
        {
            return Exit::Failed;
        }
        let store_error = err.chain().find_map(|e| {
            e.downcast_ref::<StoreError>()
                .or_else(|| match e.downcast_ref::<crate::workflow::WorkflowError>() {
                    Some(crate::workflow::WorkflowError::Store(s)) => Some(s),
                    _ => None,
                })
        });
        match store_error {
            Some(StoreError::Contended { .. }) => Exit::Failed,
            Some(StoreError::MissingObject { .. }) => Exit::Inconclusive,
            _ => Exit::Usage,
        }
    }
}

/// Report a command's failure on stderr as git does (`error: ...`, then a `hint: ...`
/// line when the error carries one) and return its exit status. The one place errors
/// meet the exit contract.
pub fn report_error(err: &anyhow::Error) -> Exit {
    eprintln!("error: {err:#}");
    let hint = err.chain().find_map(|e| {
        e.downcast_ref::<crate::workflow::WorkflowError>()
            .and_then(|w| w.hint())
    });
    if let Some(hint) = hint {
        eprintln!("hint: {hint}");
    }
    Exit::of_error(err)
}

/// Print `value` as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// ANSI styling, on only when stdout is a terminal and neither NO_COLOR nor
/// `color.ui=never` says otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    on: bool,
}

impl Paint {
    /// Styling decided for stdout.
    pub fn stdout() -> Paint {
        use std::io::IsTerminal;
        let on = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none() && !color_ui_never();
        Paint { on }
    }

    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// Bold text.
    pub fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    /// Green text.
    pub fn green(&self, text: &str) -> String {
        self.wrap("32", text)
    }

    /// Red text.
    pub fn red(&self, text: &str) -> String {
        self.wrap("31", text)
    }

    /// Yellow text (commit ids, as git shows them).
    pub fn yellow(&self, text: &str) -> String {
        self.wrap("33", text)
    }

    /// A search snippet whose matched terms are marked `[[term]]`: on a terminal the
    /// terms in bold red (as ripgrep shows matches), elsewhere the text without marks.
    pub fn marked(&self, snippet: &str) -> String {
        let mut out = String::with_capacity(snippet.len());
        let mut rest = snippet;
        while let Some(open) = rest.find("[[") {
            out.push_str(&rest[..open]);
            let inner = &rest[open + 2..];
            match inner.find("]]") {
                Some(close) => {
                    out.push_str(&self.wrap("1;31", &inner[..close]));
                    rest = &inner[close + 2..];
                }
                // A mark the 160-character cut left open.
                None => {
                    out.push_str(&self.wrap("1;31", inner.trim_end_matches('…')));
                    if inner.ends_with('…') {
                        out.push('…');
                    }
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A drift status, padded and colored by severity.
    pub fn status(&self, status: crate::drift::ClaimStatus) -> String {
        use crate::drift::ClaimStatus as S;
        let code = match status {
            S::Verified => "32",
            S::Pending | S::Inconclusive | S::Unchecked | S::Ambiguous => "36",
            S::Unclaimed | S::CountMismatch => "33",
            S::Missing | S::Fake | S::Partial | S::StaleRemoval => "31",
        };
        self.wrap(code, &format!("{:<14}", status.as_str()))
    }
}

/// `color.ui` and `core.pager` of the repository the command opened (read through the
/// store, so `-C` is honoured and no `git config` is spawned per paint).
#[derive(Debug, Default)]
struct RepositoryOutput {
    color_never: bool,
    pager: Option<String>,
}

static REPOSITORY_OUTPUT: std::sync::OnceLock<RepositoryOutput> = std::sync::OnceLock::new();

/// Take pager and colour settings from `store`'s configuration (the first store opened).
pub fn use_repository_config(store: &crate::store::Store) {
    let _ = REPOSITORY_OUTPUT.get_or_init(|| RepositoryOutput {
        color_never: store
            .config_value("color.ui")
            .is_some_and(|v| matches!(v.trim(), "never" | "false")),
        pager: store.config_value("core.pager").filter(|p| !p.trim().is_empty()),
    });
}

fn color_ui_never() -> bool {
    REPOSITORY_OUTPUT.get().is_some_and(|o| o.color_never)
}

/// Show `text` through the pager when stdout is a terminal, as git does: `GIT_PAGER`,
/// `core.pager`, `PAGER`, else `less` with `LESS=FRX`.
pub fn page(text: &str, no_pager: bool) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if no_pager || !std::io::stdout().is_terminal() {
        std::io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(());
    }
    let configured = REPOSITORY_OUTPUT.get().and_then(|o| o.pager.clone());
    let pager = std::env::var("GIT_PAGER")
        .ok()
        .or(configured)
        .or_else(|| std::env::var("PAGER").ok())
        .unwrap_or_else(|| "less".to_owned());
    if pager.is_empty() || pager == "cat" {
        std::io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(());
    }
    let mut child = std::process::Command::new("sh")
        .args(["-c", &pager])
        .env("LESS", std::env::var("LESS").unwrap_or_else(|_| "FRX".into()))
        .stdin(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    child.wait()?;
    Ok(())
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub fn progress_bar(total: u64, template: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template(template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::Paint;

    #[test]
    fn snippet_marks_become_colour_or_nothing() {
        let snippet = "error[E0308]: [[mismatched]] [[types]] in src/lib.rs";
        assert_eq!(
            Paint { on: false }.marked(snippet),
            "error[E0308]: mismatched types in src/lib.rs"
        );
        assert_eq!(
            Paint { on: true }.marked(snippet),
            "error[E0308]: \x1b[1;31mmismatched\x1b[0m \x1b[1;31mtypes\x1b[0m in src/lib.rs"
        );
        assert_eq!(Paint { on: false }.marked("cut inside [[mism…"), "cut inside mism…");
    }
}
