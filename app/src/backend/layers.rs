//! A test of the backend's shape, read from its sources: every module names the backend modules it uses as
//! `crate::backend::<layer>::<module>`, a layer uses only itself and the layers below it, and no two
//! modules use each other, directly or round a longer loop (docs/architecture.md draws the layers).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Lowest first: a module may use modules of its own layer and of the layers before it.
const LAYERS: &[&str] = &["platform", "exchange", "oversight", "data"];

/// Each module's file (as `layer::module`), its text without comments.
fn modules() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/backend");
    let mut found = BTreeMap::new();
    for layer in LAYERS {
        for entry in std::fs::read_dir(root.join(layer)).expect("layer folder") {
            let path = entry.expect("entry").path();
            let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            if path.extension().is_some_and(|e| e == "rs") && name != "mod" {
                let text = std::fs::read_to_string(&path).expect("readable");
                let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
                found.insert(format!("{layer}::{name}"), code);
            }
        }
    }
    found
}

/// The text with every `backend::{a, b::{c, d}}` list written out as `backend::a backend::b::{c, d}`, so
/// that a use reads the same whichever way it was written.
fn expand_lists(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("backend::{") {
        out.push_str(&rest[..at]);
        let inner_start = at + "backend::{".len();
        let mut depth = 1;
        let mut end = inner_start;
        for (i, ch) in rest[inner_start..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = inner_start + i;
                break;
            }
        }
        let mut item = String::new();
        let mut level = 0;
        for ch in rest[inner_start..end].chars().chain([',']) {
            match ch {
                ',' if level == 0 => {
                    if !item.trim().is_empty() {
                        out.push_str(&format!(" backend::{} ", item.trim()));
                    }
                    item.clear();
                }
                _ => {
                    level += (ch == '{') as i32 - (ch == '}') as i32;
                    item.push(ch);
                }
            }
        }
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// The backend modules a module's text uses (`crate::backend::layer::module`, also inside `{…}` lists).
fn uses(code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let code = expand_lists(code);
    known.iter().filter(|m| code.contains(&format!("backend::{m}"))).cloned().collect()
}

fn rank(module: &str) -> usize {
    let layer = module.split("::").next().unwrap_or_default();
    LAYERS.iter().position(|l| *l == layer).expect("a known layer")
}

#[test]
fn backend_imports_have_no_cycles_and_go_down() {
    let modules = modules();
    assert!(modules.len() > 20, "the backend's modules were found ({})", modules.len());
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    let graph: BTreeMap<String, BTreeSet<String>> =
        modules.iter().map(|(m, code)| (m.clone(), uses(code, &names).into_iter().filter(|u| u != m).collect())).collect();

    let upward: Vec<String> =
        graph.iter().flat_map(|(m, deps)| deps.iter().filter(|d| rank(d) > rank(m)).map(move |d| format!("{m} uses {d}"))).collect();
    assert!(upward.is_empty(), "a lower layer uses a higher one: {upward:#?}");

    // The application's own modules (state, settings, sign-in) sit above every layer.
    let root_items = ["backend::state", "backend::settings", "backend::sign_in", "backend::AppState", "backend::Actor", "backend::context"];
    let to_root: Vec<String> = modules
        .iter()
        .flat_map(|(m, code)| {
            let code = expand_lists(code);
            root_items.iter().filter(move |r| code.contains(*r)).map(move |r| format!("{m} uses {r}"))
        })
        .collect();
    assert!(to_root.is_empty(), "a layer uses the application above it: {to_root:#?}");

    // Depth-first search for a loop; reports the first one found.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|p| p == m) {
            let mut cycle = path[start..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        let cycle = visit(m, &graph, &mut Vec::new(), &mut done);
        assert!(cycle.is_none(), "modules use each other round a loop: {}", cycle.unwrap_or_default().join(" → "));
    }
}

#[test]
fn the_reader_finds_uses_written_either_way() {
    let known: BTreeSet<String> = ["platform::db", "platform::audit", "exchange::cases"].iter().map(|s| s.to_string()).collect();
    let code = "use crate::backend::platform::db::Tx;\nuse crate::backend::{exchange::cases::{self, X}, platform::time, AppState};";
    let found = uses(code, &known);
    assert_eq!(found, ["exchange::cases", "platform::db"].iter().map(|s| s.to_string()).collect());
    assert!(expand_lists(code).contains("backend::AppState"));
}
