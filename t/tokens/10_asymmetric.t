# Asymmetric tokens (DevplatJwtAlgorithm ES256 and EdDSA, DevplatJwtKeyFile)
# and the JWK Set (SetHandler devplat-jwks), through nodes that share the
# suite's database: tokens carry the signing key's kid, verify with an
# independent library (python3-jwt) from the JWKS alone, keep the session
# rules of HS256 tokens, refuse every other algorithm, and survive the
# documented key rotation (add second, swap, remove).
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use MIME::Base64 ();
use File::Path ();
use Apache::Test ();
use Devplat::Test;
use Devplat::Node;

client_net(141);

my $logs = Apache::Test::vars('t_logs');
my $keys = "$logs/token-keys";
File::Path::remove_tree($keys);
File::Path::make_path($keys);
my $verify = Apache::Test::vars('t_dir') . '/tokens/jwks_verify.py';

sub openssl { my $out = qx{openssl @_ 2>&1}; die "openssl @_: $out" if $?; }

my %gen = (
    es => '-algorithm EC -pkeyopt ec_paramgen_curve:P-256',
    ed => '-algorithm ed25519',
);
for my $kind (qw(es ed)) {
    openssl("genpkey $gen{$kind} -out $keys/${kind}_$_.pem") for qw(a b);
    openssl("pkey -in $keys/${kind}_b.pem -pubout -out $keys/${kind}_b.pub.pem");
}

my $JWKS = "<Location /keys>\n    SetHandler devplat-jwks\n</Location>";

sub node_with {
    my ($name, $alg, @files) = @_;
    return start_node($name, more => join("\n", "DevplatJwtAlgorithm $alg",
                                          (map { "DevplatJwtKeyFile $keys/$_.pem" } @files),
                                          $JWKS));
}

sub b64url_json {
    my ($part) = @_;
    $part =~ tr{-_}{+/};
    $part .= '=' x ((4 - length($part) % 4) % 4);
    return JSON::PP::decode_json(MIME::Base64::decode_base64($part));
}

sub header_of { b64url_json((split /\./, $_[0])[0]) }

sub fetch_jwks {
    my ($node) = @_;
    my ($res) = json_request(GET => "$node->{url}/keys");
    my $set = eval { JSON::PP::decode_json($res->content) } // {};
    return ($res, $set);
}

# python3-jwt's verdict on a token, from a JWK Set only
sub independent {
    my ($set, $token) = @_;
    my $file = "$keys/jwks.json";
    open my $fh, '>', $file or die "$file: $!";
    print $fh JSON::PP::encode_json($set);
    close $fh;
    my $out = qx{/usr/bin/python3 '$verify' '$file' '$token' 2>&1};
    return eval { JSON::PP::decode_json($out) } // { verified => JSON::PP::false, error => $out };
}

sub me_status {
    my ($url, $token) = @_;
    my ($res) = json_request(GET => "$url/api/me", undef, auth($token));
    return $res->code;
}

sub login_at {
    my ($node, $u) = @_;
    my ($res, $json) = json_request(POST => "$node->{url}/api/login",
                                    { username => $u->{username}, password => $u->{password} });
    is $res->code, 200, "$node->{name}: login" or diag $res->content;
    return eval { $json->{data}{token_info}{access_token} } // '';
}

my $u = register_user();
my $hs_token = login($u->{username}, $u->{password});

scenario 'HS256 (the suite server): an empty JWK Set' => sub {
    my ($res) = json_request(GET => '/jwks');
    is $res->code, 200, 'GET /jwks 200';
    is $res->header('Content-Type'), 'application/jwk-set+json', 'Content-Type';
    is $res->header('Cache-Control'), 'max-age=300', 'Cache-Control: max-age=300';
    is $res->header('X-Content-Type-Options'), 'nosniff', 'nosniff';
    is_deeply eval { JSON::PP::decode_json($res->content) }, { keys => [] },
        'no key is published for a shared secret';
    is_deeply header_of($hs_token), { typ => 'JWT', alg => 'HS256' },
        'HS256 tokens keep their header (no kid)';
    ($res) = json_request(POST => '/jwks', {});
    is $res->code, 405, 'POST: 405';
    like $res->header('Allow') // '', qr/\bGET\b/, 'Allow names GET';
    ($res) = json_request(HEAD => '/jwks');
    is $res->code, 200, 'HEAD: 200';
    is $res->content, '', 'HEAD: no body';
};

for my $case (['ES256', 'es', 'EC', 'P-256'], ['EdDSA', 'ed', 'OKP', 'Ed25519']) {
    my ($alg, $k, $kty, $crv) = @$case;

    scenario "$alg: tokens verify with the JWK Set alone" => sub {
        my $n = node_with("$k-a", $alg, "${k}_a");
        my ($res, $set) = fetch_jwks($n);
        is $res->code, 200, 'JWKS 200';
        is $res->header('Cache-Control'), 'max-age=300', 'Cache-Control';
        is scalar @{ $set->{keys} // [] }, 1, 'one key';
        my $jwk = $set->{keys}[0] // {};
        is $jwk->{kty}, $kty, "kty $kty";
        is $jwk->{crv}, $crv, "crv $crv";
        is $jwk->{alg}, $alg, "alg $alg";
        is $jwk->{use}, 'sig', 'use sig';
        like $jwk->{kid} // '', qr/^[A-Za-z0-9_-]{43}$/, 'kid: a base64url SHA-256 thumbprint';
        ok !exists $jwk->{d}, 'no private member';

        my $t = login_at($n, $u);
        is_deeply header_of($t), { typ => 'JWT', alg => $alg, kid => $jwk->{kid} },
            'the header names the algorithm and the key';
        my $v = independent($set, $t);
        ok $v->{verified}, 'python3-jwt verifies it from the JWKS' or diag $v->{error};
        ok $v->{thumbprints_ok}, 'every kid is the RFC 7638 thumbprint (recomputed)';
        is $v->{claims}{sub}, "$u->{id}", 'sub is the user';
        like $v->{claims}{jti} // '', qr/^[0-9a-f]{32}$/, 'jti';
        ok $v->{claims}{exp} > $v->{claims}{iat}, 'exp after iat';

        my ($me, $json) = json_request(GET => "$n->{url}/api/me", undef, auth($t));
        is $me->code, 200, 'GET /api/me with it: 200';
        is $json->{data}{id}, $u->{id}, '... the user';
        is me_status('', $t), 401, 'an HS256 server refuses it (another algorithm)';
        is me_status($n->{url}, $hs_token), 401, 'the node refuses an HS256 token';

        my ($h, $p, $s) = split /\./, $t;
        my $none = MIME::Base64::encode_base64url('{"typ":"JWT","alg":"none"}');
        is me_status($n->{url}, "$none.$p."), 401, 'alg none: 401';
        is me_status($n->{url}, "$none.$p.$s"), 401, 'alg none with the signature: 401';
        my $payload = b64url_json($p);
        $payload->{sub} = '1';
        my $forged = "$h." . MIME::Base64::encode_base64url(JSON::PP::encode_json($payload)) . ".$s";
        is me_status($n->{url}, $forged), 401, 'another sub under the signature: 401';
        my $other = MIME::Base64::encode_base64url(JSON::PP::encode_json(
            { typ => 'JWT', alg => $alg, kid => 'A' x 43 }));
        is me_status($n->{url}, "$other.$p.$s"), 401, 'a kid of no key: 401';
        ok !independent($set, $forged)->{verified}, 'python3-jwt refuses the forgery too';

        # the session rules hold: logout ends the token at once
        ($res) = json_request(DELETE => "$n->{url}/api/logout", undef, auth($t));
        is $res->code, 200, 'logout';
        is me_status($n->{url}, $t), 401, 'after logout: 401';
        ok independent($set, $t)->{verified},
            '(the signature alone still verifies: the session row is what revokes)';
        stop_node($n);
    };

    scenario "$alg: key rotation" => sub {
        # 1. key a alone
        my $n = node_with("$k-r1", $alg, "${k}_a");
        my $old = login_at($n, $u);
        my ($res, $set1) = fetch_jwks($n);
        my $kid_a = $set1->{keys}[0]{kid};
        stop_node($n);

        # 2. b added second: a still signs, both are published
        $n = node_with("$k-r2", $alg, "${k}_a", "${k}_b");
        my ($r2, $set2) = fetch_jwks($n);
        is_deeply [map { $_->{kid} } @{ $set2->{keys} }]->[0], $kid_a, 'the first key is still a';
        is scalar @{ $set2->{keys} }, 2, 'b is published beside it';
        my $kid_b = $set2->{keys}[1]{kid};
        isnt $kid_b, $kid_a, 'b has a kid of its own';
        is header_of(login_at($n, $u))->{kid}, $kid_a, 'new tokens are still signed by a';
        is me_status($n->{url}, $old), 200, 'the old token works';
        stop_node($n);

        # 3. swapped: b signs, a still verifies
        $n = node_with("$k-r3", $alg, "${k}_b", "${k}_a");
        my $new = login_at($n, $u);
        is header_of($new)->{kid}, $kid_b, 'new tokens are signed by b';
        is me_status($n->{url}, $old), 200, 'the token signed by a still works';
        is me_status($n->{url}, $new), 200, 'the new one works';
        my ($r3, $set3) = fetch_jwks($n);
        ok independent($set3, $old)->{verified}, 'python3-jwt verifies the old token from the JWKS';
        ok independent($set3, $new)->{verified}, '... and the new one';
        stop_node($n);

        # 4. a removed (after the longest token lifetime, in production)
        $n = node_with("$k-r4", $alg, "${k}_b");
        is me_status($n->{url}, $old), 401, 'a removed: its tokens are refused';
        is me_status($n->{url}, $new), 200, "b's tokens work";
        my ($r4, $set4) = fetch_jwks($n);
        is_deeply [map { $_->{kid} } @{ $set4->{keys} }], [$kid_b], 'only b is published';
        stop_node($n);

        # a public key may follow the signing key: it verifies only
        $n = node_with("$k-r5", $alg, "${k}_a", "${k}_b.pub");
        is me_status($n->{url}, $new), 200, "a public key verifies b's token";
        is header_of(login_at($n, $u))->{kid}, $kid_a, 'the private key first signs';
        stop_node($n);
    };
}

# Startup: a bad key or a key that does not fit stops httpd with a
# message naming the directive.
openssl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out $keys/p384.pem");
openssl("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out $keys/rsa.pem");
openssl("genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes-128-cbc -pass pass:secret -out $keys/enc.pem");
Devplat::Node::spit("$keys/junk.pem", "not a key\n");

scenario 'bad directives stop httpd (httpd -t)' => sub {
    my ($rc, $out) = config_test('DevplatJwtAlgorithm ES256', "DevplatJwtKeyFile $keys/es_a.pem",
                                 "DevplatJwtKeyFile $keys/es_b.pub.pem");
    is $rc, 0, 'a private and a public P-256 key: Syntax OK' or diag $out;
    my @bad = (
        ['DevplatJwtAlgorithm none', qr/DevplatJwtAlgorithm: unknown algorithm 'none' \(tokens are signed with HS256, ES256 or EdDSA\)/],
        ['DevplatJwtAlgorithm RS256', qr/DevplatJwtAlgorithm: unknown algorithm 'RS256'/],
        ["DevplatJwtKeyFile $keys/missing.pem", qr/DevplatJwtKeyFile: cannot read \Q$keys\E\/missing\.pem/],
        ["DevplatJwtKeyFile $keys/junk.pem", qr/DevplatJwtKeyFile: \Q$keys\E\/junk\.pem: no unencrypted PEM private key .* \(make one with: openssl genpkey/],
        ["DevplatJwtKeyFile $keys/enc.pem", qr/DevplatJwtKeyFile: \Q$keys\E\/enc\.pem: no unencrypted PEM/],
        ["DevplatJwtKeyFile $keys/rsa.pem", qr/DevplatJwtKeyFile: \Q$keys\E\/rsa\.pem: the key is of type RSA; ES256 takes a P-256 EC key and EdDSA an Ed25519 key/],
        ["DevplatJwtKeyFile $keys/p384.pem", qr/the key is an EC key on another curve/],
        ["DevplatJwtKeyFile $keys/es_a.pem\nDevplatJwtKeyFile $keys/es_a.pem", qr/DevplatJwtKeyFile: \Q$keys\E\/es_a\.pem holds the same key as/],
    );
    for my $b (@bad) {
        my ($line, $re) = @$b;
        ($rc, $out) = config_test(split /\n/, $line);
        isnt $rc, 0, "'$line': refused";
        like $out, $re, "'$line': the message" or diag $out;
    }
};

# What only the whole configuration shows is checked at startup.
sub start_fails {
    my ($name, $alg, @files) = @_;
    my $ok = eval { node_with($name, $alg, @files); 1 };
    return $ok ? '' : node_log({ log => "$logs/$name/error_log" });
}

scenario 'keys that do not fit the algorithm stop httpd at startup' => sub {
    like start_fails('bad-none', 'ES256'), qr/DevplatJwtAlgorithm ES256 needs at least one DevplatJwtKeyFile/,
        'ES256 without a key file';
    like start_fails('bad-kind', 'EdDSA', 'es_a'),
        qr/DevplatJwtKeyFile \S+es_a\.pem holds a P-256 \(ES256\) key, but DevplatJwtAlgorithm is EdDSA/,
        'a P-256 key under EdDSA';
    like start_fails('bad-hs', 'HS256', 'ed_a'),
        qr/DevplatJwtKeyFile \S+ed_a\.pem holds an Ed25519 \(EdDSA\) key, but DevplatJwtAlgorithm is HS256/,
        'a key file under HS256';
    like start_fails('bad-pub', 'ES256', 'es_b.pub', 'es_a'),
        qr/DevplatJwtKeyFile \S+es_b\.pub\.pem holds only a public key: the first DevplatJwtKeyFile signs/,
        'a public key first';
};

done_testing;
