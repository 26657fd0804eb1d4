# Runs after the mobile tests: the server survived them (no crashed
# children, no sanitizer reports) and logged no password or token.
use strict;
use warnings;
use Test::More;
use Apache::Test ();
use Devplat::Test;
use Devplat::Mobile;

client_net(69);

my $log = Apache::Test::vars('t_logs') . '/error_log';
ok -f $log, 'error_log exists';
open my $fh, '<:raw', $log or die "$log: $!";
my (@crash, @secret);
while (my $line = <$fh>) {
    push @crash, $line if $line =~ /exit signal|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|double free|stack smashing|\[core:(emerg|alert|crit)\]/;
    push @secret, $line if $line =~ /Passw0rd!|N3wpass!|a123456\.|eyJ[\w-]{10,}\.[\w-]{10,}\./;
}
is scalar(@crash), 0, 'no crashed httpd children or sanitizer reports in the error log'
    or diag join '', @crash[0 .. ($#crash < 20 ? $#crash : 20)];
is scalar(@secret), 0, 'no test passwords or tokens in the error log'
    or diag join '', @secret[0 .. ($#secret < 5 ? $#secret : 5)];

my ($res) = mget('nope');
is $res->code, 404, 'the mobile face still answers';

done_testing;
