//! `ecs-bundle` as snapshots (`snapshots/`): the entries of the zips it writes for each deploy
//! action, and its help pages.

use insta::assert_snapshot;

use crate::support::fixtures::bundle_file;
use crate::support::harness::Test;
use crate::support::snapshot::{help_pages, zip_listing};

#[test]
fn help() {
    for (name, page) in help_pages("ecs-bundle") {
        assert_snapshot!(name, page);
    }
}

#[test]
fn zip_entries() {
    let ecs = Test::new()
        .file(
            "out/imagedefinitions.json",
            bundle_file("imagedefinitions.json"),
        )
        .args(["--for", "ecs", "--base-dir", "out", "imagedefinitions.json"])
        .args(["-o", "deploy-ecs.zip"])
        .run("ecs-bundle")
        .success();
    assert_snapshot!("deploy-ecs.zip", zip_listing(&ecs.bytes("deploy-ecs.zip")));
    let blue_green = Test::new()
        .file("out/taskdef.json", bundle_file("taskdef.json"))
        .file("out/appspec.yaml", bundle_file("appspec.yaml"))
        .file("out/imageDetail.json", bundle_file("imageDetail.json"))
        .args(["--for", "blue-green", "--base-dir", "out"])
        .args(["taskdef.json", "appspec.yaml", "imageDetail.json"])
        .args(["-o", "deploy-bluegreen.zip"])
        .run("ecs-bundle")
        .success();
    assert_snapshot!(
        "deploy-bluegreen.zip",
        zip_listing(&blue_green.bytes("deploy-bluegreen.zip"))
    );
}
