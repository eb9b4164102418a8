//! Container memory and CPU, on their own and against the task-level values.

use super::{Container, Task, and_list};
use crate::finding::Finding;
use crate::location::JsonPath;

/// Docker 20.10 and later reserve 6 MiB for a container.
/// Source: BC-ECS `ContainerDefinition.memory` / `memoryReservation` docs ("don't specify less
/// than 6 MiB of memory for your containers").
const MIN_CONTAINER_MIB: i64 = 6;

/// What the containers ask for, summed over the task.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    /// `(container, MiB)` for each container with `memory` or else `memoryReservation`.
    memory: Vec<(String, u64)>,
    /// `(container, units)` for each container with `cpu`.
    cpu: Vec<(String, u64)>,
    /// A single container already exceeds the task, which is reported on that container.
    memory_over: bool,
    cpu_over: bool,
}

/// Windows containers ignore task-level cpu and memory except on Fargate, where they size the
/// task (BC-ECS `cpu`/`memory` docs), so comparing containers with them means nothing there.
fn compares_with_task(task: &Task<'_>) -> bool {
    task.fargate || !task.windows
}

pub(crate) fn check_container(
    task: &Task<'_>,
    container: &Container<'_>,
    totals: &mut Totals,
    findings: &mut Vec<Finding>,
) {
    let memory = container.integer("memory");
    let reservation = container.integer("memoryReservation");
    let cpu = container.integer("cpu");

    for (key, value) in [("memory", memory), ("memoryReservation", reservation)] {
        if let Some(mib) = value
            && mib < MIN_CONTAINER_MIB
        {
            findings.push(
                Finding::error(
                    "container-memory",
                    format!(
                        "{container} has `{key}` {mib} MiB; Docker reserves {MIN_CONTAINER_MIB} MiB \
                         for a container, so ECS needs at least that"
                    ),
                )
                .at(container.path().key(key))
                .help(format!("set `{key}` to {MIN_CONTAINER_MIB} MiB or more")),
            );
        }
    }

    // Source: BC-ECS `memory`/`memoryReservation` docs; ECS error `At least one of 'memory' or
    // 'memoryReservation' must be specified` (cuttlesoft/ecs-deploy.py#17). On Fargate the
    // missing task-level `memory` is already `fargate-task-size`.
    if !task.present.memory
        && !task.fargate
        && container.get("memory").is_none()
        && container.get("memoryReservation").is_none()
    {
        findings.push(
            Finding::error(
                "container-memory",
                format!(
                    "{container} sets neither `memory` nor `memoryReservation`, and the task sets no `memory`"
                ),
            )
            .at(container.path())
            .help("give the container a `memoryReservation` (soft limit), or the task a `memory`"),
        );
    }

    // Source: BC-ECS `memoryReservation` doc: when both are set, `memory` must be greater.
    if let (Some(hard), Some(soft)) = (memory, reservation)
        && hard <= soft
    {
        findings.push(
            Finding::error(
                "memory-reservation",
                format!(
                    "{container} has `memoryReservation` {soft} MiB, not less than its `memory` {hard} MiB"
                ),
            )
            .at(container.path().key("memoryReservation"))
            .help(
                "the soft limit `memoryReservation` must be below the hard limit `memory`: \
                 lower it or raise `memory`",
            ),
        );
    }

    if !compares_with_task(task) {
        return;
    }
    let label = container.short();
    let asked = memory
        .or(reservation)
        .and_then(|mib| u64::try_from(mib).ok());
    // Source: ECS error `The 'memory' setting for container 'x' is greater than for the task.`
    // (pulumi/pulumi-awsx#1220); BC-ECS `ContainerDefinition.cpu`/`memory` docs.
    if let (Some(mib), Some(task_mib)) = (asked, task.memory_mib())
        && mib > task_mib
    {
        let key = if memory.is_some() {
            "memory"
        } else {
            "memoryReservation"
        };
        totals.memory_over = true;
        findings.push(
            Finding::error(
                "container-sum",
                format!("{container} has `{key}` {mib} MiB, more than the task's {task_mib} MiB"),
            )
            .at(container.path().key(key))
            .help(
                "ECS refuses it (`The 'memory' setting for container … is greater than for the \
                 task.`): lower it or raise the task's `memory`",
            ),
        );
    }
    if let Some(mib) = asked {
        totals.memory.push((label.clone(), mib));
    }
    let units = cpu.and_then(|units| u64::try_from(units).ok());
    if let (Some(units), Some(task_units)) = (units, task.cpu_units())
        && units > task_units
    {
        totals.cpu_over = true;
        findings.push(
            Finding::error(
                "container-sum",
                format!("{container} has `cpu` {units} units, more than the task's {task_units}"),
            )
            .at(container.path().key("cpu"))
            .help("lower the container's `cpu` or raise the task's `cpu`"),
        );
    }
    if let Some(units) = units {
        totals.cpu.push((label, units));
    }
}

/// The containers together must fit in the task.
/// Source: BC-ECS `ContainerDefinition.cpu`/`memory` docs (`docs/aws/artifact-formats.md#container-resources`; "Container vs task
/// resources"). Not repeated when one container alone is already over.
pub(crate) fn check_totals(task: &Task<'_>, totals: &Totals, findings: &mut Vec<Finding>) {
    let parts = |list: &[(String, u64)]| {
        list.iter()
            .map(|(container, value)| format!("{container} {value}"))
            .collect::<Vec<_>>()
    };
    if let Some(task_mib) = task.memory_mib()
        && !totals.memory_over
        && totals.memory.len() > 1
    {
        let sum: u64 = totals.memory.iter().map(|(_, mib)| mib).sum();
        if sum > task_mib {
            findings.push(
                Finding::error(
                    "container-sum",
                    format!(
                        "the containers' memory adds up to {sum} MiB ({}), more than the task's {task_mib} MiB",
                        and_list(&parts(&totals.memory))
                    ),
                )
                .at(JsonPath::root().key("memory"))
                .help("lower the containers' `memory`/`memoryReservation` or raise the task's `memory`"),
            );
        }
    }
    if let Some(task_units) = task.cpu_units()
        && !totals.cpu_over
        && totals.cpu.len() > 1
    {
        let sum: u64 = totals.cpu.iter().map(|(_, units)| units).sum();
        if sum > task_units {
            findings.push(
                Finding::error(
                    "container-sum",
                    format!(
                        "the containers' `cpu` adds up to {sum} units ({}), more than the task's {task_units}",
                        and_list(&parts(&totals.cpu))
                    ),
                )
                .at(JsonPath::root().key("cpu"))
                .help("lower the containers' `cpu` or raise the task's `cpu`"),
            );
        }
    }
}
