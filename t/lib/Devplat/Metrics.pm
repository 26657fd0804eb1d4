package Devplat::Metrics;
# Helpers for the operations tests (t/ops/*.t): read SetHandler
# devplat-metrics and compare counters before and after.
#
#   my $m0 = scrape();                     # or scrape("$node->{url}/metrics")
#   ... requests ...
#   my $m1 = scrape();
#   is delta($m0, $m1, 'devplat_logins_total', face => 'developer', outcome => 'ok'), 1;
#   my ($rc, $out) = promtool($m1->{text});
#
# A sample is keyed by its name and its labels sorted by name, so the order
# the server writes them in does not matter; an absent sample reads 0.
#
# httpd counts a request when it logs it, just after the client has its
# answer: scrape() reads until two readings 50 ms apart count the same
# requests, so the last request before it is in.
use strict;
use warnings;

use Exporter 'import';
use Carp qw(croak);
use File::Temp ();
use Time::HiRes ();
use Devplat::Test qw(json_request);

our @EXPORT = qw(scrape sample delta sample_key promtool families PROMTOOL);

use constant PROMTOOL => '/usr/bin/promtool';

sub sample_key {
    my ($name, %l) = @_;
    return $name . '{' . join(',', map { qq{$_="$l{$_}"} } sort keys %l) . '}';
}

# Unescapes a label value of the exposition format.
sub _unescape {
    my ($v) = @_;
    $v =~ s/\\(["\\n])/$1 eq 'n' ? "\n" : $1/ge;
    return $v;
}

# scrape($url) -> {text, res, samples => {key => value}, help => {name => text},
# type => {name => type}}. Croaks unless the answer is 200.
sub scrape {
    my ($url) = @_;
    my $m = _read($url);
    for (1 .. 40) {
        Time::HiRes::sleep(0.05);
        my $again = _read($url);
        return $again if _answered($again) == _answered($m);
        $m = $again;
    }
    croak 'metrics: the request counts never settled';
}

sub _answered {
    my ($m) = @_;
    my $n = 0;
    for my $k (keys %{ $m->{samples} }) {
        $n += $m->{samples}{$k} if $k =~ /^devplat_http_request_duration_seconds_count\{/;
    }
    return $n;
}

sub _read {
    my ($url) = @_;
    my ($res) = json_request(GET => $url // '/metrics', undef, 'X-Forwarded-For' => undef);
    croak 'metrics: ' . $res->status_line unless $res->code == 200;
    my $text = $res->content;
    my (%samples, %help, %type);
    for my $line (split /\n/, $text) {
        if ($line =~ /^# HELP (\S+) (.*)$/) { $help{$1} = $2; next }
        if ($line =~ /^# TYPE (\S+) (\S+)$/) { $type{$1} = $2; next }
        next if $line =~ /^#/ || $line eq '';
        my ($name, $labels, $value) = $line =~ /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/
            or croak "metrics: a line that is no sample: $line";
        my %l;
        while (defined $labels && $labels =~ /\G([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gc) {
            $l{$1} = _unescape($2);
        }
        my $key = sample_key($name, %l);
        croak "metrics: $key twice" if exists $samples{$key};
        $samples{$key} = $value;
    }
    return { text => $text, res => $res, samples => \%samples, help => \%help, type => \%type };
}

sub sample {
    my ($m, $name, %l) = @_;
    return $m->{samples}{ sample_key($name, %l) } // 0;
}

sub delta {
    my ($before, $after, $name, %l) = @_;
    return sample($after, $name, %l) - sample($before, $name, %l);
}

# The samples of one metric name: list of [\%labels, value].
sub families {
    my ($m, $name) = @_;
    my @out;
    for my $k (sort keys %{ $m->{samples} }) {
        next unless $k =~ /^\Q$name\E\{(.*)\}$/;
        my %l = $1 =~ /([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g;
        push @out, [\%l, $m->{samples}{$k}];
    }
    return @out;
}

# promtool check metrics on text: (exit code, what it printed).
sub promtool {
    my ($text) = @_;
    my $in = File::Temp->new;
    print $in $text;
    close $in;
    my $out = qx{'${\ PROMTOOL}' check metrics <'$in' 2>&1};
    return ($? >> 8, $out);
}

1;
