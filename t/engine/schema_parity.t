# The schema of the engine under test has the same tables, columns,
# NOT NULL constraints and generated columns as sql/sqlite/ (the
# reference): sql/<engine>/ files are kept in step by this test failing
# when they drift. The reference also holds schema_migrations, the table
# tools/devplat-migrate creates (not in any file).
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use File::Temp ();
use Apache::Test ();
use Devplat::Test;

my $top = Apache::Test::vars('top_dir');

# table_xinfo, not table_info: generated columns are "hidden" (2 virtual,
# 3 stored) and table_info leaves them out
sub sqlite_columns_sql {
    return q{SELECT m.name AS t, p.name AS c, CASE WHEN p."notnull" = 1 OR p.pk > 0 THEN 1 ELSE 0 END AS nn,
                    CASE WHEN p.hidden IN (2, 3) THEN 1 ELSE 0 END AS gen
             FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
             AND m.name NOT LIKE 'project_search%'};
}

# "table.column" of every generated column
sub generated {
    return [sort map { lc("$_->{t}.$_->{c}") } grep { $_->{gen} } @_];
}

sub shape {
    my %s;
    for my $r (@_) {
        $s{ lc $r->{t} }{ lc $r->{c} } = $r->{nn} + 0;
    }
    return \%s;
}

# the reference: sql/sqlite/0*.sql applied to an empty database
my $tmp = File::Temp->newdir;
my $ref_db = "$tmp/reference.db";
for my $f (sort glob "$top/sql/sqlite/0*.sql") {
    system("sqlite3 -bail '$ref_db' < '$f' > /dev/null") == 0 or BAIL_OUT("cannot apply $f");
}
my $json = qx{sqlite3 -json '$ref_db' "@{[ sqlite_columns_sql() =~ s/"/\\"/gr ]}"};
my @ref_rows = @{ JSON::PP->new->decode($json) };
my $ref = shape(@ref_rows);
ok scalar(keys %$ref) >= 5, 'the reference schema has tables';
ok !exists $ref->{schema_migrations}, 'no schema file creates schema_migrations';
# created by tools/devplat-migrate: version VARCHAR(64) PRIMARY KEY,
# applied_at VARCHAR(19) NOT NULL
$ref->{schema_migrations} = { version => 1, applied_at => 1 };
ok scalar(@{ generated(@ref_rows) }), 'the reference schema has generated columns';

my @live = engine() eq 'sqlite'
    ? db_rows(sqlite_columns_sql())
    : db_rows('SELECT table_name AS t, column_name AS c, '
              . q{CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS nn, }
              . q{CASE WHEN is_generated = 'ALWAYS' THEN 1 ELSE 0 END AS gen }
              . 'FROM information_schema.columns WHERE table_schema = '
              . (engine() eq 'mysql' ? 'DATABASE()' : q{'public'}));
# test_* tables are test-only fixtures (t/sql/), not part of the schema
@live = grep { $_->{t} !~ /^test_/i } @live;
# the catalogue's search index is each engine's own (057_catalogue_search.sql:
# an FTS5 table and its shadow tables, or a table of terms)
@live = grep { $_->{t} !~ /^project_search/i } @live;
my $live = shape(@live);

is_deeply generated(@live), generated(@ref_rows),
    engine() . ': the same generated columns as sql/sqlite/ (' . join(', ', @{ generated(@ref_rows) }) . ')';

is_deeply [sort keys %$live], [sort keys %$ref], engine() . ': the same tables as sql/sqlite/';
for my $t (sort keys %$ref) {
    is_deeply [sort keys %{ $live->{$t} || {} }], [sort keys %{ $ref->{$t} }],
        engine() . ": $t has the same columns";
    for my $c (sort keys %{ $ref->{$t} }) {
        next unless exists $live->{$t}{$c};
        is $live->{$t}{$c}, $ref->{$t}{$c},
            engine() . ": $t.$c is " . ($ref->{$t}{$c} ? 'NOT NULL' : 'nullable') . ' as in sql/sqlite/';
    }
}

done_testing;
