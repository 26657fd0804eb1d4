# PATCH /api/user/base/update-mobile
#   {authentication_type: mobile|email, old_mobile_verification_code |
#    old_email_verification_code, new_mobile, new_mobile_verification_code}
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::AccountTest;

client_net(43);
field_labels(authentication_type => ['验证类型'], new_mobile => ['新手机号'],
             old_mobile_verification_code => ['旧手机号验证码'],
             old_email_verification_code => ['邮箱验证码'],
             new_mobile_verification_code => ['新手机号验证码']);

my $B = '/api/user/base/update-mobile';

sub code_of {
    my ($path, $u) = @_;
    my ($res, $json, $code) = code_get($path, $u->{token});
    die "$path: " . $res->status_line . ' ' . ($res->content // '') . "\n" unless defined $code;
    return $code;
}
sub old_code   { code_of("$B/old-mobile-verification-code", $_[0]) }
sub email_code { code_of("$B/old-email-verification-code?email=" . uri_escape_utf8($_[0]{email}), $_[0]) }
sub new_code   { code_of("$B/new-mobile-verification-code?mobile=$_[1]", $_[0]) }

sub patch {
    my ($u, $body, @h) = @_;
    return json_request(PATCH => $B, $body, auth($u->{token}), @h);
}

sub with_email {
    my $u = signed_in();
    $u->{email} = unique_email();
    db('UPDATE users SET email = ' . sql_quote($u->{email}) . " WHERE id = $u->{id}");
    return $u;
}

sub code_used {
    my ($dest, $purpose) = @_;
    return db_value('SELECT used_at FROM verification_codes WHERE destination = ' . sql_quote($dest)
                    . ' AND purpose = ' . sql_quote($purpose) . ' ORDER BY id DESC LIMIT 1');
}

# A user with both codes of a mobile-verified change ready.
sub ready {
    my $u = signed_in();
    my $m = unique_mobile();
    my $body = { authentication_type => 'mobile', old_mobile_verification_code => old_code($u),
                 new_mobile => $m, new_mobile_verification_code => new_code($u, $m) };
    return ($u, $body);
}

# The user's row and the codes are as they were: nothing half-written.
sub unchanged {
    my ($u, $body, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $row = user_row($u->{id});
    is $row->{mobile}, $u->{mobile}, "$name: mobile unchanged";
    is $row->{updated_at}, $u->{data}{updated_at}, "$name: updated_at unchanged";
    is audit_count($u->{id}, 'change_mobile'), 0, "$name: no change_mobile audit row";
    is code_used($u->{mobile}, 'change_mobile_old'), undef, "$name: the old-mobile code is not spent";
    is code_used($body->{new_mobile}, 'change_mobile_new'), undef, "$name: the new-mobile code is not spent"
        if $body && $body->{new_mobile};
}

scenario 'change verified by the old mobile' => sub {
    my ($u, $body) = ready();
    my $m = $body->{new_mobile};
    my ($res, $json) = patch($u, $body);
    check_ok($res, 'update-mobile');
    is jtype($res, 'data'), 'string', 'data is a string';
    is $json->{data}, '', 'data is ""';
    my $row = user_row($u->{id});
    is $row->{mobile}, $m, 'users.mobile is the new number';
    like $row->{updated_at}, DATETIME_RE, 'updated_at is a time';
    ok defined code_used($u->{mobile}, 'change_mobile_old'), 'the old-mobile code is spent';
    ok defined code_used($m, 'change_mobile_new'), 'the new-mobile code is spent';
    my @audit = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'change_mobile'");
    is scalar @audit, 1, 'one change_mobile audit row';
    like $audit[0]{detail} // '', qr/\Q$m\E.*mobile/, 'the audit row names the number and the way';
    is $audit[0]{client_ip}, client_ip(), 'the audit row has the client address';
    ok eval { login($m, $u->{password}) }, 'login with the new number';
    my ($r2) = login_full($u->{mobile}, $u->{password});
    isnt $r2->code, 200, 'the old number logs in no more';
    check_ok(scalar json_request(GET => '/api/me', undef, auth($u->{token})), 'the token still works');
};

scenario 'change verified by the bound e-mail address' => sub {
    my $u = with_email();
    my $m = unique_mobile();
    my $body = { authentication_type => 'email', old_email_verification_code => email_code($u),
                 new_mobile => $m, new_mobile_verification_code => new_code($u, $m) };
    my ($res, $json) = patch($u, $body);
    check_ok($res, 'update-mobile by email');
    is user_row($u->{id})->{mobile}, $m, 'users.mobile is the new number';
    ok defined code_used($u->{email}, 'change_mobile_email'), 'the e-mail code is spent';
    is db_value("SELECT detail FROM audit_log WHERE user_id = $u->{id} AND action = 'change_mobile'"),
        "$m (verified by email)", 'audit row: by email';
};

scenario 'the code of the other way is ignored, as in the documented example' => sub {
    my ($u, $body) = ready();
    my ($res) = patch($u, { %$body, old_email_verification_code => '12345' });
    check_ok($res, 'type mobile with a five-digit e-mail code beside it');
    is user_row($u->{id})->{mobile}, $body->{new_mobile}, 'changed';
};

scenario 'form-encoded body' => sub {
    my ($u, $body) = ready();
    my ($res) = patch($u, form_body(%$body), 'Content-Type' => 'application/x-www-form-urlencoded');
    check_ok($res, 'update-mobile (form)');
    is user_row($u->{id})->{mobile}, $body->{new_mobile}, 'changed';
};

scenario 'wrong codes: 422 naming the code, nothing written' => sub {
    my ($u, $body) = ready();
    my $res;
    $res = patch($u, { %$body, old_mobile_verification_code => wrong_code($body->{old_mobile_verification_code}) });
    check_error($res, 422, name => 'wrong old code', field => 'old_mobile_verification_code');
    unchanged($u, $body, 'wrong old code');
    $res = patch($u, { %$body, new_mobile_verification_code => wrong_code($body->{new_mobile_verification_code}) });
    check_error($res, 422, name => 'wrong new code', field => 'new_mobile_verification_code');
    unchanged($u, $body, 'wrong new code');
    $res = patch($u, { %$body, old_mobile_verification_code => wrong_code($body->{old_mobile_verification_code}),
                       new_mobile_verification_code => wrong_code($body->{new_mobile_verification_code}) });
    my $json = check_error($res, 422, name => 'both wrong');
    is join(',', sort keys %{ $json->{errors} || {} }), 'new_mobile_verification_code,old_mobile_verification_code',
        'both codes named';
    unchanged($u, $body, 'both wrong');
    check_ok(scalar patch($u, $body), 'the right codes still work after a few wrong tries');
};

scenario 'codes for another purpose or destination are wrong codes' => sub {
    my ($u, $body) = ready();
    my $m = $body->{new_mobile};
    my %bad = (
        'the new-mobile code as the old one' => { old_mobile_verification_code => $body->{new_mobile_verification_code} },
        'the old-mobile code as the new one' => { new_mobile_verification_code => $body->{old_mobile_verification_code} },
    );
    my $reg = request_code(my $m3 = unique_mobile());      # purpose register, for m3
    my $c3 = new_code($u, my $m4 = unique_mobile());         # change_mobile_new, for m4
    $bad{'a register code for the new number'} = { new_mobile => $m3, new_mobile_verification_code => $reg };
    $bad{'a code sent to another new number'} = { new_mobile_verification_code => $c3 };
    for my $what (sort keys %bad) {
        my $b = { %$body, %{ $bad{$what} } };
        next if $b->{old_mobile_verification_code} eq $body->{old_mobile_verification_code}
             && $b->{new_mobile_verification_code} eq $body->{new_mobile_verification_code}
             && $b->{new_mobile} eq $m;           # the same digits by chance
        my $field = exists $bad{$what}{old_mobile_verification_code} ? 'old_mobile_verification_code'
                                                                      : 'new_mobile_verification_code';
        check_error(scalar patch($u, $b), 422, name => $what, field => $field);
        unchanged($u, $body, $what);
    }

    my $w = with_email();
    my $mw = unique_mobile();
    my $old_mobile = old_code($w);                            # change_mobile_old, to the mobile
    my $email_old = code_of('/api/user/base/update-email/old-email-verification-code?email=' . uri_escape_utf8($w->{email}), $w);
    my $nc = new_code($w, $mw);
    check_error(scalar patch($w, { authentication_type => 'email', old_email_verification_code => $email_old,
                                   new_mobile => $mw, new_mobile_verification_code => $nc }), 422,
                name => 'an update-email code for type email', field => 'old_email_verification_code');
    check_error(scalar patch($w, { authentication_type => 'email', old_email_verification_code => $old_mobile,
                                   new_mobile => $mw, new_mobile_verification_code => $nc }), 422,
                name => 'the old-mobile code for type email', field => 'old_email_verification_code');
    is user_row($w->{id})->{mobile}, $w->{mobile}, 'nothing changed';
};

scenario 'an expired code' => sub {
    my ($u, $body) = ready();
    db('UPDATE verification_codes SET expires_at = created_at - 1 WHERE destination = ' . sql_quote($body->{new_mobile}));
    check_error(scalar patch($u, $body), 422, name => 'expired new code', field => 'new_mobile_verification_code');
    unchanged($u, $body, 'expired');
    my ($v, $b2) = ready();
    db('UPDATE verification_codes SET expires_at = ' . (time - 1) . ' WHERE destination = ' . sql_quote($v->{mobile}));
    check_error(scalar patch($v, $b2), 422, name => 'expired old code', field => 'old_mobile_verification_code');
    unchanged($v, $b2, 'expired old');
};

scenario 'reused codes' => sub {
    my ($u, $body) = ready();
    check_ok(scalar patch($u, $body), 'first use');
    db('UPDATE users SET mobile = ' . sql_quote($u->{mobile}) . " WHERE id = $u->{id}");
    my $json = check_error(scalar patch($u, $body), 422, name => 'the same codes again');
    is join(',', sort keys %{ $json->{errors} || {} }), 'new_mobile_verification_code,old_mobile_verification_code',
        'both codes are spent';
    is user_row($u->{id})->{mobile}, $u->{mobile}, 'nothing changed the second time';
    is audit_count($u->{id}, 'change_mobile'), 1, 'one audit row in all';
};

scenario 'a burned code (5 wrong tries) stays burned' => sub {
    my ($u, $body) = ready();
    for my $i (1 .. 5) {
        my $res = patch($u, { %$body, new_mobile_verification_code => sprintf('%06d', (($body->{new_mobile_verification_code} + $i) % 1000000)) });
        check_error($res, 422, name => "wrong try $i", field => 'new_mobile_verification_code');
    }
    check_error(scalar patch($u, $body), 422, name => 'the right code after five wrong tries', field => 'new_mobile_verification_code');
    unchanged($u, $body, 'burned');
};

scenario 'numbers: taken, the current one, malformed' => sub {
    my ($u, $body) = ready();
    my $v = signed_in();
    check_error(scalar patch($u, { %$body, new_mobile => $v->{mobile} }), 422, name => "another user's number", field => 'new_mobile');
    check_error(scalar patch($u, { %$body, new_mobile => $u->{mobile} }), 422, name => 'the current number', field => 'new_mobile');
    for my $m ('1354855412', '135485541261', '23548554126', 'abcdefghijk', ' 13548554126', "1' OR '1'='1") {
        check_error(scalar patch($u, { %$body, new_mobile => $m }), 422, name => "new_mobile '$m'", field => 'new_mobile');
    }
    unchanged($u, $body, 'refused numbers');
    is user_row($v->{id})->{mobile}, $v->{mobile}, "the other user's number is untouched";
    check_ok(scalar patch($u, $body), 'the codes still work afterwards');
};

scenario 'authentication_type: mobile or email only' => sub {
    my ($u, $body) = ready();
    my %wrong = ('' => '', sms => 'sms', MOBILE => 'MOBILE', Email => 'Email', 'mobile ' => 'mobile ',
                 number => 1, array => ['mobile'], object => { t => 'mobile' }, null => undef,
                 true => JSON::PP::true());
    for my $what (sort keys %wrong) {
        check_error(scalar patch($u, { %$body, authentication_type => $wrong{$what} }), 422,
                    name => "authentication_type $what", field => 'authentication_type');
    }
    my %b = %$body;
    delete $b{authentication_type};
    check_error(scalar patch($u, \%b), 422, name => 'authentication_type missing', field => 'authentication_type');
    unchanged($u, $body, 'wrong types');
};

scenario 'the code of the chosen way is required' => sub {
    my ($u, $body) = ready();
    my %b = %$body;
    $b{old_email_verification_code} = delete $b{old_mobile_verification_code};
    check_error(scalar patch($u, \%b), 422, name => 'type mobile with only an e-mail code', field => 'old_mobile_verification_code');
    $b{authentication_type} = 'email';
    $b{old_mobile_verification_code} = delete $b{old_email_verification_code};
    check_error(scalar patch($u, \%b), 422, name => 'type email with only a mobile code', field => 'old_email_verification_code');
    unchanged($u, $body, 'missing codes');
};

scenario 'nothing bound to verify with: 404' => sub {
    my ($u, $body) = ready();
    check_error(scalar patch($u, { %$body, authentication_type => 'email', old_email_verification_code => '123456' }), 404,
                name => 'type email without a bound address', message => '查询数据不存在');
    unchanged($u, $body, 'no address');
    my ($v, $b2) = ready();
    db("UPDATE users SET mobile = NULL WHERE id = $v->{id}");
    check_error(scalar patch($v, $b2), 404, name => 'type mobile without a mobile', message => '查询数据不存在');
    is user_row($v->{id})->{mobile}, undef, 'still no mobile';
};

scenario 'missing, empty and wrongly typed fields; bad bodies' => sub {
    my ($u, $body) = ready();
    my %wrong = (number => 135485541, array => ['x'], object => { a => 1 }, null => undef, true => JSON::PP::true());
    for my $f (qw(new_mobile new_mobile_verification_code old_mobile_verification_code)) {
        my %b = %$body;
        delete $b{$f};
        check_error(scalar patch($u, \%b), 422, name => "$f missing", field => $f);
        check_error(scalar patch($u, { %$body, $f => '' }), 422, name => "$f empty", field => $f);
        for my $t (sort keys %wrong) {
            check_error(scalar patch($u, { %$body, $f => $wrong{$t} }), 422, name => "$f as $t", field => $f);
        }
    }
    for my $c ('12345', '1234567', 'abcdef', '12 456', "123\x{0}56") {
        check_error(scalar patch($u, { %$body, new_mobile_verification_code => $c }), 422,
                    name => "code '" . ($c =~ s/\x{0}/\\0/r) . "'", field => 'new_mobile_verification_code');
    }
    check_error(scalar patch($u, {}), 422, name => 'empty object');
    check_error(scalar patch($u, '{"authentication_type":"mobile",'), 422, name => 'malformed JSON');
    check_error(scalar patch($u, '[1,2]'), 422, name => 'a JSON array');
    check_error(scalar patch($u, "{\"authentication_type\":\"mobile\xff\"}"), 422, name => 'invalid UTF-8');
    check_error(scalar patch($u, 'authentication_type=mobile', 'Content-Type' => 'text/plain'), 415, name => 'text/plain');
    unchanged($u, $body, 'bad input');
    check_ok(scalar patch($u, $body), 'the codes survived all of it');
};

scenario 'tokens: 401 and nothing written' => sub {
    my ($u, $body) = ready();
    check_401(scalar json_request(PATCH => $B, $body), 'no token');
    check_401(scalar json_request(PATCH => $B, $body, auth('a.b.c')), 'malformed token');
    my $other = signed_in();
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($other->{token})), 'logout');
    check_401(scalar json_request(PATCH => $B, $body, auth($other->{token})), 'a logged-out token');
    check_401(scalar json_request(PATCH => $B, $body, auth(jwt_forge({ sub => "$u->{id}", jti => 'e' x 32,
                                  iat => time, nbf => time, exp => time + 60 }))), 'a forged session');
    unchanged($u, $body, '401');
};

scenario "another user's token cannot use these codes" => sub {
    my ($u, $body) = ready();
    my $v = signed_in();
    check_error(scalar patch($v, $body), 422, name => "user B with user A's codes", field => 'old_mobile_verification_code');
    unchanged($u, $body, 'A untouched');
    is user_row($v->{id})->{mobile}, $v->{mobile}, 'B untouched';
};

scenario 'the same change twice at once: one 200, one 422' => sub {
    my ($u, $body) = ready();
    my @got = parallel(2, sub { my ($res) = patch($u, $body); $res->code });
    is_deeply [sort @got], [200, 422], 'one change, the other refused' or diag "@got";
    is user_row($u->{id})->{mobile}, $body->{new_mobile}, 'changed once';
    is audit_count($u->{id}, 'change_mobile'), 1, 'one audit row';
};

done_testing;
