# GET /api/me, and every way a token can be wrong.
use strict;
use warnings;
use utf8;
use Test::More;
use Digest::SHA ();
use Devplat::Test;

client_net(15);

sub me { json_request(GET => '/api/me', undef, @_) }

my $u = eval { register_user() };
my $token = $u ? eval { login($u->{username}, $u->{password}) } : undef;
my $claims = $token ? jwt_claims($token) : {};
my $now = time;

scenario 'GET /api/me' => sub {
    die "no user/token to test with\n" unless $token;
    my ($res, $json) = me(auth($token));
    check_ok($res, 'me');
    check_user($res, ['data'], 'me', id => $u->{id}, username => $u->{username}, avatar => $u->{data}{avatar},
               level => 1, integral => 100, created_at => $u->{data}{created_at});
};

scenario 'a hand-made token with the right key and a real jti works (control)' => sub {
    die "no token\n" unless $token;
    my $forged = jwt_forge({ %$claims });
    check_ok(scalar me(auth($forged)), 'same claims, signed by the test');
};

my %bad_header = (
    'no Authorization header'  => [],
    'Basic credentials'        => ['Authorization' => 'Basic dXNlcjpwYXNzd29yZA=='],
    'Bearer with nothing'      => ['Authorization' => 'Bearer'],
    'Bearer and a space'       => ['Authorization' => 'Bearer '],
    'token without Bearer'     => ['Authorization' => $token // 'x'],
    'two-part token'           => ['Authorization' => 'Bearer ' . join('.', (split /\./, $token // 'a.b.c')[0, 1])],
    'four-part token'          => ['Authorization' => 'Bearer ' . ($token // 'a.b.c') . '.xyz'],
    'not base64'               => ['Authorization' => 'Bearer !!!.@@@.###'],
    'garbage'                  => ['Authorization' => 'Bearer ' . ('A' x 5000)],
    'empty parts'              => ['Authorization' => 'Bearer ..'],
    'header not JSON'          => ['Authorization' => 'Bearer ' . b64url('not json') . '.' . b64url('{}') . '.' . b64url('x')],
);

scenario 'malformed Authorization headers: 401 令牌认证失败' => sub {
    for my $what (sort keys %bad_header) {
        check_401(scalar me(@{ $bad_header{$what} }), $what);
    }
};

scenario 'tampered tokens: 401' => sub {
    die "no token\n" unless $token;
    my ($h, $p, $s) = split /\./, $token;
    my $flip = substr($s, 0, -2) . (substr($s, -2, 1) eq 'A' ? 'B' : 'A') . substr($s, -1);
    check_401(scalar me(auth("$h.$p.$flip")), 'signature changed');
    check_401(scalar me(auth("$h.$p.")), 'signature removed');
    my $other = register_user();
    my $p2 = b64url(JSON::PP->new->canonical->encode({ %$claims, sub => "$other->{id}" }));
    check_401(scalar me(auth("$h.$p2.$s")), 'payload changed (sub), old signature');
    check_401(scalar me(auth(lc $token)), 'lower-cased token');
};

scenario 'forged tokens: 401' => sub {
    die "no token\n" unless $token;
    my %c = %$claims;
    my $json = JSON::PP->new->canonical;
    my %forged = (
        'alg none'                  => b64url($json->encode({ alg => 'none', typ => 'JWT' })) . '.' . b64url($json->encode(\%c)) . '.',
        'alg None, signed'          => jwt_forge(\%c, alg => 'None', sign_alg => 'HS256'),
        'HS512 with the right key'  => jwt_forge(\%c, alg => 'HS512'),
        'HS384 with the right key'  => jwt_forge(\%c, alg => 'HS384'),
        'RS256 header, HMAC signed' => jwt_forge(\%c, alg => 'RS256', sign_alg => 'HS256'),
        'no alg'                    => do { my $t = jwt_forge(\%c); my (undef, $p, $s) = split /\./, $t;
                                            b64url($json->encode({ typ => 'JWT' })) . ".$p.$s" },
        'wrong key'                 => jwt_forge(\%c, key => 'k' x 48),
        'empty key'                 => jwt_forge(\%c, key => ''),
        'expired'                   => jwt_forge({ %c, iat => $now - 9000, nbf => $now - 9000, exp => $now - 1800 }),
        'nbf in the future'         => jwt_forge({ %c, nbf => $now + 3600 }),
        'unknown jti'               => jwt_forge({ %c, jti => 'f' x 32 }),
        'no jti'                    => do { my %d = %c; delete $d{jti}; jwt_forge(\%d) },
        'no exp'                    => do { my %d = %c; delete $d{exp}; jwt_forge(\%d) },
        'no sub'                    => do { my %d = %c; delete $d{sub}; jwt_forge(\%d) },
        'another sub, real jti'     => jwt_forge({ %c, sub => '' . (("$c{sub}" || 0) + 1) }),
        'jti with SQL'              => jwt_forge({ %c, jti => q{' OR '1'='1} }),
    );
    for my $what (sort keys %forged) {
        check_401(scalar me(auth($forged{$what})), $what);
    }
    # RS256 with the key bytes as an "RSA public key" is the classic confusion;
    # Crypt::JWT can sign none and HS512 too: cross-check with it
    require Crypt::JWT;
    my $none = eval { Crypt::JWT::encode_jwt(payload => \%c, alg => 'none', allow_none => 1) };
    check_401(scalar me(auth($none)), 'alg none (Crypt::JWT)') if $none;
    my $hs512 = Crypt::JWT::encode_jwt(payload => \%c, alg => 'HS512', key => jwt_key());
    check_401(scalar me(auth($hs512)), 'HS512 (Crypt::JWT)');
    my $hs256 = Crypt::JWT::encode_jwt(payload => \%c, alg => 'HS256', key => jwt_key());
    check_ok(scalar me(auth($hs256)), 'HS256 with the right key (Crypt::JWT) works');
};

scenario 'revoked and disabled: 401' => sub {
    my $v = register_user();
    my $t = login($v->{username}, $v->{password});
    check_ok(scalar me(auth($t)), 'works before');
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($t)), 'logout');
    check_401(scalar me(auth($t)), 'after logout');

    my $w = register_user();
    my $t2 = login($w->{username}, $w->{password});
    db("UPDATE users SET status = 5 WHERE id = $w->{id}");
    check_401(scalar me(auth($t2)), 'deleted user (status 5)');

    my $x = register_user();
    my $t3 = login($x->{username}, $x->{password});
    db("UPDATE users SET status = 1 WHERE id = $x->{id}");
    check_401(scalar me(auth($t3)), 'frozen user (status 1)');

    my $y = register_user();
    my $t4 = login($y->{username}, $y->{password});
    my $jti = jwt_claims($t4)->{jti};
    db('DELETE FROM sessions WHERE jti = ' . sql_quote($jti));
    check_401(scalar me(auth($t4)), 'session row gone');

    my $z = register_user();
    my $t5 = login($z->{username}, $z->{password});
    db('UPDATE sessions SET expires_at = 0 WHERE jti = ' . sql_quote(jwt_claims($t5)->{jti}));
    check_401(scalar me(auth($t5)), 'session expired in the database');
};

scenario 'the token is read only from Authorization' => sub {
    die "no token\n" unless $token;
    check_401(scalar json_request(GET => "/api/me?token=$token"), '?token= is not the developer face');
    check_401(scalar me('Cookie' => "token=$token"), 'cookie');
};

done_testing;
