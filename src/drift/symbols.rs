//! A language-aware-enough definition search: does a file define a symbol?
//!
//! Per language, a definition is a line that starts (after indentation and common
//! modifiers) with the language's defining keyword followed by the name:
//! - Rust: `fn`, `struct`, `enum`, `trait`, `type`, `const`, `static`, `mod`, `union`, `macro_rules!`
//! - TypeScript / JavaScript: `function`, `class`, `interface`, `type`, `enum`, `const`, `let`, `var`
//! - Python: `def`, `async def`, `class`, or a module-level `NAME =`
//! - Go: `func`, `func (receiver)`, `type`, `var`, `const`
//!
//! Other files: the name appears as a whole word.

use regex::Regex;

/// Whether `source` (the content of `path`) defines `name`.
pub fn defines_symbol(path: &str, source: &str, name: &str) -> bool {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let n = regex::escape(name);
    let pattern = match ext.as_str() {
        "rs" => format!(
            r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?(?:(?:async|const|unsafe|extern\s+\S+|default)\s+)*(?:fn|struct|enum|trait|type|const|static(?:\s+mut)?|mod|union)\s+{n}\b|macro_rules!\s*{n}\b"
        ),
        // Declarations, and class members: a method whose parameter list is followed by
        // its body (`private async runLoop(\n  thread: T,\n): Promise<R> {`; a call is
        // followed by `;` or an operator), or a field holding an arrow function.
        "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs" => format!(
            r"(?m)^\s*(?:export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|interface|type|enum|const|let|var)\s+{n}\b|^\s*(?:(?:public|private|protected|static|async|readonly|override|abstract|get|set)\s+)*\*?{n}\s*(?:<[^>()]*>)?\s*\((?:[^()]|\([^()]*\))*\)\s*(?::\s*[^;{{}}=()]+)?\{{|^\s*(?:(?:public|private|protected|static|readonly)\s+)*{n}\s*(?::[^=;]+)?=\s*(?:async\s+)?(?:\([^)]*\)|\w+)\s*(?::\s*[^=;]+)?=>|^\s*{n}\s*:\s*(?:async\s+)?(?:function\b|(?:\([^)]*\)|\w+)\s*(?::\s*[^=;]+)?=>\s*(?:[{{(]|$|[^;]*,\s*$))"
        ),
        "py" => format!(r"(?m)^\s*(?:async\s+)?(?:def|class)\s+{n}\b|^{n}\s*(?::[^=]*)?="),
        "go" => format!(r"(?m)^\s*(?:func(?:\s*\([^)]*\))?|type|var|const)\s+{n}\b"),
        "sh" | "bash" | "zsh" => format!(r"(?m)^\s*(?:function\s+{n}\b|{n}\s*\(\))"),
        _ => format!(r"\b{n}\b"),
    };
    Regex::new(&pattern).is_ok_and(|re| re.is_match(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_definitions() {
        let src = "pub(crate) async fn route() {}\nstruct Mode;\nimpl Mode {\n    pub fn run(&self) {}\n}\nmacro_rules! m {}\n// fn ghost\n";
        for name in ["route", "Mode", "run", "m"] {
            assert!(defines_symbol("a.rs", src, name), "{name}");
        }
        assert!(!defines_symbol("a.rs", src, "ghost"));
        assert!(!defines_symbol("a.rs", "let route = 1;", "route"));
    }

    #[test]
    fn typescript_python_go_definitions() {
        assert!(defines_symbol(
            "a.ts",
            "export default async function handler() {}",
            "handler"
        ));
        assert!(defines_symbol("a.ts", "export interface Options {}", "Options"));
        assert!(!defines_symbol("a.ts", "handler();", "handler"));
        // dev18 (ryaneggz/deep-factor-agent): class methods and arrow-function fields.
        let class = "export class Agent {\n  private buildMessages(thread: AgentThread): BaseMessage[] {\n    return [];\n  }\n  private async runLoop(\n    thread: AgentThread,\n    prompt: string,\n  ): Promise<Result> {\n    return this.runLoop(thread, prompt);\n  }\n  onEvent = (e: Event) => {};\n}\n";
        for name in ["buildMessages", "runLoop", "onEvent"] {
            assert!(defines_symbol("agent.ts", class, name), "{name}");
        }
        // dev45 (y3-vs/rag-app): a store's actions are an object literal's functions;
        // the interface's `createNewChat: () => string;` only declares one.
        let store = "export const useChatStore = create<ChatStore>()((set) => ({\n  createNewChat: () => {\n    return id;\n  },\n  addMessage: async (chatId, message) => set({ x }),\n  reset: function () {},\n}));\n";
        for name in ["createNewChat", "addMessage", "reset"] {
            assert!(defines_symbol("chat-store.ts", store, name), "{name}");
        }
        assert!(!defines_symbol(
            "types.ts",
            "interface ChatStore {\n  createNewChat: () => string;\n}\n",
            "createNewChat"
        ));
        assert!(!defines_symbol("a.ts", "  onClick: handler,\n", "onClick"));
        assert!(!defines_symbol(
            "a.ts",
            "  buildMessages(thread);\n  if (x) {\n",
            "buildMessages"
        ));
        assert!(!defines_symbol("a.ts", "  run(a, () => {\n    go(x);\n  });\n", "run"));
        assert!(defines_symbol(
            "a.py",
            "class Router:\n    async def route(self): ...",
            "route"
        ));
        assert!(defines_symbol("a.py", "TIMEOUT: int = 3", "TIMEOUT"));
        assert!(!defines_symbol("a.py", "route(x)", "route"));
        assert!(defines_symbol("a.go", "func (s *Server) Serve() error {", "Serve"));
        assert!(defines_symbol("a.go", "type Server struct {", "Server"));
        assert!(!defines_symbol("a.go", "s.Serve()", "Serve"));
        // dev26 (amit-t/bookshelf): zsh functions.
        assert!(defines_symbol(
            "t/_assert.zsh",
            "setup_temp_repo() {\n  cd x\n}\n",
            "setup_temp_repo"
        ));
        assert!(defines_symbol("a.sh", "function slug {\n}", "slug"));
        assert!(!defines_symbol("a.sh", "  setup_temp_repo\n", "setup_temp_repo"));
    }
}
