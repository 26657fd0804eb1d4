# GET /api/project/paginate over 10,000 generated projects: totals, pages
# and search results stay exact. (Correctness only: speed is for benchmarks.)
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::AccountTest;

client_net(41);

my $N = 10_000;
my $t = "big$$";
my $u = eval { signed_in() };
my $token = $u ? $u->{token} : 'none';

sub paginate {
    my ($query) = @_;
    return json_request(GET => "/api/project/paginate?$query", undef, auth($token));
}

my @statuses = qw(registration ing end iteration);
my @domains = ('工地', '交通', '零售', '医疗', 'Factory', '园区');
my @dirs = ('人脸', '车辆', '行为分析', 'OCR', '缺陷检测');

# Row n: a few markers on known rows, decoys beside them (what an unescaped
# % or _ would also match), mixed case, many equal created_at values.
sub project_n {
    my ($n) = @_;
    my $name = "$t 项目$n";
    $name .= ' 达标率100%' if $n % 7 == 0;
    $name .= ' 达标率100X' if $n % 7 == 1;
    $name .= ' MiXeD' if $n % 5 == 0;
    my $intro = "第${n}号数据集";
    $intro .= ' a_b' if $n % 11 == 0;
    $intro .= ' aXb' if $n % 11 == 1;
    $intro .= " it's" if $n % 13 == 0;
    my $domain = $domains[$n % @domains];
    my $dir = $dirs[$n % @dirs];
    $dir .= '!' if $n % 17 == 0;
    my $created = sprintf '2020-%02d-%02d %02d:00:00', 1 + $n % 12, 1 + $n % 28, $n % 24;
    return {
        name => $name, status => $statuses[$n % 4], purchase_budget => 1000 * ($n % 50),
        introduction => $intro, domain => $domain, research_direction => $dir,
        level => 1 + $n % 6, delivery_at => '2030-12-31 00:00:00',
        created_at => $created, updated_at => $created,
    };
}

scenario "generate $N projects with one multi-row INSERT" => sub {
    my @cols = qw(name status purchase_budget introduction domain research_direction level
                  delivery_at created_at updated_at);
    my @values = map { my $p = project_n($_); '(' . join(', ', map { sql_quote($p->{$_}) } @cols) . ')' } 1 .. $N;
    db('INSERT INTO projects (' . join(', ', @cols) . ') VALUES ' . join(",\n", @values));
    is db_value('SELECT count(*) FROM projects WHERE name LIKE ' . sql_quote("$t %")), $N, "$N rows";
    # rows written by plain SQL reach the search index through reindex
    my ($rc, $out) = admin_tool('', 'project', 'reindex');
    is $rc, 0, 'devplat-admin project reindex' or diag $out;
};

# The truth, computed here from the rows (not with SQL LIKE): ids whose
# name, introduction, domain or research direction contain q, ASCII letters
# folded, newest first.
my @all = db_rows('SELECT id, name, introduction, domain, research_direction, created_at FROM projects '
                  . 'WHERE deleted_at IS NULL');
sub fold { my $s = shift; $s =~ tr/A-Z/a-z/; $s }
sub expected {
    my ($q) = @_;
    my $f = fold($q);
    my @hit = grep { my $r = $_; grep { index(fold($r->{$_}), $f) >= 0 } qw(name introduction domain research_direction) } @all;
    return map { $_->{id} } sort { $b->{created_at} cmp $a->{created_at} || $b->{id} <=> $a->{id} } @hit;
}

sub walk {
    my ($q, $per_page) = @_;
    my (@ids, @problems);
    my $pages = 1;
    my $total;
    for (my $page = 1; $page <= $pages; $page++) {
        my ($res, $json) = paginate("per_page=$per_page&page=$page" . (defined $q ? '&q=' . uri_escape_utf8($q) : ''));
        if ($res->code != 200) { push @problems, "page $page: " . $res->code; last }
        my $pg = $json->{meta}{pagination};
        $total //= $pg->{total};
        push @problems, "page $page: total changed" if $pg->{total} != $total;
        push @problems, "page $page: current_page $pg->{current_page}" if $pg->{current_page} != $page;
        push @problems, "page $page: count $pg->{count}" if $pg->{count} != @{ $json->{data} };
        my $want = $page < $pg->{total_pages} ? $per_page : $total - $per_page * ($pg->{total_pages} - 1);
        push @problems, "page $page: $pg->{count} rows, expected $want" if $total && $pg->{count} != $want;
        $pages = $pg->{total_pages};
        push @ids, map { $_->{id} } @{ $json->{data} };
    }
    return (\@ids, $total, \@problems);
}

scenario 'without q: the total and every page' => sub {
    my ($ids, $total, $problems) = walk(undef, 100);
    is $total, scalar @all, 'meta.pagination.total is the number of projects';
    is_deeply $problems, [], 'every page is consistent';
    my @want = map { $_->{id} } sort { $b->{created_at} cmp $a->{created_at} || $b->{id} <=> $a->{id} } @all;
    is scalar @$ids, scalar @want, 'the pages hold every project';
    my %seen;
    is scalar(grep { $seen{$_}++ } @$ids), 0, 'no project on two pages';
    is_deeply $ids, \@want, 'newest first, equal times by id, across all pages';
    my ($res, $json) = paginate('per_page=100');
    is $json->{meta}{pagination}{total_pages}, int((@all + 99) / 100), 'total_pages = ceil(total / per_page)';
    ($res, $json) = paginate('per_page=100&page=' . (int((@all + 99) / 100) + 1));
    is_deeply $json->{data}, [], 'the page after the last is empty';
};

my %searches = (
    "$t 项目1234"   => 'one project and those starting with its number',
    '100%'          => 'a literal percent sign (decoy: 100X)',
    '率100%'        => 'Chinese and percent',
    'a_b'           => 'a literal underscore (decoy: aXb)',
    "it's"          => 'a quote',
    '!'             => 'the escape character itself',
    'mixed'         => 'lower case finds MiXeD',
    'MIXED'         => 'upper case finds MiXeD',
    'factory'       => 'a domain, folded',
    '缺陷检测'      => 'a research direction',
    '号数据集'      => 'every introduction',
    "$t 项目99999"  => 'nothing',
    '%'             => 'percent alone',
    '_'             => 'underscore alone',
);

for my $q (sort keys %searches) {
    scenario "search '$q': $searches{$q}" => sub {
        my @want = expected($q);
        my ($ids, $total, $problems) = walk($q, 97);
        is $total, scalar @want, "total is the number of matching projects (" . scalar(@want) . ')';
        is_deeply $problems, [], 'every page is consistent';
        is_deeply $ids, \@want, 'the pages hold exactly the matching projects, in order';
    };
}

scenario 'search results are not their decoys' => sub {
    my @pct = expected('100%');
    my @pctx = expected('100X');
    ok @pct > 1000 && @pctx > 1000, 'both the marker and the decoy exist';
    my %p = map { $_ => 1 } @pct;
    is scalar(grep { $p{$_} } @pctx), 0, 'no row has both';
};

done_testing;
