# Migration 059 (the outbox of signed account events) on the suite's
# database, migrated with data (scripts/test-engines.sh: the released
# schema, t/sql/<engine>/premigration/*.sql, then every migration after
# it): the rows made before 059 are as they were, the outbox and its state
# row are there with their defaults and indexes, an event id is unique, and
# 059 is recorded.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

sub db_fails {
    my ($sql) = @_;
    my $ok = eval { db($sql); 1 };
    return $ok ? (0, '') : (1, $@ // '');
}

scenario 'rows made before 059 are untouched' => sub {
    is db_value(q{SELECT count(*) AS n FROM audit_log WHERE created_at LIKE '2024-06-01 %'}), 11,
        'the 11 audit rows of premigration/056_audit_actor.sql';
    ok db_value(q{SELECT count(*) AS n FROM users WHERE username LIKE 'premig%'}) >= 10,
        'the premigration users';
    is db_value(q{SELECT count(*) AS n FROM event_outbox WHERE user_id IN }
                . q{(SELECT id FROM users WHERE username LIKE 'premig%' OR username LIKE 'prerev%')}), 0,
        'no event for what happened before 059 (nothing is told twice or late)';
};

scenario 'event_state: one row' => sub {
    my @r = db_rows('SELECT id FROM event_state');
    is scalar @r, 1, 'one row';
    is $r[0]{id}, 1, 'id 1';
};

scenario 'event_outbox: defaults and the unique event id' => sub {
    my $ins = 'INSERT INTO event_outbox (event_id, type, user_id, payload, created_at, next_attempt_at) '
            . q{VALUES ('m059-0000-4000-8000-000000000001', 'user.frozen', 0, '{}', 1, 1)};
    my ($failed, $err) = db_fails($ins);
    ok !$failed, 'an event with only the columns the module writes' or diag $err;
    my ($r) = db_rows(q{SELECT attempts, lease_owner, lease_until, delivered_at, last_status, last_error }
                      . q{FROM event_outbox WHERE event_id = 'm059-0000-4000-8000-000000000001'});
    is $r->{attempts}, 0, 'attempts 0';
    is $r->{lease_owner}, undef, 'no lease owner';
    is $r->{lease_until}, undef, 'no lease';
    is $r->{delivered_at}, undef, 'not delivered';
    is $r->{last_status}, 0, 'last_status 0';
    is $r->{last_error}, '', "last_error ''";
    ($failed, $err) = db_fails($ins);
    ok $failed, 'the same event id again is refused';
    db(q{DELETE FROM event_outbox WHERE event_id = 'm059-0000-4000-8000-000000000001'});
};

scenario 'indexes' => sub {
    my $all = table_indexes('event_outbox');
    my $ix = { map { $_ => $all->{$_}{columns} } keys %$all };
    is $ix->{event_outbox_event_id}, 'event_id', 'event_outbox_event_id';
    ok $all->{event_outbox_event_id}{unique}, '... unique';
    is $ix->{event_outbox_due}, 'delivered_at,next_attempt_at', 'event_outbox_due (delivered_at, next_attempt_at)';
    is $ix->{event_outbox_lease}, 'lease_owner', 'event_outbox_lease (lease_owner)';
};

scenario 'schema_migrations records 059' => sub {
    is db_value(q{SELECT count(*) AS n FROM schema_migrations WHERE version = '059_event_outbox'}), 1,
        '059_event_outbox is recorded';
};

done_testing;
