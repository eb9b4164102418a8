//! `ecs-taskdef check`: files as ECS and the Blue/Green action will read them.

use deploykit_artifacts::task_definition::{rules, shape, source};
use deploykit_artifacts::{Finding, JsonPath};
use deploykit_cli::report::{self, FileReport};
use deploykit_cli::{CliError, Exit, input};

use crate::config::Check;
use crate::sources;

/// What the reports call the files checked.
const KIND: &str = "task-definition";

pub(crate) fn run(config: &Check) -> Result<Exit, CliError> {
    let options = config.options;
    let mut reports = Vec::with_capacity(config.files.len());
    for path in &config.files {
        let bytes = match input::read_checked(path)? {
            Ok(bytes) => bytes,
            Err(too_large) => {
                let report = FileReport::new(path.display().to_string(), KIND, vec![too_large]);
                reports.push(report);
                continue;
            }
        };
        let source = sources::from_bytes(path, bytes);
        let findings = match source::parse(&source.bytes, source.format) {
            // A file given to register or to the Blue/Green action is read as it is: describe
            // output is not converted here, so its extra keys are findings.
            Ok((document, mut findings)) => {
                let document = if is_describe_output(&document) {
                    findings.push(
                        Finding::error(
                            "describe-output",
                            "this is `aws ecs describe-task-definition` output, which RegisterTaskDefinition and the Blue/Green action refuse",
                        )
                        .at(JsonPath::root().key("taskDefinition"))
                        .help(format!("render it into register input: ecs-taskdef render {} -o taskdef.json", path.display())),
                    );
                    shape::to_register_input(document).0
                } else {
                    document
                };
                findings.extend(shape::check_structure(&document));
                findings.extend(rules::check(&document, &options));
                findings
            }
            Err(finding) => vec![finding],
        };
        reports.push(FileReport::new(source.name, KIND, findings).with_text(&source.bytes));
    }
    report::print("ecs-taskdef", &reports, config.format, &config.reports)
}

/// Describe output wraps the definition: `{"taskDefinition": {…}, "tags": […]}`.
fn is_describe_output(document: &serde_json::Value) -> bool {
    document.get("taskDefinition").is_some() && document.get("containerDefinitions").is_none()
}
