//! The numeric and length limits of `docs/ecs-rules.md`, as the property of `boundaries.rs`
//! reads them: the rule, the place its finding names, each side's limit and step, the platforms
//! the limit applies to, and how to set the member.

use serde_json::json;

use super::container_limits::container_boundaries;
use super::limit::{
    Boundary, all, app, boundary, fargate, linux_fargate, list, not_fargate, side, text,
};
use super::platforms::container;

/// The Fargate sizes: cpu, first and last memory (MiB) and the step between them; a step of 0
/// marks a list, where only the first and the last are walked.
const FARGATE: [(i64, i64, i64, i64); 8] = [
    (256, 512, 2048, 0),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122_880, 8192),
    (32768, 61440, 249_856, 0),
];

fn fargate_sizes() -> impl Iterator<Item = Boundary> {
    FARGATE.iter().map(|&(cpu, first, last, step)| {
        let (outward, inward) = if step == 0 { (1, 0) } else { (step, 3) };
        Boundary {
            rule: "fargate-cpu-memory",
            at: "$.memory",
            sides: vec![side(first, -outward, inward), side(last, outward, inward)],
            floor: 1,
            // Windows on Fargate: 1, 2 or 4 vCPU (`windows-fargate-cpu`).
            applies: if (1024..=4096).contains(&cpu) {
                fargate
            } else {
                linux_fargate
            },
            set: Box::new(move |document, _, memory| {
                document["cpu"] = json!(cpu.to_string());
                document["memory"] = json!(memory.to_string());
            }),
        }
    })
}

/// Every limit of the table that a number or a length sets: the task's here, the containers'
/// in `container_limits.rs`.
pub(super) fn boundaries() -> Vec<Boundary> {
    let mut all_limits = vec![
        boundary(
            "family-name",
            "$.family",
            (Some(1), Some(255)),
            all,
            |d, _, n| {
                d["family"] = text(n, "f");
            },
        ),
        boundary(
            "container-count",
            "$.containerDefinitions",
            (Some(1), Some(10)),
            all,
            |d, p, n| {
                let first = d["containerDefinitions"][0].clone();
                d["containerDefinitions"] = list(n, |i| {
                    if i == 0 {
                        first.clone()
                    } else {
                        container(&format!("side-{i}"), p)
                    }
                });
            },
        ),
        boundary("too-large", "$", (None, Some(65536)), all, |d, _, n| {
            app(d)["environment"] = json!([{"name": "PADDING", "value": ""}]);
            let size = i64::try_from(serde_json::to_vec(d).expect("JSON").len()).expect("a size");
            app(d)["environment"][0]["value"] = text(n - size, "x");
        }),
        boundary(
            "task-cpu",
            "$.cpu",
            (Some(128), Some(196_608)),
            not_fargate,
            |d, _, n| {
                d["cpu"] = json!(n.to_string());
            },
        ),
        boundary(
            "ephemeral-storage",
            "$.ephemeralStorage.sizeInGiB",
            (Some(21), Some(200)),
            fargate,
            |d, _, n| {
                d["ephemeralStorage"] = json!({"sizeInGiB": n});
            },
        ),
        boundary(
            "placement-constraint-count",
            "$.placementConstraints",
            (None, Some(10)),
            not_fargate,
            |d, _, n| {
                d["placementConstraints"] = list(
                    n,
                    |i| json!({"type": "memberOf", "expression": format!("attribute:rack == r{i}")}),
                );
            },
        ),
        boundary(
            "out-of-range",
            "$.tags",
            (None, Some(50)),
            all,
            |d, _, n| {
                d["tags"] = list(n, |i| json!({"key": format!("k{i}"), "value": "v"}));
            },
        ),
        boundary(
            "out-of-range",
            "$.tags[0].key",
            (Some(1), Some(128)),
            all,
            |d, _, n| {
                d["tags"] = json!([{"key": text(n, "k"), "value": "v"}]);
            },
        ),
        boundary(
            "out-of-range",
            "$.tags[0].value",
            (None, Some(256)),
            all,
            |d, _, n| {
                d["tags"] = json!([{"key": "team", "value": text(n, "v")}]);
            },
        ),
        boundary(
            "proxy-configuration-value",
            "$.proxyConfiguration.properties[2].value",
            (Some(1), Some(65535)),
            |p| !p.windows && p.network == Some("awsvpc"),
            |d, _, n| {
                let property = |name: &str, value: String| json!({"name": name, "value": value});
                d["proxyConfiguration"] = json!({"type": "APPMESH", "containerName": "app", "properties": [
                    property("IgnoredUID", "1337".to_owned()),
                    property("AppPorts", "8080".to_owned()),
                    property("ProxyIngressPort", n.to_string()),
                    property("ProxyEgressPort", "15001".to_owned()),
                ]});
            },
        ),
        boundary(
            "role-arn",
            "$.taskRoleArn",
            (Some(1), Some(64)),
            all,
            |d, _, n| {
                d["taskRoleArn"] = json!(format!(
                    "arn:aws:iam::123456789012:role/{}",
                    "r".repeat(usize::try_from(n).expect("a length"))
                ));
            },
        ),
        boundary(
            "volume-name",
            "$.volumes[0].name",
            (None, Some(255)),
            all,
            |d, _, n| {
                d["volumes"] = json!([{"name": text(n, "v")}]);
            },
        ),
    ];
    all_limits.extend(fargate_sizes());
    all_limits.extend(container_boundaries());
    all_limits
}
