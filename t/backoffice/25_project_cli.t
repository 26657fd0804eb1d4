# devplat-admin project import FILE and project export: JSON lines and CSV
# (read back with Python's csv module, an independent RFC 4180 reader),
# the rules of the admin face on every line, all or nothing (a bad line in
# the middle, or a database refusal half-way, writes nothing and names the
# line), an audit row per project, and export's output importing again to
# the same projects.
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use File::Temp ();
use JSON::PP ();
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::Admin;
use Devplat::AccountTest;
use Devplat::Mobile qw(with_fault);

client_net(151);

my $admin = make_admin();
my $dev = signed_in();
my $tag = "cli$$";
my $dir = File::Temp->newdir;
my $JSON = JSON::PP->new->utf8->canonical;      # bytes
my $JSONC = JSON::PP->new->canonical;           # characters (what admin_tool answers)
my @FIELDS = qw(name status purchase_budget introduction domain research_direction level delivery_at);
my $N = 0;

# a file of these bytes (characters are written as UTF-8)
sub file_of {
    my ($ext, $text) = @_;
    my $path = "$dir/f" . ++$N . ".$ext";
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh Encode::is_utf8($text) ? Encode::encode('UTF-8', $text) : $text;
    close $fh;
    return $path;
}
sub import_file { admin_tool('', 'project', 'import', @_) }
sub export { admin_tool('', 'project', 'export', @_) }
sub jsonl { join '', map { $JSON->encode($_) . "\n" } @_ }

sub snapshot {
    return join '/', db_value('SELECT count(*) AS n FROM projects'),
        db_value(q{SELECT count(*) AS n FROM audit_log WHERE action = 'project_create'});
}
sub max_id { db_value('SELECT COALESCE(MAX(id), 0) AS m FROM projects') }
# SELECT cols FROM projects ...: the mariadb client cannot carry 4-byte
# characters, so there text columns are read as hex
my %TEXT = map { $_ => 1 } qw(name status introduction domain research_direction delivery_at);
sub project_rows {
    my ($cols, $rest) = @_;
    my $hex = engine() eq 'mysql';
    my @rows = db_rows('SELECT ' . join(', ', map { $hex && $TEXT{$_} ? "HEX($_) AS $_" : $_ } @$cols)
                       . " FROM projects $rest");
    if ($hex) {
        for my $r (@rows) {
            $r->{$_} = Encode::decode('UTF-8', pack('H*', $r->{$_} // '')) for grep { $TEXT{$_} } @$cols;
        }
    }
    return @rows;
}
# the projects with ids above $after, oldest first, as hashes of the fields
sub rows_after {
    my ($after) = @_;
    return project_rows(['id', @FIELDS, qw(created_at updated_at deleted_at)], "WHERE id > $after ORDER BY id");
}
sub fields_of { my ($r) = @_; return { map { $_ => "$r->{$_}" } @FIELDS } }

# the CSV text read with Python's csv module: a list of rows (lists)
sub python_csv {
    my ($text) = @_;
    my $in = File::Temp->new;
    binmode $in;
    print $in Encode::is_utf8($text) ? Encode::encode('UTF-8', $text) : $text;
    close $in;
    my $out = qx{python3 -c 'import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))))' '$in'};
    die "python3 csv failed: $?\n" if $?;
    return JSON::PP->new->utf8->decode($out);
}
# rows written by Python's csv writer (RFC 4180: CRLF, quotes where needed)
sub python_csv_text {
    my (@rows) = @_;
    my $in = File::Temp->new;
    print $in JSON::PP->new->utf8->encode(\@rows);
    close $in;
    my $out = qx{python3 -c 'import csv, json, sys; w = csv.writer(sys.stdout, lineterminator="\\r\\n"); sys.stdout.reconfigure(newline=""); [w.writerow(r) for r in json.load(open(sys.argv[1], encoding="utf-8"))]' '$in'};
    die "python3 csv writer failed: $?\n" if $?;
    return Encode::decode('UTF-8', $out);
}

my %P1 = (name => "$tag 工地 \"安全帽\", 识别", status => 'ing', purchase_budget => 2000,
          introduction => "第一行\n第二行,带逗号\t\"引号\"", domain => '工地', research_direction => '人脸',
          level => 2, delivery_at => '2030-06-30 18:00:00');
my %P2 = (name => "$tag 😀 最少", delivery_at => '2031-01-01 00:00:00');
my %P3 = (name => "$tag 三", status => 'iteration', purchase_budget => '0042', introduction => '',
          domain => '园区', research_direction => '车辆', level => '6', delivery_at => '2024-02-29 23:59:59',
          id => 12345);
my %DEFAULTS = (status => 'registration', purchase_budget => 0, introduction => '', domain => '',
                research_direction => '', level => 1);

# ------------------------------------------------------------ import

scenario 'import JSON lines: every project, with its audit row' => sub {
    my $after = max_id();
    my $f = file_of('jsonl', jsonl(\%P1) . "\n   \n" . jsonl(\%P2) . "\r\n" . jsonl(\%P3));
    my ($rc, $out) = import_file($f);
    is $rc, 0, 'exit 0' or diag($out);
    like $out, qr/^imported 3 projects from \Q$f\E$/m, 'it says how many';
    my @r = rows_after($after);
    is scalar @r, 3, 'three new projects, in the order of the file';
    is_deeply fields_of($r[0]), { map { $_ => "$P1{$_}" } @FIELDS }, 'the first as written';
    is_deeply fields_of($r[1]), { %{ fields_of({ %DEFAULTS, %P2 }) } }, 'the second with the defaults';
    is_deeply fields_of($r[2]), { %{ fields_of({ %P3, purchase_budget => 42 }) } },
        'the third: numbers canonical, its id ignored';
    isnt $r[2]{id}, 12345, '... a new id';
    for my $p (@r) {
        like $p->{$_}, DATETIME_RE, "project $p->{id}: $_" for qw(created_at updated_at);
        ok !defined $p->{deleted_at}, "project $p->{id}: live";
        my @a = db_rows("SELECT * FROM audit_log WHERE action = 'project_create' AND detail LIKE "
                        . sql_quote("project $p->{id}:%"));
        is scalar @a, 1, "project $p->{id}: one audit row project_create";
        ok !defined $a[0]{user_id}, '... about no user';
        ok !defined $a[0]{actor_id}, '... by devplat-admin (no actor id)' if exists $a[0]{actor_id};
        is $a[0]{client_ip}, '', '... from no address';
    }
    is((db_rows("SELECT detail FROM audit_log WHERE detail LIKE " . sql_quote("project $r[1]{id}:%")))[0]{detail},
       "project $r[1]{id}: name,delivery_at", 'the detail names the fields given');

    my ($res, $json) = json_request(GET => '/api/project/paginate?per_page=10&q=' . uri_escape_utf8("$tag 三"),
                                    undef, auth($dev->{token}));
    check_ok($res, 'the developer face lists it');
    is $json->{data}[0]{id}, $r[2]{id}, '... the imported project';
    ($res, $json) = admin(GET => 'project/list?q=' . uri_escape_utf8("$tag 三"), undef, auth($admin->{token}));
    is $json->{data}{data}[0]{level}, 6, 'the admin face lists it';
};

scenario 'import CSV: header of the field names, RFC 4180 quoting' => sub {
    my $after = max_id();
    my $csv = "\x{FEFF}id,name,status,purchase_budget,introduction,domain,research_direction,level,delivery_at\r\n"
            . qq{7,"$tag C1, ""引号""",end,100,"多行\r\n简介",工地,人脸,3,2030-01-01 08:00:00\r\n}
            . "\r\n"
            . qq{,$tag C2,,,,,,,2030-01-02 00:00:00\n}
            . qq{8,"$tag C3",registration,0,"","",d,1,2030-01-03 00:00:00};
    my ($rc, $out) = import_file(file_of('csv', $csv));
    is $rc, 0, 'exit 0' or diag($out);
    my @r = rows_after($after);
    is scalar @r, 3, 'three projects (the empty line skipped)';
    is_deeply fields_of($r[0]), fields_of({ name => "$tag C1, \"引号\"", status => 'end', purchase_budget => 100,
                                            introduction => "多行\r\n简介", domain => '工地',
                                            research_direction => '人脸', level => 3,
                                            delivery_at => '2030-01-01 08:00:00' }),
        'quoted commas, doubled quotes and a line break inside a field';
    is_deeply fields_of($r[1]), fields_of({ %DEFAULTS, name => "$tag C2", delivery_at => '2030-01-02 00:00:00' }),
        'empty cells take the defaults';
    is $r[2]{research_direction}, 'd', 'the last line needs no line end';

    # a header of some columns, in another order
    $after = max_id();
    ($rc, $out) = import_file(file_of('csv', "delivery_at,level,name\n2030-05-05 05:05:05,4,$tag C4\n"));
    is $rc, 0, 'a header of three columns in any order' or diag($out);
    is_deeply fields_of((rows_after($after))[0]),
        fields_of({ %DEFAULTS, name => "$tag C4", level => 4, delivery_at => '2030-05-05 05:05:05' }), '... read by name';
};

scenario 'the format: by the extension, or --format; - is standard input' => sub {
    my $after = max_id();
    my ($rc, $out) = import_file('--format', 'csv', file_of('txt', "name,delivery_at\n$tag T1,2030-01-01 00:00:00\n"));
    is $rc, 0, '--format csv for a .txt file' or diag($out);
    ($rc, $out) = import_file(file_of('data', jsonl({ name => "$tag T2", delivery_at => '2030-01-01 00:00:00' })),
                              '--format=jsonl');
    is $rc, 0, '--format=jsonl after the file' or diag($out);
    ($rc, $out) = import_file(file_of('json', jsonl({ name => "$tag T3", delivery_at => '2030-01-01 00:00:00' })));
    is $rc, 0, '.json is JSON lines' or diag($out);
    ($rc, $out) = admin_tool(jsonl({ name => "$tag T4", delivery_at => '2030-01-01 00:00:00' }), 'project', 'import', '-');
    is $rc, 0, '- reads standard input' or diag($out);
    like $out, qr/imported 1 project from standard input/, '... and says so';
    is_deeply [map { $_->{name} } rows_after($after)], [map { "$tag T$_" } 1 .. 4], 'the four projects';
    ($rc, $out) = import_file(file_of('csv', jsonl(\%P2)));
    is $rc, 1, 'JSON in a .csv file is read as CSV: refused';
    ($rc, $out) = import_file(file_of('csv', ''));
    is $rc, 1, 'an empty CSV file: no header';
    like $out, qr/line 1: no header line/, '... says so';
    ($rc, $out) = import_file(file_of('jsonl', "\n\n"));
    is $rc, 0, 'a JSON lines file of no project imports nothing';
    like $out, qr/imported 0 projects/, '... and says so';
};

# ------------------------------------------------------------ all or nothing

scenario 'a bad line in the middle writes nothing and names the line and the field' => sub {
    my $before = snapshot();
    my @lines = (jsonl({ name => "$tag 好1", delivery_at => '2030-01-01 00:00:00' }),
                 jsonl({ name => "$tag 好2", delivery_at => '2030-01-01 00:00:00' }),
                 jsonl({ name => "$tag 坏", delivery_at => '2030-01-01 00:00:00', purchase_budget => -1 }),
                 jsonl({ name => "$tag 好3", delivery_at => '2030-01-01 00:00:00' }));
    my $f = file_of('jsonl', join '', @lines);
    my ($rc, $out) = import_file($f);
    is $rc, 1, 'exit 1';
    like $out, qr/^devplat-admin: \Q$f\E: line 3: purchase_budget must be a whole number from 0 to 2147483647$/m,
        'line 3, the field and its rule';
    like $out, qr/1 error; nothing was imported/, 'nothing was imported';
    unlike $out, qr/line [124]:/, 'no other line is blamed';
    is snapshot(), $before, 'no project and no audit row written';

    my $csv = "name,status,level,delivery_at\n$tag a,ing,1,2030-01-01 00:00:00\n"
            . "$tag b,draft,999999,2030-02-30 00:00:00\n,ing,1,2030-01-01 00:00:00\n$tag d,end,1,2030-01-01 00:00:00\n";
    ($rc, $out) = import_file($f = file_of('csv', $csv));
    is $rc, 1, 'CSV: exit 1';
    my @msg = $out =~ /^devplat-admin: \Q$f\E: (line \d+: .*)$/mg;
    is_deeply \@msg, ['line 3: status must be registration, ing, end or iteration',
                      'line 3: delivery_at is not a real date and time',
                      'line 3: level is not a level of the levels table',
                      'line 4: name is required'],
        'every broken field of every line, in order (the levels table asked last)';
    like $out, qr/4 errors; nothing was imported/, 'the count';
    is snapshot(), $before, 'nothing written';

    my %bad = (
        'a line that is not JSON'      => ['jsonl', jsonl(\%P2) . "{\"name\":\n" . jsonl(\%P2), qr/line 2: not valid JSON/],
        'a JSON array'                 => ['jsonl', jsonl(\%P2) . "[1,2]\n", qr/line 2: not a JSON object/],
        'a field of another name'      => ['jsonl', jsonl({ %P2, nmae => 'x' }), qr/line 1: unknown field 'nmae'/],
        'not UTF-8'                    => ['jsonl', jsonl(\%P2) . "{\"name\":\"\xff\",\"delivery_at\":\"2030-01-01 00:00:00\"}\n",
                                           qr/line 2: not valid UTF-8/],
        'a NUL'                        => ['jsonl', qq({"name":"a\\u0000b","delivery_at":"2030-01-01 00:00:00"}\n),
                                           qr/line 1: name must not hold a NUL character/],
        'a wrong type'                 => ['jsonl', jsonl({ %P2, level => '2.5', domain => 5 }),
                                           qr/line 1: domain must be a string/],
        'too long, in characters'      => ['jsonl', jsonl({ %P2, name => '名' x 101 }),
                                           qr/line 1: name must not be longer than 100 characters/],
        'CSV: unknown column'          => ['csv', "name,delivery_at,budget\n", qr/line 1: unknown column 'budget'/],
        'CSV: a required column absent' => ['csv', "name,status\nx,ing\n", qr/line 1: the header has no column delivery_at/],
        'CSV: a column twice'          => ['csv', "name,delivery_at,name\n", qr/line 1: the column name is there twice/],
        'CSV: a short line'            => ['csv', "name,delivery_at\nx,2030-01-01 00:00:00\ny\n", qr/line 3: 1 field where the header has 2/],
        'CSV: an open quote'           => ['csv', "name,delivery_at\nx,2030-01-01 00:00:00\n\"y,\nz\n", qr/line 3: a quoted field that never ends/],
        'CSV: text after a quote'      => ['csv', "name,delivery_at\n\"x\"y,2030-01-01 00:00:00\n", qr/line 2: a closing quote must end its field/],
        'CSV: a stray quote'           => ['csv', "name,delivery_at\nx\"y,2030-01-01 00:00:00\n", qr/line 2: a quote inside an unquoted field/],
        'CSV: a line number after a quoted line break'
                                       => ['csv', "name,introduction,delivery_at\nx,\"a\nb\nc\",2030-01-01 00:00:00\ny,,2030-01-01\n",
                                           qr/line 5: delivery_at must be a time written YYYY-MM-DD HH:MM:SS/],
    );
    for my $what (sort keys %bad) {
        my ($ext, $text, $re) = @{ $bad{$what} };
        my ($c, $o) = import_file(file_of($ext, $text));
        is $c, 1, "$what: exit 1";
        like $o, $re, "$what: the line and the reason" or diag($o);
        like $o, qr/nothing was imported/, "$what: nothing was imported";
    }
    is snapshot(), $before, 'nothing written by any of them';

    # many bad lines: the first 20 shown, the rest counted
    ($rc, $out) = import_file(file_of('jsonl', jsonl(map { { name => '', delivery_at => 'x' } } 1 .. 15)));
    is $rc, 1, 'fifteen bad lines: exit 1';
    is scalar(() = $out =~ /: line \d+: /g), 20, 'twenty errors shown';
    like $out, qr/10 more errors not shown/, 'the other ten counted';
    like $out, qr/30 errors; nothing was imported/, '30 in all';
    is snapshot(), $before, 'nothing written';
};

# The database refuses line 3 (t/sql/<engine>/055_project_faults.sql:
# 'projects.insert' refuses a project of that name): lines 1 and 2, already
# inserted in the transaction, are rolled back. Then the same with the
# audit row of a project refused.

scenario 'the database refusing a line half-way: nothing written, the line named' => sub {
    my $boom = "拒$$";
    my $before = snapshot();
    my $f = file_of('jsonl', jsonl({ name => "$tag 先1", delivery_at => '2030-01-01 00:00:00' },
                                   { name => "$tag 先2", delivery_at => '2030-01-01 00:00:00' },
                                   { name => $boom, delivery_at => '2030-01-01 00:00:00' },
                                   { name => "$tag 后", delivery_at => '2030-01-01 00:00:00' }));
    my ($rc, $out) = with_fault('projects.insert', { mobile => $boom }, sub { import_file($f) });
    is $rc, 1, 'exit 1';
    like $out, qr/line 3: the project could not be written; nothing was imported/, 'line 3 named';
    like $out, qr/test fault: projects\.insert/, "the database's reason";
    is snapshot(), $before, 'lines 1 and 2 were rolled back: nothing written';
    is db_value('SELECT count(*) AS n FROM projects WHERE name LIKE ' . sql_quote("$tag 先%")), 0, 'no project of the file';

    ($rc, $out) = with_fault('projects.audit', { mobile => 'project_create' }, sub { import_file($f) });
    is $rc, 1, 'an audit row refused: exit 1';
    like $out, qr/line 1: the project could not be written; nothing was imported/, 'line 1 named';
    is snapshot(), $before, 'its project rolled back with it';
};

# ------------------------------------------------------------ export

# the projects of this run in an export: JSON lines whose name has the tag
sub mine_jsonl { join '', grep { my $o = eval { $JSONC->decode($_) }; $o && $o->{name} =~ /\Q$tag\E/ } split /^/, $_[0] }

scenario 'export: every project that is not deleted, with its id, as JSON lines' => sub {
    my $gone = (rows_after(max_id() - 1))[0];
    my ($res) = admin(DELETE => "project/$gone->{id}", undef, auth($admin->{token}));
    is $res->code, 200, "project $gone->{id} deleted on the admin face";
    my ($rc, $out) = export();
    is $rc, 0, 'exit 0';
    my @lines = split /\n/, $out;
    my @live = db_rows('SELECT id FROM projects WHERE deleted_at IS NULL ORDER BY created_at, id');
    is scalar @lines, scalar @live, 'one line per project that is not deleted';
    my @objs = map { $JSONC->decode($_) } @lines;
    is_deeply [map { $_->{id} } @objs], [map { $_->{id} + 0 } @live], 'with their ids, oldest first';
    ok !(grep { $_->{id} == $gone->{id} } @objs), 'not the deleted one';
    my $bad = 0;
    for my $l (@lines) {
        my $o = $JSONC->decode($l);
        $bad++ unless join(',', sort keys %$o) eq join(',', sort 'id', @FIELDS);
        my @types = map { json_type($o->{$_}) } qw(id purchase_budget level);
        $bad++ if grep { $_ ne 'integer' } @types;
        $bad++ if grep { json_type($o->{$_}) ne 'string' } qw(name status introduction domain research_direction delivery_at);
    }
    is $bad, 0, 'every line: exactly id and the fields; id, purchase_budget and level integers, the rest strings';
    my ($p1) = grep { $_->{name} eq $P1{name} } @objs;
    is_deeply $p1 && { map { $_ => "$p1->{$_}" } @FIELDS }, { map { $_ => "$P1{$_}" } @FIELDS },
        'a project with quotes, commas, tabs and line breaks, as imported';
};

scenario 'export --format csv: RFC 4180, as an independent reader and writer see it' => sub {
    my ($rc, $out) = export('--format', 'csv');
    is $rc, 0, 'exit 0';
    my $rows = python_csv($out);
    is_deeply $rows->[0], ['id', @FIELDS], 'a header of id and the field names';
    my @live = project_rows(['id', @FIELDS], 'WHERE deleted_at IS NULL ORDER BY created_at, id');
    is scalar @$rows - 1, scalar @live, 'one row per project that is not deleted';
    is_deeply [@$rows[1 .. $#$rows]], [map { my $r = $_; [map { "$r->{$_}" } 'id', @FIELDS] } @live],
        'every value as stored';
    is python_csv_text(@$rows), $out, "byte for byte what Python's csv writer makes of the same rows (CRLF, quotes)";
};

# this run's projects in an export of $fmt, and their fields
sub mine_in {
    my ($fmt, $out) = @_;
    if ($fmt eq 'jsonl') {
        my $text = mine_jsonl($out);
        return ($text, map { my $o = $JSONC->decode($_); +{ map { $_ => "$o->{$_}" } @FIELDS } } split /^/, $text);
    }
    my $rows = python_csv($out);
    my @mine = grep { $_->[1] =~ /\Q$tag\E/ } @$rows[1 .. $#$rows];
    return (python_csv_text($rows->[0], @mine),
            map { my %h; @h{ 'id', @FIELDS } = @$_; delete $h{id}; \%h } @mine);
}

scenario 'export round-trips import: JSON lines and CSV' => sub {
    for my $fmt (qw(jsonl csv)) {
        my ($rc, $out) = export('--format', $fmt);
        is $rc, 0, "$fmt: export";
        my ($text, @want) = mine_in($fmt, $out);
        ok scalar @want >= 10, "$fmt: this run's projects are in the export (" . scalar(@want) . ')';
        my $after = max_id();
        my ($irc, $iout) = import_file(file_of($fmt, $text));
        is $irc, 0, "$fmt: the export imports" or diag($iout);
        is_deeply [map { fields_of($_) } rows_after($after)], \@want, "$fmt: the same projects, in the same order";
        my ($rc2, $out2) = export('--format', $fmt);
        my (undef, @again) = mine_in($fmt, $out2);
        is_deeply \@again, [@want, @want], "$fmt: exported again: each of them, then its copy";
    }
};

# ------------------------------------------------------------ usage

scenario 'usage errors: exit 2, nothing read or written' => sub {
    my $before = snapshot();
    my %usage = (
        'project alone'               => ['project'],
        'an unknown subcommand'       => ['project', 'frob'],
        'import without a file'       => ['project', 'import'],
        'an unknown format'           => ['project', 'import', '--format', 'xml', 'x.jsonl'],
        '--format without a value'    => ['project', 'export', '--format'],
        'a name of no known format'   => ['project', 'import', 'projects.txt'],
        'export takes no file'        => ['project', 'export', 'out.jsonl'],
        'two files'                   => ['project', 'import', 'a.jsonl', 'b.jsonl'],
        'an unknown option'           => ['project', 'import', '--dry-run', 'a.jsonl'],
    );
    for my $what (sort keys %usage) {
        my ($rc, $out) = admin_tool('', @{ $usage{$what} });
        is $rc, 2, "$what: exit 2";
        like $out, qr/Try 'devplat-admin --help'/, "$what: points at --help";
    }
    my ($rc, $out) = import_file("$dir/no-such-file.jsonl");
    is $rc, 1, 'a missing file: exit 1';
    like $out, qr/cannot open \Q$dir\E\/no-such-file\.jsonl/, '... named';
    ($rc, $out) = admin_tool('', '--help');
    like $out, qr/project import \[--format jsonl\|csv\] FILE/, '--help lists project import';
    like $out, qr/project export \[--format jsonl\|csv\]/, '... and project export';
    is snapshot(), $before, 'nothing written';
};

done_testing;
