# A login flood is bounded before it reaches bcrypt: failed logins with
# names of no account are limited per client address (DevplatUnknownLoginLimit,
# default 20), and the lock then holds every login from that address on every
# face, so it tells nothing about which names exist; and each child hashes at
# most DevplatHashLimit passwords at once with a short queue, beyond which the
# answer is a 503 with Retry-After in the face's envelope. The effect on other
# requests is measured by `make bench-flood`, not here.
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::Node;

client_net(144);

my $LIMIT = 20;     # the default of DevplatUnknownLoginLimit
my $JSON = JSON::PP->new->canonical;

# A user registered through $node (so hashed at its DevplatBcryptCost).
sub node_register {
    my ($node) = @_;
    my $mobile = unique_mobile();
    my $name = unique_name();
    my $code = request_code($mobile);
    my ($res, $json) = json_request(POST => "$node->{url}/api/register", {
        username => $name, mobile => $mobile, password => 'Passw0rd!', verification_code => $code,
    });
    die 'register on the node: ' . $res->status_line . ' ' . $res->content unless $res->code == 200;
    return { username => $name, password => 'Passw0rd!' };
}

scenario 'developer face: names of no account are limited per address' => sub {
    my $u = register_user();
    my $addr = '10.0.145.1';
    for my $i (1 .. $LIMIT) {
        my ($res) = login_full("nobody_${$}_$i", 'Passw0rd!', 'X-Forwarded-For' => $addr);
        is $res->code, 500, "unknown name $i: the documented wrong-login answer" if $i == 1 || $i == $LIMIT;
    }
    my ($res, $json) = login_full("nobody_${$}_x", 'Passw0rd!', 'X-Forwarded-For' => $addr);
    check_error($res, 429, name => 'the next unknown name is refused before any hashing');
    like $res->header('Retry-After') // '', qr/^[1-9]\d*$/, 'with Retry-After';
    ($res) = login_full($u->{username}, $u->{password}, 'X-Forwarded-For' => $addr);
    is $res->code, 429, 'a known name with its right password from that address waits too '
                      . '(the lock tells nothing about which names exist)';
    # the attacker's probe while locked: a known name with a wrong password
    # and a name of no account answer alike, byte for byte but Retry-After
    my ($known) = login_full($u->{username}, 'Wr0ng-pass!', 'X-Forwarded-For' => $addr);
    my ($unknown) = login_full("nobody_${$}_y", 'Wr0ng-pass!', 'X-Forwarded-For' => $addr);
    is $known->code, $unknown->code, 'locked: a known and an unknown name get one status';
    is $known->content, $unknown->content, '... and one body';
    ok abs(($known->header('Retry-After') // 0) - ($unknown->header('Retry-After') // -99)) <= 1,
        '... and one Retry-After';
    is db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND user_id = $u->{id}"), 0,
        'no password of the known name was checked while locked';
    check_ok(scalar login_full($u->{username}, $u->{password}, 'X-Forwarded-For' => '10.0.145.2'),
             'the same account from another address logs in');
    is db_value("SELECT COUNT(*) FROM login_throttle WHERE account = '#unknown-name' "
                . "AND client_ip = '$addr'"), 1, 'one bucket for the address';
};

scenario 'mobile and admin faces share the bucket of the address' => sub {
    my $addr = '10.0.145.3';
    for my $i (1 .. $LIMIT) {
        mform(POST => 'login', { phone => sprintf('1660%03d%04d', $$ % 1000, $i), password => 'Passw0rd!' },
              'X-Forwarded-For' => $addr);
    }
    my ($res, $json) = mform(POST => 'login', { phone => '16699990000', password => 'Passw0rd!' },
                             'X-Forwarded-For' => $addr);
    is $res->header('Retry-After') && $res->header('Retry-After') =~ /^[1-9]\d*$/ ? 1 : 0, 1,
        'mobile: the next unknown phone waits, with Retry-After';
    isnt $json->{code} // 1000, 1000, 'mobile: in its envelope, not a success';
    my ($id, $code) = captcha();
    ($res, $json) = admin(POST => 'login', { nickname => "nobody_$$", passwd => 'Passw0rd!',
                                             captcha_code => $code, captcha_id => $id },
                          'X-Forwarded-For' => $addr);
    check_admin_error($res, 429, name => 'admin: the address is locked there too, in 001\'s envelope');
};

scenario 'the bcrypt gate: one hash at a time and no queue refuses the rest with 503' => sub {
    # passwords hashed by the node at cost 11: each verification takes a
    # while, so six at once find the single turn taken
    my $node = start_node('flood_gate', edit => sub { s/^DevplatBcryptCost .*$/DevplatBcryptCost 11/m },
                          more => 'DevplatHashLimit 1 0');
    my @users = map { node_register($node) } 1 .. 6;
    my @out = parallel(6, sub {
        my ($i) = @_;
        my ($res, $json) = json_request(POST => "$node->{url}/api/login",
            { username => $users[$i]{username}, password => $users[$i]{password} },
            'X-Forwarded-For' => '10.0.146.' . ($i + 1));
        return $JSON->encode({ code => $res->code, retry => $res->header('Retry-After') // '',
                               status_code => ref $json eq 'HASH' ? $json->{status_code} // '' : '' });
    });
    my @r = map { $JSON->decode($_) } @out;
    my @ok = grep { $_->{code} == 200 } @r;
    my @busy = grep { $_->{code} == 503 } @r;
    ok @ok >= 1, scalar(@ok) . ' of 6 got their turn';
    ok @busy >= 1, scalar(@busy) . ' found the gate full';
    is scalar(@ok) + scalar(@busy), 6, 'nothing else';
    is scalar(grep { $_->{retry} =~ /^[1-9]\d*$/ && $_->{status_code} eq '503' } @busy), scalar(@busy),
        'each refusal is the developer envelope with status_code 503 and Retry-After';
    my $throttled = db_value("SELECT COUNT(*) FROM login_throttle WHERE client_ip LIKE '10.0.146.%'");
    is $throttled, 0, 'a refused login counted no failure (and a right one left none)';
    stop_node($node);

    $node = start_node('flood_queue', edit => sub { s/^DevplatBcryptCost .*$/DevplatBcryptCost 11/m },
                       more => 'DevplatHashLimit 1 16 60');
    @out = parallel(6, sub {
        my ($i) = @_;
        my ($res) = json_request(POST => "$node->{url}/api/login",
            { username => $users[$i]{username}, password => $users[$i]{password} },
            'X-Forwarded-For' => '10.0.146.' . ($i + 101));
        return $res->code;
    });
    is "@out", join(' ', (200) x 6), 'with a queue of 16 (and 60 s) all six wait their turn and log in';
    stop_node($node);
};

scenario 'DevplatHashLimit and DevplatUnknownLoginLimit are checked at startup' => sub {
    my $httpd = Apache::Test::vars('httpd');
    my $conf = Apache::Test::vars('t_conf') . '/httpd.conf';
    for my $c (['DevplatHashLimit 0 4', qr/DevplatHashLimit: '0' is not a whole number from 1 to 256/],
               ['DevplatHashLimit 2 x', qr/DevplatHashLimit: 'x' is not a whole number from 0 to 10000/],
               ['DevplatHashLimit 2', qr/DevplatHashLimit takes two or three arguments/],
               ['DevplatHashLimit 2 8 0', qr/DevplatHashLimit: '0' is not a whole number from 1 to 300/],
               ['DevplatUnknownLoginLimit 0', qr/DevplatUnknownLoginLimit: '0' is not a whole number from 1 to 100000/]) {
        my $tmp = Apache::Test::vars('t_logs') . '/flood_conf.conf';
        open my $in, '<', $conf or die $!;
        my $text = join '', <$in>;
        close $in;
        open my $out, '>', $tmp or die $!;
        print $out $text, "\n$c->[0]\n";
        close $out;
        my $msg = qx{'$httpd' -t -f '$tmp' 2>&1};
        isnt $?, 0, "$c->[0]: httpd refuses to start";
        like $msg, $c->[1], "$c->[0]: the message names the directive and the range";
    }
};

done_testing;
