# The gateway honours every revocation at once, on both nodes (node B:
# DEVPLAT_NODE2_URL, same database): logout, refresh (after its grace),
# password change, freezing and deletion end a token's access to the
# protected directory on the very next request, as they do for the API.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin qw(make_admin admin);

client_net(182);

my $FILE = '/gw/files/secret.txt';

sub on_a { my ($t) = @_; return scalar json_request(GET => $FILE, undef, defined $t ? auth($t) : ()) }
sub on_b { my ($t) = @_; return scalar json_request(GET => node_b_url($FILE), undef, defined $t ? auth($t) : ()) }

sub open_on_both {
    my ($t, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    for my $node (['A', \&on_a], ['B', \&on_b]) {
        my $res = $node->[1]->($t);
        is $res->code, 200, "$name: 200 on node $node->[0]";
        is $res->content, "a protected file\n", "$name: the file on node $node->[0]";
    }
}

sub closed_on_both {
    my ($t, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    for my $node (['A', \&on_a], ['B', \&on_b]) {
        my $res = $node->[1]->($t);
        check_error($res, 401, name => "$name, node $node->[0]", message => MSG_TOKEN);
        is $res->header('WWW-Authenticate'), 'Bearer realm="devplat \"files\"", error="invalid_token"',
            "$name, node $node->[0]: invalid_token";
        unlike $res->content, qr/protected file/, "$name, node $node->[0]: nothing of the file";
    }
}

scenario 'a token of node A opens node B and the other way round' => sub {
    my $u = register_user();
    open_on_both(login($u->{username}, $u->{password}), 'a token from A');
    my ($res, $json) = json_request(POST => node_b_url('/api/login'),
                                    { username => $u->{username}, password => $u->{password} });
    check_ok($res, 'login on B');
    open_on_both($json->{data}{token_info}{access_token}, 'a token from B');
};

scenario 'logout' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    open_on_both($t, 'before logout');
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($t)), 'logout on A');
    closed_on_both($t, 'after logout');
};

scenario 'refresh: the old token inside its grace, then no more' => sub {
    my $u = register_user();
    my $old = login($u->{username}, $u->{password});
    my ($res, $json) = json_request(PUT => '/api/refresh', undef, auth($old));
    check_ok($res, 'refresh on A');
    my $new = $json->{data}{token_info}{access_token};
    open_on_both($old, 'the old token inside the grace');
    sleep 3;    # DevplatRefreshGrace 2 in the test configuration
    closed_on_both($old, 'the old token after the grace');
    open_on_both($new, 'the new token');
};

scenario 'a password change ends the other sessions' => sub {
    my $u = register_user(password => 'Old-pass1');
    my $kept = login($u->{username}, 'Old-pass1');
    my $other = login($u->{username}, 'Old-pass1');
    open_on_both($other, 'the other session before');
    check_ok(scalar json_request(PATCH => '/api/user/base/update-password',
                                 { old_password => 'Old-pass1', new_password => 'New-pass2' }, auth($kept)),
             'update-password');
    closed_on_both($other, 'the other session after the change');
    open_on_both($kept, 'the session that changed it');
    my ($rc, $out) = admin_tool("Third-pass3\n", 'passwd', $u->{username});
    is $rc, 0, 'devplat-admin passwd' or diag $out;
    closed_on_both($kept, 'every session after devplat-admin passwd');
};

scenario 'freezing and unfreezing' => sub {
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    open_on_both($t, 'before freezing');
    my ($rc, $out) = admin_tool('', 'freeze', $u->{username});
    is $rc, 0, 'devplat-admin freeze' or diag $out;
    closed_on_both($t, 'frozen');
    ($rc, $out) = admin_tool('', 'unfreeze', $u->{username});
    is $rc, 0, 'devplat-admin unfreeze' or diag $out;
    open_on_both($t, 'unfrozen: the session was never ended, as for the API');
};

scenario 'deletion by an administrator' => sub {
    my $admin = make_admin();
    my $u = register_user();
    my $t = login($u->{username}, $u->{password});
    open_on_both($t, 'before deletion');
    my ($res, $json) = admin(DELETE => "user/$u->{id}", undef, auth($admin->{token}));
    is $res->code, 200, 'DELETE user/{id} on the admin face' or diag $res->as_string;
    closed_on_both($t, 'deleted');
    my $forged = jwt_forge({ %{ jwt_claims($t) }, exp => time + 3600 });
    closed_on_both($forged, 'a re-signed token of the deleted account');
};

done_testing;
