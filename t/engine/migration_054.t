# Migration 054 (the review queues) on a database of the release before:
# t/sql/<engine>/premigration/054_reviews.sql and 040_premigration.sql
# hold the records; 054 made one submission of each, pending or decided as
# the record was, with what was submitted as JSON. The database itself
# keeps one pending submission per record.
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Devplat::Test;

my $J = JSON::PP->new->utf8(0);
sub uid { db_value('SELECT id FROM users WHERE username = ' . sql_quote($_[0])) }
sub reviews {
    my ($kind, $user) = @_;
    return db_rows("SELECT id, kind, user_id, record_id, status, message, fields, pictures, submitted_at, "
                   . "reviewed_at, reviewer_id FROM reviews WHERE kind = " . sql_quote($kind)
                   . " AND user_id = $user ORDER BY id");
}
sub fails { my ($sql) = @_; return eval { db($sql); 1 } ? 0 : 1 }

my $a = uid('prerev_a');
my $b = uid('prerev_b');

scenario 'the fixture is there' => sub {
    ok $a && $b, 'the prerev_ users';
    ok table_exists('reviews'), 'the reviews table';
};

scenario 'educational-info: pending, its fields as JSON (quotes and line breaks escaped)' => sub {
    my @r = reviews('educational-info', $a);
    is scalar @r, 1, 'one submission';
    my $r = $r[0];
    is_deeply [@$r{qw(record_id status message submitted_at reviewed_at)}], [$a, 0, '', '2025-03-02 00:00:01', ''],
              'pending since its last change';
    ok !defined $r->{reviewer_id}, 'no reviewer';
    is_deeply $J->decode($r->{fields}), { institution => '"迁移"大学', education_id => 2,
                                          project_experience => "第一行\n第二行" }, 'fields';
    is_deeply $J->decode($r->{pictures}), [], 'no pictures';
};

scenario 'job-info: rejected, its domains in order' => sub {
    my ($r) = reviews('job-info', $a);
    is_deeply [@$r{qw(status message reviewed_at)}], [2, '材料不符', '2025-03-03 00:00:01'], 'rejected at its last change';
    is_deeply $J->decode($r->{fields}), { organization => '迁移公司', position_id => 1, domain_id => [3, 1],
                                          project_experience => '视觉' }, 'fields, domain_id integers in order';
};

scenario 'award-info: one per award, pictures in order' => sub {
    my @r = reviews('award-info', $a);
    is scalar @r, 2, 'two awards, two submissions';
    my %by = map { $J->decode($_->{fields})->{competition} => $_ } @r;
    is_deeply $J->decode($by{'迁移杯'}{pictures}), ['/storage/premig/award_1.png', '/storage/premig/award_2.png'],
              'pictures by position';
    is $by{'迁移杯'}{status}, 0, 'pending';
    is_deeply $J->decode($by{'迁移赛'}{pictures}), [], 'none';
    is $by{'迁移赛'}{status}, 1, 'passed';
    is $by{'迁移杯'}{record_id}, db_value("SELECT id FROM award_infos WHERE competition = '迁移杯'"), 'record_id: the award';
    is_deeply $J->decode($by{'迁移赛'}{fields}), { competition => '迁移赛', award_level_id => 2 }, 'fields';
};

scenario 'qualification: the account under review waits on its newest picture' => sub {
    my @r = reviews('qualification', $a);
    is scalar @r, 1, 'one submission';
    is_deeply [@{ $r[0] }{qw(record_id status submitted_at)}], [$a, 0, '2025-03-07 00:00:00'], 'pending, the newer one';
    is_deeply $J->decode($r[0]{pictures}), ['/storage/premig/qual_new.png'], 'its picture';
    is_deeply $J->decode($r[0]{fields}), { picture => '/storage/premig/qual_new.png' }, 'fields';
    my @none = reviews('qualification', $b);
    is scalar @none, 0, 'a normal account waits on nothing';
};

scenario 'real-name: one submission per identity record, as it was' => sub {
    my @v = db_rows('SELECT user_id, status, actual_name, authenticate_picture FROM identity_verifications '
                    . "WHERE user_id IN (SELECT id FROM users WHERE username LIKE 'premig%') ORDER BY user_id");
    ok scalar @v, 'the fixture has identity records';
    for my $v (@v) {
        my @r = grep { $_->{submitted_at} lt '2026' } reviews('real-name', $v->{user_id});
        is scalar @r, 1, "user $v->{user_id}: one migrated submission";
        next unless @r;
        is $r[0]{status}, $v->{status}, "user $v->{user_id}: its status";
        my $f = $J->decode($r[0]{fields});
        is $f->{actual_name}, $v->{actual_name}, "user $v->{user_id}: actual_name";
        is_deeply $J->decode($r[0]{pictures}), $v->{authenticate_picture} eq '' ? [] : [$v->{authenticate_picture}],
                  "user $v->{user_id}: pictures";
    }
};

scenario 'one pending submission per record: enforced by the database' => sub {
    my $now = "'2026-01-01 00:00:00'";
    ok fails("INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures, submitted_at) "
             . "VALUES ('educational-info', $a, $a, 0, '', '{}', '[]', $now)"), 'a second pending one is refused';
    ok !fails("INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures, submitted_at) "
              . "VALUES ('educational-info', $a, $a, 3, '', '{}', '[]', $now)"), 'a superseded one is fine';
    ok fails("INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures, submitted_at) "
             . "VALUES ('nonsense', $a, $a, 1, '', '{}', '[]', $now)"), 'an unknown kind is refused';
    ok fails("INSERT INTO reviews (kind, user_id, record_id, status, message, fields, pictures, submitted_at) "
             . "VALUES ('job-info', $a, $a, 7, '', '{}', '[]', $now)"), 'an unknown status is refused';
    db("DELETE FROM reviews WHERE submitted_at = $now");
};

done_testing();
