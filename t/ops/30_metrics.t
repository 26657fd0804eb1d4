# SetHandler devplat-metrics: the Prometheus text format (promtool accepts
# it), and every counter moving by exactly what this file's requests did:
# requests by face, route pattern, method and status, the latency
# histograms, logins by outcome, codes by channel, bcrypt, uploads, database
# errors, and the pending reviews read from the database. The suite's
# server answers only this file's requests while it runs (the files run one
# after another), and a scrape is not an API request, so the deltas are
# exact.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;
use Devplat::Admin;
use Devplat::Review;
use Devplat::Metrics;

client_net(74);

my @FACES = qw(developer admin mobile);

sub requests { my ($m, $face, $method, $route, $status) = @_;
    sample($m, 'devplat_http_requests_total', face => $face, method => $method, route => $route,
           status => $status) }
sub rdelta { my ($a, $b, @k) = @_; requests($b, @k) - requests($a, @k) }
sub hist_count { my ($m, $name, %l) = @_; sample($m, "${name}_count", %l) }

scenario 'the exposition: content type, HELP and TYPE, names, promtool' => sub {
    my $m = scrape();
    like $m->{res}->header('Content-Type'), qr{^text/plain; version=0\.0\.4; charset=utf-8$},
        'Content-Type text/plain; version=0.0.4';
    is $m->{res}->header('Cache-Control'), 'no-store', 'never cached';
    my %types = (
        devplat_http_requests_total => 'counter', devplat_http_request_duration_seconds => 'histogram',
        devplat_logins_total => 'counter', devplat_codes_sent_total => 'counter',
        devplat_codes_failed_total => 'counter', devplat_bcrypt_duration_seconds => 'histogram',
        devplat_db_errors_total => 'counter', devplat_db_reconnects_total => 'counter',
        devplat_uploads_total => 'counter', devplat_upload_bytes_total => 'counter',
        devplat_reviews_pending => 'gauge', devplat_metrics_start_time_seconds => 'gauge',
    );
    is_deeply $m->{type}, \%types, 'these families and no others, each with its TYPE';
    is_deeply [sort keys %{ $m->{help} }], [sort keys %types], 'each with a HELP line';
    ok length($m->{help}{$_}) > 10, "$_: HELP says something" for sort keys %types;
    for my $k (sort keys %{ $m->{samples} }) {
        my ($name) = $k =~ /^([^{]+)/;
        my $family = $name =~ s/_(bucket|sum|count)$//r;
        $family = $name unless $types{$family} && $types{$family} eq 'histogram';
        ok $types{$family}, "$k belongs to a declared family" or last;
    }
    ok !grep({ $m->{samples}{$_} !~ /^\d+(\.\d+)?$/ } keys %{ $m->{samples} }),
        'every value is a non-negative number';
    my ($rc, $out) = promtool($m->{text});
    is $rc, 0, 'promtool check metrics: exit 0' or diag $out;
    is $out, '', 'promtool check metrics: no lint finding' or diag $out;
    my $start = sample($m, 'devplat_metrics_start_time_seconds');
    ok $start > 1.7e9 && $start <= time, 'devplat_metrics_start_time_seconds is a time in the past';

    my ($head) = json_request(HEAD => '/metrics');
    is $head->code, 200, 'HEAD: 200';
    is $head->content, '', 'HEAD: no body';
    my ($post) = json_request(POST => '/metrics', {});
    is $post->code, 405, 'POST: 405';
    like $post->header('Allow') // '', qr/\bGET\b/, 'POST: Allow names GET';
};

scenario 'requests by face, route pattern (never the raw path), method and status' => sub {
    my $m0 = scrape();
    json_request(GET => '/api/me') for 1 .. 3;                                   # 401
    json_request(GET => '/api/no/such/route') for 1 .. 2;                        # 404
    json_request(POST => '/api/me', {});                                         # 405
    json_request(GET => "/api/project/base/$_") for 987654, 987655;              # routed
    my ($cap) = json_request(GET => '/admin/api/captcha');
    is $cap->code, 200, 'an admin captcha';
    my ($mob) = mform(POST => 'login', { phone => '', password => '' });
    my $m1 = scrape();

    is rdelta($m0, $m1, 'developer', 'GET', 'me', 401), 3, 'developer GET me 401: +3';
    is rdelta($m0, $m1, 'developer', '', '(none)', 404), 2, 'developer, no route, 404: +2';
    is rdelta($m0, $m1, 'developer', '', '(none)', 405), 1, 'developer, no route, 405: +1';
    my @base = grep { $_->[0]{route} eq 'project/base/{project_id}' && $_->[0]{face} eq 'developer' }
               families($m1, 'devplat_http_requests_total');
    my $base0 = 0;
    $base0 += $_->[1] for grep { $_->[0]{route} eq 'project/base/{project_id}' }
                          families($m0, 'devplat_http_requests_total');
    my $base1 = 0;
    $base1 += $_->[1] for @base;
    is $base1 - $base0, 2, 'both project ids counted under the pattern project/base/{project_id}';
    ok !grep({ /98765/ } keys %{ $m1->{samples} }), 'no raw path in any label';
    is rdelta($m0, $m1, 'admin', 'GET', 'captcha', 200), 1, 'admin GET captcha 200: +1';
    is rdelta($m0, $m1, 'mobile', 'POST', 'User/login', $mob->code), 1,
        'mobile POST User/login ' . $mob->code . ': +1';

    my %count = (developer => 3 + 2 + 1 + 2, admin => 1, mobile => 1);
    for my $f (@FACES) {
        my $name = 'devplat_http_request_duration_seconds';
        is hist_count($m1, $name, face => $f) - hist_count($m0, $name, face => $f), $count{$f},
            "$f: the latency histogram counted $count{$f}";
        my $total = 0;
        $total += $_->[1] for grep { $_->[0]{face} eq $f } families($m1, 'devplat_http_requests_total');
        is hist_count($m1, $name, face => $f), $total, "$f: its count equals the face's requests";
        my @b = sort { $a->[0] <=> $b->[0] }
                map { [$_->[0]{le} eq '+Inf' ? 9e99 : $_->[0]{le}, $_->[1]] }
                grep { $_->[0]{face} eq $f } families($m1, "${name}_bucket");
        is scalar(@b), 12, "$f: 11 buckets and +Inf";
        ok !grep({ $b[$_][1] < $b[$_ - 1][1] } 1 .. $#b), "$f: buckets are cumulative";
        is $b[-1][1], hist_count($m1, $name, face => $f), "$f: +Inf equals the count";
        ok sample($m1, "${name}_sum", face => $f) >= sample($m0, "${name}_sum", face => $f),
            "$f: the sum does not go back";
    }
    ok sample($m1, 'devplat_http_request_duration_seconds_sum', face => 'developer')
        > sample($m0, 'devplat_http_request_duration_seconds_sum', face => 'developer'),
        'developer: the sum of seconds grew';
};

scenario 'logins by outcome: ok, failed, throttled (developer and mobile faces)' => sub {
    my $u = register_user();
    my $m0 = scrape();
    login($u->{username}, $u->{password});
    my %seen;
    for (1 .. 7) {      # DevplatLoginThrottle 5 900 2: the sixth is refused
        my ($res) = json_request(POST => '/api/login', { username => $u->{username}, password => 'wrong-pass' });
        $seen{ $res->code }++;
    }
    my $m1 = scrape();
    is delta($m0, $m1, 'devplat_logins_total', face => 'developer', outcome => 'ok'), 1, 'ok: +1';
    is $seen{429}, 2, 'two attempts were throttled (429)';
    is delta($m0, $m1, 'devplat_logins_total', face => 'developer', outcome => 'failed'), 5, 'failed: +5';
    is delta($m0, $m1, 'devplat_logins_total', face => 'developer', outcome => 'throttled'), 2,
        'throttled: +2';
    is delta($m0, $m1, 'devplat_logins_total', face => 'developer', outcome => 'error'), 0, 'error: +0';
    is rdelta($m0, $m1, 'developer', 'POST', 'login', 429), 2, 'and the requests: POST login 429 +2';
    is delta($m0, $m1, 'devplat_logins_total', face => $_, outcome => 'ok'), 0, "$_: ok +0"
        for qw(admin mobile);

    my $mu = mregister();
    my $m2 = scrape();
    mlogin($mu->{phone}, $mu->{password});
    my ($bad, $bj) = mform(POST => 'login', { phone => $mu->{phone}, password => 'wrong-pass' });
    is $bj->{code}, 1010, 'mobile: a wrong password (1010)';
    my $m3 = scrape();
    is delta($m2, $m3, 'devplat_logins_total', face => 'mobile', outcome => 'ok'), 1, 'mobile ok: +1';
    is delta($m2, $m3, 'devplat_logins_total', face => 'mobile', outcome => 'failed'), 1, 'mobile failed: +1';
    is delta($m2, $m3, 'devplat_logins_total', face => 'developer', outcome => $_), 0, "developer $_: +0"
        for qw(ok failed);
};

scenario 'a login the database cannot record counts as an error and a database error' => sub {
    my $u = register_user();
    my $m0 = scrape();
    my ($res) = with_fault('login_throttle.write', { mobile => "#user:$u->{id}" }, sub {
        json_request(POST => '/api/login', { username => $u->{username}, password => $u->{password} });
    });
    my $m1 = scrape();
    is $res->code, 503, 'the login answers 503';
    is delta($m0, $m1, 'devplat_logins_total', face => 'developer', outcome => 'error'), 1, 'error: +1';
    is delta($m0, $m1, 'devplat_logins_total', face => 'developer', outcome => 'ok'), 0, 'ok: +0';
    ok delta($m0, $m1, 'devplat_db_errors_total', kind => 'statement') >= 1,
        'devplat_db_errors_total{kind="statement"} grew';
    is delta($m0, $m1, 'devplat_db_errors_total', kind => 'connection'), 0, 'no connection error';
};

scenario 'bcrypt: one hash per registration, one verification per login' => sub {
    my $m0 = scrape();
    my $u = register_user();
    login($u->{username}, $u->{password});
    json_request(POST => '/api/login', { username => $u->{username}, password => 'wrong-pass' });
    json_request(POST => '/api/login', { username => 'nobody_' . unique_name(), password => 'wrong-pass' });
    my $m1 = scrape();
    my $name = 'devplat_bcrypt_duration_seconds';
    is hist_count($m1, $name, op => 'hash') - hist_count($m0, $name, op => 'hash'), 1, 'hash: +1';
    is hist_count($m1, $name, op => 'verify') - hist_count($m0, $name, op => 'verify'), 3,
        'verify: +3 (right, wrong, and the dummy one of an unknown name)';
    ok sample($m1, "${name}_sum", op => 'verify') > sample($m0, "${name}_sum", op => 'verify'),
        'the seconds spent grew';
    my @b = grep { $_->[0]{op} eq 'verify' } families($m1, "${name}_bucket");
    is scalar(@b), 12, 'verify: 11 buckets and +Inf';
};

scenario 'codes sent and failed, by channel' => sub {
    my $m0 = scrape();
    my $u = register_user();                             # one sms
    my ($fail) = json_request(GET => '/api/register-sms?mobile=13900000000');    # the sink refuses it
    is $fail->code, 500, 'a delivery the relay refuses answers 500';
    $u->{token} = login($u->{username}, $u->{password});
    my $email = 'ops' . $u->{id} . '@example.com';
    my ($res) = json_request(GET => "/api/user/base/bind-email/verification-code?email=$email", undef,
                             auth($u->{token}), 'X-Forwarded-For' => code_ip());
    is $res->code, 200, 'an e-mail code';
    my $m1 = scrape();
    is delta($m0, $m1, 'devplat_codes_sent_total', channel => 'sms'), 1, 'sms sent: +1';
    is delta($m0, $m1, 'devplat_codes_failed_total', channel => 'sms'), 1, 'sms failed: +1';
    is delta($m0, $m1, 'devplat_codes_sent_total', channel => 'email'), 1, 'email sent: +1';
    is delta($m0, $m1, 'devplat_codes_failed_total', channel => 'email'), 0, 'email failed: +0';
};

scenario 'uploads and their bytes, by face' => sub {
    my $u = dev_user();
    my $mu = mregister();
    my $m0 = scrape();
    my $png = png_of_size(4321);
    my ($res) = upload_request('/api/user/base/upload/avatar',
        [{ name => 'file', filename => 'a.png', content => $png }], auth($u->{token}));
    is $res->code, 200, 'a developer upload';
    my ($bad) = upload_request('/api/user/base/upload/avatar',
        [{ name => 'file', filename => 'a.svg', content => '<svg/>' }], auth($u->{token}));
    is $bad->code, 422, 'a refused upload';
    mupload($mu->{token}, 'gif');
    my $m1 = scrape();
    is delta($m0, $m1, 'devplat_uploads_total', face => 'developer'), 1, 'developer uploads: +1';
    is delta($m0, $m1, 'devplat_upload_bytes_total', face => 'developer'), 4321, 'developer bytes: +4321';
    is delta($m0, $m1, 'devplat_uploads_total', face => 'mobile'), 1, 'mobile uploads: +1';
    is delta($m0, $m1, 'devplat_upload_bytes_total', face => 'mobile'), length(image_bytes('gif')),
        'mobile bytes: the size of the file';
    is delta($m0, $m1, 'devplat_uploads_total', face => 'admin'), 0, 'admin uploads: +0';
};

scenario 'pending reviews: the database\'s count at scrape time, every kind' => sub {
    my $m0 = scrape();
    my @kinds = map { $_->[0]{kind} } families($m0, 'devplat_reviews_pending');
    my @all = KINDS;
    is_deeply [sort @kinds], [sort @all], 'one gauge per review kind';
    for my $k (KINDS) {
        is sample($m0, 'devplat_reviews_pending', kind => $k),
           db_value("SELECT COUNT(*) FROM reviews WHERE status = 0 AND kind = " . sql_quote($k)),
           "$k: the database's count";
    }
    my $u = dev_user();
    submit('educational-info' => $u);
    my $m1 = scrape();
    is delta($m0, $m1, 'devplat_reviews_pending', kind => 'educational-info'), 1, 'a submission: +1';
    submit('educational-info' => $u);       # supersedes the pending one
    my $m2 = scrape();
    is delta($m1, $m2, 'devplat_reviews_pending', kind => 'educational-info'), 0,
        'a second submission of the same record supersedes the first: +0';
};

done_testing;
