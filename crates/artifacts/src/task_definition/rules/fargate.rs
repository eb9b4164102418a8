//! Task size and launch type: the Fargate cpu/memory table, Windows on Fargate, the EC2 cpu
//! range, and the unit strings (`"1 vCPU"`, `"2 GB"`) ECS converts on registration.

use super::{Task, TaskSize, or_list};
use crate::finding::Finding;
use crate::location::JsonPath;

/// The memory sizes one Fargate cpu size allows, in MiB.
#[derive(Clone, Copy, Debug)]
enum Memory {
    List(&'static [u64]),
    Steps { first: u64, last: u64, step: u64 },
}

impl Memory {
    fn allows(self, mib: u64) -> bool {
        match self {
            Self::List(sizes) => sizes.contains(&mib),
            Self::Steps { first, last, step } => {
                (first..=last).contains(&mib) && (mib - first).is_multiple_of(step)
            }
        }
    }

    /// `512, 1024 or 2048 MiB`, or `4096 to 16384 MiB in steps of 1024` when the list is long.
    fn describe(self) -> String {
        match self {
            Self::List(sizes) => format!("{} MiB", or_list(sizes)),
            Self::Steps { first, last, step } if (last - first) / step < 7 => {
                let sizes: Vec<u64> = (first..=last).step_by(step_usize(step)).collect();
                format!("{} MiB", or_list(&sizes))
            }
            Self::Steps { first, last, step } => {
                format!("{first} to {last} MiB in steps of {step}")
            }
        }
    }
}

fn step_usize(step: u64) -> usize {
    usize::try_from(step).expect("table steps are small")
}

/// Valid Fargate task sizes: CPU units and the memory each allows.
///
/// Source: BC-ECS `RegisterTaskDefinitionRequest.memory` doc (`docs/aws/artifact-formats.md#fargate-task-sizes`) for 256 to 16384,
/// including 8 vCPU (16–60 GB in 4 GB steps) and 16 vCPU (32–120 GB in 8 GB steps). The 32 vCPU
/// row (60, 120 or 244 GB) is in the ECS Developer Guide's current task-size table
/// (`fargate-tasks-services.html`, `task_definition_parameters.html`) though not yet in the
/// botocore snapshot; refusing a size ECS accepts would block a valid deployment.
const FARGATE_SIZES: [(u64, Memory); 8] = [
    (256, Memory::List(&[512, 1024, 2048])),
    (
        512,
        Memory::Steps {
            first: 1024,
            last: 4096,
            step: 1024,
        },
    ),
    (
        1024,
        Memory::Steps {
            first: 2048,
            last: 8192,
            step: 1024,
        },
    ),
    (
        2048,
        Memory::Steps {
            first: 4096,
            last: 16384,
            step: 1024,
        },
    ),
    (
        4096,
        Memory::Steps {
            first: 8192,
            last: 30720,
            step: 1024,
        },
    ),
    (
        8192,
        Memory::Steps {
            first: 16384,
            last: 61440,
            step: 4096,
        },
    ),
    (
        16384,
        Memory::Steps {
            first: 32768,
            last: 122_880,
            step: 8192,
        },
    ),
    (32768, Memory::List(&[61440, 122_880, 249_856])),
];

/// CPU sizes Windows containers can use on Fargate.
/// Source: BC-ECS `cpu` doc ("cannot be less than 1 vCPU when you use Windows containers on
/// Fargate"); ECS Developer Guide task-size table, whose OS column lists Windows only for
/// 1024, 2048 and 4096 (the 8 vCPU and larger rows need Linux platform 1.4.0).
const WINDOWS_CPU: [u64; 3] = [1024, 2048, 4096];

/// EC2 and external instances: task `cpu` from 128 to 196608 units (0.125 to 192 vCPU).
/// Source: BC-ECS `RegisterTaskDefinitionRequest.cpu` doc.
const EC2_CPU: std::ops::RangeInclusive<u64> = 128..=196_608;

/// A task-level `cpu` in CPU units: `"1024"`, `"1 vCPU"`, `"0.25 vcpu"`.
/// Source: BC-ECS `cpu` doc ("1 vCPU or 1 vcpu"; converted to units on registration).
pub(crate) fn parse_cpu(text: &str) -> Option<u64> {
    parse_scaled(text, "vcpu")
}

/// A task-level `memory` in MiB: `"2048"`, `"2 GB"`, `"2GB"`, `"0.5 GB"`.
/// Source: BC-ECS `memory` doc ("1GB or 1 GB"; converted to MiB on registration).
pub(crate) fn parse_memory(text: &str) -> Option<u64> {
    parse_scaled(text, "gb")
}

/// A plain integer, or a decimal followed by `unit` (any case) worth 1024 of the base unit.
/// `None` when it is neither, or when the product is not whole (`0.3 vCPU`).
fn parse_scaled(text: &str, unit: &str) -> Option<u64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    let split = text.len().checked_sub(unit.len())?;
    let suffix = text.get(split..)?;
    if !suffix.eq_ignore_ascii_case(unit) {
        return None;
    }
    let number = text[..split].trim_end();
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let digits = |part: &str| part.len() <= 12 && part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let parsed: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let scale = 10_u64.pow(u32::try_from(fraction.len()).ok()?);
    let scaled = parsed * 1024;
    scaled
        .is_multiple_of(scale)
        .then(|| whole * 1024 + scaled / scale)
}

/// `` `256` ``, or `` `0.25 vCPU` (256) `` when the text was written in other units.
fn shown(size: TaskSize<'_>, value: u64) -> String {
    if size.text.trim() == value.to_string() {
        format!("`{value}`")
    } else {
        format!("`{}` ({value})", size.text)
    }
}

pub(crate) fn check(task: &Task<'_>, findings: &mut Vec<Finding>) {
    // Source: BC-ECS `cpu`/`memory` docs: integers, or strings in vCPU / GB.
    if let Some(TaskSize { text, value: None }) = task.cpu {
        findings.push(
            Finding::error(
                "task-size-value",
                format!("`cpu` `{text}` is not a number of CPU units (`1024`) or vCPUs (`1 vCPU`)"),
            )
            .at(JsonPath::root().key("cpu"))
            .help("write whole CPU units such as `\"256\"`, or vCPUs such as `\"0.25 vCPU\"`"),
        );
    }
    if let Some(TaskSize { text, value: None }) = task.memory {
        findings.push(
            Finding::error(
                "task-size-value",
                format!("`memory` `{text}` is not a number of MiB (`2048`) or GB (`2 GB`)"),
            )
            .at(JsonPath::root().key("memory"))
            .help("write whole MiB such as `\"512\"`, or GB such as `\"0.5 GB\"`"),
        );
    }
    if task.fargate {
        check_fargate(task, findings);
    } else if let Some(cpu) = task.cpu_units()
        && !EC2_CPU.contains(&cpu)
    {
        findings.push(
            Finding::error(
                "task-cpu",
                format!(
                    "task `cpu` {} is outside the 128 to 196608 units (0.125 to 192 vCPU) \
                     ECS accepts for EC2 and external instances",
                    shown(task.cpu.expect("cpu_units implies cpu"), cpu)
                ),
            )
            .at(JsonPath::root().key("cpu"))
            .help("1024 units are one vCPU; leave `cpu` out to not limit the task"),
        );
    }
}

fn check_fargate(task: &Task<'_>, findings: &mut Vec<Finding>) {
    // Source: BC-ECS `networkMode` doc: Fargate requires `awsvpc`. Absent means ECS's default,
    // which is `bridge` on EC2 and never valid on Fargate.
    match task.network_mode {
        Some("awsvpc") => {}
        Some(mode) => findings.push(
            Finding::error(
                "fargate-network-mode",
                format!("Fargate requires `networkMode` `awsvpc`, not `{mode}`"),
            )
            .at(JsonPath::root().key("networkMode"))
            .help("set `\"networkMode\": \"awsvpc\"`; with it, `hostPort` is the `containerPort` or absent"),
        ),
        None if !task.present.network_mode => findings.push(
            Finding::error(
                "fargate-network-mode",
                "Fargate requires `networkMode` `awsvpc`; the task sets none, and ECS's default is `bridge`",
            )
            .at(JsonPath::root())
            .help("add `\"networkMode\": \"awsvpc\"`"),
        ),
        None => {}
    }

    // Source: ECS error `Fargate requires that 'cpu' be defined at the task level.` (`docs/aws/artifact-formats.md#fargate-task-sizes`).
    let missing: Vec<&str> = [("cpu", task.present.cpu), ("memory", task.present.memory)]
        .into_iter()
        .filter(|(_, present)| !present)
        .map(|(key, _)| key)
        .collect();
    if !missing.is_empty() {
        let keys = missing
            .iter()
            .map(|key| format!("`{key}`"))
            .collect::<Vec<_>>();
        findings.push(
            Finding::error(
                "fargate-task-size",
                format!(
                    "Fargate requires task-level `cpu` and `memory`; the task does not define {}",
                    keys.join(" or ")
                ),
            )
            .at(JsonPath::root())
            .help("add both at the top level, such as `\"cpu\": \"256\", \"memory\": \"512\"`"),
        );
    }

    let windows_cpu = |cpu: u64| !task.windows || WINDOWS_CPU.contains(&cpu);
    if task.windows
        && let Some(cpu) = task.cpu_units()
        && !windows_cpu(cpu)
    {
        let cpu_text = shown(task.cpu.expect("cpu_units implies cpu"), cpu);
        let message = if cpu < 1024 {
            format!(
                "Windows containers on Fargate need at least 1 vCPU (1024 units); `cpu` is {cpu_text}"
            )
        } else {
            format!(
                "Windows containers on Fargate run with 1024, 2048 or 4096 CPU units; {cpu_text} is for Linux only"
            )
        };
        findings.push(
            Finding::error("windows-fargate-cpu", message)
                .at(JsonPath::root().key("cpu"))
                .help("set `cpu` to 1024, 2048 or 4096 with a `memory` that size allows"),
        );
    }
    // Source: ECS Developer Guide, Fargate "Task CPU architecture": Windows containers on
    // Fargate must use X86_64.
    if task.windows && task.architecture == Some("ARM64") {
        findings.push(
            Finding::error(
                "windows-fargate-architecture",
                "Windows containers on Fargate run only on `X86_64`, not `ARM64`",
            )
            .at(JsonPath::root()
                .key("runtimePlatform")
                .key("cpuArchitecture"))
            .help("set `cpuArchitecture` to `X86_64`, or run the task on Linux for ARM64"),
        );
    }

    let (Some(cpu_size), Some(cpu)) = (task.cpu, task.cpu_units()) else {
        return;
    };
    let memory = task.memory.zip(task.memory_mib());
    // Source: BC-ECS `memory` doc; ECS error `No Fargate configuration exists for given values`.
    let Some((_, allowed)) = FARGATE_SIZES.iter().find(|(size, _)| *size == cpu) else {
        let sizes: Vec<u64> = FARGATE_SIZES.iter().map(|(size, _)| *size).collect();
        let fits = memory.map(|(_, mib)| {
            FARGATE_SIZES
                .iter()
                .filter(|(size, allows)| allows.allows(mib) && windows_cpu(*size))
                .map(|(size, _)| *size)
                .collect::<Vec<_>>()
        });
        let help = match (memory, fits) {
            (Some((_, mib)), Some(fits)) if !fits.is_empty() => {
                format!("for {mib} MiB of `memory`, use `cpu` {}", or_list(&fits))
            }
            _ => "pick the size with enough CPU: 1024 units are one vCPU".to_owned(),
        };
        findings.push(
            Finding::error(
                "fargate-cpu-memory",
                format!(
                    "{} CPU is not a Fargate size; Fargate allows {} CPU units",
                    shown(cpu_size, cpu),
                    or_list(&sizes)
                ),
            )
            .at(JsonPath::root().key("cpu"))
            .help(help),
        );
        return;
    };
    let Some((memory_size, mib)) = memory else {
        return;
    };
    if allowed.allows(mib) {
        return;
    }
    let memory_text = if memory_size.text.trim() == mib.to_string() {
        format!("{mib} MiB")
    } else {
        format!("`{}` ({mib} MiB)", memory_size.text)
    };
    let fits: Vec<u64> = FARGATE_SIZES
        .iter()
        .filter(|(size, allows)| allows.allows(mib) && windows_cpu(*size))
        .map(|(size, _)| *size)
        .collect();
    let help = if fits.is_empty() {
        "AWS answers `No Fargate configuration exists for given values`: set `memory` to one of those".to_owned()
    } else {
        format!(
            "AWS answers `No Fargate configuration exists for given values`: set `memory` to one \
             of those, or use `cpu` {} for {mib} MiB",
            or_list(&fits)
        )
    };
    findings.push(
        Finding::error(
            "fargate-cpu-memory",
            format!(
                "on Fargate, {} CPU allows {}, not {memory_text}",
                shown(cpu_size, cpu),
                allowed.describe()
            ),
        )
        .at(JsonPath::root().key("memory"))
        .help(help),
    );
}
