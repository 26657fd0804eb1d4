# Issue 11, item 10: internationalised e-mail addresses (RFC 6531: a UTF-8
# local part, as Chinese providers hand out) are accepted by one rule on
# every face that takes an address: the developer face (bind-email and its
# code, update-email and its old-address code, login), the admin face
# (signUp, user edit, login); the mobile face takes only a phone. Stored
# with ASCII letters lowered and every other character as typed, so
# "unique ignoring case" means ignoring ASCII case, on every face and
# engine. Limits are bytes: 64 for the local part, 254 for the address.
# The domain stays ASCII (an internationalised one as its xn-- A-labels).
use strict;
use warnings;
use utf8;
use Encode ();
use URI::Escape qw(uri_escape_utf8);
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(116);
field_labels(email => ['邮箱'], new_email => ['新邮箱']);

my $admin = make_admin();
my $B = '/api/user/base';
my $SEQ = 0;

sub ascii_uc { my ($s) = @_; return $s =~ tr/a-z/A-Z/r }
sub ascii_lc { my ($s) = @_; return $s =~ tr/A-Z/a-z/r }
sub bytes_of { length Encode::encode('UTF-8', $_[0]) }

# A fresh address with this local part prefix and domain (characters).
sub intl {
    my ($local, $domain) = @_;
    $SEQ++;
    my $e = "$local$$" . "x$SEQ\@" . ($domain // 'example.com');
    utf8::upgrade($e);      # characters, sent as UTF-8 in every body
    return $e;
}

sub urow { user_row($_[0] // 0) || {} }
sub put_user { my ($id, $body) = @_; admin(PUT => "user/$id", $body, auth($admin->{token})) }
sub holders { db_value('SELECT count(*) FROM users WHERE email = ' . sql_quote($_[0])) }

# The stored bytes of users.$col of one user, hex-read so that the client
# cannot repair them.
sub stored_bytes {
    my ($id, $col) = @_;
    my $hex = engine() eq 'pgsql' ? "encode(convert_to($col, 'UTF8'), 'hex')" : "hex($col)";
    my $h = db_value("SELECT $hex FROM users WHERE id = $id");
    return defined $h ? pack('H*', $h) : undef;
}

# The bytes of the detail of the user's audit row of $action.
sub audit_detail {
    my ($id, $action) = @_;
    my $hex = engine() eq 'pgsql' ? "encode(convert_to(detail, 'UTF8'), 'hex')" : 'hex(detail)';
    my $h = db_value("SELECT $hex FROM audit_log WHERE user_id = $id AND action = " . sql_quote($action));
    return defined $h ? pack('H*', $h) : undef;
}


# A developer-face user who proved $e (bind-email).
sub owner_of {
    my ($e) = @_;
    my $u = signed_in();
    my ($r, undef, $code) = bind_code_res($u, $e);
    die "bind code $e: " . $r->status_line . ' ' . ($r->content // '') . "\n" unless defined $code;
    my ($res) = bind_email($u, $e, $code);
    die "bind $e: " . $res->status_line . ' ' . ($res->content // '') . "\n" unless $res->code == 200;
    $u->{email} = ascii_lc($e);
    return $u;
}

scenario 'developer face: an internationalised address is proved by bind-email' => sub {
    for my $e (intl('用户'), intl('pelé', 'example.cn'), intl('Δοκιμή', 'Example.GR'),
               intl('测试', 'xn--fsqu00a.xn--fiqs8s'), intl('😀')) {
        my $stored = ascii_lc($e);
        my $u = signed_in();
        my ($res, $json, $code) = bind_code_res($u, $e);
        check_ok($res, "a bind code for $e");
        like $code // '', qr/^\d{6}$/, "$e: a code";
        is scalar(grep { ($_->{purpose} // '') eq 'bind_email' } notify_for($stored)), 1,
            "$e: sent to $stored";
        ($res, $json) = bind_email($u, $e, $code // '000000');
        check_ok($res, "bind $e");
        # hex-read: the mariadb client cannot carry 4-byte characters
        is stored_bytes($u->{id}, 'email'), Encode::encode('UTF-8', $stored), "$e: stored as $stored";
        ($res, $json) = json_request(GET => $B, undef, auth($u->{token}));
        check_ok($res, "$e: base info");
        is eval { $json->{data}{email} }, $stored, "$e: base info shows it";
        is audit_detail($u->{id}, 'bind_email'), Encode::encode('UTF-8', $stored), "$e: audited";
    }
};

scenario 'login by an internationalised address: developer and admin faces, any ASCII case' => sub {
    for my $e (intl('用户'), intl('pelé', 'example.cn')) {
        my $owner = owner_of($e);
        for my $s ($e, ascii_uc($e), ucfirst($e) =~ s/\@(.*)/'@' . ascii_uc($1)/er) {
            my ($res, $json) = login_full($s, $owner->{password});
            check_ok($res, "developer login as $s");
            is eval { $json->{data}{user_info}{id} }, $owner->{id}, "$s: the owner";
            ($res, $json) = admin_login_full($s, $owner->{password});
            check_admin_ok($res, "admin login as $s", cmd => 'login', message => '登录成功');
            is eval { $json->{data}{id} }, $owner->{id}, "admin $s: the owner";
        }
        check_error(scalar login_full($e, 'Wrong-pass9'), 500, name => "$e: a wrong password",
                    message => MSG_LOGIN);
        check_mfail(scalar mform(POST => 'login', { phone => $e, password => $owner->{password} }), 1006,
                    name => "$e: the mobile face takes only a phone",
                    info => '账号密码格式不正确:手机号格式不正确');
    }
    # a non-ASCII letter in another case is another address
    my $owner = owner_of(intl('pelé', 'example.cn'));
    check_error(scalar login_full($owner->{email} =~ s/é/É/r, $owner->{password}), 500,
                name => 'pelÉ is not pelé', message => MSG_LOGIN);
};

scenario 'admin face: signUp and user edit take internationalised addresses' => sub {
    my $e = intl('Pelé', 'Example.CN');
    my ($res, $json) = admin_sign_up(email => $e);
    check_admin_ok($res, "signUp with $e", cmd => 'signUp', message => '注册成功');
    my $id = eval { $json->{data}{id} } // 0;
    is urow($id)->{unverified_email}, ascii_lc($e), 'signUp: stored unverified, ASCII lowered';
    is stored_bytes($id, 'unverified_email'), Encode::encode('UTF-8', ascii_lc($e)), 'signUp: the very bytes';
    ($res, $json) = admin(GET => "user/$id", undef, auth($admin->{token}));
    is $res->code, 200, 'the detail: 200';
    is eval { $json->{data}{email} }, ascii_lc($e), 'the detail shows it';

    my $u = make_user();
    my $e2 = intl('用户', 'EXAMPLE.com');
    check_admin_ok(scalar put_user($u->{id}, { email => $e2 }), "an administrator sets $e2");
    is urow($u->{id})->{unverified_email}, ascii_lc($e2), 'update: stored unverified, ASCII lowered';
    is urow($u->{id})->{email}, undef, 'update: no proven address';
};

scenario 'one rule on every face: what is refused' => sub {
    my @bad = (
        ['a Chinese domain (a U-label)', intl('用户', '例子.cn')],
        ['a Chinese top-level domain', intl('用户', 'example.中国')],
        ['an ideographic space', intl("用\x{3000}户")],
        ['a no-break space', intl("a\x{A0}b")],
        ['a zero width space', intl("a\x{200B}b")],
        ['a right-to-left override', intl("a\x{202E}b")],
        ['a C1 control', intl("a\x{85}b")],
        ['U+FFFD', intl("a\x{FFFD}b")],
        ['a local part of 66 bytes', '用' x 22 . '@example.com'],
        ['a double dot', intl('用户..')],
        ['a top-level label with a digit', intl('用户', 'example.c0m')],
    );
    my $u = signed_in();
    my $other = make_user();
    for my $c (@bad) {
        my ($name, $e) = @$c;
        check_error(scalar bind_code_res($u, $e), 422, name => "developer bind code: $name", field => 'email');
        check_error(scalar bind_email($u, $e, '123456'), 422, name => "developer bind: $name", field => 'email');
        check_admin_error(scalar admin_sign_up(email => $e), 422, name => "admin signUp: $name",
                          cmd => 'signUp', field => 'email', message => '邮箱格式不正确');
        check_admin_error(scalar put_user($other->{id}, { email => $e }), 422, name => "admin edit: $name",
                          field => 'email', message => '邮箱格式不正确');
    }
    is urow($u->{id})->{email}, undef, 'nothing bound';
    is_deeply [@{ urow($other->{id}) }{qw(email unverified_email)}], [$other->{email}, undef],
        'nothing recorded';
};

scenario 'limits in bytes: a local part of 64, an address of 254' => sub {
    my $u = signed_in();
    my $local64 = '用' x 21 . 'a';
    is bytes_of($local64), 64, 'a local part of 64 bytes (22 characters)';
    $SEQ++;
    my $e = "$local64\@u$$" . "x$SEQ.example.com";
    my ($res, undef, $code) = bind_code_res($u, $e);
    check_ok($res, 'a 64-byte local part');
    check_ok(scalar bind_email($u, $e, $code // '000000'), 'bound');
    is urow($u->{id})->{email}, $e, 'stored';

    # 63 + 1 + 190 bytes: 212 characters
    $SEQ++;
    my $label = sprintf('u%dx%d', $$, $SEQ);
    $label .= 'd' x (63 - length $label);
    my $long = '用' x 21 . "\@$label." . 'e' x 63 . '.' . 'f' x 58 . '.com';
    is bytes_of($long), 254, 'an address of 254 bytes';
    ($res, my $json) = admin_sign_up(email => $long);
    check_admin_ok($res, 'signUp with 254 bytes', cmd => 'signUp', message => '注册成功');
    is urow(eval { $json->{data}{id} } // 0)->{unverified_email}, $long, 'stored whole';
    check_admin_error(scalar admin_sign_up(email => "a$long"), 422, name => 'signUp with 255 bytes',
                      cmd => 'signUp', field => 'email', message => '邮箱不能超过254个字符');
    check_error(scalar bind_code_res(signed_in(), "a$long"), 422, name => 'bind code with 255 bytes',
                field => 'email');

    # update-email: the new address goes into the audit detail with a
    # suffix; the 255-byte column cuts it on a character
    ($res, undef, $code) = code_get("$B/update-email/old-email-verification-code?email="
                                    . uri_escape_utf8($e), $u->{token});
    check_ok($res, 'an old-address code');
    my $new = '用' x 21 . "\@$label." . 'g' x 63 . '.' . 'f' x 58 . '.com';
    is bytes_of($new), 254, 'a new address of 254 bytes';
    ($res) = json_request(PATCH => "$B/update-email",
                          { old_email_verification_code => $code // '000000', old_email => $e,
                            new_email => $new }, auth($u->{token}));
    check_ok($res, 'update-email to it');
    is urow($u->{id})->{unverified_email}, $new, 'recorded unverified';
    my $detail = audit_detail($u->{id}, 'change_email') // '';
    my $full = Encode::encode('UTF-8', "$new (unverified until bound)");
    ok length $detail <= 255, 'the detail fits 255 bytes';
    is $detail, substr($full, 0, 255), 'the detail is the text cut at 255 (an ASCII boundary here)';
    ok eval { Encode::decode('UTF-8', my $c = $detail, Encode::FB_CROAK); 1 }, 'valid UTF-8';
};

scenario 'unique ignoring ASCII case, across faces' => sub {
    my $owner = owner_of(intl('用户', 'Example.com'));
    my $spelled = ascii_uc($owner->{email});
    my $v = signed_in();
    check_error(scalar bind_email($v, $spelled, '123456'), 422, name => "developer bind of $spelled",
                field => 'email', message => qr/邮箱已被其他账号使用/);
    check_error(scalar bind_code_res($v, $spelled), 422, name => "a bind code for $spelled", field => 'email');
    check_admin_error(scalar admin_sign_up(email => $spelled), 422, name => "signUp with $spelled",
                      cmd => 'signUp', field => 'email', message => '邮箱已被使用');
    my $u = make_user();
    check_admin_error(scalar put_user($u->{id}, { email => $spelled }), 422, name => "edit to $spelled",
                      field => 'email', message => '邮箱已被使用');
    my $ok = eval {
        db('INSERT INTO users (username, email, password, created_at, updated_at) VALUES ('
           . sql_quote(unique_name()) . ', ' . sql_quote($owner->{email})
           . q{, 'x', '2026-01-01 00:00:00', '2026-01-01 00:00:00')});
        1;
    };
    ok !$ok, 'the unique index refuses a second row with the stored spelling';
    is holders($owner->{email}), 1, 'one holder';

    # no Unicode case folding: É and é are two addresses, on every face
    my $pele = owner_of(intl('pelé', 'example.cn'));
    my $other = $pele->{email} =~ s/é/É/r;
    my $w = signed_in();
    my ($res, undef, $code) = bind_code_res($w, $other);
    check_ok($res, "a bind code for $other");
    check_ok(scalar bind_email($w, $other, $code // '000000'), "$other is bound by another account");
    is holders($other), 1, "$other: its own holder";
    is holders($pele->{email}), 1, "$pele->{email}: still one holder";
};

scenario 'unverified on the admin face, proved on the developer face in another ASCII case' => sub {
    my $e = intl('张三', 'example.com');
    my ($res, $json) = admin_sign_up(email => $e);
    check_admin_ok($res, 'signUp records it unverified', message => '注册成功');
    my $sid = eval { $json->{data}{id} } // 0;
    my $v = signed_in();
    my $spelled = ascii_uc($e);
    my ($cres, undef, $code) = bind_code_res($v, $spelled);
    check_ok($cres, "a bind code for $spelled");
    check_ok(scalar bind_email($v, $spelled, $code // '000000'), "bound as $spelled");
    is urow($v->{id})->{email}, $e, 'stored as the signUp stored it';
    is urow($sid)->{unverified_email}, undef, "the admin-face account's copy is cleared";
};

scenario 'N accounts bind one internationalised address at once, each in its own ASCII spelling' => sub {
    my $e = intl('李四', 'mail.example.com');
    my @spell = ($e, ascii_uc($e), $e =~ s/mail/MAIL/r, $e =~ s/example/Example/r, $e =~ s/com$/COM/r);
    my @got = bind_at_once($e, @spell);
    is scalar(grep { defined && $_ eq '200' } @got), 1, 'exactly one 200' or diag "@got";
    is scalar(grep { defined && $_ eq '422' } @got), $#spell, 'the others 422' or diag "@got";
    is holders($e), 1, 'one account holds the address';
};

done_testing;
