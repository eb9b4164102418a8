//! An endpoint whose answer never ends (the fault proxy's `Endless`): every program that asks
//! AWS reads at most a bound of it and ends with exit 2 naming the bound, where the SDK used to
//! read it whole into memory (`docs/reliability.md#answers-that-are-not-answers`).

use crate::support::fault_proxy::{Fault, Plan, Proxy};
use crate::support::fixtures::ECR;
use crate::support::harness::Test;

#[test]
fn an_endless_answer_is_read_to_a_bound_and_refused() {
    let image = format!("{ECR}/web:v1");
    let runs: [(&str, Vec<&str>); 4] = [
        ("ecs-pipeline", vec!["status", "--pipeline", "web"]),
        (
            "ecs-scaling",
            vec!["status", "--cluster", "c", "--service", "web"],
        ),
        ("ecs-taskdef", vec!["render", "--from-ecs", "web:1"]),
        ("ecs-tagcheck", vec!["--ecr", "imagedefinitions.json"]),
    ];
    for (program, args) in runs {
        // Nothing is forwarded: the proxy answers every request.
        let proxy = Proxy::start("http://127.0.0.1:9", Plan::always(Fault::Endless));
        Test::new()
            .file(
                "imagedefinitions.json",
                format!("[{{\"name\": \"web\", \"imageUri\": \"{image}\"}}]\n"),
            )
            .with_test_endpoint(&proxy.url)
            .env("AWS_MAX_ATTEMPTS", "1")
            .args(args)
            .run(program)
            .code(2)
            .stderr_has("the answer is larger than 16777216 bytes");
    }
}
