//! The network-mode rules of `platform/mod.rs`: `hostname` with `awsvpc`, and `links` and
//! `extraHosts` on Linux tasks outside Fargate.

use serde_json::{Value, json};

use super::super::{only, remove, run, set, web_and_sidecar, with};

#[test]
fn awsvpc_has_no_hostname() {
    let document = with("/containerDefinitions/0/hostname", json!("web-1"));
    let finding = only(
        run(&document),
        "awsvpc-hostname",
        "$.containerDefinitions[0].hostname",
    );
    assert_eq!(
        finding.message,
        "container `web` sets `hostname` `web-1`, which the `awsvpc` network mode does not support"
    );
    // With `bridge` on EC2, a host name is fine.
    let mut document = document;
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    set(&mut document, "/networkMode", json!("bridge"));
    let rules: Vec<&str> = run(&document).iter().map(|finding| finding.rule).collect();
    assert!(!rules.contains(&"awsvpc-hostname"), "{rules:?}");
}

/// The fixture as a Linux task on EC2 with the given network mode (`None`: left out).
fn on_ec2(network_mode: Option<&str>) -> Value {
    let mut document = web_and_sidecar();
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    match network_mode {
        Some(mode) => set(&mut document, "/networkMode", json!(mode)),
        None => remove(&mut document, "/networkMode"),
    }
    document
}

#[test]
fn links_need_the_bridge_network_mode() {
    for mode in [None, Some("bridge")] {
        let mut document = on_ec2(mode);
        set(
            &mut document,
            "/containerDefinitions/0/links",
            json!(["log-router:logs"]),
        );
        let rules: Vec<&str> = run(&document).iter().map(|finding| finding.rule).collect();
        assert!(!rules.contains(&"links-network-mode"), "{rules:?}");
    }
    let mut document = on_ec2(Some("host"));
    set(
        &mut document,
        "/containerDefinitions/0/links",
        json!(["log-router:logs"]),
    );
    let findings: Vec<_> = run(&document)
        .into_iter()
        .filter(|finding| finding.rule == "links-network-mode")
        .collect();
    let finding = only(
        findings,
        "links-network-mode",
        "$.containerDefinitions[0].links",
    );
    assert_eq!(
        finding.message,
        "container `web` sets `links`, which only the `bridge` network mode supports, not `host`"
    );
}

#[test]
fn awsvpc_has_no_extra_hosts() {
    let hosts = json!([{"hostname": "db", "ipAddress": "10.0.0.9"}]);
    let mut document = on_ec2(Some("bridge"));
    set(
        &mut document,
        "/containerDefinitions/0/extraHosts",
        hosts.clone(),
    );
    assert_eq!(run(&document), []);
    let mut document = on_ec2(Some("awsvpc"));
    set(&mut document, "/containerDefinitions/0/extraHosts", hosts);
    let finding = only(
        run(&document),
        "awsvpc-extra-hosts",
        "$.containerDefinitions[0].extraHosts",
    );
    assert_eq!(
        finding.message,
        "container `web` sets `extraHosts`, which the `awsvpc` network mode does not support"
    );
}
