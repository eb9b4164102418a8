use proptest::prelude::*;

use super::*;

const SHA: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const ECR: &str = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

fn parts(input: &str) -> (Option<String>, String, Option<String>, Option<String>) {
    let reference = ImageReference::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
    assert_eq!(reference.as_str(), input);
    (
        reference.registry().map(str::to_owned),
        reference.repository().to_owned(),
        reference.tag().map(str::to_owned),
        reference.digest().map(|d| d.to_string()),
    )
}

fn part_of_error(input: &str) -> ReferencePart {
    match ImageReference::parse(input) {
        Ok(reference) => panic!("`{input}` parsed as {reference:?}"),
        Err(error) => error.part(),
    }
}

#[test]
fn splits_registry_repository_tag_and_digest() {
    let none = None::<String>;
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(parts("nginx"), (none.clone(), "nginx".into(), None, None));
    assert_eq!(
        parts("nginx:1.27-alpine"),
        (None, "nginx".into(), some("1.27-alpine"), None)
    );
    assert_eq!(
        parts("library/nginx"),
        (None, "library/nginx".into(), None, None)
    );
    assert_eq!(
        parts("localhost/web"),
        (some("localhost"), "web".into(), None, None)
    );
    assert_eq!(
        parts("localhost:5000/web:v1"),
        (some("localhost:5000"), "web".into(), some("v1"), None)
    );
    assert_eq!(
        parts("127.0.0.1:5000/a/b"),
        (some("127.0.0.1:5000"), "a/b".into(), None, None)
    );
    assert_eq!(
        parts("[::1]:5000/web:v1"),
        (some("[::1]:5000"), "web".into(), some("v1"), None)
    );
    assert_eq!(
        parts("[fe80::1]/web"),
        (some("[fe80::1]"), "web".into(), None, None)
    );
    assert_eq!(
        parts(&format!("web@{SHA}")),
        (None, "web".into(), None, some(SHA))
    );
    assert_eq!(
        parts(&format!("{ECR}/team/web:1.2@{SHA}")),
        (some(ECR), "team/web".into(), some("1.2"), some(SHA))
    );
    assert_eq!(
        parts("Registry/web"),
        (some("Registry"), "web".into(), None, None)
    );
    assert_eq!(
        parts("a__b/c-----d/e.f_g:_tag"),
        (None, "a__b/c-----d/e.f_g".into(), some("_tag"), None)
    );
}

#[test]
fn implicit_latest_is_reported() {
    let untagged = ImageReference::parse("nginx").unwrap();
    assert!(untagged.is_implicitly_latest());
    assert_eq!(untagged.effective_tag(), Some(IMPLICIT_TAG));
    assert_eq!(
        untagged.tag(),
        None,
        "the implicit tag is never written into the reference"
    );
    let pinned = ImageReference::parse(&format!("nginx@{SHA}")).unwrap();
    assert!(!pinned.is_implicitly_latest());
    assert_eq!(pinned.effective_tag(), None);
    let both = ImageReference::parse(&format!("nginx:latest@{SHA}")).unwrap();
    assert_eq!(both.effective_tag(), Some("latest"));
}

#[test]
fn name_and_pinned_form() {
    let reference = ImageReference::parse(&format!("{ECR}/web:1.2")).unwrap();
    assert_eq!(reference.name(), format!("{ECR}/web"));
    let digest = Digest::parse(SHA).unwrap();
    assert_eq!(reference.pinned(&digest), format!("{ECR}/web@{SHA}"));
}

#[test]
fn recognises_every_ecr_host() {
    let private = |fips, dual_stack| EcrRegistryKind::Private { fips, dual_stack };
    let cases = [
        (
            "123456789012.dkr.ecr.eu-west-1.amazonaws.com",
            private(false, false),
            "eu-west-1",
        ),
        (
            "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
            private(false, false),
            "cn-north-1",
        ),
        (
            "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com",
            private(true, false),
            "us-gov-west-1",
        ),
        (
            "123456789012.dkr-ecr.us-east-1.on.aws",
            private(false, true),
            "us-east-1",
        ),
        (
            "123456789012.dkr-ecr-fips.us-east-2.on.aws",
            private(true, true),
            "us-east-2",
        ),
        (
            "123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu",
            private(false, false),
            "eusc-de-east-1",
        ),
    ];
    for (host, kind, region) in cases {
        let reference = ImageReference::parse(&format!("{host}/team/web:1")).unwrap();
        let ecr = reference.ecr().unwrap_or_else(|| panic!("{host} is ECR"));
        assert_eq!(ecr.kind, kind, "{host}");
        assert_eq!(ecr.registry_id, Some("123456789012"));
        assert_eq!(ecr.region, Some(region));
        assert_eq!(ecr.repository, "team/web");
    }
    let public = ImageReference::parse("public.ecr.aws/docker/library/node:20").unwrap();
    let ecr = public.ecr().unwrap();
    assert_eq!(ecr.kind, EcrRegistryKind::Public);
    assert_eq!(ecr.public_alias, Some("docker"));
    assert_eq!(ecr.repository, "library/node");
}

#[test]
fn other_registries_are_not_ecr() {
    for input in [
        "nginx",
        "ghcr.io/org/app:1",
        "12345678901.dkr.ecr.us-east-1.amazonaws.com/web",
        "123456789012.dkr.ecr.us-east-1.example.com/web",
        "123456789012.dkr.ecr.useast1.amazonaws.com/web",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com:443/web",
        "localhost:5000/web",
    ] {
        assert!(
            ImageReference::parse(input).unwrap().ecr().is_none(),
            "{input}"
        );
    }
}

#[test]
fn each_error_names_the_wrong_part() {
    use ReferencePart::{Digest as D, Port, Reference, Registry, Repository, Tag};
    let long_tag = format!("web:{}", "a".repeat(129));
    let long_name = format!("{}/{}", "a".repeat(200), "b".repeat(60));
    let cases: Vec<(&str, ReferencePart)> = vec![
        ("", Reference),
        ("web: 1", Reference),
        ("web:1\n", Reference),
        ("https://ghcr.io/org/app", Reference),
        ("MyApp:1.0", Repository),
        ("team//web", Repository),
        ("team/web/", Repository),
        ("web-:1", Repository),
        ("we..b", Repository),
        ("we___b", Repository),
        ("we$b", Repository),
        ("ghcr.io/", Repository),
        ("@sha256:00", Repository),
        (&long_name, Repository),
        ("web:", Tag),
        ("web:-1", Tag),
        ("web:.1", Tag),
        ("web:feature/x", Port),
        ("web:v1+build", Tag),
        (&long_tag, Tag),
        ("web@sha256:abc", D),
        ("web@sha256", D),
        ("web@SHA 256:00", Reference),
        (
            "web@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            D,
        ),
        ("web@md5:0123456789abcdef", D),
        (
            "web@sha256:zz23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            D,
        ),
        ("web@1sha:0123456789abcdef0123456789abcdef", D),
        ("ghcr..io/web", Registry),
        ("-ghcr.io/web", Registry),
        ("gh_cr.io/web", Registry),
        ("[::1/web", Registry),
        ("[zz]/web", Registry),
        ("localhost:/web", Port),
        ("localhost:50a0/web", Port),
    ];
    for (input, part) in cases {
        assert_eq!(part_of_error(input), part, "{input:?}");
    }
}

#[test]
fn errors_carry_a_useful_help() {
    // Docker reads an upper-case first component as a registry host; the user meant a repository.
    let upper = ImageReference::parse("Team/Web:1").unwrap_err();
    assert_eq!(
        upper.help(),
        Some("repository names are lower case: use `team/web`")
    );
    let upper = ImageReference::parse("ghcr.io/Team/Web:1").unwrap_err();
    assert_eq!(
        upper.help(),
        Some("repository names are lower case: use `team/web`")
    );
    let branch = ImageReference::parse("web:feature/login").unwrap_err();
    assert!(
        branch.help().unwrap().contains("replace it with `-`"),
        "{branch}"
    );
    let scheme = ImageReference::parse("https://ghcr.io/web").unwrap_err();
    assert_eq!(scheme.help(), Some("drop `https://`"));
    assert_eq!(
        ImageReference::parse("web:").unwrap_err().to_string(),
        "`web:` is not a valid image reference: the `:` is followed by no tag"
    );
}

#[test]
fn ecs_limits_beyond_the_grammar() {
    assert!(
        ImageReference::parse(&format!("{ECR}/web@{SHA}"))
            .unwrap()
            .ecs_problems()
            .is_empty()
    );
    let other_algorithm = format!("web@blake3:{}", "a".repeat(64));
    let problems = ImageReference::parse(&other_algorithm)
        .unwrap()
        .ecs_problems();
    assert_eq!(
        problems,
        ["ECS supports only `sha256` digests, not `blake3`"]
    );
    let ipv6 = ImageReference::parse("[::1]:5000/web:1")
        .unwrap()
        .ecs_problems();
    assert!(ipv6[0].contains("`[`"), "{ipv6:?}");
    // 255 characters before the digest are allowed; the digest itself does not count.
    let name = format!("{ECR}/{}", "a".repeat(255 - ECR.len() - 1 - 3));
    let at_limit = ImageReference::parse(&format!("{name}:v1@{SHA}")).unwrap();
    assert!(
        at_limit.ecs_problems().is_empty(),
        "{:?}",
        at_limit.ecs_problems()
    );
    let over = ImageReference::parse(&format!("{name}:v12")).unwrap();
    assert_eq!(over.ecs_problems().len(), 1);
}

fn path_component() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,6}((\\.|_|__|-{1,3})[a-z0-9]{1,6}){0,2}"
}

fn registry() -> impl Strategy<Value = Option<String>> {
    let label = "[a-zA-Z0-9]([a-zA-Z0-9-]{0,6}[a-zA-Z0-9])?";
    let port = proptest::option::of(1u16..);
    let host = prop_oneof![
        (proptest::collection::vec(label, 2..4)).prop_map(|labels| labels.join(".")),
        Just("localhost".to_owned()),
        (any::<[u8; 4]>()).prop_map(|o| format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])),
        // distribution's IPv6 pattern is `[a-fA-F0-9:]+`: no embedded IPv4 form.
        (any::<[u16; 8]>()).prop_map(|s| format!("[{}]", s.map(|x| format!("{x:x}")).join(":"))),
        (any::<u64>()).prop_map(|n| format!(
            "{:012}.dkr.ecr.us-west-2.amazonaws.com",
            n % 1_000_000_000_000
        )),
    ];
    proptest::option::of((host, port).prop_map(|(host, port)| match port {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }))
}

prop_compose! {
    fn valid_reference()(
        registry in registry(),
        path in proptest::collection::vec(path_component(), 1..4),
        tag in proptest::option::of("[A-Za-z0-9_][A-Za-z0-9_.-]{0,40}"),
        digest in proptest::option::of("[0-9a-f]{64}"),
    ) -> (Option<String>, String, Option<String>, Option<String>) {
        // A first path component that looks like a host would be read as one: keep it lower case
        // and free of dots when there is no registry, as real Docker Hub names are.
        let path = path.join("/");
        let path = if registry.is_none() && path.split('/').next().is_some_and(|c| c.contains('.')) {
            format!("x/{path}")
        } else {
            path
        };
        (registry, path, tag, digest.map(|hex| format!("sha256:{hex}")))
    }
}

fn assemble(
    registry: Option<&String>,
    path: &str,
    tag: Option<&String>,
    digest: Option<&String>,
) -> String {
    let mut text = registry.map_or_else(String::new, |r| format!("{r}/"));
    text.push_str(path);
    if let Some(tag) = tag {
        text.push(':');
        text.push_str(tag);
    }
    if let Some(digest) = digest {
        text.push('@');
        text.push_str(digest);
    }
    text
}

proptest! {
    #[test]
    fn every_valid_reference_round_trips((registry, path, tag, digest) in valid_reference()) {
        let text = assemble(registry.as_ref(), &path, tag.as_ref(), digest.as_ref());
        prop_assume!(assemble(registry.as_ref(), &path, None, None).len() <= 255);
        let parsed = ImageReference::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parsed.as_str(), text.as_str());
        prop_assert_eq!(parsed.registry(), registry.as_deref());
        prop_assert_eq!(parsed.repository(), path.as_str());
        prop_assert_eq!(parsed.tag(), tag.as_deref());
        prop_assert_eq!(parsed.digest().map(|d| d.to_string()), digest.clone());
        prop_assert_eq!(parsed.to_string().parse::<ImageReference>().unwrap(), parsed);
    }

    #[test]
    fn a_broken_part_is_named(
        (registry, path, tag, _digest) in valid_reference(),
        fault in 0..6usize,
    ) {
        let tag = tag.unwrap_or_else(|| "v1".to_owned());
        let (text, part) = match fault {
            0 => (assemble(registry.as_ref(), &path.to_ascii_uppercase().replace('X', "Y"), Some(&tag), None), ReferencePart::Repository),
            1 => (assemble(registry.as_ref(), &format!("{path}//x"), Some(&tag), None), ReferencePart::Repository),
            2 => (assemble(registry.as_ref(), &path, Some(&format!("{tag}!")), None), ReferencePart::Tag),
            3 => (assemble(registry.as_ref(), &path, Some(&"t".repeat(129)), None), ReferencePart::Tag),
            4 => (assemble(registry.as_ref(), &path, Some(&tag), Some(&"sha256:abc".to_owned())), ReferencePart::Digest),
            _ => (assemble(Some(&"bad_host.io".to_owned()), &path, Some(&tag), None), ReferencePart::Registry),
        };
        // Upper-casing a path with no letters changes nothing; such a case proves nothing.
        prop_assume!(fault != 0 || path.chars().any(|c| c.is_ascii_lowercase()));
        // Without a registry, an upper-case first component is read as a registry host.
        prop_assume!(fault != 0 || registry.is_some());
        let error = ImageReference::parse(&text).expect_err(&text);
        prop_assert_eq!(error.part(), part, "{}", error);
        // Quoted as every message quotes a user's value: cut short when long.
        let quoted = crate::secrets::shown(&text);
        prop_assert!(error.to_string().contains(&*quoted), "the message quotes the input: {}", error);
    }
}

proptest! {
    /// `oci-spec` (the parser behind `oci-client`) is an independent judge: what we accept, it
    /// accepts, and it finds the same repository, tag and digest after its normalisation.
    #[test]
    fn agrees_with_oci_spec((registry, path, tag, digest) in valid_reference()) {
        let text = assemble(registry.as_ref(), &path, tag.as_ref(), digest.as_ref());
        prop_assume!(assemble(registry.as_ref(), &path, None, None).len() <= 255);
        // oci-spec 0.10 predates distribution's IPv6 host support.
        prop_assume!(!text.starts_with('['));
        let ours = ImageReference::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let theirs: oci_spec::distribution::Reference =
            text.parse().map_err(|e| TestCaseError::fail(format!("oci-spec refused `{text}`: {e:?}")))?;
        prop_assert_eq!(theirs.tag(), ours.tag().or(ours.digest().is_none().then_some(IMPLICIT_TAG)));
        prop_assert_eq!(theirs.digest().map(str::to_owned), ours.digest().map(|d| d.to_string()));
        prop_assert!(theirs.repository().ends_with(ours.repository()), "{} vs {}", theirs.repository(), ours.repository());
    }
}
