# Account core, rules 2 and 6: a contact changes only with proof of the new
# contact (a code sent to it) plus proof of the old one or the password.
# PUT /admin/api/user/{id} can no longer change one's own phone or e-mail
# (a stolen token must not move the account to the thief's phone and then
# reset the password there); an administrator's change for another user is
# recorded unverified, clears the proven value and ends every session.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(101);
field_labels(new_mobile_verification_code => ['新手机号验证码'], new_email => ['新邮箱'], email => ['邮箱']);

use constant MSG_OWN_PHONE => '修改手机号须验证新号码，请在个人中心修改';
use constant MSG_OWN_EMAIL => '修改邮箱须验证新邮箱，请在个人中心修改';

my $admin = make_admin();
my $B = '/api/user/base';

sub urow { user_row($_[0] // 0) || {} }
sub put_user { my ($id, $body, $token) = @_; admin(PUT => "user/$id", $body, auth($token // $admin->{token})) }

# The columns a refused change must leave as they were.
my @KEEP = qw(username name position mobile email unverified_mobile unverified_email password updated_at);
sub snapshot { my $r = urow($_[0]); return { map { $_ => $r->{$_} } @KEEP } }

sub audits {
    my ($id) = @_;
    return db_value("SELECT count(*) FROM audit_log WHERE user_id = $id AND action IN "
                    . q{('user_update', 'contact_change_by_admin', 'change_mobile', 'change_email', 'bind_email')});
}

sub me_ok { my ($token, $name) = @_; check_ok(scalar json_request(GET => '/api/me', undef, auth($token)), $name) }

# A developer-face user with a proven e-mail too, signed in on the
# developer and the mobile face.
sub victim {
    my $u = signed_in();
    $u->{email} = unique_email();
    db('UPDATE users SET email = ' . sql_quote($u->{email}) . " WHERE id = $u->{id}");
    $u->{mtoken} = mlogin($u->{mobile}, $u->{password});
    return $u;
}

sub new_mobile_code { fetch_code("$B/update-mobile/new-mobile-verification-code?mobile=$_[1]", $_[0]{token}) }
sub bind_code { fetch_code("$B/bind-email/verification-code?email=$_[1]", $_[0]{token}) }

# ------------------------------------------------------------------ rule 2

scenario 'a stolen token cannot move the account to another phone, so no reset there' => sub {
    my $u = victim();
    my $thief = unique_mobile();
    my $before = snapshot($u->{id});
    my $audits = audits($u->{id});
    my $admin_token = admin_login($u->{username}, $u->{password});
    for my $t ([developer => $u->{token}], ['admin face' => $admin_token]) {
        check_admin_error(scalar put_user($u->{id}, { phone => $thief }, $t->[1]), 422,
                          name => "own phone with the $t->[0] token", cmd => "user/$u->{id}", field => 'phone',
                          message => MSG_OWN_PHONE);
        check_admin_error(scalar put_user($u->{id}, { phone => 0 + $thief }, $t->[1]), 422,
                          name => "own phone as an integer with the $t->[0] token", field => 'phone');
    }
    my ($res, $json) = put_user($u->{id}, { name => '改名字', phone => $thief }, $u->{token});
    check_admin_error($res, 422, name => 'own phone beside a name', field => 'phone', message => MSG_OWN_PHONE);
    is_deeply snapshot($u->{id}), $before, 'nothing written (not even the name)';
    is audits($u->{id}), $audits, 'no audit row';
    me_ok($u->{token}, 'the token is not revoked by a refused change');

    # the thief's next steps
    check_mfail(scalar mform(POST => 'send_code', { phone => $thief, type => 'retrieve' }, 'X-Forwarded-For' => code_ip()),
                1015, name => "retrieve code to the thief's phone", info => '用户不存在');
    check_mfail(scalar mform(POST => 'retrieve_password', { account => $thief, phone_code => '123456',
                                                            new_password => 'Stolen_1' }),
                1013, name => "retrieve_password for the thief's phone", info => '验证码有误');
    check_error(scalar login_full("$thief", $u->{password}), 500, name => "developer login by the thief's phone",
                message => MSG_LOGIN);
    ok eval { login($u->{username}, $u->{password}) }, 'the password is unchanged';
    ok eval { mlogin($u->{mobile}, $u->{password}) }, 'the own phone still signs in on the mobile face';
};

scenario 'a stolen token cannot change the own e-mail either' => sub {
    my $u = victim();
    my $before = snapshot($u->{id});
    for my $e ('thief.' . unique_email(), uc unique_email()) {
        check_admin_error(scalar put_user($u->{id}, { email => $e }, $u->{token}), 422, name => "own e-mail $e",
                          cmd => "user/$u->{id}", field => 'email', message => MSG_OWN_EMAIL);
    }
    my ($res, $json) = put_user($u->{id}, { phone => unique_mobile(), email => unique_email() }, $u->{token});
    check_admin_error($res, 422, name => 'own phone and e-mail at once', field => 'phone');
    ok eval { exists $json->{data}{errors}{email} }, '... both fields named';
    is_deeply snapshot($u->{id}), $before, 'nothing written';
    me_ok($u->{token}, 'the token still works');
};

scenario 'administrators cannot change their own phone or e-mail here' => sub {
    my $a2 = make_admin();
    my $before = snapshot($a2->{id});
    check_admin_error(scalar put_user($a2->{id}, { phone => unique_mobile() }, $a2->{token}), 422,
                      name => "an administrator's own phone", field => 'phone', message => MSG_OWN_PHONE);
    check_admin_error(scalar put_user($a2->{id}, { email => unique_email() }, $a2->{token}), 422,
                      name => "an administrator's own e-mail", field => 'email', message => MSG_OWN_EMAIL);
    is_deeply snapshot($a2->{id}), $before, 'nothing written';
};

scenario 'the own nickname, name and position still change' => sub {
    my $u = victim();
    my $nick = 'nk' . $u->{id} . 'x';
    check_admin_ok(scalar put_user($u->{id}, { nickname => $nick, name => '新名字', position => 'QA-lead' }, $u->{token}),
                   'own nickname, name and position', cmd => "user/$u->{id}");
    my $r = urow($u->{id});
    is "$r->{username}|$r->{name}|$r->{position}", "$nick|新名字|QA-lead", 'stored';
    is $r->{mobile}, $u->{mobile}, 'mobile untouched';
    me_ok($u->{token}, 'the token still works');
};

scenario "an administrator changes another user's phone: unverified, proven cleared, sessions ended" => sub {
    my $u = victim();
    my $new = unique_mobile();
    my ($res) = put_user($u->{id}, { phone => $new });
    check_admin_ok($res, "another user's phone", cmd => "user/$u->{id}");
    my $r = urow($u->{id});
    is $r->{unverified_mobile}, $new, 'the new phone is stored unverified';
    is $r->{mobile}, undef, 'the proven mobile is cleared';
    is $r->{email}, $u->{email}, 'the e-mail is untouched';
    is audit_count($u->{id}, 'contact_change_by_admin'), 1, 'one contact_change_by_admin audit row';
    check_401(scalar json_request(GET => '/api/me', undef, auth($u->{token})), 'the developer token is revoked');
    check_mfail(scalar mget("get_user_details?token=$u->{mtoken}"), 999, name => 'the mobile token is revoked',
                info => '用户未登录');
    check_admin_user(scalar admin(GET => "user/$u->{id}", undef, auth($admin->{token})), ['data'],
                     'the admin face shows the unverified phone', phone => $new);

    check_error(scalar login_full($u->{mobile}, $u->{password}), 500, name => 'the old phone logs in no more',
                message => MSG_LOGIN);
    check_error(scalar login_full($new, $u->{password}), 500, name => 'the new phone does not log in (unverified)',
                message => MSG_LOGIN);
    check_mfail(scalar mform(POST => 'login', { phone => $new, password => $u->{password} }), 1010,
                name => 'mobile login by the new phone', info => '账号密码错误');
    for my $m ($u->{mobile}, $new) {
        check_mfail(scalar mform(POST => 'send_code', { phone => $m, type => 'retrieve' }, 'X-Forwarded-For' => code_ip()),
                    1015, name => "no reset code to $m", info => '用户不存在');
    }
    ok eval { login($u->{username}, $u->{password}) }, 'the username still logs in';
    # past the cooldown of the code its first registration took
    db('UPDATE code_cooldowns SET sent_at = sent_at - 120 WHERE destination = ' . sql_quote($u->{mobile}));
    my $other = eval { register_user(mobile => $u->{mobile}) };
    ok $other, 'the old phone is free: its owner registers it' or diag $@;
};

scenario "an administrator changes another user's e-mail: unverified, proven cleared, sessions ended" => sub {
    my $u = victim();
    my $new = unique_email();
    check_admin_ok(scalar put_user($u->{id}, { email => $new }), "another user's e-mail");
    my $r = urow($u->{id});
    is $r->{unverified_email}, $new, 'the new e-mail is stored unverified';
    is $r->{email}, undef, 'the proven e-mail is cleared';
    is $r->{mobile}, $u->{mobile}, 'the mobile is untouched';
    is audit_count($u->{id}, 'contact_change_by_admin'), 1, 'audited';
    check_401(scalar json_request(GET => '/api/me', undef, auth($u->{token})), 'the developer token is revoked');
    check_mfail(scalar mget("get_user_details?token=$u->{mtoken}"), 999, name => 'the mobile token is revoked');
    check_error(scalar login_full($u->{email}, $u->{password}), 500, name => 'the old e-mail logs in no more',
                message => MSG_LOGIN);
    check_error(scalar login_full($new, $u->{password}), 500, name => 'the new e-mail does not log in', message => MSG_LOGIN);
    ok eval { mlogin($u->{mobile}, $u->{password}) }, 'the mobile still does';
};

scenario "another account's proven contact: 422 as in sign-up, nothing written" => sub {
    my $u = victim();
    my $other = victim();
    my $before = snapshot($u->{id});
    check_admin_error(scalar put_user($u->{id}, { phone => $other->{mobile} }), 422, name => "another's proven phone",
                      field => 'phone', message => '手机号已被使用');
    check_admin_error(scalar put_user($u->{id}, { email => uc $other->{email} }), 422,
                      name => "another's proven e-mail in upper case", field => 'email', message => '邮箱已被使用');
    is_deeply snapshot($u->{id}), $before, 'nothing written';
    is audit_count($u->{id}, 'contact_change_by_admin'), 0, 'no audit row';
    me_ok($u->{token}, 'no session ended');
};

scenario 'an administrator changes name and position as before: sessions kept' => sub {
    my $u = victim();
    check_admin_ok(scalar put_user($u->{id}, { name => '管理员改', position => 'Ops' }), 'name and position');
    my $r = urow($u->{id});
    is "$r->{name}|$r->{position}|" . ($r->{mobile} // ''), "管理员改|Ops|$u->{mobile}", 'stored, mobile kept';
    me_ok($u->{token}, 'the developer token still works');
    check_mok(scalar mget("get_user_details?token=$u->{mtoken}"), 'the mobile token still works');
};

# ------------------------------------------------------------------ rule 6

sub patch_mobile { my ($u, $body) = @_; json_request(PATCH => "$B/update-mobile", $body, auth($u->{token})) }

scenario 'update-mobile proved by the password' => sub {
    my $u = signed_in();
    my $m = unique_mobile();
    my $code = new_mobile_code($u, $m);
    my %ok = (authentication_type => 'password', password => $u->{password}, new_mobile => $m,
              new_mobile_verification_code => $code);
    my $before = snapshot($u->{id});

    my ($res, $json) = patch_mobile($u, { %ok, password => 'Wrong-pass9' });
    check_error($res, 422, name => 'a wrong password', field => 'password');
    like join(',', @{ $json->{errors}{password} || [] }), qr/密码错误/, 'errors.password: 密码错误';
    my %b = %ok;
    delete $b{password};
    check_error(scalar patch_mobile($u, \%b), 422, name => 'no password', field => 'password');
    check_error(scalar patch_mobile($u, { %ok, password => '' }), 422, name => 'an empty password', field => 'password');
    %b = %ok;
    delete $b{new_mobile_verification_code};
    check_error(scalar patch_mobile($u, \%b), 422, name => 'the password alone does not prove the new number',
                field => 'new_mobile_verification_code');
    check_error(scalar patch_mobile($u, { %ok, new_mobile_verification_code => wrong_code($code) }), 422,
                name => 'a wrong new-number code', field => 'new_mobile_verification_code');
    is_deeply snapshot($u->{id}), $before, 'nothing written by any of them';
    is audit_count($u->{id}, 'change_mobile'), 0, 'no change_mobile audit row';

    ($res, $json) = patch_mobile($u, \%ok);
    check_ok($res, 'the right password and code');
    is $json->{data}, '', 'data ""';
    is urow($u->{id})->{mobile}, $m, 'users.mobile is the new number';
    is audit_count($u->{id}, 'change_mobile'), 1, 'one change_mobile audit row';
    ok eval { login($m, $u->{password}) }, 'the new number logs in';
    check_error(scalar login_full($u->{mobile}, $u->{password}), 500, name => 'the old one no more', message => MSG_LOGIN);
};

scenario 'bind-email needs the account password' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my $code = bind_code($u, $e);
    my $before = snapshot($u->{id});
    my ($res) = json_request(POST => "$B/bind-email", { email => $e, verification_code => $code }, auth($u->{token}));
    check_error($res, 422, name => 'no password', field => 'password');
    check_error(scalar json_request(POST => "$B/bind-email", { email => $e, verification_code => $code,
                                                               password => 'Wrong-pass9' }, auth($u->{token})),
                422, name => 'a wrong password', field => 'password');
    is_deeply snapshot($u->{id}), $before, 'nothing written';
    check_ok(scalar json_request(POST => "$B/bind-email", { email => $e, verification_code => $code,
                                                            password => $u->{password} }, auth($u->{token})),
             'the code and the password');
    is urow($u->{id})->{email}, $e, 'bound';
};

scenario 'update-email: the new address waits unverified until bind-email proves it' => sub {
    my $u = signed_in();
    my $e = unique_email();
    check_ok(scalar json_request(POST => "$B/bind-email", { email => $e, verification_code => bind_code($u, $e),
                                                            password => $u->{password} }, auth($u->{token})),
             'an address bound first');
    my $old_code = fetch_code("$B/update-email/old-email-verification-code?email=$e", $u->{token});
    my $new = unique_email();
    check_ok(scalar json_request(PATCH => "$B/update-email", { old_email_verification_code => $old_code,
                                                               old_email => $e, new_email => uc $new }, auth($u->{token})),
             'update-email');
    my $r = urow($u->{id});
    is $r->{email}, undef, 'the proven e-mail is cleared';
    is $r->{unverified_email}, $new, 'the new address is stored unverified, in lower case';
    check_error(scalar login_full($e, $u->{password}), 500, name => 'the old address logs in no more', message => MSG_LOGIN);
    check_error(scalar login_full($new, $u->{password}), 500, name => 'the new one not yet', message => MSG_LOGIN);

    my ($cres, undef, $code) = code_get("$B/bind-email/verification-code?email=$new", $u->{token});
    check_ok($cres, 'a bind code for the unverified new address');
    $code //= '000000';
    check_error(scalar json_request(POST => "$B/bind-email", { email => $new, verification_code => $code },
                                    auth($u->{token})), 422, name => 'confirming without the password', field => 'password');
    check_ok(scalar json_request(POST => "$B/bind-email", { email => $new, verification_code => $code,
                                                            password => $u->{password} }, auth($u->{token})),
             'bind-email confirms it');
    $r = urow($u->{id});
    is $r->{email}, $new, 'now the proven e-mail';
    is $r->{unverified_email}, undef, 'no longer unverified';
    ok eval { login(uc $new, $u->{password}) }, 'it logs in (any case)';
};

done_testing;
