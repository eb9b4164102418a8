//! Containers and ports from a task definition, and inferring the load-balanced one.

use serde_json::json;

use super::*;

fn task(containers: &serde_json::Value) -> TaskContainers {
    TaskContainers::from_task_definition(
        &json!({"family": "web-service", "containerDefinitions": containers}),
    )
}

#[test]
fn reads_container_ports_in_order_without_repeats() {
    let containers = task(&json!([
        {"name": "web", "portMappings": [
            {"containerPort": 8080}, {"containerPort": 8443, "protocol": "tcp"},
            {"containerPort": 8080, "protocol": "udp"}, {"containerPortRange": "9000-9009"}
        ]},
        {"name": "log-router"},
        {"image": "no-name:1"},
        {"name": "odd", "portMappings": [{"containerPort": "80"}, {"containerPort": 70000}]}
    ]));
    assert_eq!(containers.family.as_deref(), Some("web-service"));
    assert_eq!(
        containers.containers,
        [
            ContainerPorts {
                name: "web".to_owned(),
                ports: vec![8080, 8443]
            },
            ContainerPorts {
                name: "log-router".to_owned(),
                ports: vec![]
            },
            ContainerPorts {
                name: "odd".to_owned(),
                ports: vec![]
            },
        ]
    );
    assert_eq!(
        containers.describe(),
        "`web` (8080, 8443), `log-router` (no ports), `odd` (no ports)"
    );
    assert_eq!(
        TaskContainers::from_task_definition(&json!({})).describe(),
        "no containers"
    );
}

#[test]
fn infers_the_only_container_with_one_port() {
    let one = task(&json!([
        {"name": "web", "portMappings": [{"containerPort": 8080}]},
        {"name": "log-router"}
    ]));
    assert_eq!(one.infer(None, None), Ok(("web".to_owned(), 8080)));
    assert_eq!(one.infer(Some("web"), None), Ok(("web".to_owned(), 8080)));
    assert_eq!(one.infer(None, Some(8080)), Ok(("web".to_owned(), 8080)));
    assert_eq!(
        one.infer(Some("x"), Some(1)),
        Ok(("x".to_owned(), 1)),
        "given ones are checked later"
    );
    let error = one.infer(Some("api"), None).unwrap_err();
    assert_eq!(error.rule, "unknown-container");
    let error = one.infer(Some("log-router"), None).unwrap_err();
    assert_eq!(error.rule, "unknown-port");
    let error = one.infer(None, Some(80)).unwrap_err();
    assert_eq!(
        error.message,
        "no container exposes port 80; the task definition has `web` (8080), `log-router` (no ports)"
    );
}

#[test]
fn refuses_to_guess_between_several() {
    let two_ports = task(
        &json!([{"name": "web", "portMappings": [{"containerPort": 8080}, {"containerPort": 9090}]}]),
    );
    let error = two_ports.infer(None, None).unwrap_err();
    assert_eq!(error.rule, "load-balancer-info");
    assert_eq!(
        error.message,
        "cannot tell which container and port the load balancer routes to; the task definition has `web` (8080, 9090)"
    );
    assert_eq!(
        error.help.as_deref(),
        Some("name them: --container NAME --container-port PORT")
    );
    assert_eq!(
        two_ports
            .infer(Some("web"), None)
            .unwrap_err()
            .help
            .as_deref(),
        Some("add --container-port, one of 8080, 9090")
    );
    assert_eq!(
        two_ports.infer(None, Some(9090)),
        Ok(("web".to_owned(), 9090))
    );
    let two_containers = task(&json!([
        {"name": "web", "portMappings": [{"containerPort": 80}]},
        {"name": "admin", "portMappings": [{"containerPort": 80}]}
    ]));
    assert!(two_containers.infer(None, None).is_err());
    assert_eq!(
        two_containers.infer(None, Some(80)).unwrap_err().message,
        "`web`, `admin` all expose port 80"
    );
    let none = task(&json!([{"name": "worker"}]));
    assert!(
        none.infer(None, None)
            .unwrap_err()
            .message
            .starts_with("no container of the task definition has a `containerPort`")
    );
}

#[test]
fn checks_a_given_pair() {
    let containers = task(&json!([{"name": "web", "portMappings": [{"containerPort": 8080}]}]));
    assert_eq!(containers.check("web", 8080), None);
    assert_eq!(containers.check("web", 80).unwrap().rule, "unknown-port");
    assert_eq!(
        containers.check("api", 8080).unwrap().rule,
        "unknown-container"
    );
}

#[test]
fn the_cli_defaults_build_what_codepipeline_expects() {
    let spec = AppSpec::new("web", 8080);
    assert_eq!(spec.task_definition, TASK_DEFINITION_PLACEHOLDER);
    assert_eq!(
        AssignPublicIp::parse("ENABLED"),
        Some(AssignPublicIp::Enabled)
    );
    assert_eq!(AssignPublicIp::parse("enabled"), None);
    assert_eq!(AssignPublicIp::Disabled.to_string(), "DISABLED");
    assert_eq!(
        LifecycleEvent::from_name("AfterAllowTestTraffic"),
        Some(LifecycleEvent::AfterAllowTestTraffic)
    );
    assert_eq!(LifecycleEvent::from_name("afterallowtesttraffic"), None);
    assert_eq!(
        LifecycleEvent::BeforeAllowTraffic.to_string(),
        "BeforeAllowTraffic"
    );
}
