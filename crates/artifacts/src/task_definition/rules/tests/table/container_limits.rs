//! The limits of `docs/ecs-rules.md` on members of a container, for `boundaries.rs`.

use serde_json::json;

use super::limit::{Boundary, all, app, boundary, fargate, list, not_fargate, text};
use super::platforms::{Platform, container};
use crate::task_definition::rules::tests::ECR;

/// A health check with one timing set.
fn health_check(
    rule: &'static str,
    at: &'static str,
    key: &'static str,
    range: (i64, i64),
) -> Boundary {
    let mut boundary = boundary(
        rule,
        at,
        (Some(range.0), Some(range.1)),
        all,
        move |d, _, n| {
            app(d)["healthCheck"] = json!({"command": ["CMD-SHELL", "exit 0"], key: n});
        },
    );
    boundary.floor = i64::MIN;
    boundary
}

/// The limits on the first container's members.
pub(super) fn container_boundaries() -> Vec<Boundary> {
    let mut limits = vec![
        boundary(
            "container-name",
            "$.containerDefinitions[0].name",
            (Some(1), Some(255)),
            all,
            |d, _, n| {
                app(d)["name"] = text(n, "c");
            },
        ),
        boundary(
            "invalid-port",
            "$.containerDefinitions[0].portMappings[0].containerPort",
            (Some(1), Some(65535)),
            Platform::ports,
            |d, _, n| {
                app(d)["portMappings"] = json!([{"containerPort": n}]);
            },
        ),
        boundary(
            "invalid-port",
            "$.containerDefinitions[0].portMappings[0].hostPort",
            (Some(0), Some(65535)),
            Platform::bridge,
            |d, _, n| {
                app(d)["portMappings"] = json!([{"containerPort": 80, "hostPort": n}]);
            },
        ),
        boundary(
            "port-range",
            "$.containerDefinitions[0].portMappings",
            (None, Some(100)),
            |p| p.bridge() || p.network == Some("awsvpc"),
            |d, _, n| {
                app(d)["portMappings"] = list(
                    n,
                    |i| json!({"containerPortRange": format!("{}-{}", 10000 + 2 * i, 10001 + 2 * i)}),
                );
            },
        ),
        boundary(
            "port-mapping-name",
            "$.containerDefinitions[0].portMappings[0].name",
            (None, Some(64)),
            Platform::ports,
            |d, _, n| {
                app(d)["portMappings"] = json!([{"containerPort": 8080, "name": text(n, "p")}]);
            },
        ),
        boundary(
            "container-memory",
            "$.containerDefinitions[0].memory",
            (Some(6), None),
            all,
            |d, _, n| {
                app(d)["memory"] = json!(n);
            },
        ),
        boundary(
            "container-sum",
            "$.containerDefinitions[0].memory",
            (None, Some(2048)),
            fargate,
            |d, _, n| {
                app(d)["memory"] = json!(n);
            },
        ),
        boundary(
            "container-sum",
            "$.containerDefinitions[0].cpu",
            (None, Some(1024)),
            fargate,
            |d, _, n| {
                app(d)["cpu"] = json!(n);
            },
        ),
        boundary(
            "ecs-image-limit",
            "$.containerDefinitions[0].image",
            (None, Some(255)),
            all,
            |d, _, n| {
                let repository = usize::try_from(n).expect("a length") - "/:1.0.0".len();
                let repository = "r".repeat(repository - ECR.len());
                app(d)["image"] = json!(format!("{}/{repository}:1.0.0", ECR));
            },
        ),
        health_check(
            "health-check-interval",
            "$.containerDefinitions[0].healthCheck.interval",
            "interval",
            (5, 300),
        ),
        health_check(
            "health-check-timeout",
            "$.containerDefinitions[0].healthCheck.timeout",
            "timeout",
            (2, 60),
        ),
        health_check(
            "health-check-retries",
            "$.containerDefinitions[0].healthCheck.retries",
            "retries",
            (1, 10),
        ),
        health_check(
            "health-check-start-period",
            "$.containerDefinitions[0].healthCheck.startPeriod",
            "startPeriod",
            (0, 300),
        ),
        boundary(
            "stop-timeout",
            "$.containerDefinitions[0].stopTimeout",
            (None, Some(120)),
            fargate,
            |d, _, n| {
                app(d)["stopTimeout"] = json!(n);
            },
        ),
        boundary(
            "start-timeout",
            "$.containerDefinitions[0].startTimeout",
            (Some(2), Some(120)),
            fargate,
            |d, _, n| {
                app(d)["startTimeout"] = json!(n);
            },
        ),
        boundary(
            "restart-attempt-period",
            "$.containerDefinitions[0].restartPolicy.restartAttemptPeriod",
            (Some(60), Some(1800)),
            all,
            |d, _, n| {
                app(d)["restartPolicy"] = json!({"enabled": true, "restartAttemptPeriod": n});
            },
        ),
        boundary(
            "ignored-exit-codes",
            "$.containerDefinitions[0].restartPolicy.ignoredExitCodes",
            (None, Some(50)),
            all,
            |d, _, n| {
                app(d)["restartPolicy"] =
                    json!({"enabled": true, "ignoredExitCodes": list(n, |i| json!(i))});
            },
        ),
        boundary(
            "max-swap",
            "$.containerDefinitions[0].linuxParameters.maxSwap",
            (Some(0), None),
            Platform::linux_host,
            |d, _, n| {
                app(d)["linuxParameters"] = json!({"maxSwap": n});
            },
        ),
        boundary(
            "swappiness",
            "$.containerDefinitions[0].linuxParameters.swappiness",
            (Some(0), Some(100)),
            Platform::linux_host,
            |d, _, n| {
                app(d)["linuxParameters"] = json!({"maxSwap": 0, "swappiness": n});
            },
        ),
        boundary(
            "credential-spec-count",
            "$.containerDefinitions[0].credentialSpecs",
            (None, Some(1)),
            not_fargate,
            |d, _, n| {
                app(d)["credentialSpecs"] = list(n, |i| {
                    json!(format!(
                        "credentialspec:arn:aws:ssm:eu-west-1:123456789012:parameter/gmsa-{i}"
                    ))
                });
            },
        ),
        boundary(
            "gpu-count",
            "$.containerDefinitions[0].resourceRequirements[0].value",
            (Some(1), None),
            not_fargate,
            |d, _, n| {
                app(d)["resourceRequirements"] = json!([{"type": "GPU", "value": n.to_string()}]);
            },
        ),
        boundary(
            "environment-file-count",
            "$.containerDefinitions[0].environmentFiles[10]",
            (None, Some(10)),
            all,
            |d, _, n| {
                app(d)["environmentFiles"] = list(
                    n,
                    |i| json!({"value": format!("arn:aws:s3:::config/{i}.env"), "type": "s3"}),
                );
            },
        ),
        boundary(
            "log-driver-buffer-limit",
            "$.containerDefinitions[0].logConfiguration.options['log-driver-buffer-limit']",
            (Some(0), Some(536_870_911)),
            |p| !p.windows,
            |d, p, n| {
                app(d)["logConfiguration"] = json!({"logDriver": "awsfirelens", "options": {"Name": "cloudwatch", "log-driver-buffer-limit": n.to_string()}});
                let mut router = container("router", p);
                router["firelensConfiguration"] = json!({"type": "fluentbit"});
                d["containerDefinitions"]
                    .as_array_mut()
                    .expect("containers")
                    .push(router);
            },
        ),
    ];
    for limit in &mut limits {
        if matches!(limit.rule, "max-swap" | "gpu-count") {
            limit.floor = i64::MIN;
        }
    }
    limits
}
