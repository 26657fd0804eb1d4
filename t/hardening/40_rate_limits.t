# DevplatRateLimit (issue 11, item 5): the answers that tell whether an ID
# number, a mobile number or an e-mail address belongs to an account, and
# captcha drawing, are limited per account and per client address, in the
# face's envelope, with Retry-After. t/conf/extra.conf.in sets every limit
# to 1000 an hour (far above any other test file), so each scenario fills
# a counter of the current window up to just below its limit first.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;
use Devplat::Admin;

client_net(125);

my $LIMIT  = 1000;
my $WINDOW = 3600;
my $AUTH   = '/api/user/authenticate';
my $BASE   = '/api/user/base';
my $MSG_IDENTITY  = '实名认证提交过于频繁，请稍后再试';
my $MSG_EXISTENCE = '请求过于频繁，请稍后再试';
my $MSG_CAPTCHA   = '验证码获取过于频繁，请稍后再试';

# Addresses of this file: 10.0.126-130.x (10.0.125.x is code_ip's).
my %NEXT;
sub ip { my ($net) = @_; $NEXT{$net}++; return "10.0.$net.$NEXT{$net}" }

sub window_start { my $t = time; return $t - $t % $WINDOW }

# The scenarios fill counters of the current window: never start one in
# its last minute.
sub settle {
    my $left = $WINDOW - time % $WINDOW;
    if ($left < 60) { note "waiting $left s for a new window"; sleep $left + 1 }
}

sub q_ { sql_quote($_[0]) }

# The current window's count of limit $bucket for $subject (0: no row).
sub hits {
    my ($bucket, $subject) = @_;
    return db_value('SELECT hits FROM rate_limits WHERE bucket = ' . q_($bucket)
                    . ' AND subject = ' . q_($subject) . ' AND window_start = ' . window_start()) // 0;
}

# Sets the current window's count of $bucket for $subject to $n.
sub fill {
    my ($bucket, $subject, $n) = @_;
    my $start = window_start();
    db('DELETE FROM rate_limits WHERE bucket = ' . q_($bucket) . ' AND subject = ' . q_($subject));
    db('INSERT INTO rate_limits (bucket, subject, window_start, expires_at, hits) VALUES ('
       . join(', ', q_($bucket), q_($subject), $start, $start + $WINDOW, $n) . ')');
}

# Retry-After is the end of the window, in whole seconds.
sub check_retry_after {
    my ($res, $name) = @_;
    my $ra = $res->header('Retry-After') // '';
    my $left = window_start() + $WINDOW - time;
    like $ra, qr/^[1-9]\d*$/, "$name: Retry-After in seconds";
    ok $ra >= $left - 3 && $ra <= $left + 1, "$name: Retry-After $ra is the end of the window ($left s)";
}

# A valid 居民身份证 number, different on every call.
my $CARD = 0;
sub card { $CARD++; return valid_id_card(320106, 19800101 + $CARD % 28, ($$ + $CARD) % 1000) }
sub bad_card { my $c = card(); substr($c, -1, 1, substr($c, -1) eq '0' ? '1' : '0'); return $c }

sub dev_user {
    my $u = register_user();
    $u->{token} = login($u->{username}, $u->{password});
    $u->{photo} = upload_picture($u->{token}, 'licensed-photo');
    return $u;
}

sub realname {
    my ($u, $number, $ip) = @_;
    return json_request(PUT => "$AUTH/real-name",
                        { actual_name => '张三', certificate_type_id => 1, id_number => $number,
                          authenticate_picture => $u->{photo} },
                        auth($u->{token}), 'X-Forwarded-For' => $ip);
}

sub stored_number {
    my ($uid) = @_;
    return db_value("SELECT id_number FROM identity_verifications WHERE user_id = $uid");
}

# ---------------------------------------------------------------- real-name

my $holder = dev_user();
my $held = card();
is realname($holder, $held, ip(126))->code, 200, "another account holds $held";

scenario 'real-name: every submission that reaches the uniqueness check counts, per account and address' => sub {
    settle();
    my $u = dev_user();
    my $ip = ip(126);
    is hits('identity-account', $u->{id}), 0, 'no count yet';
    check_ok(scalar realname($u, card(), $ip), 'a first submission');
    is hits('identity-account', $u->{id}), 1, 'the account: 1';
    is hits('identity-address', $ip), 1, 'the address: 1';
    check_error(scalar realname($u, $held, $ip), 422, name => 'a number another account holds',
                field => 'id_number', message => '证件号码已被其他账号认证');
    is hits('identity-account', $u->{id}), 2, 'the "held" answer counted: 2';
    is hits('identity-address', $ip), 2, 'the address: 2';
    check_error(scalar realname($u, bad_card(), $ip), 422, name => 'a wrong check character', field => 'id_number');
    is hits('identity-account', $u->{id}), 2, 'refused before the check: not counted';
    my ($res) = json_request(PUT => "$AUTH/real-name", { actual_name => '张三' }, auth($u->{token}),
                             'X-Forwarded-For' => $ip);
    check_error($res, 422, name => 'fields missing');
    is hits('identity-address', $ip), 2, '... not counted';
};

scenario 'real-name over the account limit: 429 in 000\'s envelope, the number never checked' => sub {
    settle();
    my $u = dev_user();
    my $mine = card();
    fill('identity-account', $u->{id}, $LIMIT - 1);
    check_ok(scalar realname($u, $mine, ip(126)), 'the last submission of the window');
    my $res = realname($u, $held, ip(126));
    check_error($res, 429, name => 'one more, with a held number', message => $MSG_IDENTITY);
    check_retry_after($res, 'account limit');
    is hits('identity-account', $u->{id}), $LIMIT, "the count stays at $LIMIT";
    is stored_number($u->{id}), $mine, 'the record is unchanged';
    check_error(scalar realname($u, card(), ip(126)), 429, name => 'from another address: still the account',
                message => $MSG_IDENTITY);
    check_error(scalar realname($u, bad_card(), ip(126)), 422, name => 'a malformed number is still told',
                field => 'id_number');
    my $other = dev_user();
    check_ok(scalar realname($other, card(), ip(126)), 'another account is not limited');
};

scenario 'real-name over the address limit: other accounts from it are refused, other addresses are not' => sub {
    settle();
    my $ip = ip(126);
    fill('identity-address', $ip, $LIMIT);
    my $u = dev_user();
    my $res = realname($u, $held, $ip);
    check_error($res, 429, name => 'a held number from a full address', message => $MSG_IDENTITY);
    check_retry_after($res, 'address limit');
    is hits('identity-address', $ip), $LIMIT, "the address stays at $LIMIT";
    ok !defined stored_number($u->{id}), 'no record written';
    check_error(scalar realname($u, $held, ip(126)), 422, name => 'the same from another address',
                field => 'id_number', message => '证件号码已被其他账号认证');
};

# ---------------------------------------------------------------- mobile verification

sub verify {
    my ($u, $card, $ip) = @_;
    return mform(POST => "verification/token/$u->{token}", { name => '张三', cardno => $card },
                 'X-Forwarded-For' => $ip);
}

scenario 'mobile verification: counted, and limited in 002\'s envelope (HTTP 429, code 429)' => sub {
    settle();
    my $u = mregister();
    my $ip = ip(127);
    check_mfail(scalar verify($u, $held, $ip), 1012, name => 'a held number', info => '认证失败,该身份证已认证其他账号');
    is hits('identity-account', $u->{id}), 1, 'the account: 1';
    is hits('identity-address', $ip), 1, 'the address: 1';
    check_mfail(scalar verify($u, bad_card(), $ip), 1013, name => 'a wrong check character');
    is hits('identity-account', $u->{id}), 1, 'refused before the check: not counted';

    fill('identity-account', $u->{id}, $LIMIT);
    my $res = verify($u, $held, ip(127));
    check_mfail($res, 429, status => 429, name => 'over the account limit', info => $MSG_IDENTITY);
    check_retry_after($res, 'mobile account limit');
    is hits('identity-account', $u->{id}), $LIMIT, "the count stays at $LIMIT";

    # one identity store, one limit: the developer face counts the same account
    my $token = login($u->{phone}, $u->{password});
    my ($r2) = json_request(PUT => "$AUTH/real-name",
                            { actual_name => '张三', certificate_type_id => 1, id_number => card(),
                              authenticate_picture => upload_picture($token, 'licensed-photo') },
                            auth($token), 'X-Forwarded-For' => ip(127));
    check_error($r2, 429, name => 'the same account on the developer face', message => $MSG_IDENTITY);

    my $ip2 = ip(127);
    fill('identity-address', $ip2, $LIMIT);
    my $v = mregister();
    check_mfail(scalar verify($v, card(), $ip2), 429, status => 429, name => 'a full address',
                info => $MSG_IDENTITY);
    ok !defined stored_number($v->{id}), 'no record written';
    check_mok(scalar verify($v, card(), ip(127)), 'another address', info => '认证成功');
};

# ---------------------------------------------------------------- existence answers

sub register_sms {
    my ($mobile, $ip) = @_;
    return json_request(GET => "/api/register-sms?mobile=$mobile", undef, 'X-Forwarded-For' => $ip);
}

scenario 'register-sms: "already registered" is counted and limited per address' => sub {
    settle();
    my $taken = register_user()->{mobile};
    my $ip = ip(128);
    check_error(scalar register_sms($taken, $ip), 422, name => 'a registered number', field => 'mobile',
                message => '手机号已被注册');
    is hits('existence-address', $ip), 1, 'counted';
    check_error(scalar register_sms('12345', $ip), 422, name => 'a malformed number', field => 'mobile');
    is hits('existence-address', $ip), 1, 'a malformed number is not counted';
    my $free = unique_mobile();
    check_ok(scalar register_sms($free, $ip), 'a free number: the code is sent');
    is hits('existence-address', $ip), 2, 'counted as well (the answer tells it is free)';

    fill('existence-address', $ip, $LIMIT);
    my $res = register_sms($taken, $ip);
    check_error($res, 429, name => 'a registered number from a full address', message => $MSG_EXISTENCE);
    check_retry_after($res, 'register-sms');
    my $free2 = unique_mobile();
    check_error(scalar register_sms($free2, $ip), 429, name => 'a free number from a full address');
    is scalar(notify_for($free2)), 0, '... no code sent';
    is hits('existence-address', $ip), $LIMIT, "the count stays at $LIMIT";
    check_error(scalar register_sms($taken, ip(128)), 422, name => 'another address', field => 'mobile');

    # POST register tells a registered number or name before the code
    my $reg = sub {
        json_request(POST => '/api/register', { username => unique_name(), mobile => $_[0], password => 'Passw0rd!',
                                                verification_code => '123456' }, 'X-Forwarded-For' => $_[1]);
    };
    my $ip2 = ip(128);
    check_error(scalar $reg->($taken, $ip2), 422, name => 'register: a registered number', field => 'mobile',
                message => '手机号已被注册');
    is hits('existence-address', $ip2), 1, 'counted';
    fill('existence-address', $ip2, $LIMIT);
    $res = $reg->($taken, $ip2);
    check_error($res, 429, name => 'register from a full address', message => $MSG_EXISTENCE);
    check_retry_after($res, 'register');
};

scenario 'developer code endpoints of a signed-in account: per account and per address' => sub {
    settle();
    my $u = register_user();
    my $token = login($u->{username}, $u->{password});
    my $other = register_user();
    my $ip = ip(128);
    my $get = sub { json_request(GET => $_[0], undef, auth($token), 'X-Forwarded-For' => $_[1]) };

    my $new_mobile = "$BASE/update-mobile/new-mobile-verification-code?mobile=";
    check_error(scalar $get->($new_mobile . $other->{mobile}, $ip), 422, name => 'new mobile: another account\'s',
                field => 'mobile', message => '手机号已被其他账号使用');
    is hits('existence-account', $u->{id}), 1, 'the account: 1';
    is hits('existence-address', $ip), 1, 'the address: 1';
    my $email = "rl$$\@example.com";
    check_ok(scalar $get->("$BASE/bind-email/verification-code?email=$email", $ip), 'bind-email code: sent');
    is hits('existence-account', $u->{id}), 2, 'the account: 2';

    fill('existence-account', $u->{id}, $LIMIT);
    my $res = $get->($new_mobile . $other->{mobile}, ip(128));
    check_error($res, 429, name => 'new mobile code over the account limit', message => $MSG_EXISTENCE);
    check_retry_after($res, 'account limit');
    check_error(scalar $get->("$BASE/bind-email/verification-code?email=x$email", ip(128)), 429,
                name => 'bind-email code over the account limit', message => $MSG_EXISTENCE);
    ($res) = json_request(PATCH => "$BASE/update-mobile",
                          { authentication_type => 'password', password => 'wrong-one',
                            new_mobile => $other->{mobile}, new_mobile_verification_code => '123456' },
                          auth($token), 'X-Forwarded-For' => ip(128));
    check_error($res, 429, name => 'update-mobile answers "taken" too: limited', message => $MSG_EXISTENCE);
    ($res) = json_request(POST => "$BASE/bind-email",
                          { email => $email, verification_code => '123456', password => 'wrong-one' },
                          auth($token), 'X-Forwarded-For' => ip(128));
    check_error($res, 429, name => 'bind-email too', message => $MSG_EXISTENCE);
    is hits('existence-account', $u->{id}), $LIMIT, "the count stays at $LIMIT";

    my $ip2 = ip(128);
    fill('existence-address', $ip2, $LIMIT);
    my $v = register_user();
    my $vt = login($v->{username}, $v->{password});
    ($res) = json_request(GET => $new_mobile . $other->{mobile}, undef, auth($vt), 'X-Forwarded-For' => $ip2);
    check_error($res, 429, name => 'another account from a full address', message => $MSG_EXISTENCE);
    ($res) = json_request(GET => $new_mobile . $other->{mobile}, undef, auth($vt), 'X-Forwarded-For' => ip(128));
    check_error($res, 422, name => '... from another address', field => 'mobile');
};

sub send_code {
    my ($phone, $type, $ip) = @_;
    return mform(POST => 'send_code', { phone => $phone, type => $type }, 'X-Forwarded-For' => $ip);
}

scenario 'mobile send_code: registered / not registered, counted and limited per address' => sub {
    settle();
    my $taken = register_user()->{mobile};
    my $ip = ip(129);
    check_mfail(scalar send_code($taken, 'register', $ip), 1007, name => 'register: a registered number');
    check_mfail(scalar send_code(unique_mobile(), 'retrieve', $ip), 1015, name => 'retrieve: an unknown number');
    is hits('existence-address', $ip), 2, 'both counted';
    check_mfail(scalar send_code('12345', 'register', $ip), 1006, name => 'a malformed number');
    check_mfail(scalar send_code($taken, 'other', $ip), 1006, name => 'an unknown type');
    is hits('existence-address', $ip), 2, 'malformed requests are not counted';

    fill('existence-address', $ip, $LIMIT);
    my $res = send_code($taken, 'register', $ip);
    check_mfail($res, 429, status => 429, name => 'register from a full address', info => $MSG_EXISTENCE);
    check_retry_after($res, 'send_code');
    check_mfail(scalar send_code(unique_mobile(), 'retrieve', $ip), 429, status => 429,
                name => 'retrieve from a full address', info => $MSG_EXISTENCE);
    is hits('existence-address', $ip), $LIMIT, "the count stays at $LIMIT";
    check_mfail(scalar send_code($taken, 'register', ip(129)), 1007, name => 'another address');

    my $reg = sub {
        mform(POST => 'register', { phone => $_[0], code => '123456', password => 'Passw0rd!',
                                    RegistrationID => "1a0018970a$$" }, 'X-Forwarded-For' => $_[1]);
    };
    my $ip2 = ip(129);
    check_mfail(scalar $reg->($taken, $ip2), 1007, name => 'mobile register: a registered number');
    is hits('existence-address', $ip2), 1, 'counted';
    fill('existence-address', $ip2, $LIMIT);
    $res = $reg->($taken, $ip2);
    check_mfail($res, 429, status => 429, name => 'mobile register from a full address', info => $MSG_EXISTENCE);
    check_retry_after($res, 'mobile register');
};

# ---------------------------------------------------------------- captcha

sub draw { my ($ip) = @_; return admin(GET => 'captcha', undef, 'X-Forwarded-For' => $ip) }

sub captchas_of {
    my ($ip) = @_;
    return db_value('SELECT count(*) AS n FROM captchas WHERE client_ip = ' . q_($ip));
}

scenario 'captcha drawing: per address, in 001\'s envelope' => sub {
    settle();
    my $ip = ip(130);
    check_admin_ok(scalar draw($ip), 'a captcha', cmd => 'captcha');
    is hits('captcha-address', $ip), 1, 'counted';
    fill('captcha-address', $ip, $LIMIT);
    my $before = captchas_of($ip);
    my $res = draw($ip);
    check_admin_error($res, 429, name => 'over the limit', cmd => 'captcha', message => $MSG_CAPTCHA);
    check_retry_after($res, 'captcha');
    is captchas_of($ip), $before, 'no captcha row made';
    is hits('captcha-address', $ip), $LIMIT, "the count stays at $LIMIT";
    check_admin_ok(scalar draw(ip(130)), 'another address', cmd => 'captcha');
};

# ---------------------------------------------------------------- races

scenario 'parallel draws never get more than the limit through' => sub {
    settle();
    my $ip = ip(131);
    fill('captcha-address', $ip, $LIMIT - 5);
    my @got = parallel(12, sub { draw($ip)->code });
    is scalar(grep { defined && $_ eq '200' } @got), 5, 'exactly 5 of 12 drawn' or diag "got: @got";
    is scalar(grep { defined && $_ eq '429' } @got), 7, 'the other 7: 429' or diag "got: @got";
    is hits('captcha-address', $ip), $LIMIT, "the count is $LIMIT";
    is captchas_of($ip), 5, '5 captcha rows';
};

scenario 'parallel first attempts of a window: every one counted once' => sub {
    settle();
    my $ip = ip(131);
    my @got = parallel(12, sub { draw($ip)->code });
    is scalar(grep { defined && $_ eq '200' } @got), 12, 'all 12 drawn' or diag "got: @got";
    is hits('captcha-address', $ip), 12, 'the count is 12: no attempt lost or counted twice';
};

scenario 'parallel existence answers on the mobile face: exactly the rest of the limit' => sub {
    settle();
    my $taken = register_user()->{mobile};
    my $ip = ip(132);
    fill('existence-address', $ip, $LIMIT - 4);
    my @got = parallel(10, sub {
        my (undef, $json) = send_code($taken, 'register', $ip);
        return ref $json eq 'HASH' ? $json->{code} : 'none';
    });
    is scalar(grep { defined && $_ eq '1007' } @got), 4, 'exactly 4 answers "registered"' or diag "got: @got";
    is scalar(grep { defined && $_ eq '429' } @got), 6, 'the other 6: 429' or diag "got: @got";
    is hits('existence-address', $ip), $LIMIT, "the count is $LIMIT";
};

scenario 'parallel ID submissions of one account: exactly the rest of the limit' => sub {
    settle();
    my $u = mregister();
    fill('identity-account', $u->{id}, $LIMIT - 3);
    my @got = parallel(8, sub {
        my (undef, $json) = verify($u, $held, "10.0.133." . ($_[0] + 1));
        return ref $json eq 'HASH' ? $json->{code} : 'none';
    });
    is scalar(grep { defined && $_ eq '1012' } @got), 3, 'exactly 3 answered' or diag "got: @got";
    is scalar(grep { defined && $_ eq '429' } @got), 5, 'the other 5: 429' or diag "got: @got";
    is hits('identity-account', $u->{id}), $LIMIT, "the count is $LIMIT";
};

done_testing;
