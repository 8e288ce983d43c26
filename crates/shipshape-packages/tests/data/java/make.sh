#!/bin/sh
# Regenerates app.war (made with OpenJDK 17's `jar` tool from jars of
# Debian bookworm packages):
#
#   apt-get install -y openjdk-17-jdk-headless libslf4j-java libmaven3-core-java libguice-java gettext-base gettext
#
# app.war holds its own META-INF/maven/com.example/app/pom.properties (as
# maven-war-plugin writes it) and, in WEB-INF/lib, real jars as Debian
# ships them:
#   slf4j-nop-1.7.32.jar      pom.properties and manifest (libslf4j-java)
#   maven3-slf4j-provider.jar two pom.properties, its own and the shaded
#                             org.slf4j:slf4j-simple 1.7.32 (libmaven3-core-java)
#   guice-multibindings.jar   a manifest with Bundle-Version only (libguice-java)
#   libintl-0.21.jar          a version in the file name only (gettext-base)
#   gettext.jar               no version anywhere (gettext)
set -eu
out=$(cd "$(dirname "$0")" && pwd)
java=/usr/share/java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/war/WEB-INF/lib" "$work/war/META-INF/maven/com.example/app"
cp "$(readlink -f $java/slf4j-nop.jar)" "$work/war/WEB-INF/lib/slf4j-nop-1.7.32.jar"
for jar in maven3-slf4j-provider.jar guice-multibindings.jar libintl-0.21.jar gettext.jar; do
	cp "$(readlink -f $java/$jar)" "$work/war/WEB-INF/lib/$jar"
done
cat > "$work/war/META-INF/maven/com.example/app/pom.properties" <<'PROPS'
#Created by Apache Maven 3.8.7
groupId=com.example
artifactId=app
version=1.0.0
PROPS
cat > "$work/war/WEB-INF/web.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="5.0"/>
XML
rm -f "$out/app.war"
jar --create --file "$out/app.war" --date=2023-01-01T00:00:00Z -C "$work/war" .
unzip -l "$out/app.war"
