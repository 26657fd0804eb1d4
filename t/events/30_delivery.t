# Delivery of account events, at least once: a receiver that answers 500
# gets each event again with growing pauses until it answers 200; a
# receiver that is down, with httpd restarted meanwhile, gets every event
# once it is up; two nodes sharing the database never deliver one event
# twice (the lease); a lease whose holder died is taken again when it runs
# out; a receiver that hangs does not hold up httpd's stop. After dedup by
# event id nothing is missing, and every copy of an event is the same.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes ();
use Devplat::Test;
use Devplat::Node;
use Devplat::Events;

client_net(172);

my %ours;           # every event id this file made, for the final count
my @rxs;            # every receiver this file started

sub receiver { my $rx = start_receiver(@_); push @rxs, $rx; return $rx }

# n new users registered through the current node: their ids
sub users {
    my ($n) = @_;
    return map { register_user()->{id} } 1 .. $n;
}

# An event written straight into the outbox (as a deliverer finds it).
sub raw_event {
    my (%o) = @_;
    my $id = sprintf '%08x-%04x-4%03x-8%03x-%012x', $$, int(rand 65536), int(rand 4096), int(rand 4096),
                     int(rand 2**40);
    my $now = time;
    my $body = qq({"id":"$id","type":"user.frozen","time":"2026-01-01T00:00:00Z","user_id":0,)
             . qq("data":{"source":"devplat-admin","actor_id":0}});
    db('INSERT INTO event_outbox (event_id, type, user_id, payload, created_at, next_attempt_at, '
       . 'lease_owner, lease_until) VALUES (' . join(', ', sql_quote($id), q{'user.frozen'}, 0, sql_quote($body),
       $now, $o{due} // $now, sql_quote($o{owner}), $o{lease_until} // 'NULL') . ')');
    $ours{$id} = 1;
    return $id;
}

sub attempts_of {
    my ($rx, $id) = @_;
    return grep { ($_->{headers}{'x-devplat-event-id'} // '') eq $id } received($rx);
}

scenario 'a receiver answering 500: retried with back-off, then delivered once' => sub {
    my $rx = receiver(mode => '500');
    my $node = event_node('events30a', $rx);
    my @u = users(3);
    my @ids = outbox_ids(@u);
    $ours{$_} = 1 for @ids;
    is scalar @ids, 3, 'three events';
    ok wait_until(sub { !grep { attempts_of($rx, $_) < 4 } @ids }, 40), 'each was tried four times';
    # next attempts are whole seconds: 1 s, 2 s, 4 s later, less up to 1 s
    my @times = map { $_->{at} } attempts_of($rx, $ids[0]);
    my @gaps = map { $times[$_] - $times[$_ - 1] } 1 .. 3;
    ok $gaps[1] >= 1.0, sprintf 'a pause of about 2 s before the third attempt (%.1f s)', $gaps[1];
    ok $gaps[2] >= 3.0, sprintf 'about 4 s before the fourth (%.1f s)', $gaps[2];
    ok $gaps[2] > $gaps[0], sprintf 'the pauses grow (%.1f, %.1f, %.1f s)', @gaps;
    my @rows = outbox_rows(@u);
    is scalar(grep { defined $_->{delivered_at} } @rows), 0, 'none is marked delivered';
    is scalar(grep { $_->{last_status} == 500 && $_->{last_error} eq 'HTTP 500' } @rows), 3,
       'each records HTTP 500';
    ok !grep({ $_->{attempts} < 4 } @rows), 'attempts counted';
    receiver_mode($rx, '');
    my @got = wait_delivered($rx, \@ids, 40);
    is scalar(grep { defined } @got), 3, 'all three delivered once the receiver answers 200';
    ok wait_until(sub { !grep { !defined $_->{delivered_at} } outbox_rows(@u) }, 10), '... and marked delivered';
    my %ok;
    $ok{ $_->{headers}{'x-devplat-event-id'} }++ for delivered_ok($rx);
    is_deeply [map { $ok{$_} } @ids], [1, 1, 1], 'each answered 200 once';
    stop_node($node);
    stop_receiver($rx);
};

scenario 'the receiver down, httpd restarted meanwhile: nothing is lost' => sub {
    my $rx = receiver();
    my $port = $rx->{port};
    stop_receiver($rx);                                  # down: connections refused
    my $node = event_node('events30b', $rx);
    my @u = users(4);
    my $name = db_value("SELECT username FROM users WHERE id = $u[0]");
    my ($rc, $out) = admin_tool('', 'freeze', $name);
    is $rc, 0, 'devplat-admin freeze' or diag $out;
    my @ids = outbox_ids(@u);
    $ours{$_} = 1 for @ids;
    is scalar @ids, 5, 'five events';
    ok wait_until(sub { !grep { $_->{attempts} < 1 } outbox_rows(@u) }, 20), 'each was tried';
    my @rows = outbox_rows(@u);
    is scalar(grep { $_->{last_status} == 0 && length $_->{last_error} } @rows), 5,
       'each records that no answer came' or diag explain \@rows;
    my $t0 = Time::HiRes::time();
    stop_node($node);
    ok Time::HiRes::time() - $t0 < 15, sprintf 'httpd stopped in %.1f s', Time::HiRes::time() - $t0;
    is scalar(grep { defined $_->{delivered_at} } outbox_rows(@u)), 0, 'nothing delivered while it was down';

    # more changes while no node delivers (the suite's server has no webhook)
    my $rx2 = receiver(port => $port);
    is $rx2->{port}, $port, 'the receiver is up again, on its port';
    my $node2 = event_node('events30c', $rx2);
    push @u, users(2);
    @ids = outbox_ids(@u);
    $ours{$_} = 1 for @ids;
    is scalar @ids, 7, 'seven events in all';
    my @got = wait_delivered($rx2, \@ids, 60);
    is scalar(grep { defined } @got), 7, 'every one arrived after the restart' or diag explain [outbox_rows(@u)];
    is scalar(grep { $_ && signature_ok($_) } @got), 7, '... signed';
    stop_node($node2);
    stop_receiver($rx2);
};

scenario 'two nodes: each event delivered once (the lease)' => sub {
    my $rx = receiver();
    my $a = event_node('events30d', $rx);
    my $b = event_node('events30e', $rx);
    # written straight into the outbox: no request wakes either node, both
    # find them when they look
    my @ids = map { raw_event() } 1 .. 16;
    ok wait_until(sub { !grep { !$_ } map { scalar attempts_of($rx, $_) } @ids }, 60), 'all sixteen were posted';
    sleep 1;
    my %n;
    $n{ $_->{headers}{'x-devplat-event-id'} }++ for received($rx);
    is_deeply [grep { $n{$_} != 1 } @ids], [], 'none was posted twice';
    ok wait_until(sub { !grep { !defined $_->{delivered_at} }
                        db_rows('SELECT delivered_at FROM event_outbox WHERE event_id IN ('
                                . join(',', map { sql_quote($_) } @ids) . ')') }, 20),
       'all marked delivered';
    stop_node($_) for $a, $b;
    stop_receiver($rx);
};

scenario 'a lease whose holder died is taken again when it runs out' => sub {
    my $rx = receiver();
    my $node = event_node('events30f', $rx);
    my $until = time + 5;
    my $id = raw_event(owner => 'ghost-of-a-node', lease_until => $until, due => time - 10);
    sleep 3;
    is scalar(attempts_of($rx, $id)), 0, 'not posted while the lease holds';
    my ($got) = wait_delivered($rx, [$id], 20);
    ok $got, 'posted after it ran out';
    ok $got && $got->{at} >= $until, '... not before';
    my ($row) = db_rows('SELECT lease_owner, delivered_at FROM event_outbox WHERE event_id = ' . sql_quote($id));
    ok wait_until(sub { defined db_value('SELECT delivered_at FROM event_outbox WHERE event_id = ' . sql_quote($id)) }, 10),
       'marked delivered';
    is db_value('SELECT lease_owner FROM event_outbox WHERE event_id = ' . sql_quote($id)), undef, 'the lease is gone';
    stop_node($node);
    stop_receiver($rx);
};

scenario 'a receiver that hangs does not hold up the stop; the event is sent again' => sub {
    my $rx = receiver(mode => 'slow 60');
    my $node = event_node('events30g', $rx);
    my ($u) = users(1);
    my ($id) = outbox_ids($u);
    $ours{$id} = 1;
    ok wait_until(sub { scalar attempts_of($rx, $id) }, 20), 'the POST is in progress';
    my $t0 = Time::HiRes::time();
    stop_node($node);
    my $took = Time::HiRes::time() - $t0;
    ok $took < 8, sprintf 'httpd stopped in %.1f s', $took;
    my ($row) = outbox_rows($u);
    is $row->{delivered_at}, undef, 'not delivered';
    is $row->{lease_owner}, undef, 'the lease was given back';
    receiver_mode($rx, '');
    my $node2 = event_node('events30h', $rx);
    my ($got) = wait_delivered($rx, [$id], 30);
    ok $got, 'delivered by the next start';
    stop_node($node2);
    stop_receiver($rx);
};

scenario 'after dedup by id: every event of this file arrived, and its copies agree' => sub {
    my @ids = sort keys %ours;
    my @rows = db_rows('SELECT event_id, payload, delivered_at FROM event_outbox WHERE event_id IN ('
                       . join(',', map { sql_quote($_) } @ids) . ')');
    is scalar @rows, scalar @ids, scalar(@ids) . ' events in the outbox';
    is scalar(grep { !defined $_->{delivered_at} } @rows), 0, 'each is marked delivered';
    my (%ok, %bodies);
    for my $rx (@rxs) {
        $ok{ $_->{headers}{'x-devplat-event-id'} // '' }++ for delivered_ok($rx);
        push @{ $bodies{ $_->{headers}{'x-devplat-event-id'} // '' } }, $_->{body} for received($rx);
    }
    is_deeply [grep { !$ok{$_} } @ids], [], 'each came with a 2xx answer at least once';
    my %payload = map { $_->{event_id} => $_->{payload} } @rows;
    is_deeply [grep { my $id = $_; grep { $_ ne $payload{$id} } @{ $bodies{$id} } } @ids], [],
              'every copy of an event is its outbox payload, byte for byte';
    is scalar(grep { !signature_ok($_) } map { received($_) } @rxs), 0, 'every request is signed';
};

done_testing;
