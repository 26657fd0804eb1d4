# The credit totals the account core keeps beside the records
# (users.general_integral, dedicated_integral; 058_credit_totals.sql): after
# a mixed, concurrent series of credit changes (administrators' credits and
# deductions of both kinds, refused overdrafts, sign-ups with their
# registration credit, reads in between), every user's totals are the
# signed sums of their records, no total went below 0, every answer told
# the totals right after its own record, and every face shows the same:
# login's user_info, /api/me, user/level-credit, the mobile details and
# the admin face's answer.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;

client_net(157);

my $admin = make_admin();
my $SIGNED = 'CASE WHEN is_positive_growth = 1 THEN amount ELSE -amount END';

sub credit {
    my ($id, $change, $dedicated, $message) = @_;
    return admin(POST => "user/$id/credit", { change => $change, message => $message, dedicated => $dedicated },
                 auth($admin->{token}));
}

# [general, dedicated]: the signed sums of a user's records by kind (those
# up to record $upto when given)
sub sums {
    my ($id, $upto) = @_;
    my $and = defined $upto ? " AND id <= $upto" : '';
    return [map { db_value("SELECT COALESCE(SUM($SIGNED), 0) AS s FROM credit_records WHERE user_id = $id$and AND dedicated $_") + 0 }
            '= 0', '<> 0'];
}

sub totals {
    my ($id) = @_;
    my ($r) = db_rows("SELECT general_integral, dedicated_integral FROM users WHERE id = $id");
    return [$r->{general_integral} + 0, $r->{dedicated_integral} + 0];
}

sub signed_in {
    my $u = register_user();
    $u->{token} = login($u->{username}, $u->{password});
    return $u;
}

# Every face, for one user: [general, dedicated] when all agree, else a diag.
sub faces_agree {
    my ($u, $want, $name) = @_;
    my $integral = $want->[0] + $want->[1];
    my ($res, $json) = login_full($u->{username}, $u->{password});
    is $json->{data}{user_info}{integral}, $integral, "$name: login user_info.integral $integral";
    my $token = $json->{data}{token_info}{access_token} // $u->{token};
    ($res, $json) = json_request(GET => '/api/me', undef, auth($token));
    is $json->{data}{integral}, $integral, "$name: /api/me integral";
    is jtype($res, 'data', 'integral'), 'integer', "$name: ... an integer";
    ($res, $json) = json_request(GET => '/api/user/level-credit', undef, auth($token));
    is_deeply [@{ $json->{data} }{qw(general_integral dedicated_integral integral)}], [@$want, $integral],
        "$name: level-credit general / dedicated / integral";
    ($res, $json) = mget("get_user_details?token=$token");
    is $json->{data}{integral}, "$integral", "$name: mobile get_user_details integral \"$integral\"";
    # the admin face answers the totals with a change: a credit of 1 and its reverse
    ($res, $json) = credit($u->{id}, 1, 0, '核对');
    is_deeply [@{ $json->{data} }{qw(general_integral dedicated_integral integral)}],
        [$want->[0] + 1, $want->[1], $integral + 1], "$name: the admin face's answer to +1";
    ($res, $json) = credit($u->{id}, -1, 0, '核对');
    is_deeply [@{ $json->{data} }{qw(general_integral dedicated_integral integral)}], [@$want, $integral],
        "$name: ... and to -1";
}

scenario 'a sign-up: its registration credit and its total, in one transaction' => sub {
    my $u = signed_in();
    is_deeply totals($u->{id}), [100, 0], 'general 100, dedicated 0';
    is_deeply sums($u->{id}), [100, 0], '... the sums of its one record';
    faces_agree($u, [100, 0], 'a new user');
};

scenario 'a mixed, concurrent series: totals = sums of records, never below 0, on every face' => sub {
    my @users = map { signed_in() } 1 .. 3;
    check_admin_ok(scalar credit($_->{id}, 60, 1, '专用起始'), "user $_->{id}: dedicated 60") for @users;
    my %by_id = map { $_->{id} => $_ } @users;
    my $n = 10;
    # child i: 7 changes on the users in turn, of both kinds, deductions
    # larger than credits (so some are refused), and a read between each;
    # child 0 and 5 also sign up a user and change its credits at once
    my @out = parallel($n, sub {
        my ($i) = @_;
        my @lines;
        my @mine = @users;
        if ($i % 5 == 0) {
            my $v = register_user();
            push @lines, "new $v->{id} $v->{username} $v->{password}";
            push @mine, $v;
        }
        for my $k (0 .. 6) {
            my $u = $mine[($i + $k) % @mine];
            my $dedicated = ($i * 7 + $k) % 3 == 0 ? 1 : 0;
            my $change = (($i + $k) % 2 ? -1 : 1) * (10 + (($i * 13 + $k * 7) % 41));
            my ($res, $json) = credit($u->{id}, $change, $dedicated, "并发$i-$k");
            my $d = $json && ref $json->{data} eq 'HASH' ? $json->{data} : {};
            my $rec = ref $d->{record} eq 'HASH' ? $d->{record}{id} : 0;
            my $msg = $json->{message} // '';
            push @lines, join ' ', 'chg', $u->{id}, $dedicated, $change, $res->code, $rec // 0,
                $d->{general_integral} // 'x', $d->{dedicated_integral} // 'x', $d->{integral} // 'x',
                $msg =~ /（当前(-?\d+)）/ ? $1 : 'x';
            my ($r2, $j2) = json_request(GET => '/api/user/level-credit', undef, auth($users[$k % 3]{token}));
            my $l = $j2 && ref $j2->{data} eq 'HASH' ? $j2->{data} : {};
            push @lines, join ' ', 'read', $r2->code, $l->{general_integral} // 'x', $l->{dedicated_integral} // 'x',
                $l->{integral} // 'x';
        }
        return join "\n", @lines;
    });
    is scalar(grep { !defined || /^died/ } @out), 0, "all $n clients finished" or diag explain \@out;
    my (@chg, @reads);
    for my $line (map { split /\n/, $_ // '' } @out) {
        my @f = split / /, $line;
        if ($f[0] eq 'new') { $by_id{$f[1]} = { id => $f[1], username => $f[2], password => $f[3] } }
        elsif ($f[0] eq 'chg') { push @chg, [@f[1 .. 9]] }
        else { push @reads, [@f[1 .. 4]] }
    }
    is scalar @chg, $n * 7, $n * 7 . ' changes answered';
    my @ok = grep { $_->[3] == 200 } @chg;
    my @refused = grep { $_->[3] == 422 } @chg;
    is @ok + @refused, scalar @chg, 'each one 200 or 422 (' . scalar(@ok) . ' passed, ' . scalar(@refused) . ' refused)';
    ok @refused > 0 && @ok > @refused, 'the series had refusals and passes';
    is scalar(keys %by_id), 5, 'three users and two signed up during the series';

    # every passed change: its record, and the totals right after it
    my $right = 0;
    for my $c (@ok) {
        my ($id, $ded, $change, $code, $rec, $g, $d, $sum) = @$c;
        my $after = sums($id, $rec);
        $right++ if $rec > 0 && $g == $after->[0] && $d == $after->[1] && $sum == $g + $d && $g >= 0 && $d >= 0;
    }
    is $right, scalar @ok, 'each passed change answered the sums of the records up to its own, none below 0';
    # every refused one: the balance it met was below the deduction, and it wrote nothing
    is scalar(grep { $_->[2] < 0 && $_->[8] =~ /^\d+$/ && $_->[8] < -$_->[2] } @refused), scalar @refused,
        'each refused deduction met a balance (0 or above) smaller than itself';
    my $written = 0;
    $written += db_value("SELECT count(*) AS n FROM credit_records WHERE user_id = $_ AND message LIKE '并发%'") for keys %by_id;
    is $written, scalar @ok, 'one record per passed change, none for a refused one';
    is scalar(grep { $_->[0] == 200 && $_->[1] >= 0 && $_->[2] >= 0 && $_->[3] == $_->[1] + $_->[2] } @reads),
        scalar @reads, 'every read during the series: general, dedicated >= 0 and integral their sum';

    for my $id (sort { $a <=> $b } keys %by_id) {
        my $t = totals($id);
        is_deeply $t, sums($id), "user $id: totals [@$t] = the sums of the records";
        ok $t->[0] >= 0 && $t->[1] >= 0, "user $id: none below 0";
        faces_agree($by_id{$id}, $t, "user $id");
    }
    # this series' users only: t/backoffice/40_credit.t writes such reasons too
    my $users = join ',', sort { $a <=> $b } keys %by_id;
    is db_value("SELECT count(*) AS n FROM audit_log WHERE action = 'credit_change' "
                . "AND user_id IN ($users) AND detail LIKE '%并发%'"),
        scalar @ok, 'one audit row per passed change';
};

scenario 'a deduction of a whole balance at once from two kinds: each kind on its own' => sub {
    my $u = signed_in();
    check_admin_ok(scalar credit($u->{id}, 40, 1, '专用'), 'dedicated 40');
    my @out = parallel(6, sub {
        my ($res) = credit($u->{id}, $_[0] % 2 ? -100 : -40, $_[0] % 2 ? 0 : 1, "整额$_[0]");
        return $res->code;
    });
    is scalar(grep { ($_ // '') eq '200' } @out), 2, 'one deduction of each kind passed';
    is_deeply totals($u->{id}), [0, 0], 'both totals 0';
    is_deeply sums($u->{id}), [0, 0], '... the sums of the records';
    faces_agree($u, [0, 0], 'emptied');
};

done_testing;
