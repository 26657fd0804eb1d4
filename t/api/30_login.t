# POST /api/login
use strict;
use warnings;
use utf8;
use Test::More;
use Crypt::JWT qw(decode_jwt);
use Devplat::Test;

client_net(14);

sub post_login { json_request(POST => '/api/login', @_) }

scenario 'login by username: token_info and user_info' => sub {
    my $u = register_user();
    my $t0 = time;
    my ($res, $json) = post_login({ username => $u->{username}, password => $u->{password} });
    check_ok($res, 'login');
    my $ti = check_token_info($res, 'login');
    my $ui = check_user($res, [qw(data user_info)], 'login', id => $u->{id}, username => $u->{username},
                        level => 1, integral => 100);
    is_deeply [sort keys %{ $json->{data} || {} }], [qw(token_info user_info)], 'data has token_info and user_info';

    # an independent JWT implementation agrees
    my $token = $ti->{access_token} // '';
    my ($h, $c) = eval { decode_jwt(token => $token, key => jwt_key(), accepted_alg => 'HS256', decode_header => 1) };
    ok $c, 'Crypt::JWT verifies the token with the key file' or diag $@;
    $h ||= {}; $c ||= {};
    is $h->{alg}, 'HS256', 'alg HS256';
    is $c->{sub}, "$u->{id}", 'sub is the user id';
    my ($hraw, $praw) = jwt_parts($token);
    my $p = eval { JSON::PP->new->decode($praw) } || {};
    is json_type($p->{sub}), 'string', 'sub is a JSON string';
    is json_type($p->{$_}), 'integer', "$_ is an integer" for qw(iat nbf exp);
    ok defined $c->{jti} && length $c->{jti}, 'jti present';
    ok abs(($c->{iat} // 0) - $t0) <= 60, 'iat is now';
    ok(($c->{nbf} // 1e12) <= ($c->{iat} // 0) + 1, 'nbf <= iat');
    is $c->{exp}, ($c->{iat} // 0) + 7200, 'exp = iat + 7200';

    is db_value('SELECT user_id FROM sessions WHERE jti = ' . sql_quote($c->{jti} // '')), $u->{id},
        'a session row for the jti';
    ok db_value("SELECT count(*) FROM audit_log WHERE user_id = $u->{id} AND action LIKE 'login%'") >= 1,
        'login audited';

    my ($r2) = json_request(GET => '/api/me', undef, auth($token));
    check_ok($r2, 'the token works on /api/me');
};

scenario 'login by mobile' => sub {
    my $u = register_user();
    my ($res, $json) = post_login({ username => $u->{mobile}, password => $u->{password} });
    check_ok($res, 'login with the mobile');
    check_user($res, [qw(data user_info)], 'login with the mobile', id => $u->{id}, username => $u->{username});
};

scenario 'login with a form body' => sub {
    my $u = register_user();
    my ($res) = post_login(form_body(username => $u->{username}, password => $u->{password}),
                           'Content-Type' => 'application/x-www-form-urlencoded');
    check_ok($res, 'login (form)');
};

scenario 'two logins are two sessions' => sub {
    my $u = register_user();
    my $a = login($u->{username}, $u->{password});
    my $b = login($u->{username}, $u->{password});
    isnt $a, $b, 'different tokens';
    isnt jwt_claims($a)->{jti}, jwt_claims($b)->{jti}, 'different jti';
};

scenario 'wrong password, unknown user: 500 用户名或密码错误' => sub {
    my $u = register_user();
    my $res = post_login({ username => $u->{username}, password => 'Wrong-pass1' });
    check_error($res, 500, name => 'wrong password', message => MSG_LOGIN);
    is_deeply decode_body($res), { status_code => 500, message => MSG_LOGIN }, 'exactly {"status_code":500,"message":"用户名或密码错误"}';
    $res = post_login({ username => 'nobody_' . $$, password => 'Passw0rd!' });
    check_error($res, 500, name => 'unknown user', message => MSG_LOGIN);
    $res = post_login({ username => unique_mobile(), password => 'Passw0rd!' });
    check_error($res, 500, name => 'unknown mobile', message => MSG_LOGIN);
    $res = post_login({ username => $u->{username}, password => $u->{password} . ' ' });
    isnt $res->code, 200, 'password with a trailing space is wrong';
};

scenario 'missing, empty, wrongly typed fields: 422' => sub {
    my %ok = (username => 'someone', password => 'Passw0rd!');
    for my $f (qw(username password)) {
        my %b = %ok; delete $b{$f};
        check_error(scalar post_login(\%b), 422, name => "$f missing", field => $f);
        check_error(scalar post_login({ %ok, $f => '' }), 422, name => "$f empty", field => $f);
        for my $v ([1], { a => 1 }, undef, JSON::PP::true(), 12345678) {
            my $t = json_type($v);
            check_error(scalar post_login({ %ok, $f => $v }), 422, name => "$f as $t", field => $f);
        }
    }
    check_error(scalar post_login('{"username":'), 422, name => 'malformed JSON');
    check_error(scalar post_login('[]'), 422, name => 'JSON array');
    check_error(scalar post_login('{"username":"a"}', 'Content-Type' => 'text/plain'), 415, name => 'text/plain');
};

scenario 'SQL metacharacters as credentials: no crash, no login' => sub {
    for my $s (q{'; DROP TABLE users; --}, q{' OR '1'='1}, q{%}, q{_}, q{"}, q{\\}, q{admin'--}) {
        my $res = post_login({ username => $s, password => $s });
        ok $res->code == 500 || $res->code == 422, "username/password $s: 500 or 422 (got " . $res->code . ')';
        check_json($res, "credentials $s");
    }
    my $u = register_user();
    my $res = post_login({ username => $u->{username}, password => q{' OR '1'='1} });
    check_error($res, 500, name => 'SQL as password', message => MSG_LOGIN);
    is table_exists('users'), 1, 'users table intact';
};

scenario 'throttle: 5 failures lock the account for this client' => sub {
    my $u = register_user();
    my $ip = '10.0.14.201';
    for my $i (1 .. 5) {
        my $res = post_login({ username => $u->{username}, password => "Wrong-$i-pw" }, 'X-Forwarded-For' => $ip);
        check_error($res, 500, name => "failure $i", message => MSG_LOGIN);
    }
    my $res = post_login({ username => $u->{username}, password => $u->{password} }, 'X-Forwarded-For' => $ip);
    check_error($res, 429, name => '6th attempt, right password');
    my $ra = $res->header('Retry-After') // '';
    like $ra, qr/^\d+$/, 'Retry-After is integer seconds';
    ok $ra > 0 && $ra <= 900, "Retry-After > 0 ($ra)";

    $res = post_login({ username => $u->{username}, password => $u->{password} }, 'X-Forwarded-For' => '10.0.14.202');
    check_ok($res, 'the same account from another client is not locked');

    sleep 3;    # DevplatLoginThrottle 5 900 2: the first lock lasts 2 s
    $res = post_login({ username => $u->{username}, password => $u->{password} }, 'X-Forwarded-For' => $ip);
    check_ok($res, 'after the lock the right password works');
};

scenario 'frozen user: cannot log in, token refused at once' => sub {
    my $u = register_user();
    my $token = login($u->{username}, $u->{password});
    check_ok(scalar json_request(GET => '/api/me', undef, auth($token)), 'token works before freezing');
    db("UPDATE users SET status = 1 WHERE id = $u->{id}");
    my $res = post_login({ username => $u->{username}, password => $u->{password} });
    check_error($res, 500, name => 'frozen user login');
    check_401(scalar json_request(GET => '/api/me', undef, auth($token)), 'frozen user token');
    db("UPDATE users SET status = 0 WHERE id = $u->{id}");
    check_ok(scalar post_login({ username => $u->{username}, password => $u->{password} }), 'unfrozen: login again');
};

scenario 'deleted user (status 5) cannot log in' => sub {
    my $u = register_user();
    db("UPDATE users SET status = 5 WHERE id = $u->{id}");
    my $res = post_login({ username => $u->{username}, password => $u->{password} });
    check_error($res, 500, name => 'deleted user login');
};

scenario 'an imported $2y$ bcrypt hash (Laravel, cost 10) verifies as it is' => sub {
    my $u = register_user(password => 'Another-pw1');
    # "secret123" hashed by htpasswd -nbB -C 10 (the $2y$ form PHP writes too)
    db(q{UPDATE users SET password = '$2y$10$VhTb4q62adeBk7w/.v3CdetzzUCBw.4ajooeE7YIrDyC2QZrMLsR2' WHERE id = } . $u->{id});
    check_ok(scalar post_login({ username => $u->{username}, password => 'secret123' }), 'login with the imported hash');
    check_error(scalar post_login({ username => $u->{username}, password => 'secret124' }), 500,
                name => 'wrong password against the imported hash', message => MSG_LOGIN);
};

done_testing;
