//! `--live`: after the offline checks, the account asked, read-only, whether the deploy can
//! succeed (`docs/programs/ecs-verify.md#the-account---live`).

use deploykit_artifacts::appspec::{self, AppSpec};
use deploykit_artifacts::verify::live::{
    self, balancing::BalancingQuestion, network::NetworkQuestion,
};
use deploykit_artifacts::verify::{Action, Artifact, Located};
use deploykit_cli::CliError;
use deploykit_cli::aws::AwsSettings;
use serde_json::Value;

/// The task definition the ECS action registers: the service's, with the images of the
/// artifact's image definitions file (`file_name`); entries that cannot be read are left to the
/// offline findings.
pub(crate) fn registered_by_ecs_action(
    service: &Value,
    artifacts: &[Artifact],
    file_name: &str,
) -> Value {
    let entries: Vec<Value> = artifacts
        .iter()
        .find_map(|artifact| artifact.files.get(file_name))
        .and_then(|bytes| serde_json::from_slice(bytes).ok())
        .unwrap_or_default();
    let images: Vec<(String, String)> = entries
        .iter()
        .filter_map(|entry| {
            let name = entry.get("name")?.as_str()?;
            let uri = entry.get("imageUri")?.as_str()?;
            Some((name.to_owned(), uri.to_owned()))
        })
        .collect();
    live::images::with_images(service, &images)
}

/// The Blue/Green action's `AppSpec`, and the deployment group it deploys through.
pub(crate) struct Balancing {
    /// The CodeDeploy application and the deployment group, when known.
    pub(crate) group: Option<(String, String)>,
    pub(crate) appspec: AppSpec,
    /// `--from-ecs CLUSTER/SERVICE`: the service the group must deploy.
    pub(crate) service: Option<(String, String)>,
}

/// The `AppSpec` and the deployment group to ask about for the Blue/Green `action`: `None` when
/// the `AppSpec` cannot be read (the offline findings say why); no group, with a note saying
/// why, when its name is not known.
pub(crate) fn balancing(
    action: &Action,
    artifacts: &[Artifact],
    group: Option<(String, String)>,
    service: Option<(String, String)>,
) -> Option<Balancing> {
    let Action::BlueGreen {
        appspec_artifact,
        appspec_path,
        ..
    } = action
    else {
        return None;
    };
    if group.is_none() {
        deploykit_cli::say(format_args!(
            "note: the deployment group, its target groups, listeners and service were not \
             checked (--live): give --codedeploy-app and --deployment-group, or the pipeline"
        ));
    }
    let appspec = artifacts
        .iter()
        .filter(|artifact| {
            appspec_artifact
                .as_ref()
                .is_none_or(|name| artifact.name == *name)
        })
        .find_map(|artifact| artifact.file(appspec_path))
        .and_then(|bytes| appspec::check(bytes, appspec_path.rsplit('/').next(), None).value)?;
    Some(Balancing {
        group,
        appspec,
        service,
    })
}

/// The JSON keys of secrets, which exist only in the values this check never reads.
fn json_keys(questions: &live::Questions) -> String {
    let keys: Vec<String> = questions
        .secrets
        .iter()
        .filter_map(|question| match &question.store {
            live::secrets::Store::Secret {
                json_key: Some(key),
                ..
            } => Some(format!("`{key}`")),
            _ => None,
        })
        .collect();
    if keys.is_empty() {
        return String::new();
    }
    format!(
        "; not checked, as they are in the values: JSON keys {}",
        keys.join(", ")
    )
}

/// The images whose platform could not be decided: a single image's manifest names it only in
/// its config blob, which ECR did not have.
fn undecided_platforms(snapshot: &live::Snapshot) -> String {
    let images: Vec<String> = snapshot
        .images
        .iter()
        .filter(|(question, fact)| {
            question.platform.is_some()
                && matches!(fact, live::Fact::Found(manifest) if live::images::platform_undecided(manifest))
        })
        .map(|(question, _)| format!("`{}`", question.image))
        .collect();
    if images.is_empty() {
        return String::new();
    }
    format!(
        "; not decided, as their config blob is not in the repository: the platform of {}",
        images.join(", ")
    )
}

/// The error of `--live` with no task definition to ask about.
pub(crate) fn no_task_definition() -> CliError {
    CliError::new("--live needs the task definition the deploy will run")
        .at("--live")
        .help(
            "for the ECS action, give --taskdef FILE or --from-ecs CLUSTER/SERVICE; the \
             Blue/Green action's is the one it registers",
        )
}

/// The findings of the account about `task_definition` (register input), each placed at the
/// resource's ARN. `None`: the task definition could not be rendered, which the offline
/// findings (`has_errors`) already say, so the account is not asked.
pub(crate) fn check(
    aws: &AwsSettings,
    task_definition: Option<&Value>,
    balancing: Option<&Balancing>,
    has_errors: bool,
    max_critical: u32,
) -> Result<Vec<Located>, CliError> {
    let Some(task_definition) = task_definition else {
        if has_errors {
            deploykit_cli::say(format_args!(
                "note: the account was not asked (--live): the task definition could not be \
                 rendered"
            ));
            return Ok(Vec::new());
        }
        return Err(no_task_definition());
    };
    aws.run(|sdk_config| async move {
        // `run` refuses to start without a Region.
        let region = sdk_config
            .region()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut questions = live::questions(task_definition, &region);
        questions.max_critical = max_critical;
        questions.network = balancing
            .and_then(|balancing| balancing.appspec.network.as_ref())
            .map(|network| NetworkQuestion::new(network, &region));
        questions.balancing = balancing.and_then(|balancing| {
            let (application, group) = balancing.group.as_ref()?;
            let mut question = BalancingQuestion::new(
                application,
                group,
                &region,
                &balancing.appspec,
                task_definition,
            );
            question.service.clone_from(&balancing.service);
            Some(question)
        });
        let snapshot = deploykit_aws::live::gather(&sdk_config, &questions).await?;
        deploykit_cli::say(format_args!(
            "note: asked the account in `{region}` about {} roles, {} log groups, {} secrets and \
             {} images (--live){}",
            questions.roles.len(),
            questions.log_groups.len(),
            questions.secrets.len(),
            questions.images.len(),
            json_keys(&questions)
        ));
        deploykit_cli::say(format_args!(
            "note: {} calls; IAM simulated {} permissions of the execution role{} (--live)",
            snapshot.calls,
            snapshot.permissions.len(),
            undecided_platforms(&snapshot)
        ));
        if !questions.volumes.is_empty() {
            deploykit_cli::say(format_args!(
                "note: asked about {} EFS volumes (--live)",
                questions.volumes.len()
            ));
        }
        if let Some(answers) = &snapshot.balancing {
            let question = &answers.question;
            deploykit_cli::say(format_args!(
                "note: asked about deployment group `{}/{}`: {} target groups, {} listeners, {}{} \
                 (--live)",
                question.application,
                question.group,
                answers.target_groups.len(),
                answers.listeners.len(),
                answers.service.as_ref().map_or_else(
                    || "no service".to_owned(),
                    |((cluster, service), _)| format!("service `{cluster}/{service}`")
                ),
                match &answers.group {
                    live::Fact::Found(group) => format!("; {}", group.rollback()),
                    _ => String::new(),
                }
            ));
        }
        if let Some(question) = &questions.network {
            deploykit_cli::say(format_args!(
                "note: asked about {} subnets and {} security groups of the AppSpec's \
                 NetworkConfiguration (--live)",
                question.subnets.len(),
                question.security_groups.len()
            ));
        }
        Ok(live::judge(&snapshot)
            .into_iter()
            .map(|found| Located {
                place: found.resource.into(),
                finding: found.finding,
            })
            .collect())
    })
}
