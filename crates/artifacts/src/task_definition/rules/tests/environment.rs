use serde_json::json;

use super::{only, run, with};
use crate::finding::Severity;
use crate::secrets::{credential_kind, value_from_problem};

const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

#[test]
fn credentials_are_warned_about_without_their_value() {
    let document = with(
        "/containerDefinitions/0/environment/1",
        json!({"name": "AWS_ACCESS_KEY_ID", "value": ACCESS_KEY}),
    );
    let finding = only(
        run(&document),
        "credential-in-environment",
        "$.containerDefinitions[0].environment[1].value",
    );
    assert_eq!(finding.severity, Severity::Warning);
    assert_eq!(
        finding.message,
        "container `web` sets `AWS_ACCESS_KEY_ID` in `environment` to what looks like an AWS access key id"
    );
    let help = finding.help.unwrap();
    assert!(
        help.starts_with("move it to `secrets` with `valueFrom`"),
        "{help}"
    );
    assert!(!help.contains(ACCESS_KEY) && !finding.message.contains(ACCESS_KEY));

    let document = with(
        "/containerDefinitions/0/environment/1",
        json!({"name": "DB_PASSWORD", "value": "hunter2"}),
    );
    let finding = only(
        run(&document),
        "credential-in-environment",
        "$.containerDefinitions[0].environment[1].value",
    );
    assert!(!finding.message.contains("hunter2"));
    assert!(
        finding
            .message
            .ends_with("to what looks like a secret, by its name")
    );
}

#[test]
fn what_looks_like_a_credential() {
    let private_key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow…\n-----END RSA PRIVATE KEY-----";
    for (name, value, kind) in [
        ("ANYTHING", ACCESS_KEY, "an AWS access key id"),
        ("ANYTHING", "ASIAIOSFODNN7EXAMPLE", "an AWS access key id"),
        (
            "URL",
            &format!("https://x/?id={ACCESS_KEY}&b=1"),
            "an AWS access key id",
        ),
        ("S3_KEY", SECRET_KEY, "an AWS secret access key"),
        (
            "upload_secret_value",
            SECRET_KEY,
            "an AWS secret access key",
        ),
        ("TLS", private_key, "a private key"),
        (
            "SSH",
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl",
            "a private key",
        ),
        ("DB_PASSWORD", "hunter2", "a secret, by its name"),
        ("db_password", "hunter2", "a secret, by its name"),
        ("PASSWORD", "hunter2", "a secret, by its name"),
        ("GITHUB_TOKEN", "ghp_x", "a secret, by its name"),
        ("SESSION_SECRET", "s", "a secret, by its name"),
        ("STRIPE_API_KEY", "sk_live_x", "a secret, by its name"),
        ("SMTP_PASSWD", "x", "a secret, by its name"),
    ] {
        assert_eq!(credential_kind(name, value), Some(kind), "{name}");
    }
    for (name, value) in [
        ("LOG_LEVEL", "info"),
        ("DB_PASSWORD", ""),
        (
            "DB_PASSWORD",
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
        ),
        ("DB_PASSWORD", "${DB_PASSWORD}"),
        ("PASSWORD_MIN_LENGTH", "12"),
        ("TOKEN_TTL", "3600"),
        ("CACHE_KEY", "v1"),
        // Near misses of an access key id.
        ("ID", "XAKIAIOSFODNN7EXAMPLE"),
        ("ID", "AKIAIOSFODNN7EXAMPLEX"),
        ("ID", "AKIAiosfodnn7example"),
        // 40 hex digits (a commit id), and a 40-character value under an innocent name.
        ("COMMIT_KEY", "0123456789abcdef0123456789abcdef01234567"),
        ("BUILD", SECRET_KEY),
        // A certificate is public.
        ("TLS_CERT", "-----BEGIN CERTIFICATE-----\nMIIB"),
    ] {
        assert_eq!(credential_kind(name, value), None, "{name}={value}");
    }
}

#[test]
fn environment_names_once() {
    let document = with(
        "/containerDefinitions/0/environment/2",
        json!({"name": "LOG_LEVEL", "value": "debug"}),
    );
    let finding = only(
        run(&document),
        "duplicate-environment",
        "$.containerDefinitions[0].environment[2].name",
    );
    assert_eq!(
        finding.message,
        "container `web` sets `LOG_LEVEL` twice, in `environment` entries 0 and 2"
    );
    // Each container has its own environment: the same name in another one is no repeat.
    let other_container = with(
        "/containerDefinitions/1/environment",
        json!([{"name": "LOG_LEVEL", "value": "debug"}]),
    );
    assert_eq!(run(&other_container), []);
}

#[test]
fn secret_references() {
    let finding = only(
        run(&with(
            "/containerDefinitions/0/secrets/1/valueFrom",
            json!("arn:aws:ssm:eu-west-1:1234:parameter/web/api-token"),
        )),
        "secret-value-from",
        "$.containerDefinitions[0].secrets[1].valueFrom",
    );
    assert_eq!(
        finding.message,
        "container `web`'s secret `API_TOKEN` has `valueFrom` `arn:aws:ssm:eu-west-1:1234:parameter/web/api-token`, \
         which has the account id `1234`, not 12 digits"
    );
    only(
        run(&with(
            "/containerDefinitions/0/logConfiguration/secretOptions/0/valueFrom",
            json!("arn:aws:kms:eu-west-1:123456789012:key/abc"),
        )),
        "secret-value-from",
        "$.containerDefinitions[0].logConfiguration.secretOptions[0].valueFrom",
    );
}

#[test]
fn what_a_secret_can_come_from() {
    for good in [
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password:AWSCURRENT:",
        "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/app/db",
        "arn:aws-iso-b:ssm:us-isob-east-1:123456789012:parameter/x",
        "db_password",
        "/app/prod/db.password",
    ] {
        assert_eq!(value_from_problem(good), None, "{good}");
    }
    for (bad, problem) in [
        ("", "is empty"),
        (
            "my secret",
            "is neither an ARN nor an SSM parameter name: it contains ` `",
        ),
        (
            "secretsmanager:db",
            "is neither an ARN nor an SSM parameter name: it contains `:`",
        ),
        (
            "arn:aws:ssm:us-east-1:123456789012",
            "is not a whole ARN: it needs `arn:<partition>:<service>:<region>:<account>:<resource>`",
        ),
        (
            "arn:gcp:ssm:us-east-1:123456789012:parameter/x",
            "has the partition `gcp`, not `aws` or `aws-…`",
        ),
        (
            "arn:aws:ssm::123456789012:parameter/x",
            "has the region ``, not one such as `us-east-1`",
        ),
        (
            "arn:aws:ssm:US-EAST-1:123456789012:parameter/x",
            "has the region `US-EAST-1`, not one such as `us-east-1`",
        ),
        (
            "arn:aws:ssm:us-east-1:12345678901a:parameter/x",
            "has the account id `12345678901a`, not 12 digits",
        ),
        (
            "arn:aws:s3:us-east-1:123456789012:bucket/x",
            "is an ARN of `s3`; ECS reads secrets only from `secretsmanager` or `ssm`",
        ),
        (
            "arn:aws:ssm:us-east-1:123456789012:parameter/",
            "does not name a parameter after `parameter/`",
        ),
        (
            "arn:aws:ssm:us-east-1:123456789012:secret:x",
            "does not name a parameter after `parameter/`",
        ),
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
            "does not name a secret after `secret:`",
        ),
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:parameter/x",
            "does not name a secret after `secret:`",
        ),
    ] {
        assert_eq!(value_from_problem(bad).as_deref(), Some(problem), "{bad}");
    }
}
