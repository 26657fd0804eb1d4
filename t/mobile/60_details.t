# get_user_details?token=, exit_login?token=, and the token across faces.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(66);

my @FIELDS = qw(_id account currency integral portrait status uuid virtual_currency);

sub details { mget('get_user_details?token=' . $_[0], @_[1 .. $#_]) }

sub check_details {
    my ($res, $name, %want) = @_;
    my $json = check_mok($res, $name, info => '');
    is jtype($res, 'data'), 'object', "$name: data is an object";
    is join(',', sort keys %{ $json->{data} || {} }), join(',', sort @FIELDS), "$name: the documented fields";
    is jtype($res, 'data', $_), 'string', "$name: $_ is a string" for @FIELDS;
    is $json->{data}{$_}, $want{$_}, "$name: $_ = $want{$_}" for sort keys %want;
    return $json->{data};
}

scenario 'the details of a new mobile user' => sub {
    my $u = mregister(uuid => '12123412');
    check_details(scalar details($u->{token}), 'get_user_details',
                  _id => "$u->{id}", account => $u->{phone}, integral => '100', status => '2',
                  uuid => '12123412', portrait => '', currency => '', virtual_currency => '');
    check_details(scalar mget("get_user_details/token/$u->{token}"), 'token in the path', _id => "$u->{id}");
    check_details(scalar mget('get_user_details', auth($u->{token})), 'token in Authorization', _id => "$u->{id}");
};

scenario 'stored values show as strings' => sub {
    my $u = mregister();
    db("UPDATE users SET currency = 12, virtual_currency = 1230, avatar = 'image/ab/cd.png', status = 0 WHERE id = $u->{id}");
    db("INSERT INTO credit_records (user_id, amount, is_positive_growth, message, created_at, updated_at) "
       . "VALUES ($u->{id}, 30, 0, 'spent', '2026-01-01 00:00:00', '2026-01-01 00:00:00')");
    db("UPDATE users SET general_integral = general_integral - 30 WHERE id = $u->{id}");   # its total (058)
    check_details(scalar details($u->{token}), 'balances', currency => '12', virtual_currency => '12.30',
                  portrait => 'image/ab/cd.png', status => '0', integral => '70', uuid => '');
    db("UPDATE users SET currency = 0, virtual_currency = 5 WHERE id = $u->{id}");
    check_details(scalar details($u->{token}), 'zero and fen', currency => '0', virtual_currency => '0.05');
    for my $s (2, 3, 4) {
        db("UPDATE users SET status = $s WHERE id = $u->{id}");
        check_details(scalar details($u->{token}), "status $s", status => "$s");
    }
};

scenario 'a developer-face user, and one without a mobile number' => sub {
    my $d = register_user();
    my $t = login($d->{username}, $d->{password});
    check_details(scalar details($t), 'developer user', _id => "$d->{id}", account => $d->{mobile},
                  status => '0', integral => '100', uuid => '');
    db("UPDATE users SET mobile = NULL WHERE id = $d->{id}");
    check_details(scalar details($t), 'no mobile: the username is the account', account => $d->{username});
};

scenario 'no token, bad tokens: 999 用户未登录' => sub {
    my $u = mregister();
    my %c = %{ jwt_claims($u->{token}) || {} };
    my $now = time;
    my %bad = (
        'no token'             => 'get_user_details',
        'empty token'          => 'get_user_details?token=',
        'garbage'              => 'get_user_details?token=abc.def.ghi',
        'alg none'             => 'get_user_details?token=' . b64url('{"alg":"none","typ":"JWT"}') . '.'
                                  . b64url(JSON::PP->new->encode(\%c)) . '.',
        'wrong key'            => 'get_user_details?token=' . jwt_forge(\%c, key => 'k' x 48),
        'expired'              => 'get_user_details?token=' . jwt_forge({ %c, exp => $now - 60, iat => $now - 9000, nbf => $now - 9000 }),
        'unknown jti'          => 'get_user_details?token=' . jwt_forge({ %c, jti => 'e' x 32 }),
        'jti with SQL'         => 'get_user_details?token=' . jwt_forge({ %c, jti => q{' OR '1'='1} }),
        'another sub'          => 'get_user_details?token=' . jwt_forge({ %c, sub => '' . ($c{sub} + 1) }),
        'bad path token'       => 'get_user_details/token/not.a.token',
    );
    for my $what (sort keys %bad) {
        check_mfail(scalar mget($bad{$what}), 999, name => $what, info => '用户未登录');
    }
    my ($res) = mget('get_user_details');
    ok !defined $res->header('WWW-Authenticate'), 'no WWW-Authenticate on the HTTP 200 answer';
    check_details(scalar details(jwt_forge(\%c)), 'control: the same claims signed with the key', _id => "$u->{id}");
};

scenario 'frozen: 999; deleted: 1015 用户不存在' => sub {
    my $u = mregister();
    db("UPDATE users SET status = 1 WHERE id = $u->{id}");
    check_mfail(scalar details($u->{token}), 999, name => 'frozen account');
    check_mfail(scalar mget("exit_login?token=$u->{token}"), 999, name => 'frozen account logs out');
    db("UPDATE users SET status = 5 WHERE id = $u->{id}");
    check_mfail(scalar details($u->{token}), 1015, name => 'deleted account', info => '用户不存在');
    check_mfail(scalar mget("exit_login?token=$u->{token}"), 1015, name => 'deleted account logs out',
                info => '用户不存在');
    check_401(scalar json_request(GET => '/api/me', undef, auth($u->{token})), 'the developer face answers 401');
    # deleted the way the admin face deletes: status 5 and every session revoked
    my $v = mregister();
    db("UPDATE users SET status = 5 WHERE id = $v->{id}");
    db("UPDATE sessions SET revoked_at = 1 WHERE user_id = $v->{id}");
    check_mfail(scalar details($v->{token}), 1015, name => 'deleted and revoked', info => '用户不存在');
    check_mfail(scalar details('x' . $v->{token}), 999, name => 'a broken token of a deleted account');
};

scenario 'exit_login revokes the token, and only that one' => sub {
    my $u = mregister();
    my $t2 = mlogin($u->{phone}, $u->{password});
    my ($res, $json) = mget("exit_login?token=$u->{token}");
    check_mok($res, 'exit_login', info => '退出成功');
    is jtype($res, 'data'), 'string', 'data is a string';
    is $json->{data}, '', 'data is empty';
    my $jti = jwt_claims($u->{token})->{jti};
    ok db_value('SELECT revoked_at FROM sessions WHERE jti = ' . sql_quote($jti)), 'the session is revoked';
    is db_value(qq{SELECT count(*) FROM audit_log WHERE action = 'logout' AND detail = 'mobile' AND user_id = $u->{id}}), 1,
       'audited';
    check_mfail(scalar details($u->{token}), 999, name => 'the token after exit_login', info => '用户未登录');
    check_mfail(scalar mget("exit_login?token=$u->{token}"), 999, name => 'exit_login again');
    check_401(scalar json_request(GET => '/api/me', undef, auth($u->{token})), 'and on the developer face');
    check_details(scalar details($t2), 'the other session still works', _id => "$u->{id}");
    check_mok(scalar mget("exit_login/token/$t2"), 'exit_login with the token in the path', info => '退出成功');
    check_mfail(scalar details($t2), 999, name => 'revoked too');
    my $t3 = mlogin($u->{phone}, $u->{password});
    check_mok(scalar mform(POST => 'exit_login', { token => $t3 }), 'exit_login by POST with a body token');
    check_mfail(scalar details($t3), 999, name => 'revoked too');
};

scenario 'tokens cross the faces both ways' => sub {
    my $d = register_user();
    my $dev = login($d->{username}, $d->{password});
    check_details(scalar details($dev), 'developer token on the mobile face', _id => "$d->{id}");
    check_mok(scalar mget("exit_login?token=$dev"), 'mobile exit_login of a developer token');
    check_401(scalar json_request(GET => '/api/me', undef, auth($dev)), 'revoked for the developer face');

    my $u = mregister();
    my ($res) = json_request(GET => '/api/me', undef, auth($u->{token}));
    check_ok($res, 'mobile token on the developer face');
    check_user($res, ['data'], 'developer me', id => $u->{id});
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($u->{token})), 'developer logout');
    check_mfail(scalar details($u->{token}), 999, name => 'revoked for the mobile face');

    my $v = mregister();
    my ($r2, $j2) = json_request(PUT => '/api/refresh', undef, auth($v->{token}));
    check_ok($r2, 'developer refresh of a mobile token');
    my $new = eval { $j2->{data}{token_info}{access_token} } // '';
    check_details(scalar details($new), 'the refreshed token on the mobile face', _id => "$v->{id}");
    check_401(scalar json_request(GET => "/api/me?token=$new"), 'the developer face still ignores ?token=');
};

done_testing;
