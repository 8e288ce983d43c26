//! Section 6: operations. How many images and containers pile up.

use serde_json::Value;

use super::Outcome;
use shipshape_core::host::Host;

check! {
    /// ## What it does
    /// Counts images and how many of them containers use.
    ///
    /// ## Why is this bad?
    /// Unused images keep old, vulnerable software on the host and make it
    /// hard to tell what is really deployed.
    ///
    /// ## Use instead
    /// Remove what nothing uses: `docker image prune -a` (after checking).
    ///
    /// ## References
    /// - CIS Docker Benchmark 6.1
    DH601: "6.1",
    title: "Image sprawl is avoided",
    severity: Info,
    scored: false,
    fix: "remove unused images (`docker image prune -a`)",
    run: image_sprawl,
}

fn image_sprawl(host: &Host) -> Outcome {
    if !host.daemon_reached {
        return Outcome::info("the Docker daemon was not reached; nothing to count");
    }
    let used: std::collections::HashSet<&str> = host
        .containers
        .iter()
        .filter_map(|c| c.inspect.get("Image").and_then(Value::as_str))
        .collect();
    let total = host.images.len();
    let in_use = host
        .images
        .iter()
        .filter(|i| {
            i.inspect
                .get("Id")
                .and_then(Value::as_str)
                .is_some_and(|id| used.contains(id))
        })
        .count();
    Outcome::info(format!(
        "{total} images, {in_use} used by the containers examined"
    ))
}

check! {
    /// ## What it does
    /// Counts containers and how many of them run.
    ///
    /// ## Why is this bad?
    /// Stopped containers keep their data, configuration and sometimes
    /// secrets on disk, and can be started again by mistake.
    ///
    /// ## Use instead
    /// Remove stopped containers you do not need: `docker container prune`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 6.2
    DH602: "6.2",
    title: "Container sprawl is avoided",
    severity: Info,
    scored: false,
    fix: "remove stopped containers (`docker container prune`)",
    run: container_sprawl,
}

fn container_sprawl(host: &Host) -> Outcome {
    let count = |key: &str| host.info(key).and_then(Value::as_i64);
    match (count("Containers"), count("ContainersRunning")) {
        (Some(total), Some(running)) => Outcome::info(format!(
            "{total} containers, {running} running, {} not running",
            total - running
        )),
        _ => Outcome::info("the Docker daemon was not reached; nothing to count"),
    }
}
