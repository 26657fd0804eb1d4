# PUT /api/refresh: rotation with a grace period (DevplatRefreshGrace 2).
use strict;
use warnings;
use utf8;
use Test::More;
use Crypt::JWT qw(decode_jwt);
use Devplat::Test;

client_net(17);

sub refresh { json_request(PUT => '/api/refresh', undef, @_) }
sub me      { json_request(GET => '/api/me', undef, @_) }

scenario 'refresh rotates the token; grace; then the old one dies' => sub {
    my $u = register_user();
    my $old = login($u->{username}, $u->{password});
    my $oc = jwt_claims($old);
    sleep 1;    # so iat differs from the login's
    my ($res, $json) = refresh(auth($old));
    check_ok($res, 'refresh');
    my $ti = check_token_info($res, 'refresh');
    check_user($res, [qw(data user_info)], 'refresh', id => $u->{id}, username => $u->{username});
    my $new = $ti->{access_token} // '';
    isnt $new, $old, 'a new token';
    my $c = eval { decode_jwt(token => $new, key => jwt_key(), accepted_alg => 'HS256') } || {};
    ok %$c, 'the new token verifies with Crypt::JWT';
    isnt $c->{jti}, $oc->{jti}, 'a new jti';
    is $c->{sub}, $oc->{sub}, 'same sub';
    is $c->{exp}, ($c->{iat} // 0) + 7200, 'exp = iat + 7200';
    ok(($c->{iat} // 0) > ($oc->{iat} // 0), 'iat moved on');

    check_ok(scalar me(auth($new)), 'the new token works');
    check_ok(scalar me(auth($old)), 'the old token works inside the grace');
    my ($r2, $j2) = refresh(auth($old));
    check_ok($r2, 'refresh again with the old token inside the grace');
    is eval { $j2->{data}{token_info}{access_token} }, $new, 'the same new token comes back';

    sleep 3;
    check_401(scalar me(auth($old)), 'the old token after the grace');
    check_401(scalar refresh(auth($old)), 'refresh with the old token after the grace');
    check_ok(scalar me(auth($new)), 'the new token still works');

    my ($r3, $j3) = refresh(auth($new));
    check_ok($r3, 'the new token can be refreshed in turn');
    isnt eval { $j3->{data}{token_info}{access_token} }, $new, 'yet another token';
};

scenario 'refresh past the refresh TTL after login: 401' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    my $jti = jwt_claims($t)->{jti};
    db('UPDATE sessions SET login_at = login_at - 2000000 WHERE jti = ' . sql_quote($jti));
    check_401(scalar refresh(auth($t)), 'login older than DevplatRefreshTTL');
};

scenario 'the refresh ceiling follows the chain' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    my ($res, $json) = refresh(auth($t));
    check_ok($res, 'refresh');
    my $t2 = eval { $json->{data}{token_info}{access_token} } // '';
    my $jti2 = (jwt_claims($t2) || {})->{jti} // '';
    my $login_at = db_value('SELECT login_at FROM sessions WHERE jti = ' . sql_quote(jwt_claims($t)->{jti}));
    is db_value('SELECT login_at FROM sessions WHERE jti = ' . sql_quote($jti2)), $login_at,
        'the new session keeps the original login time';
    db('UPDATE sessions SET login_at = login_at - 2000000 WHERE jti = ' . sql_quote($jti2));
    check_401(scalar refresh(auth($t2)), 'refreshed token whose login is too old');
};

scenario 'refresh without a valid token: 401' => sub {
    check_401(scalar refresh(), 'no header');
    check_401(scalar refresh(Authorization => 'Bearer x.y.z'), 'garbage');
    check_401(scalar refresh(auth(jwt_forge({ sub => '1', iat => time, nbf => time, exp => time + 60, jti => 'b' x 32 }))),
              'unknown jti');
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    db("UPDATE users SET status = 1 WHERE id = $u->{id}");
    check_401(scalar refresh(auth($t)), 'frozen user');
};

scenario 'logout of the new token inside the grace' => sub {
    my $u = register_user();
    my $old = login($u->{username}, $u->{password});
    my ($res, $json) = refresh(auth($old));
    my $new = eval { $json->{data}{token_info}{access_token} } // '';
    check_ok(scalar me(auth($old)), 'the old token works inside the grace');
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($new)), 'logout with the new token');
    check_401(scalar me(auth($new)), 'new token dead');
    check_401(scalar me(auth($old)), 'its refresh predecessor is dead too, inside the grace');
    check_401(scalar refresh(auth($old)), 'and cannot refresh');
};

scenario 'logout ends a chain of rotations inside the grace' => sub {
    my $u = register_user();
    my @t = (login($u->{username}, $u->{password}));
    for (1 .. 2) {
        my (undef, $json) = refresh(auth($t[-1]));
        push @t, eval { $json->{data}{token_info}{access_token} } // '';
    }
    my $other = login($u->{username}, $u->{password});
    check_ok(scalar me(auth($t[0])), 'the first token still works inside the grace');
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($t[-1])), 'logout with the newest');
    check_401(scalar me(auth($_)), 'every token of the chain is dead') for @t;
    check_ok(scalar me(auth($other)), 'another login of the user is untouched');
};

done_testing;
