# 个人中心-基本信息: GET/PUT /api/user/base.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(34);

my $PATH = '/api/user/base';

sub user_and_token {
    my $u = register_user();
    return ($u, login($u->{username}, $u->{password}));
}

my ($u, $token) = eval { user_and_token() };
die "no user: $@" unless $token;

sub get_base { json_request(GET => $PATH, undef, auth($_[0] // $token)) }
sub put_base { my ($body, @h) = @_; json_request(PUT => $PATH, $body, auth($token), @h) }

my %TYPE = (id => 'integer', username => 'string', avatar => 'string', province => 'string',
            city => 'string', county => 'string', is_overseas => 'integer',
            research_direction_id => 'array', mobile => 'string', email => 'string',
            created_at => 'string', updated_at => 'string');

sub check_base {
    my ($res, $name, %want) = @_;
    my $json = check_ok($res, $name);
    is jtype($res, 'data', $_), $TYPE{$_}, "$name: data.$_ is $TYPE{$_}" for sort keys %TYPE;
    my $d = ref $json->{data} eq 'HASH' ? $json->{data} : {};
    is_deeply [sort keys %$d], [sort keys %TYPE], "$name: exactly the documented fields";
    like $d->{$_} // '', DATETIME_RE, "$name: $_ format" for qw(created_at updated_at);
    for my $i (0 .. $#{ $d->{research_direction_id} || [] }) {
        is jtype($res, 'data', 'research_direction_id', $i), 'integer', "$name: research_direction_id[$i] integer";
    }
    for my $f (sort keys %want) {
        if (ref $want{$f}) { is_deeply $d->{$f}, $want{$f}, "$name: $f" }
        else               { is $d->{$f}, $want{$f}, "$name: $f = $want{$f}" }
    }
    return $d;
}

scenario 'GET base of a new user' => sub {
    my ($res) = get_base();
    check_base($res, 'GET base', id => $u->{id}, username => $u->{username}, avatar => '',
               province => '', city => '', county => '', is_overseas => 0, research_direction_id => [],
               mobile => $u->{mobile}, email => '', created_at => $u->{data}{created_at});
};

my $avatar = upload_picture($token, 'avatar');
my $good = { avatar => $avatar, province => '广东省', city => '深圳市', county => '南山区',
             is_overseas => 0, research_direction_id => [1, 2] };

scenario 'PUT base: the documented body, stored' => sub {
    my ($res) = put_base($good);
    my $d = check_base($res, 'PUT base', %$good, id => $u->{id}, username => $u->{username},
                       mobile => $u->{mobile});
    my ($row) = db_rows("SELECT avatar, province, city, county, is_overseas FROM users WHERE id = $u->{id}");
    is_deeply $row, { avatar => $avatar, province => '广东省', city => '深圳市', county => '南山区',
                      is_overseas => 0 }, 'users row';
    is db_value("SELECT count(*) FROM user_research_directions WHERE user_id = $u->{id}"), 2, 'two directions';
    ($res) = get_base();
    check_base($res, 'GET after PUT', %$good);
    db("UPDATE users SET email = 'someone\@example.com' WHERE id = $u->{id}");
    ($res) = get_base();
    check_base($res, 'email as stored', email => 'someone@example.com', mobile => $u->{mobile});
    ($res) = json_request(GET => '/api/me', undef, auth($token));
    is decode_body($res)->{data}{avatar}, $avatar, '/api/me shows the new avatar';
};

scenario 'overseas: province, city and county become optional' => sub {
    my ($res) = put_base({ avatar => $avatar, is_overseas => 1, research_direction_id => [3] });
    check_base($res, 'overseas without a place', is_overseas => 1, province => '', city => '', county => '',
               research_direction_id => [3]);
    ($res) = put_base({ avatar => $avatar, is_overseas => '1', province => '', city => undef,
                        county => 'Ontario', research_direction_id => ['4', 4, '5'] });
    check_base($res, 'overseas, some given', is_overseas => 1, county => 'Ontario',
               research_direction_id => [4, 5]);
    for my $f (qw(province city county)) {
        my %b = %$good;
        delete $b{$f};
        check_error(scalar put_base(\%b), 422, name => "not overseas, no $f", field => $f);
        check_error(scalar put_base({ %$good, $f => '' }), 422, name => "not overseas, empty $f", field => $f);
        check_error(scalar put_base({ %$good, $f => ['x'] }), 422, name => "array for $f", field => $f);
        check_error(scalar put_base({ %$good, $f => 'x' x 33 }), 422, name => "33 characters of $f", field => $f);
        check_error(scalar put_base({ %$good, is_overseas => 1, $f => 5 }), 422,
                    name => "overseas, a number for $f", field => $f);
    }
};

scenario 'is_overseas and research_direction_id: types and ids' => sub {
    my ($res) = put_base($good);
    check_base($res, 'back to the good profile');
    for my $v (2, -1, '2', 'yes', '', JSON::PP::true, [0], 0.5) {
        check_error(scalar put_base({ %$good, is_overseas => $v }), 422,
                    name => 'is_overseas ' . (ref $v ? JSON::PP->new->allow_nonref->encode($v) : "'$v'"),
                    field => 'is_overseas');
    }
    my %b = %$good;
    delete $b{is_overseas};
    check_error(scalar put_base(\%b), 422, name => 'no is_overseas', field => 'is_overseas');
    my %bad = (
        'empty'       => [],
        'a string'    => '1',
        'unknown id'  => [1, 1000],
        'a word'      => ['图像分类'],
        'null inside' => [undef],
        'a float'     => [2.0000001],
        '21 ids'      => [1 .. 21],
        'null'        => undef,
    );
    for my $what (sort keys %bad) {
        check_error(scalar put_base({ %$good, research_direction_id => $bad{$what} }), 422,
                    name => "research_direction_id: $what", field => 'research_direction_id');
    }
    delete $b{research_direction_id};
    check_error(scalar put_base({ %$good, research_direction_id => undef }), 422,
                name => 'research_direction_id null', field => 'research_direction_id');
    is db_value("SELECT count(*) FROM user_research_directions WHERE user_id = $u->{id}"), 2, 'directions unchanged';
    is db_value("SELECT province FROM users WHERE id = $u->{id}"), '广东省', 'users row unchanged';
};

scenario 'the avatar must be this user\'s own avatar upload' => sub {
    my ($v, $tv) = user_and_token();
    my $theirs = upload_picture($tv, 'avatar');
    my $my_photo = upload_picture($token, 'licensed-photo');
    my %bad = (
        'another user\'s avatar'   => $theirs,
        'my licensed photo'        => $my_photo,
        'the document\'s example'  => '/storage/avatar/test.jpg',
        'a URL elsewhere'          => 'https://example.com/a.png',
        'a traversal'              => '/storage/avatar/../../jwt.key',
        'an array'                 => [$avatar],
        'a number'                 => 7,
        'empty'                    => '',
    );
    for my $what (sort keys %bad) {
        check_error(scalar put_base({ %$good, avatar => $bad{$what} }), 422, name => "avatar: $what",
                    field => 'avatar');
    }
    is db_value("SELECT avatar FROM users WHERE id = $u->{id}"), $avatar, 'avatar unchanged';
    my $new = upload_picture($token, 'avatar', type => 'webp');
    check_base(scalar put_base({ %$good, avatar => $new }), 'a new avatar', avatar => $new);
    check_base(scalar put_base({ %$good, avatar => $new }), 'the same avatar again', avatar => $new);
    # an avatar set by other means (an import, the admin face) may stay as it is
    db("UPDATE users SET avatar = '/legacy/a.png' WHERE id = $u->{id}");
    check_base(scalar put_base({ %$good, avatar => '/legacy/a.png' }), 'the stored avatar, unchanged',
               avatar => '/legacy/a.png');
    check_base(scalar put_base({ %$good, avatar => $avatar }), 'an older upload of mine', avatar => $avatar);
};

scenario 'bodies: form, malformed, not UTF-8, metacharacters' => sub {
    my ($res, $json) = put_base(form_body(avatar => $avatar, province => '北京市', city => '北京市',
                                          county => '海淀区', is_overseas => 0,
                                          'research_direction_id[]' => 2, 'research_direction_id[]' => 9),
                                'Content-Type' => 'application/x-www-form-urlencoded');
    check_base($res, 'form body', province => '北京市', research_direction_id => [2, 9]);
    check_error(scalar put_base('{"avatar":'), 422, name => 'malformed JSON');
    check_error(scalar put_base(qq({"avatar":"$avatar","province":"\xff","city":"c","county":"c","is_overseas":0,"research_direction_id":[1]})),
                422, name => 'invalid UTF-8');
    check_error(scalar put_base('"just a string"'), 422, name => 'a JSON string');
    check_error(scalar put_base('x' x (70 * 1024)), 413, name => '70 KiB body');
    my $sql = q{'; UPDATE users SET is_admin=1--};
    ($res) = put_base({ %$good, county => $sql });
    check_base($res, 'SQL in county', county => $sql);
    is db_value("SELECT is_admin FROM users WHERE id = $u->{id}"), 0, 'no statement ran';
    check_error(scalar put_base({ %$good, city => "深圳\x{0}市" }), 422, name => 'a NUL', field => 'city');
};

scenario 'tokens and other users' => sub {
    check_401(scalar json_request(GET => $PATH), 'GET without a token');
    check_401(scalar json_request(PUT => $PATH, $good), 'PUT without a token');
    my ($v, $tv) = user_and_token();
    my ($res) = get_base($tv);
    check_base($res, 'another user sees their own', id => $v->{id}, avatar => '', research_direction_id => []);
    db("UPDATE users SET status = 1 WHERE id = $v->{id}");
    check_401(scalar get_base($tv), 'a frozen user');
    my ($w, $tw) = user_and_token();
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($tw)), 'logout');
    check_401(scalar json_request(PUT => $PATH, $good, auth($tw)), 'a revoked token');
    is db_value("SELECT province FROM users WHERE id = $w->{id}"), '', 'nothing written';
};

scenario 'concurrent updates of one profile' => sub {
    my @out = parallel(4, sub {
        my ($res) = put_base({ %$good, research_direction_id => [$_[0] + 1, $_[0] + 5] });
        return $res->code;
    });
    is scalar(grep { defined && $_ == 200 } @out), 4, 'all four answered 200' or diag "@out";
    is db_value("SELECT count(*) FROM user_research_directions WHERE user_id = $u->{id}"), 2,
        'one update\'s two directions, not a mix';
};

done_testing;
