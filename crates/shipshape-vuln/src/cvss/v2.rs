//! CVSS v2.

use super::{CvssError, MetricDef, Rating, Score, split_metrics, value_of};

const CIA: &[&str] = &["N", "P", "C"];
const REQ: &[&str] = &["L", "M", "H", "ND"];

/// Metrics of v2 (guide section 2.4, table 13).
const METRICS: &[MetricDef] = &[
    def("AV", &["L", "A", "N"], true),
    def("AC", &["H", "M", "L"], true),
    def("Au", &["M", "S", "N"], true),
    def("C", CIA, true),
    def("I", CIA, true),
    def("A", CIA, true),
    def("E", &["U", "POC", "F", "H", "ND"], false),
    def("RL", &["OF", "TF", "W", "U", "ND"], false),
    def("RC", &["UC", "UR", "C", "ND"], false),
    def("CDP", &["N", "L", "LM", "MH", "H", "ND"], false),
    def("TD", &["N", "L", "M", "H", "ND"], false),
    def("CR", REQ, false),
    def("IR", REQ, false),
    def("AR", REQ, false),
];

const fn def(name: &'static str, values: &'static [&'static str], required: bool) -> MetricDef {
    MetricDef {
        name,
        values,
        required,
    }
}

/// A valid CVSS v2 vector (`AV:N/AC:L/Au:N/C:P/I:P/A:P`, no prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cvss2 {
    metrics: Vec<(&'static str, String)>,
}

impl Cvss2 {
    /// Parses and validates a v2 vector.
    pub fn parse(vector: &str) -> Result<Cvss2, CvssError> {
        let pairs = split_metrics(vector, METRICS).map_err(|p| CvssError::new(vector, p))?;
        Ok(Cvss2 {
            metrics: pairs.into_iter().map(|(n, v)| (n, v.to_string())).collect(),
        })
    }

    /// The metrics as given, in the vector's order.
    pub fn metrics(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.metrics.iter().map(|(n, v)| (*n, v.as_str()))
    }

    /// The base score (guide section 3.2.1), rounded to one decimal.
    pub fn base_score(&self) -> Score {
        let pairs: Vec<(&'static str, &str)> = self.metrics().collect();
        let get = |name| value_of(&pairs, name);
        let av = match get("AV") {
            "L" => 0.395,
            "A" => 0.646,
            _ => 1.0,
        };
        let ac = match get("AC") {
            "H" => 0.35,
            "M" => 0.61,
            _ => 0.71,
        };
        let au = match get("Au") {
            "M" => 0.45,
            "S" => 0.56,
            _ => 0.704,
        };
        let cia = |name| match get(name) {
            "P" => 0.275,
            "C" => 0.660,
            _ => 0.0,
        };
        let impact = 10.41 * (1.0 - (1.0 - cia("C")) * (1.0 - cia("I")) * (1.0 - cia("A")));
        if impact == 0.0 {
            return Score(0);
        }
        let exploitability = 20.0 * av * ac * au;
        let base: f64 = (0.6 * impact + 0.4 * exploitability - 1.5) * 1.176;
        // Round to 6 decimals first so that float noise cannot move a value
        // across a half-tenth, then half up to one decimal.
        let micro = (base.clamp(0.0, 10.0) * 1_000_000.0).round() as u32;
        let tenths = (micro + 50_000) / 100_000;
        Score(u8::try_from(tenths.min(100)).unwrap_or(100))
    }

    /// NVD's rating of a v2 score (v2 itself defines none): Low below 4.0,
    /// Medium below 7.0, High from 7.0.
    pub fn rating(&self) -> Rating {
        match self.base_score().tenths() {
            0..=39 => Rating::Low,
            40..=69 => Rating::Medium,
            _ => Rating::High,
        }
    }
}
