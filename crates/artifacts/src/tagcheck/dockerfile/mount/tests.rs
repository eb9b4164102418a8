use super::*;

#[test]
fn finds_from_in_any_position_and_case() {
    assert_eq!(
        from("type=bind,from=golang:1.22,source=/go,target=/go"),
        Some((15, "golang:1.22".to_owned()))
    );
    assert_eq!(from("from=builder"), Some((5, "builder".to_owned())));
    assert_eq!(
        from("type=cache,target=/root/.cache,FROM=alpine"),
        Some((36, "alpine".to_owned()))
    );
    assert_eq!(from("type=cache,target=/root/.cache"), None);
    assert_eq!(from("type=secret,id=npmrc"), None);
    assert_eq!(from(""), None);
}

#[test]
fn the_last_from_wins() {
    assert_eq!(
        from("from=a:1,target=/a,from=b:2"),
        Some((24, "b:2".to_owned()))
    );
}

#[test]
fn quoted_fields_hold_commas_and_doubled_quotes() {
    assert_eq!(
        from("type=bind,\"source=/a,b\",from=app:1"),
        Some((29, "app:1".to_owned()))
    );
    assert_eq!(
        from("\"from=app:1\",target=/x"),
        Some((6, "app:1".to_owned()))
    );
    assert_eq!(
        fields("\"a\"\"b\",c"),
        [(1, "a\"b".to_owned()), (7, "c".to_owned())]
    );
    assert_eq!(fields("\"open"), [(1, "open".to_owned())]);
}
