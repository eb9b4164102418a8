//! `#{Namespace.VARIABLE}` references in action configurations and environment variables.
//!
//! Source: CodePipeline user guide, "Variables reference": an action's output variables
//! belong to the namespace the action declares and can be read by actions that run after it;
//! `#{codepipeline.PipelineExecutionId}` is built in, `#{variables.NAME}` reads a pipeline-level
//! variable (V2). A CodeBuild action outputs its buildspec's `env/exported-variables`; the ECR
//! and `CodeStarSourceConnection` source actions output fixed sets (action references, "Output
//! variables"; `docs/aws/codepipeline.md#variables`).

use serde_json::Value;

use super::{EXPORTED_VARIABLE, Step, VARIABLE_NAMESPACE};
use crate::finding::Finding;
use crate::suggest::{Reach, backticked, similar};

const ECR_VARIABLES: &[&str] = &[
    "RegistryId",
    "RepositoryName",
    "ImageTag",
    "ImageDigest",
    "ImageURI",
];
const CONNECTION_VARIABLES: &[&str] = &[
    "AuthorDate",
    "BranchName",
    "CommitId",
    "CommitMessage",
    "ConnectionArn",
    "FullRepositoryName",
];

/// One `#{namespace.variable}`, and the key it is in.
struct Reference<'a> {
    key: String,
    namespace: &'a str,
    variable: &'a str,
}

/// Checks every reference in every action of a normalised pipeline.
pub(super) fn check(document: &Value, steps: &[Step], findings: &mut Vec<Finding>) {
    let declared: Vec<&str> = document
        .pointer("/pipeline/variables")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.get("name").and_then(Value::as_str))
        .collect();
    for step in steps {
        let mut references = Vec::new();
        for (key, value) in step.configuration {
            collect(value, &format!("Configuration.{key}"), &mut references);
        }
        let environment = step
            .action
            .get("environmentVariables")
            .and_then(Value::as_array);
        for variable in environment.into_iter().flatten() {
            let name = variable
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if let Some(value) = variable.get("value") {
                collect(
                    value,
                    &format!("EnvironmentVariables[{name}]"),
                    &mut references,
                );
            }
        }
        for reference in references {
            if let Some(finding) = judge(step, steps, &declared, &reference) {
                findings.push(finding);
            }
        }
    }
}

/// Every `#{a.b}` in the strings of `value`.
fn collect<'a>(value: &'a Value, key: &str, out: &mut Vec<Reference<'a>>) {
    match value {
        Value::String(text) => {
            let mut rest = text.as_str();
            while let Some(start) = rest.find("#{") {
                let body = &rest[start + 2..];
                let Some(end) = body.find('}') else { break };
                if let Some((namespace, variable)) = body[..end].split_once('.') {
                    let duplicate = out.iter().any(|r| {
                        r.key == key && r.namespace == namespace && r.variable == variable
                    });
                    if !duplicate {
                        out.push(Reference {
                            key: key.to_owned(),
                            namespace,
                            variable,
                        });
                    }
                }
                rest = &body[end + 1..];
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, key, out)),
        Value::Object(map) => map.values().for_each(|item| collect(item, key, out)),
        _ => {}
    }
}

fn judge(step: &Step, steps: &[Step], declared: &[&str], reference: &Reference) -> Option<Finding> {
    let Reference {
        key,
        namespace,
        variable,
    } = reference;
    let shown = format!("#{{{namespace}.{variable}}}");
    let at = step.at(key);
    match *namespace {
        "codepipeline" => return None,
        "variables" => {
            return (!declared.contains(variable)).then(|| {
                let finding = Finding::error(EXPORTED_VARIABLE, format!("`{shown}` reads pipeline variable `{variable}`, which the pipeline does not declare{}", if declared.is_empty() { String::new() } else { format!("; it declares {}", backticked(declared.iter().copied())) }))
                    .at_place(at);
                suggest(finding, variable, declared.iter().copied(), "declare it under the pipeline's `Variables`")
            });
        }
        _ => {}
    }
    let Some(owner) = steps.iter().find(|s| s.namespace == Some(namespace)) else {
        let namespaces: Vec<&str> = steps.iter().filter_map(|s| s.namespace).collect();
        let finding = Finding::error(VARIABLE_NAMESPACE, format!("`{shown}` in {} names namespace `{namespace}`, which no action of the pipeline declares; {}", step.full(), if namespaces.is_empty() { "none declares one".to_owned() } else { format!("the namespaces are {}", backticked(namespaces.iter().copied())) }))
            .at_place(at);
        return Some(suggest(
            finding,
            namespace,
            namespaces,
            "set `Namespace` on the action whose variables these are",
        ));
    };
    if !owner.runs_before(step) {
        return Some(
            Finding::error(VARIABLE_NAMESPACE, format!("`{shown}` in {} reads the namespace of {}, which does not run before it", step.full(), owner.full()))
                .at_place(at)
                .help("variables resolve only from actions that ran earlier: a later stage, or a higher RunOrder in the same stage"),
        );
    }
    let (outputs, source, line): (Vec<&str>, String, Option<String>) = match owner.provider {
        "CodeBuild" => {
            let build = owner.build.as_ref()?;
            let exported = build.spec.exported.iter().map(String::as_str).collect();
            (
                exported,
                build.shown.clone(),
                Some(build.line(&["exported-variables"])),
            )
        }
        "ECR" => (
            ECR_VARIABLES.to_vec(),
            "the ECR source action".to_owned(),
            None,
        ),
        "CodeStarSourceConnection" => (
            CONNECTION_VARIABLES.to_vec(),
            "the CodeStarSourceConnection action".to_owned(),
            None,
        ),
        _ => return None,
    };
    if outputs.contains(variable) {
        return None;
    }
    let listed = if outputs.is_empty() {
        "nothing".to_owned()
    } else {
        backticked(outputs.iter().copied())
    };
    let message = if owner.provider == "CodeBuild" {
        format!(
            "`{shown}` in {} reads `{variable}` from {}, and {source} does not export it; `env.exported-variables` has {listed}",
            step.full(),
            owner.full()
        )
    } else {
        format!(
            "`{shown}` in {} reads `{variable}` from {}, which outputs {listed}",
            step.full(),
            owner.full()
        )
    };
    let at = match line {
        Some(line) => format!("{at}, {line}"),
        None => at,
    };
    let fix = format!("add `{variable}` to `env.exported-variables` in {source}");
    let fix = if owner.provider == "CodeBuild" {
        fix.as_str()
    } else {
        "use one of the variables the action outputs"
    };
    Some(suggest(
        Finding::error(EXPORTED_VARIABLE, message).at_place(at),
        variable,
        outputs,
        fix,
    ))
}

fn suggest<'c>(
    finding: Finding,
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    otherwise: &str,
) -> Finding {
    match similar(word, candidates, Reach::Proportional) {
        Some(meant) => finding.help(format!("did you mean `{meant}`?")),
        None => finding.help(otherwise),
    }
}
