use std::collections::HashMap;

use serde_json::json;

use super::*;
use crate::TagPolicy;
use crate::task_definition::edit::ContainerEdit;

const TEMPLATE: &str = r#"{
  "family": "web-service",
  "requiresCompatibilities": ["FARGATE"],
  "networkMode": "awsvpc",
  "cpu": "256",
  "memory": "512",
  "executionRoleArn": "arn:aws:iam::${AWS_ACCOUNT_ID}:role/exec",
  "containerDefinitions": [
    {"name": "web", "image": "<IMAGE1_NAME>", "essential": true,
     "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
     "environment": [{"name": "APP_ENV", "value": "${APP_ENV:-dev}"}]},
    {"name": "log-router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4", "essential": true,
     "memoryReservation": 50}
  ]
}"#;

fn variables() -> HashMap<String, String> {
    HashMap::from([("AWS_ACCOUNT_ID".to_owned(), "123456789012".to_owned())])
}

fn request<'a>(
    source: &'a [u8],
    vars: &'a HashMap<String, String>,
    edits: &'a Edits,
    sets: &'a [(String, String)],
) -> RenderRequest<'a> {
    RenderRequest {
        source,
        format: SourceFormat::Json,
        variables: vars,
        edits,
        sets,
        options: RuleOptions {
            policy: TagPolicy::default(),
            allow_placeholders: true,
        },
    }
}

#[test]
fn renders_a_template_with_variables_and_placeholders() {
    let vars = variables();
    let edits = Edits::default();
    let rendered = render(&request(TEMPLATE.as_bytes(), &vars, &edits, &[])).unwrap();
    assert_eq!(rendered.findings, []);
    assert_eq!(
        rendered.document["executionRoleArn"],
        "arn:aws:iam::123456789012:role/exec"
    );
    assert_eq!(
        rendered.document["containerDefinitions"][0]["environment"][0]["value"],
        "dev"
    );
    assert_eq!(
        rendered.slots,
        [ImageSlot {
            slot: ImagePlaceholder::new(1).unwrap(),
            placeholder: "IMAGE1_NAME".into(),
            container: "web".into()
        }]
    );
    let text = String::from_utf8(rendered.bytes).unwrap();
    assert!(
        text.starts_with("{\n  \"containerDefinitions\": ["),
        "keys are sorted: {text}"
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn rendering_is_deterministic_and_idempotent() {
    let vars = variables();
    let edits = Edits::default();
    let first = render(&request(TEMPLATE.as_bytes(), &vars, &edits, &[])).unwrap();
    let again = render(&request(&first.bytes, &vars, &edits, &[])).unwrap();
    assert_eq!(first.bytes, again.bytes);
}

#[test]
fn all_missing_variables_fail_together() {
    let vars = HashMap::new();
    let edits = Edits::default();
    let template = TEMPLATE.replace("${APP_ENV:-dev}", "${APP_ENV}");
    let findings = render(&request(template.as_bytes(), &vars, &edits, &[])).unwrap_err();
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(findings.len(), 2, "{messages:?}");
}

#[test]
fn describe_output_is_converted_with_a_warning() {
    let vars = variables();
    let edits = Edits::default();
    let rendered_template = render(&request(TEMPLATE.as_bytes(), &vars, &edits, &[])).unwrap();
    let mut definition = rendered_template.document.clone();
    definition["taskDefinitionArn"] =
        json!("arn:aws:ecs:eu-west-1:123456789012:task-definition/web-service:3");
    definition["revision"] = json!(3);
    definition["status"] = json!("ACTIVE");
    let describe = json!({"taskDefinition": definition, "tags": [{"key": "team", "value": "web"}]});
    let rendered = render(&request(
        describe.to_string().as_bytes(),
        &vars,
        &edits,
        &[],
    ))
    .unwrap();
    assert_eq!(rendered.findings.len(), 1);
    assert_eq!(rendered.findings[0].rule, "describe-only-key");
    assert!(
        rendered.findings[0].message.contains("`taskDefinitionArn`"),
        "{:?}",
        rendered.findings
    );
    assert_eq!(
        rendered.document["tags"],
        json!([{"key": "team", "value": "web"}])
    );
    assert!(rendered.document.get("revision").is_none());
}

#[test]
fn edits_and_sets_apply_with_the_model_types() {
    let vars = variables();
    let edits = Edits {
        containers: vec![(
            "web".into(),
            ContainerEdit::Image("123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:4f2a9c1".into()),
        )],
        ..Edits::default()
    };
    let sets = [
        ("/memory".to_owned(), "1024".to_owned()),
        ("/containerDefinitions/1/cpu".to_owned(), "64".to_owned()),
        (
            "/containerDefinitions/0/readonlyRootFilesystem".to_owned(),
            "true".to_owned(),
        ),
    ];
    let rendered = render(&request(TEMPLATE.as_bytes(), &vars, &edits, &sets)).unwrap();
    assert_eq!(rendered.document["memory"], json!("1024"));
    assert_eq!(
        rendered.document["containerDefinitions"][1]["cpu"],
        json!(64)
    );
    assert_eq!(
        rendered.document["containerDefinitions"][0]["readonlyRootFilesystem"],
        json!(true)
    );
    assert!(rendered.slots.is_empty());
    let bad = [("/containerDefinitions/1/cpu".to_owned(), "lots".to_owned())];
    let findings = render(&request(TEMPLATE.as_bytes(), &vars, &edits, &bad)).unwrap_err();
    assert_eq!(
        findings[0].message,
        "`/containerDefinitions/1/cpu` takes an integer, and `lots` is not one"
    );
}

#[test]
fn checks_run_on_the_result() {
    let vars = variables();
    let edits = Edits {
        containers: vec![("web".into(), ContainerEdit::Image("web:latest".into()))],
        ..Edits::default()
    };
    let findings = render(&request(TEMPLATE.as_bytes(), &vars, &edits, &[])).unwrap_err();
    assert!(
        findings.iter().any(|f| f.rule == "mutable-tag"),
        "{findings:?}"
    );
    let typo = TEMPLATE.replace(
        "\"essential\": true,\n     \"portMappings\"",
        "\"essentail\": true,\n     \"portMappings\"",
    );
    let findings = render(&request(typo.as_bytes(), &vars, &Edits::default(), &[])).unwrap_err();
    assert!(
        findings.iter().any(|f| f.rule == "unknown-key"),
        "{findings:?}"
    );
}
