//! The Fargate platform versions that task-definition parameters need.
//!
//! A task definition does not name its platform version: the service, `RunTask` or the
//! `AppSpec`'s `PlatformVersion` does. So this module only lists what the definition uses and
//! the first Linux platform version that runs it; the `AppSpec` check compares the list with
//! `PlatformVersion` when both files are given (`ecs-appspec check --taskdef`,
//! `ecs-verify`). Windows tasks on Fargate are left out: every parameter below runs on
//! "Windows platform version 1.0.0 or later", the first Windows version, or is one Windows
//! containers do not support at all (`pidMode`, `systemControls`: `platform::windows`).
//!
//! Sources, each saying "For tasks using the Fargate launch type, the task or service requires
//! the following platforms: Linux platform version 1.x.0 or later":
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EphemeralStorage.html>,
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LinuxParameters.html>
//! (`capabilities`: "the add parameter is only supported if using platform version 1.4.0 or
//! later"), <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_EnvironmentFile.html>,
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html> and
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html>
//! (`startTimeout`, `stopTimeout`); `pidMode` and `systemControls` say "This parameter is only
//! supported for tasks that are hosted on Fargate if the tasks are using platform version 1.4.0
//! or later (Linux)"
//! (<https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html>,
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SystemControl.html>).

use serde_json::Value;

use crate::task_definition::rules::Task;

/// A parameter of the task definition that Fargate runs only from a Linux platform version on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlatformNeed {
    /// The parameter as messages show it: `` `ephemeralStorage` ``, or
    /// `` container `web`'s `dependsOn` ``.
    pub what: String,
    /// The first Linux platform version that supports it.
    pub version: (u32, u32, u32),
}

/// Container members and the Linux platform version each needs.
const CONTAINER: [(&str, (u32, u32, u32)); 5] = [
    ("dependsOn", (1, 3, 0)),
    ("startTimeout", (1, 3, 0)),
    ("stopTimeout", (1, 3, 0)),
    ("environmentFiles", (1, 4, 0)),
    ("systemControls", (1, 4, 0)),
];

/// What a Linux task definition for Fargate uses that needs a platform version above 1.0.0, the
/// task's members first and then each container's; empty for a Windows task or one that is not
/// for Fargate.
#[must_use]
pub fn platform_needs(document: &Value) -> Vec<PlatformNeed> {
    let task = Task::read(document);
    if !task.fargate || task.windows {
        return Vec::new();
    }
    let mut needs = Vec::new();
    if document.get("pidMode").is_some_and(Value::is_string) {
        needs.push(PlatformNeed {
            what: "`pidMode`".to_owned(),
            version: (1, 4, 0),
        });
    }
    if document
        .get("ephemeralStorage")
        .is_some_and(Value::is_object)
    {
        needs.push(PlatformNeed {
            what: "`ephemeralStorage`".to_owned(),
            version: (1, 4, 0),
        });
    }
    let containers = document
        .get("containerDefinitions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (index, container) in containers.iter().enumerate() {
        let owner = container
            .get("name")
            .and_then(Value::as_str)
            .filter(|name| !name.is_empty())
            .map_or_else(
                || format!("container {index}"),
                |name| format!("container `{name}`"),
            );
        for (key, version) in CONTAINER {
            let used = match container.get(key) {
                Some(Value::Array(items)) => !items.is_empty(),
                Some(value) => value.is_number(),
                None => false,
            };
            if used {
                needs.push(PlatformNeed {
                    what: format!("{owner}'s `{key}`"),
                    version,
                });
            }
        }
        if container
            .pointer("/linuxParameters/capabilities/add")
            .and_then(Value::as_array)
            .is_some_and(|add| !add.is_empty())
        {
            needs.push(PlatformNeed {
                what: format!("{owner}'s `linuxParameters.capabilities.add`"),
                version: (1, 4, 0),
            });
        }
    }
    needs
}
