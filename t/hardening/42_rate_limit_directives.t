# DevplatRateLimit and DevplatPurgeInterval are checked when httpd reads
# them: a bad one stops httpd at startup (httpd -t here) with a message
# that names the directive, the allowed range or names, and the fix.
use strict;
use warnings;
use utf8;
use Test::More;
use Apache::Test ();
use Devplat::Test;
use Devplat::Node;

client_net(134);

like Devplat::Node::slurp(Apache::Test::vars('t_conf') . '/httpd.conf'),
    qr/^\s*LoadModule\s+devplat_module\s/m, 'the module is loaded from the build';

my ($rc, $out) = config_test('DevplatRateLimit identity-account 5 3600',
                             'DevplatRateLimit identity-address 20 3600',
                             'DevplatRateLimit existence-account 20 3600',
                             'DevplatRateLimit existence-address 60 3600',
                             'DevplatRateLimit captcha-address 0 60',
                             'DevplatRateLimit Captcha-Address 30 60',
                             'DevplatRateLimit review-account 20 3600',
                             'DevplatPurgeInterval 60');
is $rc, 0, 'every name, count 0 and a name in another case: Syntax OK' or diag $out;

my @bad = (
    ['DevplatRateLimit bogus 5 60',
     qr/DevplatRateLimit: unknown limit 'bogus' \(the limits are: identity-account, identity-address, existence-account, existence-address, captcha-address, review-account\)/,
     'an unknown name: the names'],
    ['DevplatRateLimit identity-account -1 3600',
     qr/DevplatRateLimit identity-account: the count '-1' is not a whole number from 0 \(no limit\) to 1000000 \(for example: DevplatRateLimit identity-account 5 3600\)/,
     'a negative count: the range and an example'],
    ['DevplatRateLimit identity-account 5x 3600', qr/the count '5x' is not a whole number/, 'a count with junk'],
    ['DevplatRateLimit identity-account 1000001 3600', qr/the count '1000001'/, 'a count too large'],
    ['DevplatRateLimit captcha-address 5 0',
     qr/DevplatRateLimit captcha-address: the window '0' is not a whole number of seconds from 1 to 604800/,
     'a window of 0'],
    ['DevplatRateLimit captcha-address 5 604801', qr/the window '604801'/, 'a window over a week'],
    ['DevplatRateLimit captcha-address 5', qr/DevplatRateLimit takes three arguments, name count window-seconds/,
     'two arguments'],
    ['DevplatPurgeInterval 0', qr/DevplatPurgeInterval: '0' is not a whole number from 1 to 86400/,
     'a purge interval of 0'],
    ['DevplatPurgeInterval soon', qr/DevplatPurgeInterval: 'soon'/, 'a purge interval that is not a number'],
);
for my $b (@bad) {
    my ($line, $re, $name) = @$b;
    ($rc, $out) = config_test($line);
    isnt $rc, 0, "$name: httpd refuses to start";
    like $out, $re, "$name: the message" or diag $out;
    like $out, qr/line \d+ of /, "$name: the line is named";
}

done_testing;
