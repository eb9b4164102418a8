//! `ecs-appspec check`: AWS's own `AppSpec` examples pass, and every rule fails its broken variant.

use crate::support::harness::Test;

const CD_YAML: &str = include_str!("../fixtures/appspec/codedeploy-example.yaml");
const CD_JSON: &str = include_str!("../fixtures/appspec/codedeploy-example.json");
const CP_YAML: &str = include_str!("../fixtures/appspec/codepipeline-tutorial.yaml");
const CP_TASKDEF: &str = include_str!("../fixtures/appspec/codepipeline-tutorial-taskdef.json");
const HOOKS_YAML: &str = include_str!("../fixtures/appspec/codedeploy-tutorial-hooks.yaml");
const HOOKS_JSON: &str = include_str!("../fixtures/appspec/codedeploy-tutorial-hooks.json");

/// `(exit code, [(severity, rule)])` of `check --format json` on one file.
fn report(name: &str, contents: &str, taskdef: Option<&str>) -> (i32, Vec<(String, String)>) {
    let mut test = Test::new()
        .file(name, contents)
        .args(["check", "--format", "json", name]);
    if let Some(taskdef) = taskdef {
        test = test
            .file("taskdef.json", taskdef)
            .args(["--taskdef", "taskdef.json"]);
    }
    let outcome = test.run("ecs-appspec");
    let value: serde_json::Value = serde_json::from_str(&outcome.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", outcome.stdout, outcome.stderr));
    let findings = value["files"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().to_owned(),
                f["rule"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (outcome.code, findings)
}

#[test]
fn the_aws_documentation_examples_pass() {
    let hook_warnings = |count: usize| vec![("warning".to_owned(), "hook-role".to_owned()); count];
    for (name, contents, taskdef, warnings) in [
        ("appspec.yaml", CD_YAML, None, hook_warnings(5)),
        ("appspec.json", CD_JSON, None, hook_warnings(5)),
        ("appspec.yaml", CP_YAML, Some(CP_TASKDEF), vec![]),
        (
            "appspec.yml",
            HOOKS_YAML,
            Some(CP_TASKDEF),
            hook_warnings(1),
        ),
        ("appspec.json", HOOKS_JSON, None, hook_warnings(1)),
    ] {
        let (code, findings) = report(name, contents, taskdef);
        // The tutorial deploys family `ecs-demo-task-definition` but its taskdef.json is `ecs-demo`.
        let findings: Vec<_> = findings
            .into_iter()
            .filter(|(_, rule)| rule != "task-definition-family")
            .collect();
        assert_eq!((code, findings), (0, warnings), "{name}: {contents}");
    }
    Test::new()
        .file("appspec.yaml", CD_YAML)
        .file("appspec.json", CD_JSON)
        .args(["check", "appspec.yaml", "appspec.json"])
        .run("ecs-appspec")
        .success()
        .stderr_has("warning[hook-role]: the function `LambdaFunctionToValidateBeforeInstall` does not start with `CodeDeployHook_`")
        .stderr_has("(appspec.yaml: line 25, $.Hooks[0].BeforeInstall)")
        .stderr_has("checked 2 files: 0 errors, 10 warnings");
}

/// One broken variant per rule, derived from AWS's examples.
#[test]
fn broken_variants_fail_with_the_right_rule() {
    let cases: [(&str, &str, &str, &str); 25] = [
        (CD_YAML, "version: 0.0", "version: 1.0", "version"),
        (CD_YAML, "version: 0.0\n", "", "version"),
        (CD_JSON, "\"version\": 0.0", "\"version\": 0", "version"),
        (
            CD_YAML,
            "AWS::ECS::Service",
            "AWS::Lambda::Function",
            "resource-type",
        ),
        (
            CD_YAML,
            "Resources:\n",
            "Resources: []\nOther:\n",
            "resource-count",
        ),
        (CP_YAML, "<TASK_DEFINITION>", "<TASKDEF>", "task-definition"),
        (
            CD_YAML,
            ":task-definition/my-task-definition-family-name:1",
            ":task-definition/my-task-definition-family-name:*",
            "task-definition",
        ),
        (
            CD_JSON,
            "\"TaskDefinition\"",
            "\"TaskDefinitionArn\"",
            "task-definition",
        ),
        (
            CP_YAML,
            "        LoadBalancerInfo:\n          ContainerName: \"sample-website\"\n          ContainerPort: 80\n",
            "",
            "load-balancer-info",
        ),
        (
            CD_YAML,
            "ContainerName: \"SampleApplicationName\"",
            "ContainerName: \"Sample.Application\"",
            "container-name",
        ),
        (
            CD_YAML,
            "ContainerPort: 80",
            "ContainerPort: \"80\"",
            "container-port",
        ),
        (
            CD_JSON,
            "\"ContainerPort\": 80",
            "\"ContainerPort\": 0",
            "container-port",
        ),
        (
            CD_YAML,
            "            SecurityGroups: [\"sg-12345678\"]\n",
            "",
            "network-configuration",
        ),
        (
            CD_YAML,
            "AssignPublicIp: \"ENABLED\"",
            "AssignPublicIp: \"Enabled\"",
            "assign-public-ip",
        ),
        (CD_YAML, "\"subnet-5678abcd\"", "\"subnet-5678\"", "subnet"),
        (CD_JSON, "\"sg-12345678\"", "\"\"", "security-group"),
        (
            CD_YAML,
            "          - Base: 0",
            "          - Base: 2",
            "capacity-provider-strategy",
        ),
        (
            CD_JSON,
            "\"Weight\": 2",
            "\"Weight\": -2",
            "capacity-provider-strategy",
        ),
        (
            CD_YAML,
            "  - AfterAllowTestTraffic:",
            "  - AfterAllowTestTrafic:",
            "unknown-hook",
        ),
        (
            HOOKS_JSON,
            "\"AfterAllowTestTraffic\": \"arn:aws:lambda:us-east-1:111122223333:function:AfterAllowTestTraffic\"",
            "\"AfterAllowTestTraffic\": \"\"",
            "empty-hook",
        ),
        (
            HOOKS_YAML,
            "function:AfterAllowTestTraffic",
            "function:After Allow",
            "hook-function",
        ),
        (
            CD_YAML,
            "  - AfterInstall:",
            "  - BeforeInstall:",
            "duplicate-hook",
        ),
        (
            CD_YAML,
            "  - AfterInstall:",
            "    AfterInstall:",
            "hook-entry",
        ),
        (
            CD_YAML,
            "        PlatformVersion: \"LATEST\"\n",
            "        PlatformVersion: \"LATEST\"\n        platformversion: \"1.4.0\"\n",
            "duplicate-key",
        ),
        (
            CP_YAML,
            "      Properties:\n",
            "      Properties: ~\n      Props:\n",
            "wrong-type",
        ),
    ];
    for (original, from, to, rule) in cases {
        assert!(original.contains(from), "{from:?}");
        let broken = original.replacen(from, to, 1);
        let name = if original.trim_start().starts_with('{') {
            "appspec.json"
        } else {
            "appspec.yaml"
        };
        let (code, findings) = report(name, &broken, None);
        assert_eq!(code, 1, "{rule}: {findings:?}\n{broken}");
        assert!(
            findings
                .iter()
                .any(|(severity, found)| severity == "error" && found == rule),
            "{rule} missing from {findings:?}\n{broken}"
        );
    }
}

#[test]
fn warnings_alone_pass() {
    for (from, to, rule) in [
        ("TargetService:", "WebService:", "resource-name"),
        (
            "PlatformVersion: \"LATEST\"",
            "PlatformVersion: \"latest\"",
            "platform-version",
        ),
        (
            "        PlatformVersion:",
            "        PlatformVersoin:",
            "unknown-key",
        ),
        (
            "  - BeforeInstall: \"LambdaFunctionToValidateBeforeInstall\"\n",
            "",
            "hook-role",
        ),
    ] {
        let broken = CD_YAML.replacen(from, to, 1);
        let (code, findings) = report("appspec.yaml", &broken, None);
        assert_eq!(code, 0, "{rule}: {findings:?}");
        assert!(
            findings.contains(&("warning".to_owned(), rule.to_owned())),
            "{rule}: {findings:?}"
        );
    }
    let reordered = CD_YAML.replace(
        "  - BeforeInstall: \"LambdaFunctionToValidateBeforeInstall\"\n  - AfterInstall: \"LambdaFunctionToValidateAfterInstall\"\n",
        "  - AfterInstall: \"LambdaFunctionToValidateAfterInstall\"\n  - BeforeInstall: \"LambdaFunctionToValidateBeforeInstall\"\n",
    );
    Test::new()
        .file("appspec.yaml", reordered)
        .args(["check", "appspec.yaml"])
        .run("ecs-appspec")
        .success()
        .stderr_has("warning[hook-order]: `BeforeInstall` is listed after `AfterInstall`, but runs before it (appspec.yaml: line 26, $.Hooks[1].BeforeInstall)");
    let typo = CD_YAML.replace("LoadBalancerInfo:", "LoadBalancerinfo:");
    assert_eq!(
        report("appspec.yaml", &typo, None),
        (0, vec![("warning".to_owned(), "hook-role".to_owned()); 5]),
        "keys ignore case"
    );
}

#[test]
fn load_balancer_info_is_checked_against_the_task_definition() {
    Test::new()
        .file("appspec.yaml", CP_YAML.replace("sample-website", "website"))
        .file("taskdef.json", CP_TASKDEF)
        .args(["check", "appspec.yaml", "--taskdef", "taskdef.json"])
        .run("ecs-appspec")
        .code(1)
        .stderr_has("error[unknown-container]: container `website` is not in the task definition; it has `sample-website` (80) (appspec.yaml: line 8, $.Resources[0].TargetService.Properties.LoadBalancerInfo.ContainerName)")
        .stderr_has("help: name the container the load balancer routes to: `sample-website`");
    let (code, findings) = report(
        "appspec.yaml",
        &CP_YAML.replace("ContainerPort: 80", "ContainerPort: 8080"),
        Some(CP_TASKDEF),
    );
    assert_eq!(
        (code, findings),
        (1, vec![("error".to_owned(), "unknown-port".to_owned())])
    );
    let (code, findings) = report(
        "appspec.yaml",
        &CD_YAML.replace("SampleApplicationName", "sample-website"),
        Some(CP_TASKDEF),
    );
    assert_eq!(code, 0);
    assert!(
        findings.contains(&("warning".to_owned(), "task-definition-family".to_owned())),
        "{findings:?}"
    );
}

#[test]
fn malformed_files_say_where() {
    for (name, contents, expected) in [
        (
            "appspec.yaml",
            "version: 0.0\nResources:\n  - TargetService:\n      Type: [AWS::ECS::Service\n",
            "error[invalid-yaml]: the file is not valid YAML: ",
        ),
        (
            "appspec.json",
            "{\n  \"version\": 0.0,\n  \"Resources\": [\n}\n",
            "error[invalid-json]: the file is not valid JSON: expected value (appspec.json: line 4, column 1)",
        ),
        ("appspec.json", "version: 0.0\n", "error[invalid-json]"),
        (
            "appspec.json",
            "{\"version\": 0.0,\n \"version\": 0.0}",
            "error[invalid-json]: duplicate key: version; a reader keeps only one of the two (appspec.json: line 2, column 2)",
        ),
        (
            "appspec.yaml",
            "version: 0.0\nversion: 0.0\n",
            "error[invalid-yaml]: the file is not valid YAML: duplicate mapping key: version (appspec.yaml: line 2, column 1)",
        ),
        ("appspec.yaml", "version: \u{1}\n", "error[invalid-yaml]"),
        (
            "appspec.yaml",
            "",
            "error[wrong-type]: the file is empty (appspec.yaml: $)",
        ),
    ] {
        let outcome = Test::new()
            .file(name, contents)
            .args(["check", name])
            .run("ecs-appspec")
            .code(1)
            .stderr_has(expected);
        assert_eq!(outcome.file(name), contents, "the input is never modified");
    }
    let yaml = Test::new()
        .file(
            "appspec.yaml",
            "version: 0.0\nResources:\n  - TargetService:\n      Type: [AWS::ECS::Service\n",
        )
        .args(["check", "appspec.yaml"])
        .run("ecs-appspec")
        .code(1);
    assert!(
        yaml.stderr.contains("(appspec.yaml: line "),
        "{}",
        yaml.stderr
    );
    Test::new()
        .file("appspec.yaml", b"version: 0.0\n\xff\n".as_slice())
        .args(["check", "appspec.yaml"])
        .run("ecs-appspec")
        .code(1)
        .stderr_has("error[not-utf8]: the file is not UTF-8: invalid byte 0xFF (appspec.yaml: line 2, byte 13)");
    Test::new()
        .file("appspec.yaml", format!("\u{feff}{CP_YAML}"))
        .args(["check", "appspec.yaml"])
        .run("ecs-appspec")
        .success()
        .stderr_has("warning[byte-order-mark]");
}

#[test]
fn exit_codes() {
    Test::new()
        .file("appspec.yaml", CP_YAML)
        .args(["check", "appspec.yaml", "missing.yaml"])
        .run("ecs-appspec")
        .code(2)
        .stderr_is("error: cannot read `missing.yaml`: no such file\nhelp: check the path; it is relative to the current directory\n");
    Test::new()
        .file("appspec.yaml", CP_YAML)
        .file("taskdef.json", "[]")
        .args(["check", "appspec.yaml", "--taskdef", "taskdef.json"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("taskdef.json");
    Test::new()
        .args(["check"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("<FILE>...");
    Test::new()
        .file("appspec.yaml", CP_YAML)
        .args(["check", "--format", "json", "appspec.yaml"])
        .run("ecs-appspec")
        .success()
        .stdout_has("\"kind\": \"appspec\"")
        .stdout_has("\"errors\": 0");
}
