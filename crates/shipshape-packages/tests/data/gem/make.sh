#!/usr/bin/env bash
# Regenerates the installed gem specifications with RubyGems itself
# (Debian's `ruby`): two tiny gems, one of them for a platform, are built
# with `gem build` and installed with `gem install --local`, which writes
# the specifications/*.gemspec files this cataloger reads. The Debian ones
# (rack, json, rexml) are copied from `apt-get install ruby ruby-rack`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"

gem_src() { # name version platform licenses
  mkdir -p "$tmp/$1/lib"
  echo "module Fixture; end" > "$tmp/$1/lib/$1.rb"
  cat > "$tmp/$1/$1.gemspec" <<RUBY
Gem::Specification.new do |spec|
  spec.name = "$1"
  spec.version = "$2"
  spec.platform = "$3"
  spec.summary = "A fixture gem."
  spec.homepage = "https://example.org/fixture"
  spec.authors = ["Fixture"]
  spec.files = ["lib/$1.rb"]
  spec.licenses = $4
end
RUBY
  (cd "$tmp/$1" && gem build --quiet "$1.gemspec" >/dev/null)
}
gem_src fixture-pure 0.4.1 ruby '["MIT", "Ruby"]'
gem_src fixture-native 1.16.0.rc1 x86_64-linux '["Apache-2.0"]'

dest="$here/usr/local/bundle"
rm -rf "$dest"
for g in "$tmp"/*/*.gem; do
  gem install --local --ignore-dependencies --no-document --install-dir "$tmp/installed" "$g" >/dev/null
done
mkdir -p "$dest/specifications"
cp "$tmp"/installed/specifications/*.gemspec "$dest/specifications/"

if [ -d /usr/share/rubygems-integration/all/specifications ]; then
  mkdir -p "$here/usr/share/rubygems-integration/all/specifications" \
    "$here/usr/lib/ruby/gems/3.1.0/specifications/default"
  cp /usr/share/rubygems-integration/all/specifications/rack-*.gemspec \
    "$here/usr/share/rubygems-integration/all/specifications/"
  cp /usr/lib/ruby/gems/3.1.0/specifications/default/json-*.gemspec \
    "$here/usr/lib/ruby/gems/3.1.0/specifications/default/"
  cp /usr/lib/ruby/gems/3.1.0/specifications/rexml-*.gemspec \
    "$here/usr/lib/ruby/gems/3.1.0/specifications/"
fi
