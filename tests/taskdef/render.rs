//! `ecs-taskdef`: rendering, checking and comparing task definitions, offline.

use crate::support::fixtures::{ACCOUNT, ECR};
use crate::support::harness::Test;

const TEMPLATE: &str = include_str!("../../examples/web-service/taskdef.template.json");

pub(crate) fn example() -> Test {
    Test::new()
        .file("taskdef.template.json", TEMPLATE)
        .env("AWS_ACCOUNT_ID", ACCOUNT)
        .env("AWS_REGION", "eu-west-1")
}

pub(crate) fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn renders_the_example_for_the_blue_green_action() {
    let outcome = example()
        .args(["render", "taskdef.template.json"])
        .run("ecs-taskdef")
        .success()
        .stderr_is(
            "wrote taskdef.json from taskdef.template.json\nImage1ContainerName: IMAGE1_NAME (container `web`)\n",
        );
    let rendered = json(&outcome.file("taskdef.json"));
    assert_eq!(
        rendered["executionRoleArn"],
        "arn:aws:iam::123456789012:role/web-service-execution"
    );
    assert_eq!(
        rendered["containerDefinitions"][0]["environment"][0]["value"],
        "dev"
    );
    assert_eq!(
        rendered["containerDefinitions"][0]["image"],
        "<IMAGE1_NAME>"
    );
    assert_eq!(
        outcome.file("taskdef.template.json"),
        TEMPLATE,
        "the input is never modified"
    );
    let again = example()
        .args(["render", "taskdef.template.json", "-o", "-"])
        .run("ecs-taskdef")
        .success();
    assert_eq!(again.stdout, outcome.file("taskdef.json"), "deterministic");
}

#[test]
fn every_edit_in_one_call() {
    let outcome = example()
        .env(
            "CODEBUILD_RESOLVED_SOURCE_VERSION",
            "4f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39",
        )
        .env(
            "CODEBUILD_SOURCE_REPO_URL",
            "https://git.example/web-service",
        )
        .env("CODEBUILD_BUILD_ID", "web-service:0c1d")
        .args([
            "render",
            "taskdef.template.json",
            "-o",
            "-",
            "--image",
            &format!("web={ECR}/web-service:4f2a9c1"),
            "--env",
            "web:APP_ENV=prod",
            "--env",
            "web:JAVA_OPTS=-Xmx512m -Dkey=value",
            "--env",
            "log-router:FLB_LOG_LEVEL=debug",
            "--secret",
            "web:DB_PASSWORD=arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
            "--env-file",
            "web:arn:aws:s3:::config-bucket/web.env",
            "--log-option",
            "web:log_stream_prefix=web/prod/",
            "--docker-label",
            "web:team=checkout",
            "--command",
            "web:nginx -g 'daemon off;'",
            "--entry-point",
            r#"log-router:["/entrypoint.sh","--verbose"]"#,
            "--task-role",
            "web-service-task-prod",
            "--execution-role",
            "arn:aws:iam::123456789012:role/exec-prod",
            "--cpu",
            "512",
            "--memory",
            "1024",
            "--tag",
            "env=prod",
            "--set",
            "/ephemeralStorage/sizeInGiB=30",
            "--set",
            "/containerDefinitions/1/memoryReservation=64",
        ])
        .run("ecs-taskdef")
        .success();
    let doc = json(&outcome.stdout);
    let web = &doc["containerDefinitions"][0];
    assert_eq!(web["image"], format!("{ECR}/web-service:4f2a9c1"));
    assert_eq!(
        web["environment"],
        json(
            r#"[{"name":"APP_ENV","value":"prod"},{"name":"JAVA_OPTS","value":"-Xmx512m -Dkey=value"}]"#
        )
    );
    assert_eq!(
        web["secrets"][0]["valueFrom"],
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
    );
    assert_eq!(
        web["environmentFiles"],
        json(r#"[{"type":"s3","value":"arn:aws:s3:::config-bucket/web.env"}]"#)
    );
    assert_eq!(
        web["logConfiguration"]["options"]["log_stream_prefix"],
        "web/prod/"
    );
    assert_eq!(web["dockerLabels"]["team"], "checkout");
    assert_eq!(
        web["dockerLabels"]["org.opencontainers.image.revision"],
        "4f2a9c1e0b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39"
    );
    assert_eq!(web["command"], json(r#"["nginx","-g","daemon off;"]"#));
    assert_eq!(
        doc["containerDefinitions"][1]["entryPoint"],
        json(r#"["/entrypoint.sh","--verbose"]"#)
    );
    assert_eq!(
        doc["containerDefinitions"][1]["environment"][0]["value"],
        "debug"
    );
    assert_eq!(doc["containerDefinitions"][1]["memoryReservation"], 64);
    assert_eq!(doc["taskRoleArn"], "web-service-task-prod");
    assert_eq!(
        (doc["cpu"].as_str(), doc["memory"].as_str()),
        (Some("512"), Some("1024"))
    );
    assert_eq!(doc["ephemeralStorage"]["sizeInGiB"], 30);
    let tags = doc["tags"].as_array().unwrap();
    assert!(tags.contains(&json(r#"{"key":"env","value":"prod"}"#)));
    assert!(tags.contains(&json(
        r#"{"key":"codebuild-build-id","value":"web-service:0c1d"}"#
    )));
}

#[test]
fn placeholders_are_numbered_and_reported() {
    example()
        .args(["render", "taskdef.template.json", "--image", "web=web:1", "--placeholder", "log-router", "--placeholder", "web", "-o", "-"])
        .run("ecs-taskdef")
        .success()
        .stderr_is("Image1ContainerName: IMAGE1_NAME (container `web`)\nImage2ContainerName: IMAGE2_NAME (container `log-router`)\n");
    example()
        .args(["render", "taskdef.template.json", "--no-placeholders"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("`<IMAGE1_NAME>`");
}

#[test]
fn unset_variables_are_all_named_at_once() {
    let outcome = Test::new()
        .file("taskdef.template.json", TEMPLATE)
        .args(["render", "taskdef.template.json", "--no-env-vars"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("`AWS_ACCOUNT_ID`")
        .stderr_has("`AWS_REGION`")
        .stderr_has("$.executionRoleArn");
    assert_eq!(
        outcome.files(),
        ["taskdef.template.json"],
        "nothing written"
    );
}

#[test]
fn variables_from_flags_and_files_win_in_order() {
    let outcome = Test::new()
        .file("taskdef.template.json", TEMPLATE)
        .file(
            "prod.env",
            "AWS_ACCOUNT_ID=210987654321\nAWS_REGION=eu-central-1\nAPP_ENV=staging\n",
        )
        .env("AWS_ACCOUNT_ID", "111111111111")
        .args([
            "render",
            "taskdef.template.json",
            "--vars-file",
            "prod.env",
            "--var",
            "APP_ENV=prod",
            "-o",
            "-",
        ])
        .run("ecs-taskdef")
        .success();
    let doc = json(&outcome.stdout);
    assert_eq!(
        doc["taskRoleArn"],
        "arn:aws:iam::210987654321:role/web-service-task"
    );
    assert_eq!(
        doc["containerDefinitions"][0]["environment"][0]["value"],
        "prod"
    );
    Test::new()
        .file("taskdef.template.json", TEMPLATE)
        .file("bad.env", "AWS_REGION=eu-west-1\nnot a line\n")
        .args(["render", "taskdef.template.json", "--vars-file", "bad.env"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("line 2");
}

#[test]
fn edits_must_name_a_container() {
    example()
        .args(["render", "taskdef.template.json", "--env", "APP_ENV=prod"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_is(
            "error: `--env APP_ENV=<redacted>` names no container, and the task definition has 2: `web`, `log-router`\nhelp: aim it at one: `--env web:APP_ENV=<redacted>`\n",
        );
    example()
        .args(["render", "taskdef.template.json", "--image", "api=api:1"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("container `api` is not in the task definition; it has `web`, `log-router`");
    example()
        .args(["render", "taskdef.template.json", "--env", "web:NOVALUE"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("is not `NAME=VALUE`");
    example()
        .args([
            "render",
            "taskdef.template.json",
            "--command",
            "web:echo 'unclosed",
        ])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("cannot be split into words");
}

#[test]
fn malformed_templates_say_where() {
    let cases = [
        (
            "taskdef.json",
            "{\n  \"family\": \"web\",\n  \"containerDefinitions\": [\n",
            "taskdef.json: line 4, column 0",
        ),
        (
            "taskdef.yaml",
            "family: web\ncontainerDefinitions: [\n  - name: web\n",
            "taskdef.yaml: line",
        ),
        (
            "taskdef.json",
            "[]",
            "the task definition is not a JSON object",
        ),
        (
            "taskdef.json",
            r#"{"family":"web","containerDefinitions":[{"name":"web","image":"web:1","essentail":true,"memory":64}]}"#,
            "did you mean `essential`?",
        ),
        (
            "taskdef.json",
            r#"{"family":"web","requiresCompatibilities":["FARGATE"],"networkMode":"awsvpc","cpu":"256","memory":"4096","containerDefinitions":[{"name":"web","image":"web:1"}]}"#,
            "512, 1024 or 2048",
        ),
        (
            "taskdef.json",
            r#"{"family":"web","containerDefinitions":[{"name":"web","image":"web:latest","memory":64}]}"#,
            "mutable tag `latest`",
        ),
    ];
    for (name, contents, expected) in cases {
        let outcome = Test::new()
            .file(name, contents)
            .args(["render", name, "-o", "out/taskdef.json"])
            .run("ecs-taskdef");
        assert_ne!(outcome.code, 0, "{name}: {contents}");
        let outcome = outcome.stderr_has(expected);
        assert_eq!(outcome.files(), [name], "nothing written for {contents}");
    }
}

#[test]
fn over_the_size_limit() {
    let big: Vec<String> = (0..700)
        .map(|i| {
            format!(
                r#"{{"name":"VARIABLE_{i:04}","value":"{}"}}"#,
                "x".repeat(80)
            )
        })
        .collect();
    let template = format!(
        r#"{{"family":"web","containerDefinitions":[{{"name":"web","image":"web:1","memory":64,"environment":[{}]}}]}}"#,
        big.join(",")
    );
    Test::new()
        .file("taskdef.json", template)
        .args(["render", "taskdef.json", "-o", "out.json"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("65,536");
}

#[test]
fn yaml_templates_render_to_json() {
    let yaml = "family: worker\nexecutionRoleArn: worker-execution\nrequiresCompatibilities: [FARGATE]\nnetworkMode: awsvpc\ncpu: '256'\nmemory: '512'\n\
                containerDefinitions:\n  - name: worker\n    image: ${REPOSITORY_URI}:1.4.2\n    essential: true\n    command: [\"run\", \"--queue\", \"jobs\"]\n";
    let outcome = Test::new()
        .file("taskdef.template.yaml", yaml)
        .env("REPOSITORY_URI", &format!("{ECR}/worker"))
        .args(["render", "taskdef.template.yaml", "-o", "-"])
        .run("ecs-taskdef")
        .success();
    let doc = json(&outcome.stdout);
    assert_eq!(
        doc["containerDefinitions"][0]["image"],
        format!("{ECR}/worker:1.4.2")
    );
    assert_eq!(
        doc["cpu"], "256",
        "a quoted YAML number stays the string ECS wants"
    );
    Test::new()
        .file(
            "taskdef.template.yaml",
            yaml.replace("cpu: '256'", "cpu: 256"),
        )
        .env("REPOSITORY_URI", &format!("{ECR}/worker"))
        .args(["render", "taskdef.template.yaml"])
        .run("ecs-taskdef")
        .code(2)
        .stderr_has("$.cpu");
}
