# A gemspec as a project writes it, not as RubyGems installs it: the
# version is code. Written by hand for the tests (see README.md).
require_relative "lib/computed/version"

Gem::Specification.new do |spec|
  spec.name = "computed"
  spec.version = Computed::VERSION
  spec.licenses = ["MIT"]
end
