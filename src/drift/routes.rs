//! URL routes: parsed into segments, matched against the routes a framework defines, and
//! read from file-based routers (Next.js, SvelteKit, Remix, Astro/Nuxt `pages/`).

use regex::Regex;
use std::sync::LazyLock;

/// A URL route split into segments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Seg {
    Lit(String),
    Param,
    CatchAll,
}

/// A route with one `{a,b}` group of alternatives as one route per alternative (`{id}`,
/// a parameter, is left alone).
pub(super) fn expand_alternatives(route: &str) -> Vec<String> {
    if let Some(open) = route.find('{')
        && let Some(len) = route[open..].find('}')
        && route[open..open + len].contains(',')
    {
        let (head, group, tail) = (&route[..open], &route[open + 1..open + len], &route[open + len + 1..]);
        return group
            .split(',')
            .map(|alt| format!("{head}{}{tail}", alt.trim()))
            .collect();
    }
    vec![route.to_owned()]
}

/// `/api/users/{id}` → [api, users, param]; `:id`, `[id]`, `<int:id>`, `$id` are
/// parameters; `[...slug]`, `*` catch-alls.
pub(super) fn parse_route(route: &str) -> Vec<Seg> {
    route
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with("[...") || s.starts_with("[[...") || s == "*" || s.starts_with("*") || s == "$" {
                Seg::CatchAll
            } else if (s.starts_with('{') && s.ends_with('}'))
                || s.starts_with(':')
                || (s.starts_with('[') && s.ends_with(']'))
                || (s.starts_with('<') && s.ends_with('>'))
                || s.starts_with('$')
            {
                Seg::Param
            } else {
                Seg::Lit(s.to_ascii_lowercase())
            }
        })
        .collect()
}

/// Whether a wanted route (from the PRD) fits a defined one.
/// How a route the document names may fit a defined one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fit {
    /// Word for word; a parameter fits only a parameter.
    Exact,
    /// A defined parameter or catch-all may stand for a word the document names.
    ParamsTakeWords,
}

/// Whether route `wanted` fits route `defined`.
pub(super) fn segments_match(wanted: &[Seg], defined: &[Seg], fit: Fit) -> bool {
    segments_match_joined(wanted, defined, &[], fit)
}

/// Whether route `wanted` fits the route `head` followed by `tail` (a mount prefix and a
/// route under it), without building the joined route.
pub(super) fn segments_match_joined(wanted: &[Seg], head: &[Seg], tail: &[Seg], fit: Fit) -> bool {
    let (head, tail) = if head.is_empty() { (tail, &[][..]) } else { (head, tail) };
    let takes_words = fit == Fit::ParamsTakeWords;
    match (wanted.first(), head.first()) {
        (None, None) => true,
        (Some(Seg::Lit(_)), Some(Seg::CatchAll)) => takes_words,
        (_, Some(Seg::CatchAll)) => true,
        (None, Some(_)) | (Some(_), None) => false,
        (Some(w), Some(d)) => {
            let fits = match (w, d) {
                (Seg::Lit(a), Seg::Lit(b)) => a == b,
                (Seg::Lit(_), Seg::Param) => takes_words,
                // A parameter the document writes stands for any word only where no
                // defined parameter has already been let take one: `/{id}/workflow`
                // against `/audits/{id}` would otherwise fit by suffix (dev45).
                (Seg::Param, Seg::Lit(_)) => !takes_words,
                (_, Seg::Param) | (Seg::Param, _) => true,
                _ => false,
            };
            fits && segments_match_joined(&wanted[1..], &head[1..], tail, fit)
        }
    }
}

/// The routes a file may define in a file-based router. A Next.js app directory nested
/// in one named `app` (`src/app/app/page.tsx`, the `/app` page; `apps/app/app/page.tsx`,
/// a package's root page) reads both ways: the tree alone cannot say which `app/` is
/// the router's.
pub(super) fn file_routes(path: &str) -> Vec<Vec<Seg>> {
    static NEXT_APP_OUTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:.*?/)??(?:src/)?app/(.*?)/?(?:page|route)\.(?:tsx|ts|jsx|js|mdx|md)$").expect("static regex")
    });
    let mut routes: Vec<Vec<Seg>> = file_route(path).into_iter().collect();
    if let Some(c) = NEXT_APP_OUTER.captures(path)
        && !path.contains("/routes/")
    {
        let outer = parse_route(
            &c[1]
                .split('/')
                .filter(|s| keep_segment(s))
                .collect::<Vec<_>>()
                .join("/"),
        );
        if !routes.contains(&outer) {
            routes.push(outer);
        }
    }
    routes
}

/// Whether a folder of a file-based router is part of the URL: `(group)` folders and
/// `@slot`s are not.
fn keep_segment(seg: &str) -> bool {
    !(seg.is_empty() || seg.starts_with('@') || (seg.starts_with('(') && seg.ends_with(')')))
}

/// The route a file defines in a file-based router, if it is a route file.
pub(super) fn file_route(path: &str) -> Option<Vec<Seg>> {
    static NEXT_APP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:.*/)?(?:src/)?app/(.*?)/?(?:page|route)\.(?:tsx|ts|jsx|js|mdx|md)$").expect("static regex")
    });
    static PAGES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:.*/)?(?:src/)?pages/(.*)\.(?:tsx|ts|jsx|js|mdx|md|vue|astro|svelte)$").expect("static regex")
    });
    static SVELTEKIT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:.*/)?src/routes/(.*?)/?\+(?:page|server)(?:\.server)?\.(?:svelte|ts|js)$")
            .expect("static regex")
    });
    static REMIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:.*/)?app/routes/(.+?)(?:/route)?\.(?:tsx|ts|jsx|js|mdx)$").expect("static regex")
    });
    let keep = |seg: &&str| keep_segment(seg);
    if let Some(c) = SVELTEKIT.captures(path) {
        return Some(parse_route(&c[1].split('/').filter(keep).collect::<Vec<_>>().join("/")));
    }
    if let Some(c) = REMIX.captures(path) {
        let flat: Vec<String> = c[1]
            .split(['.', '/'])
            .filter(|s| !s.starts_with('_') || s.starts_with("_index"))
            .filter(|s| *s != "_index" && *s != "route")
            .map(|s| s.trim_end_matches('_').to_owned())
            .collect();
        return Some(parse_route(&flat.join("/")));
    }
    if let Some(c) = NEXT_APP.captures(path) {
        return Some(parse_route(&c[1].split('/').filter(keep).collect::<Vec<_>>().join("/")));
    }
    if let Some(c) = PAGES.captures(path) {
        let route = &c[1];
        if route.split('/').any(|s| s.starts_with('_')) {
            return None;
        }
        let route = route
            .strip_suffix("/index")
            .or_else(|| (route == "index").then_some(""))
            .unwrap_or(route);
        return Some(parse_route(route));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &str) -> Option<String> {
        file_route(path).map(|segs| joined(&segs))
    }

    fn joined(segs: &[Seg]) -> String {
        segs.iter()
            .map(|s| match s {
                Seg::Lit(l) => l.clone(),
                Seg::Param => ":p".into(),
                Seg::CatchAll => "*".into(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    #[test]
    fn an_app_directory_inside_one_named_app_reads_both_ways() {
        // dev14 (awaterhouse1819/Prompt69): "Login page + `/app` shell page", defined by
        // src/app/app/page.tsx.
        let routes: Vec<String> = file_routes("src/app/app/page.tsx").iter().map(|r| joined(r)).collect();
        assert_eq!(routes, ["", "app"]);
        let routes: Vec<String> = file_routes("src/app/dashboard/page.tsx")
            .iter()
            .map(|r| joined(r))
            .collect();
        assert_eq!(routes, ["dashboard"]);
        assert_eq!(file_routes("app/routes/users.$id.tsx").len(), 1);
    }

    #[test]
    fn file_routers_of_each_framework() {
        assert_eq!(
            route("app/(dashboard)/dashboard/stats/page.tsx").as_deref(),
            Some("dashboard/stats")
        );
        assert_eq!(
            route("src/app/api/users/[id]/route.ts").as_deref(),
            Some("api/users/:p")
        );
        assert_eq!(route("pages/blog/index.tsx").as_deref(), Some("blog"));
        assert_eq!(route("pages/_app.tsx"), None);
        assert_eq!(route("src/routes/settings/+page.svelte").as_deref(), Some("settings"));
        assert_eq!(
            route("src/routes/(app)/api/items/[id]/+server.ts").as_deref(),
            Some("api/items/:p")
        );
        assert_eq!(
            route("app/routes/dashboard.stats.tsx").as_deref(),
            Some("dashboard/stats")
        );
        assert_eq!(route("app/routes/users.$id.tsx").as_deref(), Some("users/:p"));
        assert_eq!(route("app/routes/_index.tsx").as_deref(), Some(""));
        assert_eq!(route("src/lib/util.ts"), None);
    }

    #[test]
    fn routes_match_with_parameters_and_catch_alls() {
        let m = |a: &str, b: &str| segments_match(&parse_route(a), &parse_route(b), Fit::ParamsTakeWords);
        let exact = |a: &str, b: &str| segments_match(&parse_route(a), &parse_route(b), Fit::Exact);
        assert!(m("/api/users/{id}", "/api/users/:user_id"));
        assert!(exact("/api/users/{id}", "/api/users/:user_id"));
        assert!(m("/users/42", "/users/<int:id>"));
        assert!(m("/docs/a/b", "/docs/[...slug]"));
        // pool (Bharath-code/shipsense): `/dashboard/portfolio` is not the `[repoId]` page.
        assert!(!exact("/dashboard/portfolio", "/dashboard/[repoId]"));
        assert!(!exact("/docs/a/b", "/docs/[...slug]"));
        assert!(!m("/api/users", "/api/users/:id"));
        assert!(!m("/settings", "/profile"));
        // dev45 (dev-loopedneedle/looped-needle-api): the document's `{audit_id}` takes
        // no word of `/audits/{audit_id}` while that route's parameter takes `workflow`.
        assert!(!m("/{audit_id}/workflow", "/audits/{audit_id}"));
        assert!(exact("/api/{version}/users", "/api/v1/users"));
    }
}
