use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How much a finding matters, from `Info` (worth knowing) to `Critical`
/// (fix before shipping).
///
/// Variants are ordered, so `a >= b` reads "a is at least as severe as b".
///
/// Rules carried over from hadolint keep their meaning but get a shipshape
/// severity. hadolint's levels map as follows when a user writes them
/// (hadolint config, [`Severity::from_hadolint`]); a rule's own severity
/// is set by its security impact instead: higher than this mapping where
/// the impact is (root, `sudo`, credentials), lower where hadolint's level
/// is about correctness or hygiene (`MAINTAINER`, package cache cleanup,
/// a relative `WORKDIR`). `shipshape rules` lists every rule's severity.
///
/// | hadolint | shipshape |
/// |----------|-----------|
/// | error    | high      |
/// | warning  | medium    |
/// | info     | low       |
/// | style    | info      |
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The severity a hadolint level maps to (see the table above).
    pub fn from_hadolint(level: &str) -> Option<Severity> {
        match level.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::High),
            "warning" => Some(Severity::Medium),
            "info" => Some(Severity::Low),
            "style" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseSeverityError(pub String);

impl fmt::Display for ParseSeverityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown severity `{}` (expected info, low, medium, high or critical)",
            self.0
        )
    }
}

impl std::error::Error for ParseSeverityError {}

impl FromStr for Severity {
    type Err = ParseSeverityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseSeverityError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_runs_from_info_to_critical() {
        assert!(Severity::Critical > Severity::High);
        assert!(Severity::Medium >= Severity::Medium);
        assert!(Severity::Info < Severity::Low);
    }

    #[test]
    fn parses_case_insensitively_and_rejects_unknown() {
        assert_eq!("HIGH".parse::<Severity>(), Ok(Severity::High));
        assert!("severe".parse::<Severity>().is_err());
    }

    #[test]
    fn hadolint_levels_map_as_documented() {
        assert_eq!(Severity::from_hadolint("error"), Some(Severity::High));
        assert_eq!(Severity::from_hadolint("warning"), Some(Severity::Medium));
        assert_eq!(Severity::from_hadolint("info"), Some(Severity::Low));
        assert_eq!(Severity::from_hadolint("style"), Some(Severity::Info));
        assert_eq!(Severity::from_hadolint("ignore"), None);
    }
}
