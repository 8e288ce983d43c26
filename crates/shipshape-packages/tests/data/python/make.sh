#!/usr/bin/env bash
# Regenerates the Python fixtures: the metadata files of a few small
# distributions installed by pip from PyPI, and of Debian's python3
# packages (`apt-get install python3-six python3-yaml python3-cryptography
# python3-rpm`), which include egg-info directories, an egg-info file and
# a distribution with both a dist-info and an egg-info. Only the metadata
# file of each distribution is kept. The files under opt/broken/ are
# written by hand (see README.md) and left alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

pip install --quiet --no-deps --no-compile --target "$tmp/site" \
  six==1.16.0 typing_extensions==4.13.2 python-dateutil==2.9.0.post0 \
  jaraco.functools==4.1.0 attrs==25.3.0 packaging==24.2 traitlets==5.15.0

site="$here/usr/local/lib/python3.11/site-packages"
rm -rf "$site"
for d in "$tmp"/site/*.dist-info; do
  mkdir -p "$site/$(basename "$d")"
  cp "$d/METADATA" "$site/$(basename "$d")/"
done

debian=/usr/lib/python3/dist-packages
if [ -d "$debian" ]; then
  dest="$here/usr/lib/python3/dist-packages"
  rm -rf "$dest"
  for d in six-1.16.0.egg-info cryptography.egg-info; do
    mkdir -p "$dest/$d" && cp "$debian/$d/PKG-INFO" "$dest/$d/"
  done
  for d in PyYAML-6.0.dist-info cryptography-38.0.4.dist-info; do
    mkdir -p "$dest/$d" && cp "$debian/$d/METADATA" "$dest/$d/"
  done
  cp "$debian/rpm-4.18.0.egg-info" "$dest/"
fi
