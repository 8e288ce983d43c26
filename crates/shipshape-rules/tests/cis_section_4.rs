//! Checks 4.1 (non-root user), 4.6 (HEALTHCHECK) and 4.7 (update alone)
//! on inspect data: each is judged by the Dockerfile rule that makes the
//! same check (DF020/DF021, DF097, DF056), run on the config and history.

use serde_json::{Value, json};
use shipshape_core::Status;
use shipshape_core::host::{Container, Host, Image};
use shipshape_rules::cis::{CHECKS, Selection, run};

fn container(name: &str, user: &str) -> Container {
    Container {
        inspect: json!({
            "Id": format!("{name}-id"),
            "Name": format!("/{name}"),
            "Config": {"Image": "app:1", "User": user},
            "State": {"Running": true},
        }),
        processes: None,
    }
}

fn image(tag: &str, config: Value, history: &[&str]) -> Image {
    Image {
        inspect: json!({"Id": format!("sha256:{tag}"), "RepoTags": [tag], "Config": config}),
        history: history.iter().map(|s| s.to_string()).collect(),
        files: None,
    }
}

/// Status and evidence of check `number` on this host.
fn check(number: &str, containers: Vec<Container>, images: Vec<Image>) -> (Status, String) {
    let host = Host {
        daemon_reached: true,
        containers,
        images,
        ..Host::default()
    };
    let selection = Selection {
        checks: vec![number.to_string()],
        ..Selection::default()
    };
    let (results, _) = run(&host, CHECKS, &selection);
    let result = results.into_iter().next().expect("one result");
    (result.status, result.evidence.join("\n"))
}

#[test]
fn root_containers_warn_and_named_users_pass() {
    let (status, evidence) = check(
        "4.1",
        vec![
            container("web", ""),
            container("db", "0:0"),
            container("api", "10001"),
        ],
        Vec::new(),
    );
    assert_eq!(status, Status::Warn, "{evidence}");
    assert!(
        evidence.contains("container `web` runs as root"),
        "{evidence}"
    );
    assert!(
        evidence.contains("container `db` runs as root"),
        "{evidence}"
    );
    assert!(!evidence.contains("`api`"), "{evidence}");
    let (status, evidence) = check(
        "4.1",
        vec![container("api", "10001"), container("worker", "app:app")],
        Vec::new(),
    );
    assert_eq!(status, Status::Pass, "{evidence}");
}

#[test]
fn images_without_a_healthcheck_warn() {
    let healthy = json!({"Healthcheck": {"Test": ["CMD", "/bin/health"]}});
    let (status, evidence) = check(
        "4.6",
        Vec::new(),
        vec![
            image("none:1", json!({}), &[]),
            image("off:1", json!({"Healthcheck": {"Test": ["NONE"]}}), &[]),
            image("ok:1", healthy.clone(), &[]),
        ],
    );
    assert_eq!(status, Status::Warn, "{evidence}");
    assert!(
        evidence.contains("image `none:1` has no HEALTHCHECK"),
        "{evidence}"
    );
    assert!(evidence.contains("image `off:1`"), "{evidence}");
    assert!(!evidence.contains("`ok:1`"), "{evidence}");
    let (status, evidence) = check("4.6", Vec::new(), vec![image("ok:1", healthy, &[])]);
    assert_eq!(status, Status::Pass, "{evidence}");
}

#[test]
fn an_update_alone_in_a_build_step_is_listed() {
    let (status, evidence) = check(
        "4.7",
        Vec::new(),
        vec![
            image(
                "stale:1",
                json!({}),
                &[
                    "/bin/sh -c apt-get install -y curl",
                    "/bin/sh -c apt-get update",
                ],
            ),
            image(
                "fine:1",
                json!({}),
                &[
                    "/bin/sh -c apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
                ],
            ),
        ],
    );
    assert_eq!(status, Status::Info, "{evidence}");
    assert!(
        evidence.contains("image `stale:1` runs a package index `update` alone"),
        "{evidence}"
    );
    assert!(!evidence.contains("`fine:1`"), "{evidence}");
    let (status, evidence) = check(
        "4.7",
        Vec::new(),
        vec![image(
            "fine:1",
            json!({}),
            &["/bin/sh -c apt-get update && apt-get install -y curl"],
        )],
    );
    assert_eq!(status, Status::Pass, "{evidence}");
}
