//! Checks 5.2 (AppArmor) and 5.3 (SELinux) on inspect data of hosts with
//! and without each: an absent profile or label is a WARN, not a PASS.

use serde_json::{Value, json};
use shipshape_core::Status;
use shipshape_core::host::{Container, Host};
use shipshape_rules::cis::{CHECKS, Selection, run};

fn container(name: &str, apparmor: &str, security_opt: Value) -> Container {
    Container {
        inspect: json!({
            "Id": format!("{name}-id"),
            "Name": format!("/{name}"),
            "AppArmorProfile": apparmor,
            "Config": {"Image": "app:1", "User": "10001"},
            "HostConfig": {"SecurityOpt": security_opt},
            "State": {"Running": false},
        }),
        processes: None,
    }
}

/// Status, evidence and how many findings check `number` gives.
fn check(number: &str, info: Value, containers: Vec<Container>) -> (Status, String, usize) {
    let host = Host {
        daemon_reached: true,
        info: Some(info),
        containers,
        ..Host::default()
    };
    let selection = Selection {
        checks: vec![number.to_string()],
        ..Selection::default()
    };
    let (results, findings) = run(&host, CHECKS, &selection);
    let result = results.into_iter().next().expect("one result");
    (result.status, result.evidence.join("\n"), findings.len())
}

fn no_mac() -> Value {
    json!({"SecurityOptions": ["name=seccomp,profile=builtin", "name=cgroupns"]})
}

#[test]
fn apparmor_warns_when_a_container_has_no_profile_or_is_unconfined() {
    // A host without AppArmor: every profile is empty.
    let (status, evidence, findings) = check(
        "5.2",
        no_mac(),
        vec![
            container("web", "", json!(null)),
            container("db", "", json!([])),
        ],
    );
    assert_eq!(status, Status::Warn, "{evidence}");
    assert!(
        evidence.contains("container `web` has no AppArmor profile"),
        "{evidence}"
    );
    assert!(evidence.contains("container `db`"), "{evidence}");
    assert_eq!(findings, 1);
    let (status, evidence, _) = check(
        "5.2",
        no_mac(),
        vec![container(
            "web",
            "unconfined",
            json!(["apparmor=unconfined"]),
        )],
    );
    assert_eq!(status, Status::Warn, "{evidence}");
}

#[test]
fn apparmor_passes_with_a_named_profile_and_is_info_without_containers() {
    let (status, evidence, findings) = check(
        "5.2",
        json!({"SecurityOptions": ["name=apparmor", "name=seccomp,profile=builtin"]}),
        vec![container("web", "docker-default", json!(null))],
    );
    assert_eq!(status, Status::Pass, "{evidence}");
    assert_eq!(findings, 0);
    let (status, _, _) = check("5.2", no_mac(), Vec::new());
    assert_eq!(status, Status::Info);
}

#[test]
fn selinux_warns_without_labels_on_a_host_without_selinux() {
    let (status, evidence, findings) =
        check("5.3", no_mac(), vec![container("web", "", json!(null))]);
    assert_eq!(status, Status::Warn, "{evidence}");
    assert!(
        evidence.contains("container `web` has no SELinux options"),
        "{evidence}"
    );
    assert_eq!(findings, 1);
    // SELinux on the daemon, but labelling turned off for the container.
    let (status, evidence, _) = check(
        "5.3",
        json!({"SecurityOptions": ["name=selinux"]}),
        vec![container("web", "", json!(["label=disable"]))],
    );
    assert_eq!(status, Status::Warn, "{evidence}");
}

#[test]
fn selinux_passes_when_the_daemon_labels_or_the_container_sets_a_label() {
    let (status, evidence, _) = check(
        "5.3",
        json!({"SecurityOptions": ["name=selinux", "name=seccomp,profile=builtin"]}),
        vec![container("web", "", json!(null))],
    );
    assert_eq!(status, Status::Pass, "{evidence}");
    let (status, evidence, _) = check(
        "5.3",
        no_mac(),
        vec![container("web", "", json!(["label=level:s0:c100,c200"]))],
    );
    assert_eq!(status, Status::Pass, "{evidence}");
}
