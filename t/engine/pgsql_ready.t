# Readiness and the database counters while PostgreSQL stops and starts
# again (as t/engine/pgsql_faults.t drives it): devplat-ready answers 503
# with the database DOWN, liveness stays UP, the connection errors are
# counted; once the database is back, readiness is UP again by itself and
# the reconnects are counted. Runs in the pgsql run only.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(sleep time);
use Devplat::Test;
use Devplat::Metrics;

client_net(76);

my @pg = ("$ENV{DEVPLAT_TEST_PGBIN}/pg_ctl", '-D', $ENV{DEVPLAT_TEST_PGDATA}, '-w', '-t', '30');
my @start = (@pg, '-o', $ENV{DEVPLAT_TEST_PGOPTS}, '-l', "$ENV{DEVPLAT_TEST_PGDATA}/../pgsql.log", 'start');

sub ready {
    my ($res, $json) = json_request(GET => '/health/ready');
    my %c = map { $_->{name} => $_ } @{ ref $json eq 'HASH' ? $json->{checks} // [] : [] };
    return ($res, $json, \%c);
}

my ($r0) = ready();
is $r0->code, 200, 'ready before: 200';
my $m0 = scrape();

system(@pg, '-m', 'fast', 'stop') == 0 or BAIL_OUT("pg_ctl stop failed: $?");
my $ok = eval {
    scenario 'database stopped: 503, database DOWN, the others UP; liveness UP' => sub {
        # every child must find out by itself: ask a few times
        my ($res, $json, $c);
        for (1 .. 6) { ($res, $json, $c) = ready() }
        is $res->code, 503, 'status 503';
        check_json($res, 'ready');
        is $json->{status}, 'DOWN', 'status DOWN';
        is $c->{database}{status}, 'DOWN', 'database DOWN';
        is $c->{database}{detail}, 'unreachable', 'database: unreachable';
        is $c->{'jwt-key'}{status}, 'UP', 'jwt-key UP';
        is $c->{storage}{status}, 'UP', 'storage UP';
        my ($live, $lj) = json_request(GET => '/health/live');
        is $live->code, 200, 'liveness: 200';
        is_deeply $lj, { status => 'UP' }, 'liveness: UP';
        my $m = scrape();
        is scalar(families($m, 'devplat_reviews_pending')), 0, 'no pending-review gauge meanwhile';
        ok delta($m0, $m, 'devplat_db_errors_total', kind => 'statement')
           + delta($m0, $m, 'devplat_db_errors_total', kind => 'connection') >= 1,
           'database errors were counted';
        my ($rc, $out) = promtool($m->{text});
        is $rc, 0, 'promtool accepts the metrics during the outage' or diag $out;
    };
    1;
};
system(@start) == 0 or BAIL_OUT("pg_ctl start failed: $?");
die $@ unless $ok;

scenario 'database back: ready again by itself, reconnects counted' => sub {
    my $t0 = time;
    my ($res);
    # up to a few seconds: each child retries with back-off (at most 0.5 s)
    for (1 .. 100) {
        my $all = 1;
        for (1 .. 6) { ($res) = ready(); $all = 0 unless $res->code == 200 }
        last if $all;
        sleep 0.1;
    }
    is $res->code, 200, sprintf('ready: 200 again (%.1f s after the start)', time - $t0);
    my $m = scrape();
    ok delta($m0, $m, 'devplat_db_reconnects_total') >= 1,
        'devplat_db_reconnects_total grew (' . delta($m0, $m, 'devplat_db_reconnects_total') . ')';
    ok scalar(families($m, 'devplat_reviews_pending')) > 0, 'the pending-review gauges are back';
};

done_testing;
