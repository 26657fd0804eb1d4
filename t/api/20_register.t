# POST /api/register: success, field rules, codes, duplicates, DB effects.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(12);

sub register { json_request(POST => '/api/register', @_) }

sub counts {
    return {
        users   => db_value('SELECT count(*) FROM users'),
        credits => db_value('SELECT count(*) FROM credit_records'),
        audits  => db_value(q{SELECT count(*) FROM audit_log WHERE action = 'register'}),
    };
}

scenario 'register with JSON' => sub {
    my $m = unique_mobile();
    my $name = unique_name();
    my $code = request_code($m);
    my $before = counts();
    my ($res, $json) = register({ username => $name, mobile => $m, password => 'a123456.', verification_code => $code });
    check_ok($res, 'register');
    my $u = check_user($res, ['data'], 'register', username => $name, level => 1, integral => 100);

    my $id = $u->{id} // 0;
    my @users = db_rows("SELECT * FROM users WHERE id = $id");
    is scalar @users, 1, 'one users row';
    is $users[0]{username}, $name, 'users.username';
    is $users[0]{mobile}, $m, 'users.mobile';
    is $users[0]{status}, 0, 'users.status 0 (normal)';
    like $users[0]{password} // '', qr/^\$2[aby]\$\d\d\$/, 'password stored as a bcrypt hash';
    unlike $users[0]{password} // '', qr/a123456\./, 'not in clear';
    is $users[0]{created_at}, $u->{created_at}, 'created_at as stored';

    my @credits = db_rows("SELECT * FROM credit_records WHERE user_id = $id");
    is scalar @credits, 1, 'one credit_records row';
    my $amount = $credits[0]{amount} // $credits[0]{change};
    is $amount, 100, 'credit of 100';
    is $credits[0]{message}, '完成注册获取积分', 'credit message';

    my @audit = db_rows("SELECT * FROM audit_log WHERE action = 'register' AND user_id = $id");
    is scalar @audit, 1, 'one audit_log row (register)';
    is $audit[0]{client_ip}, client_ip(), 'audit row has the client IP';

    my $after = counts();
    is $after->{$_}, $before->{$_} + 1, "exactly one new $_ row" for qw(users credits audits);

    my $login = login($name, 'a123456.');
    ok $login, 'the new user can log in';
};

scenario 'register with application/x-www-form-urlencoded' => sub {
    my $m = unique_mobile();
    my $name = unique_name();
    my $code = request_code($m);
    my ($res) = register(form_body(username => $name, mobile => $m, password => 'Passw0rd!', verification_code => $code),
                         'Content-Type' => 'application/x-www-form-urlencoded');
    check_ok($res, 'register (form)');
    check_user($res, ['data'], 'register (form)', username => $name);
};

# A valid code to mutate single fields against.
my $base_m = unique_mobile();
my $base_code = eval { request_code($base_m) } // '000000';
my %base = (username => unique_name(), mobile => $base_m, password => 'Passw0rd!', verification_code => $base_code);

scenario 'missing, empty and wrongly typed fields: 422 errors.<field>' => sub {
    my $before = counts();
    my %wrong = (number => 12345678, array => ['x'], object => { a => 1 }, null => undef,
                 true => JSON::PP::true(), false => JSON::PP::false());
    for my $f (qw(username mobile password verification_code)) {
        my %b = %base;
        delete $b{$f};
        check_error(scalar register(\%b), 422, name => "$f missing", field => $f);
        check_error(scalar register({ %base, $f => '' }), 422, name => "$f empty", field => $f);
        check_error(scalar register({ %base, $f => '   ' }), 422, name => "$f blank", field => $f);
        for my $t (sort keys %wrong) {
            check_error(scalar register({ %base, $f => $wrong{$t} }), 422, name => "$f as $t", field => $f);
        }
    }
    check_error(scalar register({ %base, mobile => 0 + "$base_m" }), 422, name => 'mobile as a JSON number', field => 'mobile');
    check_error(scalar register({ %base, verification_code => 0 + "$base_code" }), 422,
                name => 'code as a JSON number', field => 'verification_code')
        if $base_code =~ /^[1-9]/;
    check_error(scalar register({}), 422, name => 'empty object');
    is_deeply counts(), $before, 'nothing was written';
};

scenario 'username rule: 2-16 of Chinese, letters, digits, _ and -' => sub {
    my $p = sprintf 'n%d', $$ % 100000;        # keep names unique per run
    my @bad = ('a', 'x' x 17, "${p} x", "${p}😀", "${p}'x", "${p}\"x", "${p}.x", "${p}@", "${p}\tx",
               '张' x 17, "${p}<b>", "${p}\x{3000}");
    for my $n (@bad) {
        check_error(scalar register({ %base, username => $n }), 422, name => "username '$n'", field => 'username');
    }
    my @good = (substr($p, 0, 1) . substr($$, -1), substr("${p}_abcdefghijklmn", 0, 16), "${p}-A_b",
                '张' . substr($$, -1), '张三李四' . substr("$p" x 3, 0, 12));
    for my $n (@good) {
        my $u = eval { register_user(username => $n) };
        ok $u, "username '$n' (" . length($n) . ' chars) accepted' or diag $@;
    }
};

scenario 'password rule: 6-32 visible ASCII' => sub {
    for my $pw ('a' x 5, 'b' x 33, 'abc def', "abcdef\t", '密码密码密码', "abcde\x{7f}", "abc\ndef") {
        check_error(scalar register({ %base, password => $pw }), 422, name => 'password ' . length($pw) . ' chars', field => 'password');
    }
    for my $pw ('c' x 6, 'd' x 32, q{!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~}) {
        my $u = eval { register_user(password => $pw) };
        ok $u, 'password of ' . length($pw) . ' chars accepted' or diag $@;
        ok eval { login($u->{username}, $pw) }, '... and logs in' if $u;
    }
};

scenario 'mobile rule: ^1[3-9]\d{9}$' => sub {
    for my $m ('12345678901', '1354855412', '135485541261', 'abcdefghijk', '23548554126', ' 13548554126', '13548554126 ') {
        check_error(scalar register({ %base, mobile => $m }), 422, name => "mobile '$m'", field => 'mobile');
    }
};

scenario 'the base code survived all the rejected requests' => sub {
    my ($res) = register(\%base);
    check_ok($res, 'validation failures did not spend the code');
};

scenario 'wrong code, code of another mobile, reused code, expired code' => sub {
    my $before = counts();
    my $m1 = unique_mobile();
    my $c1 = request_code($m1);
    my $m2 = unique_mobile();
    my $c2 = request_code($m2);

    check_error(scalar register({ username => unique_name(), mobile => $m1, password => 'Passw0rd!', verification_code => wrong_code($c1) }),
                422, name => 'wrong code', field => 'verification_code');
    if ($c1 ne $c2) {
        check_error(scalar register({ username => unique_name(), mobile => $m1, password => 'Passw0rd!', verification_code => $c2 }),
                    422, name => "another mobile's code", field => 'verification_code');
    }
    check_error(scalar register({ username => unique_name(), mobile => unique_mobile(), password => 'Passw0rd!', verification_code => $c1 }),
                422, name => 'code for a mobile that asked for none', field => 'verification_code');
    for my $c ('12345', '1234567', 'abcdef', '12345a') {
        check_error(scalar register({ username => unique_name(), mobile => $m1, password => 'Passw0rd!', verification_code => $c }),
                    422, name => "code '$c'", field => 'verification_code');
    }
    is_deeply counts(), $before, 'failed registrations wrote nothing';

    my $name1 = unique_name();
    check_ok(scalar register({ username => $name1, mobile => $m1, password => 'Passw0rd!', verification_code => $c1 }), 'right code');
    my ($res) = register({ username => unique_name(), mobile => $m1, password => 'Passw0rd!', verification_code => $c1 });
    check_error($res, 422, name => 'code reused after success', field => [qw(mobile verification_code)]);

    db('UPDATE verification_codes SET expires_at = 0 WHERE destination = ' . sql_quote($m2));
    check_error(scalar register({ username => unique_name(), mobile => $m2, password => 'Passw0rd!', verification_code => $c2 }),
                422, name => 'expired code', field => 'verification_code');
};

scenario 'five wrong codes burn it' => sub {
    my $m = unique_mobile();
    my $c = request_code($m);
    my $name = unique_name();
    for my $i (1 .. 5) {
        my ($res) = register({ username => $name, mobile => $m, password => 'Passw0rd!', verification_code => sprintf('%06d', ("$c" + $i) % 1000000) });
        is $res->code, 422, "wrong code $i: 422";
    }
    check_error(scalar register({ username => $name, mobile => $m, password => 'Passw0rd!', verification_code => $c }),
                422, name => 'right code after five wrong ones', field => 'verification_code');
    is db_value('SELECT count(*) FROM users WHERE mobile = ' . sql_quote($m)), 0, 'no user';
};

scenario 'duplicate username: 422 and the code is not spent' => sub {
    my $u = register_user();
    my $m = unique_mobile();
    my $c = request_code($m);
    my $before = counts();
    check_error(scalar register({ username => $u->{username}, mobile => $m, password => 'Passw0rd!', verification_code => $c }),
                422, name => 'duplicate username', field => 'username');
    is_deeply counts(), $before, 'nothing written';
    check_ok(scalar register({ username => unique_name(), mobile => $m, password => 'Passw0rd!', verification_code => $c }),
             'the same code works with another username');
};

scenario 'duplicate mobile: 422 errors.mobile' => sub {
    my $m = unique_mobile();
    my $c = request_code($m);
    check_ok(scalar register({ username => unique_name(), mobile => $m, password => 'Passw0rd!', verification_code => $c }), 'first');
    my $before = counts();
    check_error(scalar register({ username => unique_name(), mobile => $m, password => 'Passw0rd!', verification_code => $c }),
                422, name => 'same mobile again', field => 'mobile');
    is_deeply counts(), $before, 'nothing written';
};

scenario 'usernames are compared exactly (no LIKE, no case folding of other names)' => sub {
    my $p = sprintf 'k%d', $$ % 100000;
    my $u = eval { register_user(username => "${p}abc") };
    ok $u, "registered ${p}abc";
    my $v = eval { register_user(username => "${p}a_c") };
    ok $v, "${p}a_c is not a duplicate of ${p}abc" or diag $@;
    my $w = eval { register_user(username => "${p}a%") };
    ok !$w, "${p}a% is refused (not a valid name)";
};

done_testing;
