# Runs last (its name sorts after every directory of t/): both nodes
# survived the suite (no crashed children, no sanitizer reports, no secrets
# in the error logs).
use strict;
use warnings;
use Test::More;
use Apache::Test ();
use Devplat::Test;

client_net(99);

my $logs = Apache::Test::vars('t_logs');
my (@crash, @secret);
for my $log ("$logs/error_log", "$logs/node2_error_log") {
    ok -f $log, "$log exists";
    open my $fh, '<:raw', $log or die "$log: $!";
    while (my $line = <$fh>) {
        push @crash, $line if $line =~ /exit signal|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|double free|stack smashing|\[core:(emerg|alert|crit)\]/;
        push @secret, $line if $line =~ /Passw0rd!|a123456\.|NewPassw0rd/;
    }
}
is scalar(@crash), 0, 'no crashed httpd children or sanitizer reports in the error log'
    or diag join '', @crash[0 .. ($#crash < 20 ? $#crash : 20)];
is scalar(@secret), 0, 'no test passwords in the error log'
    or diag join '', @secret[0 .. ($#secret < 5 ? $#secret : 5)];

my ($res) = json_request(GET => '/api/nope');
is $res->code, 404, 'the server still answers';

done_testing;
