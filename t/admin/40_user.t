# GET and PUT user/{id}: administrators any user, everyone else only
# themselves; 001's rules on every field, nickname, phone and e-mail unique.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;

client_net(54);

my $admin = make_admin();
my $user = make_user();
my $user_token = admin_login($user->{nickname}, $user->{password});
my $other = make_user();

sub get_user { admin(GET => "user/$_[0]", undef, auth($_[1] // $admin->{token})) }
sub put_user { admin(PUT => "user/$_[0]", $_[1], auth($_[2] // $admin->{token}), @_[3 .. $#_]) }

sub row { (db_rows("SELECT username, name, mobile, email, unverified_mobile, unverified_email, position, status, is_admin FROM users WHERE id = $_[0]"))[0] }

scenario 'GET user/{id}: an administrator reads anyone' => sub {
    my ($res, $json) = get_user($user->{id});
    check_admin_ok($res, 'GET user', cmd => "user/$user->{id}");
    check_admin_user($res, ['data'], 'the user', id => $user->{id}, nickname => $user->{nickname},
                     name => $user->{name}, phone => $user->{mobile}, email => $user->{email},
                     position => $user->{position}, avatar => '', account_status => '已审核', user_level => 0);
    is $json->{data}{create_time}, db_value("SELECT created_at FROM users WHERE id = $user->{id}"), 'create_time as stored';
    ($res, $json) = get_user($admin->{id});
    check_admin_user($res, ['data'], 'the administrator', nickname => $admin->{nickname}, name => '', phone => '',
                     email => '', position => '', user_level => 1);
};

scenario 'GET user/{id}: a user reads only themselves' => sub {
    my ($res) = get_user($user->{id}, $user_token);
    check_admin_ok($res, 'own record', cmd => "user/$user->{id}");
    check_admin_user($res, ['data'], 'own record', id => $user->{id});
    check_admin_error(scalar get_user($other->{id}, $user_token), 403, name => 'another user', cmd => "user/$other->{id}",
                      message => MSG_FORBIDDEN);
    check_admin_error(scalar get_user($admin->{id}, $user_token), 403, name => 'the administrator');
    check_admin_error(scalar get_user(987654321, $user_token), 403, name => 'a user that does not exist (no hint)');
    check_admin_error(scalar admin(GET => "user/$user->{id}"), 401, name => 'no token', message => MSG_TOKEN);
};

scenario 'GET user/{id}: unknown, deleted, malformed ids' => sub {
    check_admin_error(scalar get_user(987654321), 404, name => 'unknown id', cmd => 'user/987654321', message => MSG_NO_USER);
    my $d = make_user();
    set_status($d->{id}, 5);
    check_admin_error(scalar get_user($d->{id}), 404, name => 'deleted user', message => MSG_NO_USER);
    for my $id ('abc', '0', '-1', '1.5', '1e3', '+1', '0x1', '%201', '1%20', "1'", '1%20OR%201=1',
                '9999999999999999999', '%E4%B8%80') {
        check_admin_error(scalar get_user($id), 422, name => "id '$id'", field => 'id');
    }
};

scenario 'PUT user/{id}: an administrator changes every field' => sub {
    my $u = make_user();
    my %new = (nickname => 'nk' . $u->{id} . '_x', name => '李四' . $u->{id}, phone => unique_mobile(),
               position => 'Lead-' . $u->{id}, email => "new.$u->{id}\@example.org");
    my ($res, $json) = put_user($u->{id}, \%new);
    check_admin_ok($res, 'PUT user', cmd => "user/$u->{id}");
    is jtype($res, 'data'), 'array', 'data is an array';
    is scalar @{ $json->{data} || [1] }, 0, 'data is []';
    my $r = row($u->{id});
    is $r->{username}, $new{nickname}, 'nickname stored as users.username';
    is $r->{name}, $new{name}, 'name stored';
    # an administrator vouches for no contact: both are kept unverified
    is $r->{unverified_mobile}, $new{phone}, 'phone stored unverified (users.unverified_mobile)';
    is $r->{mobile}, undef, 'the proven mobile is gone';
    is $r->{position}, $new{position}, 'position stored';
    is $r->{unverified_email}, $new{email}, 'email stored unverified';
    is $r->{email}, undef, 'the proven e-mail is gone';
    my ($audit) = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'user_update'");
    is $audit->{detail}, "nickname,name,phone,position,email by $admin->{id}", 'audit row names the fields and the administrator';
    ($audit) = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'contact_change_by_admin'");
    is $audit->{detail}, "phone,email unverified, by $admin->{id}", 'the credential change is audited as such';
    check_admin_user(scalar get_user($u->{id}), ['data'], 'read back', %new);
    my $t = login($new{nickname}, $u->{password});
    check_ok(scalar json_request(GET => '/api/me', undef, auth($t)), 'the new nickname logs in on the developer face');
};

scenario 'PUT user/{id}: some fields; phone as a JSON integer; a form body' => sub {
    my $u = make_user();
    my $phone = unique_mobile();
    check_admin_ok(scalar put_user($u->{id}, { phone => 0 + $phone }), 'phone as an integer', cmd => "user/$u->{id}");
    is row($u->{id})->{unverified_mobile}, $phone, 'stored as text';
    check_admin_ok(scalar put_user($u->{id}, { position => 'QA' }), 'position alone');
    my $r = row($u->{id});
    is $r->{position}, 'QA', 'position changed';
    is $r->{name}, $u->{name}, 'name kept';
    is $r->{username}, $u->{nickname}, 'nickname kept';
    check_admin_ok(scalar put_user($u->{id}, form_body(name => '王五' . $u->{id}), undef,
                                   'Content-Type' => 'application/x-www-form-urlencoded'), 'a form body');
    is row($u->{id})->{name}, '王五' . $u->{id}, 'name from the form';
    check_admin_ok(scalar put_user($u->{id}, { nickname => $u->{nickname} }), 'the own nickname again is no conflict');
    check_admin_ok(scalar put_user($u->{id}, { email => "o'brien.$u->{id}\@example.com" }), 'an e-mail with a quote');
    is row($u->{id})->{unverified_email}, "o'brien.$u->{id}\@example.com", 'stored literally';
};

scenario 'PUT user/{id}: a user updates only themselves' => sub {
    my $before = row($other->{id});
    check_admin_ok(scalar put_user($user->{id}, { name => '自己改名' }, $user_token), 'own record', cmd => "user/$user->{id}");
    is row($user->{id})->{name}, '自己改名', 'changed';
    check_admin_error(scalar put_user($other->{id}, { name => '别人改名' }, $user_token), 403,
                      name => "another user's record", cmd => "user/$other->{id}", message => MSG_FORBIDDEN);
    check_admin_error(scalar put_user($admin->{id}, { name => '改管理员' }, $user_token), 403, name => "the administrator's record");
    is_deeply row($other->{id}), $before, 'the other user is untouched';
    check_admin_error(scalar admin(PUT => "user/$user->{id}", { name => 'abc' }), 401, name => 'no token');
    my $r = row($user->{id});
    check_admin_ok(scalar put_user($user->{id}, { name => '再改一次', user_level => 1, is_admin => 1, status => 5,
                                                  account_status => 1, passwd => 'x' }, $user_token),
                   'unknown fields are ignored');
    my $r2 = row($user->{id});
    is $r2->{is_admin}, 0, 'still no administrator';
    is $r2->{status}, 0, 'status unchanged';
    check_admin_error(scalar admin(GET => 'list/user', undef, auth($user_token)), 403, name => 'still forbidden to list');
};

# field => [[bad values], [good values]]
my $p = $$ % 10000;
my %rules = (
    nickname => [['a', 'x' x 17, "\x{5f20}" x 17, 'ab c', 'ab.c', "ab'c", 'ab@c', "ab\x{1F600}", "a\tb", '<b>', "\x{ff21}b"],
                 [chr(0x4E00 + $$ % 20000) . 'q', substr("n${p}_" . 'y' x 16, 0, 16), "\x{5f20}" x 15 . 'z', "n${p}-A_b"]],
    name     => [['a', 'x' x 17, "\x{674e}" x 17, 'a b', 'a.b', "a'b", 'a;b', "\x{1F600}x"],
                 ['ab', 'x' x 16, "\x{674e}" x 16, "\x{674e}\x{56db}", 'A-b_9']],
    position => [['a', 'x' x 21, "\x{804c}\x{4f4d}", 'a b', 'a.b', 'a/b', "ab'"],
                 ['ab', 'x' x 20, 'Dev-Ops_2']],
    phone    => [['1381234567', '138123456789', '12812345678', '23812345678', '1381234567a', '+8613812345678',
                  '17012345678', '17112345678', '16212345678', '16512345678', '16712345678', ' 13812345678'],
                 []],
    email    => [['plain', 'a@', '@b.cn', 'a@b', 'a b@c.cn', 'a@b..cn', "\x{5f20}\x{200b}\@b.cn", 'a@b.c',
                  ('l' x 64) . '@' . ('d' x 63) . '.' . ('e' x 63) . '.' . ('f' x 58) . '.com'],
                 [('l' x 64) . '@' . ('d' x 63) . '.' . ('e' x 63) . '.' . ('f' x 57) . '.com', "a$p\@b.cn",
                  "\x{5f20}$p\@b.cn"]],
);

scenario 'PUT user/{id}: each rule on its boundary' => sub {
    my $u = make_user();
    my $before = row($u->{id});
    for my $f (sort keys %rules) {
        for my $v (@{ $rules{$f}[0] }) {
            check_admin_error(scalar put_user($u->{id}, { $f => $v }), 422,
                              name => "$f of " . length($v) . " characters '" . substr($v, 0, 20) . "'", field => $f,
                              cmd => "user/$u->{id}");
        }
    }
    is_deeply row($u->{id}), $before, 'nothing was written';
    for my $f (sort keys %rules) {
        for my $v (@{ $rules{$f}[1] }) {
            check_admin_ok(scalar put_user($u->{id}, { $f => $v }), "$f of " . length($v) . ' characters accepted');
            my $col = { nickname => 'username', phone => 'unverified_mobile', email => 'unverified_email' }->{$f} // $f;
            is row($u->{id})->{$col}, $f eq 'email' ? lc $v : $v, "$f stored";
        }
    }
    for my $ph ('17212345678', '16612345678', '19912345678') {
        my $m = substr($ph, 0, 3) . substr(unique_mobile(), 3);
        check_admin_ok(scalar put_user($u->{id}, { phone => $m }), "phone $m (not a virtual range) accepted");
    }
};

scenario 'PUT user/{id}: missing, empty, wrong types, nothing half-written' => sub {
    my $u = make_user();
    my $before = row($u->{id});
    for my $f (qw(nickname name phone position email)) {
        check_admin_error(scalar put_user($u->{id}, { $f => '' }), 422, name => "$f empty", field => $f);
        for my $v ([1], { a => 1 }, undef, JSON::PP::true(), 1.5) {
            check_admin_error(scalar put_user($u->{id}, { $f => $v }), 422, name => "$f as " . json_type($v), field => $f);
        }
        next if $f eq 'phone';
        check_admin_error(scalar put_user($u->{id}, { $f => 12345678 }), 422, name => "$f as a number", field => $f);
    }
    my ($res, $json) = put_user($u->{id}, { name => '好名字', email => 'not-an-email', position => 'x' });
    check_admin_error($res, 422, name => 'one good field, two bad ones', field => 'email');
    ok exists $json->{data}{errors}{position}, 'both bad fields are reported';
    ok !exists $json->{data}{errors}{name}, 'the good one is not';
    check_admin_error(scalar put_user($u->{id}, {}), 422, name => 'no field at all', cmd => "user/$u->{id}",
                      message => qr/至少提供一项/);
    check_admin_error(scalar put_user($u->{id}, { avatar => 'x', passwd => 'y' }), 422, name => 'only fields that cannot change');
    check_admin_error(scalar put_user($u->{id}, '{"name":'), 422, name => 'malformed JSON');
    check_admin_error(scalar put_user($u->{id}, '"name"'), 422, name => 'JSON string, not an object');
    check_admin_error(scalar put_user($u->{id}, '{"name":"x"}', undef, 'Content-Type' => 'text/plain'), 415, name => 'text/plain');
    check_admin_error(scalar put_user($u->{id}, qq{{"name":"ab\xff"}}), 422, name => 'invalid UTF-8');
    check_admin_error(scalar put_user($u->{id}, '{"name":"ab\u0000c"}'), 422, name => 'NUL inside', field => 'name');
    check_admin_error(scalar put_user($u->{id}, { name => q{'; DROP TABLE users; --} }), 422, name => 'SQL as a name', field => 'name');
    is_deeply row($u->{id}), $before, 'nothing was written';
    ok table_exists('users'), 'users table intact';
};

scenario 'PUT user/{id}: nickname, phone and e-mail stay unique' => sub {
    my $u = make_user();
    my $before = row($u->{id});
    check_admin_error(scalar put_user($u->{id}, { nickname => $other->{nickname} }), 422,
                      name => "another user's nickname", field => 'nickname', message => '用户名已存在');
    check_admin_error(scalar put_user($u->{id}, { phone => $other->{mobile} }), 422,
                      name => "another user's phone", field => 'phone', message => '手机号已被使用');
    check_admin_error(scalar put_user($u->{id}, { email => $other->{email} }), 422,
                      name => "another user's e-mail", field => 'email', message => '邮箱已被使用');
    my ($res, $json) = put_user($u->{id}, { nickname => $other->{nickname}, phone => $other->{mobile}, email => $other->{email} });
    is join(',', sort keys %{ $json->{data}{errors} || {} }), 'email,nickname,phone', 'all three at once';
    my $d = make_user();
    set_status($d->{id}, 5);
    check_admin_error(scalar put_user($u->{id}, { nickname => $d->{nickname} }), 422,
                      name => "a deleted user's nickname is still taken", field => 'nickname');
    is_deeply row($u->{id}), $before, 'nothing was written';
};

scenario 'PUT user/{id}: unknown, deleted, malformed ids' => sub {
    check_admin_error(scalar put_user(987654321, { name => 'abc' }), 404, name => 'unknown id', message => MSG_NO_USER);
    my $d = make_user();
    set_status($d->{id}, 5);
    check_admin_error(scalar put_user($d->{id}, { name => 'abc' }), 404, name => 'deleted user');
    is row($d->{id})->{name}, $d->{name}, 'the deleted user is untouched';
    check_admin_error(scalar put_user('x1', { name => 'abc' }), 422, name => 'id x1', field => 'id');
};

done_testing;
