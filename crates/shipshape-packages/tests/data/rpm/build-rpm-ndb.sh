#!/bin/sh
# Builds rpm 4.18 from Debian's source package with the ndb backend that
# Debian's binary package leaves out, into $PREFIX (default
# /work/rpmsrc/inst), for make.sh. Needs deb-src entries for bookworm.
set -eu
PREFIX=${PREFIX:-/work/rpmsrc/inst}
SRC=${SRC:-/work/rpmsrc}
apt-get install -y --no-install-recommends dpkg-dev automake autoconf libtool autopoint gettext \
    pkg-config libgcrypt20-dev liblua5.3-dev libmagic-dev libpopt-dev libsqlite3-dev \
    zlib1g-dev libzstd-dev liblzma-dev libbz2-dev libarchive-dev
mkdir -p "$SRC"
cd "$SRC"
apt-get source rpm
cd rpm-4.18.0+dfsg
autoreconf -fi
./configure --prefix="$PREFIX" --enable-ndb --enable-sqlite=yes --disable-plugins \
    --disable-openmp --with-crypto=libgcrypt --without-audit --without-selinux \
    LUA_CFLAGS="$(pkg-config --cflags lua5.3)" LUA_LIBS="$(pkg-config --libs lua5.3)"
make -j"$(nproc)"
make install
