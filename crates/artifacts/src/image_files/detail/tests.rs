use super::*;

const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const OTHER: &str = "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

fn rules(bytes: &[u8], name: Option<&str>) -> Vec<(&'static str, Option<String>)> {
    check(bytes, name, TagPolicy::default())
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
fn derived_from_an_ecr_reference_and_pinned() {
    let reference = ImageReference::parse(&format!("{ECR}/team/web:abc123")).unwrap();
    let detail =
        ImageDetail::from_reference(&reference, Some(Digest::parse(SHA).unwrap())).unwrap();
    assert_eq!(detail.image_uri, format!("{ECR}/team/web@{SHA}"));
    assert_eq!(detail.image_digest.as_deref(), Some(SHA));
    assert_eq!(detail.repository_name.as_deref(), Some("team/web"));
    assert_eq!(detail.registry_id.as_deref(), Some("123456789012"));
    assert_eq!(detail.image_tags, ["abc123"]);
    let rendered = detail.render();
    assert_eq!(rules(&rendered, Some(IMAGE_DETAIL)), []);
    let text = String::from_utf8(rendered).unwrap();
    assert!(text.starts_with("{\n  \"ImageURI\": "), "{text}");
    assert!(text.ends_with("}\n"));
}

#[test]
fn a_plain_reference_keeps_what_it_has() {
    let reference = ImageReference::parse("ghcr.io/org/web:1.2").unwrap();
    let detail = ImageDetail::from_reference(&reference, None).unwrap();
    assert_eq!(
        String::from_utf8(detail.render()).unwrap(),
        "{\n  \"ImageURI\": \"ghcr.io/org/web:1.2\",\n  \"RepositoryName\": \"org/web\",\n  \"ImageTags\": [\n    \"1.2\"\n  ]\n}\n"
    );
}

#[test]
fn a_second_digest_must_agree() {
    let reference = ImageReference::parse(&format!("web@{SHA}")).unwrap();
    assert!(ImageDetail::from_reference(&reference, Some(Digest::parse(SHA).unwrap())).is_ok());
    let error =
        ImageDetail::from_reference(&reference, Some(Digest::parse(OTHER).unwrap())).unwrap_err();
    assert!(
        error.to_string().contains("already names the digest"),
        "{error}"
    );
}

#[test]
fn mix_ups() {
    let definitions = br#"[{"name":"web","imageUri":"web:1"}]"#;
    assert_eq!(
        rules(definitions, Some(IMAGE_DETAIL)),
        [("wrong-file", at("$"))]
    );
    assert_eq!(
        rules(b"[1]", Some(IMAGE_DETAIL)),
        [("wrong-shape", at("$"))]
    );
    let file = format!(r#"{{"ImageURI":"web@{SHA}"}}"#);
    assert_eq!(
        rules(file.as_bytes(), Some("imageDetails.json")),
        [("file-name", None)]
    );
    assert_eq!(
        rules(file.as_bytes(), Some("imagedetail.json")),
        [("file-name", None)]
    );
    let wrong_case = format!(r#"{{"ImageUri":"web@{SHA}"}}"#);
    let findings = check(wrong_case.as_bytes(), None, TagPolicy::default()).findings;
    assert_eq!(findings.len(), 2, "{findings:?}");
    assert_eq!(findings[0].rule, "unknown-key");
    assert_eq!(findings[1].rule, "missing-key");
    assert_eq!(
        findings[1].help.as_deref(),
        Some("rename `ImageUri` to `ImageURI`: key names are case-sensitive")
    );
}

#[test]
fn values_and_consistency() {
    assert_eq!(
        rules(br#"{"ImageURI":"web:latest"}"#, None),
        [
            ("mutable-tag", at("$.ImageURI")),
            ("not-pinned", at("$.ImageURI"))
        ]
    );
    assert_eq!(
        rules(br#"{"ImageURI":"web:1"}"#, None),
        [("not-pinned", at("$.ImageURI"))]
    );
    assert_eq!(
        rules(br#"{"ImageURI":42}"#, None),
        [("wrong-type", at("$.ImageURI"))]
    );
    assert_eq!(
        rules(br#"{"ImageURI":"web:"}"#, None),
        [("invalid-image", at("$.ImageURI"))]
    );
    let inconsistent = format!(
        r#"{{"ImageURI":"{ECR}/web@{SHA}","ImageDigest":"{OTHER}","RepositoryName":"api","RegistryId":"210987654321","ImageTags":["a",1],"Version":"1.0"}}"#
    );
    assert_eq!(
        rules(inconsistent.as_bytes(), Some(IMAGE_DETAIL)),
        [
            ("wrong-type", at("$.ImageTags")),
            ("inconsistent-detail", at("$.ImageDigest")),
            ("inconsistent-detail", at("$.RepositoryName")),
            ("inconsistent-detail", at("$.RegistryId")),
        ]
    );
    let ecr_source_output = format!(
        r#"{{"ImageSizeInBytes":"44728918","ImageDigest":"{SHA}","Version":"1.0","ImagePushedAt":"Mon Jan 21 20:04:00 UTC 2019","RegistryId":"123456789012","RepositoryName":"web","ImageURI":"{ECR}/web@{SHA}","ImageTags":["abc"]}}"#
    );
    assert_eq!(rules(ecr_source_output.as_bytes(), Some(IMAGE_DETAIL)), []);
}
