use clap::Parser;

use super::*;

fn parse(args: &[&str]) -> Result<Config, CliError> {
    let cli = Cli::try_parse_from(std::iter::once("ecs-appspec").chain(args.iter().copied()))
        .expect("clap accepts the arguments");
    Config::try_from(cli)
}

fn error(args: &[&str]) -> String {
    parse(args).unwrap_err().to_string()
}

fn render(args: &[&str]) -> Render {
    match parse(args).unwrap() {
        Config::Render(render) => *render,
        Config::Check(check) => panic!("not render: {check:?}"),
    }
}

#[test]
fn render_is_the_default_command_and_reads_every_flag() {
    let args = [
        "--container",
        "web",
        "--container-port",
        "8080",
        "--platform-version",
        "1.4.0",
        "--subnet",
        "subnet-0123abcd,subnet-4567cdef",
        "--security-group",
        "sg-0123abcd",
        "--assign-public-ip",
        "disabled",
        "--capacity-provider",
        "FARGATE_SPOT:3:1",
        "--capacity-provider",
        "FARGATE",
        "--after-allow-traffic",
        "CodeDeployHook_b",
        "--before-install",
        "CodeDeployHook_a",
        "--format",
        "json",
    ];
    let config = render(&args);
    assert_eq!(
        config,
        Render {
            task_definition: "<TASK_DEFINITION>".to_owned(),
            target: Target::Given {
                container: "web".to_owned(),
                port: 8080
            },
            platform_version: Some("1.4.0".to_owned()),
            network: Some(AwsvpcConfiguration {
                subnets: vec!["subnet-0123abcd".to_owned(), "subnet-4567cdef".to_owned()],
                security_groups: vec!["sg-0123abcd".to_owned()],
                assign_public_ip: AssignPublicIp::Disabled,
            }),
            capacity_providers: vec![
                CapacityProviderItem {
                    capacity_provider: "FARGATE_SPOT".to_owned(),
                    base: Some(1),
                    weight: Some(3),
                },
                CapacityProviderItem {
                    capacity_provider: "FARGATE".to_owned(),
                    base: None,
                    weight: Some(1),
                },
            ],
            capacity_provider_args: vec!["FARGATE_SPOT:3:1".to_owned(), "FARGATE".to_owned()],
            hooks: vec![
                (LifecycleEvent::BeforeInstall, "CodeDeployHook_a".to_owned()),
                (
                    LifecycleEvent::AfterAllowTraffic,
                    "CodeDeployHook_b".to_owned()
                ),
            ],
            format: Format::Json,
            output: PathBuf::from("appspec.json"),
        }
    );
    assert_eq!(render(&[&["render"], &args[..]].concat()), config);
}

#[test]
fn the_task_definition_may_give_the_container_and_port() {
    assert_eq!(
        render(&["--taskdef", "taskdef.json", "--container-port", "80"]).target,
        Target::TaskDefinition {
            path: PathBuf::from("taskdef.json"),
            container: None,
            port: Some(80),
        }
    );
    assert_eq!(
        error(&["--container", "web"]),
        "error: the load balancer's container and port are not given: `--container-port` missing\n\
         help: give --container NAME --container-port PORT, or --taskdef FILE to take them from \
         the task definition"
    );
    assert!(error(&[]).contains("`--container` and `--container-port` missing"));
}

#[test]
fn the_network_flags_go_together() {
    let base = ["--container", "web", "--container-port", "80"];
    assert_eq!(
        error(&[&base[..], &["--subnet", "subnet-0123abcd"]].concat()),
        "error: the network settings are incomplete: `--security-group` and `--assign-public-ip` \
         missing; CodeDeploy takes subnets, security groups and the public-IP choice all together \
         or none\nhelp: add the missing flags, or leave out all three to keep the service's \
         network settings"
    );
    assert_eq!(render(&base).network, None);
}

#[test]
fn capacity_providers_are_name_weight_base() {
    let base = ["--container", "web", "--container-port", "80"];
    for (arg, why) in [
        ("FARGATE:x", "the weight `x` is not a whole number from 0"),
        ("FARGATE:1:-1", "the base `-1` is not a whole number from 0"),
        ("A:1:2:3", "it has more than three parts"),
        (":1", "the name is empty"),
    ] {
        assert_eq!(
            error(&[&base[..], &["--capacity-provider", arg]].concat()),
            format!(
                "error: `--capacity-provider {arg}` is not `NAME[:WEIGHT[:BASE]]`: {why}\nhelp: \
                 write `--capacity-provider FARGATE_SPOT:3:1` for weight 3 and base 1, or \
                 `--capacity-provider FARGATE` for weight 1"
            )
        );
    }
}

#[test]
fn check_reads_its_files_and_format() {
    assert_eq!(
        parse(&[
            "check",
            "appspec.yaml",
            "--taskdef",
            "t.json",
            "--format",
            "sarif"
        ])
        .unwrap(),
        Config::Check(Check {
            files: vec![PathBuf::from("appspec.yaml")],
            taskdef: Some(PathBuf::from("t.json")),
            format: report::Format::Sarif,
            reports: vec![],
        })
    );
}
