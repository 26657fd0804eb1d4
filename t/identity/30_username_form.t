# Account core, rule 3 (and rule 4 for mobile-form identifiers): a username
# never has the form of a mainland mobile number (^1[3-9][0-9]{9}$) on any
# face, in devplat-admin, or in the database itself; so an identifier of
# mobile form names at most one account: the one that proved that mobile.
# (Each literal number below is used once, so that a refusal for being
# taken cannot pass for a refusal of the form.)
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(102);

my $admin = make_admin();

sub urow { user_row($_[0] // 0) || {} }
sub named { db_value('SELECT count(*) FROM users WHERE username = ' . sql_quote($_[0])) }
sub put_user { my ($id, $body, $token) = @_; admin(PUT => "user/$id", $body, auth($token // $admin->{token})) }

sub code_unspent {
    my ($m) = @_;
    return !defined db_value('SELECT used_at FROM verification_codes WHERE destination = ' . sql_quote($m)
                             . q{ AND purpose = 'register' ORDER BY id DESC LIMIT 1});
}

scenario 'developer register: a username of mobile form is refused, nothing written' => sub {
    for my $name ('13800138000', unique_mobile(), '19912345678') {
        my $m = unique_mobile();
        my $code = request_code($m);
        my $users = db_value('SELECT count(*) FROM users');
        my ($res, $json) = json_request(POST => '/api/register', { username => $name, mobile => $m,
                                                                   password => 'Passw0rd!', verification_code => $code });
        check_error($res, 422, name => "username '$name'", field => 'username');
        is db_value('SELECT count(*) FROM users'), $users, "$name: no user written";
        ok code_unspent($m), "$name: the code is not spent";
        check_ok(scalar json_request(POST => '/api/register', { username => unique_name(), mobile => $m,
                                                                password => 'Passw0rd!', verification_code => $code }),
                 "$name: the same code registers with a proper username");
    }
};

scenario 'developer register: digit names that are not of mobile form are still names' => sub {
    for my $name ('128' . substr(unique_mobile(), 3), substr(unique_mobile(), 0, 10), unique_mobile() . '1',
                  '0' . substr(unique_mobile(), 1), 'm' . unique_mobile()) {
        my $m = unique_mobile();
        my ($res, $json) = json_request(POST => '/api/register', { username => $name, mobile => $m, password => 'Passw0rd!',
                                                                   verification_code => request_code($m) });
        check_ok($res, "username '$name' accepted");
        is named($name), 1, "$name: stored";
    }
};

scenario "a username equal to another account's mobile is refused on every face" => sub {
    my $owner = register_user(password => 'Owner_pw1');
    my $m = unique_mobile();
    check_error(scalar json_request(POST => '/api/register', { username => $owner->{mobile}, mobile => $m,
                                    password => 'Passw0rd!', verification_code => request_code($m) }), 422,
                name => "developer register with the owner's number as username", field => 'username');
    check_admin_error(scalar admin_sign_up(nickname => $owner->{mobile}), 422,
                      name => "admin signUp with the owner's number as nickname", cmd => 'signUp', field => 'nickname');
    my $other = make_user();
    my $before = urow($other->{id});
    check_admin_error(scalar put_user($other->{id}, { nickname => $owner->{mobile} }), 422,
                      name => "an administrator renames a user to the owner's number", field => 'nickname');
    check_admin_error(scalar put_user($other->{id}, { nickname => $owner->{mobile} },
                                      admin_login($other->{nickname}, $other->{password})), 422,
                      name => "a user renames themselves to the owner's number", field => 'nickname');
    is urow($other->{id})->{username}, $before->{username}, 'the username is unchanged';
    is named($owner->{mobile}), 0, 'no account is named like the number';

    # that number as a login identifier names the owner, on every face
    my ($res, $json) = login_full($owner->{mobile}, 'Owner_pw1');
    check_ok($res, 'developer login by the number');
    is eval { $json->{data}{user_info}{id} }, $owner->{id}, '... lands on the owner';
    check_error(scalar login_full($owner->{mobile}, $other->{password}), 500,
                name => "the number with another account's password", message => MSG_LOGIN);
    ($res, $json) = admin_login_full($owner->{mobile}, 'Owner_pw1');
    check_admin_ok($res, 'admin login by the number', cmd => 'login', message => '登录成功');
    is eval { $json->{data}{id} }, $owner->{id}, '... lands on the owner';
    is eval { $json->{data}{nickname} }, $owner->{username}, '... with its nickname';
    ($res, $json) = mform(POST => 'login', { phone => $owner->{mobile}, password => 'Owner_pw1' });
    check_mok($res, 'mobile login by the number', info => '登录成功');
    is eval { (jwt_claims($json->{data}{token}) || {})->{sub} }, $owner->{id}, '... lands on the owner';
};

scenario 'admin face: a nickname of mobile form is refused at sign-up and on update' => sub {
    my $users = db_value('SELECT count(*) FROM users');
    for my $nick ('13900139000', unique_mobile()) {
        check_admin_error(scalar admin_sign_up(nickname => $nick), 422, name => "signUp nickname '$nick'",
                          cmd => 'signUp', field => 'nickname');
        check_admin_error(scalar admin_sign_up(nickname => 0 + $nick), 422, name => "signUp nickname $nick as digits",
                          field => 'nickname');
    }
    is db_value('SELECT count(*) FROM users'), $users, 'no user written';
    my $u = make_user();
    my $before = urow($u->{id});
    check_admin_error(scalar put_user($u->{id}, { nickname => unique_mobile() }), 422,
                      name => 'update nickname of mobile form', cmd => "user/$u->{id}", field => 'nickname');
    check_admin_error(scalar put_user($u->{id}, { nickname => unique_mobile(), name => '新名字' }), 422,
                      name => 'beside a good field', field => 'nickname');
    my $after = urow($u->{id});
    is "$after->{username}|$after->{name}", "$before->{username}|$before->{name}", 'nothing written';
    my $digits = '128' . substr(unique_mobile(), 3);
    check_admin_ok(scalar admin_sign_up(nickname => $digits), "signUp nickname $digits (not of mobile form)",
                   message => '注册成功');
};

scenario 'devplat-admin create-admin refuses a name of mobile form' => sub {
    for my $name ('13700137000', unique_mobile()) {
        my ($rc, $out) = admin_tool("Adm1n-pw\n", 'create-admin', $name);
        isnt $rc, 0, "create-admin $name exits non-zero" or diag $out;
        like $out, qr/\S/, '... and says why';
        is named($name), 0, '... no account';
    }
    my $ok = 'a' . substr(unique_mobile(), 1);
    my ($rc, $out) = admin_tool("Adm1n-pw\n", 'create-admin', $ok);
    is $rc, 0, "create-admin $ok works (control)" or diag $out;
};

sub insert_user {
    my ($name) = @_;
    return eval {
        db('INSERT INTO users (username, password, created_at, updated_at) VALUES ('
           . sql_quote($name) . q{, 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')});
        1;
    };
}

scenario 'the database refuses a username of mobile form (' . engine() . ')' => sub {
    my $control = unique_name();
    ok insert_user($control), 'control: a direct INSERT of an ordinary name works';
    for my $name ('13600136000', unique_mobile()) {
        ok !insert_user($name), "a direct INSERT of username $name fails";
        is named($name), 0, '... no row';
    }
    my $id = db_value('SELECT id FROM users WHERE username = ' . sql_quote($control));
    my $renamed = eval { db('UPDATE users SET username = ' . sql_quote(unique_mobile()) . " WHERE id = $id"); 1 };
    ok !$renamed, 'an UPDATE to a name of mobile form fails';
    is db_value("SELECT username FROM users WHERE id = $id"), $control, '... the name is unchanged';
    ok insert_user('128' . substr(unique_mobile(), 3)), 'a digit name that is not of mobile form is allowed';
};

done_testing;
