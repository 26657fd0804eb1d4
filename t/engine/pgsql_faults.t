# PostgreSQL stops under load and comes back: requests answer a JSON 503 in
# good time (no hang, no crash, no HTML page), service resumes by itself
# within a second of the database accepting connections again, and no
# request that was answered 200 lost its write. Runs in the pgsql run only
# (scripts/run-tests.sh), which exports how the test server is started.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time sleep);
use JSON::PP ();
use Devplat::Test;

client_net(71);

my $pg_ctl = "$ENV{DEVPLAT_TEST_PGBIN}/pg_ctl";
my @pg = ($pg_ctl, '-D', $ENV{DEVPLAT_TEST_PGDATA}, '-w', '-t', '30');
my ($STOP_AT, $DOWN_FOR, $RUN_FOR) = (1.5, 2.5, 7);
my $JSON = JSON::PP->new->canonical;

my $u = register_user();
my $before = login($u->{username}, $u->{password});

my $error_log = Apache::Test::vars('t_logs') . '/error_log';
my $log_from = -s $error_log;

my $t0 = time;
my @out = parallel(5, sub {
    my $i = shift;
    if ($i == 0) {      # the operator: stop the database, start it again
        sleep $STOP_AT - (time - $t0);
        my $stop = time;
        system(@pg, '-m', 'fast', 'stop') == 0 or return "stop failed: $?";
        sleep $DOWN_FOR;
        system(@pg, '-o', $ENV{DEVPLAT_TEST_PGOPTS}, '-l', "$ENV{DEVPLAT_TEST_PGDATA}/../pgsql.log", 'start') == 0
            or return "start failed: $?";
        return $JSON->encode({ stopped => $stop - $t0, started => time - $t0 });
    }
    my @log;
    while (time - $t0 < $RUN_FOR) {
        my $login = @log % 2 == 0;
        my $start = time;
        my ($res, $json) = $login
            ? json_request(POST => '/api/login', { username => $u->{username}, password => $u->{password} })
            : json_request(GET => '/api/me', undef, auth($before));
        push @log, {
            kind => $login ? 'login' : 'me', start => $start - $t0, took => time - $start,
            code => $res->code, ctype => scalar($res->header('Content-Type')) // '',
            retry_after => scalar($res->header('Retry-After')) // '',
            envelope => (ref $json eq 'HASH' && defined $json->{status_code}) ? 1 : 0,
            token => ($login && $res->code == 200) ? $json->{data}{token_info}{access_token} : undef,
        };
        sleep 0.02;
    }
    return $JSON->encode(\@log);
});

my $ops = eval { $JSON->decode($out[0]) };
ok $ops, 'the database was stopped and started again' or diag $out[0];
BAIL_OUT('cannot control the test PostgreSQL') unless $ops;
my @log = map { @{ $JSON->decode($_ // '[]') } } @out[1 .. $#out];
note sprintf 'stopped at %.2fs, accepting again at %.2fs, %d requests', $ops->{stopped}, $ops->{started}, scalar @log;

ok @log > 50, 'the load ran (' . scalar(@log) . ' requests)';
my @bad = grep { !$_->{envelope} || $_->{ctype} !~ m{^application/json} } @log;
is scalar(@bad), 0, 'every answer is the JSON envelope, never an HTML page'
    or diag $JSON->encode($bad[0]);
my @odd = grep { $_->{code} != 200 && $_->{code} != 503 } @log;
is scalar(@odd), 0, 'every answer is 200 or 503'
    or diag join ' ', map { "$_->{kind}:$_->{code}@" . sprintf('%.2f', $_->{start}) } @odd[0 .. ($#odd < 9 ? $#odd : 9)];
my $slowest = 0;
$slowest < $_->{took} and $slowest = $_->{took} for @log;
ok $slowest < 10, sprintf('no request hung (slowest %.2fs)', $slowest);

my @down = grep { $_->{start} > $ops->{stopped} + 0.2 && $_->{start} + $_->{took} < $ops->{started} - 0.2 } @log;
ok @down > 0, 'requests were made while the database was down';
is scalar(grep { $_->{code} == 503 } @down), scalar(@down), 'all of them answered 503';

my @no_retry = grep { $_->{code} == 503 && $_->{retry_after} !~ /^[1-9]\d*$/ } @log;
is scalar(@no_retry), 0, 'every 503 says when to come back (Retry-After)';

# the outage is logged once per child when it starts and once when it
# ends, not once per request; connection attempts are backed off
scenario 'the error log tells the outage, not every request' => sub {
    open my $fh, '<', $error_log or die "$error_log: $!";
    seek $fh, $log_from, 0;
    my @lines = <$fh>;
    my $down = grep { /\[devplat:error\].*database unreachable/ } @lines;
    my $back = grep { /\[devplat:notice\].*database reachable again/ } @lines;
    my $per_request = grep { /\[devplat:error\].*answered 503/ } @lines;
    my $refused = grep { $_->{code} == 503 } @log;
    note sprintf '%d error-log lines for %d answers 503 (%d children said down, %d back)',
        scalar @lines, $refused, $down, $back;
    ok $down >= 1, 'the outage is logged';
    ok $back >= 1, 'so is its end';
    ok $down <= 16, "once per child ($down)";
    is $per_request, 0, 'no line per 503';
    ok @lines < 20 + $refused / 2, scalar(@lines) . " lines for $refused answers 503";
};

my @after = grep { $_->{start} > $ops->{started} + 1 } @log;
ok @after > 0, 'requests were made after the database came back';
is scalar(grep { $_->{code} == 200 } @after), scalar(@after),
    'every request from one second after the restart on succeeded';
my ($first) = sort { $a->{start} <=> $b->{start} } grep { $_->{code} == 200 && $_->{start} > $ops->{started} } @log;
note sprintf 'first 200 after the restart: %.3fs after it', $first->{start} - $ops->{started} if $first;

my @tokens = map { $_->{token} } grep { $_->{token} } @log;
ok @tokens > 5, scalar(@tokens) . ' logins answered 200';
my $lost = 0;
for my $t (@tokens) {
    my ($res) = json_request(GET => '/api/me', undef, auth($t));
    $lost++ unless $res->code == 200;
}
is $lost, 0, 'every login answered 200 kept its session (no lost write)';
check_ok(scalar json_request(GET => '/api/me', undef, auth($before)), 'the token from before the outage still works');

# Pooled connections that sat idle through a restart: the driver resets
# them in place (PQreset), which loses every prepared statement; the module
# must reconnect and prepare them again instead of failing until the pool
# expires the connection.
scenario 'a restart while idle costs no request' => sub {
    check_ok(scalar json_request(GET => '/api/me', undef, auth($before)), "warm-up $_") for 1 .. 8;
    system(@pg, '-m', 'fast', 'restart', '-o', $ENV{DEVPLAT_TEST_PGOPTS},
           '-l', "$ENV{DEVPLAT_TEST_PGDATA}/../pgsql.log") == 0
        or die "pg_ctl restart failed: $?";
    my @codes = map { (json_request(GET => '/api/me', undef, auth($before)))[0]->code } 1 .. 30;
    is scalar(grep { $_ == 200 } @codes), 30, 'thirty requests after the restart all answered 200'
        or diag "got: @codes";
};

done_testing;
