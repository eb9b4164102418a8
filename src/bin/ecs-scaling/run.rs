//! The run: reads the scalable target, changes it when the wanted state differs, reads it back,
//! and prints the state before and after.

use deploykit_aws::scaling::{self, Client, Target};
use deploykit_cli::{CliError, Exit, Output, Plan};

use crate::config::Config;

pub(crate) fn run(config: &Config) -> Result<Exit, CliError> {
    let text = config
        .aws
        .run(|sdk_config| async move { report(&scaling::client(&sdk_config), config).await })?;
    let mut plan = Plan::new();
    plan.write(Output::Stdout, text.into_bytes(), "the scaling state");
    plan.execute()?;
    Ok(Exit::Clean)
}

/// Reads the target, changes it when `config.wanted` differs, reads it back; returns the report.
async fn report(client: &Client, config: &Config) -> Result<String, CliError> {
    let before = existing(client, config).await?;
    let Some(wanted) = config.wanted else {
        return Ok(format!("{}\n", describe(&before)));
    };
    if before.suspended == wanted {
        return Ok(format!(
            "before: {}\nafter:  {} (unchanged)\n",
            describe(&before),
            describe(&before)
        ));
    }
    scaling::set_suspended(client, &config.cluster, &config.service, wanted).await?;
    let after = existing(client, config).await?;
    Ok(format!(
        "before: {}\nafter:  {}\n",
        describe(&before),
        describe(&after)
    ))
}

async fn existing(client: &Client, config: &Config) -> Result<Target, CliError> {
    let (cluster, service) = (&config.cluster, &config.service);
    scaling::target(client, cluster, service)
        .await?
        .ok_or_else(|| {
            CliError::new(format!(
                "service `{service}` of cluster `{cluster}` has no scalable target for \
                 `ecs:service:DesiredCount`"
            ))
            .at(format!("`{}`", scaling::resource_id(cluster, service)))
            .help(
                "check the cluster and service names and the Region; a service without auto \
                 scaling needs no suspend or resume, so drop the step for it",
            )
        })
}

/// `min 2, max 10; scale-in suspended, scale-out suspended, scheduled suspended`.
fn describe(target: &Target) -> String {
    let word = |suspended: bool| if suspended { "suspended" } else { "active" };
    let state = target.suspended;
    format!(
        "min {}, max {}; scale-in {}, scale-out {}, scheduled {}",
        target.min_capacity,
        target.max_capacity,
        word(state.scaling_in),
        word(state.scaling_out),
        word(state.scheduled)
    )
}
