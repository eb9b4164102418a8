use super::*;

const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn covers(prefix: &str, image: &str) -> bool {
    TrustedPrefix::parse(prefix)
        .unwrap()
        .covers(&ImageReference::parse(image).unwrap())
}

#[test]
fn docker_hub_names_are_normalised_on_both_sides() {
    let name = |image: &str| normalised_name(&ImageReference::parse(image).unwrap());
    assert_eq!(name("nginx:1.27"), "docker.io/library/nginx");
    assert_eq!(name("docker.io/nginx"), "docker.io/library/nginx");
    assert_eq!(name("index.docker.io/team/web"), "docker.io/team/web");
    assert_eq!(name("bitnami/redis:7"), "docker.io/bitnami/redis");
    assert_eq!(
        TrustedPrefix::parse("nginx").unwrap().normalised(),
        "docker.io/library/nginx"
    );
    assert_eq!(
        TrustedPrefix::parse("Index.Docker.IO/library/")
            .unwrap()
            .normalised(),
        "docker.io/library"
    );
    assert!(covers("nginx", "nginx:1.27"));
    assert!(covers("nginx", "docker.io/library/nginx:1.27"));
    assert!(covers("docker.io/library/nginx", "nginx"));
    assert!(covers("docker.io/library", "node:20"));
    assert!(covers("docker.io", "bitnami/redis:7"));
    assert!(covers("index.docker.io", "nginx:1.27"));
    assert!(covers("docker.io/bitnami", "bitnami/redis:7"));
    assert!(covers("bitnami/redis", "docker.io/bitnami/redis:7"));
    // A bare name is an official image, as `FROM bitnami` is: not the organisation.
    assert!(!covers("bitnami", "bitnami/redis:7"));
    assert!(!covers("docker.io/library", "bitnami/redis:7"));
}

#[test]
fn a_hub_name_after_another_registry_is_not_docker_hub() {
    assert!(!covers("docker.io", "evil.example/docker.io/x:1"));
    assert!(!covers("docker.io/library", "evil.example/library/nginx:1"));
    assert!(covers(
        "evil.example/docker.io",
        "evil.example/docker.io/x:1"
    ));
    assert!(!covers("nginx", "localhost/nginx:1"));
}

#[test]
fn prefixes_match_on_path_segment_boundaries() {
    assert!(covers(
        "gcr.io/distroless",
        "gcr.io/distroless/static:nonroot"
    ));
    assert!(covers("gcr.io/distroless", "gcr.io/distroless"));
    assert!(covers(
        "gcr.io/distroless/",
        &format!("gcr.io/distroless/base@{SHA}")
    ));
    assert!(!covers("gcr.io/distroless", "gcr.io/distroless-evil/x:1"));
    assert!(!covers("gcr.io/distroless", "gcr.io/other/static:1"));
    assert!(covers("gcr.io", "gcr.io/distroless-evil/x:1"));
    assert!(!covers("gcr.io", "gcr.io.evil.example/x:1"));
    assert!(!covers("gcr.io", "eu.gcr.io/x:1"));
    assert!(!covers("ghcr.io/acme", "ghcr.io/acme-corp/web:1"));
}

#[test]
fn a_port_is_part_of_the_registry() {
    assert!(covers(
        "registry.example:5000",
        "registry.example:5000/app:1"
    ));
    assert!(covers("localhost:5000/team", "localhost:5000/team/app:1"));
    assert!(!covers("registry.example", "registry.example:5000/app:1"));
    assert!(!covers(
        "registry.example:5000",
        "registry.example:5001/app:1"
    ));
    assert!(!covers("registry.example:5000", "registry.example/app:1"));
    assert!(covers(
        "Registry.Example:5000",
        "registry.example:5000/app:1"
    ));
}

#[test]
fn ecr_hosts_name_one_account_and_region() {
    let host = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
    assert!(covers(host, &format!("{host}/web:1.4.2")));
    assert!(covers(
        &format!("{host}/team"),
        &format!("{host}/team/web:1")
    ));
    assert!(!covers(
        &format!("{host}/team"),
        &format!("{host}/teamx/web:1")
    ));
    assert!(!covers(
        host,
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.example/web:1"
    ));
    assert!(!covers(
        host,
        "210987654321.dkr.ecr.eu-west-1.amazonaws.com/web:1"
    ));
    assert!(!covers(
        host,
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
    ));
    assert!(covers(
        "public.ecr.aws/docker/library",
        "public.ecr.aws/docker/library/node:20"
    ));
    assert!(!covers("public.ecr.aws/docker/library", "node:20"));
}

#[test]
fn prefixes_that_could_match_nothing_are_refused() {
    assert_eq!(
        TrustedPrefix::parse(" ").unwrap_err(),
        "a trusted registry prefix cannot be empty"
    );
    assert!(
        TrustedPrefix::parse("nginx:1.27")
            .unwrap_err()
            .contains("`nginx:1.27`")
    );
    assert!(TrustedPrefix::parse("gcr.io/distroless:latest").is_err());
    assert!(
        TrustedPrefix::parse(&format!("nginx@{SHA}"))
            .unwrap_err()
            .contains("digest")
    );
    assert!(TrustedPrefix::parse("gcr.io//x").is_err());
    assert!(TrustedPrefix::parse("https://gcr.io").is_err());
    assert!(TrustedPrefix::parse("gcr.io/Distroless").is_err());
    assert!(TrustedPrefix::parse("registry.example:").is_err());
    assert!(TrustedPrefix::parse("registry.example:5000/").is_ok());
    assert!(TrustedPrefix::parse("[::1]:5000/team").is_ok());
}

#[test]
fn no_prefixes_trust_everything_and_a_miss_names_the_normalised_name() {
    let nginx = ImageReference::parse("nginx:1.27").unwrap();
    let location = Location::line(1, Some(6));
    assert_eq!(check(&nginx, &location, &Policy::default()), None);
    let policy = Policy {
        trusted: vec![TrustedPrefix::parse("gcr.io/distroless").unwrap()],
        ..Policy::default()
    };
    let finding = check(&nginx, &location, &policy).unwrap();
    assert_eq!(finding.rule, "untrusted-registry");
    assert_eq!(
        finding.message,
        "`nginx:1.27` is pulled from `docker.io/library/nginx`, which no trusted registry or repository prefix covers"
    );
    assert_eq!(finding.location_str(), Some("line 1, column 6"));
    let static_ = ImageReference::parse("gcr.io/distroless/static:nonroot").unwrap();
    assert_eq!(check(&static_, &location, &policy), None);
}
