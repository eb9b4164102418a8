//! The task-definition validator on arbitrary bytes, read as JSON and as YAML: no panic in the
//! reader, the describe-output conversion, the shape check or the ECS rules.

#![no_main]

use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::appspec::TaskContainers;
use deploykit_artifacts::task_definition::source::{self, SourceFormat};
use deploykit_artifacts::task_definition::{container_names, render, rules, shape};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = container_names(bytes);
    for format in [SourceFormat::Json, SourceFormat::Yaml] {
        let Ok((document, _)) = source::parse(bytes, format) else {
            continue;
        };
        let (document, _) = shape::to_register_input(document);
        let _ = shape::check_structure(&document);
        for (allow_mutable_tags, allow_placeholders) in [(false, true), (true, false)] {
            let options = rules::RuleOptions {
                policy: TagPolicy { allow_mutable_tags },
                allow_placeholders,
            };
            let _ = rules::check(&document, &options);
        }
        let _ = TaskContainers::from_task_definition(&document);
        let _ = render::to_pretty_json(&document);
    }
});
