# Migration 060 (the search index in the listing's order, live projects
# only) from the schema before it, with data, on whichever engine the suite
# runs. A scratch database of its own (a file on SQLite, devplat_m060 on
# the servers) gets the files up to 056 from tools/devplat-migrate, five
# projects written by SQL (one before 1970, two in the same second), then
# the files up to 059 (057 indexes them), then a soft delete by SQL that
# 057's index kept terms of, then 060. What 060 must have made: an index
# of the four live projects only, each with its place in the listing
# (SQLite: the FTS5 rowid, the project's rank in project_search_places;
# the servers: a copy of created_at), their terms as 057 wrote them (the rules of
# search_terms.h, written again in Devplat::SearchTerms), and the same
# count of live projects (on PostgreSQL kept by statement triggers now); a
# second run applies nothing.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp ();
use Encode ();
use Apache::Test ();
use Devplat::Test;
use Devplat::SearchTerms;

my $top = Apache::Test::vars('top_dir');
my %SQLDIR = (sqlite => 'sqlite', pgsql => 'postgresql', mysql => 'mysql');
my $tmp = File::Temp->newdir;
my $scratch = engine() eq 'sqlite' ? "$tmp/m060.db" : 'devplat_m060';

# the migrator on the scratch database: (exit code, output)
sub migrate {
    my (@opts) = @_;
    my $sock = $ENV{DEVPLAT_TEST_SOCKDIR} // '';
    my @target = engine() eq 'pgsql' ? ('pgsql', "host=$sock port=5432 dbname=$scratch user=devplat")
               : engine() eq 'mysql' ? ('mysql', '-S', "$sock/mysql.sock", '-u', 'root', $scratch)
               :                       ('sqlite', $scratch);
    my $q = sub { my $x = shift; $x =~ s/'/'\\''/g; "'$x'" };
    my $cmd = join ' ', map { $q->($_) } "$top/tools/devplat-migrate", '--sql-dir',
                                         "$top/sql/$SQLDIR{ engine() }", @opts, @target;
    my $out = qx{$cmd 2>&1};
    return ($? >> 8, Encode::decode('UTF-8', $out));
}

if (engine() ne 'sqlite') {
    local $Devplat::Test::SCRATCH_DB = engine() eq 'pgsql' ? 'postgres' : 'devplat';
    db("DROP DATABASE IF EXISTS $scratch");
    db(engine() eq 'pgsql' ? "CREATE DATABASE $scratch"
                           : "CREATE DATABASE $scratch CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
}
local $Devplat::Test::SCRATCH_DB = $scratch;

my @PROJECTS = (    # in id order
    { key => 'a', name => '迁移六十 甲Ab', created_at => '2024-03-01 08:00:00' },
    { key => 'b', name => '迁移六十 乙', created_at => '2021-07-15 12:30:00' },
    { key => 'c', name => '迁移六十 丙', created_at => '2024-03-01 08:00:00' },
    { key => 'd', name => '迁移六十 丁（删）', created_at => '2023-01-01 00:00:00' },
    { key => 'e', name => '迁移六十 戊', created_at => '1969-12-31 23:59:59' },
);
my %P;
my @LISTING = qw(c a b e);      # created_at, id, newest first; d deleted
my $LIVE = 4;

scenario 'the schema before 060, with data' => sub {
    my ($rc, $out) = migrate('--to', '056_audit_actor');
    is $rc, 0, 'devplat-migrate --to 056_audit_actor on a new database' or diag $out;
    for my $p (@PROJECTS) {
        db('INSERT INTO projects (name, introduction, domain, research_direction, delivery_at, '
           . 'created_at, updated_at) VALUES (' . join(', ', map { sql_quote($_) }
               $p->{name}, "第$p->{key}段说明 x_%", '园区', '检测', '2030-01-01 00:00:00',
               $p->{created_at}, $p->{created_at}) . ')');
        $p->{id} = db_value('SELECT id FROM projects WHERE name = ' . sql_quote($p->{name}));
        $P{ $p->{key} } = $p;
    }
    ($rc, $out) = migrate('--to', '059_event_outbox');
    is $rc, 0, '... then up to 059 (057 indexes the projects)' or diag $out;
    ($rc, $out) = admin_tool('', 'project', 'reindex');
    is $rc, 1, 'devplat-admin project reindex refuses a database without 060';
    like $out, qr/lacks migration 060_search_listing_order: run devplat-migrate first/, '... saying why';
    db(q{UPDATE projects SET deleted_at = '2024-06-01 00:00:00' WHERE id = } . $P{d}{id});
    is db_value(q{SELECT value FROM catalogue_counts WHERE name = 'live_projects'}), $LIVE,
        "$LIVE live projects (the trigger of 057 saw the soft delete)";
    ($rc, $out) = migrate();
    is $rc, 0, 'devplat-migrate applies 060' or diag $out;
    like $out, qr/060_search_listing_order/, '... and says so';
};

my $marker = sprintf '%02xx%02x', ord('迁'), ord('移');

# project id => its index entry: SQLite {place}, the servers {created_at,
# terms}
sub entries {
    if (engine() eq 'sqlite') {
        my @r = db_rows('SELECT pl.project_id, pl.place FROM project_search s JOIN '
                        . 'project_search_places pl ON pl.place = s.rowid '
                        . "WHERE s.project_search MATCH '$marker'");
        return map { $_->{project_id} => { place => $_->{place} } } @r;
    }
    my @r = db_rows('SELECT project_id, created_at, terms FROM project_search');
    return map { $_->{project_id} => $_ } @r;
}

# the ids the index holds, in its order
sub index_order {
    return map { $_->{project_id} }
        db_rows(engine() eq 'sqlite'
                ? 'SELECT pl.project_id FROM project_search s JOIN project_search_places pl '
                  . "ON pl.place = s.rowid WHERE s.project_search MATCH '$marker' ORDER BY s.rowid DESC"
                : 'SELECT project_id FROM project_search ORDER BY created_at DESC, project_id DESC');
}

scenario 'the index: the live projects, in the listing order' => sub {
    my %e = entries();
    is_deeply [index_order()], [map { $P{$_}{id} } @LISTING],
        'the index holds c, a, b, e in that order (same second: higher id first); not the deleted d';
    ok !exists $e{ $P{d}{id} }, 'the soft-deleted project left the index';
    if (engine() eq 'sqlite') {
        is_deeply [map { $e{ $P{$_}{id} }{place} } reverse @LISTING], [1 .. 4],
            'the places are the ranks in the listing, 1 for the oldest';
        is db_value('SELECT count(*) FROM project_search_places'), 4, 'one place per live project';
    }
    else {
        is $e{ $P{$_}{id} }{created_at}, $P{$_}{created_at}, "project $_: created_at copied"
            for @LISTING;
    }
};

scenario 'the terms are those 057 wrote' => sub {
    for my $k (@LISTING) {
        my $p = $P{$k};
        my $want = search_terms($p->{name}, "第$p->{key}段说明 x_%", '园区', '检测');
        if (engine() eq 'sqlite') {
            my $place = db_value("SELECT place FROM project_search_places WHERE project_id = $p->{id}");
            my @missing = grep {
                my $t = $_;
                !grep { $_->{k} == $place }
                    db_rows("SELECT rowid AS k FROM project_search WHERE project_search MATCH '$t'");
            } split / /, $want;
            is_deeply \@missing, [], "project $k: each of its terms finds it";
            ok !grep({ $_->{k} == $place }
                     db_rows(q{SELECT rowid AS k FROM project_search WHERE project_search MATCH 'u4e01'})),
                "project $k: a term it does not have (丁) does not find it";
        }
        else {
            my %e = entries();
            is join(' ', sort split / /, $e{ $p->{id} }{terms}), $want, "project $k: its terms";
        }
    }
};

scenario 'project reindex writes the same index' => sub {
    my %before = entries();
    my ($rc, $out) = admin_tool('', 'project', 'reindex');
    is $rc, 0, 'devplat-admin project reindex on the migrated database' or diag $out;
    my %after = entries();
    $_->{terms} = join ' ', sort split / /, $_->{terms} // '' for values %before, values %after;
    is_deeply \%after, \%before, 'the same entries and places';
    is_deeply [index_order()], [map { $P{$_}{id} } @LISTING], '... in the same order';
};

if (engine() eq 'pgsql') {
    scenario 'PostgreSQL: the count of live projects by statement' => sub {
        my @t = db_rows(q{SELECT tgname, (tgtype & 1) AS per_row FROM pg_trigger }
                        . q{WHERE tgrelid = 'projects'::regclass AND tgname LIKE 'projects_count_live%' }
                        . q{ORDER BY tgname});
        is_deeply [map { $_->{tgname} } @t],
            [qw(projects_count_live_delete projects_count_live_insert projects_count_live_update)],
            'three triggers: insert, update, delete';
        is_deeply [map { $_->{per_row} } @t], [0, 0, 0], '... each FOR EACH STATEMENT';
        db('INSERT INTO projects (name, delivery_at, created_at, updated_at) SELECT '
           . q{'迁移六十 批量' || g, '2030-01-01 00:00:00', '2024-01-01 00:00:00', '2024-01-01 00:00:00' }
           . 'FROM generate_series(1, 3000) g');
        is db_value(q{SELECT value FROM catalogue_counts WHERE name = 'live_projects'}), $LIVE + 3000,
            'one INSERT of 3000 projects: the count follows';
        db(q{UPDATE projects SET deleted_at = '2024-06-01 00:00:00' WHERE name LIKE '迁移六十 批量%' }
           . q{AND name NOT LIKE '%0'});
        is db_value(q{SELECT value FROM catalogue_counts WHERE name = 'live_projects'}), $LIVE + 300,
            'a soft delete of 2700 of them: the count follows';
        db(q{UPDATE projects SET name = name || '+' WHERE name LIKE '迁移六十 批量%'});
        is db_value(q{SELECT value FROM catalogue_counts WHERE name = 'live_projects'}), $LIVE + 300,
            'an update that deletes nothing: the same';
        db(q{DELETE FROM projects WHERE name LIKE '迁移六十 批量%'});
        is db_value(q{SELECT value FROM catalogue_counts WHERE name = 'live_projects'}), $LIVE,
            'a delete of them all: back to the start';
    };
}

scenario 'the count of live projects and a second run' => sub {
    is db_value(q{SELECT value FROM catalogue_counts WHERE name = 'live_projects'}), $LIVE,
        "still $LIVE live projects";
    is db_value(q{SELECT count(*) AS n FROM schema_migrations WHERE version = '060_search_listing_order'}),
        1, '060_search_listing_order is recorded';
    my ($rc, $out) = migrate();
    is $rc, 0, 'devplat-migrate again' or diag $out;
    like $out, qr/nothing to apply/, '... applies nothing';
};

if (engine() ne 'sqlite') {
    local $Devplat::Test::SCRATCH_DB = engine() eq 'pgsql' ? 'postgres' : 'devplat';
    db("DROP DATABASE IF EXISTS $scratch");
}

done_testing;
