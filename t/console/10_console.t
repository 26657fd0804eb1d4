# The admin console in a real browser: headless Chromium (Debian's
# chromium) driven by playwright-core runs t/browser/console.mjs against
# this server: captcha login, users (list, detail, edit, credits, delete),
# the review queue (approve, reject with a message, a lost race), projects,
# the audit log and sign-up, at 1280x800 and 390 px. This file prepares the
# data, turns the scenario's checks into TAP and checks through the faces'
# APIs what the clicks did. Screenshots: t/logs/screenshots/ (not kept in
# git).
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use File::Temp ();
use Apache::Test ();
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::Review;

client_net(213);

my $top = Apache::Test::vars('top_dir');
my $base = 'http://' . Apache::TestRequest::hostport();
my $shots = Apache::Test::vars('t_logs') . '/screenshots';

# --- the console is served with its headers
for my $path ('/console/', '/console/js/app.js', '/console/console.css') {
    my ($res) = json_request(GET => $path);
    is $res->code, 200, "GET $path: 200";
    my $csp = $res->header('Content-Security-Policy') // '';
    like $csp, qr/(?:^|; )default-src 'self'(?:;|$)/, "$path: CSP default-src 'self'";
    like $csp, qr/(?:^|; )script-src 'self'(?:;|$)/, "$path: scripts of the origin only (no inline)";
    like $csp, qr/(?:^|; )style-src 'self'(?:;|$)/, "$path: styles of the origin only (no inline)";
    like $csp, qr/(?:^|; )frame-ancestors 'none'(?:;|$)/, "$path: frame-ancestors 'none'";
    unlike $csp, qr/unsafe-inline|unsafe-eval|\*|https?:/, "$path: no unsafe-*, wildcard or other host";
    is $res->header('X-Frame-Options'), 'DENY', "$path: X-Frame-Options DENY";
    is $res->header('X-Content-Type-Options'), 'nosniff', "$path: nosniff";
}
{
    my ($res) = json_request(GET => '/console/js/app.js');
    like $res->header('Content-Type') // '', qr{^text/javascript}, 'modules are text/javascript';
    my ($r2) = json_request(GET => '/console/index.html');
    unlike $r2->content, qr/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son\w+=/i,
        'index.html: no inline script, style attribute or event handler';
}
# no console source builds HTML from strings
{
    my @bad;
    for my $f (glob("$top/console/*.js"), glob("$top/console/js/*.js")) {
        open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!";
        while (my $l = <$fh>) {
            push @bad, "$f:$.: $l" if $l =~ /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/;
        }
    }
    is scalar(@bad), 0, 'the console never inserts HTML text (innerHTML, document.write, eval)'
        or diag @bad;
}

# every file of console/ is installed (Makefile.am), and nothing else
{
    open my $fh, '<', "$top/Makefile.am" or die "Makefile.am: $!";
    my $mk = do { local $/; <$fh> };
    $mk =~ s/\\\n/ /g;
    my %listed;
    while ($mk =~ /^dist_console(?:js)?_DATA\s*=\s*(.*)$/mg) { $listed{$_} = 1 for split ' ', $1 }
    my %have = map { substr($_, length("$top/")) => 1 } glob("$top/console/*"), glob("$top/console/js/*");
    delete $have{'console/js'};
    is join(' ', sort keys %listed), join(' ', sort keys %have), 'Makefile.am installs every file of console/';
}

# --- the data the scenario works on
my $admin = make_admin();
my $plain = dev_user();
my $edit = dev_user();
my $rn_review = submit('real-name', $edit);
my $m = mobile_user();
my $q_review = submit('qualification', $m);
my $xss = dev_user();
my $XSS_NAME = '<img src=x onerror=alert(1)>';
my $XSS_TEXT = '<script>alert(2)</script><img src=x onerror=alert(3)>';
my $xss_review = submit('educational-info', $xss, institution => $XSS_TEXT);
db('UPDATE users SET username = ' . sql_quote($XSS_NAME) . " WHERE id = $xss->{id}");
my $race_user = dev_user();
my $race_review = submit('educational-info', $race_user);
my $del = make_user();
my $project = "浏览器项目$$";
my $removed = "待删除项目$$";

my $avatar = File::Temp->new(SUFFIX => '.png');
binmode $avatar;
print {$avatar} image_bytes('png');
close $avatar;
my $sn = sprintf '%d', $$ % 100000;
my %signup = (nickname => "staff$sn", name => '新员工', passwd => 'Staff_pass1', repasswd => 'Staff_pass1',
              phone => unique_mobile(), position => 'Support', email => "staff$sn\@example.com",
              avatar => $avatar->filename);

my $reject_message = '资质照片不清晰，请重新上传';
my $scenario = {
    base => $base, shots => $shots,
    admin => { nickname => $admin->{nickname}, password => $admin->{password}, token => $admin->{token} },
    plain => { nickname => $plain->{username}, password => $plain->{password} },
    edit => { id => $edit->{id}, nickname => $edit->{username} },
    realname => { review_id => $rn_review, nickname => $edit->{username} },
    qualification => { review_id => $q_review, message => $reject_message },
    xss => { id => $xss->{id}, nickname => $XSS_NAME, review_id => $xss_review, institution => $XSS_TEXT },
    race => { review_id => $race_review },
    del => { id => $del->{id}, nickname => $del->{nickname} },
    project => { name => $project, removed => $removed },
    signup => \%signup,
};
my $json = JSON::PP->new->utf8->canonical;
my $sf = File::Temp->new(SUFFIX => '.json');
print {$sf} $json->encode($scenario);
close $sf;

# --- the browser
my $log = File::Temp->new(SUFFIX => '.log');
my @out = `node "$top/t/browser/console.mjs" "${\ $sf->filename}" 2>"${\ $log->filename}"`;
my $rc = $? >> 8;
my (%fact, $done);
for my $line (@out) {
    my $r = eval { $json->decode($line) };
    unless (ref $r eq 'HASH') { note "browser: $line"; next }
    if (exists $r->{fact}) { $fact{ $r->{fact} } = $r->{value}; next }
    if ($r->{done}) { $done = $r; next }
    ok $r->{ok}, "browser: $r->{name}" or diag $r->{diag} // '';
}
is $rc, 0, 'the browser scenario exited 0';
ok $done, 'the browser scenario ran to its end' or do {
    open my $fh, '<', $log->filename; local $/; diag 'stderr: ' . (<$fh> // '');
};

# --- what the clicks did, through the faces' APIs
scenario 'approved real-name: 已通过 on GET /api/user/authenticate' => sub {
    my ($res, $j) = json_request(GET => '/api/user/authenticate', undef, auth($edit->{token}));
    is $res->code, 200, 'authenticate: 200';
    is $j->{data}{real_name}{authenticate_status}, '已通过', 'real_name: 已通过';
    is review_row($rn_review)->{reviewer_id}, $admin->{id}, 'the review names the administrator';
};
scenario 'rejected qualification: the mobile account is 3 with the message' => sub {
    my (undef, $j) = mget("get_user_details?token=$m->{token}");
    is $j->{data}{status}, '3', 'get_user_details: status 3 (信息认证未通过)';
    my $r = review_row($q_review);
    is $r->{status}, 2, 'the review is rejected';
    is $r->{message}, $reject_message, 'with the message typed in the page';
};
scenario 'the race: the API decision stands' => sub {
    my $r = review_row($race_review);
    is $r->{status}, 1, 'approved by the API call, not rejected by the page';
    is $r->{message}, '', 'no message from the page';
};
scenario 'the project created in the page: found by GET /api/project/paginate?q=' => sub {
    my $q = $project;
    utf8::encode($q);
    $q =~ s/([^A-Za-z0-9])/sprintf '%%%02X', ord $1/ge;
    my ($res, $j) = json_request(GET => "/api/project/paginate?per_page=100&q=$q", undef, auth($plain->{token}));
    is $res->code, 200, 'paginate: 200';
    my @hit = grep { $_->{name} eq $project } @{ $j->{data} || [] };
    is scalar(@hit), 1, 'the project is listed';
    is $hit[0]{purchase_budget}, 45000, 'with the budget of the edit';
    is $hit[0]{status}, 'ing', 'and its status';
    is "$hit[0]{id}", "$fact{project_id}", 'the id the page showed';
    my $r = removed_query();
    is scalar(@$r), 0, 'the removed project is gone from the developer face';
};
sub removed_query {
    my $q = $removed;
    utf8::encode($q);
    $q =~ s/([^A-Za-z0-9])/sprintf '%%%02X', ord $1/ge;
    my (undef, $j) = json_request(GET => "/api/project/paginate?per_page=100&q=$q", undef, auth($plain->{token}));
    return [grep { $_->{name} eq $removed } @{ $j->{data} || [] }];
}
scenario 'users: edit, credit, delete, sign-up and audit' => sub {
    is db_value("SELECT position FROM users WHERE id = $edit->{id}"), 'Lead_QA', 'edit: the position is stored';
    is db_value("SELECT COUNT(*) FROM credit_records WHERE user_id = $edit->{id} AND message = '活动奖励' AND amount = 50"),
       1, 'credit: one record of +50';
    is db_value("SELECT COUNT(*) FROM credit_records WHERE user_id = $edit->{id} AND message = '扣减'"),
       0, 'credit: the refused deduction wrote nothing';
    is db_value("SELECT status FROM users WHERE id = $del->{id}"), 5, 'delete: the user is deleted (5)';
    my $sid = db_value('SELECT id FROM users WHERE username = ' . sql_quote($signup{nickname}));
    ok $sid, 'sign-up: the user exists';
    is "$sid", "$fact{signup_id}", 'sign-up: the id the page showed';
    is db_value("SELECT status FROM users WHERE id = $sid"), 0, 'audited in the page: normal (0)';
    like db_value("SELECT avatar FROM users WHERE id = $sid") // '', qr{^/storage/avatar/}, 'sign-up: the avatar is stored';
};
scenario 'the screenshots' => sub {
    for my $name (qw(01-login 01-login-error 02-users 03-user 05-reviews 06-review-picture 07-review-race
                     09-projects 10-audit 11-signup)) {
        ok -s "$shots/$name-1280.png", "$name at 1280x800";
    }
    for my $name (qw(01-login users user reviews projects audit signup menu)) {
        ok -s "$shots/$name-390.png", "$name at 390 px";
    }
};

done_testing;
