# Migration 055 (the project catalogue's soft delete) on a database of its
# own, on whichever engine the suite runs: tools/devplat-migrate from a
# directory of the schema files before 055 without 054 (the reviews are
# another change: 055 must not need them), first on an empty database, then
# on one of the schema before 055 holding projects and participations. The
# rows are kept and stay live, the listing's index is there, a second run
# applies nothing, and a 055 that fails half-way leaves nothing behind
# (SQLite and PostgreSQL run it in one transaction; MariaDB commits at
# every DDL statement, so there every statement may run again).
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use File::Temp ();
use Apache::Test ();
use Devplat::Test;

my $top = Apache::Test::vars('top_dir');
my %SQLDIR = (sqlite => 'sqlite', pgsql => 'postgresql', mysql => 'mysql');
my $src = "$top/sql/$SQLDIR{ engine() }";
my $tmp = File::Temp->newdir;
my $sock = $ENV{DEVPLAT_TEST_SOCKDIR} // '';
my $DB = "devplat_m055_$$";     # the scratch database (pgsql, mysql)
my $file;                       # the scratch database file (sqlite)
my $V = '055_project_catalogue';

# the files a database before 055 was made of, without 054, and 055
my $dir = "$tmp/sql";
mkdir $dir or die "$dir: $!";
opendir my $dh, $src or die "$src: $!";
my @files = sort grep { /^\d{3}_.*\.sql$/ && !/^054_/ && $_ le "$V.sql" } readdir $dh;
closedir $dh;
for my $f (@files) {
    symlink "$src/$f", "$dir/$f" or die "symlink $f: $!";
}
ok((grep { $_ eq "$V.sql" } @files), "the scratch directory holds $V.sql");
ok !(grep { /^054_/ } @files), '... and no 054';

sub q_ { sql_quote($_[0]) }
sub sh_quote { my $x = shift; $x =~ s/'/'\\''/g; "'$x'" }

# the scratch database: created empty (dropped first)
sub fresh_db {
    if (engine() eq 'sqlite') {
        $file = "$tmp/m055-" . int(rand(1e9)) . '.db';
        return;
    }
    if (engine() eq 'pgsql') {
        for my $sql ("DROP DATABASE IF EXISTS $DB", "CREATE DATABASE $DB") {
            system("psql -X -q -h '$sock' -p 5432 -U devplat -d postgres -c '$sql' >/dev/null") == 0
                or die "psql: $sql failed\n";
        }
        return;
    }
    system("mariadb -S '$sock/mysql.sock' -u root -e 'DROP DATABASE IF EXISTS $DB; "
           . "CREATE DATABASE $DB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'") == 0
        or die "mariadb: cannot create $DB\n";
}

sub drop_db {
    return if engine() eq 'sqlite';
    if (engine() eq 'pgsql') {
        system("psql -X -q -h '$sock' -p 5432 -U devplat -d postgres -c 'DROP DATABASE IF EXISTS $DB' >/dev/null");
        return;
    }
    system("mariadb -S '$sock/mysql.sock' -u root -e 'DROP DATABASE IF EXISTS $DB'");
}
END { drop_db() }

# SQL on the scratch database: its output lines (no header; NULL as "")
sub sx {
    my ($sql) = @_;
    my $fh = File::Temp->new(SUFFIX => '.sql');
    binmode $fh, ':encoding(UTF-8)';
    print $fh engine() eq 'mysql' ? "SET SESSION sql_mode = CONCAT(\@\@sql_mode, ',NO_BACKSLASH_ESCAPES');\n$sql;\n"
                                  : "$sql;\n";
    close $fh;
    my $cmd = engine() eq 'sqlite' ? "sqlite3 -batch -bail -noheader -nullvalue '' '$file' < '$fh'"
            : engine() eq 'pgsql'  ? "psql -X -q -A -t -v ON_ERROR_STOP=1 -h '$sock' -p 5432 -U devplat -d $DB -f '$fh'"
            :                        "mariadb --default-character-set=utf8mb4 -S '$sock/mysql.sock' -u root -N -B $DB < '$fh'";
    my $out = qx{$cmd 2>&1};
    die "SQL failed ($?): $out\nSQL: $sql\n" if $?;
    my @lines = split /\n/, Encode::decode('UTF-8', $out);
    return map { engine() eq 'mysql' && $_ eq 'NULL' ? '' : $_ } @lines;
}
sub sval { (sx($_[0]))[0] // '' }

# tools/devplat-migrate on the scratch database: (exit code, output)
sub migrate {
    my (@opts) = @_;
    my @target = engine() eq 'pgsql' ? ('pgsql', "host=$sock port=5432 dbname=$DB user=devplat")
               : engine() eq 'mysql' ? ('mysql', '-S', "$sock/mysql.sock", '-u', 'root', $DB)
               :                       ('sqlite', $file);
    my $cmd = join ' ', map { sh_quote($_) } "$top/tools/devplat-migrate", '--sql-dir', $dir, @opts, @target;
    my $out = qx{$cmd 2>&1};
    return ($? >> 8, Encode::decode('UTF-8', $out));
}

sub has_column {
    my ($t, $c) = @_;
    return sval(engine() eq 'sqlite'
        ? 'SELECT count(*) FROM pragma_table_info(' . q_($t) . ') WHERE name = ' . q_($c)
        : 'SELECT count(*) FROM information_schema.columns WHERE table_name = ' . q_($t)
          . ' AND column_name = ' . q_($c)
          . (engine() eq 'mysql' ? ' AND table_schema = DATABASE()' : q{ AND table_schema = 'public'})) + 0;
}

# the listing's index: (columns, where) of projects_live_listing, or ()
sub live_index {
    if (engine() eq 'sqlite') {
        my $sql = sval(q{SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'projects_live_listing'});
        return () unless $sql;
        my ($cols) = $sql =~ /\(([^)]*)\)/;
        my ($where) = $sql =~ /WHERE\s+(.*)$/i;
        return (join(',', map { s/\s+//gr } split /,/, $cols), $where // '');
    }
    if (engine() eq 'pgsql') {
        my $def = sval(q{SELECT indexdef FROM pg_indexes WHERE tablename = 'projects' AND indexname = 'projects_live_listing'});
        return () unless $def;
        my ($cols) = $def =~ /\(([^)]*)\)/;
        my ($where) = $def =~ /WHERE\s+(.*)$/i;
        return (join(',', map { s/\s+//gr } split /,/, $cols), $where // '');
    }
    my @cols = sx(q{SELECT column_name FROM information_schema.statistics WHERE table_schema = DATABASE()
                    AND table_name = 'projects' AND index_name = 'projects_live_listing' ORDER BY seq_in_index});
    return @cols ? (join(',', @cols), '') : ();
}

sub check_schema {
    my ($name) = @_;
    ok has_column('projects', 'deleted_at'), "$name: projects.deleted_at";
    my ($cols, $where) = live_index();
    if (engine() eq 'mysql') {
        is $cols, 'deleted_at,created_at,id', "$name: the index (deleted_at, created_at, id)";
    }
    else {
        is $cols, 'created_at,id', "$name: the partial index (created_at, id) ...";
        like $where // '', qr/^\(?\s*deleted_at IS NULL\s*\)?;?$/i, "$name: ... of the live projects";
    }
    is sval(q{SELECT count(*) FROM schema_migrations WHERE version = '055_project_catalogue'}), 1,
        "$name: 055 recorded";
    is sval(q{SELECT count(*) FROM schema_migrations WHERE version LIKE '054%'}), 0, "$name: no 054 recorded";
}

# ---------------------------------------------------------------- empty

scenario 'an empty database: every file up to 055, 054 left out' => sub {
    fresh_db();
    my ($rc, $out) = migrate();
    is $rc, 0, 'exit 0' or diag $out;
    like $out, qr/^applied $V$/m, "applied $V";
    check_schema('empty');
    is sval('SELECT count(*) FROM projects'), 0, 'no project';
    sx(q{INSERT INTO projects (name, delivery_at, created_at, updated_at) VALUES ('新', '2030-01-01 00:00:00', '2025-01-01 00:00:00', '2025-01-01 00:00:00')});
    is sval('SELECT count(*) FROM projects WHERE deleted_at IS NULL'), 1, 'a new project is live (deleted_at NULL)';
};

# ---------------------------------------------------------------- with data

my @PROJECTS = (
    ['安全工地：安全帽识别', 'registration', 2000, "多行\n简介", '工地', '人脸', 1, '2030-01-01 00:00:00', '2024-01-01 00:00:00'],
    ['明火烟雾检测', 'ing', 0, '', '', '', 3, '2031-06-30 18:00:00', '2024-02-01 00:00:00'],
    ["引号 ' 和 \"", 'end', 2147483647, '😀', '园区', '车辆', 6, '2024-02-29 23:59:59', '2024-03-01 00:00:00'],
);
my @COLS = qw(name status purchase_budget introduction domain research_direction level delivery_at created_at);

scenario 'a database of the schema before 055, with projects and participations' => sub {
    fresh_db();
    my ($rc, $out) = migrate('--to', '053');
    is $rc, 0, 'the schema before 055 (up to 053, no 054)' or diag $out;
    ok !has_column('projects', 'deleted_at'), 'no deleted_at yet';
    sx(q{INSERT INTO users (username, password, created_at, updated_at) VALUES ('m055', 'x', '2024-01-01 00:00:00', '2024-01-01 00:00:00')});
    for my $p (@PROJECTS) {
        sx('INSERT INTO projects (' . join(', ', @COLS, 'updated_at') . ') VALUES ('
           . join(', ', map { q_($_) } @$p, $p->[-1]) . ')');
    }
    sx(q{INSERT INTO project_participations (user_id, project_id, created_at, updated_at)
         SELECT u.id, p.id, '2024-05-01 00:00:00', '2024-05-01 00:00:00' FROM users u, projects p
         WHERE u.username = 'm055' AND p.status IN ('ing', 'end')});
    my %before = map { $_ => [sx("SELECT $_ FROM projects ORDER BY id")] } @COLS, 'id', 'updated_at';
    my @parts = sx('SELECT project_id FROM project_participations ORDER BY id');
    is scalar @parts, 2, 'two participations';

    ($rc, $out) = migrate();
    is $rc, 0, 'devplat-migrate: exit 0' or diag $out;
    is_deeply [$out =~ /^applied (\S+)$/mg], [$V], "applied exactly $V";
    check_schema('with data');
    for my $c (sort keys %before) {
        is_deeply [sx("SELECT $c FROM projects ORDER BY id")], $before{$c}, "projects.$c as it was";
    }
    is sval('SELECT count(*) FROM projects WHERE deleted_at IS NULL'), 3, 'every project live';
    is_deeply [sx('SELECT project_id FROM project_participations ORDER BY id')], \@parts, 'the participations as they were';
    is sval('SELECT count(*) FROM project_instances'), 2, '... with their instances';

    # the developer listing, as modules/api/developer/project.c asks it
    my $live = 'SELECT p.id FROM projects p WHERE p.deleted_at IS NULL ORDER BY p.created_at DESC, p.id DESC LIMIT 2 OFFSET 0';
    is_deeply [sx($live)], [reverse @{ $before{id} }[1, 2]], 'the live listing, newest first';
    sx("UPDATE projects SET deleted_at = '2025-01-01 00:00:00' WHERE id = $before{id}[2]");
    is_deeply [sx($live)], [reverse @{ $before{id} }[0, 1]], 'a deleted project leaves it';
    is sval("SELECT count(*) FROM project_participations pp JOIN projects p ON p.id = pp.project_id "
            . "WHERE p.id = $before{id}[2]"), 1, 'its participation still joins it';
    if (engine() eq 'sqlite') {
        like join("\n", sx("EXPLAIN QUERY PLAN $live")), qr/projects_live_listing/,
            'SQLite reads the listing from the partial index (no sort)';
    }

    ($rc, $out) = migrate();
    is $rc, 0, 'the runner again: exit 0' or diag $out;
    like $out, qr/^nothing to apply: the database is at $V$/m, '... nothing to apply';
};

# ---------------------------------------------------------------- failing

scenario 'a 055 that cannot complete leaves nothing behind, or may run again' => sub {
    fresh_db();
    my ($rc, $out) = migrate('--to', '053');
    is $rc, 0, 'the schema before 055' or diag $out;
    if (engine() eq 'mysql') {
        # every statement may run again: the file twice, by hand
        for my $run (1, 2) {
            my $cmd = "mariadb -S '$sock/mysql.sock' -u root $DB < '$dir/$V.sql'";
            my $o = qx{$cmd 2>&1};
            is $?, 0, "055 by hand, run $run: exit 0" or diag $o;
        }
        ok has_column('projects', 'deleted_at'), 'deleted_at once';
        my ($cols) = live_index();
        is $cols, 'deleted_at,created_at,id', 'the index once';
        ($rc, $out) = migrate();
        is $rc, 0, 'then devplat-migrate records it' or diag $out;
        return;
    }
    # the index's name taken by an index on another table: CREATE INDEX
    # fails after ALTER TABLE ran
    sx('CREATE INDEX projects_live_listing ON users (created_at)');
    ($rc, $out) = migrate();
    is $rc, 1, 'devplat-migrate: exit 1';
    like $out, qr/\Q$V\E\.sql failed/, "naming $V";
    ok !has_column('projects', 'deleted_at'), 'the ALTER TABLE was rolled back with it';
    is sval(q{SELECT count(*) FROM schema_migrations WHERE version = '055_project_catalogue'}), 0, 'not recorded';
    sx('DROP INDEX projects_live_listing');
    ($rc, $out) = migrate();
    is $rc, 0, 'once the cause is gone it applies' or diag $out;
    check_schema('after the failure');
};

done_testing;
