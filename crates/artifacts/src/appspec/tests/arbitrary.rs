//! Arbitrary YAML-like text and one-line changes of a valid file: the reader never panics.

use proptest::prelude::*;

use super::*;

/// Text built from what YAML and JSON read as structure: indentation, `-`, `:`, flow
/// brackets, quotes, anchors, tags, comments, documents, and the AppSpec's own keys.
fn yamlish_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "version",
        "Resources",
        "Hooks",
        "TargetService",
        "Type",
        "Properties",
        "TaskDefinition",
        "LoadBalancerInfo",
        "ContainerName",
        "ContainerPort",
        "PlatformVersion",
        "NetworkConfiguration",
        "AwsvpcConfiguration",
        "Subnets",
        "SecurityGroups",
        "AssignPublicIp",
        "CapacityProviderStrategy",
        "CapacityProvider",
        "Base",
        "Weight",
        "BeforeInstall",
        "AfterAllowTestTraffic",
        "VERSION",
        "resources",
    ]);
    let scalar = prop_oneof![
        Just(String::new()),
        "[ -~é]{0,12}",
        prop::sample::select(vec![
            "0.0",
            "0",
            "8080",
            "-1",
            "65536",
            "1e3",
            "~",
            "null",
            "true",
            "[]",
            "{}",
            "&a",
            "*a",
            "!!str 1",
            "<TASK_DEFINITION>",
            "AWS::ECS::Service",
            "|",
            ">-",
            "'",
            "\"",
        ])
        .prop_map(str::to_owned),
    ];
    (0..8_usize, any::<bool>(), key, scalar).prop_map(|(indent, dash, key, value)| {
        let dash = if dash { "- " } else { "" };
        format!("{}{dash}{key}: {value}", " ".repeat(indent))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The reader never panics on YAML-ish text, read as YAML and as JSON, with and without
    /// the task definition's containers.
    #[test]
    fn arbitrary_yamlish_text_never_panics(
        lines in prop::collection::vec(prop_oneof![
            4 => yamlish_line(),
            1 => "[ \t\\-:\\[\\]{},'\"#&*!|>%@`?a-z0-9]{0,16}",
            1 => Just("---".to_owned()),
        ], 0..16),
    ) {
        let text = lines.join("\n");
        let containers = TaskContainers::from_task_definition(&serde_json::json!({
            "containerDefinitions": [{"name": "web", "portMappings": [{"containerPort": 8080}]}]
        }));
        for (name, containers) in [(None, Some(&containers)), (Some("appspec.json"), None)] {
            let _ = check(text.as_bytes(), name, containers);
        }
    }

    /// The same for a valid file with one line replaced, dropped or repeated, so that the
    /// input gets past the top level into each rule.
    #[test]
    fn a_valid_file_with_one_line_changed_never_panics(
        line in any::<prop::sample::Index>(),
        edit in 0..3_usize,
        replacement in yamlish_line(),
    ) {
        let mut lines: Vec<&str> = VALID.lines().collect();
        let at = line.index(lines.len());
        match edit {
            0 => lines[at] = &replacement,
            1 => { lines.remove(at); }
            _ => lines.insert(at, lines[at]),
        }
        let _ = check(lines.join("\n").as_bytes(), None, None);
    }
}
