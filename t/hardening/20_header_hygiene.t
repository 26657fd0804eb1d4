# Issue 11, item 7: header and text hygiene. Whatever the User-Agent (a
# Latin-1 byte, 300 bytes of multibyte characters that the 255-byte
# columns cut inside a character, ill-formed sequences, a tab, empty,
# missing), a client registers and logs in on every face and every engine,
# and what is stored (sessions, audit log) is valid UTF-8: each ill-formed
# subpart one U+FFFD, controls U+FFFD, every cut on a character (httpd
# itself answers 400 to a header with any control but the tab, so the tab
# is the one a client can send). Login throttle keys (64 bytes) and audit
# details (255 bytes) are cut the same way, and a typed login name goes
# into a detail as a JSON string literal.
use strict;
use warnings;
use utf8;
use Encode ();
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;

client_net(115);

my $FFFD = "\xEF\xBF\xBD";      # bytes from here on: what goes on the wire
my $YONG = "\xE7\x94\xA8";      # 用
my $E_ACUTE = "\xC3\xA9";       # é
my $GRIN = "\xF0\x9F\x98\x80";  # U+1F600

# [name, header bytes (undef: no header), the stored bytes]
my @AGENTS = (
    ['a Latin-1 byte', "Mozilla/5.0 (caf\xE9)", "Mozilla/5.0 (caf$FFFD)"],
    ['300 bytes of 2-byte characters', $E_ACUTE x 150, $E_ACUTE x 127],
    ['301 bytes of 3-byte characters', 'a' . $YONG x 100, 'a' . $YONG x 84],
    ['300 bytes of 4-byte characters', $GRIN x 75, $GRIN x 63],
    ['ill-formed sequences', "x\xC0\xAFy\xED\xA0\x80z\xF4\x90\x80\x80",
     "x$FFFD${FFFD}y$FFFD$FFFD${FFFD}z$FFFD$FFFD$FFFD$FFFD"],
    ['300 Latin-1 bytes', "\xE9" x 300, $FFFD x 85],
    ['a truncated character at the end', "Agent $YONG" . substr($YONG, 0, 2), "Agent $YONG$FFFD"],
    ['a tab inside', "A\tB", "A${FFFD}B"],
    ['empty', '', ''],
    ['missing', undef, ''],
);

# ------------------------------------------------------------------ wire

# One request with exactly these bytes as User-Agent (LWP would add its
# own when there is none): the HTTP::Response.
sub send_as {
    my ($agent, $method, $path, $type, $content, %h) = @_;
    $content //= '';
    my $req = "$method $path HTTP/1.1\r\nHost: HOSTPORT\r\nConnection: close\r\n"
            . 'X-Forwarded-For: ' . client_ip() . "\r\n";
    $req .= "User-Agent: $agent\r\n" if defined $agent;
    $req .= "$_: $h{$_}\r\n" for sort keys %h;
    $req .= "Content-Type: $type\r\n" if defined $type;
    $req .= 'Content-Length: ' . length($content) . "\r\n\r\n" . $content;
    return scalar raw_request($req);
}

sub json_bytes { JSON::PP->new->canonical->utf8->encode($_[0]) }
sub send_json { my ($agent, $method, $path, $body, %h) = @_;
                send_as($agent, $method, $path, 'application/json', json_bytes($body), %h) }
sub send_form { my ($agent, $path, $pairs) = @_;
                send_as($agent, POST => $path, 'application/x-www-form-urlencoded', form_body(@$pairs)) }

# ------------------------------------------------------------------ database

# The stored bytes of $col of every row that $where selects, as the
# database holds them (hex, so the client cannot repair anything).
sub stored {
    my ($table, $col, $where) = @_;
    my $hex = engine() eq 'pgsql' ? "encode(convert_to($col, 'UTF8'), 'hex')" : "hex($col)";
    return map { pack 'H*', $_->{h} // '' } db_rows("SELECT $hex AS h FROM $table WHERE $where ORDER BY 1");
}

sub is_utf8_bytes {
    my ($bytes) = @_;
    return eval { Encode::decode('UTF-8', my $copy = $bytes, Encode::FB_CROAK); 1 } ? 1 : 0;
}

# Every stored value is the expected bytes (which are valid UTF-8).
sub check_stored {
    my ($name, $want, $table, $col, $where, $count) = @_;
    my @got = stored($table, $col, $where);
    is scalar @got, $count, "$name: $count $table row(s)" if defined $count;
    ok @got >= 1, "$name: a $table row";
    is scalar(grep { !is_utf8_bytes($_) } @got), 0, "$name: $table.$col is valid UTF-8";
    is scalar(grep { $_ ne $want } @got), 0, "$name: $table.$col is what the header says, repaired"
        or diag 'got: ' . join(', ', map { unpack 'H*', $_ } @got) . ' want: ' . unpack('H*', $want);
}

my $n = 0;

scenario 'developer face: register, log in, fail, use the token, whatever the User-Agent' => sub {
    for my $a (@AGENTS) {
        my ($name, $agent, $want) = @$a;
        my $mobile = unique_mobile();
        my $user = unique_name();
        my $code = request_code($mobile);
        my $res = send_json($agent, POST => '/api/register',
                            { username => $user, mobile => $mobile, password => 'Passw0rd!',
                              verification_code => $code });
        my $json = check_ok($res, "$name: register");
        my $id = eval { $json->{data}{id} } // 0;
        check_stored("$name: register", $want, 'audit_log', 'user_agent',
                     "user_id = $id AND action = 'register'", 1);

        $res = send_json($agent, POST => '/api/login', { username => $user, password => 'Passw0rd!' });
        $json = check_ok($res, "$name: login");
        is eval { $json->{data}{user_info}{id} }, $id, "$name: login: the user";
        my $token = eval { $json->{data}{token_info}{access_token} } // '';
        check_stored("$name: login", $want, 'sessions', 'user_agent', "user_id = $id", 1);
        check_stored("$name: login", $want, 'audit_log', 'user_agent',
                     "user_id = $id AND action = 'login'", 1);
        check_ok(send_as($agent, GET => '/api/me', undef, undef, Authorization => "Bearer $token"),
                 "$name: the token works");

        $res = send_json($agent, POST => '/api/login', { username => $mobile, password => 'Wrong-pass9' });
        check_error($res, 500, name => "$name: a wrong password", message => MSG_LOGIN);
        check_stored("$name: login_failed", $want, 'audit_log', 'user_agent',
                     "user_id = $id AND action = 'login_failed'", 1);
    }
};

scenario 'admin face: signUp and log in, whatever the User-Agent' => sub {
    for my $a (@AGENTS) {
        my ($name, $agent, $want) = @$a;
        $n++;
        my $nick = sprintf 'hh%d_%d', $$ % 100000, $n;
        my ($ct, $body) = multipart_body(
            [nickname => $nick], [passwd => 'Pass_w0rd-1'], [repasswd => 'Pass_w0rd-1'],
            [name => Encode::encode('UTF-8', "注册人$n")], [phone => unique_mobile()],
            [position => "Pos_$n"], [email => "$nick\@example.com"],
            { name => 'avatar', filename => 'me.png', content => image_bytes('png'), type => 'image/png' });
        my $res = send_as($agent, PUT => admin_url('signUp'), $ct, $body);
        my $json = check_admin_ok($res, "$name: signUp", cmd => 'signUp', message => '注册成功');
        my $id = eval { $json->{data}{id} } // 0;
        check_stored("$name: signUp", $want, 'audit_log', 'user_agent',
                     "user_id = $id AND action = 'register'", 1);

        my ($cid, $code) = captcha();
        $res = send_json($agent, POST => admin_url('login'),
                         { nickname => $nick, passwd => 'Pass_w0rd-1', captcha_id => $cid,
                           captcha_code => $code });
        $json = check_admin_ok($res, "$name: login", cmd => 'login', message => '登录成功');
        is eval { $json->{data}{id} }, $id, "$name: login: the user";
        check_stored("$name: admin login", $want, 'sessions', 'user_agent', "user_id = $id", 1);
        check_stored("$name: admin login", $want, 'audit_log', 'user_agent',
                     "user_id = $id AND action = 'login'", 1);
    }
};

scenario 'mobile face: register and log in, whatever the User-Agent' => sub {
    for my $a (@AGENTS) {
        my ($name, $agent, $want) = @$a;
        my $phone = unique_mobile();
        my $code = msend_code($phone, 'register');
        my $res = send_form($agent, mpath('register'),
                            [phone => $phone, code => $code, password => 'Passw0rd!',
                             RegistrationID => "1a0018970a$$"]);
        check_mok($res, "$name: register", info => '注册成功');
        my $id = db_value('SELECT id FROM users WHERE mobile = ' . sql_quote($phone)) // 0;
        check_stored("$name: mobile register", $want, 'audit_log', 'user_agent',
                     "user_id = $id AND action = 'register'", 1);
        check_stored("$name: mobile register", $want, 'sessions', 'user_agent', "user_id = $id", 1);

        $res = send_form($agent, mpath('login'), [phone => $phone, password => 'Passw0rd!']);
        check_mok($res, "$name: login", info => '登录成功');
        check_stored("$name: mobile login", $want, 'sessions', 'user_agent', "user_id = $id", 2);
        check_stored("$name: mobile login", $want, 'audit_log', 'user_agent',
                     "user_id = $id AND action = 'login'", 1);
    }
};

scenario 'login throttle keys: valid UTF-8 of at most 64 bytes, cut on a character' => sub {
    my @names = (
        ['3-byte characters', $YONG x 30, $YONG x 21],
        ['2-byte characters after one ASCII', 'a' . $E_ACUTE x 40, 'a' . $E_ACUTE x 31],
        ['4-byte characters', $GRIN x 20, $GRIN x 16],
    );
    for my $c (@names) {
        my ($name, $typed, $want) = @$c;
        my $ip = client_ip();
        # compared as hex: the mariadb client cannot send 4-byte characters
        my $hex = engine() eq 'pgsql' ? "encode(convert_to(account, 'UTF8'), 'hex')" : 'hex(account)';
        my $where = "client_ip = '$ip' AND lower($hex) = '" . unpack('H*', $want) . "'";
        for my $round (1, 2) {
            my $res = send_json('t', POST => '/api/login',
                                { username => Encode::decode('UTF-8', $typed), password => 'Wrong-pass9' });
            check_error($res, 500, name => "$name: attempt $round", message => MSG_LOGIN);
        }
        check_stored("$name: key", $want, 'login_throttle', 'account', $where, 1);
        is db_value("SELECT failures FROM login_throttle WHERE $where"), 2,
            "$name: both attempts counted on the one cut key";
        is db_value("SELECT count(*) FROM login_throttle WHERE client_ip = '$ip' AND length($hex) > 128"), 0,
            "$name: no key of this client longer than 64 bytes";
    }
};

# The detail of the newest login_failed row of this client.
sub last_failed_detail {
    my ($ip) = @_;
    my @rows = db_rows("SELECT id FROM audit_log WHERE action = 'login_failed' AND client_ip = '$ip' "
                       . 'ORDER BY id DESC');
    return undef unless @rows;
    my ($bytes) = stored('audit_log', 'detail', "id = $rows[0]{id}");
    return $bytes;
}

scenario 'typed login names in audit details: a JSON string literal of at most 255 bytes' => sub {
    my @names = (
        ['a plain name', 'nobody_here', '"nobody_here"'],
        ['a fixed word of the module', 'frozen', '"frozen"'],
        ['quotes and backslashes', 'x"y\\z', '"x\\"y\\\\z"'],
        ['controls', "a\nb\tc\x01d", '"a\\nb\\tc\\u0001d"'],
        ['a forged second entry', "x\nlogin_failed 1.2.3.4 \"root\"", '"x\\nlogin_failed 1.2.3.4 \\"root\\""'],
        ['Chinese', '用户名', '"' . Encode::encode('UTF-8', '用户名') . '"'],
        ['300 bytes of 3-byte characters', '用' x 100, '"' . $YONG x 84 . '"'],
        ['300 quotes', '"' x 300, '"' . '\\"' x 126 . '"'],
    );
    for my $c (@names) {
        my ($name, $typed, $want) = @$c;
        my $ip = client_ip();
        check_error(send_json('t', POST => '/api/login', { username => $typed, password => 'Wrong-pass9' }),
                    500, name => "$name: login", message => MSG_LOGIN);
        my $got = last_failed_detail($ip) // '';
        is $got, $want, "$name: detail $want";
        ok is_utf8_bytes($got) && length $got <= 255, "$name: valid UTF-8, at most 255 bytes";
    }

    # a known account: the typed identifier, quoted, with its id; a frozen
    # one's right password: the module's own bare word
    my $u = register_user();
    my $ip = client_ip();
    check_error(send_json('t', POST => '/api/login', { username => $u->{mobile}, password => 'Wrong-pass9' }),
                500, name => 'a known account, wrong password', message => MSG_LOGIN);
    is last_failed_detail($ip), qq{"$u->{mobile}"}, 'known account: the typed mobile, quoted';
    db("UPDATE users SET status = 1 WHERE id = $u->{id}");
    check_error(send_json('t', POST => '/api/login', { username => $u->{username}, password => $u->{password} }),
                500, name => 'a frozen account', message => '账号已被冻结');
    is last_failed_detail($ip), 'frozen', 'frozen: the bare word, which no typed name can be';
};

done_testing;
