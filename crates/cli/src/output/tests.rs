use super::*;

#[test]
fn writes_atomically_and_creates_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out/imagedefinitions.json");
    Output::File(path.clone()).write(b"[]\n").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"[]\n");
    Output::File(path.clone()).write(b"[1]\n").unwrap();
    assert_eq!(fs::read(&path).unwrap(), b"[1]\n");
    let names: Vec<_> = fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        ["imagedefinitions.json"],
        "no temporary file is left behind"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o644
        );
    }
}

#[test]
fn removes_the_temporary_files_of_dead_writers_only() {
    let dir = tempfile::tempdir().unwrap();
    // PIDs above the kernel's limit (2^22) never belong to a running process.
    let dead = ".app.json.4294967295.AbC123.tmp";
    let alive = format!(".app.json.{}.XyZ789.tmp", std::process::id());
    let others = [
        ".app.json.1.json.4294967295.AbC123.tmp",
        ".app.json.x.Ab.tmp",
    ];
    for name in [dead, &alive].into_iter().chain(others) {
        fs::write(dir.path().join(name), b"partial").unwrap();
    }
    Output::File(dir.path().join("app.json"))
        .write(b"{}")
        .unwrap();
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected = vec![
        alive,
        others[0].to_owned(),
        others[1].to_owned(),
        "app.json".to_owned(),
    ];
    if !Path::new("/proc/self").exists() {
        expected.push(dead.to_owned());
    }
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn refuses_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let error = Output::File(dir.path().to_owned()).write(b"x").unwrap_err();
    assert!(error.to_string().contains("is a directory"), "{error}");
}

#[test]
fn dash_is_stdout() {
    assert_eq!(Output::from_arg(Path::new("-")), Output::Stdout);
}
