//! The Dockerfile rules about what the image will be, checked on an
//! image's config with the same ids: running as root (DF021 when no user
//! is set, DF020 when the user is root), no health check (DF097) and the
//! SSH port exposed (DF040). The image rules that repeated them, IM001,
//! IM004 and IM016, are aliases of them. The audited reference itself is
//! held to `trustedRegistries` (DF006).

use crate::dockerfile::last_user_root::{self, is_root};
use crate::dockerfile::{expose_ssh_port, healthcheck_missing, untrusted_registry, user_missing};
use shipshape_core::Finding;

use super::{Checker, Rule};
use shipshape_image::Image;

/// DF020 on the image config: the user is root.
pub static ROOT_USER: Rule = Rule {
    meta: last_user_root::RULE.meta,
    check: root_user,
};

/// DF021 on the image config: no user is set.
pub static NO_USER: Rule = Rule {
    meta: user_missing::RULE.meta,
    check: no_user,
};

/// DF097 on the image config: no health check, or one turned off.
pub static NO_HEALTHCHECK: Rule = Rule {
    meta: healthcheck_missing::RULE.meta,
    check: no_healthcheck,
};

/// DF040 on the image config: port 22 exposed.
pub static SSH_PORT: Rule = Rule {
    meta: expose_ssh_port::RULE.meta,
    check: ssh_port,
};

/// DF006 on the audited image: the reference it was named by points to a
/// registry outside `trustedRegistries`.
pub static UNTRUSTED_REGISTRY: Rule = Rule {
    meta: untrusted_registry::RULE.meta,
    check: untrusted_reference,
};

fn untrusted_reference(cx: &mut Checker<'_>) {
    if let Some(reference) = &cx.image.spec.reference
        && let Some(message) = crate::trust::untrusted(reference, cx.trusted)
    {
        cx.report_config("reference", message);
    }
}

/// The checks of the user and the health check, which the benchmark's
/// section 4 runs on each image's config.
pub static USER_AND_HEALTHCHECK: &[&Rule] = &[&ROOT_USER, &NO_USER, &NO_HEALTHCHECK];

/// The findings of [`USER_AND_HEALTHCHECK`] on `image`.
pub fn check(image: &Image) -> Vec<Finding> {
    super::check(image, USER_AND_HEALTHCHECK)
}

fn root_user(cx: &mut Checker<'_>) {
    let user = cx.image.spec.user.trim();
    if is_root(user) {
        cx.report_config(
            "config.User",
            format!("the image runs as root (`config.User` is `{user}`)"),
        );
    }
}

fn no_user(cx: &mut Checker<'_>) {
    let user = cx.image.spec.user.trim();
    if user.split(':').next().unwrap_or("").is_empty() {
        cx.report_config(
            "config.User",
            "the image sets no user (`config.User` is empty): its containers run as root unless started with `--user`",
        );
    }
}

fn no_healthcheck(cx: &mut Checker<'_>) {
    let spec = &cx.image.spec;
    if spec.has_healthcheck() {
        return;
    }
    let message = if spec.healthcheck.is_some() {
        "the image turns its health check off (`HEALTHCHECK NONE`): its containers report running even when the service has stopped working"
    } else {
        "the image has no health check (`config.Healthcheck` is not set): its containers report running even when the service has stopped working; add a `HEALTHCHECK`"
    };
    cx.report_config("config.Healthcheck", message);
}

fn ssh_port(cx: &mut Checker<'_>) {
    let ssh: Vec<String> = cx
        .image
        .spec
        .exposed_ports
        .iter()
        .filter(|p| {
            let (port, proto) = p.split_once('/').unwrap_or((p.as_str(), "tcp"));
            port.trim() == "22" && proto.eq_ignore_ascii_case("tcp")
        })
        .cloned()
        .collect();
    for port in ssh {
        cx.report_config(
            "config.ExposedPorts",
            format!(
                "the image exposes `{port}`, the SSH port: remove the SSH server and its `EXPOSE`, and use `docker exec` for a shell"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::history::fields;
    use crate::image::test_support::image;

    /// (rule id, field) of each finding on the config `json`.
    fn found(json: &str) -> Vec<(String, String)> {
        let found = check(&image(json));
        found
            .iter()
            .zip(fields(&found))
            .map(|(f, field)| (f.rule.id.to_string(), field))
            .collect()
    }

    fn has(json: &str, id: &str) -> bool {
        found(json).iter().any(|(rule, _)| rule == id)
    }

    const HEALTHY: &str = r#""Healthcheck": {"Test": ["CMD", "/bin/healthcheck"]}"#;

    #[test]
    fn root_users_fire_the_dockerfile_rules() {
        for user in ["", "root", "0", "0:0", "root:app"] {
            let json = format!(r#"{{"config": {{"User": "{user}", {HEALTHY}}}}}"#);
            let id = if user.is_empty() { "DF021" } else { "DF020" };
            assert_eq!(
                found(&json),
                [(id.to_string(), "config.User".to_string())],
                "{user}"
            );
        }
        assert!(has("{}", "DF021"));
    }

    #[test]
    fn other_users_are_fine() {
        for user in ["app", "10001", "10001:10001", "nobody:nogroup"] {
            let json = format!(r#"{{"config": {{"User": "{user}", {HEALTHY}}}}}"#);
            assert_eq!(found(&json), [], "{user}");
        }
    }

    #[test]
    fn no_health_check_fires_df097() {
        for json in [
            r#"{"config": {"User": "app"}}"#,
            r#"{"config": {"User": "app", "Cmd": ["nginx"]}}"#,
            r#"{"config": {"User": "app", "Healthcheck": {"Test": ["NONE"]}}}"#,
            r#"{"config": {"User": "app", "Healthcheck": {"Test": []}}}"#,
            r#"{"config": {"User": "app", "Healthcheck": {"Interval": 1000}}}"#,
        ] {
            assert_eq!(
                found(json),
                [("DF097".to_string(), "config.Healthcheck".to_string())],
                "{json}"
            );
        }
        let off = check(&image(
            r#"{"config": {"User": "app", "Healthcheck": {"Test": ["NONE"]}}}"#,
        ));
        assert!(off[0].message.contains("HEALTHCHECK NONE"));
    }

    fn ssh(ports: &str) -> usize {
        let json = format!(r#"{{"config": {{"ExposedPorts": {ports}}}}}"#);
        let found = super::super::check(&image(&json), &[&SSH_PORT]);
        assert!(found.iter().all(|f| f.rule.id == "DF040"));
        found.len()
    }

    #[test]
    fn port_22_fires_df040() {
        for ports in [
            r#"{"22/tcp": {}}"#,
            r#"{"8080/tcp": {}, "22/tcp": {}}"#,
            r#"{"22": {}}"#,
        ] {
            assert_eq!(ssh(ports), 1, "{ports}");
        }
    }

    #[test]
    fn other_ports_are_fine() {
        for ports in [
            r#"{"2222/tcp": {}}"#,
            r#"{"22/udp": {}}"#,
            r#"{"8022/tcp": {}}"#,
            "{}",
        ] {
            assert_eq!(ssh(ports), 0, "{ports}");
        }
    }

    #[test]
    fn a_health_check_is_fine() {
        for test in [
            r#"["CMD-SHELL", "curl -f http://localhost/ || exit 1"]"#,
            r#"["CMD", "/bin/healthcheck"]"#,
        ] {
            let json =
                format!(r#"{{"config": {{"User": "app", "Healthcheck": {{"Test": {test}}}}}}}"#);
            assert!(!has(&json, "DF097"), "{json}");
        }
    }

    #[test]
    fn an_image_from_an_untrusted_registry_fires_df006() {
        let mut img = image("{}");
        img.spec.reference = Some("quay.io/acme/app:1".to_string());
        let trusted = vec!["127.0.0.1:5000".to_string()];
        let found = crate::image::check_trusting(&img, &[&UNTRUSTED_REGISTRY], &trusted);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule.id, "DF006");
        assert!(
            found[0].message.contains("`quay.io`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_trusted_registry_no_list_or_no_reference_is_silent() {
        let trusted = vec!["127.0.0.1:5000".to_string()];
        let mut img = image("{}");
        let run = |img: &Image, trusted: &[String]| {
            crate::image::check_trusting(img, &[&UNTRUSTED_REGISTRY], trusted).len()
        };
        // An archive read without a reference.
        img.spec.reference = None;
        assert_eq!(run(&img, &trusted), 0);
        img.spec.reference = Some("127.0.0.1:5000/app:1".to_string());
        assert_eq!(run(&img, &trusted), 0);
        img.spec.reference = Some("quay.io/acme/app:1".to_string());
        assert_eq!(run(&img, &[]), 0);
    }
}
