# -*- encoding: utf-8 -*-
# stub: fixture-native 1.16.0.rc1 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "fixture-native".freeze
  s.version = "1.16.0.rc1"
  s.platform = "x86_64-linux".freeze

  s.required_rubygems_version = Gem::Requirement.new("> 1.3.1".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["Fixture".freeze]
  s.date = "2026-11-28"
  s.homepage = "https://example.org/fixture".freeze
  s.licenses = ["Apache-2.0".freeze]
  s.rubygems_version = "3.3.15".freeze
  s.summary = "A fixture gem.".freeze

  s.installed_by_version = "3.3.15" if s.respond_to? :installed_by_version
end
