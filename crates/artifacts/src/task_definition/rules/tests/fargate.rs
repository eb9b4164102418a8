use serde_json::{Value, json};

use super::{only, remove, rules, run, set, web_and_sidecar, without_firelens};
use crate::task_definition::rules::fargate::{parse_cpu, parse_memory};

/// The fixture with task-level `cpu` and `memory` as given, and container sizes removed so
/// that only the table decides.
fn sized(cpu: &str, memory: &str) -> Value {
    let mut document = web_and_sidecar();
    set(&mut document, "/cpu", json!(cpu));
    set(&mut document, "/memory", json!(memory));
    for container in ["0", "1"] {
        for key in ["cpu", "memory", "memoryReservation"] {
            let pointer = format!("/containerDefinitions/{container}/{key}");
            if document.pointer(&pointer).is_some() {
                remove(&mut document, &pointer);
            }
        }
    }
    document
}

fn windows(cpu: &str, memory: &str) -> Value {
    let mut document = sized(cpu, memory);
    set(
        &mut document,
        "/runtimePlatform/operatingSystemFamily",
        json!("WINDOWS_SERVER_2022_CORE"),
    );
    set(
        &mut document,
        "/runtimePlatform/cpuArchitecture",
        json!("X86_64"),
    );
    without_firelens(&mut document);
    document
}

#[test]
fn units_are_converted_like_ecs_does() {
    for (text, units) in [
        ("1024", 1024),
        (" 256 ", 256),
        ("1 vCPU", 1024),
        ("1vcpu", 1024),
        ("2 VCPU", 2048),
        ("0.25 vCPU", 256),
        (".5 vcpu", 512),
        ("16 vCPU", 16384),
        ("0.125 vCPU", 128),
    ] {
        assert_eq!(parse_cpu(text), Some(units), "{text}");
    }
    for text in [
        "",
        "vCPU",
        "0.3 vCPU",
        "1 core",
        "1 GB",
        "-1",
        "1.0.0 vCPU",
        "1e3",
    ] {
        assert_eq!(parse_cpu(text), None, "{text}");
    }
    for (text, mib) in [
        ("512", 512),
        ("2 GB", 2048),
        ("2GB", 2048),
        ("0.5 gb", 512),
        ("1.5 GB", 1536),
    ] {
        assert_eq!(parse_memory(text), Some(mib), "{text}");
    }
    for text in ["512 MiB", "2 GiB", "1 vCPU", "0.0001 GB", "x"] {
        assert_eq!(parse_memory(text), None, "{text}");
    }
}

/// Every edge of the table: each size's first, second and last memory pass; one step below,
/// one step above and half a step off fail.
#[test]
fn the_fargate_table_edges() {
    let table: [(u64, u64, u64, u64); 7] = [
        (512, 1024, 4096, 1024),
        (1024, 2048, 8192, 1024),
        (2048, 4096, 16384, 1024),
        (4096, 8192, 30720, 1024),
        (8192, 16384, 61440, 4096),
        (16384, 32768, 122_880, 8192),
        (256, 512, 2048, 512),
    ];
    for (cpu, first, last, step) in table {
        let cpu = cpu.to_string();
        for memory in [first, first + step, last] {
            assert_eq!(run(&sized(&cpu, &memory.to_string())), [], "{cpu}/{memory}");
        }
        for memory in [first - step / 2, last + step, first + step / 2] {
            let findings = run(&sized(&cpu, &memory.to_string()));
            assert_eq!(
                rules(&findings),
                [("fargate-cpu-memory", "$.memory".to_owned())],
                "{cpu}/{memory}"
            );
        }
    }
    // 256 CPU allows 512, 1024 and 2048, not 1536.
    assert_eq!(rules(&run(&sized("256", "1536"))).len(), 1);
    for memory in ["61440", "122880", "249856"] {
        assert_eq!(run(&sized("32768", memory)), [], "32768/{memory}");
    }
    assert_eq!(rules(&run(&sized("32768", "131072"))).len(), 1);
}

#[test]
fn eight_and_sixteen_vcpu_in_units() {
    for (cpu, memory) in [
        ("8 vCPU", "16 GB"),
        ("8 vCPU", "20 GB"),
        ("8 vCPU", "60 GB"),
        ("16 vCPU", "32 GB"),
        ("16 vCPU", "40 GB"),
        ("16 vCPU", "120 GB"),
    ] {
        assert_eq!(run(&sized(cpu, memory)), [], "{cpu}/{memory}");
    }
    let finding = only(
        run(&sized("8 vCPU", "18 GB")),
        "fargate-cpu-memory",
        "$.memory",
    );
    assert_eq!(
        finding.message,
        "on Fargate, `8 vCPU` (8192) CPU allows 16384 to 61440 MiB in steps of 4096, not `18 GB` (18432 MiB)"
    );
    let finding = only(
        run(&sized("16 vCPU", "36 GB")),
        "fargate-cpu-memory",
        "$.memory",
    );
    assert_eq!(
        finding.message,
        "on Fargate, `16 vCPU` (16384) CPU allows 32768 to 122880 MiB in steps of 8192, not `36 GB` (36864 MiB)"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "AWS answers `No Fargate configuration exists for given values`: set `memory` to one \
             of those, or use `cpu` 8192 for 36864 MiB"
        )
    );
}

#[test]
fn pair_messages_name_the_valid_memory() {
    let finding = only(run(&sized("256", "4096")), "fargate-cpu-memory", "$.memory");
    assert_eq!(
        finding.message,
        "on Fargate, `256` CPU allows 512, 1024 or 2048 MiB, not 4096 MiB"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "AWS answers `No Fargate configuration exists for given values`: set `memory` to one \
             of those, or use `cpu` 512, 1024 or 2048 for 4096 MiB"
        )
    );
    let finding = only(run(&sized("512", "512")), "fargate-cpu-memory", "$.memory");
    assert_eq!(
        finding.message,
        "on Fargate, `512` CPU allows 1024, 2048, 3072 or 4096 MiB, not 512 MiB"
    );
    let finding = only(
        run(&sized("0.25 vCPU", "4 GB")),
        "fargate-cpu-memory",
        "$.memory",
    );
    assert_eq!(
        finding.message,
        "on Fargate, `0.25 vCPU` (256) CPU allows 512, 1024 or 2048 MiB, not `4 GB` (4096 MiB)"
    );
    let finding = only(
        run(&sized("2048", "3072")),
        "fargate-cpu-memory",
        "$.memory",
    );
    assert_eq!(
        finding.message,
        "on Fargate, `2048` CPU allows 4096 to 16384 MiB in steps of 1024, not 3072 MiB"
    );
}

#[test]
fn cpu_outside_the_table() {
    let finding = only(run(&sized("300", "1024")), "fargate-cpu-memory", "$.cpu");
    assert_eq!(
        finding.message,
        "`300` CPU is not a Fargate size; Fargate allows 256, 512, 1024, 2048, 4096, 8192, 16384 or 32768 CPU units"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("for 1024 MiB of `memory`, use `cpu` 256 or 512")
    );
    let finding = only(
        run(&sized("1.5 vCPU", "3000")),
        "fargate-cpu-memory",
        "$.cpu",
    );
    assert!(
        finding
            .message
            .starts_with("`1.5 vCPU` (1536) CPU is not a Fargate size")
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("pick the size with enough CPU: 1024 units are one vCPU")
    );
}

#[test]
fn unreadable_sizes() {
    let finding = only(run(&sized("1 core", "1024")), "task-size-value", "$.cpu");
    assert_eq!(
        finding.message,
        "`cpu` `1 core` is not a number of CPU units (`1024`) or vCPUs (`1 vCPU`)"
    );
    let finding = only(run(&sized("512", "1 GiB")), "task-size-value", "$.memory");
    assert_eq!(
        finding.message,
        "`memory` `1 GiB` is not a number of MiB (`2048`) or GB (`2 GB`)"
    );
}

#[test]
fn fargate_needs_awsvpc() {
    let finding = only(
        run(&super::with("/networkMode", json!("bridge"))),
        "fargate-network-mode",
        "$.networkMode",
    );
    assert_eq!(
        finding.message,
        "Fargate requires `networkMode` `awsvpc`, not `bridge`"
    );
    let mut document = web_and_sidecar();
    remove(&mut document, "/networkMode");
    let finding = only(run(&document), "fargate-network-mode", "$");
    assert_eq!(
        finding.message,
        "Fargate requires `networkMode` `awsvpc`; the task sets none, and ECS's default is `bridge`"
    );
    // On EC2 any mode goes.
    let mut document = super::with("/networkMode", json!("bridge"));
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    assert_eq!(run(&document), []);
}

#[test]
fn fargate_needs_task_cpu_and_memory() {
    let mut document = sized("512", "1024");
    remove(&mut document, "/cpu");
    let finding = only(run(&document), "fargate-task-size", "$");
    assert_eq!(
        finding.message,
        "Fargate requires task-level `cpu` and `memory`; the task does not define `cpu`"
    );
    remove(&mut document, "/memory");
    let finding = only(run(&document), "fargate-task-size", "$");
    assert_eq!(
        finding.message,
        "Fargate requires task-level `cpu` and `memory`; the task does not define `cpu` or `memory`"
    );
}

#[test]
fn windows_on_fargate() {
    for cpu in ["1024", "2048", "4096"] {
        let memory = (cpu.parse::<u64>().unwrap() * 2).to_string();
        assert_eq!(run(&windows(cpu, &memory)), [], "{cpu}");
    }
    let finding = only(run(&windows("512", "1024")), "windows-fargate-cpu", "$.cpu");
    assert_eq!(
        finding.message,
        "Windows containers on Fargate need at least 1 vCPU (1024 units); `cpu` is `512`"
    );
    let finding = only(
        run(&windows("8 vCPU", "16 GB")),
        "windows-fargate-cpu",
        "$.cpu",
    );
    assert_eq!(
        finding.message,
        "Windows containers on Fargate run with 1024, 2048 or 4096 CPU units; `8 vCPU` (8192) is for Linux only"
    );
    // Sizes that fit the memory are suggested only among Windows sizes.
    let findings = run(&windows("256", "2048"));
    assert_eq!(
        rules(&findings),
        [("windows-fargate-cpu", "$.cpu".to_owned())]
    );
    let findings = run(&windows("1024", "1024"));
    assert_eq!(
        findings[0].help.as_deref(),
        Some(
            "AWS answers `No Fargate configuration exists for given values`: set `memory` to one of those"
        )
    );

    let mut document = windows("1024", "2048");
    set(
        &mut document,
        "/runtimePlatform/cpuArchitecture",
        json!("ARM64"),
    );
    let finding = only(
        run(&document),
        "windows-fargate-architecture",
        "$.runtimePlatform.cpuArchitecture",
    );
    assert_eq!(
        finding.message,
        "Windows containers on Fargate run only on `X86_64`, not `ARM64`"
    );
    // On EC2, Windows task sizes are not Fargate's.
    let mut document = windows("512", "1024");
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    assert_eq!(run(&document), []);
}

#[test]
fn ec2_cpu_range() {
    let ec2 = |cpu: &str| {
        let mut document = sized(cpu, "1024");
        set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
        document
    };
    for cpu in ["128", "300", "196608", "192 vCPU", "0.125 vCPU"] {
        assert_eq!(run(&ec2(cpu)), [], "{cpu}");
    }
    let finding = only(run(&ec2("64")), "task-cpu", "$.cpu");
    assert_eq!(
        finding.message,
        "task `cpu` `64` is outside the 128 to 196608 units (0.125 to 192 vCPU) ECS accepts for EC2 and external instances"
    );
    assert_eq!(rules(&run(&ec2("196609"))).len(), 1);
    assert_eq!(rules(&run(&ec2("193 vCPU"))).len(), 1);
    // No `requiresCompatibilities` is EC2.
    let mut document = ec2("64");
    remove(&mut document, "/requiresCompatibilities");
    assert_eq!(rules(&run(&document)), [("task-cpu", "$.cpu".to_owned())]);
}
