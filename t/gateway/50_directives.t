# The gateway's configuration is checked when httpd reads it: a bad
# Require devplat-... argument, DevplatPassClaimsAs or DevplatTokenCookie
# stops httpd at startup (httpd -t here) with a message naming it.
use strict;
use warnings;
use utf8;
use Test::More;
use Apache::Test ();
use Devplat::Test;
use Devplat::Node;

client_net(185);

like Devplat::Node::slurp(Apache::Test::vars('t_conf') . '/httpd.conf'),
    qr/^\s*LoadModule\s+devplat_module\s/m, 'the module is loaded from the build';

# httpd -t with these lines inside a <Location>: (exit code, output)
sub location_test { return config_test('<Location /protected>', @_, '</Location>') }

my ($rc, $out) = location_test('AuthType devplat', 'AuthName "downloads"',
                             'DevplatTokenCookie devplat_token', 'DevplatPassClaimsAs both',
                             '<RequireAny>', 'Require devplat-admin', 'Require devplat-level 0',
                             '<RequireAll>', 'Require devplat-user', 'Require devplat-verified',
                             'Require devplat-level 100000', '</RequireAll>', '</RequireAny>');
is $rc, 0, 'every provider, both directives, nested: Syntax OK' or diag $out;
for my $mode (qw(none headers environment both Headers)) {
    ($rc, $out) = location_test("DevplatPassClaimsAs $mode");
    is $rc, 0, "DevplatPassClaimsAs $mode: Syntax OK" or diag $out;
}

my $LEVEL = qr/Require devplat-level takes one whole number from 0 to 100000, the lowest level let in/;
my @bad = (
    ['Require devplat-level abc', qr/$LEVEL \(found 'abc'; for example: Require devplat-level 2\)/,
     'devplat-level abc'],
    ['Require devplat-level', qr/$LEVEL \(found ''/, 'devplat-level without a number'],
    ['Require devplat-level -1', qr/$LEVEL \(found '-1'/, 'a negative level'],
    ['Require devplat-level 2.5', qr/$LEVEL \(found '2\.5'/, 'a fraction'],
    ['Require devplat-level 100001', qr/$LEVEL \(found '100001'/, 'a level too high'],
    ['Require devplat-level 99999999999999999999', qr/$LEVEL/, 'a number beyond 64 bits'],
    ['Require devplat-level 2 3', qr/$LEVEL \(found '2 3'/, 'two numbers'],
    ['Require devplat-user 5', qr/Require devplat-user takes no argument \(found '5'\)/, 'devplat-user 5'],
    ['Require devplat-admin yes', qr/Require devplat-admin takes no argument \(found 'yes'\)/,
     'devplat-admin yes'],
    ['Require devplat-verified real-name', qr/Require devplat-verified takes no argument/,
     'devplat-verified real-name'],
    ['DevplatPassClaimsAs cookies',
     qr/DevplatPassClaimsAs: 'cookies' is not one of none, headers, environment, both/, 'an unknown mode'],
    ['DevplatPassClaimsAs', qr/DevplatPassClaimsAs takes one argument/, 'no mode'],
    ['DevplatTokenCookie "a b"', qr/DevplatTokenCookie: 'a b' is not a cookie name/, 'a cookie name with a space'],
    ['DevplatTokenCookie tok;en', qr/DevplatTokenCookie: 'tok;en' is not a cookie name/, 'a cookie name with ;'],
    ['DevplatTokenCookie ""', qr/DevplatTokenCookie: '' is not a cookie name|DevplatTokenCookie takes one argument/, 'an empty cookie name'],
);
for my $b (@bad) {
    my ($line, $re, $name) = @$b;
    ($rc, $out) = location_test('AuthType devplat', $line);
    isnt $rc, 0, "$name: httpd refuses to start";
    like $out, $re, "$name: the message" or diag $out;
    like $out, qr/line \d+ of /, "$name: the line is named";
}

# DevplatPassClaimsAs and DevplatTokenCookie belong to a directory
for my $line ('DevplatPassClaimsAs both', 'DevplatTokenCookie devplat_token') {
    my ($name) = split / /, $line;
    ($rc, $out) = config_test($line);
    isnt $rc, 0, "$name outside a directory: refused";
    like $out, qr/$name not allowed here/, "$name outside a directory: the message";
}

done_testing;
