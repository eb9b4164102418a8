//! `ecs-appspec` (render): the file it writes, the task-definition ARN, and how it fails.

use crate::support::harness::Test;

const TEMPLATE: &str = include_str!("../../examples/web-service/taskdef.template.json");
const ARN: &str = "arn:aws:ecs:eu-west-1:123456789012:task-definition/web-service:42";

fn example() -> Test {
    Test::new().file("taskdef.template.json", TEMPLATE)
}

#[test]
fn writes_appspec_yaml_from_the_example_task_definition() {
    let outcome = example()
        .args([
            "--taskdef",
            "taskdef.template.json",
            "--after-allow-test-traffic",
            "CodeDeployHook_web-service-smoke-test",
        ])
        .run("ecs-appspec")
        .success()
        .stderr_is("wrote appspec.yaml for container `web`, port 8080\n");
    let written = outcome.file("appspec.yaml");
    assert_eq!(
        written,
        "\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: 8080
Hooks:
  - AfterAllowTestTraffic: CodeDeployHook_web-service-smoke-test
"
    );
    assert_eq!(
        outcome.file("taskdef.template.json"),
        TEMPLATE,
        "the input is untouched"
    );
    let again = example()
        .args(["render", "--taskdef", "taskdef.template.json", "-o", "-"])
        .args([
            "--after-allow-test-traffic",
            "CodeDeployHook_web-service-smoke-test",
        ])
        .run("ecs-appspec")
        .success()
        .stderr_is("");
    assert_eq!(
        again.stdout, written,
        "`render` is the default command; output is deterministic"
    );
}

#[test]
fn every_option_in_one_call() {
    let outcome = Test::new()
        .args([
            "render",
            "--task-definition",
            ARN,
            "--container",
            "web",
            "--container-port",
            "8080",
        ])
        .args([
            "--platform-version",
            "1.4.0",
            "--subnet",
            "subnet-0123abcd,subnet-4567cdef",
        ])
        .args([
            "--subnet",
            "subnet-0123456789abcdef0",
            "--security-group",
            "sg-0123abcd",
        ])
        .args([
            "--assign-public-ip",
            "disabled",
            "--capacity-provider",
            "FARGATE_SPOT:3:1",
        ])
        .args([
            "--capacity-provider",
            "FARGATE",
            "--before-install",
            "CodeDeployHook_a",
        ])
        .args([
            "--after-install",
            "CodeDeployHook_b",
            "--after-allow-test-traffic",
            "CodeDeployHook_c",
        ])
        .args(["--before-allow-traffic", "CodeDeployHook_d"])
        .args([
            "--after-allow-traffic",
            "arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_e:live",
        ])
        .args(["-o", "out/deploy/appspec.yaml"])
        .run("ecs-appspec")
        .success();
    assert_eq!(
        outcome.file("out/deploy/appspec.yaml"),
        format!(
            "\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: {ARN}
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: 8080
        PlatformVersion: \"1.4.0\"
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets:
              - subnet-0123abcd
              - subnet-4567cdef
              - subnet-0123456789abcdef0
            SecurityGroups:
              - sg-0123abcd
            AssignPublicIp: DISABLED
        CapacityProviderStrategy:
          - CapacityProvider: FARGATE_SPOT
            Base: 1
            Weight: 3
          - CapacityProvider: FARGATE
            Weight: 1
Hooks:
  - BeforeInstall: CodeDeployHook_a
  - AfterInstall: CodeDeployHook_b
  - AfterAllowTestTraffic: CodeDeployHook_c
  - BeforeAllowTraffic: CodeDeployHook_d
  - AfterAllowTraffic: arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_e:live
"
        )
    );
    assert_eq!(outcome.files(), ["out/deploy/appspec.yaml"]);
}

#[test]
fn json_has_the_number_0_0_and_its_own_default_name() {
    let outcome = Test::new()
        .args([
            "--container",
            "web",
            "--container-port",
            "80",
            "--format",
            "json",
        ])
        .run("ecs-appspec")
        .success()
        .stderr_is("wrote appspec.json for container `web`, port 80\n");
    let text = outcome.file("appspec.json");
    assert!(
        text.starts_with("{\n  \"version\": 0.0,\n  \"Resources\": ["),
        "{text}"
    );
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value["Resources"][0]["TargetService"]["Properties"]["LoadBalancerInfo"]["ContainerPort"],
        80
    );
    assert_eq!(outcome.files(), ["appspec.json"]);
}

#[test]
fn values_yaml_would_misread_are_quoted() {
    let outcome = Test::new()
        .args(["--container", "yes", "--container-port", "80", "--platform-version", "1.10", "-o", "-"])
        .run("ecs-appspec")
        .success()
        .stderr_has("warning[platform-version]: `PlatformVersion` `1.10` is neither `LATEST` nor a version such as `1.4.0` (--platform-version)");
    assert!(
        outcome.stdout.contains("ContainerName: \"yes\"\n"),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stdout.contains("PlatformVersion: \"1.10\"\n"),
        "{}",
        outcome.stdout
    );
    Test::new()
        .file("appspec.yaml", &outcome.stdout)
        .args(["check", "appspec.yaml"])
        .run("ecs-appspec")
        .success()
        .stderr_has("checked 1 file: 0 errors, 1 warning");
}

#[test]
fn the_task_definition_is_the_placeholder_or_a_full_arn() {
    for refused in [
        "web-service:42",
        "web-service:*",
        "arn:aws:ecs:::task-definition/web-service:*",
        "<TASKDEF>",
    ] {
        let outcome = Test::new()
            .args([
                "--task-definition",
                refused,
                "--container",
                "web",
                "--container-port",
                "80",
            ])
            .run("ecs-appspec")
            .code(2)
            .stderr_has("(--task-definition)");
        assert_eq!(
            outcome.files(),
            Vec::<String>::new(),
            "nothing written for {refused}"
        );
    }
}

#[test]
fn the_load_balancer_flags_are_required_without_a_task_definition() {
    Test::new()
        .run("ecs-appspec")
        .code(2)
        .stderr_is("error: the load balancer's container and port are not given: `--container` and `--container-port` missing\nhelp: give --container NAME --container-port PORT, or --taskdef FILE to take them from the task definition\n");
    Test::new()
        .args(["--container", "web"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("`--container-port` missing");
    Test::new()
        .args(["--container", "web", "--container-port", "0"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("0 is not in 1..=65535");
    Test::new()
        .args(["--container", "web.app", "--container-port", "80"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("error: the container name `web.app` contains `.`; ECS allows letters, digits, `_` and `-` (--container)");
}

#[test]
fn a_failed_run_leaves_the_previous_file_and_the_inputs_alone() {
    let previous = "version: 0.0\n# the previous build's file\n";
    let outcome = example()
        .file("appspec.yaml", previous)
        .args([
            "--taskdef",
            "taskdef.template.json",
            "--container-port",
            "9999",
        ])
        .run("ecs-appspec")
        .code(2);
    assert_eq!(outcome.file("appspec.yaml"), previous);
    assert_eq!(outcome.file("taskdef.template.json"), TEMPLATE);
    assert_eq!(
        outcome.files(),
        ["appspec.yaml", "taskdef.template.json"],
        "no temporary file left"
    );
}

#[test]
fn relative_paths_follow_codebuild_src_dir() {
    let outcome = example()
        .file("src/taskdef.json", TEMPLATE)
        .env("CODEBUILD_SRC_DIR", "src")
        .args(["--taskdef", "taskdef.json", "-o", "out/appspec.yaml"])
        .run("ecs-appspec")
        .success();
    assert!(
        outcome.files().contains(&"src/out/appspec.yaml".to_owned()),
        "{:?}",
        outcome.files()
    );
}

#[test]
fn help_shows_examples() {
    Test::new()
        .args(["--help"])
        .run("ecs-appspec")
        .success()
        .stdout_has("Examples:\n  # appspec.yaml for the Blue/Green (CodeDeployToECS) action")
        .stdout_has("ecs-appspec check appspec.yaml --taskdef taskdef.json");
}
