#!/usr/bin/perl
# Runs one TAP producer, echoes its output and appends "NAME\tPASSED\tFAILED"
# to the results file. Used by scripts/run-tests.sh for the C unit tests and
# for every Apache::Test .t file.
#
#   perl t/lib/tally.pl --name NAME --results FILE [--timeout S] -- CMD ARGS...
#
# Counting: every "ok" line is a pass and every "not ok" line a failure
# (TODO tests follow TAP: a failing TODO is not a failure). A skipped test or
# a skipped file counts as failed, and so does a producer that dies, exits
# non-zero, times out, prints no plan or runs fewer tests than it planned
# (the missing tests are failures, at least one).
use strict;
use warnings;
use Getopt::Long qw(GetOptions);
use TAP::Parser;

my ($name, $results, $timeout) = (undef, undef, 600);
GetOptions('name=s' => \$name, 'results=s' => \$results, 'timeout=i' => \$timeout)
    or die "usage: $0 --name NAME --results FILE [--timeout S] -- CMD...\n";
die "usage: $0 --name NAME --results FILE -- CMD...\n" unless defined $name && defined $results && @ARGV;
$| = 1;

my @cmd = ('timeout', '-k', '10', $timeout, @ARGV);
# stderr (diagnostics) goes straight to ours; TAP comes on stdout.
my $parser = TAP::Parser->new({ exec => \@cmd, merge => 0 });

my ($passed, $failed, $skipped) = (0, 0, 0);
my @problems;
while (my $result = $parser->next) {
    print $result->as_string, "\n";
    next unless $result->is_test;
    if ($result->has_skip) {
        $skipped++;
        $failed++;
    }
    elsif ($result->is_ok) {
        $passed++;
    }
    else {
        $failed++;
    }
}

my $planned = $parser->tests_planned;
my $run     = $parser->tests_run;
my $exit    = $parser->exit;
my $wait    = $parser->wait;

if ($parser->skip_all) {
    push @problems, "skipped the whole file: " . $parser->skip_all;
    $failed++;
}
elsif (!defined $planned) {
    push @problems, "no plan (died before done_testing?)";
    $failed++;
}
elsif ($run < $planned) {
    push @problems, "planned $planned tests but ran $run";
    $failed += $planned - $run;
}
elsif ($run > $planned) {
    push @problems, "planned $planned tests but ran $run";
    $failed++;
}
push @problems, "$skipped test(s) skipped" if $skipped;
if ($wait) {
    my $why = $exit == 124 ? "timed out after ${timeout}s"
            : $exit ? "exited with status $exit"
            : "killed by signal " . ($wait & 127);
    push @problems, $why;
    # a non-zero exit with failing tests is normal (Test::More exits with the
    # number failed); only count it when no failure was recorded yet
    $failed++ unless $failed;
}
for my $e ($parser->parse_errors) {
    push @problems, "TAP parse error: $e";
}
$failed++ if $parser->parse_errors && !$failed;

print "# $name: $_\n" for @problems;
printf "# %s: %d ok, %d not ok\n", $name, $passed, $failed;

open my $fh, '>>', $results or die "$results: $!";
printf $fh "%s\t%d\t%d\n", $name, $passed, $failed;
close $fh;
exit($failed ? 1 : 0);
