//! Syntax, `version`, `Resources`, `Type`, and keys.

use super::*;

#[test]
fn yaml_and_json_syntax_errors_have_lines() {
    let yaml = only("version: 0.0\nResources: [\n  - TargetService: {}\nHooks: x\n");
    assert_eq!(yaml.rule, "invalid-yaml");
    assert!(
        yaml.location_str().unwrap().starts_with("line "),
        "{yaml:?}"
    );
    let trailing_comma = "{\n  \"version\": 0.0,\n  \"Resources\": [],\n}\n";
    let json = check(trailing_comma.as_bytes(), Some("appspec.json"), None)
        .findings
        .remove(0);
    assert_eq!(json.rule, "invalid-json");
    assert_eq!(json.location_str(), Some("line 4, column 1"));
    assert!(
        json.message.starts_with("the file is not valid JSON: "),
        "{json:?}"
    );
    // Unnamed, or named `.yaml`, the same text is a YAML flow mapping: it is read, then checked.
    assert_eq!(only(trailing_comma).rule, "resource-count");
    // Unnamed, a text that starts like JSON and is neither: the JSON error.
    assert_eq!(
        only("{\"version\": 0.0, \"Resources\": [").rule,
        "invalid-json"
    );
    let named = check(b"version: 0.0\n", Some("appspec.json"), None).findings;
    assert_eq!(
        named[0].rule, "invalid-json",
        "a .json file is never read as YAML"
    );
    let duplicate = only("version: 0.0\nversion: 0.0\n");
    assert_eq!(duplicate.rule, "invalid-yaml");
    assert_eq!(
        duplicate.message,
        "the file is not valid YAML: duplicate mapping key: version"
    );
    let two = only("version: 0.0\n---\nversion: 0.0\n");
    assert_eq!(
        two.message,
        "the file is not valid YAML: multiple YAML documents detected"
    );
}

/// AWS documents AppSpec files as YAML or JSON: a YAML file in flow style starts with `{` like
/// JSON, and is YAML.
#[test]
fn flow_style_yaml_is_yaml() {
    let flow = "{version: 0.0, Resources: [{TargetService: {Type: AWS::ECS::Service, Properties: {TaskDefinition: <TASK_DEFINITION>, LoadBalancerInfo: {ContainerName: web, ContainerPort: 8080}}}}]}\n";
    for name in [Some("appspec.yaml"), Some("appspec.yml"), None] {
        let checked = check(flow.as_bytes(), name, None);
        assert_eq!(checked.findings, [], "{name:?}");
    }
    let refused = check(flow.as_bytes(), Some("appspec.json"), None).findings;
    assert_eq!(refused[0].rule, "invalid-json");
}

#[test]
fn encoding() {
    let finding = check(b"version: \xff\n", None, None).findings.remove(0);
    assert_eq!(finding.rule, "not-utf8");
    assert_eq!(finding.location_str(), Some("line 1, byte 9"));
    let with_bom = format!("\u{feff}{VALID}");
    assert_eq!(rules(&with_bom), [("byte-order-mark", at("line 1"))]);
}

#[test]
fn findings_carry_lines_in_json_too() {
    let text = AWS_EXAMPLE_JSON.replace("\"FARGATE_SPOT\"", "\"\"");
    let found = findings(&text);
    let finding = found
        .iter()
        .find(|f| f.rule == "capacity-provider-strategy")
        .unwrap();
    assert_eq!(
        finding.location_str(),
        Some(
            "line 29, $.Resources[0].TargetService.Properties.CapacityProviderStrategy[0].CapacityProvider"
        )
    );
}

#[test]
fn the_document_must_be_a_mapping() {
    assert_eq!(rules(""), [("wrong-type", at("$"))]);
    assert_eq!(only("# nothing\n").message, "the file is empty");
    assert_eq!(
        only("- version: 0.0\n").message,
        "the AppSpec is a list, not a mapping"
    );
    assert_eq!(only("[]").rule, "wrong-type");
}

#[test]
fn version_is_0_0_as_a_number_or_a_string() {
    assert_eq!(
        findings(&valid_with("version: 0.0", "version: \"0.0\"")),
        []
    );
    assert_eq!(
        findings(&valid_with("version: 0.0", "version: 0.00")),
        [],
        "the same number"
    );
    for (version, message) in [
        ("0", "`version` is the integer `0`; the only version is 0.0"),
        ("1.0", "`version` is `1`; the only version is 0.0"),
        ("'0'", "`version` is `0`; the only version is 0.0"),
        ("", "`version` is empty; the only version is 0.0"),
    ] {
        let finding = only(&valid_with("version: 0.0", &format!("version: {version}")));
        assert_eq!(
            (finding.rule, finding.message.as_str()),
            ("version", message)
        );
        assert!(finding.shown_location().unwrap().ends_with("$.version"));
    }
    let missing = only(&valid_with("version: 0.0\n", ""));
    assert_eq!(missing.message, "the AppSpec has no `version`");
}

#[test]
fn exactly_one_resource() {
    let none = valid_with("Resources:\n", "Resources: []\nOld:\n");
    assert!(rules(&none).contains(&("resource-count", at("line 2, $.Resources"))));
    let missing = "version: 0.0\n";
    assert_eq!(only(missing).message, "the AppSpec has no `Resources`");
    let two = format!(
        "{VALID}  - OtherService:\n      Type: AWS::ECS::Service\n      Properties: {{}}\n"
    )
    .replace("Hooks:\n  - BeforeInstall: CodeDeployHook_before-install\n  - AfterAllowTestTraffic: arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_smoke-test:live\n", "");
    let found = findings(&two);
    let count = found.iter().find(|f| f.rule == "resource-count").unwrap();
    assert_eq!(
        count.message,
        "`Resources` has 2 resources (`TargetService`, `OtherService`); an ECS AppSpec deploys exactly one service"
    );
    // Both are still checked.
    assert!(
        found
            .iter()
            .any(|f| f.rule == "task-definition"
                && f.location_str().unwrap().contains("OtherService"))
    );
    let one_item_two_keys = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n    Second:\n      Type: AWS::ECS::Service\n";
    assert_eq!(
        rules(one_item_two_keys),
        [
            ("resource-count", at("line 2, $.Resources")),
            ("missing-key", at("line 3, $.Resources[0].TargetService")),
            ("missing-key", at("line 5, $.Resources[0].Second")),
        ]
    );
}

#[test]
fn resources_written_as_a_mapping_are_reported_and_still_checked() {
    let text = "version: 0.0\nResources:\n  TargetService:\n    Type: AWS::ECS::Service\n    Properties:\n      TaskDefinition: web:3\n      LoadBalancerInfo: {ContainerName: web, ContainerPort: 80}\n";
    assert_eq!(
        rules(text),
        [
            ("wrong-type", at("line 3, $.Resources")),
            (
                "task-definition",
                at("line 6, $.Resources.TargetService.Properties.TaskDefinition")
            ),
        ]
    );
    assert_eq!(only("version: 0.0\nResources: web\n").rule, "wrong-type");
    assert_eq!(
        rules("version: 0.0\nResources:\n  - web\n"),
        [
            ("wrong-type", at("line 3, $.Resources[0]")),
            ("resource-count", at("line 2, $.Resources")),
        ]
    );
}

#[test]
fn the_type_is_exactly_the_ecs_service() {
    let lambda = only(&valid_with("AWS::ECS::Service", "AWS::Lambda::Function"));
    assert_eq!(lambda.rule, "resource-type");
    assert_eq!(
        lambda.location_str(),
        Some("line 4, $.Resources[0].TargetService.Type")
    );
    assert!(lambda.help.unwrap().starts_with("this is a Lambda AppSpec"));
    let case = only(&valid_with("AWS::ECS::Service", "aws::ecs::service"));
    assert_eq!(
        case.message,
        "`Type` is `aws::ecs::service`, not `AWS::ECS::Service`"
    );
    let missing = only(&valid_with("      Type: AWS::ECS::Service\n", ""));
    assert_eq!(
        (missing.rule, missing.message.as_str()),
        ("missing-key", "the resource has no `Type`")
    );
    assert_eq!(
        only(&valid_with("AWS::ECS::Service", "[x]")).rule,
        "resource-type"
    );
}

#[test]
fn properties_are_required() {
    let text = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n";
    assert_eq!(only(text).message, "the resource has no `Properties`");
    let scalar = format!("{text}      Properties: web\n");
    assert_eq!(
        only(&scalar).message,
        "`Properties` is a string, not a mapping"
    );
    let resource_scalar = "version: 0.0\nResources:\n  - TargetService: web\n";
    assert_eq!(
        only(resource_scalar).message,
        "the resource is a string, not a mapping"
    );
}

#[test]
fn the_resource_name_is_target_service() {
    let renamed = only(&valid_with("TargetService:", "WebService:"));
    assert_eq!(
        (renamed.rule, renamed.severity),
        ("resource-name", crate::Severity::Warning)
    );
    assert_eq!(
        renamed.help.as_deref(),
        Some("rename it to `TargetService`")
    );
}

#[test]
fn keys_are_matched_ignoring_case() {
    let lower = VALID
        .replace("Resources:", "resources:")
        .replace("Type:", "type:")
        .replace("Properties:", "properties:")
        .replace("TaskDefinition:", "taskDefinition:")
        .replace("Hooks:", "hooks:");
    let checked = check(lower.as_bytes(), None, None);
    assert_eq!(checked.findings, []);
    assert_eq!(checked.value, Some(full()));
    let twice = valid_with(
        "        PlatformVersion: LATEST\n",
        "        PlatformVersion: LATEST\n        platformVersion: LATEST\n",
    );
    let finding = only(&twice);
    assert_eq!(finding.rule, "duplicate-key");
    assert_eq!(
        finding.message,
        "`platformVersion` is given twice, also as `PlatformVersion`; keys are read ignoring case"
    );
}

#[test]
fn unknown_keys_are_warnings_with_suggestions() {
    let text = valid_with("PlatformVersion:", "PlatformVersoin:");
    let finding = only(&text);
    assert_eq!(
        (finding.rule, finding.severity),
        ("unknown-key", crate::Severity::Warning)
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("did you mean `PlatformVersion`?")
    );
    assert_eq!(
        finding.location_str(),
        Some("line 10, $.Resources[0].TargetService.Properties.PlatformVersoin")
    );
    let ec2 = format!("{VALID}os: linux\n");
    let finding = only(&ec2);
    assert_eq!(
        finding.help.as_deref(),
        Some("the keys here are `version`, `Resources`, `Hooks`")
    );
    let odd = format!("{VALID}'x.y': 1\n");
    assert_eq!(only(&odd).location_str(), Some("line 25, $['x.y']"));
}

#[test]
fn json_specifics() {
    let duplicate = only("{\"version\": 0.0,\n \"version\": 0.0}");
    assert_eq!(
        (duplicate.rule, duplicate.message.as_str()),
        (
            "invalid-json",
            "duplicate key: version; a reader keeps only one of the two"
        )
    );
    assert_eq!(duplicate.location_str(), Some("line 2, column 2"));
    let escaped = AWS_EXAMPLE_JSON.replace("SampleApplicationName", "Sample\\u0041pp");
    let checked = check(escaped.as_bytes(), None, None);
    assert_eq!(
        checked.value.unwrap().load_balancer.container_name,
        "SampleApp"
    );
    assert_eq!(
        rules("version: 0.0\n[a]: x\n"),
        [("invalid-yaml", at("line 2, column 1"))],
        "keys are strings"
    );
    let keys = rules("version: 0.0\n1: x\n");
    assert_eq!(keys[0], ("unknown-key", at("line 2, $['1']")));
}
