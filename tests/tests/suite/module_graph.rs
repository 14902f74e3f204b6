//! The core's modules depend downward only (issue 16, docs/architecture.md): no top-level module of
//! `core/src` uses one that uses it back. Read from the sources: every `crate::<module>` path in
//! non-test code, comments left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("core/src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Top-level module -> the top-level modules its non-test code names through `crate::`.
fn module_uses(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    paths_named(src, "crate::")
}

/// Module (file or directory directly under `src`) -> the modules its non-test code names through
/// `prefix` (`crate::` for a crate root, `super::` for the files of one module directory).
fn paths_named(src: &Path, prefix: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let top = relative.components().next().expect("component").as_os_str().to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if top == "lib" || top == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices(prefix) {
                let name: String =
                    line[at + prefix.len()..].chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if !name.is_empty() && name != top {
                    uses.entry(top.clone()).or_default().insert(name);
                }
            }
        }
    }
    uses
}

/// Pairs of modules that use each other.
fn mutual_uses(uses: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut cycles = Vec::new();
    for (a, used) in uses {
        for b in used {
            if a < b && uses.get(b).is_some_and(|back| back.contains(a)) {
                cycles.push(format!("{a} <-> {b}"));
            }
        }
    }
    cycles
}

#[test]
fn no_top_level_module_imports_one_that_imports_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let uses = module_uses(&src);
    assert!(uses.len() >= 15, "read the core's modules: {:?}", uses.keys());
    let cycles = mutual_uses(&uses);
    assert!(cycles.is_empty(), "modules that use each other: {cycles:?}");
    // The moves that broke the cycles of issue 16 stay in place.
    assert!(!uses["models"].contains("inventory") && !uses["inventory"].contains("plan"));
}

#[test]
fn ets_files_and_node_binding_modules_depend_one_way() {
    // ETS: the selection types and R's `restrict` rule live in spec.rs, so fit.rs does not use
    // auto.rs, which builds on it.
    let ets = paths_named(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src/models/ets"), "super::");
    assert!(ets.contains_key("fit") && ets["auto"].contains("fit"), "read the ETS files: {ets:?}");
    assert_eq!(mutual_uses(&ets), Vec::<String>::new(), "ETS files that use each other");
    // Node: conversion helpers in convert.rs, model parsing in spec.rs, cancellation in control.rs.
    let node = module_uses(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../bindings-node/src"));
    assert!(node.len() >= 10, "read the Node binding's modules: {:?}", node.keys());
    assert_eq!(mutual_uses(&node), Vec::<String>::new(), "Node binding modules that use each other");
}
