# GET audit/list: the audit log for administrators, newest first (id breaks
# ties), paginated as list/user, filtered by user_id, action and a time
# range; who acted (actor_id, actor) for the rows each face and
# devplat-admin write.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;

client_net(155);

my $admin = make_admin();
my $UA = 'audit-list-test/1.0 (155)';

my %TYPE = (
    id => 'integer', user_id => 'integer', action => 'string', detail => 'string',
    actor_id => 'integer', actor => 'string', ip => 'string', user_agent => 'string',
    created_at => 'string',
);

sub alist {
    my ($query, $token, @h) = @_;
    return admin(GET => 'audit/list' . ($query // ''), undef, auth($token // $admin->{token}), @h);
}

# the query string of a hash of parameters (values sent as they are)
sub qs {
    my (%p) = @_;
    return '' unless %p;
    return '?' . form_body(map { ($_ => $p{$_}) } sort keys %p);
}

# Every item of a user's rows (all pages), newest first.
sub rows_of {
    my ($user_id, %p) = @_;
    my ($res, $json) = alist(qs(user_id => $user_id, per_page => 100, %p));
    die 'audit/list: ' . $res->status_line . "\n" unless $res->code == 200;
    return @{ $json->{data}{data} };
}

sub audit_count { db_value('SELECT count(*) AS n FROM audit_log') }

# the one row of @rows with this action (and detail), or undef
sub pick {
    my ($rows, $action, $detail) = @_;
    my @m = grep { $_->{action} eq $action && (!defined $detail || $_->{detail} eq $detail) } @$rows;
    return @m ? $m[0] : undef;
}

sub check_actor {
    my ($row, $actor_id, $actor, $name) = @_;
    ok $row, "$name: the row is listed" or return;
    is $row->{actor_id}, $actor_id, "$name: actor_id $actor_id";
    is $row->{actor}, $actor, "$name: actor '$actor'";
}

# ---------------------------------------------------------------- the body

scenario 'a page: the envelope, every field and its JSON type' => sub {
    my $u = register_user();
    login($u->{username}, $u->{password}, 'User-Agent' => $UA);
    my ($res, $json) = alist("?user_id=$u->{id}");
    check_admin_ok($res, 'audit/list', cmd => 'audit/list');
    my $d = $json->{data};
    is join(',', sort keys %$d), 'current_page,data,last_page,per_page,total', 'data: total, per_page, current_page, last_page, data';
    is jtype($res, 'data', $_), 'integer', "data.$_ is an integer" for qw(total per_page current_page last_page);
    is jtype($res, 'data', 'data'), 'array', 'data.data is an array';
    my @items = @{ $d->{data} };
    ok @items >= 2, 'the sign-up and the sign-in';
    is $d->{total}, scalar @items, 'total counts them';
    is $d->{per_page}, 15, 'per_page 15 by default';
    is $d->{current_page}, 1, 'current_page 1';
    is $d->{last_page}, 1, 'last_page 1';
    for my $i (0 .. $#items) {
        is join(',', sort keys %{ $items[$i] }), join(',', sort keys %TYPE), "item $i: exactly the fields";
        is jtype($res, 'data', 'data', $i, $_), $TYPE{$_}, "item $i: $_ is $TYPE{$_}" for sort keys %TYPE;
        like $items[$i]{created_at}, DATETIME_RE, "item $i: created_at YYYY-MM-DD HH:MM:SS";
    }
    my $login = pick(\@items, 'login');
    ok $login, 'the sign-in is listed' or return;
    my ($row) = db_rows("SELECT * FROM audit_log WHERE id = $login->{id}");
    is $login->{user_id}, $u->{id}, 'user_id: whom it concerns';
    is $login->{detail}, 'developer', 'detail: the face';
    is $login->{ip}, client_ip(), 'ip: the client address';
    is $login->{user_agent}, $UA, 'user_agent as sent';
    is $login->{created_at}, $row->{created_at}, 'created_at as stored';
    check_actor($login, $u->{id}, $u->{username}, 'a sign-in');
    is $row->{actor_id}, $u->{id}, 'audit_log.actor_id is the user';
};

# ---------------------------------------------------------------- actors

scenario 'who acted: the developer face' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    login_full($u->{username}, 'Wr0ng-pass');
    json_request(DELETE => '/api/logout', undef, auth($t));
    my @rows = rows_of($u->{id});
    check_actor(pick(\@rows, 'register', 'developer'), $u->{id}, $u->{username}, 'register');
    check_actor(pick(\@rows, 'login'), $u->{id}, $u->{username}, 'login');
    check_actor(pick(\@rows, 'login_failed'), $u->{id}, $u->{username}, 'a wrong password');
    check_actor(pick(\@rows, 'logout'), $u->{id}, $u->{username}, 'logout');

    my $nobody = 'nobody_' . unique_name();
    login_full($nobody, 'Wr0ng-pass');
    my ($res, $json) = alist(qs(action => 'login_failed', per_page => 100));
    my $row = pick($json->{data}{data}, 'login_failed', qq{"$nobody"});
    ok $row, 'a name of no account: listed';
    is $row->{user_id}, 0, '... about no user: user_id 0' if $row;
    check_actor($row, 0, '', '... by nobody');
    is db_value("SELECT actor_id FROM audit_log WHERE id = $row->{id}"), 0, '... audit_log.actor_id 0, not NULL' if $row;
};

scenario 'who acted: the admin face' => sub {
    my $u = make_user();
    check_admin_ok(scalar admin(PUT => "user/$u->{id}", { name => '审计改名' }, auth($admin->{token})),
                   'an administrator updates the user');
    my $ut = admin_login($u->{nickname}, $u->{password});
    check_admin_ok(scalar admin(PUT => "user/$u->{id}", { position => 'self_pos' }, auth($ut)),
                   'the user updates their own record');
    my @rows = rows_of($u->{id}, action => 'user_update');
    check_actor(pick(\@rows, 'user_update', "name by $admin->{id}"), $admin->{id}, $admin->{nickname},
                "an administrator's update");
    check_actor(pick(\@rows, 'user_update', "position by $u->{id}"), $u->{id}, $u->{nickname},
                'their own update');
    check_actor(pick([rows_of($u->{id})], 'login', 'admin'), $u->{id}, $u->{nickname}, 'an admin-face sign-in');

    my $p = make_pending();
    check_admin_ok(scalar admin(PUT => "audit/user/$p->{id}", undef, auth($admin->{token})), 'approve');
    check_admin_ok(scalar admin(DELETE => "user/$p->{id}", undef, auth($admin->{token})), 'delete');
    @rows = rows_of($p->{id});
    check_actor(pick(\@rows, 'user_audit'), $admin->{id}, $admin->{nickname}, 'user_audit');
    check_actor(pick(\@rows, 'user_delete'), $admin->{id}, $admin->{nickname}, 'user_delete');
    check_actor(pick(\@rows, 'register'), $p->{id}, $p->{nickname}, '... the deleted user still named as the actor of their sign-up');

    my ($res, $json, $sent) = admin_sign_up();
    check_admin_ok($res, 'an admin-face sign-up', message => '注册成功');
    my $sid = db_value('SELECT id FROM users WHERE username = ' . sql_quote($sent->{nickname}));
    check_actor(pick([rows_of($sid)], 'register', 'admin'), $sid, $sent->{nickname}, 'a sign-up: the new user');
};

scenario 'who acted: the mobile face' => sub {
    my $m = mregister();
    mlogin($m->{phone}, $m->{password});
    mget("exit_login?token=$m->{token}");
    my @rows = rows_of($m->{id});
    my $name = db_value("SELECT username FROM users WHERE id = $m->{id}");
    check_actor(pick(\@rows, 'register', 'mobile'), $m->{id}, $name, 'register');
    check_actor(pick(\@rows, 'login', 'mobile'), $m->{id}, $name, 'login');
    check_actor(pick(\@rows, 'logout', 'mobile'), $m->{id}, $name, 'logout');
};

scenario 'who acted: devplat-admin (actor_id 0, actor devplat-admin; NULL stored)' => sub {
    my $u = make_user();
    my ($rc, $out) = admin_tool('', 'freeze', $u->{nickname});
    is $rc, 0, 'devplat-admin freeze' or diag $out;
    ($rc, $out) = admin_tool('', 'unfreeze', $u->{nickname});
    is $rc, 0, 'devplat-admin unfreeze' or diag $out;
    my @rows = rows_of($u->{id});
    for my $action (qw(admin_freeze admin_unfreeze)) {
        my $row = pick(\@rows, $action);
        check_actor($row, 0, 'devplat-admin', $action);
        is $row->{detail}, 'devplat-admin', "$action: detail devplat-admin" if $row;
        is $row->{ip}, '', "$action: no address" if $row;
        is db_value("SELECT count(*) AS n FROM audit_log WHERE id = $row->{id} AND actor_id IS NULL"), 1,
            "$action: audit_log.actor_id NULL" if $row;
    }
    my $a = make_admin(no_login => 1);
    check_actor(pick([rows_of($a->{id})], 'admin_create'), 0, 'devplat-admin', 'create-admin');
};

# ---------------------------------------------------------------- order and pages

# Rows of their own: two users, times in 2001 that nothing else has, ties
# on created_at, a row about nobody and one of devplat-admin.
my ($U1, $U2) = (make_user(), make_user());
my @FIX = (
    [$U1->{id}, 'login',        '2001-02-03 10:00:00', $U1->{id}],
    [$U1->{id}, 'login_failed', '2001-02-03 10:00:01', $U1->{id}],
    [$U2->{id}, 'login',        '2001-02-03 10:00:01', $U2->{id}],
    [$U1->{id}, 'logout',       '2001-02-03 10:00:02', $U1->{id}],
    [$U1->{id}, 'login',        '2001-02-03 10:00:02', $U1->{id}],
    [undef,     'login_failed', '2001-02-03 10:00:03', 0],
    [$U2->{id}, 'admin_freeze', '2001-02-03 10:00:04', undef],
    [$U2->{id}, 'user_update',  '2001-02-04 00:00:00', $admin->{id}],
    [$U1->{id}, 'login',        '2001-12-31 23:59:59', $U1->{id}],
);
for my $f (@FIX) {
    my ($uid, $action, $at, $actor) = @$f;
    my $id = db_value('INSERT INTO audit_log (user_id, action, detail, client_ip, user_agent, actor_id, created_at) VALUES ('
                      . join(', ', $uid // 'NULL', sql_quote($action), sql_quote("fixture $at"), "'10.0.155.9'",
                             "'fixture'", $actor // 'NULL', sql_quote($at)) . ') RETURNING id');
    push @$f, $id;
}

# the fixture's ids for a filter, newest first (created_at, then id)
sub fix_ids {
    my (%p) = @_;
    my @m = grep {
        (!$p{user_id} || ($_->[0] // 0) == $p{user_id})
            && (!$p{action} || $_->[1] eq $p{action})
            && (!$p{from} || $_->[2] ge $p{from})
            && (!$p{to} || $_->[2] le $p{to})
    } @FIX;
    return map { $_->[4] } sort { $b->[2] cmp $a->[2] || $b->[4] <=> $a->[4] } @m;
}

# the same from the database with SQL of the test's own
sub db_ids {
    my (%p) = @_;
    my @w = ("created_at >= " . sql_quote($p{from} // '') . " AND created_at <= " . sql_quote($p{to} // '9999-12-31 23:59:59'));
    push @w, "user_id = $p{user_id}" if $p{user_id};
    push @w, 'action = ' . sql_quote($p{action}) if $p{action};
    return map { $_->{id} } db_rows('SELECT id FROM audit_log WHERE ' . join(' AND ', @w) . ' ORDER BY created_at DESC, id DESC');
}

# every id the endpoint lists for a filter, walking all pages
sub api_ids {
    my (%p) = @_;
    my (@ids, $last);
    for (my $page = 1; ; $page++) {
        my ($res, $json) = alist(qs(%p, per_page => 100, page => $page));
        die 'audit/list ' . qs(%p) . ': ' . $res->status_line . "\n" unless $res->code == 200;
        push @ids, map { $_->{id} } @{ $json->{data}{data} };
        $last = $json->{data}{last_page};
        last if $page >= $last;
    }
    return @ids;
}

scenario 'newest first, id breaking ties; the rows as stored' => sub {
    my @ids = api_ids(user_id => $U1->{id}, from => '2001-01-01 00:00:00', to => '2001-12-31 23:59:59');
    is_deeply \@ids, [fix_ids(user_id => $U1->{id})], 'U1: 2001-12-31, then the tie of 10:00:02 (higher id first), ...';
    my ($res, $json) = alist(qs(user_id => $U2->{id}, from => '2001-01-01 00:00:00', to => '2001-12-31 23:59:59'));
    my @items = @{ $json->{data}{data} };
    check_actor(pick(\@items, 'user_update'), $admin->{id}, $admin->{nickname}, 'an administrator');
    check_actor(pick(\@items, 'admin_freeze'), 0, 'devplat-admin', 'a NULL actor');
    ($res, $json) = alist(qs(action => 'login_failed', from => '2001-02-03 10:00:03', to => '2001-02-03 10:00:03'));
    is $json->{data}{total}, 1, 'the row about nobody';
    my $r = $json->{data}{data}[0] || {};
    is $r->{user_id}, 0, '... user_id 0';
    check_actor($r, 0, '', '... actor nobody');
    is $r->{ip}, '10.0.155.9', '... ip';
    is $r->{user_agent}, 'fixture', '... user_agent';
    is $r->{detail}, 'fixture 2001-02-03 10:00:03', '... detail';
};

scenario 'pages: per_page, page, last_page, beyond the last' => sub {
    my %f = (user_id => $U1->{id}, from => '2001-01-01 00:00:00', to => '2001-12-31 23:59:59');
    my @all = fix_ids(%f);
    is scalar @all, 5, 'U1 has 5 rows in 2001';
    my @seen;
    for my $page (1 .. 3) {
        my ($res, $json) = alist(qs(%f, per_page => 2, page => $page));
        check_admin_ok($res, "page $page", cmd => 'audit/list');
        my $d = $json->{data};
        is $d->{total}, 5, "page $page: total 5";
        is $d->{per_page}, 2, "page $page: per_page 2";
        is $d->{current_page}, $page, "page $page: current_page";
        is $d->{last_page}, 3, "page $page: last_page 3";
        is scalar @{ $d->{data} }, $page < 3 ? 2 : 1, "page $page: " . ($page < 3 ? 2 : 1) . ' items';
        push @seen, map { $_->{id} } @{ $d->{data} };
    }
    is_deeply \@seen, \@all, 'the pages, one after the other, are the whole list in order';
    my ($res, $json) = alist(qs(%f, per_page => 2, page => 4));
    check_admin_ok($res, 'beyond the last page');
    is scalar @{ $json->{data}{data} }, 0, '... no items';
    is $json->{data}{total}, 5, '... the total still';
    ($res, $json) = alist(qs(%f, page => '', per_page => ''));
    check_admin_ok($res, 'empty page and per_page: the defaults');
    is $json->{data}{per_page}, 15, '... per_page 15';
    ($res, $json) = alist(qs(user_id => 987654321));
    check_admin_ok($res, 'a user without rows');
    is_deeply [$json->{data}{total}, $json->{data}{last_page}, scalar @{ $json->{data}{data} }], [0, 1, 0],
        '... total 0, last_page 1, no items';
};

scenario 'every combination of the filters' => sub {
    my @users = (undef, $U1->{id}, $U2->{id});
    my @actions = (undef, 'login', 'login_failed');
    my @times = ([], [from => '2001-02-03 10:00:01'], [to => '2001-02-03 10:00:02'],
                 [from => '2001-02-03 10:00:01', to => '2001-02-03 10:00:02'],
                 [from => '2001-02-03 10:00:02', to => '2001-02-03 10:00:02']);
    for my $u (@users) {
        for my $a (@actions) {
            for my $t (@times) {
                my %p = (@$t, (defined $u ? (user_id => $u) : ()), (defined $a ? (action => $a) : ()));
                my $name = 'filter ' . (qs(%p) || '(none)');
                my @want = db_ids(%p);
                if (@want <= 300) {
                    is_deeply [api_ids(%p)], \@want, "$name: the rows, in order";
                }
                else {
                    my ($res, $json) = alist(qs(%p, per_page => 100));
                    is $json->{data}{total}, scalar @want, "$name: total";
                    is_deeply [map { $_->{id} } @{ $json->{data}{data} }], [@want[0 .. 99]], "$name: the first page";
                }
                # inside 2001 the answer is known without any SQL
                if ($p{from} && $p{to}) {
                    is_deeply [api_ids(%p)], [fix_ids(%p)], "$name: the fixture's rows";
                }
            }
        }
    }
    is_deeply [api_ids(from => '2001-02-03 10:00:01', to => '2001-02-03 10:00:01')],
        [fix_ids(from => '2001-02-03 10:00:01', to => '2001-02-03 10:00:01')], 'from = to: one second, both ends inclusive';
    is_deeply [api_ids(from => '2001-02-04 00:00:00', to => '2001-12-31 23:59:59')], [fix_ids(from => '2001-02-04 00:00:00', to => '2001-12-31 23:59:59')],
        'the bounds are inclusive';
};

scenario 'the filters in a JSON body (typed)' => sub {
    my %f = (user_id => $U1->{id}, action => 'login', from => '2001-01-01 00:00:00', to => '2001-12-31 23:59:59');
    my ($res, $json) = admin(GET => 'audit/list', { %f, user_id => $U1->{id} + 0, page => 1, per_page => 2 },
                             auth($admin->{token}));
    check_admin_ok($res, 'JSON integers for user_id, page and per_page');
    is_deeply [map { $_->{id} } @{ $json->{data}{data} }], [(fix_ids(%f))[0, 1]], '... the same rows';
    is $json->{data}{total}, 3, '... total 3';
};

# ---------------------------------------------------------------- every action

scenario 'every action in the log is a filter' => sub {
    my @actions = map { $_->{action} } db_rows('SELECT DISTINCT action FROM audit_log ORDER BY action');
    ok scalar @actions >= 10, scalar(@actions) . ' different actions in the log';
    for my $a (@actions) {
        my ($res, $json) = alist(qs(action => $a, per_page => 1));
        is $res->code, 200, "action=$a is known" or diag $res->content;
        is $json->{data}{total}, db_value('SELECT count(*) AS n FROM audit_log WHERE action = ' . sql_quote($a)),
            "action=$a: total";
        is $json->{data}{data}[0]{action}, $a, "action=$a: its rows" if $json->{data}{total};
    }
    check_admin_ok(scalar alist(qs(action => 'credit_change')), 'credit_change, written by credit changes');
    check_admin_ok(scalar alist(qs(action => 'username_migrated')), 'username_migrated, written by 050');
};

# ---------------------------------------------------------------- refusals

scenario '422 for each parameter, nothing written' => sub {
    my $n = audit_count();
    my @cases = (
        [{ user_id => 'abc' }, 'user_id', 'user_id not a number'],
        [{ user_id => '0' }, 'user_id', 'user_id 0'],
        [{ user_id => '-1' }, 'user_id', 'user_id -1'],
        [{ user_id => '1.5' }, 'user_id', 'user_id 1.5'],
        [{ user_id => ' 1' }, 'user_id', 'user_id with a space'],
        [{ user_id => '1e3' }, 'user_id', 'user_id 1e3'],
        [{ user_id => '1' x 19 }, 'user_id', 'user_id of 19 digits'],
        [{ action => 'nope' }, 'action', 'an unknown action'],
        [{ action => 'LOGIN' }, 'action', 'an action in capitals'],
        [{ action => 'login ' }, 'action', 'an action with a space'],
        [{ action => "login' OR '1'='1" }, 'action', 'SQL as an action'],
        [{ from => '2025-13-01 00:00:00' }, 'from', 'month 13'],
        [{ from => '2025-02-29 00:00:00' }, 'from', '29 February of 2025'],
        [{ from => '2025-04-31 00:00:00' }, 'from', '31 April'],
        [{ from => '2025-01-01 24:00:00' }, 'from', 'hour 24'],
        [{ from => '2025-01-01 00:60:00' }, 'from', 'minute 60'],
        [{ from => '2025-01-01 00:00:60' }, 'from', 'second 60'],
        [{ from => '0000-01-01 00:00:00' }, 'from', 'year 0'],
        [{ from => '2025-01-01' }, 'from', 'a date without the time'],
        [{ from => '2025-01-01T00:00:00' }, 'from', 'ISO T'],
        [{ from => '2025-1-1 0:0:0' }, 'from', 'no leading zeros'],
        [{ from => '2025-01-01 00:00:00 ' }, 'from', 'a trailing space'],
        [{ to => '2025-02-30 12:00:00' }, 'to', '30 February as to'],
        [{ to => 'yesterday' }, 'to', 'a word as to'],
        [{ from => '2025-01-02 00:00:00', to => '2025-01-01 23:59:59' }, 'from', 'from after to'],
        [{ page => '0' }, 'page', 'page 0'],
        [{ per_page => '101' }, 'per_page', 'per_page 101'],
    );
    for my $c (@cases) {
        my ($p, $field, $name) = @$c;
        check_admin_error(scalar alist(qs(%$p)), 422, name => $name, cmd => 'audit/list', field => $field);
    }
    check_admin_ok(scalar alist(qs(from => '2024-02-29 00:00:00', to => '2024-02-29 23:59:59')),
                   '29 February of a leap year, from = to: both fine');
    check_admin_ok(scalar alist(qs(from => '2001-02-03 10:00:01', to => '2001-02-03 10:00:01')), 'from = to');
    my ($res, $json) = alist(qs(user_id => 'x', action => 'nope', from => 'bad', to => 'bad'));
    check_admin_error($res, 422, name => 'four bad parameters', field => 'user_id');
    is join(',', sort keys %{ $json->{data}{errors} || {} }), 'action,from,to,user_id', '... an error for each';
    is audit_count(), $n, 'no request wrote an audit row';
};

scenario 'wrong JSON types in a body' => sub {
    for my $c ([{ user_id => JSON::PP::true() }, 'user_id'], [{ user_id => 1.5 }, 'user_id'], [{ user_id => [1] }, 'user_id'],
               [{ user_id => undef }, 'user_id'], [{ action => 5 }, 'action'], [{ action => ['login'] }, 'action'],
               [{ from => 20250101 }, 'from'], [{ to => { at => 1 } }, 'to'], [{ page => 'x' }, 'page']) {
        my ($body, $field) = @$c;
        check_admin_error(scalar admin(GET => 'audit/list', $body, auth($admin->{token})), 422,
                          name => 'JSON ' . JSON::PP->new->canonical->allow_nonref->encode($body), field => $field);
    }
    check_admin_error(scalar admin(GET => 'audit/list', '{"user_id":', auth($admin->{token})), 422,
                      name => 'malformed JSON');
};

scenario 'administrators only' => sub {
    my $n = audit_count();
    check_admin_error(scalar admin(GET => 'audit/list'), 401, name => 'no token', cmd => 'audit/list', message => MSG_TOKEN);
    check_admin_error(scalar alist('', 'eyJhbGciOiJIUzI1NiJ9.e30.x'), 401, name => 'a forged token', message => MSG_TOKEN);
    my $u = make_user();
    my $t = admin_login($u->{nickname}, $u->{password});
    $n = audit_count();
    check_admin_error(scalar alist('', $t), 403, name => 'a signed-in user who is no administrator',
                      cmd => 'audit/list', message => MSG_FORBIDDEN);
    check_admin_error(scalar alist("?user_id=$u->{id}", $t), 403, name => '... not even their own rows',
                      message => MSG_FORBIDDEN);
    check_admin_error(scalar alist('?user_id=x', $t), 403, name => '... 403 before any 422');
    is audit_count(), $n, 'no audit row written';
    check_admin_error(scalar admin(POST => 'audit/list', {}, auth($admin->{token})), 405, name => 'POST audit/list');
};

scenario 'node B lists the same log' => sub {
    SKIP: {
        skip 'the harness runs no node B', 1 unless $ENV{DEVPLAT_NODE2_URL};
        my %f = (user_id => $U1->{id}, from => '2001-01-01 00:00:00', to => '2001-12-31 23:59:59');
        my ($res, $json) = json_request(GET => node_b_url('/admin/api/audit/list' . qs(%f)), undef,
                                        auth($admin->{token}));
        check_admin_ok($res, 'node B', cmd => 'audit/list');
        is_deeply [map { $_->{id} } @{ $json->{data}{data} }], [fix_ids(%f)], '... the same rows';
    }
};

done_testing;
