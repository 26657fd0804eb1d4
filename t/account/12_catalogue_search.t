# The catalogue's search index (057_catalogue_search.sql): GET
# /api/project/paginate?q= answers exactly what a LIKE scan of the four
# columns answers, on a generated catalogue of random Chinese, Latin,
# digits, punctuation, %, _, !, full-width and case-folding characters,
# for queries of 1 to 10 characters; every write keeps the results in
# step (admin face create, update, delete; devplat-admin project import;
# project reindex for rows written by SQL); the count of live projects
# is kept by the database; the cap of search totals (DevplatSearchCountCap,
# 10000 in the suite) and the deepest page (offset 100000) answer as
# documented. (Correctness only: speed is for bench-catalogue.)
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use JSON::PP ();
use Devplat::Test;
use Devplat::Admin;
use Devplat::AccountTest;

client_net(43);
srand(57);

my $CAP = 10000;
my $DEPTH = 100000;
my $tag = "cs$$";
my $u = signed_in();
my $T = $u->{token};
my $admin = make_admin();
my $A = $admin->{token};

sub paginate {
    my ($query) = @_;
    return json_request(GET => "/api/project/paginate?$query", undef, auth($T));
}

sub q_ { sql_quote($_[0]) }

# the LIKE pattern of devplat_like_contains(): %, _ and ! escaped with !
sub like_pattern {
    my ($q) = @_;
    (my $e = $q) =~ s/([%_!])/!$1/g;
    return q_("%$e%");
}

# The truth: the live projects whose columns contain q as the engine's
# lower() ... LIKE sees it, in the listing's order.
sub like_scan {
    my ($q) = @_;
    my $p = like_pattern($q);
    my $m = join ' OR ', map { "lower($_) LIKE lower($p) ESCAPE '!'" }
                         qw(name introduction domain research_direction);
    return map { $_->{id} } db_rows("SELECT id FROM projects WHERE deleted_at IS NULL AND ($m) "
                                    . 'ORDER BY created_at DESC, id DESC');
}

# Every page of a search (per_page 100 unless given): (ids, total,
# problems).
sub walk {
    my ($q, $max_pages, $per_page) = @_;
    my (@ids, @problems, $total);
    my $pages = 1;
    $per_page //= 100;
    for (my $page = 1; $page <= $pages && $page <= ($max_pages // 1e9); $page++) {
        my ($res, $json) = paginate("per_page=$per_page&page=$page&q=" . uri_escape_utf8($q));
        if ($res->code != 200) { push @problems, "page $page: " . $res->code . ' ' . $res->content; last }
        my $pg = $json->{meta}{pagination};
        $total //= $pg->{total};
        push @problems, "page $page: total changed" if $pg->{total} != $total;
        push @problems, "page $page: count $pg->{count}" if $pg->{count} != @{ $json->{data} };
        push @ids, map { $_->{id} } @{ $json->{data} };
        $pages = $pg->{total_pages};
    }
    return (\@ids, $total, \@problems);
}

# ------------------------------------------------------------ the catalogue

my @CJK = split //, '电梯安全识别工地人脸车辆检测缺陷数据集零售医疗园区交通智慧城市项目平台模型视觉语音';
my @LATIN = ('a' .. 'z', 'A' .. 'Z');
my @OTHER = (0 .. 9, split(//, '%_!  -,.\'()[]'), split(//, 'ＡＢａｂ１２！％＿，。（）'),
             "\x{130}", 'i', "\x{212A}", 'k', 'K', "\x{C9}", "\x{E9}", "\x{3A3}", "\x{3C3}",
             "\x{20BB7}");

sub random_text {
    my ($n) = @_;
    my $s = '';
    for (1 .. $n) {
        my $r = rand;
        $s .= $r < 0.55 ? $CJK[rand @CJK] : $r < 0.8 ? $LATIN[rand @LATIN] : $OTHER[rand @OTHER];
    }
    return $s;
}

my $NROWS = 400;
my @rows;
scenario "generate $NROWS random projects with SQL, then project reindex" => sub {
    my @cols = qw(name introduction domain research_direction delivery_at created_at updated_at);
    for my $n (1 .. $NROWS) {
        my $t = sprintf '2021-%02d-%02d %02d:%02d:00', 1 + $n % 12, 1 + $n % 28, $n % 24, $n % 60;
        push @rows, { name => "$tag " . random_text(2 + int rand 20),
                      introduction => random_text(int rand 80), domain => random_text(int rand 6),
                      research_direction => random_text(int rand 6),
                      delivery_at => '2030-01-01 00:00:00', created_at => $t, updated_at => $t };
    }
    my $live_before = db_value('SELECT value FROM catalogue_counts');
    db('INSERT INTO projects (' . join(', ', @cols) . ') VALUES '
       . join(",\n", map { my $r = $_; '(' . join(', ', map { q_($r->{$_}) } @cols) . ')' } @rows));
    is db_value('SELECT value FROM catalogue_counts'), $live_before + $NROWS,
        'the count of live projects followed the INSERT (a trigger)';
    my ($res, $json) = paginate('per_page=10&q=' . uri_escape_utf8($rows[0]{name}));
    is $json->{meta}{pagination}{total}, 0, 'rows written by SQL are not in the index yet';
    my ($rc, $out) = admin_tool('', 'project', 'reindex');
    is $rc, 0, 'devplat-admin project reindex' or diag $out;
    like $out, qr/^reindexed \d+ projects?$/m, '... says how many';
    my $live = db_value('SELECT count(*) FROM projects WHERE deleted_at IS NULL');
    like $out, qr/^reindexed $live projects$/m, '... every live project (deleted ones have no terms)';
    # (SQLite's contentless FTS5 table cannot be counted row by row: its
    # places can)
    is db_value(engine() eq 'sqlite' ? 'SELECT count(*) FROM project_search_places'
                                     : 'SELECT count(*) FROM project_search'), $live,
        'one index row per live project';
};

# ------------------------------------------------------------ queries

# substrings of the rows (1 to 10 characters), case changed now and then,
# and random strings; a few chosen ones
my @queries = ('%', '_', '!', '!%', '%_', 'Ａ', 'ａ', 'k', 'K', "\x{212A}", 'I', "\x{130}", 'é',
               'É', 'Σ', 'σ', '（', "$tag ", ' ',
               # two characters, which the index answers without a recheck
               # when each is caseless or ASCII other than i and k
               'aB', 'Ba', 'ai', 'Ki', "a\x{130}", "\x{212A}a", 'ＡＢ', 'ａb', '１２', '！%', '_%',
               '电梯', '识别', ' 电', '人 ', 'a电', '9!');
for (1 .. 160) {
    my $r = $rows[rand @rows];
    my $text = join "\n", @$r{qw(name introduction domain research_direction)};
    my $len = 1 + int rand 10;
    next if length($text) < $len;
    my $q = substr $text, int rand(length($text) - $len + 1), $len;
    $q = rand > 0.7 ? uc $q : rand > 0.5 ? lc $q : $q;
    push @queries, $q;
}
push @queries, map { random_text(1 + int rand 10) } 1 .. 60;
@queries = grep { length($_) && length($_) <= 100 } @queries;

scenario 'search = LIKE scan, for ' . scalar(@queries) . ' queries of 1 to 10 characters' => sub {
    my @bad;
    for my $q (@queries) {
        my @want = like_scan($q);
        my $pages = @want > 300 ? 2 : undef;        # beyond: the first pages and the total
        my ($ids, $total, $problems) = walk($q, $pages);
        my $want_total = @want > $CAP ? $CAP : scalar @want;
        my @first = @want[0 .. ($pages ? 199 : $#want)];
        @first = grep { defined } @first;
        push @bad, "q '$q': total $total, LIKE $want_total" if $total != $want_total;
        push @bad, map { "q '$q': $_" } @$problems;
        push @bad, "q '$q': ids differ (" . scalar(@$ids) . ' vs ' . scalar(@first) . ')'
            unless join(',', @$ids) eq join(',', @first);
    }
    is_deeply \@bad, [], 'every query answers the projects of the LIKE scan, in order';
};

# ------------------------------------------------------------ writes

sub admin_create {
    my (%f) = @_;
    my ($res, $json) = admin(POST => 'project', { status => 'ing', purchase_budget => 1, level => 1,
                                                   delivery_at => '2030-06-30 18:00:00', %f }, auth($A));
    die 'create: ' . $res->content . "\n" unless $res->code == 200;
    return $json->{data}{id};
}

sub found {
    my ($q) = @_;
    my ($ids) = walk($q);
    return join ',', @$ids;
}

# whether project $id is among what q finds (a one- or two-character query
# may find projects of other files too)
sub finds {
    my ($q, $id) = @_;
    my ($ids) = walk($q);
    return scalar grep { $_ == $id } @$ids;
}

scenario 'the admin face keeps the index in step' => sub {
    my $live = db_value('SELECT value FROM catalogue_counts');
    my $id = admin_create(name => "$tag 巡检机器人Ｑz", introduction => '第一版%说明');
    is found('巡检机器'), $id, 'a new project is found by its name';
    is found('ＱZ'), $id, '... ASCII case folded (full-width as the engine folds it)';
    is found('一版%说'), $id, '... by its introduction, % literal';
    # one and two characters: the index alone answers, with no LIKE recheck
    ok finds('巡检', $id), '... by two characters of its name';
    ok finds('巡', $id), '... by one';
    is db_value('SELECT value FROM catalogue_counts'), $live + 1, 'the count of live projects + 1';
    my ($res) = admin(PUT => "project/$id", { name => "$tag 配送无人车", domain => '物流园' }, auth($A));
    is $res->code, 200, 'PUT changes the name and the domain';
    is found('巡检机器'), '', 'the old name finds nothing';
    is found('配送无人'), $id, 'the new name finds it';
    is found('物流园'), $id, '... the new domain too';
    is found('一版%说'), $id, '... and the unchanged introduction still';
    ok !finds('巡检', $id), 'two characters of the old name find it no more (its terms went with it)';
    ok !finds('巡', $id), '... nor one';
    ok finds('配送', $id), 'two characters of the new name find it';
    ($res) = admin(DELETE => "project/$id", undef, auth($A));
    is $res->code, 200, 'DELETE';
    is found('配送无人'), '', 'a deleted project is found no more';
    ok !finds('配送', $id), '... by two characters neither';
    is db_value('SELECT value FROM catalogue_counts'), $live, 'the count of live projects is back';
    my ($r2, $json) = paginate('per_page=1');
    is $json->{meta}{pagination}{total}, db_value('SELECT count(*) FROM projects WHERE deleted_at IS NULL'),
        'the unfiltered total is the number of live projects';
};

scenario 'a project written by SQL, then edited and deleted on the admin face' => sub {
    my $name = "$tag 手写入库的项目";
    db('INSERT INTO projects (name, delivery_at, created_at, updated_at) VALUES ('
       . join(', ', map { q_($_) } $name, '2030-01-01 00:00:00', '2024-02-02 02:02:02',
              '2024-02-02 02:02:02') . ')');
    my $id = db_value('SELECT id FROM projects WHERE name = ' . q_($name));
    is found('手写入库'), '', 'not in the index before a reindex';
    my ($res) = admin(PUT => "project/$id", { name => "$tag 改名之后的项目" }, auth($A));
    is $res->code, 200, 'PUT on the admin face';
    is found('改名之后'), $id, 'found by its new name';
    ok finds('改名', $id), '... and by two characters of it';
    ok !finds('手写', $id), 'not by its old name';
    if (engine() eq 'sqlite') {
        my $ok = eval { db(q{INSERT INTO project_search (project_search) VALUES ('integrity-check')}); 1 };
        ok $ok, 'the FTS5 index passes its integrity check' or diag $@;
    }
    ($res) = admin(DELETE => "project/$id", undef, auth($A));
    is $res->code, 200, 'DELETE';
    ok !finds('改名', $id), 'gone';
};

# A race: projects created at once on the admin face each get their own
# place (SQLite) or row, and each is found; none takes another's. (Their
# order is not checked: on SQLite two creates racing across a second can
# be placed out of created_at order, as README says.)
scenario 'eight projects created at once are each found' => sub {
    my $mark = '驫犇';
    my @ids = parallel(8, sub { admin_create(name => "$mark$tag 并发第$_[0]个") });
    is scalar(grep { /^\d+$/ } @ids), 8, 'eight creates answered 200' or diag "@ids";
    my ($ids, $total) = walk($mark);
    is $total, 8, "q '$mark' (counted from the index alone): 8";
    is join(',', sort { $a <=> $b } @$ids), join(',', sort { $a <=> $b } @ids), '... the eight, each once';
    if (engine() eq 'sqlite') {
        is db_value('SELECT count(DISTINCT place) FROM project_search_places WHERE project_id IN ('
                    . join(',', grep { /^\d+$/ } @ids) . ')'), 8, 'eight distinct places';
    }
    admin(DELETE => "project/$_", undef, auth($A)) for grep { /^\d+$/ } @ids;
    ($ids, $total) = walk($mark);
    is $total, 0, 'deleted, all gone from the index';
};

scenario 'a failed write leaves the index as it was' => sub {
    my ($res, $json) = admin(POST => 'project', { name => "$tag 失败的项目", delivery_at => 'never' }, auth($A));
    is $res->code, 422, 'a refused create';
    is found('失败的项'), '', 'nothing of it in the index';
};

scenario 'devplat-admin project import keeps the index in step' => sub {
    my $line = JSON::PP->new->utf8->canonical->encode({ name => "$tag 导入的温室传感", introduction => 'Greenhouse_2',
                                                         delivery_at => '2031-01-01 00:00:00' });
    my ($rc, $out) = admin_tool("$line\n", 'project', 'import', '-');
    is $rc, 0, 'import of one project' or diag $out;
    my $id = db_value('SELECT id FROM projects WHERE name = ' . q_("$tag 导入的温室传感"));
    ok $id, 'it is there';
    is found('温室传'), $id, 'found by its name';
    is found('HOUSE_2'), $id, 'found by its introduction, case folded, _ literal';
};

# A page read from the index (060): the live count inflated as in the deep
# pages scenario, so that no search reads the listing in order instead.
scenario "the index's order is the listing's; a delete takes a project out of it" => sub {
    my $mark = '犇骉';
    my @cols = qw(name delivery_at created_at updated_at);
    my @at = ('2022-02-02 10:00:00', '2019-05-05 05:05:05', '2022-02-02 10:00:00',
              '1969-12-31 23:59:59', '2024-12-12 12:12:12', '2022-02-02 09:59:59');
    db('INSERT INTO projects (' . join(', ', @cols) . ') VALUES ' . join(",\n", map {
        '(' . join(', ', map { q_($_) } "$mark$tag 第${_}个", '2030-01-01 00:00:00', $at[$_], $at[$_]) . ')'
    } 0 .. $#at));
    my ($rc, $out) = admin_tool('', 'project', 'reindex');
    is $rc, 0, 'reindex' or diag $out;
    db('UPDATE catalogue_counts SET value = value + 200000');
    my $ok = eval {
        for my $q ($mark, "骉$tag", "$mark$tag 第") {
            my @want = like_scan($q);
            is scalar @want, 6, "q '$q': six projects match";
            for my $per_page (1, 4) {
                my ($ids, $total, $problems) = walk($q, undef, $per_page);
                is_deeply $problems, [], "q '$q', $per_page per page: every page answers";
                is join(',', @$ids), join(',', @want), '... in the listing order (same second: higher id first)';
            }
        }
        my ($id) = like_scan("$mark$tag 第4");
        my ($res) = admin(DELETE => "project/$id", undef, auth($A));
        is $res->code, 200, 'DELETE of the newest';
        my ($ids, $total) = walk($mark);
        is $total, 5, "q '$mark': the total, counted from the index alone, is 5";
        ok !grep({ $_ == $id } @$ids), '... and the deleted project is on no page';
        1;
    };
    db('UPDATE catalogue_counts SET value = value - 200000');
    die $@ unless $ok;
};

# ------------------------------------------------------------ cap and depth

scenario "more than $CAP matches: the total is $CAP, total_pages follows it" => sub {
    my $marker = "cap$$";
    my $n = $CAP + 25;
    my @cols = qw(name delivery_at created_at updated_at);
    my @values = map { '(' . join(', ', q_("$marker 第" . $_ . "个"), q_('2030-01-01 00:00:00'),
                                      q_('2019-01-01 00:00:00'), q_('2019-01-01 00:00:00')) . ')' } 1 .. $n;
    db('INSERT INTO projects (' . join(', ', @cols) . ') VALUES ' . join(",\n", @values));
    my ($rc, $out) = admin_tool('', 'project', 'reindex');
    is $rc, 0, 'reindex' or diag $out;
    my ($res, $json) = paginate("per_page=100&q=$marker");
    is $res->code, 200, 'answers';
    my $pg = $json->{meta}{pagination};
    is $pg->{total}, $CAP, "total is the cap, $CAP";
    ok is_integer($pg->{total}), '... an integer';
    is $pg->{total_pages}, $CAP / 100, 'total_pages = ceil(cap / per_page)';
    is $pg->{count}, 100, 'a full page';
    my @want = like_scan($marker);
    is scalar @want, $n, "$n projects match";
    is_deeply [map { $_->{id} } @{ $json->{data} }], [@want[0 .. 99]], 'page 1: the newest 100';
    ($res, $json) = paginate("per_page=100&page=100&q=$marker");
    is_deeply [map { $_->{id} } @{ $json->{data} }], [@want[9900 .. 9999]], 'page 100, the last within the cap';
    ($res, $json) = paginate("per_page=100&page=101&q=$marker");
    is $res->code, 200, 'page 101: 200';
    is_deeply $json->{data}, [], '... and empty: a search shows its first cap matches';
    is $json->{meta}{pagination}{total}, $CAP, '... with the same total';
    ($res, $json) = paginate("per_page=7&q=$marker");
    is $json->{meta}{pagination}{total_pages}, int(($CAP + 6) / 7), 'total_pages rounds up';
    my @narrow = like_scan("$marker 第100");
    ($res, $json) = paginate('per_page=100&q=' . uri_escape_utf8("$marker 第100"));
    is $json->{meta}{pagination}{total}, scalar @narrow, 'a narrower query is exact below the cap (' . scalar(@narrow) . ')';
    db('UPDATE projects SET deleted_at = ' . q_('2024-01-01 00:00:00') . ' WHERE name LIKE ' . q_("$marker %"));
    ($res, $json) = paginate("per_page=100&q=$marker");
    is $json->{meta}{pagination}{total}, 0, 'soft-deleted by SQL: gone from the search at once';
};

scenario "deep pages: a page that starts past row $DEPTH answers 422" => sub {
    my $live = db_value('SELECT value FROM catalogue_counts');
    my ($res, $json) = paginate('per_page=10&page=10001');
    is $res->code, 200, "past the last project (the suite has fewer than $DEPTH): 200";
    is_deeply $json->{data}, [], '... an empty page, as ever';
    # a catalogue of more than $DEPTH projects, as the listing sees it: it
    # trusts the counter (the triggers of 057 keep it)
    db('UPDATE catalogue_counts SET value = value + 200000');
    my $ok = eval {
        ($res, $json) = paginate('per_page=10&page=10000');
        is $res->code, 200, 'page 10000 of 10 (offset 99990) answers';
        is $json->{meta}{pagination}{current_page}, 10000, '... as page 10000';
        is $json->{meta}{pagination}{total}, $live + 200000, '... with the total of the counter';
        ($res, $json) = paginate('per_page=10&page=10001');
        check_error($res, 422, name => 'page 10001 of 10 (offset 100000)');
        $json = decode_body($res);
        is_deeply [keys %{ $json->{errors} }], ['page'], '... naming page';
        like $json->{errors}{page}[0], qr/100000/, '... and the limit';
        ($res) = paginate('per_page=100&page=1001');
        is $res->code, 422, 'page 1001 of 100: 422';
        ($res) = paginate('per_page=100&page=1000');
        is $res->code, 200, 'page 1000 of 100 (offset 99900) answers';
        ($res, $json) = paginate('per_page=1&page=999999999');
        is $res->code, 200, 'the largest page number, past the last row: 200';
        is_deeply $json->{data}, [], '... an empty page';
        1;
    };
    db('UPDATE catalogue_counts SET value = value - 200000');
    die $@ unless $ok;
    is db_value('SELECT value FROM catalogue_counts'), $live, 'the counter is back';
};

done_testing;
