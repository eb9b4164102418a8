//! The `AppSpec` reader and checker on arbitrary bytes, as YAML and as JSON: no panic, and a
//! file that passes every rule renders back to a file that reads as the same model.

#![no_main]

use deploykit_artifacts::appspec::{Format, TaskContainers, check};
use deploykit_artifacts::finding::has_errors;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let containers = TaskContainers::from_task_definition(&serde_json::json!({
        "family": "web",
        "containerDefinitions": [
            {"name": "web", "portMappings": [{"containerPort": 8080}]},
            {"name": "sidecar"}
        ]
    }));
    for (name, containers) in [(None, Some(&containers)), (Some("appspec.json"), None)] {
        let checked = check(bytes, name, containers);
        let Some(spec) = checked.value else {
            continue;
        };
        if has_errors(&checked.findings) {
            continue;
        }
        for format in [Format::Yaml, Format::Json] {
            let rendered = spec.render(format);
            let again = check(&rendered, None, containers);
            assert_eq!(
                again.value.as_ref(),
                Some(&spec),
                "{}\n{:#?}",
                String::from_utf8_lossy(&rendered),
                again.findings
            );
        }
    }
});
