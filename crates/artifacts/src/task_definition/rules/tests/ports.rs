use serde_json::{Value, json};

use super::{only, rules, run, set, web_and_sidecar};

/// The fixture with the web container's port mappings replaced, under `mode`, on EC2.
fn mapped(mode: &str, mappings: Value) -> Value {
    let mut document = web_and_sidecar();
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    set(&mut document, "/networkMode", json!(mode));
    set(
        &mut document,
        "/containerDefinitions/0/portMappings",
        mappings,
    );
    set(
        &mut document,
        "/containerDefinitions/1/portMappings",
        json!([]),
    );
    document
}

const WEB: &str = "$.containerDefinitions[0].portMappings";

#[test]
fn host_port_with_awsvpc_and_host() {
    for mode in ["awsvpc", "host"] {
        for mapping in [
            json!({"containerPort": 80}),
            json!({"containerPort": 80, "hostPort": 80}),
            json!({"containerPort": 80, "hostPort": 0}),
        ] {
            assert_eq!(run(&mapped(mode, json!([mapping]))), [], "{mode} {mapping}");
        }
        let finding = only(
            run(&mapped(
                mode,
                json!([{"containerPort": 80, "hostPort": 8080}]),
            )),
            "host-port",
            &format!("{WEB}[0].hostPort"),
        );
        assert_eq!(
            finding.message,
            format!(
                "container `web` maps `hostPort` 8080 to `containerPort` 80; with the `{mode}` \
                 network mode the host port must be left out or equal the container port"
            )
        );
        assert_eq!(
            finding.help.as_deref(),
            Some("remove `hostPort`, or set it to 80")
        );
    }
    assert_eq!(
        run(&mapped(
            "bridge",
            json!([{"containerPort": 80, "hostPort": 8080}])
        )),
        []
    );
    assert_eq!(
        run(&mapped(
            "bridge",
            json!([{"containerPort": 80, "hostPort": 0}])
        )),
        []
    );
}

#[test]
fn no_mappings_without_a_network() {
    let finding = only(
        run(&mapped("none", json!([{"containerPort": 80}]))),
        "network-mode-none",
        WEB,
    );
    assert_eq!(
        finding.message,
        "container `web` has port mappings, but with `networkMode` `none` the task has no network"
    );
    assert_eq!(run(&mapped("none", json!([]))), []);
}

#[test]
fn port_numbers() {
    for (mapping, field, message) in [
        (
            json!({"containerPort": 0}),
            "containerPort",
            "container `web` maps `containerPort` 0; ports are 1 to 65535",
        ),
        (
            json!({"containerPort": 65536}),
            "containerPort",
            "container `web` maps `containerPort` 65536; ports are 1 to 65535",
        ),
        (
            json!({"containerPort": 80, "hostPort": 70000}),
            "hostPort",
            "container `web` maps `hostPort` 70000; ports are 1 to 65535, or 0 for a dynamic port",
        ),
        (
            json!({"containerPort": 80, "hostPort": -1}),
            "hostPort",
            "container `web` maps `hostPort` -1; ports are 1 to 65535, or 0 for a dynamic port",
        ),
    ] {
        let finding = only(
            run(&mapped("bridge", json!([mapping]))),
            "invalid-port",
            &format!("{WEB}[0].{field}"),
        );
        assert_eq!(finding.message, message);
    }
    assert_eq!(
        run(&mapped(
            "bridge",
            json!([{"containerPort": 65535, "hostPort": 65535}])
        )),
        []
    );
    assert_eq!(run(&mapped("bridge", json!([{"containerPort": 1}]))), []);
}

#[test]
fn a_mapping_needs_a_container_port() {
    let finding = only(
        run(&mapped(
            "awsvpc",
            json!([{"protocol": "tcp", "name": "http"}]),
        )),
        "missing-container-port",
        &format!("{WEB}[0]"),
    );
    assert_eq!(
        finding.message,
        "container `web`'s port mapping 0 has neither `containerPort` nor `containerPortRange`"
    );
}

#[test]
fn port_ranges() {
    for range in ["8000-8099", "1-65535", "1-2"] {
        let mapping = json!([{"containerPortRange": range}]);
        assert_eq!(run(&mapped("awsvpc", mapping.clone())), [], "{range}");
        assert_eq!(run(&mapped("bridge", mapping)), [], "{range}");
    }
    for (range, problem) in [
        ("8099-8000", "the first port must be less than the last"),
        ("8000-8000", "the first port must be less than the last"),
        ("0-10", "ports are 1 to 65535"),
        ("1-65536", "ports are 1 to 65535"),
        ("8000", "it is not two ports joined by `-`"),
        ("a-b", "it is not two ports joined by `-`"),
        ("8000-", "it is not two ports joined by `-`"),
        ("-8000", "it is not two ports joined by `-`"),
        ("1000000-1000001", "it is not two ports joined by `-`"),
    ] {
        let finding = only(
            run(&mapped("awsvpc", json!([{"containerPortRange": range}]))),
            "port-range",
            &format!("{WEB}[0].containerPortRange"),
        );
        assert_eq!(
            finding.message,
            format!("container `web` has `containerPortRange` `{range}`: {problem}"),
        );
    }
    let finding = only(
        run(&mapped(
            "host",
            json!([{"containerPortRange": "8000-8099"}]),
        )),
        "port-range",
        &format!("{WEB}[0].containerPortRange"),
    );
    assert!(
        finding
            .message
            .ends_with("port ranges need the `bridge` or `awsvpc` network mode, not `host`")
    );
}

#[test]
fn at_most_100_ranges() {
    let ranges = |count: u16| {
        (0..count)
            .map(|index| json!({"containerPortRange": format!("{}-{}", 10_000 + index * 10, 10_005 + index * 10)}))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(&mapped("awsvpc", json!(ranges(100)))), []);
    let finding = only(
        run(&mapped("awsvpc", json!(ranges(101)))),
        "port-range",
        WEB,
    );
    assert_eq!(
        finding.message,
        "container `web` has 101 `containerPortRange`s; ECS allows at most 100"
    );
}

#[test]
fn a_port_in_one_mapping_per_protocol() {
    let finding = only(
        run(&mapped(
            "awsvpc",
            json!([{"containerPort": 8080}, {"containerPort": 9090}, {"containerPort": 8080, "protocol": "tcp"}]),
        )),
        "duplicate-port",
        &format!("{WEB}[2].containerPort"),
    );
    assert_eq!(
        finding.message,
        "container `web` maps port 8080/tcp in both port mapping 0 and 2"
    );
    assert_eq!(
        run(&mapped(
            "awsvpc",
            json!([{"containerPort": 53}, {"containerPort": 53, "protocol": "udp"}])
        )),
        []
    );
    let finding = only(
        run(&mapped(
            "awsvpc",
            json!([{"containerPort": 8050}, {"containerPortRange": "8000-8100"}]),
        )),
        "duplicate-port",
        &format!("{WEB}[1].containerPortRange"),
    );
    assert_eq!(
        finding.message,
        "container `web` maps port 8050/tcp in both port mapping 0 and 1"
    );
    let finding = only(
        run(&mapped(
            "awsvpc",
            json!([{"containerPortRange": "8100-8200"}, {"containerPortRange": "8000-8100"}]),
        )),
        "duplicate-port",
        &format!("{WEB}[1].containerPortRange"),
    );
    assert_eq!(
        finding.message,
        "container `web` maps port 8100/tcp in both port mapping 0 and 1"
    );
    // A wide range still overlaps the ones after a narrow one inside it.
    let findings = run(&mapped(
        "awsvpc",
        json!([{"containerPortRange": "8000-9000"}, {"containerPortRange": "8100-8200"}, {"containerPortRange": "8500-8600"}]),
    ));
    assert_eq!(
        rules(&findings),
        [
            ("duplicate-port", format!("{WEB}[1].containerPortRange")),
            ("duplicate-port", format!("{WEB}[2].containerPortRange")),
        ]
    );
    assert_eq!(
        run(&mapped(
            "awsvpc",
            json!([{"containerPortRange": "8000-8099"}, {"containerPortRange": "8100-8199"}])
        )),
        []
    );
    // Different containers may use the same port on bridge.
    let mut document = mapped("bridge", json!([{"containerPort": 80}]));
    set(
        &mut document,
        "/containerDefinitions/1/portMappings",
        json!([{"containerPort": 80}]),
    );
    assert_eq!(run(&document), []);
}

#[test]
fn port_mapping_names() {
    for name in ["http", "web_8080-a", "0", &"a".repeat(64)] {
        assert_eq!(
            run(&mapped(
                "awsvpc",
                json!([{"containerPort": 80, "name": name}])
            )),
            [],
            "{name}"
        );
    }
    for (name, problem) in [
        ("HTTP", "contains `H`"),
        ("web.http", "contains `.`"),
        ("-web", "starts with `-`"),
        ("", "is empty"),
        (&"a".repeat(65), "is 65 characters long; ECS allows 64"),
    ] {
        let finding = only(
            run(&mapped(
                "awsvpc",
                json!([{"containerPort": 80, "name": name}]),
            )),
            "port-mapping-name",
            &format!("{WEB}[0].name"),
        );
        assert_eq!(
            finding.message,
            format!(
                "container `web`'s port mapping name `{name}` {problem}; names are up to 64 \
                 lowercase letters, digits, `_` or `-`, not starting with `-`"
            )
        );
    }
}

#[test]
fn port_mapping_names_are_unique_in_the_task() {
    let mut document = mapped("awsvpc", json!([{"containerPort": 80, "name": "http"}]));
    set(
        &mut document,
        "/containerDefinitions/1/portMappings",
        json!([{"containerPort": 2020, "name": "http"}]),
    );
    let finding = only(
        run(&document),
        "duplicate-port-name",
        "$.containerDefinitions[1].portMappings[0].name",
    );
    assert_eq!(
        finding.message,
        "port mapping name `http` is used by container `web` and again by container `log-router`"
    );
}

#[test]
fn reserved_host_ports_are_a_warning_on_ec2() {
    // Next to a reserved port, a dynamic port, and `awsvpc`'s own network interface pass.
    for (mode, mapping) in [
        ("bridge", json!({"containerPort": 22, "hostPort": 23})),
        ("bridge", json!({"containerPort": 22, "hostPort": 0})),
        ("bridge", json!({"containerPort": 8080, "hostPort": 51681})),
        ("host", json!({"containerPort": 2377})),
        ("awsvpc", json!({"containerPort": 22})),
    ] {
        assert_eq!(run(&mapped(mode, json!([mapping]))), [], "{mode} {mapping}");
    }
    for (mode, mapping, field, port) in [
        (
            "bridge",
            json!({"containerPort": 80, "hostPort": 22}),
            "hostPort",
            22,
        ),
        (
            "host",
            json!({"containerPort": 51678}),
            "containerPort",
            51678,
        ),
        (
            "host",
            json!({"containerPort": 2375, "hostPort": 2375}),
            "hostPort",
            2375,
        ),
    ] {
        let finding = only(
            run(&mapped(mode, json!([mapping]))),
            "reserved-host-port",
            &format!("{WEB}[0].{field}"),
        );
        assert_eq!(finding.severity, crate::finding::Severity::Warning);
        assert_eq!(
            finding.message,
            format!(
                "container `web` binds host port {port}, which the ECS agent reserves on container instances by default"
            )
        );
    }
}
