# The project catalogue of the back office (admin face): GET project/list,
# POST project, PUT project/{id}, DELETE project/{id}. Every field checked
# by the rules of modules/core/project_rules.c (422 naming each broken
# field at once, nothing written), every change an audit row in its
# transaction, and the effects on the developer face: a deleted project is
# gone from project/paginate and project/base, and still shown by
# user/participate-project.
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::Admin;
use Devplat::AccountTest;
use Devplat::Mobile qw(with_fault);

client_net(150);

my $admin = make_admin();
my $A = $admin->{token};
my $dev = signed_in();                  # a developer, no administrator
my $tag = "bo$$";                       # this run's projects carry it in their names
my $SEQ = 0;

# 000's fields with the types project/list shows them in, plus the flag
my %TYPES = (
    id => 'integer', name => 'string', status => 'string', purchase_budget => 'integer',
    introduction => 'string', domain => 'string', research_direction => 'string',
    level => 'integer', delivery_at => 'string', created_at => 'string',
    updated_at => 'string', deleted => 'boolean', deleted_at => 'string',
);
my @FIELDS = qw(name status purchase_budget introduction domain research_direction level delivery_at);
my %LABEL = (name => '名称', status => '状态', purchase_budget => '采购预算', introduction => '简介',
             domain => '领域', research_direction => '研究方向', level => '等级限制',
             delivery_at => '交付时间', q => '查询关键字', id => '项目id', page => '页码',
             per_page => '每页条数');

sub plist   { my ($q, $t) = @_; admin(GET => 'project/list' . (defined $q ? "?$q" : ''), undef, auth($t // $A)) }
sub pcreate { my ($b, $t, @h) = @_; admin(POST => 'project', $b, auth($t // $A), @h) }
sub pupdate { my ($id, $b, $t, @h) = @_; admin(PUT => "project/$id", $b, auth($t // $A), @h) }
sub pdelete { my ($id, $t) = @_; admin(DELETE => "project/$id", undef, auth($t // $A)) }

# a complete, valid project of this run
sub fields {
    $SEQ++;
    return (name => "$tag 安全帽识别 $SEQ", status => 'ing', purchase_budget => 2000 + $SEQ,
            introduction => "工地安全帽佩戴识别\n第二行", domain => '工地', research_direction => '人脸',
            level => 2, delivery_at => '2030-06-30 18:00:00', @_);
}

sub created {
    my ($res, $json) = pcreate({ fields(@_) });
    die 'create: ' . $res->status_line . ' ' . ($res->content // '') . "\n" unless $res->code == 200;
    return $json->{data};
}

sub q_ { sql_quote($_[0]) }
sub row { my ($row) = db_rows("SELECT * FROM projects WHERE id = $_[0]"); return $row }
sub audit_rows {
    my ($action, $id) = @_;
    my @rows = db_rows('SELECT * FROM audit_log WHERE action = ' . q_($action)
                       . ' AND detail LIKE ' . q_("project $id:%") . ' ORDER BY id');
    return @rows;       # in scalar context: how many
}
# what a failed request must leave as it was
sub snapshot {
    return join '/', db_value('SELECT count(*) AS n FROM projects'),
        db_value(q{SELECT count(*) AS n FROM audit_log WHERE action IN ('project_create', 'project_update', 'project_delete')}),
        db_value('SELECT COALESCE(MAX(updated_at), \'\') AS m FROM projects');
}

# The project at @$path of the answer: exactly these fields with their
# JSON types; %want: values.
sub check_item {
    my ($res, $path, $name, %want) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $v = decode_body($res);
    for my $k (@$path) { $v = ref $v eq 'HASH' ? $v->{$k} : ref $v eq 'ARRAY' ? $v->[$k] : undef }
    is ref $v, 'HASH', "$name: the project is an object" or return {};
    is join(',', sort keys %$v), join(',', sort keys %TYPES), "$name: exactly its fields";
    is jtype($res, @$path, $_), $TYPES{$_}, "$name: $_ is $TYPES{$_}" for sort keys %TYPES;
    like $v->{$_} // '', DATETIME_RE, "$name: $_ is YYYY-MM-DD HH:MM:SS" for qw(delivery_at created_at updated_at);
    ok $v->{id} > 0, "$name: id > 0";
    for my $f (sort keys %want) {
        if (!defined $want{$f}) { ok !defined $v->{$f}, "$name: $f undef" }
        elsif (JSON::PP::is_bool($want{$f})) { is !!$v->{$f}, !!$want{$f}, "$name: $f " . ($want{$f} ? 'true' : 'false') }
        else { is $v->{$f}, $want{$f}, "$name: $f = $want{$f}" }
    }
    return $v;
}

# A 422 of this face whose errors name exactly @fields, each message with
# the field's label; the envelope's message names one of them.
sub check_422 {
    my ($res, $name, $cmd, @fields) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_admin_error($res, 422, name => $name, cmd => $cmd);
    my $errors = eval { $json->{data}{errors} } || {};
    is_deeply [sort keys %$errors], [sort @fields], "$name: errors of exactly @fields"
        or diag('errors: ' . JSON::PP->new->canonical->encode($errors));
    for my $f (@fields) {
        my $m = ref $errors->{$f} eq 'ARRAY' ? $errors->{$f}[0] // '' : '';
        ok index($m, $LABEL{$f}) >= 0, "$name: the error of $f names $LABEL{$f}" or diag("got: $m");
    }
    my $msg = $json->{message} // '';
    ok((grep { index($msg, $LABEL{$_}) >= 0 } @fields), "$name: the message names the field")
        or diag("message: $msg");
    return $json;
}

# the developer face
sub dev_base { json_request(GET => "/api/project/base/$_[0]", undef, auth($dev->{token})) }
sub dev_page {
    my ($q) = @_;
    return json_request(GET => '/api/project/paginate?per_page=100' . (defined $q ? '&q=' . uri_escape_utf8($q) : ''),
                        undef, auth($dev->{token}));
}
sub dev_participations { json_request(GET => '/api/user/participate-project', undef, auth($dev->{token})) }

# ------------------------------------------------------------ create

scenario 'POST project: the project, as project/list shows it' => sub {
    my %f = fields(name => "$tag 安全工地：安全帽识别", purchase_budget => 2147483647, level => 6,
                   introduction => "多行\n简介\t制表\r\n结束", delivery_at => '2024-02-29 23:59:59');
    my $before = db_value('SELECT COALESCE(MAX(id), 0) AS m FROM projects');
    my ($res, $json) = pcreate(\%f);
    check_admin_ok($res, 'create', cmd => 'project');
    my $p = check_item($res, ['data'], 'create', %f, deleted => JSON::PP::false, deleted_at => '');
    ok $p->{id} > $before, 'a new id';
    is $p->{created_at}, $p->{updated_at}, 'created_at = updated_at';
    my $r = row($p->{id});
    is $r->{$_}, $f{$_}, "stored $_" for @FIELDS;
    ok !defined $r->{deleted_at}, 'deleted_at NULL';

    my ($lr, $lj) = plist('q=' . uri_escape_utf8('安全工地：安全帽识别'));
    my ($item) = grep { $_->{id} == $p->{id} } @{ $lj->{data}{data} || [] };
    is_deeply $item, $p, 'project/list shows the same object';

    my ($br, $bj) = dev_base($p->{id});
    check_ok($br, 'the developer face shows it');
    is $bj->{data}{$_}, $p->{$_}, "project/base: $_" for @FIELDS, qw(id created_at updated_at);

    my @a = audit_rows('project_create', $p->{id});
    is scalar @a, 1, 'one audit row project_create';
    is $a[0]{detail}, "project $p->{id}: name,status,purchase_budget,introduction,domain,research_direction,level,delivery_at",
        'its detail names the project and the fields';
    ok !defined $a[0]{user_id}, 'it is about no user (user_id NULL)';
    is $a[0]{client_ip}, client_ip(), 'the client address';
    is $a[0]{actor_id}, $admin->{id}, 'the administrator is its actor' if exists $a[0]{actor_id};
};

scenario 'POST project: name and delivery_at are enough; the rest are the defaults' => sub {
    my ($res, $json) = pcreate({ name => "$tag 最少", delivery_at => '2031-01-01 00:00:00' });
    check_admin_ok($res, 'minimal create', cmd => 'project');
    my $p = check_item($res, ['data'], 'minimal', status => 'registration', purchase_budget => 0,
                       introduction => '', domain => '', research_direction => '', level => 1);
    is((audit_rows('project_create', $p->{id}))[0]{detail}, "project $p->{id}: name,delivery_at",
       'the audit row names the two fields given');
};

scenario 'POST project: a form body, numbers as digits' => sub {
    my %f = fields(purchase_budget => '0042', level => '3');
    my ($res, $json) = pcreate(form_body(%f), undef, 'Content-Type' => 'application/x-www-form-urlencoded');
    check_admin_ok($res, 'form create', cmd => 'project');
    check_item($res, ['data'], 'form create', name => $f{name}, purchase_budget => 42, level => 3);
};

scenario 'POST project: the boundaries pass' => sub {
    my %edge = (
        'name of 100 CJK characters'      => { name => $tag . ('项' x (100 - length $tag)) },
        'name beyond the BMP'             => { name => "$tag 😀" },
        'name with SQL in it'             => { name => "$tag x'); DROP TABLE projects; --" },
        'introduction of 2000 characters' => { introduction => ("简介\n" x 666) . '简介' },
        'domain of 64 characters'         => { domain => '领' x 64 },
        'research_direction of 64'        => { research_direction => 'd' x 64 },
        'budget 0'                        => { purchase_budget => 0 },
        'every status'                    => { status => 'iteration' },
        'delivery_at 9999-12-31 23:59:59' => { delivery_at => '9999-12-31 23:59:59' },
        'delivery_at 2000-02-29'          => { delivery_at => '2000-02-29 00:00:00' },
    );
    for my $name (sort keys %edge) {
        my %f = (fields(), %{ $edge{$name} });
        my ($res) = pcreate(\%f);
        check_admin_ok($res, $name, cmd => 'project');
        check_item($res, ['data'], $name, %f);
    }
    for my $st (qw(registration ing end)) {
        check_item(scalar pcreate({ fields(status => $st) }), ['data'], "status $st", status => $st);
    }
};

# ------------------------------------------------------------ validation

# field => [name, bad value] ...
my @BAD = (
    [name => 'empty', ''], [name => 'spaces', "  \x{3000} "], [name => '101 characters', 'n' x 101],
    [name => 'a number', 12], [name => 'null', undef], [name => 'an array', ['a']],
    [name => 'a line break', "a\nb"], [name => 'a tab', "a\tb"], [name => 'a C1 control', "a\x{85}b"],
    [status => 'draft', 'draft'], [status => 'upper case', 'ING'], [status => 'empty', ''],
    [status => 'a number', 1], [status => 'null', undef],
    [purchase_budget => '-1', -1], [purchase_budget => '2147483648', 2147483648],
    [purchase_budget => '1.5', 1.5], [purchase_budget => 'text', '12a'], [purchase_budget => 'empty', ''],
    [purchase_budget => 'true', JSON::PP::true], [purchase_budget => 'null', undef],
    [purchase_budget => '1e3', '1e3'], [purchase_budget => '20 digits', '99999999999999999999'],
    [introduction => '2001 characters', 'i' x 2001], [introduction => 'a number', 5],
    [introduction => 'a bell', "a\x{7}b"],
    [domain => '65 characters', 'd' x 65], [domain => 'an object', {}], [domain => 'a line break', "a\nb"],
    [research_direction => '65 characters', 'r' x 65], [research_direction => 'an array', []],
    [level => '0', 0], [level => 'no such level', 999999], [level => '2147483648', 2147483648],
    [level => '1.0', '1.0'], [level => 'null', undef], [level => 'negative', -2],
    [delivery_at => 'empty', ''], [delivery_at => '2019-02-29', '2019-02-29 00:00:00'],
    [delivery_at => 'a date only', '2019-08-27'], [delivery_at => 'slashes', '2019/08/27 14:00:00'],
    [delivery_at => 'ISO T', '2019-08-27T14:00:00'], [delivery_at => 'hour 24', '2019-08-27 24:00:00'],
    [delivery_at => 'April 31', '2019-04-31 10:00:00'], [delivery_at => 'a number', 20190827],
    [delivery_at => 'null', undef], [delivery_at => 'year 0', '0000-01-01 00:00:00'],
);

scenario 'POST project: each broken field is a 422 naming it, and nothing is written' => sub {
    for my $b (@BAD) {
        my ($f, $what, $v) = @$b;
        my $before = snapshot();
        my %body = (fields(), $f => $v);
        check_422(scalar pcreate(\%body), "POST $f $what", 'project', $f);
        is snapshot(), $before, "POST $f $what: nothing written";
    }
    for my $f (qw(name delivery_at)) {
        my %body = fields();
        delete $body{$f};
        check_422(scalar pcreate(\%body), "POST without $f", 'project', $f);
    }
    my $before = snapshot();
    check_422(scalar pcreate({ name => '', status => 'x', purchase_budget => -1, introduction => 1,
                               domain => 'd' x 65, research_direction => [], level => 0,
                               delivery_at => '2019-02-30 00:00:00' }),
              'every field broken', 'project', @FIELDS);
    check_422(scalar pcreate({}), 'an empty object', 'project', qw(name delivery_at));
    check_422(scalar pcreate({ fields(level => 999999, purchase_budget => -5) }),
              'an unknown level beside a broken budget: both', 'project', qw(level purchase_budget));
    is snapshot(), $before, 'nothing written';
};

scenario 'PUT project/{id}: each broken field is a 422 naming it, the project unchanged' => sub {
    my $p = created();
    my $before = row($p->{id});
    for my $b (@BAD) {
        my ($f, $what, $v) = @$b;
        check_422(scalar pupdate($p->{id}, { $f => $v }), "PUT $f $what", "project/$p->{id}", $f);
    }
    check_422(scalar pupdate($p->{id}, { name => 'ok', level => 999999, delivery_at => 'soon' }),
              'a good field beside two broken ones', "project/$p->{id}", qw(level delivery_at));
    is_deeply row($p->{id}), $before, 'the row is as it was';
    is scalar(audit_rows('project_update', $p->{id})), 0, 'no audit row';
};

scenario 'bodies that are not a JSON object, or too big' => sub {
    my $p = created();
    my $before = snapshot();
    my %raw = ('malformed' => '{"name": "x",', 'an array' => '[]', 'a string' => '"x"', 'null' => 'null',
               'trailing garbage' => '{"name":"x"} x', 'NaN' => '{"purchase_budget": NaN}',
               'single quotes' => "{'name':'x'}", 'invalid UTF-8' => "{\"name\":\"\xff\xfe\",\"delivery_at\":\"2030-01-01 00:00:00\"}",
               'a NUL' => '{"name":"a\u0000b","delivery_at":"2030-01-01 00:00:00"}');
    for my $what (sort keys %raw) {
        my ($res) = pcreate($raw{$what});
        is $res->code, 422, "POST $what: 422";
        check_admin_error($res, 422, name => "POST $what", cmd => 'project');
        ($res) = pupdate($p->{id}, $raw{$what});
        check_admin_error($res, 422, name => "PUT $what", cmd => "project/$p->{id}");
    }
    check_admin_error(scalar pcreate('name=x', undef, 'Content-Type' => 'text/plain'), 415,
                      name => 'text/plain', cmd => 'project');
    check_admin_error(scalar pcreate({ fields(introduction => 'x' x 70000) }), 413,
                      name => 'a body over 64 KiB', cmd => 'project');
    is snapshot(), $before, 'nothing written';
};

# ------------------------------------------------------------ edit

scenario 'PUT project/{id}: only the fields given change' => sub {
    my $p = created();
    db("UPDATE projects SET created_at = '2020-01-01 00:00:00', updated_at = '2020-01-02 00:00:00' WHERE id = $p->{id}");
    my ($res, $json) = pupdate($p->{id}, { status => 'end' });
    check_admin_ok($res, 'PUT status', cmd => "project/$p->{id}");
    my $q = check_item($res, ['data'], 'PUT status', (map { $_ => $p->{$_} } grep { $_ ne 'status' } @FIELDS),
                       id => $p->{id}, status => 'end', created_at => '2020-01-01 00:00:00',
                       deleted => JSON::PP::false, deleted_at => '');
    isnt $q->{updated_at}, '2020-01-02 00:00:00', 'updated_at moves';
    is row($p->{id})->{status}, 'end', 'stored';
    my @a = audit_rows('project_update', $p->{id});
    is scalar @a, 1, 'one audit row project_update';
    is $a[0]{detail}, "project $p->{id}: status", 'it names the field changed';

    my %new = (name => "$tag 改名", purchase_budget => 0, introduction => '', domain => '园区',
               research_direction => '车辆', level => 5, delivery_at => '2032-12-31 23:59:59');
    ($res, $json) = pupdate($p->{id}, \%new);
    check_admin_ok($res, 'PUT seven fields', cmd => "project/$p->{id}");
    check_item($res, ['data'], 'PUT seven fields', %new, status => 'end');
    is((audit_rows('project_update', $p->{id}))[-1]{detail},
       "project $p->{id}: name,purchase_budget,introduction,domain,research_direction,level,delivery_at",
       'the second row names the seven');
    my ($lr, $lj) = plist('q=' . uri_escape_utf8("$tag 改名"));
    my ($item) = grep { $_->{id} == $p->{id} } @{ $lj->{data}{data} || [] };
    is_deeply $item, $json->{data}, 'project/list shows what PUT answered';

    ($res, $json) = pupdate($p->{id}, { %new });
    check_admin_ok($res, 'PUT of the same values', cmd => "project/$p->{id}");
    is $json->{data}{name}, $new{name}, 'still answers the project';

    ($res) = pupdate($p->{id}, form_body(level => '4'), undef, 'Content-Type' => 'application/x-www-form-urlencoded');
    check_item($res, ['data'], 'PUT as a form', level => 4, name => $new{name});

    my $before = snapshot();
    for my $body ({}, { unknown => 1 }, { id => 5 }) {
        my ($r) = pupdate($p->{id}, $body);
        check_admin_error($r, 422, name => 'PUT without a field: ' . JSON::PP->new->canonical->encode($body),
                          cmd => "project/$p->{id}", message => qr/请至少提供一项要修改的内容/);
    }
    check_admin_error(scalar pupdate($p->{id}, undef), 422, name => 'PUT without a body',
                      cmd => "project/$p->{id}", message => qr/请至少提供一项/);
    is snapshot(), $before, 'nothing written';
};

# ------------------------------------------------------------ ids

scenario 'unknown, deleted and malformed ids' => sub {
    my $max = db_value('SELECT COALESCE(MAX(id), 0) AS m FROM projects');
    my $before = snapshot();
    for my $id ($max + 1, $max + 100000) {
        check_admin_error(scalar pupdate($id, { status => 'end' }), 404, name => "PUT unknown $id",
                          cmd => "project/$id", message => '项目不存在');
        check_admin_error(scalar pdelete($id), 404, name => "DELETE unknown $id",
                          cmd => "project/$id", message => '项目不存在');
    }
    for my $id ('0', '00', 'abc', '-1', '1.5', '1e3', '%2B1', '%201', '9' x 19, '0x1', '%E4%B8%80', "1'") {
        check_422(scalar pupdate($id, { status => 'end' }), "PUT id $id", undef, 'id');
        check_422(scalar pdelete($id), "DELETE id $id", undef, 'id');
    }
    is snapshot(), $before, 'nothing written';
    my $p = created();
    my ($res, $json) = pupdate("000$p->{id}", { domain => '前导零' });
    check_admin_ok($res, 'leading zeros name the same project');
    is $json->{data}{id}, $p->{id}, '... with its id';
    ($res) = admin(GET => "project/$p->{id}", undef, auth($A));
    check_admin_error($res, 405, name => 'GET project/{id}');
    like $res->header('Allow') // '', qr/PUT/, 'Allow names PUT';
};

# ------------------------------------------------------------ delete

scenario 'DELETE project/{id}: gone from the developer listing and details, kept by participations' => sub {
    my $p = created(name => "$tag 将删除");
    my $other = created(name => "$tag 将删除 留下");
    db("INSERT INTO project_participations (user_id, project_id, created_at, updated_at) "
       . "VALUES ($dev->{id}, $p->{id}, '2025-01-01 00:00:00', '2025-01-01 00:00:00')");
    my ($r, $j) = dev_page("$tag 将删除");
    is_deeply [sort map { $_->{id} } @{ $j->{data} || [] }], [sort { $a <=> $b } $p->{id}, $other->{id}],
        'before: project/paginate finds both';
    my $total_before = (dev_page())[1]{meta}{pagination}{total};
    check_ok(scalar dev_base($p->{id}), 'before: project/base');

    my ($res, $json) = pdelete($p->{id});
    check_admin_ok($res, 'delete', cmd => "project/$p->{id}");
    my $d = check_item($res, ['data'], 'delete', (map { $_ => $p->{$_} } @FIELDS, 'id', 'created_at', 'updated_at'),
                       deleted => JSON::PP::true);
    like $d->{deleted_at}, DATETIME_RE, 'deleted_at is YYYY-MM-DD HH:MM:SS';
    my $r0 = row($p->{id});
    ok $r0, 'the row stays (soft delete)';
    is $r0->{deleted_at}, $d->{deleted_at}, 'deleted_at stored';
    my @a = audit_rows('project_delete', $p->{id});
    is scalar @a, 1, 'one audit row project_delete';
    is $a[0]{detail}, "project $p->{id}: deleted_at", 'its detail';

    ($r, $j) = dev_page("$tag 将删除");
    check_ok($r, 'after: project/paginate');
    is_deeply [map { $_->{id} } @{ $j->{data} || [] }], [$other->{id}], 'after: only the other one';
    is $j->{meta}{pagination}{total}, 1, 'its total counts it no more';
    my (undef, $all) = dev_page();
    is $all->{meta}{pagination}{total}, $total_before - 1, 'the whole listing has one project fewer';
    is $all->{meta}{pagination}{total}, db_value('SELECT count(*) AS n FROM projects WHERE deleted_at IS NULL'),
        '... every project that is not deleted';
    ok !(grep { $_->{id} == $p->{id} } @{ $all->{data} || [] }), 'not on the first page';

    my $max = db_value('SELECT MAX(id) AS m FROM projects');
    my ($gone) = dev_base($p->{id});
    my ($unknown) = dev_base($max + 1000);
    check_error($gone, 404, name => 'project/base of a deleted project', message => '查询数据不存在');
    is $gone->content, $unknown->content, '... the very answer of an unknown project';

    my ($pr, $pj) = dev_participations();
    check_ok($pr, 'user/participate-project');
    my ($shown) = grep { $_->{id} == $p->{id} } @{ $pj->{data} || [] };
    ok $shown, 'the participation still shows the deleted project';
    is $shown->{$_}, $p->{$_}, "... its $_" for qw(name status purchase_budget introduction domain research_direction level);
    is ref $shown->{instance}, 'HASH', '... with its instance';

    my ($lr, $lj) = plist('q=' . uri_escape_utf8("$tag 将删除"));
    my %by = map { $_->{id} => $_ } @{ $lj->{data}{data} || [] };
    ok $by{ $p->{id} } && $by{ $p->{id} }{deleted}, 'project/list still shows it, flagged deleted';
    is $by{ $p->{id} }{deleted_at}, $d->{deleted_at}, '... with deleted_at';
    ok $by{ $other->{id} } && !$by{ $other->{id} }{deleted}, 'the other is not flagged';

    my $before = snapshot();
    check_admin_error(scalar pdelete($p->{id}), 404, name => 'deleted twice', cmd => "project/$p->{id}",
                      message => '项目不存在');
    check_admin_error(scalar pupdate($p->{id}, { name => "$tag 复活" }), 404, name => 'PUT of a deleted project',
                      message => '项目不存在');
    is snapshot(), $before, 'nothing written';
    is row($p->{id})->{name}, $p->{name}, 'the name is as it was';
};

# ------------------------------------------------------------ list

scenario 'project/list: every project, newest first, paginated as list/user' => sub {
    my $t = "$tag 列表";
    my @ids;
    for my $i (0 .. 4) {
        my $p = created(name => "$t $i", status => $i % 2 ? 'end' : 'ing');
        db("UPDATE projects SET created_at = '2021-01-0" . (5 - $i) . " 00:00:00' WHERE id = $p->{id}");
        push @ids, $p->{id};
    }
    # two of the same moment: the higher id first
    db("UPDATE projects SET created_at = '2021-01-05 00:00:00' WHERE id = $ids[1]");
    check_admin_ok(scalar pdelete($ids[4]), 'delete one');
    my @order = ($ids[1], $ids[0], @ids[2 .. 4]);
    my $q = 'q=' . uri_escape_utf8($t);

    my ($res, $json) = plist("$q&per_page=2");
    check_admin_ok($res, 'list', cmd => 'project/list');
    my $d = $json->{data} || {};
    is join(',', sort keys %$d), 'current_page,data,last_page,per_page,total', 'total, per_page, current_page, last_page, data';
    is jtype($res, 'data', $_), 'integer', "$_ is an integer" for qw(total per_page current_page last_page);
    is jtype($res, qw(data data)), 'array', 'data.data is an array';
    is_deeply [@$d{qw(total per_page current_page last_page)}], [5, 2, 1, 3], 'total 5 (the deleted one too), 3 pages';
    check_item($res, [qw(data data 0)], 'first item', id => $order[0], deleted => JSON::PP::false);
    my @seen;
    for my $page (1 .. 4) {
        my (undef, $j) = plist("$q&per_page=2&page=$page");
        is $j->{data}{current_page}, $page, "page $page";
        push @seen, map { $_->{id} } @{ $j->{data}{data} || [] };
    }
    is_deeply \@seen, \@order, 'every page in order: newest first, the id breaking the tie, nothing twice';
    my (undef, $j) = plist("$q&per_page=2&page=3");
    ok $j->{data}{data}[0]{deleted}, 'the deleted one is listed, flagged';

    (undef, $j) = plist("$q&status=end");
    is_deeply [map { $_->{id} } @{ $j->{data}{data} || [] }], [$ids[1], $ids[3]], 'status=end: the two of them';
    is $j->{data}{total}, 2, '... total 2';
    (undef, $j) = plist("$q&status=");
    is $j->{data}{total}, 5, 'status= (empty) filters nothing';
    (undef, $j) = plist('status=iteration&per_page=100');
    ok !(grep { $_->{status} ne 'iteration' } @{ $j->{data}{data} || [] }), 'status=iteration alone: only those';
    is $j->{data}{total}, db_value(q{SELECT count(*) AS n FROM projects WHERE status = 'iteration'}), '... all of them';

    (undef, $j) = plist('per_page=1');
    is $j->{data}{total}, db_value('SELECT count(*) AS n FROM projects'), 'without q: every project, deleted too';
    is $j->{data}{data}[0]{id},
        db_value('SELECT id FROM projects ORDER BY created_at DESC, id DESC LIMIT 1'), '... the newest first';
    (undef, $j) = plist();
    is $j->{data}{per_page}, 15, 'per_page defaults to 15';
    (undef, $j) = plist("$q&page=99");
    is_deeply [$j->{data}{current_page}, scalar @{ $j->{data}{data} || [1] }], [99, 0], 'past the last page: empty';
};

scenario 'project/list: q is literal text of the name, case-insensitive' => sub {
    my $t = "$tag-q";
    my %p = (
        pct   => created(name => "$t 100% 完成"),
        under => created(name => "$t a_b"),
        bang  => created(name => "$t 注意!"),
        upper => created(name => "$t ABC 大写"),
        plain => created(name => "$t 100 axb", introduction => "$t%_ 只在简介里"),
    );
    my $ids = sub {
        my (undef, $j) = plist('per_page=100&q=' . uri_escape_utf8($_[0]));
        return [sort { $a <=> $b } map { $_->{id} } @{ $j->{data}{data} || [] }];
    };
    is_deeply $ids->("$t 100%"), [$p{pct}{id}], '% is a percent sign';
    is_deeply $ids->("$t a_b"), [$p{under}{id}], '_ is an underscore';
    is_deeply $ids->("$t 注意!"), [$p{bang}{id}], '! (the escape) is itself';
    is_deeply $ids->("$t abc"), [$p{upper}{id}], 'ASCII case is ignored';
    is_deeply $ids->("$t%_"), [], 'the introduction is not searched';
    is_deeply $ids->($t), [sort { $a <=> $b } map { $_->{id} } values %p], 'a common part finds all five';
    is_deeply $ids->("x' OR '1'='1"), [], 'SQL in q is text';
    check_422(scalar plist('q=' . ('查' x 101)), 'q of 101 characters', 'project/list', 'q');
    check_admin_ok(scalar plist('q=' . ('查' x 100)), 'q of 100 characters', cmd => 'project/list');
};

scenario 'project/list: bad query parameters are a 422 naming them' => sub {
    for my $v ('0', '-1', 'abc', '1.5', '100000001') {
        check_422(scalar plist("page=$v"), "page=$v", 'project/list', 'page');
    }
    for my $v ('0', '101', 'x', '-5', '1e2') {
        check_422(scalar plist("per_page=$v"), "per_page=$v", 'project/list', 'per_page');
    }
    for my $v ('draft', 'ING', 'registration,ing', '%E6%8A%A5%E5%90%8D') {
        check_422(scalar plist("status=$v"), "status=$v", 'project/list', 'status');
    }
    my ($res, $json) = plist('status=end%00');
    check_admin_error($res, 422, name => 'status with a NUL', cmd => 'project/list', field => 'status');
    check_422(scalar plist('status=draft&q=' . ('q' x 101)), 'q and status at once', 'project/list', qw(q status));
    check_422(scalar plist('q[]=a'), 'q as a list', 'project/list', 'q');
    check_admin_error(scalar plist('q=%FF'), 422, name => 'q not UTF-8', cmd => 'project/list');
};

# ------------------------------------------------------------ failures

# t/sql/<engine>/055_project_faults.sql: the database refuses a project of
# one name, or the audit rows of one action, while test_faults says so

scenario 'a change whose audit row fails is not made: one transaction' => sub {
    my $p = created();
    my $was = row($p->{id});
    my $before = snapshot();
    my $name = "$tag 审计失败";
    my ($res) = with_fault('projects.audit', { mobile => 'project_create' }, sub { pcreate({ fields(name => $name) }) });
    check_admin_error($res, 503, name => 'POST, its audit row refused', cmd => 'project');
    is db_value('SELECT count(*) AS n FROM projects WHERE name = ' . q_($name)), 0, 'no project';
    ($res) = with_fault('projects.audit', { mobile => 'project_update' }, sub { pupdate($p->{id}, { name => "$tag 不变" }) });
    check_admin_error($res, 503, name => 'PUT, its audit row refused', cmd => "project/$p->{id}");
    ($res) = with_fault('projects.audit', { mobile => 'project_delete' }, sub { pdelete($p->{id}) });
    check_admin_error($res, 503, name => 'DELETE, its audit row refused', cmd => "project/$p->{id}");
    my $key = "坏$$";
    ($res) = with_fault('projects.insert', { mobile => $key }, sub { pcreate({ fields(name => $key) }) });
    check_admin_error($res, 503, name => 'POST, the row refused', cmd => 'project');
    is_deeply row($p->{id}), $was, 'the project as it was';
    is snapshot(), $before, 'nothing written';
    check_admin_ok(scalar pdelete($p->{id}), 'DELETE once the fault is gone', cmd => "project/$p->{id}");
};

# ------------------------------------------------------------ who may

scenario 'administrators only: 401 without a token, 403 for a developer' => sub {
    my $p = created();
    my $before = snapshot();
    my @calls = (
        ['GET project/list', sub { plist(undef, @_) }, 'project/list'],
        ['POST project', sub { pcreate({ fields() }, @_) }, 'project'],
        ['PUT project/{id}', sub { pupdate($p->{id}, { status => 'end' }, @_) }, "project/$p->{id}"],
        ['DELETE project/{id}', sub { pdelete($p->{id}, @_) }, "project/$p->{id}"],
    );
    for my $c (@calls) {
        my ($name, $call, $cmd) = @$c;
        check_admin_error(scalar $call->('not-a-token'), 401, name => "$name: a bad token", cmd => $cmd,
                          message => MSG_TOKEN);
        check_admin_error(scalar $call->($dev->{token}), 403, name => "$name: a developer", cmd => $cmd,
                          message => MSG_FORBIDDEN);
    }
    check_admin_error(scalar admin(GET => 'project/list'), 401, name => 'list without a token',
                      message => MSG_TOKEN);
    check_admin_error(scalar admin(POST => 'project', { fields() }), 401, name => 'create without a token',
                      message => MSG_TOKEN);
    check_admin_error(scalar admin(PUT => "project/$p->{id}", { status => 'end' }), 401,
                      name => 'edit without a token', message => MSG_TOKEN);
    check_admin_error(scalar admin(DELETE => "project/$p->{id}"), 401, name => 'delete without a token',
                      message => MSG_TOKEN);
    # a developer who is not an administrator cannot learn which ids exist
    check_admin_error(scalar pupdate(999999999, { status => 'end' }, $dev->{token}), 403,
                      name => 'a developer on an unknown id');
    is snapshot(), $before, 'nothing written';
    is row($p->{id})->{status}, $p->{status}, 'the project as it was';
};

# ------------------------------------------------------------ at once

scenario 'concurrent edits of different fields all land' => sub {
    my $p = created();
    my %change = (name => "$tag 并发", status => 'iteration', purchase_budget => 777, domain => '并发域',
                  research_direction => '并发向', level => 4, delivery_at => '2033-03-03 03:03:03');
    my @f = sort keys %change;
    my @codes = parallel(scalar @f, sub { (pupdate($p->{id}, { $f[$_[0]] => $change{ $f[$_[0]] } }))[0]->code });
    is_deeply \@codes, [(200) x @f], 'every PUT 200';
    my $r = row($p->{id});
    is $r->{$_}, $change{$_}, "$_ is the value its PUT set" for @f;
    is $r->{introduction}, $p->{introduction}, 'introduction untouched';
    is scalar(audit_rows('project_update', $p->{id})), scalar @f, 'one audit row each';
};

scenario 'two deletes at once: exactly one wins' => sub {
    my $p = created();
    my @codes = sort { $a <=> $b } parallel(4, sub { (pdelete($p->{id}))[0]->code });
    is_deeply \@codes, [200, 404, 404, 404], 'one 200, the others 404';
    is scalar(audit_rows('project_delete', $p->{id})), 1, 'one audit row';
};

# MariaDB's consistent read once let an edit that lost the race answer 200
# having changed nothing: the race is run several times
scenario 'an edit racing a delete: either before it, or a 404' => sub {
    for my $round (1 .. 8) {
        my $p = created();
        my $name = "$tag 竞速 $round";
        my @codes = parallel(2, sub {
            my ($res) = $_[0] ? pdelete($p->{id}) : pupdate($p->{id}, { name => $name });
            return $res->code;
        });
        is $codes[1], 200, "round $round: the delete wins its place";
        ok $codes[0] == 200 || $codes[0] == 404, "round $round: the edit: 200 or 404 (got $codes[0])";
        my $r = row($p->{id});
        ok defined $r->{deleted_at}, "round $round: the project is deleted";
        is scalar(audit_rows('project_update', $p->{id})), $codes[0] == 200 ? 1 : 0,
            "round $round: an audit row only for an edit that landed";
        is $r->{name}, $codes[0] == 200 ? $name : $p->{name}, "round $round: the name as the outcome says";
    }
};

scenario 'creates at once: each its own project and row' => sub {
    my @out = parallel(5, sub { my ($res, $j) = pcreate({ fields(name => "$tag 同时 $_[0]") }); $res->code . ':' . ($j->{data}{id} // '') });
    my @ids = map { /^200:(\d+)$/ ? $1 : () } @out;
    is scalar @ids, 5, 'five 200s with ids' or diag("@out");
    my %u = map { $_ => 1 } @ids;
    is scalar keys %u, 5, 'five different ids';
    is scalar(audit_rows('project_create', $_)), 1, "project $_: one audit row" for @ids;
};

done_testing;
