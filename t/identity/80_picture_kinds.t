# Account core, rule 10: a picture field takes only the upload kinds it
# names. The mobile portrait takes avatar and image uploads, never a
# licensed photo (the ID scan of real-name) nor an award proof; the mobile
# qualification only image uploads; the developer avatar only avatar
# uploads (and the developer's real-name and award fields their own kinds).
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(107);

sub urow { user_row($_[0] // 0) || {} }

# Every kind of upload, made by $u (its token works on both faces).
sub uploads {
    my ($u) = @_;
    return {
        avatar           => upload_picture($u->{token}, 'avatar'),
        'licensed-photo' => upload_picture($u->{token}, 'licensed-photo'),
        'award-picture'  => upload_picture($u->{token}, 'award-picture'),
        image            => scalar mupload($u->{token}),
    };
}

sub portrait { my ($u, $path) = @_; mform(POST => "uploadPortrait/token/$u->{token}", { portrait => $path }) }
sub qualify  { my ($u, $path) = @_; mform(POST => "authenticationQualifications/token/$u->{token}", { picture => $path }) }

scenario 'uploadPortrait: a licensed photo or an award proof is refused' => sub {
    my $u = mregister();
    my $p = uploads($u);
    for my $kind ('licensed-photo', 'award-picture') {
        check_mfail(scalar portrait($u, $p->{$kind}), 1006, name => "portrait from a $kind upload",
                    info => qr/^输入的信息不符合/);
    }
    is urow($u->{id})->{avatar}, '', 'the avatar is unchanged';
    my (undef, $d) = mget("get_user_details?token=$u->{token}");
    is eval { $d->{data}{portrait} }, '', 'get_user_details shows no portrait';
    my ($r) = json_request(GET => '/api/me', undef, auth($u->{token}));
    is eval { decode_body($r)->{data}{avatar} }, '', 'nor does the developer face';
    for my $kind ('image', 'avatar') {
        check_mok(scalar portrait($u, $p->{$kind}), "portrait from an $kind upload", info => '添加成功');
        is urow($u->{id})->{avatar}, $p->{$kind}, "$kind: stored";
    }
};

scenario 'authenticationQualifications: image uploads only' => sub {
    my $u = mregister();
    my $p = uploads($u);
    for my $kind ('licensed-photo', 'award-picture', 'avatar') {
        check_mfail(scalar qualify($u, $p->{$kind}), 1006, name => "qualification from a $kind upload",
                    info => qr/^输入的信息不符合/);
    }
    is db_value("SELECT count(*) FROM qualifications WHERE user_id = $u->{id}"), 0, 'no qualification stored';
    is urow($u->{id})->{status}, 2, 'the status is unchanged';
    check_mok(scalar qualify($u, $p->{image}), 'qualification from an image upload',
              info => '从业资格证上传成功,等待客服认证');
    is db_value("SELECT picture FROM qualifications WHERE user_id = $u->{id}"), $p->{image}, 'stored';
};

scenario 'developer PUT user/base: avatar uploads only' => sub {
    my $u = signed_in();
    my $p = uploads($u);
    my %body = (province => '广东省', city => '深圳市', county => '南山区', is_overseas => 0, research_direction_id => [1]);
    for my $kind ('licensed-photo', 'award-picture', 'image') {
        check_error(scalar json_request(PUT => '/api/user/base', { %body, avatar => $p->{$kind} }, auth($u->{token})), 422,
                    name => "avatar from a $kind upload", field => 'avatar');
    }
    is urow($u->{id})->{avatar}, '', 'the avatar is unchanged';
    check_ok(scalar json_request(PUT => '/api/user/base', { %body, avatar => $p->{avatar} }, auth($u->{token})),
             'avatar from an avatar upload');
    is urow($u->{id})->{avatar}, $p->{avatar}, 'stored';
};

scenario "developer real-name and award fields refuse the mobile face's image uploads" => sub {
    my $u = signed_in();
    my $p = uploads($u);
    check_error(scalar json_request(PUT => '/api/user/authenticate/real-name',
                                    { actual_name => '张三', certificate_type_id => 1,
                                      id_number => valid_id_card(440306, 19750505, $$ % 1000),
                                      authenticate_picture => $p->{image} }, auth($u->{token})),
                422, name => 'real-name picture from an image upload', field => 'authenticate_picture');
    check_error(scalar json_request(POST => '/api/user/authenticate/award-info',
                                    { competition => 'c', award_level_id => 1, award_picture => [$p->{image}] },
                                    auth($u->{token})),
                422, name => 'award picture from an image upload', field => 'award_picture');
};

done_testing;
