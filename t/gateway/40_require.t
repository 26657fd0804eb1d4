# The Require providers of AuthType devplat: devplat-user, devplat-level N,
# devplat-admin, devplat-verified, alone and inside <RequireAll> and
# <RequireAny> (t/conf/extra.conf.in, /gw/*). A valid user who fails the
# requirement gets 403 with error="insufficient_scope" (RFC 6750 3.1) in
# the developer envelope; an account's change counts on its next request.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(184);

use constant MSG_FORBIDDEN => '没有权限访问此资源';

sub get { my ($path, @h) = @_; return json_request(GET => $path, undef, @h) }

sub allowed {
    my ($path, $who, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my ($res, $json) = get($path, auth($who->{token}));
    is $res->code, 200, "$name: 200" or diag $res->as_string;
    is eval { $json->{env}{REMOTE_USER} }, "$who->{id}", "$name: the CGI runs for the user";
}

sub forbidden {
    my ($path, $who, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my ($res, $json) = get($path, auth($who->{token}));
    check_error($res, 403, name => $name, message => MSG_FORBIDDEN);
    is join(',', sort keys %{ $json || {} }), 'message,status_code', "$name: only status_code and message";
    is $res->header('WWW-Authenticate'), 'Bearer realm="devplat", error="insufficient_scope"',
        "$name: insufficient_scope";
    is $res->header('Cache-Control'), 'no-store', "$name: no-store";
}

sub unauthorized {
    my ($path, $name, @h) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my ($res) = get($path, @h);
    check_error($res, 401, name => $name, message => MSG_TOKEN);
    like $res->header('WWW-Authenticate') // '', qr/^Bearer realm="devplat"/, "$name: the challenge";
}

my $NOW = '2026-01-01 00:00:00';
my $CT = db_value('SELECT id FROM certificate_types ORDER BY id LIMIT 1');

# A signed-in user: level, admin, identity record status (undef: none).
sub user {
    my (%o) = @_;
    my $u = register_user();
    db("UPDATE users SET level = " . ($o{level} // 0) . ", is_admin = " . ($o{admin} ? 1 : 0)
       . " WHERE id = $u->{id}");
    if (defined $o{identity}) {
        db("INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, id_number, "
           . "status, created_at, updated_at) VALUES ($u->{id}, '李四', $CT, 'RQ$u->{id}', "
           . "$o{identity}, '$NOW', '$NOW')");
    }
    $u->{token} = login($u->{username}, $u->{password});
    return $u;
}

my $plain    = user();
my $lvl2     = user(level => 2);
my $lvl3     = user(level => 3);
my $lvl5     = user(level => 5);
my $admin    = user(admin => 1);
my $verified = user(identity => 1);
my $pending  = user(identity => 0);
my $rejected = user(identity => 2);
my $lvl2_ver = user(level => 2, identity => 1);

scenario 'devplat-user: any valid session' => sub {
    allowed('/gw/none', $_->[0], "devplat-user, $_->[1]") for [$plain, 'a new user'], [$admin, 'an administrator'];
    unauthorized('/gw/none', 'devplat-user without a token');
};

scenario 'devplat-level 3: level 3 and above' => sub {
    forbidden('/gw/level', $plain, 'level 0');
    forbidden('/gw/level', $lvl2, 'level 2');
    allowed('/gw/level', $lvl3, 'level 3');
    allowed('/gw/level', $lvl5, 'level 5');
    unauthorized('/gw/level', 'no token');
    unauthorized('/gw/level', 'a forged token', auth('eyJ.forged.token'));
};

scenario 'devplat-admin' => sub {
    allowed('/gw/admin', $admin, 'an administrator');
    forbidden('/gw/admin', $lvl5, 'a user of level 5');
    forbidden('/gw/admin', $verified, 'a verified user');
};

scenario 'devplat-verified: an approved real-name record only' => sub {
    allowed('/gw/verified', $verified, 'approved');
    forbidden('/gw/verified', $pending, 'pending');
    forbidden('/gw/verified', $rejected, 'rejected');
    forbidden('/gw/verified', $plain, 'no record');
    forbidden('/gw/verified', $admin, 'an administrator without a record');
};

scenario 'RequireAll: level 2 and verified' => sub {
    allowed('/gw/all', $lvl2_ver, 'level 2 and verified');
    forbidden('/gw/all', $lvl2, 'level 2, not verified');
    forbidden('/gw/all', $verified, 'verified, level 0');
    forbidden('/gw/all', $lvl5, 'level 5, not verified');
    unauthorized('/gw/all', 'no token');
};

scenario 'RequireAny: an administrator or level 5' => sub {
    allowed('/gw/any', $admin, 'an administrator of level 0');
    allowed('/gw/any', $lvl5, 'level 5');
    forbidden('/gw/any', $lvl3, 'level 3');
    forbidden('/gw/any', $verified, 'verified only');
};

scenario 'RequireAny with Require ip: the address alone, or a token' => sub {
    my ($res, $json) = get('/gw/ip', 'X-Forwarded-For' => '10.0.183.7');
    is $res->code, 200, 'from 10.0.183.0/24 without a token: 200';
    ok !exists $json->{env}{REMOTE_USER}, 'nobody was authenticated';
    unauthorized('/gw/ip', 'from another address without a token');
    allowed('/gw/ip', $plain, 'from another address with a token');
};

scenario 'a change of the account counts at once' => sub {
    my $u = user(level => 3);
    allowed('/gw/level', $u, 'level 3');
    db("UPDATE users SET level = 1 WHERE id = $u->{id}");
    forbidden('/gw/level', $u, 'lowered to level 1');
    db("UPDATE users SET is_admin = 1 WHERE id = $u->{id}");
    allowed('/gw/admin', $u, 'made an administrator');
    db("UPDATE users SET is_admin = 0 WHERE id = $u->{id}");
    forbidden('/gw/admin', $u, 'no longer one');
    my ($rc, $out) = admin_tool('', 'freeze', $u->{username});
    is $rc, 0, 'devplat-admin freeze' or diag $out;
    unauthorized('/gw/level', 'frozen: 401, not 403', auth($u->{token}));
};

scenario 'POST and HEAD are checked the same' => sub {
    my ($res) = json_request(POST => '/gw/admin', { x => 1 }, auth($plain->{token}));
    is $res->code, 403, 'POST by a non-administrator: 403';
    $res = json_request(HEAD => '/gw/admin', undef, auth($plain->{token}));
    is $res->code, 403, 'HEAD: 403';
    is $res->content, '', 'HEAD: no body';
    is $res->header('WWW-Authenticate'), 'Bearer realm="devplat", error="insufficient_scope"',
        'HEAD: insufficient_scope';
};

done_testing;
