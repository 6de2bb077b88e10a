//! What one code span of a PRD names, and what the words around it make of it.
//!
//! A span is a repository path (`src/app.rs`, `src/app.rs:285`, `path#L10`,
//! `src/doc/{mod,load}.rs`), a URL route (`/settings`, `/api/users/{id}`), a
//! definition (`path::symbol`, `symbol()`, `ChatService`, `MAX_RETRIES`), or nothing
//! this tree can be asked about — a URL, a key binding, a flag, a placeholder, a path
//! of the user's machine — which is skipped with its reason.

use regex::Regex;
use std::sync::LazyLock;

/// What a code span names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpanKind {
    /// Repository paths (several for a `{a,b}` group).
    Paths(Vec<String>),
    /// A URL route of the product.
    Route(String),
    /// `path::symbol`.
    Symbol { path: String, name: String },
    /// `symbol()` with no file of its own.
    Call(String),
    /// A bare identifier (`ChatService`, `MAX_RETRIES`, `user_id`).
    Identifier(String),
    /// Not about this tree, with the reason.
    Skip(&'static str),
    /// Ordinary code text (`true`, `cargo test`): not judged, not counted.
    Prose,
}

/// Top-level directories of a machine, not of a repository: `/home/me/.cargo`.
const SYSTEM_ROOTS: &[&str] = &[
    "home",
    "Users",
    "usr",
    "etc",
    "var",
    "tmp",
    "opt",
    "data",
    "mnt",
    "bin",
    "sbin",
    "dev",
    "proc",
    "root",
    "srv",
    "private",
    "Library",
    "Applications",
    "System",
    "Volumes",
    "nix",
    "run",
    "sys",
    "workspace",
    "workspaces",
];

/// Classify one inline code span.
pub fn classify(code: &str) -> SpanKind {
    static KEYS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:ctrl|control|cmd|command|alt|opt|option|shift|meta|super|win|⌘|⌃|⌥|⇧)\s*[+-]|[+-](?:enter|esc|tab|space|k|c|v)\b|^(?:esc|enter|tab|space|f\d{1,2})$")
            .expect("static regex")
    });
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        // `<name>`, `XXXX_`, `YYYY`, `{id}.`, a date with letters for its unknown parts
        // (`2026-04-YY`, `2026-MM-DD`), a version pattern (`release/vX.Y.Z`), and a path
        // with its middle left out (`yellow-research/.../deepen-plan.md`).
        Regex::new(
            r"<[^>]*>|/(?:\.{3}|…)/|\b(?:X{3,}|Y{4}|N{3,})\b|X{3,}_|\{[A-Za-z_]+\}\.|\b(?:\d{4}|YYYY)-(?:\d{2}|MM|XX)-(?:DD|YY|XX)\b|\bv?X\.Y(?:\.Z)?\b",
        )
        .expect("static regex")
    });
    let code = code.trim();
    if code.is_empty() {
        return SpanKind::Prose;
    }
    if code.contains("://") || code.starts_with("www.") {
        return SpanKind::Skip("url");
    }
    if KEYS.is_match(code) {
        return SpanKind::Skip("key_binding");
    }
    if code.starts_with('~') || code.starts_with("$HOME") {
        return SpanKind::Skip("user_path");
    }
    if code.starts_with('$') {
        return SpanKind::Skip("variable");
    }
    if code.starts_with('-') {
        return SpanKind::Skip("flag");
    }
    // `openai/gpt-4.1`, `anthropic/claude-sonnet-4`: a model a provider serves, named
    // the way routers (OpenRouter, LiteLLM) name them, not a path (test29).
    static MODEL_ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:openai|anthropic|google|meta-llama|mistralai|deepseek(?:-ai)?|qwen|x-ai|cohere|nvidia|microsoft|amazon|perplexity|moonshotai|z-ai|openrouter|ollama|bedrock|vertex_ai|azure|groq|together|fireworks)/[A-Za-z0-9][A-Za-z0-9._:-]*$")
            .expect("static regex")
    });
    if MODEL_ID.is_match(code) && !has_extension(code) {
        return SpanKind::Skip("model");
    }
    // Kinds of file, not a path: a list (`.json/.xml/.yaml/.yml`), or stacked short
    // extensions (`.j2.md`, `.tar.gz`, `.d.ts`; `.env.example` is a file).
    static EXTENSIONS_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\.[A-Za-z0-9]{1,10}(?:/\.[A-Za-z0-9]{1,10})+|(?:\.[A-Za-z0-9]{1,4}){2,3})$")
            .expect("static regex")
    });
    // A kind of file named by its extension alone (`.json` format suffix, `.tsx`
    // files); dotfiles (`.env`, `.npmrc`) are files.
    const KINDS: &[&str] = &[
        "json", "jsonl", "md", "mdx", "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "rs", "go", "rb", "java", "kt",
        "swift", "yaml", "yml", "toml", "txt", "csv", "html", "css", "scss", "xml", "sql", "sh", "png", "jpg", "jpeg",
        "svg", "gif", "pdf", "wasm", "zip", "log",
    ];
    if code
        .strip_prefix('.')
        .is_some_and(|ext| KINDS.contains(&ext.to_ascii_lowercase().as_str()))
    {
        return SpanKind::Skip("extensions");
    }
    if EXTENSIONS_ONLY.is_match(code) {
        return SpanKind::Skip("extensions");
    }
    // "sibling `_test.go`", "`_Gocurl_Prepared` and `_Concurrent_*`": the end of names
    // (a kind of file, benchmarks named after another), not a name (dev28).
    static NAME_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[_.-](?:test|tests|spec|specs|bench|mock|mocks|fixtures?|stories|story|d)\.[A-Za-z0-9]{1,6}|_[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*(?:_[A-Za-z0-9*]+)*\*?)$")
            .expect("static regex")
    });
    if NAME_SUFFIX.is_match(code) {
        return SpanKind::Skip("name suffix");
    }
    if PLACEHOLDER.is_match(code) || names_a_placeholder(code) {
        return SpanKind::Skip("placeholder");
    }
    // `GET /api/users/{id}`: an endpoint, the route with its method.
    if let Some((method, route)) = code.split_once(' ')
        && matches!(method, "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS")
        && route.starts_with('/')
        && !route.starts_with("//")
        && !route.contains(char::is_whitespace)
        && !route.contains("://")
    {
        return SpanKind::Route(route_text(route));
    }
    if code.contains(char::is_whitespace) {
        return SpanKind::Prose;
    }
    if code.contains(['*', '?']) && !code.ends_with("()") {
        return SpanKind::Skip("glob");
    }
    if let Some((left, right)) = code.split_once("::")
        && let Some(path) = as_path(left)
        && let Some(name) = right.rsplit("::").next().map(|s| s.trim_end_matches("()"))
        && is_identifier(name)
    {
        return SpanKind::Symbol {
            path,
            name: name.to_owned(),
        };
    }
    if let Some(name) = code.strip_suffix("()")
        && is_identifier(name)
    {
        return SpanKind::Call(name.to_owned());
    }
    // `Admin::BlogsController`, `MallocExtension::GetHeapSample()`: a name in its
    // namespace (module, class, enum), both capitalized.
    if let Some((outer, inner)) = code.trim_end_matches("()").split_once("::")
        && [outer, inner]
            .iter()
            .all(|part| is_identifier(part) && part.starts_with(|c: char| c.is_ascii_uppercase()))
        && inner.len() >= 4
    {
        return SpanKind::Identifier(format!("{outer}::{inner}"));
    }
    if let Some(rest) = code.strip_prefix('/')
        && !rest.starts_with('/')
    {
        let first = rest.split('/').next().unwrap_or_default();
        if SYSTEM_ROOTS.contains(&first) {
            return SpanKind::Skip("machine_path");
        }
        let without_line = strip_line_suffix(rest);
        if has_extension(without_line) {
            return as_paths(without_line).map_or(SpanKind::Prose, SpanKind::Paths);
        }
        return SpanKind::Route(route_text(code));
    }
    if let Some(paths) = as_paths(strip_line_suffix(code)) {
        return SpanKind::Paths(paths);
    }
    if is_code_identifier(code) {
        return SpanKind::Identifier(code.to_owned());
    }
    SpanKind::Prose
}

/// A path made of words that stand for any name: `specs/name.md`, `specs/subdir/name.md`,
/// `src/foo/bar.rs`.
fn names_a_placeholder(code: &str) -> bool {
    const STAND_INS: &[&str] = &[
        "name",
        "subdir",
        "foo",
        "bar",
        "baz",
        "something",
        "whatever",
        "your-file",
    ];
    code.contains('/')
        && code
            .split('/')
            .any(|segment| STAND_INS.contains(&segment.split('.').next().unwrap_or(segment)))
}

/// `/x?y#z` → `/x`, with a trailing `/` dropped.
fn route_text(code: &str) -> String {
    let route = code.split(['?', '#']).next().unwrap_or(code);
    let trimmed = route.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// `src/app.rs:285`, `src/app.rs:10-20`, `src/app.rs#L10-L20` → `src/app.rs`.
fn strip_line_suffix(code: &str) -> &str {
    static LINE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?::\d+(?:[-:]\d+)?|#L\d+(?:-L?\d+)?)$").expect("static regex"));
    match LINE.find(code) {
        Some(m) if m.start() > 0 => &code[..m.start()],
        _ => code,
    }
}

/// Paths of a span, expanding one `{a,b,c}` group.
fn as_paths(code: &str) -> Option<Vec<String>> {
    if let (Some(open), Some(close)) = (code.find('{'), code.find('}'))
        && open < close
        && code[open + 1..close].contains(',')
    {
        let (head, tail) = (&code[..open], &code[close + 1..]);
        let paths: Vec<String> = code[open + 1..close]
            .split(',')
            .filter_map(|alt| as_path(&format!("{head}{}{tail}", alt.trim())))
            .collect();
        return (!paths.is_empty()).then_some(paths);
    }
    // `tart.ml/tart.mli`, `parser.h/parser.c`: one module's two files, not a directory.
    if let Some((left, right)) = code.rsplit_once('/')
        && let Some((left_stem, _)) = left.rsplit('/').next().and_then(|last| last.rsplit_once('.'))
        && let Some((right_stem, _)) = right.rsplit_once('.')
        && !left_stem.is_empty()
        && left_stem == right_stem
    {
        let dir = left.rsplit_once('/').map_or(String::new(), |(d, _)| format!("{d}/"));
        let paths: Vec<String> = [left.to_owned(), format!("{dir}{right}")]
            .iter()
            .filter_map(|p| as_path(p))
            .collect();
        return (paths.len() == 2).then_some(paths);
    }
    as_path(code).map(|p| vec![p])
}

/// A code span that names a repository path, normalized (no `./`, no trailing `/`).
pub fn as_path(code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty()
        || code.contains("://")
        || code.starts_with(['-', '$', '<', '~', '@'])
        || code.contains(|c: char| c.is_whitespace() || "*?{}<>|;'\"=,".contains(c))
    {
        return None;
    }
    let cleaned = code
        .trim_start_matches("./")
        .trim_start_matches('/')
        .trim_end_matches('/');
    // Git's own names (`refs/…`, `.git/…`) are not paths in the tree.
    if cleaned.starts_with("refs/") || cleaned == ".git" || cleaned.starts_with(".git/") {
        return None;
    }
    let segments_ok = !cleaned.is_empty()
        && cleaned.split('/').all(|s| {
            s != ".."
                && (route_segment(s)
                    || !s.is_empty()
                        && s.trim_start_matches('+')
                            .chars()
                            .all(|c| c.is_alphanumeric() || "._-".contains(c)))
        });
    if !segments_ok {
        return None;
    }
    let looks_like_path = code.trim_start_matches("./").contains('/') || has_extension(cleaned);
    let is_version = cleaned.chars().all(|c| c.is_ascii_digit() || c == '.');
    // Tailwind's opacity and fraction modifiers: `bg-white/5`, `w-1/2`, `hover:bg-black/10`.
    let utility_class = matches!(cleaned.split_once('/'), Some((class, n))
        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && class.contains('-'));
    (looks_like_path && !is_version && !utility_class).then(|| cleaned.to_owned())
}

/// A directory of a framework's file routes: a Next.js route group `(marketing)` or
/// parameter `[id]`, `[...slug]`, `[[...slug]]`, a parallel route `@modal` (SvelteKit's
/// `+page.svelte` files are allowed by their `+`).
fn route_segment(segment: &str) -> bool {
    let name = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || "_-".contains(c));
    if let Some(inner) = segment.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        return name(inner.trim_start_matches('.'));
    }
    if let Some(inner) = segment.strip_prefix("[[").and_then(|s| s.strip_suffix("]]")) {
        return name(inner.trim_start_matches("..."));
    }
    if let Some(inner) = segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return name(inner.trim_start_matches("..."));
    }
    segment.strip_prefix('@').is_some_and(name)
}

const EXTENSIONS: &[&str] = &[
    "rs", "ts", "tsx", "js", "jsx", "mjs", "cjs", "py", "go", "java", "kt", "rb", "c", "h", "cc", "cpp", "hpp", "cs",
    "swift", "md", "mdx", "toml", "json", "jsonl", "yaml", "yml", "sh", "sql", "proto", "html", "css", "scss", "lock",
    "txt", "cfg", "ini", "svelte", "vue", "ex", "exs", "php", "xml", "env", "example", "tf", "ml", "mli", "hs", "lua",
    "dart", "scala", "zig", "kts", "gradle",
];

/// Whether the last segment of `path` has a known file extension.
pub fn has_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        // `apiextensionsv1.JSON` is a package's type: a file's extension in capitals
        // comes with a stem in capitals (`README.MD`).
        let qualified_type =
            ext.chars().any(|c| c.is_ascii_uppercase()) && stem.chars().any(|c| c.is_ascii_lowercase());
        EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
            && (!stem.is_empty() || name.len() > 4)
            && !qualified_type
    })
}

/// A plain identifier.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// An identifier that reads as code, not as a word: `ChatService` (two capitals and a
/// lower-case letter), `MAX_RETRIES`, `user_id`.
fn is_code_identifier(code: &str) -> bool {
    if !is_identifier(code) || code.len() < 4 {
        return false;
    }
    let upper = code.chars().filter(char::is_ascii_uppercase).count();
    let lower = code.chars().filter(char::is_ascii_lowercase).count();
    let camel = upper >= 2 && lower >= 1 && code.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let snake = code.contains('_') && code.trim_matches('_').contains('_') || code.contains('_') && upper == 0;
    camel || snake
}

/// How the words before a span relate it to its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// What the item is about: created, named, described.
    Subject,
    /// Where a change happens (`in src/app.rs`, `Extend src/sw.js`): it must exist, and
    /// its existing proves nothing about the change.
    Location,
    /// What the item removes (`Remove legacy.rs`, ~~struck through~~).
    Removed,
    /// An example or an alternative (`e.g. x`, `a or b`): not a claim.
    Example,
}

/// The role of a span of kind `kind` (its text `code`): [`role`], then what only the
/// kind tells.
pub fn role_of(kind: &SpanKind, code: &str, before: &str, after: &str, block: &str, struck: bool) -> Role {
    let role = role(before, after, block, struck);
    match kind {
        // "`StatusBadge` → `src/components/ui/StatusBadge.tsx`": a name moved into a
        // file is still there; only a path renamed to a path, or a name to a name, is gone.
        SpanKind::Identifier(_) | SpanKind::Call(_) if role == Role::Removed && arrow_to_path(after) => Role::Subject,
        // "`get_broadcast_meetings` is ALREADY IMPLEMENTED as `get_committee_meetings`",
        // "rather than adding a new function for `search_constituencies`": a name the
        // work is not to have — an alias of another, or what not to do.
        SpanKind::Identifier(_) | SpanKind::Call(_) if not_to_have(before, after) => Role::Example,
        // "Investigate dropping `TagLib` and relying on Qt's native `QMediaMetaData`": what
        // a study weighs, not what the tree has (test29, chadvis).
        SpanKind::Identifier(_) | SpanKind::Call(_) if weighed_by_a_study(before) => Role::Example,
        // "`bill-summary.ts` now calls dedicated `/summaries` endpoint": an endpoint the
        // code requests (often another service's), not one it defines.
        SpanKind::Route(_) if calls_endpoint(before) => Role::Example,
        // "`DELETE /api/goals/[id]` - Delete goal": what an endpoint does, not its end.
        SpanKind::Route(_) if role == Role::Removed && !struck && code.trim_start().starts_with("DELETE ") => {
            Role::Subject
        }
        // "Remove: … `project-events.ts` … *Note: Kept project-events.ts temporarily*":
        // the item's own note keeps it (dev42, z10).
        _ if role == Role::Removed && kept_by_the_item(code, block) => Role::Subject,
        // "`waitlist/route.ts:40` — removed unnecessary `as any`": a line of a file is
        // where the removal happened.
        SpanKind::Paths(_) if role == Role::Removed && strip_line_suffix(code.trim()) != code.trim() => Role::Location,
        _ => role,
    }
}

/// Whether the words around a name say the work is not to have it: it is implemented
/// under another name ("`a` is already implemented as `b`"), or is what not to do
/// ("rather than adding `a`", "do not re-implement `a`").
fn not_to_have(before: &str, after: &str) -> bool {
    static ALIAS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W{0,3}(?:is\s+|are\s+)?(?:already\s+)?(?:implemented|exists?|provided|available|covered)\s+(?:as|by)\s+`")
            .expect("static regex")
    });
    static NOT_TO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:rather than|instead of|do not|don'?t|never|not to)\b[^.;:]*$").expect("static regex")
    });
    // "(`CloseDefault`/E5 test hook not needed since no shared Client was introduced)".
    static NOT_NEEDED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[^.;`]{0,60}?\b(?:(?:not|never)\s+(?:needed|introduced|required|added|implemented|created|built)|unnecessary|unneeded|descoped)\b")
            .expect("static regex")
    });
    ALIAS.is_match(after) || NOT_TO.is_match(before) || NOT_NEEDED.is_match(after)
}

/// Whether a block says it kept a name it otherwise removes ("Kept `x.ts`
/// temporarily", "keeping x.ts"): the name, in a code span or not, a few words after
/// the verb in one sentence.
fn kept_by_the_item(code: &str, block: &str) -> bool {
    static KEPT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:kept|keep|keeping|retained|preserved)\b[^.;]{0,40}$").expect("static regex")
    });
    let code = code.trim();
    !code.is_empty()
        && block
            .match_indices(code)
            .any(|(at, _)| KEPT.is_match(block[..at].trim_end_matches('`')))
}

/// Whether the sentence before a name opens a study of options ("Investigate
/// dropping", "Evaluate whether", "Consider moving"), past the words right before it: a
/// name right after the verb ("investigate `x`") is what is studied, and exists.
fn weighed_by_a_study(before: &str) -> bool {
    static STUDY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:investigate|evaluate|research|explore|consider|look\s+into|assess)\s+(?:whether|if|dropping|replacing|switching|moving|using|adopting|removing|migrating|relying)\b[^.;]*$")
            .expect("static regex")
    });
    STUDY.is_match(before)
}

/// Whether the words before a route say the code requests it ("calls the `/x`
/// endpoint", "fetches `/api/y`").
pub(super) fn calls_endpoint(before: &str) -> bool {
    static CALLS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:calls?|calling|fetch(?:es|ing)?|hits?|requests?|quer(?:y|ies)|consumes?|polls?)\s+(?:[\w-]+\s+){0,2}$")
            .expect("static regex")
    });
    CALLS.is_match(before)
}

/// The arrows a document writes between an old name and a new one, or between steps.
const ARROWS: &[&str] = &["→", "->", "=>", "⇒"];

/// Whether text opens with an arrow (`→ \`/app/inbox\``): a mapping's far side follows.
pub(super) fn starts_with_arrow(text: &str) -> bool {
    let text = text.trim_start();
    ARROWS.iter().any(|a| text.starts_with(a))
}

/// Whether text ends on an arrow: a mapping's far side comes next.
pub(super) fn ends_with_arrow(text: &str) -> bool {
    let text = text.trim_end();
    ARROWS.iter().any(|a| text.ends_with(a))
}

/// Whether `after` starts with an arrow to a code span that is a path.
pub(super) fn arrow_to_path(after: &str) -> bool {
    let after = after.trim_start();
    let Some(rest) = ARROWS.iter().find_map(|a| after.strip_prefix(a)) else {
        return false;
    };
    let Some(code) = rest.trim_start().strip_prefix('`').and_then(|r| r.split('`').next()) else {
        return false;
    };
    code.contains('/') || has_extension(code)
}

/// Whether a block opens with an example's label ("**Example:** Given `.gitignore`
/// with `vendor/`"): all of it is the example, and so is the list right after it.
pub(super) fn introduces_example(block: &str) -> bool {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\W*examples?\s*\W*:").expect("static regex"));
    LABEL.is_match(block)
}

/// The role of a span given the block text before it, the text after it, and the
/// whole block; `struck` when it is ~~struck through~~.
pub fn role(before: &str, after: &str, block: &str, struck: bool) -> Role {
    static EXAMPLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:eg|ie|for example|for instance|such as|can use|could use|might use|may use|optionally|alternatives?|prefixed with|suffixed with)\b[^;]*$|\bexamples?\s*:[^;]*$|\b(?:endpoints?|routes?|paths?|files?|names?|urls?)\s+like\s*$")
            .expect("static regex")
    });
    // A rule for what to do when something happens ("If a test is flaky, add proper
    // `waitForSelector`") and the source of a split ("Split `tauri.rs` into …"): neither
    // says what the tree holds.
    // "Git Tag: `foundation/phase-0`", "Branch: `feature/x`": a ref, not a path.
    static GIT_REF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\bgit\s+(?:tags?|branch(?:es)?|refs?)\b[^`]*$|\b(?:tags?|branch(?:es)?|refs?)\s*:\s*(?:format\s+)?$",
        )
        .expect("static regex")
    });
    static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:if|when|whenever|unless|in case)\b|\bsplit(?:s|ting)?\s+(?:up\s+)?(?:the\s+)?$")
            .expect("static regex")
    });
    // "Reference: `indextts/infer_v2.py`", "ported from `lib/x.py`": another codebase,
    // named as the model of the work.
    static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:references?|ref|ported from|port of|based on|adapted from|upstream|inspired by|mirrors?)\s*:?\s*$")
            .expect("static regex")
    });
    // "Replace custom `exp()` with `math.Exp()`": the first is what goes away, when what
    // replaces it is code too ("Replace the monolithic `style.css` with Tailwind utility
    // classes" may keep the file).
    static WITH_CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^[^.;`]*\b(?:with|by)\b[^.;`]*`").expect("static regex"));
    static REPLACED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:replace[sd]?|replacing|swap(?:ped)? out|migrate[sd]? (?:away )?from)(?:\s+[\w-]+){0,3}\s*$",
        )
        .expect("static regex")
    });
    // "Migrated from deprecated `vitest.workspace.ts` to `vitest.config.ts`": where a
    // thing moved from is gone, when where it went is code too.
    static MOVED_FROM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:migrate[sd]?|migrating|moved?|moving|switch(?:ed)?|switching)\s+(?:away\s+)?from(?:\s+[\w-]+){0,2}\s*$")
            .expect("static regex")
    });
    static TO_CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^[^.;`]*\bto\b[^.;`]*`").expect("static regex"));
    // "`a` or `b`", "(or a new `generate_cpp_interface()` function)".
    static ALTERNATIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)`\s*(?:or|/)\s*$|(?:^|[\s(])or\s+(?:(?:a|an|the)\s+)?(?:(?:new|separate|dedicated|custom)\s+)?$",
        )
        .expect("static regex")
    });
    static RENAMED_TO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:→|->|=>|⇒)\s*`").expect("static regex"));
    // "`HelixLogo` … collapsed into `SiteLogo.svelte`", "`home-features.js` deleted".
    // Also in the languages PRDs are written in, where words have no spaces between
    // them (Thai "ลบแล้ว", Chinese "已删除") or inflect ("удалён", "gelöscht").
    static REMOVED_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[^.;:]*?(?:\b(?:collapsed|merged|deleted|removed|dropped|retired|gone|omitted)\b|\b(?:gets?|got|was|were|been|is|are)\s+replaced\b|ลบ|删除|删掉|移除|削除|удал[её]н|entfernt|gelöscht|eliminad[oa]|borrad[oa]|supprimée?|removid[oa]|excluíd[oa])")
            .expect("static regex")
    });
    // "(using FastAPI `BackgroundTasks` or `APScheduler`)": the first of two options too.
    static OR_SIMILAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:(?:or similar|or equivalent|or another|or so|etc)\b|or\s+`)").expect("static regex")
    });
    // "Needs input: `.ralph/NEEDS_INPUT.md` (only when blocked)": there only on a
    // condition, so its absence says nothing.
    static ONLY_WHEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*\(\s*(?:only\s+|created\s+|written\s+)?(?:if|when|whenever|unless|once|optional(?:ly)?|as needed|on demand)\b")
            .expect("static regex")
    });
    static LOCATION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|[\s(])(?:in|into|inside|within|to|from|of|on|at|under|see|see also|per|review|read|study|inspect|audit|examine|investigate|look at|analy[sz]e|в|во|из)\s+(?:the\s+|all\s+|each\s+|every\s+)?(?:(?:root|main|existing|top-level|workspace|project|current|shared|global)\s+)?(?:(?:GET|POST|PUT|PATCH|DELETE)\s+)?$")
            .expect("static regex")
    });
    static REMOVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:remove[sd]?|delete[sd]?|drop(?:ped|s)?|rm|deprecate[sd]?|retire[sd]?|get rid of)\b")
            .expect("static regex")
    });
    static MODIFY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:fix(?:es|ed)?|extend(?:s|ed)?|update[sd]?|modif(?:y|ies|ied)|refactor(?:s|ed)?|improve[sd]?|change[sd]?|rework(?:s|ed)?|rewrite|rewrote|optimi[sz]e[sd]?|adjust(?:s|ed)?|tweak(?:s|ed)?|harden(?:s|ed)?|clean(?:s|ed)?\s+up|polish(?:es|ed)?|wire[sd]?|integrate[sd]?|patch(?:es|ed)?|simplif(?:y|ies|ied)|enhance[sd]?|debug(?:s|ged)?|ensure[sd]?)\b")
            .expect("static regex")
    });
    // The dots of earlier names (`MyComponent.tsx`) end no sentence: "(e.g., `a.tsx` and
    // `a.test.tsx`)" is one clause.
    let mut in_code = false;
    let normalized: String = before
        .replace("e.g.", "eg")
        .replace("E.g.", "eg")
        .replace("i.e.", "ie")
        .chars()
        .map(|c| {
            in_code ^= c == '`';
            if in_code && c == '.' { '_' } else { c }
        })
        .collect();
    let clause = normalized.rsplit(['.', ';', '\n']).next().unwrap_or(&normalized);
    // "Handles common patterns (`node_modules/`, `*.pyc`)": what a matcher matches.
    static PATTERNS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\bpatterns?\s*\([^)]*$").expect("static regex"));
    // "Touch: `x.go`, (必要なら) `internal/capi/template.go` (new)": a file made only if
    // needed.
    static OPTIONAL_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\(\s*(?:only\s+)?(?:if\s+(?:needed|necessary|required|any)|optional(?:ly)?|as\s+needed|when\s+needed|必要なら|必要に応じて|任意|可选|如有需要)\s*\)\s*$")
            .expect("static regex")
    });
    // "Merge `ErrorBoundary.tsx` and `AuthorErrorBoundary.tsx` into unified system": what
    // a merge takes in may stay (the one merged into) or go, so neither is claimed
    // (test45, booksweeps-new).
    static MERGED_FROM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:merge|combine|consolidate|unify)\s+(?:the\s+)?(?:`[^`]+`\s*(?:,\s*(?:and\s+)?|and\s+|&\s*))*$",
        )
        .expect("static regex")
    });
    static INTO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)`[^`]+`)*\s+into\b").expect("static regex")
    });
    if EXAMPLE.is_match(clause)
        || MERGED_FROM.is_match(clause) && INTO.is_match(after)
        || OPTIONAL_BEFORE.is_match(before)
        || introduces_example(block)
        || PATTERNS.is_match(before)
        || REFERENCE.is_match(clause)
        || CONDITIONAL.is_match(clause)
        || GIT_REF.is_match(clause)
        || ALTERNATIVE.is_match(before)
        || OR_SIMILAR.is_match(after)
        || ONLY_WHEN.is_match(after)
    {
        return Role::Example;
    }
    // "omitted from the Phase 1 `CharstackTask` model": a place, a few words on.
    static LOCATION_NAMED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|\s)(?:in|into|to|from|of|on)\s+(?:\S+\s+){1,3}$").expect("static regex")
    });
    static PLACE_NOUN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:model|class|struct|type|module|component|service|table|schema|file|view|screen|page|enum|interface|protocol)\b")
            .expect("static regex")
    });
    // "remove the `buildNoteworthySectionHtml` call": its use goes, not its definition;
    // "stale `recalcTickMsg` values … are dropped": instances go, not the type; "Add
    // `FormatIterationSummary` variant or adapter": a new thing beside the named one.
    static USE_OF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:calls?|usages?|imports?|references?|invocations?|uses|values|instances|messages|entries|records|variants?|adapters?|wrappers?|counterparts?|equivalents?)\b")
            .expect("static regex")
    });
    // "Create `admin.html` extending `base.html`", "a smoke test that loads `/caseyos`":
    // what the new thing builds on or works against must exist, and proves nothing.
    static DEPENDED_ON: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:(?:that|which)\s+[a-z]+s|extending|using|calling|loading|wrapping|importing|inheriting\s+from|based\s+on|derived\s+from|against)\s+(?:(?:the|a|an|existing)\s+){0,2}$")
            .expect("static regex")
    });
    // "API surface is not yet implemented beyond auth (`…/route.ts` only)": the
    // exception to what the sentence says, which exists.
    static EXCEPTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:beyond|except(?:\s+for)?|other\s+than|apart\s+from|besides|aside\s+from)\s+(?:[\w-]+\s+){0,3}\(?\s*$")
            .expect("static regex")
    });
    // "add proposals as `ProposedAction`": the type many things take, which exists
    // before them.
    static AS_TYPE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b[a-z]{3,}s\s+as\s+(?:an?\s+|the\s+)?$").expect("static regex"));
    // "Add debouncing to Document Browser search input (`dashboard/app/browse/page.tsx`)":
    // the file in parentheses is where the change goes.
    static CHANGE_IN_PARENS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:add|fix|update|extend|improve|wire|hook|apply|show|display)\b.*\b(?:to|in|into|on|for)\b[^()`]*\(\s*$")
            .expect("static regex")
    });
    // "Touch: `a.go`, `b.go`", "触る: `x.go`", "Files to modify: …": where the work goes.
    static TOUCHES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|[\s(])(?:touch(?:es)?|触る|変更|files?\s+to\s+(?:touch|change|modify|edit|update))\s*[:：][^.;]*$")
            .expect("static regex")
    });
    // "Create main Watchlists page at `src/app/app/watchlists/page.tsx`": the file is
    // the new page, written with where it goes (dev47).
    static NEW_FILE_AT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:create|add|new|implement|write|scaffold|build)\b[^`]*\b(?:page|file|component|module|script|screen|view|layout|route|endpoint|entry\s*point)\s+at\s+$")
            .expect("static regex")
    });
    if NEW_FILE_AT.is_match(clause) {
        return Role::Subject;
    }
    // Japanese and Korean put the particle after the name: "`a.rb` に `scope :x` 追加"
    // (add to), "`a.rb` からカテゴリ絞り込み削除" (remove … from), "`a.rb` を更新"
    // (update) — where the work goes, not what it makes or removes (dev48, a Rails plan).
    static PLACE_AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:に|へ|から|の中|内に|에서|에|으로|로|を?\s*(?:更新|修正|変更|改修|拡張|修改|优化|调整|수정|변경|개선|업데이트))")
            .expect("static regex")
    });
    if LOCATION.is_match(before)
        || PLACE_AFTER.is_match(after)
        || TOUCHES.is_match(clause)
        || EXCEPTION.is_match(clause)
        || AS_TYPE.is_match(clause)
        || CHANGE_IN_PARENS.is_match(clause) && after.trim_start().starts_with(')')
        || DEPENDED_ON.is_match(clause)
        || USE_OF.is_match(after)
        || LOCATION_NAMED.is_match(before) && PLACE_NOUN.is_match(after)
    {
        return Role::Location;
    }
    // "Removed `.vscode/` from `.gitignore`": a line of that file, not a path of the tree.
    static FROM_FILE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*from\s+`(?:[^`/]*\.[A-Za-z0-9]{1,12}|[^`]*/[^`/]+\.[A-Za-z0-9]{1,12})`").expect("static regex")
    });
    if REMOVE.is_match(block) && FROM_FILE.is_match(after) {
        return Role::Example;
    }
    // "`index.yaml` is served from `https://…`": a file of a deployment, not of the tree.
    static DEPLOYED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:is|are|gets?)\s+(?:served|published|hosted|deployed|uploaded)\s+(?:from|to|at|on)\b")
            .expect("static regex")
    });
    if DEPLOYED.is_match(after) {
        return Role::Example;
    }
    // `old.rs` → `new.rs`: the old name is gone once the rename is done. Not a step of
    // a flow (`processTurn()` → `getNextActor()` → execute → `advanceEntity()`).
    let sentence_after = after.split(['.', ';', '\n']).next().unwrap_or(after);
    let flow = ARROWS.iter().map(|a| sentence_after.matches(a).count()).sum::<usize>() > 1 || ends_with_arrow(before);
    // "`convert_to_base()` replaces `convert_to_eur()`": the second goes.
    // "… Replaces current `/api/projects/:id/exec`.": what the item's new thing replaces
    // (dev42, z10).
    static REPLACES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:`|^|[.;:]\s*)\s*(?:now\s+)?(?:replaces|supersedes|obsoletes)\s+(?:the\s+)?(?:old\s+|legacy\s+|current\s+|existing\s+|previous\s+)?$")
            .expect("static regex")
    });
    // "**Deduplicate message processing.** Deleted `handleParsedMessagePlanAndBuild()`":
    // the verb right before the span, wherever the sentence starts.
    // "Delete `OverlayRenderer.cpp` and `OverlayEngine.cpp`", "Remove: `/x` (streaming),
    // `/y`": each name of the list the verb opens, notes in parentheses between them
    // (test29, chadvis; dev42, z10).
    static REMOVED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|[\s*.:;(])(?:remove[sd]?|delete[sd]?|drop(?:ped)?|retired?)\s*:?\s+(?:(?:the|old|legacy|unused|dead|obsolete|deprecated|duplicate|orphaned|stale|redundant|unnecessary|leftover|outdated|broken|empty)\s+)*(?:`[^`]+`\s*(?:\([^()]*\)\s*)?(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+))*$")
            .expect("static regex")
    });
    // "Removed the deprecated one-shot API (`Process`, `Execute`, the `Response`
    // wrapper, …)": each name of the list in parentheses after what was removed.
    static REMOVED_LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|[\s*.:;])(?:remove[sd]?|delete[sd]?|drop(?:ped)?|retired?)\s+[^()`.;]*\((?:[^()]*,)?\s*(?:the\s+)?$")
            .expect("static regex")
    });
    // "Name derived from filename: `go-rewrite.md` → `go-rewrite`": a mapping the code
    // performs, shown on an example, not a rename (dev26).
    static DERIVED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:derived?|derives|deriving|maps?|mapped|mapping|converts?|converted|transforms?|transformed|normali[sz]e[sd]?|becomes?|turns?\s+into)\b[^`]*$")
            .expect("static regex")
    });
    if DERIVED.is_match(clause) && starts_with_arrow(after) {
        return Role::Example;
    }
    let removed_after = removal_after(&REMOVED_AFTER, after);
    if removed_after == Some(false) {
        return Role::Example;
    }
    // "Legacy `RetryConfig` → `RetryPolicy` mapping": both sides of a mapping stay.
    static MAPPING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:→|->|=>|⇒)\s*`[^`]+`\s*(?:mapping|map|conversion|translation|adapter|bridge|shim)\b")
            .expect("static regex")
    });
    // The same in Chinese and Japanese, whose verbs need no space: "删除 `a.h` 和
    // `src/b/`", a table's "| 删除 | `a.h` |" (operation, file), "日志格式化从 `fmt.h`
    // 切换到 `std::format`" (switched from; dev43, cpp-remote-profiler).
    static CJK_REMOVED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:删除|移除|删掉|去掉|去除|削除|삭제)\s*[:：]?\s*(?:\|\s*)?(?:`[^`]+`\s*(?:[(（][^()（）]*[)）]\s*)?(?:[,，、和及与]\s*))*$")
            .expect("static regex")
    });
    static CJK_MOVED_FROM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"从\s*$").expect("static regex"));
    static CJK_TO_CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*(?:切换|迁移|改|替换|换)(?:到|为|成|用)[^`。；;]*`").expect("static regex"));
    if struck
        || CJK_REMOVED_BEFORE.is_match(clause)
        || CJK_MOVED_FROM.is_match(clause) && CJK_TO_CODE.is_match(after)
        || REPLACES.is_match(before)
        || RENAMED_TO.is_match(after) && !flow && !MAPPING.is_match(after)
        || removed_after == Some(true)
        || REMOVED_BEFORE.is_match(clause)
        || REMOVED_LIST.is_match(clause)
        // A block that opens with a removal removes what its first sentence names, not
        // what the next one relies on ("Remove `a.cpp`. Rely on `QMediaPlayer`").
        || REMOVE.is_match(block) && !normalized.contains(['.', ';'])
        || REPLACED.is_match(clause) && WITH_CODE.is_match(after)
        || MOVED_FROM.is_match(clause) && TO_CODE.is_match(after)
    {
        return Role::Removed;
    }
    if MODIFY.is_match(block) {
        return Role::Location;
    }
    Role::Subject
}

/// What a removal word after a span (`removed_word`) says of it: `Some(true)` when the
/// span is what went ("`home-features.js` deleted", "collapsed into `x`"), `Some(false)`
/// when its removal is still a plan ("- To be deleted"), `None` when the word says
/// nothing of the span: it has an object of its own ("`main.go` cleaned up -- removed
/// old ldflags variables") or sits inside code (`Added`/`Deleted` slices).
fn removal_after(removed_word: &Regex, after: &str) -> Option<bool> {
    static PLANNED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:to|will|shall|should|must|can|could|may|might|would|needs?\s+to)\s+(?:\w+\s+)?be\s+\S+$")
            .expect("static regex")
    });
    // Words after a passive removal that start no object of its own.
    const PASSIVE_NEXT: &[&str] = &[
        "from",
        "in",
        "into",
        "with",
        "as",
        "by",
        "and",
        "or",
        "because",
        "since",
        "after",
        "when",
        "entirely",
        "completely",
        "too",
        "also",
        "now",
        "earlier",
        "already",
        "here",
        "there",
        "at",
        "on",
        "for",
        "upstream",
        "altogether",
        "instead",
        "then",
        "was",
        "were",
        "is",
        "are",
    ];
    let words = super::phrasing::without_code(after);
    let found = removed_word.find(&words)?;
    // "Given `AxisContext` in `axis.ts`, when the fields `a`, `b` are removed": the word
    // is said of the spans nearer to it; only a list ("`a`, `b` and `c` removed")
    // carries it back over theirs (test42, anatoly).
    // The list may note each name on the way: "the current `/x` endpoint (streaming)
    // and `/y` endpoint … get replaced" (dev42, z10).
    const LIST_END: &[&str] = &[
        ",", "/", "&", "、", "和", "及", " and", " or", " et", " und", " y", " e",
    ];
    if let Some((lead, _)) = after.split_once('`')
        && !removed_word.is_match(lead)
    {
        // With a space before it, "and" alone ends the lead like " and" after a note.
        let lead = format!(" {}", lead.trim().to_lowercase());
        let continues_a_list = lead.trim().is_empty() || LIST_END.iter().any(|sep| lead.ends_with(sep));
        if !continues_a_list {
            return None;
        }
    }
    if PLANNED.is_match(&words[..found.end()]) {
        return Some(false);
    }
    // "`verbose.go` dedup removed": a noun of its own before the word is what went, in
    // the file the span names (dev28). Not "was", "now" or the span's kind ("file").
    const LINKING: &[&str] = &[
        "was",
        "were",
        "is",
        "are",
        "been",
        "be",
        "has",
        "have",
        "had",
        "got",
        "gets",
        "now",
        "also",
        "then",
        "later",
        "finally",
        "fully",
        "entirely",
        "completely",
        "already",
        "all",
        "both",
        "and",
        "or",
        "file",
        "files",
        "directory",
        "folder",
        "module",
        "script",
        "component",
        "hook",
        "function",
        "class",
        "type",
        "page",
        "route",
        "endpoint",
        "package",
        "crate",
        "binary",
    ];
    // The match runs from the start of `after` to the removal word, its last word.
    let upto: Vec<&str> = words[..found.end()].split_whitespace().collect();
    let between = &upto[..upto.len().saturating_sub(1)];
    if (1..=2).contains(&between.len())
        && between.iter().all(|w| w.chars().all(char::is_alphabetic))
        && between.iter().any(|w| !LINKING.contains(&w.to_lowercase().as_str()))
    {
        return None;
    }
    let rest = &words[found.end()..];
    let next = rest.trim_start();
    // "(removed 3 imports, …)": a count starts an object too.
    let first: String = next
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    let own_object =
        rest.starts_with(char::is_whitespace) && !first.is_empty() && !PASSIVE_NEXT.contains(&first.as_str());
    (!own_object).then_some(true)
}

/// A relative link target resolved against the PRD's directory.
pub fn link_path(prd_dir: &str, dest: &str) -> Option<String> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with("mailto:") {
        return None;
    }
    if let Some(colon) = dest.find(':')
        && !dest[..colon].contains('/')
    {
        return None;
    }
    let dest = dest.split(['#', '?']).next().unwrap_or_default();
    let joined = if let Some(rooted) = dest.strip_prefix('/') {
        rooted.to_owned()
    } else if prd_dir.is_empty() {
        dest.to_owned()
    } else {
        format!("{prd_dir}/{dest}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of AbdelazizMoustafa10m/Harvx's PROGRESS.md (dev16 replay): a removal with an
    /// object of its own, a planned removal, a removal word inside code and instances
    /// of a type say nothing of the span's own existence.
    #[test]
    fn one_modules_two_files_are_two_paths() {
        // chrisbarrett/emacs-tart's plan (dev17).
        assert_eq!(
            classify("tart.ml/tart.mli"),
            SpanKind::Paths(vec!["tart.ml".to_owned(), "tart.mli".to_owned()])
        );
        assert_eq!(
            classify("lib/parser.h/parser.c"),
            SpanKind::Paths(vec!["lib/parser.h".to_owned(), "lib/parser.c".to_owned()])
        );
        assert_eq!(
            classify("v1.2/notes.md"),
            SpanKind::Paths(vec!["v1.2/notes.md".to_owned()])
        );
    }

    #[test]
    fn only_a_removal_of_the_span_itself_expects_it_gone() {
        let block = "`cmd/harvx/main.go` cleaned up -- removed old ldflags variables";
        assert_eq!(role("", &block[20..], block, false), Role::Subject);
        let block = "`cmd/harvx/main.go` - Removed old ldflags variables";
        assert_eq!(role("", &block[20..], block, false), Role::Subject);
        let block = "`internal/pipeline/.gitkeep` - To be deleted (superseded by real files)";
        assert_eq!(role("", &block[29..], block, false), Role::Example);
        let block = "`CompareStates` producing `DiffResult` with sorted `Added`/`Deleted` slices";
        assert_eq!(role("", &block[15..], block, false), Role::Subject);
        let block = "stale `recalcTickMsg` values with old counters are dropped";
        assert_eq!(role("stale ", &block[21..], block, false), Role::Location);
        let block = "`home-features.js` deleted";
        assert_eq!(role("", " deleted", block, false), Role::Removed);
        // dev47 (0xSSDD/j16z): a new page written with where it goes.
        let block = "20.2 Create main Watchlists page at `src/app/app/watchlists/page.tsx`";
        assert_eq!(role(&block[..36], "", block, false), Role::Subject);
        // dev46 (sm-moshi/cargo-quickstart): the file a block is added to is its place.
        let block = "Add `[features]` block to root `Cargo.toml` with:";
        assert_eq!(role(&block[..31], &block[43..], block, false), Role::Location);
        // test42 (anatoly): the fields go, not the type they are in.
        let block = "Given `AxisContext` in `axis.ts`, when the fields `semaphore`, `circuitBreaker` are removed";
        assert_eq!(role("Given ", &block[19..], block, false), Role::Subject);
        // dev42 (z10): a list that notes each name still carries the removal back.
        let block = "the current `/api/x` endpoint (streaming) and `/api/y` endpoint get replaced";
        assert_eq!(role("the current ", &block[20..], block, false), Role::Removed);
        let block = "`HelixLogo` collapsed into `SiteLogo.svelte`";
        assert_eq!(role("", &block[11..], block, false), Role::Removed);
    }

    #[test]
    fn links_resolve_against_the_prd_directory() {
        assert_eq!(link_path("docs", "SPEC.md#top"), Some("docs/SPEC.md".into()));
        assert_eq!(link_path("docs", "../README.md"), Some("README.md".into()));
        assert_eq!(link_path("", "https://example.com/x.md"), None);
        assert_eq!(link_path("", "#anchor"), None);
    }

    #[test]
    fn only_path_like_code_is_a_path() {
        assert_eq!(as_path("./src/main.rs"), Some("src/main.rs".into()));
        assert_eq!(as_path("crates/"), Some("crates".into()));
        assert_eq!(as_path("Cargo.toml"), Some("Cargo.toml".into()));
        // dev8 (calumpwebb/world-wide-webb): file-route directories are path segments.
        assert_eq!(as_path("app/(guest)/page.tsx"), Some("app/(guest)/page.tsx".into()));
        assert_eq!(
            as_path("src/routes/blog/[slug]/+page.svelte"),
            Some("src/routes/blog/[slug]/+page.svelte".into())
        );
        assert_eq!(
            as_path("app/[[...slug]]/page.tsx"),
            Some("app/[[...slug]]/page.tsx".into())
        );
        assert_eq!(as_path("items[0]"), None);
        // pool (Bharath-code/shipsense): Tailwind classes with modifiers.
        assert_eq!(as_path("bg-white/5"), None);
        assert_eq!(as_path("w-1/2"), None);
        assert_eq!(as_path("migrations/0001"), Some("migrations/0001".into()));
        assert_eq!(as_path("a/b(c).rs"), None);
        for not_path in [
            "cargo test",
            "1.2.3",
            "x",
            "--help",
            "https://a/b",
            "$HOME/x",
            "a/*.rs",
            "refs/notes/distill/evidence",
            ".git/distill/tmp",
        ] {
            assert_eq!(as_path(not_path), None, "{not_path}");
        }
    }

    /// Every kind, each from a line of a real PRD.
    #[test]
    fn spans_are_classified_as_real_prds_use_them() {
        let paths = |v: &[&str]| SpanKind::Paths(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(classify("/settings"), SpanKind::Route("/settings".into()));
        assert_eq!(classify("/api/users/{id}"), SpanKind::Route("/api/users/{id}".into()));
        // dev20 (ibucketbranch/PRDTool): "`GET /api/empty-folders/{folder}/history` - Get
        // files that were moved from folder".
        assert_eq!(
            classify("GET /api/empty-folders/{folder}/history"),
            SpanKind::Route("/api/empty-folders/{folder}/history".into())
        );
        assert_eq!(classify("GET the user"), SpanKind::Prose);
        // dev25 (Garogaro1/ticktick-clone): an endpoint that deletes is no removal.
        let code = "DELETE /api/goals/[id]";
        assert_eq!(
            role_of(&classify(code), code, "- ", " - Delete goal", "", false),
            Role::Subject
        );
        // dev20 (ibucketbranch/PRDTool): "`.json/.xml/.yaml/.yml` -- direct read".
        assert_eq!(classify(".json/.xml/.yaml/.yml"), SpanKind::Skip("extensions"));
        // dev28 (maniartech/gocurl): ends of names.
        for suffix in ["_test.go", "_Gocurl_Prepared", "_Concurrent_*"] {
            assert_eq!(classify(suffix), SpanKind::Skip("name suffix"), "{suffix}");
        }
        assert_ne!(classify("_parse_row"), SpanKind::Skip("name suffix"));
        assert_ne!(classify(".eslintrc.json"), SpanKind::Skip("name suffix"));
        assert_ne!(
            classify("_app.tsx"),
            SpanKind::Skip("name suffix"),
            "Next.js's own file"
        );
        assert_eq!(
            classify("yellow-research/.../deepen-plan.md"),
            SpanKind::Skip("placeholder")
        );
        // "(`CloseDefault`/E5 test hook not needed since …)": not to be there.
        let after = "/E5 test hook not needed since no shared default Client was introduced.)";
        assert_eq!(
            role_of(
                &SpanKind::Identifier("CloseDefault".into()),
                "CloseDefault",
                "new `Client` is the surface. *(",
                after,
                "",
                false
            ),
            Role::Example
        );
        // dev21 (LISSConsulting/LISSTech.RalphKing): "`ralph spec new` still creates flat
        // `specs/name.md`".
        assert_eq!(classify("specs/name.md"), SpanKind::Skip("placeholder"));
        assert_eq!(classify("specs/subdir/name.md"), SpanKind::Skip("placeholder"));
        assert_eq!(classify("src/names.rs"), paths(&["src/names.rs"]));
        // dev21 (OpenCnid/anvil): "`.j2.md` templates".
        assert_eq!(classify(".j2.md"), SpanKind::Skip("extensions"));
        assert_eq!(classify(".env.example"), paths(&[".env.example"]));
        assert_eq!(classify(".github/workflows"), paths(&[".github/workflows"]));
        assert_eq!(
            classify("/demo/theming/scss-variables/"),
            SpanKind::Route("/demo/theming/scss-variables".into())
        );
        assert_eq!(
            classify("/app/api/auth/saml/metadata/route.ts"),
            paths(&["app/api/auth/saml/metadata/route.ts"])
        );
        assert_eq!(classify("src/app.rs:285"), paths(&["src/app.rs"]));
        assert_eq!(
            classify("chat_session_service.py:17"),
            paths(&["chat_session_service.py"])
        );
        assert_eq!(classify("src/app.rs#L10-L20"), paths(&["src/app.rs"]));
        assert_eq!(
            classify("src/doc/{mod,load,parts}.rs"),
            paths(&["src/doc/mod.rs", "src/doc/load.rs", "src/doc/parts.rs"])
        );
        assert_eq!(classify("Ctrl+K/Esc"), SpanKind::Skip("key_binding"));
        assert_eq!(
            classify("/home/ncornec/.cargo/bin/cargo"),
            SpanKind::Skip("machine_path")
        );
        assert_eq!(classify("~/.tool/config.yml"), SpanKind::Skip("user_path"));
        // dev27 (ChrisBrooksbank/uk-parliament-data-mcp): "endpoints use `.json` format suffix".
        assert_eq!(classify(".json"), SpanKind::Skip("extensions"));
        assert_ne!(classify(".env"), SpanKind::Skip("extensions"));
        assert_eq!(classify("XXXX_add_index.py"), SpanKind::Skip("placeholder"));
        assert_eq!(classify("<name>.ts"), SpanKind::Skip("placeholder"));
        // From a real TODO: a report whose date is not known yet.
        assert_eq!(
            classify(".archive/reports/v0.8/blockX-mac-validation-2026-04-YY.md"),
            SpanKind::Skip("placeholder")
        );
        assert_ne!(classify("docs/2026-04-12-notes.md"), SpanKind::Skip("placeholder"));
        assert_eq!(classify("https://x.dev/a"), SpanKind::Skip("url"));
        assert_eq!(
            classify("get_llm_provider()"),
            SpanKind::Call("get_llm_provider".into())
        );
        assert_eq!(classify("ChatService"), SpanKind::Identifier("ChatService".into()));
        assert_eq!(
            classify("ANTHROPIC_API_KEY"),
            SpanKind::Identifier("ANTHROPIC_API_KEY".into())
        );
        assert_eq!(classify("Settings"), SpanKind::Prose, "one capital: a word");
        assert_eq!(classify("cargo test"), SpanKind::Prose);
    }

    #[test]
    fn roles_from_the_words_around_a_span() {
        // dev48 (Arata5963/mitadake): Japanese particles after the name say where the
        // work goes; a name alone before its verb is what the item makes or removes.
        let block = "`app/controllers/posts_controller.rb` からカテゴリ絞り込み削除";
        assert_eq!(role("", " からカテゴリ絞り込み削除", block, false), Role::Location);
        let block = "`Gemfile` に `activity_notification` 追加";
        assert_eq!(
            role("", " に `activity_notification` 追加", block, false),
            Role::Location
        );
        assert_eq!(
            role("", " を更新", "`app/models/user.rb` を更新", false),
            Role::Location
        );
        assert_eq!(role("", " 作成", "`app/views/a.html.erb` 作成", false), Role::Subject);
        assert_eq!(role("", " 削除", "`legacy.rb` 削除", false), Role::Removed);
        // test45 (zeebooksalot/booksweeps-new): the two sides of a merge.
        let block = "Merge `ErrorBoundary.tsx` and `AuthorErrorBoundary.tsx` into unified system";
        assert_eq!(
            role(
                "Merge ",
                " and `AuthorErrorBoundary.tsx` into unified system",
                block,
                false
            ),
            Role::Example
        );
        assert_eq!(
            role("Merge `ErrorBoundary.tsx` and ", " into unified system", block, false),
            Role::Example
        );
        assert_ne!(
            role("Merge ", " with care", "Merge `a.py` with care", false),
            Role::Example
        );
        // dev48 (bgozlinski/tibiantis-bot-scraper): two options, neither claimed.
        let block = "Create `a.py` (using FastAPI `BackgroundTasks` or `APScheduler`)";
        assert_eq!(
            role("Create `a.py` (using FastAPI ", " or `APScheduler`)", block, false),
            Role::Example
        );
        // dev20 (appthrust/kany8s): the files a step touches.
        assert_eq!(
            role("Touch: ", "", "Touch: `internal/controller/x_controller.go`", false),
            Role::Location
        );
        // dev20 (appthrust/kany8s): a file made only if needed.
        assert_eq!(
            role(
                "Touch: `internal/controller/x_controller.go`, (必要なら) ",
                " (new)",
                "Touch: `internal/controller/x_controller.go`, (必要なら) `internal/capi/template.go` (new)",
                false
            ),
            Role::Example
        );
        assert_eq!(
            role(
                "Add retries (if needed) to ",
                "",
                "Add retries (if needed) to `a.rs`",
                false
            ),
            Role::Location
        );
        // dev20 (ibucketbranch/PRDTool): where a change goes, in parentheses.
        assert_eq!(
            role(
                "Add debouncing to Document Browser search input (",
                ")",
                "Add debouncing to Document Browser search input (`dashboard/app/browse/page.tsx`)",
                false
            ),
            Role::Location
        );
        assert_eq!(
            role(
                "Create the browse page (",
                ")",
                "Create the browse page (`app/browse/page.tsx`)",
                false
            ),
            Role::Subject
        );
        // dev20 (ibucketbranch/PRDTool): an unticked step that stores things as an
        // existing type does not claim the type.
        assert_eq!(
            role(
                "After scatter detection, run dedup; add proposals as ",
                " with `action_type=\"dedup_archive\"`",
                "After scatter detection, run dedup; add proposals as `ProposedAction` with …",
                false
            ),
            Role::Location
        );
        // dev14 (awaterhouse1819/Prompt69): the exception to a "not yet" exists.
        let block = "API surface is not yet implemented beyond auth (`src/app/api/auth/[...nextauth]/route.ts` only).";
        assert_eq!(
            role(
                "API surface is not yet implemented beyond auth (",
                " only).",
                block,
                false
            ),
            Role::Location
        );
        assert_eq!(role("Everything except ", " is done", "", false), Role::Location);
        // dev15 (DeevsDeevs/kazo): what a new function replaces is gone.
        let block = "Replace all hardcoded `\"EUR\"` with `get_base_currency(chat_id)`. `convert_to_base()` replaces `convert_to_eur()`.";
        let at = block.find("`convert_to_eur").unwrap();
        assert_eq!(role(&block[..at], ".", block, false), Role::Removed);
        let block = "Research a Go Markdown AST library (e.g., `yuin/goldmark`).";
        assert_eq!(
            role("Research a Go Markdown AST library (e.g., ", ").", block, false),
            Role::Example
        );
        assert_eq!(
            role("Prompts: `manifoldco/promptui` or ", ".", "", false),
            Role::Example
        );
        assert_eq!(role("Styling: ", " or similar.", "", false), Role::Example);
        // dev31 (Figuu/cemse): the task template's note names two example files.
        assert_eq!(
            role(
                "Unit tests sit beside the code (e.g., `MyComponent.tsx` and ",
                " in the same directory).",
                "",
                false
            ),
            Role::Example
        );
        // dev13 (spanexx/repomap): a worked example, and patterns a matcher handles.
        let block = "Example: `github.com/user/repo/pkg/utils` → `pkg/utils/...`";
        assert_eq!(role("Example: ", " → `pkg/utils/...`", block, false), Role::Example);
        let block = "**Example:** Given `.gitignore` with `vendor/` and `*_test.go`:";
        assert_eq!(
            role("**Example:** Given `.gitignore` with ", " and", block, false),
            Role::Example
        );
        let block = "Handles common patterns (`node_modules/`, `*.pyc`, `build/`)";
        assert_eq!(
            role("Handles common patterns (`node_modules/`, `*.pyc`, ", ")", block, false),
            Role::Example
        );
        // dev13 (Dpothier/tabletop-workshop): the steps of a flow, not a rename (what the
        // loop uses, so a place, not what it creates).
        let block = "Continuous turn loop using `processTurn()` → `getNextActor()` → execute → `advanceEntity()`";
        assert_eq!(
            role(
                "Continuous turn loop using ",
                " → `getNextActor()` → execute → `advanceEntity()`",
                block,
                false
            ),
            Role::Location
        );
        assert_eq!(role("", " → `new.rs`", "`old.rs` → `new.rs`", false), Role::Removed);
        // dev12 (jnyross/second-brain): a file written only on a condition.
        assert_eq!(role("Needs input: ", " (only when blocked)", "", false), Role::Example);
        assert_eq!(
            role("Fix SAML metadata in ", "", "Fix SAML metadata in `x`", false),
            Role::Location
        );
        assert_eq!(
            role("Extend ", " to cache", "Extend `public/sw.js` to cache", false),
            Role::Location
        );
        let block = "`categories` in all `Cargo.toml` manifests";
        assert_eq!(role("`categories` in all ", " manifests", block, false), Role::Location);
        assert_eq!(role("Remove ", "", "Remove `legacy.rs`", false), Role::Removed);
        // dev28 (maniartech/gocurl): a mapping keeps both names; a noun before
        // "removed" is what went, not the file.
        let block = "Legacy `RetryConfig` → `RetryPolicy` mapping (D5)";
        assert_ne!(
            role("Legacy ", " → `RetryPolicy` mapping (D5)", block, false),
            Role::Removed
        );
        let block = "Redaction unified; `verbose.go` dedup removed.";
        assert_ne!(
            role("Redaction unified; ", " dedup removed.", block, false),
            Role::Removed
        );
        assert_eq!(
            role("", " was removed.", "`verbose.go` was removed.", false),
            Role::Removed
        );
        // dev26 (arvesolland/ralph): a mapping shown on an example is no rename.
        let block = "Name derived from filename: `go-rewrite.md` → `go-rewrite`";
        assert_eq!(
            role("Name derived from filename: ", " → `go-rewrite`", block, false),
            Role::Example
        );
        assert_eq!(role("", " → `new.rs`", "`old.rs` → `new.rs`", false), Role::Removed);
        // dev28 (maniartech/gocurl): every name of the list in parentheses went.
        let block = "**Trim the public surface.** Removed the deprecated one-shot API (`Process`, `Execute`, the `Response` wrapper, `HandleOutput` — the library no longer writes stdout) and **unexported** the execution machinery in place (`createHTTPClient`)";
        for name in ["`Process`", "`Execute`", "`HandleOutput`"] {
            let at = block.find(name).unwrap();
            assert_eq!(
                role(&block[..at], &block[at + name.len()..], block, false),
                Role::Removed,
                "{name}"
            );
        }
        let at = block.find("`createHTTPClient`").unwrap();
        assert_ne!(role(&block[..at], ")", block, false), Role::Removed);
        // dev9 (Bitstream73/QuoteLog02): a response changed at an endpoint, a doc to read.
        let block = "Add pepper settings to GET `/api/settings` response";
        assert_eq!(
            role("Add pepper settings to GET ", " response", block, false),
            Role::Location
        );
        assert_eq!(role("Build pepper settings UI (see ", ")", "", false), Role::Location);
        // dev14 (caseyglarkin2-png/sales-agent): what a new thing builds on or is run against.
        assert_eq!(role("Create `admin.html` extending ", "", "", false), Role::Location);
        assert_eq!(
            role("Create smoke test that loads ", " and checks title", "", false),
            Role::Location
        );
        assert_eq!(
            role("Add a client using the existing ", " helper", "", false),
            Role::Location
        );
        assert_eq!(role("Create ", " extending `base.html`", "", false), Role::Subject);
        // pool (arnaugonzalez/emotionai-api, LRiceCooker/crabase, Encryptabit/Code2Obsidian).
        assert_eq!(
            role("Research: review ", ", API route contracts", "", false),
            Role::Location
        );
        assert_eq!(
            role("If a test is flaky (passes sometimes), add proper ", "", "", false),
            Role::Example
        );
        assert_eq!(role("Split ", " (773 lines) into: ", "", false), Role::Example);
        assert_eq!(role("tags appear prefixed with ", " and", "", false), Role::Example);
        // pool2 (bahadirgezer/charstack): a model named as where properties go.
        assert_eq!(
            role(
                "properties were omitted from the Phase 1 ",
                " model to keep the MVP simple",
                "",
                false
            ),
            Role::Location
        );
        assert_eq!(role("Add a ", " model", "Add a `Task` model", false), Role::Subject);
        // pool2 (bahadirgezer/charstack): a tag or branch name is a ref.
        assert_eq!(
            role("Target Date: February 8, 2026 Branch: main Git Tag: ", "", "", false),
            Role::Example
        );
        assert_eq!(role("Git Tags: Format ", " for all releases", "", false), Role::Example);
        assert_eq!(classify("release/vX.Y.Z"), SpanKind::Skip("placeholder"));
        assert_eq!(
            role("Add tags ", "", "Add tags `src/tags/mod.rs`", false),
            Role::Subject
        );
        let block = "remove standalone noteworthy section (`buildNoteworthySectionHtml` call in `renderHome`)";
        assert_eq!(
            role(
                "remove standalone noteworthy section (",
                " call in `renderHome`)",
                block,
                false
            ),
            Role::Location
        );
        // dev9 (Olay097056/thai-lottery-stats): "deleted after recording the results here".
        assert_eq!(
            role("prototype search (", ", ลบแล้วหลังบันทึกผลที่นี่)", "", false),
            Role::Removed
        );
        // dev8 (opd-ai/go-conky): an unticked replacement whose old function still exists
        // is not done yet; the new one is what the item creates.
        let block = "Replace custom `exp()` with `math.Exp()`";
        assert_eq!(
            role("Replace custom ", " with `math.Exp()`", block, false),
            Role::Removed
        );
        assert_eq!(role("Replace custom `exp()` with ", "", block, false), Role::Subject);
        // dev24 (Addono/gh-attach): the configuration a migration left.
        let block = "Migrated from deprecated `vitest.workspace.ts` to `vitest.config.ts` with `test.projects`.";
        assert_eq!(
            role(
                "Migrated from deprecated ",
                " to `vitest.config.ts` with `test.projects`.",
                block,
                false
            ),
            Role::Removed
        );
        assert_eq!(
            role(
                "Migrated from deprecated `vitest.workspace.ts` to ",
                " with `test.projects`.",
                block,
                false
            ),
            Role::Location
        );
        // Moved to no named code: nothing says it is gone.
        assert_ne!(role("Moved from ", " to the new server.", "", false), Role::Removed);
        // pool (Preetkamboj54/dineflow): replaced by no named code, the file may stay.
        assert_eq!(
            role(
                "Goal: Replace the monolithic ",
                " with Tailwind CSS utility classes",
                "",
                false
            ),
            Role::Subject
        );
        // dev8 (DevMan57/indextts2-rust): the upstream file a port follows is not in this tree.
        assert_eq!(
            role("  - Reference: ", "", "Reference: `indextts/infer_v2.py`", false),
            Role::Example
        );
        assert_eq!(role("Create ", "", "Create `routes/chat.py`", false), Role::Subject);
        assert_eq!(role("", "", "`legacy.rs`", true), Role::Removed);
        let block = "`HelixLogo`/`HelixKitLogo` (identical duplicates) collapsed into `SiteLogo.svelte`";
        assert_eq!(
            role(
                "",
                "/`HelixKitLogo` (identical duplicates) collapsed into `SiteLogo.svelte`",
                block,
                false
            ),
            Role::Removed
        );
        assert_eq!(
            role(
                "`HelixLogo`/`HelixKitLogo` (identical duplicates) collapsed into ",
                "",
                block,
                false
            ),
            Role::Location
        );
        let block = "renamed T014 paths (`_mvp_variables.scss` → `_bootstrap_variables.scss`)";
        assert_eq!(
            role("renamed T014 paths (", " → `_bootstrap_variables.scss`)", block, false),
            Role::Removed
        );
    }

    /// Lines of Nsomnia/chadvis-projectm-qt's AGENTS.md (test29, read after its figures
    /// were reported): a removal of two files, a removal followed by what stays, and a
    /// study of options.
    #[test]
    fn removals_name_their_list_and_studies_name_options() {
        let block =
            "Migrate Overlays: Delete `OverlayRenderer.cpp` and `OverlayEngine.cpp`. Moving overlay rendering to QML.";
        let at = block.find("`OverlayEngine").unwrap_or_default();
        let code = "OverlayEngine.cpp";
        let after = &block[at + code.len() + 2..];
        assert_eq!(
            role_of(&classify(code), code, &block[..at], after, block, false),
            Role::Removed
        );
        let block = "Remove Redundant Audio Sources: Remove `FFmpegAudioSource.cpp`. Rely on `QMediaPlayer` + `QAudioBufferOutput` or miniaudio.";
        let at = block.find("`QAudioBufferOutput").unwrap_or_default();
        let code = "QAudioBufferOutput";
        assert_ne!(
            role_of(&classify(code), code, &block[..at], " or miniaudio.", block, false),
            Role::Removed
        );
        let block = "Consolidate Metadata Parsing: Investigate dropping `TagLib` and relying on Qt's native `QMediaMetaData` to reduce dependencies.";
        for code in ["TagLib", "QMediaMetaData"] {
            let at = block.find(&format!("`{code}`")).unwrap_or_default();
            let after = &block[at + code.len() + 2..];
            assert_eq!(
                role_of(&classify(code), code, &block[..at], after, block, false),
                Role::Example,
                "{code}"
            );
        }
        assert_eq!(classify("openai/gpt-4.1"), SpanKind::Skip("model"));
        assert!(matches!(classify("google/search.py"), SpanKind::Paths(_)));
    }
}
