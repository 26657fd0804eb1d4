# devplat-admin review list | approve | reject: the same decision as the
# admin face (the same SQL, the same order of rows), for scripts.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::Review;

client_net(164);

my $admin = make_admin();

scenario 'review list: the pending submissions, oldest first, by kind' => sub {
    my $u = dev_user();
    my $r1 = submit('educational-info', $u, institution => '脚本大学');
    my $r2 = submit('award-info', $u, pictures => 1);
    my ($rc, $out) = admin_tool('', 'review', 'list');
    is $rc, 0, 'exit 0';
    like $out, qr/^id\s+kind\s+user_id\s+nickname\s+submitted_at\s+fields$/m, 'a header line';
    like $out, qr/^$r1\s+educational-info\s+$u->{id}\s+\Q$u->{username}\E\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\{.*"institution":"脚本大学"/m,
         'the education submission with its fields as JSON';
    like $out, qr/^$r2\s+award-info\s/m, 'the award';
    my @ids = $out =~ /^(\d+)\s/mg;
    is_deeply \@ids, [sort { $a <=> $b } @ids], 'oldest first';
    ($rc, $out) = admin_tool('', 'review', 'list', 'award-info');
    is $rc, 0, 'list award-info: exit 0';
    unlike $out, qr/^$r1\s/m, 'only awards';
    like $out, qr/^$r2\s/m, 'the award is there';
};

scenario 'approve and reject: the faces see it; the audit names the tool' => sub {
    my $u = dev_user();
    my $rid = submit('job-info', $u);
    my ($rc, $out) = admin_tool('', 'review', 'approve', 'job-info', $rid);
    is $rc, 0, 'approve: exit 0' or diag $out;
    like $out, qr/^job-info $rid: approved$/m, 'says so';
    is authenticate_part($u, 'job-info')->{authenticate_status}, '已通过', 'the developer face shows 已通过';
    my $r = review_row($rid);
    is_deeply [$r->{status}, $r->{reviewer_id}], [1, undef], 'approved, by no signed-in reviewer';
    is db_value("SELECT detail FROM audit_log WHERE user_id = $u->{id} AND action = 'review_approve'"),
       'devplat-admin', 'audit row from devplat-admin';
    my (undef, $j) = admin(GET => "review/job-info/$rid", undef, auth($admin->{token}));
    is $j->{data}{reviewer}, '', 'the admin face shows no reviewer nickname';

    my $m = mobile_user();
    my $q = submit('qualification', $m);
    ($rc, $out) = admin_tool('', 'review', 'reject', 'qualification', $q, '照片不清晰');
    is $rc, 0, 'reject: exit 0' or diag $out;
    my (undef, $d) = mget("get_user_details?token=$m->{token}");
    is $d->{data}{status}, '3', 'the mobile account is rejected (3)';
    is review_row($q)->{message}, '照片不清晰', 'the message is kept';
};

scenario 'refusals: exit 1 with the reason; usage errors: exit 2' => sub {
    my $u = dev_user();
    my $rid = submit('educational-info', $u);
    check_admin_ok(scalar admin(PUT => "review/educational-info/$rid", { decision => 'approve' }, auth($admin->{token})),
                   'decided on the admin face first');
    my ($rc, $out) = admin_tool('', 'review', 'reject', 'educational-info', $rid, '晚了');
    is $rc, 1, 'decided already: exit 1';
    like $out, qr/not pending: it is decided already/, 'says why';
    my $newer = submit('educational-info', $u, institution => '新的');
    my $older = submit('educational-info', $u, institution => '更新的');
    ($rc, $out) = admin_tool('', 'review', 'approve', 'educational-info', $newer);
    is $rc, 1, 'superseded: exit 1';
    like $out, qr/superseded by a newer one/, 'says why';
    ($rc, $out) = admin_tool('', 'review', 'approve', 'job-info', $older);
    is $rc, 1, 'another kind: exit 1';
    like $out, qr/there is no job-info submission $older/, 'no such submission of that kind';
    ($rc, $out) = admin_tool('', 'review', 'approve', 'educational-info', 99999999);
    is $rc, 1, 'unknown id: exit 1';
    my %usage = (
        'no subcommand'     => ['review'],
        'unknown kind'      => ['review', 'approve', 'nope', 1],
        'bad id'            => ['review', 'approve', 'educational-info', 'x'],
        'id 0'              => ['review', 'approve', 'educational-info', '0'],
        'reject, no message' => ['review', 'reject', 'educational-info', $older],
        'long message'      => ['review', 'reject', 'educational-info', $older, '长' x 201],
        'control character' => ['review', 'reject', 'educational-info', $older, "a\tb"],
        'too many'          => ['review', 'approve', 'educational-info', $older, 'm', 'extra'],
        'list, bad kind'    => ['review', 'list', 'nope'],
        'unknown action'    => ['review', 'frobnicate'],
    );
    for my $name (sort keys %usage) {
        ($rc, $out) = admin_tool('', @{ $usage{$name} });
        is $rc, 2, "$name: exit 2" or diag $out;
        like $out, qr/devplat-admin: /, "$name: a message";
    }
    is review_row($older)->{status}, 0, 'nothing decided by the refused ones';
};

scenario 'the tool and the admin face at once: exactly one decision' => sub {
    for my $round (1 .. 3) {
        my $u = dev_user();
        my $rid = submit('award-info', $u, pictures => 1);
        my @out = parallel(2, sub {
            my ($i) = @_;
            if ($i) { my ($rc) = admin_tool('', 'review', 'reject', 'award-info', $rid, '工具'); return "tool $rc" }
            my ($res) = admin(PUT => "review/award-info/$rid", { decision => 'approve' }, auth($admin->{token}));
            return 'face ' . $res->code;
        });
        my $wins = grep { /^(tool 0|face 200)$/ } @out;
        is $wins, 1, "round $round: one decision won (@out)";
        is db_value("SELECT COUNT(*) FROM audit_log WHERE user_id = $u->{id} AND action LIKE 'review_%'"), 1,
           "round $round: one audit row";
    }
};

done_testing();
