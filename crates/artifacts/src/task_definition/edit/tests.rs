use serde_json::{Value, json};

use super::*;

fn slot(number: usize) -> ImagePlaceholder {
    ImagePlaceholder::new(number).unwrap()
}

fn document() -> Value {
    json!({
        "family": "web",
        "containerDefinitions": [
            {"name": "web", "image": "web:1", "environment": [{"name": "A", "value": "1"}, {"name": "EMPTY", "value": ""}],
             "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web"}}},
            {"name": "log-router", "image": "fluent-bit:2"},
            {"name": "worker", "image": "worker:1"}
        ],
        "tags": [{"key": "team", "value": "payments"}]
    })
}

fn edit(container: &str, edit: ContainerEdit) -> (String, ContainerEdit) {
    (container.to_owned(), edit)
}

#[test]
fn environment_merges_by_name_and_keeps_empty_values() {
    let mut doc = document();
    let edits = Edits {
        containers: vec![
            edit(
                "web",
                ContainerEdit::Env {
                    name: "A".into(),
                    value: "2=two".into(),
                },
            ),
            edit(
                "web",
                ContainerEdit::Env {
                    name: "B".into(),
                    value: String::new(),
                },
            ),
            edit("web", ContainerEdit::UnsetEnv("MISSING".into())),
        ],
        ..Edits::default()
    };
    apply(&mut doc, &edits).unwrap();
    assert_eq!(
        doc["containerDefinitions"][0]["environment"],
        json!([{"name": "A", "value": "2=two"}, {"name": "EMPTY", "value": ""}, {"name": "B", "value": ""}])
    );
}

#[test]
fn environment_can_be_replaced_or_unset() {
    let mut doc = document();
    let edits = Edits {
        containers: vec![
            edit(
                "web",
                ContainerEdit::Env {
                    name: "NEW".into(),
                    value: "x".into(),
                },
            ),
            edit("web", ContainerEdit::ReplaceEnvironment),
        ],
        ..Edits::default()
    };
    apply(&mut doc, &edits).unwrap();
    assert_eq!(
        doc["containerDefinitions"][0]["environment"],
        json!([{"name": "NEW", "value": "x"}])
    );
    let unset = Edits {
        containers: vec![edit("web", ContainerEdit::UnsetEnv("NEW".into()))],
        ..Edits::default()
    };
    apply(&mut doc, &unset).unwrap();
    assert_eq!(doc["containerDefinitions"][0]["environment"], json!([]));
}

#[test]
fn secrets_logs_labels_commands() {
    let mut doc = document();
    let edits = Edits {
        containers: vec![
            edit(
                "web",
                ContainerEdit::Secret {
                    name: "DB".into(),
                    value_from: "arn:aws:ssm:eu-west-1:123456789012:parameter/db".into(),
                },
            ),
            edit(
                "web",
                ContainerEdit::LogOption {
                    name: "awslogs-stream-prefix".into(),
                    value: "a=b".into(),
                },
            ),
            edit("log-router", ContainerEdit::LogDriver("awslogs".into())),
            edit(
                "web",
                ContainerEdit::DockerLabel {
                    name: "team".into(),
                    value: "web".into(),
                },
            ),
            edit(
                "web",
                ContainerEdit::Command(vec!["npm".into(), "run".into(), "start prod".into()]),
            ),
            edit(
                "worker",
                ContainerEdit::EntryPoint(vec!["/bin/sh".into(), "-c".into()]),
            ),
            edit(
                "web",
                ContainerEdit::EnvironmentFile("arn:aws:s3:::bucket/web.env".into()),
            ),
            edit(
                "web",
                ContainerEdit::EnvironmentFile("arn:aws:s3:::bucket/web.env".into()),
            ),
        ],
        ..Edits::default()
    };
    apply(&mut doc, &edits).unwrap();
    let web = &doc["containerDefinitions"][0];
    assert_eq!(
        web["secrets"],
        json!([{"name": "DB", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"}])
    );
    assert_eq!(
        web["logConfiguration"]["options"],
        json!({"awslogs-group": "/ecs/web", "awslogs-stream-prefix": "a=b"})
    );
    assert_eq!(
        doc["containerDefinitions"][1]["logConfiguration"],
        json!({"logDriver": "awslogs"})
    );
    assert_eq!(web["dockerLabels"], json!({"team": "web"}));
    assert_eq!(web["command"], json!(["npm", "run", "start prod"]));
    assert_eq!(
        web["environmentFiles"],
        json!([{"value": "arn:aws:s3:::bucket/web.env", "type": "s3"}])
    );
    assert_eq!(
        doc["containerDefinitions"][2]["entryPoint"],
        json!(["/bin/sh", "-c"])
    );
}

#[test]
fn images_and_placeholders_in_a_stable_order() {
    let mut doc = document();
    let edits = Edits {
        containers: vec![
            edit("worker", ContainerEdit::Placeholder),
            edit("web", ContainerEdit::Placeholder),
            edit("log-router", ContainerEdit::Image("<IMAGE1_NAME>".into())),
        ],
        ..Edits::default()
    };
    let applied = apply(&mut doc, &edits).unwrap();
    assert_eq!(
        applied.placeholders,
        [
            (slot(1), "log-router".to_owned()),
            (slot(2), "web".to_owned()),
            (slot(3), "worker".to_owned())
        ]
    );
    assert_eq!(doc["containerDefinitions"][0]["image"], "<IMAGE2_NAME>");
    assert_eq!(doc["containerDefinitions"][2]["image"], "<IMAGE3_NAME>");
}

#[test]
fn a_fifth_placeholder_is_refused() {
    let mut doc = json!({"containerDefinitions": (1..=5).map(|i| json!({"name": format!("c{i}"), "image": "x:1"})).collect::<Vec<_>>()});
    let edits = Edits {
        containers: (1..=5)
            .map(|i| edit(&format!("c{i}"), ContainerEdit::Placeholder))
            .collect(),
        ..Edits::default()
    };
    let findings = apply(&mut doc, &edits).unwrap_err();
    assert!(
        findings[0]
            .message
            .contains("container `c5` needs a fifth image placeholder"),
        "{findings:?}"
    );
}

#[test]
fn task_level_edits_and_provenance() {
    let mut doc = document();
    let edits = Edits {
        task_role: Some("web-task".into()),
        execution_role: Some("arn:aws:iam::123456789012:role/exec".into()),
        cpu: Some("512".into()),
        memory: Some("1024".into()),
        tags: vec![
            ("team".into(), "checkout".into()),
            ("env".into(), "prod".into()),
        ],
        provenance: Provenance {
            revision: Some("4f2a9c1".into()),
            source: Some("https://git.example/web".into()),
            build_id: Some("web:1234".into()),
        },
        ..Edits::default()
    };
    apply(&mut doc, &edits).unwrap();
    assert_eq!(doc["taskRoleArn"], "web-task");
    assert_eq!(
        doc["executionRoleArn"],
        "arn:aws:iam::123456789012:role/exec"
    );
    assert_eq!(
        (doc["cpu"].as_str(), doc["memory"].as_str()),
        (Some("512"), Some("1024"))
    );
    assert_eq!(
        doc["tags"],
        json!([
            {"key": "team", "value": "checkout"},
            {"key": "env", "value": "prod"},
            {"key": REVISION_LABEL, "value": "4f2a9c1"},
            {"key": SOURCE_LABEL, "value": "https://git.example/web"},
            {"key": BUILD_ID_TAG, "value": "web:1234"},
        ])
    );
    for container in doc["containerDefinitions"].as_array().unwrap() {
        assert_eq!(container["dockerLabels"][REVISION_LABEL], "4f2a9c1");
    }
}

#[test]
fn unknown_containers_are_named_with_the_ones_that_exist() {
    let mut doc = document();
    let before = doc.clone();
    let edits = Edits {
        containers: vec![
            edit("api", ContainerEdit::Placeholder),
            edit("api", ContainerEdit::UnsetEnv("A".into())),
        ],
        ..Edits::default()
    };
    let findings = apply(&mut doc, &edits).unwrap_err();
    assert_eq!(findings.len(), 1);
    assert_eq!(
        findings[0].message,
        "container `api` is not in the task definition; it has `web`, `log-router`, `worker`"
    );
    assert_eq!(doc, before, "nothing is applied when an edit is refused");
}

#[test]
fn a_container_keeps_its_own_placeholder_number() {
    let mut doc = document();
    doc["containerDefinitions"][0]["image"] = json!("<IMAGE1_NAME>");
    let edits = Edits {
        containers: vec![edit("web", ContainerEdit::Placeholder)],
        ..Edits::default()
    };
    let applied = apply(&mut doc, &edits).unwrap();
    assert_eq!(applied.placeholders, [(slot(1), "web".to_owned())]);
}
