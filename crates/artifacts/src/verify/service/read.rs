//! The members of a `DescribeServices` service object that the checks need, each read with its
//! JSON path so that a wrong type names where it is. Source of the members and their defaults:
//! ECS API reference, `Service`, `DeploymentConfiguration`, `DeploymentLifecycleHook`,
//! `LinearConfiguration`, `CanaryConfiguration`, `LoadBalancer`, `AdvancedConfiguration`,
//! `DeploymentCircuitBreaker`, `DeploymentAlarms` (`docs/aws/ecs-services.md`).

use serde_json::Value;

use crate::finding::Finding;
use crate::location::JsonPath;
use crate::syntax::type_name;

fn wrong_type(path: &JsonPath, value: &Value, expected: &str) -> Finding {
    Finding::error(
        "service-json",
        format!("`{path}` is {}, not {expected}", type_name(value)),
    )
    .at(path.clone())
    .help("give the output of `aws ecs describe-services` unchanged")
}

/// Reads typed members under a base path; every path it hands out lives as long as it does.
pub(super) struct Reader {
    base: JsonPath,
}

impl Reader {
    pub(super) fn new(base: JsonPath) -> Self {
        Self { base }
    }

    /// The path of member `path` (`.deploymentConfiguration.lifecycleHooks[0]`) under the base.
    pub(super) fn path(&self, path: &str) -> JsonPath {
        steps(path).fold(self.base.clone(), |at, (key, index)| {
            let at = at.key(key);
            match index {
                Some(index) => at.index(index),
                None => at,
            }
        })
    }

    fn get<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
        let mut current = value;
        for (key, index) in steps(path) {
            current = current.get(key)?;
            if let Some(index) = index {
                current = current.get(index)?;
            }
        }
        Some(current).filter(|v| !v.is_null())
    }

    /// The string at `path` (`.deploymentConfiguration.strategy`), if any.
    pub(super) fn text<'v>(
        &self,
        value: &'v Value,
        path: &str,
    ) -> Result<Option<&'v str>, Finding> {
        match Self::get(value, path) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(wrong_type(&self.path(path), other, "a string")),
        }
    }

    /// The whole number at `path`, if any.
    pub(super) fn whole(&self, value: &Value, path: &str) -> Result<Option<u64>, Finding> {
        match Self::get(value, path) {
            None => Ok(None),
            Some(number) => number
                .as_u64()
                .map(Some)
                .ok_or_else(|| wrong_type(&self.path(path), number, "a whole number of minutes")),
        }
    }

    /// The number at `path`, if any.
    pub(super) fn number(&self, value: &Value, path: &str) -> Result<Option<f64>, Finding> {
        match Self::get(value, path) {
            None => Ok(None),
            Some(number) => number
                .as_f64()
                .map(Some)
                .ok_or_else(|| wrong_type(&self.path(path), number, "a number")),
        }
    }

    /// The boolean at `path`; absent is `false`.
    pub(super) fn flag(&self, value: &Value, path: &str) -> Result<bool, Finding> {
        match Self::get(value, path) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(other) => Err(wrong_type(&self.path(path), other, "a boolean")),
        }
    }

    /// The elements of the array at `path`; absent is empty.
    pub(super) fn list<'v>(&self, value: &'v Value, path: &str) -> Result<&'v [Value], Finding> {
        match Self::get(value, path) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(wrong_type(&self.path(path), other, "an array")),
        }
    }

    /// The object at `path`, if any.
    pub(super) fn object<'v>(
        &self,
        value: &'v Value,
        path: &str,
    ) -> Result<Option<&'v Value>, Finding> {
        match Self::get(value, path) {
            None => Ok(None),
            Some(object @ Value::Object(_)) => Ok(Some(object)),
            Some(other) => Err(wrong_type(&self.path(path), other, "an object")),
        }
    }
}

/// The keys of a member path written as `.a.b[2].c`, each with the index that follows it;
/// the paths are this module's own, so one that does not read that way reads as no member.
fn steps(path: &str) -> impl Iterator<Item = (&str, Option<usize>)> {
    path.trim_start_matches('.')
        .split('.')
        .map(|step| match step.split_once('[') {
            Some((key, index)) => (key, index.trim_end_matches(']').parse().ok()),
            None => (step, None),
        })
}

/// A lifecycle hook (`deploymentConfiguration.lifecycleHooks[i]`).
pub(super) struct Hook {
    pub(super) path: JsonPath,
    /// `targetType`, default `AWS_LAMBDA`.
    pub(super) target_type: String,
    pub(super) target: Option<String>,
    pub(super) stages: Vec<String>,
    /// `timeoutConfiguration.timeoutInMinutes`, when set (the API's default is 1440).
    pub(super) timeout: Option<u64>,
}

/// A `loadBalancers[i]` entry and its `advancedConfiguration`.
pub(super) struct LoadBalancer {
    pub(super) path: JsonPath,
    /// The target group ARN or the Classic Load Balancer name, to name the entry.
    pub(super) name: String,
    pub(super) advanced: bool,
    /// The members of `advancedConfiguration` that traffic shifting needs and it lacks.
    pub(super) missing: Vec<&'static str>,
    pub(super) test_listener_rule: bool,
}

/// What the checks read from one service object.
pub(super) struct Service {
    pub(super) name: String,
    pub(super) task_definition: Option<String>,
    /// `deploymentController.type`, default `ECS`.
    pub(super) controller: String,
    /// `deploymentConfiguration.strategy`, default `ROLLING`.
    pub(super) strategy: String,
    pub(super) bake_time: Option<u64>,
    pub(super) hooks: Vec<Hook>,
    /// `linearConfiguration`: step percent (default 10) and step bake time (default 6).
    pub(super) linear: (f64, u64),
    /// `canaryConfiguration`: canary percent (default 5) and canary bake time (default 10).
    pub(super) canary: (f64, u64),
    pub(super) load_balancers: Vec<LoadBalancer>,
    /// Service Connect is on (top level, or in the primary deployment, where
    /// `DescribeServices` puts it).
    pub(super) uses_service_connect: bool,
    /// Circuit breaker enabled with rollback; alarms enabled with rollback.
    pub(super) circuit_breaker_rollback: bool,
    pub(super) alarms_rollback: bool,
}

impl Service {
    pub(super) fn read(service: &Value, reader: &Reader) -> Result<Self, Finding> {
        const CONFIG: &str = ".deploymentConfiguration";
        let mut hooks = Vec::new();
        for i in 0..reader
            .list(service, &format!("{CONFIG}.lifecycleHooks"))?
            .len()
        {
            let path = format!("{CONFIG}.lifecycleHooks[{i}]");
            reader.object(service, &path)?;
            let mut stages = Vec::new();
            for (j, stage) in reader
                .list(service, &format!("{path}.lifecycleStages"))?
                .iter()
                .enumerate()
            {
                let stage_path = format!("{path}.lifecycleStages[{j}]");
                let text = stage
                    .as_str()
                    .ok_or_else(|| wrong_type(&reader.path(&stage_path), stage, "a string"))?;
                stages.push(text.to_owned());
            }
            hooks.push(Hook {
                target_type: reader
                    .text(service, &format!("{path}.targetType"))?
                    .unwrap_or("AWS_LAMBDA")
                    .to_owned(),
                target: reader
                    .text(service, &format!("{path}.hookTargetArn"))?
                    .map(str::to_owned),
                timeout: reader.whole(
                    service,
                    &format!("{path}.timeoutConfiguration.timeoutInMinutes"),
                )?,
                stages,
                path: reader.path(&path),
            });
        }
        let mut load_balancers = Vec::new();
        for i in 0..reader.list(service, ".loadBalancers")?.len() {
            let path = format!(".loadBalancers[{i}]");
            reader.object(service, &path)?;
            let advanced = reader.object(service, &format!("{path}.advancedConfiguration"))?;
            let has = |key: &str| -> Result<bool, Finding> {
                Ok(reader
                    .text(service, &format!("{path}.advancedConfiguration.{key}"))?
                    .is_some_and(|text| !text.is_empty()))
            };
            load_balancers.push(LoadBalancer {
                name: match (
                    reader.text(service, &format!("{path}.targetGroupArn"))?,
                    reader.text(service, &format!("{path}.loadBalancerName"))?,
                ) {
                    (Some(arn), _) => format!("target group `{arn}`"),
                    (None, Some(name)) => format!("load balancer `{name}`"),
                    (None, None) => format!("load balancer {i}"),
                },
                advanced: advanced.is_some(),
                missing: [
                    "alternateTargetGroupArn",
                    "productionListenerRule",
                    "roleArn",
                ]
                .into_iter()
                .map(|key| has(key).map(|set| (!set).then_some(key)))
                .filter_map(Result::transpose)
                .collect::<Result<_, _>>()?,
                test_listener_rule: has("testListenerRule")?,
                path: reader.path(&path),
            });
        }
        let primary = reader
            .list(service, ".deployments")?
            .iter()
            .find(|d| d.get("status").and_then(Value::as_str) == Some("PRIMARY"));
        let uses_service_connect = reader.flag(service, ".serviceConnectConfiguration.enabled")?
            || primary.is_some_and(|deployment| {
                deployment
                    .pointer("/serviceConnectConfiguration/enabled")
                    .and_then(Value::as_bool)
                    == Some(true)
            });
        let both = |path: &str| -> Result<bool, Finding> {
            Ok(reader.flag(service, &format!("{CONFIG}.{path}.enable"))?
                && reader.flag(service, &format!("{CONFIG}.{path}.rollback"))?)
        };
        Ok(Self {
            name: reader
                .text(service, ".serviceName")?
                .unwrap_or("(unnamed)")
                .to_owned(),
            task_definition: reader.text(service, ".taskDefinition")?.map(str::to_owned),
            controller: reader
                .text(service, ".deploymentController.type")?
                .unwrap_or("ECS")
                .to_owned(),
            strategy: reader
                .text(service, &format!("{CONFIG}.strategy"))?
                .unwrap_or("ROLLING")
                .to_owned(),
            bake_time: reader.whole(service, &format!("{CONFIG}.bakeTimeInMinutes"))?,
            hooks,
            linear: (
                reader
                    .number(
                        service,
                        &format!("{CONFIG}.linearConfiguration.stepPercent"),
                    )?
                    .unwrap_or(10.0),
                reader
                    .whole(
                        service,
                        &format!("{CONFIG}.linearConfiguration.stepBakeTimeInMinutes"),
                    )?
                    .unwrap_or(6),
            ),
            canary: (
                reader
                    .number(
                        service,
                        &format!("{CONFIG}.canaryConfiguration.canaryPercent"),
                    )?
                    .unwrap_or(5.0),
                reader
                    .whole(
                        service,
                        &format!("{CONFIG}.canaryConfiguration.canaryBakeTimeInMinutes"),
                    )?
                    .unwrap_or(10),
            ),
            load_balancers,
            uses_service_connect,
            circuit_breaker_rollback: both("deploymentCircuitBreaker")?,
            alarms_rollback: both("alarms")?,
        })
    }
}
