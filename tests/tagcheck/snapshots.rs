//! `ecs-tagcheck` as snapshots (`snapshots/`): its help page and every report format over the
//! fixture tree of every file kind.

use insta::assert_snapshot;

use super::files::with_fixtures;
use crate::support::snapshot::{help_pages, printed};

#[test]
fn help() {
    for (name, page) in help_pages("ecs-tagcheck") {
        assert_snapshot!(name, page);
    }
}

#[test]
fn reports() {
    for format in ["text", "json", "sarif", "junit"] {
        let outcome = with_fixtures()
            .args(["--format", format, "--strict", "tree"])
            .run("ecs-tagcheck");
        assert_snapshot!(format, printed(&outcome));
    }
}
