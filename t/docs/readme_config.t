# Every httpd configuration the project shows starts: each ```apache block
# of README.md, conf/devplat.load + conf/devplat.conf (as a2enmod enables
# them) and the quick start's conf/quickstart.conf.in (filled in by
# scripts/prepare-var.sh) go through `httpd -t` with the module of the
# build tree loaded, so the documentation cannot drift into a
# configuration that does not start (issue 11, item 13).
#
# A README block is wrapped in a minimal server configuration (ServerRoot,
# the modules the suite loads: scripts/run-tests.sh's t/build/*.conf) and
# its file system paths (/etc/..., /var/...) are moved below a temporary
# directory, where the files the module reads at configuration time exist
# (DevplatJwtSecretFile: 48 random bytes; DevplatJwtKeyFile: a new key). Its LoadModule lines load the
# same modules from httpd's module directory (mod_devplat from .libs). A
# fenced block without a language that holds httpd directives fails: mark
# it ```apache so that it is checked.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp ();
use File::Path ();
use File::Basename qw(dirname basename);
use Apache::Test ();

my $top = Apache::Test::vars('top_dir');
my $httpd = Apache::Test::vars('httpd');
my $module = "$top/.libs/mod_devplat.so";
ok -x $httpd, "httpd binary $httpd" or BAIL_OUT('no httpd');
ok -f $module, 'the built module' or BAIL_OUT("no $module");

# the modules of the suite's own configuration: name => path
my (%load, @order);
for my $f ("$top/t/build/httpd-base.conf", "$top/t/build/httpd-modules.conf") {
    open my $fh, '<', $f or BAIL_OUT("$f: $! (written by scripts/run-tests.sh)");
    while (<$fh>) {
        next unless /^\s*LoadModule\s+(\S+)\s+(\S+)/;
        push @order, $1 unless exists $load{$1} || $1 eq 'devplat_module';
        $load{$1} = $2;
    }
}
my $moddir = dirname($load{dbd_module} // BAIL_OUT('no mod_dbd in t/build/httpd-modules.conf'));
$load{devplat_module} = $module;

my $tmp = File::Temp->newdir;
my $n = 0;

# The lines with their file system paths moved below $root; creates what
# the module reads while the configuration is parsed.
sub reroot {
    my ($text, $root) = @_;
    my @out;
    for my $line (split /\n/, $text, -1) {
        $line =~ s{(^|[\s"<])(/(?:etc|var|srv|opt|run|home|data|usr/local)/[^\s">]*)}{$1$root$2}g;
        if ($line =~ /^\s*Devplat(?:JwtSecretFile|EventSecretFile)\s+"?([^"\s]+)/) {
            my $f = $1;
            File::Path::make_path(dirname($f));
            open my $fh, '>:raw', $f or die "$f: $!";
            print $fh join '', map { chr(32 + int rand 90) } 1 .. 48;
            close $fh;
            chmod 0600, $f;
        }
        # a key of the kind the block's DevplatJwtAlgorithm names
        if ($line =~ /^\s*DevplatJwtKeyFile\s+"?([^"\s]+)/) {
            my $f = $1;
            my $kind = $text =~ /^\s*DevplatJwtAlgorithm\s+EdDSA\b/mi ? '-algorithm ed25519'
                     : '-algorithm EC -pkeyopt ec_paramgen_curve:P-256';
            File::Path::make_path(dirname($f));
            my $out = qx{openssl genpkey $kind -out '$f' 2>&1};
            die "openssl genpkey: $out" if $?;
        }
        # an SMTP credentials file: a user name line and a password line
        if ($line =~ /^\s*DevplatSmtpAuthFile\s+"?([^"\s]+)/) {
            my $f = $1;
            File::Path::make_path(dirname($f));
            open my $fh, '>', $f or die "$f: $!";
            print $fh "mailer\nnot-a-real-password\n";
            close $fh;
            chmod 0600, $f;
        }
        push @out, $line;
    }
    return join "\n", @out;
}

# LoadModule lines of a block: the module from this machine's httpd (or the
# build tree); a module the wrapper loads anyway is left to it.
sub relink {
    my ($text, $loaded) = @_;
    $text =~ s{^(\s*)LoadModule\s+(\S+)\s+(\S+)}{
        my ($sp, $name, $path) = ($1, $2, $3);
        $loaded->{$name} = 1;
        $name eq 'devplat_module' ? "${sp}LoadModule devplat_module $module"
                                  : "${sp}LoadModule $name $moddir/" . basename($path =~ s/"//gr)
    }mge;
    return $text;
}

# httpd -t on $conf (a server configuration around $text): (ok, output)
sub config_test {
    my ($name, $text) = @_;
    $n++;
    my $root = "$tmp/$n";
    File::Path::make_path("$root/logs", "$root/htdocs");
    my %loaded;
    $text = relink(reroot($text, $root), \%loaded);
    my $conf = "$root/httpd.conf";
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh "ServerRoot \"$root\"\nServerName 127.0.0.1\nListen 127.0.0.1:1\n"
            . "PidFile \"$root/logs/httpd.pid\"\nErrorLog \"$root/logs/error_log\"\n"
            . "DocumentRoot \"$root/htdocs\"\n";
    for my $m (@order, 'devplat_module') {
        next if $loaded{$m};
        print $fh "LoadModule $m $load{$m}\n";
    }
    print $fh "# ---- $name\n$text\n";
    close $fh;
    return run_test($name, $conf);
}

sub run_test {
    my ($name, $conf) = @_;
    my $out = qx{'$httpd' -t -f '$conf' 2>&1};
    my $ok = $? == 0 && $out =~ /Syntax OK/;
    ok $ok, "$name: httpd -t" or diag $out;
    unlike $out, qr/\bAH\d+:.*(?:error|invalid|unknown)/i, "$name: no error on the way" if $ok;
    return $ok;
}

# ---------------------------------------------------------------- README

open my $rfh, '<:encoding(UTF-8)', "$top/README.md" or die "README.md: $!";
my @lines = <$rfh>;
close $rfh;
my (@blocks, @unmarked, $cur);
for my $i (0 .. $#lines) {
    my $l = $lines[$i];
    if (!$cur && $l =~ /^```\s*(\S*)\s*$/) {
        $cur = { lang => $1, line => $i + 1, text => '' };
    }
    elsif ($cur && $l =~ /^```\s*$/) {
        push @blocks, $cur if $cur->{lang} eq 'apache';
        push @unmarked, $cur if $cur->{lang} eq '' && $cur->{text} =~
            /^\s*(?:LoadModule|Devplat[A-Z]\w*|DBD\w+|Alias|<(?:Location|Directory|IfModule|VirtualHost|Files)\b)/m;
        undef $cur;
    }
    elsif ($cur) {
        $cur->{text} .= $l;
    }
}
ok !$cur, 'README.md: every fenced block is closed';
cmp_ok scalar(@blocks), '>=', 5, 'README.md has ```apache blocks: ' . scalar(@blocks);
is_deeply [map { "line $_->{line}" } @unmarked], [], 'no block of httpd directives without the apache mark';

for my $b (@blocks) {
    config_test("README.md block at line $b->{line}", $b->{text});
}

# the test itself: a block that does not start fails (the AH00526 of a
# comment after Require on the same line)
{
    my $bad = qq{<Directory /var/lib/mod_devplat/storage>\n    <FilesMatch "^\\.">\n}
            . qq{        Require all denied          # uploads in progress\n    </FilesMatch>\n</Directory>\n};
    my $root = "$tmp/bad";
    File::Path::make_path("$root/logs");
    my $conf = "$root/httpd.conf";
    open my $fh, '>', $conf or die "$conf: $!";
    print $fh "ServerRoot \"$root\"\nServerName 127.0.0.1\nListen 127.0.0.1:1\n"
            . "ErrorLog \"$root/logs/error_log\"\n"
            . join('', map { "LoadModule $_ $load{$_}\n" } @order) . reroot($bad, $root);
    close $fh;
    my $out = qx{'$httpd' -t -f '$conf' 2>&1};
    isnt $?, 0, 'a comment after Require on its line: httpd -t fails (the check can fail)';
    like $out, qr/AH00526/, '... with AH00526';
}

# ---------------------------------------------------------------- conf/

{
    open my $lf, '<', "$top/conf/devplat.load" or die "conf/devplat.load: $!";
    my $load = do { local $/; <$lf> } =~ s/\@MODDIR\@/$top\/.libs/gr;
    open my $cf, '<', "$top/conf/devplat.conf" or die "conf/devplat.conf: $!";
    my $conf = do { local $/; <$cf> };
    like $load, qr/^LoadModule devplat_module /m, 'conf/devplat.load loads the module';
    like $load, qr/^# Depends: dbd$/m, '... and declares mod_dbd for a2enmod';
    config_test('conf/devplat.load + conf/devplat.conf', "$load\n$conf");
}

# the quick start, as scripts/prepare-var.sh writes it
{
    my $var = "$tmp/quickstart";
    my $out = qx{NO_DEMO=1 '$top/scripts/prepare-var.sh' '$var' 18080 2>&1};
    is $?, 0, 'scripts/prepare-var.sh fills in conf/quickstart.conf.in' or diag $out;
    my $text = -e "$var/httpd.conf" ? do { open my $fh, '<', "$var/httpd.conf" or die $!; local $/; <$fh> } : '';
    unlike $text, qr/\@[A-Z_]+\@/, 'no @...@ left in its httpd.conf';
    run_test('conf/quickstart.conf.in', "$var/httpd.conf");
}

# the quick start's demo data: its projects are searchable (prepare-var.sh
# runs devplat-admin project reindex after sql/sqlite/demo.sql)
{
    my $var = "$tmp/demo";
    my $out = qx{'$top/scripts/prepare-var.sh' '$var' 18081 2>&1};
    is $?, 0, 'scripts/prepare-var.sh with the demo data' or diag $out;
    like $out, qr/loaded sql\/sqlite\/demo\.sql/, '... loads it';
    my $db = "$var/devplat.db";
    my $live = qx{sqlite3 '$db' 'SELECT count(*) FROM projects WHERE deleted_at IS NULL'};
    chomp $live;
    ok $live >= 28, "the demo's $live projects";
    # 电梯 (elevator) is in demo projects' texts: the index finds each
    my $term = sprintf '%02xx%02x', ord('电'), ord('梯');
    my $found = qx{sqlite3 '$db' "SELECT count(*) FROM project_search WHERE project_search MATCH '$term'"};
    my $where = join ' OR ', map { "$_ LIKE '%" . "\xe7\x94\xb5\xe6\xa2\xaf" . "%'" }
                             qw(name introduction domain research_direction);
    my $like = qx{sqlite3 '$db' "SELECT count(*) FROM projects WHERE deleted_at IS NULL AND ($where)"};
    chomp($found, $like);
    ok $like > 0, "demo projects hold 电梯 ($like)";
    is $found, $like, '... and the search index finds each of them';
}

done_testing;
