# Two httpd nodes on one database behave as one: scripts/run-tests.sh starts
# node B (DEVPLAT_NODE2_URL) with the configuration, key and storage of node
# A (the Apache::Test server). Every revocation is a database row, so B
# honours what A did on its very next request.
use strict;
use warnings;
use utf8;
use Test::More;
use Apache::TestRequest ();
use Devplat::Test;

client_net(70);

sub on_b { my ($m, $path, @rest) = @_; json_request($m => node_b_url($path), @rest) }

scenario 'a token from node A works on node B, and the other way round' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    my ($res, $json) = on_b(GET => '/api/me', undef, auth($t));
    check_ok($res, 'B: /api/me with A\'s token');
    is $json->{data}{id}, $u->{id}, 'B sees the same user';
    my ($r2, $j2) = on_b(POST => '/api/login', { username => $u->{username}, password => $u->{password} });
    check_ok($r2, 'B: login');
    check_ok(scalar json_request(GET => '/api/me', undef, auth($j2->{data}{token_info}{access_token})),
             'A: /api/me with B\'s token');
};

scenario 'logout on A is honoured by B at once' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    check_ok(scalar on_b(GET => '/api/me', undef, auth($t)), 'B accepts the token');
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($t)), 'A: logout');
    check_401(scalar on_b(GET => '/api/me', undef, auth($t)), 'B: the token is dead');
};

scenario 'refresh on A: grace and rotation seen the same on B' => sub {
    my $u = register_user();
    my $old = login($u->{username}, $u->{password});
    my ($res, $json) = json_request(PUT => '/api/refresh', undef, auth($old));
    check_ok($res, 'A: refresh');
    my $new = $json->{data}{token_info}{access_token};
    check_ok(scalar on_b(GET => '/api/me', undef, auth($old)), 'B: the old token inside the grace');
    my ($r2, $j2) = on_b(PUT => '/api/refresh', undef, auth($old));
    check_ok($r2, 'B: refresh with the old token inside the grace');
    is $j2->{data}{token_info}{access_token}, $new, 'B answers the very token A rotated to';
    sleep 3;    # DevplatRefreshGrace 2 in the test configuration
    check_401(scalar on_b(GET => '/api/me', undef, auth($old)), 'B: the old token after the grace');
    check_ok(scalar on_b(GET => '/api/me', undef, auth($new)), 'B: the new token');
};

scenario 'password change and freezing end the sessions everywhere' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    my ($rc, $out) = admin_tool("NewPassw0rd\n", 'passwd', $u->{username});
    is $rc, 0, 'devplat-admin passwd' or diag $out;
    check_401(scalar on_b(GET => '/api/me', undef, auth($t)), 'B: token after the password change');
    check_401(scalar json_request(GET => '/api/me', undef, auth($t)), 'A: token after the password change');

    my $t2 = login($u->{username}, 'NewPassw0rd');
    check_ok(scalar on_b(GET => '/api/me', undef, auth($t2)), 'B: a token of the new password');
    ($rc, $out) = admin_tool('', 'freeze', $u->{username});
    is $rc, 0, 'devplat-admin freeze' or diag $out;
    check_401(scalar on_b(GET => '/api/me', undef, auth($t2)), 'B: a frozen user\'s token');
    my ($res) = on_b(POST => '/api/login', { username => $u->{username}, password => 'NewPassw0rd' });
    check_error($res, 500, name => 'B: a frozen user cannot log in');
    ($rc, $out) = admin_tool('', 'unfreeze', $u->{username});
    is $rc, 0, 'devplat-admin unfreeze' or diag $out;
    check_ok(scalar on_b(GET => '/api/me', undef, auth($t2)), 'B: the token works again once unfrozen');
};

scenario 'code cooldown counts across nodes' => sub {
    my $m = unique_mobile();
    request_code($m);
    my ($res) = on_b(GET => "/api/register-sms?mobile=$m", undef, 'X-Forwarded-For' => code_ip());
    check_error($res, 429, name => 'B: a second code inside A\'s cooldown');
    ok $res->header('Retry-After') > 0, 'with Retry-After';
};

scenario 'login throttle counts failures on both nodes' => sub {
    my $u = register_user();
    my %bad = (username => $u->{username}, password => 'wrong-password');
    for my $i (1 .. 5) {
        my ($res) = $i % 2 ? json_request(POST => '/api/login', \%bad)
                           : on_b(POST => '/api/login', \%bad);
        check_error($res, 500, name => "failure $i on " . ($i % 2 ? 'A' : 'B'));
    }
    my ($res) = on_b(POST => '/api/login', { username => $u->{username}, password => $u->{password} });
    check_error($res, 429, name => 'B: locked after five failures split across A and B');
    ($res) = json_request(POST => '/api/login', { username => $u->{username}, password => $u->{password} });
    check_error($res, 429, name => 'A: locked as well');
};

scenario 'one username registered in parallel on both nodes wins exactly once' => sub {
    my $name = unique_name();
    my @req = map { my $m = unique_mobile(); { mobile => $m, code => request_code($m) } } 1 .. 6;
    my @got = parallel(6, sub {
        my $i = shift;
        my $body = { username => $name, mobile => $req[$i]{mobile}, password => 'Passw0rd!',
                     verification_code => $req[$i]{code} };
        my ($res) = $i % 2 ? on_b(POST => '/api/register', $body)
                           : json_request(POST => '/api/register', $body);
        return $res->code;
    });
    is scalar(grep { defined && $_ eq '200' } @got), 1, 'exactly one 200' or diag "got: @got";
    is scalar(grep { defined && $_ eq '422' } @got), 5, 'five 422' or diag "got: @got";
    is db_value('SELECT count(*) FROM users WHERE username = ' . sql_quote($name)), 1, 'one users row';
};

scenario 'a file uploaded through node A is served by node B' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    my $path = upload_picture($t, 'avatar');
    like $path, qr{^/storage/avatar/[0-9a-f]{32}\.png$}, 'A stored the avatar';
    my $res = Apache::TestRequest::user_agent(reset => 1)->get(node_b_url($path));
    is $res->code, 200, 'B serves it';
    is $res->header('Content-Type'), 'image/png', 'as image/png';
    is $res->header('X-Content-Type-Options'), 'nosniff', 'with nosniff';
    is $res->content, image_bytes('png'), 'the very bytes uploaded';
};

done_testing;
