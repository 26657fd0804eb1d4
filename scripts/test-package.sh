#!/bin/bash
# The Debian package, end to end, as root (scripts/test.sh runs it before
# the suite; TAP on standard output, one line per step):
#
#   1. builds libapache2-mod-devplat with dpkg-buildpackage -us -uc -b from a
#      clean copy of the tree, and runs lintian on it (no errors);
#   2. installs it into this machine's own Apache with apt-get install ./…deb,
#      takes the install steps of README.md's "The Debian package" (each
#      command is checked to be there, word for word), checks
#      apache2ctl configtest, starts Apache and asks /api/me once (401 in
#      the developer envelope);
#   3. stops Apache, purges the package, removes what the steps created, and
#      checks that the machine is as it was: the package's files gone, the
#      Apache configuration and module state unchanged, no other package
#      installed or removed, Apache stopped if it was stopped.
#
# It refuses (one failed step) when the package is already installed.
# Environment: KEEP_PACKAGE_BUILD=1 keeps the build directory;
# DEVPLAT_PACKAGE_DEB=path tests that .deb (built from this tree) instead of
# building one, to go over the install steps again quickly.
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pkg=libapache2-mod-devplat
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() {          # check NAME COMMAND...: ok when COMMAND succeeds
    local name=$1; shift
    if "$@" >>"$log" 2>&1; then ok "$name"; else nok "$name"; tail -n 25 "$log" | sed 's/^/# /'; fi
}
finish() { echo "1..$n"; exit $((failed > 0)); }

if [ "$(id -u)" -ne 0 ]; then
    nok "the package test runs as root (apt-get, /etc/apache2)"; finish
fi
for tool in dpkg-buildpackage lintian apt-get apache2ctl a2enmod curl; do
    command -v "$tool" >/dev/null 2>&1 || { nok "$tool is installed (scripts/install-deps.sh)"; finish; }
done
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'installed'; then
    nok "$pkg is not installed yet (this test would remove it)"; finish
fi
for p in /var/lib/mod_devplat /etc/apache2/devplat; do
    if [ -e "$p" ]; then nok "$p does not exist yet (this test would remove it)"; finish; fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/devplat-package.XXXXXX")
log=$work/steps.log
: >"$log"

# ------------------------------------------------------------ the machine before
apache_pid() {
    local f=/var/run/apache2/apache2.pid
    [ -s "$f" ] && kill -0 "$(cat "$f" 2>/dev/null)" 2>/dev/null && cat "$f" 2>/dev/null
}
# the Apache configuration and a2enmod's state, as names, links and checksums
apache_state() {
    local d
    for d in /etc/apache2 /var/lib/apache2; do
        [ -d "$d" ] || continue
        find "$d" -printf '%p %y %l %m\n' | LC_ALL=C sort
        find "$d" -type f -exec md5sum {} + | LC_ALL=C sort -k2
    done
}
packages() { dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\n' | LC_ALL=C sort; }

was_running=no
[ -n "$(apache_pid)" ] && was_running=yes
apache_state >"$work/apache-before"
packages >"$work/packages-before"
tar -C / -cpf "$work/apache-before.tar" etc/apache2 $( [ -d /var/lib/apache2 ] && echo var/lib/apache2 )

restore_apache() {    # puts the configuration back as it was (after a failure)
    rm -rf /etc/apache2 /var/lib/apache2
    tar -C / -xpf "$work/apache-before.tar"
}

# ------------------------------------------------------------ build
mkdir -p "$work/build/src"
if git -c safe.directory="$src" -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -c safe.directory="$src" -C "$src" ls-files -z -co --exclude-standard |
        (cd "$src" && while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) |
        (cd "$src" && tar --null -T - -cf -) | tar -C "$work/build/src" -xf -
else
    (cd "$src" && tar --exclude=.git -cf - .) | tar -C "$work/build/src" -xf -
    (cd "$work/build/src" && { [ ! -f Makefile ] || make distclean >/dev/null 2>&1; })
fi
echo "# building in $work/build/src (log: $work/build.log)"
if [ -n "${DEVPLAT_PACKAGE_DEB:-}" ]; then
    echo "# not built: testing $DEVPLAT_PACKAGE_DEB"
    cp "$DEVPLAT_PACKAGE_DEB" "$work/build/"
    (cd "$work/build/src" && autoreconf -fi && ./configure && make) >"$work/build.log" 2>&1
elif (cd "$work/build/src" && DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" \
        dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b"
else
    nok "dpkg-buildpackage -us -uc -b"; tail -n 40 "$work/build.log" | sed 's/^/# /'
    rm -rf "$work"; finish
fi
deb=$(ls "$work"/build/${pkg}_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] && ok "built $(basename "$deb")" || { nok "a .deb was built"; rm -rf "$work"; finish; }

# ------------------------------------------------------------ lintian
lintian --info "$deb" >"$work/lintian.log" 2>&1
sed 's/^/# lintian: /' "$work/lintian.log" | grep -E '^# lintian: [EW]:' | head -n 40
if grep -q '^E:' "$work/lintian.log"; then nok "lintian: no errors"; else ok "lintian: no errors"; fi
if grep -q '^W:' "$work/lintian.log"; then nok "lintian: no warnings"; else ok "lintian: no warnings"; fi

# ------------------------------------------------------------ what it holds
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\.||' >"$work/contents"
for f in /usr/lib/apache2/modules/mod_devplat.so /usr/bin/devplat-admin /usr/bin/devplat-migrate \
         /usr/share/man/man1/devplat-admin.1.gz /usr/share/man/man1/devplat-migrate.1.gz \
         /etc/apache2/mods-available/devplat.load /etc/apache2/mods-available/devplat.conf \
         /usr/share/mod_devplat/sql/sqlite/001_schema.sql /usr/share/mod_devplat/sql/postgresql/001_schema.sql \
         /usr/share/mod_devplat/sql/mysql/001_schema.sql /usr/share/doc/$pkg/copyright; do
    if grep -qx "$f" "$work/contents"; then ok "the package holds $f"; else nok "the package holds $f"; fi
done
# every numbered schema file of the tree, and never the demo rows there
missing=""
for f in "$src"/sql/*/[0-9]*.sql; do
    rel=${f#"$src"/}
    grep -qx "/usr/share/mod_devplat/$rel" "$work/contents" || missing="$missing $rel"
done
[ -z "$missing" ] && ok "every numbered file of sql/ is in /usr/share/mod_devplat/sql" \
                  || nok "sql files missing from the package:$missing"
if grep -q '^/usr/share/mod_devplat/sql/.*demo' "$work/contents"; then
    nok "no demo.sql beside the migrations"
else
    ok "no demo.sql beside the migrations (the demo rows are examples)"
fi
# whatever else `make install` puts under /usr/share/mod_devplat ships too
(cd "$work/build/src" && make install DESTDIR="$work/stage" >/dev/null 2>&1)
extra=""
if [ -d "$work/stage/usr/share/mod_devplat" ]; then
    while IFS= read -r f; do
        rel=${f#"$work/stage"}
        case "$rel" in /usr/share/mod_devplat/sql/*/demo.sql) continue ;; esac
        grep -qx "$rel" "$work/contents" || extra="$extra $rel"
    done < <(find "$work/stage/usr/share/mod_devplat" -type f)
fi
[ -z "$extra" ] && ok "everything make install puts under /usr/share/mod_devplat is in the package" \
                || nok "make install's files missing from the package:$extra"

# ------------------------------------------------------------ install
readme_step() {       # a command of README.md's package section, word for word
    awk '/^### The Debian package/{on=1; next} on && /^##/{on=0} on' "$src/README.md" | grep -qxF -- "$1"
}
step() {              # step 'COMMAND': checked against the README, then run
    local cmd=$1
    if ! readme_step "$cmd"; then nok "README.md's install steps say: $cmd"; return 1; fi
    if bash -c "$cmd" >>"$log" 2>&1; then ok "$cmd"
    else nok "$cmd"; tail -n 25 "$log" | sed 's/^/# /'; return 1; fi
}

cp "$deb" "$work/"
debfile=$(basename "$deb")
cd /            # the steps run as www-data too
installed=no
if (cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "./$debfile") >>"$log" 2>&1; then
    ok "apt-get install ./$debfile"; installed=yes
else
    nok "apt-get install ./$debfile"; tail -n 25 "$log" | sed 's/^/# /'
fi
readme_step "apt-get install ./libapache2-mod-devplat_*.deb" \
    && ok "README.md installs with apt-get install ./libapache2-mod-devplat_*.deb" \
    || nok "README.md installs with apt-get install ./libapache2-mod-devplat_*.deb"

if [ $installed = yes ]; then
    [ ! -e /etc/apache2/mods-enabled/devplat.load ] && ok "installed, not enabled" \
                                                     || nok "installed, not enabled"
    check "devplat.load loads /usr/lib/apache2/modules/mod_devplat.so" \
        bash -c 'grep -q "^LoadModule devplat_module /usr/lib/apache2/modules/mod_devplat.so" /etc/apache2/mods-available/devplat.load'
    check "devplat-admin runs (--help)" bash -c 'devplat-admin --help 2>&1 | grep -qi usage'
    check "man devplat-admin" bash -c 'test -s /usr/share/man/man1/devplat-admin.1.gz'

    step "install -d -o www-data -g www-data /var/lib/mod_devplat /var/lib/mod_devplat/storage" &&
    step "runuser -u www-data -- devplat-migrate sqlite /var/lib/mod_devplat/devplat.db" &&
    step "install -d -m 0700 /etc/apache2/devplat" &&
    step "(umask 077 && head -c 48 /dev/urandom >/etc/apache2/devplat/jwt.key)" &&
    step "a2enmod devplat" &&
    step "apache2ctl configtest"
    steps_ok=$?
    if [ $steps_ok -eq 0 ]; then
        if [ $was_running = yes ]; then started=$(apache2ctl graceful 2>&1; echo $?)
        else started=$(apache2ctl start 2>&1; echo $?); fi
        for i in $(seq 50); do [ -n "$(apache_pid)" ] && break; sleep 0.2; done
        if [ "${started##*$'\n'}" = 0 ] && [ -n "$(apache_pid)" ]; then ok "Apache started"
        else nok "Apache started"; echo "$started" | sed 's/^/# /'
             tail -n 20 /var/log/apache2/error.log 2>/dev/null | sed 's/^/# /'; fi
        body=$(curl -s -o - -w '\n%{http_code} %{content_type}' --max-time 20 http://127.0.0.1/api/me)
        status=${body##*$'\n'}
        json=${body%$'\n'*}
        [ "${status%% *}" = 401 ] && ok "GET /api/me: 401" || nok "GET /api/me: 401 (got $status)"
        case "${status#* }" in application/json*) ok "GET /api/me: application/json" ;;
                               *) nok "GET /api/me: application/json (got ${status#* })" ;; esac
        if printf '%s' "$json" | perl -MJSON::PP -e '
                my $j = eval { JSON::PP->new->utf8->decode(join "", <STDIN>) } or exit 1;
                exit !(ref $j eq "HASH" && $j->{status_code} == 401
                       && JSON::PP->new->utf8->encode([$j->{message}]) eq qq(["\xe4\xbb\xa4\xe7\x89\x8c\xe8\xae\xa4\xe8\xaf\x81\xe5\xa4\xb1\xe8\xb4\xa5"])
                       && !exists $j->{data})'; then
            ok "GET /api/me: the developer envelope {status_code:401, message:令牌认证失败}"
        else
            nok "GET /api/me: the developer envelope (got: $json)"
        fi
        if [ $was_running = yes ]; then :; else
            apache2ctl stop >>"$log" 2>&1
            for i in $(seq 100); do [ -z "$(apache_pid)" ] && break; sleep 0.2; done
            [ -z "$(apache_pid)" ] && ok "Apache stopped" || nok "Apache stopped"
        fi
    fi
    if DEBIAN_FRONTEND=noninteractive apt-get purge -y "$pkg" >>"$log" 2>&1; then ok "apt-get purge $pkg"
    else nok "apt-get purge $pkg"; tail -n 25 "$log" | sed 's/^/# /'; fi
fi

# ------------------------------------------------------------ the machine after
gone=""
for f in /usr/lib/apache2/modules/mod_devplat.so /usr/bin/devplat-admin /usr/bin/devplat-migrate \
         /usr/share/mod_devplat /etc/apache2/mods-available/devplat.load \
         /etc/apache2/mods-available/devplat.conf /etc/apache2/mods-enabled/devplat.load \
         /usr/share/doc/$pkg; do
    [ -e "$f" ] && gone="$gone $f"
done
[ -z "$gone" ] && ok "purged: the package's files are gone" || nok "purged, yet still there:$gone"
dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q installed \
    && nok "$pkg is no longer known to dpkg" || ok "$pkg is no longer known to dpkg"

# what the README's steps made: the data, the key, mod_dbd enabled with it
rm -rf /var/lib/mod_devplat /etc/apache2/devplat
if ! grep -q ' /etc/apache2/mods-enabled/dbd.load ' "$work/apache-before" \
   && [ -e /etc/apache2/mods-enabled/dbd.load ]; then
    a2dismod -q dbd >>"$log" 2>&1
fi
# a2enmod/a2dismod keep what the administrator chose in /var/lib/apache2
for f in /var/lib/apache2/module/enabled_by_admin/dbd /var/lib/apache2/module/disabled_by_admin/dbd \
         /var/lib/apache2/module/enabled_by_admin/devplat /var/lib/apache2/module/disabled_by_admin/devplat; do
    grep -q "^$f " "$work/apache-before" || rm -f "$f"
done
# and the empty state directories they made for it
for d in /var/lib/apache2/module/enabled_by_admin /var/lib/apache2/module/disabled_by_admin \
         /var/lib/apache2/module/enabled_by_maint /var/lib/apache2/module/disabled_by_maint; do
    grep -q "^$d " "$work/apache-before" || rmdir "$d" 2>/dev/null
done
apache_state >"$work/apache-after"
if diff -u "$work/apache-before" "$work/apache-after" >"$work/apache.diff"; then
    ok "the Apache configuration and module state are as they were"
else
    nok "the Apache configuration and module state are as they were"
    head -n 30 "$work/apache.diff" | sed 's/^/# /'
    restore_apache
fi
packages >"$work/packages-after"
if diff -u "$work/packages-before" "$work/packages-after" >"$work/packages.diff"; then
    ok "no other package was installed or removed"
else
    nok "no other package was installed or removed"; head -n 20 "$work/packages.diff" | sed 's/^/# /'
fi
if [ $was_running = no ]; then
    [ -z "$(apache_pid)" ] && ok "Apache is stopped, as it was" || { nok "Apache is stopped, as it was"; apache2ctl stop >/dev/null 2>&1; }
else
    [ -n "$(apache_pid)" ] && ok "Apache runs, as it did" || nok "Apache runs, as it did"
fi
[ ! -e /var/lib/mod_devplat ] && [ ! -e /etc/apache2/devplat ] \
    && ok "the data directory and the key are gone" || nok "the data directory and the key are gone"

if [ "${KEEP_PACKAGE_BUILD:-0}" = 1 ]; then echo "# kept $work"; else rm -rf "$work"; fi
finish
