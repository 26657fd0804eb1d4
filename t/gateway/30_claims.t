# DevplatPassClaimsAs: the claims reach the CGI (t/cgi-bin/claims-echo) as
# environment variables, and a backend as request headers (mirrored into
# X-Echo-* by mod_headers, since httpd passes no header with '_' to a CGI);
# a client's own DEVPLAT_CLAIM_* / Devplat-Claim-* headers never reach
# either, in any mode, with AuthType devplat or without.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;

client_net(183);

my @CLAIMS = qw(sub username level status admin verified);

# Every spelling of a forged claim a client may try.
my %FORGED = (
    'DEVPLAT_CLAIM_admin'  => 1,
    'Devplat-Claim-Admin'  => 1,
    'devplat-claim_admin'  => 1,
    'DEVPLAT_CLAIM_sub'    => 1,
    'Devplat-Claim-Sub'    => 1,
    'DEVPLAT-CLAIM-LEVEL'  => 99,
    'Devplat_Claim_Verified' => 1,
    'Devplat-Claim-Extra'  => 'x',
    'DEVPLAT_CLAIMS'       => 'x',
);

# GET path with these headers, as they are (LWP would turn '_' into '-'
# in a name): the CGI's environment.
sub echo {
    my ($path, @h) = @_;
    my $head = "GET $path HTTP/1.1\r\nHost: HOSTPORT\r\nConnection: close\r\n"
             . 'X-Forwarded-For: ' . client_ip() . "\r\n";
    while (my ($k, $v) = splice @h, 0, 2) {
        $head .= "$k: $v\r\n";
    }
    my ($res, $json) = raw_request("$head\r\n");
    is $res->code, 200, "$path: HTTP 200" or diag $res->as_string;
    return ref $json eq 'HASH' && ref $json->{env} eq 'HASH' ? $json->{env} : {};
}

# What a user's claims must be.
sub expected {
    my ($u, %o) = @_;
    return {
        sub => "$u->{id}", username => $u->{username}, level => "" . ($o{level} // db_value("SELECT level FROM users WHERE id = $u->{id}")),
        status => '0', admin => $o{admin} ? '1' : '0', verified => $o{verified} ? '1' : '0',
    };
}

sub env_claims { my ($env) = @_; return { map { $_ => $env->{"DEVPLAT_CLAIM_$_"} } grep { exists $env->{"DEVPLAT_CLAIM_$_"} } @CLAIMS } }
sub header_claims { my ($env) = @_; return { map { $_ => $env->{'HTTP_X_ECHO_' . uc $_} } grep { exists $env->{'HTTP_X_ECHO_' . uc $_} } @CLAIMS } }

# Nothing a client sent as a claim is visible, in any spelling.
sub no_forgery {
    my ($env, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @leaks = grep { /^HTTP_DEVPLAT/i } keys %$env;
    is "@leaks", '', "$name: no HTTP_DEVPLAT_* variable (dash spellings removed)";
    ok !exists $env->{HTTP_X_ECHO_MIXED}, "$name: a Devplat-Claim_Admin header does not reach the backend";
    my @odd = grep { /^DEVPLAT/ && !/^DEVPLAT_CLAIM_(sub|username|level|status|admin|verified)$/ } keys %$env;
    is "@odd", '', "$name: no other DEVPLAT_* variable";
}

my $u = register_user();
my $token = login($u->{username}, $u->{password});

scenario 'environment: every claim, with its value' => sub {
    my $env = echo('/gw/env', auth($token));
    is_deeply env_claims($env), expected($u), 'DEVPLAT_CLAIM_sub, _username, _level, _status, _admin, _verified';
    like $env->{DEVPLAT_CLAIM_sub}, qr/^[1-9]\d*$/, 'sub is the decimal user id';
    is_deeply header_claims($env), {}, 'no claim headers';
    is $env->{REMOTE_USER}, "$u->{id}", 'REMOTE_USER is the user id';
};

scenario 'headers: every claim as a request header' => sub {
    my $env = echo('/gw/headers', auth($token));
    is_deeply header_claims($env), expected($u), 'DEVPLAT_CLAIM_* request headers';
    is_deeply env_claims($env), {}, 'no claim variables';
};

scenario 'both, and none' => sub {
    my $env = echo('/gw/both', auth($token));
    is_deeply header_claims($env), expected($u), 'both: the headers';
    is_deeply env_claims($env), expected($u), 'both: the variables';
    $env = echo('/gw/none', auth($token));
    is_deeply header_claims($env), {}, 'none (the default): no headers';
    is_deeply env_claims($env), {}, 'none: no variables';
    is $env->{REMOTE_USER}, "$u->{id}", 'none: REMOTE_USER still';
};

scenario 'the claims follow the account: level, admin, verified' => sub {
    my $v = register_user();
    db("UPDATE users SET level = 4, is_admin = 1 WHERE id = $v->{id}");
    my $ct = db_value('SELECT id FROM certificate_types ORDER BY id LIMIT 1');
    my $now = '2026-01-01 00:00:00';
    db("INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, id_number, "
       . "status, created_at, updated_at) VALUES ($v->{id}, '张三', $ct, 'GW$v->{id}', 1, '$now', '$now')");
    my $t = login($v->{username}, $v->{password});
    my $env = echo('/gw/both', auth($t));
    is_deeply env_claims($env), expected($v, level => 4, admin => 1, verified => 1), 'the variables';
    is_deeply header_claims($env), expected($v, level => 4, admin => 1, verified => 1), 'the headers';
    db("UPDATE identity_verifications SET status = 2 WHERE user_id = $v->{id}");
    db("UPDATE users SET is_admin = 0 WHERE id = $v->{id}");
    $env = echo('/gw/env', auth($t));
    is_deeply env_claims($env), expected($v, level => 4), 'rejected and no longer an administrator: at once';
};

scenario 'a Chinese username travels as UTF-8' => sub {
    my $c = register_user(username => '网关' . ($$ % 10000));
    my $t = login($c->{username}, $c->{password});
    my $env = echo('/gw/both', auth($t));
    is $env->{DEVPLAT_CLAIM_username}, $c->{username}, 'the variable';
    is $env->{HTTP_X_ECHO_USERNAME}, $c->{username}, 'the header';
};

scenario 'forged claim headers never reach the backend' => sub {
    for my $mode (qw(none headers env both)) {
        my $env = echo("/gw/$mode", auth($token), %FORGED);
        no_forgery($env, $mode);
        my %want = (none => {}, headers => {}, env => expected($u), both => expected($u));
        is_deeply env_claims($env), $want{$mode}, "$mode: the variables are the gateway's";
        %want = (none => {}, headers => expected($u), env => {}, both => expected($u));
        is_deeply header_claims($env), $want{$mode}, "$mode: the headers are the gateway's";
    }
};

scenario 'without AuthType devplat: scrubbed, and no claims' => sub {
    my $env = echo('/gw/open', %FORGED);
    no_forgery($env, 'no token');
    is_deeply env_claims($env), {}, 'no variables';
    is_deeply header_claims($env), {}, 'no headers';
    $env = echo('/gw/open', auth($token), %FORGED);
    no_forgery($env, 'a token, but no AuthType');
    is_deeply env_claims($env), {}, 'a token alone passes no claims there';
    ok !exists $env->{REMOTE_USER}, 'and no REMOTE_USER';
};

scenario 'a refused request never reaches the CGI' => sub {
    my ($res, $json) = json_request(GET => '/gw/both', undef, %FORGED);
    is $res->code, 401, 'forged claims and no token: 401';
    ok !exists $json->{env}, 'the envelope, not the script\'s answer';
};

done_testing;
