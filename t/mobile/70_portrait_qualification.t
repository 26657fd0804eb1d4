# uploadPortrait (portrait) and authenticationQualifications/token/<t> (picture).
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(67);

# A picture this user uploaded (upload_image): its path.
sub picture { my ($u) = @_; return mupload($u->{token}) }

sub portrait { my ($token, $fields, %h) = @_; mform(POST => "uploadPortrait/token/$token", $fields, %h) }

scenario 'uploadPortrait: 添加成功, the avatar of every face' => sub {
    my $u = mregister();
    my $path = picture($u);
    my ($res, $json) = portrait($u->{token}, { portrait => $path });
    check_mok($res, 'uploadPortrait', info => '添加成功');
    is jtype($res, 'data'), 'string', 'data is a string';
    is $json->{data}, '', 'data is empty';
    is db_value("SELECT avatar FROM users WHERE id = $u->{id}"), $path, 'users.avatar';
    my (undef, $d) = mget("get_user_details?token=$u->{token}");
    is $d->{data}{portrait}, $path, 'get_user_details shows it';
    my ($r2, $j2) = json_request(GET => '/api/me', undef, auth($u->{token}));
    is eval { $j2->{data}{avatar} }, $path, 'the developer face shows it as avatar';

    my $p2 = picture($u);
    check_mok(scalar mform(POST => 'uploadPortrait/', { portrait => $p2, token => $u->{token} }),
              'uploadPortrait/ (as 002 writes it), token in the body');
    check_mok(scalar mjson(POST => "uploadPortrait?token=$u->{token}", { portrait => picture($u) }),
              'JSON body, ?token=');
};

scenario 'uploadPortrait: 997 missing, 1006 bad, 999 no token' => sub {
    my $u = mregister();
    check_mfail(scalar portrait($u->{token}, {}), 997, name => 'no portrait', info => '缺少必须参数:portrait');
    check_mfail(scalar portrait($u->{token}, { portrait => '' }), 997, name => 'empty portrait',
                info => '缺少必须参数:portrait');
    check_mfail(scalar mjson(POST => "uploadPortrait/token/$u->{token}", { portrait => undef }), 997,
                name => 'null portrait');
    check_mfail(scalar mjson(POST => "uploadPortrait/token/$u->{token}", { portrait => ['a.png'] }), 1006,
                name => 'portrait as an array', info => '输入的信息不符合:portrait必须是字符串');
    for my $p ('../../etc/passwd', 'image/../x.png', 'with space.png', "图片.png", 'x' x 256) {
        check_mfail(scalar portrait($u->{token}, { portrait => $p }), 1006,
                    name => 'portrait ' . substr($p, 0, 20), info => qr/^输入的信息不符合:/);
    }
    check_mfail(scalar mform(POST => 'uploadPortrait', { portrait => picture($u) }), 999, name => 'no token',
                info => '用户未登录');
    check_mfail(scalar portrait('x.y.z', { portrait => picture($u) }), 999, name => 'garbage token');
    is db_value("SELECT avatar FROM users WHERE id = $u->{id}"), '', 'the avatar is unchanged';
};

scenario 'only pictures of the same user: 1006' => sub {
    my $u = mregister();
    my $v = mregister();
    my $theirs = picture($v);
    check_mfail(scalar portrait($u->{token}, { portrait => $theirs }), 1006, name => "another user's upload",
                info => '输入的信息不符合:图片须为本账号用upload_image上传的图片地址');
    check_mfail(scalar qualify($u->{token}, "picture=$theirs"), 1006, name => "another user's upload as qualification");
    check_mfail(scalar portrait($u->{token}, { portrait => '/storage/image/' . ('0' x 32) . '.png' }), 1006,
                name => 'a path nobody uploaded');
    (my $bare = picture($u)) =~ s{^/storage/}{};
    check_mfail(scalar portrait($u->{token}, { portrait => $bare }), 1006, name => 'the path without /storage/');
    check_mfail(scalar portrait($u->{token}, { portrait => "http://evil.example$theirs" }), 1006, name => 'an absolute URL');
    is db_value("SELECT avatar FROM users WHERE id = $u->{id}"), '', 'the avatar is unchanged';
    is db_value("SELECT count(*) FROM qualifications WHERE user_id = $u->{id}"), 0, 'no qualification';

    # an upload of the developer face (an avatar) is the same user's picture
    my ($res, $json) = upload_request('/api/user/base/upload/avatar',
        [{ name => 'file', filename => 'a.png', content => image_bytes('png'), type => 'image/png' }], auth($u->{token}));
    my $dev_path = eval { $json->{data}{path} } // 'none';
    check_mok(scalar portrait($u->{token}, { portrait => $dev_path }), 'a developer-face avatar upload');
    is db_value("SELECT avatar FROM users WHERE id = $u->{id}"), $dev_path, 'stored';
};

scenario 'uploadPortrait: the database refuses it: 998 添加失败' => sub {
    my $u = mregister();
    my ($res) = with_fault('users.avatar', { user_id => $u->{id} }, sub {
        portrait($u->{token}, { portrait => picture($u) });
    });
    check_mfail($res, 998, name => 'refused', info => '添加失败');
    is db_value("SELECT avatar FROM users WHERE id = $u->{id}"), '', 'the avatar is unchanged';
};

sub qualify { my ($token, $q) = @_; mget("authenticationQualifications/token/$token?$q") }

scenario 'authenticationQualifications: 等待客服认证, the account under review' => sub {
    my $u = mregister();
    my $path = picture($u);
    my ($res, $json) = qualify($u->{token}, "picture=$path");
    check_mok($res, 'authenticationQualifications (GET)', info => '从业资格证上传成功,等待客服认证');
    is $json->{data}, '', 'data is empty';
    my @rows = db_rows("SELECT * FROM qualifications WHERE user_id = $u->{id}");
    is scalar @rows, 1, 'one qualification row';
    is $rows[0]{picture}, $path, 'the picture path';
    like $rows[0]{created_at} // '', DATETIME_RE, 'created_at';
    is db_value("SELECT status FROM users WHERE id = $u->{id}"), 4, 'status 4: under review';
    my (undef, $d) = mget("get_user_details?token=$u->{token}");
    is $d->{data}{status}, '4', 'get_user_details says "4"';
    is db_value(qq{SELECT count(*) FROM audit_log WHERE action = 'qualification' AND user_id = $u->{id}}), 1, 'audited';

    check_mok(scalar mform(POST => "authenticationQualifications/token/$u->{token}", { picture => picture($u) }),
              'by POST with a form body');
    check_mok(scalar mjson(POST => 'authenticationQualifications', { picture => picture($u), token => $u->{token} }),
              'JSON with the token in the body');
    is db_value("SELECT count(*) FROM qualifications WHERE user_id = $u->{id}"), 3, 'every submission kept';

    my $d2 = register_user();                 # a developer-face user (status 0)
    my $t = login($d2->{username}, $d2->{password});
    check_mok(scalar qualify($t, 'picture=' . picture({ token => $t })), 'a developer-face user');
    is db_value("SELECT status FROM users WHERE id = $d2->{id}"), 4, 'under review too';
};

scenario 'authenticationQualifications: 997, 1006, 999' => sub {
    my $u = mregister();
    check_mfail(scalar qualify($u->{token}, ''), 997, name => 'no picture', info => '图片名称地址不能空');
    check_mfail(scalar qualify($u->{token}, 'picture='), 997, name => 'empty picture', info => '图片名称地址不能空');
    check_mfail(scalar qualify($u->{token}, 'picture=../secret.png'), 1006, name => 'picture with ..',
                info => qr/^输入的信息不符合:/);
    check_mfail(scalar mget('authenticationQualifications?picture=' . picture($u)), 999, name => 'no token');
    is db_value("SELECT count(*) FROM qualifications WHERE user_id = $u->{id}"), 0, 'nothing stored';
    is db_value("SELECT status FROM users WHERE id = $u->{id}"), 2, 'status unchanged';
};

scenario 'authenticationQualifications: the database refuses it: 998, nothing half-written' => sub {
    my $u = mregister();
    for my $what ('qualifications.insert', 'users.status') {
        my ($res) = with_fault($what, { user_id => $u->{id} }, sub { qualify($u->{token}, 'picture=' . picture($u)) });
        check_mfail($res, 998, name => "$what refused", info => '资格证上传失败,请联系客服');
        is db_value("SELECT count(*) FROM qualifications WHERE user_id = $u->{id}"), 0, "$what refused: no row";
        is db_value("SELECT status FROM users WHERE id = $u->{id}"), 2, "$what refused: status unchanged";
    }
};

done_testing;
