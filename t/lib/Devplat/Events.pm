package Devplat::Events;
# Helpers of the account events' tests (t/events/*.t): the receiver
# (t/events/receiver.py, on a free port of 127.0.0.1, one JSON line per
# request), an httpd node that sends events to it (Devplat::Node with
# DevplatEventWebhook and DevplatEventSecretFile), and an independent
# check of the signature (Digest::SHA).
#
#   my $rx = start_receiver();                    # {port, url, log, mode}
#   my $n = event_node('ev1', $rx);               # requests go there
#   receiver_mode($rx, '500');  stop_receiver($rx);  start_receiver(port => $rx->{port}, ...)
#   my @got = received($rx);                      # every request, oldest first
#   my @ev = wait_delivered($rx, [$id1, ...]);    # the first 2xx of each event id
use strict;
use warnings;
use utf8;

use Exporter 'import';
use Carp qw(croak);
use File::Temp ();
use JSON::PP ();
use Encode ();
use Digest::SHA qw(hmac_sha256_hex);
use Apache::Test ();
use Devplat::Test;
use Devplat::Node;

our @EXPORT = qw(start_receiver stop_receiver receiver_mode received delivered_ok
                 event_node event_key outbox_ids outbox_rows wait_until wait_delivered
                 signature_ok EVENT_ID_RE EVENT_TIME_RE check_event);

use constant EVENT_ID_RE   => qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
use constant EVENT_TIME_RE => qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

my $DIR = File::Temp->newdir;
my $KEY;
my @receivers;

# The secret of DevplatEventSecretFile (48 random bytes), written once.
sub event_key {
    return ($KEY, "$DIR/event.key") if defined $KEY;
    open my $r, '<:raw', '/dev/urandom' or die "/dev/urandom: $!";
    read $r, $KEY, 48;
    close $r;
    open my $w, '>:raw', "$DIR/event.key" or die "$DIR/event.key: $!";
    print $w $KEY;
    close $w;
    return ($KEY, "$DIR/event.key");
}

# start_receiver(port => N (0: a free one), log => path, mode => '500'|'')
sub start_receiver {
    my (%o) = @_;
    my $rx = { port => $o{port} // 0, log => $o{log} // "$DIR/received-" . (@receivers + 1),
               mode => $o{mode_file} // "$DIR/mode-" . (@receivers + 1) };
    receiver_mode($rx, $o{mode} // '');
    my $script = Apache::Test::vars('top_dir') . '/t/events/receiver.py';
    my $pid = open my $out, '-|', 'python3', $script, $rx->{port}, $rx->{log}, $rx->{mode}
        or croak "receiver: $!";
    my $port = <$out>;
    croak 'the receiver did not start' unless defined $port && $port =~ /^(\d+)$/;
    @$rx{qw(port pid fh)} = ($1, $pid, $out);
    $rx->{url} = "http://127.0.0.1:$rx->{port}/hook";
    push @receivers, $rx;
    return $rx;
}

sub stop_receiver {
    my ($rx) = @_;
    return unless $rx->{pid};
    local $?;       # (in an END block: the test's exit status)
    kill 'TERM', $rx->{pid};
    close $rx->{fh};
    delete $rx->{pid};
}

sub receiver_mode {
    my ($rx, $mode) = @_;
    open my $fh, '>', $rx->{mode} or die "$rx->{mode}: $!";
    print $fh $mode;
    close $fh;
}

# Every request the receiver recorded: {at, path, status, body, headers, event}
# (event: the body decoded).
sub received {
    my ($rx) = @_;
    open my $fh, '<', $rx->{log} or return ();
    my @r;
    while (my $line = <$fh>) {
        my $x = JSON::PP->new->decode($line);
        $x->{event} = eval { JSON::PP->new->utf8->decode(Encode::encode('UTF-8', $x->{body})) };
        push @r, $x;
    }
    return @r;
}

# The requests answered 2xx (not those of "slow" mode: the sender may
# have given up before the answer).
sub delivered_ok { return grep { $_->{status} >= 200 && $_->{status} < 300 && !$_->{slow} } received($_[0]) }

# A node of the suite's configuration that sends events to $rx; requests of
# Devplat::Test go to it from now on.
sub event_node {
    my ($name, $rx, %o) = @_;
    my (undef, $file) = event_key();
    my $n = start_node($name, more => "DevplatEventWebhook $rx->{url}\n"
                                      . "DevplatEventSecretFile $file\n" . ($o{more} // ''));
    $Devplat::Test::BASE_URL = $n->{url};
    return $n;
}

sub wait_until {
    my ($what, $secs) = @_;
    my $until = time + ($secs // 30);
    while (time < $until) {
        my $v = $what->();
        return $v if $v;
        select(undef, undef, undef, 0.2);
    }
    return $what->();
}

# The events of the outbox about these users, oldest first.
sub outbox_rows {
    my (@users) = @_;
    return wantarray ? () : 0 unless @users;
    my @r = db_rows('SELECT id, event_id, type, user_id, payload, attempts, next_attempt_at, lease_owner, '
                   . 'lease_until, delivered_at, last_status, last_error FROM event_outbox WHERE user_id IN ('
                   . join(',', map { $_ + 0 } @users) . ') ORDER BY id');
    return wantarray ? @r : scalar @r;
}

sub outbox_ids { return map { $_->{event_id} } outbox_rows(@_) }

# Waits until each of @$ids came with a 2xx answer; returns the first 2xx
# request of each (in the order of @$ids; undef for one that did not come).
sub wait_delivered {
    my ($rx, $ids, $secs) = @_;
    my %first;
    wait_until(sub {
        %first = ();
        for my $r (delivered_ok($rx)) {
            my $id = $r->{headers}{'x-devplat-event-id'} // '';
            $first{$id} //= $r;
        }
        return !grep { !$first{$_} } @$ids;
    }, $secs // 40);
    return map { $first{$_} } @$ids;
}

# The X-Devplat-Signature of a request, checked with the key: "t=<s>,v1=<hex>"
# where hex is HMAC-SHA256 over "<t>.<body>" (the body as bytes).
sub signature_ok {
    my ($r) = @_;
    my ($key) = event_key();
    my $sig = $r->{headers}{'x-devplat-signature'} // '';
    my ($t, $v1) = $sig =~ /^t=(\d+),v1=([0-9a-f]{64})$/ or return 0;
    my $want = hmac_sha256_hex("$t." . Encode::encode('UTF-8', $r->{body}), $key);
    return $want eq $v1 && abs($t - $r->{at}) < 30;
}

# The JSON type at a path of the body, decoded afresh (json_type reads how
# the decoder left each value).
sub ftype {
    my ($r, @path) = @_;
    my $v = eval { JSON::PP->new->utf8->decode(Encode::encode('UTF-8', $r->{body})) };
    for my $k (@path) {
        return 'missing' unless ref $v eq 'HASH' && exists $v->{$k};
        $v = $v->{$k};
    }
    return json_type($v);
}

# check_event($req, $name, type => .., user_id => .., data => {field => [type, value]})
# every field of the payload with its JSON type, nothing else; the headers.
sub check_event {
    my ($r, $name, %o) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $e = $r ? $r->{event} : undef;
    unless (Test::More::ok(ref $e eq 'HASH', "$name: a JSON object came")) {
        return;
    }
    Test::More::is_deeply([sort keys %$e], [sort qw(id type time user_id data)],
                          "$name: id, type, time, user_id, data; nothing else");
    Test::More::like($e->{id}, EVENT_ID_RE, "$name: id is a random UUID");
    Test::More::is(ftype($r, 'id'), 'string', "$name: id is a string");
    Test::More::is($e->{type}, $o{type}, "$name: type $o{type}");
    Test::More::like($e->{time}, EVENT_TIME_RE, "$name: time in RFC 3339 (UTC)");
    Test::More::is(ftype($r, 'user_id'), 'integer', "$name: user_id is an integer");
    Test::More::is($e->{user_id}, $o{user_id}, "$name: user_id $o{user_id}");
    Test::More::is(ftype($r, 'data'), 'object', "$name: data is an object");
    my $d = $o{data} || {};
    Test::More::is_deeply([sort keys %{ $e->{data} || {} }], [sort keys %$d], "$name: the data fields")
        or Test::More::diag(JSON::PP->new->canonical->encode($e->{data}));
    for my $k (sort keys %$d) {
        my ($type, $value) = @{ $d->{$k} };
        Test::More::is(ftype($r, 'data', $k), $type, "$name: data.$k is $type");
        if (ref $value eq 'Regexp') {
            Test::More::like($e->{data}{$k}, $value, "$name: data.$k");
        }
        elsif ($type eq 'boolean') {
            Test::More::is($e->{data}{$k} ? 1 : 0, $value ? 1 : 0, "$name: data.$k " . ($value ? 'true' : 'false'));
        }
        else {
            Test::More::is($e->{data}{$k}, $value, "$name: data.$k");
        }
    }
    Test::More::is($r->{headers}{'x-devplat-event-id'}, $e->{id}, "$name: X-Devplat-Event-Id is the id");
    Test::More::like($r->{headers}{'content-type'} // '', qr{^application/json}, "$name: application/json");
    Test::More::ok(signature_ok($r), "$name: X-Devplat-Signature verifies with the secret");
    my $t = $e->{time};
    if ($t =~ /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/) {
        require Time::Local;
        my $s = Time::Local::timegm($6, $5, $4, $3, $2 - 1, $1);
        Test::More::ok(abs($s - $r->{at}) < 120, "$name: time is the moment of the change");
    }
}

END { stop_receiver($_) for @receivers }

1;
