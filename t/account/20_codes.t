# The five code-sending endpoints of 个人中心-基本信息:
#   GET /api/user/base/update-mobile/old-mobile-verification-code
#   GET /api/user/base/update-mobile/old-email-verification-code?email=
#   GET /api/user/base/update-mobile/new-mobile-verification-code?mobile=
#   GET /api/user/base/bind-email/verification-code?email=
#   GET /api/user/base/update-email/old-email-verification-code?email=
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::AccountTest;

client_net(42);
field_labels(email => ['邮箱'], mobile => ['手机号']);

my $B = '/api/user/base';
my %path = (
    old_mobile => "$B/update-mobile/old-mobile-verification-code",
    mobile_email => "$B/update-mobile/old-email-verification-code",
    new_mobile => "$B/update-mobile/new-mobile-verification-code",
    bind_email => "$B/bind-email/verification-code",
    email_old => "$B/update-email/old-email-verification-code",
);

sub with_email {
    my $u = signed_in();
    $u->{email} = unique_email();
    db('UPDATE users SET email = ' . sql_quote($u->{email}) . " WHERE id = $u->{id}");
    return $u;
}

sub codes_for { db_value('SELECT count(*) FROM verification_codes WHERE destination = ' . sql_quote($_[0])) }

# a 200 with data {verification_code} that the webhook delivered
sub check_sent {
    my ($res, $name, %want) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    check_ok($res, $name);
    is jtype($res, 'data'), 'object', "$name: data is an object (DevplatExposeCodes On)";
    is jtype($res, qw(data verification_code)), 'string', "$name: data.verification_code is a string";
    my $json = decode_body($res);
    is_deeply [sort keys %{ $json->{data} || {} }], ['verification_code'], "$name: data holds only the code";
    my $code = $json->{data}{verification_code} // '';
    like $code, qr/^\d{6}$/, "$name: six digits";
    my @sent = grep { ($_->{purpose} // '') eq $want{purpose} } notify_for($want{to});
    is scalar @sent, 1, "$name: the webhook got one message for $want{purpose}";
    my $m = $sent[-1] || {};
    is $m->{channel}, $want{channel}, "$name: channel $want{channel}";
    is $m->{code}, $code, "$name: the code sent is the code shown";
    my @rows = db_rows('SELECT * FROM verification_codes WHERE destination = ' . sql_quote($want{to})
                       . ' AND purpose = ' . sql_quote($want{purpose}));
    is scalar @rows, 1, "$name: one verification_codes row for the destination and purpose";
    ok !(grep { defined $_ && $_ eq $code } values %{ $rows[0] || {} }), "$name: the code is not stored in clear";
    like $rows[0]{client_ip} // '', qr/^10\.0\.42\.\d+$/, "$name: the client address is recorded";
    return $code;
}

scenario 'old-mobile code: an SMS to the current number' => sub {
    my $u = signed_in();
    my ($res) = code_get($path{old_mobile}, $u->{token});
    check_sent($res, 'old-mobile code', to => $u->{mobile}, channel => 'sms', purpose => 'change_mobile_old');

    ($res) = code_get($path{old_mobile}, $u->{token});
    check_error($res, 429, name => 'a second code within the cooldown');
    like $res->header('Retry-After') // '', qr/^\d+$/, 'Retry-After';
    is scalar(grep { $_->{purpose} eq 'change_mobile_old' } notify_for($u->{mobile})), 1, 'nothing more was sent';
};

scenario 'old-mobile code: a user without a mobile number is 404' => sub {
    my $u = signed_in();
    db("UPDATE users SET mobile = NULL WHERE id = $u->{id}");
    my ($res) = code_get($path{old_mobile}, $u->{token});
    check_error($res, 404, name => 'no mobile', message => '查询数据不存在');
};

scenario 'old-email code (update-mobile): a mail to the bound address' => sub {
    my $u = with_email();
    my ($res) = code_get("$path{mobile_email}?email=" . uri_escape_utf8(uc $u->{email}), $u->{token});
    check_sent($res, 'old-email code, address in upper case', to => $u->{email}, channel => 'email',
               purpose => 'change_mobile_email');
};

scenario 'bound-address codes: the address must be the bound one' => sub {
    for my $which (qw(mobile_email email_old)) {
        my $u = with_email();
        my $other = unique_email();
        my ($res) = code_get("$path{$which}?email=" . uri_escape_utf8($other), $u->{token});
        check_error($res, 422, name => "$which: another address", field => 'email');
        is scalar(notify_for($other)), 0, "$which: nothing sent to the other address";
        is scalar(notify_for($u->{email})), 0, "$which: nothing sent to the bound address either";
        check_error(scalar code_get($path{$which}, $u->{token}), 422, name => "$which: no email parameter", field => 'email');
        for my $bad ('', 'plain', 'a@b', 'a@@b.com', '%27%20OR%20%271%27%3D%271@x.com', "$u->{email}%00",
                     'x' x 250 . '@example.com', '%FF@example.com') {
            check_error(scalar code_get("$path{$which}?email=$bad", $u->{token}), 422,
                        name => "$which: email '" . substr($bad, 0, 30) . "'");
        }
        my $v = signed_in();
        check_error(scalar code_get("$path{$which}?email=" . uri_escape_utf8($u->{email}), $v->{token}), 404,
                    name => "$which: a user without an address (asking for someone else's)", message => '查询数据不存在');
        is scalar(notify_for($u->{email})), 0, "$which: nothing sent";
    }
};

scenario 'update-email old code: a mail to the bound address' => sub {
    my $u = with_email();
    my ($res) = code_get("$path{email_old}?email=" . uri_escape_utf8($u->{email}), $u->{token});
    check_sent($res, 'update-email old code', to => $u->{email}, channel => 'email', purpose => 'change_email_old');
    # another purpose for the same address has its own cooldown
    ($res) = code_get("$path{mobile_email}?email=" . uri_escape_utf8($u->{email}), $u->{token});
    check_sent($res, 'update-mobile email code for the same address', to => $u->{email}, channel => 'email',
               purpose => 'change_mobile_email');
};

scenario 'new-mobile code: an SMS to a number nobody has' => sub {
    my $u = signed_in();
    my $m = unique_mobile();
    my ($res) = code_get("$path{new_mobile}?mobile=$m", $u->{token});
    check_sent($res, 'new-mobile code', to => $m, channel => 'sms', purpose => 'change_mobile_new');
};

scenario 'new-mobile code: refused numbers send nothing' => sub {
    my $u = signed_in();
    my $v = signed_in();
    my $before = codes_for($v->{mobile});
    my $sent = scalar notify_for($v->{mobile});
    check_error(scalar code_get("$path{new_mobile}?mobile=$v->{mobile}", $u->{token}), 422,
                name => "another user's number", field => 'mobile');
    is codes_for($v->{mobile}), $before, 'no code was made for it';
    is scalar(notify_for($v->{mobile})), $sent, 'no message went to it';
    check_error(scalar code_get("$path{new_mobile}?mobile=$u->{mobile}", $u->{token}), 422,
                name => 'the current number', field => 'mobile');
    check_error(scalar code_get($path{new_mobile}, $u->{token}), 422, name => 'no mobile parameter', field => 'mobile');
    for my $bad ('', '1354855412', '135485541261', '23548554126', 'abcdefghijk', '%2B8613548554126',
                 '1%27%20OR%201%3D1', '%EF%BC%91%EF%BC%93548554126') {
        check_error(scalar code_get("$path{new_mobile}?mobile=$bad", $u->{token}), 422,
                    name => "mobile '$bad'", field => 'mobile');
    }
    my $deleted = signed_in();
    db("UPDATE users SET status = 5 WHERE id = $deleted->{id}");
    check_error(scalar code_get("$path{new_mobile}?mobile=$deleted->{mobile}", $u->{token}), 422,
                name => 'the number of a deleted user is still taken', field => 'mobile');
};

scenario 'new-mobile code: a failed delivery is 500 and leaves no cooldown' => sub {
    my $u = signed_in();
    check_error(scalar code_get("$path{new_mobile}?mobile=13900000000", $u->{token}), 500, name => 'delivery fails');
    check_error(scalar code_get("$path{new_mobile}?mobile=13900000000", $u->{token}), 500, name => 'again 500, not 429');
};

scenario 'bind-email code: only for an address nobody has, to a user without one' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my ($res) = code_get("$path{bind_email}?email=" . uri_escape_utf8($e), $u->{token});
    check_sent($res, 'bind-email code', to => $e, channel => 'email', purpose => 'bind_email');

    my $owner = with_email();
    my $before = codes_for($owner->{email});
    check_error(scalar code_get("$path{bind_email}?email=" . uri_escape_utf8($owner->{email}), signed_in()->{token}), 422,
                name => "another user's address", field => 'email');
    check_error(scalar code_get("$path{bind_email}?email=" . uri_escape_utf8(uc $owner->{email}), signed_in()->{token}), 422,
                name => "another user's address in upper case", field => 'email');
    is codes_for($owner->{email}), $before, 'no code was made for it';
    is scalar(notify_for($owner->{email})), 0, 'nothing was sent to it';

    check_error(scalar code_get("$path{bind_email}?email=" . uri_escape_utf8($owner->{email}), $owner->{token}), 422,
                name => 'the address already bound', field => 'email');
    check_error(scalar code_get("$path{bind_email}?email=" . uri_escape_utf8(unique_email()), $owner->{token}), 422,
                name => 'a user who has an address already', field => 'email');
    check_error(scalar code_get($path{bind_email}, $u->{token}), 422, name => 'no email parameter', field => 'email');
    check_error(scalar code_get("$path{bind_email}?email=not-an-address", $u->{token}), 422,
                name => 'not an address', field => 'email');
};

scenario 'tokens: 401 令牌认证失败 on every code endpoint, nothing sent' => sub {
    my $u = with_email();
    my $v = signed_in();
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($v->{token})), 'logout');
    my $m = unique_mobile();
    for my $which (sort keys %path) {
        my $q = $which eq 'new_mobile' ? "?mobile=$m" : $which eq 'old_mobile' ? '' : '?email=' . uri_escape_utf8($u->{email});
        check_401(scalar json_request(GET => "$path{$which}$q", undef, 'X-Forwarded-For' => code_ip()), "$which: no token");
        check_401(scalar code_get("$path{$which}$q", 'x.y.z'), "$which: malformed token");
        check_401(scalar code_get("$path{$which}$q", $v->{token}), "$which: logged-out token");
        check_401(scalar code_get("$path{$which}$q", jwt_forge({ sub => "$u->{id}", jti => '0' x 32, iat => time,
                                                                 nbf => time, exp => time + 60 })), "$which: forged token");
    }
    is scalar(notify_for($m)), 0, 'nothing sent to the new number';
    is scalar(notify_for($u->{email})), 0, 'nothing sent to the address';
    is scalar(grep { $_->{purpose} ne 'register' } notify_for($u->{mobile})), 0,
        'nothing sent to the mobile (but its registration code)';
};

scenario 'methods: 405 with Allow: GET, HEAD' => sub {
    my $u = signed_in();
    for my $which (sort keys %path) {
        my ($res) = json_request(POST => $path{$which}, {}, auth($u->{token}));
        check_error($res, 405, name => "POST $which");
        like $res->header('Allow') // '', qr/^GET,HEAD$/, "$which: Allow GET,HEAD";
    }
};

done_testing;
