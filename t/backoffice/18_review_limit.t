# DevplatRateLimit review-account: submissions to the review queues
# (educational-info, job-info, award-info, the mobile qualification) per
# account, so one account cannot fill the reviewers' queue and the table
# with superseded submissions. t/conf/extra.conf.in allows 1000 an hour;
# each scenario fills the account's counter to just below that.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;
use Devplat::Review;

client_net(166);

my $LIMIT  = 1000;
my $WINDOW = 3600;
my $MSG    = '提交审核过于频繁，请稍后再试';

sub window_start { my $t = time; return $t - $t % $WINDOW }
sub settle {
    my $left = $WINDOW - time % $WINDOW;
    if ($left < 60) { note "waiting $left s for a new window"; sleep $left + 1 }
}
sub fill {
    my ($subject, $n) = @_;
    my $start = window_start();
    db("DELETE FROM rate_limits WHERE bucket = 'review-account' AND subject = " . sql_quote($subject));
    db("INSERT INTO rate_limits (bucket, subject, window_start, expires_at, hits) VALUES ('review-account', "
       . sql_quote($subject) . ", $start, " . ($start + $WINDOW) . ", $n)");
}
sub count_reviews { my ($u) = @_; db_value("SELECT COUNT(*) FROM reviews WHERE user_id = $u->{id}") }

scenario 'developer face: the limit-th submission passes, the next is 429 and writes nothing' => sub {
    settle();
    for my $kind (qw(educational-info job-info award-info)) {
        my $u = dev_user();
        fill($u->{id}, $LIMIT - 1);
        ok submit($kind, $u), "$kind: the last one allowed";
        my $before = count_reviews($u);
        my ($r, $j) = json_request($kind eq 'award-info' ? 'POST' : 'PUT', "/api/user/authenticate/$kind",
            $kind eq 'award-info' ? { competition => 'x', award_level_id => 1,
                                      award_picture => [upload_picture($u->{token}, 'award-picture')] }
          : $kind eq 'job-info'  ? { organization => 'x', position_id => 1, domain_id => [1], project_experience => 'x' }
          :                        { institution => 'x', education_id => 1, project_experience => 'x' },
            auth($u->{token}));
        check_error($r, 429, name => "$kind over the limit", message => $MSG);
        my $ra = $r->header('Retry-After') // '';
        ok $ra =~ /^\d+$/ && $ra >= 1 && $ra <= $WINDOW, "$kind: Retry-After $ra";
        is count_reviews($u), $before, "$kind: no submission written";
        # another account is not affected
        my $v = dev_user();
        ok submit($kind, $v), "$kind: another account submits";
    }
};

scenario 'the mobile qualification counts on the same limit' => sub {
    settle();
    my $m = mobile_user();
    fill($m->{id}, $LIMIT);
    my $pic = mupload($m->{token});
    my ($res, $json) = mform(POST => "authenticationQualifications/token/$m->{token}", { picture => $pic });
    check_mfail($res, 429, name => 'qualification over the limit', info => $MSG, status => 429);
    is count_reviews($m), 0, 'nothing submitted';
    my (undef, $d) = mget("get_user_details?token=$m->{token}");
    is $d->{data}{status}, '2', 'the account is not under review';
};

scenario 'real-name has its own limit (identity-account)' => sub {
    settle();
    my $u = dev_user();
    fill($u->{id}, $LIMIT);
    ok submit('real-name', $u), 'a real-name submission is not counted here';
};

done_testing();
