use std::collections::BTreeMap;

use proptest::prelude::*;
use serde_json::json;

use super::*;

fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

fn expand(text: &str, pairs: &[(&str, &str)]) -> Result<String, SubstitutionError> {
    substitute_str(text, &vars(pairs))
}

fn reasons(text: &str) -> Vec<(String, String)> {
    let error = expand(text, &[("A", "a")]).expect_err(text);
    assert!(error.missing.is_empty(), "{error:?}");
    let malformed = error.malformed.into_iter();
    malformed.map(|m| (m.text, m.reason)).collect()
}

#[test]
fn replaces_variables_and_leaves_other_text() {
    let pairs = [("REPO", "r"), ("TAG", "t"), ("EMPTY", "")];
    assert_eq!(expand("${REPO}:${TAG}", &pairs).unwrap(), "r:t");
    assert_eq!(expand("x${EMPTY}y", &pairs).unwrap(), "xy");
    assert_eq!(expand("", &pairs).unwrap(), "");
    for plain in [
        "$HOME",
        "echo $1",
        "price $5",
        "$$",
        "a $",
        "$",
        "{}",
        "}${REPO}{",
    ] {
        let expected = plain.replace("${REPO}", "r");
        assert_eq!(expand(plain, &pairs).unwrap(), expected);
    }
}

#[test]
fn placeholders_are_untouched() {
    for placeholder in ["<IMAGE1_NAME>", "<TASK_DEFINITION>", "<${TAG}>"] {
        let expected = placeholder.replace("${TAG}", "v1");
        assert_eq!(expand(placeholder, &[("TAG", "v1")]).unwrap(), expected);
    }
}

#[test]
fn double_dollar_before_brace_is_an_escape() {
    assert_eq!(expand("$${HOME}", &[]).unwrap(), "${HOME}");
    assert_eq!(expand("$${", &[]).unwrap(), "${");
    assert_eq!(expand("$$${A}", &[("A", "a")]).unwrap(), "$a");
    assert_eq!(expand("$$$${A}", &[("A", "a")]).unwrap(), "$${A}");
    assert_eq!(
        expand("sh -c 'echo $${X:-y} $$'", &[]).unwrap(),
        "sh -c 'echo ${X:-y} $$'"
    );
}

#[test]
fn defaults_follow_the_shell() {
    let pairs = [("SET", "s"), ("EMPTY", "")];
    assert_eq!(expand("${SET:-d}", &pairs).unwrap(), "s");
    assert_eq!(expand("${EMPTY:-d}", &pairs).unwrap(), "d");
    assert_eq!(expand("${UNSET:-d}", &pairs).unwrap(), "d");
    assert_eq!(expand("[${UNSET:-}]", &pairs).unwrap(), "[]");
    assert_eq!(expand("${UNSET:-a b:-c$d}", &pairs).unwrap(), "a b:-c$d");
    // The default ends at the first `}`.
    assert_eq!(expand("${UNSET:-{x}}", &pairs).unwrap(), "{x}");
}

#[test]
fn values_are_inserted_literally() {
    let pairs = [("A", "${B}"), ("B", "no")];
    assert_eq!(expand("${A}", &pairs).unwrap(), "${B}");
    assert_eq!(expand("\"${A}\"", &[("A", "\"}\\")]).unwrap(), "\"\"}\\\"");
}

#[test]
fn unicode_text_survives() {
    let pairs = [("NAME", "wörld 🌍")];
    assert_eq!(
        expand("héllo ${NAME} ✓", &pairs).unwrap(),
        "héllo wörld 🌍 ✓"
    );
    assert_eq!(expand("${X:-日本}€$", &pairs).unwrap(), "日本€$");
}

#[test]
fn malformed_references_say_why() {
    let cases = [
        ("${1A}", "cannot start with a digit"),
        ("${ NAME }", "spaces are not allowed"),
        ("${NAME }", "spaces are not allowed"),
        ("x ${NAME", "no closing `}`"),
        ("${NAME:=x}", "`:=` is not supported, only `:-` is"),
        ("${NAME:+x}", "`:+` is not supported"),
        ("${NAME-x}", "`-` without `:`"),
        ("${NAME:1}", "only `:-` may follow the name"),
        ("${#NAME}", "shell operator"),
        ("${NAME#x}", "shell operator"),
        ("${}", "the variable name is empty"),
        ("${:-x}", "the variable name is empty"),
        ("${A.B}", "`.` is not allowed"),
        ("${ÄB}", "starts with a letter or `_`, not `Ä`"),
        ("${A:-${B}}", "cannot contain another `${…}`"),
        ("${AÄ}", "`Ä` is not allowed"),
    ];
    for (text, reason) in cases {
        let found = reasons(text);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        assert!(found[0].1.contains(reason), "{text}: {found:?}");
    }
    assert_eq!(reasons("x ${NAME")[0].0, "${NAME");
    assert_eq!(reasons("${1A} ${A} ${B C}")[1].0, "${B C}");
    let long = format!("${{{}", "x".repeat(100));
    assert_eq!(reasons(&long)[0].0.chars().count(), 61);
}

#[test]
fn reports_every_missing_variable_with_every_location() {
    let mut document = json!({
        "executionRoleArn": "arn:aws:iam::${AWS_ACCOUNT_ID}:role/exec",
        "taskRoleArn": "arn:aws:iam::${AWS_ACCOUNT_ID}:role/${ROLE:-task}",
        "containerDefinitions": [{
            "image": "<IMAGE1_NAME>",
            "environment": [
                {"name": "A", "value": "x"},
                {"name": "B", "value": "${OK}"},
                {"name": "C", "value": "${AWS_REGION} ${AWS_REGION}"},
            ],
            "logConfiguration": {"options": {"awslogs-region": "${AWS_REGION}"}},
            "command": ["sh", "-c", "echo ${AWS_ACCOUNT_ID} ${1X}"],
        }],
        "${NOT_A_KEY_VARIABLE}": "kept",
    });
    let before = document.clone();
    let error = substitute_strings(&mut document, &vars(&[("OK", "ok")])).unwrap_err();
    assert_eq!(document, before, "a failed substitution changes nothing");
    let missing: Vec<_> = error
        .missing
        .iter()
        .map(|m| (m.name.as_str(), m.locations.clone()))
        .collect();
    assert_eq!(
        missing,
        [
            (
                "AWS_ACCOUNT_ID",
                vec![
                    "$.containerDefinitions[0].command[2]".to_owned(),
                    "$.executionRoleArn".to_owned(),
                    "$.taskRoleArn".to_owned(),
                ]
            ),
            (
                "AWS_REGION",
                vec![
                    "$.containerDefinitions[0].environment[2].value".to_owned(),
                    r#"$.containerDefinitions[0].logConfiguration.options["awslogs-region"]"#
                        .to_owned(),
                ]
            ),
        ]
    );
    assert_eq!(error.malformed.len(), 1);
    assert_eq!(
        error.malformed[0].location.as_deref(),
        Some("$.containerDefinitions[0].command[2]")
    );
    let message = error.to_string();
    assert!(
        message.starts_with(
            "2 variables are not set: `AWS_ACCOUNT_ID` (at $.containerDefinitions[0].command[2], \
             $.executionRoleArn, $.taskRoleArn), `AWS_REGION` (at "
        ),
        "{message}"
    );
    assert!(message.ends_with("; `${1X}` is not a valid variable reference: a variable name cannot start with a digit (at $.containerDefinitions[0].command[2])"), "{message}");
    assert!(error.help().contains("--vars-file"), "{}", error.help());
    assert!(error.help().contains("$${"), "{}", error.help());
    let findings = error.findings();
    assert_eq!(findings.len(), 6);
    assert_eq!(findings[0].rule, "unset-variable");
    assert_eq!(findings[5].rule, "invalid-variable-reference");
}

#[test]
fn substitutes_in_place_and_reports_provenance() {
    let mut document = json!({
        "family": "${SERVICE}-${STAGE:-dev}",
        "cpu": "${CPU:-256}",
        "memory": 512,
        "containerDefinitions": [{"name": "${SERVICE}", "image": "<IMAGE1_NAME>", "essential": true}],
        "${KEY}": "${EMPTY:-default}",
    });
    let pairs = [("SERVICE", "web"), ("CPU", "1024"), ("EMPTY", "")];
    let substituted = substitute_strings(&mut document, &vars(&pairs)).unwrap();
    assert_eq!(
        document,
        json!({
            "family": "web-dev",
            "cpu": "1024",
            "memory": 512,
            "containerDefinitions": [{"name": "web", "image": "<IMAGE1_NAME>", "essential": true}],
            "${KEY}": "default",
        })
    );
    assert_eq!(substituted.used, ["CPU", "EMPTY", "SERVICE"]);
    assert_eq!(substituted.defaulted, ["EMPTY", "STAGE"]);
}

#[test]
fn one_missing_variable_reads_as_a_sentence() {
    let error = substitute_strings(&mut json!({"a": ["${X}", "${X}"]}), &vars(&[])).unwrap_err();
    assert_eq!(
        error.to_string(),
        "variable `X` is not set (at $.a[0], $.a[1])"
    );
    assert!(error.help().starts_with("set it in the environment"));
    let error = expand("${X}${X}${Y}", &[]).unwrap_err();
    assert_eq!(error.to_string(), "2 variables are not set: `X`, `Y`");
}

#[test]
fn errors_never_contain_values() {
    let secret = "hunter2-s3cr3t";
    let pairs = [("PASSWORD", secret)];
    let mut document = json!({"a": "${PASSWORD}", "b": "${MISSING}", "c": "${PASSWORD:=x}"});
    let error = substitute_strings(&mut document, &vars(&pairs)).unwrap_err();
    let everything = format!("{error} {error:?} {} {:?}", error.help(), error.findings());
    assert!(!everything.contains(secret), "{everything}");
}

#[test]
fn closures_and_hash_maps_are_variables() {
    let from_closure = |name: &str| (name == "A").then(|| "a".to_owned());
    assert_eq!(substitute_str("${A}", &from_closure).unwrap(), "a");
    let map: HashMap<String, String> = [("A".to_owned(), "b".to_owned())].into();
    assert_eq!(substitute_str("${A}", &map).unwrap(), "b");
    let dynamic: &dyn Variables = &map;
    assert_eq!(substitute_str("${A}", dynamic).unwrap(), "b");
    let function: &dyn Fn(&str) -> Option<String> = &|name| std::env::var(name).ok();
    assert_eq!(
        substitute_str("${PATH:-x}", function).unwrap(),
        std::env::var("PATH").unwrap()
    );
}

#[test]
fn the_expander_serves_other_formats() {
    let map = vars(&[("A", "a")]);
    let mut expander = Expander::new(&map);
    assert_eq!(expander.expand("${A}", || "line 1".into()), "a");
    assert!(matches!(
        expander.expand("plain", || unreachable!()),
        Cow::Borrowed(_)
    ));
    assert_eq!(expander.expand("${B}", || "line 3".into()), "${B}");
    let error = expander.finish().unwrap_err();
    assert_eq!(error.to_string(), "variable `B` is not set (at line 3)");
}

/// One piece of a generated template, chosen so that pieces never interact: none ends in `$`.
#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Dollar(char),
    Variable(&'static str),
    Default(&'static str, String),
    Escape,
    DollarThenVariable(&'static str),
}

const SET: [(&str, &str); 3] = [("A", "alpha"), ("EMPTY", ""), ("U", "ü${A}$")];

fn piece() -> impl Strategy<Value = Piece> {
    let name = prop::sample::select(vec!["A", "EMPTY", "U", "UNSET"]);
    let set_name = prop::sample::select(vec!["A", "EMPTY", "U"]);
    prop_oneof![
        "[^$]{0,8}".prop_map(Piece::Text),
        "[^${]".prop_map(|s| Piece::Dollar(s.chars().next().unwrap())),
        set_name.clone().prop_map(Piece::Variable),
        (name, "[^}$]{0,6}").prop_map(|(n, d)| Piece::Default(n, d)),
        Just(Piece::Escape),
        set_name.prop_map(Piece::DollarThenVariable),
    ]
}

/// The reference semantics, piece by piece.
fn reference(pieces: &[Piece]) -> (String, String) {
    let value = |name: &str| SET.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let (mut template, mut expected) = (String::new(), String::new());
    for piece in pieces {
        let (source, result) = match piece {
            Piece::Text(text) => (text.clone(), text.clone()),
            Piece::Dollar(c) => (format!("${c}"), format!("${c}")),
            Piece::Variable(n) => (format!("${{{n}}}"), value(n).unwrap().to_owned()),
            Piece::Default(n, d) => (
                format!("${{{n}:-{d}}}"),
                value(n).filter(|v| !v.is_empty()).unwrap_or(d).to_owned(),
            ),
            Piece::Escape => ("$${".to_owned(), "${".to_owned()),
            Piece::DollarThenVariable(n) => {
                (format!("$$${{{n}}}"), format!("${}", value(n).unwrap()))
            }
        };
        template.push_str(&source);
        expected.push_str(&result);
    }
    (template, expected)
}

proptest! {
    #[test]
    fn text_without_dollar_brace_is_unchanged(text in "(?s).{0,40}") {
        let text = text.replace("${", "$ {");
        prop_assert_eq!(expand(&text, &SET).unwrap(), text);
    }

    #[test]
    fn never_panics(text in "(?s)(\\$|\\{|\\}|:-|[A-Z]|.){0,24}") {
        let _ = expand(&text, &SET);
    }

    #[test]
    fn matches_the_reference(pieces in prop::collection::vec(piece(), 0..12)) {
        let (template, expected) = reference(&pieces);
        prop_assert_eq!(expand(&template, &SET).unwrap(), expected);
    }

    #[test]
    fn documents_without_dollar_brace_are_unchanged(
        strings in prop::collection::vec("[a-z$ {}<>é]{0,12}", 0..8)
    ) {
        let strings: Vec<String> = strings.iter().map(|s| s.replace("${", "$ {")).collect();
        let mut document = json!({"a": strings, "b": {"c": strings.first(), "d": 1}});
        let before = document.clone();
        let substituted = substitute_strings(&mut document, &vars(&SET)).unwrap();
        prop_assert_eq!(document, before);
        prop_assert_eq!(substituted, Substituted::default());
    }
}
