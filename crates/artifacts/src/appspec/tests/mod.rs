mod arbitrary;
mod containers;
mod hooks;
mod mutations;
mod network;
mod properties;
mod structure;
mod versions;

use proptest::prelude::*;

use super::*;
use crate::finding::Finding;

/// A complete `AppSpec` that passes every rule: each test breaks one thing in it.
pub(super) const VALID: &str = "\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: 8080
        PlatformVersion: LATEST
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets: [subnet-0123abcd, subnet-4567cdef]
            SecurityGroups: [sg-0123abcd]
            AssignPublicIp: DISABLED
        CapacityProviderStrategy:
          - CapacityProvider: FARGATE_SPOT
            Base: 1
            Weight: 2
          - CapacityProvider: FARGATE
            Weight: 1
Hooks:
  - BeforeInstall: CodeDeployHook_before-install
  - AfterAllowTestTraffic: arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_smoke-test:live
";

/// AWS's ECS example (CD-EX), with its `LambdaFunctionToValidate…` hook names.
pub(super) const AWS_EXAMPLE: &str =
    include_str!("../../../../../tests/fixtures/appspec/codedeploy-example.yaml");
pub(super) const AWS_EXAMPLE_JSON: &str =
    include_str!("../../../../../tests/fixtures/appspec/codedeploy-example.json");

pub(super) fn findings(text: &str) -> Vec<Finding> {
    check(text.as_bytes(), None, None).findings
}

/// `(rule, location)` of every finding.
pub(super) fn rules(text: &str) -> Vec<(&'static str, Option<String>)> {
    findings(text)
        .into_iter()
        .map(|finding| (finding.rule, finding.shown_location()))
        .collect()
}

/// The one finding of `text`, which must have exactly one.
#[track_caller]
pub(super) fn only(text: &str) -> Finding {
    let mut found = findings(text);
    assert_eq!(found.len(), 1, "{found:#?}");
    found.remove(0)
}

/// `VALID` with `from` replaced by `to`, which must be there.
#[track_caller]
pub(super) fn valid_with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from:?} is not in VALID");
    VALID.replacen(from, to, 1)
}

#[allow(clippy::unnecessary_wraps)] // Compared with `Finding::location`.
pub(super) fn at(location: &str) -> Option<String> {
    Some(location.to_owned())
}

fn full() -> AppSpec {
    let mut spec = AppSpec::new("web", 8080);
    spec.platform_version = Some("LATEST".to_owned());
    spec.network = Some(AwsvpcConfiguration {
        subnets: vec!["subnet-0123abcd".to_owned(), "subnet-4567cdef".to_owned()],
        security_groups: vec!["sg-0123abcd".to_owned()],
        assign_public_ip: AssignPublicIp::Disabled,
    });
    spec.capacity_providers = vec![
        CapacityProviderItem {
            capacity_provider: "FARGATE_SPOT".to_owned(),
            base: Some(1),
            weight: Some(2),
        },
        CapacityProviderItem {
            capacity_provider: "FARGATE".to_owned(),
            base: None,
            weight: Some(1),
        },
    ];
    spec.set_hook(
        LifecycleEvent::AfterAllowTestTraffic,
        "arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_smoke-test:live",
    );
    spec.set_hook(
        LifecycleEvent::BeforeInstall,
        "CodeDeployHook_before-install",
    );
    spec
}

#[test]
fn the_valid_example_passes_and_reads_into_the_model() {
    let checked = check(VALID.as_bytes(), None, None);
    assert_eq!(checked.findings, []);
    assert_eq!(checked.value, Some(full()));
}

#[test]
fn renders_yaml_in_the_casing_and_order_of_the_examples() {
    let text = String::from_utf8(full().render(Format::Yaml)).unwrap();
    assert_eq!(
        text,
        "\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: web
          ContainerPort: 8080
        PlatformVersion: LATEST
        NetworkConfiguration:
          AwsvpcConfiguration:
            Subnets:
              - subnet-0123abcd
              - subnet-4567cdef
            SecurityGroups:
              - sg-0123abcd
            AssignPublicIp: DISABLED
        CapacityProviderStrategy:
          - CapacityProvider: FARGATE_SPOT
            Base: 1
            Weight: 2
          - CapacityProvider: FARGATE
            Weight: 1
Hooks:
  - BeforeInstall: CodeDeployHook_before-install
  - AfterAllowTestTraffic: arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_smoke-test:live
"
    );
}

#[test]
fn renders_json_with_the_number_0_0() {
    let text = String::from_utf8(AppSpec::new("web", 80).render(Format::Json)).unwrap();
    assert_eq!(
        text,
        r#"{
  "version": 0.0,
  "Resources": [
    {
      "TargetService": {
        "Type": "AWS::ECS::Service",
        "Properties": {
          "TaskDefinition": "<TASK_DEFINITION>",
          "LoadBalancerInfo": {
            "ContainerName": "web",
            "ContainerPort": 80
          }
        }
      }
    }
  ]
}
"#
    );
}

#[test]
fn minimal_yaml_has_no_optional_keys() {
    let text = String::from_utf8(AppSpec::new("web", 80).render(Format::Yaml)).unwrap();
    assert!(text.starts_with("version: 0.0\n"), "{text}");
    for absent in ["PlatformVersion", "Network", "Capacity", "Hooks"] {
        assert!(!text.contains(absent), "{absent} in {text}");
    }
}

#[test]
fn hooks_are_written_in_lifecycle_order_whatever_the_model_order() {
    let mut spec = AppSpec::new("web", 80);
    spec.hooks = vec![
        Hook {
            event: LifecycleEvent::AfterAllowTraffic,
            function: "CodeDeployHook_c".to_owned(),
        },
        Hook {
            event: LifecycleEvent::BeforeInstall,
            function: "CodeDeployHook_a".to_owned(),
        },
    ];
    let text = String::from_utf8(spec.render(Format::Yaml)).unwrap();
    assert!(
        text.ends_with(
            "Hooks:\n  - BeforeInstall: CodeDeployHook_a\n  - AfterAllowTraffic: CodeDeployHook_c\n"
        ),
        "{text}"
    );
    spec.set_hook(LifecycleEvent::AfterAllowTraffic, "CodeDeployHook_d");
    assert_eq!(spec.hooks.len(), 2, "set_hook replaces");
}

/// Values a YAML reader would take for something else are quoted; plain names are not.
#[test]
fn ambiguous_values_are_quoted() {
    let quoted = [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "N",
        "true",
        "False",
        "null",
        "~",
        "",
        "0.0",
        "1.10",
        "1e3",
        "0x1F",
        "012",
        "8080",
        ".inf",
        "2024-01-01",
        "1:20",
        "- web",
        "#web",
        "web #x",
        "@web",
        "*web",
        "&web",
        "!web",
        "%web",
        "`web",
        "'web",
        "\"web",
        "web: x",
        "[web]",
        "{web}",
    ];
    for value in quoted {
        let spec = AppSpec::new(value, 80);
        let text = String::from_utf8(spec.render(Format::Yaml)).unwrap();
        let line = text
            .lines()
            .find(|line| line.trim_start().starts_with("ContainerName:"))
            .unwrap();
        let written = line.trim_start().trim_start_matches("ContainerName: ");
        assert!(
            written.starts_with('"') || written.starts_with('\''),
            "{value:?} is written unquoted: {line}"
        );
        assert_eq!(
            check(text.as_bytes(), None, None)
                .value
                .map(|spec| spec.load_balancer.container_name),
            Some(value.to_owned()),
            "{text}"
        );
    }
    for plain in [
        "web",
        "log-router",
        "web_1",
        "<TASK_DEFINITION>",
        "FARGATE_SPOT",
        "AWS::ECS::Service",
    ] {
        let text = String::from_utf8(AppSpec::new(plain, 80).render(Format::Yaml)).unwrap();
        assert!(
            text.contains(&format!("ContainerName: {plain}\n")),
            "{text}"
        );
    }
}

#[test]
fn aws_examples_read_into_the_same_model() {
    let yaml = check(AWS_EXAMPLE.as_bytes(), None, None);
    let json = check(AWS_EXAMPLE_JSON.as_bytes(), Some("appspec.json"), None);
    assert!(yaml.findings.iter().all(|f| !f.is_error()), "{yaml:#?}");
    assert!(json.findings.iter().all(|f| !f.is_error()), "{json:#?}");
    let spec = yaml.value.unwrap();
    assert_eq!(Some(&spec), json.value.as_ref());
    assert_eq!(spec.load_balancer.container_name, "SampleApplicationName");
    assert_eq!(spec.capacity_providers[1].base, Some(0));
    assert_eq!(spec.hooks.len(), 5);
    // Rendered again, AWS's example reads back to itself.
    for format in [Format::Yaml, Format::Json] {
        assert_eq!(
            check(&spec.render(format), None, None).value.as_ref(),
            Some(&spec)
        );
    }
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9_:/<>.*-]{0,24}",
        any::<String>(),
        prop::sample::select(vec![
            "yes",
            "no",
            "on",
            "off",
            "null",
            "~",
            "0.0",
            "1.10",
            "0x10",
            "1e3",
            "- x",
            "#",
            ": ",
            "\t",
            "\n",
            "\u{85}",
            "\u{feff}x",
            "'",
            "\"",
            "\\",
        ])
        .prop_map(str::to_owned),
    ]
}

fn any_spec() -> impl Strategy<Value = AppSpec> {
    (
        (
            any_text(),
            any_text(),
            1..=u16::MAX,
            prop::option::of(any_text()),
        ),
        prop::option::of((
            prop::collection::vec(any_text(), 1..3),
            prop::collection::vec(any_text(), 1..3),
            any::<bool>(),
        )),
        prop::collection::vec(
            (
                any_text(),
                prop::option::of(0..=MAX_BASE),
                prop::option::of(0..=MAX_WEIGHT),
            ),
            0..3,
        ),
        prop::collection::vec((0..5_usize, any_text()), 0..5),
    )
        .prop_map(
            |((task, name, port, platform), network, providers, hooks)| {
                let mut spec = AppSpec::new(name, port);
                spec.task_definition = task;
                spec.platform_version = platform;
                spec.network =
                    network.map(|(subnets, security_groups, public)| AwsvpcConfiguration {
                        subnets,
                        security_groups,
                        assign_public_ip: if public {
                            AssignPublicIp::Enabled
                        } else {
                            AssignPublicIp::Disabled
                        },
                    });
                spec.capacity_providers = providers
                    .into_iter()
                    .map(|(capacity_provider, base, weight)| CapacityProviderItem {
                        capacity_provider,
                        base,
                        weight,
                    })
                    .collect();
                for (event, function) in hooks {
                    spec.set_hook(LifecycleEvent::ALL[event], function);
                }
                spec
            },
        )
}

proptest! {
    /// Whatever the strings hold, the emitted file reads back to the model it came from, and
    /// rendering is deterministic.
    #[test]
    fn rendered_files_read_back_to_the_same_model(spec in any_spec()) {
        for format in [Format::Yaml, Format::Json] {
            let bytes = spec.render(format);
            prop_assert_eq!(&bytes, &spec.render(format));
            let checked = check(&bytes, None, None);
            let text = String::from_utf8_lossy(&bytes);
            prop_assert_eq!(checked.value.as_ref(), Some(&spec), "{}\n{:#?}", text, checked.findings);
        }
    }
}
