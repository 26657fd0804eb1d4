# The last administrator can never go (issue 11, item 4): administrators
# deleting each other and themselves at the same moment on the admin face,
# devplat-admin freezing and deleting them meanwhile, never leave the store
# without an active (neither frozen nor deleted) administrator, on every
# engine. Before the guard row (053_admin_guard.sql) PostgreSQL lost the
# last administrator within 1-3 rounds of two concurrent deletes.
# Each round starts with only its own fresh administrators active: the ones
# of the rest of the suite are frozen meanwhile and given back at the end.
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use HTTP::Response ();
use IO::Socket::INET ();
use Time::HiRes ();
use Devplat::Test;
use Devplat::Admin;

client_net(136);

my $LAST = '不能删除最后一名管理员';
my $ACTIVE = 'is_admin = 1 AND status NOT IN (1, 5)';

sub active_admins { db_value("SELECT count(*) AS n FROM users WHERE $ACTIVE") }

# the administrators of the rest of the suite, as they were
my @sidelined = db_rows("SELECT id, status FROM users WHERE $ACTIVE");
my $restored = 0;
sub restore {
    return if $restored++;
    db("UPDATE users SET status = 1 WHERE $ACTIVE");     # what the rounds left
    db("UPDATE users SET status = $_->{status} WHERE id = $_->{id}") for @sidelined;
}
END { restore() }

# every login from an address of its own (10.0.136-139.x): no limit per
# address of another item gets in the way of the rounds
my $ADDR = 1;
sub next_ip { $ADDR++; sprintf '10.0.%d.%d', 136 + int($ADDR / 250) % 4, 1 + $ADDR % 250 }

sub login_admin {
    my ($a) = @_;
    my $ip = next_ip();
    my ($r, $j) = admin(GET => 'captcha', undef, 'X-Forwarded-For' => $ip);
    die 'captcha: ' . $r->status_line unless $r->code == 200;
    ($r, $j) = admin(POST => 'login', { nickname => $a->{nickname}, passwd => $a->{password},
                                       captcha_code => $j->{data}{code}, captcha_id => $j->{data}{id} },
                     'X-Forwarded-For' => $ip);
    die 'admin login: ' . $r->status_line . ' ' . ($r->content // '') unless $r->code == 200;
    return $j->{data}{token};
}

# $k fresh administrators, the only active ones: [{id, nickname, password, token, ip}]
sub fresh_admins {
    my ($k, %o) = @_;
    db("UPDATE users SET status = 1 WHERE $ACTIVE");
    my @a = map { make_admin(no_login => 1) } 1 .. $k;
    unless ($o{no_login}) {
        for my $a (@a) { $a->{token} = login_admin($a); $a->{ip} = next_ip() }
    }
    is active_admins(), $k, "$k active administrators to start with";
    return @a;
}

# DELETE user/{id} as $by. With $at (a Time::HiRes time) the connection is
# opened first and the request written at that instant: the requests of a
# round then reach the server together, not as fast as each child forks.
sub api_delete {
    my ($by, $who, $at) = @_;
    my ($res, $json);
    if ($at) {
        my ($host, $port) = split /:/, Apache::TestRequest::hostport();
        my $sock = IO::Socket::INET->new(PeerAddr => $host eq 'localhost' ? '127.0.0.1' : $host,
                                         PeerPort => $port, Timeout => 30) or die "connect: $!";
        binmode $sock;
        my $req = "DELETE " . admin_url("user/$who->{id}") . " HTTP/1.1\r\nHost: $host:$port\r\n"
                . "Authorization: Bearer $by->{token}\r\nX-Forwarded-For: $by->{ip}\r\n"
                . "Content-Length: 0\r\nConnection: close\r\n\r\n";
        my $wait = $at - Time::HiRes::time();
        Time::HiRes::sleep($wait) if $wait > 0;
        syswrite $sock, $req;
        my $answer = '';
        local $SIG{ALRM} = sub { die "no answer\n" };
        alarm 60;
        while (sysread $sock, my $buf, 65536) { $answer .= $buf }
        alarm 0;
        $res = HTTP::Response->parse($answer);
        record_exchange(DELETE => 'http://' . Apache::TestRequest::hostport() . admin_url("user/$who->{id}"),
                        $res, via => 'raw');
        $json = decode_body($res);
    }
    else {
        ($res, $json) = admin(DELETE => "user/$who->{id}", undef, auth($by->{token}),
                              'X-Forwarded-For' => $by->{ip});
    }
    my $msg = ref $json eq 'HASH' ? ($json->{message} // '') : '';
    my $st = ref $json eq 'HASH' && defined $json->{status} ? ($json->{status} ? 'true' : 'false') : '-';
    return join "\t", 'api', $res->code, $st, $msg;
}

sub tool_run {
    my ($cmd, $who) = @_;
    my ($rc, $out) = admin_tool('', $cmd, $who->{nickname});
    $out =~ s/\s+/ /g;
    return join "\t", 'tool', $rc, $cmd, $out;
}

# The answers of a round are each one a change may give: the API's 200
# (data true), 409 last administrator, 404 gone already, 401 a requester
# deleted or frozen meanwhile; devplat-admin's 0, or 1 with its reason.
sub check_answers {
    my ($what, @out) = @_;
    my $ok = 0;
    for my $o (@out) {
        # parallel() hands the strings back as the bytes the children wrote
        $o = Encode::decode('UTF-8', $o) if defined $o;
        my @f = split /\t/, $o // 'died';
        if (($f[0] // '') eq 'api') {
            my ($code, $st, $msg) = @f[1 .. 3];
            my $good = ($code == 200 && $st eq 'true')
                    || ($code == 409 && $st eq 'false' && $msg eq $LAST)
                    || ($code == 404 && $st eq 'false')
                    || ($code == 401 && $st eq 'false');
            ok $good, "$what: API answer $code $st $msg is one a change may give" or diag $o;
            $ok++ if $code == 200;
        }
        elsif (($f[0] // '') eq 'tool') {
            my ($rc, $cmd, $out) = @f[1 .. 3];
            my $good = $rc == 0 ? $out =~ /: (frozen|deleted)/
                     : $rc == 1 && $out =~ /last active administrator|it was deleted|is frozen, not normal|changed meanwhile/;
            ok $good, "$what: devplat-admin $cmd: exit $rc, $out" or diag $o;
            $ok++ if $rc == 0;
        }
        else {
            fail "$what: a child died: " . ($o // 'no output');
        }
    }
    return $ok;
}

sub deletes_audited {
    my (@a) = @_;
    my $ids = join ',', map { $_->{id} } @a;
    return db_value("SELECT count(*) AS n FROM audit_log WHERE action = 'user_delete' AND user_id IN ($ids)");
}

sub deleted { my $ids = join ',', map { $_->{id} } @_; db_value("SELECT count(*) AS n FROM users WHERE status = 5 AND id IN ($ids)") }

scenario 'the guard row exists, and every guarded change counts on it' => sub {
    my @g = db_rows(q{SELECT name, serial FROM account_guards});
    is scalar @g, 1, 'one guard row';
    is $g[0]{name}, 'administrators', "named 'administrators'" if @g;
    my ($a, $b) = fresh_admins(2);
    my $s0 = db_value(q{SELECT serial FROM account_guards WHERE name = 'administrators'});
    my @out = api_delete($a, $b);
    is((split /\t/, $out[0])[1], 200, 'an administrator deletes another');
    is db_value(q{SELECT serial FROM account_guards WHERE name = 'administrators'}), $s0 + 1,
        'the deletion took the guard row';
    @out = api_delete($a, $a);
    my @f = split /\t/, $out[0];
    is $f[1], 409, 'the last one cannot delete itself: 409';
    is $f[3], $LAST, "message $LAST";
    is active_admins(), 1, 'one active administrator';
    is db_value(q{SELECT serial FROM account_guards WHERE name = 'administrators'}), $s0 + 2,
        'the refusal took the guard row too (it counts every guarded attempt of the faces)';
    my ($rc, $o) = admin_tool('', 'freeze', $a->{nickname});
    is $rc, 1, 'devplat-admin cannot freeze it: exit 1';
    like $o, qr/^devplat-admin: '\Q$a->{nickname}\E' is the last active administrator: create or unfreeze another one first$/m,
        '... and says why' or diag $o;
    ($rc, $o) = admin_tool('', 'delete', $a->{nickname});
    is $rc, 1, 'nor delete it: exit 1';
    like $o, qr/is the last active administrator/, '... and says why';
    is active_admins(), 1, 'still one';
    is db_value(q{SELECT serial FROM account_guards WHERE name = 'administrators'}), $s0 + 2,
        "devplat-admin's refusals rolled back, the guard row with them";
    my $u = make_user();
    my $t = login($u->{nickname}, $u->{password});
    ($rc, $o) = admin_tool('', 'delete', $u->{nickname});
    is $rc, 0, 'devplat-admin deletes a normal user' or diag $o;
    check_401(scalar json_request(GET => '/api/me', undef, auth($t)), "the deleted user's token");
    check_error(scalar login_full($u->{nickname}, $u->{password}), 500, name => 'the deleted user cannot log in');
    like $o, qr/^\Q$u->{nickname}\E: deleted$/m, '... and says so';
    is db_value("SELECT status FROM users WHERE id = $u->{id}"), 5, '... status 5';
    is db_value("SELECT count(*) AS n FROM audit_log WHERE user_id = $u->{id} AND action = 'admin_delete'"), 1,
        '... audited admin_delete';
    ($rc, $o) = admin_tool('', 'delete', $u->{nickname});
    is $rc, 1, 'again: exit 1';
    like $o, qr/it was deleted/, '... it was deleted';
};

# the instant a round's requests are written: soon after its children fork
sub soon { Time::HiRes::time() + 0.4 }

scenario 'one administrator deletes another and itself at once' => sub {
    for my $round (1 .. 15) {
        my ($a, $b) = fresh_admins(2);
        my $at = soon();
        my @out = parallel(2, sub { api_delete($a, $_[0] ? $a : $b, $at) });
        my $ok = check_answers("round $round", @out);
        is $ok, 1, "round $round: one deletion went through";
        is active_admins(), 1, "round $round: one active administrator is left";
        is deletes_audited($a, $b), deleted($a, $b), "round $round: one audit row per deletion";
    }
};

scenario 'three administrators delete each other and themselves' => sub {
    for my $round (1 .. 8) {
        my @a = fresh_admins(3);
        my @pairs = map { my $by = $_; map { [$by, $_] } @a } @a;
        my $at = soon();
        my @out = parallel(scalar @pairs, sub { api_delete(@{ $pairs[$_[0]] }, $at) });
        my $ok = check_answers("round $round", @out);
        is $ok, 2, "round $round: two deletions went through";
        is active_admins(), 1, "round $round: one active administrator is left";
        is deletes_audited(@a), 2, "round $round: two audit rows";
    }
};

scenario 'devplat-admin freezes administrators while the admin face deletes them' => sub {
    for my $round (1 .. 6) {
        my ($a, $b) = fresh_admins(2);
        my $at = soon();
        my @jobs = (sub { api_delete($a, $b, $at) }, sub { api_delete($b, $a, $at) },
                    sub { tool_run('freeze', $a) }, sub { tool_run('freeze', $b) },
                    sub { api_delete($a, $a, $at) });
        my @out = parallel(scalar @jobs, sub { $jobs[$_[0]]->() });
        check_answers("round $round", @out);
        is active_admins(), 1, "round $round: one active administrator is left";
    }
};

scenario 'devplat-admin against itself: freezes and deletes at once' => sub {
    for my $round (1 .. 4) {
        my @a = fresh_admins(3, no_login => 1);
        my @jobs = map { my $x = $_; (sub { tool_run('freeze', $x) }, sub { tool_run('delete', $x) }) } @a;
        my @out = parallel(scalar @jobs, sub { $jobs[$_[0]]->() });
        my $ok = check_answers("round $round", @out);
        ok $ok >= 2, "round $round: $ok changes went through";
        is active_admins(), 1, "round $round: one active administrator is left";
    }
};

scenario 'unfreezing or approving never needs the guard' => sub {
    my ($a, $b) = fresh_admins(2);
    my ($rc, $o) = admin_tool('', 'freeze', $b->{nickname});
    is $rc, 0, 'freeze one of two' or diag $o;
    my $s0 = db_value(q{SELECT serial FROM account_guards WHERE name = 'administrators'});
    ($rc, $o) = admin_tool('', 'unfreeze', $b->{nickname});
    is $rc, 0, 'unfreeze it' or diag $o;
    is db_value(q{SELECT serial FROM account_guards WHERE name = 'administrators'}), $s0,
        'no guard row taken for a change that adds an administrator';
    is active_admins(), 2, 'two active again';
};

restore();
ok 1, 'the administrators of the rest of the suite are given back';
is active_admins(), scalar(@sidelined), 'as many active administrators as before';

done_testing;
