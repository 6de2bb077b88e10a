//! Function signatures a PRD writes out (`Build(templatePath string, overrides
//! map[string]string) (string, error)`, `parse(input: string): Ast`), and whether the
//! code defines the function with that shape: as many parameters, and the same results
//! where the document states them.
//!
//! Only the shape is compared — parameter names differ freely between a plan and its
//! code, and types are spelled many ways — so a signature matches a definition with as
//! many parameters (a method's receiver, `self` and `cls` not counted) whose results,
//! with spaces removed, are the same.

use regex::Regex;
use std::sync::LazyLock;

/// A function's shape, as a document writes it or as the code defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The function's name (a method's, without its type).
    pub name: String,
    /// How many parameters it takes.
    pub params: usize,
    /// Its results with spaces removed (`(string,error)`), when written.
    pub results: Option<String>,
    /// Go's form (`name Type`), as opposed to `name: Type`.
    pub go: bool,
    /// Results are optional annotations (Python, TypeScript, JavaScript): a definition
    /// without them may return anything.
    pub loose: bool,
}

/// A code span that writes a function's signature: typed parameters, or results after
/// the parameter list. `None` for a call (`run(ctx)`, `build()`) or prose.
pub fn parse(span: &str) -> Option<Signature> {
    static HEAD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:(?:export\s+)?(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:func|fn|def|function)\s+)?(?:\([^()]*\)\s*)?(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*(?:<[^<>()]*>)?\(")
            .expect("static regex")
    });
    let span = span.trim().trim_end_matches([';', '{']).trim_end();
    let head = HEAD.captures(span)?;
    let name = head.get(1)?.as_str().to_owned();
    if matches!(
        name.as_str(),
        "if" | "for" | "while" | "switch" | "catch" | "return" | "match" | "with"
    ) {
        return None;
    }
    let open = head.get(0)?.end() - 1;
    let close = matching_paren(span, open)?;
    let params = top_level_parts(&span[open + 1..close]);
    let rest = span[close + 1..].trim();
    let go = !params.iter().any(|p| p.contains(':')) && !rest.starts_with(':') && !rest.starts_with("->");
    // Every parameter is a declaration — `name Type` (Go; names grouped before a type:
    // `a, b string`) or `name: Type` / `name = default` — not an argument of a call
    // (`fetch(url, { method: 'POST' })`, `Printf("%d", n)`).
    static GO_PARAM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[A-Za-z_]\w*(?:\s+(?:\.\.\.)?[*\[\]]*[A-Za-z_][\w.\[\]*(){}, ]*)?$").expect("static regex")
    });
    static PARAM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\.\.\.|\*{1,2})?(?:&(?:mut\s+)?|mut\s+)?[A-Za-z_$][\w$]*\??\s*(?::\s*[^\s=].*|=\s*\S.*)?$")
            .expect("static regex")
    });
    let declared = |p: &String| if go { GO_PARAM.is_match(p) } else { PARAM.is_match(p) };
    if !params.iter().all(declared) {
        return None;
    }
    let typed = params.iter().any(|p| {
        if go {
            p.split_whitespace().count() >= 2
        } else {
            p.contains(':')
        }
    });
    let results = if rest.is_empty() {
        None
    } else {
        let results = rest.trim_start_matches("->").trim_start_matches(':').trim();
        static TYPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\w\[\]*.(), <>|&?:']+$").expect("static regex"));
        // One type, or a list in parentheses: `then y` is prose.
        let tight = results.replace(", ", ",").replace(" | ", "|").replace(" & ", "&");
        let one_type = !tight.contains(' ') || tight.starts_with('(') || tight.starts_with("chan ");
        if !TYPE.is_match(results) || !one_type {
            return None;
        }
        Some(squeeze(results))
    };
    if !typed && results.is_none() {
        return None;
    }
    Some(Signature {
        name,
        params: counted(&params),
        results,
        go,
        loose: false,
    })
}

/// The shapes `source` (the content of `path`) defines `name` with: Go's `func`,
/// Rust's `fn`, Python's `def`, TypeScript's and JavaScript's `function` and class
/// methods.
pub fn definitions(path: &str, source: &str, name: &str) -> Vec<Signature> {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    let n = regex::escape(name);
    let pattern = match ext {
        "go" => format!(r"(?m)^func\s*(?:\([^)]*\)\s*)?{n}\s*(?:\[[^\]]*\])?\("),
        "rs" => format!(r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe)\s+)*fn\s+{n}\s*(?:<[^>]*>)?\("),
        "py" => format!(r"(?m)^\s*(?:async\s+)?def\s+{n}\s*\("),
        "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs" => format!(
            r"(?m)^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?function\*?\s+{n}\s*(?:<[^>]*>)?\(|^\s*(?:(?:public|private|protected|static|async|readonly|override|abstract)\s+)*{n}\s*(?:<[^>()]*>)?\("
        ),
        _ => return Vec::new(),
    };
    let Ok(definition) = Regex::new(&pattern) else {
        return Vec::new();
    };
    definition
        .find_iter(source)
        .filter_map(|m| {
            let open = m.end() - 1;
            let close = matching_paren(source, open)?;
            let params = top_level_parts(&source[open + 1..close]);
            let rest = &source[close + 1..];
            let end = rest.find(['{', '\n', ';']).unwrap_or(rest.len());
            let rest = rest[..end].trim();
            // A call (`runLoop(thread);`) is followed by `;` or nothing; a TypeScript
            // method by its body or a return type.
            if matches!(ext, "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs")
                && !source[close + 1..].trim_start().starts_with(['{', ':'])
            {
                return None;
            }
            let results = rest
                .trim_start_matches("->")
                .trim_start_matches(':')
                .trim_end_matches(':')
                .trim();
            Some(Signature {
                name: name.to_owned(),
                params: counted(&params),
                results: (!results.is_empty()).then(|| squeeze(results)),
                go: ext == "go",
                loose: !matches!(ext, "go" | "rs"),
            })
        })
        .collect()
}

/// Whether `path` is a source file of a language the signature is written in: Go's
/// form for Go files, `name: Type` for the others this module reads.
pub fn language_fits(signature: &Signature, path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    if signature.go {
        ext == "go"
    } else {
        matches!(ext, "rs" | "py" | "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs")
    }
}

/// Whether a definition has the shape the document wrote.
pub fn fits(written: &Signature, defined: &Signature) -> bool {
    written.params == defined.params
        && match (&written.results, &defined.results) {
            (Some(w), Some(d)) => results_fit(w, d, written.go),
            // A document writing `F(x bool)` leaves the results out as often as it means
            // "none" (dev28: `WithHTTP2Only(allowH2C bool)` returns an `Option`): only the
            // parameters are compared.
            (None, Some(_)) => true,
            (Some(_), None) => defined.loose,
            (None, None) => true,
        }
}

/// Whether written results match defined ones, part by part: a pointer or a package
/// name aside (`Result` for `*Result`, `ChatResponse` for `*openrouter.ChatResponse`), and
/// in Go a lower-case word no builtin type bears is the result's name, not its type
/// (`(resp, error)` for `(*ChatResponse, error)`, dev29).
fn results_fit(written: &str, defined: &str, go: bool) -> bool {
    const GO_BUILTINS: &[&str] = &[
        "string",
        "error",
        "bool",
        "byte",
        "rune",
        "any",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "float32",
        "float64",
        "complex64",
        "complex128",
    ];
    let parts = |text: &str| top_level_parts(text.strip_prefix('(').and_then(|t| t.strip_suffix(')')).unwrap_or(text));
    let bare = |part: &str| -> String {
        let part = part.trim_start_matches(['*', '&']);
        match part.rsplit_once('.') {
            Some((package, name)) if package.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => name.to_owned(),
            _ => part.to_owned(),
        }
    };
    let (written, defined) = (parts(written), parts(defined));
    written.len() == defined.len()
        && written.iter().zip(&defined).all(|(w, d)| {
            let placeholder = go
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !GO_BUILTINS.contains(&w.as_str());
            placeholder || bare(w) == bare(d)
        })
}

/// The parameters that count: not a method's `self` or a class's `cls`.
fn counted(params: &[String]) -> usize {
    params
        .iter()
        .filter(|p| {
            let p = p.trim();
            !p.is_empty() && !matches!(p, "self" | "&self" | "&mut self" | "mut self" | "cls")
        })
        .count()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The index of the `)` that closes the `(` at `open`.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// A parameter list split at its top-level commas.
fn top_level_parts(list: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in list.chars() {
        match c {
            '(' | '[' | '{' | '<' => depth += 1,
            ')' | ']' | '}' | '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current).trim().to_owned());
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_owned());
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev26 (arvesolland/ralph): a Go plan's signatures against its code.
    #[test]
    fn go_signatures_are_compared_by_shape() {
        let written =
            parse("Build(templatePath string, config *Config, overrides map[string]string) (string, error)").unwrap();
        assert_eq!((written.name.as_str(), written.params), ("Build", 3));
        let code = "package prompt\n\nfunc (b *Builder) Build(templatePath string, overrides map[string]string) (string, error) {\n\treturn \"\", nil\n}\n";
        let defined = definitions("internal/prompt/builder.go", code, "Build");
        assert_eq!(defined.len(), 1);
        assert!(!fits(&written, &defined[0]));
        let same = parse("Build(path string, overrides map[string]string) (string, error)").unwrap();
        assert!(fits(&same, &defined[0]));
        let returns = parse("DetectAndInstall(worktreePath string) error").unwrap();
        let code = "func DetectAndInstall(worktreePath string) (*InstallResult, error) {\n";
        assert!(!fits(&returns, &definitions("a.go", code, "DetectAndInstall")[0]));
        assert!(fits(
            &parse("func (m *Manager) Cleanup() ([]string, error)").unwrap(),
            &definitions("a.go", "func (m *Manager) Cleanup() ([]string, error) {", "Cleanup")[0]
        ));
    }

    /// dev29 (leandrotocalini/CodeButler): a roadmap names results by role (`resp`) and
    /// leaves pointers out.
    #[test]
    fn results_are_compared_without_pointers_packages_or_result_names() {
        let code = "func (c *Client) ChatCompletion(ctx context.Context, req ChatRequest) (*ChatResponse, error) {\n";
        let defined = &definitions("client.go", code, "ChatCompletion")[0];
        assert!(fits(&parse("ChatCompletion(ctx, req) (resp, error)").unwrap(), defined));
        assert!(fits(
            &parse("ChatCompletion(ctx, req) (ChatResponse, error)").unwrap(),
            defined
        ));
        assert!(!fits(
            &parse("ChatCompletion(ctx, req) (string, error)").unwrap(),
            defined
        ));
        assert!(!fits(&parse("ChatCompletion(ctx, req) error").unwrap(), defined));
        let code = "func (r *AgentRunner) Run(ctx context.Context, task Task) (*agent.Result, error) {\n";
        assert!(fits(
            &parse("Run(ctx, Task) (Result, error)").unwrap(),
            &definitions("runner.go", code, "Run")[0]
        ));
    }

    #[test]
    fn calls_and_prose_are_no_signatures() {
        assert_eq!(parse("run(ctx)"), None);
        assert_eq!(parse("build()"), None);
        assert_eq!(parse("cargo test"), None);
        assert_eq!(parse("if (x) then y"), None);
        assert_eq!(parse("fetch(url, { method: 'POST' })"), None);
        assert_eq!(parse("Printf(\"%d items\", n)"), None);
        assert_eq!(parse("max(a + b, c)"), None);
        assert!(parse("parse(input: string): Ast").is_some());
        assert!(parse("load(key: string): Promise<Map<string, Ast> | null>").is_some());
        assert!(parse("def load(self, path: str) -> dict").is_some());
    }

    #[test]
    fn typescript_python_and_rust_definitions() {
        let ts = "export async function parse(input: string, strict = false): Promise<Ast> {\n}\nparse(x);\n";
        let defined = definitions("src/parse.ts", ts, "parse");
        assert_eq!(defined.len(), 1, "{defined:?}");
        assert!(fits(
            &parse("parse(input: string, strict: boolean): Promise<Ast>").unwrap(),
            &defined[0]
        ));
        assert!(!fits(
            &parse("parse(input: string): Promise<Ast>").unwrap(),
            &defined[0]
        ));
        let py = "class Store:\n    def load(self, path: str) -> dict:\n        ...\n";
        assert!(fits(
            &parse("load(path: str) -> dict").unwrap(),
            &definitions("store.py", py, "load")[0]
        ));
        let rs = "impl Store {\n    pub fn load(&self, path: &Path) -> Result<Data> {\n";
        assert!(fits(
            &parse("fn load(&self, path: &Path) -> Result<Data>").unwrap(),
            &definitions("store.rs", rs, "load")[0]
        ));
    }
}
