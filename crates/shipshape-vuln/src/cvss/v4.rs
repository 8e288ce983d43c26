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
/// pattern and FIRST's calculator require.
///
/// Scores follow the specification's MacroVector method (section 8): the
/// vector's MacroVector score from the lookup table, lowered by the mean
/// proportional severity distance to the next lower MacroVectors. The
/// tables and the order of the floating-point operations are those of
/// FIRST's reference calculator, so scores agree with it to the tenth.
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

    /// The CVSS-B score: base metrics only, threat and environmental
    /// metrics at their defaults. `None` only if the tables lack the
    /// vector's MacroVector, which no valid vector reaches.
    pub fn base_score(&self) -> Option<Score> {
        score(&Effective {
            metrics: &self.metrics,
            all: false,
        })
    }

    /// The score with every metric the vector gives (CVSS-B, -BT, -BE or
    /// -BTE, see [`Cvss4::nomenclature`]).
    pub fn score(&self) -> Option<Score> {
        score(&Effective {
            metrics: &self.metrics,
            all: true,
        })
    }

    /// `CVSS-B`, `CVSS-BT`, `CVSS-BE` or `CVSS-BTE`: which groups the vector
    /// sets beyond the base metrics.
    pub fn nomenclature(&self) -> &'static str {
        let set = |names: &[&str]| {
            self.metrics
                .iter()
                .any(|(n, v)| names.contains(n) && v != "X")
        };
        let threat = set(&["E"]);
        let environmental = set(&[
            "CR", "IR", "AR", "MAV", "MAC", "MAT", "MPR", "MUI", "MVC", "MVI", "MVA", "MSC", "MSI",
            "MSA",
        ]);
        match (threat, environmental) {
            (false, false) => "CVSS-B",
            (true, false) => "CVSS-BT",
            (false, true) => "CVSS-BE",
            (true, true) => "CVSS-BTE",
        }
    }
}

/// The metric values scoring uses: with `all`, threat and environmental
/// metrics apply (a modified metric replaces its base metric); without,
/// only base metrics do. Unset threat and requirement metrics take their
/// worst case (E:A, CR/IR/AR:H).
struct Effective<'a> {
    metrics: &'a [(&'static str, String)],
    all: bool,
}

impl Effective<'_> {
    fn given(&self, name: &str) -> Option<&str> {
        self.metrics
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| *v != "X")
    }

    fn get(&self, name: &str) -> &str {
        let worst = match name {
            "E" => Some("A"),
            "CR" | "IR" | "AR" => Some("H"),
            _ => None,
        };
        if let Some(worst) = worst {
            return if self.all {
                self.given(name).unwrap_or(worst)
            } else {
                worst
            };
        }
        if self.all {
            let modified = METRICS
                .iter()
                .find(|d| d.name.strip_prefix('M') == Some(name))
                .and_then(|d| self.given(d.name));
            if let Some(v) = modified {
                return v;
            }
            if name.starts_with('M') {
                return self.given(name).unwrap_or("X");
            }
        } else if name.starts_with('M') && name.len() > 2 {
            return "X";
        }
        self.given(name).unwrap_or("X")
    }

    /// The MacroVector: EQ1 to EQ6 as digits.
    fn macro_vector(&self) -> [u8; 6] {
        let g = |n| self.get(n);
        let (av, pr, ui) = (g("AV"), g("PR"), g("UI"));
        let eq1 = if av == "N" && pr == "N" && ui == "N" {
            0
        } else if (av == "N" || pr == "N" || ui == "N") && av != "P" {
            1
        } else {
            2
        };
        let eq2 = if g("AC") == "L" && g("AT") == "N" {
            0
        } else {
            1
        };
        let (vc, vi, va) = (g("VC"), g("VI"), g("VA"));
        let eq3 = if vc == "H" && vi == "H" {
            0
        } else if vc == "H" || vi == "H" || va == "H" {
            1
        } else {
            2
        };
        let eq4 = if g("MSI") == "S" || g("MSA") == "S" {
            0
        } else if g("SC") == "H" || g("SI") == "H" || g("SA") == "H" {
            1
        } else {
            2
        };
        let eq5 = match g("E") {
            "A" => 0,
            "P" => 1,
            _ => 2,
        };
        let eq6 = if (g("CR") == "H" && vc == "H")
            || (g("IR") == "H" && vi == "H")
            || (g("AR") == "H" && va == "H")
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

/// The metrics whose severity distances scoring measures, with the level
/// of each value (a higher level is less severe).
const LEVELS: &[(&str, &[(&str, f64)])] = &[
    ("AV", &[("N", 0.0), ("A", 0.1), ("L", 0.2), ("P", 0.3)]),
    ("PR", &[("N", 0.0), ("L", 0.1), ("H", 0.2)]),
    ("UI", &[("N", 0.0), ("P", 0.1), ("A", 0.2)]),
    ("AC", &[("L", 0.0), ("H", 0.1)]),
    ("AT", &[("N", 0.0), ("P", 0.1)]),
    ("VC", &[("H", 0.0), ("L", 0.1), ("N", 0.2)]),
    ("VI", &[("H", 0.0), ("L", 0.1), ("N", 0.2)]),
    ("VA", &[("H", 0.0), ("L", 0.1), ("N", 0.2)]),
    ("SC", &[("H", 0.1), ("L", 0.2), ("N", 0.3)]),
    ("SI", &[("S", 0.0), ("H", 0.1), ("L", 0.2), ("N", 0.3)]),
    ("SA", &[("S", 0.0), ("H", 0.1), ("L", 0.2), ("N", 0.3)]),
    ("CR", &[("H", 0.0), ("M", 0.1), ("L", 0.2)]),
    ("IR", &[("H", 0.0), ("M", 0.1), ("L", 0.2)]),
    ("AR", &[("H", 0.0), ("M", 0.1), ("L", 0.2)]),
    ("E", &[("U", 0.2), ("P", 0.1), ("A", 0.0)]),
];

fn level(metric: &str, value: &str) -> f64 {
    LEVELS
        .iter()
        .find(|(m, _)| *m == metric)
        .and_then(|(_, values)| values.iter().find(|(v, _)| *v == value))
        .map_or(f64::NAN, |(_, l)| *l)
}

/// The highest-severity vectors of each EQ level (for EQ3 by EQ3 and EQ6).
type Part = &'static [(&'static str, &'static str)];

fn max_eq1(eq1: u8) -> &'static [Part] {
    match eq1 {
        0 => &[&[("AV", "N"), ("PR", "N"), ("UI", "N")]],
        1 => &[
            &[("AV", "A"), ("PR", "N"), ("UI", "N")],
            &[("AV", "N"), ("PR", "L"), ("UI", "N")],
            &[("AV", "N"), ("PR", "N"), ("UI", "P")],
        ],
        _ => &[
            &[("AV", "P"), ("PR", "N"), ("UI", "N")],
            &[("AV", "A"), ("PR", "L"), ("UI", "P")],
        ],
    }
}

fn max_eq2(eq2: u8) -> &'static [Part] {
    match eq2 {
        0 => &[&[("AC", "L"), ("AT", "N")]],
        _ => &[&[("AC", "H"), ("AT", "N")], &[("AC", "L"), ("AT", "P")]],
    }
}

fn max_eq3eq6(eq3: u8, eq6: u8) -> &'static [Part] {
    const fn p(
        vc: &'static str,
        vi: &'static str,
        va: &'static str,
        cr: &'static str,
        ir: &'static str,
        ar: &'static str,
    ) -> [(&'static str, &'static str); 6] {
        [
            ("VC", vc),
            ("VI", vi),
            ("VA", va),
            ("CR", cr),
            ("IR", ir),
            ("AR", ar),
        ]
    }
    const EQ3_0_EQ6_0: &[Part] = &[&p("H", "H", "H", "H", "H", "H")];
    const EQ3_0_EQ6_1: &[Part] = &[
        &p("H", "H", "L", "M", "M", "H"),
        &p("H", "H", "H", "M", "M", "M"),
    ];
    const EQ3_1_EQ6_0: &[Part] = &[
        &p("L", "H", "H", "H", "H", "H"),
        &p("H", "L", "H", "H", "H", "H"),
    ];
    const EQ3_1_EQ6_1: &[Part] = &[
        &p("L", "H", "L", "H", "M", "H"),
        &p("L", "H", "H", "H", "M", "M"),
        &p("H", "L", "H", "M", "H", "M"),
        &p("H", "L", "L", "M", "H", "H"),
        &p("L", "L", "H", "H", "H", "M"),
    ];
    const EQ3_2_EQ6_1: &[Part] = &[&p("L", "L", "L", "H", "H", "H")];
    match (eq3, eq6) {
        (0, 0) => EQ3_0_EQ6_0,
        (0, _) => EQ3_0_EQ6_1,
        (1, 0) => EQ3_1_EQ6_0,
        (1, _) => EQ3_1_EQ6_1,
        _ => EQ3_2_EQ6_1,
    }
}

fn max_eq4(eq4: u8) -> &'static [Part] {
    match eq4 {
        0 => &[&[("SC", "H"), ("SI", "S"), ("SA", "S")]],
        1 => &[&[("SC", "H"), ("SI", "H"), ("SA", "H")]],
        _ => &[&[("SC", "L"), ("SI", "L"), ("SA", "L")]],
    }
}

fn max_eq5(eq5: u8) -> &'static [Part] {
    match eq5 {
        0 => &[&[("E", "A")]],
        1 => &[&[("E", "P")]],
        _ => &[&[("E", "U")]],
    }
}

/// The depth of each EQ level in severity steps, plus one.
fn max_severity(eq: [u8; 6]) -> [f64; 4] {
    let [eq1, eq2, eq3, eq4, _, eq6] = eq;
    let eq1 = [1.0, 4.0, 5.0][usize::from(eq1.min(2))];
    let eq2 = [1.0, 2.0][usize::from(eq2.min(1))];
    let eq3eq6 = match (eq3, eq6) {
        (0, 0) => 7.0,
        (0, _) => 6.0,
        (1, _) => 8.0,
        _ => 10.0,
    };
    let eq4 = [6.0, 5.0, 4.0][usize::from(eq4.min(2))];
    [eq1, eq2, eq3eq6, eq4]
}

/// The score of a MacroVector, in tenths.
fn lookup(eq: [u8; 6]) -> Option<f64> {
    let key: String = eq.iter().map(|d| char::from(b'0' + d)).collect();
    MACRO_VECTORS
        .binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
        .ok()
        .and_then(|i| MACRO_VECTORS.get(i))
        .map(|(_, tenths)| f64::from(*tenths) / 10.0)
}

fn score(m: &Effective<'_>) -> Option<Score> {
    if ["VC", "VI", "VA", "SC", "SI", "SA"]
        .iter()
        .all(|n| m.get(n) == "N")
    {
        return Some(Score(0));
    }
    let eq = m.macro_vector();
    let value = lookup(eq)?;
    let [eq1, eq2, eq3, eq4, eq5, eq6] = eq;
    let lower = |i: usize, step: u8| {
        let mut next = eq;
        if let Some(d) = next.get_mut(i) {
            *d += step;
        }
        next
    };
    // The next lower MacroVector of each EQ; EQ3 and EQ6 move together.
    let nan = |s: Option<f64>| s.unwrap_or(f64::NAN);
    let next_eq1 = nan(lookup(lower(0, 1)));
    let next_eq2 = nan(lookup(lower(1, 1)));
    let next_eq3eq6 = match (eq3, eq6) {
        (0, 0) => match (lookup(lower(5, 1)), lookup(lower(2, 1))) {
            (Some(left), Some(right)) => left.max(right),
            _ => f64::NAN,
        },
        (1, 1) | (0, 1) => nan(lookup(lower(2, 1))),
        (1, 0) => nan(lookup(lower(5, 1))),
        _ => f64::NAN,
    };
    let next_eq4 = nan(lookup(lower(3, 1)));
    let next_eq5 = nan(lookup(lower(4, 1)));

    // The first highest-severity vector of the MacroVector that is at least
    // as severe as this one in every metric.
    let mut distances = [0.0; 15];
    for a in max_eq1(eq1) {
        for b in max_eq2(eq2) {
            for c in max_eq3eq6(eq3, eq6) {
                for d in max_eq4(eq4) {
                    for e in max_eq5(eq5) {
                        let max = |name: &str| {
                            [*a, *b, *c, *d, *e]
                                .iter()
                                .flat_map(|part| part.iter())
                                .find(|(n, _)| *n == name)
                                .map_or("", |(_, v)| *v)
                        };
                        for (slot, (name, _)) in distances.iter_mut().zip(LEVELS) {
                            *slot = level(name, m.get(name)) - level(name, max(name));
                        }
                        if distances.iter().all(|d| *d >= 0.0) {
                            return Some(finish(
                                value,
                                &distances,
                                [next_eq1, next_eq2, next_eq3eq6, next_eq4, next_eq5],
                                max_severity(eq),
                            ));
                        }
                    }
                }
            }
        }
    }
    Some(finish(
        value,
        &distances,
        [next_eq1, next_eq2, next_eq3eq6, next_eq4, next_eq5],
        max_severity(eq),
    ))
}

/// The MacroVector's score lowered by the mean proportional distance.
fn finish(value: f64, d: &[f64; 15], next: [f64; 5], depth: [f64; 4]) -> Score {
    const STEP: f64 = 0.1;
    // Distances in LEVELS order: AV PR UI AC AT VC VI VA SC SI SA CR IR AR E.
    let current = [
        d[0] + d[1] + d[2],
        d[3] + d[4],
        d[5] + d[6] + d[7] + d[11] + d[12] + d[13],
        d[8] + d[9] + d[10],
    ];
    let mut existing = 0;
    let mut normalized = [0.0; 5];
    for i in 0..4 {
        let available = value - next[i];
        if !available.is_nan() {
            existing += 1;
            normalized[i] = available * (current[i] / (depth[i] * STEP));
        }
    }
    if !(value - next[4]).is_nan() {
        existing += 1;
    }
    let mean = if existing == 0 {
        0.0
    } else {
        (normalized[0] + normalized[1] + normalized[2] + normalized[3] + normalized[4])
            / f64::from(existing)
    };
    let x = (value - mean).clamp(0.0, 10.0);
    let tenths = (x * 10.0).round();
    Score(if tenths >= 100.0 { 100 } else { tenths as u8 })
}

/// MacroVector scores in tenths, by EQ1..EQ6 digits (specification
/// section 8.2; FIRST's calculator, `cvss_lookup.js`).
#[rustfmt::skip]
const MACRO_VECTORS: &[(&str, u8)] = &[
    ("000000", 100), ("000001", 99), ("000010", 98), ("000011", 95), ("000020", 95), ("000021", 92),
    ("000100", 100), ("000101", 96), ("000110", 93), ("000111", 87), ("000120", 91), ("000121", 81),
    ("000200", 93), ("000201", 90), ("000210", 89), ("000211", 80), ("000220", 81), ("000221", 68),
    ("001000", 98), ("001001", 95), ("001010", 95), ("001011", 92), ("001020", 90), ("001021", 84),
    ("001100", 93), ("001101", 92), ("001110", 89), ("001111", 81), ("001120", 81), ("001121", 65),
    ("001200", 88), ("001201", 80), ("001210", 78), ("001211", 70), ("001220", 69), ("001221", 48),
    ("002001", 92), ("002011", 82), ("002021", 72), ("002101", 79), ("002111", 69), ("002121", 50),
    ("002201", 69), ("002211", 55), ("002221", 27), ("010000", 99), ("010001", 97), ("010010", 95),
    ("010011", 92), ("010020", 92), ("010021", 85), ("010100", 95), ("010101", 91), ("010110", 90),
    ("010111", 83), ("010120", 84), ("010121", 71), ("010200", 92), ("010201", 81), ("010210", 82),
    ("010211", 71), ("010220", 72), ("010221", 53), ("011000", 95), ("011001", 93), ("011010", 92),
    ("011011", 85), ("011020", 85), ("011021", 73), ("011100", 92), ("011101", 82), ("011110", 80),
    ("011111", 72), ("011120", 70), ("011121", 59), ("011200", 84), ("011201", 70), ("011210", 71),
    ("011211", 52), ("011220", 50), ("011221", 30), ("012001", 86), ("012011", 75), ("012021", 52),
    ("012101", 71), ("012111", 52), ("012121", 29), ("012201", 63), ("012211", 29), ("012221", 17),
    ("100000", 98), ("100001", 95), ("100010", 94), ("100011", 87), ("100020", 91), ("100021", 81),
    ("100100", 94), ("100101", 89), ("100110", 86), ("100111", 74), ("100120", 77), ("100121", 64),
    ("100200", 87), ("100201", 75), ("100210", 74), ("100211", 63), ("100220", 63), ("100221", 49),
    ("101000", 94), ("101001", 89), ("101010", 88), ("101011", 77), ("101020", 76), ("101021", 67),
    ("101100", 86), ("101101", 76), ("101110", 74), ("101111", 58), ("101120", 59), ("101121", 50),
    ("101200", 72), ("101201", 57), ("101210", 57), ("101211", 52), ("101220", 52), ("101221", 25),
    ("102001", 83), ("102011", 70), ("102021", 54), ("102101", 65), ("102111", 58), ("102121", 26),
    ("102201", 53), ("102211", 21), ("102221", 13), ("110000", 95), ("110001", 90), ("110010", 88),
    ("110011", 76), ("110020", 76), ("110021", 70), ("110100", 90), ("110101", 77), ("110110", 75),
    ("110111", 62), ("110120", 61), ("110121", 53), ("110200", 77), ("110201", 66), ("110210", 68),
    ("110211", 59), ("110220", 52), ("110221", 30), ("111000", 89), ("111001", 78), ("111010", 76),
    ("111011", 67), ("111020", 62), ("111021", 58), ("111100", 74), ("111101", 59), ("111110", 57),
    ("111111", 57), ("111120", 47), ("111121", 23), ("111200", 61), ("111201", 52), ("111210", 57),
    ("111211", 29), ("111220", 24), ("111221", 16), ("112001", 71), ("112011", 59), ("112021", 30),
    ("112101", 58), ("112111", 26), ("112121", 15), ("112201", 23), ("112211", 13), ("112221", 6),
    ("200000", 93), ("200001", 87), ("200010", 86), ("200011", 72), ("200020", 75), ("200021", 58),
    ("200100", 86), ("200101", 74), ("200110", 74), ("200111", 61), ("200120", 56), ("200121", 34),
    ("200200", 70), ("200201", 54), ("200210", 52), ("200211", 40), ("200220", 40), ("200221", 22),
    ("201000", 85), ("201001", 75), ("201010", 74), ("201011", 55), ("201020", 62), ("201021", 51),
    ("201100", 72), ("201101", 57), ("201110", 55), ("201111", 41), ("201120", 46), ("201121", 19),
    ("201200", 53), ("201201", 36), ("201210", 34), ("201211", 19), ("201220", 19), ("201221", 8),
    ("202001", 64), ("202011", 51), ("202021", 20), ("202101", 47), ("202111", 21), ("202121", 11),
    ("202201", 24), ("202211", 9), ("202221", 4), ("210000", 88), ("210001", 75), ("210010", 73),
    ("210011", 53), ("210020", 60), ("210021", 50), ("210100", 73), ("210101", 55), ("210110", 59),
    ("210111", 40), ("210120", 41), ("210121", 20), ("210200", 54), ("210201", 43), ("210210", 45),
    ("210211", 22), ("210220", 20), ("210221", 11), ("211000", 75), ("211001", 55), ("211010", 58),
    ("211011", 45), ("211020", 40), ("211021", 21), ("211100", 61), ("211101", 51), ("211110", 48),
    ("211111", 18), ("211120", 20), ("211121", 9), ("211200", 46), ("211201", 18), ("211210", 17),
    ("211211", 7), ("211220", 8), ("211221", 2), ("212001", 53), ("212011", 24), ("212021", 14),
    ("212101", 24), ("212111", 12), ("212121", 5), ("212201", 10), ("212211", 3), ("212221", 1),
];
