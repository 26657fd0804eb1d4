# GET captcha: a PNG of 5 letters/digits as a data URL, kept hashed for 300 s.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;

client_net(51);

scenario 'the captcha body' => sub {
    my $t0 = time;
    my ($res, $json) = admin(GET => 'captcha');
    check_admin_ok($res, 'captcha', cmd => 'captcha');
    is jtype($res, 'data'), 'object', 'data is an object';
    is jtype($res, qw(data id)), 'string', 'data.id is a string';
    is jtype($res, qw(data picture)), 'string', 'data.picture is a string';
    is jtype($res, qw(data code)), 'string', 'data.code is a string (DevplatExposeCodes On)';
    my $d = $json->{data} || {};
    is join(',', sort keys %$d), 'code,id,picture', 'data has id, picture and code';
    like $d->{id} // '', qr/^[0-9a-f]{32}$/, 'id: 32 hex characters';
    like $d->{code} // '', qr/^[${\ ALPHABET}]{5}$/, 'code: 5 characters of the alphabet';
    like $d->{picture} // '', qr{^data:image/png;base64,iVBORw0KGgo}, 'picture: data:image/png;base64,iVBORw...';
    is $res->header('Cache-Control'), 'no-store', 'Cache-Control: no-store';

    my ($sig, $w, $h, $png) = png_info($d->{picture});
    ok $sig, 'decoded: PNG signature and IHDR first';
    is $w, 150, 'IHDR width 150';
    is $h, 50, 'IHDR height 50';
    ok length($png) > 200 && length($png) < 16384, 'a few kilobytes (' . length($png) . ')';
    is substr($png, -8, 4), 'IEND', 'ends with IEND';

    my @rows = db_rows('SELECT * FROM captchas WHERE id = ' . sql_quote($d->{id}));
    is scalar @rows, 1, 'one captchas row';
    my $row = $rows[0] || {};
    like $row->{digest} // '', qr/^[0-9a-f]{64}$/, 'stored as a 64-hex HMAC';
    unlike $row->{digest} // '', qr/\Q$d->{code}\E/i, 'the text itself is not stored';
    is $row->{expires_at} - $row->{created_at}, 300, 'valid for 300 s';
    ok abs($row->{created_at} - $t0) <= 60, 'created now';
    is $row->{client_ip}, client_ip(), 'client address kept';
};

scenario 'every captcha is new' => sub {
    my (%ids, %pics, %codes);
    for (1 .. 8) {
        my ($id, $code, $res, $json) = captcha();
        $ids{$id}++;
        $pics{ $json->{data}{picture} }++;
        $codes{$code}++;
    }
    is scalar keys %ids, 8, '8 different ids';
    is scalar keys %pics, 8, '8 different pictures';
    ok keys(%codes) >= 7, 'texts differ';
};

scenario 'HEAD and query strings' => sub {
    my ($res) = admin(GET => 'captcha?x=1');
    check_admin_ok($res, 'captcha?x=1', cmd => 'captcha');
    $res = admin(HEAD => 'captcha');
    is $res->code, 200, 'HEAD: 200';
    is $res->content, '', 'HEAD: no body';
};

scenario 'expired captchas go with the periodic purge of a draw' => sub {
    my ($id) = captcha();
    db('UPDATE captchas SET expires_at = 1 WHERE id = ' . sql_quote($id));
    # DevplatPurgeInterval is 5 s in t/conf/extra.conf.in: once every child
    # purged longer ago than that, the next draw purges
    sleep 6;
    captcha();
    is db_value('SELECT count(*) FROM captchas WHERE id = ' . sql_quote($id)), 0, 'the expired row is gone';
    is db_value('SELECT count(*) FROM captchas WHERE expires_at <= 1'), 0, 'no expired rows left';
};

done_testing;
