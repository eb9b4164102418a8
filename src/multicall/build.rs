//! With the `multicall` feature, copies every program under `src/bin/<name>/` into `OUT_DIR`
//! as a module of the one release program (`src/multicall/main.rs`): `crate::` paths become
//! `crate::<module>::` and the program's `main` becomes callable from the dispatcher. The
//! sources stay the programs' own; only the release build reads the copies
//! (`docs/performance.md`, "One program").

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=src/multicall/build.rs");
    if std::env::var_os("CARGO_FEATURE_MULTICALL").is_none() {
        return;
    }
    println!("cargo::rerun-if-changed=src/bin");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut programs: Vec<String> = fs::read_dir("src/bin")
        .expect("src/bin is readable")
        .map(|entry| {
            entry
                .expect("src/bin is readable")
                .file_name()
                .into_string()
                .expect("program names are UTF-8")
        })
        .filter(|name| Path::new("src/bin").join(name).join("main.rs").is_file())
        .collect();
    programs.sort();
    let mut modules = String::new();
    let mut table = String::from(
        "/// Each program's name and its `main`.\nconst PROGRAMS: &[(&str, Main)] = &[\n",
    );
    for program in &programs {
        let module = program.replace('-', "_");
        let copy = out.join(&module);
        let _ = fs::remove_dir_all(&copy);
        copy_program(&Path::new("src/bin").join(program), &copy, &module, true);
        let main = copy.join("main.rs");
        writeln!(
            modules,
            "#[path = {:?}]\nmod {module};",
            main.display().to_string()
        )
        .expect("writing to a String");
        writeln!(table, "    ({program:?}, {module}::main),").expect("writing to a String");
    }
    table.push_str("];\n");
    fs::write(out.join("programs.rs"), modules + &table).expect("OUT_DIR is writable");
}

/// Copies the `.rs` files of `from` into `to`, rewritten for life as module `module`.
fn copy_program(from: &Path, to: &Path, module: &str, root: bool) {
    fs::create_dir_all(to).expect("OUT_DIR is writable");
    for entry in fs::read_dir(from).expect("the program's folder is readable") {
        let path = entry.expect("the program's folder is readable").path();
        let name = path.file_name().expect("a folder entry has a name");
        if path.is_dir() {
            copy_program(&path, &to.join(name), module, false);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            let source = fs::read_to_string(&path).expect("sources are UTF-8");
            let mut text = rebase(&source, module);
            if root && name == "main.rs" {
                let private = "\nfn main() -> ExitCode {";
                assert_eq!(
                    text.matches(private).count(),
                    1,
                    "{}: one `fn main() -> ExitCode`",
                    path.display()
                );
                text = text.replace(private, "\npub(super) fn main() -> ExitCode {");
            }
            fs::write(to.join(name), text).expect("OUT_DIR is writable");
        }
    }
}

/// `crate::` → `crate::<module>::`, leaving `$crate::` and longer names such as `my_crate::`.
fn rebase(source: &str, module: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        out.push_str(&rest[..at + "crate::".len()]);
        if !before.is_some_and(|c| c == '$' || c == '_' || c.is_alphanumeric()) {
            out.push_str(module);
            out.push_str("::");
        }
        rest = &rest[at + "crate::".len()..];
    }
    out.push_str(rest);
    out
}
