# DELETE /api/logout
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(16);

sub logout { json_request(DELETE => '/api/logout', undef, @_) }
sub me     { json_request(GET => '/api/me', undef, @_) }

scenario 'logout: 200 with data ""; the token is dead' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    my ($res, $json) = logout(auth($t));
    check_ok($res, 'logout');
    is jtype($res, 'data'), 'string', 'data is a string';
    is_deeply $json, { status_code => 200, message => MSG_OK, data => '' },
        'exactly {"status_code":200,"message":"操作成功","data":""}';
    check_401(scalar me(auth($t)), '/api/me after logout');
    check_401(scalar logout(auth($t)), 'second logout');
    check_401(scalar json_request(PUT => '/api/refresh', undef, auth($t)), 'refresh after logout');

    my $jti = jwt_claims($t)->{jti};
    ok defined db_value('SELECT revoked_at FROM sessions WHERE jti = ' . sql_quote($jti))
        || !db_value('SELECT count(*) FROM sessions WHERE jti = ' . sql_quote($jti)),
        'session revoked (or removed) in the database';
    ok db_value("SELECT count(*) FROM audit_log WHERE user_id = $u->{id} AND action = 'logout'") >= 1, 'logout audited';
};

scenario 'logout ends only that session' => sub {
    my $u = register_user();
    my $a = login($u->{username}, $u->{password});
    my $b = login($u->{username}, $u->{password});
    check_ok(scalar logout(auth($a)), 'logout a');
    check_401(scalar me(auth($a)), 'a is dead');
    check_ok(scalar me(auth($b)), 'b still works');
    check_ok(scalar logout(auth($b)), 'logout b');
};

scenario 'logout without a valid token: 401' => sub {
    check_401(scalar logout(), 'no header');
    check_401(scalar logout(Authorization => 'Bearer nonsense'), 'nonsense token');
    check_401(scalar logout(auth(jwt_forge({ sub => '1', iat => time, nbf => time, exp => time + 60, jti => 'a' x 32 }))),
              'unknown jti');
};

scenario 'logout ignores a request body' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    my ($res) = json_request(DELETE => '/api/logout', { anything => 1 }, auth($t));
    check_ok($res, 'logout with a JSON body');
    check_401(scalar me(auth($t)), 'dead');
};

done_testing;
