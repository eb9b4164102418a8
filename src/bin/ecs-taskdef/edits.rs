//! The edit flags, each aimed at one container as `CONTAINER:…` (the prefix may be left out
//! when the task definition has a single container).

use clap::Args;
use deploykit_artifacts::secrets::redact_assignment;
use deploykit_artifacts::task_definition::edit::{ContainerEdit, Edits, Provenance};
use deploykit_artifacts::task_definition::rules;
use deploykit_cli::CliError;
use deploykit_cli::codebuild::{self, BUILD_ID, RESOLVED_SOURCE_VERSION};

/// The source repository URL CodeBuild sets.
const SOURCE_REPO_URL: &str = "CODEBUILD_SOURCE_REPO_URL";

#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// Set a container's image: `web=<repository>:<tag>`, or a placeholder `web=<IMAGE1_NAME>`.
    #[arg(long = "image", value_name = "CONTAINER=IMAGE")]
    images: Vec<String>,

    /// Give the container the next free `<IMAGEn_NAME>` placeholder, numbered in task-definition order.
    #[arg(long = "placeholder", value_name = "CONTAINER")]
    placeholders: Vec<String>,

    /// Set an environment variable (merged by name; split on the first `=`).
    #[arg(long = "env", value_name = "[CONTAINER:]NAME=VALUE")]
    env: Vec<String>,

    /// Replace the container's whole `environment` with the --env values given for it.
    #[arg(long = "replace-env", value_name = "CONTAINER")]
    replace_env: Vec<String>,

    /// Remove an environment variable.
    #[arg(long = "unset-env", value_name = "[CONTAINER:]NAME")]
    unset_env: Vec<String>,

    /// Add an `environmentFiles` entry (an S3 object ARN).
    #[arg(long = "env-file", value_name = "[CONTAINER:]ARN")]
    env_files: Vec<String>,

    /// Set a secret: `valueFrom` is an SSM parameter name or ARN, or a Secrets Manager ARN.
    #[arg(long = "secret", value_name = "[CONTAINER:]NAME=VALUE_FROM")]
    secrets: Vec<String>,

    /// Set the log driver.
    #[arg(long = "log-driver", value_name = "[CONTAINER:]DRIVER")]
    log_drivers: Vec<String>,

    /// Set a log option (`=` inside the value is kept).
    #[arg(long = "log-option", value_name = "[CONTAINER:]NAME=VALUE")]
    log_options: Vec<String>,

    /// Set a Docker label.
    #[arg(long = "docker-label", value_name = "[CONTAINER:]NAME=VALUE")]
    docker_labels: Vec<String>,

    /// Set `command`: a JSON array, or shell words with quoting.
    #[arg(
        long = "command",
        value_name = "[CONTAINER:]COMMAND",
        allow_hyphen_values = true
    )]
    commands: Vec<String>,

    /// Set `entryPoint`: a JSON array, or shell words with quoting.
    #[arg(
        long = "entry-point",
        value_name = "[CONTAINER:]COMMAND",
        allow_hyphen_values = true
    )]
    entry_points: Vec<String>,

    /// The task role: an ARN or a role name.
    #[arg(long, value_name = "ROLE")]
    task_role: Option<String>,

    /// The execution role: an ARN or a role name.
    #[arg(long, value_name = "ROLE")]
    execution_role: Option<String>,

    /// Task-level CPU units, or `1 vCPU`.
    #[arg(long, value_name = "CPU", allow_hyphen_values = true)]
    cpu: Option<String>,

    /// Task-level memory in MiB, or `2 GB`.
    #[arg(long, value_name = "MEMORY", allow_hyphen_values = true)]
    memory: Option<String>,

    /// A task-definition tag, merged by key.
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    tags: Vec<String>,

    /// The commit to stamp as `org.opencontainers.image.revision` (default: CODEBUILD_RESOLVED_SOURCE_VERSION).
    #[arg(long, value_name = "COMMIT")]
    revision: Option<String>,

    /// The repository to stamp as `org.opencontainers.image.source` (default: CODEBUILD_SOURCE_REPO_URL).
    #[arg(long, value_name = "URL")]
    source_url: Option<String>,

    /// The build to record in the `codebuild-build-id` tag (default: CODEBUILD_BUILD_ID).
    #[arg(long, value_name = "ID")]
    build_id: Option<String>,

    /// Stamp no commit, source or build.
    #[arg(long, conflicts_with_all = ["revision", "source_url", "build_id"])]
    no_provenance: bool,

    /// Set any member by JSON pointer; VALUE takes the type the ECS API gives the member.
    #[arg(long = "set", value_name = "/POINTER=VALUE")]
    pub(crate) sets: Vec<String>,
}

impl EditArgs {
    /// The edits, with each container prefix resolved against the task definition's `containers`.
    pub(crate) fn build(&self, containers: &[String]) -> Result<Edits, CliError> {
        let scope = Scope { containers };
        let mut edits = Vec::new();
        for pair in &self.images {
            let (container, image) = split_pair(pair, "--image", "CONTAINER=IMAGE")?;
            edits.push((container.to_owned(), ContainerEdit::Image(image.to_owned())));
        }
        edits.extend(
            self.placeholders
                .iter()
                .map(|c| (c.clone(), ContainerEdit::Placeholder)),
        );
        edits.extend(
            self.replace_env
                .iter()
                .map(|c| (c.clone(), ContainerEdit::ReplaceEnvironment)),
        );
        for arg in &self.env {
            let (container, rest) = scope.split(arg, "--env")?;
            let (name, value) = split_pair(rest, "--env", "NAME=VALUE")?;
            edits.push((
                container,
                ContainerEdit::Env {
                    name: name.to_owned(),
                    value: value.to_owned(),
                },
            ));
        }
        for arg in &self.unset_env {
            let (container, name) = scope.split(arg, "--unset-env")?;
            edits.push((container, ContainerEdit::UnsetEnv(name.to_owned())));
        }
        for arg in &self.env_files {
            let (container, arn) = scope.split(arg, "--env-file")?;
            edits.push((container, ContainerEdit::EnvironmentFile(arn.to_owned())));
        }
        for arg in &self.secrets {
            let (container, rest) = scope.split(arg, "--secret")?;
            let (name, value_from) = split_pair(rest, "--secret", "NAME=VALUE_FROM")?;
            edits.push((
                container,
                ContainerEdit::Secret {
                    name: name.to_owned(),
                    value_from: value_from.to_owned(),
                },
            ));
        }
        for arg in &self.log_drivers {
            let (container, driver) = scope.split(arg, "--log-driver")?;
            edits.push((container, ContainerEdit::LogDriver(driver.to_owned())));
        }
        for arg in &self.log_options {
            let (container, rest) = scope.split(arg, "--log-option")?;
            let (name, value) = split_pair(rest, "--log-option", "NAME=VALUE")?;
            edits.push((
                container,
                ContainerEdit::LogOption {
                    name: name.to_owned(),
                    value: value.to_owned(),
                },
            ));
        }
        for arg in &self.docker_labels {
            let (container, rest) = scope.split(arg, "--docker-label")?;
            let (name, value) = split_pair(rest, "--docker-label", "NAME=VALUE")?;
            edits.push((
                container,
                ContainerEdit::DockerLabel {
                    name: name.to_owned(),
                    value: value.to_owned(),
                },
            ));
        }
        for arg in &self.commands {
            let (container, command) = scope.split(arg, "--command")?;
            edits.push((
                container,
                ContainerEdit::Command(words(command, "--command")?),
            ));
        }
        for arg in &self.entry_points {
            let (container, command) = scope.split(arg, "--entry-point")?;
            edits.push((
                container,
                ContainerEdit::EntryPoint(words(command, "--entry-point")?),
            ));
        }
        // A bad size is the flag's fault: refused here, it is not reported as the file's `$.cpu`.
        let sizes = [
            (
                "--cpu",
                &self.cpu,
                rules::is_cpu_value as fn(&str) -> bool,
                "CPU units such as `256`, or vCPUs such as `0.25 vCPU`",
            ),
            (
                "--memory",
                &self.memory,
                rules::is_memory_value,
                "MiB such as `512`, or GB such as `2 GB`",
            ),
        ];
        for (flag, value, valid, form) in sizes {
            if let Some(text) = value.as_deref().filter(|text| !valid(text)) {
                return Err(CliError::new(format!(
                    "`{}` is not a task size ECS reads",
                    deploykit_artifacts::shown(text)
                ))
                .at(flag)
                .help(format!("write {form}")));
            }
        }
        let tags = self
            .tags
            .iter()
            .map(|pair| {
                split_pair(pair, "--tag", "KEY=VALUE").map(|(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Edits {
            containers: edits,
            task_role: self.task_role.clone(),
            execution_role: self.execution_role.clone(),
            cpu: self.cpu.clone(),
            memory: self.memory.clone(),
            tags,
            provenance: self.provenance(),
        })
    }

    fn provenance(&self) -> Provenance {
        if self.no_provenance {
            return Provenance::default();
        }
        Provenance {
            revision: self
                .revision
                .clone()
                .or_else(|| codebuild::var(RESOLVED_SOURCE_VERSION)),
            source: self
                .source_url
                .clone()
                .or_else(|| codebuild::var(SOURCE_REPO_URL)),
            build_id: self.build_id.clone().or_else(|| codebuild::var(BUILD_ID)),
        }
    }
}

struct Scope<'a> {
    containers: &'a [String],
}

impl Scope<'_> {
    /// `web:APP_ENV=prod` → (`web`, `APP_ENV=prod`). Container names cannot contain `:`, so a
    /// prefix that names a container is one; without it, the only container is meant.
    fn split<'t>(&self, arg: &'t str, flag: &str) -> Result<(String, &'t str), CliError> {
        if let Some((prefix, rest)) = arg.split_once(':')
            && self.containers.iter().any(|name| name == prefix)
        {
            return Ok((prefix.to_owned(), rest));
        }
        match self.containers {
            [only] => Ok((only.clone(), arg)),
            many => {
                let names: Vec<String> = many.iter().map(|n| format!("`{n}`")).collect();
                let example = many.first().map_or("web", String::as_str);
                let arg = shown(flag, arg);
                Err(CliError::new(format!(
                    "`{flag} {arg}` names no container, and the task definition has {}: {}",
                    many.len(),
                    names.join(", ")
                ))
                .help(format!("aim it at one: `{flag} {example}:{arg}`")))
            }
        }
    }
}

/// An argument as a message may quote it: the values of `--env` and `--log-option` (a
/// password, a Splunk token) are redacted; the other flags name images, roles and labels.
fn shown(flag: &str, arg: &str) -> String {
    if matches!(flag, "--env" | "--log-option") {
        redact_assignment(arg)
    } else {
        arg.to_owned()
    }
}

fn split_pair<'t>(arg: &'t str, flag: &str, shape: &str) -> Result<(&'t str, &'t str), CliError> {
    arg.split_once('=')
        .filter(|(name, _)| !name.is_empty())
        .ok_or_else(|| {
            CliError::new(format!("`{flag} {}` is not `{shape}`", shown(flag, arg)))
                .help(format!("write `{flag} {shape}`"))
        })
}

/// A JSON array of strings, or shell words (`npm run "start prod"`).
fn words(command: &str, flag: &str) -> Result<Vec<String>, CliError> {
    if command.trim_start().starts_with('[') {
        return serde_json::from_str(command).map_err(|error| {
            CliError::new(format!("`{flag}` is not a JSON array of strings: {error}"))
                .help(r#"write `["npm", "start"]`, or plain words: `npm start`"#)
        });
    }
    shell_words::split(command).map_err(|error| {
        CliError::new(format!(
            "`{flag} {command}` cannot be split into words: {error}"
        ))
        .help("close the quote, or give a JSON array")
    })
}
