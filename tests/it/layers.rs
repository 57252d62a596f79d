//! The house has no circles and imports only go down: every `crate::`,
//! `super::` and `self::` path in `src/**/*.rs` is read (in `use` lines,
//! grouped `use crate::{a, b::c}` trees and inline paths in code) and checked
//! against the one layer table below. The README's "Architecture: layers"
//! section draws the same table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers from the top; a module may import from its own layer or any below.
/// The first matching prefix wins (longest first), the crate root is `""`.
///
/// Why each module sits where it does:
/// - entry: `lib.rs`/`main.rs` parse the command line and dispatch.
/// - commands: one module per subcommand; they read their `cli` arguments,
///   gather, and call services or print.
/// - services: the engines a command drives. `access`, `wire` and `targets`
///   observe, plan and apply through the pipeline; `doctor` and `audit` turn
///   what was read into findings.
/// - pipeline: the one observe -> plan -> apply -> verify loop the mutating
///   services share; nothing below knows it exists.
/// - infra: one module per AWS resource kind: how it is observed, made,
///   waited for and deleted, for every service and command that composes it.
/// - plan: plans as data, pure.
/// - runtime: what a run needs around the AWS calls and is not domain
///   knowledge: the parsed flags (`cli`: commands read their arguments,
///   `context` the global ones), the resolved `context`, rendering
///   (`output`), waiting (`poll`, `wait`), the write `lease`, policy
///   `backup`s, `private_file`s and Ctrl-C (`interrupt`).
/// - aws: the adapters, the only place SDK types appear.
/// - domain: the crate's own vocabulary, no I/O: validated `ids`, the
///   `model` of AWS resources, `policy`, the `mtls` unit, `region`s, the
///   names of a proxy `stack`, `cidr` arithmetic, and `error` (every layer
///   returns it).
const LAYERS: &[(&str, &[&str])] = &[
    ("entry", &["", "main"]),
    ("commands", &["commands"]),
    (
        "services",
        &["access", "wire", "targets", "doctor", "audit"],
    ),
    ("pipeline", &["pipeline"]),
    ("infra", &["infra"]),
    ("plan", &["plan"]),
    (
        "runtime",
        &[
            "cli",
            "context",
            "output",
            "poll",
            "wait",
            "lease",
            "backup",
            "private_file",
            "interrupt",
        ],
    ),
    ("aws", &["aws"]),
    (
        "domain",
        &[
            "ids", "model", "policy", "mtls", "region", "stack", "cidr", "error",
        ],
    ),
];

/// A module path such as `doctor::checks`; the crate root is empty.
type ModPath = Vec<String>;

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "crate".into()
    } else {
        m.join("::")
    }
}

/// Height of a module's layer (0 = top) and the layer's name.
fn layer_of(module: &[String]) -> Option<(usize, &'static str)> {
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (height, (name, prefixes)) in LAYERS.iter().enumerate() {
        for p in *prefixes {
            let p: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
            let matches = p.len() <= module.len() && p.iter().zip(module).all(|(a, b)| a == b);
            if matches && best.is_none_or(|(len, _, _)| p.len() > len) {
                best = Some((p.len(), height, name));
            }
        }
    }
    best.map(|(_, h, n)| (h, n))
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/foo/mod.rs` is `foo`, `src/foo/bar.rs` is `foo::bar`, `lib.rs` the root.
fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    match stem {
        "mod" => {}
        "lib" if parts.is_empty() => {}
        _ => parts.push(stem.to_string()),
    }
    parts
}

/// The source with comments and the insides of string and char literals
/// blanked, so only code is left to tokenise.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c[i] == 'r'
            && (next == Some('"') || next == Some('#'))
            && !c
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // Raw string r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if c.get(j) != Some(&'"') {
                out.push(c[i]);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if c[j] == '"' && (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) {
                    i = j + 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
        } else if c[i] == '"' {
            i += 1;
            while c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c[i] == '\'' {
            // A char literal ('a', '\n', '\u{..}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push('\'');
                i += 1;
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn tokens(code: &str) -> Vec<String> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        if c[i].is_alphanumeric() || c[i] == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(c[start..i].iter().collect());
        } else if c[i] == ':' && c.get(i + 1) == Some(&':') {
            out.push("::".into());
            i += 2;
        } else if c[i].is_whitespace() {
            i += 1;
        } else {
            out.push(c[i].to_string());
            i += 1;
        }
    }
    out
}

/// Reads one path (or use tree) starting at `t[*i]`, a segment after `::`,
/// with the segments so far in `prefix`; pushes every full path to `out`.
fn read_tree(t: &[String], i: &mut usize, prefix: ModPath, out: &mut Vec<ModPath>) {
    let mut path = prefix;
    loop {
        match t.get(*i).map(String::as_str) {
            Some("{") => {
                *i += 1;
                while t.get(*i).is_some_and(|s| s != "}") {
                    read_tree(t, i, path.clone(), out);
                    if t.get(*i).is_some_and(|s| s == ",") {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            Some("super") => {
                path.pop();
            }
            Some("self") => {}
            Some(s) if s.chars().all(|ch| ch.is_alphanumeric() || ch == '_') => {
                path.push(s.to_string());
            }
            _ => break,
        }
        *i += 1;
        if t.get(*i).is_some_and(|s| s == "::") {
            *i += 1;
        } else {
            break;
        }
    }
    if t.get(*i).is_some_and(|s| s == "as") {
        *i += 2;
    }
    out.push(path);
}

/// Every crate-internal path a file names, resolved to absolute module paths
/// (`super::` and `self::` are relative to the inline `mod` they sit in).
fn paths_in(file_module: &[String], src: &str) -> Vec<ModPath> {
    let t = tokens(&code_only(src));
    let mut out = Vec::new();
    let mut depth = 0usize;
    // Inline modules (`mod tests { .. }`) open: name and the depth inside.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let here = || -> ModPath {
            let mut m = file_module.to_vec();
            m.extend(inline.iter().map(|(n, _)| n.clone()));
            m
        };
        match t[i].as_str() {
            "mod" if t.get(i + 2).is_some_and(|s| s == "{") => {
                inline.push((t[i + 1].clone(), depth + 1));
                depth += 1;
                i += 3;
                continue;
            }
            "{" => depth += 1,
            "}" => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            base @ ("crate" | "super" | "self")
                if t.get(i + 1).is_some_and(|s| s == "::")
                    && !(i > 0 && (t[i - 1] == "::" || t[i - 1] == "$")) =>
            {
                let start = match base {
                    "crate" => Vec::new(),
                    "super" => {
                        let mut m = here();
                        m.pop();
                        m
                    }
                    _ => here(),
                };
                i += 2;
                read_tree(&t, &mut i, start, &mut out);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

struct Crate {
    /// Every file module, with its file relative to `src/`.
    files: BTreeMap<ModPath, PathBuf>,
    /// file module -> file module it names, with one example path.
    edges: BTreeMap<(ModPath, ModPath), ModPath>,
}

fn read_crate() -> Crate {
    let src = src_dir();
    let mut paths = Vec::new();
    rust_files(&src, &mut paths);
    let mut files = BTreeMap::new();
    for p in &paths {
        let rel = p.strip_prefix(&src).unwrap().to_path_buf();
        let mut m = module_of(&rel);
        if rel == Path::new("main.rs") {
            m = vec!["main".into()];
        }
        files.insert(m, rel);
    }
    let mut edges = BTreeMap::new();
    for (module, rel) in &files {
        let text = std::fs::read_to_string(src.join(rel)).unwrap();
        for path in paths_in(module, &text) {
            // The file module a path lands in: its longest prefix that is a file.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| files.contains_key(p))
                .unwrap();
            if &target != module {
                edges
                    .entry((module.clone(), target))
                    .or_insert_with(|| path.clone());
            }
        }
    }
    Crate { files, edges }
}

#[test]
fn every_module_has_a_layer() {
    let c = read_crate();
    let missing: Vec<String> = c
        .files
        .keys()
        .filter(|m| layer_of(m).is_none())
        .map(|m| show(m))
        .collect();
    assert!(
        missing.is_empty(),
        "modules with no layer in tests/it/layers.rs LAYERS: {missing:?}"
    );
}

#[test]
fn imports_only_go_down() {
    let c = read_crate();
    let mut upward = Vec::new();
    for ((from, to), example) in &c.edges {
        let (Some((hf, lf)), Some((ht, lt))) = (layer_of(from), layer_of(to)) else {
            continue;
        };
        if ht < hf {
            upward.push(format!(
                "{} -> {} ({}) ({lf} -> {lt})",
                c.files[from].display(),
                c.files[to].display(),
                show(example),
            ));
        }
    }
    assert!(
        upward.is_empty(),
        "{} import(s) run up a layer:\n{}",
        upward.len(),
        upward.join("\n")
    );
}

/// Whether `a` is `b`'s ancestor. A child module sees every private item of
/// its ancestors, so `foo/mod.rs` (the shared types and entry points of
/// `foo`) and `foo/bar.rs` are one unit to the compiler and to a reader:
/// an edge between them is no circle. Siblings (`foo/a.rs` and `foo/b.rs`)
/// see only each other's `pub` items, so a cycle between them is a real one.
fn is_ancestor(a: &[String], b: &[String]) -> bool {
    a.len() < b.len() && b.starts_with(a)
}

#[test]
fn no_import_circles() {
    let c = read_crate();
    let mut graph: BTreeMap<&ModPath, BTreeSet<&ModPath>> = BTreeMap::new();
    for (from, to) in c.edges.keys() {
        if !is_ancestor(from, to) && !is_ancestor(to, from) {
            graph.entry(from).or_default().insert(to);
        }
    }
    let mut circles = Vec::new();
    for component in strongly_connected(&graph) {
        let inside: BTreeSet<&ModPath> = component.iter().copied().collect();
        let mut lines = Vec::new();
        for from in &component {
            for to in graph.get(from).into_iter().flatten() {
                if inside.contains(to) {
                    lines.push(format!(
                        "  {} -> {} ({})",
                        c.files[*from].display(),
                        c.files[*to].display(),
                        show(&c.edges[&((*from).clone(), (*to).clone())])
                    ));
                }
            }
        }
        circles.push(lines.join("\n"));
    }
    assert!(
        circles.is_empty(),
        "{} import circle(s):\n{}",
        circles.len(),
        circles.join("\n\n")
    );
}

/// Tarjan's algorithm; only components of more than one module are returned.
fn strongly_connected<'a>(
    graph: &BTreeMap<&'a ModPath, BTreeSet<&'a ModPath>>,
) -> Vec<Vec<&'a ModPath>> {
    struct State<'a> {
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on_stack: BTreeSet<&'a ModPath>,
        out: Vec<Vec<&'a ModPath>>,
    }
    fn visit<'a>(
        v: &'a ModPath,
        graph: &BTreeMap<&'a ModPath, BTreeSet<&'a ModPath>>,
        s: &mut State<'a>,
    ) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in graph.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(w, graph, s);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(v, graph, &mut s);
        }
    }
    s.out
}

/// The README's picture of the layers, read back as the table it draws:
/// a row naming a layer starts it, indented rows add to it; the first
/// column of each row (fields are set apart by two spaces or more) after the
/// layer name lists its modules.
#[test]
fn the_readme_draws_this_table() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme
        .split_once("## Architecture: layers")
        .expect("README has an Architecture: layers section")
        .1;
    let picture = section
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the section draws the layers in a text block")
        .0;
    let mut drawn: Vec<(String, BTreeSet<String>)> = Vec::new();
    for row in picture.lines() {
        let fields: Vec<&str> = row
            .split("  ")
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        if fields.is_empty() || fields == ["|"] {
            continue;
        }
        let modules = if row.starts_with("  ") {
            fields[0]
        } else {
            drawn.push((fields[0].to_string(), BTreeSet::new()));
            fields[1]
        };
        let layer = &mut drawn.last_mut().expect("a layer row first").1;
        for m in modules.split([' ', ',']).filter(|m| !m.is_empty()) {
            let m = m.trim_end_matches('/').trim_end_matches(".rs");
            layer.insert(if m == "lib" {
                String::new()
            } else {
                m.to_string()
            });
        }
    }
    let table: Vec<(String, BTreeSet<String>)> = LAYERS
        .iter()
        .map(|(name, modules)| {
            (
                (*name).to_string(),
                modules.iter().map(|m| (*m).to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        drawn, table,
        "README.md's layer picture differs from LAYERS"
    );
}

#[test]
fn the_reader_sees_grouped_relative_and_inline_paths() {
    let src = r#"
        use crate::{a, b::c::{self, D}};
        use super::e as f; // crate::commented::out
        fn g() { crate::h::i(); let _ = "crate::in_a_string"; let _ = 'x'; }
        mod tests { use super::*; use super::super::j; }
    "#;
    let module = vec!["m".to_string(), "n".to_string()];
    let paths: Vec<String> = paths_in(&module, src).iter().map(|p| show(p)).collect();
    assert_eq!(
        paths,
        ["a", "b::c", "b::c::D", "m::e", "h::i", "m::n", "m::j"],
        "{paths:?}"
    );
}
