# devplat-ready answers 503 DOWN, naming the check that failed, when the
# storage directory is not writable, the key file not readable, or the
# database gone; it comes back UP when they are fixed, without a restart.
# Liveness stays UP throughout (it touches none of them). Each case runs on
# a node of its own (Devplat::Node) so the suite's server is never harmed.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Copy ();
use File::Path ();
use Devplat::Test;
use Devplat::Node;
use Devplat::Metrics;

client_net(73);

sub ready_at {
    my ($node) = @_;
    my ($res, $json) = json_request(GET => "$node->{url}/health/ready");
    my %c = map { $_->{name} => $_ } @{ ref $json eq 'HASH' ? $json->{checks} // [] : [] };
    return ($res, $json, \%c);
}

# The suite's key and storage, copied where only this node looks.
my $dir = Apache::Test::vars('t_logs') . '/ops_ready_files';
File::Path::remove_tree($dir);
File::Path::make_path("$dir/storage");
File::Copy::copy(jwt_key_path(), "$dir/jwt.key") or die "copy key: $!";
chmod 0600, "$dir/jwt.key";

my $node = start_node('ops_ready', edit => sub {
    s{^DevplatJwtSecretFile .*$}{DevplatJwtSecretFile "$dir/jwt.key"}m or die 'no DevplatJwtSecretFile';
    s{^DevplatStorageDir .*$}{DevplatStorageDir "$dir/storage"}m or die 'no DevplatStorageDir';
});

scenario 'the node starts UP' => sub {
    my ($res, $json, $c) = ready_at($node);
    is $res->code, 200, 'status 200';
    is $json->{status}, 'UP', 'UP';
    is $c->{$_}{status}, 'UP', "$_ UP" for qw(database jwt-key storage);
};

scenario 'storage not writable: 503, storage DOWN, the others UP' => sub {
    chmod 0555, "$dir/storage" or die "chmod: $!";
    my ($res, $json, $c) = ready_at($node);
    chmod 0755, "$dir/storage";
    is $res->code, 503, 'status 503';
    check_json($res, 'ready');
    is $json->{status}, 'DOWN', 'status DOWN';
    is $c->{storage}{status}, 'DOWN', 'storage DOWN';
    is $c->{storage}{detail}, 'not writable: Permission denied', 'the reason, without the path';
    is $c->{database}{status}, 'UP', 'database still UP';
    is $c->{'jwt-key'}{status}, 'UP', 'jwt-key still UP';
    unlike $res->content, qr/\Q$dir\E/, 'no path in the answer';
    my ($r2, $j2) = json_request(GET => "$node->{url}/health/live");
    is $r2->code, 200, 'liveness: 200 meanwhile';
    my ($r3, $j3, $c3) = ready_at($node);
    is $r3->code, 200, 'writable again: 200';
    is $c3->{storage}{status}, 'UP', 'storage UP again';
};

scenario 'key file not readable: 503, jwt-key DOWN' => sub {
    chmod 0000, "$dir/jwt.key" or die "chmod: $!";
    my ($res, $json, $c) = ready_at($node);
    chmod 0600, "$dir/jwt.key";
    is $res->code, 503, 'status 503';
    is $json->{status}, 'DOWN', 'status DOWN';
    is $c->{'jwt-key'}{status}, 'DOWN', 'jwt-key DOWN';
    is $c->{'jwt-key'}{detail}, 'not readable: Permission denied', 'the reason, without the path';
    is $c->{storage}{status}, 'UP', 'storage UP';
    unlike $res->content, qr/jwt\.key|\Q$dir\E/, 'no path in the answer';

    rename "$dir/jwt.key", "$dir/jwt.key.away" or die "rename: $!";
    my ($r2, $j2, $c2) = ready_at($node);
    rename "$dir/jwt.key.away", "$dir/jwt.key";
    is $r2->code, 503, 'key file gone: 503';
    is $c2->{'jwt-key'}{detail}, 'not readable: No such file or directory', 'the reason';

    my ($r3) = ready_at($node);
    is $r3->code, 200, 'readable again: 200';
};
stop_node($node);

# A node whose database is gone: a database that does not exist (SQLite: a
# file in a directory that does not exist).
my $gone = start_node('ops_db_gone', engine_edit => sub {
    if (engine() eq 'sqlite') {
        s{^DBDParams .*$}{DBDParams "$dir/no-such-dir/devplat.db"}m or die 'no DBDParams';
    }
    else {
        s{dbname=devplat\b}{dbname=devplat_gone}m or die 'no dbname';
    }
});

scenario 'database gone: 503, database DOWN; liveness UP' => sub {
    my $m0 = scrape("$gone->{url}/metrics");
    my ($res, $json, $c) = ready_at($gone);
    is $res->code, 503, 'status 503';
    check_json($res, 'ready');
    is $json->{status}, 'DOWN', 'status DOWN';
    is $c->{database}{status}, 'DOWN', 'database DOWN';
    is $c->{database}{detail}, 'unreachable', 'database: unreachable';
    is $c->{'jwt-key'}{status}, 'UP', 'jwt-key UP';
    is $c->{storage}{status}, 'UP', 'storage UP';
    my ($driver, $params) = dbd_params();
    unlike $res->content, qr/devplat_gone|no-such-dir|\Q$dir\E/, 'no database parameter in the answer';

    my ($live, $lj) = json_request(GET => "$gone->{url}/health/live");
    is $live->code, 200, 'liveness: 200';
    is_deeply $lj, { status => 'UP' }, 'liveness: UP';

    my ($api) = json_request(GET => "$gone->{url}/api/me", undef, auth('x.y.z'));
    ok $api->code == 503 || $api->code == 401, 'the API answers (' . $api->code . ')';

    my $m1 = scrape("$gone->{url}/metrics");
    ok delta($m0, $m1, 'devplat_db_errors_total', kind => 'connection') >= 1,
        'devplat_db_errors_total{kind="connection"} grew';
    is scalar(families($m1, 'devplat_reviews_pending')), 0,
        'no pending-review gauge when the database cannot say (no false 0)';
    my ($rc, $out) = promtool($m1->{text});
    is $rc, 0, 'promtool accepts the metrics of a node without its database' or diag $out;
};
stop_node($gone);

File::Path::remove_tree($dir);
done_testing;
