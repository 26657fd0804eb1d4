# AuthType devplat in front of a static directory (t/gateway/files): the
# API's tokens open it, anything else gets a 401 in the developer envelope
# with the RFC 6750 challenge; HEAD, the directory index (a sub-request and
# an internal redirect), the token cookie, %u in the access log, and the
# API faces behind the gateway.
use strict;
use warnings;
use utf8;
use Test::More;
use Apache::Test ();
use Devplat::Test;

client_net(181);

my $REALM = 'Bearer realm="devplat \"files\""';

# A 401 of the gateway: the envelope, the challenge, no caching.
sub check_gateway_401 {
    my ($res, $name, %o) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_error($res, 401, name => $name, message => MSG_TOKEN);
    is join(',', sort keys %$json), 'message,status_code', "$name: only status_code and message";
    my $want = $o{realm} // $REALM;
    $want .= ', error="invalid_token"' if $o{invalid};
    is $res->header('WWW-Authenticate'), $want, "$name: WWW-Authenticate $want";
    is $res->header('Cache-Control'), 'no-store', "$name: Cache-Control no-store";
    unlike $res->content, qr/protected file|gateway index/, "$name: nothing of the file";
}

sub get { my ($path, @h) = @_; return json_request(GET => $path, undef, @h) }

my $u = register_user();
my $token = login($u->{username}, $u->{password});

scenario 'a valid token opens the directory' => sub {
    my $res = get('/gw/files/secret.txt', auth($token));
    is $res->code, 200, 'HTTP 200';
    is $res->content, "a protected file\n", 'the file itself';
    like $res->header('Content-Type'), qr{^text/plain}, 'served as the file it is';
    is $res->header('WWW-Authenticate'), undef, 'no challenge';
};

scenario 'the directory index: a sub-request and an internal redirect' => sub {
    my $res = get('/gw/files/', auth($token));
    is $res->code, 200, 'HTTP 200';
    is $res->content, "gateway index\n", 'index.txt';
    check_gateway_401(scalar get('/gw/files/'), 'the index without a token');
};

scenario 'no token: 401 without an error code' => sub {
    check_gateway_401(scalar get('/gw/files/secret.txt'), 'no Authorization');
    check_gateway_401(scalar get('/gw/files/secret.txt', Authorization => 'Bearer'), 'Bearer and nothing');
    check_gateway_401(scalar get('/gw/files/secret.txt', Authorization => 'Bearer    '), 'Bearer and spaces');
    check_gateway_401(scalar get('/gw/files/secret.txt', Authorization => "Basic dTpw"), 'Basic credentials');
    check_gateway_401(scalar get('/gw/files/secret.txt', Authorization => "Bearer$token"),
                      'no space after Bearer');
};

scenario 'forged, expired and malformed tokens: 401 invalid_token' => sub {
    my $c = jwt_claims($token);
    my %bad = (
        'garbage'            => 'not.a.token',
        'one segment'        => 'abc',
        'wrong key'          => jwt_forge($c, key => 'k' x 48),
        'alg none'           => jwt_forge($c, alg => 'none'),
        'HS512 header'       => jwt_forge($c, alg => 'HS512'),
        'another sub'        => jwt_forge({ %$c, sub => '' . ($c->{sub} + 1) }),
        'unknown session'    => jwt_forge({ %$c, jti => 'f' x 32 }),
        'expired'            => jwt_forge({ %$c, iat => time - 7300, nbf => time - 7300, exp => time - 100 }),
        'not yet valid'      => jwt_forge({ %$c, nbf => time + 3600 }),
        'signature cut'      => substr($token, 0, -3),
        'SQL in the token'   => "x' OR '1'='1",
    );
    for my $name (sort keys %bad) {
        check_gateway_401(scalar get('/gw/files/secret.txt', auth($bad{$name})), $name, invalid => 1);
    }
    my ($res) = get('/gw/files/secret.txt', Authorization => "bearer $token");
    is $res->code, 200, 'the scheme is case-insensitive (RFC 7235)';
};

scenario 'HEAD: the same decision, no body' => sub {
    my $res = json_request(HEAD => '/gw/files/secret.txt', undef, auth($token));
    is $res->code, 200, 'HEAD with the token: 200';
    is $res->content, '', 'no body';
    $res = json_request(HEAD => '/gw/files/secret.txt');
    is $res->code, 401, 'HEAD without a token: 401';
    is $res->header('WWW-Authenticate'), $REALM, 'with the challenge';
    like $res->header('Content-Type'), qr{^application/json}, 'the type of the envelope';
    is $res->content, '', 'no body';
};

scenario 'r->user is the user id: %u in the access log' => sub {
    my $log = Apache::Test::vars('t_logs') . '/access_log';
    my $mark = "/gw/files/secret.txt?mark=$$" . time;
    my $res = get($mark, auth($token));
    is $res->code, 200, 'a marked request';
    my $line;
    for (1 .. 20) {     # the log line is written after the answer
        open my $fh, '<', $log or die "$log: $!";
        ($line) = grep { index($_, $mark) >= 0 } <$fh>;
        last if $line;
        select undef, undef, undef, 0.1;
    }
    like $line // '', qr/^\S+ \S+ \Q$u->{id}\E \[/, 'the access log names the user id';
};

scenario 'DevplatTokenCookie: the token from a cookie' => sub {
    my ($res, $json) = get('/gw/cookie', Cookie => "theme=dark; devplat_token=$token; lang=zh");
    is $res->code, 200, 'the cookie among others';
    is $json->{env}{REMOTE_USER}, "$u->{id}", 'REMOTE_USER is the user id';
    is $json->{env}{AUTH_TYPE}, 'devplat', 'AUTH_TYPE devplat';
    ($res) = get('/gw/cookie', Cookie => qq{devplat_token="$token"});
    is $res->code, 200, 'a quoted cookie value';
    ($res) = get('/gw/cookie', auth($token));
    is $res->code, 200, 'the Authorization header works there too';
    check_gateway_401(scalar get('/gw/cookie', Cookie => "xdevplat_token=$token; devplat_tokenx=$token"),
                      'only cookies of other names', realm => 'Bearer realm="devplat"');
    check_gateway_401(scalar get('/gw/cookie', Cookie => 'devplat_token='),
                      'an empty cookie', realm => 'Bearer realm="devplat"');
    check_gateway_401(scalar get('/gw/cookie', Cookie => 'devplat_token=forged.token.value'),
                      'a forged cookie', realm => 'Bearer realm="devplat"', invalid => 1);
    check_gateway_401(scalar get('/gw/files/secret.txt', Cookie => "devplat_token=$token"),
                      'no DevplatTokenCookie there: the cookie is not read');
    # the header wins over the cookie
    check_gateway_401(scalar get('/gw/cookie', auth('forged.token.value'), Cookie => "devplat_token=$token"),
                      'a bad header with a good cookie', realm => 'Bearer realm="devplat"', invalid => 1);
};

scenario 'the developer face behind AuthType devplat' => sub {
    my ($res, $json) = get('/gw/api/me', auth($token));
    check_ok($res, '/gw/api/me with the token');
    is $json->{data}{id}, $u->{id}, 'the API answers for the same user';
    check_gateway_401(scalar get('/gw/api/me'), '/gw/api/me without a token',
                      realm => 'Bearer realm="devplat"');
    ($res) = json_request(POST => '/gw/api/login', { username => $u->{username}, password => $u->{password} });
    check_gateway_401($res, 'the gateway guards even the API\'s login', realm => 'Bearer realm="devplat"');
};

scenario 'the mobile face behind it: its envelope, the gateway\'s status' => sub {
    my ($res, $json) = json_request(POST => '/gw/mobile/User/user_info', {});
    is $res->code, 401, 'HTTP 401';
    is $res->header('WWW-Authenticate'), 'Bearer realm="devplat"', 'the challenge';
    is_deeply [sort keys %$json], [qw(code data info state)], 'the mobile envelope';
    is $json->{code}, 999, 'code 999';
    is $json->{state}, 2, 'state 2';
    is $json->{info}, '用户未登录', 'info 用户未登录';
};

done_testing;
