use serde_json::{Value, json};

use super::{only, remove, rules, run, set, web_and_sidecar, with, without_firelens};

/// The fixture on EC2 with no task-level memory, so containers must size themselves.
fn ec2_without_task_memory() -> Value {
    let mut document = web_and_sidecar();
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    remove(&mut document, "/memory");
    document
}

#[test]
fn containers_need_memory_without_task_memory() {
    let document = ec2_without_task_memory();
    assert_eq!(run(&document), []);

    let mut document = ec2_without_task_memory();
    remove(&mut document, "/containerDefinitions/1/memoryReservation");
    let finding = only(
        run(&document),
        "container-memory",
        "$.containerDefinitions[1]",
    );
    assert_eq!(
        finding.message,
        "container `log-router` sets neither `memory` nor `memoryReservation`, and the task sets no `memory`"
    );
    // Either one is enough.
    set(&mut document, "/containerDefinitions/1/memory", json!(64));
    assert_eq!(run(&document), []);
    // With task-level memory, containers may leave it out.
    set(&mut document, "/memory", json!("2048"));
    remove(&mut document, "/containerDefinitions/1/memory");
    assert_eq!(run(&document), []);
    // On Fargate the missing task memory is the one finding.
    let mut document = web_and_sidecar();
    remove(&mut document, "/memory");
    remove(&mut document, "/containerDefinitions/1/memoryReservation");
    assert_eq!(
        rules(&run(&document)),
        [("fargate-task-size", "$".to_owned())]
    );
}

#[test]
fn at_least_six_mib() {
    let finding = only(
        run(&with("/containerDefinitions/1/memoryReservation", json!(4))),
        "container-memory",
        "$.containerDefinitions[1].memoryReservation",
    );
    assert_eq!(
        finding.message,
        "container `log-router` has `memoryReservation` 4 MiB; Docker reserves 6 MiB for a container, so ECS needs at least that"
    );
    assert_eq!(
        finding.help.as_deref(),
        Some("set `memoryReservation` to 6 MiB or more")
    );
    assert_eq!(
        run(&with("/containerDefinitions/1/memoryReservation", json!(6))),
        []
    );
    let mut document = with("/containerDefinitions/1/memory", json!(5));
    remove(&mut document, "/containerDefinitions/1/memoryReservation");
    only(
        run(&document),
        "container-memory",
        "$.containerDefinitions[1].memory",
    );
}

#[test]
fn reservation_below_the_hard_limit() {
    let finding = only(
        run(&with(
            "/containerDefinitions/0/memoryReservation",
            json!(768),
        )),
        "memory-reservation",
        "$.containerDefinitions[0].memoryReservation",
    );
    assert_eq!(
        finding.message,
        "container `web` has `memoryReservation` 768 MiB, not less than its `memory` 768 MiB"
    );
    assert_eq!(
        run(&with(
            "/containerDefinitions/0/memoryReservation",
            json!(767)
        )),
        []
    );
}

#[test]
fn one_container_over_the_task() {
    let finding = only(
        run(&with("/containerDefinitions/0/memory", json!(2048))),
        "container-sum",
        "$.containerDefinitions[0].memory",
    );
    assert_eq!(
        finding.message,
        "container `web` has `memory` 2048 MiB, more than the task's 1024 MiB"
    );
    assert!(
        finding
            .help
            .unwrap()
            .contains("is greater than for the task.")
    );
    let mut document = with("/containerDefinitions/1/memoryReservation", json!(1025));
    set(
        &mut document,
        "/containerDefinitions/0/memoryReservation",
        json!(100),
    );
    set(&mut document, "/containerDefinitions/0/memory", json!(200));
    only(
        run(&document),
        "container-sum",
        "$.containerDefinitions[1].memoryReservation",
    );
    let finding = only(
        run(&with("/containerDefinitions/0/cpu", json!(1024))),
        "container-sum",
        "$.containerDefinitions[0].cpu",
    );
    assert_eq!(
        finding.message,
        "container `web` has `cpu` 1024 units, more than the task's 512"
    );
}

#[test]
fn containers_together_over_the_task() {
    // 768 + 257 = 1025 MiB against 1024; memory counts, else the reservation.
    let finding = only(
        run(&with(
            "/containerDefinitions/1/memoryReservation",
            json!(257),
        )),
        "container-sum",
        "$.memory",
    );
    assert_eq!(
        finding.message,
        "the containers' memory adds up to 1025 MiB (`web` 768 and `log-router` 257), more than the task's 1024 MiB"
    );
    assert_eq!(
        run(&with(
            "/containerDefinitions/1/memoryReservation",
            json!(256)
        )),
        []
    );
    let finding = only(
        run(&with("/containerDefinitions/1/cpu", json!(129))),
        "container-sum",
        "$.cpu",
    );
    assert_eq!(
        finding.message,
        "the containers' `cpu` adds up to 513 units (`web` 384 and `log-router` 129), more than the task's 512"
    );
    // In GB and vCPU units too.
    let mut document = with("/containerDefinitions/1/cpu", json!(129));
    set(&mut document, "/cpu", json!("0.5 vCPU"));
    set(&mut document, "/memory", json!("1 GB"));
    only(run(&document), "container-sum", "$.cpu");
}

#[test]
fn windows_on_ec2_ignores_task_sizes() {
    let mut document = with("/containerDefinitions/0/memory", json!(4096));
    set(&mut document, "/containerDefinitions/0/cpu", json!(4096));
    set(&mut document, "/requiresCompatibilities", json!(["EC2"]));
    set(
        &mut document,
        "/runtimePlatform",
        json!({"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"}),
    );
    without_firelens(&mut document);
    assert_eq!(run(&document), []);
}
