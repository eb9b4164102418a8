//! When the task execution role is required: private ECR images and awslogs on Fargate, secrets, private registry credentials, environment files, log secret options.
//!
//! Source for when it is required:
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html>
//! ("Your task is hosted on AWS Fargate, Amazon ECS Managed Instances, or an external instance
//! and pulls a container image
//! from an Amazon ECR private repository / sends container logs to CloudWatch Logs using the
//! awslogs log driver"; "Your tasks are hosted on either AWS Fargate or Amazon EC2 instances and
//! uses private registry authentication / the task definition is referencing sensitive data
//! using Secrets Manager secrets or AWS Systems Manager Parameter Store parameters"), and the
//! same page's section on Amazon S3 file permissions for `environmentFiles`.

use serde_json::Value;

use super::references::containers;
use super::{Container, Task};
use crate::finding::Finding;
use crate::image_reference::ImageReference;
use crate::location::JsonPath;

/// The longest IAM role name. Source: `RoleName` in
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>
const ROLE_NAME_MAX: usize = 64;

/// Every rule of this family that `document` breaks.
pub(super) fn check(document: &Value, task: &Task<'_>, findings: &mut Vec<Finding>) {
    for key in ["taskRoleArn", "executionRoleArn"] {
        if let Some(Value::String(role)) = document.get(key) {
            check_role(key, role, findings);
        }
    }
    // A role of the wrong type is the `shape` check's finding, not a missing role.
    if document
        .get("executionRoleArn")
        .is_some_and(|role| !role.is_null() && role != "")
    {
        return;
    }
    // Fargate, Managed Instances or an external instance: the agent pulls from ECR and writes
    // to CloudWatch Logs with the execution role, not with an instance role of the user's.
    let hosted_by_aws = task.fargate
        || document
            .get("requiresCompatibilities")
            .and_then(Value::as_array)
            .is_some_and(|list| {
                list.iter()
                    .any(|item| item == "EXTERNAL" || item == "MANAGED_INSTANCES")
            });
    for container in containers(document) {
        for need in needs(&container, hosted_by_aws) {
            findings.push(
                Finding::error(
                    need.rule,
                    format!(
                        "{container} {}, which needs the task execution role, but the task definition has no `executionRoleArn`",
                        need.what
                    ),
                )
                .at(need.at)
                .help("set `executionRoleArn` to a role with the `AmazonECSTaskExecutionRolePolicy` managed policy (and read access to the secrets, parameters or files it names)"),
            );
        }
    }
}

/// One use of the execution role by a container.
struct Need {
    rule: &'static str,
    what: String,
    at: JsonPath,
}

fn needs(container: &Container<'_>, hosted_by_aws: bool) -> Vec<Need> {
    let mut found = Vec::new();
    let path = container.path();
    if hosted_by_aws
        && let Some(image) = container.get("image").and_then(Value::as_str)
        && is_private_ecr(image)
    {
        found.push(Need {
            rule: "execution-role-ecr",
            what: format!(
                "pulls `{image}` from a private ECR repository on Fargate, Managed Instances or an external instance"
            ),
            at: path.key("image"),
        });
    }
    let log = container.get("logConfiguration");
    if hosted_by_aws
        && log
            .and_then(|log| log.get("logDriver"))
            .is_some_and(|driver| driver == "awslogs")
    {
        found.push(Need {
            rule: "execution-role-awslogs",
            what: "sends its logs to CloudWatch Logs with `awslogs` on Fargate, Managed Instances or an external instance".to_owned(),
            at: path.key("logConfiguration").key("logDriver"),
        });
    }
    // ECS: `When you are specifying container secrets, you must also specify a value for
    // 'executionRoleArn'.`
    if container.list("secrets").iter().any(names_a_secret) {
        found.push(Need {
            rule: "execution-role-secrets",
            what: "reads `secrets` from Secrets Manager or Parameter Store".to_owned(),
            at: path.key("secrets"),
        });
    }
    if log
        .and_then(|log| log.get("secretOptions"))
        .and_then(Value::as_array)
        .is_some_and(|options| options.iter().any(names_a_secret))
    {
        found.push(Need {
            rule: "execution-role-secrets",
            what: "reads log `secretOptions` from Secrets Manager or Parameter Store".to_owned(),
            at: path.key("logConfiguration").key("secretOptions"),
        });
    }
    if container.get("repositoryCredentials").is_some() {
        found.push(Need {
            rule: "execution-role-registry-auth",
            what: "authenticates to a private registry with `repositoryCredentials`".to_owned(),
            at: path.key("repositoryCredentials"),
        });
    }
    if !container.list("environmentFiles").is_empty() {
        found.push(Need {
            rule: "execution-role-environment-files",
            what: "reads `environmentFiles` from S3".to_owned(),
            at: path.key("environmentFiles"),
        });
    }
    found
}

/// A `secrets` or `secretOptions` entry with a `valueFrom` to fetch; other shapes are the
/// `shape` check's findings.
fn names_a_secret(entry: &Value) -> bool {
    entry.get("valueFrom").is_some_and(Value::is_string)
}

/// An image in a private ECR registry (`<account>.dkr.ecr.<region>.amazonaws.com/...`); ECR
/// Public needs no credentials.
fn is_private_ecr(image: &str) -> bool {
    ImageReference::parse(image)
        .ok()
        .and_then(|reference| reference.ecr().map(|ecr| ecr.registry_id.is_some()))
        .unwrap_or(false)
}

/// `taskRoleArn` is "the short name or full ARN" of an IAM role (`RegisterTaskDefinition`);
/// ECS fills in the account for a bare name of `executionRoleArn` too.
/// Source: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>
fn check_role(key: &'static str, role: &str, findings: &mut Vec<Finding>) {
    let problem = if role.is_empty() {
        Some(format!("`{key}` is empty"))
    } else if role.starts_with("arn:") {
        arn_problem(role)
            .map(|problem| format!("`{key}` `{role}` is not an IAM role ARN: {problem}"))
    } else {
        name_problem(role)
            .map(|problem| format!("`{key}` `{role}` is not an IAM role name: {problem}"))
    };
    if let Some(problem) = problem {
        findings.push(
            Finding::error("role-arn", problem)
                .at(JsonPath::root().key(key))
                .help(
                    "give the role's ARN, `arn:aws:iam::<account>:role/<name>`, or its name alone",
                ),
        );
    }
}

/// What is wrong with an `arn:` value as an IAM role ARN,
/// `arn:<partition>:iam::<account>:role/<path/><name>` (IAM identifiers:
/// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns>).
fn arn_problem(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, partition, service, region, account, resource] = parts.as_slice() else {
        return Some("an ARN has six `:`-separated parts".to_owned());
    };
    if partition.is_empty() {
        return Some("the partition is empty".to_owned());
    }
    if *service != "iam" {
        return Some(format!("it is an ARN of `{service}`, not of `iam`"));
    }
    if !region.is_empty() {
        return Some("IAM ARNs have no region".to_owned());
    }
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("the account `{account}` is not 12 digits"));
    }
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Some(format!("`{resource}` is not `role/<name>`"));
    };
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    name_problem(name)
}

/// What is wrong with an IAM role name: 1 to 64 of `A-Za-z0-9+=,.@_-` (`RoleName` in
/// <https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html>).
fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("the role name is empty".to_owned());
    }
    if name.len() > ROLE_NAME_MAX {
        return Some(format!(
            "the role name is {} characters long; IAM allows at most {ROLE_NAME_MAX}",
            name.len()
        ));
    }
    name.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "+=,.@_-".contains(*c)))
        .map(|bad| format!("the role name contains `{bad}`"))
}
