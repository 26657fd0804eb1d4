# GET /api/register-sms?mobile=M
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(11);

scenario 'a code for a new mobile' => sub {
    my $m = unique_mobile();
    my ($res, $json) = json_request(GET => "/api/register-sms?mobile=$m");
    check_ok($res, 'register-sms');
    is jtype($res, 'data'), 'object', 'data is an object (DevplatExposeCodes On)';
    is jtype($res, qw(data verification_code)), 'string', 'data.verification_code is a string';
    like $json->{data}{verification_code} // '', qr/^\d{6}$/, 'six digits';
    is_deeply [sort keys %{ $json->{data} || {} }], ['verification_code'], 'data holds only the code';

    my @sent = notify_for($m);
    is scalar @sent, 1, 'the webhook got one message';
    my $msg = $sent[0] || {};
    is $msg->{channel}, 'sms', 'channel sms';
    is $msg->{to}, $m, 'to the mobile';
    is $msg->{purpose}, 'register', 'purpose register';
    is $msg->{code}, $json->{data}{verification_code}, 'the code sent is the code shown';
    like $msg->{_content_type} // '', qr{^application/json}i, 'webhook body is JSON';

    my $stored = db_value('SELECT count(*) FROM verification_codes WHERE destination = ' . sql_quote($m));
    is $stored, 1, 'one verification_codes row';
    my @rows = db_rows('SELECT * FROM verification_codes WHERE destination = ' . sql_quote($m));
    my $code = $json->{data}{verification_code} // '';
    ok !(grep { defined $_ && $_ eq $code } values %{ $rows[0] || {} }),
        'the code is not stored in clear';
};

scenario 'missing, empty and malformed mobiles: 422 errors.mobile' => sub {
    my @bad = ('', '12345678901', '1354855412', '135485541261', 'abcdefghijk',
               '1354855412a', '23548554126', '+8613548554126', '13548 54126',
               '%EF%BC%91%EF%BC%93548554126' );   # fullwidth 1 3 ...
    my $res = json_request(GET => '/api/register-sms');
    check_error($res, 422, name => 'no mobile parameter', field => 'mobile');
    for my $m (@bad) {
        $res = json_request(GET => "/api/register-sms?mobile=$m");
        check_error($res, 422, name => "mobile '$m'", field => 'mobile');
    }
    $res = json_request(GET => "/api/register-sms?mobile=%27%3B%20DROP%20TABLE%20users%3B%20--");
    check_error($res, 422, name => 'SQL in mobile', field => 'mobile');
    is table_exists('users'), 1, 'users table still there';
};

scenario 'a mobile already registered: 422 errors.mobile' => sub {
    my $u = register_user();
    my $res = json_request(GET => "/api/register-sms?mobile=$u->{mobile}");
    check_error($res, 422, name => 'registered mobile', field => 'mobile');
};

scenario 'a second code within 60 s: 429 with Retry-After' => sub {
    my $m = unique_mobile();
    my $code = request_code($m);
    my $res = json_request(GET => "/api/register-sms?mobile=$m");
    check_error($res, 429, name => 'second request');
    my $ra = $res->header('Retry-After') // '';
    like $ra, qr/^\d+$/, 'Retry-After is integer seconds';
    ok $ra > 0 && $ra <= 60, "Retry-After within the cooldown ($ra)";
    is scalar(notify_for($m)), 1, 'nothing more was sent';

    # the cooldown is per destination, not per client
    $res = json_request(GET => "/api/register-sms?mobile=$m", undef, 'X-Forwarded-For' => '10.0.11.200');
    check_error($res, 429, name => 'second request from another client');

    # the first code still works
    my ($r2, $j2) = json_request(POST => '/api/register', {
        username => unique_name(), mobile => $m, password => 'Passw0rd!', verification_code => $code });
    check_ok($r2, 'first code still valid after the refused second request');
};

scenario 'parallel requests for one mobile: one code, the rest 429' => sub {
    my $m = unique_mobile();
    my @ips = map { code_ip() } 1 .. 5;
    my @got = parallel(5, sub {
        my ($res) = json_request(GET => "/api/register-sms?mobile=$m", undef, 'X-Forwarded-For' => $ips[$_[0]]);
        return $res->code;
    });
    is scalar(grep { defined && $_ eq '200' } @got), 1, 'exactly one 200' or diag "got: @got";
    is scalar(grep { defined && $_ eq '429' } @got), 4, 'four 429' or diag "got: @got";
    is scalar(notify_for($m)), 1, 'one message sent';
};

scenario 'at most 10 codes per destination per day' => sub {
    my $m = unique_mobile();
    my @got;
    for my $i (1 .. 10) {
        my ($res) = json_request(GET => "/api/register-sms?mobile=$m");
        push @got, $res->code;
        # step past the 60 s cooldown without waiting (the codes stay within the day)
        db('UPDATE verification_codes SET created_at = created_at - 120 WHERE destination = ' . sql_quote($m));
        db('UPDATE code_cooldowns SET sent_at = sent_at - 120 WHERE destination = ' . sql_quote($m));
    }
    is_deeply \@got, [(200) x 10], 'ten codes in a day are sent';
    my ($res) = json_request(GET => "/api/register-sms?mobile=$m");
    check_error($res, 429, name => 'the 11th code in a day');
    my $ra = $res->header('Retry-After') // '';
    like $ra, qr/^\d+$/, 'Retry-After present';
    ok $ra > 60 && $ra <= 86400, "Retry-After is the day's window ($ra)";
    is scalar(notify_for($m)), 10, 'ten messages sent';
};

scenario 'a failed delivery: 500, and no cooldown starts' => sub {
    my $m = '13900000000';
    my $res = json_request(GET => "/api/register-sms?mobile=$m");
    check_error($res, 500, name => 'delivery to 13900000000 fails');
    $res = json_request(GET => "/api/register-sms?mobile=$m");
    check_error($res, 500, name => 'again 500, not 429');
    is scalar(notify_for($m)), 0, 'nothing logged by the sink';
    is db_value(q{SELECT count(*) FROM verification_codes WHERE destination = '13900000000' AND used_at IS NULL AND expires_at > } . time()),
        0, 'no usable code was left behind';
};

scenario 'more than 20 codes from one client IP in an hour: 429' => sub {
    my $ip = '10.0.11.250';     # this scenario's own client
    my @codes;
    for my $i (1 .. 20) {
        my $m = unique_mobile();
        my $res = json_request(GET => "/api/register-sms?mobile=$m", undef, 'X-Forwarded-For' => $ip);
        push @codes, $res->code;
    }
    is_deeply \@codes, [(200) x 20], 'the first 20 are sent';
    my $m = unique_mobile();
    my $res = json_request(GET => "/api/register-sms?mobile=$m", undef, 'X-Forwarded-For' => $ip);
    check_error($res, 429, name => '21st code from one IP');
    like $res->header('Retry-After') // '', qr/^\d+$/, 'Retry-After present';
    is scalar(notify_for($m)), 0, 'nothing sent for the 21st';

    $res = json_request(GET => "/api/register-sms?mobile=$m", undef, 'X-Forwarded-For' => '10.0.11.251');
    check_ok($res, 'another client IP is not limited');
};

scenario 'the client IP comes from X-Forwarded-For (mod_remoteip)' => sub {
    my $m = unique_mobile();
    my $res = json_request(GET => "/api/register-sms?mobile=$m", undef, 'X-Forwarded-For' => '10.0.11.77');
    check_ok($res, 'register-sms');
    is db_value('SELECT client_ip FROM verification_codes WHERE destination = ' . sql_quote($m)),
        '10.0.11.77', 'client_ip recorded from X-Forwarded-For';
};

done_testing;
