# DevplatEventWebhook and DevplatEventSecretFile are checked when httpd
# reads them (httpd -t here): a bad one stops httpd with a message that
# names the directive and the fix.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp ();
use Apache::Test ();
use Devplat::Test;

client_net(173);

my $httpd = Apache::Test::vars('httpd');
my $conf = Apache::Test::vars('t_conf') . '/httpd.conf';
open my $fh, '<', $conf or die "$conf: $!";
my %seen;
my @modules = grep { !$seen{$_}++ } map { s/^\s+//r } grep { /^\s*LoadModule\s/ } <$fh>;
close $fh;
ok scalar(grep { /devplat_module/ } @modules), 'the module is loaded from the build';

my $dir = File::Temp->newdir;

sub key_file {
    my ($name, $bytes) = @_;
    my $f = "$dir/$name";
    open my $out, '>:raw', $f or die "$f: $!";
    print $out 'k' x $bytes;
    close $out;
    return $f;
}
my $good = key_file('good.key', 48);
my $short = key_file('short.key', 31);
my $edge = key_file('edge.key', 32);
my $long = key_file('long.key', 4097);

# httpd -t on a configuration with these lines: (exit code, output)
sub config_test {
    my (@lines) = @_;
    my $file = "$dir/test.conf";
    open my $out, '>', $file or die "$file: $!";
    print $out "ServerRoot $dir\nServerName localhost\nErrorLog $dir/error_log\n", @modules,
               map { "$_\n" } @lines;
    close $out;
    my $text = qx{'$httpd' -t -f '$file' 2>&1};
    return ($? >> 8, $text);
}

my ($rc, $out) = config_test('DevplatEventWebhook https://hooks.example.com/devplat',
                             "DevplatEventSecretFile $good");
is $rc, 0, 'an https URL and a 48-byte key: Syntax OK' or diag $out;
($rc, $out) = config_test('DevplatEventWebhook http://127.0.0.1:8080/hook', "DevplatEventSecretFile $edge");
is $rc, 0, 'an http URL with a port and a 32-byte key: Syntax OK' or diag $out;
($rc, $out) = config_test("DevplatEventSecretFile $good");
is $rc, 0, 'a key alone starts (no event is written; httpd warns when it starts)' or diag $out;

my @bad = (
    [['DevplatEventWebhook ftp://example.com/x', "DevplatEventSecretFile $good"],
     qr/DevplatEventWebhook: 'ftp:\/\/example\.com\/x' is not an http:\/\/ or https:\/\/ URL \(for example: DevplatEventWebhook https:\/\/hooks\.example\.com\/devplat\)/,
     'another scheme'],
    [['DevplatEventWebhook example.com/hook', "DevplatEventSecretFile $good"],
     qr/DevplatEventWebhook: 'example\.com\/hook' is not an http/, 'no scheme'],
    [['DevplatEventWebhook http://', "DevplatEventSecretFile $good"],
     qr/DevplatEventWebhook: 'http:\/\/' is not an http/, 'no host'],
    [['DevplatEventWebhook https://hooks.example.com/devplat'],
     qr/DevplatEventWebhook needs DevplatEventSecretFile: every event is signed with its key/,
     'a webhook without a key'],
    [["DevplatEventSecretFile $short", 'DevplatEventWebhook https://hooks.example.com/x'],
     qr/DevplatEventSecretFile: \Q$short\E holds 31 bytes; the key must be 32 to 4096 bytes \(for example: head -c 48 \/dev\/urandom > \Q$short\E\)/,
     'a key of 31 bytes'],
    [["DevplatEventSecretFile $long"], qr/DevplatEventSecretFile: \Q$long\E holds 4097 bytes/, 'a key of 4097 bytes'],
    [["DevplatEventSecretFile $dir/nope.key"], qr/DevplatEventSecretFile: cannot read \Q$dir\E\/nope\.key/,
     'a missing file'],
    [['<VirtualHost *:80>', 'DevplatEventWebhook https://hooks.example.com/x', '</VirtualHost>'],
     qr/DevplatEventWebhook belongs in the main server configuration/, 'a webhook in a virtual host'],
    [['<VirtualHost *:80>', "DevplatEventSecretFile $good", '</VirtualHost>'],
     qr/DevplatEventSecretFile belongs in the main server configuration/, 'a key in a virtual host'],
    [['<Location /x>', 'DevplatEventWebhook https://hooks.example.com/x', '</Location>'],
     qr/DevplatEventWebhook not allowed in <Location> context/, 'a webhook in a <Location>'],
    [['DevplatEventWebhook'], qr/DevplatEventWebhook takes one argument/, 'no argument'],
);
for my $b (@bad) {
    my ($lines, $re, $name) = @$b;
    ($rc, $out) = config_test(@$lines);
    isnt $rc, 0, "$name: httpd refuses to start";
    like $out, $re, "$name: the message names the directive" or diag $out;
}

done_testing;
