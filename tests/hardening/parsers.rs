//! Hostile files in a repository walk: nesting far past any real file and a YAML alias bomb
//! are refused quickly in a bounded address space, and a NUL byte or UTF-16 is refused like
//! any file that cannot be read as text; the other files of the walk are still judged
//! (`docs/reliability.md#nesting-and-undecodable-text`).

use std::fmt::Write as _;
use std::process::Command;

use crate::support::harness::{Test, binary};

/// 512 MiB of address space: ample for reading a 240 KB file, far below the gigabytes the
/// Terraform reader once took for one.
const ADDRESS_SPACE_KB: u32 = 512 * 1024;

const DEEP: usize = 120_000;

/// Runs `ecs-tagcheck .` in `test`'s folder with the address space capped: its exit code and
/// what it said (the text report is on standard error).
fn capped(test: &Test) -> (Option<i32>, String) {
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {ADDRESS_SPACE_KB} && exec \"$0\" ."))
        .arg(binary("ecs-tagcheck"))
        .current_dir(test.path())
        .output()
        .expect("sh runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn alias_bomb() -> String {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12u8 {
        let (name, previous) = (char::from(b'a' + level), char::from(b'a' + level - 1));
        let aliases = vec![format!("*{previous}"); 9].join(", ");
        writeln!(bomb, "{name}: &{name} [{aliases}]").expect("a String takes any text");
    }
    bomb
}

#[test]
fn deep_nesting_and_an_alias_bomb_are_findings_and_the_walk_goes_on() {
    let test = Test::new()
        .file("infra/main.tf", "a {\n".repeat(DEEP))
        .file("infra/flat.tf", "{".repeat(DEEP))
        .file(
            "buildspec.yml",
            format!(
                "version: 0.2\nphases:\n  build:\n    commands: {}{}\n",
                "[".repeat(DEEP),
                "]".repeat(DEEP)
            ),
        )
        .file(
            "buildspecs/bomb.yml",
            format!(
                "version: 0.2\nphases:\n  build:\n    commands: []\n{}",
                alias_bomb()
            ),
        )
        .file(
            "taskdef.json",
            format!(
                "{{\"containerDefinitions\": {}{}}}",
                "[".repeat(DEEP),
                "]".repeat(DEEP)
            ),
        )
        .file(
            "template.yaml",
            format!(
                "Resources:\n  R:\n    Type: AWS::ECR::Repository\n    Properties: {}{}\n",
                "{a: ".repeat(DEEP),
                "}".repeat(DEEP)
            ),
        )
        .file("Dockerfile", "FROM nginx:latest\n");
    let (code, said) = capped(&test);
    assert_eq!(code, Some(1), "{said}");
    for (file, message) in [
        ("infra/main.tf", "nests blocks deeper than 64 levels"),
        ("infra/flat.tf", "nests blocks deeper than 64 levels"),
        (
            "buildspec.yml",
            "not valid YAML: it nests lists and mappings too deep",
        ),
        (
            "buildspecs/bomb.yml",
            "not valid YAML: it holds more than 250,000 values",
        ),
        ("taskdef.json", "deeper than 128 levels"),
        ("template.yaml", "not valid YAML: it nests"),
    ] {
        assert!(
            said.lines()
                .any(|line| line.starts_with("error[invalid-file]")
                    && line.contains(message)
                    && line.contains(&format!("({file}: line "))),
            "{file}: {said}"
        );
    }
    // The one hostile file does not hide the rest of the repository.
    assert!(
        said.contains("error[latest-tag]") && said.contains("(Dockerfile: line 1"),
        "{said}"
    );
    assert!(said.contains("checked 7 files: 7 errors"), "{said}");
}

#[test]
fn a_nul_byte_or_utf16_is_refused_like_an_unreadable_dockerfile() {
    let terraform = "resource \"aws_ecr_repository\" \"web\" {\n  name = \"web\"\n}\n";
    let utf16 =
        |text: &str| -> Vec<u8> { text.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let template = "Resources:\n  R:\n    Type: AWS::ECR::Repository\n";
    let test = Test::new()
        .file("nul.tf", format!("\0{terraform}"))
        .file("utf16.tf", utf16(terraform))
        .file("Dockerfile", utf16("FROM nginx:1.27\n"))
        .file("template.yaml", utf16(template))
        .file("imagedefinitions.json", "\0[]");
    let mut outcome = test.args(["."]).run("ecs-tagcheck").code(1);
    for file in [
        "nul.tf",
        "utf16.tf",
        "Dockerfile",
        "template.yaml",
        "imagedefinitions.json",
    ] {
        outcome = outcome.stderr_has(&format!(
            "error[invalid-file]: the file is not UTF-8 text: it has a NUL byte ({file}: line 1, column "
        ));
    }
    outcome
        .stderr_has("help: save it as UTF-8; a file saved as UTF-16 converts with `iconv -f UTF-16 -t UTF-8`")
        .stderr_has("checked 5 files: 5 errors");
}
