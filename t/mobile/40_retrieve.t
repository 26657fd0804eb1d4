# POST /Api/User/retrieve_password: account, phone_code, new_password.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(64);

sub retrieve { mform(POST => 'retrieve_password', @_) }

sub code_used {
    my ($phone, $purpose) = @_;
    return db_value('SELECT used_at FROM verification_codes WHERE destination = ' . sql_quote($phone)
                    . ' AND purpose = ' . sql_quote($purpose) . ' ORDER BY id DESC LIMIT 1');
}

scenario 'a new password: 密码设置成功, every session revoked' => sub {
    my $u = mregister();
    my $t2 = mlogin($u->{phone}, $u->{password});
    my $dev = login($u->{phone}, $u->{password});            # a developer-face session
    my $code = msend_code($u->{phone}, 'retrieve');
    my ($res, $json) = retrieve({ account => $u->{phone}, phone_code => $code, new_password => 'N3wpass!' });
    check_mok($res, 'retrieve_password', info => '密码设置成功');
    is jtype($res, 'data'), 'string', 'data is a string';
    is $json->{data}, '', 'data is empty';

    check_mfail(scalar mform(POST => 'login', { phone => $u->{phone}, password => $u->{password} }), 1010,
                name => 'the old password is refused');
    ok eval { mlogin($u->{phone}, 'N3wpass!') }, 'the new password logs in here';
    ok eval { login($u->{phone}, 'N3wpass!') }, '... and on the developer face';
    for my $t ([registration => $u->{token}], [login => $t2]) {
        check_mfail(scalar mget("get_user_details?token=$t->[1]"), 999, name => "the $t->[0] token is revoked");
    }
    check_401(scalar json_request(GET => '/api/me', undef, auth($dev)), 'the developer-face token is revoked');
    ok code_used($u->{phone}, 'retrieve'), 'the code is spent';
    is db_value(qq{SELECT count(*) FROM audit_log WHERE action = 'password_reset' AND user_id = $u->{id}}), 1,
       'audited';
    check_mfail(scalar retrieve({ account => $u->{phone}, phone_code => $code, new_password => 'Other123' }), 1013,
                name => 'the code again', info => '验证码有误');
};

scenario 'a JSON body; a developer-face user' => sub {
    my $d = register_user();
    my $code = msend_code($d->{mobile}, 'retrieve');
    my ($res) = mjson(POST => 'retrieve_password', { account => $d->{mobile}, phone_code => $code,
                                                    new_password => 'Fresh123' });
    check_mok($res, 'retrieve_password (JSON)', info => '密码设置成功');
    ok eval { login($d->{username}, 'Fresh123') }, 'the developer user logs in by name with the new password';
};

scenario 'a code sent for register does not retrieve' => sub {
    my $m = unique_mobile();
    my $rcode = msend_code($m, 'register');
    # the number gets an account without spending that code
    db('INSERT INTO users (username, mobile, password, created_at, updated_at) VALUES ('
       . sql_quote(unique_name()) . ', ' . sql_quote($m) . q{, 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')});
    check_mfail(scalar retrieve({ account => $m, phone_code => $rcode, new_password => 'N3wpass!' }), 1013,
                name => 'a register code used for retrieve', info => '验证码有误');
    is db_value('SELECT password FROM users WHERE mobile = ' . sql_quote($m)), 'x', 'the password is unchanged';
    ok !code_used($m, 'register'), 'the register code is not spent';
};

scenario 'wrong, expired, foreign and burned codes: 1013' => sub {
    my $u = mregister();
    my $v = mregister();
    my $cu = msend_code($u->{phone}, 'retrieve');
    my $cv = msend_code($v->{phone}, 'retrieve');
    my %f = (account => $u->{phone}, new_password => 'N3wpass!');
    check_mfail(scalar retrieve({ %f, phone_code => wrong_code($cu) }), 1013, name => 'wrong code',
                info => '验证码有误');
    check_mfail(scalar retrieve({ %f, phone_code => $cv }), 1013, name => "another account's code")
        if $cu ne $cv;
    for my $c ('12345', '1234567', 'abcdef') {
        check_mfail(scalar retrieve({ %f, phone_code => $c }), 1013, name => "code '$c'", info => '验证码有误');
    }
    check_mfail(scalar retrieve({ %f, account => unique_mobile(), phone_code => $cu }), 1013,
                name => 'an unknown account');
    db('UPDATE verification_codes SET expires_at = 0 WHERE destination = ' . sql_quote($v->{phone}));
    check_mfail(scalar retrieve({ %f, account => $v->{phone}, phone_code => $cv }), 1013, name => 'expired code');
    ok eval { mlogin($v->{phone}, $v->{password}) }, 'the password did not change';
    # five wrong tries burn the code (one was spent above)
    for my $i (2 .. 5) {
        retrieve({ %f, phone_code => sprintf('%06d', ("$cu" + $i) % 1000000) });
    }
    check_mfail(scalar retrieve({ %f, phone_code => $cu }), 1013, name => 'the right code after five wrong ones');
    ok eval { mlogin($u->{phone}, $u->{password}) }, 'the password did not change';
};

scenario 'missing, empty, wrongly typed and malformed fields: 1006' => sub {
    my $u = mregister();
    my $code = msend_code($u->{phone}, 'retrieve');
    my %ok = (account => $u->{phone}, phone_code => $code, new_password => 'N3wpass!');
    for my $f (qw(account phone_code new_password)) {
        my %b = %ok;
        delete $b{$f};
        check_mfail(scalar retrieve(\%b), 1006, name => "$f missing", info => "输入的信息不符合:$f");
        check_mfail(scalar retrieve({ %ok, $f => '' }), 1006, name => "$f empty", info => "输入的信息不符合:$f");
        check_mfail(scalar mjson(POST => 'retrieve_password', { %ok, $f => [1] }), 1006, name => "$f as an array",
                    info => "输入的信息不符合:${f}必须是字符串");
    }
    for my $pw ('a' x 5, 'b' x 17, 'with space', '新密码新密码') {
        check_mfail(scalar retrieve({ %ok, new_password => $pw }), 1006, name => 'new_password of ' . length($pw),
                    info => qr/^输入的信息不符合:密码长度不可小于6位,大于16位/);
    }
    for my $a ($u->{username} // 'name', '1354855412', q{' OR 1=1 --}) {
        check_mfail(scalar retrieve({ %ok, account => $a }), 1006, name => "account '$a'",
                    info => '输入的信息不符合:手机号格式不正确');
    }
    check_mok(scalar retrieve(\%ok), 'the code survived every refused request');
};

scenario 'an account deleted after the code was sent: 1015' => sub {
    my $u = mregister();
    my $code = msend_code($u->{phone}, 'retrieve');
    db("UPDATE users SET status = 5 WHERE id = $u->{id}");
    check_mfail(scalar retrieve({ account => $u->{phone}, phone_code => $code, new_password => 'N3wpass!' }), 1015,
                name => 'deleted account', info => '用户不存在');
};

scenario 'the database refuses the new password: HTTP 500, nothing changed' => sub {
    my $u = mregister();
    my $code = msend_code($u->{phone}, 'retrieve');
    my ($res) = with_fault('users.password', { user_id => $u->{id} }, sub {
        retrieve({ account => $u->{phone}, phone_code => $code, new_password => 'N3wpass!' });
    });
    check_mfail($res, 500, name => 'server failure', status => 500);
    check_mok(scalar mget("get_user_details?token=$u->{token}"), 'the session was not revoked');
    ok !code_used($u->{phone}, 'retrieve'), 'the code is not spent';
    ok eval { mlogin($u->{phone}, $u->{password}) }, 'the old password still works';
    check_mok(scalar retrieve({ account => $u->{phone}, phone_code => $code, new_password => 'N3wpass!' }),
              'the same code works once the database does');
};

scenario 'a reset lifts a login lock' => sub {
    my $u = mregister();
    mform(POST => 'login', { phone => $u->{phone}, password => "wrong-$_" }) for 1 .. 5;
    check_mfail(scalar mform(POST => 'login', { phone => $u->{phone}, password => $u->{password} }), 429,
                status => 429, name => 'locked');
    my $code = msend_code($u->{phone}, 'retrieve');
    check_mok(scalar retrieve({ account => $u->{phone}, phone_code => $code, new_password => 'N3wpass!' }), 'reset');
    ok eval { mlogin($u->{phone}, 'N3wpass!') }, 'the new password logs in at once';
};

done_testing;
