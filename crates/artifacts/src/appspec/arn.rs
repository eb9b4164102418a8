//! The two kinds of names an `AppSpec` holds: the task-definition ARN and the hooks' Lambda
//! functions.

use super::TASK_DEFINITION_PLACEHOLDER;
use crate::finding::Finding;

const ARN_FORM: &str = "arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>";

/// What is wrong with a `TaskDefinition` value, if anything: it must be the CodePipeline
/// placeholder `<TASK_DEFINITION>` (CP-TUT-BG) or a full task-definition ARN
/// `arn:<partition>:ecs:<region>:<12 digits>:task-definition/<family>:<revision>` (CD-RES).
/// CodeDeploy refuses a family, `family:revision` and wildcards such as
/// `arn:aws:ecs:::task-definition/web:*` (`docs/aws/codedeploy.md#resources-and-taskdefinition`, aws-actions/amazon-ecs-deploy-task-definition#76).
#[must_use]
pub fn task_definition_problem(value: &str) -> Option<Finding> {
    let wrong =
        |message: String, help: String| Some(Finding::error("task-definition", message).help(help));
    let either = format!(
        "write the full ARN `{ARN_FORM}`, or `{TASK_DEFINITION_PLACEHOLDER}` when CodePipeline deploys"
    );
    if value == TASK_DEFINITION_PLACEHOLDER {
        return None;
    }
    if value.trim().is_empty() {
        return wrong("`TaskDefinition` is empty".to_owned(), either);
    }
    if value.trim() != value {
        return wrong(
            format!("`TaskDefinition` `{value}` has white space around it"),
            "remove the spaces".to_owned(),
        );
    }
    if value.starts_with('<') && value.ends_with('>') {
        return wrong(
            format!("`{value}` is not the placeholder CodePipeline replaces"),
            format!(
                "CodePipeline replaces only `{TASK_DEFINITION_PLACEHOLDER}`, letter for letter"
            ),
        );
    }
    if value.contains('*') {
        return wrong(
            format!("`{value}` is a wildcard; CodeDeploy deploys one registered revision"),
            either,
        );
    }
    let Some(rest) = value.strip_prefix("arn:") else {
        return wrong(
            format!("`{value}` is not a task-definition ARN; CodeDeploy takes only the full ARN"),
            either,
        );
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [partition, service, region, account, resource] = parts.as_slice() else {
        return wrong(format!("`{value}` is not a complete ARN"), either);
    };
    if *service != "ecs" || !resource.starts_with("task-definition/") {
        return wrong(
            format!("`{value}` is not an ECS task-definition ARN"),
            either,
        );
    }
    if let Some(problem) = partition_problem(partition)
        .or_else(|| region_problem(region))
        .or_else(|| account_problem(account))
    {
        return wrong(format!("`{value}`: {problem}"), either);
    }
    let name = &resource["task-definition/".len()..];
    let Some((family, revision)) = name.rsplit_once(':') else {
        return wrong(
            format!("`{value}` names no revision; CodeDeploy deploys one registered revision"),
            format!("add the revision: `{value}:<revision>`"),
        );
    };
    if let Some(problem) = family_problem(family) {
        return wrong(format!("`{value}`: {problem}"), either);
    }
    if revision.is_empty()
        || !revision.bytes().all(|b| b.is_ascii_digit())
        || revision.parse::<u64>().map_or(true, |n| n == 0)
    {
        return wrong(
            format!("`{value}`: the revision `{revision}` is not a number from 1 up"),
            either,
        );
    }
    None
}

/// `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b`…
fn partition_problem(partition: &str) -> Option<String> {
    let ok = partition == "aws"
        || partition.strip_prefix("aws-").is_some_and(|rest| {
            !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        });
    (!ok).then(|| format!("the partition `{partition}` is not `aws` or `aws-…`"))
}

/// `us-east-1`, `us-gov-west-1`, `eu-isoe-west-1`…
fn region_problem(region: &str) -> Option<String> {
    let ok = region.starts_with(|c: char| c.is_ascii_lowercase())
        && region.ends_with(|c: char| c.is_ascii_digit())
        && region.contains('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    (!ok).then(|| {
        if region.is_empty() {
            "the region is missing".to_owned()
        } else {
            format!("the region `{region}` is not a region such as `us-east-1`")
        }
    })
}

fn account_problem(account: &str) -> Option<String> {
    let ok = account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit());
    (!ok).then(|| {
        if account.is_empty() {
            "the account id is missing".to_owned()
        } else {
            format!("the account id `{account}` is not 12 digits")
        }
    })
}

/// Family names: 1 to 255 letters, digits, `_` and `-` (BC-ECS `RegisterTaskDefinition.family`).
fn family_problem(family: &str) -> Option<String> {
    if family.is_empty() {
        return Some("the family is missing".to_owned());
    }
    if family.len() > 255 {
        return Some("the family is longer than 255 characters".to_owned());
    }
    family
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        .map(|bad| format!("the family `{family}` contains `{bad}`"))
}

/// The function name in a hook's value: the value itself, or the name part of a function ARN
/// `arn:<partition>:lambda:<region>:<account>:function:<name>[:<version or alias>]` (or of the
/// partial ARN `<account>:function:<name>` Lambda also accepts). Names are 1 to 64 letters,
/// digits, `-` and `_` (Lambda API `FunctionName`). The error says what is wrong.
pub fn hook_function_name(value: &str) -> Result<&str, String> {
    let name = if let Some(rest) = value.strip_prefix("arn:") {
        let parts: Vec<&str> = rest.splitn(6, ':').collect();
        match parts.as_slice() {
            [partition, "lambda", region, account, "function", tail] => {
                if let Some(problem) = partition_problem(partition)
                    .or_else(|| region_problem(region))
                    .or_else(|| account_problem(account))
                {
                    return Err(format!("`{value}`: {problem}"));
                }
                tail.split_once(':').map_or(*tail, |(name, _)| name)
            }
            _ => return Err(format!("`{value}` is not a Lambda function ARN")),
        }
    } else if let Some((_, tail)) = value.split_once(":function:") {
        tail.split_once(':').map_or(tail, |(name, _)| name)
    } else {
        value
    };
    if name.is_empty() {
        return Err(format!("`{value}` names no function"));
    }
    if name.len() > 64 {
        return Err(format!(
            "the function name `{name}` is longer than Lambda's 64 characters"
        ));
    }
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        Some(bad) => Err(format!(
            "the function name `{name}` contains `{bad}`; Lambda allows letters, digits, `-` and `_`"
        )),
        None => Ok(name),
    }
}
