# 个人中心-认证信息: GET /api/user/authenticate, PUT real-name,
# educational-info, job-info, POST award-info.
use strict;
use warnings;
use utf8;
use Test::More;
use POSIX ();
use Devplat::Test;

client_net(33);

my $BASE = '/api/user/authenticate';

sub user_and_token {
    my $u = register_user();
    return ($u, login($u->{username}, $u->{password}));
}

# A valid 居民身份证 number, different on every call (birth date from a
# counter, sequence from the pid).
my $ID_SEQ = 0;
sub id_card {
    my @t = gmtime(315532800 + 86400 * ($ID_SEQ++ * 37 + ($$ % 5000)));   # from 1980-01-01
    my $s17 = sprintf('110105%04d%02d%02d%03d', $t[5] + 1900, $t[4] + 1, $t[3], $$ % 1000);
    my @w = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2);
    my $sum = 0;
    $sum += substr($s17, $_, 1) * $w[$_] for 0 .. 16;
    return $s17 . substr('10X98765432', $sum % 11, 1);
}

my ($u, $token) = eval { user_and_token() };
die "no user: $@" unless $token;

sub put { my ($what, $body, @h) = @_; json_request(PUT => "$BASE/$what", $body, auth($token), @h) }
sub authenticate { my ($t) = @_; json_request(GET => $BASE, undef, auth($t // $token)) }
sub uid { $u->{id} }

sub check_realname {
    my ($res, $name, %want) = @_;
    check_ok($res, $name);
    my %type = (actual_name => 'string', certificate_type_id => 'integer', id_number => 'string',
                authenticate_picture => 'string', authenticate_status => 'string',
                authenticate_message => 'string');
    is jtype($res, 'data', $_), $type{$_}, "$name: data.$_ is $type{$_}" for sort keys %type;
    my $d = decode_body($res)->{data} || {};
    is_deeply [sort keys %$d], [sort keys %type], "$name: exactly the documented fields";
    is $d->{$_}, $want{$_}, "$name: $_" for sort keys %want;
    return $d;
}

scenario 'a new user: every part in the documented shape, empty' => sub {
    my ($res, $json) = authenticate();
    check_ok($res, 'GET authenticate (nothing yet)');
    my $d = $json->{data} || {};
    is_deeply [sort keys %$d], [qw(award_info educational_info job_info real_name)], 'four parts';
    # 000 types every field: a section not filled in has its type's empty value, never null
    is_deeply $d->{real_name}, { actual_name => '', certificate_type_id => 0, id_number => '',
        authenticate_picture => '', authenticate_status => '', authenticate_message => '' },
        'real_name: empty strings, certificate_type_id 0';
    # the review's status and message: mod_devplat shows them for every reviewed record
    is_deeply $d->{educational_info}, { institution => '', education_id => 0, project_experience => '',
                                        authenticate_status => '', authenticate_message => '' },
        'educational_info: empty strings, education_id 0, no review status';
    is_deeply $d->{job_info}, { organization => '', position_id => 0, domain_id => [],
                                project_experience => '', authenticate_status => '', authenticate_message => '' },
        'job_info: empty strings, position_id 0, domain_id [], no review status';
    my %etype = (real_name => { actual_name => 'string', certificate_type_id => 'integer', id_number => 'string',
                                authenticate_picture => 'string', authenticate_status => 'string',
                                authenticate_message => 'string' },
                 educational_info => { institution => 'string', education_id => 'integer', project_experience => 'string',
                                       authenticate_status => 'string', authenticate_message => 'string' },
                 job_info => { organization => 'string', position_id => 'integer', project_experience => 'string',
                               authenticate_status => 'string', authenticate_message => 'string' });
    for my $part (sort keys %etype) {
        is jtype($res, 'data', $part, $_), $etype{$part}{$_}, "empty $part.$_ is $etype{$part}{$_}"
            for sort keys %{ $etype{$part} };
    }
    is jtype($res, qw(data job_info domain_id)), 'array', 'domain_id is still an array';
    is jtype($res, qw(data award_info)), 'array', 'award_info is an array';
    is scalar @{ $d->{award_info} || [1] }, 0, 'award_info is empty';
};

my $photo = upload_picture($token, 'licensed-photo');
my $number = id_card();

scenario 'PUT real-name: the record, 待审核' => sub {
    my $res = put('real-name', { actual_name => '张三', certificate_type_id => 1, id_number => $number,
                                 authenticate_picture => $photo });
    check_realname($res, 'real-name', actual_name => '张三', certificate_type_id => 1,
                   id_number => $number, authenticate_picture => $photo,
                   authenticate_status => '待审核', authenticate_message => '');
    my ($row) = db_rows('SELECT * FROM identity_verifications WHERE user_id = ' . uid());
    is $row->{actual_name}, '张三', 'stored';
    is $row->{status}, 0, 'status 0';
    my ($r2) = authenticate();
    is decode_body($r2)->{data}{real_name}{id_number}, $number, 'GET shows the full number, as stored';
    is jtype($r2, qw(data real_name certificate_type_id)), 'integer', 'GET: certificate_type_id integer';
};

scenario 'a reviewed record goes back to 待审核 when the user changes it' => sub {
    db("UPDATE identity_verifications SET status = 1, message = '资料齐全' WHERE user_id = " . uid());
    my ($res, $json) = authenticate();
    is $json->{data}{real_name}{authenticate_status}, '已通过', 'status 1 is 已通过';
    is $json->{data}{real_name}{authenticate_message}, '资料齐全', 'the reviewer\'s message';
    db("UPDATE identity_verifications SET status = 2, message = '照片不清晰' WHERE user_id = " . uid());
    ($res, $json) = authenticate();
    is $json->{data}{real_name}{authenticate_status}, '未通过', 'status 2 is 未通过';
    $res = put('real-name', { actual_name => '张三丰', certificate_type_id => '1', id_number => lc $number,
                              authenticate_picture => $photo });
    check_realname($res, 'update', actual_name => '张三丰', authenticate_status => '待审核',
                   authenticate_message => '', id_number => uc $number,
                   certificate_type_id => 1);
    is db_value('SELECT status FROM identity_verifications WHERE user_id = ' . uid()), 0, 'status back to 0';
    is db_value('SELECT count(*) FROM identity_verifications WHERE user_id = ' . uid()), 1, 'still one row';
};

scenario 'other certificate types and their number rules' => sub {
    my %ok = (2 => 'e12345678', 3 => 'H12345678', 4 => '12345678', 5 => 'USA123456789012');
    for my $type (sort keys %ok) {
        my $res = put('real-name', { actual_name => 'Li Lei', certificate_type_id => $type + 0,
                                     id_number => $ok{$type}, authenticate_picture => $photo });
        check_realname($res, "certificate type $type", id_number => uc $ok{$type},
                       certificate_type_id => $type);
    }
    my %bad = (1 => '412536198010250120', 3 => 'A12345678', 4 => '123456789', 5 => 'US1234567890123',
               2 => 'E1-234567');
    for my $type (sort keys %bad) {
        my $res = put('real-name', { actual_name => 'Li Lei', certificate_type_id => $type + 0,
                                     id_number => $bad{$type}, authenticate_picture => $photo });
        check_error($res, 422, name => "type $type, number $bad{$type}", field => 'id_number');
    }
    my $res = put('real-name', { actual_name => '李雷', certificate_type_id => 1,
                                 id_number => '440304199002291235', authenticate_picture => $photo });
    check_error($res, 422, name => '29 February 1990 is no birth date', field => 'id_number');
    $res = put('real-name', { actual_name => '李雷', certificate_type_id => 1,
                              id_number => '412536198010250120', authenticate_picture => $photo });
    my $j = check_error($res, 422, name => 'the document\'s example fails the checksum', field => 'id_number');
    like $j->{message}, qr/身份证/, 'the message says why';
};

my $base = { actual_name => '张三', certificate_type_id => 1, id_number => $number, authenticate_picture => $photo };

scenario 'real-name: missing, empty and wrongly typed fields' => sub {
    put('real-name', $base);
    my $before = db_value('SELECT updated_at FROM identity_verifications WHERE user_id = ' . uid()) . '|'
               . db_value('SELECT actual_name FROM identity_verifications WHERE user_id = ' . uid());
    for my $f (sort keys %$base) {
        my %b = %$base;
        delete $b{$f};
        check_error(scalar put('real-name', \%b), 422, name => "no $f", field => $f);
        check_error(scalar put('real-name', { %$base, $f => '' }), 422, name => "empty $f", field => $f);
        check_error(scalar put('real-name', { %$base, $f => undef }), 422, name => "null $f", field => $f);
        check_error(scalar put('real-name', { %$base, $f => [1] }), 422, name => "array for $f", field => $f);
        check_error(scalar put('real-name', { %$base, $f => { a => 1 } }), 422, name => "object for $f", field => $f);
        check_error(scalar put('real-name', { %$base, $f => JSON::PP::true }), 422, name => "true for $f", field => $f);
    }
    for my $v ('abc', '1.0', 1.5, -1, 0, '0', ' 1', '1e3', '99999999999999999999') {
        check_error(scalar put('real-name', { %$base, certificate_type_id => $v }), 422,
                    name => "certificate_type_id $v", field => 'certificate_type_id');
    }
    check_error(scalar put('real-name', { %$base, certificate_type_id => 99 }), 422,
                name => 'an unknown certificate type', field => 'certificate_type_id',
                message => '证件类型不存在');
    check_error(scalar put('real-name', { %$base, certificate_type_id => 9223372036854775807 }), 422,
                name => 'the largest integer', field => 'certificate_type_id');
    check_error(scalar put('real-name', { %$base, actual_name => '张' x 51 }), 422,
                name => '51-character name', field => 'actual_name');
    check_error(scalar put('real-name', { %$base, actual_name => "张\x{1}三" }), 422,
                name => 'a control character', field => 'actual_name');
    check_error(scalar put('real-name', { %$base, actual_name => '   ' }), 422,
                name => 'only spaces', field => 'actual_name');
    check_error(scalar put('real-name', { %$base, id_number => 'x' x 33 }), 422,
                name => '33-character number', field => 'id_number');
    check_error(scalar put('real-name', '{"actual_name":"张三",'), 422, name => 'malformed JSON');
    check_error(scalar put('real-name', qq({"actual_name":"\xC3\x28","certificate_type_id":1})), 422,
                name => 'invalid UTF-8');
    check_error(scalar put('real-name', '[1,2]'), 422, name => 'a JSON array');
    check_error(scalar put('real-name', '{"a":1}', 'Content-Type' => 'text/plain'), 415, name => 'text/plain');
    is db_value('SELECT updated_at FROM identity_verifications WHERE user_id = ' . uid()) . '|'
     . db_value('SELECT actual_name FROM identity_verifications WHERE user_id = ' . uid()), $before,
        'nothing written by any of them';
};

scenario 'real-name: a form body works too' => sub {
    my $res = put('real-name', form_body(%$base, actual_name => '王五'),
                  'Content-Type' => 'application/x-www-form-urlencoded');
    check_realname($res, 'form body', actual_name => '王五', certificate_type_id => 1);
};

scenario 'SQL metacharacters are data' => sub {
    for my $name (q{O'Brien}, q{a"; DROP TABLE users; --}, q{100%_\\}) {
        my $res = put('real-name', { %$base, actual_name => $name });
        check_realname($res, "name $name", actual_name => $name);
        is db_value('SELECT actual_name FROM identity_verifications WHERE user_id = ' . uid()), $name, 'stored as sent';
    }
    ok table_exists('users'), 'users is still there';
};

scenario 'the picture must be this user\'s own licensed-photo upload' => sub {
    my ($v, $tv) = user_and_token();
    my $theirs = upload_picture($tv, 'licensed-photo');
    my $my_avatar = upload_picture($token, 'avatar');
    my $my_award = upload_picture($token, 'award-picture');
    (my $not_stored = $photo) =~ s/[0-9a-f]{32}/'0' x 32/e;
    my %bad = (
        'another user\'s photo'        => $theirs,
        'my avatar, not a licensed photo' => $my_avatar,
        'my award picture'             => $my_award,
        'a path that was never stored' => $not_stored,
        'a path outside storage'       => '/etc/passwd',
        'a traversal'                  => '/storage/licensed-photo/../../../etc/passwd',
        'another site'                 => "http://evil.example$photo",
        'the document\'s example'      => '/storage/licensed-photo/test.jpg',
        'the stored path without the URL' => do { (my $p = $photo) =~ s{^/storage/}{}; $p },
        'upper-case hex'               => uc($photo) =~ s{^/STORAGE/LICENSED-PHOTO/}{/storage/licensed-photo/}r,
    );
    my $before = db_value('SELECT authenticate_picture FROM identity_verifications WHERE user_id = ' . uid());
    for my $what (sort keys %bad) {
        check_error(scalar put('real-name', { %$base, authenticate_picture => $bad{$what} }), 422,
                    name => $what, field => 'authenticate_picture');
    }
    is db_value('SELECT authenticate_picture FROM identity_verifications WHERE user_id = ' . uid()), $before, 'unchanged';
    # the other user may use theirs
    my $res = json_request(PUT => "$BASE/real-name", { %$base, id_number => id_card(), authenticate_picture => $theirs },
                           auth($tv));
    check_realname($res, 'the owner uses it', authenticate_picture => $theirs);
    # any licensed photo of mine will do
    my $new = upload_picture($token, 'licensed-photo', type => 'jpg');
    check_realname(scalar put('real-name', { %$base, authenticate_picture => $new }), 'a new photo',
                   authenticate_picture => $new);
    check_realname(scalar put('real-name', { %$base, authenticate_picture => $new }), 'the same photo again');
    check_realname(scalar put('real-name', { %$base, authenticate_picture => $photo }), 'an older photo of mine',
                   authenticate_picture => $photo);
};

scenario 'one certificate number, one account' => sub {
    my ($v, $tv) = user_and_token();
    my $p = upload_picture($tv, 'licensed-photo');
    my $res = json_request(PUT => "$BASE/real-name", { %$base, authenticate_picture => $p }, auth($tv));
    check_error($res, 422, name => 'my number on another account', field => 'id_number',
                message => '证件号码已被其他账号认证');
    db("UPDATE identity_verifications SET status = 2 WHERE user_id = " . uid());
    $res = json_request(PUT => "$BASE/real-name", { %$base, authenticate_picture => $p }, auth($tv));
    check_realname($res, 'allowed once my claim was rejected', id_number => $number);
    # and now mine is the one that may not come back
    check_error(scalar put('real-name', $base), 422, name => 'now taken', field => 'id_number');
    put('real-name', { %$base, id_number => $number = id_card() });
    $base->{id_number} = $number;
};

scenario 'educational-info' => sub {
    my $exp = "完成河流污染识别算法\n负责数据标注与模型训练";
    my ($res, $json) = put('educational-info', { institution => '北京大学', education_id => 3,
                                                 project_experience => $exp });
    check_ok($res, 'educational-info');
    is jtype($res, qw(data institution)), 'string', 'institution string';
    is jtype($res, qw(data education_id)), 'integer', 'education_id integer';
    is jtype($res, qw(data project_experience)), 'string', 'project_experience string';
    is_deeply $json->{data}, { institution => '北京大学', education_id => 3, project_experience => $exp,
                               authenticate_status => '待审核', authenticate_message => '' },
        'the documented fields, and the review status: 待审核';
    is db_value('SELECT status FROM educational_infos WHERE user_id = ' . uid()), 0, 'pending review';
    db('UPDATE educational_infos SET status = 1 WHERE user_id = ' . uid());
    check_ok(scalar put('educational-info', { institution => '清华大学', education_id => '4',
                                             project_experience => 'x' x 2000 }), '2000 characters');
    is db_value('SELECT status FROM educational_infos WHERE user_id = ' . uid()), 0, 'back to pending';
    is db_value('SELECT institution FROM educational_infos WHERE user_id = ' . uid()), '清华大学', 'updated';

    my $good = { institution => '北京大学', education_id => 3, project_experience => 'abc' };
    check_error(scalar put('educational-info', { %$good, education_id => 6 }), 422,
                name => 'unknown education_id', field => 'education_id', message => '学历不存在');
    check_error(scalar put('educational-info', { %$good, education_id => [3] }), 422,
                name => 'array for education_id', field => 'education_id');
    check_error(scalar put('educational-info', { %$good, institution => ['北京大学'] }), 422,
                name => 'array for institution', field => 'institution');
    check_error(scalar put('educational-info', { %$good, institution => 'x' x 101 }), 422,
                name => '101-character institution', field => 'institution');
    check_error(scalar put('educational-info', { %$good, project_experience => 'x' x 2001 }), 422,
                name => '2001-character experience', field => 'project_experience');
    check_error(scalar put('educational-info', { %$good, project_experience => "a\x{0}b" }), 422,
                name => 'a NUL in the experience', field => 'project_experience');
    check_error(scalar put('educational-info', {}), 422, name => 'nothing', field => 'institution');
    is db_value('SELECT institution FROM educational_infos WHERE user_id = ' . uid()), '清华大学', 'unchanged';
};

scenario 'job-info: domain_id as integers' => sub {
    my ($res, $json) = put('job-info', { organization => '北京大学', position_id => 4, domain_id => [1, 2],
                                         project_experience => '完成河流污染识别算法' });
    check_ok($res, 'job-info');
    is jtype($res, qw(data organization)), 'string', 'organization string';
    is jtype($res, qw(data position_id)), 'integer', 'position_id integer';
    is jtype($res, qw(data domain_id)), 'array', 'domain_id array';
    is jtype($res, qw(data domain_id 0)), 'integer', 'domain_id[0] integer';
    is_deeply $json->{data}, { organization => '北京大学', position_id => 4, domain_id => [1, 2],
                               project_experience => '完成河流污染识别算法',
                               authenticate_status => '待审核', authenticate_message => '' },
        'the documented fields, and the review status: 待审核';
    ($res, $json) = put('job-info', { organization => '某公司', position_id => '5', domain_id => ['7', '3', '7', 1],
                                      project_experience => 'x' });
    check_ok($res, 'strings of digits, a repeat');
    is_deeply $json->{data}{domain_id}, [7, 3, 1], 'integers, in order, the repeat dropped';
    is jtype($res, qw(data domain_id 0)), 'integer', 'given as "7", answered as 7';
    my ($r2, $j2) = authenticate();
    is_deeply $j2->{data}{job_info}{domain_id}, [7, 3, 1], 'GET shows the same list';
    is db_value('SELECT count(*) FROM job_info_domains WHERE user_id = ' . uid()), 3, 'three rows, the old ones gone';

    my $good = { organization => '某公司', position_id => 5, domain_id => [1], project_experience => 'x' };
    my %bad = (
        'an empty array'        => [],
        'a string, not an array' => '1,2',
        'a number, not an array' => 1,
        'an unknown id'         => [1, 999],
        'a float'               => [1.5],
        'a word'                => ['a'],
        'a null inside'         => [undef],
        'an array inside'       => [[1]],
        'a negative id'         => [-1],
        'zero'                  => [0],
        'an object'             => { 1 => 1 },
        '21 ids'                => [1 .. 21],
    );
    for my $what (sort keys %bad) {
        check_error(scalar put('job-info', { %$good, domain_id => $bad{$what} }), 422,
                    name => "domain_id: $what", field => 'domain_id');
    }
    check_error(scalar put('job-info', { %$good, position_id => 1000 }), 422,
                name => 'unknown position', field => 'position_id');
    check_error(scalar put('job-info', { %$good, organization => { a => 1 } }), 422,
                name => 'object for organization', field => 'organization');
    is db_value('SELECT count(*) FROM job_info_domains WHERE user_id = ' . uid()), 3, 'domains unchanged';
    # form bodies send arrays as name[]
    ($res, $json) = put('job-info', 'organization=org&position_id=2&domain_id[]=4&domain_id[]=5&project_experience=x',
                        'Content-Type' => 'application/x-www-form-urlencoded');
    check_ok($res, 'form body with domain_id[]');
    is_deeply $json->{data}{domain_id}, [4, 5], 'domain_id[] read as a list';
    ($res) = put('job-info', 'organization=org&position_id=2&domain_id=4&project_experience=x',
                 'Content-Type' => 'application/x-www-form-urlencoded');
    check_error($res, 422, name => 'form body with a single domain_id (not a list)', field => 'domain_id');
};

scenario 'award-info: a list; pictures must be this user\'s award uploads' => sub {
    my @pics = map { upload_picture($token, 'award-picture', type => $_) } qw(png jpg);
    my ($res, $json) = json_request(POST => "$BASE/award-info", { competition => 'CV101榜单活动',
        award_level_id => 1, award_picture => \@pics }, auth($token));
    check_ok($res, 'award-info');
    my %type = (competition => 'string', award_level_id => 'integer', award_picture => 'array',
                authenticate_status => 'string', authenticate_message => 'string');
    is jtype($res, 'data', $_), $type{$_}, "data.$_ is $type{$_}" for sort keys %type;
    is_deeply $json->{data}, { competition => 'CV101榜单活动', award_level_id => 1, award_picture => \@pics,
                               authenticate_status => '待审核', authenticate_message => '' }, 'the documented body';
    ($res, $json) = json_request(POST => "$BASE/award-info", { competition => '第二个竞赛',
        award_level_id => '5', award_picture => [$pics[1]] }, auth($token));
    check_ok($res, 'a second award');
    ($res, $json) = authenticate();
    my $list = $json->{data}{award_info};
    is scalar @$list, 2, 'two awards';
    is_deeply $list->[0]{award_picture}, \@pics, 'the first with its two pictures, in order';
    is $list->[1]{award_level_id}, 5, 'the second';
    is jtype($res, qw(data award_info 0 award_level_id)), 'integer', 'award_level_id integer in GET';
    is jtype($res, qw(data award_info 1 award_picture 0)), 'string', 'pictures are strings';

    my ($v, $tv) = user_and_token();
    my $theirs = upload_picture($tv, 'award-picture');
    my $my_photo = upload_picture($token, 'licensed-photo');
    my $good = { competition => 'c', award_level_id => 1, award_picture => [$pics[0]] };
    my $count = db_value('SELECT count(*) FROM award_infos');
    my $pcount = db_value('SELECT count(*) FROM award_info_pictures');
    my %bad = (
        'another user\'s picture' => [$pics[0], $theirs],
        'my licensed photo'       => [$my_photo],
        'a made-up path'          => ['/storage/award-picture/test.jpg'],
        'an empty array'          => [],
        'a number inside'         => [1],
        'an empty string inside'  => [''],
        'ten pictures'            => [map { $pics[0] . "?$_" } 1 .. 10],
    );
    for my $what (sort keys %bad) {
        check_error(scalar json_request(POST => "$BASE/award-info", { %$good, award_picture => $bad{$what} },
                                        auth($token)), 422, name => $what, field => 'award_picture');
    }
    check_error(scalar json_request(POST => "$BASE/award-info", { %$good, award_picture => $pics[0] },
                                    auth($token)), 422, name => 'a string for the array', field => 'award_picture');
    check_error(scalar json_request(POST => "$BASE/award-info", { %$good, award_level_id => 6 }, auth($token)),
                422, name => 'unknown award level', field => 'award_level_id', message => '奖项等级不存在');
    check_error(scalar json_request(POST => "$BASE/award-info", { %$good, competition => 'c' x 101 }, auth($token)),
                422, name => 'a 101-character competition', field => 'competition');
    is db_value('SELECT count(*) FROM award_infos'), $count, 'no award row written';
    is db_value('SELECT count(*) FROM award_info_pictures'), $pcount, 'no picture row written';
    ($res, $json) = json_request(POST => "$BASE/award-info", { %$good, award_picture => [$theirs] }, auth($tv));
    check_ok($res, 'the owner may use it');
};

scenario 'at most 50 awards' => sub {
    my ($v, $tv) = user_and_token();
    my $p = upload_picture($tv, 'award-picture');
    db(join ';', map { "INSERT INTO award_infos (user_id, competition, award_level_id, status, message, created_at, updated_at) VALUES ($v->{id}, 'c$_', 1, 0, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')" } 1 .. 50);
    my ($res) = json_request(POST => "$BASE/award-info", { competition => 'x', award_level_id => 1,
                                                          award_picture => [$p] }, auth($tv));
    check_error($res, 422, name => 'the 51st award', field => 'award_info');
    is db_value("SELECT count(*) FROM award_infos WHERE user_id = $v->{id}"), 50, 'still 50';
};

scenario 'the whole record, and only one\'s own' => sub {
    my ($res, $json) = authenticate();
    check_ok($res, 'GET authenticate');
    my $d = $json->{data};
    is $d->{real_name}{id_number}, $number, 'real_name';
    is $d->{educational_info}{institution}, '清华大学', 'educational_info';
    is $d->{job_info}{organization}, 'org', 'job_info';
    is scalar @{ $d->{award_info} }, 2, 'award_info';
    my ($v, $tv) = user_and_token();
    (undef, $json) = authenticate($tv);
    is $json->{data}{real_name}{actual_name}, '', 'another user sees their own (empty) record';
    is scalar @{ $json->{data}{award_info} }, 0, 'and no awards';
};

scenario 'tokens: none, forged, revoked' => sub {
    my ($v, $tv) = user_and_token();
    for my $call ([GET => $BASE, undef], [PUT => "$BASE/real-name", $base], [PUT => "$BASE/educational-info", {}],
                  [PUT => "$BASE/job-info", {}], [POST => "$BASE/award-info", {}]) {
        my ($m, $path, $body) = @$call;
        check_401(scalar json_request($m, $path, $body), "$m $path without a token");
        check_401(scalar json_request($m, $path, $body, auth(jwt_forge({ sub => "$v->{id}", jti => 'f' x 32,
                  iat => time, nbf => time, exp => time + 600 }))), "$m $path with a forged session");
    }
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($tv)), 'logout');
    check_401(scalar json_request(PUT => "$BASE/educational-info", { institution => 'x', education_id => 1,
              project_experience => 'x' }, auth($tv)), 'a revoked token writes nothing');
    is db_value("SELECT count(*) FROM educational_infos WHERE user_id = $v->{id}"), 0, 'no row';
};

scenario 'concurrent first writes of one record' => sub {
    my ($v, $tv) = user_and_token();
    my @out = parallel(4, sub {
        my ($res) = json_request(PUT => "$BASE/educational-info", { institution => "学校$_[0]", education_id => 2,
                                                                  project_experience => 'x' }, auth($tv));
        return $res->code;
    });
    is scalar(grep { defined && $_ == 200 } @out), 4, 'all four answered 200' or diag "@out";
    is db_value("SELECT count(*) FROM educational_infos WHERE user_id = $v->{id}"), 1, 'one row';
};

done_testing;
