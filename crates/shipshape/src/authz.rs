//! `shipshape authz`: a Docker authorization plugin that judges each
//! container before it is created, with the runtime rules `containers` and
//! `config` run on what exists.
//!
//! dockerd asks about every API call. Container creation and exec are read
//! into a `RuntimeSpec` and checked; a finding at or above `--deny-on` (or
//! named in the policy's `deny`) refuses the call with a message naming the
//! rule ids and the fix. Every other call is allowed. Each decision is one
//! JSON line in the log.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::{Value, json};
use shipshape_core::{Finding, Policy};
use shipshape_engine::authz::{self, Call, Question};
use shipshape_rules::runtime::{RULES, Rule, check_trusting};
use shipshape_runtime::create;

use crate::cli::{AuthzArgs, FailOn, Global, OnError};
use crate::config::Config;

/// The `authz` section of `.shipshape.yaml`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AuthzPolicy {
    /// Rules (ids or aliases) that refuse a call whatever their severity.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Rules that never refuse a call: their findings are only logged.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Images let through whatever they ask for, by prefix of the image
    /// reference as the client wrote it (`registry.corp.example/debug/`).
    #[serde(default)]
    pub exempt_images: Vec<String>,
    /// Labels that let a container through (`com.example.shipshape.exempt:
    /// "true"`): the container must carry the label with that value.
    #[serde(default)]
    pub exempt_labels: BTreeMap<String, String>,
}

impl AuthzPolicy {
    /// Whether a container of `image`, whose label `key` is `label(key)`,
    /// is exempt.
    pub fn exempts(&self, image: &str, label: impl Fn(&str) -> Option<String>) -> bool {
        let by_image = !image.is_empty()
            && self
                .exempt_images
                .iter()
                .any(|p| !p.is_empty() && image.starts_with(p.as_str()));
        by_image
            || self
                .exempt_labels
                .iter()
                .any(|(key, want)| label(key).is_some_and(|v| &v == want))
    }
}

/// Everything a decision depends on.
pub struct Judge {
    pub policy: AuthzPolicy,
    /// The config's `ignored` and `override`, as every command applies them.
    pub findings_policy: Policy,
    pub deny_on: FailOn,
    pub dry_run: bool,
    pub on_error: OnError,
    pub trusted: Vec<String>,
}

/// The rules a create request is checked with: all the runtime rules but
/// DF021, since a request that sets no user leaves it to the image, which
/// is not known here.
static CREATE_RULES: std::sync::LazyLock<Vec<&'static Rule>> = std::sync::LazyLock::new(|| {
    RULES
        .iter()
        .copied()
        .filter(|r| r.meta.id != "DF021")
        .collect()
});

/// The rules an exec request is checked with: it can change only whether
/// it runs privileged.
pub(crate) static EXEC_RULES: std::sync::LazyLock<Vec<&'static Rule>> =
    std::sync::LazyLock::new(|| {
        RULES
            .iter()
            .copied()
            .filter(|r| r.meta.id == "RT001")
            .collect()
    });

/// The rules a plugin install or a volume is checked with: those about
/// access to the host, which is what their privileges and binds grant.
static HOST_ACCESS_RULES: std::sync::LazyLock<Vec<&'static Rule>> =
    std::sync::LazyLock::new(|| {
        const IDS: &[&str] = &[
            "RT002", "RT003", "RT008", "RT009", "RT013", "RT014", "RT016", "DF006",
        ];
        RULES
            .iter()
            .copied()
            .filter(|r| IDS.contains(&r.meta.id))
            .collect()
    });

/// The rules an update is checked with: those on the settings it changes.
fn update_rules(spec: &shipshape_runtime::spec::RuntimeSpec) -> Vec<&'static Rule> {
    RULES
        .iter()
        .copied()
        .filter(|r| match r.meta.id {
            "RT023" => spec.pids_limit.is_some(),
            "RT029" => spec.restart.is_some(),
            _ => false,
        })
        .collect()
}

/// A decision and what it rests on.
#[derive(Debug)]
pub struct Decision {
    pub allow: bool,
    /// What dockerd shows the client when the call is refused.
    pub message: String,
    /// `allow`, `deny`, `would-deny` (dry run) or `error`.
    pub outcome: &'static str,
    pub findings: Vec<Finding>,
    /// The ids of the findings that refuse the call.
    pub denying: Vec<&'static str>,
}

impl Judge {
    fn answers_to(names: &[String], finding: &Finding) -> bool {
        names.iter().any(|n| finding.rule.answers_to(n))
    }

    /// Whether `finding` refuses the call under the policy.
    fn denies(&self, finding: &Finding) -> bool {
        if Judge::answers_to(&self.policy.allow, finding) {
            return false;
        }
        if Judge::answers_to(&self.policy.deny, finding) {
            return true;
        }
        match self.deny_on {
            FailOn::Never => false,
            FailOn::At(threshold) => finding.severity >= threshold,
        }
    }

    /// The decision on one question from dockerd.
    pub fn decide(&self, question: &Question) -> Decision {
        let call = question.call();
        let body = match (&call, question.body.as_deref()) {
            (Call::Other, _) => return Decision::allowed(Vec::new()),
            (_, None) => return self.unjudged("dockerd passed no request body to judge"),
            (_, Some(body)) => body,
        };
        let (spec, rules, what): (_, Cow<[&Rule]>, _) = match call {
            Call::Other => return Decision::allowed(Vec::new()),
            Call::Create { name } => {
                let value = match serde_json::from_slice::<Value>(body) {
                    Ok(value) => value,
                    Err(e) => {
                        return self
                            .unjudged(&create::CreateError::Json(e.to_string()).to_string());
                    }
                };
                if self.exempt(&value) {
                    return Decision::allowed(Vec::new());
                }
                let spec = create::container_of(value, name.as_deref());
                (spec, Cow::Borrowed(&CREATE_RULES), "container")
            }
            Call::Exec { container } => (
                create::exec(body, &container),
                Cow::Borrowed(&EXEC_RULES),
                "container",
            ),
            Call::Update { container } => {
                let spec = create::update(body, &container);
                let rules = spec.as_ref().map(update_rules).unwrap_or_default();
                (spec, Cow::Owned(rules), "update")
            }
            Call::Plugin { remote } => (
                create::plugin(body, &remote),
                Cow::Borrowed(&HOST_ACCESS_RULES),
                "plugin",
            ),
            Call::Volume => (
                create::volume(body),
                Cow::Borrowed(&HOST_ACCESS_RULES),
                "volume",
            ),
        };
        match spec {
            Ok(spec) => self.judged(&spec, &rules, what),
            Err(e) => self.unjudged(&e.to_string()),
        }
    }

    /// The decision on a request for a `what` (container, plugin...) read
    /// into `spec`, checked with `rules`.
    fn judged(
        &self,
        spec: &shipshape_runtime::spec::RuntimeSpec,
        rules: &[&'static Rule],
        what: &str,
    ) -> Decision {
        let mut findings = check_trusting(std::slice::from_ref(spec), rules, &self.trusted);
        self.findings_policy.settle(&mut findings);
        let denying: Vec<&Finding> = findings.iter().filter(|f| self.denies(f)).collect();
        if denying.is_empty() {
            return Decision::allowed(findings);
        }
        let mut ids: Vec<&'static str> = denying.iter().map(|f| f.rule.id).collect();
        ids.dedup();
        let reasons: Vec<String> = denying
            .iter()
            .map(|f| format!("{} ({}): {}", f.rule.id, f.severity, f.masked_message()))
            .collect();
        let message = format!(
            "shipshape refused this {what}: {}. Change these settings, or see `shipshape rule ID` for each rule and its fix",
            reasons.join("; ")
        );
        let (allow, outcome) = if self.dry_run {
            (true, "would-deny")
        } else {
            (false, "deny")
        };
        Decision {
            allow,
            message,
            outcome,
            findings,
            denying: ids,
        }
    }

    /// Whether the create body's image or labels are exempt.
    fn exempt(&self, value: &Value) -> bool {
        let image = value.get("Image").and_then(Value::as_str).unwrap_or("");
        let labels = value.get("Labels");
        self.policy.exempts(image, |key| {
            labels
                .and_then(|l| l.get(key))
                .and_then(Value::as_str)
                .map(str::to_string)
        })
    }

    /// A call that could not be judged: refused or let through, as
    /// `--on-error` says.
    fn unjudged(&self, why: &str) -> Decision {
        let allow = matches!(self.on_error, OnError::Allow) || self.dry_run;
        Decision {
            allow,
            message: format!(
                "shipshape could not judge this request: {why}; it is {} (--on-error {})",
                if allow { "allowed" } else { "refused" },
                if matches!(self.on_error, OnError::Allow) {
                    "allow"
                } else {
                    "deny"
                }
            ),
            outcome: "error",
            findings: Vec::new(),
            denying: Vec::new(),
        }
    }
}

impl Decision {
    fn allowed(findings: Vec<Finding>) -> Decision {
        Decision {
            allow: true,
            message: String::new(),
            outcome: "allow",
            findings,
            denying: Vec::new(),
        }
    }
}

/// The JSON line logged for one decision.
fn log_line(question: &Question, decision: &Decision) -> String {
    let findings: Vec<Value> = decision
        .findings
        .iter()
        .map(|f| json!({"rule": f.rule.id, "severity": f.severity.to_string(), "message": f.masked_message()}))
        .collect();
    let time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0);
    let uri = question.uri.split('?').next().unwrap_or("");
    json!({
        "time": time,
        "user": question.user,
        "method": question.method,
        "uri": uri,
        "decision": decision.outcome,
        "denying": decision.denying,
        "findings": findings,
        "message": decision.message,
    })
    .to_string()
}

pub fn run(global: &Global, args: &AuthzArgs) -> Result<ExitCode> {
    let (config, _) = Config::resolve(global.config.as_deref(), Some(Path::new(".")))?;
    let judge = Judge {
        policy: config.authz.clone().unwrap_or_default(),
        findings_policy: Policy {
            ignore: config.ignored.clone(),
            overrides: config.overrides(),
            ..Policy::default()
        },
        deny_on: args.deny_on,
        dry_run: args.dry_run,
        on_error: args.on_error,
        trusted: config.trusted_registries.clone(),
    };
    let log: Box<dyn Write + Send> = match &args.log {
        Some(path) => Box::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open the log {}", path.display()))?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let log = Mutex::new(log);
    if let Some(dir) = args.socket.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    // A socket left by a plugin that is gone; a live one is refused by bind.
    if std::os::unix::net::UnixStream::connect(&args.socket).is_err() {
        let _ = std::fs::remove_file(&args.socket);
    }
    let listener = std::os::unix::net::UnixListener::bind(&args.socket)
        .with_context(|| format!("cannot listen on {}", args.socket.display()))?;
    if !global.quiet {
        eprintln!(
            "shipshape authz: listening on {}{}",
            args.socket.display(),
            if args.dry_run {
                " (dry run: nothing is refused)"
            } else {
                ""
            }
        );
    }
    let handler = move |path: &str, body: &[u8]| -> (u16, Vec<u8>) {
        match path {
            "/AuthZPlugin.AuthZReq" => {
                let (question, decision) = match authz::question(body) {
                    Ok(q) => {
                        let d = judge.decide(&q);
                        (q, d)
                    }
                    Err(e) => {
                        let q = Question {
                            user: String::new(),
                            method: String::new(),
                            uri: String::new(),
                            body: None,
                        };
                        let d = judge.unjudged(&e.to_string());
                        (q, d)
                    }
                };
                if let Ok(mut out) = log.lock() {
                    let _ = writeln!(out, "{}", log_line(&question, &decision));
                }
                (200, authz::answer(decision.allow, &decision.message))
            }
            // Answers are not judged: what matters was decided before.
            "/AuthZPlugin.AuthZRes" => (200, authz::answer(true, "")),
            _ => (404, authz::answer(false, "shipshape: no such plugin call")),
        }
    };
    authz::serve(listener, Arc::new(handler));
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipshape_core::Severity;

    fn judge(policy: AuthzPolicy) -> Judge {
        Judge {
            policy,
            deny_on: FailOn::At(Severity::High),
            dry_run: false,
            on_error: OnError::Deny,
            trusted: Vec::new(),
            findings_policy: Policy::default(),
        }
    }

    fn create(body: &str) -> Question {
        Question {
            user: String::new(),
            method: "POST".into(),
            uri: "/v1.47/containers/create?name=web".into(),
            body: Some(body.as_bytes().to_vec()),
        }
    }

    const PRIVILEGED: &str = r#"{"Image": "busybox", "HostConfig": {"Privileged": true}}"#;
    const HARDENED: &str = r#"{"Image": "busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000", "User": "1000",
        "HostConfig": {"ReadonlyRootfs": true, "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"],
        "NetworkMode": "none", "Memory": 67108864, "NanoCpus": 500000000, "PidsLimit": 64}}"#;

    #[test]
    fn dangerous_settings_are_refused_with_their_rules() {
        for (body, id) in [
            (PRIVILEGED, "RT001"),
            (
                r#"{"Image": "x", "HostConfig": {"Binds": ["/var/run/docker.sock:/var/run/docker.sock"]}}"#,
                "RT013",
            ),
            (
                r#"{"Image": "x", "HostConfig": {"PidMode": "host"}}"#,
                "RT009",
            ),
            (
                r#"{"Image": "x", "HostConfig": {"CapAdd": ["SYS_ADMIN"]}}"#,
                "RT002",
            ),
        ] {
            let d = judge(AuthzPolicy::default()).decide(&create(body));
            assert!(!d.allow, "{body}");
            assert!(d.denying.contains(&id), "{body}: {:?}", d.denying);
            assert!(d.message.contains(id), "{}", d.message);
        }
    }

    #[test]
    fn a_hardened_container_and_other_calls_go_through() {
        let d = judge(AuthzPolicy::default()).decide(&create(HARDENED));
        assert!(d.allow, "{}", d.message);
        let start = Question {
            uri: "/v1.47/containers/web/start".into(),
            ..create(PRIVILEGED)
        };
        assert!(judge(AuthzPolicy::default()).decide(&start).allow);
    }

    #[test]
    fn the_policy_decides_what_refuses() {
        let allow = AuthzPolicy {
            allow: vec!["RT001".into()],
            ..AuthzPolicy::default()
        };
        assert!(judge(allow).decide(&create(PRIVILEGED)).allow);
        let deny = AuthzPolicy {
            deny: vec!["RT008".into()],
            ..AuthzPolicy::default()
        };
        let low = r#"{"Image": "x", "User": "1000", "HostConfig": {"NetworkMode": "host"}}"#;
        assert!(!judge(deny).decide(&create(low)).allow);
        let exempt = AuthzPolicy {
            exempt_images: vec!["busybox".into()],
            ..AuthzPolicy::default()
        };
        assert!(judge(exempt).decide(&create(PRIVILEGED)).allow);
        let labelled = AuthzPolicy {
            exempt_labels: BTreeMap::from([("com.example.shipshape.exempt".into(), "true".into())]),
            ..AuthzPolicy::default()
        };
        let body = r#"{"Image": "x", "Labels": {"com.example.shipshape.exempt": "true"}, "HostConfig": {"Privileged": true}}"#;
        assert!(judge(labelled.clone()).decide(&create(body)).allow);
        let other = body.replace("\"true\"", "\"false\"");
        assert!(!judge(labelled).decide(&create(&other)).allow);
    }

    #[test]
    fn dry_run_and_errors() {
        let mut j = judge(AuthzPolicy::default());
        j.dry_run = true;
        let d = j.decide(&create(PRIVILEGED));
        assert!(d.allow);
        assert_eq!(d.outcome, "would-deny");
        let j = judge(AuthzPolicy::default());
        let d = j.decide(&create("{not json"));
        assert!(!d.allow);
        assert_eq!(d.outcome, "error");
        assert!(d.message.contains("not JSON"), "{}", d.message);
        let mut j = judge(AuthzPolicy::default());
        j.on_error = OnError::Allow;
        assert!(j.decide(&create("{not json")).allow);
        let no_body = Question {
            body: None,
            ..create("")
        };
        assert!(!judge(AuthzPolicy::default()).decide(&no_body).allow);
    }

    #[test]
    fn a_privileged_exec_is_refused() {
        let exec = Question {
            uri: "/v1.47/containers/web/exec".into(),
            ..create(r#"{"Privileged": true, "Cmd": ["sh"]}"#)
        };
        let d = judge(AuthzPolicy::default()).decide(&exec);
        assert!(!d.allow);
        assert_eq!(d.denying, vec!["RT001"]);
        let plain = Question {
            uri: "/v1.47/containers/web/exec".into(),
            ..create(r#"{"Cmd": ["sh"]}"#)
        };
        assert!(judge(AuthzPolicy::default()).decide(&plain).allow);
    }

    /// Questions dockerd 28.2 asked for `docker create` (CLI 28.2, API
    /// 1.41) and `docker exec --privileged`, as they reached the plugin.
    fn call(uri: &str, body: &str) -> Question {
        Question {
            uri: uri.into(),
            ..create(body)
        }
    }

    #[test]
    fn plugins_and_volumes_that_reach_into_the_host_are_refused() {
        let j = judge(AuthzPolicy::default());
        let plugin = call(
            "/v1.41/plugins/pull?remote=vieux%2Fsshfs%3Alatest",
            r#"[{"Name":"network","Value":["host"]},{"Name":"mount","Value":["/var/run/docker.sock"]},
                {"Name":"capabilities","Value":["CAP_SYS_ADMIN"]}]"#,
        );
        let d = j.decide(&plugin);
        assert!(!d.allow);
        for id in ["RT002", "RT008", "RT013"] {
            assert!(d.denying.contains(&id), "{id}: {:?}", d.denying);
        }
        assert!(d.message.contains("refused this plugin"), "{}", d.message);
        // A plugin asking for nothing, and the rules that do not apply to
        // a plugin (limits, user, read-only root) say nothing.
        let quiet = j.decide(&call("/v1.41/plugins/pull?remote=x%2Fy", "[]"));
        assert!(
            quiet.allow && quiet.findings.is_empty(),
            "{:?}",
            quiet.findings
        );

        let volume = call(
            "/v1.41/volumes/create",
            r#"{"Name":"etc","Driver":"local","DriverOpts":{"type":"none","o":"bind","device":"/etc"}}"#,
        );
        let d = j.decide(&volume);
        assert!(!d.allow);
        assert_eq!(d.denying, vec!["RT014"]);
        let named = j.decide(&call("/v1.41/volumes/create", r#"{"Name":"data"}"#));
        assert!(named.allow && named.findings.is_empty());
    }

    #[test]
    fn an_update_is_judged_on_what_it_changes() {
        let j = judge(AuthzPolicy::default());
        let d = j.decide(&call(
            "/v1.41/containers/web/update",
            r#"{"PidsLimit": -1}"#,
        ));
        let ids: Vec<&str> = d.findings.iter().map(|f| f.rule.id).collect();
        assert_eq!(ids, vec!["RT023"]);
        // Low: logged, not refused, unless the policy says so.
        assert!(d.allow);
        let strict = judge(AuthzPolicy {
            deny: vec!["RT023".into()],
            ..AuthzPolicy::default()
        });
        assert!(
            !strict
                .decide(&call(
                    "/v1.41/containers/web/update",
                    r#"{"PidsLimit": -1}"#
                ))
                .allow
        );
        let memory = j.decide(&call(
            "/v1.41/containers/web/update",
            r#"{"Memory": 67108864}"#,
        ));
        assert!(
            memory.allow && memory.findings.is_empty(),
            "{:?}",
            memory.findings
        );
    }

    fn captured(name: &str) -> Question {
        let path = format!("{}/tests/fixtures/authz/{name}", env!("CARGO_MANIFEST_DIR"));
        let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        authz::question(&raw).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn captured_requests_are_judged() {
        let j = judge(AuthzPolicy::default());
        let d = j.decide(&captured("create-insecure.json"));
        assert!(!d.allow);
        for id in ["RT001", "RT002", "RT009", "RT013"] {
            assert!(d.denying.contains(&id), "{id}: {:?}", d.denying);
        }
        // The token in its environment is a finding, never shown.
        assert!(d.findings.iter().any(|f| f.rule.id == "RT033"));
        let line = log_line(&captured("create-insecure.json"), &d);
        assert!(
            !line.contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            "{line}"
        );
        assert!(
            !d.message
                .contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789")
        );
        let d = j.decide(&captured("create-hardened.json"));
        assert!(d.allow, "{}", d.message);
        let d = j.decide(&captured("exec-privileged.json"));
        assert_eq!((d.allow, d.denying), (false, vec!["RT001"]));
    }
}
