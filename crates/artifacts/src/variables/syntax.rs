//! The grammar of one `${…}` reference, and of variable names.

/// True for the bytes of a variable name after the first.
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Why `name` is not a variable name (`[A-Za-z_][A-Za-z0-9_]*`), or `None` when it is one.
pub(super) fn name_problem(name: &str) -> Option<&'static str> {
    match name.as_bytes() {
        [] => Some("the name is empty"),
        [first, ..] if first.is_ascii_digit() => Some("a name cannot start with a digit"),
        bytes if bytes.iter().all(|&b| is_name_byte(b)) => None,
        _ => Some("a name has only ASCII letters, digits and `_`"),
    }
}

/// Splits the text between `${` and `}` into the name and the default, or says what is wrong.
pub(super) fn parse_reference(inner: &str) -> Result<(&str, Option<&str>), String> {
    let name_len = inner.bytes().take_while(|&b| is_name_byte(b)).count();
    let (name, rest) = inner.split_at(name_len);
    let supported = "only `${NAME}` and `${NAME:-default}` are supported";
    if name.is_empty() {
        return Err(match rest.chars().next() {
            None | Some(':') => "the variable name is empty".into(),
            Some(c) if c.is_whitespace() => "spaces are not allowed inside `${…}`".into(),
            Some('#' | '!') => format!("`${{{}` is a shell operator: {supported}", &rest[..1]),
            Some(c) => format!("a variable name starts with a letter or `_`, not `{c}`"),
        });
    }
    if name.as_bytes()[0].is_ascii_digit() {
        return Err("a variable name cannot start with a digit".into());
    }
    let Some(operator) = rest.chars().next() else {
        return Ok((name, None));
    };
    if let Some(default) = rest.strip_prefix(":-") {
        return if default.contains("${") {
            Err("a default is literal text and cannot contain another `${…}`".into())
        } else {
            Ok((name, Some(default)))
        };
    }
    Err(
        match (operator, rest[operator.len_utf8()..].chars().next()) {
            (':', Some(op @ ('=' | '+' | '?'))) => {
                format!("`:{op}` is not supported, only `:-` is (`${{NAME:-default}}`)")
            }
            ('-' | '=' | '+' | '?', _) => {
                format!("`{operator}` without `:` is not supported, write `${{NAME:-default}}`")
            }
            (':', _) => format!("only `:-` may follow the name: {supported}"),
            (c, _) if c.is_whitespace() => "spaces are not allowed inside `${…}`".into(),
            ('#' | '%' | '/' | '^' | ',' | '@' | '[', _) => {
                format!("`{operator}` is a shell operator: {supported}")
            }
            (c, _) => {
                format!("`{c}` is not allowed in a variable name (ASCII letters, digits, `_`)")
            }
        },
    )
}
