//! `ecs-imagedefs` as snapshots (`snapshots/`): its help pages and every report format of
//! `check`. The files it writes are snapshotted by `generate.rs` and `detail.rs`.

use insta::assert_snapshot;

use crate::support::fixtures::ECR;
use crate::support::harness::Test;
use crate::support::snapshot::{help_pages, printed};

#[test]
fn help() {
    for (name, page) in help_pages("ecs-imagedefs") {
        assert_snapshot!(name, page);
    }
}

/// An imagedefinitions.json with an error and an imageDetail.json with a warning.
#[test]
fn check_reports() {
    for format in ["text", "json", "sarif", "junit"] {
        let outcome = Test::new()
            .file(
                "imagedefinitions.json",
                r#"[{"name":"web","imageUri":"web:latest"}]"#,
            )
            .file(
                "imageDetail.json",
                format!(r#"{{"ImageURI":"{ECR}/web:1"}}"#),
            )
            .args(["check", "--format", format])
            .args(["imagedefinitions.json", "imageDetail.json"])
            .run("ecs-imagedefs");
        assert_snapshot!(format!("check-{format}"), printed(&outcome));
    }
}
