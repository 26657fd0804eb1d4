# Router: unknown paths, wrong methods, JSON everywhere.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(10);

scenario 'unknown path is a 404 envelope' => sub {
    for my $path ('/api/nope', '/api/register-sms/extra', '/api/', '/api/ME', '/api/me/1') {
        my $res = json_request(GET => $path);
        check_error($res, 404, name => "GET $path");
    }
};

scenario 'unknown path with other methods is still a 404 envelope' => sub {
    my $res = json_request(POST => '/api/nope', { a => 1 });
    check_error($res, 404, name => 'POST /api/nope');
};

my %allow = (
    '/api/register-sms' => 'GET',
    '/api/register'     => 'POST',
    '/api/login'        => 'POST',
    '/api/me'           => 'GET',
    '/api/logout'       => 'DELETE',
    '/api/refresh'      => 'PUT',
);
my @methods = qw(GET POST PUT DELETE PATCH);

scenario 'wrong method is a 405 envelope with Allow' => sub {
    for my $path (sort keys %allow) {
        for my $m (grep { $_ ne $allow{$path} } @methods) {
            my $res = json_request($m => $path, ($m =~ /^(POST|PUT|PATCH)$/ ? {} : undef));
            check_error($res, 405, name => "$m $path");
            my $allow = $res->header('Allow') // '';
            like $allow, qr/\b$allow{$path}\b/, "$m $path: Allow lists $allow{$path}";
            unlike $allow, qr/\b$m\b/, "$m $path: Allow does not list $m";
        }
    }
};

scenario 'POST /api/me: 405, Allow has GET' => sub {
    my ($res, $json) = json_request(POST => '/api/me', {});
    check_error($res, 405, name => 'POST /api/me');
    like $res->header('Allow') // '', qr/\bGET\b/, 'Allow contains GET';
};

scenario 'query strings do not change routing' => sub {
    my $res = json_request(GET => '/api/me?x=1');
    check_401($res, 'GET /api/me?x=1 without a token');
};

scenario 'other locations are not the API' => sub {
    my $res = json_request(GET => '/not-the-api');
    isnt $res->code, 200, 'GET /not-the-api is not served by the module';
};

done_testing;
