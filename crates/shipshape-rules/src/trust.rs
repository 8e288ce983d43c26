//! Which registries are trusted: the `trustedRegistries` setting applied
//! to an image reference, the same way for a Dockerfile's `FROM`, a
//! manifest's `image:`, a live container's image and an audited image.

/// The registry host of an image reference: its first path component when
/// that looks like a host (has a `.` or a `:`, or is `localhost`), else
/// Docker Hub.
pub fn registry_of(image: &str) -> String {
    match image.split_once('/') {
        Some((head, _)) if head.contains(['.', ':']) || head == "localhost" => normalize(head),
        _ => "docker.io".to_string(),
    }
}

/// A registry name as compared: lower case, without scheme or trailing
/// slash, with Docker Hub's other names folded into `docker.io`.
pub fn normalize(registry: &str) -> String {
    let r = registry.trim().to_ascii_lowercase();
    let r = r
        .strip_prefix("https://")
        .or_else(|| r.strip_prefix("http://"))
        .unwrap_or(&r);
    let r = r.trim_end_matches('/');
    match r {
        "hub.docker.com"
        | "index.docker.io"
        | "registry-1.docker.io"
        | "registry.hub.docker.com" => "docker.io".to_string(),
        _ => r.to_string(),
    }
}

/// Whether a registry (as [`registry_of`] gives it) matches an entry of
/// the list: `host`, `host:port` or `*.domain`; an entry without a port
/// matches the host on any port.
pub fn matches(registry: &str, entry: &str) -> bool {
    let entry = normalize(entry);
    let host = registry.split(':').next().unwrap_or(registry);
    if let Some(domain) = entry.strip_prefix('*') {
        return domain.starts_with('.') && host.ends_with(domain);
    }
    registry == entry || (!entry.contains(':') && host == entry)
}

/// The finding's message for an image from a registry outside `trusted`;
/// `None` when it is trusted, when the list is empty (no policy) and for
/// `scratch`.
pub fn untrusted(image: &str, trusted: &[String]) -> Option<String> {
    if trusted.is_empty() || image == "scratch" {
        return None;
    }
    let registry = registry_of(image);
    if trusted.iter().any(|entry| matches(&registry, entry)) {
        return None;
    }
    let list: Vec<String> = trusted.iter().map(|e| normalize(e)).collect();
    Some(format!(
        "`{image}` comes from `{registry}`, which is not a trusted registry (trusted: {}); use a mirror in a trusted registry or add `{registry}` to `trustedRegistries`",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names() {
        assert_eq!(registry_of("debian"), "docker.io");
        assert_eq!(registry_of("library/debian:12"), "docker.io");
        assert_eq!(registry_of("localhost:5000/x"), "localhost:5000");
        assert_eq!(registry_of("Index.Docker.IO/library/x"), "docker.io");
        assert!(matches("a.corp.example", "*.corp.example"));
        assert!(matches("docker.io", "https://index.docker.io/"));
        assert!(!matches("corp.example", "*.corp.example"));
        assert!(!matches("evilcorp.example", "*.corp.example"));
    }

    #[test]
    fn untrusted_only_outside_a_list() {
        let hub = vec!["docker.io".to_string()];
        assert!(untrusted("quay.io/x/y:1", &hub).is_some());
        assert!(untrusted("debian:12", &hub).is_none());
        assert!(untrusted("scratch", &hub).is_none());
        assert!(untrusted("quay.io/x/y:1", &[]).is_none());
    }
}
