package Devplat::Admin;
# Helpers for the admin face's tests (t/admin/*.t), on top of Devplat::Test.
#
#   use Devplat::Test;
#   use Devplat::Admin;
#   my ($res, $json) = admin(GET => 'list/user?page=2', undef, auth($token));
#   check_admin_ok($res, 'list', cmd => 'list/user');
#   check_admin_error($res, 422, name => 'bad page', field => 'page');
#
# The admin envelope is {"status": true|false, "data": ..., "message": "...",
# "cmd": "<path below /admin/api>"}: HTTP 200 on success, 4xx/5xx with
# status false on failure.
use strict;
use warnings;
use utf8;

use Exporter 'import';
use Carp qw(croak);
use Encode ();
use JSON::PP ();
use MIME::Base64 ();
use Test::More ();
use Devplat::Test;

our @EXPORT = qw(
    ADMIN admin admin_url captcha admin_login_full admin_login
    make_user make_admin make_pending set_status
    check_admin_envelope check_admin_ok check_admin_error check_admin_user
    png_info ALPHABET MSG_FORBIDDEN MSG_NO_USER
    admin_sign_up
);

use constant ADMIN         => '/admin/api';
use constant ALPHABET      => '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
use constant MSG_FORBIDDEN => '没有权限执行此操作';
use constant MSG_NO_USER   => '用户不存在';

# Chinese labels a validation message of this face uses for each field.
my %LABEL = (
    nickname     => ['用户名'],
    passwd       => ['密码'],
    repasswd     => ['确认密码'],
    name         => ['姓名'],
    phone        => ['手机号'],
    position     => ['职务'],
    email        => ['邮箱'],
    avatar       => ['头像'],
    captcha_code => ['验证码'],
    captcha_id   => ['验证码'],
    page         => ['页码'],
    per_page     => ['每页条数'],
    kind         => ['审核类型'],
    status       => ['审核状态'],
    user_id      => ['用户id'],
    decision     => ['审核结果'],
    message      => ['审核意见'],
    id           => ['用户id'],
);

sub admin_url { ADMIN . '/' . $_[0] }

# admin($method, $path_below_location, $body, %headers): json_request there.
sub admin {
    my ($method, $path, @rest) = @_;
    return json_request($method => admin_url($path), @rest);
}

# A new captcha: ($id, $code, $res, $json). The code comes from data.code
# (DevplatExposeCodes On in the test configuration).
sub captcha {
    my ($res, $json) = admin(GET => 'captcha');
    my $d = ref $json eq 'HASH' && ref $json->{data} eq 'HASH' ? $json->{data} : {};
    croak 'captcha: ' . $res->status_line . ' ' . ($res->content // '')
        unless $res->code == 200 && defined $d->{id} && defined $d->{code};
    return ($d->{id}, $d->{code}, $res, $json);
}

# POST login with a fresh captcha; returns ($res, $json).
sub admin_login_full {
    my ($nickname, $passwd, %h) = @_;
    my ($id, $code) = captcha();
    return admin(POST => 'login', { nickname => $nickname, passwd => $passwd,
                                    captcha_code => $code, captcha_id => $id }, %h);
}

# The token of a successful login (croaks otherwise).
sub admin_login {
    my ($nickname, $passwd, %h) = @_;
    my ($res, $json) = admin_login_full($nickname, $passwd, %h);
    my $t = eval { $json->{data}{token} };
    croak "admin login $nickname: " . $res->status_line . ' ' . ($res->content // '')
        unless $res->code == 200 && defined $t;
    return $t;
}

# A user of the shared store with the admin face's fields filled in:
# registered through the developer face, then given name, position and
# e-mail. Options: name, position, email, status. Returns {id, nickname,
# password, mobile, name, position, email}.
sub make_user {
    my (%o) = @_;
    my $u = register_user(%o{grep { exists $o{$_} } qw(username mobile password)});
    my $n = $u->{id};
    my %f = (
        name     => $o{name} // "姓名$n",
        position => $o{position} // "pos_$n",
        email    => $o{email} // "user$n\@example.com",
    );
    db(sprintf 'UPDATE users SET name = %s, position = %s, email = %s WHERE id = %d',
       sql_quote($f{name}), sql_quote($f{position}), sql_quote($f{email}), $n);
    set_status($n, $o{status}) if defined $o{status};
    return { %$u, %f, nickname => $u->{username} };
}

# An administrator created with devplat-admin create-admin; returns
# {id, nickname, password, token}.
sub make_admin {
    my (%o) = @_;
    my $name = $o{nickname} // unique_name();
    my $pw = $o{password} // 'Adm1n_pass';
    my ($rc, $out) = admin_tool("$pw\n", 'create-admin', $name);
    croak "create-admin $name: ($rc) $out" if $rc;
    my $id = db_value('SELECT id FROM users WHERE username = ' . sql_quote($name));
    my $a = { id => $id, nickname => $name, password => $pw };
    $a->{token} = admin_login($name, $pw) unless $o{no_login};
    return $a;
}

# A user that is "not reviewed" (status 2), as a sign-up leaves it.
sub make_pending { make_user(@_, status => 2) }

sub set_status {
    my ($id, $status) = @_;
    db("UPDATE users SET status = $status WHERE id = $id");
}

# admin_sign_up(%fields) -> ($res, $json, \%sent): PUT signUp (multipart)
# with a complete, valid form of fresh values (nickname, passwd/repasswd
# 'Pass_w0rd-1', name, phone unique_mobile(), position, a lower-case email)
# and a small PNG avatar. %fields overrides the form (undef leaves a field
# out); avatar => 0 sends no avatar part. \%sent is the form as sent. In
# scalar context: $res.
my $SIGNUP_SEQ = 0;
sub admin_sign_up {
    my (%o) = @_;
    $SIGNUP_SEQ++;
    my $n = sprintf '%d_%d', $$ % 100000, $SIGNUP_SEQ;
    my %f = (
        nickname => "as$n", passwd => 'Pass_w0rd-1', repasswd => 'Pass_w0rd-1',
        name => "注册人$SIGNUP_SEQ", phone => unique_mobile(), position => "Pos_$SIGNUP_SEQ",
        email => "as$n\@example.com",
    );
    my $avatar = exists $o{avatar} ? delete $o{avatar} : 1;
    for my $k (keys %o) {
        if (defined $o{$k}) { $f{$k} = $o{$k} } else { delete $f{$k} }
    }
    my @parts = map { [$_ => $f{$_}] } sort keys %f;
    push @parts, { name => 'avatar', filename => 'me.png', content => image_bytes('png'),
                   type => 'image/png' } if $avatar;
    my ($ct, $body) = multipart_body(@parts);
    my ($res, $json) = admin(PUT => 'signUp', $body, 'Content-Type' => $ct);
    return wantarray ? ($res, $json, \%f) : $res;
}

# ------------------------------------------------------------------ checks

sub _tb { Test::More->builder }

sub _text {
    my ($res) = @_;
    my $body = $res->content // '';
    $body = Encode::decode('UTF-8', $body, Encode::FB_DEFAULT);
    return length $body > 300 ? substr($body, 0, 300) . '...' : $body;
}

# HTTP status, JSON object with exactly status, data, message and cmd;
# status is a boolean that is true exactly for 200; cmd as given.
sub check_admin_envelope {
    my ($res, $http, $name, %o) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    $tb->is_eq($res->code, $http, "$name: HTTP $http")
        or $tb->diag('got: ' . $res->status_line . ' ' . _text($res));
    my $json = check_json($res, $name);
    $json = {} unless ref $json eq 'HASH';
    $tb->is_eq(join(',', sort keys %$json), 'cmd,data,message,status',
               "$name: keys status, data, message, cmd");
    $tb->is_eq(jtype($res, 'status'), 'boolean', "$name: status is a boolean");
    $tb->ok(($json->{status} ? 1 : 0) == ($http == 200 ? 1 : 0),
            "$name: status " . ($http == 200 ? 'true' : 'false'));
    $tb->is_eq(jtype($res, 'message'), 'string', "$name: message is a string");
    $tb->is_eq(jtype($res, 'cmd'), 'string', "$name: cmd is a string");
    $tb->is_eq($json->{cmd}, $o{cmd}, "$name: cmd $o{cmd}") if defined $o{cmd};
    return $json;
}

# check_admin_ok($res, $name, cmd => 'login', message => 'success')
sub check_admin_ok {
    my ($res, $name, %o) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_admin_envelope($res, 200, $name, %o);
    my $msg = $o{message} // 'success';
    $tb->is_eq($json->{message}, $msg, "$name: message $msg");
    return $json;
}

# check_admin_error($res, $status, name => .., cmd => .., message => 'exact' | qr//,
#                   field => 'nickname' | [alternatives])
# 422 answers carry data.errors {field: [messages]} and a message naming
# the field; other failures data null.
sub check_admin_error {
    my ($res, $http, %o) = @_;
    my $name = $o{name} // "HTTP $http";
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_admin_envelope($res, $http, $name, %o);
    my $msg = $json->{message} // '';
    $tb->ok(length $msg, "$name: message not empty");
    if (defined $o{message}) {
        if (ref $o{message}) { $tb->like($msg, $o{message}, "$name: message") }
        else                 { $tb->is_eq($msg, $o{message}, "$name: message $o{message}") }
    }
    if ($o{field}) {
        my $errors = ref $json->{data} eq 'HASH' ? $json->{data}{errors} : undef;
        $tb->ok(ref $errors eq 'HASH', "$name: data.errors is an object")
            or $tb->diag('body: ' . _text($res));
        $errors = {} unless ref $errors eq 'HASH';
        my $shape_ok = 1;
        for my $f (keys %$errors) {
            my $m = $errors->{$f};
            $shape_ok = 0 unless ref $m eq 'ARRAY' && @$m && !grep { !defined || ref || !length } @$m;
        }
        $tb->ok($shape_ok, "$name: errors.<field> are non-empty lists of messages");
        my @fields = ref $o{field} ? @{ $o{field} } : ($o{field});
        my ($hit) = grep { exists $errors->{$_} } @fields;
        $tb->ok(defined $hit, "$name: errors.$fields[0]")
            or $tb->diag('errors: ' . JSON::PP->new->canonical->encode($errors));
        if (defined $hit) {
            my @names = ($hit, @{ $LABEL{$hit} || [] });
            $tb->ok((grep { index($msg, $_) >= 0 } @names), "$name: message names the field ($hit)")
                or $tb->diag("message: $msg");
        }
    }
    elsif ($http != 422) {
        $tb->is_eq(jtype($res, 'data'), 'null', "$name: data is null");
    }
    return $json;
}

# The user object at @$path (list item or detail): every field with its
# JSON type, no password. %expect: values to compare.
sub check_admin_user {
    my ($res, $path, $name, %expect) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @p = @$path;
    $tb->is_eq(jtype($res, @p), 'object', "$name: user is an object");
    my %want = (id => 'integer', nickname => 'string', name => 'string', phone => 'string',
                email => 'string', position => 'string', avatar => 'string',
                account_status => 'string', user_level => 'integer',
                create_time => 'string', update_time => 'string');
    for my $f (sort keys %want) {
        $tb->is_eq(jtype($res, @p, $f), $want{$f}, "$name: $f is $want{$f}");
    }
    my $u = decode_body($res);
    for my $k (@p) { $u = ref $u eq 'HASH' ? $u->{$k} : ref $u eq 'ARRAY' ? $u->[$k] : undef }
    $u = {} unless ref $u eq 'HASH';
    $tb->is_eq(join(',', sort keys %$u), join(',', sort keys %want), "$name: exactly the documented fields");
    $tb->like($u->{$_} // '', DATETIME_RE, "$name: $_ is YYYY-MM-DD HH:MM:SS") for qw(create_time update_time);
    for my $f (sort keys %expect) {
        $tb->is_eq($u->{$f}, $expect{$f}, "$name: $f = $expect{$f}");
    }
    return $u;
}

# The PNG behind a data:image/png;base64 URL: (signature ok, width, height,
# bytes) read from the IHDR chunk.
sub png_info {
    my ($url) = @_;
    return (0, 0, 0, '') unless defined $url && $url =~ m{^data:image/png;base64,([A-Za-z0-9+/]+=*)$};
    my $png = MIME::Base64::decode_base64($1);
    my $sig_ok = substr($png, 0, 8) eq "\x89PNG\r\n\x1a\n" ? 1 : 0;
    my ($len, $type, $w, $h) = unpack 'N a4 N N', substr($png, 8, 16);
    $sig_ok = 0 unless ($len // 0) == 13 && ($type // '') eq 'IHDR';
    return ($sig_ok, $w // 0, $h // 0, $png);
}

1;
