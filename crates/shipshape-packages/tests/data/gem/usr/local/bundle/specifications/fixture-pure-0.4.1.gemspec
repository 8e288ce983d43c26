# -*- encoding: utf-8 -*-
# stub: fixture-pure 0.4.1 ruby lib

Gem::Specification.new do |s|
  s.name = "fixture-pure".freeze
  s.version = "0.4.1"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Fixture".freeze]
  s.date = "2026-11-28"
  s.homepage = "https://example.org/fixture".freeze
  s.licenses = ["MIT".freeze, "Ruby".freeze]
  s.rubygems_version = "3.3.15".freeze
  s.summary = "A fixture gem.".freeze

  s.installed_by_version = "3.3.15" if s.respond_to? :installed_by_version
end
