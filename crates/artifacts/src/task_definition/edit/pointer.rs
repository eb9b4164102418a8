//! `--set /json/pointer=VALUE`: any member the dedicated edits do not cover.

use serde_json::Value;

/// Why a pointer could not be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PointerError {
    /// Not an RFC 6901 pointer.
    #[error("`{0}` is not a JSON pointer; it starts with `/`, as in `/containerDefinitions/0/cpu`")]
    Syntax(String),
    /// A step of the path does not exist and cannot be created.
    #[error("`{pointer}` goes through `{at}`, which is {found}")]
    Path {
        pointer: String,
        at: String,
        found: &'static str,
    },
}

/// Sets the member at `pointer` (RFC 6901, with `~0` and `~1`) to `value`, creating missing
/// object members (or an array before a final `-`). Array steps must exist, or be `-` to append.
pub fn set_pointer(document: &mut Value, pointer: &str, value: Value) -> Result<(), PointerError> {
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(PointerError::Syntax(pointer.to_owned()));
    };
    let steps: Vec<String> = rest
        .split('/')
        .map(|step| step.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut current = document;
    let mut walked = String::new();
    for (index, step) in steps.iter().enumerate() {
        let last = index + 1 == steps.len();
        walked.push('/');
        walked.push_str(step);
        let error = |found| PointerError::Path {
            pointer: pointer.to_owned(),
            at: walked.clone(),
            found,
        };
        current = match current {
            Value::Object(map) => {
                if last {
                    map.insert(step.clone(), value);
                    return Ok(());
                }
                let next_is_append = steps.get(index + 1).is_some_and(|next| next == "-");
                map.entry(step.clone()).or_insert_with(|| {
                    if next_is_append {
                        Value::Array(Vec::new())
                    } else {
                        Value::Object(serde_json::Map::new())
                    }
                })
            }
            Value::Array(items) => {
                if step == "-" && last {
                    items.push(value);
                    return Ok(());
                }
                let len = items.len();
                let position = step.parse::<usize>().ok().filter(|i| *i < len);
                let Some(position) = position else {
                    return Err(error(if len == 0 {
                        "an empty array"
                    } else {
                        "past the end of an array"
                    }));
                };
                if last {
                    items[position] = value;
                    return Ok(());
                }
                &mut items[position]
            }
            _ => return Err(error("not an object or array")),
        };
    }
    *current = value;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sets_creates_and_appends() {
        let mut document = json!({"containerDefinitions": [{"name": "web"}]});
        set_pointer(&mut document, "/containerDefinitions/0/cpu", json!(256)).unwrap();
        set_pointer(&mut document, "/ephemeralStorage/sizeInGiB", json!(30)).unwrap();
        set_pointer(
            &mut document,
            "/containerDefinitions/0/links/-",
            json!("db"),
        )
        .unwrap();
        set_pointer(
            &mut document,
            "/containerDefinitions/-",
            json!({"name": "x"}),
        )
        .unwrap();
        set_pointer(&mut document, "/a~1b", json!(1)).unwrap();
        assert_eq!(
            document,
            json!({"containerDefinitions": [{"name": "web", "cpu": 256, "links": ["db"]}, {"name": "x"}], "ephemeralStorage": {"sizeInGiB": 30}, "a/b": 1})
        );
    }

    #[test]
    fn says_where_the_path_breaks() {
        let mut document = json!({"containerDefinitions": [{"name": "web"}]});
        let error =
            set_pointer(&mut document, "/containerDefinitions/3/cpu", json!(1)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`/containerDefinitions/3/cpu` goes through `/containerDefinitions/3`, which is past the end of an array"
        );
        assert!(matches!(
            set_pointer(&mut document, "cpu", json!(1)),
            Err(PointerError::Syntax(_))
        ));
        let error =
            set_pointer(&mut document, "/containerDefinitions/0/name/x", json!(1)).unwrap_err();
        assert!(
            error.to_string().contains("not an object or array"),
            "{error}"
        );
    }
}
