# SetHandler devplat-health (liveness) and devplat-ready (readiness): the
# answers of a healthy server field by field, the methods they take, and
# what they never show (paths, the key, database parameters).
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Devplat::Test;

client_net(72);

my $JSON = JSON::PP->new->canonical;

sub get { my ($path, %h) = @_; json_request(GET => $path, undef, %h) }

scenario 'liveness: {"status":"UP"}, 200, JSON, never cached' => sub {
    my ($res, $json) = get('/health/live');
    is $res->code, 200, 'status 200';
    check_json($res, 'health');
    is_deeply $json, { status => 'UP' }, 'the body is exactly {"status":"UP"}';
    is jtype($res, 'status'), 'string', 'status is a string';
    is $res->header('Cache-Control'), 'no-store', 'Cache-Control: no-store';
    is $res->header('X-Content-Type-Options'), 'nosniff', 'nosniff';
};

scenario 'readiness of a healthy server: UP, 200, three checks UP' => sub {
    my ($res, $json) = get('/health/ready');
    is $res->code, 200, 'status 200';
    check_json($res, 'ready');
    is $res->header('Cache-Control'), 'no-store', 'Cache-Control: no-store';
    is jtype($res, 'status'), 'string', 'status is a string';
    is $json->{status}, 'UP', 'status UP';
    is jtype($res, 'checks'), 'array', 'checks is an array';
    is_deeply [sort keys %$json], [qw(checks status)], 'nothing but status and checks';
    is_deeply [map { $_->{name} } @{ $json->{checks} }], [qw(database jwt-key storage)],
        'the checks: database, jwt-key, storage, in that order';
    for my $i (0 .. $#{ $json->{checks} }) {
        my $c = $json->{checks}[$i];
        is_deeply [sort keys %$c], [qw(detail name status)], "$c->{name}: name, status, detail";
        is jtype($res, 'checks', $i, $_), 'string', "$c->{name}: $_ is a string" for qw(name status detail);
        is $c->{status}, 'UP', "$c->{name}: UP";
        ok length $c->{detail}, "$c->{name}: a detail";
    }
    my %detail = map { $_->{name} => $_->{detail} } @{ $json->{checks} };
    is $detail{database}, 'a query was answered', 'database: a query was answered';
    is $detail{'jwt-key'}, 'readable', 'jwt-key: readable';
    is $detail{storage}, 'writable', 'storage: writable';
    is scalar(grep { /^\.upload-ready-/ } map { s{.*/}{}r } glob(storage_dir() . '/.upload-ready-*')), 0,
        'the storage probe leaves no file behind';
};

scenario 'HEAD answers as GET without a body; other methods 405 with Allow' => sub {
    for my $path ('/health/live', '/health/ready') {
        my ($res) = json_request(HEAD => $path);
        is $res->code, 200, "HEAD $path: 200";
        is $res->content, '', "HEAD $path: no body";
        for my $m (qw(POST PUT DELETE)) {
            my ($r, $j) = json_request($m => $path, {});
            is $r->code, 405, "$m $path: 405";
            is $r->header('Allow'), 'GET, HEAD', "$m $path: Allow: GET, HEAD";
            is_deeply $j, { error => 'method not allowed' }, "$m $path: a JSON body that says so";
        }
    }
};

scenario 'nothing secret in the answers' => sub {
    my $key = jwt_key();
    my ($driver, $params) = dbd_params();
    for my $path ('/health/live', '/health/ready') {
        my ($res) = get($path);
        my $body = $res->content;
        unlike $body, qr/\Q$_\E/, "$path does not show $_"
            for grep { length } (jwt_key_path(), storage_dir(), Apache::Test::vars('serverroot'), $params);
        ok index($body, $key) < 0, "$path does not show the key";
        ok index($body, unpack('H*', $key)) < 0, "$path does not show the key in hex";
        ok index($body, b64url($key)) < 0, "$path does not show the key in base64url";
    }
};

scenario 'a query string or a path below the location changes nothing' => sub {
    my ($r1, $j1) = get('/health/live/anything?verbose=1');
    is $r1->code, 200, 'below /health/live: 200';
    is_deeply $j1, { status => 'UP' }, 'the same body';
    my ($r2, $j2) = get('/health/ready?full=1');
    is $r2->code, 200, 'ready with a query: 200';
    is scalar @{ $j2->{checks} }, 3, 'the same three checks';
};

done_testing;
