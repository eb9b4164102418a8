//! The edit flags, each aimed at one container as `CONTAINER:…` (the prefix may be left out
//! when the task definition has a single container).
//!
//! `--image`, `--placeholder`, `--replace-env` and the task-level flags name their container
//! or need none, so they are read whole with the other flags. The others are split once the
//! task definition's containers are known: whether `web:A=1` is `A=1` for `web` or `web:A` for
//! the only container depends on them.

use deploykit_artifacts::secrets::{self, redact_assignment};
use deploykit_artifacts::task_definition::edit::{ContainerEdit, Edits, Provenance};
use deploykit_artifacts::task_definition::rules;
use deploykit_cli::CliError;

use crate::{EditArgs, ProvenanceArgs};

/// The edits, read from the flags; [`EditFlags::resolve`] aims them at the containers.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct EditFlags {
    /// Everything but the container-scoped flags, whose edits come after these.
    named: Edits,
    /// The container-scoped flags, in the order they apply.
    scoped: Vec<(Scoped, String)>,
}

/// A flag whose argument may start with `CONTAINER:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scoped {
    Env,
    UnsetEnv,
    EnvFile,
    Secret,
    LogDriver,
    LogOption,
    DockerLabel,
    Command,
    EntryPoint,
}

impl TryFrom<EditArgs> for EditFlags {
    type Error = CliError;

    fn try_from(args: EditArgs) -> Result<Self, CliError> {
        let mut containers = Vec::new();
        for pair in &args.images {
            let (container, image) = split_pair(pair, "--image", "CONTAINER=IMAGE")?;
            containers.push((container.to_owned(), ContainerEdit::Image(image.to_owned())));
        }
        containers.extend(
            args.placeholders
                .into_iter()
                .map(|c| (c, ContainerEdit::Placeholder)),
        );
        containers.extend(
            args.replace_env
                .into_iter()
                .map(|c| (c, ContainerEdit::ReplaceEnvironment)),
        );
        let scoped = [
            (Scoped::Env, args.env),
            (Scoped::UnsetEnv, args.unset_env),
            (Scoped::EnvFile, args.env_files),
            (Scoped::Secret, args.secrets),
            (Scoped::LogDriver, args.log_drivers),
            (Scoped::LogOption, args.log_options),
            (Scoped::DockerLabel, args.docker_labels),
            (Scoped::Command, args.commands),
            (Scoped::EntryPoint, args.entry_points),
        ]
        .into_iter()
        .flat_map(|(flag, values)| values.into_iter().map(move |arg| (flag, arg)))
        .collect();
        // A bad size is the flag's fault: refused here, it is not reported as the file's `$.cpu`.
        let sizes = [
            (
                "--cpu",
                &args.cpu,
                rules::is_cpu_value as fn(&str) -> bool,
                "CPU units such as `256`, or vCPUs such as `0.25 vCPU`",
            ),
            (
                "--memory",
                &args.memory,
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
        let tags = args
            .tags
            .iter()
            .map(|pair| {
                split_pair(pair, "--tag", "KEY=VALUE").map(|(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Self {
            named: Edits {
                containers,
                task_role: args.task_role,
                execution_role: args.execution_role,
                cpu: args.cpu,
                memory: args.memory,
                tags,
                provenance: provenance(args.provenance),
            },
            scoped,
        })
    }
}

/// The stamps; an empty value, as an unset CodeBuild variable reads, is no stamp.
fn provenance(args: ProvenanceArgs) -> Provenance {
    if args.no_provenance {
        return Provenance::default();
    }
    let given = |value: Option<String>| value.filter(|value| !value.is_empty());
    Provenance {
        revision: given(args.revision),
        source: given(args.source_url),
        build_id: given(args.build_id),
    }
}

impl EditFlags {
    /// The edits, with each container prefix resolved against the task definition's `containers`.
    pub(crate) fn resolve(&self, containers: &[String]) -> Result<Edits, CliError> {
        let mut edits = self.named.clone();
        for (flag, arg) in &self.scoped {
            let (container, rest) = split_scope(containers, arg, flag.name())?;
            edits.containers.push((container, flag.edit(rest)?));
        }
        Ok(edits)
    }
}

impl Scoped {
    fn name(self) -> &'static str {
        match self {
            Self::Env => "--env",
            Self::UnsetEnv => "--unset-env",
            Self::EnvFile => "--env-file",
            Self::Secret => "--secret",
            Self::LogDriver => "--log-driver",
            Self::LogOption => "--log-option",
            Self::DockerLabel => "--docker-label",
            Self::Command => "--command",
            Self::EntryPoint => "--entry-point",
        }
    }

    /// The edit `rest`, the argument without its container prefix, asks for.
    fn edit(self, rest: &str) -> Result<ContainerEdit, CliError> {
        let flag = self.name();
        let pair = |shape| {
            split_pair(rest, flag, shape).map(|(name, value)| (name.to_owned(), value.to_owned()))
        };
        Ok(match self {
            Self::Env => {
                let (name, value) = pair("NAME=VALUE")?;
                ContainerEdit::Env { name, value }
            }
            Self::UnsetEnv => ContainerEdit::UnsetEnv(rest.to_owned()),
            Self::EnvFile => ContainerEdit::EnvironmentFile(rest.to_owned()),
            Self::Secret => {
                let (name, value_from) = pair("NAME=VALUE_FROM")?;
                ContainerEdit::Secret { name, value_from }
            }
            Self::LogDriver => ContainerEdit::LogDriver(rest.to_owned()),
            Self::LogOption => {
                let (name, value) = pair("NAME=VALUE")?;
                ContainerEdit::LogOption { name, value }
            }
            Self::DockerLabel => {
                let (name, value) = pair("NAME=VALUE")?;
                ContainerEdit::DockerLabel { name, value }
            }
            Self::Command => ContainerEdit::Command(words(rest, flag)?),
            Self::EntryPoint => ContainerEdit::EntryPoint(words(rest, flag)?),
        })
    }
}

/// `web:APP_ENV=prod` → (`web`, `APP_ENV=prod`). Container names cannot contain `:`, so a
/// prefix that names a container is one; without it, the only container is meant.
fn split_scope<'t>(
    containers: &[String],
    arg: &'t str,
    flag: &str,
) -> Result<(String, &'t str), CliError> {
    if let Some((prefix, rest)) = arg.split_once(':')
        && containers.iter().any(|name| name == prefix)
    {
        return Ok((prefix.to_owned(), rest));
    }
    match containers {
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

/// An argument as a message may quote it: the values of `--env` and `--log-option` (a
/// password, a Splunk token) are redacted; the other flags name images, roles and labels,
/// which are still shortened and kept free of anything shaped like a credential (an image
/// written `user:password@registry/…`).
fn shown(flag: &str, arg: &str) -> String {
    if matches!(flag, "--env" | "--log-option") {
        redact_assignment(arg)
    } else {
        secrets::shown(arg).into_owned()
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
