# POST login: captcha first (spent right or wrong), then the password;
# account_status, id, nickname, token, user_level; throttling.
use strict;
use warnings;
use utf8;
use Test::More;
use Crypt::JWT qw(decode_jwt);
use Devplat::Test;
use Devplat::Admin;

client_net(52);

sub post_login { admin(POST => 'login', @_) }

# login body with a fresh captcha, overridden by %o
sub body {
    my (%o) = @_;
    my ($id, $code) = captcha();
    return { captcha_id => $id, captcha_code => $code, %o };
}

sub counts {
    return {
        sessions => db_value('SELECT count(*) FROM sessions'),
        failed   => db_value(q{SELECT count(*) FROM audit_log WHERE action = 'login_failed'}),
        throttle => db_value('SELECT count(*) FROM login_throttle'),
    };
}

my $admin = make_admin(no_login => 1);

scenario 'an administrator logs in' => sub {
    my ($id, $code) = captcha();
    my ($res, $json) = post_login({ nickname => $admin->{nickname}, passwd => $admin->{password},
                                    captcha_code => $code, captcha_id => $id });
    check_admin_ok($res, 'login', cmd => 'login', message => '登录成功');
    my $d = $json->{data} || {};
    is join(',', sort keys %$d), 'account_status,id,nickname,token,user_level',
        'data: account_status, id, nickname, token, user_level';
    is jtype($res, qw(data account_status)), 'integer', 'account_status is an integer';
    is jtype($res, qw(data id)), 'integer', 'id is an integer';
    is jtype($res, qw(data nickname)), 'string', 'nickname is a string';
    is jtype($res, qw(data token)), 'string', 'token is a string';
    is jtype($res, qw(data user_level)), 'integer', 'user_level is an integer';
    is $d->{account_status}, 1, 'account_status 1 (reviewed)';
    is $d->{id}, $admin->{id}, 'id of the administrator';
    is $d->{nickname}, $admin->{nickname}, 'nickname';
    is $d->{user_level}, 1, 'user_level 1: administrator';
    like $d->{token} // '', qr/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/, 'token is a JWT';

    my ($h, $c) = eval { decode_jwt(token => $d->{token}, key => jwt_key(), accepted_alg => 'HS256', decode_header => 1) };
    ok $c, 'Crypt::JWT verifies it' or diag $@;
    is $c->{sub}, "$admin->{id}", 'sub is the user id';
    is db_value('SELECT user_id FROM sessions WHERE jti = ' . sql_quote($c->{jti} // '')), $admin->{id},
        'a session row, as the developer face makes';
    is db_value('SELECT count(*) FROM captchas WHERE id = ' . sql_quote($id)), 0, 'the captcha is spent';
    is db_value("SELECT count(*) FROM audit_log WHERE user_id = $admin->{id} AND action = 'login' AND detail = 'admin'"), 1,
        'login audited';

    check_admin_ok(scalar admin(GET => "user/$admin->{id}", undef, auth($d->{token})), 'the token works here', cmd => "user/$admin->{id}");
    check_ok(scalar json_request(GET => '/api/me', undef, auth($d->{token})), 'and on the developer face');
};

scenario 'user_level and account_status of other users' => sub {
    my %cases = (0 => 1, 2 => 0, 3 => 3, 4 => 4);    # users.status => account_status
    for my $status (sort keys %cases) {
        my $u = make_user(status => $status);
        my ($res, $json) = post_login(body(nickname => $u->{nickname}, passwd => $u->{password}));
        check_admin_ok($res, "status $status login", cmd => 'login', message => '登录成功');
        is $json->{data}{account_status}, $cases{$status}, "users.status $status: account_status $cases{$status}";
        is $json->{data}{user_level}, 0, "users.status $status: user_level 0";
    }
};

scenario 'a password from another face logs in as it is' => sub {
    my $u = make_user(password => 'a123456.');
    check_admin_ok(scalar post_login(body(nickname => $u->{nickname}, passwd => 'a123456.')),
                   "'a123456.' (outside 001's rule for new passwords)", cmd => 'login', message => '登录成功');
};

scenario 'wrong captcha: 422 captcha_code, and the captcha is spent' => sub {
    my $before = counts();
    my ($id, $code) = captcha();
    my $wrong = join '', map { my $i = index(ALPHABET, $_); substr(ALPHABET, ($i + 1) % length(ALPHABET), 1) } split //, $code;
    my $res = post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $wrong, captcha_id => $id });
    check_admin_error($res, 422, name => 'wrong captcha', cmd => 'login', field => 'captcha_code', message => '验证码错误');
    is db_value('SELECT count(*) FROM captchas WHERE id = ' . sql_quote($id)), 0, 'spent by the wrong try';
    $res = post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $code, captcha_id => $id });
    check_admin_error($res, 422, name => 'right text after a wrong one', field => 'captcha_id', message => '验证码已失效，请重新获取');
    is_deeply counts(), $before, 'no session, no failed login, no throttle count';
};

scenario 'captcha reused, expired, missing, forged' => sub {
    my ($id, $code) = captcha();
    check_admin_ok(scalar post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $code, captcha_id => $id }),
                   'first use', message => '登录成功');
    check_admin_error(scalar post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $code, captcha_id => $id }),
                      422, name => 'reused after success', field => 'captcha_id');

    ($id, $code) = captcha();
    db('UPDATE captchas SET expires_at = ' . (time - 1) . ' WHERE id = ' . sql_quote($id));
    check_admin_error(scalar post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $code, captcha_id => $id }),
                      422, name => 'expired', field => 'captcha_id');

    ($id, $code) = captcha();
    my $before = counts();
    my @forged = ('0' x 32, 'f' x 32, uc($id), substr($id, 0, 31), $id . '0', "$id ", "' OR '1'='1",
                  "1; DELETE FROM captchas", '%', '_' x 32, 'g' x 32, "\x{4e2d}" x 32);
    for my $f (@forged) {
        check_admin_error(scalar post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $code, captcha_id => $f }),
                          422, name => "forged captcha_id '$f'", field => 'captcha_id');
    }
    my ($other_id) = captcha();
    check_admin_error(scalar post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $code, captcha_id => $other_id }),
                      422, name => "another captcha's id", field => 'captcha_code');
    is_deeply counts(), $before, 'nothing logged in';
    ok db_value('SELECT count(*) FROM captchas WHERE id = ' . sql_quote($id)), 'forged ids did not touch the real captcha';
    check_admin_ok(scalar post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => lc $code, captcha_id => $id }),
                   'the real one, typed in lower case', message => '登录成功');

    for my $f (qw(captcha_code captcha_id)) {
        my $b = body(nickname => $admin->{nickname}, passwd => $admin->{password});
        delete $b->{$f};
        check_admin_error(scalar post_login($b), 422, name => "$f missing", field => $f);
        check_admin_error(scalar post_login(body(nickname => $admin->{nickname}, passwd => $admin->{password}, $f => '')),
                          422, name => "$f empty", field => $f);
        for my $v ([1], { a => 1 }, undef, JSON::PP::true(), 12345) {
            check_admin_error(scalar post_login(body(nickname => $admin->{nickname}, passwd => $admin->{password}, $f => $v)),
                              422, name => "$f as " . json_type($v), field => $f);
        }
    }
};

scenario 'captcha_code rule: 5 letters or digits; a malformed one does not spend it' => sub {
    my ($id, $code) = captcha();
    for my $c ('ABCD', 'ABCDEF', 'AB-DE', 'AB DE', 'ABCD!', "ABC\x{4e2d}D", "ABCD'", ' ABCD', '') {
        my $res = post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $c, captcha_id => $id });
        check_admin_error($res, 422, name => "captcha_code '$c'", field => 'captcha_code');
    }
    ok db_value('SELECT count(*) FROM captchas WHERE id = ' . sql_quote($id)), 'still unspent';
    check_admin_ok(scalar post_login({ nickname => $admin->{nickname}, passwd => $admin->{password}, captcha_code => $code, captcha_id => $id }),
                   'then the right text', message => '登录成功');
};

scenario 'the captcha is checked before the password' => sub {
    my $u = make_user();
    my $before = counts();
    my ($id, $code) = captcha();
    my $res = post_login({ nickname => $u->{nickname}, passwd => 'Wrong-pass1', captcha_code => 'ZZZZZ' eq $code ? 'YYYYY' : 'ZZZZZ', captcha_id => $id });
    check_admin_error($res, 422, name => 'wrong captcha and wrong password', field => 'captcha_code');
    is_deeply counts(), $before, 'the password was never tried (no failure counted)';
};

scenario 'wrong password, unknown, deleted, frozen' => sub {
    my $u = make_user();
    my $before = counts();
    my $res = post_login(body(nickname => $u->{nickname}, passwd => 'Wrong-pass1'));
    check_admin_error($res, 422, name => 'wrong password', cmd => 'login', field => 'nickname', message => '用户名或密码错误');
    is counts()->{failed}, $before->{failed} + 1, 'login_failed audited';
    is counts()->{sessions}, $before->{sessions}, 'no session';
    check_admin_error(scalar post_login(body(nickname => 'nobody' . $$, passwd => 'Passw0rd')), 422,
                      name => 'unknown nickname', field => 'nickname', message => '用户名或密码错误');
    check_admin_error(scalar post_login(body(nickname => $u->{nickname}, passwd => $u->{password} . 'x')), 422,
                      name => 'password with a character more', message => '用户名或密码错误');

    my $d = make_user();
    set_status($d->{id}, 5);
    check_admin_error(scalar post_login(body(nickname => $d->{nickname}, passwd => $d->{password})), 422,
                      name => 'deleted user, right password', message => '用户名或密码错误');

    my $f = make_user();
    set_status($f->{id}, 1);
    check_admin_error(scalar post_login(body(nickname => $f->{nickname}, passwd => $f->{password})), 403,
                      name => 'frozen user', cmd => 'login', message => '账号已被冻结');
    check_admin_error(scalar post_login(body(nickname => $f->{nickname}, passwd => 'Wrong-pass1')), 422,
                      name => 'frozen user, wrong password', message => '用户名或密码错误');
};

scenario 'nickname and passwd: missing, empty, wrong types, the 2-16 rule' => sub {
    for my $f (qw(nickname passwd)) {
        my $b = body(nickname => $admin->{nickname}, passwd => $admin->{password});
        delete $b->{$f};
        check_admin_error(scalar post_login($b), 422, name => "$f missing", field => $f);
        check_admin_error(scalar post_login(body(nickname => $admin->{nickname}, passwd => $admin->{password}, $f => '')),
                          422, name => "$f empty", field => $f);
        for my $v ([1], { a => 1 }, undef, JSON::PP::true(), 12345678) {
            check_admin_error(scalar post_login(body(nickname => $admin->{nickname}, passwd => $admin->{password}, $f => $v)),
                              422, name => "$f as " . json_type($v), field => $f);
        }
    }
    for my $n ('a', 'x' x 17, "\x{5f20}" x 17, "ab c", "ab'--", 'ab.c', "ab\x{1F600}") {
        check_admin_error(scalar post_login(body(nickname => $n, passwd => 'Passw0rd')), 422,
                          name => 'nickname of ' . length($n) . " characters '$n'", field => 'nickname');
    }
    # 2 and 16 characters log in
    my $two = chr(0x4E00 + $$ % 20000) . chr(0x4E00 + int($$ / 20000) % 20000);
    my $sixteen = substr('n' . $$ . ('x' x 16), 0, 16);
    for my $n ($two, $sixteen) {
        my $u = make_user(username => $n);
        check_admin_ok(scalar post_login(body(nickname => $n, passwd => $u->{password})),
                       'nickname of ' . length($n) . ' characters logs in', message => '登录成功');
    }
    check_admin_error(scalar post_login('{"nickname":'), 422, name => 'malformed JSON', cmd => 'login');
    check_admin_error(scalar post_login('[]'), 422, name => 'a JSON array');
    check_admin_error(scalar post_login('{"nickname":"a"}', 'Content-Type' => 'text/plain'), 415, name => 'text/plain');
    check_admin_error(scalar post_login(qq{{"nickname":"ab\xff","passwd":"x"}}), 422, name => 'invalid UTF-8');
};

scenario 'a form body' => sub {
    my ($id, $code) = captcha();
    my ($res) = post_login(form_body(nickname => $admin->{nickname}, passwd => $admin->{password},
                                     captcha_code => $code, captcha_id => $id),
                           'Content-Type' => 'application/x-www-form-urlencoded');
    check_admin_ok($res, 'login (form)', cmd => 'login', message => '登录成功');
};

scenario 'throttle: 5 failures lock the nickname for this client' => sub {
    my $u = make_user();
    my $ip = '10.0.52.201';
    for my $i (1 .. 5) {
        my ($id, $code) = captcha();
        my $res = post_login({ nickname => $u->{nickname}, passwd => "Wrong-$i-pw", captcha_code => $code, captcha_id => $id },
                             'X-Forwarded-For' => $ip);
        is $res->code, 422, "failure $i: 422";
    }
    my ($id, $code) = captcha();
    my $res = post_login({ nickname => $u->{nickname}, passwd => $u->{password}, captcha_code => $code, captcha_id => $id },
                         'X-Forwarded-For' => $ip);
    check_admin_error($res, 429, name => 'sixth try, right password', cmd => 'login');
    like $res->header('Retry-After') // '', qr/^[1-9]\d*$/, 'Retry-After in seconds';
    check_admin_ok(scalar post_login(body(nickname => $u->{nickname}, passwd => $u->{password}), 'X-Forwarded-For' => '10.0.52.202'),
                   'another client is not locked', message => '登录成功');
    sleep 3;    # DevplatLoginThrottle 5 900 2 in the test configuration
    check_admin_ok(scalar post_login(body(nickname => $u->{nickname}, passwd => $u->{password}), 'X-Forwarded-For' => $ip),
                   'after the lock', message => '登录成功');
};

done_testing;
