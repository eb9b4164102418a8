//! Container credential specs, Docker security options and GPU counts.

use serde_json::json;

use super::ec2_with;
use crate::finding::Severity;
use crate::task_definition::rules::tests::{only, run};

const SSM_SPEC: &str = "credentialspecdomainless:arn:aws:ssm:eu-west-1:123456789012:parameter/gmsa";
const S3_SPEC: &str = "credentialspec:arn:aws:s3:::bucket/gmsa.json";

#[test]
fn one_credential_spec() {
    for spec in [SSM_SPEC, S3_SPEC] {
        let document = ec2_with("/containerDefinitions/0/credentialSpecs", json!([spec]));
        assert_eq!(run(&document), []);
    }
    let finding = only(
        run(&ec2_with(
            "/containerDefinitions/0/credentialSpecs",
            json!([SSM_SPEC, S3_SPEC]),
        )),
        "credential-spec-count",
        "$.containerDefinitions[0].credentialSpecs",
    );
    assert_eq!(
        finding.message,
        "container `app` lists 2 `credentialSpecs`; ECS allows one"
    );
}

#[test]
fn credential_specs_are_a_prefix_and_an_ssm_or_s3_arn() {
    for (spec, problem) in [
        (
            "arn:aws:s3:::bucket/gmsa.json",
            "does not start with `credentialspec:` or `credentialspecdomainless:`",
        ),
        (
            "credentialspec:arn:aws:secretsmanager:eu-west-1:123456789012:secret:gmsa",
            "does not name the ARN of an SSM parameter or an S3 object after its prefix",
        ),
        (
            "credentialspec:/gmsa",
            "does not name the ARN of an SSM parameter or an S3 object after its prefix",
        ),
    ] {
        let finding = only(
            run(&ec2_with(
                "/containerDefinitions/0/credentialSpecs",
                json!([spec]),
            )),
            "credential-spec-format",
            "$.containerDefinitions[0].credentialSpecs[0]",
        );
        assert_eq!(
            finding.message,
            format!("container `app` has the credential spec `{spec}`, which {problem}")
        );
    }
}

#[test]
fn security_options_are_the_four_ecs_passes() {
    let options = json!([
        "no-new-privileges",
        "apparmor:docker-default",
        "label:type:container_t",
        "label=disable",
        "credentialspec:file://gmsa.json"
    ]);
    let document = ec2_with("/containerDefinitions/0/dockerSecurityOptions", options);
    assert_eq!(run(&document), []);
    for option in ["seccomp:unconfined", "label:"] {
        let finding = only(
            run(&ec2_with(
                "/containerDefinitions/0/dockerSecurityOptions",
                json!(["no-new-privileges", option]),
            )),
            "docker-security-option",
            "$.containerDefinitions[0].dockerSecurityOptions[1]",
        );
        assert_eq!(finding.severity, Severity::Warning);
        assert_eq!(
            finding.message,
            format!(
                "container `app` has the security option `{option}`, which ECS does not pass to \
                 Docker; it takes `no-new-privileges`, `apparmor:`, `label:` and `credentialspec:`"
            )
        );
    }
}

#[test]
fn gpu_counts_are_whole_numbers() {
    let gpus = |value: &str| json!([{"type": "GPU", "value": value}]);
    for value in ["1", "8"] {
        let document = ec2_with("/containerDefinitions/0/resourceRequirements", gpus(value));
        assert_eq!(run(&document), []);
    }
    for value in ["0", "0.5", "one"] {
        let finding = only(
            run(&ec2_with(
                "/containerDefinitions/0/resourceRequirements",
                gpus(value),
            )),
            "gpu-count",
            "$.containerDefinitions[0].resourceRequirements[0].value",
        );
        assert_eq!(
            finding.message,
            format!(
                "container `app` asks for `{value}` GPUs; the value is a whole number of GPUs, 1 or more"
            )
        );
    }
}

#[test]
fn registry_credentials_name_a_secrets_manager_secret() {
    use crate::task_definition::rules::tests::with;
    let pointer = "/containerDefinitions/0/repositoryCredentials";
    let longest = "s".repeat(512);
    for parameter in [
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/docker-hub-AbCdEf",
        "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:hub",
        "registry/docker-hub",
        "team_a+hub=1.x@corp-b",
        longest.as_str(),
        "${REGISTRY_SECRET}",
    ] {
        let document = with(pointer, json!({"credentialsParameter": parameter}));
        assert_eq!(run(&document), [], "{parameter}");
    }
    let at = "$.containerDefinitions[0].repositoryCredentials.credentialsParameter";
    for (parameter, problem) in [
        (
            "arn:aws:ssm:eu-west-1:123456789012:parameter/registry",
            "is an ARN of `ssm`, not of a Secrets Manager secret",
        ),
        (
            "arn:aws:secretsmanager:eu-west-1:1234:secret:hub",
            "has the account id `1234`, not 12 digits",
        ),
        ("registry hub", "is neither a secret ARN nor a secret name"),
        (
            &"s".repeat(513),
            "is neither a secret ARN nor a secret name",
        ),
    ] {
        let document = with(pointer, json!({"credentialsParameter": parameter}));
        let finding = only(run(&document), "repository-credentials", at);
        assert_eq!(
            finding.message,
            format!(
                "container `web`'s `repositoryCredentials.credentialsParameter` `{}` {problem}",
                crate::suggest::shown(parameter)
            )
        );
    }
}
