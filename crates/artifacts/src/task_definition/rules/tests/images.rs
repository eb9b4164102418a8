use serde_json::json;

use super::{SHA, only, remove, rules, run, run_template, set, template, web_and_sidecar, with};
use crate::tag_policy::{MUTABLE_TAG_HELP, TagPolicy};
use crate::task_definition::rules::{RuleOptions, check, placeholders};

const SIDECAR: &str = "$.containerDefinitions[1].image";

#[test]
fn an_image_is_required() {
    let mut document = web_and_sidecar();
    remove(&mut document, "/containerDefinitions/1/image");
    let finding = only(run(&document), "missing-image", SIDECAR);
    assert_eq!(finding.message, "container `log-router` has no `image`");
    for blank in ["", "  "] {
        let finding = only(
            run(&with("/containerDefinitions/1/image", json!(blank))),
            "missing-image",
            SIDECAR,
        );
        assert_eq!(
            finding.message,
            "container `log-router` has an empty `image`"
        );
    }
    let finding = only(
        run(&with("/containerDefinitions/1/image", json!(null))),
        "missing-image",
        SIDECAR,
    );
    assert_eq!(finding.message, "container `log-router` has no `image`");
}

#[test]
fn images_are_valid_references() {
    let finding = only(
        run(&with(
            "/containerDefinitions/1/image",
            json!("Fluent/Bit:2"),
        )),
        "invalid-image",
        SIDECAR,
    );
    assert!(
        finding
            .message
            .starts_with("container `log-router`: `Fluent/Bit:2` is not a valid image reference: "),
        "{}",
        finding.message
    );
    let sha512 = format!("nginx@sha512:{}", "a".repeat(128));
    let finding = only(
        run(&with("/containerDefinitions/1/image", json!(sha512))),
        "ecs-image-limit",
        SIDECAR,
    );
    assert_eq!(
        finding.message,
        format!(
            "container `log-router`: `{sha512}`: ECS supports only `sha256` digests, not `sha512`"
        )
    );
    for good in [
        "nginx:1.27".to_owned(),
        format!("nginx@{SHA}"),
        format!("localhost:5000/team/web:v1@{SHA}"),
        "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable".to_owned(),
    ] {
        assert_eq!(
            run(&with("/containerDefinitions/1/image", json!(good))),
            [],
            "{good}"
        );
    }
}

#[test]
fn mutable_tags_follow_the_policy() {
    let document = with("/containerDefinitions/1/image", json!("nginx:latest"));
    let finding = only(run(&document), "mutable-tag", SIDECAR);
    assert_eq!(
        finding.message,
        "container `log-router`: `nginx:latest` uses the mutable tag `latest`, so nobody can tell which build it deploys"
    );
    assert_eq!(finding.help.as_deref(), Some(MUTABLE_TAG_HELP));
    only(
        run(&with("/containerDefinitions/1/image", json!("nginx"))),
        "mutable-tag",
        SIDECAR,
    );
    let options = RuleOptions {
        policy: TagPolicy {
            allow_mutable_tags: true,
        },
        allow_placeholders: false,
    };
    assert_eq!(check(&document, &options), []);
}

#[test]
fn leftover_placeholders() {
    let findings = run(&template());
    assert_eq!(
        rules(&findings),
        [
            ("placeholder", "$.containerDefinitions[0].image".to_owned()),
            ("placeholder", SIDECAR.to_owned()),
        ]
    );
    assert_eq!(
        findings[0].message,
        "container `web` has the placeholder `<IMAGE1_NAME>` as its image; nothing replaced it"
    );
    // Anywhere in the image.
    only(
        run(&with(
            "/containerDefinitions/1/image",
            json!("fluent-bit:<TAG>"),
        )),
        "placeholder",
        SIDECAR,
    );
    // A lone `<` is just an invalid reference.
    only(
        run(&with("/containerDefinitions/1/image", json!("fluent<bit"))),
        "invalid-image",
        SIDECAR,
    );
}

#[test]
fn placeholder_syntax() {
    for good in ["<IMAGE9_NAME>", "<image>", "<web-image_2>"] {
        let mut document = template();
        set(&mut document, "/containerDefinitions/1/image", json!(good));
        assert_eq!(run_template(&document), [], "{good}");
    }
    for bad in [
        "<IMAGE1_NAME>:latest",
        "repo/<NAME>",
        "<>",
        "<IMAGE 1>",
        "<<IMAGE>>",
        "<IMAGE.1>",
    ] {
        let mut document = template();
        set(&mut document, "/containerDefinitions/1/image", json!(bad));
        let finding = only(run_template(&document), "placeholder", SIDECAR);
        assert_eq!(
            finding.message,
            format!(
                "container `log-router` has the image `{bad}`; a placeholder must be the whole \
                 `image`, `<` then letters, digits, `_` or `-`, then `>`"
            )
        );
    }
}

#[test]
fn each_placeholder_once() {
    let mut document = template();
    set(
        &mut document,
        "/containerDefinitions/1/image",
        json!("<IMAGE1_NAME>"),
    );
    let finding = only(run_template(&document), "duplicate-placeholder", SIDECAR);
    assert_eq!(
        finding.message,
        "the placeholder `<IMAGE1_NAME>` is the image of both container `web` and container `log-router`"
    );
}

#[test]
fn at_most_four_placeholders() {
    let mut document = template();
    for index in 2..4 {
        set(
            &mut document,
            &format!("/containerDefinitions/{index}"),
            json!({"name": format!("worker-{index}"), "image": format!("<IMAGE{}_NAME>", index + 1), "essential": false}),
        );
    }
    assert_eq!(run_template(&document), []);
    // A fixed image does not take a slot.
    set(
        &mut document,
        "/containerDefinitions/4",
        json!({"name": "fixed", "image": format!("nginx@{SHA}"), "essential": false}),
    );
    assert_eq!(run_template(&document), []);
    set(
        &mut document,
        "/containerDefinitions/5",
        json!({"name": "worker-5", "image": "<IMAGE5_NAME>", "essential": false}),
    );
    let finding = only(
        run_template(&document),
        "placeholder-count",
        "$.containerDefinitions[5].image",
    );
    assert_eq!(
        finding.message,
        "container `worker-5` has the placeholder `<IMAGE5_NAME>`, the task definition's 5th; the \
         Blue/Green action fills at most 4 (`Image1ContainerName` to `Image4ContainerName`)"
    );
}

#[test]
fn placeholders_for_the_action_configuration() {
    let mut document = template();
    set(
        &mut document,
        "/containerDefinitions/2",
        json!({"image": "<IMAGE3_NAME>", "essential": false}),
    );
    set(
        &mut document,
        "/containerDefinitions/3",
        json!({"name": "fixed", "image": format!("nginx@{SHA}")}),
    );
    assert_eq!(
        placeholders(&document),
        [
            ("IMAGE1_NAME".to_owned(), "web".to_owned()),
            ("IMAGE2_NAME".to_owned(), "log-router".to_owned()),
            ("IMAGE3_NAME".to_owned(), String::new()),
        ]
    );
    assert_eq!(placeholders(&web_and_sidecar()), []);
    assert_eq!(placeholders(&json!({"containerDefinitions": 3})), []);
}
