//! `shipshape watch`: follows the daemon's event stream and audits each
//! container as it is created and started, each privileged exec, and each
//! image pulled or loaded, with the rules `containers` and `image` run.
//! One alert per finding, as a JSON line or a table row; with `--enforce`,
//! a container that reaches `--fail-on` is stopped or paused.
//!
//! What it remembers is bounded: the findings already alerted for each
//! container (so that a start does not repeat the create's), forgotten
//! when the container is destroyed and, past [`REMEMBERED`] containers,
//! oldest first.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};
use shipshape_core::{Finding, Policy, Severity};
use shipshape_engine::host::container;
use shipshape_engine::{Engine, Event, Next};
use shipshape_image::archive::{ReadOptions, read_image};
use shipshape_image::layer::Limits;
use shipshape_packages::Catalogers;
use shipshape_rules::image::wants;
use shipshape_rules::runtime::{RULES, check_trusting};
use shipshape_runtime::{create, inspect};

use crate::authz::{AuthzPolicy, EXEC_RULES};
use crate::cli::{Enforce, FailOn, WatchArgs, WatchFormat};
use crate::config::Config;

/// How many containers' alerted findings are kept.
const REMEMBERED: usize = 4096;
/// How many image audits may wait; more are skipped with a warning.
const IMAGE_QUEUE: usize = 8;
/// How many alerts may wait for the webhook; more are dropped with a
/// warning, so that a slow endpoint never holds the watch.
const WEBHOOK_QUEUE: usize = 1024;
/// Seconds a container stopped by `--enforce stop` has to exit before it
/// is killed: short, since the watch waits for it.
const STOP_GRACE: i32 = 1;
/// The longest wait between two attempts to reach the daemon.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What the watch has done, for the closing line.
#[derive(Debug, Default)]
struct Tally {
    events: u64,
    audited: u64,
    alerts: u64,
    /// Alerts at or above `--fail-on`.
    failing: u64,
    enforced: u64,
}

/// One alert: a finding on a container or an image, and what was done.
struct Alert<'a> {
    event: &'a str,
    container: Option<(&'a str, &'a str)>,
    image: &'a str,
    finding: &'a Finding,
    action: Option<&'a str>,
}

impl Alert<'_> {
    fn json(&self, time: u64) -> Value {
        let f = self.finding;
        json!({
            "time": shipshape_core::time::timestamp(time),
            "event": self.event,
            "container": self.container.map(|(id, _)| id),
            "name": self.container.map(|(_, name)| name),
            "image": self.image,
            "rule": f.rule.id,
            "severity": f.severity.to_string(),
            "title": f.rule.title,
            "message": f.masked_message(),
            "where": f.location.describe(),
            "action": self.action,
        })
    }

    fn row(&self, time: u64, color: bool) -> String {
        let f = self.finding;
        let clock = &shipshape_core::time::timestamp(time)[11..19];
        let what = match self.container {
            Some((_, name)) => name.to_string(),
            None => format!("image {}", self.image),
        };
        let severity = format!("{:<8}", f.severity.to_string().to_uppercase());
        let severity = if color {
            let code = match f.severity {
                Severity::Critical => "1;31",
                Severity::High => "31",
                Severity::Medium => "33",
                Severity::Low => "36",
                Severity::Info => "2",
            };
            format!("\x1b[{code}m{severity}\x1b[0m")
        } else {
            severity
        };
        let action = self.action.map(|a| format!("  [{a}]")).unwrap_or_default();
        format!(
            "{clock}  {:<12} {what:<28} {:<6} {severity} {}{action}",
            self.event,
            f.rule.id,
            f.masked_message()
        )
    }
}

/// Where alerts go: standard output (a table on a terminal, JSON lines
/// otherwise), a file of JSON lines, a webhook.
struct Sinks {
    table: bool,
    color: bool,
    /// What counts as failing, for the tally.
    fail_on: FailOn,
    tally: Arc<Mutex<Tally>>,
    file: Option<std::fs::File>,
    webhook: Option<SyncSender<String>>,
    dropped: u64,
}

impl Sinks {
    /// Writes one alert everywhere it goes, and counts it.
    fn send(&mut self, alert: &Alert) -> Result<()> {
        let time = shipshape_core::time::now();
        // The JSON line, unless only the table is written.
        let line = if !self.table || self.file.is_some() || self.webhook.is_some() {
            alert.json(time).to_string()
        } else {
            String::new()
        };
        let mut out = std::io::stdout().lock();
        if self.table {
            writeln!(out, "{}", alert.row(time, self.color))?;
        } else {
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        if let Ok(mut tally) = self.tally.lock() {
            tally.alerts += 1;
            tally.failing += u64::from(fails(self.fail_on, alert.finding));
        }
        if let Some(file) = &mut self.file {
            writeln!(file, "{line}").context("cannot append to the alert file")?;
        }
        if let Some(webhook) = &self.webhook {
            match webhook.try_send(line) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => {
                    self.dropped += 1;
                    if self.dropped == 1 || self.dropped.is_power_of_two() {
                        eprintln!(
                            "warning: the webhook is behind: {} alert(s) not sent to it so far",
                            self.dropped
                        );
                    }
                }
                Err(TrySendError::Disconnected(_)) => {}
            }
        }
        Ok(())
    }
}

/// Posts each alert to `url`, three tries each, one after another.
fn webhook_worker(url: String, alerts: Receiver<String>) {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(true)
        .build()
        .new_agent();
    for alert in alerts {
        let mut wait = Duration::from_millis(500);
        for attempt in 1..=3 {
            match agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(alert.as_bytes())
            {
                Ok(_) => break,
                Err(e) if attempt == 3 => {
                    eprintln!(
                        "warning: webhook {url}: an alert was not delivered after 3 tries: {e}"
                    );
                }
                Err(_) => {
                    std::thread::sleep(wait);
                    wait *= 2;
                }
            }
        }
    }
}

/// The findings already alerted for each container, oldest container
/// first out.
#[derive(Default)]
struct Remembered {
    alerted: HashMap<String, HashSet<String>>,
    enforced: HashSet<String>,
    order: VecDeque<String>,
}

impl Remembered {
    /// The findings of `findings` not yet alerted for `id`, now marked.
    fn fresh<'f>(&mut self, id: &str, findings: &'f [Finding]) -> Vec<&'f Finding> {
        if !self.alerted.contains_key(id) {
            if self.order.len() >= REMEMBERED
                && let Some(old) = self.order.pop_front()
            {
                self.forget(&old);
            }
            self.order.push_back(id.to_string());
        }
        let seen = self.alerted.entry(id.to_string()).or_default();
        findings
            .iter()
            .filter(|f| seen.insert(format!("{}\0{}", f.rule.id, f.location.describe())))
            .collect()
    }

    fn forget(&mut self, id: &str) {
        self.alerted.remove(id);
        self.enforced.remove(id);
        if let Some(at) = self.order.iter().position(|o| o == id) {
            self.order.remove(at);
        }
    }
}

/// Which containers the watch looks at: those carrying every `--label`.
struct Scope(Vec<(String, Option<String>)>);

impl Scope {
    fn new(labels: &[String]) -> Scope {
        Scope(
            labels
                .iter()
                .map(|l| match l.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (l.clone(), None),
                })
                .collect(),
        )
    }

    fn admits(&self, label: impl Fn(&str) -> Option<String>) -> bool {
        self.0.iter().all(|(key, want)| match (label(key), want) {
            (Some(have), Some(want)) => &have == want,
            (Some(_), None) => true,
            (None, _) => false,
        })
    }
}

/// The container an audit is about, and the event that asked for it.
struct Subject<'a> {
    id: &'a str,
    name: &'a str,
    image: &'a str,
    event: &'a str,
}

/// Everything the watch loop reads and keeps.
struct Watch {
    enforce: Option<Enforce>,
    fail_on: FailOn,
    policy: Policy,
    trusted: Vec<String>,
    exempt: AuthzPolicy,
    scope: Scope,
    remembered: Remembered,
    sinks: Arc<Mutex<Sinks>>,
    tally: Arc<Mutex<Tally>>,
    images: Option<SyncSender<(String, String)>>,
}

impl Watch {
    /// The findings that count: not ignored, severities overridden, of the
    /// severities asked for.
    fn settled(&self, mut findings: Vec<Finding>) -> Vec<Finding> {
        self.policy.keep(&mut findings);
        findings
    }

    fn handle(&mut self, engine: &Engine, event: &Event) -> Result<()> {
        if let Ok(mut tally) = self.tally.lock() {
            tally.events += 1;
        }
        match (event.kind.as_str(), event.action.as_str()) {
            ("container", "destroy") => self.remembered.forget(&event.id),
            ("container", "create" | "start")
                if self.scope.admits(|k| event.attributes.get(k).cloned()) =>
            {
                self.audit_container(engine, &event.id, &event.action, true)?;
            }
            ("container", action) if action.starts_with("exec_create") => {
                if self.scope.admits(|k| event.attributes.get(k).cloned())
                    && let Some(exec) = event.attributes.get("execID")
                {
                    self.audit_exec(engine, event, exec)?;
                }
            }
            ("image", "pull" | "load") => {
                if let Some(images) = &self.images {
                    let name = event
                        .attributes
                        .get("name")
                        .cloned()
                        .unwrap_or_else(|| event.id.clone());
                    if let Err(TrySendError::Full((_, name))) =
                        images.try_send((event.id.clone(), name))
                    {
                        eprintln!(
                            "warning: image {name} not audited: {IMAGE_QUEUE} images are waiting already"
                        );
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Audits one container; alerts what was not alerted for it before
    /// and, when `act` and the container runs, enforces.
    fn audit_container(&mut self, engine: &Engine, id: &str, event: &str, act: bool) -> Result<()> {
        let c = match container(engine, id) {
            Ok(c) => c,
            // Gone before it could be read: nothing left to judge.
            Err(e) if e.to_string().contains("No such container") => return Ok(()),
            Err(e) => {
                eprintln!("warning: container {id} not audited: {e}");
                return Ok(());
            }
        };
        let labels = c.inspect.pointer("/Config/Labels").cloned();
        let label = |k: &str| {
            labels
                .as_ref()
                .and_then(|l| l.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if !self.scope.admits(label) {
            return Ok(());
        }
        let Some(spec) = inspect::spec(&c.inspect, c.processes) else {
            return Ok(());
        };
        if let Ok(mut tally) = self.tally.lock() {
            tally.audited += 1;
        }
        let findings = self.settled(check_trusting(
            std::slice::from_ref(&spec),
            RULES,
            &self.trusted,
        ));
        let running = c
            .inspect
            .pointer("/State/Running")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let image = c
            .inspect
            .pointer("/Config/Image")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let exempt = self.exempt.exempts(&image, label);
        let name = c
            .inspect
            .get("Name")
            .and_then(Value::as_str)
            .unwrap_or(id)
            .trim_start_matches('/')
            .to_string();
        let subject = Subject {
            id,
            name: &name,
            image: &image,
            event,
        };
        self.report(engine, &subject, &findings, act && running, exempt, true)
    }

    /// Audits an exec instance of a container in scope.
    fn audit_exec(&mut self, engine: &Engine, event: &Event, exec: &str) -> Result<()> {
        let name = event.attributes.get("name").cloned().unwrap_or_default();
        let value = match engine.inspect_exec(exec) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("warning: exec {exec} in {name} not audited: {e}");
                return Ok(());
            }
        };
        let Ok(spec) = create::exec_of(&value, &name) else {
            return Ok(());
        };
        if let Ok(mut tally) = self.tally.lock() {
            tally.audited += 1;
        }
        let findings = self.settled(check_trusting(
            std::slice::from_ref(&spec),
            &EXEC_RULES,
            &self.trusted,
        ));
        let image = event.attributes.get("image").cloned().unwrap_or_default();
        let exempt = self
            .exempt
            .exempts(&image, |k| event.attributes.get(k).cloned());
        let subject = Subject {
            id: &event.id,
            name: &name,
            image: &image,
            event: "exec_create",
        };
        // An exec is new each time: its findings are alerted whatever the
        // container's were.
        self.report(engine, &subject, &findings, true, exempt, false)
    }

    /// Alerts the findings of a container not alerted before (all of
    /// them unless `remember`) and enforces when asked to and allowed.
    fn report(
        &mut self,
        engine: &Engine,
        subject: &Subject,
        findings: &[Finding],
        act: bool,
        exempt: bool,
        remember: bool,
    ) -> Result<()> {
        let id = subject.id;
        let fresh = if remember {
            self.remembered.fresh(id, findings)
        } else {
            findings.iter().collect()
        };
        let failing = findings.iter().any(|f| fails(self.fail_on, f));
        let mut action = None;
        if let Some(enforce) = self.enforce
            && act
            && failing
            && !self.remembered.enforced.contains(id)
        {
            if exempt {
                action = Some("exempt".to_string());
            } else {
                let (verb, past, done) = match enforce {
                    Enforce::Stop => ("stop", "stopped", engine.stop(id, STOP_GRACE)),
                    Enforce::Pause => ("pause", "paused", engine.pause(id)),
                };
                action = Some(match done {
                    Ok(()) => {
                        self.remembered.enforced.insert(id.to_string());
                        if let Ok(mut tally) = self.tally.lock() {
                            tally.enforced += 1;
                        }
                        past.to_string()
                    }
                    Err(e) => {
                        eprintln!("warning: could not {verb} container {}: {e}", subject.name);
                        format!("{verb} failed")
                    }
                });
            }
        }
        // An action is shown with the findings that caused it, alerted
        // before or not.
        let mut shown = fresh;
        if action.is_some() {
            for f in findings.iter().filter(|f| fails(self.fail_on, f)) {
                if !shown.iter().any(|s| std::ptr::eq(*s, f)) {
                    shown.push(f);
                }
            }
        }
        let short = &id[..id.len().min(12)];
        let mut sinks = self
            .sinks
            .lock()
            .map_err(|_| anyhow::anyhow!("the alert writer failed"))?;
        for f in shown {
            sinks.send(&Alert {
                event: subject.event,
                container: Some((short, subject.name)),
                image: subject.image,
                finding: f,
                action: action.as_deref(),
            })?;
        }
        Ok(())
    }

    /// Audits what runs now: alerts only, nothing is enforced on a
    /// container that was running before the watch began.
    fn sweep(&mut self, engine: &Engine) -> Result<()> {
        let ids = match engine.containers(false) {
            Ok(ids) => ids,
            Err(e) => {
                eprintln!("warning: cannot list the running containers: {e}");
                return Ok(());
            }
        };
        for id in ids {
            self.audit_container(engine, &id, "running", false)?;
        }
        Ok(())
    }
}

/// Audits each image sent, one at a time, each from a `docker save` in
/// its own temporary directory, over one connection (made again after a
/// failure).
fn image_worker(
    jobs: Receiver<(String, String)>,
    trusted: Vec<String>,
    policy: Policy,
    sinks: Arc<Mutex<Sinks>>,
    tally: Arc<Mutex<Tally>>,
) {
    let interest = Catalogers { also: &wants };
    let mut connection: Option<Engine> = None;
    for (id, name) in jobs {
        let engine = match connection.take().map_or_else(Engine::connect, Ok) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("warning: image {name} not audited: {e}");
                continue;
            }
        };
        let (_dir, path) = match engine.saved(&id) {
            Ok(saved) => saved,
            Err(e) => {
                eprintln!("warning: image {name} not audited: {e}");
                continue;
            }
        };
        // A loaded image is named by its id: its tag says more.
        let name = if name.starts_with("sha256:") {
            engine
                .inspect_image(&id)
                .ok()
                .and_then(|i| {
                    i.pointer("/RepoTags/0")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .unwrap_or(name)
        } else {
            name
        };
        connection = Some(engine);
        let options = ReadOptions {
            platform: None,
            limits: Limits::default(),
            wants: &interest,
        };
        let image = match read_image(&path, &name, &options) {
            Ok(read) => read.image,
            Err(e) => {
                eprintln!("warning: image {name} not audited: {}", e.message);
                continue;
            }
        };
        let mut findings = crate::image::findings_of(&image, &trusted);
        policy.keep(&mut findings);
        if let Ok(mut tally) = tally.lock() {
            tally.audited += 1;
        }
        let Ok(mut sinks) = sinks.lock() else { return };
        for f in &findings {
            let sent = sinks.send(&Alert {
                event: "image",
                container: None,
                image: &name,
                finding: f,
                action: None,
            });
            if let Err(e) = sent {
                eprintln!("warning: {e:#}");
                return;
            }
        }
    }
}

/// Whether `finding` reaches `--fail-on`.
fn fails(fail_on: FailOn, finding: &Finding) -> bool {
    matches!(fail_on, FailOn::At(s) if finding.severity >= s)
}

/// `90` (seconds), `90s`, `10m`, `2h`: the time the watch ends, in
/// seconds since the epoch.
pub fn parse_duration(text: &str) -> std::result::Result<u64, String> {
    let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write 90, 90s, 10m or 2h"))?;
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => return Err(format!("`{text}`: the unit is s, m or h")),
    };
    Ok(n.saturating_mul(scale))
}

pub fn run(args: &WatchArgs) -> Result<ExitCode> {
    let (config, _) = Config::resolve(args.config.as_deref(), Some(Path::new(".")))?;
    let mut ignore = config.ignored.clone();
    ignore.extend(args.ignore.iter().cloned());
    let policy = Policy {
        ignore,
        overrides: config.overrides(),
        severities: args.severity.clone(),
        ignore_unfixed: false,
    };
    let until = args.until.map(|d| shipshape_core::time::now() + d);
    let stdout = std::io::stdout();
    let table = match args.format {
        Some(WatchFormat::Table) => true,
        Some(WatchFormat::Json) => false,
        None => stdout.is_terminal(),
    };
    let color =
        table && !args.no_color && std::env::var_os("NO_COLOR").is_none() && stdout.is_terminal();
    let file = match &args.output {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?,
        ),
        None => None,
    };
    let webhook = match &args.webhook {
        Some(url) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                anyhow::bail!("--webhook {url}: the address must start with http:// or https://");
            }
            let (send, receive) = sync_channel(WEBHOOK_QUEUE);
            let url = url.clone();
            std::thread::spawn(move || webhook_worker(url, receive));
            Some(send)
        }
        None => None,
    };
    let tally = Arc::new(Mutex::new(Tally::default()));
    let sinks = Arc::new(Mutex::new(Sinks {
        table,
        color,
        fail_on: args.fail_on,
        tally: Arc::clone(&tally),
        file,
        webhook,
        dropped: 0,
    }));
    let images = if args.no_images {
        None
    } else {
        let (send, receive) = sync_channel(IMAGE_QUEUE);
        let (trusted, policy, sinks, tally) = (
            config.trusted_registries.clone(),
            policy.clone(),
            Arc::clone(&sinks),
            Arc::clone(&tally),
        );
        std::thread::spawn(move || image_worker(receive, trusted, policy, sinks, tally));
        Some(send)
    };
    let mut watch = Watch {
        enforce: args.enforce,
        fail_on: args.fail_on,
        policy,
        trusted: config.trusted_registries.clone(),
        exempt: config.authz.clone().unwrap_or_default(),
        scope: Scope::new(&args.label),
        remembered: Remembered::default(),
        sinks,
        tally: Arc::clone(&tally),
        images,
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot set up the signal handlers")?;
    }
    // The first connection must work: a wrong DOCKER_HOST is an error,
    // not something to wait out.
    let mut engine = Engine::connect()?;
    if !args.quiet {
        eprintln!(
            "shipshape watch: following {}{}",
            engine.host,
            match args.enforce {
                Some(Enforce::Stop) => ", stopping containers with findings at or above --fail-on",
                Some(Enforce::Pause) => ", pausing containers with findings at or above --fail-on",
                None => "",
            }
        );
    }
    let mut since: Option<i64> = None;
    let ended = 'watch: loop {
        // Events from the moment before the sweep, so that nothing
        // between the two is missed; what both see is alerted once.
        let from = since.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as i64)
                .unwrap_or(0)
        });
        let mut events = engine.events(Some(from), until);
        watch.sweep(&engine)?;
        let lost = loop {
            if stop.load(Ordering::Relaxed) {
                break 'watch false;
            }
            match events.next(Duration::from_millis(250)) {
                Next::Event(event) => {
                    since = Some(event.time + 1);
                    watch.handle(&engine, &event)?;
                }
                Next::Quiet => {}
                // The daemon ends the stream at `until`, by its clock.
                Next::End if until.is_some_and(|u| shipshape_core::time::now() + 1 >= u) => {
                    break 'watch true;
                }
                Next::End => break "the daemon closed the event stream".to_string(),
                Next::Failed(e) => break e.to_string(),
            }
        };
        since = since.or(Some(from));
        drop(events);
        if !args.quiet {
            eprintln!("shipshape watch: lost the daemon ({lost}); reconnecting");
        }
        let mut wait = Duration::from_secs(1);
        engine = loop {
            if stop.load(Ordering::Relaxed) {
                break 'watch false;
            }
            if until.is_some_and(|u| shipshape_core::time::now() >= u) {
                break 'watch true;
            }
            match Engine::connect() {
                Ok(e) => break e,
                Err(_) => {
                    let mut slept = Duration::ZERO;
                    while slept < wait && !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_millis(100));
                        slept += Duration::from_millis(100);
                    }
                    wait = (wait * 2).min(MAX_BACKOFF);
                }
            }
        };
        if !args.quiet {
            eprintln!("shipshape watch: reconnected to {}", engine.host);
        }
    };
    let tally = tally
        .lock()
        .map_err(|_| anyhow::anyhow!("the tally was lost"))?;
    if !args.quiet {
        eprintln!(
            "shipshape watch: {} events, {} audits, {} alerts ({} at or above --fail-on), {} {}",
            tally.events,
            tally.audited,
            tally.alerts,
            tally.failing,
            tally.enforced,
            match args.enforce {
                Some(Enforce::Pause) => "paused",
                _ => "stopped",
            }
        );
    }
    // Only a watch that ran its course (`--until`) is a verdict.
    Ok(if ended && tally.failing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("10m"), Ok(600));
        assert_eq!(parse_duration("2h"), Ok(7200));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5d").is_err());
        assert!(parse_duration("m").is_err());
    }

    #[test]
    fn scope_by_labels() {
        let scope = Scope::new(&["team".to_string(), "env=prod".to_string()]);
        let labels = |pairs: &'static [(&str, &str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert!(scope.admits(labels(&[("team", "a"), ("env", "prod")])));
        assert!(!scope.admits(labels(&[("team", "a"), ("env", "dev")])));
        assert!(!scope.admits(labels(&[("env", "prod")])));
        assert!(Scope::new(&[]).admits(labels(&[])));
    }

    #[test]
    fn remembered_is_bounded_and_alerts_once() {
        let rule = RULES[0].meta;
        let finding = |field: &str| {
            Finding::new(
                rule,
                "m",
                shipshape_core::Location::Container {
                    container: "c".to_string(),
                    field: field.to_string(),
                },
            )
        };
        let mut r = Remembered::default();
        let first = [finding("A")];
        assert_eq!(r.fresh("c1", &first).len(), 1);
        let again = [finding("A"), finding("B")];
        let fresh = r.fresh("c1", &again);
        assert_eq!(fresh.len(), 1);
        assert_eq!(
            fresh[0].location.describe(),
            finding("B").location.describe()
        );
        r.forget("c1");
        assert_eq!(r.fresh("c1", &first).len(), 1);
        for i in 0..REMEMBERED + 10 {
            r.fresh(&format!("x{i}"), &first);
        }
        assert_eq!(r.alerted.len(), REMEMBERED);
        assert_eq!(r.order.len(), REMEMBERED);
        // The oldest went first.
        assert!(!r.alerted.contains_key("c1"));
        assert!(r.alerted.contains_key(&format!("x{}", REMEMBERED + 9)));
    }
}
