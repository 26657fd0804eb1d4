# Runs last in t/profile: the server survived the personal-centre tests (no
# crashed children, no sanitizer reports, no temporary upload files left).
use strict;
use warnings;
use Test::More;
use Apache::Test ();
use Devplat::Test;

client_net(39);

my $log = Apache::Test::vars('t_logs') . '/error_log';
open my $fh, '<:raw', $log or die "$log: $!";
my @crash;
while (my $line = <$fh>) {
    push @crash, $line if $line =~ /exit signal|Segmentation fault|AddressSanitizer|LeakSanitizer|runtime error:|double free|stack smashing|\[core:(emerg|alert|crit)\]/;
}
is scalar(@crash), 0, 'no crashed httpd children or sanitizer reports in the error log'
    or diag join '', @crash[0 .. ($#crash < 20 ? $#crash : 20)];
is_deeply [storage_leftovers()], [], 'no temporary upload file left in the storage directory';
my ($res) = json_request(GET => '/api/user/base');
is $res->code, 401, 'the server still answers';

done_testing;
