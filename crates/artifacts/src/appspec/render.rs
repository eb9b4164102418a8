//! Writing an [`AppSpec`] as YAML or JSON.
//!
//! Keys are written in the casing and order of AWS's ECS example (CD-EX): `version`,
//! `Resources`, `TargetService`, `Type`, `Properties`, `TaskDefinition`, `LoadBalancerInfo`,
//! `ContainerName`, `ContainerPort`, `PlatformVersion`, `NetworkConfiguration`,
//! `AwsvpcConfiguration`, `Subnets`, `SecurityGroups`, `AssignPublicIp`,
//! `CapacityProviderStrategy` (`CapacityProvider`, `Base`, `Weight`), `Hooks`.
//!
//! `version` is the number `0.0`, as every example writes it (CD-EX, CP-TUT-BG), never the
//! string or `0`. Strings are quoted only where a YAML reader could take them for something
//! else: serde-saphyr's serializer quotes the YAML 1.1 and 1.2 booleans, nulls, numbers,
//! timestamps and indicator characters (`yes`, `on`, `0.0`, `1.10`, `0x1F`, `2024-01-01`,
//! `- x`, `#x`…), which the tests pin down, so nothing here escapes by hand.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::{AppSpec, ECS_SERVICE_TYPE, Hook, TARGET_SERVICE};

/// The syntax to write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    /// YAML, as the CodeDeployToECS action's default `appspec.yaml` and the examples.
    #[default]
    Yaml,
    /// JSON, which CodeDeploy reads as well (CD-STRUCT).
    Json,
}

impl AppSpec {
    /// The file: YAML (block style, lists indented as in AWS's examples) or pretty JSON, with
    /// a trailing newline. The same model always gives the same bytes.
    #[must_use]
    pub fn render(&self, format: Format) -> Vec<u8> {
        let document = Document::from(self);
        match format {
            Format::Json => {
                let mut bytes =
                    serde_json::to_vec_pretty(&document).expect("strings and numbers serialize");
                bytes.push(b'\n');
                bytes
            }
            Format::Yaml => {
                let options = serde_saphyr::ser_options! {
                    // `  - TargetService:` as in the examples, not `- TargetService:`.
                    compact_list_indent: false,
                    // A long ARN stays on one line instead of becoming a `>` block.
                    prefer_block_scalars: false,
                };
                serde_saphyr::to_string_with_options(&document, options)
                    .expect("strings and numbers serialize")
                    .into_bytes()
            }
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    version: f64,
    #[serde(rename = "Resources")]
    resources: [Resource<'a>; 1],
    #[serde(rename = "Hooks", skip_serializing_if = "Vec::is_empty")]
    hooks: Vec<&'a Hook>,
}

struct Resource<'a> {
    service: TargetService<'a>,
}

impl Serialize for Resource<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(TARGET_SERVICE, &self.service)?;
        map.end()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct TargetService<'a> {
    r#type: &'static str,
    properties: Properties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Properties<'a> {
    task_definition: &'a str,
    load_balancer_info: LoadBalancerInfo<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    network_configuration: Option<NetworkConfiguration<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    capacity_provider_strategy: Vec<CapacityProviderItem<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct LoadBalancerInfo<'a> {
    container_name: &'a str,
    container_port: u16,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct NetworkConfiguration<'a> {
    awsvpc_configuration: AwsvpcConfiguration<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AwsvpcConfiguration<'a> {
    subnets: &'a [String],
    security_groups: &'a [String],
    assign_public_ip: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CapacityProviderItem<'a> {
    capacity_provider: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<u32>,
}

/// A hook is a single-key map in a list: `- AfterAllowTestTraffic: CodeDeployHook_test`
/// (CD-HOOKS).
impl Serialize for Hook {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.event.name(), &self.function)?;
        map.end()
    }
}

impl<'a> From<&'a AppSpec> for Document<'a> {
    fn from(spec: &'a AppSpec) -> Self {
        Document {
            version: 0.0,
            resources: [Resource {
                service: TargetService {
                    r#type: ECS_SERVICE_TYPE,
                    properties: Properties {
                        task_definition: &spec.task_definition,
                        load_balancer_info: LoadBalancerInfo {
                            container_name: &spec.load_balancer.container_name,
                            container_port: spec.load_balancer.container_port,
                        },
                        platform_version: spec.platform_version.as_deref(),
                        network_configuration: spec.network.as_ref().map(|network| {
                            NetworkConfiguration {
                                awsvpc_configuration: AwsvpcConfiguration {
                                    subnets: &network.subnets,
                                    security_groups: &network.security_groups,
                                    assign_public_ip: network.assign_public_ip.as_str(),
                                },
                            }
                        }),
                        capacity_provider_strategy: spec
                            .capacity_providers
                            .iter()
                            .map(|item| CapacityProviderItem {
                                capacity_provider: &item.capacity_provider,
                                base: item.base,
                                weight: item.weight,
                            })
                            .collect(),
                    },
                },
            }],
            hooks: {
                // In lifecycle order, however the model was built (CD-HOOKS).
                let mut hooks: Vec<&Hook> = spec.hooks.iter().collect();
                hooks.sort_by_key(|hook| hook.event);
                hooks
            },
        }
    }
}
