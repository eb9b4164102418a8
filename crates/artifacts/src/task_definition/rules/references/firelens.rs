//! FireLens: the log router (`firelensConfiguration`) and the containers that send it their logs
//! (`logDriver` `awsfirelens`), and the router's options.
//!
//! Sources: <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_FirelensConfiguration.html>
//! and <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html>; the
//! pairing rules are ECS's own refusals at registration (quoted below).

use serde_json::{Map, Value};

use crate::finding::Finding;
use crate::task_definition::rules::{Container, or_list};

/// The option keys `FirelensConfiguration.options` documents, with the values each allows
/// (empty: any value).
const OPTIONS: [(&str, &[&str]); 3] = [
    ("enable-ecs-log-metadata", &["true", "false"]),
    ("config-file-type", &["s3", "file"]),
    ("config-file-value", &[]),
];

/// The port FireLens listens on inside the task.
const FIRELENS_PORT: i64 = 24_224;

pub(super) fn check(containers: &[Container<'_>], bridge: bool, findings: &mut Vec<Finding>) {
    let routers: Vec<&Container<'_>> = containers
        .iter()
        .filter(|container| container.get("firelensConfiguration").is_some())
        .collect();
    let senders: Vec<&Container<'_>> = containers
        .iter()
        .filter(|container| log_driver(container) == Some("awsfirelens"))
        .collect();
    if routers.is_empty() {
        // ECS: `When awsfirelens log driver is specified in log configuration, a firelens
        // configuration object must be configured in one of the containers.`
        for sender in &senders {
            findings.push(
                Finding::error(
                    "firelens-router-missing",
                    format!(
                        "{sender} sends its logs to FireLens (`awsfirelens`), but no container of the task has a `firelensConfiguration`"
                    ),
                )
                .at(sender.path().key("logConfiguration").key("logDriver"))
                .help("add a log router container with `\"firelensConfiguration\": {\"type\": \"fluentbit\"}`, such as the image `public.ecr.aws/aws-observability/aws-for-fluent-bit`"),
            );
        }
    }
    if senders.is_empty() {
        // ECS: `When a firelensConfiguration object is specified, at least one container has to
        // be configured with the awsfirelens log driver.`
        for router in &routers {
            findings.push(
                Finding::error(
                    "firelens-router-unused",
                    format!(
                        "{router} is a FireLens log router, but no container of the task uses the `awsfirelens` log driver"
                    ),
                )
                .at(router.path().key("firelensConfiguration"))
                .help("set `\"logDriver\": \"awsfirelens\"` in the `logConfiguration` of the containers whose logs it routes, or remove `firelensConfiguration`"),
            );
        }
    }
    if bridge && !routers.is_empty() {
        check_port(containers, findings);
    }
    for router in routers {
        if let Some(Value::Object(options)) = router
            .get("firelensConfiguration")
            .and_then(|configuration| configuration.get("options"))
        {
            check_options(router, options, findings);
        }
    }
}

/// "FireLens listens on port 24224 ... For tasks that use the bridge network mode, don't create
/// any port mappings that use port 24224" (`using_firelens.html`): the mapping would publish the
/// log router outside the task. A warning: ECS registers and runs the task.
fn check_port(containers: &[Container<'_>], findings: &mut Vec<Finding>) {
    for container in containers {
        for (index, mapping) in container.list("portMappings").iter().enumerate() {
            let Some(key) = ["hostPort", "containerPort"]
                .into_iter()
                .find(|key| mapping.get(*key).and_then(Value::as_i64) == Some(FIRELENS_PORT))
            else {
                continue;
            };
            findings.push(
                Finding::warning(
                    "firelens-port",
                    format!("{container} maps port {FIRELENS_PORT}, which the FireLens log router listens on, in the `bridge` network mode"),
                )
                .at(container.path().key("portMappings").index(index).key(key))
                .help("remove the mapping, or use another port: a mapping of 24224 makes the log router reachable from outside the task"),
            );
        }
    }
}

fn log_driver<'a>(container: &Container<'a>) -> Option<&'a str> {
    container
        .get("logConfiguration")
        .and_then(|configuration| configuration.get("logDriver"))
        .and_then(Value::as_str)
}

fn check_options(
    router: &Container<'_>,
    options: &Map<String, Value>,
    findings: &mut Vec<Finding>,
) {
    let at = router.path().key("firelensConfiguration").key("options");
    for (key, value) in options {
        let Some(value) = value.as_str() else {
            continue;
        };
        let Some((_, allowed)) = OPTIONS.iter().find(|(known, _)| known == key) else {
            let known: Vec<String> = OPTIONS
                .iter()
                .map(|(known, _)| format!("`{known}`"))
                .collect();
            findings.push(
                Finding::error(
                    "firelens-option",
                    format!("{router}'s FireLens option `{key}` is not one ECS knows"),
                )
                .at(at.key(key.as_str()))
                .help(format!(
                    "use {}; settings for the log destination go in the `options` of the `awsfirelens` log configuration",
                    or_list(&known)
                )),
            );
            continue;
        };
        if !allowed.is_empty() && !allowed.contains(&value) {
            let quoted: Vec<String> = allowed.iter().map(|value| format!("`{value}`")).collect();
            findings.push(
                Finding::error(
                    "firelens-option",
                    format!(
                        "{router}'s FireLens option `{key}` is `{value}`; ECS accepts {}",
                        or_list(&quoted)
                    ),
                )
                .at(at.key(key.as_str()))
                .help(format!("set `{key}` to {}", or_list(&quoted))),
            );
        }
    }
    let file_type = options.get("config-file-type").and_then(Value::as_str);
    let file_value = options.get("config-file-value").and_then(Value::as_str);
    // The options' syntax gives `config-file-type` and `config-file-value` together: one names
    // the kind of source, the other the S3 ARN or path.
    match (file_type, file_value) {
        (Some(_), None) | (None, Some(_)) => {
            let (given, missing) = if file_type.is_some() {
                ("config-file-type", "config-file-value")
            } else {
                ("config-file-value", "config-file-type")
            };
            findings.push(
                Finding::error(
                    "firelens-config-file",
                    format!("{router}'s FireLens options set `{given}` without `{missing}`"),
                )
                .at(at.key(given))
                .help(
                    "set both: `config-file-type` (`s3` or `file`) and `config-file-value` (the S3 object ARN or the file's path in the image)",
                ),
            );
        }
        // S3 on Fargate is the platform rules' finding (`fargate-firelens-config-file`).
        _ => {}
    }
}
