# GET list/user?page=: 15 per page, administrators only.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;

client_net(53);

my $admin = make_admin();
my @mine = map { make_user() } 1 .. 17;     # enough for two pages here alone

sub list { admin(GET => 'list/user' . (defined $_[0] ? "?page=$_[0]" : ''), undef, auth($_[1] // $admin->{token})) }

sub expected_ids {
    my ($page) = @_;
    my $offset = ($page - 1) * 15;
    return map { $_->{id} } db_rows("SELECT id FROM users WHERE status <> 5 ORDER BY id LIMIT 15 OFFSET $offset");
}

scenario 'page 1: the paginator and its users' => sub {
    my ($res, $json) = list();
    check_admin_ok($res, 'list/user', cmd => 'list/user');
    my $d = $json->{data} || {};
    is join(',', sort keys %$d), 'current_page,data,last_page,per_page,total', 'data: total, per_page, current_page, last_page, data';
    is jtype($res, qw(data), $_), 'integer', "$_ is an integer" for qw(total per_page current_page last_page);
    is jtype($res, qw(data data)), 'array', 'data.data is an array';
    my $total = db_value('SELECT count(*) FROM users WHERE status <> 5');
    is $d->{total}, $total, "total $total (every user not deleted)";
    is $d->{per_page}, 15, 'per_page 15';
    is $d->{current_page}, 1, 'current_page 1';
    is $d->{last_page}, int(($total + 14) / 15), 'last_page';
    is scalar @{ $d->{data} || [] }, 15, '15 users';
    is_deeply [map { $_->{id} } @{ $d->{data} || [] }], [expected_ids(1)], 'the first 15 by id';
    check_admin_user($res, [qw(data data 0)], 'first user');

    # one of this file's users, on whichever page it falls
    my $m = $mine[0];
    my $before = db_value("SELECT count(*) FROM users WHERE status <> 5 AND id < $m->{id}");
    my ($r2, $j2) = list(int($before / 15) + 1);
    my $i = $before % 15;
    is $j2->{data}{data}[$i]{id}, $m->{id}, "user $m->{id} at its place";
    check_admin_user($r2, ['data', 'data', $i], "user $m->{id}", nickname => $m->{nickname}, name => $m->{name},
                     phone => $m->{mobile}, email => $m->{email}, position => $m->{position},
                     avatar => '', account_status => '已审核', user_level => 0);
};

scenario 'later pages, past the last page, page forms' => sub {
    my ($res, $json) = list(2);
    check_admin_ok($res, 'page 2', cmd => 'list/user');
    is $json->{data}{current_page}, 2, 'current_page 2';
    is_deeply [map { $_->{id} } @{ $json->{data}{data} || [] }], [expected_ids(2)], 'users 16-30';
    my $last = $json->{data}{last_page};
    ($res, $json) = list($last);
    check_admin_ok($res, 'the last page', cmd => 'list/user');
    my $n = $json->{data}{total} - 15 * ($last - 1);
    is scalar @{ $json->{data}{data} || [] }, $n, "the last page holds the remaining $n";
    ($res, $json) = list($last + 1);
    check_admin_ok($res, 'past the last page', cmd => 'list/user');
    is jtype($res, qw(data data)), 'array', 'data.data is still an array';
    is scalar @{ $json->{data}{data} || [1] }, 0, '... and empty';
    is $json->{data}{current_page}, $last + 1, 'current_page as asked';
    ($res, $json) = list('');
    check_admin_ok($res, 'page= (empty)', cmd => 'list/user');
    is $json->{data}{current_page}, 1, 'empty page is page 1';
    ($res, $json) = list('0002');
    is $json->{data}{current_page}, 2, 'page=0002 is page 2';
    ($res, $json) = list(10000000);
    check_admin_ok($res, 'page 10000000', cmd => 'list/user');
};

scenario 'page must be a positive integer' => sub {
    for my $p ('0', '-1', 'abc', '1.5', '1e3', '%201', '1%20', '0x10', '100000001', '99999999999999999999', "1'",
               '%E4%B8%80', '1;DROP%20TABLE%20users') {
        check_admin_error(scalar list($p), 422, name => "page=$p", cmd => 'list/user', field => 'page');
    }
    check_admin_error(scalar list('%FF'), 422, name => 'page=%FF (not UTF-8)', cmd => 'list/user');
};

scenario 'account_status texts, user_level, deleted users vanish' => sub {
    my %text = (1 => '已冻结', 2 => '未审核', 3 => '审核未通过', 4 => '审核中');
    my @u = map { make_user(status => $_) } sort keys %text;
    my $gone = make_user();
    my $total = db_value('SELECT count(*) FROM users WHERE status <> 5');
    set_status($gone->{id}, 5);
    my ($res, $json) = list();
    is $json->{data}{total}, $total - 1, 'a deleted user is not counted';
    my %seen;
    for my $p (1 .. $json->{data}{last_page}) {
        my (undef, $j) = list($p);
        $seen{ $_->{id} } = $_ for @{ $j->{data}{data} || [] };
    }
    is scalar keys %seen, $total - 1, 'every page together lists every user once';
    ok !$seen{ $gone->{id} }, 'the deleted user is on no page';
    for my $x (@u) {
        my $st = db_value("SELECT status FROM users WHERE id = $x->{id}");
        is $seen{ $x->{id} }{account_status}, $text{$st}, "users.status $st: '$text{$st}'";
    }
    is $seen{ $admin->{id} }{user_level}, 1, 'the administrator: user_level 1';
    is $seen{ $mine[0]{id} }{user_level}, 0, 'a user: user_level 0';
    is $seen{ $mine[0]{id} }{account_status}, '已审核', "status 0: '已审核'";
};

scenario 'only administrators' => sub {
    my $u = $mine[1];
    my $t = admin_login($u->{nickname}, $u->{password});
    check_admin_error(scalar list(1, $t), 403, name => 'a user', cmd => 'list/user', message => MSG_FORBIDDEN);
    my ($res) = admin(GET => 'list/user');
    check_admin_error($res, 401, name => 'no token', cmd => 'list/user', message => MSG_TOKEN);
    is $res->header('WWW-Authenticate'), 'Bearer', 'WWW-Authenticate: Bearer';
    check_admin_error(scalar admin(GET => 'list/user', undef, Authorization => 'Bearer x.y.z'), 401, name => 'garbage token');
    my $c = jwt_claims($admin->{token});
    check_admin_error(scalar admin(GET => 'list/user', undef, auth(jwt_forge({ %$c }, key => 'k' x 48))), 401,
                      name => 'token signed with another key');
    check_admin_error(scalar admin(GET => 'list/user', undef, auth(jwt_forge({ %$c, exp => time - 10 }))), 401,
                      name => 'expired token');
    check_admin_error(scalar admin(GET => 'list/user', undef, auth(jwt_forge({ %$c }, alg => 'none'))), 401,
                      name => 'alg none');
    my $t2 = admin_login($admin->{nickname}, $admin->{password});
    check_admin_ok(scalar list(1, $t2), 'a second session works', cmd => 'list/user');
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($t2)), 'logout through the developer face');
    check_admin_error(scalar list(1, $t2), 401, name => 'revoked token', message => MSG_TOKEN);
};

done_testing;
