# GET /api/project/paginate and GET /api/project/base/{project_id}
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::AccountTest;

client_net(40);
field_labels(per_page => ['每页条数'], page => ['当前页数'], q => ['查询关键字']);

my $u = eval { signed_in() };
my $token = $u ? $u->{token} : 'none';
my $tag = "pj$$";            # this run's projects carry it in their names

sub paginate {
    my ($query, @h) = @_;
    return json_request(GET => "/api/project/paginate?$query", undef, auth($token), @h);
}

# projects written by SQL reach the search index through devplat-admin
# project reindex (057_catalogue_search.sql)
sub reindex {
    my ($rc, $out) = admin_tool('', 'project', 'reindex');
    die "project reindex: $out\n" if $rc;
}

sub base { json_request(GET => "/api/project/base/$_[0]", undef, auth($token)) }

# every id of a search, walking all its pages
sub all_ids {
    my ($q, $per_page) = @_;
    my (@ids, $page, $pages);
    $page = 1;
    do {
        my ($res, $json) = paginate("per_page=$per_page&page=$page&q=" . uri_escape_utf8($q));
        die "page $page: " . $res->status_line . "\n" unless $res->code == 200;
        push @ids, map { $_->{id} } @{ $json->{data} };
        $pages = $json->{meta}{pagination}{total_pages};
        $page++;
    } while ($page <= $pages);
    return @ids;
}

scenario 'project details: every documented field with its type' => sub {
    my $id = insert_project(name => "安全工地：安全帽识别 $tag", status => 'ing', purchase_budget => 2000,
                            introduction => '工地安全帽佩戴识别', domain => '工地', research_direction => '人脸',
                            level => 3, delivery_at => '2025-06-30 18:00:00',
                            created_at => '2019-08-27 14:00:00', updated_at => '2019-08-28 09:30:00');
    my ($res, $json) = base($id);
    check_ok($res, 'project base');
    my $p = check_project($res, ['data'], 'project base', project_row($id), with_delivery => 1);
    like $p->{$_}, DATETIME_RE, "$_ is YYYY-MM-DD HH:MM:SS" for qw(delivery_at created_at updated_at);
    is $p->{level}, 3, 'a level-3 project is shown to a level-1 user (level limits taking part, not reading)';
};

scenario 'project details: the four statuses' => sub {
    for my $st (qw(registration ing end iteration)) {
        my $id = insert_project(name => "状态 $st $tag", status => $st);
        my ($res, $json) = base($id);
        check_ok($res, "status $st");
        is $json->{data}{status}, $st, "status is '$st'";
    }
    my $before = db_value('SELECT count(*) FROM projects');
    ok !eval { insert_project(status => 'draft'); 1 }, 'the schema refuses a status outside the set';
    is db_value('SELECT count(*) FROM projects'), $before, 'no row for the refused status';
};

scenario 'project details: unknown and malformed ids are 404 查询数据不存在' => sub {
    my $max = db_value('SELECT COALESCE(MAX(id), 0) FROM projects');
    my @ids = ($max + 1, $max + 100000, 0, 'abc', '1abc', '-1', '1.0', '1e3', '%2B1', '%20' . ($max || 1),
               '1%20OR%201%3D1', '%27', '1%27%20OR%20%271%27%3D%271', '0x1', '9' x 19, '1' x 40, '%E4%B8%80');
    for my $id (@ids) {
        check_error(scalar base($id), 404, name => "project id '$id'", message => '查询数据不存在');
    }
    my ($res) = json_request(GET => '/api/project/base/', undef, auth($token));
    is $res->code, 404, 'no id at all: 404';
    ($res) = json_request(GET => '/api/project/base/1/2', undef, auth($token));
    is $res->code, 404, 'an extra segment: 404';
    my $id = insert_project(name => "前导零 $tag");
    my ($r2, $j2) = base('00' . $id);
    check_ok($r2, 'leading zeros name the same project');
    is $j2->{data}{id}, $id, '... with its id';
};

scenario 'tokens: 401 令牌认证失败 on both endpoints' => sub {
    my $id = insert_project();
    for my $path ("/api/project/base/$id", '/api/project/paginate?per_page=10') {
        check_401(scalar json_request(GET => $path), "$path without a token");
        check_401(scalar json_request(GET => $path, undef, auth('abc.def.ghi')), "$path with a malformed token");
        check_401(scalar json_request(GET => $path, undef, auth(jwt_forge({ sub => "$u->{id}", jti => 'f' x 32,
                     iat => time, nbf => time, exp => time + 600 }))), "$path with a forged session");
    }
    my $v = signed_in();
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($v->{token})), 'logout');
    check_401(scalar json_request(GET => "/api/project/base/$id", undef, auth($v->{token})), 'revoked token');
    check_401(scalar json_request(GET => '/api/project/paginate?per_page=1', undef, auth($v->{token})),
              'revoked token (paginate)');
    # a token is checked before the input: no 422 leaks to strangers
    check_401(scalar json_request(GET => '/api/project/paginate?per_page=0'), 'bad input without a token: 401');
};

scenario 'paginate: the documented body' => sub {
    my @ids = map { insert_project(name => "分页 $tag #$_", created_at => "2031-01-0$_ 10:00:00") } 1 .. 3;
    my ($res, $json) = paginate('page=1&per_page=2');
    check_ok($res, 'paginate');
    is jtype($res, 'data'), 'array', 'data is an array';
    is scalar @{ $json->{data} || [] }, 2, 'two projects on the page';
    check_project($res, ['data', 0], 'data.0', project_row($ids[2]));
    check_project($res, ['data', 1], 'data.1', project_row($ids[1]));
    my $total = db_value('SELECT count(*) FROM projects WHERE deleted_at IS NULL');
    is jtype($res, 'meta'), 'object', 'meta is an object';
    is jtype($res, qw(meta pagination)), 'object', 'meta.pagination is an object';
    is join(',', sort keys %{ $json->{meta}{pagination} || {} }), 'count,current_page,per_page,total,total_pages',
        'meta.pagination has exactly the documented fields';
    for my $f (qw(total count per_page current_page total_pages)) {
        is jtype($res, 'meta', 'pagination', $f), 'integer', "meta.pagination.$f is an integer";
    }
    is_deeply $json->{meta}{pagination},
        { total => $total, count => 2, per_page => 2, current_page => 1, total_pages => int(($total + 1) / 2) },
        'pagination numbers';
    is join(',', sort keys %$json), 'data,message,meta,status_code', 'the envelope: status_code, message, data, meta';
};

scenario 'paginate: page defaults to 1; newest first; every project once' => sub {
    my ($res, $json) = paginate('per_page=3');
    check_ok($res, 'no page');
    is $json->{meta}{pagination}{current_page}, 1, 'current_page 1';
    my @expect = map { $_->{id} } db_rows('SELECT id FROM projects WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC');
    my @got;
    my $pages = 1;
    for (my $page = 1; $page <= $pages; $page++) {
        my ($r, $j) = paginate("per_page=7&page=$page");
        $pages = $j->{meta}{pagination}{total_pages};
        is $j->{meta}{pagination}{count}, scalar @{ $j->{data} }, "page $page: count is the page's length";
        push @got, map { $_->{id} } @{ $j->{data} };
    }
    is_deeply \@got, \@expect, 'walking every page gives every project once, newest first (id breaks ties)';
};

scenario 'paginate: a page past the end is empty, not an error' => sub {
    my $total = db_value('SELECT count(*) FROM projects WHERE deleted_at IS NULL');
    my $pages = int(($total + 4) / 5);
    for my $page ($pages + 1, $pages + 1000, 999999999) {
        my ($res, $json) = paginate("per_page=5&page=$page");
        check_ok($res, "page $page");
        is_deeply $json->{data}, [], 'data is []';
        is_deeply $json->{meta}{pagination},
            { total => $total, count => 0, per_page => 5, current_page => $page, total_pages => $pages },
            'pagination still tells the total';
    }
};

scenario 'paginate: per_page is required, 1..100' => sub {
    check_error(scalar paginate(''), 422, name => 'no parameters', field => 'per_page');
    check_error(scalar paginate('page=1'), 422, name => 'per_page missing', field => 'per_page');
    for my $pp ('', '0', '101', '-1', 'abc', '1.5', '%205', '5%20', '%2B5', '1e2', '0x10', '1000', '99999999999999999999',
                '10%27%20OR%201%3D1', '%EF%BC%95') {
        check_error(scalar paginate("per_page=$pp"), 422, name => "per_page '$pp'", field => 'per_page');
    }
    for my $pp (1, 100, '007') {
        my ($res, $json) = paginate("per_page=$pp");
        check_ok($res, "per_page $pp");
        is $json->{meta}{pagination}{per_page}, $pp + 0, "per_page $pp is answered as a number";
        ok @{ $json->{data} } <= $pp, 'at most per_page projects';
    }
};

scenario 'paginate: page must be a positive whole number' => sub {
    for my $page ('0', '-1', 'abc', '1.5', '%201', '1000000000', '99999999999999999999', 'first') {
        check_error(scalar paginate("per_page=5&page=$page"), 422, name => "page '$page'", field => 'page');
    }
    my ($res) = paginate('per_page=5&page=');
    check_ok($res, 'an empty page means page 1');
    check_error(scalar paginate('per_page=0&page=0'), 422, name => 'both wrong');
    my $json = decode_body(scalar paginate('per_page=0&page=0'));
    is join(',', sort keys %{ $json->{errors} || {} }), 'page,per_page', 'both fields named in errors';
};

scenario 'paginate: JSON bodies are typed' => sub {
    my ($res, $json) = json_request(GET => '/api/project/paginate', { per_page => 2, page => 1 }, auth($token));
    check_ok($res, 'per_page as a JSON integer');
    for my $bad (2.5, 'x', JSON::PP::true(), [2], { n => 2 }, 0, -3) {
        my $what = ref $bad ? ref $bad : $bad;
        check_error(scalar json_request(GET => '/api/project/paginate', { per_page => $bad }, auth($token)), 422,
                    name => "per_page as JSON $what", field => 'per_page');
    }
    check_error(scalar json_request(GET => '/api/project/paginate', { per_page => 2, q => 5 }, auth($token)), 422,
                name => 'q as a JSON number', field => 'q');
    check_error(scalar json_request(GET => '/api/project/paginate', { per_page => 2, q => ['a'] }, auth($token)), 422,
                name => 'q as a JSON array', field => 'q');
    check_error(scalar json_request(GET => '/api/project/paginate', { per_page => 2, q => "a\x{0}b" }, auth($token)), 422,
                name => 'q with a NUL', field => 'q');
    check_error(scalar json_request(GET => '/api/project/paginate', '{"per_page":', auth($token)), 422,
                name => 'malformed JSON');
};

scenario 'search: q in name, introduction, domain and research direction' => sub {
    my $t = "srch$$";
    my %id = (
        name => insert_project(name => "名称含 $t 的项目"),
        intro => insert_project(introduction => "简介里有 \U$t\E 字样"),
        domain => insert_project(domain => "领域$t"),
        dir => insert_project(research_direction => "${t}方向"),
        none => insert_project(name => "与 ${\ substr($t, 0, 3)} 无关"),
    );
    reindex();
    my @ids = all_ids($t, 2);
    is_deeply [sort { $a <=> $b } @ids], [sort { $a <=> $b } @id{qw(name intro domain dir)}],
        'the four columns match, case-insensitively; nothing else';
    my ($res, $json) = paginate("per_page=10&q=" . uc $t);
    is $json->{meta}{pagination}{total}, 4, 'upper-case q finds the same four';
    ($res, $json) = paginate('per_page=10&q=' . uri_escape_utf8("领域$t"));
    is_deeply [map { $_->{id} } @{ $json->{data} }], [$id{domain}], 'Chinese text with the tag';
    ($res, $json) = paginate('per_page=10&q=');
    is $json->{meta}{pagination}{total}, db_value('SELECT count(*) FROM projects WHERE deleted_at IS NULL'), 'an empty q lists every live project';
};

scenario 'search: %, _, !, quotes and backslashes match themselves' => sub {
    my $t = "lit$$";
    my %id = (
        pct  => insert_project(name => "$t 达标率100%"),
        pctx => insert_project(name => "$t 达标率100X"),
        us   => insert_project(name => "$t a_b"),
        usx  => insert_project(name => "$t aXb"),
        bang => insert_project(name => "$t x!y"),
        q1   => insert_project(name => "$t O'Brien"),
        q2   => insert_project(name => qq{$t say "hi"}),
        bs   => insert_project(name => "$t C:\\dir"),
        plain => insert_project(name => "$t plain"),
    );
    reindex();
    my %cases = (
        '100%'     => ['pct'],
        '0%'       => ['pct'],
        'a_b'      => ['us'],
        '_'        => ['us'],
        'x!y'      => ['bang'],
        '!'        => ['bang'],
        "O'Brien"  => ['q1'],
        "'"        => ['q1'],
        '"hi"'     => ['q2'],
        '\\dir'    => ['bs'],
        '%_'       => [],
        "$t %"     => [],
        "' OR '1'='1" => [],
        "'; DROP TABLE projects; --" => [],
    );
    my %mine = map { $_ => 1 } values %id;
    for my $q (sort keys %cases) {
        my ($res) = paginate('per_page=100&q=' . uri_escape_utf8($q));
        check_ok($res, "q '$q'");
        my @got = grep { $mine{$_} } all_ids($q, 100);
        is_deeply [sort @got], [sort map { $id{$_} } @{ $cases{$q} }], "q '$q' finds exactly its literal matches";
    }
    is table_exists('projects'), 1, 'projects table still there';
};

scenario 'search: q of 100 characters is fine, 101 is refused; bad encodings are refused' => sub {
    my ($res) = paginate('per_page=5&q=' . uri_escape_utf8('项' x 100));
    check_ok($res, 'q of 100 Chinese characters');
    check_error(scalar paginate('per_page=5&q=' . ('a' x 101)), 422, name => 'q of 101 characters', field => 'q');
    check_error(scalar paginate('per_page=5&q=%FF%FE'), 422, name => 'q not UTF-8');
    check_error(scalar paginate('per_page=5&q=%C0%AF'), 422, name => 'q overlong UTF-8');
    check_error(scalar paginate('per_page=5&q=%ED%A0%80'), 422, name => 'q UTF-16 surrogate');
};

scenario 'methods other than GET: 405 with Allow' => sub {
    my ($res) = json_request(POST => '/api/project/paginate', { per_page => 1 }, auth($token));
    check_error($res, 405, name => 'POST paginate');
    like $res->header('Allow') // '', qr/\bGET\b/, 'Allow: GET';
    ($res) = json_request(DELETE => '/api/project/base/1', undef, auth($token));
    check_error($res, 405, name => 'DELETE base');
};

done_testing;
