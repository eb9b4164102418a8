use super::{
    REDACTED, looks_like_credential, redact_assignment, secret_shape, shown, without_userinfo,
};

#[test]
fn values_are_recognised_by_their_shape_under_any_name() {
    for value in [
        "ghp_0123456789abcdefABCDEF",
        "token ghs_0123456789abcdef in a sentence",
        "github_pat_11ABCDEFG0123456789",
        "xoxb-123456789-abcdefgh",
        "sk_live_0123456789abcdef",
        "rk_live_0123456789abcdef",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE",
        "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
        "postgres://app:hunter2@db.internal:5432/app",
        "ci:hunter2@registry.example.com/web:1.0",
        "AKIAIOSFODNN7EXAMPLE",
    ] {
        assert!(secret_shape(value).is_some(), "{value}");
        assert!(looks_like_credential("NOTES", value), "{value}");
    }
    for value in [
        "ghp_x",
        "https://github.com/o/r.git",
        "git@github.com:o/r.git",
        "web:1.0@sha256:0123456789abcdef",
        "ops@example.com",
        "-----BEGIN CERTIFICATE-----\nMIIB",
        "0123456789abcdef0123456789abcdef01234567",
    ] {
        assert_eq!(secret_shape(value), None, "{value}");
    }
}

#[test]
fn names_that_hold_passwords_are_redacted() {
    for name in [
        "PGPASSWORD",
        "DB_PASS",
        "MYSQL_PWD",
        "SLACK_TOKEN_V2",
        "my_api_key",
    ] {
        assert!(looks_like_credential(name, "anything"), "{name}");
    }
    for name in ["PWD", "OLDPWD", "LOG_LEVEL"] {
        assert!(!looks_like_credential(name, "/srv/app"), "{name}");
    }
    // An IAM secret key's shape under a neutral name is hidden from diffs.
    assert!(looks_like_credential(
        "UPLOAD",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    ));
}

#[test]
fn urls_lose_their_user_information() {
    assert_eq!(
        without_userinfo("https://x-access-token:ghs_abc@github.com/o/r.git"),
        "https://github.com/o/r.git"
    );
    assert_eq!(
        without_userinfo("see https://u@h.example/a and ssh://v:w@h2/b"),
        "see https://h.example/a and ssh://h2/b"
    );
    assert_eq!(
        without_userinfo("https://github.com/o/r"),
        "https://github.com/o/r"
    );
}

#[test]
fn quoted_values_are_short_and_free_of_secrets() {
    assert_eq!(shown("ghp_0123456789abcdefABCDEF"), REDACTED);
    assert_eq!(shown(&"x".repeat(1000)).chars().count(), 61);
    assert_eq!(redact_assignment("GO_VERSION"), "GO_VERSION");
    assert_eq!(redact_assignment("hunter2"), REDACTED);
    assert_eq!(redact_assignment("ghp_0123456789abcdefABCDEF"), REDACTED);
    assert_eq!(
        redact_assignment("NAME=hunter2"),
        format!("NAME={REDACTED}")
    );
}

#[test]
fn credentials_outside_the_environment_are_redacted_and_the_rest_kept() {
    let mut document = serde_json::json!({
        "family": "web",
        "containerDefinitions": [{
            "name": "web",
            "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:abc123",
            "command": ["serve", "--token", "ghp_0123456789abcdefABCDEF"],
            "dockerLabels": {"team": "payments", "AWS_SECRET_ACCESS_KEY": "label-secret"},
            "logConfiguration": {
                "logDriver": "splunk",
                "options": {"splunk-url": "https://splunk.example.com", "splunk-token": "0000-1111"},
            },
            "repositoryCredentials": {
                "credentialsParameter": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:r",
            },
        }],
    });
    super::redact(&mut document);
    let container = &document["containerDefinitions"][0];
    assert_eq!(container["command"][2], REDACTED);
    assert_eq!(container["dockerLabels"]["AWS_SECRET_ACCESS_KEY"], REDACTED);
    assert_eq!(
        container["logConfiguration"]["options"]["splunk-token"],
        REDACTED
    );
    // What says nothing secret is shown as it is: a diff must still show what changed.
    assert_eq!(container["command"][1], "--token");
    assert_eq!(container["dockerLabels"]["team"], "payments");
    assert_eq!(
        container["logConfiguration"]["options"]["splunk-url"],
        "https://splunk.example.com"
    );
    assert!(
        container["repositoryCredentials"]["credentialsParameter"]
            .as_str()
            .is_some_and(|arn| arn.starts_with("arn:"))
    );
    assert!(
        container["image"]
            .as_str()
            .is_some_and(|image| image.ends_with(":abc123"))
    );
}

#[test]
fn words_shaped_like_credentials_are_redacted_in_others_messages() {
    use super::redact_words;
    assert_eq!(
        redact_words("token ghp_0123456789abcdefABCDEF was denied (pipeline `p`)"),
        "token <redacted> was denied (pipeline `p`)"
    );
    assert_eq!(
        redact_words("endpoint `https://u:hunter2@example.com` refused"),
        "endpoint <redacted> refused"
    );
    let plain = "Pipeline not found: web-prod";
    assert!(matches!(redact_words(plain), std::borrow::Cow::Borrowed(text) if text == plain));
}
