# POST /api/register: what arrives on the wire (framing, encodings, types),
# SQL metacharacters, and concurrent registrations of one username.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(13);

sub register { json_request(POST => '/api/register', @_) }

sub body_for {
    my (%o) = @_;
    return { username => unique_name(), mobile => unique_mobile(), password => 'Passw0rd!',
             verification_code => '123456', %o };
}

scenario 'bodies that are not a JSON object: 422 envelope' => sub {
    my %bad = (
        'malformed JSON'    => '{"username": "abc", ',
        'trailing garbage'  => '{"username":"abc"} x',
        'JSON array'        => '["username","mobile"]',
        'JSON number'       => '42',
        'JSON string'       => '"username"',
        'JSON null'         => 'null',
        'JSON true'         => 'true',
        'empty body'        => '',
        'single quotes'     => "{'username':'abc'}",
        'escaped NUL in a value' => qq({"username":"ab\\u0000cd","mobile":"13548554126","password":"Passw0rd!","verification_code":"123456"}),
        'NUL byte'          => qq({"username":"ab\0cd","mobile":"13548554126","password":"Passw0rd!","verification_code":"123456"}),
    );
    for my $what (sort keys %bad) {
        my $res = register($bad{$what});
        check_error($res, 422, name => $what);
    }
};

scenario 'invalid UTF-8: 422 envelope' => sub {
    my $m = unique_mobile();
    for my $bytes ("ab\xC3\x28cd", "ab\xFF", "ab\xED\xA0\x80", "ab\xC0\xAF") {
        my $raw = qq({"username":"$bytes","mobile":"$m","password":"Passw0rd!","verification_code":"123456"});
        my $res = register($raw);
        check_error($res, 422, name => 'invalid UTF-8 ' . unpack('H*', $bytes));
    }
    my $res = register(form_body(mobile => $m, password => 'Passw0rd!', verification_code => '123456') . "&username=ab%C3%28cd",
                       'Content-Type' => 'application/x-www-form-urlencoded');
    check_error($res, 422, name => 'invalid UTF-8 in a form body');
};

scenario 'body over 64 KiB: 413 envelope' => sub {
    my $pad = 'x' x (65 * 1024);
    my $res = register(qq({"username":"abc","pad":"$pad"}));
    check_error($res, 413, name => '65 KiB JSON');
    $res = register('{"a":"' . ('y' x (1024 * 1024)) . '"}');
    check_error($res, 413, name => '1 MiB JSON');
};

scenario 'a body just under 64 KiB is read (and then validated)' => sub {
    my $body = body_for(username => 'x', pad => 'p' x (60 * 1024));
    my $res = register($body);
    check_error($res, 422, name => '60 KiB JSON with a bad username', field => 'username');
};

scenario 'unsupported Content-Type: 415 envelope' => sub {
    my $body = '{"username":"abc"}';
    for my $ct ('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/jsonx') {
        my $res = register($body, 'Content-Type' => $ct);
        check_error($res, 415, name => "Content-Type $ct");
    }
    my $res = register($body, 'Content-Type' => undef);
    ok $res->code == 415 || $res->code == 422, 'no Content-Type: 415 or 422 (got ' . $res->code . ')';
    check_json($res, 'no Content-Type');
    $res = register($body, 'Content-Type' => 'application/json; charset=utf-8');
    check_error($res, 422, name => 'application/json; charset=utf-8 is JSON');
    $res = register($body, 'Content-Type' => 'Application/JSON');
    check_error($res, 422, name => 'media type is case-insensitive');
};

scenario 'a chunked request body works' => sub {
    my $m = unique_mobile();
    my $code = request_code($m);
    my $name = unique_name();
    my $json = JSON::PP->new->encode({ username => $name, mobile => $m, password => 'Passw0rd!', verification_code => $code });
    my ($a, $b) = (substr($json, 0, 10), substr($json, 10));
    my $chunked = sprintf("%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", length $a, $a, length $b, $b);
    my $ip = client_ip();
    my ($res, $j) = raw_request("POST /api/register HTTP/1.1\r\nHost: HOSTPORT\r\n"
        . "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For: $ip\r\n"
        . "Connection: close\r\n\r\n$chunked");
    check_ok($res, 'chunked register');
    is $j->{data}{username}, $name, 'registered';

    my $big = 'z' x (70 * 1024);
    my $body = qq({"username":"abc","pad":"$big"});
    my $chunks = '';
    for (my $i = 0; $i < length $body; $i += 8192) {
        my $c = substr $body, $i, 8192;
        $chunks .= sprintf("%x\r\n%s\r\n", length $c, $c);
    }
    ($res) = raw_request("POST /api/register HTTP/1.1\r\nHost: HOSTPORT\r\n"
        . "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nX-Forwarded-For: $ip\r\n"
        . "Connection: close\r\n\r\n${chunks}0\r\n\r\n");
    check_error($res, 413, name => 'chunked body over 64 KiB');
};

scenario 'SQL metacharacters in every field: clean 422, tables intact' => sub {
    my $users = db_value('SELECT count(*) FROM users');
    my @payloads = (q{'; DROP TABLE users; --}, q{"}, q{\\}, q{%}, q{_}, q{' OR '1'='1}, q{a'b}, q{\\'; --}, q{%_%},
                    q{ab_%}, q{Pa'ss"w%_\\}, "ab\x{0}cd");
    for my $f (qw(username mobile password verification_code)) {
        for my $p (@payloads) {
            # no valid code is involved: every request must fail, none may crash
            my $res = register(body_for($f => $p));
            is $res->code, 422, "$f = $p: 422";
            check_json($res, "$f = $p");
        }
    }
    is table_exists('users'), 1, 'users table exists';
    is db_value('SELECT count(*) FROM users'), $users, 'users rows unchanged';
    my ($res) = json_request(GET => '/api/register-sms?mobile=' . unique_mobile());
    check_ok($res, 'the API still works');
};

scenario 'form bodies with metacharacters' => sub {
    my $res = register(form_body(username => q{'; DROP TABLE users; --}, mobile => unique_mobile(),
                                 password => 'Passw0rd!', verification_code => '123456'),
                       'Content-Type' => 'application/x-www-form-urlencoded');
    check_error($res, 422, name => 'form: SQL in username', field => 'username');
    $res = register('username=a&username=b&mobile=&&&=&%zz=1', 'Content-Type' => 'application/x-www-form-urlencoded');
    is $res->code, 422, 'form: odd encoding is a 422';
    check_json($res, 'form: odd encoding');
};

scenario 'duplicate and unknown JSON keys' => sub {
    my $m = unique_mobile();
    my $res = register(qq({"username":"x","username":"y","mobile":"$m","password":"Passw0rd!","verification_code":"123456","extra":{"deep":[1,2,{"a":null}]}}));
    is $res->code, 422, 'duplicate keys / extra keys: a 422, not a crash';
    check_json($res, 'duplicate keys');
    my $deep = ('[' x 5000) . (']' x 5000);
    $res = register(qq({"username":$deep}));
    ok $res->code == 422 || $res->code == 413, 'deeply nested JSON: 422 (got ' . $res->code . ')';
    check_json($res, 'deeply nested JSON');
};

scenario 'six parallel registrations of one username' => sub {
    my $name = unique_name();
    my @req;
    for (1 .. 6) {
        my $m = unique_mobile();
        push @req, { username => $name, mobile => $m, password => 'Passw0rd!', verification_code => request_code($m) };
    }
    my $before_users = db_value('SELECT count(*) FROM users');
    my $before_credits = db_value('SELECT count(*) FROM credit_records');
    my @out = parallel(scalar @req, sub {
        my ($res, $json) = register($req[$_[0]]);
        my $err = ref $json eq 'HASH' && ref $json->{errors} eq 'HASH'
                ? join(',', sort keys %{ $json->{errors} }) : '';
        return join "\t", $res->code, $err;
    });
    my (@codes, @errs);
    for my $o (@out) {
        my ($code, $err) = split /\t/, $o // "0\t";
        push @codes, $code =~ /^\d+$/ ? $code : 0;
        push @errs, $err // '';
    }
    is scalar(grep { $_ == 200 } @codes), 1, 'exactly one 200' or diag "codes: @codes";
    is scalar(grep { $_ == 422 } @codes), 5, 'five 422' or diag "codes: @codes";
    my @losers = grep { $codes[$_] != 200 } 0 .. $#codes;
    is scalar(grep { $errs[$_] =~ /\busername\b/ } @losers), 5, 'the five name errors.username' or diag "errors: @errs";
    is db_value('SELECT count(*) FROM users WHERE username = ' . sql_quote($name)), 1, 'one users row';
    is db_value('SELECT count(*) FROM users'), $before_users + 1, 'one new user in all';
    is db_value('SELECT count(*) FROM credit_records'), $before_credits + 1, 'one new credit record in all';
    for my $i (@losers) {
        is db_value('SELECT count(*) FROM users WHERE mobile = ' . sql_quote($req[$i]{mobile})), 0, "loser $i has no account";
    }
    # a loser's code was not spent
    if (@losers) {
        my $r = { %{ $req[$losers[0]] }, username => unique_name() };
        check_ok(scalar register($r), "a loser's code still works with another name");
    }
};

done_testing;
