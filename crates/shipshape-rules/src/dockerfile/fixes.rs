//! The fixes rules attach to their findings, rule by rule: what each
//! turns a file into, whether it is safe, and where a rule reports without
//! a fix because an edit could not be trusted.

use shipshape_core::Applicability::{Safe, Unsafe};

use super::test_support::{findings_with, fixed};
use super::*;
use crate::dockerfile::lint::Options;

/// (rule, before, after, applicability)
const CASES: &[(&str, &str, &str, shipshape_core::Applicability)] = &[
    (
        "DF092",
        "FROM a:1\nMAINTAINER Jane \"JD\" $Doe <j@x>\n",
        "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jane \\\"JD\\\" \\$Doe <j@x>\"\n",
        Safe,
    ),
    (
        "DL3020",
        "FROM a:1\nADD app.py /app/\n",
        "FROM a:1\nCOPY app.py /app/\n",
        Safe,
    ),
    (
        "DL3019",
        "FROM a:1\nRUN apk add curl && apk add --virtual .b gcc\n",
        "FROM a:1\nRUN apk add --no-cache curl && apk add --no-cache --virtual .b gcc\n",
        Safe,
    ),
    (
        "DL3042",
        "FROM a:1\nRUN pip install flask==3.0.0\n",
        "FROM a:1\nRUN pip install --no-cache-dir flask==3.0.0\n",
        Safe,
    ),
    (
        "DL3014",
        "FROM a:1\nRUN apt-get update && apt-get install curl=8.0 \\\n    git=2.0\n",
        "FROM a:1\nRUN apt-get update && apt-get install -y curl=8.0 \\\n    git=2.0\n",
        Safe,
    ),
    (
        "DL3015",
        "FROM a:1\nRUN apt-get install -y curl=8.0\n",
        "FROM a:1\nRUN apt-get install --no-install-recommends -y curl=8.0\n",
        Unsafe,
    ),
    (
        "DL3038",
        "FROM a:1\nRUN dnf install httpd-2.4\n",
        "FROM a:1\nRUN dnf install -y httpd-2.4\n",
        Safe,
    ),
    (
        "DL3030",
        "FROM a:1\nRUN yum install httpd-2.4\n",
        "FROM a:1\nRUN yum install -y httpd-2.4\n",
        Safe,
    ),
    (
        "DL3034",
        "FROM a:1\nRUN zypper install httpd=2.4\n",
        "FROM a:1\nRUN zypper --non-interactive install httpd=2.4\n",
        Safe,
    ),
    (
        "DL3047",
        "FROM a:1\nRUN LANG=C wget https://x/y.tgz\n",
        "FROM a:1\nRUN LANG=C wget --progress=dot:giga https://x/y.tgz\n",
        Safe,
    ),
    (
        "DL3046",
        "FROM a:1\nRUN useradd -u 1000000 app\n",
        "FROM a:1\nRUN useradd --no-log-init -u 1000000 app\n",
        Safe,
    ),
    (
        "DL3032",
        "FROM a:1\nRUN yum install -y httpd-2.4\n",
        "FROM a:1\nRUN yum install -y httpd-2.4 && yum clean all\n",
        Safe,
    ),
    (
        "DL3040",
        "FROM a:1\nRUN microdnf install -y httpd-2.4\n",
        "FROM a:1\nRUN microdnf install -y httpd-2.4 && microdnf clean all\n",
        Safe,
    ),
    (
        "DL3036",
        "FROM a:1\nRUN zypper -n install httpd=2.4\n",
        "FROM a:1\nRUN zypper -n install httpd=2.4 && zypper clean --all\n",
        Safe,
    ),
    (
        "DL3060",
        "FROM a:1\nRUN yarn install \\\n  --frozen-lockfile\n",
        "FROM a:1\nRUN yarn install \\\n  --frozen-lockfile && yarn cache clean\n",
        Safe,
    ),
    (
        "DL3009",
        "FROM a:1\nRUN apt-get update && apt-get install -y curl=8.0\n",
        "FROM a:1\nRUN apt-get update && apt-get install -y curl=8.0 && rm -rf /var/lib/apt/lists/*\n",
        Safe,
    ),
    (
        "DL3021",
        "FROM a:1\nCOPY a b /app\n",
        "FROM a:1\nCOPY a b /app/\n",
        Safe,
    ),
    (
        "DL4003",
        "FROM a:1\nCMD a\n  # the real one\nCMD [\"b\"]\n",
        "FROM a:1\n  # the real one\nCMD [\"b\"]\n",
        Safe,
    ),
    (
        "DL4004",
        "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n",
        "FROM a:1\nENTRYPOINT [\"b\"]\n",
        Safe,
    ),
    (
        "DL3025",
        "FROM a:1\nCMD node server.js --port 80\n",
        "FROM a:1\nCMD [\"node\", \"server.js\", \"--port\", \"80\"]\n",
        Unsafe,
    ),
    (
        "DL4006",
        "FROM a:1\nRUN curl -s x | tar -x\nRUN wget -O- y | sh\n",
        "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -s x | tar -x\nRUN wget -O- y | sh\n",
        Unsafe,
    ),
    (
        "DL3000",
        "FROM a:1\nWORKDIR app\n",
        "FROM a:1\nWORKDIR /app\n",
        Unsafe,
    ),
];

fn rule(id: &str) -> &'static Rule {
    find(id).unwrap_or_else(|| panic!("no rule {id}"))
}

#[test]
fn each_fix_gives_the_file_expected_and_settles() {
    for (id, before, after, kind) in CASES {
        let (text, kinds) = fixed(rule(id), before);
        assert_eq!(&text, after, "{id}");
        assert!(
            !kinds.is_empty() && kinds.iter().all(|k| k == kind),
            "{id}: {kinds:?}"
        );
        // A second pass changes nothing.
        assert_eq!(fixed(rule(id), &text).0, text, "{id}: not converged");
    }
}

#[test]
fn no_fix_where_an_edit_could_not_be_trusted() {
    for (id, src) in [
        // Quoted words: the span is not the word.
        ("DL3019", "FROM a:1\nRUN apk \"add\" curl\n"),
        // Exec form: a new word would need JSON.
        (
            "DL3014",
            "FROM a:1\nRUN [\"apt-get\", \"install\", \"curl=8\"]\n",
        ),
        // Something after the last command: the new one would land inside.
        (
            "DL3009",
            "FROM a:1\nRUN if true; then apt-get update && apt-get install -y c=1; fi\n",
        ),
        // Lists fetched for a later RUN: cleaning them would break it.
        (
            "DL3009",
            "FROM a:1\nRUN apt-get update\nRUN apt-get install -y c=1 && rm -rf /var/lib/apt/lists/*\n",
        ),
        // An ADD flag COPY has not.
        ("DL3020", "FROM a:1\nADD --checksum=sha256:0 app.py /app/\n"),
        // A shell form the exec form cannot say.
        ("DL3025", "FROM a:1\nCMD node $APP_ARGS\n"),
        // A quoted path: its span is not the word.
        ("DL3000", "FROM a:1\nWORKDIR \"app\"\n"),
    ] {
        let found = findings_with(rule(id), src, &Options::default());
        assert!(!found.is_empty(), "{id} should fire on:\n{src}");
        assert!(
            found.iter().all(|f| f.fix.is_none()),
            "{id} should offer no fix on:\n{src}"
        );
    }
}

#[test]
fn the_driver_applies_safe_fixes_and_stops_at_unsafe_ones() {
    let src =
        "FROM a:1\nMAINTAINER me\nRUN apt-get update && apt-get install curl=8\nCMD run --now\n";
    let safe = fix(src, "Dockerfile", &Options::default(), false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        safe.text,
        "FROM a:1\nLABEL org.opencontainers.image.authors=\"me\"\nRUN apt-get update && apt-get install -y curl=8 && rm -rf /var/lib/apt/lists/*\nCMD run --now\n"
    );
    assert_eq!(safe.applied, 3);
    let all = fix(src, "Dockerfile", &Options::default(), true).unwrap_or_else(|e| panic!("{e}"));
    assert!(all.text.contains("--no-install-recommends"), "{}", all.text);
    assert!(
        all.text.contains("CMD [\"run\", \"--now\"]"),
        "{}",
        all.text
    );
    // Converged: fixing the result changes nothing.
    let again =
        fix(&all.text, "Dockerfile", &Options::default(), true).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((again.text, again.applied), (all.text, 0));
    // A pragma keeps a finding, and its fix, out.
    let kept = "FROM a:1\n# hadolint ignore=DL4000\nMAINTAINER me\n";
    let fixed =
        fix(kept, "Dockerfile", &Options::default(), true).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fixed.text, kept);
}
