# PATCH /api/user/base/update-password {old_password, new_password}
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::AccountTest;

client_net(45);
field_labels(old_password => ['旧密码'], new_password => ['新密码']);

my $P = '/api/user/base/update-password';

sub change {
    my ($token, $body, @h) = @_;
    return json_request(PATCH => $P, $body, auth($token), @h);
}
sub me { json_request(GET => '/api/me', undef, auth($_[0])) }
sub hash_of { db_value("SELECT password FROM users WHERE id = $_[0]{id}") }

scenario 'change the password: the other sessions end, this one stays' => sub {
    my $u = signed_in(password => 'Old-pass1');
    my $t2 = login($u->{username}, 'Old-pass1');
    my $t3 = login($u->{mobile}, 'Old-pass1');
    # a token rotated by refresh keeps working for a grace period: it ends too
    my $t4 = login($u->{username}, 'Old-pass1');
    my ($rr, $rj) = json_request(PUT => '/api/refresh', undef, auth($t4));
    my $t5 = $rj->{data}{token_info}{access_token};
    check_ok(scalar me($t4), 'the refreshed token is in its grace period');
    my $hash = hash_of($u);

    my ($res, $json) = change($u->{token}, { old_password => 'Old-pass1', new_password => 'New-pass2' });
    check_ok($res, 'update-password');
    is jtype($res, 'data'), 'string', 'data is a string';
    is $json->{data}, '', 'data is ""';
    isnt hash_of($u), $hash, 'the hash changed';
    like hash_of($u), qr/^\$2[aby]\$\d\d\$/, 'a bcrypt hash';
    unlike hash_of($u), qr/New-pass2/, 'not in clear';

    check_ok(scalar me($u->{token}), 'the token that made the change still works');
    check_401(scalar me($_->[1]), "$_->[0] is revoked") for ['the second login', $t2], ['the third login', $t3],
        ['the token in its refresh grace', $t4], ['the token refresh rotated to', $t5];
    my $open = db_value("SELECT count(*) FROM sessions WHERE user_id = $u->{id} AND (revoked_at IS NULL OR revoked_at > " . time() . ')');
    is $open, 1, 'one live session left';

    my ($r2) = login_full($u->{username}, 'Old-pass1');
    is $r2->code, 500, 'the old password no longer logs in';
    ok eval { login($u->{username}, 'New-pass2') }, 'the new one does';
    my @audit = db_rows("SELECT * FROM audit_log WHERE user_id = $u->{id} AND action = 'password_change'");
    is scalar @audit, 1, 'one password_change audit row';
    is $audit[0]{client_ip}, client_ip(), 'with the client address';
};

sub refused {
    my ($u, $body, $name, $field, $status) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $hash = hash_of($u);
    my $row = user_row($u->{id});
    check_error(scalar change($u->{token}, $body), $status // 422, name => $name, $field ? (field => $field) : ());
    is hash_of($u), $hash, "$name: password unchanged";
    is user_row($u->{id})->{updated_at}, $row->{updated_at}, "$name: updated_at unchanged";
    is audit_count($u->{id}, 'password_change'), 0, "$name: no password_change audit row";
}

scenario 'the old password must be right; nothing else changes' => sub {
    my $u = signed_in(password => 'Right-pw1');
    my $t2 = login($u->{username}, 'Right-pw1');
    refused($u, { old_password => 'Wrong-pw1', new_password => 'New-pass2' }, 'wrong old password', 'old_password');
    refused($u, { old_password => 'right-pw1', new_password => 'New-pass2' }, 'old password in another case', 'old_password');
    check_ok(scalar me($t2), 'the other session is untouched');
    is audit_count($u->{id}, 'password_change_failed'), 2, 'the failures are audited';
    check_ok(scalar change($u->{token}, { old_password => 'Right-pw1', new_password => 'New-pass2' }), 'then the right one');
};

scenario 'the new password follows the rule: 6-32 visible ASCII, not the old one' => sub {
    my $u = signed_in(password => 'Rule-pw1');
    for my $pw ('a' x 5, 'b' x 33, 'abc def', "abcdef\t", '密码密码密码', "abc\ndef", "abcde\x{7f}") {
        refused($u, { old_password => 'Rule-pw1', new_password => $pw }, 'new password of ' . length($pw) . ' characters', 'new_password');
    }
    refused($u, { old_password => 'Rule-pw1', new_password => 'Rule-pw1' }, 'the same password', 'new_password');
    my $pw = 'Rule-pw1';
    for my $new ('c' x 6, 'd' x 32, q{!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~}) {
        check_ok(scalar change($u->{token}, { old_password => $pw, new_password => $new }), 'new password of ' . length($new) . ' characters');
        $pw = $new;
    }
    ok eval { login($u->{username}, $pw) }, 'the last one logs in';
    is audit_count($u->{id}, 'password_change'), 3, 'three password_change audit rows';
};

scenario 'missing, empty and wrongly typed fields; bad bodies' => sub {
    my $u = signed_in(password => 'Field-pw1');
    my %ok = (old_password => 'Field-pw1', new_password => 'Field-pw2');
    my %wrong = (number => 12345678, array => ['x'], object => { a => 1 }, null => undef, true => JSON::PP::true());
    for my $f (sort keys %ok) {
        my %b = %ok;
        delete $b{$f};
        refused($u, \%b, "$f missing", $f);
        refused($u, { %ok, $f => '' }, "$f empty", $f);
        refused($u, { %ok, $f => $wrong{$_} }, "$f as $_", $f) for sort keys %wrong;
    }
    refused($u, {}, 'empty object');
    refused($u, '{"old_password":"Field-pw1",', 'malformed JSON');
    refused($u, "{\"old_password\":\"Field-pw1\",\"new_password\":\"\xff\xfe-abc\"}", 'invalid UTF-8');
    refused($u, { old_password => "' OR '1'='1", new_password => 'Field-pw2' }, 'SQL as the old password', 'old_password');
    check_ok(scalar change($u->{token}, form_body(%ok), 'Content-Type' => 'application/x-www-form-urlencoded'), 'form-encoded body');
};

scenario 'guessing the old password is throttled as a login of the account' => sub {
    my $u = signed_in(password => 'Guess-pw1');
    for my $i (1 .. 5) {
        refused($u, { old_password => "Guess-no$i", new_password => 'Guess-pw2' }, "wrong guess $i", 'old_password');
    }
    my $res = change($u->{token}, { old_password => 'Guess-pw1', new_password => 'Guess-pw2' });
    check_error($res, 429, name => 'locked: even the right password waits');
    like $res->header('Retry-After') // '', qr/^\d+$/, 'Retry-After';
    is audit_count($u->{id}, 'password_change'), 0, 'not changed';
    # one bucket per account: the guesses lock its login on every face too
    check_error(scalar login_full($u->{username}, 'Guess-pw1'), 429, name => 'login shares the lock');
    check_error(scalar login_full($u->{mobile}, 'Guess-pw1'), 429, name => 'login by mobile shares the lock');
    db('DELETE FROM login_throttle WHERE account = ' . sql_quote("#user:$u->{id}"));
    check_ok(scalar change($u->{token}, { old_password => 'Guess-pw1', new_password => 'Guess-pw2' }), 'after the lock');
};

scenario 'tokens: 401, and a revoked session cannot change the password' => sub {
    my $u = signed_in(password => 'Token-pw1');
    my $body = { old_password => 'Token-pw1', new_password => 'Token-pw2' };
    my $hash = hash_of($u);
    check_401(scalar json_request(PATCH => $P, $body), 'no token');
    check_401(scalar change('x.y.z', $body), 'malformed token');
    check_401(scalar change(jwt_forge({ sub => "$u->{id}", jti => 'd' x 32, iat => time, nbf => time, exp => time + 60 }), $body),
              'forged session');
    my $t2 = login($u->{username}, 'Token-pw1');
    check_ok(scalar change($u->{token}, $body), 'changed from the first session');
    check_401(scalar change($t2, { old_password => 'Token-pw2', new_password => 'Token-pw3' }), 'the second session was revoked');
    ok eval { login($u->{username}, 'Token-pw2') }, 'the password is the first change';
    my $v = signed_in(password => 'Other-pw1');
    refused($v, { old_password => 'Token-pw2', new_password => 'Other-pw2' }, "another user's password is not this user's", 'old_password');
    isnt hash_of($u), $hash, 'changed once';
};

done_testing;
