use super::*;

const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn rules(bytes: &[u8]) -> Vec<(&'static str, Option<String>)> {
    check(bytes, TagPolicy::default())
        .findings
        .into_iter()
        .map(|finding| (finding.rule, finding.shown_location()))
        .collect()
}

#[allow(clippy::unnecessary_wraps)] // Compared with `Finding::location`.
fn at(location: &str) -> Option<String> {
    Some(location.to_owned())
}

#[test]
fn renders_pretty_ordered_with_a_trailing_newline() {
    let definitions = [
        ImageDefinition {
            name: "web".into(),
            image_uri: "r/web:abc".into(),
        },
        ImageDefinition {
            name: "log-router".into(),
            image_uri: "r/fluent-bit:2.1".into(),
        },
    ];
    let text = String::from_utf8(render(&definitions)).unwrap();
    assert_eq!(
        text,
        "[\n  {\n    \"name\": \"web\",\n    \"imageUri\": \"r/web:abc\"\n  },\n  {\n    \"name\": \"log-router\",\n    \"imageUri\": \"r/fluent-bit:2.1\"\n  }\n]\n"
    );
    let checked = check(text.as_bytes(), TagPolicy::default());
    assert_eq!(checked.findings, []);
    assert_eq!(checked.value.unwrap(), definitions);
}

#[test]
fn a_clean_file_has_no_findings() {
    let file = format!(
        r#"[{{"name":"web","imageUri":"123456789012.dkr.ecr.us-east-1.amazonaws.com/web@{SHA}"}}]"#
    );
    assert_eq!(rules(file.as_bytes()), []);
}

#[test]
fn syntax_and_encoding() {
    assert_eq!(
        rules(b"[{\"name\": \"web\",]"),
        [("invalid-json", at("line 1, column 17"))]
    );
    assert_eq!(rules(b""), [("invalid-json", at("line 1, column 0"))]);
    assert_eq!(
        rules(b"[{\"name\":\"w\xffb\"}]"),
        [("not-utf8", at("line 1, byte 11"))]
    );
    let bom = b"\xEF\xBB\xBF[{\"name\":\"web\",\"imageUri\":\"web:1\"}]";
    assert_eq!(rules(bom), [("byte-order-mark", at("line 1"))]);
}

#[test]
fn shape_mix_ups() {
    assert_eq!(rules(br#"{"ImageURI":"web:1"}"#), [("wrong-file", at("$"))]);
    assert_eq!(
        rules(br#"{"name":"web","imageUri":"web:1"}"#),
        [("wrong-shape", at("$"))]
    );
    let wrapped = check(
        br#"{"name":"web","imageUri":"web:1"}"#,
        TagPolicy::default(),
    );
    assert!(
        wrapped.findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("wrap the object")
    );
    assert_eq!(rules(b"\"web\""), [("wrong-shape", at("$"))]);
    assert_eq!(rules(b"[]"), [("empty", at("$"))]);
    assert_eq!(rules(b"[\"web\"]"), [("wrong-shape", at("$[0]"))]);
}

#[test]
fn keys_and_types() {
    assert_eq!(
        rules(br#"[{"name":"web","imageURI":"web:1"}]"#),
        [("key-case", at("$[0].imageURI"))]
    );
    assert_eq!(
        rules(br#"[{"Name":"web","imageUri":"web:1"}]"#),
        [("key-case", at("$[0].Name"))]
    );
    assert_eq!(
        rules(br#"[{"name":"web","imageUri":"web:1","essential":true}]"#),
        [("unknown-key", at("$[0].essential"))]
    );
    assert_eq!(rules(br#"[{"name":"web"}]"#), [("missing-key", at("$[0]"))]);
    assert_eq!(
        rules(br#"[{"name":7,"imageUri":"web:1"}]"#),
        [("wrong-type", at("$[0].name"))]
    );
}

#[test]
fn values() {
    assert_eq!(
        rules(br#"[{"name":"we b","imageUri":"web:1"}]"#),
        [("invalid-container-name", at("$[0].name"))]
    );
    assert_eq!(
        rules(br#"[{"name":"","imageUri":"web:1"}]"#),
        [("invalid-container-name", at("$[0].name"))]
    );
    assert_eq!(
        rules(br#"[{"name":"web","imageUri":"Web:1"}]"#),
        [("invalid-image", at("$[0].imageUri"))]
    );
    assert_eq!(
        rules(br#"[{"name":"web","imageUri":""}]"#),
        [("invalid-image", at("$[0].imageUri"))]
    );
    assert_eq!(
        rules(br#"[{"name":"web","imageUri":"web:latest"}]"#),
        [("mutable-tag", at("$[0].imageUri"))]
    );
    assert_eq!(
        rules(br#"[{"name":"web","imageUri":"web"}]"#),
        [("mutable-tag", at("$[0].imageUri"))]
    );
    let allowed = check(
        br#"[{"name":"web","imageUri":"web"}]"#,
        TagPolicy {
            allow_mutable_tags: true,
        },
    );
    assert_eq!(allowed.findings, []);
    assert_eq!(
        rules(br#"[{"name":"web","imageUri":"web:1"},{"name":"web","imageUri":"web:2"}]"#),
        [("duplicate-name", at("$[1].name"))]
    );
    let ipv6 = br#"[{"name":"web","imageUri":"[::1]:5000/web:1"}]"#;
    assert_eq!(rules(ipv6), [("ecs-image-limit", at("$[0].imageUri"))]);
}

#[test]
fn size_limit() {
    let entry = r#"{"name":"web","imageUri":"web:1"}"#;
    let padded = format!("[{entry}{}]", " ".repeat(MAX_IMAGE_DEFINITIONS_BYTES));
    assert_eq!(rules(padded.as_bytes()), [("too-large", at("$"))]);
    let at_the_limit = format!(
        "[{entry}{}]",
        " ".repeat(MAX_IMAGE_DEFINITIONS_BYTES - entry.len() - 2)
    );
    assert_eq!(at_the_limit.len(), MAX_IMAGE_DEFINITIONS_BYTES);
    assert_eq!(rules(at_the_limit.as_bytes()), []);
}

#[test]
fn names_against_the_task_definition() {
    let definitions = [
        ImageDefinition {
            name: "web".into(),
            image_uri: "web:1".into(),
        },
        ImageDefinition {
            name: "api".into(),
            image_uri: "api:1".into(),
        },
    ];
    let containers = ["web".to_owned(), "log-router".to_owned()];
    let findings = check_against_containers(&definitions, &containers);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].0, 1);
    assert_eq!(
        findings[0].1.message,
        "container `api` is not in the task definition; it has `web`, `log-router`"
    );
}
