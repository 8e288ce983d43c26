use super::Checker;

rule! {
    /// ## What it does
    /// Flags an image that had to be signed (`shipshape image
    /// --require-signature --key K.pub REF`) and is not signed by that key:
    /// no signature is stored for its digest (it was never signed, or the
    /// tag now names other content than what was signed), or the
    /// signatures stored are by other keys or for another image.
    /// Signatures are cosign's: a simple-signing payload naming the
    /// repository and digest, under the tag `sha256-<digest>.sig`.
    ///
    /// ## Why is this bad?
    /// A tag is a pointer anyone with push access can move. Only a
    /// signature ties the content to the publisher who built it: without
    /// one, a compromised registry account, a typo-squatted name or a
    /// mirror serves other content under the same name, and nothing
    /// notices (Docker Content Trust's practice: run only signed images).
    ///
    /// ## Example
    /// ```json
    /// {"config": {}, "signature": {"verified": false,
    ///  "detail": "localhost:5000/app:1 has no signature"}}
    /// ```
    ///
    /// ## Use instead
    /// Sign what you publish (`shipshape sign --key cosign.key REF` or
    /// `cosign sign --key cosign.key REF`), and require the signature
    /// where you run it:
    /// ```json
    /// {"config": {}, "signature": {"verified": true,
    ///  "detail": "localhost:5000/app:1 is signed by cosign.pub"}}
    /// ```
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.5 (Content trust for Docker is enabled)
    /// - Sigstore cosign: signature specification
    id: "IM020",
    name: "signature-not-verified",
    title: "Image not signed by the required key",
    severity: Critical,
    aliases: ["CIS-4.5"],
    check: check,
}

fn check(cx: &mut Checker<'_>) {
    if let Some(sig) = cx.image.spec.signature.as_ref().filter(|s| !s.verified) {
        cx.report_config("signature", sig.detail.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::image::test_support::*;

    #[test]
    fn fires_when_the_required_signature_is_missing() {
        assert_eq!(
            findings(
                &RULE,
                r#"{"signature": {"verified": false, "detail": "no signature"}}"#
            )
            .len(),
            1
        );
    }

    #[test]
    fn silent_when_verified_or_not_required() {
        assert_silent(
            &RULE,
            r#"{"signature": {"verified": true, "detail": "signed"}}"#,
        );
        assert_silent(&RULE, "{}");
    }
}
