//! The JSON 1.1 services under faults: ECR (`ecs-tagcheck --ecr`), ECS (`ecs-taskdef render
//! --from-ecs`, `ecs-verify --from-ecs`), CodePipeline (`ecs-pipeline start` against moto,
//! `ecs-pipeline status` against the test endpoint of `support/codepipeline_endpoint.rs`, since
//! moto answers `GetPipelineState` with HTTP 500) and Application Auto Scaling
//! (`ecs-scaling status`).

use super::{figure, gave_up, leftovers, moto_proxy, recovered, through};
use crate::support::codepipeline_endpoint::Endpoint;
use crate::support::fault_proxy::{Fault, Plan, Proxy};
use crate::support::fixtures::{ECR, MANIFEST};
use crate::support::harness::{Outcome, Test};
use crate::support::local_aws::aws;

/// The transient faults of a JSON 1.1 service: throttling, server errors, a reset.
const TRANSIENT: [Fault; 4] = [
    Fault::Throttling,
    Fault::Status500,
    Fault::Status503,
    Fault::ResetRequest,
];

/// The persistent faults checked for each operation.
const PERSISTENT: [Fault; 2] = [Fault::Throttling, Fault::Status503];

/// An IMMUTABLE repository in eu-west-1 holding `v1`; returns the image reference.
fn ecr_image() -> String {
    let name = crate::support::harness::unique("faults/immutable");
    let region = ["--region", "eu-west-1", "--repository-name", &name];
    aws(&[
        &["ecr", "create-repository"][..],
        &region,
        &["--image-tag-mutability", "IMMUTABLE"],
    ]
    .concat());
    aws(&[
        &["ecr", "put-image"][..],
        &region,
        &["--image-tag", "v1", "--image-manifest", MANIFEST],
    ]
    .concat());
    format!("{ECR}/{name}:v1")
}

fn tagcheck(proxy: &Proxy, image: &str) -> Outcome {
    let file = format!("{{\"ImageURI\": \"{image}\"}}\n");
    through(Test::new().file("imageDetail.json", file), proxy)
        .args(["--ecr", "imageDetail.json"])
        .run("ecs-tagcheck")
}

#[test]
fn ecr_lookups_are_retried_and_give_up_with_the_operation_named() {
    let image = ecr_image();
    for operation in ["DescribeRepositories", "DescribeImages"] {
        for fault in TRANSIENT {
            let proxy = moto_proxy(Plan::first(2, fault).matching(operation));
            let outcome = figure(
                &format!("ecr-{operation}"),
                fault,
                &proxy,
                tagcheck(&proxy, &image),
            );
            recovered(&outcome, &proxy, 2);
            assert!(outcome.stderr.contains("0 errors"), "{}", outcome.stderr);
        }
        for fault in PERSISTENT {
            let proxy = moto_proxy(Plan::always(fault).matching(operation));
            let outcome = figure(
                &format!("ecr-{operation}"),
                fault,
                &proxy,
                tagcheck(&proxy, &image),
            );
            gave_up(
                &outcome,
                &proxy,
                &format!("ecr:{operation}"),
                &["checked 1 file"],
            );
        }
    }
}

/// Registers a one-container definition of a family of its own; returns the family.
fn task_definition() -> String {
    let family = crate::support::harness::unique("faults-td");
    let definition = serde_json::json!({
        "family": family,
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "essential": true, "memory": 512}],
    });
    aws(&[
        "ecs",
        "register-task-definition",
        "--cli-input-json",
        &definition.to_string(),
    ]);
    family
}

fn render(proxy: &Proxy, family: &str) -> Outcome {
    through(Test::new(), proxy)
        .args([
            "render",
            "--from-ecs",
            family,
            "--no-provenance",
            "-o",
            "taskdef.json",
        ])
        .run("ecs-taskdef")
}

#[test]
fn ecs_task_definition_lookups_are_retried_and_write_nothing_when_they_fail() {
    let family = task_definition();
    for fault in TRANSIENT {
        let proxy = moto_proxy(Plan::first(2, fault).matching("DescribeTaskDefinition"));
        let outcome = figure(
            "ecs-DescribeTaskDefinition",
            fault,
            &proxy,
            render(&proxy, &family),
        );
        recovered(&outcome, &proxy, 2);
        assert!(outcome.file("taskdef.json").contains("nginx:1.27"));
    }
    for fault in PERSISTENT {
        let proxy = moto_proxy(Plan::always(fault).matching("DescribeTaskDefinition"));
        let outcome = figure(
            "ecs-DescribeTaskDefinition",
            fault,
            &proxy,
            render(&proxy, &family),
        );
        gave_up(&outcome, &proxy, "ecs:DescribeTaskDefinition", &["wrote"]);
        assert_eq!(
            leftovers(&outcome, &[]),
            Vec::<String>::new(),
            "no taskdef.json"
        );
    }
}

/// The SDK sets no read timeout of its own; the programs set one (60 s), so an endpoint that
/// takes the request and never answers ends the run with a timeout, not a hang.
#[test]
fn a_silent_endpoint_times_out_instead_of_hanging() {
    let family = task_definition();
    let fault = Fault::Hang;
    let proxy = moto_proxy(Plan::always(fault).matching("DescribeTaskDefinition"));
    let outcome = through(Test::new(), &proxy)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["render", "--from-ecs", &family, "-o", "taskdef.json"])
        .run("ecs-taskdef");
    let outcome = figure("ecs-DescribeTaskDefinition", fault, &proxy, outcome);
    assert_eq!(outcome.code, 2, "{}", outcome.stderr);
    assert!(
        outcome
            .stderr
            .contains("error: `ecs:DescribeTaskDefinition` timed out"),
        "{}",
        outcome.stderr
    );
    assert_eq!(proxy.matched(), 1, "one attempt, as AWS_MAX_ATTEMPTS says");
    assert_eq!(
        leftovers(&outcome, &[]),
        Vec::<String>::new(),
        "no taskdef.json"
    );
}

fn verify(proxy: &Proxy, cluster: &str) -> Outcome {
    let images = r#"[{"name": "web", "imageUri": "nginx:1.27"}]"#;
    through(
        Test::new().file("build/imagedefinitions.json", images),
        proxy,
    )
    .args([
        "--for",
        "ecs",
        "build",
        "--from-ecs",
        &format!("{cluster}/web"),
    ])
    .run("ecs-verify")
}

#[test]
fn ecs_service_lookups_are_retried_and_give_up_with_the_operation_named() {
    let cluster = crate::support::resources::service(false);
    for operation in ["DescribeServices", "DescribeTaskDefinition"] {
        let fault = Fault::Throttling;
        let proxy = moto_proxy(Plan::first(2, fault).matching(operation));
        let outcome = figure(
            &format!("ecs-verify-{operation}"),
            fault,
            &proxy,
            verify(&proxy, &cluster),
        );
        recovered(&outcome, &proxy, 2);
        for fault in PERSISTENT {
            let proxy = moto_proxy(Plan::always(fault).matching(operation));
            let outcome = figure(
                &format!("ecs-verify-{operation}"),
                fault,
                &proxy,
                verify(&proxy, &cluster),
            );
            gave_up(
                &outcome,
                &proxy,
                &format!("ecs:{operation}"),
                &["note: service"],
            );
        }
    }
}

#[test]
fn starting_a_pipeline_is_retried_and_gives_up_with_the_operation_named() {
    let name = crate::support::harness::unique("dk-faults-start");
    crate::support::resources::create_pipeline(&name);
    let start = |proxy: &Proxy| {
        through(Test::new(), proxy)
            .args(["start", "--pipeline", &name])
            .run("ecs-pipeline")
    };
    for fault in [Fault::Throttling, Fault::Status503, Fault::ResetRequest] {
        let proxy = moto_proxy(Plan::first(2, fault).matching("StartPipelineExecution"));
        let outcome = figure(
            "codepipeline-StartPipelineExecution",
            fault,
            &proxy,
            start(&proxy),
        );
        recovered(&outcome, &proxy, 2);
        assert!(!outcome.stdout.trim().is_empty(), "an execution id");
    }
    for fault in PERSISTENT {
        let proxy = moto_proxy(Plan::always(fault).matching("StartPipelineExecution"));
        let outcome = figure(
            "codepipeline-StartPipelineExecution",
            fault,
            &proxy,
            start(&proxy),
        );
        gave_up(&outcome, &proxy, "codepipeline:StartPipelineExecution", &[]);
        assert_eq!(outcome.stdout, "", "no execution id");
    }
}

#[test]
fn pipeline_status_is_retried_and_gives_up_with_the_operation_named() {
    let endpoint = Endpoint::start("web-prod").execution("e-1", "1a2b3c4d5e6f7a8b", &["Succeeded"]);
    let status = |proxy: &Proxy| {
        through(Test::new(), proxy)
            .env("AWS_ENDPOINT_URL_CODEPIPELINE", &proxy.url)
            .args(["status", "--pipeline", "web-prod"])
            .run("ecs-pipeline")
    };
    for fault in TRANSIENT {
        let proxy = Proxy::start(
            &endpoint.url,
            Plan::first(2, fault).matching("GetPipelineState"),
        );
        let outcome = figure(
            "codepipeline-GetPipelineState",
            fault,
            &proxy,
            status(&proxy),
        );
        recovered(&outcome, &proxy, 2);
        assert!(outcome.stdout.starts_with("STAGE"), "{}", outcome.stdout);
    }
    for fault in PERSISTENT {
        let proxy = Proxy::start(
            &endpoint.url,
            Plan::always(fault).matching("GetPipelineState"),
        );
        let outcome = figure(
            "codepipeline-GetPipelineState",
            fault,
            &proxy,
            status(&proxy),
        );
        gave_up(
            &outcome,
            &proxy,
            "codepipeline:GetPipelineState",
            &["STAGE"],
        );
    }
}

#[test]
fn scaling_status_is_retried_and_gives_up_with_the_operation_named() {
    let cluster = crate::support::resources::service(true);
    let status = |proxy: &Proxy| {
        through(Test::new(), proxy)
            .args(["status", "--cluster", &cluster, "--service", "web"])
            .run("ecs-scaling")
    };
    for fault in TRANSIENT {
        let proxy = moto_proxy(Plan::first(2, fault).matching("DescribeScalableTargets"));
        let outcome = figure(
            "autoscaling-DescribeScalableTargets",
            fault,
            &proxy,
            status(&proxy),
        );
        recovered(&outcome, &proxy, 2);
        assert!(
            outcome.stdout.starts_with("min 1, max 4"),
            "{}",
            outcome.stdout
        );
    }
    // Counted per connection: each throttled answer closes its connection, so the SDK opens a
    // new one for the next attempt.
    let fault = Fault::Throttling;
    let plan = Plan::first(2, fault).matching("DescribeScalableTargets");
    let proxy = moto_proxy(plan.per_connection());
    let outcome = figure(
        "autoscaling-DescribeScalableTargets",
        fault,
        &proxy,
        status(&proxy),
    );
    recovered(&outcome, &proxy, 2);
    for fault in PERSISTENT {
        let proxy = moto_proxy(Plan::always(fault).matching("DescribeScalableTargets"));
        let outcome = figure(
            "autoscaling-DescribeScalableTargets",
            fault,
            &proxy,
            status(&proxy),
        );
        gave_up(
            &outcome,
            &proxy,
            "application-autoscaling:DescribeScalableTargets",
            &["min 1"],
        );
    }
}
