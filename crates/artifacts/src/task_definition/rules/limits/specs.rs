//! A container's credential specs, Docker security options, GPU count and private registry
//! credentials.

use serde_json::Value;

use crate::finding::Finding;
use crate::task_definition::rules::Container;

/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>
/// (`credentialSpecs`: "The maximum number of ARNs is 1. There are two formats for each ARN.
/// `credentialspecdomainless:MyARN` ... `credentialspec:MyARN` ... replace `MyARN` with the ARN
/// in SSM or Amazon S3").
const MAX_CREDENTIAL_SPECS: usize = 1;
const CREDENTIAL_SPEC_PREFIXES: [&str; 2] = ["credentialspecdomainless:", "credentialspec:"];

pub(super) fn check(container: &Container<'_>, findings: &mut Vec<Finding>) {
    check_credential_specs(container, findings);
    check_security_options(container, findings);
    check_gpus(container, findings);
    check_repository_credentials(container, findings);
}

fn check_credential_specs(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let specs = container.list("credentialSpecs");
    let path = container.path().key("credentialSpecs");
    if specs.len() > MAX_CREDENTIAL_SPECS {
        findings.push(
            Finding::error(
                "credential-spec-count",
                format!(
                    "{container} lists {} `credentialSpecs`; ECS allows one",
                    specs.len()
                ),
            )
            .at(path.clone())
            .help("keep the one credential spec the container authenticates with"),
        );
    }
    for (index, spec) in specs.iter().enumerate() {
        let Some(text) = spec.as_str() else {
            continue;
        };
        let arn = CREDENTIAL_SPEC_PREFIXES
            .iter()
            .find_map(|prefix| text.strip_prefix(prefix));
        let problem = match arn {
            None => "does not start with `credentialspec:` or `credentialspecdomainless:`",
            Some(arn) if !is_ssm_or_s3_arn(arn) => {
                "does not name the ARN of an SSM parameter or an S3 object after its prefix"
            }
            Some(_) => continue,
        };
        findings.push(
            Finding::error(
                "credential-spec-format",
                format!("{container} has the credential spec `{text}`, which {problem}"),
            )
            .at(path.index(index))
            .help(
                "write `credentialspec:` (instance joined to the domain) or \
                 `credentialspecdomainless:`, then the ARN of the CredSpec file in SSM or S3",
            ),
        );
    }
}

/// `arn:<partition>:ssm:...` or `arn:<partition>:s3:::...`.
fn is_ssm_or_s3_arn(text: &str) -> bool {
    let mut parts = text.splitn(4, ':');
    parts.next() == Some("arn")
        && parts.next().is_some_and(|partition| !partition.is_empty())
        && parts
            .next()
            .is_some_and(|service| service == "ssm" || service == "s3")
        && parts.next().is_some_and(|rest| !rest.is_empty())
}

/// The security options ECS passes to Docker; Docker also spells the separator `=`.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>
/// (`dockerSecurityOptions`: "Valid values: "no-new-privileges" | "apparmor:PROFILE" |
/// "label:value" | "credentialspec:CredentialSpecFilePath""). Others, such as `seccomp`, are not
/// passed to the container (<https://github.com/aws/containers-roadmap/issues/356>), so they are
/// a warning.
const SECURITY_OPTIONS: [&str; 3] = ["apparmor", "label", "credentialspec"];

fn check_security_options(container: &Container<'_>, findings: &mut Vec<Finding>) {
    for (index, option) in container.list("dockerSecurityOptions").iter().enumerate() {
        let Some(text) = option.as_str() else {
            continue;
        };
        let known = text.starts_with("no-new-privileges")
            || text
                .split_once([':', '='])
                .is_some_and(|(kind, value)| SECURITY_OPTIONS.contains(&kind) && !value.is_empty());
        if known {
            continue;
        }
        findings.push(
            Finding::warning(
                "docker-security-option",
                format!(
                    "{container} has the security option `{text}`, which ECS does not pass to \
                     Docker; it takes `no-new-privileges`, `apparmor:`, `label:` and \
                     `credentialspec:`"
                ),
            )
            .at(container.path().key("dockerSecurityOptions").index(index))
            .help("remove it, or configure the instance's Docker daemon instead"),
        );
    }
}

/// A `GPU` requirement counts physical GPUs, so its value is a whole number above zero.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ResourceRequirement.html>
/// ("When the type is GPU, the value is the number of physical GPUs the Amazon ECS container
/// agent reserves for the container").
fn check_gpus(container: &Container<'_>, findings: &mut Vec<Finding>) {
    for (index, requirement) in container.list("resourceRequirements").iter().enumerate() {
        if requirement.get("type").and_then(Value::as_str) != Some("GPU") {
            continue;
        }
        let Some(value) = requirement.get("value").and_then(Value::as_str) else {
            continue;
        };
        if value.parse::<u32>().is_ok_and(|count| count > 0) {
            continue;
        }
        findings.push(
            Finding::error(
                "gpu-count",
                format!(
                    "{container} asks for `{value}` GPUs; the value is a whole number of GPUs, \
                     1 or more"
                ),
            )
            .at(container
                .path()
                .key("resourceRequirements")
                .index(index)
                .key("value"))
            .help("write the number of GPUs as a string, such as `\"1\"`"),
        );
    }
}

/// `RepositoryCredentials.credentialsParameter` is "The Amazon Resource Name (ARN) of the secret
/// containing the private repository credentials ... if the secret exists in the same Region as
/// the task that you're launching then you can use either the full ARN or the name of the
/// secret" (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RepositoryCredentials.html>);
/// a secret name is up to 512 "ASCII letters, numbers, and the following characters: /_+=.@-"
/// (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html>).
fn check_repository_credentials(container: &Container<'_>, findings: &mut Vec<Finding>) {
    let Some(parameter) = container
        .get("repositoryCredentials")
        .and_then(|credentials| credentials.get("credentialsParameter"))
        .and_then(Value::as_str)
    else {
        return;
    };
    if parameter.contains("${") {
        return;
    }
    let problem = if parameter.starts_with("arn:") {
        crate::secrets::value_from_problem(parameter).or_else(|| {
            let service = parameter.split(':').nth(2).unwrap_or_default();
            (service != "secretsmanager")
                .then(|| format!("is an ARN of `{service}`, not of a Secrets Manager secret"))
        })
    } else if parameter.is_empty()
        || parameter.len() > 512
        || !parameter
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_+=.@-".contains(&b))
    {
        Some("is neither a secret ARN nor a secret name".to_owned())
    } else {
        None
    };
    if let Some(problem) = problem {
        findings.push(
            Finding::error(
                "repository-credentials",
                format!("{container}'s `repositoryCredentials.credentialsParameter` `{}` {problem}", crate::suggest::shown(parameter)),
            )
            .at(container
                .path()
                .key("repositoryCredentials")
                .key("credentialsParameter"))
            .help("use `arn:aws:secretsmanager:<region>:<account>:secret:<name>`, or the secret's name when it is in the task's Region"),
        );
    }
}
