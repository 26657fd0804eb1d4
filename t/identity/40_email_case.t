# Account core, rule 5 (and rule 4 for identifiers with '@'): e-mail
# addresses are one address whatever their case, on every face: stored
# lower-case (proven and unverified), unique ignoring case, and a login
# identifier in any case once proven. Also: N accounts binding one address
# at once (each in its own spelling) leave exactly one holder.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(103);
field_labels(email => ['邮箱']);

my $admin = make_admin();
my $B = '/api/user/base';

sub urow { user_row($_[0] // 0) || {} }
sub put_user { my ($id, $body) = @_; admin(PUT => "user/$id", $body, auth($admin->{token})) }
sub holders { db_value('SELECT count(*) FROM users WHERE email = ' . sql_quote(lc $_[0])) }

# 'Ab.Cd@Example.COM'-like spellings of a lower-case address.
sub spellings {
    my ($e) = @_;
    my ($local, $domain) = split /\@/, $e;
    return (uc $e, ucfirst($local) . '@' . uc($domain), $local . '@' . ucfirst($domain),
            join('', map { $_ % 2 ? uc substr($e, $_, 1) : substr($e, $_, 1) } 0 .. length($e) - 1));
}


# A developer-face user who proved the address (bind-email).
sub owner_of {
    my ($e) = @_;
    my $u = signed_in();
    my ($r, undef, $code) = bind_code_res($u, $e);
    die "bind code: " . $r->status_line . "\n" unless defined $code;
    my ($res) = bind_email($u, $e, $code);
    die "bind: " . $res->status_line . ' ' . ($res->content // '') . "\n" unless $res->code == 200;
    $u->{email} = lc $e;
    return $u;
}

scenario 'bind-email of a case variant of a proven address: 422 email 邮箱已被其他账号使用' => sub {
    my $owner = owner_of(unique_email());
    my $v = signed_in();
    for my $s (spellings($owner->{email})) {
        my ($res, $json) = bind_email($v, $s, '123456');
        check_error($res, 422, name => "bind $s", field => 'email');
        is eval { $json->{errors}{email}[0] }, '邮箱已被其他账号使用', "$s: 邮箱已被其他账号使用";
        check_error(scalar bind_code_res($v, $s), 422, name => "a bind code for $s", field => 'email');
    }
    is urow($v->{id})->{email}, undef, 'nothing bound';
};

scenario 'admin signUp and update with a case variant of a proven address: 422 email' => sub {
    my $owner = owner_of(unique_email());
    my $users = db_value('SELECT count(*) FROM users');
    for my $s (spellings($owner->{email})) {
        check_admin_error(scalar admin_sign_up(email => $s), 422, name => "signUp with $s", cmd => 'signUp',
                          field => 'email', message => '邮箱已被使用');
    }
    is db_value('SELECT count(*) FROM users'), $users, 'no user written';
    my $u = make_user();
    my $before = urow($u->{id});
    for my $s (spellings($owner->{email})) {
        check_admin_error(scalar put_user($u->{id}, { email => $s }), 422, name => "update to $s", field => 'email',
                          message => '邮箱已被使用');
    }
    my $after = urow($u->{id});
    is_deeply [@$after{qw(email unverified_email updated_at)}], [@$before{qw(email unverified_email updated_at)}],
        'nothing written';
};

scenario 'a second row with the same lower-case address: the unique index refuses it' => sub {
    my $owner = owner_of(unique_email());
    my $ok = eval {
        db('INSERT INTO users (username, email, password, created_at, updated_at) VALUES ('
           . sql_quote(unique_name()) . ', ' . sql_quote($owner->{email})
           . q{, 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')});
        1;
    };
    ok !$ok, 'a direct INSERT with the same e-mail fails';
    is holders($owner->{email}), 1, 'one holder';
};

scenario 'unverified addresses are stored in lower case' => sub {
    my $e = unique_email();
    my $mixed = ucfirst($e) =~ s/example\.com$/Example.COM/r;
    my ($res, $json) = admin_sign_up(email => $mixed);
    check_admin_ok($res, "signUp with $mixed", message => '注册成功');
    my $id = eval { $json->{data}{id} };
    is urow($id)->{unverified_email}, $e, 'signUp: unverified_email in lower case';
    is urow($id)->{email}, undef, 'signUp: no proven e-mail';

    my $u = make_user();
    my $e2 = unique_email();
    check_admin_ok(scalar put_user($u->{id}, { email => uc $e2 }), 'an administrator sets an upper-case address');
    is urow($u->{id})->{unverified_email}, $e2, 'update: unverified_email in lower case';
};

scenario 'a proven address logs in in any case; admin login takes it too' => sub {
    my $owner = owner_of(unique_email());
    for my $s (spellings($owner->{email})) {
        my ($res, $json) = login_full($s, $owner->{password});
        check_ok($res, "developer login as $s");
        is eval { $json->{data}{user_info}{id} }, $owner->{id}, "$s: the owner";
    }
    my ($res, $json) = admin_login_full(uc $owner->{email}, $owner->{password});
    check_admin_ok($res, 'admin login by the address in upper case', cmd => 'login', message => '登录成功');
    is eval { $json->{data}{id} }, $owner->{id}, '... the owner';
    check_mfail(scalar mform(POST => 'login', { phone => $owner->{email}, password => $owner->{password} }), 1006,
                name => 'the mobile face takes only a phone', info => '账号密码格式不正确:手机号格式不正确');
    check_error(scalar login_full(uc $owner->{email}, 'Wrong-pass9'), 500, name => 'a wrong password', message => MSG_LOGIN);
};

scenario 'an address unverified elsewhere is proved in another spelling; the copy goes' => sub {
    my $e = unique_email();
    my ($res, $json) = admin_sign_up(email => $e);
    check_admin_ok($res, 'signUp records it unverified', message => '注册成功');
    my $sid = eval { $json->{data}{id} } // 0;
    my $v = signed_in();
    my $spelled = uc $e;
    my ($cres, undef, $code) = bind_code_res($v, $spelled);
    check_ok($cres, "a bind code for $spelled");
    is scalar(grep { ($_->{purpose} // '') eq 'bind_email' } notify_for($e)), 1, 'sent to the lower-case address';
    check_ok(scalar bind_email($v, $spelled, $code // '000000'), "bound as $spelled");
    is urow($v->{id})->{email}, $e, 'stored in lower case';
    is urow($sid)->{unverified_email}, undef, "the admin-face account's copy is cleared";
    check_error(scalar login_full($e, 'Pass_w0rd-1'), 500, name => "the admin-face account's password by that address",
                message => MSG_LOGIN);
};

scenario 'N accounts bind one address at once, each in its own spelling: one holder' => sub {
    my $e = unique_email();
    my @spell = ($e, spellings($e), ucfirst $e);
    my @got = bind_at_once($e, @spell);
    is scalar(grep { defined && $_ eq '200' } @got), 1, 'exactly one 200' or diag "@got";
    is scalar(grep { defined && $_ eq '422' } @got), $#spell, 'the others 422' or diag "@got";
    is holders($e), 1, 'one account holds the address';
    is db_value('SELECT count(*) FROM users WHERE lower(email) = ' . sql_quote($e)), 1, 'in any case';
};

done_testing;
