use proptest::prelude::*;

use super::*;

fn pairs(text: &str) -> Vec<(String, String)> {
    parse_dotenv(text).unwrap_or_else(|error| panic!("{text:?}: {error}"))
}

fn one(line: &str) -> String {
    let mut parsed = pairs(line);
    assert_eq!(parsed.len(), 1, "{line:?}: {parsed:?}");
    parsed.remove(0).1
}

fn problem(text: &str) -> (usize, DotenvProblem) {
    let error = parse_dotenv(text).expect_err(text);
    (error.line, error.problem)
}

#[test]
fn reads_assignments_comments_and_blank_lines() {
    let text = "# settings\n\nAWS_REGION=eu-west-1\n  export  TAG=v1 \n\tCPU = 256\nEMPTY=\n";
    let expected = [
        ("AWS_REGION", "eu-west-1"),
        ("TAG", "v1"),
        ("CPU", "256"),
        ("EMPTY", ""),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(pairs(text), expected);
    assert_eq!(pairs(""), []);
    assert_eq!(pairs("\n\n# only a comment"), []);
}

#[test]
fn splits_on_the_first_equals_sign() {
    assert_eq!(one("TOKEN=YWJj=="), "YWJj==");
    assert_eq!(
        one("URL=postgres://u@h/db?sslmode=require&a=b"),
        "postgres://u@h/db?sslmode=require&a=b"
    );
    assert_eq!(one("A=="), "=");
}

#[test]
fn unquoted_values_lose_trailing_comments_and_spaces() {
    assert_eq!(one("A=b #comment"), "b");
    assert_eq!(one("A=b\t# comment"), "b");
    assert_eq!(one("A=b#c"), "b#c");
    assert_eq!(one("A= #only a comment"), "");
    assert_eq!(one("A=#not a comment"), "#not a comment");
    assert_eq!(one("A=  spaced out  "), "spaced out");
    assert_eq!(one("A=it's \"fine\""), "it's \"fine\"");
}

#[test]
fn single_quotes_are_literal() {
    assert_eq!(one(r"A='x \n ${B} # y'"), r"x \n ${B} # y");
    assert_eq!(one("A='  padded  '  # comment"), "  padded  ");
    assert_eq!(one("A=''"), "");
}

#[test]
fn double_quotes_understand_escapes() {
    assert_eq!(one(r#"A="line1\nline2""#), "line1\nline2");
    assert_eq!(
        one(r#"A="say \"hi\" \\ \$HOME\t""#),
        "say \"hi\" \\ $HOME\t"
    );
    assert_eq!(one(r#"A="C:\Users\me""#), r"C:\Users\me");
    assert_eq!(one(r#"A="a#b" # comment"#), "a#b");
    assert_eq!(one(r#"A="""#), "");
}

#[test]
fn nothing_is_expanded() {
    assert_eq!(pairs("B=1\nA=${B}$B")[1].1, "${B}$B");
}

#[test]
fn tolerates_crlf_and_a_byte_order_mark() {
    let text = "\u{feff}A=1\r\nB=\"two\"\r\n# c\r\nC=3 # x\r\n";
    let values: Vec<_> = pairs(text).into_iter().map(|(_, v)| v).collect();
    assert_eq!(values, ["1", "two", "3"]);
    assert_eq!(pairs("\u{feff}A=1")[0].0, "A");
}

#[test]
fn keeps_duplicates_in_order() {
    let parsed = pairs("A=1\nA=2");
    assert_eq!(parsed, [("A".into(), "1".into()), ("A".into(), "2".into())]);
    assert_eq!(pairs("export=1\nexported=2")[1].0, "exported");
}

#[test]
fn errors_name_the_line_and_the_problem() {
    assert_eq!(
        problem("A=1\n\nnot an assignment"),
        (3, DotenvProblem::MissingEquals)
    );
    assert_eq!(problem("export A"), (1, DotenvProblem::MissingEquals));
    let invalid = |name: &str, reason| DotenvProblem::InvalidName {
        name: name.into(),
        reason,
    };
    assert_eq!(
        problem("1A=x"),
        (1, invalid("1A", "a name cannot start with a digit"))
    );
    assert_eq!(
        problem("A=1\r\nMY-VAR=x"),
        (
            2,
            invalid("MY-VAR", "a name has only ASCII letters, digits and `_`")
        )
    );
    assert_eq!(problem("=x"), (1, invalid("", "the name is empty")));
    let double = DotenvQuote::Double;
    let single = DotenvQuote::Single;
    assert_eq!(
        problem("A=\"open"),
        (1, DotenvProblem::UnterminatedQuote { quote: double })
    );
    assert_eq!(
        problem("A=\"ends in \\\""),
        (1, DotenvProblem::UnterminatedQuote { quote: double })
    );
    assert_eq!(
        problem("A='open\nB=1'"),
        (1, DotenvProblem::UnterminatedQuote { quote: single })
    );
    assert_eq!(
        problem("A='x'y"),
        (1, DotenvProblem::TextAfterQuote { quote: single })
    );
    assert_eq!(
        problem("A=\"x\"#c"),
        (1, DotenvProblem::TextAfterQuote { quote: double })
    );
}

#[test]
fn error_messages_never_quote_values() {
    let error = parse_dotenv("A=1\nsupersecretvalue").unwrap_err();
    assert_eq!(
        error.to_string(),
        "expected `NAME=value`, but the line has no `=` (line 2)"
    );
    let error = parse_dotenv("TOKEN=\"supersecret").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the value opens a `\"` quote that is not closed on the same line (line 1)"
    );
    assert!(error.help().contains("\\n"));
}

/// How a dotenv writer would quote any value so that it reads back unchanged.
fn double_quote(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

proptest! {
    #[test]
    fn quoted_values_read_back(
        entries in prop::collection::vec(("[A-Za-z_][A-Za-z0-9_]{0,8}", "\\PC{0,16}|(?s).{0,8}"), 0..6)
    ) {
        let mut text = String::new();
        for (name, value) in &entries {
            for part in ["export ", name, "=", &double_quote(value), " # note\r\n"] {
                text.push_str(part);
            }
        }
        prop_assert_eq!(parse_dotenv(&text).unwrap(), entries);
    }

    #[test]
    fn never_panics(text in "(?s).{0,64}") {
        let _ = parse_dotenv(&text);
    }
}
