//! `ecs-verify --live` for the Blue/Green action: the CodeDeploy deployment group, its target
//! groups and listeners, and the service it deploys, each account built by the test itself on
//! the local endpoint (`docs/programs/ecs-verify.md#load-balancing-bluegreen`).

use serde_json::json;

use crate::support::harness::{Outcome, Test, unique};
use crate::support::resources::{
    BlueGreen, BlueGreenSpec, blue_green, deployment_group, security_group_in_another_vpc,
};

const APPSPEC: &str = "version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: <TASK_DEFINITION>\n        LoadBalancerInfo:\n          ContainerName: web\n          ContainerPort: PORT\n";

/// The Blue/Green artifact set: a Fargate task definition whose image is not in ECR (so only
/// the deployment group is asked about), and an AppSpec routing to `web` on `port`, with
/// `extra` appended (top-level keys, or more `Properties` when indented as they are).
fn artifacts(port: u16, extra: &str) -> Test {
    let taskdef = json!({"family": "web", "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc", "cpu": "256", "memory": "512",
        "containerDefinitions": [{"name": "web", "image": "<IMAGE1_NAME>", "essential": true,
            "portMappings": [{"containerPort": 8080}, {"containerPort": 9090}]}]});
    Test::new()
        .file("build/taskdef.json", taskdef.to_string())
        .file(
            "build/appspec.yaml",
            APPSPEC.replace("PORT", &port.to_string()) + extra,
        )
        .file("image/imageDetail.json", r#"{"ImageURI":"nginx:1.27"}"#)
        .with_aws()
}

/// `--live` for the Blue/Green action, through `application`/`group` when given.
fn verify_in(test: Test, group: Option<(&str, &str)>) -> Outcome {
    let mut args = vec![
        "--for",
        "blue-green",
        "BuildArtifact=build",
        "ImageArtifact=image",
        "--live",
    ];
    if let Some((application, group)) = group {
        args.extend(["--codedeploy-app", application, "--deployment-group", group]);
    }
    test.args(args).run("ecs-verify")
}

fn verify(test: Test, application: &str, group: &str) -> Outcome {
    verify_in(test, Some((application, group)))
}

/// `--live` with no deployment group named.
fn verify_without_group(test: Test) -> Outcome {
    verify_in(test, None)
}

fn verify_group(setup: &BlueGreen, test: Test) -> Outcome {
    verify(test, &setup.application, &setup.group)
}

#[test]
fn a_wired_deployment_group_passes() {
    let setup = blue_green(&BlueGreenSpec::default());
    verify_group(&setup, artifacts(8080, ""))
        .success()
        .stderr_has(&format!(
            "note: asked about deployment group `{}/{}`: 2 target groups, 2 listeners, service `{}/web`; rollback on DEPLOYMENT_FAILURE, alarms none (--live)",
            setup.application, setup.group, setup.cluster
        ));
    verify_group(&setup, artifacts(8080, &network(&setup.subnets, &[&setup.security_group])))
        .success()
        .stderr_has("note: asked about 2 subnets and 1 security groups of the AppSpec's NetworkConfiguration (--live)");
}

/// The AppSpec's `NetworkConfiguration`, as more `Properties` of its service.
fn network(subnets: &[String], security_groups: &[&str]) -> String {
    format!(
        "        NetworkConfiguration:\n          AwsvpcConfiguration:\n            Subnets: [{}]\n            SecurityGroups: [{}]\n            AssignPublicIp: DISABLED\n",
        subnets.join(", "),
        security_groups.join(", ")
    )
}

#[test]
fn subnets_and_security_groups_that_do_not_exist_or_are_in_two_vpcs() {
    let setup = blue_green(&BlueGreenSpec::default());
    let missing = network(
        &[
            setup.subnets[0].clone(),
            "subnet-0123456789abcdef0".to_owned(),
        ],
        &["sg-0123456789abcdef0"],
    );
    verify_group(&setup, artifacts(8080, &missing))
        .code(1)
        .stderr_has("error[subnet-missing]: subnet `subnet-0123456789abcdef0` of the AppSpec's NetworkConfiguration does not exist in `us-east-1`")
        .stderr_has("arn:aws:ec2:us-east-1:*:subnet/subnet-0123456789abcdef0")
        .stderr_has("error[security-group-missing]: security group `sg-0123456789abcdef0`")
        .stderr_lacks("network-vpc");
    let other = security_group_in_another_vpc();
    let two_vpcs = network(&setup.subnets, &[&setup.security_group, &other]);
    // Asked without the deployment group: the network is the AppSpec's own.
    verify_without_group(artifacts(8080, &two_vpcs))
        .code(1)
        .stderr_has("note: asked about 2 subnets and 2 security groups")
        .stderr_has("error[network-vpc]: the AppSpec's subnets and security groups are in 2 VPCs")
        .stderr_has(&format!("({other})"))
        .stderr_lacks("subnet-missing");
}

#[test]
fn a_deployment_group_that_does_not_exist() {
    let setup = blue_green(&BlueGreenSpec::default());
    let missing = unique("no-such-group");
    verify(artifacts(8080, ""), &setup.application, &missing)
        .code(1)
        .stderr_has(&format!(
            "error[deployment-group-missing]: CodeDeploy deployment group `{}/{missing}`",
            setup.application
        ))
        .stderr_has(&format!(
            "arn:aws:codedeploy:us-east-1:*:deploymentgroup:{}/{missing}",
            setup.application
        ));
}

#[test]
fn target_groups_of_the_wrong_type_or_missing_and_a_missing_listener() {
    let setup = blue_green(&BlueGreenSpec {
        target_type: "instance",
        ..BlueGreenSpec::default()
    });
    verify_group(&setup, artifacts(8080, ""))
        .code(1)
        .stderr_has(&format!(
            "error[target-group-type]: target group `{}` has target type `instance`, and the task's network mode `awsvpc` needs `ip`",
            setup.target_groups[0]
        ));
    let missing = [unique("no-such-tg"), setup.target_groups[1].clone()];
    let listener = format!("{}-gone", setup.listeners[0]);
    let group = deployment_group(
        &setup.application,
        &setup.cluster,
        &missing,
        std::slice::from_ref(&listener),
        &[],
    );
    verify(artifacts(8080, ""), &setup.application, &group)
        .code(1)
        .stderr_has(&format!(
            "error[target-group-missing]: target group `{}` of the deployment group does not exist",
            missing[0]
        ))
        .stderr_has(&format!("error[listener-missing]: listener `{listener}`"));
}

#[test]
fn a_test_traffic_hook_without_a_test_listener() {
    let setup = blue_green(&BlueGreenSpec {
        test_listener: false,
        ..BlueGreenSpec::default()
    });
    let hooks = "Hooks:\n  - AfterAllowTestTraffic: CodeDeployHook_smoke\n";
    verify_group(&setup, artifacts(8080, hooks))
        .success()
        .stderr_has(
            "warning[test-listener-missing]: the AppSpec has an `AfterAllowTestTraffic` hook",
        );
    verify_group(&setup, artifacts(8080, "")).success();
}

#[test]
fn a_service_the_ecs_controller_deploys_or_routing_to_another_port() {
    let setup = blue_green(&BlueGreenSpec {
        controller: "ECS",
        ..BlueGreenSpec::default()
    });
    verify_group(&setup, artifacts(9090, ""))
        .code(1)
        .stderr_has("error[deployment-controller]: service `web` uses the `ECS` deployment controller")
        .stderr_has("error[appspec-load-balancer]: the AppSpec routes to container `web` on port 9090, and service `web`'s load balancer to `web:8080`");
}

#[test]
fn a_capacity_provider_the_cluster_does_not_have() {
    let strategy = "        CapacityProviderStrategy:\n          - CapacityProvider: FARGATE_SPOT\n            Weight: 1\n";
    let setup = blue_green(&BlueGreenSpec::default());
    verify_group(&setup, artifacts(8080, strategy)).success();
    let setup = blue_green(&BlueGreenSpec {
        capacity_providers: false,
        ..BlueGreenSpec::default()
    });
    verify_group(&setup, artifacts(8080, strategy))
        .code(1)
        .stderr_has(&format!(
            "error[capacity-provider-missing]: capacity provider `FARGATE_SPOT` of the AppSpec's CapacityProviderStrategy is not associated with cluster `{}`",
            setup.cluster
        ));
}

/// CodeDeploy refuses the read: the project's test endpoint answers `AccessDeniedException`.
#[test]
fn a_read_the_build_role_is_refused() {
    let setup = blue_green(&BlueGreenSpec::default());
    let denied = crate::support::denied_endpoint::start();
    verify_group(
        &setup,
        artifacts(8080, "").env("AWS_ENDPOINT_URL_CODEDEPLOY", &denied),
    )
    .code(1)
    .stderr_has("error[live-access-denied]: could not check deployment group `")
    .stderr_has("the build role needs `codedeploy:GetDeploymentGroup`");
    verify_group(
        &setup,
        artifacts(8080, "").env("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", &denied),
    )
    .code(1)
    .stderr_has("the build role needs `elasticloadbalancing:DescribeTargetGroups`")
    .stderr_has("the build role needs `elasticloadbalancing:DescribeListeners`");
    let network = network(&setup.subnets, &[&setup.security_group]);
    verify_group(
        &setup,
        artifacts(8080, &network).env("AWS_ENDPOINT_URL_EC2", &denied),
    )
    .code(1)
    .stderr_has(&format!(
        "error[live-access-denied]: could not check subnet `{}`: the build role needs `ec2:DescribeSubnets`",
        setup.subnets[0]
    ))
    .stderr_has("the build role needs `ec2:DescribeSecurityGroups`");
}

/// Without the deployment group's name the rest is still checked, and the run says what was not.
#[test]
fn without_the_deployment_group_the_run_says_so() {
    verify_without_group(artifacts(8080, ""))
        .success()
        .stderr_has("note: the deployment group, its target groups, listeners and service were not checked (--live)");
}
