//! The whole check of one file: the kind's reader, the waivers and the policy's severities.

use super::*;

#[test]
fn waivers_apply_to_every_line_based_kind() {
    let dockerfile = "# ecs-tagcheck: ignore[latest-tag] the vendor publishes only latest\nFROM vendor/tool:latest\nFROM app:latest\n";
    let scan = check(
        FileKind::Dockerfile,
        "Dockerfile",
        dockerfile.as_bytes(),
        &Policy::default(),
    );
    let rules: Vec<&str> = scan.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["latest-tag"]);
    assert_eq!(scan.findings[0].location_str(), Some("line 3, column 6"));
    assert_eq!(scan.images.len(), 2);

    let terraform = "resource \"aws_ecr_repository\" \"cache\" { // ecs-tagcheck: ignore[mutable-repository] a build cache\n}\n";
    assert!(
        check(
            FileKind::Terraform,
            "main.tf",
            terraform.as_bytes(),
            &Policy::default()
        )
        .findings
        .is_empty()
    );
}

#[test]
fn severities_can_be_lowered_or_turned_off() {
    let policy = Policy {
        severity: vec![
            ("latest-tag".to_owned(), Some(Severity::Warning)),
            ("untagged-image".to_owned(), None),
        ],
        ..Policy::default()
    };
    let scan = check(
        FileKind::Dockerfile,
        "Dockerfile",
        b"FROM a:latest\nFROM b\n",
        &policy,
    );
    let findings = policy.apply_severities(scan.findings);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].severity, Severity::Warning);
}

#[test]
fn only_image_files_and_task_definitions_are_pinnable() {
    let scan = check(
        FileKind::ImageDetail,
        "imageDetail.json",
        b"{\"ImageURI\": \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v1\"}",
        &Policy::default(),
    );
    assert!(scan.findings.is_empty());
    assert!(scan.images[0].pinnable);
    assert_eq!(
        scan.images[0].reference.ecr().unwrap().region,
        Some("eu-west-1")
    );
}

proptest::proptest! {
    /// No input makes a reader panic: every kind, arbitrary text built from the characters
    /// that matter to the readers.
    #[test]
    fn no_reader_panics(text in "[ \t\n#:=/@${}\\\"'a-zA-Z0-9._-]{0,200}") {
        for kind in [
            FileKind::Dockerfile,
            FileKind::Buildspec,
            FileKind::Terraform,
            FileKind::CloudFormation,
            FileKind::Pipeline,
            FileKind::TaskDefinition,
            FileKind::ImageDefinitions,
            FileKind::ImageDetail,
        ] {
            let _ = check(kind, "f", text.as_bytes(), &Policy::default());
        }
        let _ = dockerfile::check(format!("FROM {text}").as_bytes(), &Policy::default());
    }
}
