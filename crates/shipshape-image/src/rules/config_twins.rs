//! The Dockerfile rules about what the image will be, checked on an
//! image's config with the same ids: no health check (DF097) and running
//! as root (DF021 when no user is set, DF020 when the user is root). The
//! image rules that repeated them, IM004 and IM001, are aliases of them.

use shipshape_core::{Finding, RuleMeta};
use shipshape_dockerfile::rules::RULES as DOCKERFILE_RULES;

use crate::Image;

/// The Dockerfile rule `id`.
fn dockerfile_rule(id: &str) -> Option<&'static RuleMeta> {
    DOCKERFILE_RULES
        .iter()
        .find(|r| r.meta.id == id)
        .map(|r| r.meta)
}

/// The findings of the config twins on `image`.
pub fn check(image: &Image) -> Vec<Finding> {
    let spec = &image.spec;
    let mut found = Vec::new();
    let mut report = |id: &str, field: &str, message: String| {
        if let Some(meta) = dockerfile_rule(id) {
            found.push(Finding::new(
                meta,
                message,
                image.location(None, None, Some(field.to_string()), None),
            ));
        }
    };
    let user = spec.user.trim();
    let who = user.split(':').next().unwrap_or("");
    if who.is_empty() {
        report(
            "DF021",
            "config.User",
            "the image sets no user (`config.User` is empty): its containers run as root unless started with `--user`".to_string(),
        );
    } else if who == "root" || who.parse::<u64>() == Ok(0) {
        report(
            "DF020",
            "config.User",
            format!("the image runs as root (`config.User` is `{user}`)"),
        );
    }
    if !spec.has_healthcheck() {
        let message = if spec.healthcheck.is_some() {
            "the image turns its health check off (`HEALTHCHECK NONE`): its containers report running even when the service has stopped working"
        } else {
            "the image has no health check (`config.Healthcheck` is not set): its containers report running even when the service has stopped working; add a `HEALTHCHECK`"
        };
        report("DF097", "config.Healthcheck", message.to_string());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::history::fields;
    use crate::rules::test_support::image;

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
}
