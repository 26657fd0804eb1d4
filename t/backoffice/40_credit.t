# GET user/{id}/credit: a user's credit records, newest first, paged, with
# the totals. POST user/{id}/credit {change, message, dedicated}: an
# administrator's signed credit change with its reason. Its effects on the developer face
# (level-credit, me, login) and the mobile face (get_user_details), on both
# nodes; its audit row; every refusal writes nothing; concurrent deductions
# never take a balance below 0.
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;

client_net(156);

my $admin = make_admin();

my %RECORD = (id => 'integer', change => 'integer', is_positive_growth => 'integer',
              message => 'string', dedicated => 'integer', created_at => 'string');
my %TOTALS = (integral => 'integer', general_integral => 'integer', dedicated_integral => 'integer');

sub credit {
    my ($id, $body, $token, @h) = @_;
    return admin(POST => "user/$id/credit", $body, auth($token // $admin->{token}), @h);
}

sub level_credit {
    my ($u, $url) = @_;
    my ($res, $json) = json_request(GET => $url // '/api/user/level-credit', undef, auth($u->{token}));
    die 'level-credit: ' . $res->status_line . "\n" unless $res->code == 200;
    return $json->{data};
}

sub balances {
    my ($u) = @_;
    my $d = level_credit($u);
    return ($d->{general_integral}, $d->{dedicated_integral});
}

# what a request may have written about the user
sub written {
    my ($id) = @_;
    return join '/', db_value("SELECT count(*) AS n FROM credit_records WHERE user_id = $id"),
                     db_value("SELECT count(*) AS n FROM audit_log WHERE user_id = $id");
}

sub signed_in {
    my $u = register_user();
    $u->{token} = login($u->{username}, $u->{password});
    return $u;
}

# ---------------------------------------------------------------- success

scenario 'a credit: the whole answer, every field and its JSON type' => sub {
    my $u = signed_in();
    my ($g0, $d0) = balances($u);
    is_deeply [$g0, $d0], [100, 0], 'a new user: 100 general (the registration), 0 dedicated';
    my ($res, $json) = credit($u->{id}, { change => 50, message => '活动奖励' });
    check_admin_ok($res, 'credit', cmd => "user/$u->{id}/credit");
    my $d = $json->{data};
    is join(',', sort keys %$d), 'dedicated_integral,general_integral,integral,record', 'data: record and the totals';
    is jtype($res, 'data', $_), $TOTALS{$_}, "data.$_ is $TOTALS{$_}" for sort keys %TOTALS;
    is jtype($res, 'data', 'record'), 'object', 'data.record is an object';
    is join(',', sort keys %{ $d->{record} }), join(',', sort keys %RECORD), 'record: exactly its fields';
    is jtype($res, 'data', 'record', $_), $RECORD{$_}, "record.$_ is $RECORD{$_}" for sort keys %RECORD;
    my $r = $d->{record};
    my ($row) = db_rows("SELECT * FROM credit_records WHERE id = $r->{id}");
    ok $row, 'record.id is the stored record' or return;
    is $row->{user_id}, $u->{id}, '... of the user';
    is_deeply [$r->{change}, $r->{is_positive_growth}, $r->{message}, $r->{dedicated}], [50, 1, '活动奖励', 0],
        'change 50, is_positive_growth 1, the message, dedicated 0';
    is_deeply [@$row{qw(amount is_positive_growth message dedicated)}], [50, 1, '活动奖励', 0], '... as stored';
    like $r->{created_at}, DATETIME_RE, 'created_at YYYY-MM-DD HH:MM:SS';
    is $r->{created_at}, $row->{created_at}, '... as stored';
    is_deeply [$d->{integral}, $d->{general_integral}, $d->{dedicated_integral}], [150, 150, 0], 'totals 150 / 150 / 0';

    # the developer face, at once
    my $lc = level_credit($u);
    is_deeply [$lc->{integral}, $lc->{general_integral}, $lc->{dedicated_integral}], [150, 150, 0],
        'level-credit: the same totals';
    is_deeply $lc->{integral_record}[0], { change => 50, is_positive_growth => 1, message => '活动奖励',
                                           created_at => $r->{created_at} }, 'level-credit: the newest record';
    my (undef, $me) = json_request(GET => '/api/me', undef, auth($u->{token}));
    is $me->{data}{integral}, 150, '/api/me: integral 150';
    my (undef, $li) = login_full($u->{username}, $u->{password});
    is $li->{data}{user_info}{integral}, 150, "login's user_info: integral 150";
    # the mobile face: the same user, the same records
    my (undef, $md) = mget("get_user_details?token=$u->{token}");
    is $md->{data}{integral}, '150', 'get_user_details: integral "150"';
    SKIP: {
        skip 'the harness runs no node B', 3 unless $ENV{DEVPLAT_NODE2_URL};
        my $b = level_credit($u, node_b_url('/api/user/level-credit'));
        is $b->{integral}, 150, 'node B: level-credit integral 150';
        is $b->{integral_record}[0]{message}, '活动奖励', 'node B: the record';
        my (undef, $bm) = json_request(GET => node_b_url("/Api/User/get_user_details?token=$u->{token}"));
        is $bm->{data}{integral}, '150', 'node B: get_user_details integral "150"';
    }

    # the audit row names the administrator and the change
    my ($a) = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'credit_change'");
    ok $a, 'an audit row credit_change' or return;
    is $a->{actor_id}, $admin->{id}, '... its actor the administrator';
    is $a->{detail}, qq{+50 general, record $r->{id}: "活动奖励" by $admin->{id}}, '... its detail the change';
    is $a->{client_ip}, client_ip(), '... the address';
    my (undef, $al) = admin(GET => "audit/list?user_id=$u->{id}&action=credit_change", undef, auth($admin->{token}));
    my $item = $al->{data}{data}[0] || {};
    is_deeply [@$item{qw(actor_id actor detail)}], [$admin->{id}, $admin->{nickname}, $a->{detail}],
        'audit/list shows the administrator as the actor';
};

scenario 'deductions, dedicated credits, decimal text and forms' => sub {
    my $u = signed_in();
    my ($res, $json) = credit($u->{id}, { change => '-30', message => '兑换礼品' });
    check_admin_ok($res, 'a deduction as decimal text');
    is_deeply [@{ $json->{data}{record} }{qw(change is_positive_growth dedicated)}], [30, 0, 0],
        'change 30, is_positive_growth 0, general';
    is $json->{data}{general_integral}, 70, 'general 70';
    ($res, $json) = credit($u->{id}, { change => 20, message => '专项', dedicated => 1 });
    check_admin_ok($res, 'a dedicated credit');
    is_deeply [@{ $json->{data} }{qw(integral general_integral dedicated_integral)}], [90, 70, 20], 'totals 90 / 70 / 20';
    is $json->{data}{record}{dedicated}, 1, 'record.dedicated 1';
    ($res, $json) = credit($u->{id}, { change => -20, message => '用完', dedicated => '1' });
    check_admin_ok($res, 'the whole dedicated balance, "1" as text');
    is $json->{data}{dedicated_integral}, 0, 'dedicated 0: a balance may reach 0';
    my $before = written($u->{id});
    check_admin_error(scalar credit($u->{id}, { change => -1, message => '超出', dedicated => 1 }), 422,
                      name => 'a dedicated deduction below 0, although general has 70', field => 'change',
                      message => qr/专用积分.*0/);
    is written($u->{id}), $before, 'nothing written';
    ($res, $json) = credit($u->{id}, { change => 5, message => '空值', dedicated => undef });
    check_admin_ok($res, 'dedicated null: general');
    is $json->{data}{record}{dedicated}, 0, '... dedicated 0';
    ($res, $json) = admin(POST => "user/$u->{id}/credit", form_body(change => '-5', message => '表单扣减', dedicated => '0'),
                          auth($admin->{token}), 'Content-Type' => 'application/x-www-form-urlencoded');
    check_admin_ok($res, 'a form body');
    is $json->{data}{general_integral}, 70, '... general 70';
    my $lc = level_credit($u);
    is_deeply [map { [$_->{change}, $_->{is_positive_growth}, $_->{message}] } @{ $lc->{integral_record} }[0 .. 4]],
        [[5, 0, '表单扣减'], [5, 1, '空值'], [20, 0, '用完'], [20, 1, '专项'], [30, 0, '兑换礼品']],
        'integral_record: the changes, newest first';
    is_deeply [@$lc{qw(integral general_integral dedicated_integral)}], [70, 70, 0], 'level-credit totals';
    my $c = credit($u->{id}, { change => 1000000, message => '上限' });
    check_admin_ok($c, 'the largest change, 1000000');
    check_admin_ok(scalar credit($u->{id}, { change => -1000000, message => '上限' }), '... and back, -1000000');
    ($res, $json) = credit($u->{id}, { change => 1, message => ('积' x 100) });
    check_admin_ok($res, 'a message of 100 characters');
    is $json->{data}{record}{message}, '积' x 100, '... kept whole';
    my ($a) = db_rows("SELECT detail FROM audit_log WHERE user_id = $u->{id} AND action = 'credit_change' "
                      . 'ORDER BY id DESC LIMIT 1');
    ok length(Encode::encode('UTF-8', $a->{detail})) <= 255, '... its audit detail fits 255 bytes';
    like $a->{detail}, qr/^\+1 general, record \d+: "积+" by $admin->{id}$/, '... cut inside the quotes, the administrator kept';
};

scenario 'a frozen user may be credited; deleted and unknown users are 404' => sub {
    my $f = make_user();
    set_status($f->{id}, 1);
    check_admin_ok(scalar credit($f->{id}, { change => 10, message => '冻结也可' }), 'a frozen user');
    my $d = make_user();
    set_status($d->{id}, 5);
    my $before = written($d->{id});
    check_admin_error(scalar credit($d->{id}, { change => 10, message => '已删除' }), 404, name => 'a deleted user',
                      cmd => "user/$d->{id}/credit", message => MSG_NO_USER);
    is written($d->{id}), $before, 'nothing written';
    check_admin_error(scalar credit(987654321, { change => 10, message => '不存在' }), 404, name => 'an unknown id',
                      message => MSG_NO_USER);
    is db_value('SELECT count(*) AS n FROM credit_records WHERE user_id = 987654321'), 0, 'nothing written';
};

# ---------------------------------------------------------------- refusals

scenario '422 for each field, each writing nothing' => sub {
    my $u = signed_in();
    my $before = written($u->{id});
    my @cases = (
        [{ message => '缺少' }, 'change', 'change missing'],
        [{ change => undef, message => 'x' }, 'change', 'change null'],
        [{ change => '', message => 'x' }, 'change', 'change ""'],
        [{ change => 0, message => 'x' }, 'change', 'change 0'],
        [{ change => '0', message => 'x' }, 'change', 'change "0"'],
        [{ change => '-0', message => 'x' }, 'change', 'change "-0"'],
        [{ change => 1000001, message => 'x' }, 'change', 'change 1000001'],
        [{ change => -1000001, message => 'x' }, 'change', 'change -1000001'],
        [{ change => '99999999', message => 'x' }, 'change', 'change of 8 digits'],
        [{ change => '9223372036854775808', message => 'x' }, 'change', 'change beyond 64 bits'],
        [{ change => 1.5, message => 'x' }, 'change', 'change 1.5'],
        [{ change => '1.5', message => 'x' }, 'change', 'change "1.5"'],
        [{ change => '+5', message => 'x' }, 'change', 'change "+5"'],
        [{ change => ' 5', message => 'x' }, 'change', 'change " 5"'],
        [{ change => '5 ', message => 'x' }, 'change', 'change "5 "'],
        [{ change => '--5', message => 'x' }, 'change', 'change "--5"'],
        [{ change => '1e3', message => 'x' }, 'change', 'change "1e3"'],
        [{ change => 'abc', message => 'x' }, 'change', 'change "abc"'],
        [{ change => JSON::PP::true(), message => 'x' }, 'change', 'change true'],
        [{ change => [5], message => 'x' }, 'change', 'change [5]'],
        [{ change => { n => 5 }, message => 'x' }, 'change', 'change {}'],
        [{ change => 5 }, 'message', 'message missing'],
        [{ change => 5, message => undef }, 'message', 'message null'],
        [{ change => 5, message => '' }, 'message', 'message ""'],
        [{ change => 5, message => '   ' }, 'message', 'message of spaces'],
        [{ change => 5, message => '积' x 101 }, 'message', 'message of 101 characters'],
        [{ change => 5, message => "a\x01b" }, 'message', 'message with a C0 control'],
        [{ change => 5, message => "a\nb" }, 'message', 'message with a line break'],
        [{ change => 5, message => "a\x7fb" }, 'message', 'message with DEL'],
        [{ change => 5, message => "a\x{85}b" }, 'message', 'message with a C1 control (U+0085)'],
        [{ change => 5, message => 12 }, 'message', 'message a number'],
        [{ change => 5, message => ['x'] }, 'message', 'message an array'],
        [{ change => 5, message => 'x', dedicated => 2 }, 'dedicated', 'dedicated 2'],
        [{ change => 5, message => 'x', dedicated => -1 }, 'dedicated', 'dedicated -1'],
        [{ change => 5, message => 'x', dedicated => 'yes' }, 'dedicated', 'dedicated "yes"'],
        [{ change => 5, message => 'x', dedicated => '' }, 'dedicated', 'dedicated ""'],
        [{ change => 5, message => 'x', dedicated => JSON::PP::true() }, 'dedicated', 'dedicated true'],
        [{ change => -101, message => '超出余额' }, 'change', 'a deduction beyond the general balance'],
    );
    for my $c (@cases) {
        my ($body, $field, $name) = @$c;
        check_admin_error(scalar credit($u->{id}, $body), 422, name => $name, cmd => "user/$u->{id}/credit",
                          field => $field);
    }
    my ($res, $json) = credit($u->{id}, { change => 'x', message => '' , dedicated => 3 });
    check_admin_error($res, 422, name => 'three bad fields', field => 'change');
    is join(',', sort keys %{ $json->{data}{errors} || {} }), 'change,dedicated,message', '... an error for each';
    check_admin_error(scalar credit($u->{id}, '{"change": 5,'), 422, name => 'malformed JSON');
    check_admin_error(scalar credit($u->{id}, '[5]'), 422, name => 'a JSON array');
    check_admin_error(scalar credit($u->{id}, "{\"change\": 5, \"message\": \"\xff\"}"), 422, name => 'invalid UTF-8');
    check_admin_error(scalar credit($u->{id}, '5', undef, 'Content-Type' => 'text/plain'), 415, name => 'text/plain');
    for my $id ('abc', '0', '-2', '1.0', "1'", '0x10') {
        check_admin_error(scalar admin(POST => "user/$id/credit", { change => 5, message => 'x' }, auth($admin->{token})),
                          422, name => "id '$id'", field => 'id');
    }
    is written($u->{id}), $before, 'no refused request wrote a record or an audit row';
    is_deeply [balances($u)], [100, 0], 'the balances are as they were';
};

scenario '401 without a token, 403 for a user who is no administrator' => sub {
    my $u = make_user();
    my $before = written($u->{id});
    check_admin_error(scalar admin(POST => "user/$u->{id}/credit", { change => 5, message => 'x' }), 401,
                      name => 'no token', cmd => "user/$u->{id}/credit", message => MSG_TOKEN);
    my $t = admin_login($u->{nickname}, $u->{password});
    $before = written($u->{id});
    check_admin_error(scalar credit($u->{id}, { change => 5, message => '给自己' }, $t), 403,
                      name => 'a user crediting themselves', message => MSG_FORBIDDEN);
    my $v = make_user();
    check_admin_error(scalar credit($v->{id}, { change => 5, message => '给别人' }, $t), 403,
                      name => 'a user crediting another', message => MSG_FORBIDDEN);
    check_admin_error(scalar credit('abc', { change => 'x' }, $t), 403, name => '403 before any 422');
    is written($u->{id}), $before, 'nothing written';
    check_admin_error(scalar admin(PUT => "user/$u->{id}/credit", { change => 5 }, auth($admin->{token})), 405,
                      name => 'PUT user/{id}/credit');
};

scenario 'an administrator cannot change their own credits' => sub {
    my $me = make_admin();
    my $before = written($me->{id});
    check_admin_error(scalar credit($me->{id}, { change => 500, message => '给自己' }, $me->{token}), 403,
                      name => 'an administrator crediting themselves', message => '不能调整自己的积分');
    is written($me->{id}), $before, 'nothing written';
    check_admin_ok(scalar credit($me->{id}, { change => 5, message => '同事给的' }), 'another administrator may');
};

# ---------------------------------------------------------------- races

scenario 'concurrent deductions: exactly one of those the balance allows' => sub {
    my $u = signed_in();
    my ($g) = balances($u);
    is $g, 100, 'general 100';
    my $n = 6;
    my @out = parallel($n, sub {
        my ($res, $json) = credit($u->{id}, { change => -60, message => "并发扣减$_[0]" });
        return $res->code;
    });
    is scalar(grep { ($_ // '') eq '200' } @out), 1, "one of $n deductions of 60 from 100 passed";
    is scalar(grep { ($_ // '') eq '422' } @out), $n - 1, 'the others: 422';
    is_deeply [balances($u)], [40, 0], 'general 40, never below 0';
    is db_value("SELECT count(*) AS n FROM credit_records WHERE user_id = $u->{id} AND is_positive_growth = 0"), 1,
        'one deduction recorded';
    is db_value("SELECT count(*) AS n FROM audit_log WHERE user_id = $u->{id} AND action = 'credit_change'"), 1,
        'one audit row';

    # a dedicated balance of 50: five deductions of 20 at once, two pass
    check_admin_ok(scalar credit($u->{id}, { change => 50, message => '专用', dedicated => 1 }), 'dedicated 50');
    @out = parallel(5, sub {
        my ($res) = credit($u->{id}, { change => -20, message => "专用扣减$_[0]", dedicated => 1 });
        return $res->code;
    });
    is scalar(grep { ($_ // '') eq '200' } @out), 2, 'two of five deductions of 20 from 50 passed';
    is_deeply [balances($u)], [40, 10], 'dedicated 10; general untouched';

    # credits and deductions at once: every credit counts
    @out = parallel(6, sub {
        my ($res) = credit($u->{id}, { change => $_[0] % 2 ? -10 : 10, message => "混合$_[0]" });
        return $res->code;
    });
    is scalar(grep { ($_ // '') eq '200' } @out), 6, 'three credits and three deductions of 10 from 40: all pass';
    is_deeply [balances($u)], [40, 10], 'general 40 again';
};

scenario 'node B sees the balance node A left' => sub {
    SKIP: {
        skip 'the harness runs no node B', 4 unless $ENV{DEVPLAT_NODE2_URL};
        my $u = signed_in();
        check_admin_ok(scalar credit($u->{id}, { change => -90, message => '节点A扣减' }), 'node A: -90');
        my $url = node_b_url("/admin/api/user/$u->{id}/credit");
        my ($res) = json_request(POST => $url, { change => -11, message => '节点B超出' }, auth($admin->{token}));
        check_admin_error($res, 422, name => 'node B: -11 from 10', field => 'change');
        my $json;
        ($res, $json) = json_request(POST => $url, { change => -10, message => '节点B扣减' }, auth($admin->{token}));
        check_admin_ok($res, 'node B: -10', cmd => "user/$u->{id}/credit");
        is $json->{data}{general_integral}, 0, 'node B: general 0';
        is_deeply [balances($u)], [0, 0], 'node A reads 0';
    }
};

# ---------------------------------------------------------------- the records

sub records {
    my ($id, $query, $token) = @_;
    return admin(GET => "user/$id/credit" . ($query // ''), undef, auth($token // $admin->{token}));
}

scenario 'GET user/{id}/credit: every record, newest first, paged, with the totals' => sub {
    my $u = signed_in();
    check_admin_ok(scalar credit($u->{id}, { change => 30, message => '第一次' }), 'credit +30');
    check_admin_ok(scalar credit($u->{id}, { change => 5, message => '专用', dedicated => 1 }), 'credit +5 dedicated');
    check_admin_ok(scalar credit($u->{id}, { change => -20, message => '扣减' }), 'debit -20');
    my ($res, $json) = records($u->{id});
    check_admin_ok($res, 'records', cmd => "user/$u->{id}/credit");
    my $d = $json->{data};
    is join(',', sort keys %$d),
        'current_page,data,dedicated_integral,general_integral,integral,last_page,per_page,total',
        'data: the page and the totals';
    is jtype($res, 'data', $_), 'integer', "data.$_ is integer"
        for qw(total per_page current_page last_page integral general_integral dedicated_integral);
    is jtype($res, 'data', 'data'), 'array', 'data.data is an array';
    is_deeply [@$d{qw(total per_page current_page last_page)}], [4, 15, 1, 1],
        '4 records (the registration and three changes), 15 a page, page 1 of 1';
    is_deeply [@$d{qw(integral general_integral dedicated_integral)}], [115, 110, 5], 'totals 115 / 110 / 5';
    my @rows = @{ $d->{data} };
    is join(',', sort keys %{ $rows[0] }), join(',', sort keys %RECORD), 'a record: exactly its fields';
    is jtype($res, 'data', 'data', 0, $_), $RECORD{$_}, "record.$_ is $RECORD{$_}" for sort keys %RECORD;
    is_deeply [map { [@$_{qw(change is_positive_growth message dedicated)}] } @rows],
        [[20, 0, '扣减', 0], [5, 1, '专用', 1], [30, 1, '第一次', 0], [100, 1, $rows[3]{message}, 0]],
        'newest first, the amounts unsigned with their direction and kind';
    my @stored = map { $_->{id} } db_rows("SELECT id FROM credit_records WHERE user_id = $u->{id} ORDER BY id DESC");
    is_deeply [map { $_->{id} } @rows], \@stored, 'ids are the stored records';
    like $_->{created_at}, DATETIME_RE, 'created_at YYYY-MM-DD HH:MM:SS' for @rows;

    ($res, $json) = records($u->{id}, '?per_page=3&page=2');
    check_admin_ok($res, 'page 2 of 3 a page', cmd => "user/$u->{id}/credit");
    is_deeply [@{ $json->{data} }{qw(total per_page current_page last_page)}], [4, 3, 2, 2], 'page 2 of 2';
    is_deeply [map { $_->{id} } @{ $json->{data}{data} }], [$stored[3]], 'the oldest record';
    ($res, $json) = records($u->{id}, '?page=9');
    check_admin_ok($res, 'a page past the last', cmd => "user/$u->{id}/credit");
    is_deeply $json->{data}{data}, [], '... is empty';
    is $json->{data}{total}, 4, '... with the total';
};

scenario 'GET user/{id}/credit: refusals' => sub {
    my $u = signed_in();
    my $deleted = signed_in();
    set_status($deleted->{id}, 5);
    check_admin_error(scalar records(999999999), 404, name => 'an unknown user', message => MSG_NO_USER);
    check_admin_error(scalar records($deleted->{id}), 404, name => 'a deleted user', message => MSG_NO_USER);
    check_admin_error(scalar records('abc'), 422, name => 'an id that is no number', field => 'id');
    check_admin_error(scalar records($u->{id}, '?per_page=101'), 422, name => 'per_page 101', field => 'per_page');
    check_admin_error(scalar records($u->{id}, '?page=0'), 422, name => 'page 0', field => 'page');
    my ($res) = admin(GET => "user/$u->{id}/credit");
    check_admin_error($res, 401, name => 'no token');
    check_admin_error(scalar records($u->{id}, '', $u->{token}), 403, name => 'no administrator',
                      message => MSG_FORBIDDEN);
    my ($own) = records($admin->{id});
    check_admin_ok($own, 'an administrator reads their own records', cmd => "user/$admin->{id}/credit");
};

done_testing;
