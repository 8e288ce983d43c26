//! Check 4.8 on the files of the audited containers' images, where it runs
//! the image audit's setuid/setgid rule (the live test reads a real image;
//! these cover each outcome).

use serde_json::json;
use shipshape_core::Status;
use shipshape_core::files::{Entry, FileIndex, Kind};
use shipshape_core::host::{Host, Image};
use shipshape_rules::cis::{CHECKS, Selection, run};

/// An image whose file system holds these setuid-root files.
fn image(tag: &str, setuid: Option<Result<Vec<&str>, &str>>) -> Image {
    let files = setuid.map(|r| {
        r.map(|paths| {
            let mut index = FileIndex::default();
            for path in paths {
                let entry = Entry {
                    kind: Kind::File,
                    mode: 0o4755,
                    uid: 0,
                    gid: 0,
                    size: 1,
                    layer: 0,
                    content: None,
                    condensed: None,
                    unread: None,
                };
                index.insert(path.to_string(), entry);
            }
            index
        })
        .map_err(str::to_string)
    });
    Image {
        inspect: json!({"Id": format!("sha256:{tag}"), "RepoTags": [tag]}),
        history: Vec::new(),
        files,
    }
}

/// Status, evidence and number of findings of check 4.8 on these images.
fn check(images: Vec<Image>) -> (Status, String, usize) {
    let host = Host {
        daemon_reached: true,
        images,
        ..Host::default()
    };
    let selection = Selection {
        checks: vec!["4.8".to_string()],
        ..Selection::default()
    };
    let (results, findings) = run(&host, CHECKS, &selection);
    let result = results.into_iter().next().expect("one result");
    (result.status, result.evidence.join("\n"), findings.len())
}

#[test]
fn warns_on_an_unusual_setuid_file() {
    let (status, evidence, findings) = check(vec![image(
        "app:1",
        Some(Ok(vec!["usr/bin/passwd", "usr/local/bin/helper"])),
    )]);
    assert_eq!(status, Status::Warn);
    assert!(
        evidence.starts_with("image `app:1`: /usr/local/bin/helper"),
        "{evidence}"
    );
    assert!(evidence.contains("/usr/bin/passwd"), "{evidence}");
    assert_eq!(findings, 1);
}

#[test]
fn passes_lists_or_says_why_when_nothing_unusual() {
    // Images no audited container runs are not read, and not counted.
    let (status, evidence, findings) = check(vec![
        image("app:1", Some(Ok(Vec::new()))),
        image("unused:1", None),
    ]);
    assert_eq!(status, Status::Pass);
    assert!(evidence.contains("in the 1 image(s)"), "{evidence}");
    assert_eq!(findings, 0);

    let (status, evidence, _) = check(vec![image("app:1", Some(Ok(vec!["usr/bin/passwd"])))]);
    assert_eq!(status, Status::Info);
    assert!(evidence.contains("/usr/bin/passwd"), "{evidence}");

    let (status, evidence, _) = check(vec![image("app:1", Some(Err("corrupt tar")))]);
    assert_eq!(status, Status::Info);
    assert!(
        evidence.contains("could not be read: corrupt tar"),
        "{evidence}"
    );

    let (status, evidence, _) = check(vec![image("unused:1", None)]);
    assert_eq!(status, Status::Info);
    assert!(evidence.contains("no image was read"), "{evidence}");
}
