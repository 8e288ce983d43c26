//! CVSS vectors: parsing, validation and base scores.
//!
//! - v3.0 and v3.1 ([`Cvss3`]): base score per the FIRST specification,
//!   with the v3.1 `Roundup` for both versions (see [`Cvss3`]).
//! - v2 ([`Cvss2`]): base score per the v2 guide.
//! - v4.0 ([`Cvss4`]): CVSS-B score and the score with threat and
//!   environmental metrics, by the specification's MacroVector method.
//!
//! Validation is strict: every base metric exactly once, no metric twice,
//! only known metrics and values. Metrics may come in any order. Temporal,
//! threat, environmental and supplemental metrics are accepted and kept but
//! do not change the base score.

mod v2;
mod v3;
mod v4;

use std::fmt;

pub use v2::Cvss2;
pub use v3::Cvss3;
pub use v4::Cvss4;

/// A vector that is not valid CVSS.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid CVSS vector `{vector}`: {problem}")]
pub struct CvssError {
    /// The vector as given (cut to 200 characters).
    pub vector: String,
    /// What is wrong.
    pub problem: String,
}

impl CvssError {
    fn new(vector: &str, problem: impl Into<String>) -> CvssError {
        CvssError {
            vector: vector.chars().take(200).collect(),
            problem: problem.into(),
        }
    }
}

/// A score from 0.0 to 10.0 in steps of 0.1, kept as tenths so that scores
/// compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u8);

impl Score {
    /// The score from tenths (`98` is 9.8); `None` above 100.
    pub fn from_tenths(tenths: u8) -> Option<Score> {
        (tenths <= 100).then_some(Score(tenths))
    }

    /// The score in tenths.
    pub fn tenths(self) -> u8 {
        self.0
    }

    /// The score as a number.
    pub fn value(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    /// The qualitative rating of a v3 or v4 score.
    pub fn rating(self) -> Rating {
        match self.0 {
            0 => Rating::None,
            1..=39 => Rating::Low,
            40..=69 => Rating::Medium,
            70..=89 => Rating::High,
            _ => Rating::Critical,
        }
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// The qualitative severity rating scale of CVSS v3 and v4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    /// 0.0
    None,
    /// 0.1 to 3.9
    Low,
    /// 4.0 to 6.9
    Medium,
    /// 7.0 to 8.9
    High,
    /// 9.0 to 10.0
    Critical,
}

impl Rating {
    /// The rating's name as the specification writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "None",
            Rating::Low => "Low",
            Rating::Medium => "Medium",
            Rating::High => "High",
            Rating::Critical => "Critical",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A vector of any supported CVSS version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Vector {
    V2(Cvss2),
    V3(Cvss3),
    V4(Cvss4),
}

impl Vector {
    /// Parses a vector, telling the version by its prefix: `CVSS:3.0/`,
    /// `CVSS:3.1/`, `CVSS:4.0/`, and none for v2.
    pub fn parse(vector: &str) -> Result<Vector, CvssError> {
        if vector.starts_with("CVSS:3.") {
            Cvss3::parse(vector).map(Vector::V3)
        } else if vector.starts_with("CVSS:4.") {
            Cvss4::parse(vector).map(Vector::V4)
        } else if vector.starts_with("CVSS:") {
            Err(CvssError::new(vector, "unknown CVSS version"))
        } else {
            Cvss2::parse(vector).map(Vector::V2)
        }
    }

    /// The base score (for v4.0 the CVSS-B score). `None` is not expected
    /// for a valid vector; see [`Cvss4::base_score`].
    pub fn base_score(&self) -> Option<Score> {
        match self {
            Vector::V2(v) => Some(v.base_score()),
            Vector::V3(v) => Some(v.base_score()),
            Vector::V4(v) => v.base_score(),
        }
    }

    /// The version as written in a vector prefix (`2.0`, `3.1`, `4.0`).
    pub fn version(&self) -> &'static str {
        match self {
            Vector::V2(_) => "2.0",
            Vector::V3(v) => v.version(),
            Vector::V4(_) => "4.0",
        }
    }
}

/// One metric a version defines: its abbreviation, allowed values and
/// whether the base group requires it.
struct MetricDef {
    name: &'static str,
    values: &'static [&'static str],
    required: bool,
}

/// Splits `body` (the vector without its prefix) into `(metric, value)`
/// pairs, checking each against `defs`: known metric, known value, no
/// metric twice, every required metric present.
fn split_metrics<'a>(
    body: &'a str,
    defs: &[MetricDef],
) -> Result<Vec<(&'static str, &'a str)>, String> {
    let mut seen: Vec<(&'static str, &'a str)> = Vec::with_capacity(defs.len());
    for part in body.split('/') {
        let Some((name, value)) = part.split_once(':') else {
            return Err(format!("`{part}` is not METRIC:VALUE"));
        };
        let Some(def) = defs.iter().find(|d| d.name == name) else {
            return Err(format!("unknown metric `{name}`"));
        };
        if !def.values.contains(&value) {
            return Err(format!(
                "`{value}` is not a value of {name} (expected one of {})",
                def.values.join(", ")
            ));
        }
        if seen.iter().any(|(n, _)| *n == def.name) {
            return Err(format!("metric {name} is given more than once"));
        }
        seen.push((def.name, value));
    }
    let missing: Vec<&str> = defs
        .iter()
        .filter(|d| d.required && !seen.iter().any(|(n, _)| *n == d.name))
        .map(|d| d.name)
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing base metric {}", missing.join(", ")));
    }
    Ok(seen)
}

/// The value of `name` among parsed pairs.
fn value_of<'a>(pairs: &[(&'static str, &'a str)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, v)| v)
}
