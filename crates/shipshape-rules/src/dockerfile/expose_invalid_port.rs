use super::Checker;
use super::expose_ssh_port::exposed;

rule! {
    /// ## What it does
    /// Flags an `EXPOSE` port that is not a port: a number (or range end)
    /// above 65535, something that is not a number, a range that runs
    /// backwards, or a protocol other than `tcp`, `udp` or `sctp`. Words
    /// whose variables are unknown at lint time are skipped.
    ///
    /// ## Why is this bad?
    /// TCP and UDP ports are 16-bit numbers, 0 to 65535. The builder
    /// rejects a spec it cannot parse, and a typo such as `80800` or
    /// `8080/http` documents a port nothing will ever listen on, so tools
    /// that publish the exposed ports (`docker run -P`, compose) get it wrong.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 80800
    /// ```
    ///
    /// ## Use instead
    /// ```dockerfile
    /// FROM nginx:1.27
    /// EXPOSE 8080/tcp 53/udp 8000-8010
    /// ```
    ///
    /// ## References
    /// - hadolint DL3011, trivy DS-0008
    id: "DF042",
    name: "expose-invalid-port",
    title: "EXPOSE port is not a valid port",
    severity: High,
    aliases: ["DL3011", "DS008", "DS-0008", "AVD-DS-0008"],
    check: check,
}

fn check(cx: &mut Checker<'_, '_>) {
    for (stage, inst) in cx.model.insts() {
        for port in exposed(stage, inst) {
            if !port.exact {
                continue;
            }
            if let Err(problem) = validate(&port.spec) {
                cx.report(port.span, format!("`EXPOSE {}`: {problem}", port.spec));
            }
        }
    }
}

const MAX_PORT: u32 = 65535;

/// Checks `port[-port][/protocol]`, with an optional `[ip:][host:]` prefix
/// of a publish mapping (only the container port is checked).
fn validate(spec: &str) -> Result<(), String> {
    let (ports, proto) = match spec.split_once('/') {
        Some((ports, proto)) => (ports, Some(proto)),
        None => (spec, None),
    };
    if let Some(proto) = proto
        && !["tcp", "udp", "sctp"]
            .iter()
            .any(|p| p.eq_ignore_ascii_case(proto))
    {
        return Err(format!(
            "`{proto}` is not a protocol: use `tcp`, `udp` or `sctp`"
        ));
    }
    let ports = ports.rsplit(':').next().unwrap_or(ports);
    let (low, high) = match ports.split_once('-') {
        Some((low, high)) => (low, Some(high)),
        None => (ports, None),
    };
    let low = number(low)?;
    if let Some(high) = high {
        let high = number(high)?;
        if high < low {
            return Err(format!(
                "the range ends before it starts: write `{low}-{high}` as `{high}-{low}`"
            ));
        }
    }
    Ok(())
}

fn number(text: &str) -> Result<u32, String> {
    if text.is_empty() {
        return Err("the port number is missing: write e.g. `8080` or `8080/tcp`".to_string());
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "`{text}` is not a port number: use a number from 0 to {MAX_PORT}"
        ));
    }
    match text.parse::<u32>() {
        Ok(n) if n <= MAX_PORT => Ok(n),
        _ => Err(format!(
            "port `{text}` is out of range: ports go from 0 to {MAX_PORT}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::dockerfile::test_support::*;

    #[test]
    fn fires_on_out_of_range_and_malformed_ports() {
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nEXPOSE 65536\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 80 8000-70000\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 99999999999999999999\n"),
            vec![2]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 8080/http\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nEXPOSE http\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 9000-8000\n"),
            vec![2]
        );
        assert_eq!(lines(&RULE, "FROM alpine:3.20\nEXPOSE /tcp\n"), vec![2]);
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nARG PORT=123456\nEXPOSE $PORT\n"),
            vec![3]
        );
        assert_eq!(
            lines(&RULE, "FROM alpine:3.20\nEXPOSE 80\nEXPOSE 8o8o\n"),
            vec![3]
        );
    }

    #[test]
    fn silent_on_valid_ports_and_unknown_variables() {
        assert_silent(&RULE, "FROM alpine:3.20\nEXPOSE 0 80 65535\n");
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nEXPOSE 80/tcp 53/udp 9/SCTP 8000-8010/tcp\n",
        );
        assert_silent(
            &RULE,
            "FROM alpine:3.20\nARG PORT\nEXPOSE $PORT ${PORT}/udp\n",
        );
        assert_silent(&RULE, "FROM alpine:3.20\nENV PORT=8080\nEXPOSE ${PORT}\n");
        assert_silent(&RULE, "FROM alpine:3.20\nEXPOSE 8080:80\n");
        assert_silent(&RULE, "FROM alpine:3.20\nONBUILD EXPOSE $PORT\n");
    }
}
