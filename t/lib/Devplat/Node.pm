package Devplat::Node;
# Another httpd beside the suite's: the suite's generated httpd.conf on a
# free port with its own pid file and logs, sharing the database, the key
# and the storage, with its extra configuration (t/conf/extra.conf, and
# the engine lines it includes) edited by the test. For directives that
# only take effect at startup.
#
#   my $n = start_node('node3', edit => sub { s/^DevplatBcryptCost.*//m }, more => "LogLevel info");
#   json_request(GET => "$n->{url}/api/me", ...);  slurp_log($n);  stop_node($n);
#   my ($rc, $text) = config_test('DevplatBcryptCost 3');    # httpd -t
#
# edit runs with $_ set to the text of extra.conf; engine_edit with $_ set
# to the engine lines (t/var/engine.conf). Nodes still running at the end
# of the test file are stopped.
use strict;
use warnings;
use Exporter 'import';
use File::Path ();
use File::Temp ();
use IO::Socket::INET;
use Apache::Test ();
use Devplat::Test qw(json_request);

our @EXPORT = qw(start_node stop_node node_log config_test);

my @running;

sub slurp {
    my ($path) = @_;
    open my $fh, '<', $path or die "$path: $!";
    local $/;
    return scalar <$fh>;
}

sub spit {
    my ($path, $text) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
}

sub free_port {
    return IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0)->sockport;
}

sub start_node {
    my ($name, %opt) = @_;
    my $conf = Apache::Test::vars('t_conf');
    my $dir = Apache::Test::vars('t_logs') . "/$name";
    my $port = free_port();
    File::Path::remove_tree($dir);
    File::Path::make_path($dir);

    my $extra = slurp("$conf/extra.conf");
    # the suite's own virtual hosts (SMTP) listen on the suite's server only
    $extra =~ s/^\s*Listen\s.*\n//mg;
    if ($opt{engine_edit}) {
        my $engine = Apache::Test::vars('serverroot') . '/var/engine.conf';
        local $_ = slurp($engine);
        $opt{engine_edit}->();
        spit("$dir/engine.conf", $_);
        my $n = ($extra =~ s{^(\s*Include\s+)"?\Q$engine\E"?\s*$}{$1"$dir/engine.conf"}mg);
        die "no Include of $engine in extra.conf" unless $n;
    }
    if ($opt{edit}) {
        local $_ = $extra;
        $opt{edit}->();
        $extra = $_;
    }
    spit("$dir/extra.conf", $extra . "\n" . ($opt{more} // '') . "\n");

    my $main = slurp("$conf/httpd.conf");
    my $n = ($main =~ s{^(\s*Include\s+)"?\Q$conf\E/extra\.conf"?\s*$}{$1"$dir/extra.conf"}mg);
    die "no Include of extra.conf in httpd.conf" unless $n;
    $main =~ s/^Listen .*/Listen 127.0.0.1:$port/m;
    $main =~ s/^ServerName .*/ServerName 127.0.0.1:$port/m;
    $main =~ s/^PidFile .*/PidFile $dir\/httpd.pid/m;
    $main =~ s/^ErrorLog .*/ErrorLog $dir\/error_log/m;
    $main =~ s/^(\s*)TransferLog .*/$1TransferLog $dir\/access_log/mg;
    $main =~ s/^(\s*)ScriptSock .*/$1ScriptSock $dir\/cgisock/mg;
    spit("$dir/httpd.conf", $main);

    my $httpd = Apache::Test::vars('httpd');
    my $res = qx{'$httpd' -f '$dir/httpd.conf' -k start 2>&1};
    for (1 .. 100) {
        last if -s "$dir/httpd.pid";
        select(undef, undef, undef, 0.1);
    }
    die "$name did not start: $res" unless -s "$dir/httpd.pid";
    my $pid = slurp("$dir/httpd.pid");
    chomp $pid;
    my $node = { name => $name, dir => $dir, pid => $pid, url => "http://127.0.0.1:$port",
                 log => "$dir/error_log" };
    push @running, $node;
    for (1 .. 50) {
        my ($r) = json_request(GET => "$node->{url}/api/nope");
        return $node if $r->code == 404;
        select(undef, undef, undef, 0.1);
    }
    die "$name does not answer";
}

sub stop_node {
    my ($node) = @_;
    return unless $node->{pid};
    kill 'TERM', $node->{pid};
    for (1 .. 100) {
        last unless kill 0, $node->{pid};
        select(undef, undef, undef, 0.1);
    }
    delete $node->{pid};
}

sub node_log { my ($node) = @_; return -e $node->{log} ? slurp($node->{log}) : '' }

# httpd -t on a minimal configuration of the suite's LoadModule lines and
# these lines, for directives that a bad value stops at startup.
# Returns (exit code, what httpd printed).
sub config_test {
    my (@lines) = @_;
    my $conf = Apache::Test::vars('t_conf') . '/httpd.conf';
    my $httpd = Apache::Test::vars('httpd');
    my $dir = File::Temp->newdir;
    my %seen;
    my @modules = grep { !$seen{$_}++ } map { s/^\s+//r }
                  grep { /^\s*LoadModule\s/ } split /^/m, slurp($conf);
    spit("$dir/test.conf", "ServerRoot $dir\nServerName localhost\nErrorLog $dir/error_log\n"
                           . join('', @modules) . join('', map { "$_\n" } @lines));
    my $text = qx{'$httpd' -t -f '$dir/test.conf' 2>&1};
    return ($? >> 8, $text);
}

END { stop_node($_) for @running }

1;
