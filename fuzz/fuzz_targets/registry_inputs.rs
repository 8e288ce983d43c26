//! What a registry or a user hands the registry client: a Docker client
//! configuration (credentials), a cosign key file, an image index to pick
//! a platform from, a signed payload. The first byte picks which; none may
//! panic, and a key file with hostile scrypt parameters is refused before
//! any work.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shipshape_registry::{auth, keys, payload_covers, pick_platform};

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    match which % 4 {
        0 => {
            let _ = auth::from_config(&text, "localhost:5000", &|_, _| None);
        }
        1 => {
            let _ = keys::private_key(&text, b"password");
            let _ = keys::public_key(&text);
        }
        2 => {
            if let Ok(index) = serde_json::from_slice(rest) {
                let _ = pick_platform(&index, "linux/amd64");
            }
        }
        _ => {
            let _ = payload_covers(rest, "localhost:5000/app", "sha256:00");
        }
    }
});
