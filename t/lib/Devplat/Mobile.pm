package Devplat::Mobile;
# Helpers for the mobile face tests (t/mobile/*.t): requests to
# /Api/User/<action> with form or JSON bodies, and checks of the envelope
# {"data", "info", "code", "state"}.
#
#   use Devplat::Test;
#   use Devplat::Mobile;
#   my ($res, $json) = mform(POST => 'login', { phone => $m, password => $pw });
#   check_mok($res, 'login', info => '登录成功');
#   check_mfail($res, 1010, name => 'wrong password', info => '账号密码错误');
use strict;
use warnings;
use utf8;

use Exporter 'import';
use Carp qw(croak);
use Encode ();
use Test::More ();
use Devplat::Test;

our @EXPORT = qw(
    mpath mform mjson mget
    check_menvelope check_mok check_mfail
    msend_code mregister mlogin
    valid_id_card with_fault mupload
);

sub mpath { my ($action) = @_; return "/Api/User/$action" }

# mform($method, $action, \%fields | \@pairs, %headers): the body form-encoded
# (as apps send it); %headers as json_request takes them.
sub mform {
    my ($method, $action, $fields, %h) = @_;
    my @pairs = ref $fields eq 'HASH' ? (map { ($_ => $fields->{$_}) } sort keys %$fields)
              : ref $fields eq 'ARRAY' ? @$fields : ();
    my $body = form_body(@pairs);
    return json_request($method => mpath($action), $body,
                        'Content-Type' => 'application/x-www-form-urlencoded', %h);
}

# mjson($method, $action, $body, %headers): the body as JSON (a reference)
# or raw bytes.
sub mjson {
    my ($method, $action, $body, %h) = @_;
    return json_request($method => mpath($action), $body, %h);
}

# mget($action_with_query, %headers): a GET without a body.
sub mget {
    my ($action, %h) = @_;
    return json_request(GET => mpath($action), undef, %h);
}

sub _tb { Test::More->builder }

sub _text {
    my ($res) = @_;
    my $body = $res->content // '';
    $body = Encode::decode('UTF-8', $body, Encode::FB_DEFAULT);
    return length $body > 300 ? substr($body, 0, 300) . '...' : $body;
}

# HTTP 200 (unless status => N), a JSON object of exactly data, info, code
# and state, with code and state integers and info a string.
sub check_menvelope {
    my ($res, $name, %o) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $status = $o{status} // 200;
    $tb->is_eq($res->code, $status, "$name: HTTP $status")
        or $tb->diag('got: ' . $res->status_line . ' ' . _text($res));
    my $json = check_json($res, $name);
    $json = {} unless ref $json eq 'HASH';
    $tb->is_eq(join(',', sort keys %$json), 'code,data,info,state', "$name: keys data, info, code, state");
    $tb->is_eq(jtype($res, 'code'), 'integer', "$name: code is an integer");
    $tb->is_eq(jtype($res, 'state'), 'integer', "$name: state is an integer");
    $tb->is_eq(jtype($res, 'info'), 'string', "$name: info is a string");
    return $json;
}

# check_mok($res, $name, info => 'exact' | qr//): code 1000, state 1.
sub check_mok {
    my ($res, $name, %o) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_menvelope($res, $name);
    $tb->is_eq($json->{code}, 1000, "$name: code 1000")
        or $tb->diag('body: ' . _text($res));
    $tb->is_eq($json->{state}, 1, "$name: state 1");
    if (defined $o{info}) {
        if (ref $o{info}) { $tb->like($json->{info}, $o{info}, "$name: info") }
        else              { $tb->is_eq($json->{info}, $o{info}, "$name: info $o{info}") }
    }
    return $json;
}

# check_mfail($res, $code, name => .., info => 'exact' | qr//, status => 200):
# state 2, data "", the code.
sub check_mfail {
    my ($res, $code, %o) = @_;
    my $name = $o{name} // "code $code";
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_menvelope($res, $name, status => $o{status});
    $tb->is_eq($json->{code}, $code, "$name: code $code")
        or $tb->diag('body: ' . _text($res));
    $tb->is_eq($json->{state}, 2, "$name: state 2");
    $tb->is_eq(jtype($res, 'data'), 'string', "$name: data is a string");
    $tb->is_eq($json->{data}, '', "$name: data is empty");
    if (defined $o{info}) {
        if (ref $o{info}) { $tb->like($json->{info}, $o{info}, "$name: info") }
        else              { $tb->is_eq($json->{info}, $o{info}, "$name: info $o{info}") }
    }
    else {
        $tb->ok(length($json->{info} // ''), "$name: info not empty");
    }
    return $json;
}

# POST send_code for $phone and $type (register | retrieve); returns the
# code (croaks unless it came), or in list context ($code, $res, $json).
sub msend_code {
    my ($phone, $type, %h) = @_;
    my ($res, $json) = mform(POST => 'send_code', { phone => $phone, type => $type },
                             'X-Forwarded-For' => code_ip(), %h);
    my $code = (ref $json eq 'HASH' && ref $json->{data} eq 'HASH')
             ? $json->{data}{verification_code} : undef;
    croak "send_code $phone $type: " . $res->status_line . ' ' . _text($res)
        unless $res->code == 200 && ($json->{code} // 0) == 1000 && defined $code;
    return wantarray ? ($code, $res, $json) : $code;
}

# Registers through the mobile face. Options: phone, password,
# RegistrationID, uuid. Returns {phone, password, token, id, code}.
sub mregister {
    my (%o) = @_;
    my $phone = $o{phone} // unique_mobile();
    my $password = $o{password} // 'Passw0rd!';
    my $code = msend_code($phone, 'register');
    my %f = (phone => $phone, code => $code, password => $password,
             RegistrationID => $o{RegistrationID} // "1a0018970a$$",
             (defined $o{uuid} ? (uuid => $o{uuid}) : ()));
    my ($res, $json) = mform(POST => 'register', \%f);
    my $token = eval { $json->{data}{token} };
    croak "register $phone: " . $res->status_line . ' ' . _text($res)
        unless $res->code == 200 && ($json->{code} // 0) == 1000 && defined $token;
    my $id = db_value('SELECT id FROM users WHERE mobile = ' . sql_quote($phone));
    return { phone => $phone, password => $password, token => $token, id => $id, code => $code };
}

# POST login; returns the token (croaks unless code 1000).
sub mlogin {
    my ($phone, $password, %h) = @_;
    my ($res, $json) = mform(POST => 'login', { phone => $phone, password => $password }, %h);
    my $token = eval { $json->{data}{token} };
    croak "login $phone: " . $res->status_line . ' ' . _text($res)
        unless $res->code == 200 && ($json->{code} // 0) == 1000 && defined $token;
    return $token;
}

# with_fault($what, {user_id => N | mobile => M}, sub { ... }): runs the sub
# while the database refuses the statement $what names for that user (the
# triggers of t/sql/<engine>/040_mobile_faults.sql); returns what it returns.
sub with_fault {
    my ($what, $key, $code) = @_;
    my $row = sprintf '(%s, %s, %s)', sql_quote($what),
        defined $key->{user_id} ? int($key->{user_id}) : 'NULL', sql_quote($key->{mobile});
    db("INSERT INTO test_faults (what, user_id, mobile) VALUES $row");
    my @out = eval { $code->() };
    my $err = $@;
    db('DELETE FROM test_faults WHERE what = ' . sql_quote($what));
    die $err if $err;
    return wantarray ? @out : $out[0];
}

# POST upload_image/token/<t> with a real image in the multipart field
# "file"; returns data.path (croaks unless code 1000), or in list context
# ($path, $res, $json). $type: png (default), jpg, gif, bmp, webp.
sub mupload {
    my ($token, $type, %h) = @_;
    $type //= 'png';
    my ($res, $json) = upload_request(mpath("upload_image/token/$token"),
        [{ name => 'file', filename => "photo.$type", content => image_bytes($type), type => "image/$type" }], %h);
    my $path = eval { $json->{data}{path} };
    croak "upload_image: " . $res->status_line . ' ' . _text($res)
        unless $res->code == 200 && ($json->{code} // 0) == 1000 && defined $path;
    return wantarray ? ($path, $res, $json) : $path;
}

# A GB 11643 number with a right check character: area (6 digits), birth
# date YYYYMMDD, sequence (3 digits).
sub valid_id_card {
    my ($area, $birth, $seq) = @_;
    my $body = sprintf '%06d%08d%03d', $area, $birth, $seq;
    my @w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2);
    my $sum = 0;
    $sum += substr($body, $_, 1) * $w[$_] for 0 .. 16;
    return $body . substr('10X98765432', $sum % 11, 1);
}

1;
