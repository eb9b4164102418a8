//! Answers no caller should trust: an endpoint whose answer never ends (the fault proxy's
//! `Endless`), which every program that asks AWS reads to a bound and refuses with exit 2
//! naming the bound, where the SDK used to read it whole into memory
//! (`docs/reliability.md#answers-that-are-not-answers`); and a service's error message that
//! repeats a credential, which is redacted (`docs/reliability.md#what-an-error-quotes`).

use crate::support::codepipeline_endpoint::Endpoint;
use crate::support::fault_proxy::{Fault, Plan, Proxy};
use crate::support::fixtures::ECR;
use crate::support::harness::Test;

#[test]
fn an_endless_answer_is_read_to_a_bound_and_refused() {
    let image = format!("{ECR}/web:v1");
    let taskdef = format!(
        "{{\"family\": \"web\", \"containerDefinitions\": [{{\"name\": \"web\", \"image\": \"{image}\", \"essential\": true, \"memory\": 512}}]}}"
    );
    let runs: [(&str, Vec<&str>); 6] = [
        ("ecs-pipeline", vec!["status", "--pipeline", "web"]),
        // The live check's first read, STS's caller identity.
        (
            "ecs-verify",
            vec![
                "--for",
                "ecs",
                "build",
                "--taskdef",
                "taskdef.json",
                "--live",
            ],
        ),
        (
            "ecs-scaling",
            vec!["status", "--cluster", "c", "--service", "web"],
        ),
        ("ecs-taskdef", vec!["render", "--from-ecs", "web:1"]),
        ("ecs-tagcheck", vec!["--ecr", "imagedefinitions.json"]),
        // `PutObject`'s answer: its body, which a real one does not have, read to the bound.
        (
            "ecs-bundle",
            vec![
                "taskdef.json",
                "-o",
                "app.zip",
                "--upload",
                "s3://bucket/app.zip",
            ],
        ),
    ];
    for (program, args) in runs {
        // Nothing is forwarded: the proxy answers every request.
        let proxy = Proxy::start("http://127.0.0.1:9", Plan::always(Fault::Endless));
        Test::new()
            .file(
                "imagedefinitions.json",
                format!("[{{\"name\": \"web\", \"imageUri\": \"{image}\"}}]\n"),
            )
            .file(
                "build/imagedefinitions.json",
                format!("[{{\"name\": \"web\", \"imageUri\": \"{image}\"}}]\n"),
            )
            .file("taskdef.json", &taskdef)
            .with_test_endpoint(&proxy.url)
            .env("AWS_MAX_ATTEMPTS", "1")
            .args(args)
            .run(program)
            .code(2)
            .stderr_has("the answer is larger than 16777216 bytes");
    }
}

/// A service's error message repeats what the call carried (here CodePipeline's "Pipeline not
/// found: <name>"); a credential in it is redacted like one in any other message.
#[test]
fn a_credential_in_a_services_message_is_redacted() {
    let token = "ghp_plantedInAServiceMessage000000001";
    let endpoint = Endpoint::start("web");
    let outcome = Test::new()
        .with_test_endpoint(&endpoint.url)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(["status", "--pipeline", token])
        .run("ecs-pipeline")
        .code(2)
        .stderr_has("PipelineNotFoundException");
    assert!(!outcome.stderr.contains(token), "{}", outcome.stderr);
}
