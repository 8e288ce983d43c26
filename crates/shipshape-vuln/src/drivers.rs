//! How each kind of package is looked up in the advisory database: one
//! driver per distribution family (their advisories are per release and,
//! for some, per source package) and one for the language registries
//! (advisories per registry and name). A new family or registry is a new
//! driver, listed in [`DRIVERS`].

use shipshape_core::inventory::{Os, Package};
use shipshape_versions::Ecosystem;

use crate::matcher::Key;

/// Turns a package of the inventory into what its advisories are keyed on.
pub trait Driver: Sync {
    /// Whether it looks up packages of this inventory type (`deb`, `npm`).
    fn handles(&self, package_type: &str) -> bool;
    /// How to look `p` up, or `None` when no advisory ecosystem covers it
    /// (a distribution release without a feed, a Maven artifact without
    /// its group).
    fn key(&self, p: &Package, os: Option<&Os>) -> Option<Key>;
}

/// Every driver.
pub static DRIVERS: &[&dyn Driver] = &[&Dpkg, &Apk, &Rpm, &Languages];

/// The driver of a package type, if any covers it.
pub fn driver_for(package_type: &str) -> Option<&'static dyn Driver> {
    DRIVERS.iter().copied().find(|d| d.handles(package_type))
}

/// The OSV ecosystem of a distro release, when one is known.
pub fn distro_ecosystem(os: &Os) -> Option<String> {
    let version = os.version.as_deref()?;
    let major = version.split('.').next().unwrap_or(version);
    match os.id.as_str() {
        "debian" => Some(format!("Debian:{major}")),
        "ubuntu" => {
            // LTS releases are the even years' April releases.
            let lts = version
                .split_once('.')
                .and_then(|(y, m)| Some((y.parse::<u32>().ok()?, m)))
                .is_some_and(|(y, m)| y % 2 == 0 && m.starts_with("04"));
            let short: String = version.split('.').take(2).collect::<Vec<_>>().join(".");
            Some(if lts {
                format!("Ubuntu:{short}:LTS")
            } else {
                format!("Ubuntu:{short}")
            })
        }
        "alpine" => {
            let short: Vec<&str> = version.split('.').take(2).collect();
            Some(format!("Alpine:v{}", short.join(".")))
        }
        "almalinux" => Some(format!("AlmaLinux:{major}")),
        "rocky" => Some(format!("Rocky Linux:{major}")),
        _ => None,
    }
}

/// Debian and Ubuntu: advisories name source packages and their versions
/// (a binNMU's `+bN` is not part of it).
struct Dpkg;

impl Driver for Dpkg {
    fn handles(&self, package_type: &str) -> bool {
        package_type == "deb"
    }

    fn key(&self, p: &Package, os: Option<&Os>) -> Option<Key> {
        Some(Key {
            ecosystem: distro_ecosystem(os?)?,
            names: vec![p.source_name.clone().unwrap_or_else(|| p.name.clone())],
            version: p
                .source_version
                .clone()
                .unwrap_or_else(|| p.version.clone()),
            order: Ecosystem::Dpkg,
        })
    }
}

/// Alpine: the secdb is keyed by origin package; the version is the
/// package's own.
struct Apk;

impl Driver for Apk {
    fn handles(&self, package_type: &str) -> bool {
        package_type == "apk"
    }

    fn key(&self, p: &Package, os: Option<&Os>) -> Option<Key> {
        let mut names = vec![p.source_name.clone().unwrap_or_else(|| p.name.clone())];
        if !names.contains(&p.name) {
            names.push(p.name.clone());
        }
        Some(Key {
            ecosystem: distro_ecosystem(os?)?,
            names,
            version: p.version.clone(),
            order: Ecosystem::Apk,
        })
    }
}

/// AlmaLinux and Rocky Linux: advisories name binary packages, and some
/// their source rpm.
struct Rpm;

impl Driver for Rpm {
    fn handles(&self, package_type: &str) -> bool {
        package_type == "rpm"
    }

    fn key(&self, p: &Package, os: Option<&Os>) -> Option<Key> {
        let mut names = vec![p.name.clone()];
        if let Some(source) = &p.source_name
            && !names.contains(source)
        {
            names.push(source.clone());
        }
        Some(Key {
            ecosystem: distro_ecosystem(os?)?,
            names,
            version: p.version.clone(),
            order: Ecosystem::Rpm,
        })
    }
}

/// The language registries: advisories per registry and package name,
/// whatever the distribution.
struct Languages;

impl Driver for Languages {
    fn handles(&self, package_type: &str) -> bool {
        matches!(
            package_type,
            "pypi" | "npm" | "cargo" | "gem" | "composer" | "maven" | "golang"
        )
    }

    fn key(&self, p: &Package, _os: Option<&Os>) -> Option<Key> {
        let simple = |ecosystem: &str, name: String, order| {
            Some(Key {
                ecosystem: ecosystem.to_string(),
                names: vec![name],
                version: p.version.clone(),
                order,
            })
        };
        match p.ecosystem {
            // The database normalizes PyPI names (PEP 503) as it looks them up.
            "pypi" => simple("PyPI", p.name.clone(), Ecosystem::Pep440),
            "npm" => simple("npm", p.name.clone(), Ecosystem::Semver),
            "cargo" => simple("crates.io", p.name.clone(), Ecosystem::Semver),
            "gem" => simple("RubyGems", p.name.clone(), Ecosystem::RubyGems),
            "composer" => Some(Key {
                ecosystem: "Packagist".into(),
                names: vec![p.name.clone()],
                version: p.version.trim_start_matches('v').to_string(),
                order: Ecosystem::Semver,
            }),
            // Maven advisories name `group:artifact`; an artifact whose
            // group is not known cannot be looked up.
            "maven" if p.name.contains(':') => simple("Maven", p.name.clone(), Ecosystem::Maven),
            // A main module built from a checkout has no version to compare.
            "golang" if p.version == "(devel)" => None,
            "golang" if p.name == "stdlib" => simple("Go", "stdlib".into(), Ecosystem::GoToolchain),
            "golang" => simple("Go", p.name.clone(), Ecosystem::Go),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_package_type_has_one_driver_at_most() {
        for t in [
            "deb", "apk", "rpm", "pypi", "npm", "cargo", "gem", "composer", "maven", "golang",
        ] {
            let n = DRIVERS.iter().filter(|d| d.handles(t)).count();
            assert_eq!(n, 1, "{t}");
        }
        // Programs known only by their version string have no advisory
        // source yet.
        assert!(driver_for("binary").is_none());
    }
}
