#!/bin/sh
# Regenerates the rpm databases of this directory: the packages of specs/
# built with rpmbuild and installed (--justdb) by rpm into one database of
# each format, plus an imported signing key (a gpg-pubkey entry).
#
#   sqlite/rpmdb.sqlite   rpm's sqlite backend (Fedora, RHEL 9)
#   ndb/Packages.db       rpm's ndb backend (SUSE)
#   bdb/Packages          Berkeley DB hash, little-endian (CentOS 7, RHEL 8)
#   bdb-be/Packages       the same, big-endian (s390x)
#   bdb-512/Packages      little-endian, 512-byte pages and page checksums
#   expected.txt          what `rpm -qa` says about the sqlite and ndb ones
#
# Debian's rpm 4.18 writes sqlite only. The ndb database needs an rpm built
# with --enable-ndb (RPM_NDB=/path/to/bin/rpm); build-rpm-ndb.sh builds one
# from Debian's source package. rpm 4.18 cannot write Berkeley DB at all,
# so the Packages files are made by Berkeley DB's own db5.3_load
# (db5.3-util) from the header blobs rpm wrote into the sqlite database,
# keyed as rpm keys them: the package instance number as a 4-byte integer
# in the file's byte order, and key 0 holding the highest instance. rpm's
# own read-only Berkeley DB backend (bdb_ro) then reads them back.
#
# Needs: rpm, rpmbuild, gpg, sqlite3, db5.3-util, xxd.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
RPM_NDB=${RPM_NDB:-/work/rpmsrc/inst/bin/rpm}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for spec in "$here"/specs/*.spec; do
    rpmbuild -bb --quiet --define "_topdir $work/build" "$spec"
done
rpms=$(find "$work/build/RPMS" -name '*.rpm' | sort)

# A signing key, imported as rpm imports keys: a gpg-pubkey entry.
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Packager <packager@example.org>' rsa2048 sign never
gpg --batch --armor --export packager@example.org > "$work/key.asc"

install_into() { # RPM BACKEND DIR
    mkdir -p "$3"
    "$1" --dbpath "$3" --define "_db_backend $2" --initdb
    # shellcheck disable=SC2086
    "$1" --dbpath "$3" --define "_db_backend $2" -i --nodeps --justdb --noscripts --ignorearch $rpms
    "$1" --dbpath "$3" --define "_db_backend $2" --import "$work/key.asc"
}
install_into rpm sqlite "$work/sqlite"
install_into "$RPM_NDB" ndb "$work/ndb"

qf='%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\t%{VENDOR}\t%{MODULARITYLABEL}\n'
rpm --dbpath "$work/sqlite" -qa --qf "$qf" | sort > "$here/expected.txt"
"$RPM_NDB" --dbpath "$work/ndb" --define '_db_backend ndb' -qa --qf "$qf" | sort > "$work/ndb.txt"
cmp "$here/expected.txt" "$work/ndb.txt"

# Berkeley DB hash files from the same header blobs.
hex_le() { printf '%08x' "$1" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
hex_be() { printf '%08x' "$1"; }
dump() { # ORDER(le|be) LORDER PAGESIZE CHKSUM
    echo 'VERSION=3'
    echo 'format=bytevalue'
    echo 'type=hash'
    echo "db_lorder=$2"
    echo "db_pagesize=$3"
    echo "chksum=$4"
    echo 'HEADER=END'
    max=$(sqlite3 "$work/sqlite/rpmdb.sqlite" 'SELECT max(hnum) FROM Packages')
    echo " $(hex_"$1" 0)"
    echo " $(hex_"$1" "$max")"
    sqlite3 -separator ' ' "$work/sqlite/rpmdb.sqlite" 'SELECT hnum, lower(hex(blob)) FROM Packages ORDER BY hnum' |
    while read -r hnum blob; do
        echo " $(hex_"$1" "$hnum")"
        echo " $blob"
    done
    echo 'DATA=END'
}
mkdir -p "$here/bdb" "$here/bdb-be" "$here/bdb-512" "$here/sqlite" "$here/ndb"
rm -f "$here/bdb/Packages" "$here/bdb-be/Packages" "$here/bdb-512/Packages"
dump le 1234 4096 0 | db5.3_load "$here/bdb/Packages"
dump be 4321 4096 0 | db5.3_load "$here/bdb-be/Packages"
dump le 1234 512 1 | db5.3_load "$here/bdb-512/Packages"
for d in bdb bdb-be; do
    rpm --dbpath "$here/$d" --define '_db_backend bdb_ro' -qa --qf "$qf" 2>/dev/null | sort |
        cmp - "$here/expected.txt"
done
[ "$(db5.3_dump -p "$here/bdb-512/Packages" | grep -c '^ ')" -eq $(( 2 * $(wc -l < "$here/expected.txt") + 2 )) ]

cp "$work/sqlite/rpmdb.sqlite" "$here/sqlite/rpmdb.sqlite"
cp "$work/ndb/Packages.db" "$here/ndb/Packages.db"
ls -l "$here"/*/rpmdb.sqlite "$here"/*/Packages*
