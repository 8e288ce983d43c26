//! The Dockerfile rules about what a container runs as, checked on a
//! [`RuntimeSpec`] with the same ids and docs: the image never sets a
//! user (DF021), runs as root (DF020), has no health check (DF097) and
//! comes from a registry outside `trustedRegistries` (DF006).
//! RT006 and RT035, the runtime rules that repeated them, are aliases of
//! them.

use crate::dockerfile::last_user_root::{self, is_root};
use crate::dockerfile::{healthcheck_missing, untrusted_registry, user_missing};

use super::{Checker, Rule};
use shipshape_runtime::spec::{Platform, RuntimeSpec, Source};

/// DF020 on a container: its user is root.
pub static ROOT_USER: Rule = Rule {
    meta: last_user_root::RULE.meta,
    check: root_user,
};

/// DF021 on a container: nothing sets its user.
pub static NO_USER: Rule = Rule {
    meta: user_missing::RULE.meta,
    check: no_user,
};

/// DF097 on a container: neither its image nor its settings define a
/// health check.
pub static NO_HEALTHCHECK: Rule = Rule {
    meta: healthcheck_missing::RULE.meta,
    check: no_healthcheck,
};

/// DF006 on a container: its image comes from a registry outside
/// `trustedRegistries`.
pub static UNTRUSTED_REGISTRY: Rule = Rule {
    meta: untrusted_registry::RULE.meta,
    check: untrusted_image,
};

fn untrusted_image(cx: &mut Checker<'_>) {
    let Some(image) = &cx.spec.image else {
        return;
    };
    // A reference still holding an unset variable names no registry yet.
    if image.value.contains('$') {
        return;
    }
    if let Some(message) = crate::trust::untrusted(image.value.trim(), cx.trusted) {
        let message = format!("{}: {message}", cx.spec.name);
        cx.report(&image.at, message);
    }
}

fn root_user(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    let Some(user) = &spec.user else {
        return;
    };
    let name = &spec.name;
    match spec.platform {
        Platform::Docker if is_root(&user.value) => {
            let message = format!(
                "{name} runs as root ({}`{}`)",
                spec.say("`user: ", "user "),
                user.value.trim()
            )
            .replace("``", "`");
            cx.report(&user.at, message);
        }
        Platform::Kubernetes if user.value.trim().parse::<u64>() == Ok(0) => {
            cx.report(&user.at, format!("{name} runs as root (`runAsUser: 0`)"));
        }
        _ => {}
    }
}

fn no_user(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    let name = &spec.name;
    match spec.platform {
        Platform::Docker => {
            if spec
                .user
                .as_ref()
                .is_some_and(|u| !u.value.trim().is_empty())
            {
                return;
            }
            let message = match spec.source {
                // A container's user already merges its image's `USER`.
                Source::Container(_) => format!(
                    "{name} runs as root: neither its image (`USER`) nor `--user` sets a user"
                ),
                Source::File(_) => format!(
                    "{name} sets no `user`: it runs as the image's user, root unless the image sets `USER`"
                ),
            };
            cx.report_missing(message);
        }
        Platform::Kubernetes => {
            // Any `runAsUser` is either root (DF020) or a user.
            if let Some(user) = &spec.user
                && user.value.trim().parse::<u64>().is_ok()
            {
                return;
            }
            if RuntimeSpec::is_on(&spec.run_as_non_root).is_some() {
                return;
            }
            let consequence = "it runs as the image's user, root unless the image sets `USER`";
            match &spec.run_as_non_root {
                Some(field) => {
                    let message = format!(
                        "{name} sets `runAsNonRoot: false` and no non-zero `runAsUser`: {consequence}"
                    );
                    cx.report(&field.at, message);
                }
                None => {
                    let message = format!(
                        "{name} sets neither `runAsNonRoot: true` nor a non-zero `runAsUser`: {consequence}"
                    );
                    cx.report_missing(message);
                }
            }
        }
    }
}

fn no_healthcheck(cx: &mut Checker<'_>) {
    let spec = cx.spec;
    // A health check turned off is `healthcheck-disabled`'s to report; a
    // compose service or a pod may inherit one from its image, so only a
    // container, whose settings merge its image's, is known to have none.
    if spec.healthcheck_disabled.as_ref().is_some_and(|f| f.value) {
        return;
    }
    if let Some(field) = spec.has_healthcheck.as_ref().filter(|f| !f.value) {
        let message = format!(
            "{} has no health check (none in its image or its settings): Docker cannot tell a hung service from a working one",
            spec.name
        );
        cx.report(&field.at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::check;
    use crate::runtime::test_support::*;
    use shipshape_runtime::inspect;

    #[test]
    fn root_users() {
        for user in ["0", "root", "0:0", "root:root", "0:1000", "00"] {
            assert!(is_root(user), "{user}");
        }
        for user in ["1000", "1000:0", "app", "rooter", "10001:10001"] {
            assert!(!is_root(user), "{user}");
        }
    }

    #[test]
    fn root_user_fires_on_root_in_compose_and_kubernetes() {
        let compose = "services:\n  a:\n    image: a:1\n    user: \"0:0\"\n";
        assert_eq!(lines(&ROOT_USER, compose), vec![4]);
        assert_silent(&NO_USER, compose);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsUser: 0\n  containers:\n  - name: c\n    image: c:1\n";
        assert_eq!(lines(&ROOT_USER, pod), vec![7]);
        assert_silent(&NO_USER, pod);
    }

    #[test]
    fn no_user_fires_when_nothing_sets_a_user() {
        assert_eq!(
            lines(&NO_USER, "services:\n  a:\n    image: a:1\n"),
            vec![2]
        );
        let unset = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n    securityContext:\n      runAsNonRoot: false\n";
        assert_eq!(lines(&NO_USER, unset), vec![7, 12]);
        assert_silent(&ROOT_USER, unset);
    }

    #[test]
    fn silent_for_non_root_users() {
        for yaml in [
            "services:\n  a:\n    image: a:1\n    user: \"1000:1000\"\n",
            "services:\n  a:\n    image: a:1\n    user: app\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: c\n    image: c:1\n  - name: d\n    image: d:1\n    securityContext:\n      runAsUser: 1000\n",
        ] {
            assert_silent(&ROOT_USER, yaml);
            assert_silent(&NO_USER, yaml);
        }
    }

    fn container(healthcheck: &str) -> Vec<String> {
        let json = format!(
            r#"{{"Id": "abc", "Name": "/web", "Config": {{"Image": "web:1"{healthcheck}}}, "HostConfig": {{}}}}"#
        );
        let specs = inspect::read_file(&json).expect("inspect");
        check(&specs, &[&NO_HEALTHCHECK])
            .into_iter()
            .map(|f| {
                assert_eq!(f.rule.id, "DF097");
                f.message
            })
            .collect()
    }

    #[test]
    fn no_healthcheck_fires_on_containers_without_one() {
        let found = container("");
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("has no health check"), "{found:?}");
    }

    #[test]
    fn no_healthcheck_is_silent_with_one_turned_off_or_unknown() {
        assert!(container(r#", "Healthcheck": {"Test": ["CMD", "true"]}"#).is_empty());
        // Turned off: healthcheck-disabled reports it.
        assert!(container(r#", "Healthcheck": {"Test": ["NONE"]}"#).is_empty());
        // A compose service may inherit its image's health check.
        assert_silent(&NO_HEALTHCHECK, "services:\n  a:\n    image: a:1\n");
    }

    #[test]
    fn a_container_as_root_without_a_user() {
        let json = r#"{"Id": "abc", "Name": "/web", "Config": {"Image": "web:1", "User": ""}, "HostConfig": {}}"#;
        let specs = inspect::read_file(json).expect("inspect");
        let found = check(&specs, &[&NO_USER, &ROOT_USER]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule.id, "DF021");
        let json = json.replace(r#""User": """#, r#""User": "0""#);
        let specs = inspect::read_file(&json).expect("inspect");
        let found = check(&specs, &[&NO_USER, &ROOT_USER]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule.id, "DF020");
    }

    fn untrusted_lines(yaml: &str) -> Vec<u32> {
        let manifest = shipshape_runtime::read(yaml, "m.yaml", &std::collections::HashMap::new())
            .unwrap_or_else(|e| panic!("{e}"));
        let trusted = vec!["docker.io".to_string(), "*.corp.example".to_string()];
        crate::runtime::check_trusting(&manifest.specs, &[&UNTRUSTED_REGISTRY], &trusted)
            .iter()
            .map(|f| {
                assert_eq!(f.rule.id, "DF006");
                f.location.region().map_or(0, |r| r.start.line)
            })
            .collect()
    }

    #[test]
    fn untrusted_registry_fires_on_images_from_other_registries() {
        let compose = "services:\n  a:\n    image: quay.io/x/a:1\n  b:\n    image: nginx:1.27\n  c:\n    image: reg.corp.example:5000/c:1\n";
        assert_eq!(untrusted_lines(compose), vec![3]);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: ghcr.io/acme/c:1\n  initContainers:\n  - name: i\n    image: library/busybox:1.36\n";
        assert_eq!(untrusted_lines(pod), vec![8]);
    }

    #[test]
    fn untrusted_registry_is_silent_without_a_list_or_a_registry() {
        // No list: no policy.
        assert_silent(
            &UNTRUSTED_REGISTRY,
            "services:\n  a:\n    image: quay.io/x/a:1\n",
        );
        // A build without an image, and a registry an unset variable decides.
        assert!(untrusted_lines("services:\n  a:\n    build: .\n").is_empty());
        assert!(untrusted_lines("services:\n  a:\n    image: ${REG}/a:1\n").is_empty());
    }
}
