# POST /Api/User/register: phone, code, password, RegistrationID -> data.token.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(62);

sub counts {
    return {
        users    => db_value('SELECT count(*) FROM users'),
        credits  => db_value('SELECT count(*) FROM credit_records'),
        sessions => db_value('SELECT count(*) FROM sessions'),
        audits   => db_value(q{SELECT count(*) FROM audit_log WHERE action = 'register'}),
    };
}

sub code_used {
    my ($phone) = @_;
    return db_value('SELECT used_at FROM verification_codes WHERE destination = ' . sql_quote($phone)
                    . q{ AND purpose = 'register' ORDER BY id DESC LIMIT 1});
}

scenario 'register with a form body' => sub {
    my $m = unique_mobile();
    my $code = msend_code($m, 'register');
    my $before = counts();
    my ($res, $json) = mform(POST => 'register', { phone => $m, code => $code, password => 'a123456.',
                                                  RegistrationID => '1a0018970a8c6d7d4c5' });
    check_mok($res, 'register', info => '注册成功');
    is jtype($res, 'data'), 'object', 'data is an object';
    is join(',', sort keys %{ $json->{data} || {} }), 'token', 'data holds the token';
    is jtype($res, qw(data token)), 'string', 'data.token is a string';
    my $token = $json->{data}{token} // '';
    like $token, qr/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/, 'the token is a JWT of the shared machinery';

    my ($u) = db_rows('SELECT * FROM users WHERE mobile = ' . sql_quote($m));
    $u ||= {};
    is $u->{username}, "m$m", 'username is "m" + the mobile number';
    is $u->{status}, 2, 'status 2: not yet reviewed';
    is $u->{registration_id}, '1a0018970a8c6d7d4c5', 'RegistrationID stored for push';
    is $u->{uuid}, undef, 'no uuid sent: NULL';
    like $u->{password} // '', qr/^\$2[aby]\$\d\d\$/, 'password stored as bcrypt';
    like $u->{created_at} // '', DATETIME_RE, 'created_at as YYYY-MM-DD HH:MM:SS';
    is $u->{is_admin}, 0, 'not an administrator';

    my $claims = jwt_claims($token) || {};
    is $claims->{sub}, "$u->{id}", 'the token is the new user\'s';
    is db_value('SELECT user_id FROM sessions WHERE jti = ' . sql_quote($claims->{jti} // '')), $u->{id},
       'a session row backs the token';
    is db_value("SELECT sum(amount) FROM credit_records WHERE user_id = $u->{id}"), 100,
       'the registration credit (DevplatRegisterCredit)';
    my @audit = db_rows("SELECT * FROM audit_log WHERE action = 'register' AND user_id = $u->{id}");
    is scalar @audit, 1, 'one audit row';
    is $audit[0]{detail}, 'mobile', 'audit detail: mobile';
    ok code_used($m), 'the code is spent';
    my $after = counts();
    is $after->{$_}, $before->{$_} + 1, "one new $_ row" for qw(users credits sessions audits);

    # the token works on both faces
    my ($r2, $j2) = mget('get_user_details?token=' . $token);
    check_mok($r2, 'the token opens get_user_details');
    is $j2->{data}{account}, $m, 'account is the phone';
    my ($r3) = json_request(GET => '/api/me', undef, auth($token));
    check_ok($r3, 'the same token opens the developer /api/me');
    check_user($r3, ['data'], 'developer me', id => $u->{id}, username => "m$m", integral => 100);

    # and the user logs in on the developer face with the mobile number
    my ($r4, $j4) = login_full($m, 'a123456.');
    check_ok($r4, 'developer login with the mobile number');
    is eval { $j4->{data}{user_info}{id} }, $u->{id}, 'as the same user';
};

scenario 'register with a JSON body, with uuid' => sub {
    my $m = unique_mobile();
    my $code = msend_code($m, 'register');
    my ($res, $json) = mjson(POST => 'register', { phone => $m, code => $code, password => 'Passw0rd!',
                                                  RegistrationID => '190e35f7e07c4e8bba5', uuid => 'A1B2-C3D4' });
    check_mok($res, 'register (JSON)', info => '注册成功');
    is db_value('SELECT uuid FROM users WHERE mobile = ' . sql_quote($m)), 'A1B2-C3D4', 'uuid stored';
    is db_value('SELECT registration_id FROM users WHERE mobile = ' . sql_quote($m)), '190e35f7e07c4e8bba5',
       'RegistrationID stored';
};

# A valid code to test single broken fields against (it must survive them).
my $bm = unique_mobile();
my $bcode = eval { msend_code($bm, 'register') } // '000000';
my %base = (phone => $bm, code => $bcode, password => 'Passw0rd!', RegistrationID => 'reg-id-1');

scenario 'missing, empty and wrongly typed fields: 1006, nothing written' => sub {
    my $before = counts();
    my %wrong = (number => 12345678, array => ['x'], object => { a => 1 },
                 true => JSON::PP::true(), false => JSON::PP::false());
    for my $f (qw(phone code password RegistrationID)) {
        my %b = %base;
        delete $b{$f};
        check_mfail(scalar mform(POST => 'register', \%b), 1006, name => "$f missing (form)",
                    info => "输入的信息不符合:$f");
        check_mfail(scalar mjson(POST => 'register', \%b), 1006, name => "$f missing (JSON)",
                    info => "输入的信息不符合:$f");
        check_mfail(scalar mform(POST => 'register', { %base, $f => '' }), 1006, name => "$f empty",
                    info => "输入的信息不符合:$f");
        check_mfail(scalar mjson(POST => 'register', { %base, $f => undef }), 1006, name => "$f null",
                    info => "输入的信息不符合:$f");
        for my $t (sort keys %wrong) {
            check_mfail(scalar mjson(POST => 'register', { %base, $f => $wrong{$t} }), 1006,
                        name => "$f as $t", info => qr/^输入的信息不符合:\Q$f\E/);
        }
        check_mfail(scalar mjson(POST => 'register', { %base, $f => "a\x{0}b" }), 1006,
                    name => "$f with NUL", info => qr/^输入的信息不符合:\Q$f\E/);
    }
    check_mfail(scalar mjson(POST => 'register', {}), 1006, name => 'empty object');
    check_mfail(scalar mform(POST => 'register', []), 1006, name => 'empty form');
    check_mfail(scalar mjson(POST => 'register', { %base, phone => 0 + "$bm" }), 1006,
                name => 'phone as a JSON number');
    is_deeply counts(), $before, 'nothing was written';
};

scenario 'password: 6 to 16 visible characters' => sub {
    my $before = counts();
    for my $pw ('a' x 5, 'b' x 17, 'abc def', '密码密码密码', "abcdef\t", "abc\ndef") {
        check_mfail(scalar mform(POST => 'register', { %base, password => $pw }), 1006,
                    name => 'password of ' . length($pw) . ' characters',
                    info => qr/^输入的信息不符合:密码长度不可小于6位,大于16位/);
    }
    is_deeply counts(), $before, 'nothing was written';
    for my $pw ('c' x 6, 'd' x 16, q{!"#$%&'()*+,-./:}) {
        my $u = eval { mregister(password => $pw) };
        ok $u, 'password of ' . length($pw) . ' characters accepted' or diag $@;
        ok eval { mlogin($u->{phone}, $pw) }, '... and logs in' if $u;
    }
};

scenario 'phone, RegistrationID and uuid rules: 1006' => sub {
    for my $p ('12345678901', '1354855412', '135485541261', 'abcdefghijk', '23548554126', ' 13548554126',
               q{13548554126' OR '1'='1}) {
        check_mfail(scalar mform(POST => 'register', { %base, phone => $p }), 1006, name => "phone '$p'",
                    info => '输入的信息不符合:手机号格式不正确');
    }
    check_mfail(scalar mform(POST => 'register', { %base, RegistrationID => 'has space' }), 1006,
                name => 'RegistrationID with a space', info => qr/RegistrationID/);
    check_mfail(scalar mform(POST => 'register', { %base, RegistrationID => 'x' x 129 }), 1006,
                name => 'RegistrationID of 129 bytes', info => qr/RegistrationID/);
    check_mfail(scalar mform(POST => 'register', { %base, uuid => "设备" }), 1006,
                name => 'uuid not ASCII', info => qr/uuid/);
    check_mfail(scalar mform(POST => 'register', { %base, uuid => 'u' x 65 }), 1006,
                name => 'uuid of 65 bytes', info => qr/uuid/);
};

scenario 'the base code survived every refused request' => sub {
    my ($res) = mform(POST => 'register', \%base);
    check_mok($res, 'register with the base code', info => '注册成功');
};

scenario 'an existing account: 1007, the code is not spent' => sub {
    my $u = mregister();
    check_mfail(scalar mform(POST => 'register', { %base, phone => $u->{phone}, code => $u->{code} }), 1007,
                name => 'registered here before', info => '该账号已存在');

    my $d = register_user();                  # the developer face
    my ($res) = mform(POST => 'send_code', { phone => $d->{mobile}, type => 'register' },
                      'X-Forwarded-For' => code_ip());
    check_mfail($res, 1007, name => 'send_code for a developer-face number', info => '该账号已存在');
    check_mfail(scalar mform(POST => 'register', { %base, phone => $d->{mobile}, code => $d->{code} }), 1007,
                name => 'a number registered on the developer face', info => '该账号已存在');

    # a code sent, then the number taken on the other face: 1007, code unspent
    my $m = unique_mobile();
    my $code = msend_code($m, 'register');
    db('INSERT INTO users (username, mobile, password, created_at, updated_at) VALUES ('
       . sql_quote(unique_name()) . ', ' . sql_quote($m) . q{, 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')});
    check_mfail(scalar mform(POST => 'register', { %base, phone => $m, code => $code }), 1007,
                name => 'number taken after the code was sent', info => '该账号已存在');
    ok !code_used($m), 'the code was not spent';
};

scenario 'wrong, foreign, expired, reused and retrieve codes: 1008' => sub {
    my $before = counts();
    my $m1 = unique_mobile();
    my $c1 = msend_code($m1, 'register');
    my $m2 = unique_mobile();
    my $c2 = msend_code($m2, 'register');
    my %f = (phone => $m1, password => 'Passw0rd!', RegistrationID => 'r1');

    check_mfail(scalar mform(POST => 'register', { %f, code => wrong_code($c1) }), 1008,
                name => 'wrong code', info => '验证码有误');
    check_mfail(scalar mform(POST => 'register', { %f, code => $c2 }), 1008,
                name => "another phone's code", info => '验证码有误') if $c1 ne $c2;
    for my $c ('12345', '1234567', 'abcdef', "$c1 ") {
        check_mfail(scalar mform(POST => 'register', { %f, code => $c }), 1008,
                    name => "code '$c'", info => '验证码有误');
    }
    check_mfail(scalar mform(POST => 'register', { %f, phone => unique_mobile(), code => $c1 }), 1008,
                name => 'a number that asked for no code', info => '验证码有误');
    db('UPDATE verification_codes SET expires_at = 0 WHERE destination = ' . sql_quote($m2));
    check_mfail(scalar mform(POST => 'register', { %f, phone => $m2, code => $c2 }), 1008,
                name => 'expired code', info => '验证码有误');
    is_deeply counts(), $before, 'nothing was written';

    check_mok(scalar mform(POST => 'register', { %f, code => $c1 }), 'the right code');
    check_mfail(scalar mform(POST => 'register', { %f, code => $c1 }), 1007, name => 'the same again');

    # a code sent for "retrieve" does not register, even for its own number
    my $u = mregister();
    my $rc = msend_code($u->{phone}, 'retrieve');
    db('UPDATE users SET mobile = ' . sql_quote(unique_mobile()) . " WHERE id = $u->{id}");   # the number is free again
    check_mfail(scalar mform(POST => 'register', { %f, phone => $u->{phone}, code => $rc }), 1008,
                name => 'a code sent for retrieve', info => '验证码有误');
    is db_value('SELECT count(*) FROM users WHERE mobile = ' . sql_quote($u->{phone})), 0, 'no user';
};

scenario 'five wrong codes burn the code' => sub {
    my $m = unique_mobile();
    my $c = msend_code($m, 'register');
    my %f = (phone => $m, password => 'Passw0rd!', RegistrationID => 'r1');
    for my $i (1 .. 5) {
        my ($res, $json) = mform(POST => 'register', { %f, code => sprintf('%06d', ("$c" + $i) % 1000000) });
        is $json->{code}, 1008, "wrong code $i: 1008";
    }
    check_mfail(scalar mform(POST => 'register', { %f, code => $c }), 1008,
                name => 'the right code after five wrong ones');
    is db_value('SELECT count(*) FROM users WHERE mobile = ' . sql_quote($m)), 0, 'no user';
};

scenario 'a failed registration: 1009 and nothing half-written' => sub {
    my $m = unique_mobile();
    my $c = msend_code($m, 'register');
    my $before = counts();
    for my $what ('users.insert', 'sessions.insert') {
        my ($res) = with_fault($what, { mobile => $m }, sub {
            mform(POST => 'register', { phone => $m, code => $c, password => 'Passw0rd!', RegistrationID => 'r1' });
        });
        check_mfail($res, 1009, name => "the database refuses $what", info => '注册失败');
        is_deeply counts(), $before, "$what refused: no user, credit, session or audit row";
        ok !code_used($m), "$what refused: the code is not spent";
    }
    check_mok(scalar mform(POST => 'register', { phone => $m, code => $c, password => 'Passw0rd!',
                                                RegistrationID => 'r1' }),
              'the same code registers once the database works');
};

scenario 'the username "m<mobile>" already taken: a suffixed one' => sub {
    my $m = unique_mobile();
    my $d = register_user(username => "m$m");     # somebody chose that name
    my $u = mregister(phone => $m);
    my $name = db_value("SELECT username FROM users WHERE id = $u->{id}");
    like $name // '', qr/^m\Q$m\E_\d{3}$/, "username m<mobile>_NNN ($name)";
    ok length($name) <= 16, 'within the developer rule (16 characters)';
    ok eval { login($m, $u->{password}) }, 'logs in on the developer face with the mobile number';
};

scenario 'SQL metacharacters are data' => sub {
    my $u = mregister(RegistrationID => q{x'--;DROP/**/TABLE/**/users;"}, uuid => q{%_!'\\});
    my ($row) = db_rows("SELECT registration_id, uuid FROM users WHERE id = $u->{id}");
    is $row->{registration_id}, q{x'--;DROP/**/TABLE/**/users;"}, 'RegistrationID stored as sent';
    is $row->{uuid}, q{%_!'\\}, 'uuid stored as sent';
    ok table_exists('users'), 'users table still there';
};

scenario 'concurrent registrations of one number: one account' => sub {
    my $m = unique_mobile();
    my $c = msend_code($m, 'register');
    my @got = parallel(4, sub {
        my ($res, $json) = mform(POST => 'register', { phone => $m, code => $c, password => 'Passw0rd!',
                                                      RegistrationID => "r$_[0]" });
        return $res->code . ' ' . ($json->{code} // 'none');
    });
    is scalar(grep { defined && $_ eq '200 1000' } @got), 1, 'exactly one 1000';
    is scalar(grep { defined && /^200 (1007|1008)$/ } @got), 3, 'the others 1007 or 1008'
        or diag join ' | ', map { $_ // 'undef' } @got;
    is db_value('SELECT count(*) FROM users WHERE mobile = ' . sql_quote($m)), 1, 'one user';
};

done_testing;
