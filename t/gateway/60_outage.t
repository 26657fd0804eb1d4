# The gateway while the database cannot be reached: a token cannot be
# checked, so nothing is let through; the answer is a 503 in the developer
# envelope with Retry-After, never the protected content. A node is started
# on a database address where nothing answers.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Node;

client_net(186);

use constant MSG_UNAVAILABLE => '服务暂不可用，请稍后重试';

my $u = register_user();
my $token = login($u->{username}, $u->{password});

my $node = start_node('gateway_outage', engine_edit => sub {
    if (engine() eq 'sqlite') { s{^DBDParams .*$}{DBDParams "/nonexistent-devplat/devplat.db"}m }
    elsif (engine() eq 'pgsql') { s{port=5432}{port=1} or die 'no port in the pgsql lines' }
    else { s{sock=\S+}{sock=/nonexistent-devplat/mysql.sock} or die 'no sock in the mysql lines' }
});

sub unavailable {
    my ($path, $name, @h) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my ($res, $json) = json_request(GET => "$node->{url}$path", undef, @h);
    check_error($res, 503, name => $name, message => MSG_UNAVAILABLE);
    like $res->header('Retry-After') // '', qr/^[1-9]\d*$/, "$name: Retry-After";
    is $res->header('WWW-Authenticate'), undef, "$name: no challenge (the token was not judged)";
    unlike $res->content, qr/protected file|"env"/, "$name: nothing of what is protected";
}

scenario 'a valid token is not let through while its session cannot be read' => sub {
    unavailable('/gw/files/secret.txt', "the static file, try $_", auth($token)) for 1 .. 3;
    unavailable('/gw/admin', 'a Require devplat-admin location', auth($token));
    unavailable('/gw/env', 'a location passing claims', auth($token));
    my ($res) = json_request(HEAD => "$node->{url}/gw/files/secret.txt", undef, auth($token));
    is $res->code, 503, 'HEAD: 503';
    is $res->content, '', 'HEAD: no body';
};

scenario 'no token needs no database: 401 as always' => sub {
    my ($res) = json_request(GET => "$node->{url}/gw/files/secret.txt");
    check_error($res, 401, name => 'no token', message => MSG_TOKEN);
};

scenario 'the suite\'s own server still lets the same token in' => sub {
    my ($res) = json_request(GET => '/gw/files/secret.txt', undef, auth($token));
    is $res->code, 200, 'the token is good where the database answers';
};

stop_node($node);
done_testing;
