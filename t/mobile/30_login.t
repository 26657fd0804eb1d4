# POST /Api/User/login: phone, password -> authenticationState + token.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(63);

sub mlogin_res { mform(POST => 'login', @_) }

scenario 'login with a form body' => sub {
    my $u = mregister();
    my ($res, $json) = mlogin_res({ phone => $u->{phone}, password => $u->{password} });
    check_mok($res, 'login', info => '登录成功');
    is jtype($res, 'data'), 'object', 'data is an object';
    is join(',', sort keys %{ $json->{data} || {} }), 'authenticationState,token', 'data: authenticationState, token';
    is jtype($res, qw(data authenticationState)), 'integer', 'authenticationState is an integer';
    is $json->{data}{authenticationState}, 0, 'not verified yet: 0';
    is jtype($res, qw(data token)), 'string', 'token is a string';
    my $t = $json->{data}{token} // '';
    like $t, qr/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/, 'a JWT';
    isnt $t, $u->{token}, 'a new token (a new session)';
    is jwt_claims($t)->{sub}, "$u->{id}", 'for the user';
    check_mok(scalar mget("get_user_details?token=$t"), 'the token works');
    check_mok(scalar mget("get_user_details?token=$u->{token}"), 'the registration token still works');
    my @audit = db_rows(qq{SELECT * FROM audit_log WHERE action = 'login' AND user_id = $u->{id}});
    is scalar @audit, 1, 'one login audit row';
    is $audit[0]{detail}, 'mobile', 'audit detail: mobile';
};

scenario 'login with a JSON body; RegistrationID and uuid update the device' => sub {
    my $u = mregister(uuid => 'old-uuid');
    my ($res, $json) = mjson(POST => 'login', { phone => $u->{phone}, password => $u->{password},
                                               RegistrationID => 'new-reg-id', uuid => 'new-uuid' });
    check_mok($res, 'login (JSON)', info => '登录成功');
    my ($row) = db_rows("SELECT registration_id, uuid FROM users WHERE id = $u->{id}");
    is $row->{registration_id}, 'new-reg-id', 'RegistrationID updated';
    is $row->{uuid}, 'new-uuid', 'uuid updated';
    check_mok(scalar mlogin_res({ phone => $u->{phone}, password => $u->{password} }), 'login without them');
    ($row) = db_rows("SELECT registration_id, uuid FROM users WHERE id = $u->{id}");
    is $row->{registration_id}, 'new-reg-id', 'RegistrationID kept';
    is $row->{uuid}, 'new-uuid', 'uuid kept';
    check_mfail(scalar mlogin_res({ phone => $u->{phone}, password => $u->{password}, uuid => 'has space' }),
                1006, name => 'a uuid with a space', info => qr/^账号密码格式不正确/);
};

scenario 'a developer-face user logs in here; a mobile user there' => sub {
    my $d = register_user(password => 'devpass123');
    my ($res, $json) = mlogin_res({ phone => $d->{mobile}, password => 'devpass123' });
    check_mok($res, 'developer user on the mobile face', info => '登录成功');
    is jwt_claims($json->{data}{token} // '')->{sub}, "$d->{id}", 'the same user';
    my $u = mregister();
    my $t = login($u->{phone}, $u->{password});
    ok $t, 'mobile user on the developer face, by mobile number';
    check_ok(scalar json_request(GET => '/api/me', undef, auth($t)), 'developer /api/me');
};

scenario 'wrong password, unknown and deleted accounts: 1010' => sub {
    my $u = mregister();
    check_mfail(scalar mlogin_res({ phone => $u->{phone}, password => 'wrong-pass' }), 1010,
                name => 'wrong password', info => '账号密码错误');
    check_mfail(scalar mlogin_res({ phone => $u->{phone}, password => uc $u->{password} }), 1010,
                name => 'case matters', info => '账号密码错误');
    check_mfail(scalar mlogin_res({ phone => unique_mobile(), password => 'Passw0rd!' }), 1010,
                name => 'unknown number', info => '账号密码错误');
    my $v = mregister();
    db("UPDATE users SET status = 5 WHERE id = $v->{id}");
    check_mfail(scalar mlogin_res({ phone => $v->{phone}, password => $v->{password} }), 1010,
                name => 'deleted account', info => '账号密码错误');
    my @failed = db_rows(qq{SELECT * FROM audit_log WHERE action = 'login_failed' AND user_id = $u->{id}});
    is scalar @failed, 2, 'failures are audited';
    # a username is not a phone: the developer face's names do not log in here
    my $d = register_user();
    check_mfail(scalar mlogin_res({ phone => $d->{username}, password => $d->{password} }), 1006,
                name => 'a username as phone', info => '账号密码格式不正确:手机号格式不正确');
};

scenario 'a frozen account: 1010 账号已被冻结, only with the right password' => sub {
    my $u = mregister();
    db("UPDATE users SET status = 1 WHERE id = $u->{id}");
    check_mfail(scalar mlogin_res({ phone => $u->{phone}, password => $u->{password} }), 1010,
                name => 'frozen', info => '账号已被冻结');
    check_mfail(scalar mlogin_res({ phone => $u->{phone}, password => 'wrong-pass' }), 1010,
                name => 'frozen, wrong password', info => '账号密码错误');
    check_mfail(scalar mget("get_user_details?token=$u->{token}"), 999, name => 'its token stopped working',
                info => '用户未登录');
};

scenario 'missing, empty, wrongly typed and malformed: 1006 账号密码格式不正确' => sub {
    my $u = mregister();
    my %ok = (phone => $u->{phone}, password => $u->{password});
    for my $f (qw(phone password)) {
        my %b = %ok;
        delete $b{$f};
        check_mfail(scalar mlogin_res(\%b), 1006, name => "$f missing", info => "账号密码格式不正确:$f");
        check_mfail(scalar mlogin_res({ %ok, $f => '' }), 1006, name => "$f empty", info => "账号密码格式不正确:$f");
        for my $v ([1], { a => 1 }, 12345678901, JSON::PP::true()) {
            check_mfail(scalar mjson(POST => 'login', { %ok, $f => $v }), 1006, name => "$f as " . (ref $v || 'number'),
                        info => "账号密码格式不正确:${f}必须是字符串");
        }
    }
    check_mfail(scalar mlogin_res({ %ok, password => 'p' x 129 }), 1006, name => 'password of 129 bytes');
    check_mfail(scalar mlogin_res({ %ok, phone => "$u->{phone}' --" }), 1006, name => 'SQL after the phone',
                info => '账号密码格式不正确:手机号格式不正确');
    check_mfail(scalar mlogin_res({ %ok, password => q{' OR '1'='1} }), 1010, name => 'SQL as password');
    db(q{DELETE FROM login_throttle WHERE account = } . sql_quote("#user:$u->{id}"));
    check_mok(scalar mlogin_res(\%ok), 'the right password still works');
};

scenario 'five failures lock the number for this client: HTTP 429' => sub {
    my $u = mregister();
    for my $i (1 .. 5) {
        my ($res, $json) = mlogin_res({ phone => $u->{phone}, password => "wrong-$i" });
        is $json->{code}, 1010, "failure $i: 1010";
    }
    my ($res) = mlogin_res({ phone => $u->{phone}, password => $u->{password} });
    check_mfail($res, 429, name => 'locked, even with the right password', status => 429);
    like $res->header('Retry-After') // '', qr/^\d+$/, 'Retry-After';
    # the developer face counts the same failures (one throttle per account + client)
    my ($r2) = login_full($u->{phone}, $u->{password});
    is $r2->code, 429, 'the developer face is locked for the same number and client';
    ($res) = mlogin_res({ phone => $u->{phone}, password => $u->{password} }, 'X-Forwarded-For' => '10.0.63.250');
    check_mok($res, 'another client is not locked');
};

done_testing;
