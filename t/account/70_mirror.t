# GET /api/user/mirror
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::AccountTest;

client_net(47);

my $P = '/api/user/mirror';
sub get { json_request(GET => $P, undef, auth($_[0]{token})) }

sub image {
    my ($u, $name, $tag, $bytes, $remark, $at) = @_;
    return db_value("INSERT INTO mirrors (user_id, name, tag, size_bytes, remark, created_at, updated_at) VALUES ($u->{id}, "
                    . join(', ', map { sql_quote($_) } $name, $tag, $bytes, $remark, $at, $at) . ') RETURNING id');
}

sub quota { db_value("SELECT mirror_space_gb FROM levels WHERE level = $_[0]") }

scenario 'a user without images: [] and the whole free space' => sub {
    my $u = signed_in();
    my ($res, $json) = get($u);
    check_ok($res, 'mirror');
    is jtype($res, 'data'), 'array', 'data is an array';
    is_deeply $json->{data}, [], 'no images';
    is join(',', sort keys %$json), 'data,message,meta,status_code', 'the envelope has meta';
    is join(',', sort keys %{ $json->{meta} }), 'free_mirror_space,surplus_mirror_space', 'meta fields';
    is jtype($res, qw(meta free_mirror_space)), 'integer', 'free_mirror_space is an integer';
    is jtype($res, qw(meta surplus_mirror_space)), 'string', 'surplus_mirror_space is a string';
    is $json->{meta}{free_mirror_space}, quota(1), "free space: level 1's";
    is $json->{meta}{surplus_mirror_space}, '' . quota(1), 'all of it left';
};

scenario 'images: every field; sizes in GB; the space left is computed' => sub {
    my $u = signed_in();
    my $a = image($u, 'tensorflow基础镜像', '1.0.0', 20_500_000_000, 'tensorflow基础镜像安装基础扩展', '2024-03-01 09:00:00');
    my $b = image($u, 'pytorch训练镜像', 'cuda11.8', 29_000_000_000, '', '2024-04-01 09:00:00');
    my ($res, $json) = get($u);
    check_ok($res, 'mirror');
    is scalar @{ $json->{data} }, 2, 'two images';
    my %type = (id => 'integer', name => 'string', tag => 'string', size => 'string', remark => 'string',
                created_at => 'string', updated_at => 'string');
    for my $i (0, 1) {
        is join(',', sort keys %{ $json->{data}[$i] }), join(',', sort keys %type), "data.$i: the documented fields";
        is jtype($res, 'data', $i, $_), $type{$_}, "data.$i.$_ is $type{$_}" for sort keys %type;
    }
    is_deeply $json->{data}[1], { id => $a, name => 'tensorflow基础镜像', tag => '1.0.0', size => '20.5',
                                  remark => 'tensorflow基础镜像安装基础扩展', created_at => '2024-03-01 09:00:00',
                                  updated_at => '2024-03-01 09:00:00' }, 'the older image, second';
    is $json->{data}[0]{id}, $b, 'the newer image first';
    is $json->{data}[0]{size}, '29', 'a whole number of GB';
    is $json->{meta}{free_mirror_space}, quota(1), 'free space';
    my $left = quota(1) - 49.5;
    is $json->{meta}{surplus_mirror_space}, "$left", "left: " . quota(1) . ' - 20.5 - 29';
};

scenario 'the level sets the free space; an overdrawn space is 0' => sub {
    my $u = signed_in();
    db("UPDATE users SET level = 2 WHERE id = $u->{id}");
    image($u, 'big', 'v1', 1_250_000_000, 'x', '2024-01-01 00:00:00');
    my ($res, $json) = get($u);
    is $json->{meta}{free_mirror_space}, quota(2), "level 2's free space";
    is $json->{meta}{surplus_mirror_space}, '' . (quota(2) - 1.25), 'left with two decimals';
    image($u, 'huge', 'v1', (quota(2) + 1) * 1_000_000_000, 'x', '2024-01-02 00:00:00');
    ($res, $json) = get($u);
    is $json->{meta}{surplus_mirror_space}, '0', 'over the quota: 0 left';
};

scenario "another user's images are not listed" => sub {
    my $u = signed_in();
    my $v = signed_in();
    image($u, 'u-only', 'v1', 1_000_000_000, '', '2024-01-01 00:00:00');
    my ($res, $json) = get($v);
    is_deeply $json->{data}, [], 'v has none';
    is $json->{meta}{surplus_mirror_space}, '' . quota(1), "u's image does not use v's space";
};

scenario 'tokens: 401' => sub {
    check_401(scalar json_request(GET => $P), 'no token');
    check_401(scalar json_request(GET => $P, undef, auth('a.b.c')), 'malformed');
    my $u = signed_in();
    db("UPDATE users SET status = 5 WHERE id = $u->{id}");
    check_401(scalar get($u), 'deleted user');
};

done_testing;
