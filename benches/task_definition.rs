//! How fast a large task definition is rendered and checked: 10 containers, about 60 KiB.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use deploykit_artifacts::TagPolicy;
use deploykit_artifacts::task_definition::edit::{ContainerEdit, Edits};
use deploykit_artifacts::task_definition::render::{RenderRequest, render};
use deploykit_artifacts::task_definition::rules::{self, RuleOptions};
use deploykit_artifacts::task_definition::shape;
use deploykit_artifacts::task_definition::source::SourceFormat;
use serde_json::{Value, json};

/// A Fargate definition of 10 containers with enough variables to weigh about 60 KiB.
fn large_template() -> String {
    let containers: Vec<Value> = (0..10)
        .map(|c| {
            let environment: Vec<Value> = (0..58)
                .map(|v| json!({"name": format!("SETTING_{c}_{v:03}"), "value": format!("${{REGION}}-value-{v:03}-abcdefghijklmnopqrstuvwxyz0123456789")}))
                .collect();
            json!({
                "name": format!("container-{c}"),
                "image": format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-{c}:4f2a9c1"),
                "essential": c == 0,
                "cpu": 128,
                "memoryReservation": 256,
                "portMappings": [{"containerPort": 8000 + c, "protocol": "tcp", "name": format!("port-{c}")}],
                "environment": environment,
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db/password"}],
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/big", "awslogs-region": "${REGION}", "awslogs-stream-prefix": format!("c{c}")}},
                "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"], "interval": 30, "retries": 3}
            })
        })
        .collect();
    json!({
        "family": "big-service",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "4096",
        "memory": "8192",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "containerDefinitions": containers,
    })
    .to_string()
}

fn task_definition(c: &mut Criterion) {
    let template = large_template();
    assert!(
        (55_000..65_536).contains(&template.len()),
        "the template is {} bytes",
        template.len()
    );
    let variables = HashMap::from([("REGION".to_owned(), "eu-west-1".to_owned())]);
    let edits = Edits {
        containers: vec![(
            "container-0".to_owned(),
            ContainerEdit::Image(
                "123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-0:5b3c2d1".to_owned(),
            ),
        )],
        ..Edits::default()
    };
    let request = RenderRequest {
        source: template.as_bytes(),
        format: SourceFormat::Json,
        variables: &variables,
        edits: &edits,
        sets: &[],
        options: RuleOptions {
            policy: TagPolicy::default(),
            allow_placeholders: true,
        },
    };
    let rendered = render(&request).expect("the template renders");
    let mut group = c.benchmark_group("task_definition 60 KiB, 10 containers");
    group.bench_function("render (parse, substitute, edit, check, print)", |b| {
        b.iter(|| black_box(render(black_box(&request)).unwrap()));
    });
    group.bench_function("check structure against the API model", |b| {
        b.iter(|| black_box(shape::check_structure(black_box(&rendered.document))));
    });
    group.bench_function("check ECS rules", |b| {
        b.iter(|| {
            black_box(rules::check(
                black_box(&rendered.document),
                &request.options,
            ))
        });
    });
    group.finish();
}

criterion_group!(benches, task_definition);
criterion_main!(benches);
