#!/usr/bin/env bash
# Regenerates the Composer fixtures with Composer itself (Debian's `composer`
# package, Composer 2), offline: three tiny packages are served from a
# `path` repository, and `composer install` writes composer.lock and
# vendor/composer/installed.json. composer1/installed.json is the
# `packages` array of the Composer 2 file, which is the whole file as
# Composer 1 wrote it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export COMPOSER_HOME="$tmp/home" COMPOSER_CACHE_DIR="$tmp/cache" COMPOSER_NO_INTERACTION=1

pkg() { # dir name version license-json
  mkdir -p "$tmp/src/$1/src"
  cat > "$tmp/src/$1/composer.json" <<JSON
{"name": "$2", "version": "$3", "description": "A fixture package.", "license": $4,
 "autoload": {"psr-4": {"Fixture\\\\$(echo "$1" | tr -d -)\\\\": "src/"}}}
JSON
}
pkg one acme/http-client v1.2.3 '"MIT"'
pkg two Acme/Dual-Licensed 2.0.0 '["MIT", "GPL-2.0-or-later"]'
pkg dev acme/dev-tool 0.9.0 '["BSD-3-Clause"]'

mkdir -p "$tmp/app"
cat > "$tmp/app/composer.json" <<'JSON'
{
  "name": "acme/app",
  "description": "The project itself: not a dependency.",
  "license": "proprietary",
  "repositories": [
    {"packagist.org": false},
    {"type": "path", "url": "../src/*", "options": {"symlink": false}}
  ],
  "require": {"acme/http-client": "^1.2", "acme/dual-licensed": "^2.0"},
  "require-dev": {"acme/dev-tool": "^0.9"}
}
JSON
(cd "$tmp/app" && composer install --no-progress --no-scripts --quiet)

rm -rf "$here/app" "$here/composer1"
mkdir -p "$here/app/vendor/composer" "$here/composer1/vendor/composer"
cp "$tmp/app/composer.json" "$tmp/app/composer.lock" "$here/app/"
cp "$tmp/app/vendor/composer/installed.json" "$here/app/vendor/composer/"
php -r '$d = json_decode(file_get_contents($argv[1]), true);
  file_put_contents($argv[2], json_encode($d["packages"], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");' \
  "$tmp/app/vendor/composer/installed.json" "$here/composer1/vendor/composer/installed.json"
