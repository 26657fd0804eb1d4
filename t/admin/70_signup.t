# PUT signUp: multipart/form-data with the avatar (png, jpg/jpeg, bmp by
# their bytes, at most 30720 bytes) and 001's fields; the account starts
# "not reviewed"; nothing is half-written when anything is refused.
use strict;
use warnings;
use utf8;
use Test::More;
use Digest::SHA qw(sha256_hex);
use File::Temp ();
use Devplat::Test;
use Devplat::Admin;

client_net(57);

my $SEQ = 0;

# A complete, valid form; %o overrides fields (undef removes one).
sub fields {
    my (%o) = @_;
    $SEQ++;
    my $n = sprintf '%d%03d', $$ % 100000, $SEQ;
    my %f = (
        nickname => "su$n", passwd => 'Pass_w0rd-1', repasswd => 'Pass_w0rd-1',
        name => "注册人$SEQ", phone => unique_mobile(), position => "Engineer_$SEQ",
        email => "su$n\@example.com",
    );
    for my $k (keys %o) {
        if (defined $o{$k}) { $f{$k} = $o{$k} } else { delete $f{$k} }
    }
    return \%f;
}

sub avatar_part {
    my ($type, %o) = @_;
    return { name => 'avatar', filename => $o{filename} // "me.$type",
             content => $o{content} // image_bytes($type), type => $o{ctype} // "image/$type" };
}

# PUT signUp with the fields and parts (an avatar part unless avatar => undef).
sub sign_up {
    my ($f, @files) = @_;
    my @parts = ((map { [$_ => $f->{$_}] } sort keys %$f), @files);
    my ($ct, $body) = multipart_body(@parts);
    return admin(PUT => 'signUp', $body, 'Content-Type' => $ct);
}

sub state {
    return {
        users => db_value('SELECT count(*) FROM users'),
        files => db_value('SELECT count(*) FROM files'),
        disk  => join(',', storage_files()),
        audit => db_value(q{SELECT count(*) FROM audit_log WHERE action = 'register'}),
    };
}

scenario 'sign up with a PNG avatar' => sub {
    my $f = fields();
    my $png = png_of_size(2000);
    my $before = state();
    my ($res, $json) = sign_up($f, avatar_part('png', content => $png));
    check_admin_ok($res, 'signUp', cmd => 'signUp', message => '注册成功');
    my $u = check_admin_user($res, ['data'], 'the new user', nickname => $f->{nickname}, name => $f->{name},
                             phone => $f->{phone}, email => $f->{email}, position => $f->{position},
                             account_status => '未审核', user_level => 0);
    like $u->{avatar} // '', qr{^/storage/avatar/[0-9a-f]{32}\.png$}, 'avatar: its URL below DevplatStorageURL';
    my $got = http_get($u->{avatar} // '/nope');
    is $got->code, 200, 'httpd serves the avatar';
    is sha256_hex($got->content), sha256_hex($png), '... byte for byte';
    is $got->header('Content-Type'), 'image/png', '... as image/png';

    my ($row) = db_rows("SELECT * FROM users WHERE id = $u->{id}");
    is $row->{username}, $f->{nickname}, 'users.username is the nickname';
    # nobody proved the phone or the e-mail here: kept unverified
    is $row->{unverified_mobile}, $f->{phone}, 'users.unverified_mobile is the phone';
    is $row->{mobile}, undef, 'no proven mobile';
    is $row->{unverified_email}, $f->{email}, 'users.unverified_email is the e-mail';
    is $row->{email}, undef, 'no proven e-mail';
    is $row->{status}, 2, 'users.status 2: not reviewed';
    is $row->{is_admin}, 0, 'not an administrator';
    is $row->{avatar}, $u->{avatar}, 'users.avatar holds the URL';
    like $row->{password}, qr/^\$2[aby]\$\d\d\$/, 'a bcrypt hash';
    my ($file) = db_rows("SELECT * FROM files WHERE user_id = $u->{id}");
    is $file->{kind}, 'avatar', 'a files row of kind avatar';
    is $file->{size}, length $png, 'its size';
    is $file->{mime_type}, 'image/png', 'its type';
    is db_value("SELECT count(*) FROM audit_log WHERE user_id = $u->{id} AND action = 'register' AND detail = 'admin'"), 1,
        'audited';
    my $after = state();
    is $after->{users}, $before->{users} + 1, 'one user more';
    is $after->{files}, $before->{files} + 1, 'one file more';
    is_deeply [storage_leftovers()], [], 'no temporary file left';

    my ($r2, $j2) = admin_login_full($f->{nickname}, $f->{passwd});
    check_admin_ok($r2, 'the new user logs in', message => '登录成功');
    is $j2->{data}{account_status}, 0, 'account_status 0 (not reviewed)';
    is $j2->{data}{user_level}, 0, 'user_level 0';
    my $admin = make_admin();
    check_admin_ok(scalar admin(PUT => "audit/user/$u->{id}", undef, auth($admin->{token})), 'an administrator audits it', cmd => 'audit/user');
    my (undef, $j3) = admin_login_full($f->{nickname}, $f->{passwd});
    is $j3->{data}{account_status}, 1, 'now account_status 1';
};

scenario 'JPEG (.jpg and .jpeg) and BMP avatars; the type comes from the bytes' => sub {
    for my $c (['jpg', 'me.jpg', qr/\.jpg$/], ['jpg', 'me.jpeg', qr/\.jpg$/], ['bmp', 'me.bmp', qr/\.bmp$/],
               ['jpg', 'actually-a-jpeg.png', qr/\.jpg$/], ['png', 'noext', qr/\.png$/]) {
        my ($type, $fn, $re) = @$c;
        my ($res, $json) = sign_up(fields(), avatar_part($type, filename => $fn, ctype => 'application/octet-stream'));
        check_admin_ok($res, "a $type avatar named $fn", cmd => 'signUp', message => '注册成功');
        like $json->{data}{avatar} // '', $re, "stored with the extension of its bytes";
    }
};

scenario 'curl -F, as a browser form sends it' => sub {
    my $f = fields();
    my $dir = File::Temp->newdir;
    my $path = "$dir/avatar.png";
    open my $fh, '>:raw', $path or die $!;
    print $fh image_bytes('png');
    close $fh;
    my ($res, $json) = curl_request(PUT => admin_url('signUp'),
                                    [(map { ('-F', "$_=$f->{$_}") } sort keys %$f), '-F', "avatar=\@$path;type=image/png"]);
    check_admin_ok($res, 'signUp with curl -F', cmd => 'signUp', message => '注册成功');
    is $json->{data}{nickname}, $f->{nickname}, 'the nickname came through';
    is $json->{data}{name}, $f->{name}, 'the Chinese name came through';
};

scenario 'avatar size: 30720 bytes pass, 30721 do not' => sub {
    my ($res, $json) = sign_up(fields(), avatar_part('png', content => png_of_size(30720)));
    check_admin_ok($res, 'an avatar of 30720 bytes', message => '注册成功');
    is db_value("SELECT size FROM files WHERE user_id = " . ($json->{data}{id} // 0)), 30720, 'stored whole';
    my $before = state();
    ($res) = sign_up(fields(), avatar_part('png', content => png_of_size(30721)));
    check_admin_error($res, 422, name => 'an avatar of 30721 bytes', cmd => 'signUp', field => 'avatar');
    ($res) = sign_up(fields(), avatar_part('png', content => png_of_size(200000)));
    check_admin_error($res, 422, name => 'an avatar of 200000 bytes', field => 'avatar');
    is_deeply state(), $before, 'nothing written, nothing left on disk';
};

scenario 'avatar refused: GIF, WebP, text, SVG, empty, missing, twice, as a text field' => sub {
    my $before = state();
    my @bad = (
        ['a GIF', avatar_part('gif')],
        ['a GIF named .png', avatar_part('gif', filename => 'me.png', ctype => 'image/png')],
        ['a WebP', avatar_part('webp')],
        ['a text file', { name => 'avatar', filename => 'me.png', content => "just text\n", type => 'image/png' }],
        ['an SVG', { name => 'avatar', filename => 'me.svg', type => 'image/svg+xml',
                     content => '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' }],
        ['an empty file', { name => 'avatar', filename => 'me.png', content => '', type => 'image/png' }],
        ['a PNG signature only', { name => 'avatar', filename => 'me.png', content => "\x89PNG\r\n\x1a\n", type => 'image/png' }],
        ['two avatars', avatar_part('png'), avatar_part('png')],
        ['the avatar as a text field', ['avatar', 'iVBORw0KGgo=']],
        ['no avatar'],
    );
    for my $c (@bad) {
        my ($what, @files) = @$c;
        my ($res) = sign_up(fields(), @files);
        check_admin_error($res, 422, name => $what, cmd => 'signUp', field => 'avatar');
    }
    my ($res) = sign_up(fields(), avatar_part('png'), { name => 'other', filename => 'x.png', content => image_bytes('png'), type => 'image/png' });
    check_admin_error($res, 422, name => 'a file in another field', field => 'other');
    is_deeply state(), $before, 'nothing written, nothing left on disk';
};

# field => [[bad], [good]]
my $p = $$ % 10000;
my %rules = (
    nickname => [['a', 'x' x 17, "\x{5f20}" x 17, 'ab c', 'ab.c', "ab'c", 'a@b', "ab\x{1F600}"],
                 [chr(0x4E00 + $$ % 20000) . 's', substr("sn${p}_" . 'q' x 16, 0, 16), "\x{674e}" x 15 . 's']],
    name     => [['a', 'x' x 17, "\x{674e}" x 17, 'a b', "a'b"],
                 ['ab', 'y' x 16, "\x{674e}" x 16]],
    position => [['a', 'x' x 21, "\x{804c}\x{4f4d}", 'a b', 'a.b'],
                 ['ab', 'z' x 20]],
    phone    => [['1381234567', '138123456789', '12812345678', '1381234567a', '17012345678', '17112345678',
                  '16212345678', '16512345678', '16712345678'], []],
    email    => [['plain', 'a@b', 'a b@c.cn', 'a@b..cn', ('l' x 64) . '@' . ('d' x 63) . '.' . ('e' x 63) . '.' . ('f' x 58) . '.com'],
                 [('m' x 64) . '@' . ('d' x 63) . '.' . ('e' x 63) . '.' . ('f' x 57) . '.com']],
);

scenario 'every field on its boundary' => sub {
    my $before = state();
    for my $f (sort keys %rules) {
        for my $v (@{ $rules{$f}[0] }) {
            check_admin_error(scalar sign_up(fields($f => $v), avatar_part('png')), 422,
                              name => "$f of " . length($v) . " characters '" . substr($v, 0, 20) . "'", field => $f);
        }
    }
    for my $pw ('abcde', 'x' x 17, 'abc def', 'abcdef!', 'abc.def', "\x{5bc6}\x{7801}abcd") {
        check_admin_error(scalar sign_up(fields(passwd => $pw, repasswd => $pw), avatar_part('png')), 422,
                          name => 'passwd of ' . length($pw) . " characters '$pw'", field => 'passwd');
    }
    check_admin_error(scalar sign_up(fields(repasswd => 'Pass_w0rd-2'), avatar_part('png')), 422,
                      name => 'repasswd differs', field => 'repasswd', message => '确认密码与密码不一致');
    is_deeply state(), $before, 'nothing written, nothing left on disk';
    for my $f (sort keys %rules) {
        for my $v (@{ $rules{$f}[1] }) {
            check_admin_ok(scalar sign_up(fields($f => $v), avatar_part('png')), "$f of " . length($v) . ' characters accepted',
                           message => '注册成功');
        }
    }
    for my $pw ('abc_-6', 'A' x 16) {
        my $f = fields(passwd => $pw, repasswd => $pw);
        check_admin_ok(scalar sign_up($f, avatar_part('png')), 'passwd of ' . length($pw) . ' characters accepted', message => '注册成功');
        check_admin_ok(scalar admin_login_full($f->{nickname}, $pw), '... and logs in', message => '登录成功');
    }
};

scenario 'missing and empty fields' => sub {
    my $before = state();
    for my $f (qw(nickname passwd repasswd name phone position email)) {
        check_admin_error(scalar sign_up(fields($f => undef), avatar_part('png')), 422, name => "$f missing", field => $f);
        check_admin_error(scalar sign_up(fields($f => ''), avatar_part('png')), 422, name => "$f empty", field => $f);
    }
    my ($res, $json) = sign_up({}, avatar_part('png'));
    check_admin_error($res, 422, name => 'no fields at all', field => 'nickname');
    is join(',', sort keys %{ $json->{data}{errors} || {} }), 'email,name,nickname,passwd,phone,position,repasswd',
        'every missing field is named';
    ($res, $json) = sign_up({});
    ok exists $json->{data}{errors}{avatar}, 'and the avatar too when it is missing';
    is_deeply state(), $before, 'nothing written, nothing left on disk';
};

scenario 'nickname and proven contacts already used; unverified ones block nobody' => sub {
    my $f = fields();
    check_admin_ok(scalar sign_up($f, avatar_part('png')), 'first', message => '注册成功');
    my $dev = register_user();
    db('UPDATE users SET email = ' . sql_quote(lc "dev.$dev->{id}\@example.com") . " WHERE id = $dev->{id}");
    my $before = state();
    check_admin_error(scalar sign_up(fields(nickname => $f->{nickname}), avatar_part('png')), 422,
                      name => 'the same nickname', field => 'nickname', message => '用户名已存在');
    check_admin_error(scalar sign_up(fields(nickname => $dev->{username}), avatar_part('png')), 422,
                      name => 'the username of a developer-face user', field => 'nickname');
    check_admin_error(scalar sign_up(fields(phone => $dev->{mobile}), avatar_part('png')), 422,
                      name => 'the proven mobile of a developer-face user', field => 'phone',
                      message => '手机号已被使用');
    check_admin_error(scalar sign_up(fields(email => uc "dev.$dev->{id}\@example.com"), avatar_part('png')), 422,
                      name => 'a proven e-mail in another case', field => 'email', message => '邮箱已被使用');
    is_deeply state(), $before, 'nothing written, nothing left on disk';
    check_admin_ok(scalar sign_up(fields(phone => $f->{phone}, email => $f->{email}), avatar_part('png')),
                   'the same unverified phone and e-mail: no proof, no claim, no block', message => '注册成功');
};

scenario 'not multipart, broken bodies, bad encodings' => sub {
    my $before = state();
    my $f = fields();
    check_admin_error(scalar admin(PUT => 'signUp', $f), 422, name => 'a JSON body', cmd => 'signUp', field => 'avatar');
    check_admin_error(scalar admin(PUT => 'signUp', form_body(%$f), 'Content-Type' => 'application/x-www-form-urlencoded'),
                      422, name => 'a urlencoded form', field => 'avatar');
    my ($ct, $body) = multipart_body({ tail => '' }, (map { [$_ => $f->{$_}] } sort keys %$f), avatar_part('png'));
    check_admin_error(scalar admin(PUT => 'signUp', $body, 'Content-Type' => $ct), 422, name => 'a truncated form', cmd => 'signUp');
    ($ct, $body) = multipart_body((map { [$_ => $f->{$_}] } sort keys %$f), avatar_part('png'));
    check_admin_error(scalar admin(PUT => 'signUp', $body, 'Content-Type' => 'multipart/form-data'), 422,
                      name => 'multipart without a boundary');
    check_admin_error(scalar sign_up(fields(name => "ab\xff\xfe"), avatar_part('png')), 422, name => 'a field that is not UTF-8');
    check_admin_error(scalar sign_up(fields(nickname => q{x'; DROP TABLE users; --}), avatar_part('png')), 422,
                      name => 'SQL as a nickname', field => 'nickname');
    is_deeply state(), $before, 'nothing written, nothing left on disk';
    ok table_exists('users'), 'users intact';
    check_admin_error(scalar admin(POST => 'signUp', $f), 405, name => 'POST signUp', cmd => 'signUp');
};

scenario 'one nickname signed up in parallel wins once' => sub {
    my $nick = 'par' . ($$ % 100000);
    my @forms = map { fields(nickname => $nick) } 1 .. 6;
    my $before = state();
    my @got = parallel(6, sub {
        my ($res) = sign_up($forms[$_[0]], avatar_part('png'));
        return $res->code;
    });
    is scalar(grep { defined && $_ eq '200' } @got), 1, 'exactly one 200' or diag "got: @got";
    is scalar(grep { defined && $_ eq '422' } @got), 5, 'five 422' or diag "got: @got";
    my $after = state();
    is $after->{users}, $before->{users} + 1, 'one user';
    is $after->{files}, $before->{files} + 1, 'one file row';
    is scalar(split /,/, $after->{disk}), scalar(split /,/, $before->{disk}) + 1, 'one file on disk';
    is_deeply [storage_leftovers()], [], 'no temporary file left';
};

done_testing;
