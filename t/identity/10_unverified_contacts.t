# Account core, rule 1 (and the login side of rule 4): a phone or e-mail
# given on the admin face's signUp is recorded UNVERIFIED. It blocks nobody,
# is no login identifier and no reset destination; whoever proves it (by an
# SMS code on the developer or the mobile face) takes it, and every
# unverified copy of it goes. A PROVEN contact of another account is still
# refused at sign-up.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(100);

my $admin = make_admin();

# The users row (an empty hash when there is none).
sub urow { user_row($_[0] // 0) || {} }

sub admin_get { admin(GET => "user/$_[0]", undef, auth($admin->{token})) }

# A signUp that must work: ($id, \%sent).
sub signed_up {
    my (%o) = @_;
    my ($res, $json, $f) = admin_sign_up(%o);
    die 'signUp: ' . $res->status_line . ' ' . ($res->content // '') . "\n"
        unless $res->code == 200 && eval { $json->{data}{id} };
    return ($json->{data}{id}, $f);
}

sub count_users { db_value('SELECT count(*) FROM users') }
sub holders { db_value('SELECT count(*) FROM users WHERE mobile = ' . sql_quote($_[0])) }

# The developer face's registration of $m, asserted step by step; the new
# user's id (undef when refused).
sub dev_register {
    my ($m, $name, %o) = @_;
    my $username = $o{username} // unique_name();
    my ($r1, $j1) = json_request(GET => "/api/register-sms?mobile=$m");
    check_ok($r1, "$name: register-sms");
    my $code = eval { $j1->{data}{verification_code} } // '000000';
    my ($r2, $j2) = json_request(POST => '/api/register', { username => $username, mobile => $m,
                                 password => $o{password} // 'Owner_pw1', verification_code => $code });
    check_ok($r2, "$name: register");
    return eval { $j2->{data}{id} };
}

# The mobile face's registration of $m; the token (undef when refused).
sub mobile_register {
    my ($m, $name, %o) = @_;
    my ($r1, $j1) = mform(POST => 'send_code', { phone => $m, type => 'register' }, 'X-Forwarded-For' => code_ip());
    check_mok($r1, "$name: send_code register");
    my $code = eval { $j1->{data}{verification_code} } // '000000';
    my ($r2, $j2) = mform(POST => 'register', { phone => $m, code => $code, password => $o{password} // 'Owner_pw1',
                                               RegistrationID => 'reg-identity' });
    check_mok($r2, "$name: register", info => '注册成功');
    return eval { $j2->{data}{token} };
}

scenario 'signUp records phone and e-mail unverified; the answer is as before' => sub {
    my $before = count_users();
    my ($res, $json, $f) = admin_sign_up();
    check_admin_ok($res, 'signUp', cmd => 'signUp', message => '注册成功');
    my $u = check_admin_user($res, ['data'], 'signUp answer', nickname => $f->{nickname}, phone => $f->{phone},
                             email => $f->{email}, account_status => '未审核', user_level => 0);
    is count_users(), $before + 1, 'one user more';
    my $row = urow($u->{id});
    is $row->{mobile}, undef, 'users.mobile stays NULL';
    is $row->{email}, undef, 'users.email stays NULL';
    is $row->{unverified_mobile}, $f->{phone}, 'users.unverified_mobile is the phone';
    is $row->{unverified_email}, $f->{email}, 'users.unverified_email is the e-mail';
    is $row->{status}, 2, 'status 2 (not reviewed), as before';
    check_admin_user(scalar admin_get($u->{id} // 0), ['data'], 'GET user shows the unverified values',
                     phone => $f->{phone}, email => $f->{email});
};

scenario "another account's PROVEN phone or e-mail is still refused, nothing written" => sub {
    my $owner = make_user();          # proven mobile; e-mail set as proven
    my $before = count_users();
    check_admin_error(scalar admin_sign_up(phone => $owner->{mobile}), 422, name => 'a proven phone',
                      cmd => 'signUp', field => 'phone', message => '手机号已被使用');
    check_admin_error(scalar admin_sign_up(email => $owner->{email}), 422, name => 'a proven e-mail',
                      field => 'email', message => '邮箱已被使用');
    check_admin_error(scalar admin_sign_up(email => uc $owner->{email}), 422,
                      name => 'a proven e-mail in upper case', field => 'email', message => '邮箱已被使用');
    is count_users(), $before, 'no user written';
    my $row = urow($owner->{id});
    is $row->{mobile}, $owner->{mobile}, "the owner's mobile is untouched";
    is $row->{email}, $owner->{email}, "the owner's e-mail is untouched";
};

scenario "the phone's owner registers it on the developer face; the copy goes" => sub {
    my ($sid, $f) = signed_up();
    my $m = $f->{phone};
    my $owner = dev_register($m, 'owner on the developer face');
    ok $owner && $owner != $sid, 'a new account, not the admin-face one';
    is holders($m), 1, 'one account holds the number';
    is eval { db_value('SELECT id FROM users WHERE mobile = ' . sql_quote($m)) }, $owner, '... the owner';
    my $row = urow($sid);
    is $row->{unverified_mobile}, undef, "the admin-face account's unverified copy is cleared";
    is $row->{mobile}, undef, '... and it has no proven mobile';
    is $row->{unverified_email}, $f->{email}, 'its unverified e-mail stays (another contact)';
    check_admin_user(scalar admin_get($sid), ['data'], 'the admin face shows no phone now', phone => '',
                     email => $f->{email});

    my ($res, $json) = login_full($m, 'Owner_pw1');
    check_ok($res, 'developer login by the number');
    is eval { $json->{data}{user_info}{id} }, $owner, '... lands on the owner';
    check_error(scalar login_full($m, $f->{passwd}), 500, name => "the number with the admin-face account's password",
                message => MSG_LOGIN);
    check_mfail(scalar mform(POST => 'login', { phone => $m, password => $f->{passwd} }), 1010,
                name => 'mobile login with that password', info => '账号密码错误');
    check_admin_ok(scalar admin_login_full($f->{nickname}, $f->{passwd}), 'the admin-face account still signs in by nickname',
                   message => '登录成功');
};

scenario "the phone's owner registers it on the mobile face; the copy goes" => sub {
    my ($sid, $f) = signed_up();
    my $m = $f->{phone};
    my $token = mobile_register($m, 'owner on the mobile face');
    my $owner = $token ? (jwt_claims($token) || {})->{sub} : undef;
    ok $owner && $owner != $sid, 'a new account';
    is holders($m), 1, 'one account holds the number';
    is urow($sid)->{unverified_mobile}, undef, "the admin-face account's copy is cleared";
    my ($res, $json) = mform(POST => 'login', { phone => $m, password => 'Owner_pw1' });
    check_mok($res, 'mobile login by the owner', info => '登录成功');
    is eval { (jwt_claims($json->{data}{token}) || {})->{sub} }, $owner, '... as the owner';
};

scenario 'before it is proved, the admin-face account signs in with its phone on no face' => sub {
    my ($sid, $f) = signed_up();
    my $m = $f->{phone};
    my $res = login_full($m, $f->{passwd});
    check_error($res, 500, name => 'developer login by the unverified phone', message => MSG_LOGIN);
    is_deeply decode_body($res), { status_code => 500, message => MSG_LOGIN }, '... exactly the wrong-login body';
    check_error(scalar login_full($f->{email}, $f->{passwd}), 500, name => 'developer login by the unverified e-mail',
                message => MSG_LOGIN);
    check_mfail(scalar mform(POST => 'login', { phone => $m, password => $f->{passwd} }), 1010,
                name => 'mobile login by the unverified phone', info => '账号密码错误');
    check_admin_error(scalar admin_login_full($m, $f->{passwd}), 422, name => 'admin login by the unverified phone',
                      cmd => 'login', message => '用户名或密码错误');
    check_admin_error(scalar admin_login_full($f->{email}, $f->{passwd}), 422,
                      name => 'admin login by the unverified e-mail', message => '用户名或密码错误');
    check_mfail(scalar mform(POST => 'send_code', { phone => $m, type => 'retrieve' }, 'X-Forwarded-For' => code_ip()),
                1015, name => 'no password reset to an unverified phone', info => '用户不存在');
    is db_value(q{SELECT count(*) FROM sessions WHERE user_id = } . $sid), 0, 'no session was issued';

    # it proves the phone (rule 6: the password and a code sent to the number)
    my $token = admin_login($f->{nickname}, $f->{passwd});
    my ($cres, undef, $code) = code_get("/api/user/base/update-mobile/new-mobile-verification-code?mobile=$m", $token);
    check_ok($cres, 'a code to its own unverified phone');
    check_ok(scalar json_request(PATCH => '/api/user/base/update-mobile',
                                 { authentication_type => 'password', password => $f->{passwd}, new_mobile => $m,
                                   new_mobile_verification_code => $code // '000000' }, auth($token)),
             'update-mobile proves it (authentication_type password)');
    my $row = urow($sid);
    is $row->{mobile}, $m, 'now users.mobile';
    is $row->{unverified_mobile}, undef, 'and no longer unverified';
    my ($lres, $ljson) = login_full($m, $f->{passwd});
    check_ok($lres, 'developer login by the proven phone');
    is eval { $ljson->{data}{user_info}{id} }, $sid, '... as the admin-face account';
    check_mok(scalar mform(POST => 'login', { phone => $m, password => $f->{passwd} }), 'mobile login by it');
    my ($ares, $ajson) = admin_login_full($m, $f->{passwd});
    check_admin_ok($ares, 'admin login by it', message => '登录成功');
    is eval { $ajson->{data}{id} }, $sid, '... as the same account';
    check_admin_user(scalar admin_get($sid), ['data'], 'the admin face shows the proven phone', phone => $m);
};

scenario 'one unverified phone and e-mail on two accounts; one proof clears both copies' => sub {
    my ($a, $fa) = signed_up();
    my ($res, $json) = admin_sign_up(phone => $fa->{phone}, email => $fa->{email});
    check_admin_ok($res, 'a second signUp with the same unverified phone and e-mail', message => '注册成功');
    my $b = eval { $json->{data}{id} } // 0;
    is urow($b)->{unverified_mobile}, $fa->{phone}, 'both hold the phone unverified';

    # somebody proves the e-mail: bind-email (code + password)
    my $u = signed_in();
    my ($cres, undef, $code) = code_get('/api/user/base/bind-email/verification-code?email=' . $fa->{email}, $u->{token});
    check_ok($cres, 'a bind code for an address that is only unverified elsewhere');
    check_ok(scalar json_request(POST => '/api/user/base/bind-email',
                                 { email => $fa->{email}, verification_code => $code // '000000', password => $u->{password} },
                                 auth($u->{token})), 'another account binds the address');
    is urow($u->{id})->{email}, $fa->{email}, 'it is that account\'s proven e-mail';
    for my $id ($a, $b) {
        is urow($id)->{unverified_email}, undef, "account $id: the unverified e-mail is cleared";
    }
    check_admin_user(scalar admin_get($a), ['data'], 'the admin face shows no e-mail now', email => '');

    my $owner = dev_register($fa->{phone}, 'the owner of the phone');
    for my $id ($a, $b) {
        is urow($id)->{unverified_mobile}, undef, "account $id: the unverified phone is cleared";
    }
    is holders($fa->{phone}), 1, 'one holder of the phone';
};

scenario 'parallel registrations of one fresh phone, both faces: one holder' => sub {
    my $m = unique_mobile();
    my $code = request_code($m);            # a register code serves both faces
    my @names = map { unique_name() } 1 .. 6;
    my @got = parallel(6, sub {
        my ($i) = @_;
        if ($i % 2) {
            my ($res, $json) = mform(POST => 'register', { phone => $m, code => $code, password => 'Race_pw1',
                                                          RegistrationID => "race$i" });
            return 'mobile ' . $res->code . ' ' . ($json->{code} // 'none');
        }
        my ($res) = json_request(POST => '/api/register', { username => $names[$i], mobile => $m,
                                                            password => 'Race_pw1', verification_code => $code });
        return 'developer ' . $res->code;
    });
    my $won = grep { defined && /^(developer 200|mobile 200 1000)$/ } @got;
    is $won, 1, 'exactly one registration succeeds' or diag join ' | ', map { $_ // 'undef' } @got;
    is scalar(grep { defined && /^(developer 422|mobile 200 100[78])$/ } @got), 5, 'the others are refused as taken or spent'
        or diag join ' | ', map { $_ // 'undef' } @got;
    is holders($m), 1, 'one account holds the number';
};

scenario 'parallel registrations of a phone recorded unverified: one holder, the copy cleared' => sub {
    my ($sid, $f) = signed_up();
    my $m = $f->{phone};
    my ($r1, $j1) = json_request(GET => "/api/register-sms?mobile=$m");
    check_ok($r1, 'register-sms for the unverified phone');
    my $code = eval { $j1->{data}{verification_code} } // '000000';
    my @names = map { unique_name() } 1 .. 4;
    my @got = parallel(4, sub {
        my ($i) = @_;
        if ($i % 2) {
            my ($res, $json) = mform(POST => 'register', { phone => $m, code => $code, password => 'Race_pw1',
                                                          RegistrationID => "race$i" });
            return 'mobile ' . $res->code . ' ' . ($json->{code} // 'none');
        }
        my ($res) = json_request(POST => '/api/register', { username => $names[$i], mobile => $m,
                                                            password => 'Race_pw1', verification_code => $code });
        return 'developer ' . $res->code;
    });
    is scalar(grep { defined && /^(developer 200|mobile 200 1000)$/ } @got), 1, 'exactly one registration succeeds'
        or diag join ' | ', map { $_ // 'undef' } @got;
    is holders($m), 1, 'one account holds the number';
    is urow($sid)->{unverified_mobile}, undef, "the admin-face account's copy is cleared";
};

done_testing;
