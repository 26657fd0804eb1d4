# The six lookup lists of the personal centre: 证件类型, 领域, 学历, 职位,
# 奖项等级, 研究方向.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(32);

my $u = eval { register_user() };
my $token = $u ? eval { login($u->{username}, $u->{password}) } : undef;

my %lookup = (
    '/api/user/authenticate/certificate-type' => [qw(居民身份证 护照 港澳居民来往内地通行证
                                                     台湾居民来往大陆通行证 外国人永久居留身份证 港澳台居民居住证)],
    '/api/user/authenticate/education'        => [qw(高中及以下 大专 本科 硕士 博士)],
    '/api/user/authenticate/award-level'      => [qw(国际级 国家级 省部级 市级 校级)],
    '/api/user/authenticate/position'         => undef,
    '/api/user/authenticate/domain'           => undef,
    '/api/user/base/research-direction'       => undef,
);

for my $path (sort keys %lookup) {
    scenario "GET $path" => sub {
        die "no token\n" unless $token;
        my ($res, $json) = json_request(GET => $path, undef, auth($token));
        check_ok($res, $path);
        is jtype($res, 'data'), 'array', "$path: data is an array";
        my @rows = ref $json->{data} eq 'ARRAY' ? @{ $json->{data} } : ();
        ok @rows >= 5, "$path: real rows (" . scalar(@rows) . ')';
        for my $i (0 .. $#rows) {
            is jtype($res, 'data', $i, 'id'), 'integer', "$path: [$i].id is an integer";
            is jtype($res, 'data', $i, $_), 'string', "$path: [$i].$_ is a string"
                for qw(name created_at updated_at);
            like $rows[$i]{$_}, DATETIME_RE, "$path: [$i].$_ format" for qw(created_at updated_at);
            ok length $rows[$i]{name}, "$path: [$i].name not empty";
            is_deeply [sort keys %{ $rows[$i] }], [qw(created_at id name updated_at)],
                "$path: [$i] has exactly the documented fields";
        }
        my %seen;
        ok !(grep { $seen{$_->{id}}++ } @rows), "$path: ids are unique";
        if (my $want = $lookup{$path}) {
            is_deeply [map { $_->{name} } @rows], $want, "$path: the names, in order";
            is_deeply [map { $_->{id} } @rows], [1 .. @$want], "$path: ids 1..n";
        }
        my $j = decode_body($res);
        ok((grep { $_->{name} =~ /[\x{4e00}-\x{9fff}]/ } @rows) == @rows, "$path: Chinese names");

        check_401(scalar json_request(GET => $path), "$path without a token");
        check_401(scalar json_request(GET => $path, undef, auth('x.y.z')), "$path with a broken token");
        ($res) = json_request(POST => $path, {}, auth($token));
        check_error($res, 405, name => "POST $path");
        ($res) = json_request(HEAD => $path, undef, auth($token));
        is $res->code, 200, "HEAD $path";
    };
}

scenario 'research directions are those of a computer-vision platform' => sub {
    die "no token\n" unless $token;
    my (undef, $json) = json_request(GET => '/api/user/base/research-direction', undef, auth($token));
    my %names = map { $_->{name} => 1 } @{ $json->{data} || [] };
    ok $names{$_}, "research direction $_" for qw(图像分类 目标检测 图像分割 人脸识别);
};

scenario 'a row added by the site shows up' => sub {
    die "no token\n" unless $token;
    db(q{INSERT INTO positions (name, sort, created_at, updated_at) VALUES ('测试职位', 99, '2026-01-02 03:04:05', '2026-01-02 03:04:05')});
    my (undef, $json) = json_request(GET => '/api/user/authenticate/position', undef, auth($token));
    my ($row) = grep { $_->{name} eq '测试职位' } @{ $json->{data} || [] };
    ok $row, 'the new row is listed';
    is $row->{created_at}, '2026-01-02 03:04:05', 'with its time' if $row;
    is $json->{data}[-1]{name}, '测试职位', 'in sort order (last)';
    ok $row && $row->{id} > 10, 'the sequence continues after the shipped ids' if $row;
    db(q{DELETE FROM positions WHERE name = '测试职位'});
};

done_testing;
