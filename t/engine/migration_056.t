# Migration 056 (who acted, in the audit log) on a database migrated with
# data, on whichever engine the suite runs: scripts/test-engines.sh builds
# the suite's database with tools/devplat-migrate --to 040_mobile, loads
# t/sql/<engine>/premigration/*.sql (056_audit_actor.sql: audit rows as the
# releases before 056 wrote them), then runs the migrator again. This file
# checks the actor 056 gave every one of those rows (and the rows of
# 040_premigration.sql and of 050 itself), that the audit log is
# append-only again, the indexes of GET audit/list, and that a row without
# an actor can still be written (devplat-admin's).
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

sub q_ { sql_quote($_[0]) }

sub id_of { db_value('SELECT id FROM users WHERE username = ' . q_($_[0])) }

# db() that is expected to fail: (1, message) when it did, (0, '') when not.
sub db_fails {
    my ($sql) = @_;
    my $ok = eval { db($sql); 1 };
    return $ok ? (0, '') : (1, $@ // '');
}

my $U = id_of('premig_lower_x');
my $A = id_of('premig_reclaimed');

scenario 'the fixture is there' => sub {
    ok $U && $A, 'premig_lower_x and premig_reclaimed exist'
        or BAIL_OUT('the premigration fixture was not loaded (scripts/test-engines.sh)');
    is db_value(q{SELECT count(*) AS n FROM audit_log WHERE created_at LIKE '2024-06-01 %'}), 11,
        '11 audit rows of t/sql/<engine>/premigration/056_audit_actor.sql';
};

scenario 'actor_id of the rows written before 056' => sub {
    # created_at second => [user_id, action, detail, actor_id, why]
    my %want = (
        1  => [$U, 'user_audit', "approved by $A", $A, 'the administrator of "approved by <id>"'],
        2  => [$U, 'user_delete', "by $A", $A, 'a detail that is only "by <id>"'],
        3  => [$U, 'contact_change_by_admin', "phone unverified, by $A", $A, '", by <id>"'],
        4  => [$U, 'login_failed', '"premig by 77"', $U, 'a quoted name ending in a quote: the user'],
        5  => [undef, 'login_failed', '"premig_nobody"', 0, 'about nobody: 0'],
        6  => [$U, 'admin_freeze', 'devplat-admin', undef, "devplat-admin's row: NULL"],
        7  => [$U, 'login', 'developer', $U, 'a sign-in: the user'],
        8  => [$U, 'user_update', 'name by 1234567890123456789', $U, '19 digits are no id: the user'],
        9  => [$U, 'user_update', 'nearby 5', $U, '"nearby 5" is no "by <id>": the user'],
        10 => [$U, 'user_update', 'name by 42 ', $U, 'a trailing space ends no id: the user'],
        11 => [$U, 'user_update', 'by 12 by 34', 34, 'the last "by <id>" counts'],
    );
    for my $s (sort { $a <=> $b } keys %want) {
        my ($uid, $action, $detail, $actor, $why) = @{ $want{$s} };
        my $at = sprintf '2024-06-01 00:00:%02d', $s;
        my @r = db_rows('SELECT user_id, action, detail, actor_id FROM audit_log WHERE created_at = ' . q_($at));
        is scalar @r, 1, "one row at $at" or next;
        is $r[0]{action}, $action, "$at: action $action";
        is $r[0]{detail}, $detail, "$at: detail kept as it was";
        is $r[0]{user_id}, $uid, "$at: user_id kept";
        is $r[0]{actor_id}, $actor, "$at: actor_id " . ($actor // 'NULL') . " ($why)";
    }
};

scenario 'the rows of 040_premigration.sql and of 050' => sub {
    my $phone = id_of('premig_phone_edited');
    is db_value("SELECT actor_id FROM audit_log WHERE user_id = $phone AND action = 'user_update'"), 1,
        "'nickname,phone by 1': actor 1";
    my $later = id_of('premig_proved_later');
    is db_value("SELECT actor_id FROM audit_log WHERE user_id = $later AND action = 'change_mobile'"), $later,
        "'... (verified by mobile)': the user";
    is db_value("SELECT actor_id FROM audit_log WHERE user_id = $later AND action = 'register'"), $later,
        'a sign-up: the user';
    my @m = db_rows(q{SELECT user_id, actor_id FROM audit_log WHERE action = 'username_migrated'});
    ok scalar @m, "050's username_migrated rows";
    is scalar(grep { !defined $_->{actor_id} || $_->{actor_id} != $_->{user_id} } @m), 0,
        '... each with the user as its actor';
    # (rows of devplat-admin written since, by the suite, may have other details)
    is db_value(q{SELECT count(*) AS n FROM audit_log WHERE actor_id IS NULL AND detail <> 'devplat-admin' }
                . q{AND (created_at LIKE '2024-06-01 %' OR created_at LIKE '2025-01-02 %' }
                . q{OR action = 'username_migrated')}), 0,
        'of the rows before 056, NULL only in those of devplat-admin';
};

scenario 'the log is append-only again' => sub {
    my $id = db_value(q{SELECT id FROM audit_log WHERE created_at = '2024-06-01 00:00:07'});
    my ($failed, $err) = db_fails("UPDATE audit_log SET actor_id = 0 WHERE id = $id");
    ok $failed, 'UPDATE of actor_id fails';
    like $err, qr/append-only/, '... by the trigger' if $failed;
    ($failed, $err) = db_fails("UPDATE audit_log SET detail = 'x' WHERE id = $id");
    ok $failed, 'UPDATE of detail fails';
    ($failed, $err) = db_fails("DELETE FROM audit_log WHERE id = $id");
    ok $failed, 'DELETE fails';
    like $err, qr/append-only/, '... by the trigger' if $failed;
    is db_value("SELECT detail FROM audit_log WHERE id = $id"), 'developer', 'the row is as it was';
    is db_value("SELECT actor_id FROM audit_log WHERE id = $id"), $U, '... actor and all';
};

scenario 'new rows: with an actor, and without one (devplat-admin)' => sub {
    my ($failed, $err) = db_fails('INSERT INTO audit_log (user_id, action, detail, client_ip, user_agent, actor_id, created_at) '
                                  . "VALUES ($U, 'login', 'developer', '10.0.155.250', 'm056', $A, '2024-06-02 00:00:00')");
    ok !$failed, 'an INSERT naming actor_id' or diag $err;
    ($failed, $err) = db_fails('INSERT INTO audit_log (user_id, action, detail, created_at) '
                               . "VALUES ($U, 'admin_unfreeze', 'devplat-admin', '2024-06-02 00:00:01')");
    ok !$failed, 'an INSERT without it (the tool of the release before)' or diag $err;
    my @r = db_rows(q{SELECT actor_id FROM audit_log WHERE created_at LIKE '2024-06-02 %' ORDER BY created_at});
    is_deeply [map { $_->{actor_id} } @r], [$A, undef], 'actor_id as written, NULL by default';
};

scenario 'the indexes of audit/list' => sub {
    my $all = table_indexes('audit_log');
    my $ix = { map { $_ => $all->{$_}{columns} } keys %$all };
    is $ix->{audit_log_time}, 'created_at,id', 'audit_log_time (created_at, id): newest first, by time';
    is $ix->{audit_log_user_time}, 'user_id,created_at,id', 'audit_log_user_time (user_id, created_at, id)';
    is $ix->{audit_log_action_time}, 'action,created_at,id', 'audit_log_action_time (action, created_at, id)';
    ok !exists $ix->{audit_log_user}, 'audit_log_user is gone (audit_log_user_time leads with user_id)';
};

scenario 'schema_migrations records 056' => sub {
    is db_value(q{SELECT count(*) AS n FROM schema_migrations WHERE version = '056_audit_actor'}), 1,
        '056_audit_actor is recorded';
};

done_testing;
