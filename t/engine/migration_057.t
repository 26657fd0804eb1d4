# Migration 057 (the catalogue's search index and count of live projects)
# on a database migrated with data, on whichever engine the suite runs:
# scripts/test-engines.sh builds the suite's database with
# tools/devplat-migrate --to 040_mobile, loads t/sql/<engine>/premigration/
# (057_catalogue_search.sql: five projects with Chinese, full-width, cased
# and accented letters, a supplementary ideograph, %, _ and !), then runs
# the migrator again. The terms of every project follow the rules of
# modules/core/search_terms.h, computed here independently in Perl; on
# SQLite the migration is also applied to a scratch database, so the terms
# its SQL built are checked before anything else writes the index.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp ();
use Encode ();
use URI::Escape qw(uri_escape_utf8);
use Apache::Test ();
use Devplat::Test;
use Devplat::AccountTest;
use Devplat::SearchTerms;

client_net(44);

my @COLS = qw(name introduction domain research_direction);
my @rows = db_rows(q{SELECT id, name, introduction, domain, research_direction FROM projects }
                   . q{WHERE name LIKE 'premig57 %' ORDER BY id});

scenario 'the fixture is there' => sub {
    is scalar @rows, 5, 'five projects of t/sql/<engine>/premigration/057_catalogue_search.sql'
        or BAIL_OUT('the premigration fixture was not loaded (scripts/test-engines.sh)');
    is search_terms('Ab'), '61x62 u061 u062', 'the Perl rules agree with search_terms.h on Ab';
    is search_terms("\x{212A}\x{FF21}\x{E9}"), '6bxff41 ff41x80 u06b u080 uff41',
        '... and on the Kelvin sign, Ａ and é';
};

scenario 'the count of live projects' => sub {
    is db_value('SELECT value FROM catalogue_counts WHERE name = ' . sql_quote('live_projects')),
        db_value('SELECT count(*) FROM projects WHERE deleted_at IS NULL'),
        'catalogue_counts.live_projects is the number of live projects';
    is db_value('SELECT count(*) FROM catalogue_counts'), 1, 'one counter row';
};

if (engine() ne 'sqlite') {
    scenario 'the terms of every project follow the rules' => sub {
        my $key = 'project_id';
        my %stored = map { $_->{$key} => $_->{terms} }
                     db_rows('SELECT project_id, terms FROM project_search WHERE project_id IN ('
                             . join(',', map { $_->{id} } @rows) . ')');
        for my $r (@rows) {
            is join(' ', sort split / /, $stored{ $r->{id} } // ''), search_terms(@$r{@COLS}),
                "project $r->{id} ($r->{name})";
        }
        # the rows the migration found (ids up to the fixture's last); rows
        # other test files insert by SQL later wait for project reindex
        my $last = (sort { $b <=> $a } map { $_->{id} } @rows)[0];
        is db_value('SELECT count(*) FROM projects p WHERE p.id <= ' . $last
                    . ' AND p.deleted_at IS NULL AND NOT EXISTS '
                    . '(SELECT 1 FROM project_search s WHERE s.project_id = p.id)'), 0,
            'every live project the migration found has its terms';
    };
}
else {
    scenario 'SQLite: the terms the SQL of 057 builds, on a scratch database' => sub {
        my $top = Apache::Test::vars('top_dir');
        my $tmp = File::Temp->newdir;
        my $db = "$tmp/m57.db";
        # the files up to 057 (060 gives the index another key)
        for my $f (grep { m{/(\d{3})_[^/]*$} && $1 <= 57 } sort glob "$top/sql/sqlite/0*.sql") {
            if ($f =~ m{/057_}) {
                system("sqlite3 -bail '$db' < '$top/t/sql/sqlite/premigration/057_catalogue_search.sql'") == 0
                    or BAIL_OUT('cannot load the fixture');
            }
            system("sqlite3 -bail '$db' < '$f' > /dev/null") == 0 or BAIL_OUT("cannot apply $f");
        }
        my $sq = sub { my $s = shift; $s =~ s/'/''/g; "'$s'" };
        my @m = map { [split /\|/, $_, 5] }
                split /\n/, Encode::decode('UTF-8', scalar qx{sqlite3 '$db' "SELECT id, name, introduction, domain, research_direction FROM projects WHERE name LIKE 'premig57 %' ORDER BY id"});
        is scalar @m, 5, 'the five projects';
        for my $r (@m) {
            my ($id, @texts) = @$r;
            my @t = split / /, search_terms(@texts);
            my @missing;
            for my $t (@t) {
                my $ids = qx{sqlite3 '$db' "SELECT rowid FROM project_search WHERE project_search MATCH '$t'"};
                push @missing, $t unless grep { $_ == $id } split /\n/, $ids;
            }
            is_deeply \@missing, [], "project $id: all " . scalar(@t) . ' terms find it';
        }
        my $n = qx{sqlite3 '$db' "SELECT count(*) FROM project_search WHERE project_search MATCH 'u080'"};
        chomp $n;
        is $n, 1, 'the bucket term u080 finds the one project with other cased letters';
    };
}

scenario 'the API finds them by substrings' => sub {
    my $u = signed_in();
    my %q = ('电梯安' => 0, 'elevators' => 0, '100%' => 0, '率_第' => 0, '版！' => 0,
             'ＡＢ' => 1, 'Ｆｕｌｌ' => 1, '（括' => 1, 'a!b%c_d' => 2, 'factory' => 2, 'É' => 2,
             '𠮷野' => 3, '𠮷' => 3);
    for my $q (sort keys %q) {
        my ($res, $json) = json_request(GET => '/api/project/paginate?per_page=100&q=' . uri_escape_utf8($q),
                                        undef, auth($u->{token}));
        my %got = map { $_->{id} => 1 } @{ $json->{data} || [] };
        ok $got{ $rows[$q{$q}]{id} }, "q '$q' finds $rows[$q{$q}]{name}";
    }
};

scenario 'schema_migrations records 057' => sub {
    is db_value(q{SELECT count(*) AS n FROM schema_migrations WHERE version = '057_catalogue_search'}), 1,
        '057_catalogue_search is recorded';
};

done_testing;
