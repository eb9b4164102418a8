//! `ecs-tagcheck --ecr` when ECR's answers are not answers: an endpoint (the fault proxy,
//! answering every request itself) that says HTTP 200 with none of the fields asked for.

use crate::support::fault_proxy::{Fault, Plan, Proxy};
use crate::support::fixtures::ECR;
use crate::support::harness::Test;

#[test]
fn an_answer_without_image_details_is_an_error_not_a_missing_image() {
    for body in ["{}", "", r#"{"imageDetails": [{}]}"#] {
        // Nothing is forwarded: the proxy answers every request.
        let proxy = Proxy::start("http://127.0.0.1:9", Plan::always(Fault::Answer(body)));
        let image = format!("{ECR}/web:v1");
        let outcome = Test::new()
            .file(
                "imagedefinitions.json",
                format!("[{{\"name\": \"web\", \"imageUri\": \"{image}\"}}]\n"),
            )
            .with_test_endpoint(&proxy.url)
            .env("AWS_MAX_ATTEMPTS", "1")
            .args(["--ecr", "imagedefinitions.json"])
            .run("ecs-tagcheck")
            .code(2)
            .stderr_has("failed: the answer has no `");
        assert!(
            !outcome.stderr.contains("image-not-found"),
            "{body:?}: {}",
            outcome.stderr
        );
    }
}
