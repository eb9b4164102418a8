//! What `ecs-tagcheck` quotes of the image references it judges: a password in front of the
//! host is never printed, and a reference of a megabyte from a hostile file is quoted
//! shortened, in every report format (`docs/reliability.md#what-an-error-quotes`).

use crate::support::harness::Test;

const FORMATS: [&str; 4] = ["text", "json", "sarif", "junit"];

/// The password of `ci:…@registry` in a Dockerfile's `FROM`, parsed or not.
const PASSWORD: &str = "plantedDockerfilePassword0001";

#[test]
fn a_password_in_a_dockerfile_reference_is_not_quoted() {
    for from in [
        format!("ci:{PASSWORD}@registry.example.com/web:latest"),
        format!("ci:ghp_{PASSWORD}@registry.example.com/web:latest"),
    ] {
        for format in FORMATS {
            let outcome = Test::new()
                .file("Dockerfile", format!("FROM {from}\n"))
                .args(["--format", format, "Dockerfile"])
                .run("ecs-tagcheck");
            assert_ne!(outcome.code, 0, "{format}: {}", outcome.stderr);
            assert!(
                !outcome.stdout.contains(PASSWORD) && !outcome.stderr.contains(PASSWORD),
                "{format}: {}{}",
                outcome.stdout,
                outcome.stderr
            );
        }
    }
}

#[test]
fn a_reference_of_a_megabyte_is_quoted_shortened() {
    let huge = "a".repeat(1_000_000);
    let files = [
        ("Dockerfile", format!("FROM {huge}:latest\n")),
        ("Dockerfile", format!("FROM {huge}\n")),
        ("Dockerfile", format!("ARG V={huge}\nFROM nginx:${{V}}\n")),
        ("Dockerfile", format!("FROM nginx:${{{huge}}}\n")),
        ("main.tf", format!("image = \"nginx:${{{huge}}}\"\n")),
    ];
    for (name, contents) in files {
        for format in FORMATS {
            let outcome = Test::new()
                .file(name, &contents)
                .args(["--format", format, "--require-digest", name])
                .run("ecs-tagcheck");
            let printed = outcome.stdout.len() + outcome.stderr.len();
            assert!(printed < 20_000, "{name} {format}: {printed} bytes");
        }
    }
}
