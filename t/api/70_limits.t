# Over LimitRequestBody on a JSON endpoint (<Location /limited>, the
# developer face with a 16-byte limit in t/conf/extra.conf.in): httpd
# answers 413 itself and the module adds no second answer.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(17);

scenario 'LimitRequestBody: httpd\'s 413, one answer' => sub {
    my $u = register_user();
    my ($res) = json_request(POST => '/limited/login', { username => $u->{username}, password => $u->{password} });
    is $res->code, 413, 'HTTP 413';
    unlike $res->content, qr/status_code/, 'no JSON envelope written after httpd\'s own answer';
    my ($ok) = json_request(GET => '/limited/nope');
    check_error($ok, 404, name => 'the location itself answers in the envelope');
    is db_value("SELECT count(*) FROM sessions WHERE user_id = $u->{id}"), 0, 'no session was made';
};

done_testing;
