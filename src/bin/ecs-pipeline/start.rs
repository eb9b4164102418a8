//! `start`: a new execution with V2 pipeline variables and source revision overrides.

use deploykit_aws::codepipeline;
use deploykit_cli::aws::AwsSettings;
use deploykit_cli::{CliError, Exit, Output, Plan};

use crate::config::Start;

pub(crate) fn run(aws: &AwsSettings, start: &Start) -> Result<Exit, CliError> {
    let id = aws.run(|sdk_config| async move {
        let client = codepipeline::client(&sdk_config);
        let id = codepipeline::start(&client, &start.pipeline, &start.variables, &start.overrides)
            .await?;
        Ok(id)
    })?;
    let mut plan = Plan::new();
    plan.write(
        Output::Stdout,
        format!("{id}\n").into_bytes(),
        "the execution id",
    );
    plan.execute()?;
    Ok(Exit::Clean)
}
