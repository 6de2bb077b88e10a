//! The validation catalogue: which shell commands are tests, builds, linters,
//! type checkers or format checks, what their summary lines say, and the key a
//! command is grouped under so that only its last run counts.
//!
//! The catalogue is data (`DEFAULTS`), extended by `[[validation]]` entries in
//! `.distill/config.toml`; user entries are tried first. A command is split into
//! its segments (`cd x && pytest -q | tail -5` → `cd x`, `pytest -q`); wrappers
//! such as `timeout 60`, `npx`, `uv run` or `python -m` are stripped, and a
//! segment is a validation only when its *program* matches: a tool named as an
//! argument (`create-next-app --eslint`) is not one.

use regex::Regex;
use std::sync::LazyLock;

/// What a validation checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// Runs tests.
    Test,
    /// Builds or compiles.
    Build,
    /// Lints.
    Lint,
    /// Type-checks.
    Typecheck,
    /// Checks formatting without changing files.
    Format,
    /// Asks the project's CI how it judged the pushed work (`gh run watch`, `gh pr
    /// checks`): a pass settles every check run before it.
    Ci,
}

/// A user's catalogue entry (`[[validation]]` in `.distill/config.toml`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationEntry {
    /// A regex matched at the start of a command segment, wrappers stripped
    /// (`^just (test|check)\b`).
    pub pattern: String,
    /// What it checks.
    pub kind: CheckKind,
    /// A regex over the output with named groups `passed` and/or `failed`.
    #[serde(default)]
    pub summary: Option<String>,
}

/// A catalogue entry ready to match.
#[derive(Debug)]
struct Entry {
    pattern: Regex,
    kind: CheckKind,
    summary: Option<Regex>,
}

/// The validation catalogue: a user's entries, then the shipped ones (compiled once,
/// on first use).
#[derive(Debug, Default)]
pub struct Catalogue {
    user: Vec<Entry>,
}

static SHIPPED: LazyLock<Vec<Entry>> = LazyLock::new(|| {
    DEFAULTS
        .iter()
        .map(|(pattern, kind, summary)| Entry {
            pattern: Regex::new(pattern).expect("static regex"),
            kind: *kind,
            summary: summary.map(|s| Regex::new(s).expect("static regex")),
        })
        .collect()
});

/// A command segment recognised as a validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognized {
    /// The grouping key: the program and its non-flag words (`cargo test auth`).
    pub key: String,
    /// What it checks.
    pub kind: CheckKind,
    /// Its output went into a pipe: the exit status is not its own.
    pub piped: bool,
    /// It is the last command of its line: a failing exit status is its own (unless
    /// piped).
    pub last: bool,
    /// Index of the catalogue entry; only runs of one entry supersede each other.
    entry: usize,
    /// Words of the key that select some tests of the targets (`-run TestX`, `-k name`):
    /// a run without them, of the same or broader targets, runs those tests too.
    filters: Vec<String>,
}

/// Test-runner flags whose value selects some tests of the targets (Go `-run`, pytest
/// `-k`/`-m`, Jest `-t`, Mocha/Playwright `--grep`, dotnet/PHPUnit `--filter`).
const SELECTION_FLAGS: &[&str] = &[
    "-run",
    "-k",
    "-m",
    "-t",
    "--grep",
    "--testNamePattern",
    "--test-name-pattern",
    "--filter",
    "-only-testing",
];

/// Flags whose value says where or how a check runs, not what it checks (xcodebuild's
/// simulator and output folders, how often `gh pr checks --watch` asks): runs on another
/// device supersede each other.
const PLACE_FLAGS: &[&str] = &[
    "-destination",
    "-sdk",
    "-derivedDataPath",
    "-resultBundlePath",
    "-jobs",
    "--interval",
];

/// A `[[validation]]` entry whose regex does not compile.
#[derive(Debug, thiserror::Error)]
#[error("[[validation]] {field} {pattern:?}: {source}")]
pub struct CatalogueError {
    field: &'static str,
    pattern: String,
    source: regex::Error,
}

// Summary lines, named groups `passed` / `failed` (several matches add up).
const CARGO: &str = r"test result: \w+\. (?P<passed>\d+) passed; (?P<failed>\d+) failed";
/// pytest's last line, framed (`=== 1 failed, 3 passed in 0.2s ===`) or not (`-q`): its
/// counts in pytest's order, errors (a fixture or collection failing) last.
const PYTEST: &str = r"(?m)^=*\s*(?:(?P<failed>\d+) failed)?(?:, )?(?:(?P<passed>\d+) passed)?(?:,? ?\d+ (?:skipped|deselected|xfailed|xpassed|warnings?|rerun))*(?:, (?P<errors>\d+) errors?)?(?:, [^\n]*)? in [\d.]+s";
const JEST: &str =
    r"(?m)^Tests:\s+(?:(?P<failed>\d+) failed, )?(?:\d+ skipped, )?(?:(?P<passed>\d+) passed, )?\d+ total";
const VITEST: &str = r"(?m)^\s*Tests\s+(?:(?P<failed>\d+) failed \| )?(?:(?P<passed>\d+) passed)?.*\(\d+\)";
const MOCHA: &str = r"(?m)^\s*(?P<passed>\d+) passing(?:[\s\S]*?^\s*(?P<failed>\d+) failing)?";
const EXUNIT: &str = r"(?m)^(?:\d+ doctests?, )?(?P<total>\d+) tests?, (?P<failed>\d+) failures?";
const RSPEC: &str = r"(?m)^(?P<total>\d+) examples?, (?P<failed>\d+) failures?";
const MINITEST: &str =
    r"(?m)^(?P<total>\d+) (?:runs|tests), \d+ assertions, (?P<failed>\d+) failures, (?P<errors>\d+) errors";
const PHPUNIT: &str = r"(?m)^(?:OK \((?P<passed>\d+) tests?|Tests: (?P<total>\d+), Assertions: \d+(?:, (?:Errors|Failures): (?P<failed>\d+))?)";
const DOTNET: &str = r"(?m)Failed:\s+(?P<failed>\d+), Passed:\s+(?P<passed>\d+)";
const GO: &str = r"(?m)^(?:(?P<passed>ok)\s+\S+|(?P<failed>FAIL)\s+\S+)";
const DENO: &str = r"(?m)^(?:ok|FAILED) \| (?P<passed>\d+) passed \| (?P<failed>\d+) failed";
/// Linters and type checkers: `Found 3 errors`, `12 issues:`, `✖ 5 problems (3 errors`,
/// `Found 2 errors in 1 file`, `All checks passed!`.
const ISSUES: &str = r"(?m)(?:^Found (?P<failed>\d+) errors?\b|^(?P<failed2>\d+) issues?:|problems? \((?P<failed3>\d+) errors?|^(?P<passed>All checks passed!|Success: no issues found))";
/// `gh run watch`: `✓ Run CI (ID 123) completed with 'success'`.
const GH_RUN: &str =
    r"completed with '(?:(?P<passed>success)|(?P<failed>failure|cancelled|timed_out|startup_failure))'";
/// `gh pr checks` without a terminal: a row per check, `name<TAB>pass|fail|pending<TAB>…`.
const GH_CHECKS: &str = r"(?m)^[^\t\n]+\t(?:(?P<passed>pass)|(?P<failed>fail))\t";
/// xcodebuild's closing banner (`** TEST FAILED **`, `** BUILD SUCCEEDED **`), or its
/// refusal to start (`xcodebuild: error: Unable to find a device matching …`), or
/// XCTest's count (`Executed 5 tests, with 2 failures (0 unexpected)`).
const XCODEBUILD: &str = r"(?m)^\*\* (?:TEST|BUILD|ANALYZE|ARCHIVE) (?:(?P<passed>SUCCEEDED)|(?P<failed>FAILED)) \*\*|^(?P<failed2>xcodebuild: error:)|^\s*Executed (?P<total>\d+) tests?, with (?P<failed3>\d+) failures?";
/// Credo's last line: `found no issues.`, or what it found (`found 1 warning, 3
/// refactoring opportunities`; each kind makes it exit non-zero).
const CREDO: &str = r"(?m)found (?:(?P<passed>no issues)|(?P<failed>\d+) (?:warnings?|refactoring opportunit|consistency issues?|code readability issues?|software design suggestions?))";
/// `** (Mix) mix format failed due to --check-formatted.`
const MIX_FORMAT: &str = r"(?P<failed>mix format failed due to --check-formatted)";
const PLAYWRIGHT: &str = r"(?m)^\s+(?:(?P<failed>\d+) failed|(?P<passed>\d+) passed)";

/// A package manager running a script, in a workspace or package it selects
/// (`npm --workspace packages/worker test`, `pnpm --filter web run build`,
/// `yarn workspace api test`), then `run` or not.
macro_rules! package_script {
    ($scripts:literal) => {
        concat!(
            r"^(?:npm|pnpm|yarn|bun)",
            r"(?: (?:--workspace|-w|--filter|-F|--prefix|-C|--dir|--cwd)[ =]\S+| workspace \S+| (?:--workspaces|-ws|-r|--recursive|--silent|-s|--if-present|--bun))*",
            r"(?: run(?: (?:--silent|-s|--if-present))*)? ",
            $scripts
        )
    };
}

/// The shipped catalogue: (start-of-segment pattern, kind, summary). Order matters:
/// the first match wins, so specific forms come before general ones.
const DEFAULTS: &[(&str, CheckKind, Option<&str>)] = {
    use CheckKind::*;
    &[
        // Rust
        (
            r"^cargo (?:\+\S+ )?(?:test|nextest run|llvm-cov|miri test|tarpaulin)\b",
            Test,
            Some(CARGO),
        ),
        (r"^cargo (?:\+\S+ )?(?:clippy)\b", Lint, None),
        (r"^cargo (?:\+\S+ )?fmt\b.*--check", Format, None),
        (r"^cargo (?:\+\S+ )?(?:build|check|doc)\b", Build, None),
        // Go
        (r"^go test\b", Test, Some(GO)),
        (r"^go (?:vet)\b|^golangci-lint run\b|^staticcheck\b", Lint, Some(ISSUES)),
        (r"^go build\b", Build, None),
        // Module files in order, checked without rewriting them.
        (r"^go mod (?:tidy\b.*-diff|verify)\b", Lint, None),
        (r"^gofmt -[ld]\b", Format, None),
        // Whitespace errors in the change (conflict markers, trailing blanks)
        (r"^git diff\b.*--check\b", Format, None),
        // Python
        (r"^(?:pytest|py\.test|tox|nox|unittest)\b", Test, Some(PYTEST)),
        // Before ruff's lint: `ruff format --check` checks the format.
        (r"^(?:black|isort)\b.*--check|^ruff format\b.*--check", Format, None),
        (r"^(?:ruff|flake8|pylint|bandit)\b(?: check)?", Lint, Some(ISSUES)),
        (r"^(?:mypy|pyright|basedpyright|pytype)\b", Typecheck, Some(ISSUES)),
        // `python3 -m py_compile x.py` (the `-m` wrapper is stripped): a compile check.
        (r"^(?:py_compile|compileall)\b", Build, None),
        // JavaScript / TypeScript: package-manager scripts by their usual names
        (package_script!(r"(?:test|tests|test:\S+|e2e|spec)\b"), Test, Some(JEST)),
        (
            package_script!(r"(?:lint|lint:\S+|check:lint|eslint|knip|fix)\b"),
            Lint,
            None,
        ),
        (
            package_script!(r"(?:typecheck|type-check|tsc|check-types|check:types?|types)\b"),
            Typecheck,
            None,
        ),
        (
            package_script!(r"(?:format:check|fmt:check|prettier:check|check:format)\b"),
            Format,
            None,
        ),
        (package_script!(r"(?:build|build:\S+|compile)\b"), Build, None),
        (package_script!(r"check\b"), Lint, None),
        (r"^bun test\b", Test, None),
        (r"^jest\b", Test, Some(JEST)),
        (r"^vitest\b", Test, Some(VITEST)),
        (r"^mocha\b", Test, Some(MOCHA)),
        (r"^playwright test\b", Test, Some(PLAYWRIGHT)),
        (r"^deno test\b", Test, Some(DENO)),
        (r"^deno (?:lint)\b", Lint, None),
        (r"^deno (?:check)\b", Typecheck, None),
        (r"^(?:tsc|vue-tsc)\b", Typecheck, Some(ISSUES)),
        (
            r"^(?:eslint|biome (?:check|lint)|oxlint|stylelint|knip)\b",
            Lint,
            Some(ISSUES),
        ),
        (r"^prettier\b.*(?:--check|-c\b)", Format, None),
        (
            r"^(?:next|vite|webpack|rollup|esbuild|astro|nuxt|turbo) build\b|^turbo run build\b",
            Build,
            None,
        ),
        // A bundler's own build script: `node esbuild.config.mjs`, `node scripts/build.js`.
        (
            r"^node (?:\S*/)?(?:esbuild|rollup|webpack|vite|build)[\w.-]*\.[cm]?js$",
            Build,
            None,
        ),
        (r"^turbo run (?:test)\b", Test, None),
        // Elixir
        (r"^mix test\b", Test, Some(EXUNIT)),
        (r"^mix format\b.*--check-formatted", Format, Some(MIX_FORMAT)),
        (r"^mix credo\b", Lint, Some(CREDO)),
        (r"^mix dialyzer\b", Lint, None),
        (r"^mix compile\b", Build, None),
        // Phoenix 1.8's generated `precommit` alias: compile with warnings as errors,
        // unlock unused deps, format, test (dev44). Its asset builds are builds.
        (r"^mix precommit\b", Test, Some(EXUNIT)),
        (
            r"^mix (?:tailwind|esbuild) \S+|^mix assets\.(?:build|deploy)\b",
            Build,
            None,
        ),
        // Ruby
        (r"^(?:rspec|rake spec)\b", Test, Some(RSPEC)),
        (
            r"^(?:rails test|rake test|ruby -Itest|bin/rails test)\b",
            Test,
            Some(MINITEST),
        ),
        (r"^(?:rubocop|standardrb)\b", Lint, None),
        // PHP, .NET, Swift, JVM, C/C++
        (
            r"^(?:phpunit|vendor/bin/phpunit|php artisan test|pest)\b",
            Test,
            Some(PHPUNIT),
        ),
        (r"^(?:phpstan|psalm)\b", Typecheck, None),
        (r"^dotnet test\b", Test, Some(DOTNET)),
        (r"^dotnet build\b", Build, None),
        (r"^swift test\b", Test, None),
        (r"^swift build\b", Build, None),
        // Xcode: the action is a bare word among the options (`xcodebuild -scheme App
        // -destination '…' test`).
        (
            r"^xcodebuild (?:\S+ )*(?:test|test-without-building)(?: |$)",
            Test,
            Some(XCODEBUILD),
        ),
        (
            r"^xcodebuild (?:\S+ )*(?:build|build-for-testing|analyze|archive)(?: |$)",
            Build,
            Some(XCODEBUILD),
        ),
        (
            r"^(?:gradle\w*|\./gradlew) (?:\S+ )*(?:test|check|connectedCheck)\b",
            Test,
            None,
        ),
        (
            r"^(?:gradle\w*|\./gradlew) (?:\S+ )*(?:build|assemble\w*|compile\w*)\b",
            Build,
            None,
        ),
        (r"^mvn\w* (?:\S+ )*(?:test|verify|install)\b", Test, None),
        (r"^mvn\w* (?:\S+ )*(?:package|compile)\b", Build, None),
        (r"^ctest\b", Test, None),
        (r"^bazel(?:isk)? test\b", Test, None),
        (r"^bazel(?:isk)? build\b", Build, None),
        (r"^cmake --build\b|^ninja\b", Build, None),
        (
            r"^(?:docker|podman) (?:buildx |compose (?:\S+ )*)?build\b|^(?:docker|podman)-compose (?:\S+ )*build\b",
            Build,
            None,
        ),
        // An Odoo module installed or upgraded in a throw-away server: its load is the
        // check (with `--test-enable`, its tests run too).
        (r"^odoo(?:-bin)? (?:\S+ )*--test-enable\b", Test, None),
        (
            r"^odoo(?:-bin)? (?:\S+ )*(?:-u|-i|--update|--init)\b.*--stop-after-init",
            Build,
            None,
        ),
        // Task runners by recipe name
        (
            r"^(?:make|just|task|mise run|mise) (?:\S+ )*(?:test|tests|check|ci|e2e|verify)\b",
            Test,
            None,
        ),
        (r"^(?:make|just|task|mise run|mise) (?:\S+ )*(?:lint|vet)\b", Lint, None),
        (
            r"^(?:make|just|task|mise run|mise) (?:\S+ )*(?:types|typecheck|type-check|mypy)\b",
            Typecheck,
            Some(ISSUES),
        ),
        (
            r"^(?:make|just|task|mise run|mise) (?:\S+ )*(?:fmt|format)(?::check|-check)?\b",
            Format,
            None,
        ),
        (
            r"^(?:make|just|task|mise run) (?:\S+ )*(?:build|all)\b|^make$",
            Build,
            None,
        ),
        // CI, asked after a push
        (r"^gh run watch\b", Ci, Some(GH_RUN)),
        (r"^gh pr checks\b", Ci, Some(GH_CHECKS)),
        // Every hook a repository configured, on the files given or all of them
        (r"^(?:pre-commit|prek) run\b", Lint, None),
        // Bash Automated Testing System, installed or vendored (`test/bats/bin/bats`).
        (r"^(?:\S*/)?bats\b", Test, None),
        // Shell, and data files checked for syntax
        (r"^shellcheck\b", Lint, None),
        (r"^jq (?:-e )?empty\b", Lint, None),
        (r"^(?:bash|sh) -n\b", Lint, None),
        // PHP's and Node's own syntax checks (dev42; dev49: `node -c pages/x.js`).
        (r"^php -l\b", Lint, None),
        (r"^node (?:-c|--check) \S", Lint, None),
        // Schema and spec validators: CUE's `vet`, OpenSpec's `validate`.
        (r"^cue vet\b", Lint, None),
        (r"^openspec validate\b", Lint, None),
        // A project's runner script told what to do: `./ops/run.sh test`, `bash
        // scripts/dev.sh build`.
        (
            r"^(?:(?:bash|sh|zsh) )?(?:\./)?(?:[\w.-]+/)*[\w.-]+\.sh (?:test|tests|check|verify|validate)\b",
            Test,
            Some(PYTEST),
        ),
        // …and a project's tool script, likewise: `python3 tools/agent-tools.py verify
        // T-001`.
        (
            r"^(?:python3?|node|bun|tsx|deno run) (?:\./)?(?:[\w.-]+/)*[\w.-]+\.(?:py|js|mjs|cjs|ts) (?:test|tests|verify|validate)\b",
            Test,
            Some(PYTEST),
        ),
        (
            r"^(?:(?:bash|sh|zsh) )?(?:\./)?(?:[\w.-]+/)*[\w.-]+\.sh build\b",
            Build,
            None,
        ),
        (
            r"^(?:(?:bash|sh|zsh) )?(?:\./)?(?:[\w.-]+/)*[\w.-]+\.sh lint\b",
            Lint,
            None,
        ),
        // A project's own checking script, named for what it does: `python3
        // scripts/quick_validate.py skills/trail`, `./scripts/verify-links.sh`, `node
        // lint-docs.mjs`. Not "check": `check-prerequisites.sh` checks the machine, not
        // the work; nor a probe the run wrote to `/tmp` (`bash /tmp/test_sed_mime.sh`).
        // Last, so a known tool's entry wins.
        (
            r"^(?:(?:python3?|node|bash|sh|zsh|ruby|perl|php|deno run|bun|tsx) )?(?:[^\s/]\S*/|/(?:[^t\s]|t[^m]|tm[^p])\S*/)?[\w.-]*(?:validate|validation|verify|test|lint)[\w.-]*\.(?:py|js|mjs|cjs|ts|sh|rb|pl|php)\b",
            Test,
            Some(PYTEST),
        ),
    ]
};

/// Flags of wrappers that take the next word as their value (`uv run --with ruff`,
/// `npx --package typescript tsc`). Not `-p`: `time -p` takes none.
const VALUED_FLAGS: &[&str] = &[
    "--with",
    "--with-requirements",
    "--python",
    "--package",
    "--extra",
    "--group",
    "--env-file",
    "--directory",
    "--project",
];

/// Checking programs of npm packages, which `yarn`, `pnpm` and `bun` run by name (those
/// also common as script names, `eslint`, `tsc`, `knip`, stay scripts).
const PACKAGE_PROGRAMS: &[&str] = &[
    "vitest",
    "jest",
    "mocha",
    "ava",
    "playwright",
    "oxlint",
    "biome",
    "stylelint",
    "prettier",
    "vue-tsc",
    "svelte-check",
];

/// Words that run the next word as the real program.
const WRAPPERS: &[&[&str]] = &[
    &["npx"],
    &["bunx"],
    &["pnpx"],
    &["pnpm", "exec"],
    &["mise", "exec"],
    &["mise", "x"],
    &["fnm", "exec"],
    &["asdf", "exec"],
    &["devbox", "run"],
    &["corepack"],
    &["pnpm", "dlx"],
    &["yarn", "dlx"],
    &["uv", "run"],
    &["poetry", "run"],
    &["pipenv", "run"],
    &["pdm", "run"],
    &["hatch", "run"],
    &["rye", "run"],
    &["bundle", "exec"],
    &["python", "-m"],
    &["python3", "-m"],
    &["time"],
    &["nice"],
    &["sudo"],
    &["command"],
    &["exec"],
    &["env"],
    // rtk runs a command and shortens its output for the model (`rtk git status`).
    &["rtk"],
];

impl Catalogue {
    /// The shipped catalogue with a user's entries tried first.
    pub fn with_entries(user: &[ValidationEntry]) -> Result<Catalogue, CatalogueError> {
        let compile = |field, pattern: &str| {
            Regex::new(pattern).map_err(|source| CatalogueError {
                field,
                pattern: pattern.to_owned(),
                source,
            })
        };
        let user = user
            .iter()
            .map(|e| {
                Ok(Entry {
                    pattern: compile("pattern", &e.pattern)?,
                    kind: e.kind,
                    summary: e.summary.as_deref().map(|s| compile("summary", s)).transpose()?,
                })
            })
            .collect::<Result<_, CatalogueError>>()?;
        Ok(Catalogue { user })
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.user.iter().chain(SHIPPED.iter())
    }

    fn entry(&self, index: usize) -> Option<&Entry> {
        self.entries().nth(index)
    }

    /// The validations a shell command runs, one per recognised segment, in order.
    pub fn recognize(&self, command: &str) -> Vec<Recognized> {
        let mut found = Vec::new();
        let all: Vec<Segment> = segments(command).into_iter().filter(|s| !s.downstream).collect();
        let count = all.len();
        for (index, segment) in all.into_iter().enumerate() {
            let words = program_words(&segment.text);
            // `pytest --version`, `tsc --help`: a probe of the tool, which checks nothing.
            if words.is_empty() || words.iter().any(|w| w == "--version" || w == "--help") {
                continue;
            }
            // `ruff format src` rewrites the files; only with `--check` or `--diff` does
            // it check them.
            if words.len() > 1
                && words[0] == "ruff"
                && words[1] == "format"
                && !words.iter().any(|w| w == "--check" || w == "--diff")
            {
                continue;
            }
            let line = words.join(" ");
            if let Some((entry, found_entry)) = self.entries().enumerate().find(|(_, e)| e.pattern.is_match(&line)) {
                let mut key: Vec<&str> = Vec::new();
                let mut filters = Vec::new();
                let (mut selects, mut places) = (false, false);
                // dotnet's `-m:1` is MSBuild's CPU count and `-v minimal` its verbosity
                // (dev44): how it runs, not which tests.
                let dotnet = words[0] == "dotnet";
                let selection = |f: &&&str| !(dotnet && matches!(**f, "-m" | "-t"));
                for word in words.iter().map(String::as_str) {
                    // The value of a place flag (`-destination 'platform=…'`).
                    if std::mem::take(&mut places) {
                        continue;
                    }
                    // `-k name`, `--filter=name`, xcodebuild's `-only-testing:Target/Case`.
                    let value = SELECTION_FLAGS
                        .iter()
                        .filter(selection)
                        .find_map(|f| word.strip_prefix(f).and_then(|rest| rest.strip_prefix(['=', ':'])))
                        .filter(|_| found_entry.kind == CheckKind::Test);
                    // Gradle's `-x test` leaves a task out: neither is what is checked.
                    let gradle = words[0] == "gradle" || words[0].ends_with("gradlew");
                    if PLACE_FLAGS.contains(&word)
                        || gradle && matches!(word, "-x" | "--exclude-task")
                        || dotnet && matches!(word, "-v" | "--verbosity" | "-l" | "--logger" | "-m" | "-p")
                    {
                        places = true;
                    } else if selects || value.is_some() {
                        let value = value.unwrap_or(word);
                        filters.push(value.to_owned());
                        key.push(value);
                        selects = false;
                    } else if found_entry.kind == CheckKind::Test
                        && SELECTION_FLAGS.iter().filter(selection).any(|f| *f == word)
                    {
                        selects = true;
                    } else if (!word.starts_with('-') || changes_what_is_checked(word)) && !is_redirect(word) {
                        key.push(word);
                    }
                }
                found.push(Recognized {
                    key: key.join(" "),
                    kind: found_entry.kind,
                    piped: segment.piped,
                    last: index + 1 == count,
                    entry,
                    filters,
                });
            }
        }
        found
    }

    /// Tests passed and failed as the tool's summary line states them (summed over
    /// several summaries, e.g. one per crate), else a generic `N passed` / `N failed`.
    pub fn counts(&self, check: &Recognized, output: &str) -> (Option<u64>, Option<u64>) {
        if let Some(re) = self.entry(check.entry).and_then(|e| e.summary.as_ref()) {
            let counted = summary_counts(re, output);
            if counted != (None, None) {
                return counted;
            }
        }
        generic_counts(output)
    }
}

/// Whether a validation's name (its key) is a format check of the shipped catalogue
/// (`cargo fmt --check`, `git diff --check`): it says the code is tidy, not that it works.
pub fn is_format_check(name: &str) -> bool {
    let found = Catalogue::default().recognize(name);
    !found.is_empty() && found.iter().all(|c| c.kind == CheckKind::Format)
}

impl Recognized {
    /// What the run checks: its words after the first `skip` (the tool), without flags
    /// and without the tests it selects.
    fn targets(&self, skip: usize) -> Vec<&str> {
        self.key
            .split(' ')
            .skip(skip)
            .filter(|w| !w.starts_with('-') && !self.filters.iter().any(|f| f == w))
            .collect()
    }

    /// The key's words with the interpreter's version dropped: `python3 tests/x.py` and
    /// `python tests/x.py` run the same script.
    fn words(&self) -> impl Iterator<Item = &str> {
        self.key.split(' ').map(|w| match w.strip_prefix("python3") {
            Some(version) if version.is_empty() || version.starts_with('.') => "python",
            _ => w,
        })
    }

    /// Whether `self` is a test run of a tool that builds before it tests (`dotnet
    /// test`, `cargo test`, `swift test`, `mix test`) and `earlier` a build by the same
    /// tool: the tests cannot pass unless the build does (dev44: `dotnet build x.csproj`
    /// failing on a restore, then `dotnet test x.csproj` passing 20 of 20).
    fn builds_what(&self, earlier: &Recognized) -> bool {
        const BUILD_FIRST: &[&str] = &["dotnet", "cargo", "swift", "mix"];
        self.kind == CheckKind::Test
            && earlier.kind == CheckKind::Build
            && self.tool() == earlier.tool()
            && BUILD_FIRST.contains(&self.tool())
    }

    /// The program of the key (`cargo` of `cargo test auth`).
    fn tool(&self) -> &str {
        self.key.split(' ').next().unwrap_or_default()
    }

    /// Whether a later run `self` of the same tool covers an earlier run `earlier`:
    /// same key, or the same catalogue entry run on a broader target (`pytest` after
    /// `pytest tests/test_api.py::test_x`, `cargo test` after `cargo test checkout`).
    pub fn covers(&self, earlier: &Recognized) -> bool {
        if self.words().eq(earlier.words()) {
            return true;
        }
        if self.entry != earlier.entry && !self.builds_what(earlier) {
            return false;
        }
        // `go test -race` checks something else than `go test`: neither covers the other.
        let same_flags = self
            .key
            .split(' ')
            .filter(|w| w.starts_with('-'))
            .eq(earlier.key.split(' ').filter(|w| w.starts_with('-')));
        if !same_flags {
            return false;
        }
        // A run that selects some tests covers only a run selecting the same ones.
        if !self.filters.is_empty() && self.filters != earlier.filters {
            return false;
        }
        // A test run against a build compares what follows the subcommands.
        let tool_len = if self.entry == earlier.entry {
            self.words().zip(earlier.words()).take_while(|(x, y)| x == y).count()
        } else {
            2
        };
        let (mine, theirs) = (self.targets(tool_len), earlier.targets(tool_len));
        if mine.is_empty() {
            return true;
        }
        !theirs.is_empty() && theirs.iter().all(|t| mine.iter().any(|m| target_within(t, m)))
    }
}

/// Flags that make a run check something else than the same command without them: the
/// race detector, build tags, cargo features and profiles, and the flag that makes a
/// formatter or `git diff` only check. They stay in the key, so `go test -race ./...`
/// failing is not fixed by `go test ./...` passing, and a key names a format check as one.
fn changes_what_is_checked(flag: &str) -> bool {
    const FLAGS: &[&str] = &[
        "-race",
        "-tags",
        "--tags",
        "--features",
        "--all-features",
        "--release",
        "--check",
        "--check-formatted",
    ];
    FLAGS
        .iter()
        .any(|f| flag == *f || flag.strip_prefix(f).is_some_and(|rest| rest.starts_with('=')))
}

/// Whether test target `narrow` lies within `broad`: the same, a file or node under a
/// directory or file (`tests/` ⊃ `tests/test_api.py` ⊃ `tests/test_api.py::test_x`), or
/// a Go package pattern (`./...` ⊃ `./internal/pi/...`). `test-e2e` does not hold
/// `test-e2e-lifecycle`: make targets are names, not paths.
fn target_within(narrow: &str, broad: &str) -> bool {
    if narrow == broad || same_path_from_elsewhere(narrow, broad) {
        return true;
    }
    // `.` is one Go package; `./...` is every package under it.
    if narrow.ends_with("...") && !broad.ends_with("...") {
        return false;
    }
    if let Some(root) = broad.strip_suffix("...") {
        return narrow.starts_with(root);
    }
    let broad = broad.trim_end_matches('/');
    narrow
        .strip_prefix(broad)
        .is_some_and(|rest| rest.starts_with('/') || rest.starts_with("::"))
}

/// Whether two relative paths name one file run from different directories:
/// `tests/test_api.py` from the project and `app/tests/test_api.py` from its parent. A bare
/// name (`test`, a make target) is no path.
fn same_path_from_elsewhere(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_start_matches("./"), b.trim_start_matches("./"));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let is_path = short.contains('/') || short.rsplit_once('.').is_some_and(|(stem, _)| !stem.is_empty());
    is_path && !short.starts_with(['/', '.', '-']) && long.strip_suffix(short).is_some_and(|rest| rest.ends_with('/'))
}

fn summary_counts(re: &Regex, output: &str) -> (Option<u64>, Option<u64>) {
    let mut passed: Option<u64> = None;
    let mut failed: Option<u64> = None;
    let number = |caps: &regex::Captures, name: &str| -> Option<u64> {
        caps.name(name).map(|m| m.as_str().parse().unwrap_or(1))
    };
    for caps in re.captures_iter(output) {
        let named_failed = ["failed", "failed2", "failed3"].iter().find_map(|n| number(&caps, n));
        let f = named_failed.unwrap_or(0) + number(&caps, "errors").unwrap_or(0);
        let p = match (number(&caps, "passed"), number(&caps, "total")) {
            (Some(p), _) => Some(p),
            (None, Some(total)) => Some(total.saturating_sub(f)),
            (None, None) => None,
        };
        if p.is_none() && f == 0 && named_failed.is_none() {
            continue;
        }
        *passed.get_or_insert(0) += p.unwrap_or(0);
        *failed.get_or_insert(0) += f;
    }
    (passed, failed)
}

fn generic_counts(output: &str) -> (Option<u64>, Option<u64>) {
    // A summary on lines of its own: bun (` 12 pass` / ` 0 fail`) and node:test's TAP
    // (`# pass 12` / `# fail 0`). It is the runner's verdict, so it wins over counts
    // found in the middle of other lines.
    static OWN_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*(?:# )?(?:(?P<n1>\d+) (?P<w1>pass|fail)|(?P<w2>pass|fail) (?P<n2>\d+))\s*$")
            .expect("static regex")
    });
    let (mut passed, mut failed) = (None, None);
    for caps in OWN_LINE.captures_iter(output) {
        let number = caps
            .name("n1")
            .or_else(|| caps.name("n2"))
            .and_then(|m| m.as_str().parse().ok());
        match caps.name("w1").or_else(|| caps.name("w2")).map(|m| m.as_str()) {
            Some("pass") => passed = number,
            _ => failed = number,
        }
    }
    if passed.is_some() || failed.is_some() {
        return (passed, failed.or(Some(0)));
    }
    // TAP with a plan and no summary (bats): `1..8`, then `ok 1 …` / `not ok 2 …`.
    static TAP_PLAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^1\.\.\d+\s*$").expect("static regex"));
    static TAP_RESULT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^(not )?ok \d+\b").expect("static regex"));
    if TAP_PLAN.is_match(output) {
        let (ok, not_ok) = TAP_RESULT.captures_iter(output).fold((0u64, 0u64), |(ok, not_ok), c| {
            if c.get(1).is_some() {
                (ok, not_ok + 1)
            } else {
                (ok + 1, not_ok)
            }
        });
        if ok + not_ok > 0 {
            return (Some(ok), Some(not_ok));
        }
    }
    static PASSED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(\d+) (?:tests? )?(?:passed|passing)\b").expect("static regex"));
    static FAILED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(\d+) (?:tests? )?(?:failed|failing)\b").expect("static regex"));
    // The last count: a runner's summary comes after the log lines of the tests it ran,
    // which may say "Task 2 failed" of a failure the test expects.
    let last = |re: &Regex| re.captures_iter(output).last().and_then(|c| c[1].parse().ok());
    match (last(&PASSED), last(&FAILED)) {
        (Some(p), None) => (Some(p), Some(0)),
        other => other,
    }
}

/// One simple command of a shell line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Segment {
    /// Its text.
    pub text: String,
    /// Its output goes into a pipe (`pytest | tail -5`): the line's exit status is the
    /// last filter's, not its own.
    pub piped: bool,
    /// It reads another command's output (`… | tail -5`): a filter, which runs no check
    /// of its own, though it may still write (`| tee out.txt`).
    pub downstream: bool,
}

/// The simple commands of a shell line: split on unquoted `&&`, `||`, `;`, `|`,
/// `&` and newlines. Of a pipeline only the first command runs a check; the rest are
/// marked `downstream`. `bash -c '…'` bodies are split in turn.
pub(super) fn segments(command: &str) -> Vec<Segment> {
    let command = &without_heredoc_bodies(command);
    let mut out: Vec<Segment> = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut after_pipe = false;
    let mut chars = command.chars().peekable();
    let flush = |current: &mut String, after_pipe: bool, piped: bool, out: &mut Vec<Segment>| {
        let text = current.trim();
        if !text.is_empty() {
            out.push(Segment {
                text: text.to_owned(),
                piped,
                downstream: after_pipe,
            });
        }
        current.clear();
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (Some(_), '\\') => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (Some(_), c) => current.push(c),
            // `find … -exec ls {} \;`: an escaped separator is a word.
            (None, '\\') => {
                current.push(c);
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                current.push(c);
            }
            (None, '|') if chars.peek() == Some(&'|') => {
                chars.next();
                flush(&mut current, after_pipe, false, &mut out);
                after_pipe = false;
            }
            (None, '|') => {
                flush(&mut current, after_pipe, true, &mut out);
                after_pipe = true;
            }
            (None, '&') if chars.peek() == Some(&'&') => {
                chars.next();
                flush(&mut current, after_pipe, false, &mut out);
                after_pipe = false;
            }
            // `2>&1`, `&>` are redirections, not separators.
            (None, '&') if current.ends_with('>') || chars.peek() == Some(&'>') => current.push(c),
            (None, ';' | '\n' | '&') => {
                flush(&mut current, after_pipe, false, &mut out);
                after_pipe = false;
            }
            (None, '(' | ')') if current.trim().is_empty() || c == ')' => {}
            (None, c) => current.push(c),
        }
    }
    flush(&mut current, after_pipe, false, &mut out);
    out.into_iter()
        .flat_map(|segment| match shell_body(&segment.text) {
            Some(body) => {
                let mut inner = segments(&body);
                for s in &mut inner {
                    s.downstream |= segment.downstream;
                }
                inner
            }
            None => vec![segment],
        })
        .collect()
}

/// A command with the bodies of its here-documents left out: `cat <<'EOF' > f` keeps
/// its first line, and the file content it writes is not read as commands.
fn without_heredoc_bodies(command: &str) -> std::borrow::Cow<'_, str> {
    static START: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?"#).expect("static regex"));
    if !command.contains("<<") {
        return command.into();
    }
    let mut out = String::with_capacity(command.len());
    let mut until: Option<String> = None;
    for line in command.lines() {
        if let Some(end) = &until {
            if line.trim() == end {
                until = None;
            }
            continue;
        }
        until = START.captures(line).map(|c| c[1].to_owned());
        out.push_str(line);
        out.push('\n');
    }
    out.into()
}

/// The script of `bash -c '…'` / `sh -lc "…"` / `fish -c "…"`.
pub(super) fn shell_body(segment: &str) -> Option<String> {
    let words = shlex::split(segment)?;
    // `sudo -u deploy bash -lc '…'`: the shell another user runs.
    let mut words = words.as_slice();
    if words.first().is_some_and(|w| w == "sudo") {
        words = &words[1..];
        while let Some(flag) = words.first().filter(|w| w.starts_with('-')) {
            let takes_value = matches!(flag.as_str(), "-u" | "--user" | "-g" | "--group" | "-D" | "--chdir");
            words = &words[usize::from(takes_value).saturating_add(1).min(words.len())..];
        }
    }
    match words {
        [shell, flag, body, ..]
            if matches!(
                shell.rsplit('/').next(),
                Some("bash" | "sh" | "zsh" | "fish" | "dash" | "ksh")
            ) && flag.starts_with('-')
                && flag.contains('c') =>
        {
            Some(body.clone())
        }
        _ => None,
    }
}

/// The words of a simple command from its program on: environment assignments,
/// `cd`-less wrappers (`timeout 60`, `npx`, `uv run`, `python -m`) removed, and a
/// path to a local tool reduced to its name (`./node_modules/.bin/jest` → `jest`).
pub(super) fn program_words(segment: &str) -> Vec<String> {
    let mut words =
        shlex::split(segment).unwrap_or_else(|| segment.split_whitespace().map(str::to_owned).collect::<Vec<_>>());
    loop {
        // `docker compose exec -T web pytest`, `docker exec -it app npm test`: the
        // container's program.
        if let Some(skip) = container_exec(&words) {
            words.drain(..skip);
            continue;
        }
        let Some(first) = words.first_mut() else { break };
        // A virtual environment's program is the program: `.venv/bin/python -m pytest`.
        if let Some(at) = first.find("venv/bin/") {
            *first = first[at + "venv/bin/".len()..].to_owned();
        }
        // So is one by its absolute path: `/Users/me/.pyenv/versions/3.11.9/bin/python3
        // -m flake8` (Aider's auto-lint names the interpreter that way), `~/.bun/bin/bun`.
        if first.starts_with(['/', '~'])
            && let Some((dir, name)) = first.rsplit_once('/')
            && dir.ends_with("/bin")
            && !name.is_empty()
        {
            *first = name.to_owned();
        }
        // Windows names a program with its launcher's extension: `npm.cmd run build`.
        if let Some(name) = [".cmd", ".exe", ".bat"]
            .iter()
            .find_map(|launcher| first.strip_suffix(launcher))
            .filter(|n| !n.is_empty() && !n.contains(['/', '\\']))
        {
            *first = name.to_owned();
        }
        if is_assignment(first) {
            words.remove(0);
            continue;
        }
        // `conda run -n env --no-capture-output pytest`: the environment's program.
        if first == "conda" || first == "mamba" || first == "micromamba" {
            if words.get(1).map(String::as_str) != Some("run") {
                break;
            }
            words.drain(..2);
            while let Some(flag) = words.first().filter(|w| w.starts_with('-')).cloned() {
                words.remove(0);
                if matches!(flag.as_str(), "-n" | "--name" | "-p" | "--prefix" | "--cwd") && !words.is_empty() {
                    words.remove(0);
                }
            }
            continue;
        }
        if first == "timeout" || first == "gtimeout" {
            words.remove(0);
            while words.first().is_some_and(|w| w.starts_with('-')) {
                words.remove(0);
            }
            if words
                .first()
                .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            {
                words.remove(0);
            }
            continue;
        }
        // `yarn vitest run x`, `pnpm tsc --noEmit`: a package manager runs a package's
        // program by its name when no script has it.
        if matches!(first.as_str(), "yarn" | "pnpm" | "bun")
            && words.get(1).is_some_and(|w| PACKAGE_PROGRAMS.contains(&w.as_str()))
        {
            words.remove(0);
            continue;
        }
        if let Some(wrapper) = WRAPPERS
            .iter()
            .find(|w| words.len() > w.len() && words.starts_with_strs(w))
        {
            words.drain(..wrapper.len());
            // `npx --yes jest`, `env -i FOO=1 jest`, `uv run --with ruff ruff check`
            while words.len() > 1 && (words[0].starts_with('-') || is_assignment(&words[0])) {
                let flag = words.remove(0);
                if VALUED_FLAGS.contains(&flag.as_str()) && words.len() > 1 {
                    words.remove(0);
                }
            }
            continue;
        }
        break;
    }
    if let Some(first) = words.first_mut()
        && (first.contains("node_modules/.bin/")
            || first.starts_with("./node_modules/")
            || first.starts_with("vendor/bin/"))
    {
        let name = first.rsplit('/').next().unwrap_or_default().to_owned();
        *first = name;
    }
    // A package a runner fetched, by its name on the registry: `bunx @biomejs/biome
    // check`, `npx prettier@3 --check` run `biome` and `prettier`.
    if let Some(first) = words.first_mut() {
        let package = first
            .strip_prefix('@')
            .and_then(|p| p.split_once('/'))
            .map_or(first.as_str(), |(_, p)| p);
        let name = package.split('@').next().unwrap_or_default();
        if !name.is_empty() && name != first {
            *first = name.to_owned();
        }
    }
    // git's own options come before its subcommand: `git -C /repo push origin main`
    // pushes (dev46), `git --no-pager log` reads.
    if words.first().is_some_and(|w| w == "git") {
        while let Some(option) = words.get(1).filter(|w| w.starts_with('-')).cloned() {
            words.remove(1);
            if matches!(
                option.as_str(),
                "-C" | "-c" | "--git-dir" | "--work-tree" | "--namespace"
            ) && words.len() > 1
            {
                words.remove(1);
            }
        }
    }
    words
}

/// How many words of `docker exec [flags] CONTAINER` (or `docker compose exec|run
/// [flags] SERVICE`, podman's too) come before the program run in the container.
fn container_exec(words: &[String]) -> Option<usize> {
    let w = |i: usize| words.get(i).map(String::as_str);
    let verb_at = match (w(0)?, w(1)) {
        ("docker" | "podman", Some("compose")) => 2,
        ("docker-compose" | "podman-compose", _) => 1,
        ("docker" | "podman", _) => 1,
        _ => return None,
    };
    let compose = verb_at == 2 || w(0).is_some_and(|p| p.ends_with("-compose"));
    match w(verb_at)? {
        "exec" => {}
        "run" if compose => {}
        _ => return None,
    }
    let mut at = verb_at + 1;
    while let Some(flag) = w(at).filter(|f| f.starts_with('-')) {
        at += 1;
        // Flags that take a value as the next word.
        if matches!(
            flag,
            "-e" | "--env"
                | "-u"
                | "--user"
                | "-w"
                | "--workdir"
                | "--env-file"
                | "--entrypoint"
                | "--name"
                | "-v"
                | "--volume"
                | "-p"
                | "--publish"
                | "--index"
        ) {
            at += 1;
        }
    }
    // The container, then at least one word of program.
    (words.len() > at + 1).then_some(at + 1)
}

trait StartsWithStrs {
    fn starts_with_strs(&self, prefix: &[&str]) -> bool;
}

impl StartsWithStrs for Vec<String> {
    fn starts_with_strs(&self, prefix: &[&str]) -> bool {
        self.len() >= prefix.len() && self.iter().zip(prefix).all(|(a, b)| a == b)
    }
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

fn is_redirect(word: &str) -> bool {
    word.starts_with('>')
        || word.starts_with('<')
        || word.starts_with("2>")
        || word.starts_with("&>")
        || word.starts_with("1>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(command: &str) -> Vec<String> {
        Catalogue::default()
            .recognize(command)
            .into_iter()
            .map(|r| r.key)
            .collect()
    }

    #[test]
    fn containers_run_the_check_inside_them() {
        // dev14 (Eduardodmb/ClaudeWork, Eduardodmb/ClaudeHome): Laravel and Odoo in Docker.
        assert_eq!(keys("docker compose build app"), ["docker compose build app"]);
        assert_eq!(
            keys("docker exec odoo_docker-web-1 odoo -d odoo18 -u hr_recruitment_enhanced --stop-after-init"),
            ["odoo odoo18 hr_recruitment_enhanced"]
        );
        assert_eq!(
            keys("docker compose exec -T web python -m pytest tests/"),
            ["pytest tests/"]
        );
        assert_eq!(keys("docker-compose run --rm -e CI=1 api npm test"), ["npm test"]);
        assert_eq!(keys("docker exec -it app npm test"), ["npm test"]);
        assert!(keys("docker exec app ls").is_empty());
        assert!(keys("docker compose up -d").is_empty());
    }

    #[test]
    fn recognises_tools_through_wrappers_pipes_and_cd() {
        assert_eq!(keys("cd app && cargo test -p auth -- --nocapture"), ["cargo test auth"]);
        assert_eq!(
            keys("python -m pytest -q tests/test_api.py 2>&1 | tail -20"),
            ["pytest tests/test_api.py"]
        );
        assert_eq!(keys("uv run pytest"), ["pytest"]);
        // dev17 (bumpy-croc/ai-trading-bot): probing which pytest runs is no test run.
        assert!(keys("python3 -m pytest --version").is_empty());
        assert!(keys("bash /tmp/test_sed_mime.sh").is_empty());
        // dev18 (K3RN-LABS/k3rn.labs).
        assert_eq!(keys("~/.bun/bin/bun run lint"), ["bun run lint"]);
        assert_eq!(keys("bash scripts/test_api.sh"), ["bash scripts/test_api.sh"]);
        // dev17 (bruno-vilefort-tech-consulting/Projeto-Rodrigo): a build as another user.
        assert_eq!(
            keys("sudo -u deploy bash -lc 'cd /home/deploy/app/backend && pnpm run build 2>&1 | tail -30'"),
            ["pnpm run build"]
        );
        // dev16 (BharathKumarKS/pdf_ingestion, Aider's auto-lint).
        assert_eq!(
            keys("/Users/b/.pyenv/versions/3.11.9/bin/python3 -m flake8 --select=E9,F821 --isolated src/store.py"),
            ["flake8 src/store.py"]
        );
        assert_eq!(keys("timeout 120 npx vitest run"), ["vitest run"]);
        // dev26 (Esdeveniments/esdeveniments-frontend): yarn runs a package's program.
        assert_eq!(
            keys("cd app\nyarn vitest run test/a.test.tsx 2>&1 | tail -80"),
            ["vitest run test/a.test.tsx"]
        );
        assert_eq!(keys("pnpm playwright test"), ["playwright test"]);
        // dev49 (a Claude Code session of a Next.js app): Node's syntax check.
        assert_eq!(keys("cd /c/app && node -c pages/sales-prep.js 2>&1").len(), 1);
        assert_eq!(keys("node --check lib/r2.js"), ["node --check lib/r2.js"]);
        assert!(keys("node -e 'console.log(1)'").is_empty());
        // dev27 (wingorithm's Gemini session): `-x test` excludes the tests.
        assert_eq!(keys("./gradlew build -x test --no-daemon"), ["./gradlew build"]);
        // dev27 (flop-labs/technocore-chat): ruff's formatter checks only with --check.
        assert_eq!(
            keys("uv run ruff format --check src tests"),
            ["ruff format --check src tests"]
        );
        assert!(keys("uv run ruff format src tests").is_empty());
        // dev27: flags after `run`; CUE's and OpenSpec's validators.
        assert_eq!(keys("npm run --silent build"), ["npm run build"]);
        assert_eq!(
            keys("cue vet config/schema.cue -d '#Version' config/version.json"),
            ["cue vet config/schema.cue #Version config/version.json"]
        );
        assert_eq!(keys("openspec validate wiring --strict"), ["openspec validate wiring"]);
        // dev26 (a FastAPI backend): `uv run --with ruff` names the package to add.
        assert_eq!(keys("uv run --with ruff ruff check ."), ["ruff check ."]);
        // dev26 (darthzen/neuvector-mcp): a make recipe for types, a ticket's verify script.
        assert_eq!(
            keys("make types PY=.venv/bin/python 2>&1 | tail -15"),
            ["make types PY=.venv/bin/python"]
        );
        assert_eq!(
            keys("python3 build-plan/tools/agent-tools.py verify T-001 2>&1 | tail -30; echo \"EXIT: $?\""),
            ["python3 build-plan/tools/agent-tools.py verify T-001"]
        );
        assert_eq!(keys("CI=1 pnpm run test"), ["pnpm run test"]);
        assert_eq!(
            keys("npm --workspace packages/worker test"),
            ["npm packages/worker test"]
        );
        assert_eq!(keys("pnpm --filter=web run build"), ["pnpm run build"]);
        assert_eq!(keys("bash -lc 'cd web && npm run build'"), ["npm run build"]);
        // dev20: Windows launchers, Gradle's compile tasks, a bundler's build script.
        assert_eq!(keys("npm.cmd run build"), ["npm run build"]);
        assert_eq!(keys("./gradlew compileJava --console=plain"), ["./gradlew compileJava"]);
        assert_eq!(keys("node esbuild.config.mjs"), ["node esbuild.config.mjs"]);
        assert!(keys("node server.js").is_empty());
        // dev25 (an OpenCode session on a Bun app): scripts named check:<what>, Bun's runtime flag.
        assert_eq!(keys("bun --bun run check:lint"), ["bun run check:lint"]);
        assert_eq!(
            Catalogue::default().recognize("bun --bun run check:types")[0].kind,
            CheckKind::Typecheck
        );
        assert_eq!(keys("rtk cargo test"), ["cargo test"]);
        assert_eq!(
            keys("bunx --bun @biomejs/biome check src/rpc/index.ts"),
            ["biome check src/rpc/index.ts"]
        );
        assert_eq!(keys("npx prettier@3 --check ."), ["prettier --check ."]);
        // dev24 (ehmo's iOS vault): Xcode's action among its options.
        assert_eq!(
            keys(
                "xcodebuild -project apps/ios/Vault.xcodeproj -scheme Vault -destination 'generic/platform=iOS' build"
            ),
            ["xcodebuild apps/ios/Vault.xcodeproj Vault build"]
        );
        assert_eq!(
            keys(
                "xcodebuild test -scheme Vault -destination 'platform=iOS Simulator,name=iPhone 16' -only-testing:VaultTests -quiet 2>&1 | tail -5"
            ),
            ["xcodebuild test Vault VaultTests"]
        );
        assert!(keys("xcodebuild -showdestinations -scheme Vault").is_empty());
        // dev21 (snepraj2709/snapmed-pharmacv): a runner script told what to do.
        assert_eq!(keys("./ops/run.sh test"), ["./ops/run.sh test"]);
        assert_eq!(keys("./ops/run.sh build"), ["./ops/run.sh build"]);
        assert!(keys("./ops/run.sh start").is_empty());
        // dev23 (jdx/fnox): bats as the repository vendors it.
        assert_eq!(
            keys("test/bats/bin/bats test/daemon.bats"),
            ["test/bats/bin/bats test/daemon.bats"]
        );
        // dev13 (raman325/lock_code_manager): a virtual environment's tools, and the
        // repository's hooks run by hand.
        assert_eq!(
            keys(".venv/bin/python -m pytest tests/providers/zwave_js/test_uc_fallback.py"),
            ["pytest tests/providers/zwave_js/test_uc_fallback.py"]
        );
        assert_eq!(keys("/home/me/p/venv/bin/ruff check ."), ["ruff check ."]);
        // test12, opened (Real-s/mini-simclr-assignment): a conda environment's tools.
        assert_eq!(
            keys("conda run -n MedAI --no-capture-output python -m pytest tests/"),
            ["pytest tests/"]
        );
        assert_eq!(
            keys("prek run --files custom_components/lock_code_manager/config_flow.py"),
            ["prek run custom_components/lock_code_manager/config_flow.py"]
        );
        assert_eq!(
            keys("python3 -m py_compile de_trade_balance.py"),
            ["py_compile de_trade_balance.py"]
        );
        assert_eq!(keys("docker build -t nomos:v0.8.0 ."), ["docker build nomos:v0.8.0 ."]);
        // dev7 (erykpiast/fasola): a fish user's agent wraps every command.
        assert_eq!(keys("fish -c \"pnpm tsc --noEmit 2>&1\" | head -200"), ["pnpm tsc"]);
        assert_eq!(
            keys("cargo fmt --check && cargo clippy -- -D warnings"),
            ["cargo fmt --check", "cargo clippy warnings"]
        );
        assert_eq!(keys("git diff --stat && git diff --check"), ["git diff --check"]);
        assert!(super::is_format_check("cargo fmt --check") && super::is_format_check("git diff --check"));
        assert!(!super::is_format_check("cargo clippy warnings") && !super::is_format_check("git diff"));
        assert_eq!(keys("mix test test/app_test.exs"), ["mix test test/app_test.exs"]);
        // dev44 (Phoenix): the generated precommit alias runs the tests.
        assert_eq!(keys("mix precommit"), ["mix precommit"]);
        assert_eq!(keys("mix tailwind panel"), ["mix tailwind panel"]);
        assert_eq!(keys("./node_modules/.bin/jest src"), ["jest src"]);
        assert_eq!(keys("go test ./... 2>&1 | tee out.txt"), ["go test ./..."]);
    }

    #[test]
    fn a_tool_named_as_an_argument_is_not_a_validation() {
        assert!(keys("npx create-next-app@latest web --eslint --typescript").is_empty());
        assert!(keys("ls -la && cat pytest.ini").is_empty());
        assert!(keys("cargo fmt").is_empty(), "formatting in place checks nothing");
        assert!(keys("echo 'cargo test' > notes.txt").is_empty());
        assert!(keys("grep -rn pytest .").is_empty());
        // From a real Codex session: a package.json written through a here-document.
        assert!(
            keys("cat <<'EOF' > package.json\n{\n  \"eslint\": \"^9.12.0\",\n  \"vitest\": \"^2.1.4\"\n}\nEOF")
                .is_empty()
        );
        assert_eq!(keys("cat <<EOF > x.txt\npytest\nEOF\ncargo test"), ["cargo test"]);
    }

    #[test]
    fn a_broader_later_run_covers_a_narrower_earlier_one() {
        let c = Catalogue::default();
        let one = |s: &str| c.recognize(s).remove(0);
        assert!(one("pytest").covers(&one("pytest tests/test_api.py::test_login")));
        assert!(one("pytest tests/test_api.py").covers(&one("pytest tests/test_api.py::test_login")));
        assert!(one("cargo test").covers(&one("cargo test checkout")));
        assert!(!one("cargo test billing").covers(&one("cargo test checkout")));
        assert!(!one("cargo build").covers(&one("cargo test")));
        // dev44: a test run that passes built what the build did.
        assert!(one("cargo test").covers(&one("cargo build")));
        assert!(!one("cargo test").covers(&one("cargo build --release")));
        assert!(!one("cargo test -p a").covers(&one("cargo build -p b")));
        assert!(!one("npm test").covers(&one("npm run build")));
        let dotnet = |c: &str| one(&format!("dotnet {c} tests/Api.Tests/Api.Tests.csproj"));
        assert!(dotnet("test --no-restore -m:1 -v minimal").covers(&dotnet("build -v diag")));
        assert!(!one("pytest tests/test_a.py").covers(&one("pytest tests/test_b.py")));
        assert!(
            !one("go test ./pkg TestOne").covers(&one("go test ./pkg")),
            "narrower never covers broader"
        );
        assert!(
            !one("make test-e2e").covers(&one("make test-e2e-lifecycle")),
            "targets are names"
        );
        assert!(one("go test ./...").covers(&one("go test ./internal/pi/...")));
    }

    /// dev29 (bdevz/og-system): one test script failed as `python tests/x.py` from the
    /// project and as `python3 z/tests/x.py` from a deployed copy, then passed as
    /// `python3 tests/x.py`. The same file, run from elsewhere or by `python3`, is one key.
    #[test]
    fn a_script_run_from_another_directory_or_by_python3_is_the_same_check() {
        let c = Catalogue::default();
        let one = |s: &str| c.recognize(s).remove(0);
        let last = one("python3 tests/test_agent_z_production.py");
        assert!(last.covers(&one("python tests/test_agent_z_production.py")));
        assert!(last.covers(&one("python3 z/tests/test_agent_z_production.py")));
        assert!(one("pytest og-system/tests/test_api.py").covers(&one("pytest tests/test_api.py")));
        assert!(!last.covers(&one("python tests/test_agent_z.py")));
        assert!(!same_path_from_elsewhere("test", "x/test"), "a bare name is no path");
        assert!(
            !same_path_from_elsewhere("./cmd", "./x/cmd"),
            "nor is a Go package's name"
        );
        assert!(!one("pytest app/tests/test_a.py").covers(&one("pytest lib/tests/test_a.py")));
    }

    /// dev10 (entireio/entire-graph): probe tests selected with `-run` failed; the whole
    /// package (then `./...`) passed after the fix. A selection covers only itself.
    #[test]
    fn a_run_without_a_test_selection_covers_a_selected_one() {
        let c = Catalogue::default();
        let one = |s: &str| c.recognize(s).remove(0);
        let probe = one("go test ./internal/sem -run '^TestTrail7Review' -count=1 -v");
        assert_eq!(probe.key, "go test ./internal/sem ^TestTrail7Review");
        assert!(one("go test ./internal/sem").covers(&probe));
        assert!(one("go test ./...").covers(&probe));
        assert!(!one("go test ./internal/sem -run TestOther").covers(&probe));
        assert!(!probe.covers(&one("go test ./internal/sem")), "a selection is narrower");
        assert_eq!(one("pytest -k=login tests/").key, "pytest login tests/");
        assert!(one("pytest tests/").covers(&one("pytest -k login tests/test_api.py")));
        assert_eq!(
            keys("mise exec -- env GOCACHE=/tmp/c go test ./internal/gitutil"),
            ["go test ./internal/gitutil"]
        );
        assert_eq!(
            keys("fnm exec --using=24.18.0 -- corepack pnpm run test"),
            ["pnpm run test"]
        );
        assert_eq!(keys("corepack pnpm knip --no-progress"), ["pnpm knip"]);
    }

    #[test]
    fn summary_lines_of_each_ecosystem() {
        let c = Catalogue::default();
        let counts = |cmd: &str, out: &str| c.counts(&c.recognize(cmd)[0], out);
        assert_eq!(
            counts(
                "cargo test",
                "test result: ok. 10 passed; 0 failed\ntest result: FAILED. 2 passed; 1 failed"
            ),
            (Some(12), Some(1))
        );
        assert_eq!(
            counts("pytest", "==== 2 failed, 5 passed in 0.31s ===="),
            (Some(5), Some(2))
        );
        assert_eq!(
            counts("pytest", "======== 12 passed in 1.02s ========"),
            (Some(12), Some(0))
        );
        // test12, opened after its measurement (sam-fakhreddine/wfc): `-q` prints no
        // frame, and errors of fixtures count against the run.
        assert_eq!(
            counts(
                "pytest",
                "ERROR tests/test_x.py::T::t - F...\n830 passed, 3 warnings, 11 errors in 326.40s (0:05:26)"
            ),
            (Some(830), Some(11))
        );
        assert_eq!(
            counts("pytest", "=== 1 failed, 40 passed, 2 skipped, 1 error in 2.10s ==="),
            (Some(40), Some(2))
        );
        assert_eq!(
            counts("npx jest", "Tests:       1 failed, 15 passed, 16 total"),
            (Some(15), Some(1))
        );
        assert_eq!(counts("npx vitest run", " Tests  16 passed (16)"), (Some(16), Some(0)));
        assert_eq!(
            counts("npx vitest run", " Tests  2 failed | 14 passed (16)"),
            (Some(14), Some(2))
        );
        assert_eq!(
            counts("mix test", "Finished in 0.1 seconds\n12 tests, 11 failures"),
            (Some(1), Some(11))
        );
        assert_eq!(
            counts("mix test", "1 doctest, 12 tests, 0 failures"),
            (Some(12), Some(0))
        );
        assert_eq!(
            counts("bundle exec rspec", "24 examples, 2 failures"),
            (Some(22), Some(2))
        );
        assert_eq!(
            counts("npx mocha", "  5 passing (20ms)\n  1 failing"),
            (Some(5), Some(1))
        );
        assert_eq!(
            counts("go test ./...", "ok  \tpkg/a\t0.1s\nFAIL\tpkg/b\t0.2s"),
            (Some(1), Some(1))
        );
        assert_eq!(
            counts("dotnet test", "Failed!  - Failed:     1, Passed:    41, Skipped: 0"),
            (Some(41), Some(1))
        );
        // dev25 (an OpenCode session on a Phoenix app): Credo's findings, mix format's refusal.
        assert_eq!(
            counts(
                "mix credo --all 2>&1 | tail -25",
                "3083 mods/funs, found 1 warning, 3 refactoring opportunities."
            ),
            (Some(0), Some(1))
        );
        assert_eq!(counts("mix credo", "0 mods/funs, found no issues."), (Some(1), Some(0)));
        assert_eq!(
            counts(
                "mix format --check-formatted 2>&1 | tail",
                "** (Mix) mix format failed due to --check-formatted.\nThe following files are not formatted:"
            ),
            (Some(0), Some(1))
        );
        // dev24 (ehmo's iOS vault): xcodebuild's closing banner, piped through `tail`.
        assert_eq!(
            counts(
                "xcodebuild test -project apps/ios/Vault.xcodeproj -scheme Vault 2>&1 | tail -30",
                "Failing tests:\n\tVaultUITests.testLaunch()\n\n** TEST FAILED **\n"
            ),
            (Some(0), Some(1))
        );
        assert_eq!(
            counts(
                "xcodebuild test -scheme Vault -destination 'platform=iOS Simulator,name=iPhone 16' | tail",
                "xcodebuild: error: Unable to find a device matching the provided destination specifier:"
            ),
            (Some(0), Some(1))
        );
        assert_eq!(
            counts(
                "xcodebuild test -scheme Vault 2>&1 | grep -E \"(Test Case.*failed|Executed)\"",
                "\t Executed 5 tests, with 2 failures (0 unexpected) in 105.816 (105.846) seconds"
            ),
            (Some(3), Some(2))
        );
        assert_eq!(
            counts("xcodebuild build -scheme Vault", "** BUILD SUCCEEDED **"),
            (Some(1), Some(0))
        );
        // dev5 (PackmindHub/context-evaluator): `bun run test` whose tests log the
        // failures they provoke; bun's own summary says none failed.
        let bun = "[ConcurrencyLimiter] Task 2 failed: 84 |\nerror: Item 3 failed\n\n 1226 pass\n 0 fail\n 3051 expect() calls";
        assert_eq!(counts("bun run test", bun), (Some(1226), Some(0)));
        assert_eq!(counts("npm test", "# tests 9\n# pass 8\n# fail 1"), (Some(8), Some(1)));
        assert_eq!(
            counts("npm test", "step 2 failed, retrying\n7 passed, 0 failed"),
            (Some(7), Some(0))
        );
    }

    #[test]
    fn user_entries_come_first_and_bad_ones_are_errors() {
        let c = Catalogue::with_entries(&[ValidationEntry {
            pattern: r"^\./check\.sh\b".into(),
            kind: CheckKind::Test,
            summary: Some(r"(?P<passed>\d+) ok, (?P<failed>\d+) bad".into()),
        }])
        .unwrap();
        let found = c.recognize("./check.sh all");
        assert_eq!(found[0].key, "./check.sh all");
        assert_eq!(c.counts(&found[0], "3 ok, 1 bad"), (Some(3), Some(1)));
        let err = Catalogue::with_entries(&[ValidationEntry {
            pattern: "(".into(),
            kind: CheckKind::Lint,
            summary: None,
        }])
        .unwrap_err();
        assert!(err.to_string().contains("[[validation]] pattern"), "{err}");
    }
}
