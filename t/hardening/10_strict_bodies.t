# Strict request bodies on all three faces (issue 11, item 8): only
# application/json and application/<x>+json are JSON (by the media type's
# type/subtype, not a substring), a NUL in any string of a body or query
# (raw, %00 or \u0000) is a 422 naming its field in the face's envelope,
# and JSON that is not RFC 8259 (NaN, Infinity, a number out of range, raw
# control characters in strings, single quotes) is malformed.
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use JSON::PP ();
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;

client_net(110);

my $FORM = 'application/x-www-form-urlencoded';
my $MALFORMED = '请求体不是有效的JSON';

# JSON object text with the members in the order given (raw values: the
# test writes what a JSON encoder would never write).
sub jbody {
    my (@pairs) = @_;
    my @m;
    while (my ($k, $v) = splice @pairs, 0, 2) { push @m, qq("$k":$v) }
    return '{' . join(',', @m) . '}';
}
sub jstr { my ($s) = @_; return JSON::PP->new->allow_nonref->encode("$s") }

sub sessions_of { db_value("SELECT count(*) FROM sessions WHERE user_id = $_[0]") }

# Media types a face must read as JSON, and ones it must not.
my @JSON_TYPES = ('application/json', 'Application/JSON ; charset=utf-8', "\tapplication/json\t",
                  'application/json;', 'application/vnd.devplat+json', 'application/problem+JSON; q=1');
my @OTHER_TYPES = ('multipart/form-data; boundary=+json', 'text/x+json', 'application/+json',
                   'application/json+x', 'application/jsonp', 'application/json, text/plain',
                   'application/json charset=utf-8', 'json', 'application /json', '+json');

# ------------------------------------------------------------------ developer
my $dev = register_user();
sub dev_login { json_request(POST => '/api/login', @_) }
sub dev_json  { jbody(username => jstr($dev->{username}), password => jstr($dev->{password}), @_) }

scenario 'developer: application/json and application/<x>+json are JSON' => sub {
    for my $ct (@JSON_TYPES) {
        my ($res, $json) = dev_login(dev_json(), 'Content-Type' => $ct);
        check_ok($res, "Content-Type '$ct'");
        is jtype($res, qw(data token_info access_token)), 'string', "'$ct': an access token";
        is $json->{data}{user_info}{id}, $dev->{id}, "'$ct': the user";
    }
    my ($res) = dev_login(form_body(username => $dev->{username}, password => $dev->{password}),
                          'Content-Type' => 'APPLICATION/X-WWW-FORM-URLENCODED; charset=UTF-8');
    check_ok($res, 'the form media type is case-insensitive, parameters ignored');
};

scenario 'developer: other media types are 415, whatever they contain' => sub {
    my $before = sessions_of($dev->{id});
    for my $ct (@OTHER_TYPES) {
        check_error(scalar dev_login(dev_json(), 'Content-Type' => $ct), 415, name => "Content-Type '$ct'");
    }
    is sessions_of($dev->{id}), $before, 'no login went through';
};

scenario 'developer: a NUL in a form or query is a 422 naming the field' => sub {
    my $before = sessions_of($dev->{id});
    my $u = form_body(username => $dev->{username});
    my %cases = (
        '%00 in the password'     => ["$u&password=" . $dev->{password} . '%00x', 'password'],
        'a raw NUL in the password' => ["$u&password=" . $dev->{password} . "\0x", 'password'],
        'a raw NUL at the end'    => ["$u&password=" . $dev->{password} . "\0", 'password'],
        '%00 in an unread field'  => ["$u&password=$dev->{password}&note=a%00b", 'note'],
        '%00 in an array value'   => ["$u&password=$dev->{password}&tags[]=x&tags[]=%00", 'tags'],
    );
    for my $what (sort keys %cases) {
        my ($body, $field) = @{ $cases{$what} };
        my ($res, $json) = dev_login($body, 'Content-Type' => $FORM);
        check_error($res, 422, name => $what, field => $field, message => qr/NUL/);
    }
    my ($res, $json) = dev_login("a%00b=1&$u&password=$dev->{password}", 'Content-Type' => $FORM);
    check_error($res, 422, name => '%00 in a name', message => '输入的信息不符合:请求内容含有NUL字符');
    ok !exists $json->{errors}, '%00 in a name: no field to name';
    is sessions_of($dev->{id}), $before, 'none of them logged in (a raw NUL used to cut the password)';

    check_error(scalar json_request(GET => '/api/register-sms?mobile=1354855%004126'), 422,
                name => '%00 in the query string', field => 'mobile', message => qr/NUL/);
};

scenario 'developer: \u0000 anywhere in JSON is a 422' => sub {
    my $before = sessions_of($dev->{id});
    check_error(scalar dev_login(dev_json(note => '"a\u0000b"')), 422,
                name => '\u0000 in an unread field', field => 'note',
                message => '输入的信息不符合:note含有NUL字符');
    check_error(scalar dev_login(dev_json(deep => '{"x":["ok","\u0000"]}')), 422,
                name => '\u0000 nested', field => 'deep');
    my ($res, $json) = dev_login(dev_json('a\u0000b' => 1));
    check_error($res, 422, name => '\u0000 in a member name', message => qr/NUL/);
    ok !exists $json->{errors}, '\u0000 in a name: no field to name';
    is sessions_of($dev->{id}), $before, 'no login went through';
};

scenario 'developer: NaN, Infinity and raw control characters are malformed JSON' => sub {
    my $before = sessions_of($dev->{id});
    my %bad = (
        'NaN'                   => dev_json(n => 'NaN'),
        'Infinity'              => dev_json(n => 'Infinity'),
        '-Infinity'             => dev_json(n => '-Infinity'),
        'a number out of range' => dev_json(n => '1e999'),
        'a raw tab'             => dev_json(note => qq("a\tb")),
        'a raw newline'         => dev_json(note => qq("a\nb")),
        'a raw U+0001'          => dev_json(note => qq("a\x01b")),
        'a raw U+001F in a name' => dev_json(qq(a\x1Fb) => 1),
        'single quotes'         => dev_json(note => q('x')),
        'a trailing comma'      => dev_json() =~ s/}$/,}/r,
        'a leading zero'        => dev_json(n => '012'),
        '1.'                    => dev_json(n => '1.'),
    );
    for my $what (sort keys %bad) {
        check_error(scalar dev_login($bad{$what}), 422, name => $what, message => $MALFORMED);
    }
    is sessions_of($dev->{id}), $before, 'no login went through';
};

scenario 'developer: JSON that was valid stays valid' => sub {
    my %good = (
        'escaped controls'  => dev_json(note => '"a\t\n\r\b\f\u0001\u001f\/\\\\\""'),
        'numbers'           => dev_json(a => '-0', b => '0.5e-3', c => '1E+2', d => '12345678901234567890'),
        'unicode escapes'   => dev_json(note => '"\u5f20\u4e09 \ud83d\ude00"'),
        'DEL and UTF-8'     => dev_json(note => qq("\x7f深圳")),
        'nesting and null'  => dev_json(x => '{"a":[[],{},null,true,false]}'),
        'white space'       => " \r\n\t" . dev_json() . " \n",
    );
    for my $what (sort keys %good) {
        check_ok(scalar dev_login(Encode::encode('UTF-8', $good{$what})), $what);
    }
};

# ------------------------------------------------------------------ admin
client_net(111);
my $adm = make_admin(no_login => 1);
sub adm_json {
    my (@extra) = @_;
    my ($id, $code) = captcha();
    return jbody(nickname => jstr($adm->{nickname}), passwd => jstr($adm->{password}),
                 captcha_id => jstr($id), captcha_code => jstr($code), @extra);
}
sub adm_login { admin(POST => 'login', @_) }

scenario 'admin: +json is JSON, multipart "+json" is not' => sub {
    my ($res, $json) = adm_login(adm_json(), 'Content-Type' => 'application/vnd.devplat+json; charset=utf-8');
    check_admin_ok($res, 'application/vnd.devplat+json', cmd => 'login', message => '登录成功');
    is jtype($res, qw(data token)), 'string', 'a token';
    check_admin_error(scalar adm_login(adm_json(), 'Content-Type' => 'multipart/form-data; boundary=+json'), 415,
                      name => 'multipart/form-data; boundary=+json', cmd => 'login');
    check_admin_error(scalar adm_login(adm_json(), 'Content-Type' => 'application/json+x'), 415,
                      name => 'application/json+x', cmd => 'login');
};

scenario 'admin: NUL, NaN and control characters' => sub {
    my ($id, $code) = captcha();
    my $form = form_body(nickname => $adm->{nickname}, captcha_id => $id, captcha_code => $code)
             . "&passwd=$adm->{password}\0x";
    check_admin_error(scalar adm_login($form, 'Content-Type' => $FORM), 422,
                      name => 'a raw NUL in a form', cmd => 'login', field => 'passwd', message => qr/NUL/);
    check_admin_error(scalar adm_login(adm_json(note => '"\u0000"')), 422,
                      name => '\u0000 in JSON', cmd => 'login', field => 'note', message => qr/NUL/);
    check_admin_error(scalar adm_login(adm_json(n => 'NaN')), 422,
                      name => 'NaN', cmd => 'login', message => $MALFORMED);
    check_admin_error(scalar adm_login(adm_json(note => qq("a\x02b"))), 422,
                      name => 'a raw control character', cmd => 'login', message => $MALFORMED);
};

# ------------------------------------------------------------------ mobile
client_net(112);
my $mob = mregister();
sub mob_json { jbody(phone => jstr($mob->{phone}), password => jstr($mob->{password}), @_) }

scenario 'mobile: +json is JSON, multipart "+json" is not' => sub {
    my ($res, $json) = mjson(POST => 'login', mob_json(), 'Content-Type' => 'application/x-devplat+json');
    check_mok($res, 'application/x-devplat+json');
    is jtype($res, qw(data token)), 'string', 'a token';
    check_mfail(scalar mjson(POST => 'login', mob_json(), 'Content-Type' => 'multipart/form-data; boundary=+json'),
                1006, name => 'multipart/form-data; boundary=+json');
    check_mfail(scalar mjson(POST => 'login', mob_json(), 'Content-Type' => 'text/x+json'),
                1006, name => 'text/x+json');
};

scenario 'mobile: NUL, NaN and control characters answer 1006' => sub {
    my $p = form_body(phone => $mob->{phone});
    check_mfail(scalar mjson(POST => 'login', "$p&password=$mob->{password}%00", 'Content-Type' => $FORM),
                1006, name => '%00 in a form', info => '输入的信息不符合:password含有NUL字符');
    check_mfail(scalar mjson(POST => 'login', "$p&password=$mob->{password}\0x", 'Content-Type' => $FORM),
                1006, name => 'a raw NUL in a form', info => '输入的信息不符合:password含有NUL字符');
    check_mfail(scalar mjson(POST => 'login', mob_json(note => '"a\u0000"')),
                1006, name => '\u0000 in JSON', info => '输入的信息不符合:note含有NUL字符');
    check_mfail(scalar mjson(POST => 'login', mob_json(n => 'Infinity')), 1006, name => 'Infinity',
                info => $MALFORMED);
    check_mfail(scalar mjson(POST => 'login', mob_json(note => qq("a\nb"))), 1006,
                name => 'a raw newline', info => $MALFORMED);
    check_mok(scalar mjson(POST => 'login', mob_json(note => '"a\nb"')), 'an escaped newline is fine');
};

done_testing;
