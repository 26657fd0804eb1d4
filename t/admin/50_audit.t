# PUT audit/user/{id}: an administrator moves a user that is not yet
# reviewed to normal; cmd is "audit/user" as 001 shows it.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;

client_net(55);

my $admin = make_admin();

sub audit_user { admin(PUT => "audit/user/$_[0]", undef, auth($_[1] // $admin->{token})) }
sub status_of { db_value("SELECT status FROM users WHERE id = $_[0]") }

scenario 'a user that is not reviewed becomes normal' => sub {
    my $u = make_pending();
    my (undef, $j0) = admin_login_full($u->{nickname}, $u->{password});
    is $j0->{data}{account_status}, 0, 'before: account_status 0 at login';
    my ($res, $json) = audit_user($u->{id});
    check_admin_ok($res, 'audit', cmd => 'audit/user');
    is jtype($res, 'data'), 'array', 'data is an array';
    is scalar @{ $json->{data} || [1] }, 0, 'data is []';
    is status_of($u->{id}), 0, 'users.status 0 (normal)';
    my @a = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'user_audit'");
    is scalar @a, 1, 'one audit row';
    is $a[0]{detail}, "approved by $admin->{id}", 'it names the administrator';
    is $a[0]{client_ip}, client_ip(), 'and the client address';
    my ($r2, $j2) = admin(GET => "user/$u->{id}", undef, auth($admin->{token}));
    is $j2->{data}{account_status}, '已审核', 'the user reads 已审核';
    my (undef, $j3) = admin_login_full($u->{nickname}, $u->{password});
    is $j3->{data}{account_status}, 1, 'after: account_status 1 at login';
};

scenario 'under review (4) is pending too' => sub {
    my $u = make_user(status => 4);
    check_admin_ok(scalar audit_user($u->{id}), 'audit of status 4', cmd => 'audit/user');
    is status_of($u->{id}), 0, 'normal';
};

scenario 'users that are not pending: 409' => sub {
    for my $st (0, 1, 3) {
        my $u = make_user(status => $st);
        my $n = db_value("SELECT count(*) FROM audit_log WHERE user_id = $u->{id} AND action = 'user_audit'");
        check_admin_error(scalar audit_user($u->{id}), 409, name => "status $st", cmd => 'audit/user',
                          message => '该用户不是待审核状态');
        is status_of($u->{id}), $st, "status $st unchanged";
        is db_value("SELECT count(*) FROM audit_log WHERE user_id = $u->{id} AND action = 'user_audit'"), $n, 'no audit row';
    }
    my $u = make_pending();
    check_admin_ok(scalar audit_user($u->{id}), 'first audit');
    check_admin_error(scalar audit_user($u->{id}), 409, name => 'audited twice', cmd => 'audit/user');
};

scenario 'administrators only; unknown, deleted and malformed ids' => sub {
    my $u = make_pending();
    my $t = admin_login($u->{nickname}, $u->{password});
    check_admin_error(scalar audit_user($u->{id}, $t), 403, name => 'a pending user auditing themselves',
                      cmd => 'audit/user', message => MSG_FORBIDDEN);
    my $v = make_user();
    my $tv = admin_login($v->{nickname}, $v->{password});
    check_admin_error(scalar audit_user($u->{id}, $tv), 403, name => 'a user auditing another');
    is status_of($u->{id}), 2, 'still not reviewed';
    check_admin_error(scalar admin(PUT => "audit/user/$u->{id}"), 401, name => 'no token', cmd => 'audit/user',
                      message => MSG_TOKEN);
    check_admin_error(scalar audit_user(987654321), 404, name => 'unknown id', cmd => 'audit/user', message => MSG_NO_USER);
    my $d = make_pending();
    set_status($d->{id}, 5);
    check_admin_error(scalar audit_user($d->{id}), 404, name => 'deleted user', message => MSG_NO_USER);
    is status_of($d->{id}), 5, 'still deleted';
    for my $id ('abc', '0', '-2', '1.0', "1'") {
        check_admin_error(scalar audit_user($id), 422, name => "id '$id'", cmd => 'audit/user', field => 'id');
    }
    check_admin_ok(scalar admin(PUT => "audit/user/$u->{id}", { ignored => 1 }, auth($admin->{token})),
                   'a body is ignored', cmd => 'audit/user');
};

done_testing;
