//! Hostile files through every reader: nesting far past any real file, a YAML alias bomb, NUL
//! bytes and UTF-16 without a byte-order mark. Each is refused as `invalid-file` at once,
//! never read as a file with nothing in it (`docs/reliability.md#nesting-and-undecodable-text`).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use super::*;

const DEEP: usize = 100_000;

/// The findings of `bytes` read as `kind`, after checking that reading took well under a second
/// per megabyte of input even in a debug build.
fn refused(kind: FileKind, name: &str, bytes: &[u8]) -> Vec<Finding> {
    let started = Instant::now();
    let scan = check(kind, name, bytes, &Policy::default());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{name}: {:?}",
        started.elapsed()
    );
    assert!(
        scan.findings
            .iter()
            .any(|f| f.rule == rules::INVALID_FILE && f.severity == Severity::Error),
        "{name} ({kind:?}) passed: {:?}",
        scan.findings
    );
    scan.findings
}

/// A document of each kind whose value at one key is `value`.
fn documents(value: &str) -> Vec<(FileKind, &'static str, String)> {
    vec![
        (
            FileKind::Dockerfile,
            "Dockerfile",
            format!("FROM nginx:1.27\nRUN {value}\n"),
        ),
        (
            FileKind::Buildspec,
            "buildspec.yml",
            format!("version: 0.2\nphases:\n  build:\n    commands: {value}\n"),
        ),
        (
            FileKind::Workflow,
            "deploy.yml",
            format!("on: push\njobs: {value}\n"),
        ),
        (
            FileKind::CloudFormation,
            "template.yaml",
            format!("Resources: {value}\n"),
        ),
        (
            FileKind::CloudFormation,
            "template.json",
            format!("{{\"Resources\": {value}}}"),
        ),
        (
            FileKind::Terraform,
            "main.tf",
            format!("locals {{\n  x = {value}\n}}\n"),
        ),
        (
            FileKind::Pipeline,
            "pipeline.json",
            format!("{{\"pipeline\": {{\"stages\": {value}}}}}"),
        ),
        (
            FileKind::TaskDefinition,
            "taskdef.json",
            format!("{{\"containerDefinitions\": {value}}}"),
        ),
        (
            FileKind::ImageDefinitions,
            "imagedefinitions.json",
            format!("[{{\"name\": \"web\", \"imageUri\": {value}}}]"),
        ),
        (
            FileKind::ImageDetail,
            "imageDetail.json",
            format!("{{\"ImageURI\": {value}}}"),
        ),
    ]
}

#[test]
fn nesting_past_the_limit_is_refused_at_once_by_every_reader() {
    for (open, close) in [("[", "]"), ("{", "}")] {
        let deep = format!("{}{}", open.repeat(DEEP), close.repeat(DEEP));
        for (kind, name, text) in documents(&deep) {
            if kind == FileKind::Dockerfile || (kind == FileKind::Terraform && open == "[") {
                // A Dockerfile does not nest: the brackets are the text of a shell command. The
                // Terraform reader follows braces only, and keeps nothing per bracket.
                let started = Instant::now();
                let scan = check(kind, name, text.as_bytes(), &Policy::default());
                assert!(started.elapsed() < Duration::from_secs(5), "{name}");
                assert!(
                    scan.findings.iter().all(|f| f.rule != rules::INVALID_FILE),
                    "{name}: {:?}",
                    scan.findings
                );
                continue;
            }
            refused(kind, name, text.as_bytes());
        }
    }
}

#[test]
fn terraform_blocks_nested_past_the_limit_are_refused_with_the_limit_and_the_line() {
    let text = "a {\n".repeat(DEEP);
    let findings = refused(FileKind::Terraform, "main.tf", text.as_bytes());
    assert_eq!(
        findings[0].message,
        format!("the file nests blocks deeper than {MAX_NESTING} levels")
    );
    assert_eq!(
        findings[0].location_str(),
        Some(format!("line {}, column 3", MAX_NESTING + 1).as_str())
    );
    // Up to the limit a file is read: the repository inside is still judged.
    let inside = format!(
        "{}resource \"aws_ecr_repository\" \"web\" {{\n}}\n{}",
        "a {\n".repeat(MAX_NESTING - 1),
        "}\n".repeat(MAX_NESTING - 1)
    );
    let scan = check(
        FileKind::Terraform,
        "main.tf",
        inside.as_bytes(),
        &Policy::default(),
    );
    let rules: Vec<&str> = scan.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["mutable-repository"]);
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for level in 1..12u8 {
        let (name, previous) = (char::from(b'a' + level), char::from(b'a' + level - 1));
        let aliases = vec![format!("*{previous}"); 9].join(",");
        writeln!(bomb, "{name}: &{name} [{aliases}]").expect("a String takes any text");
    }
    let buildspec = format!("version: 0.2\nphases:\n  build:\n    commands: []\n{bomb}");
    refused(FileKind::Buildspec, "buildspec.yml", buildspec.as_bytes());
    let template = format!("Resources: {{}}\n{bomb}");
    refused(
        FileKind::CloudFormation,
        "template.yaml",
        template.as_bytes(),
    );
}

#[test]
fn a_nul_byte_or_utf16_text_is_refused_by_every_reader() {
    for (kind, name, text) in documents("\"nginx:1.27\"") {
        let nul = format!("\0{text}");
        let findings = refused(kind, name, nul.as_bytes());
        assert_eq!(findings.len(), 1, "{name}: {findings:?}");
        assert!(findings[0].message.contains("NUL byte"), "{findings:?}");
        assert_eq!(findings[0].location_str(), Some("line 1, column 1"));

        for utf16 in [
            text.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ] {
            let findings = refused(kind, name, &utf16);
            assert!(
                findings[0].help.as_deref().unwrap_or("").contains("UTF-16"),
                "{findings:?}"
            );
        }
    }
}

#[test]
fn a_generic_name_in_utf16_is_still_known_by_its_content() {
    let template = "Resources:\n  R:\n    Type: AWS::ECR::Repository\n";
    let utf16: Vec<u8> = template.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(
        FileKind::detect("template.yaml", &utf16),
        Some(FileKind::CloudFormation)
    );
    let with_bom: Vec<u8> = [0xFF, 0xFE].into_iter().chain(utf16).collect();
    assert_eq!(
        FileKind::detect("template.yaml", &with_bom),
        Some(FileKind::CloudFormation)
    );
}
