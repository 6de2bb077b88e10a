//! Finding what a claim names in a tree, as a reader would: a bare or package-relative
//! file name by a unique path suffix, a URL route in the framework's own route
//! definitions, an identifier by its definition (or any mention) in the code.
//!
//! Everything beyond a direct lookup is built lazily, once per check, and bounded: a
//! tree too large to scan leaves the answer **undecided**, never drift.

use super::check::{TreeView, Unreadable};
use super::ignored::Ignores;
use super::routes::{Fit, Seg, expand_alternatives, file_routes, parse_route, segments_match, segments_match_joined};
use regex::Regex;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Source bytes read at most to index routes and identifiers.
const MAX_SCAN_BYTES: u64 = 64 << 20;
/// Source files read at most.
const MAX_SCAN_FILES: usize = 20_000;
/// Candidates listed for an ambiguous name.
const MAX_CANDIDATES: usize = 5;

/// Directories whose files are not the project's own.
const VENDORED: &[&str] = &[
    "node_modules/",
    "vendor/",
    "third_party/",
    ".git/",
    "dist/",
    "build/",
    "target/",
    ".next/",
    "__pycache__/",
    ".venv/",
    "venv/",
];

/// Files that name a project's dependencies.
const MANIFESTS: &[&str] = &[
    "go.mod",
    "package.json",
    "Cargo.toml",
    "pyproject.toml",
    "requirements.txt",
    "Gemfile",
    "composer.json",
    "mix.exs",
    "build.gradle",
    "pom.xml",
];

/// Extensions of source files scanned for routes and identifiers.
const SOURCE: &[&str] = &[
    "rs",
    "ts",
    "tsx",
    "js",
    "jsx",
    "mjs",
    "cjs",
    "py",
    "go",
    "java",
    "kt",
    "rb",
    "cs",
    "swift",
    "php",
    "ex",
    "exs",
    "svelte",
    "vue",
    "scala",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "yml",
    "yaml",
    "toml",
    "json",
    "ini",
    "cfg",
    "sql",
    "sh",
    "gradle",
    "xml",
    "scss",
    "css",
    "html",
    "env",
    "tf",
    "proto",
    "dart",
    "kts",
    "m",
    "mm",
    "plist",
    "bash",
    "zsh",
    "fish",
    "ps1",
    "nim",
    "elm",
    "entitlements",
    "xcconfig",
    "lua",
    "hs",
    "ml",
    "erl",
    "clj",
    "jl",
    "r",
    "zig",
    "sol",
    "graphql",
    "gql",
    "prisma",
    "heex",
    "astro",
    "cmake",
    "qml",
    "lisp",
    "asd",
    "el",
    "scm",
    "rkt",
    "cljs",
    "cljc",
    "edn",
    "nix",
    "bzl",
    "groovy",
    "pl",
    "pm",
    "hcl",
    "cxx",
    "hh",
    "hxx",
];

/// Where a name was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// At this path (the evidence says how it was found).
    Here(String),
    /// Several places fit; none is chosen.
    Ambiguous(Vec<String>),
    /// Nowhere.
    Absent,
    /// Not at the path written, where an earlier commit had it: it lives here now.
    Moved(String),
    /// This tree cannot answer (too large to scan, or no route table it can read).
    Undecided(String),
    /// A file that would answer cannot be read (a partial clone lacks its blob).
    Unreadable(String),
}

#[derive(Default)]
struct Names {
    by_name: HashMap<String, Vec<String>>,
    /// Files in vendored directories, by name: found only by a path that names the
    /// vendored directory itself (`vendor/rendercv/cli/app.py`).
    vendored_by_name: HashMap<String, Vec<String>>,
    /// Source files by their name without its extension (`UserRolesTest`).
    by_stem: HashMap<String, Vec<String>>,
    /// Files by a snake_case stem (`path_resolution` for `path_resolution.red`): a
    /// plan names fixtures and migrations by it.
    by_snake_stem: HashMap<String, Vec<String>>,
    /// Files named with a leading timestamp or sequence number, by the rest of their
    /// name (`add_deadline_to_posts.rb` for `20251229034034_add_deadline_to_posts.rb`):
    /// a plan names migrations without the stamp their generator gives them.
    by_unstamped_name: HashMap<String, Vec<String>>,
    /// The last segment of every directory.
    dir_names: HashSet<String>,
    /// Every path, sorted: the entries starting with a prefix are one range.
    sorted: Vec<String>,
}

#[derive(Default)]
struct Code {
    /// Routes defined in code (`@app.get("/x")`, `router.post('/x')`), with their file.
    routes: Vec<(Vec<Seg>, String)>,
    /// Route prefixes (`APIRouter(prefix="/api")`, `app.use("/api", …)`).
    prefixes: Vec<Vec<Seg>>,
    /// Wanted identifiers defined, with the first file defining each.
    defined: HashMap<String, String>,
    /// Wanted identifiers mentioned, with the first file mentioning each.
    mentioned: HashMap<String, String>,
    /// The same, by lower-case name: a type named in a document is often used in the
    /// code by its property (`ScenePhase` → `scenePhase`).
    mentioned_any_case: HashMap<String, String>,
    /// Wanted snake_case names (lower case, without underscores) mentioned in camelCase:
    /// `last_cycle`, a JSON field, is `lastCycle` in the TypeScript that serves it.
    mentioned_camel: HashMap<String, String>,
    /// Wanted names found inside a string literal of the code (`"leases.json"`,
    /// `"log/slog"`), with the first file.
    quoted: HashMap<String, String>,
    /// Wanted routes written whole in a string literal of server code (`"/metrics/health"
    /// => …` in a hand-written Rust router), with the first file.
    route_literals: HashMap<String, String>,
    /// Wanted slash-joined names found as a bare token of the code (`{aio/map handle}`,
    /// `(test/run-async …)`: Lisp-family names), with the first file.
    slash_names: HashMap<String, String>,
    /// String literals with a slash that are not routes the code serves: URLs it
    /// requests (`f"{API_BASE}/Location/Constituency/{id}"`), by their `/`-separated
    /// words, with the file.
    requests: Vec<(Vec<String>, String)>,
    /// Whether every source file was read.
    complete: bool,
    /// A file that could not be read, if any.
    unreadable: Option<String>,
}

/// Lookups against one tree.
pub struct Resolver<'a> {
    tree: &'a dyn TreeView,
    wanted: HashSet<String>,
    wanted_quoted: HashSet<String>,
    names: OnceCell<Names>,
    file_routes: OnceCell<Vec<(Vec<Seg>, String)>>,
    code: OnceCell<Code>,
    manifests: OnceCell<String>,
    ignores: OnceCell<Ignores>,
    /// Source files of the tree, vendored ones too, in the tree's order.
    sources: OnceCell<Vec<String>>,
}

impl<'a> Resolver<'a> {
    /// A resolver over `tree`; `wanted` are the identifiers claims will ask about, and
    /// `wanted_quoted` the paths whose absence may mean they are the program's own
    /// runtime files or import paths (looked for in the code's string literals).
    pub fn new(tree: &'a dyn TreeView, wanted: HashSet<String>, wanted_quoted: HashSet<String>) -> Resolver<'a> {
        Resolver {
            tree,
            wanted,
            wanted_quoted,
            names: OnceCell::new(),
            file_routes: OnceCell::new(),
            code: OnceCell::new(),
            manifests: OnceCell::new(),
            ignores: OnceCell::new(),
            sources: OnceCell::new(),
        }
    }

    /// A path as written, else the unique path of the tree ending in it (the PRD's own
    /// directory first), else a dependency the manifests name.
    pub fn path(&self, path: &str, prd_dir: &str) -> Found {
        self.path_as(path, prd_dir, false)
    }

    /// [`Self::path`], for a path written as a directory (`cmd/ralph/`) when
    /// `written_as_directory`: its words are not read as names joined by slashes.
    pub fn path_as(&self, path: &str, prd_dir: &str, written_as_directory: bool) -> Found {
        if self.tree.exists(path) {
            return Found::Here(path.to_owned());
        }
        if !prd_dir.is_empty() {
            let local = format!("{prd_dir}/{path}");
            if self.tree.exists(&local) {
                return Found::Here(local);
            }
        }
        let names = self.names.get_or_init(|| self.index_names());
        let last = path.rsplit('/').next().unwrap_or(path);
        let suffix = format!("/{path}");
        fn ending<'n>(list: Option<&'n Vec<String>>, suffix: &str) -> Vec<&'n String> {
            list.into_iter().flatten().filter(|p| p.ends_with(suffix)).collect()
        }
        // A vendored copy counts when the path names its directory, or when no file of
        // the project's own ends so (`sample_generator.py` kept only under `vendor/`).
        let mut candidates = ending(names.by_name.get(last), &suffix);
        if is_vendored(path) || candidates.is_empty() {
            candidates.extend(ending(names.vendored_by_name.get(last), &suffix));
        }
        let local: Vec<&String> = candidates
            .iter()
            .copied()
            .filter(|p| !prd_dir.is_empty() && p.starts_with(&format!("{prd_dir}/")))
            .collect();
        match (candidates.as_slice(), local.as_slice()) {
            ([one], _) | (_, [one]) => return Found::Here((*one).clone()),
            ([], _) => {}
            (many, _) => return Found::Ambiguous(many.iter().take(MAX_CANDIDATES).map(|p| (*p).clone()).collect()),
        }
        // A migration named without its stamp, under the directory written if any.
        let written_dir = path.rsplit_once('/').map(|(dir, _)| (dir, format!("/{dir}")));
        let stamped: Vec<&String> = names
            .by_unstamped_name
            .get(last)
            .into_iter()
            .flatten()
            .filter(|p| match &written_dir {
                Some((dir, nested)) => p
                    .rsplit_once('/')
                    .is_some_and(|(d, _)| d == *dir || d.ends_with(nested.as_str())),
                None => true,
            })
            .collect();
        if let Some(found) = found_among(&stamped) {
            return found;
        }
        // `internal/controller/x_controller.go` for `internal/controller/controlplane/
        // x_controller.go`: the only file of that name, under the written directory, one
        // package deeper — found where a reader looking there finds it.
        if let Some((dir, _)) = path.rsplit_once('/')
            && super::spans::has_extension(path)
            && let [one] = names.by_name.get(last).map(Vec::as_slice).unwrap_or_default()
            && (one.starts_with(&format!("{dir}/")) || one.contains(&format!("/{dir}/")))
        {
            return Found::Here(one.clone());
        }
        // A dot-directory written without its dot (`storybook/main.ts`, `github/workflows`).
        if path.contains('/') && !path.starts_with('.') {
            let dotted = format!(".{path}");
            if let found @ (Found::Here(_) | Found::Ambiguous(_)) = self.path(&dotted, prd_dir) {
                return found;
            }
        }
        // `Testing/spec.md` for `openspec/specs/testing/spec.md`: written in another case,
        // as a case-insensitive file system (macOS, Windows) lets its author do. Only a
        // single such file is found.
        if path.contains('/') && path.bytes().any(|b| b.is_ascii_uppercase()) {
            let lower = suffix.to_lowercase();
            let mut candidates: Vec<&String> = [last.to_owned(), last.to_lowercase()]
                .iter()
                .filter_map(|name| names.by_name.get(name))
                .flatten()
                .filter(|p| p.to_lowercase().ends_with(&lower))
                .collect();
            candidates.dedup();
            if let [one] = candidates.as_slice() {
                return Found::Here((*one).clone());
            }
        }
        let extension = super::spans::has_extension(path);
        if path.contains('/') && !extension && self.manifests().contains(path) {
            return Found::Here(format!("a dependency in the manifests ({path})"));
        }
        // `ruamel.yaml`, `socket.io`: a package named like a file, listed as one.
        if !path.contains('/') && listed_as_dependency(self.manifests(), path) {
            return Found::Here(format!("a dependency in the manifests ({path})"));
        }
        if !extension && let Some(entry) = self.by_prefix(path) {
            return Found::Here(entry);
        }
        if !extension
            && path.contains('/')
            && let Some(found) = self.by_stem(path)
        {
            return found;
        }
        // A program reads and writes data by path; its own source it imports, and an
        // import of a file that is not there is as broken as the claim (dev31: a setup
        // script's list of the files it expects).
        let own_source = path.contains('/') && is_program_source(path);
        if !own_source && let Some(file) = self.quoted(path) {
            return Found::Undecided(format!(
                "not in the tree, but a string in {file}: a file the program itself reads or writes, or an import path"
            ));
        }
        if !extension && let Some(file) = self.code().slash_names.get(path) {
            return Found::Undecided(format!(
                "not in the tree, but a name in the code of {file}: a name, not a path"
            ));
        }
        if is_system_header(path) {
            return Found::Undecided(
                "a system header (the C library's or the OS's), not a file of this tree".to_owned(),
            );
        }
        // Only local state and build output are excused by being ignored, so only for
        // them are the `.gitignore` files read.
        if local_or_generated(path) {
            let ignores = self.ignores.get_or_init(|| {
                let files = names.by_name.get(".gitignore").map(Vec::as_slice).unwrap_or_default();
                Ignores::read(self.tree, files)
            });
            if let Some(source) = ignores.ignoring(path) {
                return Found::Undecided(format!(
                    "not in the tree, and ignored by {source}: a local file, never committed"
                ));
            }
            if let Some(why) = ignores.unreadable_above(path) {
                return Found::Unreadable(format!("whether the repository ignores it: {why}"));
            }
        }
        let first = path.split('/').next().unwrap_or(path);
        if path.contains('/') && is_host(first) && !names.dir_names.contains(first) {
            return Found::Undecided(format!("`{first}` is a host name: a URL, not a path of this tree"));
        }
        // Slash-joined words with no extension whose first names no directory of the
        // tree: a path would start at a directory, so these read as something else.
        let not_from_a_directory = !extension && path.contains('/') && !names.dir_names.contains(first);
        let words_not_a_path = not_from_a_directory && !written_as_directory;
        if not_from_a_directory && first.chars().any(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return Found::Undecided(format!(
                "`{first}` is no directory of this tree: a pair of names or an outside id, not a path"
            ));
        }
        // `status.ready/endpoint`, `metadata.name/namespace`: a field and its siblings
        // (a dotted name no directory bears, with no file extension), not a path.
        if not_from_a_directory
            && first.contains('.')
            && first
                .split('.')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            return Found::Undecided(format!(
                "`{first}` is a dotted name no directory bears: fields joined by slashes, not a path"
            ));
        }
        // `upstream/main`, `origin/feature-x`: a branch of a remote.
        if not_from_a_directory && matches!(first, "origin" | "upstream") {
            return Found::Undecided(format!("`{path}` is a branch of the remote `{first}`, not a path"));
        }
        // Words joined by slashes that no directory of the tree is named after:
        // alternatives (`question/complete/update/delete`, `try/except`), not a path. Two
        // words only when they are a known pair: `scripts/deploy` may be a directory the
        // document promised.
        const PAIRS: &[&str] = &[
            "try/except",
            "try/catch",
            "async/await",
            "if/else",
            "get/set",
            "read/write",
            "yes/no",
            "true/false",
            "on/off",
            "open/close",
            "start/stop",
            "before/after",
            "push/pull",
            "import/export",
            "encode/decode",
            "login/logout",
            "signin/signup",
            "show/hide",
            "enable/disable",
            "add/remove",
            "create/delete",
        ];
        let segments: Vec<&str> = path.split('/').collect();
        // One word of several may happen to name a directory (`ready/endpoint/reason/message`
        // in a tree with an `endpoint` directory); the first one may not, as a path would
        // start there.
        let directories = segments.iter().filter(|s| names.dir_names.contains(**s)).count();
        if (segments.len() >= 3 && directories <= 1 || PAIRS.contains(&path) && directories == 0)
            && words_not_a_path
            && segments
                .iter()
                .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase()))
        {
            return Found::Undecided(format!(
                "no directory of this tree is named `{first}` or any of the other words: alternatives, not a path"
            ));
        }
        // `ruff/flake8`, `eslint/prettier`: checkers a reader may run, one or the other.
        let checks = crate::collect::Catalogue::default();
        if words_not_a_path
            && directories == 0
            && segments.len() >= 2
            && segments
                .iter()
                .all(|s| !s.is_empty() && !checks.recognize(s).is_empty())
        {
            return Found::Undecided(format!(
                "`{path}` names checkers joined by slashes (one or the other), not a path"
            ));
        }
        // `reason/message/kubeconfigSecretRef`, `ready/endpoint`: names the code uses,
        // joined by slashes, where no directory is named after the first.
        if words_not_a_path
            && segments
                .iter()
                .all(|s| super::spans::is_identifier(s) && matches!(self.mentioned(s), Found::Here(_)))
        {
            return Found::Undecided(format!(
                "no directory of this tree is named `{first}`, and the code uses each word: names joined by slashes, not a path"
            ));
        }
        Found::Absent
    }

    /// The source file(s) whose path without its extension ends in `path`
    /// (`Filament/UserRolesTest` for `tests/Feature/Filament/UserRolesTest.php`): `None`
    /// when there is none.
    fn by_stem(&self, path: &str) -> Option<Found> {
        let names = self.names.get_or_init(|| self.index_names());
        let last = path.rsplit('/').next().unwrap_or(path);
        let suffix = format!("/{path}");
        let fits = |p: &&String| {
            let stem = p.rsplit_once('.').map_or(p.as_str(), |(s, _)| s);
            stem == path || stem.ends_with(&suffix)
        };
        let candidates: Vec<&String> = names.by_stem.get(last)?.iter().filter(fits).collect();
        found_among(&candidates)
    }

    /// The one entry of the named directory whose name starts with the last segment and
    /// a separator: `docs/01` for `docs/01-overview.md`.
    fn by_prefix(&self, path: &str) -> Option<String> {
        let (dir, stem) = path.rsplit_once('/').unwrap_or(("", path));
        if stem.is_empty() || (!dir.is_empty() && !self.tree.exists(dir)) {
            return None;
        }
        let names = self.names.get_or_init(|| self.index_names());
        let prefix = if dir.is_empty() {
            stem.to_owned()
        } else {
            format!("{dir}/{stem}")
        };
        let start = names.sorted.partition_point(|p| p.as_str() < prefix.as_str());
        let mut matches = names.sorted[start..]
            .iter()
            .take_while(|p| p.starts_with(&prefix))
            .filter(|p| {
                let rest = &p[prefix.len()..];
                rest.starts_with(['-', '_', '.']) && !rest.contains('/')
            });
        match (matches.next(), matches.next()) {
            (Some(one), None) => Some(one.clone()),
            _ => None,
        }
    }

    /// The first source file holding `name` inside a string literal, when `name` was
    /// asked for.
    /// A command (`KEYS`) the code handles: a string literal of its name, in upper or
    /// lower case.
    pub fn command(&self, name: &str) -> Found {
        match self.quoted(name).or_else(|| self.quoted(&name.to_ascii_lowercase())) {
            Some(file) => Found::Here(file),
            None => Found::Absent,
        }
    }

    fn quoted(&self, name: &str) -> Option<String> {
        if !self.wanted_quoted.contains(name) {
            return None;
        }
        self.code().quoted.get(name).cloned()
    }

    fn index_names(&self) -> Names {
        // Languages whose files are named after what they hold, so a document names them
        // by it (`UserRolesTest`, `Filament/UserRolesTest`).
        const CLASS_FILES: &[&str] = &[
            "php", "java", "kt", "cs", "swift", "scala", "rb", "py", "ts", "tsx", "js", "jsx", "go", "rs", "ex", "exs",
            "dart", "vue", "svelte", "m", "mm",
        ];
        let mut names = Names::default();
        self.tree.for_each_entry(&mut |path, is_dir| {
            let last = path.rsplit('/').next().unwrap_or(path);
            // What the project put away is found only by a path that names where.
            if is_archived(path) {
                return;
            }
            if is_vendored(path) {
                names
                    .vendored_by_name
                    .entry(last.to_owned())
                    .or_default()
                    .push(path.to_owned());
                return;
            }
            if is_dir {
                names.dir_names.insert(last.to_owned());
            }
            names.by_name.entry(last.to_owned()).or_default().push(path.to_owned());
            if !is_dir
                && let Some((stem, ext)) = last.rsplit_once('.')
                && CLASS_FILES.contains(&ext)
            {
                names.by_stem.entry(stem.to_owned()).or_default().push(path.to_owned());
            }
            if !is_dir
                && let Some((stem, _)) = last.split_once('.')
                && stem.contains('_')
                && stem
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                names
                    .by_snake_stem
                    .entry(stem.to_owned())
                    .or_default()
                    .push(path.to_owned());
            }
            if !is_dir && let Some(rest) = unstamped(last) {
                names
                    .by_unstamped_name
                    .entry(rest.to_owned())
                    .or_default()
                    .push(path.to_owned());
            }
            names.sorted.push(path.to_owned());
        });
        names.sorted.sort();
        for list in names.by_name.values_mut().chain(names.by_stem.values_mut()) {
            list.sort();
        }
        names
    }

    /// A package the manifests list as a dependency (`openai-edge`, `@types/uuid`;
    /// Python's `-` and `_` are one).
    pub fn package(&self, name: &str) -> Found {
        let manifests = self.manifests();
        if manifests.is_empty() {
            return Found::Undecided("no package manifest in the tree".to_owned());
        }
        let spellings = [name.to_owned(), name.replace('-', "_"), name.replace('_', "-")];
        if spellings.iter().any(|n| listed_as_dependency(manifests, n)) {
            Found::Here("a dependency in the manifests".to_owned())
        } else {
            Found::Absent
        }
    }

    fn manifests(&self) -> &str {
        self.manifests.get_or_init(|| {
            let mut text = String::new();
            self.tree.for_each_entry(&mut |path, is_dir| {
                let name = path.rsplit('/').next().unwrap_or(path);
                if !is_dir
                    && MANIFESTS.contains(&name)
                    && path.matches('/').count() <= 2
                    && !is_vendored(path)
                    && let Ok(Some(bytes)) = self.tree.read(path)
                {
                    text.push_str(&String::from_utf8_lossy(&bytes));
                    text.push('\n');
                }
            });
            text
        })
    }

    /// A URL route in the framework's route files (Next.js, SvelteKit, Remix, pages
    /// routers) or in route definitions in code (FastAPI, Flask, Express, Hono, Django,
    /// Rails, Go routers). `context` is the claim's text: a one-segment route no
    /// definition has is undecided unless the text speaks of routes (`/review` may be a
    /// slash command).
    pub fn route(&self, route: &str, context: &str) -> Found {
        // `/api/recordings/{start,stop}` is two routes; both must be there.
        let variants = expand_alternatives(route);
        if variants.len() > 1 {
            let mut found = Vec::new();
            for variant in &variants {
                match self.route(variant, context) {
                    Found::Here(at) => found.push(at),
                    other => return other,
                }
            }
            found.dedup();
            return Found::Here(found.join(", "));
        }
        static ROUTE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                // HTTP methods in capitals only: "delete last one", "get the user" are prose.
                r"(?i)\b(routes?|pages?|endpoints?|url|api|redirects?|screens?|views?)\b|(?-i:\b(?:GET|POST|PUT|PATCH|DELETE)\b)",
            )
            .expect("static regex")
        });
        // "`/connect` command for API keys", "the `/review` slash command", "with `/lines`
        // refinement" (a Rebol function's option, dev29).
        static SLASH_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)`/[\w-]+`\s+(?:slash\s+)?(?:commands?|refinements?|options?|flags?|switch(?:es)?|modifiers?)\b|\bslash[- ]commands?\b").expect("static regex")
        });
        let wanted = parse_route(route);
        let file_routes = self.file_routes.get_or_init(|| self.index_file_routes());
        let code = self.code();
        if let Some(file) = code.unreadable.as_ref().filter(|_| !code.complete) {
            return Found::Unreadable(file.clone());
        }
        if let Some(file) = self.defining(&wanted, Fit::Exact) {
            return Found::Here(file.to_owned());
        }
        // `/api/v1/books` served by `@router.post("/")` under `prefix="/books"`, the
        // `/api/v1` mount set from configuration (`settings.API_V1_STR`; dev42, voj).
        if let Some(file) = self.under_an_api_mount(&wanted) {
            return Found::Here(format!("{file} (under an API mount the code configures)"));
        }
        if let Some(file) = code.route_literals.get(route) {
            return Found::Here(format!("{file} (the route written whole in the code)"));
        }
        // `/dashboard/portfolio` served by `dashboard/[repoId]`: the page the document
        // names may be that parameter's value, or not be there at all.
        if let Some(file) = self.defining(&wanted, Fit::ParamsTakeWords) {
            return Found::Undecided(format!("only a route with parameters matches it ({file})"));
        }
        let has_router = !file_routes.is_empty() || !code.routes.is_empty();
        if !code.complete {
            Found::Undecided("the tree is too large to read every route".to_owned())
        } else if !has_router {
            Found::Undecided("no route definitions this tool reads".to_owned())
        } else if wanted.is_empty() {
            // "Command parsing (`/` trigger)": the key as often as the root page.
            Found::Undecided("`/` alone: the root page, or the key that opens a menu".to_owned())
        } else if wanted.len() == 1 && SLASH_COMMAND.is_match(context) {
            Found::Undecided("one segment said to be a command or an option: not a route".to_owned())
        } else if wanted.len() == 1 && !ROUTE_WORDS.is_match(context) {
            Found::Undecided("one segment, not said to be a route (a slash command?)".to_owned())
        } else if served_by_a_library(route) {
            Found::Undecided("a route frameworks and libraries serve without one in the code (FastAPI's docs, a Prometheus exporter)".to_owned())
        } else if let Some(file) = requested(&code.requests, &wanted) {
            Found::Undecided(format!(
                "a URL the code requests ({file}): an API the program calls, not one it serves"
            ))
        } else {
            Found::Absent
        }
    }

    /// The file defining a route that `wanted` fits: a route file, or a route in the code
    /// (alone, under a mount prefix, as a suffix, or without its trailing parameters).
    fn defining(&self, wanted: &[Seg], fit: Fit) -> Option<&str> {
        // A catch-all at the root (`<Route path="*">`, the not-found page) takes every
        // URL a browser asks for, never an API's: it tells nothing of `/api/…`.
        let api = wanted.first() == Some(&Seg::Lit("api".to_owned()));
        let fallback_page = |defined: &[Seg]| api && defined.first() == Some(&Seg::CatchAll);
        let matches = |w: &[Seg], d: &[Seg]| segments_match(w, d, fit);
        let file_routes = self.file_routes.get_or_init(|| self.index_file_routes());
        if let Some((_, file)) = file_routes
            .iter()
            .find(|(r, _)| !fallback_page(r) && matches(wanted, r))
        {
            return Some(file);
        }
        let code = self.code();
        for (defined, file) in &code.routes {
            if fallback_page(defined) {
                continue;
            }
            let with_prefix = code
                .prefixes
                .iter()
                .any(|p| segments_match_joined(wanted, p, defined, fit));
            let by_suffix = defined.len() >= 2
                && wanted.len() >= defined.len()
                && matches(&wanted[wanted.len() - defined.len()..], defined);
            // Documents often leave out a route's trailing parameters (`/stop` for `/stop/{id}`).
            let by_trailing_params = wanted.len() >= 2
                && defined.len() > wanted.len()
                && defined[wanted.len()..].iter().all(|s| *s == Seg::Param)
                && matches(wanted, &defined[..wanted.len()]);
            if matches(wanted, defined) || with_prefix || by_suffix || by_trailing_params {
                return Some(file);
            }
        }
        None
    }

    /// The server file defining a route once its leading `api` and version segments
    /// (`/api/v1`) are taken as a mount the code sets elsewhere. Route files (pages) are
    /// not searched, so a page `/books` does not stand for the API `/api/books`; routes in
    /// code are taken from server languages, and from JavaScript or TypeScript only
    /// under a path that says server or API (an Express server), not from a client
    /// router.
    fn under_an_api_mount(&self, wanted: &[Seg]) -> Option<&str> {
        let mount = wanted
            .iter()
            .take_while(|s| match s {
                Seg::Lit(word) => word == "api" || is_version(word),
                _ => false,
            })
            .count();
        let rest = &wanted[mount..];
        if mount == 0 || rest.is_empty() {
            return None;
        }
        let code = self.code();
        code.routes
            .iter()
            .filter(|(_, file)| !is_client_code(file) || file.contains("server") || file.contains("api"))
            .find(|(defined, _)| {
                segments_match(rest, defined, Fit::Exact)
                    || code
                        .prefixes
                        .iter()
                        .any(|p| segments_match_joined(rest, p, defined, Fit::Exact))
            })
            .map(|(_, file)| file.as_str())
    }

    fn index_file_routes(&self) -> Vec<(Vec<Seg>, String)> {
        let mut routes = Vec::new();
        self.tree.for_each_entry(&mut |path, is_dir| {
            if !is_dir && !is_vendored(path) {
                for route in file_routes(path) {
                    routes.push((route, path.to_owned()));
                }
            }
        });
        routes.sort_by(|a, b| a.1.cmp(&b.1));
        routes
    }

    /// An identifier defined in the code (a definition line in a source file).
    pub fn defined(&self, name: &str) -> Found {
        if let Some(found) = self.qualified(name, true) {
            return found;
        }
        let code = self.code();
        match code.defined.get(name) {
            Some(file) => Found::Here(file.clone()),
            None => self.not_found(code, name),
        }
    }

    /// Whether a name an item removes or replaces is still there: defined, it is; only
    /// used (`HashMap`, `unwrap()`, defined elsewhere), which uses the item meant cannot
    /// be told; named nowhere, it is gone.
    pub fn removed(&self, name: &str) -> Found {
        let code = self.code();
        match (code.defined.get(name), code.mentioned.get(name)) {
            (Some(file), _) => Found::Here(file.clone()),
            (None, Some(file)) => Found::Undecided(format!(
                "used in {file} but defined elsewhere: which uses the item means cannot be told"
            )),
            (None, None) => self.not_found(code, name),
        }
    }

    /// An identifier mentioned anywhere in the code, in any case; a snake_case one also
    /// in camelCase.
    pub fn mentioned(&self, name: &str) -> Found {
        if let Some(found) = self.qualified(name, false) {
            return found;
        }
        let code = self.code();
        // In Go a name's first letter says whether it is exported: `CreateRequest` found
        // only as `createRequest` is another name, the one the item's was made into (dev28).
        let exported_go_name = name.starts_with(|c: char| c.is_ascii_uppercase());
        let any_case = || {
            code.mentioned_any_case
                .get(&name.to_ascii_lowercase())
                .or_else(|| code.mentioned_camel.get(&camel_key(name)))
                .filter(|file| !(exported_go_name && file.ends_with(".go")))
        };
        // The code before an environment template that declares the name.
        let in_code = |file: &&String| !is_env_template(file);
        match code
            .defined
            .get(name)
            .filter(in_code)
            .or_else(|| code.mentioned.get(name).filter(in_code))
            .or_else(any_case)
            .or_else(|| code.defined.get(name))
            .or_else(|| code.mentioned.get(name))
        {
            Some(file) => Found::Here(file.clone()),
            None => self.not_found(code, name),
        }
    }

    /// A name in its namespace (`Outer::Inner`): there when the code names the
    /// namespace and defines (or, when `defining` is false, mentions) the inner name, or
    /// defines it in a directory named for the namespace (Rails' `app/controllers/admin/`
    /// for `Admin::`); absent when the code never names the namespace and defines the
    /// name nowhere under such a directory (dev44: `Public::BlogsController`, whose
    /// controller is the top-level `BlogsController`). `None` for a plain name.
    fn qualified(&self, name: &str, defining: bool) -> Option<Found> {
        let (outer, inner) = name.split_once("::")?;
        let code = self.code();
        let defined = code.defined.get(inner);
        let inner_at = defined.or_else(|| (!defining).then(|| code.mentioned.get(inner)).flatten());
        let directory = format!("/{}/", snake_case(outer));
        let under_namespace = defined.filter(|file| file.contains(&directory) || file.starts_with(&directory[1..]));
        Some(
            match (
                code.mentioned.get(outer).or(code.defined.get(outer)),
                inner_at,
                under_namespace,
            ) {
                (_, _, Some(file)) => Found::Here(file.clone()),
                (Some(_), Some(file), _) => Found::Here(file.clone()),
                (Some(_), None, _) => self.not_found(code, inner),
                (None, _, None) => Found::Absent,
            },
        )
    }

    /// A name the code neither defines nor mentions: still, when it is a CamelCase name,
    /// the name of one source file (`UserSeederTest` for
    /// `tests/Feature/UserSeederTest.php`, a test file that declares no class), or absent.
    fn not_found(&self, code: &Code, name: &str) -> Found {
        let camel = name.chars().filter(char::is_ascii_uppercase).count() >= 2
            && name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().any(|c| c.is_ascii_lowercase());
        if camel && let Some(found) = self.by_stem(name) {
            return found;
        }
        // `new_command`: a Python package or module is its directory or file, vendored
        // ones too (`vendor/rendercv/cli/new_command/`).
        let names = self.names.get_or_init(|| self.index_names());
        if name.contains('_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            let module = [name.to_owned(), format!("{name}.py")];
            if let Some(path) = module
                .iter()
                .find_map(|m| names.by_name.get(m).or_else(|| names.vendored_by_name.get(m)))
                .or_else(|| names.by_snake_stem.get(name))
                .and_then(|l| l.first())
            {
                return Found::Here(path.clone());
            }
        }
        match (&code.unreadable, code.complete) {
            (Some(file), _) => Found::Unreadable(file.clone()),
            (None, false) => Found::Undecided("the tree is too large to read all of its code".to_owned()),
            (None, true) => Found::Absent,
        }
    }

    /// The tree's source files (by extension; vendored ones too), listed once.
    pub fn source_files(&self) -> &[String] {
        self.sources.get_or_init(|| {
            let mut files = Vec::new();
            self.tree.for_each_entry(&mut |path, is_dir| {
                if !is_dir && is_source(path) {
                    files.push(path.to_owned());
                }
            });
            files
        })
    }

    fn code(&self) -> &Code {
        self.code.get_or_init(|| self.index_code())
    }

    fn index_code(&self) -> Code {
        static ROUTE_CALL: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?:\.|@\w+\.|\b)(?:get|post|put|patch|delete|head|options|all|route|api_route|websocket|HandleFunc|Handle|GET|POST|PUT|PATCH|DELETE|Get|Post|Put|Patch|Delete|Any|path|re_path|match|MapGet|MapPost|MapPut|MapPatch|MapDelete|MapMethods|HttpGet|HttpPost|HttpPut|HttpPatch|HttpDelete|Route)\s*\(\s*r?["'`](/?[A-Za-z0-9_\-./{}<>:$\[\]]*)["'`]"#)
                .expect("static regex")
        });
        // Hunchentoot's `(define-easy-handler (flows :uri "/api/flows") …)` (test29).
        static KEYWORD_URI: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#":uri\s+"(/[A-Za-z0-9_\-./{}:]*)""#).expect("static regex"));
        static RAILS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?m)^\s*(?:get|post|put|patch|delete|match|root)\s+["'](/?[A-Za-z0-9_\-./:]*)["']"#)
                .expect("static regex")
        });
        // Client routers: React Router's `<Route path="/x">` and `{ path: '/x', … }`, Vue
        // Router's and Angular's route objects. A child's path is relative to its parent's
        // (`{ path: '/dosen', children: [{ path: 'saran' }] }`), so an absolute one is also
        // a prefix.
        static ROUTER_PATH: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?:<Route\b[^>]*?\bpath=\{?|\bpath\s*:\s*)["'`](/?[A-Za-z0-9_\-.:{}\[\]$*][A-Za-z0-9_\-./:{}\[\]$*]*|/)["'`]"#)
                .expect("static regex")
        });
        static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?:prefix\s*[=:]\s*|\.use\(\s*|\.route\(\s*|\.Route\(\s*|\.group\(\s*|Group\(\s*|scope\s+|Mount\(\s*|\.basePath\(\s*|MapGroup\(\s*)["'`](/[A-Za-z0-9_\-./{}:]*)["'`]"#)
                .expect("static regex")
        });
        static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?m)^\s*(?:export\s+)?(?:default\s+)?(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|static|abstract|final|public|private|protected|internal|open|data|sealed|declare|unsafe|const)\s+)*(?:def|class|fn|struct|enum|trait|type|interface|function\*?|const|let|var|func(?:\s*\([^)]*\))?|module|record|object|protocol|impl|mod|union)\s+([A-Za-z_][A-Za-z0-9_]*)|(?m)^([A-Z][A-Z0-9_]+)\s*(?::[^=\n]*)?=")
                .expect("static regex")
        });
        static LITERAL: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r#"["'`]([^"'`\s]{1,200})["'`]"#).expect("static regex"));
        static WORD: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"[A-Za-z_][A-Za-z0-9_]{3,}").expect("static regex"));
        let mut code = Code {
            complete: true,
            ..Code::default()
        };
        let mut files: Vec<String> = self
            .source_files()
            .iter()
            .filter(|path| !is_vendored(path) && !is_archived(path))
            .cloned()
            .collect();
        // Environment templates last: a name the code also holds is found in the code.
        files.sort_by(|a, b| (is_env_template(a), a).cmp(&(is_env_template(b), b)));
        if files.len() > MAX_SCAN_FILES {
            code.complete = false;
            files.truncate(MAX_SCAN_FILES);
        }
        // Lisp-family names joined by slashes, as bare tokens: `(fun {aio/map h f} …)`.
        static SLASH_NAME: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?:^|[\s({\['"])([A-Za-z*][\w\-*!?]*(?:/[\w\-*!?]+)+)(?:[\s)}\]'"]|$)"#)
                .expect("static regex")
        });
        let slash_wanted = self
            .wanted_quoted
            .iter()
            .any(|p| p.contains('/') && !super::spans::has_extension(p));
        let wanted_lower: std::collections::HashSet<String> =
            self.wanted.iter().map(|w| w.to_ascii_lowercase()).collect();
        let wanted_lengths: std::collections::HashSet<usize> = self.wanted.iter().map(String::len).collect();
        let wanted_snake: std::collections::HashSet<String> = self
            .wanted
            .iter()
            .filter(|w| w.trim_matches('_').contains('_'))
            .map(|w| camel_key(w))
            .collect();
        let snake_lengths: std::collections::HashSet<usize> = wanted_snake.iter().map(String::len).collect();
        let mut bytes_read = 0u64;
        for path in files {
            let text = match self.tree.read(&path) {
                Ok(Some(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
                Ok(None) => continue,
                Err(Unreadable(_)) => {
                    code.unreadable.get_or_insert(path);
                    code.complete = false;
                    continue;
                }
            };
            bytes_read += text.len() as u64;
            if bytes_read > MAX_SCAN_BYTES {
                code.complete = false;
                break;
            }
            // A test calls routes (`client.get("/metrics")`); it defines none.
            let definitions = if is_test_file(&path) {
                Vec::new()
            } else {
                // Route objects are a client router's, in the languages it is written in:
                // `path: "${DATA_DIR}/apps"` in a shell script's YAML is a directory.
                let router_paths: Vec<_> = if is_client_code(&path) {
                    ROUTER_PATH.captures_iter(&text).collect()
                } else {
                    Vec::new()
                };
                for caps in &router_paths {
                    let prefix = parse_route(&caps[1]);
                    if caps[1].starts_with('/') && !prefix.is_empty() && !code.prefixes.contains(&prefix) {
                        code.prefixes.push(prefix);
                    }
                }
                for route in nested_routes(&text) {
                    code.routes.push((parse_route(&route), path.clone()));
                }
                ROUTE_CALL
                    .captures_iter(&text)
                    .chain(RAILS.captures_iter(&text))
                    .chain(KEYWORD_URI.captures_iter(&text))
                    .chain(router_paths)
                    .collect()
            };
            for caps in definitions {
                let literal = &caps[1];
                if !literal.is_empty() && !literal.contains("://") {
                    let mut route = parse_route(literal);
                    // Go's ServeMux serves a whole subtree under a pattern ending in `/`:
                    // `mux.Handle("/api/parties/", h)` takes `/api/parties/{id}` (dev46).
                    if path.ends_with(".go")
                        && literal.len() > 1
                        && literal.ends_with('/')
                        && caps[0].contains("Handle")
                    {
                        route.push(Seg::CatchAll);
                    }
                    code.routes.push((route, path.clone()));
                }
            }
            for caps in PREFIX.captures_iter(&text) {
                let prefix = parse_route(&caps[1]);
                if !prefix.is_empty() && !code.prefixes.contains(&prefix) {
                    code.prefixes.push(prefix);
                }
            }
            // One pass over the string literals, for two lookups:
            // - what the program requests of another API: the words of URLs built on a
            //   base or a host (`f"{API_BASE}/x/y"`, `${base}/x/y`, `https://host/x/y`),
            //   not a path of its own (`fetch("/api/x")` asks its own server), outside
            //   tests (which call the routes the code serves). Bounded; only routes the
            //   code does not serve are looked up in them;
            // - wanted paths held in a string: the literal itself (`"log/slog"`), and a
            //   bare file name at its end (`"/data/leases.json"` names `leases.json`): a
            //   path with directories is not excused by a string holding only its last
            //   segment.
            let requests_here = !is_test_file(&path);
            for caps in LITERAL.captures_iter(&text) {
                let literal = &caps[1];
                let on_a_base = literal.starts_with(['{', '$']) || literal.starts_with("http");
                if on_a_base && requests_here && code.requests.len() < MAX_REQUEST_LITERALS {
                    let words: Vec<String> = literal
                        .split(['/', '?'])
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned)
                        .collect();
                    if words.len() >= 2 {
                        code.requests.push((words, path.clone()));
                    }
                }
                // Not in browser code, which requests its server's routes by the same
                // strings (`fetch("/api/x")`).
                // A constant assigned the string (`my $PAGE = "/pprof/contention";` in an
                // embedded client script) names a URL to request, not a route served
                // (dev43, cpp-remote-profiler).
                let whole = caps.get(0).map_or(0..0, |m| m.range());
                let assigned =
                    text[..whole.start].trim_end().ends_with('=') && text[whole.end..].trim_start().starts_with(';');
                if literal.starts_with('/')
                    && !assigned
                    && requests_here
                    && !is_client_code(&path)
                    && self.wanted_quoted.contains(literal)
                    && !code.route_literals.contains_key(literal)
                {
                    code.route_literals.insert(literal.to_owned(), path.clone());
                }
                if !self.wanted_quoted.is_empty() {
                    // `"artist/assets/"`: a directory the program reads, written with its slash.
                    let literal = match literal.trim_end_matches('/') {
                        "" => literal,
                        trimmed => trimmed,
                    };
                    let last = literal.rsplit('/').next().unwrap_or(literal);
                    for tail in [literal, last] {
                        if self.wanted_quoted.contains(tail) && !code.quoted.contains_key(tail) {
                            code.quoted.insert(tail.to_owned(), path.clone());
                        }
                    }
                }
            }
            if slash_wanted {
                for caps in SLASH_NAME.captures_iter(&text) {
                    let name = &caps[1];
                    if self.wanted_quoted.contains(name) && !code.slash_names.contains_key(name) {
                        code.slash_names.insert(name.to_owned(), path.clone());
                    }
                }
            }
            if self.wanted.is_empty() {
                continue;
            }
            for caps in DEFINITION.captures_iter(&text) {
                if let Some(name) = caps.get(1).or_else(|| caps.get(2)).map(|m| m.as_str())
                    && self.wanted.contains(name)
                {
                    code.defined.entry(name.to_owned()).or_insert_with(|| path.clone());
                }
            }
            // A function held by an object's property or a class field: a store's
            // actions, `createNewChat: () => {` (dev45), `onEvent = async (e) => {`.
            static PROPERTY_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"(?m)^\s*(?:(?:public|private|protected|static|readonly)\s+)*([A-Za-z_$][\w$]*)\s*(?::|=)\s*(?:async\s+)?(?:function\b|(?:\([^)\n]*\)|[A-Za-z_$][\w$]*)\s*(?::\s*[^=;\n]+)?=>\s*(?:[{(]|$))")
                    .expect("static regex")
            });
            if is_client_code(&path) {
                for caps in PROPERTY_FUNCTION.captures_iter(&text) {
                    if let Some(name) = caps.get(1).map(|m| m.as_str())
                        && self.wanted.contains(name)
                    {
                        code.defined.entry(name.to_owned()).or_insert_with(|| path.clone());
                    }
                }
            }
            // A shell function: `setup_temp_repo() {`, `function slug {`.
            static SHELL_FUNCTION: LazyLock<Regex> = LazyLock::new(|| {
                Regex::new(r"(?m)^\s*(?:function\s+([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*)\s*\(\)\s*\{?\s*$)")
                    .expect("static regex")
            });
            if path.ends_with(".sh") || path.ends_with(".bash") || path.ends_with(".zsh") {
                for caps in SHELL_FUNCTION.captures_iter(&text) {
                    if let Some(name) = caps.get(1).or_else(|| caps.get(2)).map(|m| m.as_str())
                        && self.wanted.contains(name)
                    {
                        code.defined.entry(name.to_owned()).or_insert_with(|| path.clone());
                    }
                }
            }
            for word in WORD.find_iter(&text) {
                let word = word.as_str();
                if self.wanted.contains(word) && !code.mentioned.contains_key(word) {
                    code.mentioned.insert(word.to_owned(), path.clone());
                }
                if wanted_lengths.contains(&word.len()) {
                    let lower = word.to_ascii_lowercase();
                    if wanted_lower.contains(&lower) && !code.mentioned_any_case.contains_key(&lower) {
                        code.mentioned_any_case.insert(lower, path.clone());
                    }
                }
                // `lastCycle` for `last_cycle`: camelCase, not a type's `DryRunStatus`.
                if snake_lengths.contains(&word.len())
                    && word.starts_with(|c: char| c.is_ascii_lowercase())
                    && word.contains(|c: char| c.is_ascii_uppercase())
                    && !word.contains('_')
                {
                    let folded = camel_key(word);
                    if wanted_snake.contains(&folded) && !code.mentioned_camel.contains_key(&folded) {
                        code.mentioned_camel.insert(folded, path.clone());
                    }
                }
            }
        }
        code
    }
}

/// `BlogsController` → `blogs_controller`, `Admin` → `admin`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The key a snake_case name and its camelCase spelling share: `last_cycle` and
/// `lastCycle` are both `lastcycle`.
fn camel_key(name: &str) -> String {
    name.replace('_', "").to_ascii_lowercase()
}

/// Whether manifests' text lists `name` as a package: quoted (`"ruamel.yaml>=0.18"`,
/// `"socket.io": "^4"`) or opening a line with a version after it (`ruamel.yaml = "*"`).
fn listed_as_dependency(manifests: &str, name: &str) -> bool {
    manifests.match_indices(name).any(|(at, _)| {
        let before = manifests[..at].chars().next_back();
        let after = manifests[at + name.len()..].chars().next();
        let opens = matches!(before, Some('"' | '\'') | None) || manifests[..at].ends_with('\n');
        opens
            && matches!(
                after,
                Some('"' | '\'' | '<' | '>' | '=' | '!' | '~' | '^' | '[' | ' ' | ',' | ';') | None
            )
    })
}

/// A header of the C library or the operating system (`sys/socket.h`, `poll.h`): a
/// document that names one speaks of the platform, not of a file it keeps.
fn is_system_header(path: &str) -> bool {
    const HEADERS: &[&str] = &[
        "assert.h",
        "ctype.h",
        "errno.h",
        "fcntl.h",
        "float.h",
        "limits.h",
        "locale.h",
        "math.h",
        "netdb.h",
        "poll.h",
        "pthread.h",
        "setjmp.h",
        "signal.h",
        "stdarg.h",
        "stdbool.h",
        "stddef.h",
        "stdint.h",
        "stdio.h",
        "stdlib.h",
        "string.h",
        "strings.h",
        "termios.h",
        "time.h",
        "unistd.h",
        "dirent.h",
        "dlfcn.h",
        "inttypes.h",
        "semaphore.h",
        "syslog.h",
        "wchar.h",
        "ifaddrs.h",
    ];
    const DIRECTORIES: &[&str] = &["sys/", "linux/", "net/", "netinet/", "arpa/", "asm/", "bits/", "mach/"];
    path.ends_with(".h") && (HEADERS.contains(&path) || DIRECTORIES.iter().any(|d| path.starts_with(d)))
}

fn is_vendored(path: &str) -> bool {
    // Every directory of the path (each segment followed by `/`), without allocating:
    // this runs for every entry of the tree, several times a check.
    let mut rest = path;
    while let Some(at) = rest.find('/') {
        let dir = &rest[..=at];
        if VENDORED.contains(&dir) {
            return true;
        }
        rest = &rest[at + 1..];
    }
    false
}

/// `v1`, `v2`: an API version segment.
fn is_version(word: &str) -> bool {
    word.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// Whether a path lies in a directory where a project keeps what it took out of use
/// (`.backup_graveyard/audio/`, `archive/`, `attic/`): a file moved there was removed,
/// and what it defines is no longer the program's (test29, chadvis: "Remove
/// `FFmpegAudioSource.cpp`", moved to `.backup_graveyard/audio/` by the project's own
/// deletion rule).
fn is_archived(path: &str) -> bool {
    const PUT_AWAY: &[&str] = &[
        "archive",
        "archived",
        "archives",
        "attic",
        "graveyard",
        "trash",
        "deprecated",
        "obsolete",
    ];
    let mut dirs = path.split('/');
    dirs.next_back();
    dirs.any(|dir| {
        let dir = dir.trim_start_matches(['.', '_']).to_ascii_lowercase();
        PUT_AWAY.contains(&dir.as_str()) || dir.starts_with("backup") || dir.ends_with("graveyard")
    })
}

/// A test file by the usual conventions: under `tests/`, `test/`, `__tests__/`, `spec/`,
/// or named `*_test.*`, `*.test.*`, `*.spec.*`, `test_*.py`.
pub(super) fn is_test_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    path.split('/')
        .rev()
        .skip(1)
        .any(|dir| matches!(dir, "tests" | "test" | "__tests__" | "spec" | "e2e"))
        || stem.ends_with("_test")
        || stem.starts_with("test_")
        || name.contains(".test.")
        || name.contains(".spec.")
}

/// Whether a file is an environment template (`.env.example`, `.env.local`).
pub(super) fn is_env_template(path: &str) -> bool {
    path.rsplit('/').next().unwrap_or(path).starts_with(".env")
}

fn is_source(path: &str) -> bool {
    // Files that configure the program by their name alone: environment templates
    // (`.env.example` holds the variables a plan names) and build scripts.
    const NAMED: &[&str] = &[
        "Dockerfile",
        "Containerfile",
        "Makefile",
        "GNUmakefile",
        "Justfile",
        "justfile",
        "Procfile",
        "CMakeLists.txt",
        "meson.build",
        "BUILD",
        "BUILD.bazel",
        "WORKSPACE",
        "Rakefile",
        "Gemfile",
        "Jenkinsfile",
        "Vagrantfile",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    (path
        .rsplit_once('.')
        .is_some_and(|(_, ext)| SOURCE.contains(&ext.to_ascii_lowercase().as_str()))
        || is_env_template(path)
        || NAMED.contains(&name))
        && !is_plan(path)
        && !is_coverage_report(path)
}

/// Whether a file is written in a language client routers are (`<Route path>`, route
/// objects): JavaScript, TypeScript and the component formats built on them.
fn is_client_code(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(
            ext.to_ascii_lowercase().as_str(),
            "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "vue" | "svelte" | "astro"
        )
    })
}

/// Whether a path names program source (`src/agents/news_agent.py`), not data.
fn is_program_source(path: &str) -> bool {
    const CODE: &[&str] = &[
        "py", "rs", "go", "ts", "tsx", "js", "jsx", "mjs", "cjs", "java", "kt", "rb", "php", "cs", "swift", "scala",
        "ex", "exs", "dart", "vue", "svelte", "c", "cc", "cpp", "h", "hpp",
    ];
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| CODE.contains(&ext.to_ascii_lowercase().as_str()))
}

/// Routes declared inside nested route groups, joined with their groups' paths: chi's
/// `r.Route("/api/v1", func(r chi.Router) { r.Route("/setup", func(…) { r.Get("/status", …)`
/// serves `/api/v1/setup/status`. Groups are followed by their braces, line by line.
fn nested_routes(text: &str) -> Vec<String> {
    static GROUP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\.(?:Route|Group|group|route)\(\s*["'`](/[A-Za-z0-9_\-./{}:]*)["'`]\s*,\s*func\b"#)
            .expect("static regex")
    });
    static CALL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"\.(?:Get|Post|Put|Patch|Delete|Head|Options|Method|Handle|HandleFunc|Mount|Connect|Trace)\(\s*(?:"[A-Z]+"\s*,\s*)?["'`](/[A-Za-z0-9_\-./{}:*]*)["'`]"#)
            .expect("static regex")
    });
    // Most files open no group: one search over the whole text, not one per line.
    if !GROUP.is_match(text) {
        return Vec::new();
    }
    let mut groups: Vec<(String, i64)> = Vec::new();
    let mut depth = 0i64;
    let mut routes = Vec::new();
    let joined = |groups: &[(String, i64)], tail: &str| {
        let mut route: String = groups.iter().map(|(g, _)| g.trim_end_matches('/')).collect();
        route.push_str(tail);
        route
    };
    for line in text.lines() {
        if let Some(group) = GROUP.captures(line) {
            if !groups.is_empty() {
                routes.push(joined(&groups, &group[1]));
            }
            groups.push((group[1].to_owned(), depth));
        } else if !groups.is_empty() {
            routes.extend(CALL.captures_iter(line).map(|call| joined(&groups, &call[1])));
        }
        depth += line.matches('{').count() as i64 - line.matches('}').count() as i64;
        while groups.last().is_some_and(|(_, opened)| *opened >= depth) {
            groups.pop();
        }
    }
    routes
}

/// Whether a file is a generated coverage report (`coverage.html`, `htmlcov/`,
/// `lcov-report/`): it renders the code it measured, so every route and definition
/// in it echoes one of the code's, or one the code has since lost.
fn is_coverage_report(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.ends_with(".html")
        && (name.starts_with("coverage")
            || path
                .split('/')
                .any(|dir| matches!(dir, "coverage" | "htmlcov" | "lcov-report" | "cover")))
}

/// Whether a file is a plan kept as data (an agent loop's `prd.json`, `tasks.json`,
/// `.ralph/progress.json`): a name it mentions is planned, not in the code.
fn is_plan(path: &str) -> bool {
    const PLANS: &[&str] = &[
        "prd", "tasks", "todo", "todos", "backlog", "plan", "fix_plan", "progress", "roadmap",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    // Data, not code: `tasks.py` is Celery's.
    let Some((stem, "json" | "yaml" | "yml" | "toml" | "txt")) = name.rsplit_once('.') else {
        return false;
    };
    PLANS.contains(&stem.trim_start_matches('@').to_ascii_lowercase().as_str())
}

/// String literals kept at most for [`requested`].
const MAX_REQUEST_LITERALS: usize = 200_000;

/// The file of a string literal that spells the route's fixed words in a row
/// (`/api/Location/Constituency/{id}/Synopsis` in `f"{BASE}/Location/Constituency/{id}/
/// Synopsis"`): the longest run of fixed words, at least two of them, without a leading
/// `api` or version that a base URL may hold.
fn requested<'c>(requests: &'c [(Vec<String>, String)], wanted: &[Seg]) -> Option<&'c str> {
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for seg in wanted {
        match seg {
            Seg::Lit(word) => runs.last_mut()?.push(word.as_str()),
            _ => runs.push(Vec::new()),
        }
    }
    let mut run = runs.into_iter().max_by_key(Vec::len)?;
    while run
        .first()
        .is_some_and(|w| w.eq_ignore_ascii_case("api") || w.len() <= 3 && w.starts_with(['v', 'V']))
    {
        run.remove(0);
    }
    if run.len() < 2 {
        return None;
    }
    requests
        .iter()
        .find(|(words, _)| {
            words
                .windows(run.len())
                .any(|window| window.iter().zip(&run).all(|(a, b)| a.eq_ignore_ascii_case(b)))
        })
        .map(|(_, file)| file.as_str())
}

/// Whether the first segment of a path is a host name (`app.example.com`,
/// `api.github.com`): labels joined by dots, the last a common top-level domain.
fn is_host(segment: &str) -> bool {
    const TOP_LEVEL: &[&str] = &[
        "com",
        "org",
        "net",
        "io",
        "dev",
        "ai",
        "co",
        "example",
        "test",
        "local",
        "localhost",
        "me",
        "us",
        "uk",
        "de",
        "fr",
        "jp",
        "xyz",
        "cloud",
        "tech",
        "site",
        "edu",
        "gov",
    ];
    let mut labels = segment.split('.');
    let last = labels.next_back().unwrap_or_default();
    segment.contains('.')
        && !segment.starts_with('.')
        && TOP_LEVEL.contains(&last)
        && segment
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// Whether a path is of the kind a repository ignores on purpose: a tool's or a
/// person's local state (a hidden file or directory: `.claude/active-work/…`, `.env`)
/// or a build's output (`target/`, `dist/`, `node_modules/`). An ignored data file or
/// fixture a document says was added is still missing: it never reached the tree.
fn local_or_generated(path: &str) -> bool {
    const GENERATED: &[&str] = &[
        "target",
        "dist",
        "build",
        "out",
        "node_modules",
        "coverage",
        "__pycache__",
        "venv",
        "vendor",
        "bin",
        "obj",
    ];
    // A tool's output directory by its name (`_bmad-output/`, `test-results/`,
    // `build-artifacts/`; test42).
    const OUTPUT_WORDS: &[&str] = &["output", "artifacts", "results", "reports", "logs", "tmp", "cache"];
    let (dirs, _) = path.rsplit_once('/').unwrap_or_default();
    path.split('/')
        .any(|segment| segment.starts_with('.') && segment.len() > 1 || GENERATED.contains(&segment))
        || dirs.split('/').any(|dir| {
            dir.to_ascii_lowercase()
                .split(['-', '_', '.'])
                .any(|word| OUTPUT_WORDS.contains(&word))
        })
}

/// Routes a framework or library serves with no route of its own in the code:
/// FastAPI's `/docs`, `/redoc` and `/openapi.json`, Swagger UI, a Prometheus
/// instrumentator's `/metrics`.
fn served_by_a_library(route: &str) -> bool {
    const SERVED: &[&str] = &[
        "/docs",
        "/redoc",
        "/openapi.json",
        "/swagger",
        "/swagger-ui",
        "/metrics",
    ];
    let route = route.trim_end_matches('/');
    SERVED.iter().any(|s| route == *s || route.ends_with(s))
}

/// The one candidate, or the first few of several; `None` for none.
fn found_among(candidates: &[&String]) -> Option<Found> {
    match candidates {
        [] => None,
        [one] => Some(Found::Here((*one).clone())),
        many => Some(Found::Ambiguous(
            many.iter().take(MAX_CANDIDATES).map(|p| (*p).clone()).collect(),
        )),
    }
}

/// The name of a file without a leading timestamp or sequence number and its separator
/// (`20251229034034_add_x.rb`, `0003_auto.py`, `V2__init.sql`), when it has one and
/// something named remains.
fn unstamped(name: &str) -> Option<&str> {
    let digits_from = usize::from(name.starts_with(['V', 'v']));
    let digits = name[digits_from..].bytes().take_while(u8::is_ascii_digit).count();
    if digits < 3 && !(digits_from == 1 && digits > 0) {
        return None;
    }
    let rest = &name[digits_from + digits..];
    let rest = rest.strip_prefix("__").or_else(|| rest.strip_prefix(['_', '-']))?;
    rest.split_once('.')
        .is_some_and(|(stem, _)| stem.chars().any(char::is_alphabetic))
        .then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dev13 (Dpothier/tabletop-workshop): Ralph's `prd.json` names `BeadBag`, which the
    /// code no longer has.
    #[test]
    fn a_plan_kept_as_data_is_not_code() {
        assert!(!is_source("prd.json") && !is_source(".ralph/tasks.yaml"));
        assert!(is_source("app/tasks.py") && is_source("config/settings.json"));
    }

    /// LibreLoom/LibreServ (dev31): chi's nested groups serve `/api/v1/setup/status`,
    /// and `server/backend/coverage.html`, a generated report, echoes the code's routes.
    #[test]
    fn nested_route_groups_are_joined_and_coverage_reports_are_no_code() {
        let router = r#"
func (s *Server) setupRoutes() {
	s.router.Route("/api/v1", func(r chi.Router) {
		r.Route("/setup", func(r chi.Router) {
			r.Get("/status", setupHandler.GetStatus)
			r.Post("/complete", setupHandler.CompleteSetup)
		})
		r.Get("/health", h.Health)
	})
	s.router.Get("/metrics", m)
}"#;
        assert_eq!(
            nested_routes(router),
            [
                "/api/v1/setup",
                "/api/v1/setup/status",
                "/api/v1/setup/complete",
                "/api/v1/health"
            ]
        );
        assert!(!is_source("server/backend/coverage.html") && !is_source("htmlcov/index.html"));
        assert!(is_source("web/templates/index.html"));
    }

    /// A tree of the given files (and the directories holding them), none readable.
    struct Files(&'static [&'static str]);

    impl TreeView for Files {
        fn exists(&self, path: &str) -> bool {
            self.0.iter().any(|f| *f == path || f.starts_with(&format!("{path}/")))
        }
        fn read(&self, _: &str) -> Result<Option<Vec<u8>>, super::super::Unreadable> {
            Ok(None)
        }
        fn children(&self, _: &str) -> (u64, u64) {
            (0, 0)
        }
        fn for_each_entry(&self, each: &mut dyn FnMut(&str, bool)) {
            let mut dirs = std::collections::BTreeSet::new();
            for f in self.0 {
                each(f, false);
                dirs.extend(f.match_indices('/').map(|(at, _)| &f[..at]));
            }
            for dir in dirs {
                each(dir, true);
            }
        }
    }

    /// A tree of `Files` where one file has text.
    struct WithText(Files, &'static str, &'static str);

    impl TreeView for WithText {
        fn exists(&self, path: &str) -> bool {
            self.0.exists(path)
        }
        fn read(&self, path: &str) -> Result<Option<Vec<u8>>, super::super::Unreadable> {
            Ok((path == self.1).then(|| self.2.as_bytes().to_vec()))
        }
        fn children(&self, path: &str) -> (u64, u64) {
            self.0.children(path)
        }
        fn for_each_entry(&self, each: &mut dyn FnMut(&str, bool)) {
            self.0.for_each_entry(each)
        }
    }

    /// pool2 (jensen-xbot/docket) and test8 (proctorwise): `question/complete/update/delete`
    /// (intents) and `try/except` are words, not paths; `docs/guide` is a path the tree
    /// lacks, since a directory is named `docs`.
    #[test]
    fn words_joined_by_slashes_are_no_path_unless_a_directory_bears_one() {
        let tree = Files(&["src/docs/index.md", "app/main.py"]);
        let resolver = Resolver::new(&tree, HashSet::new(), HashSet::new());
        assert!(matches!(
            resolver.path("question/complete/update/delete", ""),
            Found::Undecided(_)
        ));
        assert!(matches!(resolver.path("try/except", ""), Found::Undecided(_)));
        assert_eq!(resolver.path("docs/guide", ""), Found::Absent);
        assert_eq!(resolver.path("app/models", ""), Found::Absent);
        assert_eq!(resolver.path("app/models/user", ""), Found::Absent);
        // dev24 (GroverChorizo/TickerTape): "run via `pytest`, `mypy`, `ruff/flake8`".
        assert!(matches!(resolver.path("ruff/flake8", ""), Found::Undecided(_)));
        assert_eq!(resolver.path("ruff/config", ""), Found::Absent);
    }

    /// dev48 (Arata5963/mitadake, a Rails plan): "`add_deadline_to_posts.rb`" is the
    /// migration `db/migrate/20251229034034_add_deadline_to_posts.rb`.
    #[test]
    fn migrations_are_found_without_their_stamp() {
        assert_eq!(unstamped("20251229034034_add_x.rb"), Some("add_x.rb"));
        assert_eq!(unstamped("0003_auto.py"), Some("auto.py"));
        assert_eq!(unstamped("V2__init.sql"), Some("init.sql"));
        assert_eq!(unstamped("12_x.rb"), None);
        assert_eq!(unstamped("2024_01.csv"), None);
        assert_eq!(unstamped("Vendor.rb"), None);
        let tree = Files(&[
            "db/migrate/20251229034034_add_deadline_to_posts.rb",
            "db/migrate/20251229034228_drop_reminders.rb",
            "other/20240101000000_drop_reminders.rb",
        ]);
        let resolver = Resolver::new(&tree, HashSet::new(), HashSet::new());
        assert_eq!(
            resolver.path("add_deadline_to_posts.rb", ""),
            Found::Here("db/migrate/20251229034034_add_deadline_to_posts.rb".into())
        );
        assert_eq!(
            resolver.path("db/migrate/drop_reminders.rb", ""),
            Found::Here("db/migrate/20251229034228_drop_reminders.rb".into())
        );
        assert!(matches!(resolver.path("drop_reminders.rb", ""), Found::Ambiguous(_)));
        assert_eq!(resolver.path("create_users.rb", ""), Found::Absent);
    }

    /// dev21 (OpenCnid/anvil): "Add `ruamel.yaml` dependency" — a package, in pyproject.
    #[test]
    fn a_package_named_like_a_file_is_a_dependency() {
        let manifests = "[project]\ndependencies = [\n  \"ruamel.yaml>=0.18\",\n  \"typer\",\n]\n";
        assert!(listed_as_dependency(manifests, "ruamel.yaml"));
        assert!(!listed_as_dependency(manifests, "yaml"));
        assert!(!listed_as_dependency(
            "scripts = { start = \"node server.js\" }",
            "server.js"
        ));
    }

    /// dev21 (OpenCnid/anvil): a vendored copy is found by a path that names the
    /// vendored directory; a project's own file of the name wins otherwise.
    #[test]
    fn a_vendored_file_is_found_by_a_path_that_names_the_vendored_directory() {
        let tree = Files(&["src/anvilcv/vendor/rendercv/cli/app.py", "src/anvilcv/cli/app.py"]);
        let resolver = Resolver::new(&tree, HashSet::new(), HashSet::new());
        assert_eq!(
            resolver.path("vendor/rendercv/cli/app.py", ""),
            Found::Here("src/anvilcv/vendor/rendercv/cli/app.py".into())
        );
        assert_eq!(
            resolver.path("cli/app.py", ""),
            Found::Here("src/anvilcv/cli/app.py".into())
        );
    }

    /// dev20 (appthrust/kany8s): "Touch: `internal/controller/kany8skubeadmcontrolplane_controller.go`"
    /// once the controller moved one package deeper; a file in another directory is not
    /// found, nor one of two with the name.
    #[test]
    fn the_only_file_of_a_name_under_the_written_directory_is_found() {
        let tree = Files(&[
            "internal/controller/controlplane/kubeadm_controller.go",
            "internal/controller/suite_test.go",
            "controllers/suite_test.go",
            "pkg/a/util.go",
            "pkg/b/util.go",
        ]);
        let resolver = Resolver::new(&tree, HashSet::new(), HashSet::new());
        assert_eq!(
            resolver.path("internal/controller/kubeadm_controller.go", ""),
            Found::Here("internal/controller/controlplane/kubeadm_controller.go".into())
        );
        assert_eq!(resolver.path("controllers/kubeadm_controller.go", ""), Found::Absent);
        assert_eq!(resolver.path("pkg/util.go", ""), Found::Absent);
    }

    /// dev20 (appthrust/kany8s): `ready/endpoint/reason/message` in a tree with an
    /// `endpoint` directory, `status.ready/endpoint` (a field and its sibling) and
    /// ibucketbranch/PRDTool's "Sync with `upstream/main`" are no paths; a path the tree
    /// lacks under a real directory still is one.
    #[test]
    fn fields_remote_branches_and_words_that_touch_one_directory_are_no_paths() {
        let tree = Files(&["internal/endpoint/url.go", "api/v1/types.go"]);
        let resolver = Resolver::new(&tree, HashSet::new(), HashSet::new());
        for words in [
            "ready/endpoint/reason/message",
            "status.ready/endpoint",
            "metadata.name/namespace",
            "kro.run/v1alpha1",
            "upstream/main",
        ] {
            assert!(matches!(resolver.path(words, ""), Found::Undecided(_)), "{words}");
        }
        assert_eq!(resolver.path("internal/endpoint/grpc", ""), Found::Absent);
        // Names the code uses, joined by slashes.
        let tree = Files(&["internal/kro/status.go", "internal/endpoint/url.go"]);
        let code = "package kro\n\ntype Status struct { Ready bool; Endpoint string; KubeconfigSecretRef string }\n";
        let wanted: HashSet<String> = ["ready", "endpoint", "kubeconfigSecretRef", "deploy"]
            .map(String::from)
            .into();
        let tree = WithText(tree, "internal/kro/status.go", code);
        let resolver = Resolver::new(&tree, wanted, HashSet::new());
        assert!(matches!(resolver.path("ready/endpoint", ""), Found::Undecided(_)));
        assert!(matches!(
            resolver.path("ready/kubeconfigSecretRef", ""),
            Found::Undecided(_)
        ));
        assert_eq!(resolver.path("scripts/deploy", ""), Found::Absent);
        assert_eq!(resolver.path("api/v2", ""), Found::Absent);
    }

    /// dev9 (awocallaghan/usegraph-cli): `storybook/main.ts` for a `.storybook` directory.
    #[test]
    fn a_dot_directory_written_without_its_dot_is_found() {
        let tree = Files(&[
            "tests/fixtures/ui/.storybook/main.ts",
            ".github/workflows/ci.yml",
            "src/main.ts",
        ]);
        let resolver = Resolver::new(&tree, HashSet::new(), HashSet::new());
        assert_eq!(
            resolver.path("storybook/main.ts", ""),
            Found::Here("tests/fixtures/ui/.storybook/main.ts".into())
        );
        assert_eq!(
            resolver.path("github/workflows/ci.yml", ""),
            Found::Here(".github/workflows/ci.yml".into())
        );
        assert_eq!(resolver.path("lib/main.ts", ""), Found::Absent);
    }

    /// dev24 (Addono/gh-attach): "coverage thresholds per `Testing/spec.md`".
    #[test]
    fn a_path_written_in_another_case_is_found_when_only_one_file_fits() {
        let tree = Files(&["openspec/specs/testing/spec.md", "openspec/specs/upload/spec.md"]);
        let resolver = Resolver::new(&tree, HashSet::new(), HashSet::new());
        assert_eq!(
            resolver.path("Testing/spec.md", ""),
            Found::Here("openspec/specs/testing/spec.md".into())
        );
        assert_eq!(resolver.path("Other/spec.md", ""), Found::Absent);
    }
}
