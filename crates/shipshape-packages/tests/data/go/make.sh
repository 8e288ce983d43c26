#!/bin/sh
# Regenerates the Go fixtures of this directory (made with Debian
# bookworm's golang-go, Go 1.19.8, and binutils' objcopy):
#
#   apt-get install -y golang-go golang-github-google-uuid-dev golang-github-pkg-errors-dev binutils
#
# hello.elf: the `.go.buildinfo` section of a real `go build` of a tiny
#   module (example.com/hello) that depends on github.com/google/uuid
#   v1.3.0 (replaced by the module example.com/uuid-fork v1.3.1) and
#   github.com/pkg/errors v0.9.1 (replaced by a local directory), vendored
#   from Debian's Go source packages because no module proxy is reachable.
#   `objcopy -j` keeps the ELF headers, so it is a real, tiny Go ELF.
# hello-pointers.elf: the same build information laid out as Go 1.13 to
#   1.17 wrote it (the header points to Go string headers rather than
#   holding the strings), rewritten from hello.elf with objcopy since no Go
#   older than 1.18 is installable here; `go version -m` reads it.
set -eu
out=$(cd "$(dirname "$0")" && pwd)
src=/usr/share/gocode/src/github.com
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p vendor/github.com/google vendor/github.com/pkg third_party
cp -r "$src/google/uuid" vendor/github.com/google/
cp -r "$src/pkg/errors" third_party/errors
printf 'module github.com/pkg/errors\n' > third_party/errors/go.mod
cp -r third_party/errors vendor/github.com/pkg/errors
cat > go.mod <<'GOMOD'
module example.com/hello

go 1.19

require (
	github.com/google/uuid v1.3.0
	github.com/pkg/errors v0.9.1
)

replace github.com/google/uuid v1.3.0 => example.com/uuid-fork v1.3.1

replace github.com/pkg/errors => ./third_party/errors
GOMOD
cat > vendor/modules.txt <<'MODULES'
# github.com/google/uuid v1.3.0 => example.com/uuid-fork v1.3.1
## explicit
github.com/google/uuid
# github.com/pkg/errors v0.9.1 => ./third_party/errors
## explicit
github.com/pkg/errors
# github.com/google/uuid v1.3.0 => example.com/uuid-fork v1.3.1
# github.com/pkg/errors => ./third_party/errors
MODULES
cat > main.go <<'MAIN'
package main

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/pkg/errors"
)

func main() {
	fmt.Println(uuid.NewString(), errors.New("hello"))
}
MAIN
GOFLAGS=-mod=vendor GOPROXY=off go build -trimpath -ldflags=-buildid= -o hello .
go version -m hello
objcopy -j .go.buildinfo hello "$out/hello.elf" 2>/dev/null

# The pointer layout: the header at the start of .go.buildinfo points to
# two Go string headers (data pointer, length) after it, which point to the
# strings after them; Go's own reader (`go version -m`) must read it back.
objcopy -O binary -j .go.buildinfo hello inline.bin 2>/dev/null
addr=0x$(readelf -SW hello | awk '$2 == ".go.buildinfo" { print $4 }')
ADDR=$addr python3 - <<'PY'
import os, struct
data = open("inline.bin", "rb").read()

def uvarint(b, i):
    v = shift = 0
    while True:
        c = b[i]; i += 1
        v |= (c & 0x7f) << shift; shift += 7
        if c < 0x80:
            return v, i

n, i = uvarint(data, 32)
version = data[i:i + n]
n, i = uvarint(data, i + n)
modinfo = data[i:i + n]
base = int(os.environ["ADDR"], 16)
blob = (data[:14] + bytes([8, 0]) + struct.pack("<QQ", base + 32, base + 48)
        + struct.pack("<QQQQ", base + 64, len(version), base + 64 + len(version), len(modinfo))
        + version + modinfo)
open("pointers.bin", "wb").write(blob.ljust((len(blob) + 15) // 16 * 16, b"\0"))
PY
objcopy --update-section .go.buildinfo=pointers.bin "$out/hello.elf" "$out/hello-pointers.elf" 2>/dev/null
go version -m "$out/hello-pointers.elf"
ls -l "$out"
