# Account core, rule 9: identity verification is one store
# (identity_verifications) for the developer real-name record and the mobile
# verification. One ID number verifies at most one account whichever face
# claimed it (rejected records excluded), enforced by the database under
# concurrency too; each face shows a record made on the other.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(106);

use constant MSG_DEV_TAKEN => '证件号码已被其他账号认证';
use constant MSG_MOB_TAKEN => '认证失败,该身份证已认证其他账号';

# Numbers unique to this file: area 440305, births 1970-01-01 .. 1970-01-28.
my $SEQ = 0;
sub card {
    $SEQ++;
    return valid_id_card(440305, 19700101 + $SEQ % 28, ($$ + $SEQ * 7) % 1000);
}
sub card_x {
    while (1) { my $c = card(); return $c if $c =~ /X$/ }
}

# A developer-face user with a licensed photo: {id, token, picture, ...}.
sub dev_user {
    my $u = signed_in();
    $u->{picture} = upload_picture($u->{token}, 'licensed-photo');
    return $u;
}
sub dev_claim {
    my ($u, $number, $name) = @_;
    return json_request(PUT => '/api/user/authenticate/real-name',
                        { actual_name => $name // '张三', certificate_type_id => 1, id_number => $number,
                          authenticate_picture => $u->{picture} }, auth($u->{token}));
}
sub mob_claim {
    my ($u, $number, $name) = @_;
    return mform(POST => "verification/token/$u->{token}", { name => $name // '张三', cardno => $number });
}

# Non-rejected records holding the number (undef when the store is missing).
sub holders {
    my ($number) = @_;
    return eval { db_value('SELECT count(*) FROM identity_verifications WHERE id_number = ' . sql_quote(uc $number)
                           . ' AND status <> 2') };
}
sub record {
    my ($id) = @_;
    return eval { (db_rows("SELECT * FROM identity_verifications WHERE user_id = $id"))[0] } || {};
}
sub set_status {
    my ($id, $status) = @_;
    my $ok = eval { db("UPDATE identity_verifications SET status = $status WHERE user_id = $id"); 1 };
    ok $ok, "identity_verifications of $id: status $status" or diag $@;
}

scenario 'a number verified on the mobile face cannot be claimed on the developer face' => sub {
    my $m = mregister();
    my $n = card();
    check_mok(scalar mob_claim($m, $n), 'mobile verification', info => '认证成功');
    my $r = record($m->{id});
    is "$r->{id_number}|$r->{status}|$r->{source}", "$n|1|mobile", 'one store: the record, passed, source mobile';
    is $r->{certificate_type_id}, 1, '... as a 居民身份证 (certificate type 1)';
    my $d = dev_user();
    my ($res, $json) = dev_claim($d, $n);
    check_error($res, 422, name => 'the same number on the developer face', field => 'id_number',
                message => MSG_DEV_TAKEN);
    is eval { $json->{errors}{id_number}[0] }, MSG_DEV_TAKEN, 'errors.id_number: ' . MSG_DEV_TAKEN;
    is holders($n), 1, 'one holder';
    is record($d->{id})->{id_number}, undef, 'the developer user has no record';
};

scenario 'a number pending or passed on the developer face cannot be claimed on the mobile face' => sub {
    my $d = dev_user();
    my $n = card();
    check_ok(scalar dev_claim($d, $n), 'real-name on the developer face (pending)');
    is record($d->{id})->{status}, 0, 'pending in the one store';
    my $m = mregister();
    check_mfail(scalar mob_claim($m, $n), 1012, name => 'the pending number on the mobile face', info => MSG_MOB_TAKEN);
    set_status($d->{id}, 1);
    check_mfail(scalar mob_claim($m, $n), 1012, name => 'the passed number on the mobile face', info => MSG_MOB_TAKEN);
    is holders($n), 1, 'one holder';
    is record($m->{id})->{id_number}, undef, 'the mobile user has no record';
};

scenario 'a rejected record does not block, on either face' => sub {
    my $d = dev_user();
    my $n = card();
    check_ok(scalar dev_claim($d, $n), 'developer claim');
    set_status($d->{id}, 2);
    my $m = mregister();
    check_mok(scalar mob_claim($m, $n), 'the mobile face takes the number of a rejected record', info => '认证成功');
    is holders($n), 1, 'one holder: the mobile account';
    is record($m->{id})->{status}, 1, '... passed';

    my $m2 = mregister();
    my $n2 = card();
    check_mok(scalar mob_claim($m2, $n2), 'mobile verification');
    set_status($m2->{id}, 2);
    my $d2 = dev_user();
    check_ok(scalar dev_claim($d2, $n2), 'the developer face takes the number of a rejected mobile record');
    is holders($n2), 1, 'one holder: the developer account';
};

scenario 'the X spelling is one number across faces' => sub {
    my $n = card_x();
    my $m = mregister();
    check_mok(scalar mob_claim($m, lc $n), 'mobile verification with a lower-case x');
    is record($m->{id})->{id_number}, $n, 'stored with an upper-case X';
    my $d = dev_user();
    check_error(scalar dev_claim($d, $n), 422, name => 'the upper-case spelling on the developer face', field => 'id_number',
                message => MSG_DEV_TAKEN);
    my $n2 = card_x();
    my $d2 = dev_user();
    check_ok(scalar dev_claim($d2, lc $n2), 'developer claim with a lower-case x');
    my $m2 = mregister();
    check_mfail(scalar mob_claim($m2, $n2), 1012, name => 'the upper-case spelling on the mobile face', info => MSG_MOB_TAKEN);
};

scenario 'GET /api/user/authenticate shows a mobile verification as real_name, 已通过' => sub {
    my $m = mregister();
    my $n = card();
    check_mok(scalar mob_claim($m, $n, '李四'), 'mobile verification');
    my ($res, $json) = json_request(GET => '/api/user/authenticate', undef, auth($m->{token}));
    check_ok($res, 'GET authenticate with the same account');
    my $rn = eval { $json->{data}{real_name} } || {};
    is $rn->{actual_name}, '李四', 'actual_name';
    is $rn->{certificate_type_id}, 1, 'certificate_type_id 1';
    is jtype($res, qw(data real_name certificate_type_id)), 'integer', '... an integer';
    is $rn->{id_number}, $n, 'id_number';
    is $rn->{authenticate_picture}, '', "authenticate_picture '' (none on the mobile face)";
    is $rn->{authenticate_status}, '已通过', 'authenticate_status 已通过';
    is $rn->{authenticate_message}, '', "authenticate_message ''";
};

scenario 'getVerification shows a developer record: state 1 when passed, else 0' => sub {
    my $d = dev_user();
    my $n = card();
    check_ok(scalar dev_claim($d, $n, '王五'), 'real-name on the developer face');
    my ($res, $json) = mget("getVerification/token/$d->{token}");
    check_mok($res, 'getVerification of a pending developer record', info => '获取成功');
    is eval { $json->{data}{name} }, '王*', 'name masked';
    is eval { $json->{data}{cardno} }, substr($n, 0, 3) . ('*' x 11) . substr($n, -4), 'number masked';
    is eval { $json->{data}{state} }, 0, 'state 0 (pending)';
    set_status($d->{id}, 1);
    (undef, $json) = mget("getVerification/token/$d->{token}");
    is eval { $json->{data}{state} }, 1, 'state 1 once passed';
    set_status($d->{id}, 2);
    (undef, $json) = mget("getVerification/token/$d->{token}");
    is eval { $json->{data}{state} }, 0, 'state 0 when rejected';
};

scenario '8 concurrent claims of one number, both faces: exactly one holder (' . engine() . ')' => sub {
    my @users = map { $_ % 2 ? mregister() : dev_user() } 0 .. 7;
    my $n = card();
    my @got = parallel(8, sub {
        my ($i) = @_;
        if ($i % 2) {
            my ($res, $json) = mob_claim($users[$i], $n);
            return 'mobile ' . $res->code . ' ' . ($json->{code} // 'none');
        }
        my ($res) = dev_claim($users[$i], $n);
        return 'developer ' . $res->code;
    });
    is scalar(grep { defined && /^(developer 200|mobile 200 1000)$/ } @got), 1, 'exactly one claim succeeds'
        or diag join ' | ', map { $_ // 'undef' } @got;
    is scalar(grep { defined && /^(developer 422|mobile 200 1012)$/ } @got), 7, 'the others are refused as taken'
        or diag join ' | ', map { $_ // 'undef' } @got;
    is holders($n), 1, 'one non-rejected record holds the number';
    my $ids = join ', ', map { $_->{id} } @users;
    is eval { db_value("SELECT count(*) FROM identity_verifications WHERE user_id IN ($ids)") }, 1,
        'one record among the eight accounts (nothing half-written)';
};

done_testing;
