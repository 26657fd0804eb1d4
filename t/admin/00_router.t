# The admin face at /admin/api: its eight routes (signUp included), 404/405 in its envelope,
# cmd as 001 shows it.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;

client_net(50);

my %allow = (
    'captcha'       => 'GET',
    'signUp'        => 'PUT',
    'login'         => 'POST',
    'list/user'     => 'GET',
    'user/1'        => 'DELETE,GET,PUT',
    'audit/user/1'  => 'PUT',
);

scenario 'unknown paths: 404 in the admin envelope, cmd is the path' => sub {
    for my $path ('nope', 'signup', 'Login', 'list', 'list/user/1', 'user', 'user/1/x',
                  'audit/user', 'audit/user/1/2', 'captcha/1', '') {
        my $res = admin(GET => $path);
        check_admin_error($res, 404, name => "GET '$path'", cmd => $path, message => '接口不存在');
    }
    check_admin_error(scalar admin(POST => 'nope', { a => 1 }), 404, name => 'POST nope', cmd => 'nope');
};

scenario 'wrong methods: 405 with Allow, in the envelope' => sub {
    for my $path (sort keys %allow) {
        my %ok = map { $_ => 1 } split /,/, $allow{$path};
        for my $m (grep { !$ok{$_} } qw(GET POST PUT DELETE PATCH)) {
            my $res = admin($m => $path, ($m =~ /^(POST|PUT|PATCH)$/ ? {} : undef));
            check_admin_error($res, 405, name => "$m $path", cmd => $path);
            my $allow = $res->header('Allow') // '';
            like $allow, qr/\b$_\b/, "$m $path: Allow lists $_" for sort keys %ok;
            unlike $allow, qr/\b$m\b/, "$m $path: Allow does not list $m";
        }
    }
};

scenario 'query strings and the location' => sub {
    my ($res, $json) = admin(GET => 'list/user?page=2');
    check_admin_error($res, 401, name => 'list/user?page=2 without a token', cmd => 'list/user');
    ($res) = json_request(GET => '/admin/api');
    check_admin_error($res, 404, name => 'the location itself', cmd => '');
    ($res) = json_request(GET => '/admin/apix/captcha');
    isnt $res->code, 200, '/admin/apix is not the admin face';
    ($res) = json_request(GET => '/admin/captcha');
    isnt $res->code, 200, '/admin/captcha is not the admin face';
};

scenario 'the developer face is untouched' => sub {
    my ($res, $json) = json_request(GET => '/api/captcha');
    is $res->code, 404, '/api/captcha: 404';
    ok exists $json->{status_code}, 'in the developer envelope';
};

done_testing;
