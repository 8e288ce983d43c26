//! CVSS v3.0 and v3.1.

use super::{CvssError, MetricDef, Score, split_metrics, value_of};

const CIA: &[&str] = &["H", "L", "N"];
const REQ: &[&str] = &["X", "H", "M", "L"];

/// Metrics of v3.0 and v3.1 (specification section 6, table 15).
const METRICS: &[MetricDef] = &[
    base("AV", &["N", "A", "L", "P"]),
    base("AC", &["L", "H"]),
    base("PR", &["N", "L", "H"]),
    base("UI", &["N", "R"]),
    base("S", &["U", "C"]),
    base("C", CIA),
    base("I", CIA),
    base("A", CIA),
    other("E", &["X", "H", "F", "P", "U"]),
    other("RL", &["X", "U", "W", "T", "O"]),
    other("RC", &["X", "C", "R", "U"]),
    other("CR", REQ),
    other("IR", REQ),
    other("AR", REQ),
    other("MAV", &["X", "N", "A", "L", "P"]),
    other("MAC", &["X", "L", "H"]),
    other("MPR", &["X", "N", "L", "H"]),
    other("MUI", &["X", "N", "R"]),
    other("MS", &["X", "U", "C"]),
    other("MC", &["X", "H", "L", "N"]),
    other("MI", &["X", "H", "L", "N"]),
    other("MA", &["X", "H", "L", "N"]),
];

const fn base(name: &'static str, values: &'static [&'static str]) -> MetricDef {
    MetricDef {
        name,
        values,
        required: true,
    }
}

const fn other(name: &'static str, values: &'static [&'static str]) -> MetricDef {
    MetricDef {
        name,
        values,
        required: false,
    }
}

/// A valid CVSS v3.0 or v3.1 vector.
///
/// The base score follows the specification's equations. Both versions use
/// the v3.1 `Roundup` (round to 5 decimals, then up to 1 decimal): v3.0
/// defines Roundup as the smallest one-decimal number not below its input,
/// which v3.1's function computes without the floating-point artefacts
/// (4.000000000000001 rounding up to 4.1) of a plain `ceil`. For base
/// scores v3.0 and v3.1 differ in nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cvss3 {
    minor: u8,
    metrics: Vec<(&'static str, String)>,
}

impl Cvss3 {
    /// Parses and validates a `CVSS:3.0/…` or `CVSS:3.1/…` vector.
    pub fn parse(vector: &str) -> Result<Cvss3, CvssError> {
        let (minor, body) = if let Some(body) = vector.strip_prefix("CVSS:3.1/") {
            (1, body)
        } else if let Some(body) = vector.strip_prefix("CVSS:3.0/") {
            (0, body)
        } else {
            return Err(CvssError::new(
                vector,
                "a v3 vector starts with CVSS:3.0/ or CVSS:3.1/",
            ));
        };
        let pairs = split_metrics(body, METRICS).map_err(|p| CvssError::new(vector, p))?;
        Ok(Cvss3 {
            minor,
            metrics: pairs.into_iter().map(|(n, v)| (n, v.to_string())).collect(),
        })
    }

    /// `3.0` or `3.1`.
    pub fn version(&self) -> &'static str {
        if self.minor == 1 { "3.1" } else { "3.0" }
    }

    /// The metrics as given, in the vector's order.
    pub fn metrics(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.metrics.iter().map(|(n, v)| (*n, v.as_str()))
    }

    /// The value of a metric, if the vector gives it.
    pub fn metric(&self, name: &str) -> Option<&str> {
        self.metrics
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The base score.
    pub fn base_score(&self) -> Score {
        let pairs: Vec<(&'static str, &str)> = self.metrics().collect();
        let get = |name| value_of(&pairs, name);
        let changed = get("S") == "C";
        let av = match get("AV") {
            "N" => 0.85,
            "A" => 0.62,
            "L" => 0.55,
            _ => 0.2,
        };
        let ac = if get("AC") == "L" { 0.77 } else { 0.44 };
        let pr = match (get("PR"), changed) {
            ("N", _) => 0.85,
            ("L", false) => 0.62,
            ("L", true) => 0.68,
            (_, false) => 0.27,
            (_, true) => 0.5,
        };
        let ui = if get("UI") == "N" { 0.85 } else { 0.62 };
        let cia = |name| match get(name) {
            "H" => 0.56,
            "L" => 0.22,
            _ => 0.0,
        };
        let iss = 1.0 - (1.0 - cia("C")) * (1.0 - cia("I")) * (1.0 - cia("A"));
        let impact = if changed {
            7.52 * (iss - 0.029) - 3.25 * (iss - 0.02f64).powi(15)
        } else {
            6.42 * iss
        };
        if impact <= 0.0 {
            return Score(0);
        }
        let exploitability = 8.22 * av * ac * pr * ui;
        let sum = if changed {
            1.08 * (impact + exploitability)
        } else {
            impact + exploitability
        };
        roundup(sum.min(10.0))
    }
}

/// The v3.1 `Roundup` (specification appendix A), in tenths.
fn roundup(x: f64) -> Score {
    // `x` is in 0.0..=10.0 here, so the integer fits and is not negative.
    let int_input = (x * 100_000.0).round() as u32;
    let tenths = if int_input.is_multiple_of(10_000) {
        int_input / 10_000
    } else {
        int_input / 10_000 + 1
    };
    Score(u8::try_from(tenths.min(100)).unwrap_or(100))
}
