# Migration 058 (the credit totals kept beside the records) on a database
# migrated with data, on whichever engine the suite runs: scripts/test-engines.sh
# builds the suite's database with tools/devplat-migrate --to 040_mobile,
# loads t/sql/<engine>/premigration/*.sql (058_credit_totals.sql: credit
# records as the releases before 058 wrote them, without totals), then runs
# the migrator again. This file checks the totals 058 gave each user, that
# every face shows them, and that the account core keeps them from there
# on (a raise of a total below 0 applies, a deduction below 0 does not).
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;

client_net(158);

sub q_ { sql_quote($_[0]) }

sub totals {
    my ($name) = @_;
    my ($r) = db_rows('SELECT id, general_integral, dedicated_integral FROM users WHERE username = ' . q_($name));
    return $r;
}

# the signed sums of a user's records, by kind
sub sums {
    my ($id) = @_;
    my $signed = 'CASE WHEN is_positive_growth = 1 THEN amount ELSE -amount END';
    return [map { db_value("SELECT COALESCE(SUM($signed), 0) AS s FROM credit_records WHERE user_id = $id AND dedicated $_") + 0 }
            '= 0', '<> 0'];
}

my %WANT = (precred_mixed => [270, 350], precred_none => [0, 0], precred_negative => [-30, -10],
            precred_deleted => [40, 0]);

scenario 'the fixture is there' => sub {
    ok totals('precred_mixed'), 'precred_mixed exists'
        or BAIL_OUT('the premigration fixture was not loaded (scripts/test-engines.sh)');
    is db_value(q{SELECT count(*) AS n FROM credit_records WHERE created_at LIKE '2025-04-0_ 00:00:0_'}), 10,
        '10 records of t/sql/<engine>/premigration/058_credit_totals.sql';
};

scenario 'the totals 058 gave each user: the sums of their records' => sub {
    for my $name (sort keys %WANT) {
        my $t = totals($name);
        is_deeply [$t->{general_integral} + 0, $t->{dedicated_integral} + 0], $WANT{$name},
            "$name: general $WANT{$name}[0], dedicated $WANT{$name}[1]";
        is_deeply sums($t->{id}), $WANT{$name}, "$name: ... the sums of its records";
    }
    # the users of the other premigration files (premig_*, prerev_*): every
    # one of them has the totals of its records
    my @pre = db_rows(q{SELECT id, username, general_integral, dedicated_integral FROM users }
                      . q{WHERE username LIKE 'premig%' OR username LIKE 'prerev%' OR username LIKE 'precred%'});
    ok @pre >= 20, scalar(@pre) . ' users of the premigration fixtures';
    my @wrong = grep { my $s = sums($_->{id}); $s->[0] != $_->{general_integral} || $s->[1] != $_->{dedicated_integral} } @pre;
    is scalar @wrong, 0, 'none of them has totals other than its records\' sums'
        or diag join ', ', map { $_->{username} } @wrong;
};

scenario 'the columns: BIGINT, NOT NULL, default 0' => sub {
    my $now = '2025-04-05 00:00:00';
    db('INSERT INTO users (username, password, created_at, updated_at) VALUES '
       . "('precred_new', 'x', '$now', '$now')");
    my $t = totals('precred_new');
    is_deeply [$t->{general_integral} + 0, $t->{dedicated_integral} + 0], [0, 0], 'a row written without them: 0 and 0';
    my $ok = eval { db("UPDATE users SET general_integral = NULL WHERE id = $t->{id}"); 1 };
    ok !$ok, 'NULL is refused';
    db("UPDATE users SET general_integral = 9000000000000 WHERE id = $t->{id}");
    is db_value("SELECT general_integral FROM users WHERE id = $t->{id}"), '9000000000000', 'a value beyond 32 bits';
    db("DELETE FROM users WHERE id = $t->{id}");
};

scenario 'every face shows the migrated totals' => sub {
    my ($res, $json) = login_full('precred_mixed', 'credit058');
    check_ok($res, 'login of a migrated user');
    is $json->{data}{user_info}{integral}, 620, "login's user_info.integral: 270 + 350";
    my $token = $json->{data}{token_info}{access_token};
    (undef, $json) = json_request(GET => '/api/me', undef, auth($token));
    is $json->{data}{integral}, 620, '/api/me integral 620';
    (undef, $json) = json_request(GET => '/api/user/level-credit', undef, auth($token));
    is_deeply [@{ $json->{data} }{qw(integral general_integral dedicated_integral)}], [620, 270, 350],
        'level-credit: 620 = 270 + 350';
    (undef, $json) = mget("get_user_details?token=$token");
    is $json->{data}{integral}, '620', 'mobile get_user_details integral "620"';
};

scenario 'the account core keeps them: a raise of a total below 0 applies, a deduction does not' => sub {
    my $admin = make_admin();
    my $neg = totals('precred_negative');
    my ($res, $json) = admin(POST => "user/$neg->{id}/credit", { change => 10, message => '补发' }, auth($admin->{token}));
    check_admin_ok($res, 'a raise of -30');
    is_deeply [@{ $json->{data} }{qw(general_integral dedicated_integral integral)}], [-20, -10, -30],
        'general -30 + 10 = -20; dedicated -10; integral -30';
    ($res, $json) = admin(POST => "user/$neg->{id}/credit", { change => -1, message => '扣除' }, auth($admin->{token}));
    check_admin_error($res, 422, name => 'a deduction from -20', field => 'change',
                      message => '积分变动（change）超过通用积分余额（当前-20）');
    is_deeply [totals('precred_negative')->{general_integral} + 0, @{ sums($neg->{id}) }], [-20, -20, -10],
        'general stays -20, the records agree';
    ($res, $json) = admin(POST => "user/$neg->{id}/credit", { change => 25, message => '补发', dedicated => 1 },
                          auth($admin->{token}));
    check_admin_ok($res, 'a dedicated raise of -10');
    is $json->{data}{dedicated_integral}, 15, 'dedicated -10 + 25 = 15';
    my $mixed = totals('precred_mixed');
    ($res, $json) = admin(POST => "user/$mixed->{id}/credit", { change => -350, message => '清零', dedicated => 1 },
                          auth($admin->{token}));
    check_admin_ok($res, 'a deduction of the whole migrated dedicated total');
    is_deeply [@{ $json->{data} }{qw(general_integral dedicated_integral)}], [270, 0], '270 / 0';
    is_deeply sums($mixed->{id}), [270, 0], '... the sums of the records';
    my $del = totals('precred_deleted');
    ($res) = admin(POST => "user/$del->{id}/credit", { change => 5, message => 'x' }, auth($admin->{token}));
    check_admin_error($res, 404, name => 'a deleted user');
    is totals('precred_deleted')->{general_integral}, 40, 'its total stays 40';
};

scenario 'schema_migrations records 058' => sub {
    is db_value(q{SELECT count(*) AS n FROM schema_migrations WHERE version = '058_credit_totals'}), 1,
        '058_credit_totals is recorded';
};

done_testing;
