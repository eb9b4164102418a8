//! `ecs-taskdef prune FAMILY --keep N`: deregisters the family's old ACTIVE revisions that no
//! service deployment, task set or task uses
//! (`docs/programs/ecs-taskdef.md#ecs-taskdef-prune-family---keep-n`).

use deploykit_artifacts::task_definition::prune::{Decision, plan, short};
use deploykit_aws::ecs;
use deploykit_cli::{CliError, Exit, Output};

use crate::config::Prune;

pub(crate) fn run(config: &Prune) -> Result<Exit, CliError> {
    let decisions = config.aws.run(|sdk_config| async move {
        let client = ecs::client(&sdk_config);
        let active = ecs::active_revisions(&client, &config.family).await?;
        let clusters = if config.clusters.is_empty() {
            ecs::clusters(&client).await?
        } else {
            config.clusters.clone()
        };
        let mut used = Vec::new();
        for cluster in &clusters {
            used.extend(ecs::task_definitions_in_use(&client, cluster).await?);
        }
        let decisions = plan(&active, config.keep, &used);
        if !config.dry_run {
            for decision in decisions.iter().filter(|d| d.kept_because.is_none()) {
                ecs::deregister(&client, &decision.arn).await?;
            }
        }
        Ok(decisions)
    })?;
    Output::Stdout.write(report(&decisions, config.dry_run).as_bytes())?;
    Ok(Exit::Clean)
}

/// One line per revision, newest first: what was (or, with `--dry-run`, would be) done.
fn report(decisions: &[Decision], dry_run: bool) -> String {
    let verb = if dry_run {
        "would deregister"
    } else {
        "deregistered"
    };
    decisions
        .iter()
        .map(|decision| match &decision.kept_because {
            Some(why) => format!("kept {} ({why})\n", short(&decision.arn)),
            None => format!("{verb} {}\n", short(&decision.arn)),
        })
        .collect()
}
