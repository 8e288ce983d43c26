#!/bin/sh
# Regenerates the Rust fixtures of this directory (made with cargo 1.95,
# cargo-auditable 0.7.7 and binutils' objcopy; crates from crates.io):
#
#   cargo install cargo-auditable --locked
#
# hello-auditable.elf: the `.dep-v0` section of a real `cargo auditable
#   build --release` of a tiny crate `hello` with dependencies itoa 1.0.11
#   and hex 0.4.3 (crates.io), greeting 0.1.0 (a local path crate) and the
#   build dependency autocfg 1.3.0 (crates.io). `objcopy -j` keeps the ELF
#   headers, so it is a real, tiny ELF.
# hello-plain.elf: the `.comment` section of the same crate built with
#   plain `cargo build --release`: a Rust ELF without `.dep-v0`.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p hello/src hello/greeting/src
cat > hello/Cargo.toml <<'TOML'
[package]
name = "hello"
version = "0.1.0"
edition = "2021"

[dependencies]
itoa = "=1.0.11"
hex = "=0.4.3"
greeting = { path = "greeting" }

[build-dependencies]
autocfg = "=1.3.0"

[workspace]
TOML
cat > hello/greeting/Cargo.toml <<'TOML'
[package]
name = "greeting"
version = "0.1.0"
edition = "2021"
TOML
cat > hello/build.rs <<'RS'
fn main() {
    autocfg::new().emit_has_type("i128");
}
RS
cat > hello/greeting/src/lib.rs <<'RS'
pub fn greet() -> &'static str {
    "hello"
}
RS
cat > hello/src/main.rs <<'RS'
fn main() {
    let mut buf = itoa::Buffer::new();
    println!("{} {} {}", greeting::greet(), buf.format(42), hex::encode([1u8, 2, 3]));
}
RS
cd hello
CARGO_TARGET_DIR="$work/auditable" cargo auditable build --release --quiet
CARGO_TARGET_DIR="$work/plain" cargo build --release --quiet
objcopy -j .dep-v0 "$work/auditable/release/hello" "$out/hello-auditable.elf" 2>/dev/null
objcopy -j .comment "$work/plain/release/hello" "$out/hello-plain.elf" 2>/dev/null
objcopy --dump-section .dep-v0=/dev/stdout "$out/hello-auditable.elf" /dev/null 2>/dev/null | python3 -c 'import sys, zlib; print(zlib.decompress(sys.stdin.buffer.read()).decode())'
ls -l "$out"
