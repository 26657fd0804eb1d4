# Constant login cost (issue 11, item 3): devplat-admin's default bcrypt
# cost is the module's (one definition), --bcrypt-cost is taken and checked,
# and the dummy verification of an unknown name follows the cost most
# stored hashes have. The module's own default and the dummy cost are read
# from a third node: the suite's configuration on another port, on the same
# database, without DevplatBcryptCost and with DevplatDummyCostRefresh 1;
# each of its children says in its error log (info) which cost unknown
# names cost when that changes. Nothing of it reaches a client.
use strict;
use warnings;
use utf8;
use Test::More;
use Apache::Test ();
use File::Temp ();
use Devplat::Test;
use Devplat::Node;

client_net(135);

my $top  = Apache::Test::vars('top_dir');
my $bin  = "$top/devplat-admin";
my $conf = Apache::Test::vars('t_conf');
my ($node3, $log);

# --------------------------------------------------------------- helpers

# devplat-admin on the suite's database with exactly these arguments after
# --driver/--params (no --bcrypt-cost unless given): (exit code, output).
sub tool {
    my ($stdin, @args) = @_;
    my ($driver, $params) = dbd_params();
    my $in = File::Temp->new;
    print $in $stdin // '';
    close $in;
    my $q = sub { my $x = shift; $x =~ s/'/'\\''/g; "'$x'" };
    my $cmd = join ' ', map { $q->($_) } $bin, '--driver', $driver, '--params', $params, @args;
    my $out = qx{$cmd < '$in' 2>&1};
    return ($? >> 8, $out);
}

sub cost_of { my ($h) = @_; return defined $h && $h =~ /^\$2[aby]\$(\d\d)\$/ ? $1 + 0 : undef }

sub hash_of_name { db_value('SELECT password FROM users WHERE username = ' . sql_quote($_[0])) }

my $ADDR = 0;
# a login on node 3 from an address of its own (10.0.137-138.x), so no
# per-address limit of another item stands between it and the hashing
sub node3_login {
    my ($name, $password) = @_;
    $ADDR++;
    my $ip = sprintf '10.0.%d.%d', 137 + int($ADDR / 250) % 2, 1 + $ADDR % 250;
    return json_request(POST => "$node3/api/login", { username => $name, password => $password },
                        'X-Forwarded-For' => $ip);
}

# Sends logins of unknown names to node 3 until its error log (after byte
# $since) names the dummy cost $cost; returns that line or undef.
my $UNKNOWN = 0;
sub wait_dummy_cost {
    my ($cost, $since, $what) = @_;
    my $until = time + 25;
    while (time < $until) {
        $UNKNOWN++;
        my ($res, $json) = node3_login("nobody${$}x$UNKNOWN", 'Wr0ng-pass');
        isnt $res->code, 200, "$what: an unknown name does not log in" if $UNKNOWN == 1;
        unlike $res->content // '', qr/cost|bcrypt/i, "$what: the answer says nothing of costs"
            if $UNKNOWN == 1;
        if (open my $fh, '<', $log) {
            seek $fh, $since, 0;
            while (my $line = <$fh>) {
                return $line if $line =~ /unknown login names now cost a bcrypt verification at cost $cost \(/;
            }
        }
        select(undef, undef, undef, 0.3);
    }
    return undef;
}

# the commonest cost among the hashes of accounts that are not deleted
# (ties: the higher), counted here in Perl from every hash
sub stored_mode {
    my %n;
    for my $r (db_rows('SELECT password FROM users WHERE status <> 5')) {
        my $c = cost_of($r->{password});
        $n{$c}++ if defined $c;
    }
    my ($best) = sort { $n{$b} <=> $n{$a} || $b <=> $a } keys %n;
    return ($best, $n{$best} // 0);
}

ok -x $bin, "devplat-admin is built at $bin";
# the suite's configuration without DevplatBcryptCost, plus these lines
my $node = start_node('node3', edit => sub { s/^\s*DevplatBcryptCost\b.*\n//mg },
                      more => "DevplatDummyCostRefresh 1\nLogLevel info");
($node3, $log) = ($node->{url}, $node->{log});
ok $node3, "node 3 serves at $node3 (DevplatBcryptCost not set)";

# --------------------------------------------------------------- defaults

my $module_default;
scenario "the module's default cost is devplat-admin's" => sub {
    my $u = register_user(password => 'C0st-pass1');
    is cost_of(hash_of_name($u->{username})), 4, 'registered on the suite server at its cost 4';
    my ($res, $json) = node3_login($u->{username}, 'C0st-pass1');
    check_ok($res, 'node 3 logs it in');
    $module_default = cost_of(hash_of_name($u->{username}));
    is $module_default, 12, 'node 3 rehashed it at the default of DevplatBcryptCost: 12, as documented';

    my $name = unique_name();
    my ($rc, $out) = tool("Def-cost-1\n", 'create-admin', $name);
    is $rc, 0, 'create-admin without --bcrypt-cost' or diag $out;
    is cost_of(hash_of_name($name)), $module_default, "its hash has the module's default cost $module_default";
    ($rc, $out) = tool('', '--help');
    is $rc, 0, '--help: exit 0';
    like $out, qr/--bcrypt-cost N: the cost of new password hashes, 4 to 31 \(default $module_default,/,
        '--help names the range and the same default';
    my $man = do { local $/; open my $fh, '<', "$top/tools/devplat-admin.1" or die $!; <$fh> };
    like $man, qr/The default, $module_default, is the default of\s+\.B DevplatBcryptCost/,
        'the man page names the same default';

    # the passwd command takes the default too
    ($rc, $out) = tool("Def-cost-2\n", 'passwd', $u->{username});
    is $rc, 0, 'passwd without --bcrypt-cost' or diag $out;
    is cost_of(hash_of_name($u->{username})), $module_default, "passwd hashes at $module_default too";
};

# --------------------------------------------------------------- the option

scenario '--bcrypt-cost N: taken from 4 to 31' => sub {
    for my $c (4, 5, '07') {
        my $name = unique_name();
        my ($rc, $out) = tool("Opt-cost-1\n", '--bcrypt-cost', $c, 'create-admin', $name);
        is $rc, 0, "--bcrypt-cost $c: exit 0" or diag $out;
        is cost_of(hash_of_name($name)), $c + 0, "--bcrypt-cost $c: the hash has cost " . ($c + 0);
    }
    my $u = register_user(password => 'Opt-cost-3');
    my ($rc, $out) = tool("Opt-cost-4\n", '--bcrypt-cost', 5, 'passwd', $u->{username});
    is $rc, 0, 'passwd --bcrypt-cost 5' or diag $out;
    is cost_of(hash_of_name($u->{username})), 5, '... hashes at 5';
    check_ok(scalar login_full($u->{username}, 'Opt-cost-4'), 'the new password logs in');
    is cost_of(hash_of_name($u->{username})), 4, '... and is made again at the configured 4';
};

scenario '--bcrypt-cost: anything else is a usage error' => sub {
    my $n0 = db_value('SELECT count(*) AS n FROM users');
    for my $bad ('3', '32', '0', '-1', '', 'abc', '12x', '1e1', ' 5', '+5', '4.5', '99999999999') {
        my ($rc, $out) = tool("Bad-cost-1\n", '--bcrypt-cost', $bad, 'create-admin', unique_name());
        is $rc, 2, "--bcrypt-cost '$bad': exit 2";
        like $out, qr/^devplat-admin: --bcrypt-cost must be a whole number from 4 to 31, not '\Q$bad\E'$/m,
            "--bcrypt-cost '$bad': says the range and repeats the value" or diag $out;
        like $out, qr/^Try 'devplat-admin --help'\.$/m, "--bcrypt-cost '$bad': a hint";
    }
    my ($rc, $out) = tool('', '--bcrypt-cost');
    is $rc, 2, '--bcrypt-cost without a value: exit 2';
    like $out, qr/bcrypt-cost/, '... naming the option' or diag $out;
    is db_value('SELECT count(*) AS n FROM users'), $n0, 'no user was created by any of them';
};

# --------------------------------------------------------------- the dummy cost

scenario 'an unknown name costs what most stored hashes cost' => sub {
    my ($before, $n) = stored_mode();
    ok defined $before, "the commonest stored cost is $before ($n hashes)";
    my $since = -s $log;
    my $line = wait_dummy_cost($before, 0, 'as stored');
    ok $line, "node 3 learned cost $before from the stored hashes" or return;
    like $line, qr/the cost of \d+ stored hashes, the commonest/, '... and says so';
    like $line, qr/\[devplat:info\]/, '... at level info';

    # more hashes of another cost than all the others: two per account
    my $other = $before == 5 ? 6 : 5;
    my $hash = sprintf '$2y$%02d$abcdefghijklmnopqrstuu5S0uKSrMbGbj0vY3.9Cfz2O.V5q6d7y', $other;
    is length $hash, 60, 'a hash of bcrypt form';
    my $name = engine() eq 'mysql' ? q{CONCAT('cost5x', u.id, 'k', x.k)} : q{'cost5x' || u.id || 'k' || x.k};
    db("INSERT INTO users (username, password, status, is_admin, created_at, updated_at) "
       . "SELECT $name, '$hash', 0, 0, u.created_at, u.updated_at FROM users u, "
       . "(SELECT 1 AS k UNION ALL SELECT 2) x WHERE u.username NOT LIKE 'cost5x%'");
    my ($mode) = stored_mode();
    is $mode, $other, "the stored hashes now mostly have cost $other";
    my $ok = eval {
        $since = -s $log;
        $line = wait_dummy_cost($other, $since, 'after an import');
        ok $line, "node 3 follows: unknown names now cost $other" or diag `tail -5 '$log'`;
        like $line // '', qr/the cost of (\d+) stored hashes/, '... naming how many have it';
        my ($count) = ($line // '') =~ /the cost of (\d+) stored/;
        ok $count && $count >= 2, "... $count of them" if $count;
        1;
    };
    db(q{DELETE FROM users WHERE username LIKE 'cost5x%'});
    die $@ unless $ok;
    ($mode) = stored_mode();
    is $mode, $before, "the import is gone: cost $before again";
    $since = -s $log;
    $line = wait_dummy_cost($before, $since, 'after the import went');
    ok $line, "node 3 follows back to $before" or diag `tail -5 '$log'`;
};

scenario 'DevplatDummyCostRefresh and DevplatBcryptCost are checked at startup' => sub {
    my ($rc, $out) = config_test('DevplatDummyCostRefresh 1', 'DevplatDummyCostRefresh 86400',
                              'DevplatBcryptCost 4', 'DevplatBcryptCost 31');
    is $rc, 0, 'the ends of both ranges: Syntax OK' or diag $out;
    for my $c (['DevplatDummyCostRefresh 0', qr/DevplatDummyCostRefresh: '0' is not a whole number from 1 to 86400/],
               ['DevplatDummyCostRefresh 86401', qr/DevplatDummyCostRefresh: '86401' is not a whole number from 1 to 86400/],
               ['DevplatDummyCostRefresh 5m', qr/DevplatDummyCostRefresh: '5m' is not a whole number/],
               ['DevplatBcryptCost 3', qr/DevplatBcryptCost: '3' is not a whole number from 4 to 31/],
               ['DevplatBcryptCost 32', qr/DevplatBcryptCost: '32' is not a whole number from 4 to 31/]) {
        ($rc, $out) = config_test($c->[0]);
        isnt $rc, 0, "$c->[0]: httpd refuses to start";
        like $out, $c->[1], "$c->[0]: names the directive and the range" or diag $out;
    }
};

scenario 'the log names no password and no account' => sub {
    open my $fh, '<', $log or die "$log: $!";
    my @lines = grep { /unknown login names now cost/ } <$fh>;
    ok @lines >= 3, scalar(@lines) . ' lines of the dummy cost';
    is scalar(grep { /Wr0ng-pass|nobody|cost5x/ } @lines), 0, 'none names a password or a login name';
};

done_testing;
