# POST /api/user/base/bind-email {email, verification_code, password}
# PATCH /api/user/base/update-email {old_email_verification_code, old_email, new_email}
#
# bind-email proves a new address (the code) and stands in for the old one
# there is none of with the account password; update-email proves the old
# address and keeps the new one unverified until a bind-email proves it.
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::AccountTest;

client_net(44);
field_labels(email => ['邮箱'], old_email => ['旧邮箱'], new_email => ['新邮箱'],
             old_email_verification_code => ['旧邮箱验证码']);

my $B = '/api/user/base';

sub code_of {
    my ($path, $u) = @_;
    my ($res, $json, $code) = code_get($path, $u->{token});
    die "$path: " . $res->status_line . ' ' . ($res->content // '') . "\n" unless defined $code;
    return $code;
}
sub bind_code { code_of("$B/bind-email/verification-code?email=" . uri_escape_utf8($_[1]), $_[0]) }
sub old_email_code { code_of("$B/update-email/old-email-verification-code?email=" . uri_escape_utf8($_[0]{email}), $_[0]) }

# bind-email with the account password added to a body that has none
sub bind_email {
    my ($u, $body, @h) = @_;
    $body = { password => $u->{password}, %$body } if ref $body eq 'HASH' && !exists $body->{password};
    json_request(POST => "$B/bind-email", $body, auth($u->{token}), @h);
}
sub update { my ($u, $body, @h) = @_; json_request(PATCH => "$B/update-email", $body, auth($u->{token}), @h) }

sub email_of { user_row($_[0]{id})->{email} }

sub code_used {
    my ($dest, $purpose) = @_;
    return db_value('SELECT used_at FROM verification_codes WHERE destination = ' . sql_quote($dest)
                    . ' AND purpose = ' . sql_quote($purpose) . ' ORDER BY id DESC LIMIT 1');
}

# A user with a bound address (through the API).
sub bound_user {
    my $u = signed_in();
    my $e = unique_email();
    my ($res) = bind_email($u, { email => $e, verification_code => bind_code($u, $e) });
    die "bind: " . $res->status_line . "\n" unless $res->code == 200;
    $u->{email} = $e;
    return $u;
}

# ------------------------------------------------------------------ bind

scenario 'bind an address' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my $code = bind_code($u, $e);
    my ($res, $json) = bind_email($u, { email => $e, verification_code => $code });
    check_ok($res, 'bind-email');
    is jtype($res, 'data'), 'string', 'data is a string';
    is $json->{data}, '', 'data is ""';
    is email_of($u), $e, 'users.email';
    ok defined code_used($e, 'bind_email'), 'the code is spent';
    my @audit = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'bind_email'");
    is scalar @audit, 1, 'one bind_email audit row';
    is $audit[0]{detail}, $e, 'the audit row names the address';
    isnt user_row($u->{id})->{updated_at}, undef, 'updated_at set';
};

scenario 'addresses are kept in lower case' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my $mixed = ucfirst($e) =~ s/example\.com$/Example.COM/r;
    my $code = bind_code($u, $mixed);
    is scalar(notify_for($e)), 1, 'the code went to the lower-case address';
    check_ok(scalar bind_email($u, { email => $e, verification_code => $code }), 'bound with the lower-case form');
    is email_of($u), $e, 'stored in lower case';
    my $v = signed_in();
    check_error(scalar bind_email($v, { email => uc $e, verification_code => '123456' }), 422,
                name => 'the same address in upper case is taken', field => 'email');
};

sub bind_refused {
    my ($u, $body, $name, $field) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $before = user_row($u->{id});
    my $audits = audit_count($u->{id}, 'bind_email');
    check_error(scalar bind_email($u, $body), 422, name => $name, field => $field);
    my $after = user_row($u->{id});
    is $after->{email}, $before->{email}, "$name: email unchanged";
    is $after->{updated_at}, $before->{updated_at}, "$name: updated_at unchanged";
    is audit_count($u->{id}, 'bind_email'), $audits, "$name: no new audit row";
}

scenario 'bind: wrong, foreign, expired, reused and burned codes' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my $code = bind_code($u, $e);
    bind_refused($u, { email => $e, verification_code => wrong_code($code) }, 'wrong code', 'verification_code');
    my $e2 = unique_email();
    bind_refused($u, { email => $e2, verification_code => $code }, 'the code of another address', 'verification_code');
    is code_used($e, 'bind_email'), undef, 'the code is not spent';

    check_ok(scalar bind_email($u, { email => $e, verification_code => $code }), 'the right code still works');

    db("UPDATE users SET email = NULL WHERE id = $u->{id}");
    bind_refused($u, { email => $e, verification_code => $code }, 'the code again (reused)', 'verification_code');

    my $w = signed_in();
    my $ew = unique_email();
    my $cw = bind_code($w, $ew);
    db('UPDATE verification_codes SET expires_at = created_at WHERE destination = ' . sql_quote($ew));
    bind_refused($w, { email => $ew, verification_code => $cw }, 'expired code', 'verification_code');

    my $x = signed_in();
    my $ex = unique_email();
    my $cx = bind_code($x, $ex);
    for my $i (1 .. 5) {
        check_error(scalar bind_email($x, { email => $ex, verification_code => sprintf('%06d', ($cx + $i) % 1000000) }), 422,
                    name => "wrong try $i", field => 'verification_code');
    }
    bind_refused($x, { email => $ex, verification_code => $cx }, 'the right code after five wrong tries', 'verification_code');
};

scenario 'bind: a code for another purpose does not bind' => sub {
    my $u = bound_user();
    # an update-email code for u's address, tried by u to bind it again
    # elsewhere: refused because u has an address; by v: taken
    my $c = old_email_code($u);
    my $v = signed_in();
    bind_refused($v, { email => $u->{email}, verification_code => $c }, "another purpose's code for a taken address", 'email');
    my $w = signed_in();
    my $e = unique_email();
    db('UPDATE users SET email = ' . sql_quote($e) . " WHERE id = $w->{id}");
    my $cm = code_of("$B/update-mobile/old-email-verification-code?email=" . uri_escape_utf8($e), $w);
    db("UPDATE users SET email = NULL WHERE id = $w->{id}");
    bind_refused($w, { email => $e, verification_code => $cm }, 'an update-mobile code used to bind', 'verification_code');
};

scenario 'bind: taken and already-bound addresses' => sub {
    my $owner = bound_user();
    my $u = signed_in();
    bind_refused($u, { email => $owner->{email}, verification_code => '123456' }, "another user's address", 'email');
    bind_refused($owner, { email => $owner->{email}, verification_code => '123456' }, 'the address already bound', 'email');
    bind_refused($owner, { email => unique_email(), verification_code => '123456' }, 'a second address', 'email');
    is email_of($owner), $owner->{email}, "the owner's address is untouched";
};

scenario 'bind: field rules and bad bodies' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my $code = bind_code($u, $e);
    my %wrong = (number => 12345, array => [$e], object => { a => 1 }, null => undef, true => JSON::PP::true());
    for my $f (qw(email verification_code)) {
        my %b = (email => $e, verification_code => $code);
        delete $b{$f};
        bind_refused($u, \%b, "$f missing", $f);
        bind_refused($u, { email => $e, verification_code => $code, $f => '' }, "$f empty", $f);
        for my $t (sort keys %wrong) {
            bind_refused($u, { email => $e, verification_code => $code, $f => $wrong{$t} }, "$f as $t", $f);
        }
    }
    for my $bad ('plain', 'a@b', "$e ", " $e", 'a b@example.com', "x'; DROP TABLE users; --\@example.com", 'a' x 65 . '@example.com',
                 "用户\x{3000}\@example.com", 'user@例子.cn', '"q"@example.com') {
        bind_refused($u, { email => $bad, verification_code => $code }, "email '$bad'", 'email');
    }
    for my $c ('12345', '1234567', 'abcdef') {
        bind_refused($u, { email => $e, verification_code => $c }, "code '$c'", 'verification_code');
    }
    check_error(scalar bind_email($u, '{"email":'), 422, name => 'malformed JSON');
    check_error(scalar bind_email($u, "{\"email\":\"\xff\@example.com\"}"), 422, name => 'invalid UTF-8');
    is table_exists('users'), 1, 'users table still there';
    check_ok(scalar bind_email($u, form_body(email => $e, verification_code => $code, password => $u->{password}),
                               'Content-Type' => 'application/x-www-form-urlencoded'),
             'the code survived; a form-encoded body binds');
    is email_of($u), $e, 'bound';
};

# ------------------------------------------------------------------ update

scenario 'change the address' => sub {
    my $u = bound_user();
    my $code = old_email_code($u);
    my $new = unique_email();
    my ($res, $json) = update($u, { old_email_verification_code => $code, old_email => $u->{email}, new_email => $new });
    check_ok($res, 'update-email');
    is jtype($res, 'data'), 'string', 'data is a string';
    is $json->{data}, '', 'data is ""';
    is email_of($u), undef, 'the old address is no longer the proven one';
    is user_row($u->{id})->{unverified_email}, $new, 'the new address is kept unverified';
    ok defined code_used($u->{email}, 'change_email_old'), 'the code is spent';
    my @audit = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'change_email'");
    is scalar @audit, 1, 'one change_email audit row';
    is $audit[0]{detail}, "$new (unverified until bound)", 'the audit row names the new address';
    check_ok(scalar json_request(GET => '/api/me', undef, auth($u->{token})), 'the token still works');
    # the new address is proved by a bind-email
    check_ok(scalar bind_email($u, { email => $new, verification_code => bind_code($u, $new) }),
             'bind-email proves the new address');
    is email_of($u), $new, 'users.email is the new address';
    is user_row($u->{id})->{unverified_email}, undef, 'nothing unverified is left';
    # the old address is free again (past the cooldown of its bind code)
    db('UPDATE code_cooldowns SET sent_at = sent_at - 120 WHERE destination = ' . sql_quote($u->{email}));
    my $v = signed_in();
    check_ok(scalar bind_email($v, { email => $u->{email}, verification_code => bind_code($v, $u->{email}) }),
             'another user can bind the old address');
};

scenario 'change: old_email is compared without case; the new one is stored in lower case' => sub {
    my $u = bound_user();
    my $code = old_email_code($u);
    my $new = unique_email();
    check_ok(scalar update($u, { old_email_verification_code => $code, old_email => uc $u->{email}, new_email => uc $new }),
             'upper-case old and new addresses');
    is user_row($u->{id})->{unverified_email}, $new, 'stored in lower case';
};

sub update_refused {
    my ($u, $body, $name, $field, $status) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $before = user_row($u->{id});
    check_error(scalar update($u, $body), $status // 422, name => $name, $field ? (field => $field) : ());
    my $after = user_row($u->{id});
    is $after->{email}, $before->{email}, "$name: email unchanged";
    is $after->{updated_at}, $before->{updated_at}, "$name: updated_at unchanged";
    is audit_count($u->{id}, 'change_email'), 0, "$name: no change_email audit row";
}

scenario 'change: refused requests write nothing' => sub {
    my $u = bound_user();
    my $code = old_email_code($u);
    my %ok = (old_email_verification_code => $code, old_email => $u->{email}, new_email => unique_email());
    my $other = bound_user();
    update_refused($u, { %ok, old_email => unique_email() }, 'old_email is not the bound one', 'old_email');
    update_refused($u, { %ok, new_email => $u->{email} }, 'new = old', 'new_email');
    update_refused($u, { %ok, new_email => uc $u->{email} }, 'new = old in upper case', 'new_email');
    update_refused($u, { %ok, new_email => $other->{email} }, "another user's address", 'new_email');
    update_refused($u, { %ok, old_email_verification_code => wrong_code($code) }, 'wrong code', 'old_email_verification_code');
    update_refused($u, { %ok, new_email => 'not-an-address' }, 'bad new address', 'new_email');
    update_refused($u, { %ok, old_email => 'bad@' }, 'bad old address', 'old_email');
    my %wrong = (number => 1, array => ['x'], null => undef, object => {});
    for my $f (sort keys %ok) {
        my %b = %ok;
        delete $b{$f};
        update_refused($u, \%b, "$f missing", $f);
        update_refused($u, { %ok, $f => '' }, "$f empty", $f);
        update_refused($u, { %ok, $f => $wrong{$_} }, "$f as $_", $f) for sort keys %wrong;
    }
    update_refused($u, '{"old_email":', 'malformed JSON');
    is email_of($other), $other->{email}, "the other user's address is untouched";
    is code_used($u->{email}, 'change_email_old'), undef, 'the code is not spent';
    check_ok(scalar update($u, \%ok), 'the code survived all of it');
};

scenario 'change: foreign, wrong-purpose, expired and reused codes' => sub {
    my $u = bound_user();
    my $cm = code_of("$B/update-mobile/old-email-verification-code?email=" . uri_escape_utf8($u->{email}), $u);
    my %b = (old_email_verification_code => $cm, old_email => $u->{email}, new_email => unique_email());
    update_refused($u, \%b, 'an update-mobile code for the address', 'old_email_verification_code');

    my $v = bound_user();
    my $cv = old_email_code($v);
    update_refused($u, { %b, old_email_verification_code => $cv }, "another user's code", 'old_email_verification_code');

    my $code = old_email_code($u);
    db('UPDATE verification_codes SET expires_at = created_at WHERE purpose = \'change_email_old\' AND destination = ' . sql_quote($u->{email}));
    update_refused($u, { %b, old_email_verification_code => $code }, 'expired code', 'old_email_verification_code');

    my $w = bound_user();
    my $cw = old_email_code($w);
    my %bw = (old_email_verification_code => $cw, old_email => $w->{email}, new_email => unique_email());
    check_ok(scalar update($w, \%bw), 'first use');
    db('UPDATE users SET email = ' . sql_quote($w->{email}) . " WHERE id = $w->{id}");
    check_error(scalar update($w, { %bw, new_email => unique_email() }), 422, name => 'the code again (reused)',
                field => 'old_email_verification_code');
    is email_of($w), $w->{email}, 'not changed the second time';
};

scenario 'bind: the account password stands in for the old address' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my $code = bind_code($u, $e);
    for my $case (['missing', undef], ['empty', ''], ['wrong', 'Wrong-pw9'], ['as a number', 123456]) {
        my %b = (email => $e, verification_code => $code, password => $case->[1]);
        delete $b{password} unless defined $case->[1] || $case->[0] ne 'missing';
        check_error(scalar json_request(POST => "$B/bind-email", \%b, auth($u->{token})), 422,
                    name => "password $case->[0]", field => 'password');
        is email_of($u), undef, "password $case->[0]: nothing bound";
    }
    is code_used($e, 'bind_email'), undef, 'the code is not spent';
    check_ok(scalar bind_email($u, { email => $e, verification_code => $code }), 'the right password binds');
};

scenario 'change: no address bound is 404' => sub {
    my $u = signed_in();
    update_refused($u, { old_email_verification_code => '123456', old_email => unique_email(), new_email => unique_email() },
                   'no address bound', undef, 404);
};

scenario 'tokens: 401 on both, nothing written' => sub {
    my $u = bound_user();
    my $body = { old_email_verification_code => '123456', old_email => $u->{email}, new_email => unique_email() };
    check_401(scalar json_request(PATCH => "$B/update-email", $body), 'update-email without a token');
    check_401(scalar json_request(POST => "$B/bind-email", { email => unique_email(), verification_code => '123456' }),
              'bind-email without a token');
    check_401(scalar json_request(PATCH => "$B/update-email", $body, auth("$u->{token}x")), 'a tampered token');
    is email_of($u), $u->{email}, 'unchanged';
};

done_testing;
