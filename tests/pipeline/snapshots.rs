//! `ecs-pipeline` as snapshots (`snapshots/`): its help pages.

use insta::assert_snapshot;

use crate::support::snapshot::help_pages;

#[test]
fn help() {
    for (name, page) in help_pages("ecs-pipeline") {
        assert_snapshot!(name, page);
    }
}
