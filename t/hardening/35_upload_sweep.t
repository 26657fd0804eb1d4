# Temporary upload files a dead child left behind (issue 11, item 9):
# httpd sweeps DevplatStorageDir/.upload-* files nobody writes any more at
# every start and restart (post_config in the parent), and logs one info
# line with the count. A graceful restart must not take the file of an
# upload that a surviving child is still receiving. Dotfiles of the
# storage directory are never served nor accepted as stored pictures.
#
# The start: scripts/run-tests.sh (prepare_var) seeds
# t/var/storage/.upload-startup-seed with a last write two hours ago; here
# we check that it is gone and that the start said so. The restart: this
# file seeds old and fresh files, starts an upload, sends the server
# SIGUSR1 (a graceful restart, as `apachectl graceful` does) in the middle
# of it, and finishes the upload on the old child afterwards.
use strict;
use warnings;
use utf8;
use Test::More;
use IO::Socket::INET ();
use Socket ();
use Devplat::Test;

client_net(121);

my $AVATAR = '/api/user/base/upload/avatar';
my $logs = Apache::Test::vars('t_logs');
my $error_log = "$logs/error_log";
my $storage = storage_dir();
my $SWEEP_RE = qr/upload sweep: removed (\d+) temporary upload file\(s\) older than (\d+) s from (\S+)/;

sub seed {
    my ($name, $age) = @_;
    my $p = "$storage/$name";
    open my $fh, '>', $p or die "$p: $!";
    print $fh 'x' x 1000;
    close $fh;
    my $t = time - $age;
    utime $t, $t, $p or die "utime $p: $!";
    return $p;
}

sub temp_files { my %seen = map { $_ => 1 } @_; grep { !$seen{$_} } grep { m{^\.upload-} } storage_files() }

scenario 'at startup: the old temporary file is gone, with one log line' => sub {
    ok !-e "$storage/.upload-startup-seed", 'the file prepare_var left two hours ago is gone';
    open my $fh, '<:raw', $error_log or die "$error_log: $!";
    my @start;      # the log up to the end of the start
    while (my $l = <$fh>) { push @start, $l; last if $l =~ /resuming normal operations/ }
    my @lines = grep { $_ =~ $SWEEP_RE } @start;
    ok scalar(@lines), 'the start logged the sweep' or return;
    my ($n, $age, $dir) = $lines[0] =~ $SWEEP_RE;
    is $n, 1, 'removed 1 (the seeded file)';
    like $lines[0], qr/\[devplat:info\]/, 'at level info';
    is $dir, $storage, 'from DevplatStorageDir';
    cmp_ok $age, '>=', 3600, 'only files older than an hour (or 2 x Timeout)';
    is scalar(@lines), 1, 'one line for the start';
};

my $u = register_user();
my $token = login($u->{username}, $u->{password});

scenario 'a graceful restart in the middle of an upload' => sub {
    my $old = seed('.upload-sweep-old', 7200);
    my $fresh = seed('.upload-sweep-fresh', 60);          # a slow upload, written to a minute ago
    my $keep = seed('.keep-sweep', 7200);                 # a dotfile that is not a temporary file
    mkdir "$storage/sweeptest";
    my $nested = "$storage/sweeptest/.upload-nested";     # not where temporary files are
    { open my $fh, '>', $nested or die "$nested: $!"; }
    utime time - 7200, time - 7200, $nested;
    my @seeded = map { s{^\Q$storage\E/}{}r } ($old, $fresh, $keep, $nested);

    # an upload whose body stops half-way, until we send the rest
    my $png = png_of_size(200000);
    my ($ct, $body) = multipart_body({ name => 'file', filename => 'slow.png', type => 'image/png', content => $png });
    my ($host, $port) = split /:/, Apache::TestRequest::hostport();
    $host = '127.0.0.1' if $host eq 'localhost';
    my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Timeout => 30) or die "connect: $!";
    binmode $sock;
    setsockopt($sock, Socket::IPPROTO_TCP(), Socket::TCP_NODELAY(), 1);
    my $head = "POST $AVATAR HTTP/1.1\r\nHost: $host:$port\r\nAuthorization: Bearer $token\r\n"
             . 'X-Forwarded-For: ' . client_ip() . "\r\nConnection: close\r\n"
             . "Content-Type: $ct\r\nContent-Length: " . length($body) . "\r\n\r\n";
    my $cut = 100000;
    syswrite $sock, $head . substr($body, 0, $cut) or die "write: $!";
    my @tmp;
    for (1 .. 100) {
        last if @tmp = temp_files(@seeded);
        select undef, undef, undef, 0.1;
    }
    is scalar(@tmp), 1, 'the upload has its temporary file' or diag explain [storage_files()];

    my $since = -s $error_log;
    my $pid = do { open my $fh, '<', "$logs/httpd.pid" or die "httpd.pid: $!"; local $/; <$fh> };
    chomp $pid;
    ok kill('USR1', $pid), "SIGUSR1 to httpd ($pid): graceful restart";
    my $line = error_log_wait($SWEEP_RE, since => $since, timeout => 30);
    ok $line, 'the restart logged the sweep' or diag 'no sweep line after the restart';
    my ($n) = ($line // '') =~ $SWEEP_RE;
    is $n, 1, 'removed 1: the file nobody wrote to for two hours';
    ok error_log_wait(qr/resuming normal operations/, since => $since, timeout => 30), 'httpd is back';
    ok !-e $old, '.upload-sweep-old is gone';
    ok -e $fresh, '.upload-sweep-fresh (written to a minute ago) is kept';
    ok -e $keep, '.keep-sweep (not a temporary upload file) is kept';
    ok -e $nested, 'a file in a subdirectory is kept';
    ok @tmp && -e "$storage/$tmp[0]", 'the upload in progress kept its temporary file';

    # the old child finishes the upload it was receiving
    syswrite $sock, substr($body, $cut) or die "write: $!";
    my $answer = '';
    local $SIG{ALRM} = sub { die "timeout\n" };
    alarm 60;
    while (sysread $sock, my $buf, 65536) { $answer .= $buf }
    alarm 0;
    close $sock;
    my $res = HTTP::Response->parse($answer);
    record_exchange(POST => "http://$host:$port$AVATAR", $res, via => 'raw', request_content_type => $ct);
    my $json = check_ok($res, 'the upload across the restart');
    my $path = ref $json->{data} eq 'HASH' ? $json->{data}{path} // '' : '';
    like $path, qr{^/storage/avatar/[0-9a-f]{32}\.png$}, 'stored as usual';
    (my $rel = $path) =~ s{^/storage/}{};
    is -s "$storage/$rel", length($png), 'the whole file is there';
    ok !(@tmp && -e "$storage/$tmp[0]"), 'its temporary file is gone (renamed)';

    check_ok(scalar json_request(GET => '/api/me', undef, auth($token)), 'the restarted server answers');
    unlink $fresh, $keep, $nested;
    rmdir "$storage/sweeptest";
    is_deeply [storage_leftovers()], [], 'no temporary file left';
};

scenario 'dotfiles of the storage directory: never served, never a stored picture' => sub {
    my $f = seed('.upload-served', 0);
    my $res = http_get('/storage/.upload-served');
    is $res->code, 403, 'GET /storage/.upload-served: 403';
    unlike $res->content // '', qr/xxxx/, 'without the bytes';
    # a client claiming a temporary file as its avatar: refused like any
    # path that is not one of its stored uploads
    my %good = (province => '广东省', city => '深圳市', county => '南山区', is_overseas => 0,
                research_direction_id => [1]);
    for my $url ('/storage/.upload-served', '/storage/avatar/.upload-served') {
        check_error(scalar json_request(PUT => '/api/user/base', { %good, avatar => $url }, auth($token)),
                    422, name => "avatar $url", field => 'avatar');
    }
    is db_value("SELECT avatar FROM users WHERE id = $u->{id}") // '', '', 'the avatar is unchanged';
    unlink $f;
};

done_testing;
