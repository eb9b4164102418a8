//! No import cycles between sibling modules.
//!
//! Every crate root (`crates/*/src/lib.rs`, `crates/*/src/main.rs`, `src/bin/*/main.rs`) is
//! read with `syn`, its module tree built from `mod` declarations (`#[path]` included, by the
//! rules of <https://doc.rust-lang.org/reference/items/modules.html#the-path-attribute>), and
//! every path that names a module of the crate (`crate::…`, `super::…`, `self::…`, a child
//! module, a name a `use` brought in) is resolved to the module it reaches. For each module,
//! "child subtree A uses something in child subtree B" must be acyclic among its children:
//! siblings that need each other are one module, or share a third one below them both. A
//! source file that no crate reaches through `mod` is an error too: it would escape the check.

#[path = "module_cycles/tree.rs"]
mod tree;

use std::path::{Component, Path, PathBuf};

use tree::{Files, Tree};

/// Every cycle among sibling modules of the crates rooted at `roots`.
fn check(files: &Files, roots: &[PathBuf]) -> (Vec<String>, Vec<String>) {
    let mut tree = Tree::default();
    for root in roots {
        tree.load(files, root);
    }
    let cycles = tree.cycles();
    let mut errors = tree.errors;
    for file in files.keys().filter(|file| !tree.read.contains(*file)) {
        errors.push(format!("{} is not a module of any crate", file.display()));
    }
    (cycles, errors)
}

#[test]
fn sibling_modules_do_not_use_each_other_in_a_cycle() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Files::new();
    let mut roots = Vec::new();
    for top in ["crates", "src/bin"] {
        for entry in walkdir::WalkDir::new(workspace.join(top)).sort_by_file_name() {
            let entry = entry.expect("the workspace can be walked");
            let path = entry.path();
            let relative = path
                .strip_prefix(workspace)
                .expect("under the workspace")
                .to_owned();
            let in_src = top == "src/bin"
                || relative.components().nth(2) == Some(Component::Normal("src".as_ref()));
            if !in_src || path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let name = relative.to_string_lossy();
            let depth = relative.components().count();
            if (top == "crates"
                && depth == 4
                && (name.ends_with("/lib.rs") || name.ends_with("/main.rs")))
                || (top == "src/bin" && depth == 4 && name.ends_with("/main.rs"))
            {
                roots.push(relative.clone());
            }
            files.insert(
                relative,
                std::fs::read_to_string(path).expect("a source file is UTF-8"),
            );
        }
    }
    assert!(roots.len() >= 4, "found only {roots:?}");
    let (cycles, errors) = check(&files, &roots);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(cycles.is_empty(), "{}", cycles.join("\n\n"));
}

#[test]
fn the_check_finds_a_cycle_and_passes_a_tree_without_one() {
    let tree = |b: &str| -> Files {
        [
            ("src/lib.rs", "mod a;\n#[path = \"other/b_file.rs\"]\nmod b;\nmod c { pub mod d { pub fn f() {} } }\n"),
            ("src/a.rs", "use crate::b::X;\npub struct Y;\nmod inner;\n"),
            ("src/a/inner.rs", "fn g() { super::super::c::d::f(); }\n"),
            ("src/other/b_file.rs", b),
        ]
        .into_iter()
        .map(|(path, text)| (PathBuf::from(path), text.to_owned()))
        .collect()
    };
    let roots = [PathBuf::from("src/lib.rs")];
    let (cycles, errors) = check(
        &tree("pub struct X;\nfn h() { let _ = format!(\"{}\", super::a::Y); }\n"),
        &roots,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        cycles,
        [
            "src/lib.rs: the children of `crate` use each other in a cycle (crate::a, crate::b):\n  \
          `crate::a` uses `crate::b` at src/a.rs:1\n  \
          `crate::b` uses `crate::a` at src/other/b_file.rs:2"
        ]
    );
    let (cycles, errors) = check(
        &tree("pub struct X;\nfn h() { crate::c::d::f(); }\n"),
        &roots,
    );
    assert!(
        errors.is_empty() && cycles.is_empty(),
        "{errors:?} {cycles:?}"
    );
    let (_, errors) = check(&tree("pub struct"), &roots);
    assert_eq!(errors.len(), 1, "{errors:?}");
}
