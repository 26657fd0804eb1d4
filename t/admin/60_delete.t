# DELETE user/{id}: soft delete (status 5), every session revoked, gone from
# every lookup; never the last administrator who can sign in.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;

client_net(56);

my $admin = make_admin();

sub del { admin(DELETE => "user/$_[0]", undef, auth($_[1] // $admin->{token})) }

scenario 'an administrator deletes a user' => sub {
    my $u = make_user();
    my $t_admin = admin_login($u->{nickname}, $u->{password});
    my $t_dev = login($u->{nickname}, $u->{password});
    my $total = db_value('SELECT count(*) FROM users WHERE status <> 5');
    my ($res, $json) = del($u->{id});
    check_admin_ok($res, 'delete', cmd => "user/$u->{id}");
    is jtype($res, 'data'), 'boolean', 'data is a boolean';
    ok $json->{data}, 'data: true';
    my $row = (db_rows("SELECT status, username FROM users WHERE id = $u->{id}"))[0];
    is $row->{status}, 5, 'users.status 5: the row stays (soft delete)';
    is db_value("SELECT count(*) FROM sessions WHERE user_id = $u->{id} AND revoked_at IS NULL"), 0, 'every session revoked';
    is db_value("SELECT count(*) FROM sessions WHERE user_id = $u->{id}"), 2, '(both of them)';
    my @a = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'user_delete'");
    is scalar @a, 1, 'one audit row';
    is $a[0]{detail}, "by $admin->{id}", 'it names the administrator';

    check_admin_error(scalar admin(GET => "user/$u->{id}", undef, auth($t_admin)), 401, name => 'its admin-face token');
    check_401(scalar json_request(GET => '/api/me', undef, auth($t_dev)), 'its developer-face token');
    check_admin_error(scalar admin(GET => "user/$u->{id}", undef, auth($admin->{token})), 404, name => 'GET afterwards', message => MSG_NO_USER);
    check_admin_error(scalar admin(PUT => "user/$u->{id}", { name => 'abc' }, auth($admin->{token})), 404, name => 'PUT afterwards');
    check_admin_error(scalar admin(PUT => "audit/user/$u->{id}", undef, auth($admin->{token})), 404, name => 'audit afterwards');
    check_admin_error(scalar del($u->{id}), 404, name => 'DELETE again', message => MSG_NO_USER);
    my (undef, $list) = admin(GET => 'list/user', undef, auth($admin->{token}));
    is $list->{data}{total}, $total - 1, 'one fewer in the list';
    my $pages = $list->{data}{last_page};
    my $found = 0;
    for my $p (1 .. $pages) {
        my (undef, $j) = admin(GET => "list/user?page=$p", undef, auth($admin->{token}));
        $found += grep { $_->{id} == $u->{id} } @{ $j->{data}{data} || [] };
    }
    is $found, 0, 'on no page';
    check_admin_error(scalar admin_login_full($u->{nickname}, $u->{password}), 422, name => 'login afterwards',
                      message => '用户名或密码错误');
    is((json_request(POST => '/api/login', { username => $u->{nickname}, password => $u->{password} }))[0]->code, 500,
       'developer-face login afterwards: refused');
};

scenario 'who may delete' => sub {
    my $u = make_user();
    my $t = admin_login($u->{nickname}, $u->{password});
    my $v = make_user();
    check_admin_error(scalar del($v->{id}, $t), 403, name => 'a user deleting another', cmd => "user/$v->{id}", message => MSG_FORBIDDEN);
    check_admin_error(scalar del($u->{id}, $t), 403, name => 'a user deleting themselves');
    check_admin_error(scalar del($admin->{id}, $t), 403, name => 'a user deleting the administrator');
    is db_value("SELECT count(*) FROM users WHERE id IN ($u->{id}, $v->{id}, $admin->{id}) AND status = 5"), 0, 'nobody deleted';
    check_admin_error(scalar admin(DELETE => "user/$v->{id}"), 401, name => 'no token', message => MSG_TOKEN);
    check_admin_error(scalar del(987654321), 404, name => 'unknown id', message => MSG_NO_USER);
    for my $id ('abc', '0', '-1', '1.5', '%27%20OR%201=1') {
        check_admin_error(scalar del($id), 422, name => "id '$id'", field => 'id');
    }
};

scenario 'the last administrator who can sign in is never removed' => sub {
    # alone among administrators for this scenario: the others of the test
    # database are set aside and put back at the end
    my @others = map { $_->{id} } db_rows("SELECT id FROM users WHERE is_admin = 1 AND id <> $admin->{id}");
    db('UPDATE users SET is_admin = 0 WHERE id IN (' . join(',', @others) . ')') if @others;
    my $ok = eval { last_admin(); 1 };
    my $err = $@;
    db('UPDATE users SET is_admin = 1 WHERE id IN (' . join(',', @others) . ')') if @others;
    die $err unless $ok;
};

sub last_admin {
    my ($res) = del($admin->{id});
    check_admin_error($res, 409, name => 'the only administrator deletes themselves', cmd => "user/$admin->{id}",
                      message => '不能删除最后一名管理员');
    is db_value("SELECT status FROM users WHERE id = $admin->{id}"), 0, 'still there';
    check_admin_ok(scalar admin(GET => 'list/user', undef, auth($admin->{token})), 'and still signed in', cmd => 'list/user');

    my $frozen = make_admin();
    set_status($frozen->{id}, 1);
    check_admin_error(scalar del($admin->{id}), 409, name => 'a frozen administrator does not count');
    check_admin_ok(scalar del($frozen->{id}), 'the frozen administrator can be deleted');

    my $second = make_admin();
    check_admin_ok(scalar del($second->{id}, $second->{token}), 'an administrator deletes themselves while another remains');
    check_admin_error(scalar admin(GET => 'list/user', undef, auth($second->{token})), 401, name => 'and is signed out');
    my $third = make_admin();
    check_admin_ok(scalar del($admin->{id}, $third->{token}), 'an administrator deletes another administrator');
    check_admin_error(scalar del($third->{id}, $third->{token}), 409, name => 'now the third is the last one');
    is db_value('SELECT count(*) FROM users WHERE is_admin = 1 AND status NOT IN (1, 5)'), 1, 'one administrator left';
}

done_testing;
