//! The CodePipeline client, on a current-thread runtime started only for the command's calls.

use std::future::Future;

use deploykit_aws::AwsError;
use deploykit_aws::codepipeline::Client;
use deploykit_cli::CliError;

use crate::AwsArgs;

/// What a command works with: the client and the Region it talks to (for console links).
pub(crate) struct Remote {
    pub(crate) client: Client,
    pub(crate) region: Option<String>,
}

/// Runs `body` with a client from the standard chain and the flags.
pub(crate) fn run<T, F>(aws: &AwsArgs, body: impl FnOnce(Remote) -> F) -> Result<T, CliError>
where
    F: Future<Output = Result<T, CliError>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::new(format!("cannot start the AWS client: {error}")))?;
    runtime.block_on(async {
        let config =
            deploykit_aws::config::try_load_for(aws.region.as_deref(), aws.profile.as_deref())
                .await
                .map_err(cli_error)?;
        let region = config.region().map(ToString::to_string);
        let client = deploykit_aws::codepipeline::client(&config);
        body(Remote { client, region }).await
    })
}

/// The adapters' error in the programs' shape, with its help.
#[allow(clippy::needless_pass_by_value)] // so that it fits `map_err` directly
pub(crate) fn cli_error(error: AwsError) -> CliError {
    let cli_error = CliError::new(error.what()).at(error.location());
    match error.help() {
        Some(help) => cli_error.help(help),
        None => cli_error,
    }
}

/// A line for the build log, on stderr: data goes to stdout, diagnostics and progress here.
pub(crate) fn say(line: &str) {
    deploykit_cli::say(format_args!("{line}"));
}
