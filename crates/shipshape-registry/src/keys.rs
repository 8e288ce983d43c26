//! Signing keys in cosign's format, and the signatures made with them.
//!
//! A private key is an ECDSA P-256 key, PKCS#8-encoded, sealed with NaCl's
//! secretbox (XSalsa20-Poly1305) under a key derived from the password by
//! scrypt (N = 2^15 or 2^16, r = 8, p = 1), and written as JSON in a PEM
//! block `ENCRYPTED SIGSTORE PRIVATE KEY` (cosign's older label `ENCRYPTED
//! COSIGN PRIVATE KEY` is read too). A public key is a `PUBLIC KEY` PEM
//! block (SubjectPublicKeyInfo). A signature is ECDSA over SHA-256,
//! ASN.1 DER, base64. No cryptography is written here: the RustCrypto
//! crates do it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use crypto_secretbox::XSalsa20Poly1305;
use crypto_secretbox::aead::{Aead, KeyInit};
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{DerSignature, SigningKey, VerifyingKey};
use p256::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use serde_json::{Value, json};

/// The PEM label cosign writes for a private key, and the one it wrote
/// before.
const PRIVATE_LABELS: [&str; 2] = [
    "ENCRYPTED SIGSTORE PRIVATE KEY",
    "ENCRYPTED COSIGN PRIVATE KEY",
];

/// Why a key could not be made, read or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not a key in cosign's format: {0}")]
    Format(String),
    #[error("wrong password for the key (or a damaged key)")]
    Password,
    #[error("cannot get random bytes: {0}")]
    Random(String),
}

/// A new key pair: the private key sealed with `password` (PEM), and the
/// public key (PEM).
pub fn generate(password: &[u8]) -> Result<(String, String), KeyError> {
    let key = loop {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        if let Ok(key) = SigningKey::from_slice(&bytes) {
            break key;
        }
    };
    let der = key
        .to_pkcs8_der()
        .map_err(|e| KeyError::Format(e.to_string()))?;
    let private = seal(der.as_bytes(), password)?;
    let public = VerifyingKey::from(&key)
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| KeyError::Format(e.to_string()))?;
    Ok((private, public))
}

/// Seals a PKCS#8 key as cosign does.
fn seal(pkcs8: &[u8], password: &[u8]) -> Result<String, KeyError> {
    let mut salt = [0u8; 32];
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut salt).map_err(|e| KeyError::Random(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| KeyError::Random(e.to_string()))?;
    let log_n = 16;
    let box_key = derive(password, &salt, log_n)?;
    let cipher = XSalsa20Poly1305::new(&box_key.into());
    let sealed = cipher
        .encrypt(&nonce.into(), pkcs8)
        .map_err(|_| KeyError::Format("cannot seal the key".into()))?;
    let doc = json!({
        "kdf": {"name": "scrypt", "params": {"N": 1u64 << log_n, "r": 8, "p": 1},
                "salt": B64.encode(salt)},
        "cipher": {"name": "nacl/secretbox", "nonce": B64.encode(nonce)},
        "ciphertext": B64.encode(sealed),
    });
    Ok(pem(PRIVATE_LABELS[0], doc.to_string().as_bytes()))
}

fn derive(password: &[u8], salt: &[u8], log_n: u8) -> Result<[u8; 32], KeyError> {
    let params = scrypt::Params::new(log_n, 8, 1)
        .map_err(|e| KeyError::Format(format!("scrypt parameters: {e}")))?;
    let mut out = [0u8; 32];
    scrypt::scrypt(password, salt, &params, &mut out)
        .map_err(|e| KeyError::Format(format!("scrypt: {e}")))?;
    Ok(out)
}

/// Reads a private key sealed with `password`.
pub fn private_key(pem_text: &str, password: &[u8]) -> Result<SigningKey, KeyError> {
    let body = PRIVATE_LABELS
        .iter()
        .find_map(|label| unpem(pem_text, label))
        .ok_or_else(|| KeyError::Format("no `ENCRYPTED SIGSTORE PRIVATE KEY` block".into()))?;
    let doc: Value = serde_json::from_slice(&body).map_err(|e| KeyError::Format(e.to_string()))?;
    let field = |path: &str| {
        doc.pointer(path)
            .ok_or_else(|| KeyError::Format(format!("no `{path}`")))
    };
    if field("/kdf/name")?.as_str() != Some("scrypt")
        || field("/cipher/name")?.as_str() != Some("nacl/secretbox")
    {
        return Err(KeyError::Format(
            "only scrypt and nacl/secretbox are read".into(),
        ));
    }
    let n = field("/kdf/params/N")?.as_u64().unwrap_or(0);
    let (r, p) = (
        field("/kdf/params/r")?.as_u64(),
        field("/kdf/params/p")?.as_u64(),
    );
    // The parameters cosign writes; others are refused rather than run
    // (a huge N would take the machine's memory).
    let log_n = match n {
        32768 => 15,
        65536 => 16,
        _ => return Err(KeyError::Format(format!("scrypt N = {n} is not read"))),
    };
    if r != Some(8) || p != Some(1) {
        return Err(KeyError::Format("scrypt r and p must be 8 and 1".into()));
    }
    let decode = |path: &str| -> Result<Vec<u8>, KeyError> {
        let text = field(path)?.as_str().unwrap_or("");
        B64.decode(text)
            .map_err(|e| KeyError::Format(format!("`{path}`: {e}")))
    };
    let salt = decode("/kdf/salt")?;
    let nonce: [u8; 24] = decode("/cipher/nonce")?
        .try_into()
        .map_err(|_| KeyError::Format("the nonce is not 24 bytes".into()))?;
    let sealed = decode("/ciphertext")?;
    let box_key = derive(password, &salt, log_n)?;
    let pkcs8 = XSalsa20Poly1305::new(&box_key.into())
        .decrypt(&nonce.into(), sealed.as_slice())
        .map_err(|_| KeyError::Password)?;
    SigningKey::from_pkcs8_der(&pkcs8).map_err(|e| KeyError::Format(e.to_string()))
}

/// Reads a public key (`PUBLIC KEY` PEM).
pub fn public_key(pem_text: &str) -> Result<VerifyingKey, KeyError> {
    VerifyingKey::from_public_key_pem(pem_text.trim()).map_err(|e| KeyError::Format(e.to_string()))
}

/// The signature of `payload`: ECDSA P-256 over SHA-256, DER, base64.
pub fn sign(key: &SigningKey, payload: &[u8]) -> String {
    let signature: DerSignature = key.sign(payload);
    B64.encode(signature.as_bytes())
}

/// Whether `signature` (base64 DER) is `key`'s over `payload`.
pub fn verify(key: &VerifyingKey, payload: &[u8], signature: &str) -> bool {
    let Ok(der) = B64.decode(signature.trim()) else {
        return false;
    };
    let Ok(signature) = DerSignature::try_from(der.as_slice()) else {
        return false;
    };
    key.verify(payload, &signature).is_ok()
}

/// The simple-signing payload cosign signs for the image `digest` of the
/// repository `repository` (`registry/name`).
pub fn payload(repository: &str, digest: &str) -> Vec<u8> {
    json!({
        "critical": {
            "identity": {"docker-reference": repository},
            "image": {"docker-manifest-digest": digest},
            "type": "cosign container image signature",
        },
        "optional": null,
    })
    .to_string()
    .into_bytes()
}

fn pem(label: &str, body: &[u8]) -> String {
    let encoded = B64.encode(body);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in encoded.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn unpem(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = text.find(&begin)? + begin.len();
    let stop = start + text.get(start..)?.find(&end)?;
    let body: String = text
        .get(start..stop)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    B64.decode(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_signs_and_its_public_key_verifies() {
        let (private, public) = generate(b"pw").unwrap_or_else(|e| panic!("{e}"));
        assert!(private.starts_with("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
        let key = private_key(&private, b"pw").unwrap_or_else(|e| panic!("{e}"));
        let signature = sign(&key, b"payload");
        let public = public_key(&public).unwrap_or_else(|e| panic!("{e}"));
        assert!(verify(&public, b"payload", &signature));
        assert!(!verify(&public, b"other payload", &signature));
        assert!(!verify(&public, b"payload", "not base64!"));
    }

    #[test]
    fn a_wrong_password_or_another_key_fails() {
        let (private, _) = generate(b"pw").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            private_key(&private, b"other"),
            Err(KeyError::Password)
        ));
        let (_, other_public) = generate(b"pw").unwrap_or_else(|e| panic!("{e}"));
        let key = private_key(&private, b"pw").unwrap_or_else(|e| panic!("{e}"));
        let other = public_key(&other_public).unwrap_or_else(|e| panic!("{e}"));
        assert!(!verify(&other, b"x", &sign(&key, b"x")));
    }

    #[test]
    fn hostile_keys_are_errors() {
        let huge = pem(
            PRIVATE_LABELS[0],
            br#"{"kdf":{"name":"scrypt","params":{"N":1099511627776,"r":8,"p":1},"salt":""},"cipher":{"name":"nacl/secretbox","nonce":""},"ciphertext":""}"#,
        );
        assert!(matches!(
            private_key(&huge, b"pw"),
            Err(KeyError::Format(_))
        ));
        for text in [
            "",
            "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n%%%\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
        ] {
            assert!(private_key(text, b"pw").is_err(), "{text}");
        }
        assert!(
            public_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").is_err()
        );
    }

    #[test]
    fn the_payload_names_the_repository_and_digest() {
        let doc: Value = serde_json::from_slice(&payload("r.example/app", "sha256:ab"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            doc["critical"]["identity"]["docker-reference"],
            "r.example/app"
        );
        assert_eq!(
            doc["critical"]["image"]["docker-manifest-digest"],
            "sha256:ab"
        );
        assert_eq!(doc["critical"]["type"], "cosign container image signature");
    }
}
