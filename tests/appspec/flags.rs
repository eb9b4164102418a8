//! `ecs-appspec` (render): the task definition, network, capacity-provider and hook flags.

use crate::support::harness::Test;

const TEMPLATE: &str = include_str!("../../examples/web-service/taskdef.template.json");
const MULTIPLE_PORTS: &str = include_str!("../fixtures/taskdefs/multiple-port-mappings.json");
const DESCRIBE: &str = include_str!("../fixtures/taskdefs/describe-output-with-tags.json");

fn example() -> Test {
    Test::new().file("taskdef.template.json", TEMPLATE)
}

#[test]
fn container_and_port_are_inferred_from_the_task_definition_or_checked_against_it() {
    let listed = "the task definition has `sfu` (7880, 7443, 7881, 3478)";
    Test::new()
        .file("taskdef.json", MULTIPLE_PORTS)
        .args(["--taskdef", "taskdef.json"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has(&format!("error: cannot tell which container and port the load balancer routes to; {listed} (taskdef.json: $.containerDefinitions)"))
        .stderr_has("help: name them: --container NAME --container-port PORT");
    Test::new()
        .file("taskdef.json", MULTIPLE_PORTS)
        .args([
            "--taskdef",
            "taskdef.json",
            "--container-port",
            "7443",
            "-o",
            "-",
        ])
        .run("ecs-appspec")
        .success()
        .stdout_has("ContainerName: sfu\n          ContainerPort: 7443\n");
    example()
        .args(["--taskdef", "taskdef.template.json", "--container", "web", "--container-port", "80"])
        .run("ecs-appspec")
        .code(2)
        .stderr_is("error: container `web` has no port mapping for port 80; it exposes 8080 (--container-port)\nhelp: use one of those ports, or add a `portMappings` entry with that `containerPort`\n");
    example()
        .args(["--taskdef", "taskdef.template.json", "--container", "api", "--container-port", "8080"])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("container `api` is not in the task definition; it has `web` (8080), `log-router` (no ports) (--container)");
    example()
        .args([
            "--taskdef",
            "taskdef.template.json",
            "--container",
            "log-router",
        ])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("container `log-router` has no `portMappings`");
}

#[test]
fn task_definitions_in_every_shape() {
    Test::new()
        .file("describe.json", DESCRIBE)
        .args(["--taskdef", "describe.json", "-o", "-"])
        .run("ecs-appspec")
        .success()
        .stdout_has("ContainerName: checkout-api\n");
    Test::new()
        .file("taskdef.yaml", "family: web\ncontainerDefinitions:\n  - name: web\n    portMappings:\n      - containerPort: 3000\n")
        .args(["--taskdef", "taskdef.yaml", "-o", "-"])
        .run("ecs-appspec")
        .success()
        .stdout_has("ContainerPort: 3000\n");
    for (name, contents, expected) in [
        (
            "taskdef.json",
            "{\"family\": \"web\",",
            "taskdef.json: line 1",
        ),
        (
            "taskdef.json",
            "{\"family\": \"web\"}",
            "this is not a task definition: it has no `containerDefinitions` (taskdef.json: $)",
        ),
        ("missing.json", "", "cannot read `nowhere.json`"),
    ] {
        let taskdef = if name == "missing.json" {
            "nowhere.json"
        } else {
            name
        };
        let outcome = Test::new()
            .file(name, contents)
            .args(["--taskdef", taskdef])
            .run("ecs-appspec")
            .code(2)
            .stderr_has(expected);
        assert_eq!(outcome.files(), [name], "nothing written");
    }
}

#[test]
fn the_network_flags_go_together() {
    let outcome = Test::new()
        .args(["--container", "web", "--container-port", "80", "--subnet", "subnet-0123abcd"])
        .run("ecs-appspec")
        .code(2)
        .stderr_is("error: the network settings are incomplete: `--security-group` and `--assign-public-ip` missing; CodeDeploy takes subnets, security groups and the public-IP choice all together or none\nhelp: add the missing flags, or leave out all three to keep the service's network settings\n");
    assert_eq!(outcome.files(), Vec::<String>::new());
    Test::new()
        .args([
            "--container",
            "web",
            "--container-port",
            "80",
            "--subnet",
            "subnet-xyz",
            "--security-group",
            "sg-0123abcd",
            "--assign-public-ip",
            "ENABLED",
        ])
        .run("ecs-appspec")
        .code(2)
        .stderr_has(
            "`subnet-xyz` is not a subnet id: `subnet-` and 8 or 17 hexadecimal digits (--subnet)",
        );
    Test::new()
        .args([
            "--container",
            "web",
            "--container-port",
            "80",
            "--assign-public-ip",
            "SOMETIMES",
        ])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("invalid value 'SOMETIMES' for '--assign-public-ip");
}

#[test]
fn capacity_providers_are_name_weight_base() {
    let base = ["--container", "web", "--container-port", "80"];
    Test::new()
        .args(base)
        .args(["--capacity-provider", "FARGATE", "-o", "-"])
        .run("ecs-appspec")
        .success()
        .stdout_has("CapacityProviderStrategy:\n          - CapacityProvider: FARGATE\n            Weight: 1\n");
    for (args, expected) in [
        (
            vec!["FARGATE:x"],
            "error: `--capacity-provider FARGATE:x` is not `NAME[:WEIGHT[:BASE]]`: the weight `x` is not a whole number from 0",
        ),
        (
            vec!["FARGATE:1:-1"],
            "the base `-1` is not a whole number from 0",
        ),
        (vec![":1"], "the name is empty"),
        (vec!["FARGATE:1:1:1"], "it has more than three parts"),
        (
            vec!["FARGATE:0"],
            "no provider has a `Weight` above 0, so ECS can place no task beyond the base (--capacity-provider)",
        ),
        (
            vec!["FARGATE:1:2", "FARGATE_SPOT:1:1"],
            "2 providers set a `Base`; only one provider of a strategy may (--capacity-provider FARGATE_SPOT:1:1)",
        ),
        (
            vec!["FARGATE:2000"],
            "`Weight` is 2000; ECS allows 0 to 1000 (--capacity-provider FARGATE:2000)",
        ),
    ] {
        let mut test = Test::new().args(base);
        for arg in args {
            test = test.args(["--capacity-provider", arg]);
        }
        let outcome = test.run("ecs-appspec").code(2).stderr_has(expected);
        assert_eq!(outcome.files(), Vec::<String>::new());
    }
}

#[test]
fn hook_functions_the_managed_role_cannot_invoke_are_warned_about() {
    let outcome = Test::new()
        .args(["--container", "web", "--container-port", "80", "--before-install", "PreflightCheck"])
        .args(["--after-allow-traffic", "arn:aws:lambda:us-east-1:111122223333:function:Notify"])
        .run("ecs-appspec")
        .success()
        .stderr_has("warning[hook-role]: the function `PreflightCheck` does not start with `CodeDeployHook_`, so a deployment group with the managed role `AWSCodeDeployRoleForECSLimited` cannot invoke it (--before-install)")
        .stderr_has("warning[hook-role]: the function `Notify` does not start with `CodeDeployHook_`")
        .stderr_has("(--after-allow-traffic)");
    assert!(
        outcome
            .file("appspec.yaml")
            .contains("  - BeforeInstall: PreflightCheck\n  - AfterAllowTraffic: ")
    );
    Test::new()
        .args(["--container", "web", "--container-port", "80", "--after-install", "smoke test", "--before-allow-traffic", " "])
        .run("ecs-appspec")
        .code(2)
        .stderr_has("error[hook-function]: the function name `smoke test` contains ` `; Lambda allows letters, digits, `-` and `_` (--after-install)")
        .stderr_has("error[empty-hook]: `BeforeAllowTraffic` names no Lambda function (--before-allow-traffic)")
        .stderr_has("error: 2 problems; nothing was written to appspec.yaml");
}
