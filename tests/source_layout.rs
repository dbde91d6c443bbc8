//! The layout rules of `src/`, checked on the source text so that a newcomer who breaks one
//! learns it from `cargo test`, not from a review:
//! - the module graph (`crate::`, `super::`, `self::` and child paths outside `#[cfg(test)]`
//!   modules) has no cycle, so every module can be read after the ones it uses;
//! - `extern "C"` blocks (hand-written JS bindings) live only in `src/browser/`, the one shell
//!   over the browser's APIs;
//! - nothing in `src/content/` leaks a closure with `forget()`: content features register their
//!   listeners with the route's abort signal, so a page that navigates all day leaks nothing;
//! - text is searched for a literal through `crate::substring`, not std's `&str` patterns, whose
//!   search can reach core's `slice_error_fail` and link Unicode's tables into every wasm (9 to
//!   12 KB a surface; slicing by byte position is clippy's `string_slice`, see `src/lib.rs`).
//!
//! A module's use of its own ancestors (`super::Thing` from a child) is namespace, not an edge:
//! only dependencies between modules that are not each other's ancestors can form a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its module path (`background::jobs`; the crate root is "").
fn modules(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in fs::read_dir(&folder).expect("src/ is readable") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let relative = path
                    .strip_prefix(dir)
                    .expect("under src/")
                    .with_extension("");
                let mut parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                    parts.pop();
                }
                found.insert(parts.join("::"), path);
            }
        }
    }
    found
}

/// The source without comments and without the contents of string and char literals, so that
/// braces and paths inside them are not mistaken for code.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let (c, next) = (chars[i], chars.get(i + 1).copied());
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('#' | '"'))
            && !is_ident(chars.get(i.wrapping_sub(1)))
        {
            // Raw string r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            'raw: while j < chars.len() {
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break 'raw;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && is_char_literal(&chars, i) {
            i += 1;
            while i < chars.len() && chars[i] != '\'' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// `'a'`, `'\n'`, `'\u{1F600}'` are char literals; `'a` (a lifetime or label) is not.
fn is_char_literal(chars: &[char], at: usize) -> bool {
    match chars.get(at + 1) {
        Some('\\') => true,
        Some(_) => chars.get(at + 2) == Some(&'\''),
        None => false,
    }
}

/// Removes `#[cfg(test)]` items (test modules and test-only functions or imports).
fn without_tests(code: &str) -> String {
    without_items(code, "#[cfg(test)]")
}

/// Removes the items that follow `marker` (an attribute).
fn without_items(code: &str, marker: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find(marker) {
        out.push_str(&rest[..at]);
        let item = &rest[at..];
        // The item ends at its first top-level `;` or at the brace closing its first `{`.
        let mut depth = 0usize;
        let mut end = item.len();
        for (offset, c) in item.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = offset + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = offset + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into full paths.
fn expand_use_tree(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let plain = tree.split(" as ").next().unwrap_or("").trim();
        return vec![plain.to_string()];
    };
    let prefix = tree[..open].trim().trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (offset, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..offset]);
                start = offset + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .flat_map(expand_use_tree)
        .map(|sub| match (prefix.is_empty(), sub.as_str()) {
            (true, _) => sub,
            (false, "self") => prefix.to_string(),
            (false, _) => format!("{prefix}::{sub}"),
        })
        .collect()
}

/// The module paths `code` (of module `module`) names, as written: `crate::a::b`,
/// `super::c`, `self::d`, or a child's `e::f`.
fn named_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    // `use` declarations, with their trees expanded.
    let mut rest = code;
    while let Some(at) = find_word(rest, "use") {
        let statement = &rest[at + 3..];
        // `use:name=…` in a view is a Leptos directive, not a declaration.
        if !statement.starts_with(char::is_whitespace) {
            rest = statement;
            continue;
        }
        let end = statement.find(';').unwrap_or(statement.len());
        paths.extend(expand_use_tree(&statement[..end]));
        rest = &statement[end..];
    }
    // Paths in expressions and types: any `ident::ident...` chain.
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if is_ident(chars.get(i))
            && !is_ident(chars.get(i.wrapping_sub(1)))
            && chars.get(i.wrapping_sub(1)) != Some(&':')
        {
            let mut j = i;
            while j < chars.len()
                && (is_ident(chars.get(j)) || (chars[j] == ':' && chars.get(j + 1) == Some(&':')))
            {
                j += if chars[j] == ':' { 2 } else { 1 };
            }
            let chain: String = chars[i..j].iter().collect();
            if chain.contains("::") {
                paths.push(chain.trim_end_matches("::").to_string());
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    paths
}

fn find_word(haystack: &str, word: &str) -> Option<usize> {
    let bytes = haystack.as_bytes();
    let mut from = 0;
    while let Some(found) = haystack[from..].find(word) {
        let at = from + found;
        let before = at.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(at + word.len()).copied();
        let boundary = |b: Option<u8>| b.is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'_'));
        if boundary(before) && boundary(after) {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// The module a path written in `module` leads to, if it is one of ours.
fn resolve(module: &str, path: &str, known: &BTreeMap<String, PathBuf>) -> Option<String> {
    let mut base: Vec<&str> = if module.is_empty() {
        vec![]
    } else {
        module.split("::").collect()
    };
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    match segments.first().copied() {
        Some("crate") => {
            base.clear();
            segments.remove(0);
        }
        Some("self") => {
            segments.remove(0);
        }
        Some("super") => {
            while segments.first() == Some(&"super") {
                base.pop();
                segments.remove(0);
            }
        }
        // A bare path names a child module (or something else: an import, a crate, a type).
        _ => {}
    }
    let full: Vec<&str> = base.iter().chain(segments.iter()).copied().collect();
    (1..=full.len())
        .rev()
        .map(|n| full[..n].join("::"))
        .find(|candidate| known.contains_key(candidate))
}

fn is_ancestor(ancestor: &str, of: &str) -> bool {
    ancestor.is_empty() || of.starts_with(&format!("{ancestor}::"))
}

/// The module graph: an edge for each module another one uses (ancestors excepted).
fn module_graph(sources: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let known: BTreeMap<String, PathBuf> = sources
        .keys()
        .map(|m| (m.clone(), PathBuf::new()))
        .collect();
    sources
        .iter()
        .map(|(module, source)| {
            let code = without_tests(&code_only(source));
            let uses = named_paths(&code)
                .iter()
                .filter_map(|path| resolve(module, path, &known))
                .filter(|target| target != module && !is_ancestor(target, module))
                .collect();
            (module.clone(), uses)
        })
        .collect()
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let order = self.index.len();
            self.index.insert(node, order);
            self.low.insert(node, order);
            self.stack.push(node);
            self.on_stack.insert(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.on_stack.contains(next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let mut component = Vec::new();
                while let Some(member) = self.stack.pop() {
                    self.on_stack.remove(member);
                    component.push(member.to_string());
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.sort();
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.found
}

fn src_sources() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    modules(&src)
        .into_iter()
        .map(|(module, path)| (module, fs::read_to_string(path).expect("readable source")))
        .collect()
}

fn file_of(module: &str) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let path = modules(&src).remove(module).expect("a known module");
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(&path)
        .display()
        .to_string()
}

#[test]
fn src_has_no_module_cycle() {
    let found = cycles(&module_graph(&src_sources()));
    assert!(
        found.is_empty(),
        "modules that use each other (directly or around a circle); move what they share below both:\n{}",
        found.iter().map(|c| format!("  {}", c.join(" <-> "))).collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn js_bindings_live_only_in_the_browser_shell() {
    let outside: Vec<String> = src_sources()
        .iter()
        .filter(|(module, _)| *module != "browser" && !module.starts_with("browser::"))
        .filter(|(_, source)| code_only(source).contains("extern \"\""))
        .map(|(module, _)| file_of(module))
        .collect();
    assert!(
        outside.is_empty(),
        "extern blocks outside src/browser/: {outside:?}"
    );
}

#[test]
fn content_features_leak_no_closures() {
    let leaking: Vec<String> = src_sources()
        .iter()
        .filter(|(module, _)| *module == "content" || module.starts_with("content::"))
        .filter(|(_, source)| code_only(source).contains(".forget()"))
        .map(|(module, _)| file_of(module))
        .collect();
    assert!(
        leaking.is_empty(),
        "Closure::forget in the content script: {leaking:?}"
    );
}

/// The std calls that search text for a `&str` pattern, as [`code_only`] leaves a literal one
/// (`.contains("")`). `.matches` is not among them: in `src/` it is `Element::matches`.
const STR_PATTERN_SEARCHES: [&str; 13] = [
    ".contains(\"\")",
    ".find(\"\")",
    ".rfind(\"\")",
    ".split(\"\")",
    ".rsplit(\"\")",
    ".split_once(\"\")",
    ".rsplit_once(\"\")",
    ".replace(\"\"",
    ".trim_matches(\"\")",
    ".trim_start_matches(\"\")",
    ".trim_end_matches(\"\")",
    ".match_indices(\"\")",
    ".pointer(\"\")",
];

/// Test items include the browser tests (`#[cfg(all(test, target_arch = "wasm32"))]`).
fn std_str_pattern_searches(source: &str) -> Vec<&'static str> {
    let code = without_items(&without_tests(&code_only(source)), "#[cfg(all(test,");
    STR_PATTERN_SEARCHES
        .into_iter()
        .filter(|search| code.contains(search))
        .collect()
}

/// Whether `module` is declared only for tests (`#[cfg(test)]` or `#[cfg(all(test, …))]` on
/// its `mod` line in its parent), like `upload::tests`.
fn is_test_module(module: &str, sources: &BTreeMap<String, String>) -> bool {
    let (parent, name) = module.rsplit_once("::").unwrap_or(("", module));
    let Some(parent) = sources.get(parent) else {
        return false;
    };
    let lines: Vec<&str> = parent.lines().map(str::trim).collect();
    lines.iter().enumerate().any(|(at, line)| {
        let declares = line.strip_prefix("pub ").unwrap_or(line) == format!("mod {name};");
        declares
            && at > 0
            && (lines[at - 1] == "#[cfg(test)]" || lines[at - 1].starts_with("#[cfg(all(test,"))
    })
}

#[test]
fn src_searches_text_without_std_str_patterns() {
    let sources = src_sources();
    let found: Vec<String> = sources
        .iter()
        .filter(|(module, _)| !is_test_module(module, &sources))
        .filter_map(|(module, source)| {
            let searches = std_str_pattern_searches(source);
            (!searches.is_empty()).then(|| format!("  {}: {}", file_of(module), searches.join(" ")))
        })
        .collect();
    assert!(
        found.is_empty(),
        "std's &str-pattern searches outside tests (use crate::substring):\n{}",
        found.join("\n")
    );
}

// ---- The checks themselves can fail -----------------------------------------------------------

fn sources(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(m, s)| (m.to_string(), s.to_string()))
        .collect()
}

#[test]
fn a_cycle_through_use_trees_and_inline_paths_is_found() {
    let graph = module_graph(&sources(&[
        ("", "mod a; mod b; mod c;"),
        ("a", "use crate::{b::{Thing, other}, x};"),
        ("b", "fn f() { crate::c::g() }"),
        ("c", "use super::a; fn g() {}"),
    ]));
    assert_eq!(
        cycles(&graph),
        vec![vec!["a".to_string(), "b".into(), "c".into()]]
    );
}

#[test]
fn parents_tests_comments_and_strings_make_no_edge() {
    let graph = module_graph(&sources(&[
        ("", "mod a; mod b;"),
        ("a", "mod child; fn f() { child::g(); }"),
        ("a::child", "use super::Thing; fn g() {}"),
        ("b", "// crate::a::f\nconst S: &str = \"crate::a\";\n#[cfg(test)]\nmod tests { use crate::a; }"),
        ("x", ""),
    ]));
    assert!(cycles(&graph).is_empty());
    assert_eq!(graph["a"], BTreeSet::from(["a::child".to_string()]));
    assert!(
        graph["a::child"].is_empty(),
        "a child's use of its parent is namespace"
    );
    assert!(
        graph["b"].is_empty(),
        "comments, strings and tests are not dependencies"
    );
}

#[test]
fn a_leptos_directive_is_not_a_use_declaration() {
    let graph = module_graph(&sources(&[
        ("", "mod a; mod b;"),
        (
            "a",
            "fn v() { view! { <div use:build_parts=id on:input=handler(f)></div> } }\nuse crate::b;",
        ),
        ("b", ""),
    ]));
    assert_eq!(graph["a"], BTreeSet::from(["b".to_string()]));
}

#[test]
fn sibling_modules_through_super_form_a_cycle() {
    let graph = module_graph(&sources(&[
        ("", "mod w;"),
        ("w", "mod jobs; mod settings;"),
        ("w::jobs", "use super::settings::Settings;"),
        ("w::settings", "fn f() { super::jobs::refresh() }"),
    ]));
    assert_eq!(
        cycles(&graph),
        vec![vec!["w::jobs".to_string(), "w::settings".into()]]
    );
}

#[test]
fn extern_blocks_and_forget_are_seen_in_code_not_in_comments() {
    assert!(code_only("#[wasm_bindgen]\nextern \"C\" { fn f(); }").contains("extern \"\""));
    assert!(!code_only("// extern \"C\" { }\n").contains("extern \"\""));
    assert!(code_only("closure.forget();").contains(".forget()"));
    assert!(!code_only("/* closure.forget(); */ let s = \"x.forget()\";").contains(".forget()"));
}

#[test]
fn a_literal_str_pattern_is_found_outside_tests_only() {
    assert_eq!(
        std_str_pattern_searches("fn f(s: &str) -> bool { s.contains(\"at\") }"),
        [".contains(\"\")"]
    );
    assert_eq!(
        std_str_pattern_searches("fn f(s: &str) { s.split_once(\"://\"); s.find('/'); }"),
        [".split_once(\"\")"]
    );
    // A char pattern, a comment, and a test are not searches to report.
    assert!(std_str_pattern_searches(
        "fn f(s: &str) -> bool { s.contains('%') } // s.contains(\"x\")\n\
         #[cfg(test)]\nmod tests { fn g(s: &str) -> bool { s.contains(\"y\") } }\n\
         #[cfg(all(test, target_arch = \"wasm32\"))]\nmod browser_tests { fn h(s: &str) { s.find(\"z\"); } }"
    )
    .is_empty());
    let tree = sources(&[
        ("", "#[cfg(test)]\nmod tests;\npub mod upload;"),
        (
            "upload",
            "#[cfg(all(test, target_arch = \"wasm32\"))]\nmod browser;\nmod outbox;",
        ),
    ]);
    assert!(is_test_module("tests", &tree) && is_test_module("upload::browser", &tree));
    assert!(!is_test_module("upload", &tree) && !is_test_module("upload::outbox", &tree));
}
