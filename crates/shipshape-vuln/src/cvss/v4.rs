//! CVSS v4.0.

use super::{CvssError, MetricDef, Score, split_metrics};

const CIA: &[&str] = &["H", "L", "N"];

/// Metrics of v4.0 in the specification's order (the order a vector must
/// keep).
const METRICS: &[MetricDef] = &[
    def("AV", &["N", "A", "L", "P"], true),
    def("AC", &["L", "H"], true),
    def("AT", &["N", "P"], true),
    def("PR", &["N", "L", "H"], true),
    def("UI", &["N", "P", "A"], true),
    def("VC", CIA, true),
    def("VI", CIA, true),
    def("VA", CIA, true),
    def("SC", CIA, true),
    def("SI", CIA, true),
    def("SA", CIA, true),
    def("E", &["X", "A", "P", "U"], false),
    def("CR", &["X", "H", "M", "L"], false),
    def("IR", &["X", "H", "M", "L"], false),
    def("AR", &["X", "H", "M", "L"], false),
    def("MAV", &["X", "N", "A", "L", "P"], false),
    def("MAC", &["X", "L", "H"], false),
    def("MAT", &["X", "N", "P"], false),
    def("MPR", &["X", "N", "L", "H"], false),
    def("MUI", &["X", "N", "P", "A"], false),
    def("MVC", &["X", "H", "L", "N"], false),
    def("MVI", &["X", "H", "L", "N"], false),
    def("MVA", &["X", "H", "L", "N"], false),
    def("MSC", &["X", "H", "L", "N"], false),
    def("MSI", &["X", "S", "H", "L", "N"], false),
    def("MSA", &["X", "S", "H", "L", "N"], false),
    def("S", &["X", "N", "P"], false),
    def("AU", &["X", "N", "Y"], false),
    def("R", &["X", "A", "U", "I"], false),
    def("V", &["X", "D", "C"], false),
    def("RE", &["X", "L", "M", "H"], false),
    def("U", &["X", "Clear", "Green", "Amber", "Red"], false),
];

const fn def(name: &'static str, values: &'static [&'static str], required: bool) -> MetricDef {
    MetricDef {
        name,
        values,
        required,
    }
}

/// A valid CVSS v4.0 vector.
///
/// Metrics must appear in the specification's order, as the OSV schema's
/// pattern and FIRST's calculator require. No score is computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cvss4 {
    metrics: Vec<(&'static str, String)>,
}

impl Cvss4 {
    /// Parses and validates a `CVSS:4.0/…` vector.
    pub fn parse(vector: &str) -> Result<Cvss4, CvssError> {
        let Some(body) = vector.strip_prefix("CVSS:4.0/") else {
            return Err(CvssError::new(vector, "a v4 vector starts with CVSS:4.0/"));
        };
        let pairs = split_metrics(body, METRICS).map_err(|p| CvssError::new(vector, p))?;
        let mut last = 0;
        for (name, _) in &pairs {
            let at = METRICS.iter().position(|d| d.name == *name).unwrap_or(0);
            if at < last {
                return Err(CvssError::new(
                    vector,
                    format!("metric {name} is out of the specification's order"),
                ));
            }
            last = at;
        }
        Ok(Cvss4 {
            metrics: pairs.into_iter().map(|(n, v)| (n, v.to_string())).collect(),
        })
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

    /// The score; not computed for v4.0 yet.
    pub fn base_score(&self) -> Option<Score> {
        None
    }
}
