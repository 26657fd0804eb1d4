# The counters are one set for the whole server, in shared memory: requests
# served by children that have exited since are still counted (a node whose
# children each serve two connections, so a dozen requests pass through at
# least six processes), a graceful restart keeps them, and each node of a
# cluster counts its own requests (Prometheus adds the nodes up) while the
# pending reviews, read from the shared database, are the same on every node.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(sleep);
use Devplat::Test;
use Devplat::Node;
use Devplat::Metrics;

client_net(75);

sub me_401 { my ($m) = @_;
    sample($m, 'devplat_http_requests_total', face => 'developer', method => 'GET', route => 'me',
           status => 401) }

my $node = start_node('ops_children', more => "MaxConnectionsPerChild 2\nStartServers 2\n");
my $url = $node->{url};

sub resumed { scalar(() = node_log($node) =~ /resuming normal operations/g) }

scenario 'children that served two connections each: every request counted' => sub {
    my $m0 = scrape("$url/metrics");
    my $n = 12;
    my @codes = map { (json_request(GET => "$url/api/me", undef, Connection => 'close'))[0]->code } 1 .. $n;
    is scalar(grep { $_ == 401 } @codes), $n, "$n requests answered 401";
    my $m1 = scrape("$url/metrics");
    is me_401($m1) - me_401($m0), $n, "developer GET me 401: +$n across the children";
    is sample($m1, 'devplat_http_request_duration_seconds_count', face => 'developer')
       - sample($m0, 'devplat_http_request_duration_seconds_count', face => 'developer'), $n,
       "the latency histogram: +$n";
    is sample($m1, 'devplat_metrics_start_time_seconds'), sample($m0, 'devplat_metrics_start_time_seconds'),
        'the same counters (start time unchanged)';
};

scenario 'a graceful restart keeps the counters' => sub {
    json_request(GET => "$url/api/me", undef, Connection => 'close') for 1 .. 3;
    my $m0 = scrape("$url/metrics");
    ok me_401($m0) >= 3, 'some requests were counted before';
    my $before = resumed();
    kill 'USR1', $node->{pid} or die "USR1: $!";
    for (1 .. 100) {
        last if resumed() > $before;
        sleep 0.1;
    }
    ok resumed() > $before, 'the node restarted gracefully';
    my $live;
    for (1 .. 50) {
        ($live) = json_request(GET => "$url/health/live");
        last if $live->code == 200;
        sleep 0.1;
    }
    is $live->code, 200, 'it answers after the restart';
    my $m1 = scrape("$url/metrics");
    is sample($m1, 'devplat_metrics_start_time_seconds'), sample($m0, 'devplat_metrics_start_time_seconds'),
        'the start time is the one from before the restart';
    is me_401($m1), me_401($m0), 'developer GET me 401: the count from before the restart';
    is sample($m1, 'devplat_http_request_duration_seconds_count', face => 'developer'),
       sample($m0, 'devplat_http_request_duration_seconds_count', face => 'developer'),
       'the latency histogram: the count from before the restart';
    json_request(GET => "$url/api/me", undef, Connection => 'close') for 1 .. 2;
    my $m2 = scrape("$url/metrics");
    is me_401($m2) - me_401($m1), 2, 'and it goes on counting: +2';
    like node_log($node), qr/SIGUSR1 received/, 'it was a graceful restart (SIGUSR1)';
    unlike node_log($node), qr/devplat-metrics: the counters' layout changed/,
        'the segment was reused, not made anew';
    my ($rc, $out) = promtool($m2->{text});
    is $rc, 0, 'promtool accepts the metrics after the restart' or diag $out;
};
stop_node($node);

scenario 'two nodes: each counts its own requests; pending reviews agree' => sub {
    my $b = node_b_url('');
    my $a0 = scrape();
    my $b0 = scrape("$b/metrics");
    json_request(GET => "$b/api/me") for 1 .. 4;
    json_request(GET => '/api/me') for 1 .. 1;
    my $a1 = scrape();
    my $b1 = scrape("$b/metrics");
    is me_401($b1) - me_401($b0), 4, 'node B: +4';
    is me_401($a1) - me_401($a0), 1, 'node A: +1';
    for my $k (map { $_->[0]{kind} } families($a1, 'devplat_reviews_pending')) {
        is sample($b1, 'devplat_reviews_pending', kind => $k), sample($a1, 'devplat_reviews_pending', kind => $k),
            "pending $k: the same on both nodes";
    }
};

done_testing;
