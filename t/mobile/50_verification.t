# verification/token/<t> (name, cardno) and getVerification/token/<t>.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(65);

# Numbers unique to this file and run: area 320106, births from 1980 on.
my $SEQ = 0;
sub card {
    my ($birth) = @_;
    $SEQ++;
    return valid_id_card(320106, $birth // 19800101 + $SEQ % 28, 100 + $SEQ);
}
# A valid number whose check character is X.
sub card_x {
    while (1) {
        my $c = card(19850615);
        return $c if $c =~ /X$/;
    }
}

sub verify {
    my ($token, $fields, %h) = @_;
    return mform(POST => "verification/token/$token", $fields, %h);
}

scenario 'verify, then read it back masked' => sub {
    my $u = mregister();
    check_mfail(scalar mget("getVerification/token/$u->{token}"), 996, name => 'nothing to fetch yet',
                info => '获取失败,尚未实名认证');
    my $card = card();
    my ($res, $json) = verify($u->{token}, { name => '张三', cardno => $card });
    check_mok($res, 'verification', info => '认证成功');
    is jtype($res, 'data'), 'string', 'data is a string';
    my ($row) = db_rows("SELECT * FROM identity_verifications WHERE user_id = $u->{id}");
    is $row->{actual_name}, '张三', 'name stored';
    is $row->{id_number}, $card, 'number stored';
    is $row->{status}, 1, 'status 1 (passed)';
    is $row->{source}, 'mobile', 'source mobile';
    is $row->{certificate_type_id}, 1, 'a resident ID card (certificate type 1)';
    like $row->{created_at} // '', DATETIME_RE, 'created_at';
    is db_value(qq{SELECT count(*) FROM audit_log WHERE action = 'id_verification' AND user_id = $u->{id}}), 1,
       'audited';

    ($res, $json) = mget("getVerification/token/$u->{token}");
    check_mok($res, 'getVerification', info => '获取成功');
    is jtype($res, 'data'), 'object', 'data is an object';
    is join(',', sort keys %{ $json->{data} || {} }), 'cardno,name,state', 'data: name, cardno, state';
    is jtype($res, qw(data name)), 'string', 'name is a string';
    is jtype($res, qw(data cardno)), 'string', 'cardno is a string';
    is jtype($res, qw(data state)), 'integer', 'state is an integer';
    is $json->{data}{name}, '张*', 'name masked';
    is $json->{data}{cardno}, substr($card, 0, 3) . ('*' x 11) . substr($card, -4), 'number masked (3 + 4)';
    is $json->{data}{state}, 1, 'state 1 (verified)';
    check_mok(scalar mjson(POST => "getVerification/token/$u->{token}", {}), 'getVerification by POST');

    my ($lres, $ljson) = mform(POST => 'login', { phone => $u->{phone}, password => $u->{password} });
    is $ljson->{data}{authenticationState}, 1, 'login says authenticationState 1';
};

scenario 'a JSON body, a lower-case x, a minority name' => sub {
    my $u = mregister();
    my $card = card_x();
    my ($res) = mjson(POST => "verification/token/$u->{token}", { name => '买买提·艾力', cardno => lc $card });
    check_mok($res, 'lower-case x accepted', info => '认证成功');
    is db_value("SELECT id_number FROM identity_verifications WHERE user_id = $u->{id}"), $card, 'stored with an upper-case X';
    my (undef, $json) = mget("getVerification?token=$u->{token}");
    is $json->{data}{name}, '买*****', 'masked per character';
    # the same number in upper case is the same card
    my $v = mregister();
    check_mfail(scalar verify($v->{token}, { name => '李四', cardno => $card }), 1012,
                name => 'the X spelling does not make another card');
};

scenario 'numbers that are not valid identity cards: 1013' => sub {
    my $u = mregister();
    my $good = card();
    my $last = substr($good, -1);
    my $wrong = substr($good, 0, 17) . ($last eq '0' ? '1' : '0');
    my %bad = (
        'wrong check digit'            => $wrong,
        'check digit X where a digit'  => substr($good, 0, 17) . ($last eq 'X' ? '0' : 'X'),
        '30 February'                  => valid_id_card(320106, 19900230, 123),
        '29 February 1990'             => valid_id_card(320106, 19900229, 123),
        'month 13'                     => valid_id_card(320106, 19901301, 123),
        'day 00'                       => valid_id_card(320106, 19900100, 123),
        'born in 1899'                 => valid_id_card(320106, 18991231, 123),
        'born in the future'           => valid_id_card(320106, 20991231, 123),
        '15-digit legacy number'       => '320106800101123',
        '17 digits'                    => substr($good, 0, 17),
        '19 characters'                => $good . '1',
        'letters inside'               => substr($good, 0, 10) . 'AB' . substr($good, 12),
        'full-width digits'            => '３２０１０６' . substr($good, 6),
        'spaces'                       => substr($good, 0, 6) . ' ' . substr($good, 6),
        'SQL'                          => q{' OR '1'='1},
    );
    for my $what (sort keys %bad) {
        check_mfail(scalar verify($u->{token}, { name => '张三', cardno => $bad{$what} }), 1013,
                    name => $what, info => '认证失败,请填写正确的身份信息');
    }
    ok valid_id_card(320106, 20000229, 123), 'control: 29 February 2000';
    check_mok(scalar verify($u->{token}, { name => '张三', cardno => valid_id_card(320106, 20000229, 100 + $$ % 800) }),
              '29 February 2000 exists');
    is db_value("SELECT count(*) FROM identity_verifications WHERE user_id = $u->{id}"), 1, 'one row, the valid one';
};

scenario 'names and missing fields: 1001' => sub {
    my $u = mregister();
    my $card = card();
    for my $n ('张', 'Zhang San', '张三1', '张 三', '·张三', '张三·', '张··三', '张' x 21, "张三'--", '<b>张三</b>') {
        check_mfail(scalar verify($u->{token}, { name => $n, cardno => $card }), 1001, name => "name '$n'",
                    info => qr/^输入的信息有误:姓名/);
    }
    for my $f (qw(name cardno)) {
        my %b = (name => '张三', cardno => $card);
        delete $b{$f};
        check_mfail(scalar verify($u->{token}, \%b), 1001, name => "$f missing", info => "输入的信息有误:$f");
        check_mfail(scalar verify($u->{token}, { name => '张三', cardno => $card, $f => '' }), 1001,
                    name => "$f empty", info => "输入的信息有误:$f");
        check_mfail(scalar mjson(POST => "verification/token/$u->{token}", { name => '张三', cardno => $card, $f => 110 }),
                    1001, name => "$f as a number", info => "输入的信息有误:${f}必须是字符串");
    }
    check_mfail(scalar mjson(POST => "verification/token/$u->{token}", { name => '张三', cardno => 0 + substr($card, 0, 17) }),
                1001, name => 'cardno as a JSON number');
    is db_value("SELECT count(*) FROM identity_verifications WHERE user_id = $u->{id}"), 0, 'nothing stored';
    check_mok(scalar verify($u->{token}, { name => '欧阳娜娜', cardno => $card }), 'then a good one');
};

scenario 'one card, one account; no changes once verified: 1012' => sub {
    my $u = mregister();
    my $v = mregister();
    my $card = card();
    check_mok(scalar verify($u->{token}, { name => '王五', cardno => $card }), 'first account');
    check_mfail(scalar verify($v->{token}, { name => '王五', cardno => $card }), 1012,
                name => 'the same card for another account', info => '认证失败,该身份证已认证其他账号');
    check_mok(scalar verify($u->{token}, { name => '王五', cardno => $card }), 'the same again: 认证成功',
              info => '认证成功');
    check_mfail(scalar verify($u->{token}, { name => '王六', cardno => $card }), 1012,
                name => 'another name', info => '认证失败,账号已完成实名认证');
    check_mfail(scalar verify($u->{token}, { name => '王五', cardno => card() }), 1012,
                name => 'another card', info => '认证失败,账号已完成实名认证');
    is db_value("SELECT actual_name FROM identity_verifications WHERE user_id = $u->{id}"), '王五', 'unchanged';

    # an operator rejects it (status 2): state 0 shows, the user may verify again
    db("UPDATE identity_verifications SET status = 2 WHERE user_id = $u->{id}");
    my ($res, $json) = mget("getVerification/token/$u->{token}");
    check_mok($res, 'a withdrawn verification');
    is $json->{data}{state}, 0, 'state 0';
    my (undef, $ljson) = mform(POST => 'login', { phone => $u->{phone}, password => $u->{password} });
    is $ljson->{data}{authenticationState}, 0, 'login says 0';
    my $card2 = card();
    check_mok(scalar verify($u->{token}, { name => '王五', cardno => $card2 }), 'verified again');
    my ($row) = db_rows("SELECT id_number, status FROM identity_verifications WHERE user_id = $u->{id}");
    is "$row->{id_number}:$row->{status}", "$card2:1", 'the new card, status 1';
    check_mok(scalar verify($v->{token}, { name => '王五', cardno => $card }), 'the old card is free for another');
};

scenario 'the database refuses the verification: 1012, nothing stored' => sub {
    my $u = mregister();
    my $card = card();
    my ($res) = with_fault('identity_verifications.insert', { user_id => $u->{id} }, sub {
        verify($u->{token}, { name => '赵六', cardno => $card });
    });
    check_mfail($res, 1012, name => 'refused', info => '认证失败');
    is db_value("SELECT count(*) FROM identity_verifications WHERE user_id = $u->{id}"), 0, 'nothing stored';
    is db_value(qq{SELECT count(*) FROM audit_log WHERE action = 'id_verification' AND user_id = $u->{id}}), 0,
       'no audit row';
};

scenario 'tokens: path, query, body, header; none or bad: 999' => sub {
    my $u = mregister();
    my $card = card();
    my %f = (name => '孙七', cardno => $card);
    check_mfail(scalar mform(POST => 'verification', \%f), 999, name => 'no token', info => '用户未登录');
    check_mfail(scalar verify('garbage', \%f), 999, name => 'garbage token', info => '用户未登录');
    check_mfail(scalar verify(jwt_forge({ %{ jwt_claims($u->{token}) }, jti => 'f' x 32 }), \%f), 999,
                name => 'forged jti');
    check_mfail(scalar verify(jwt_forge(jwt_claims($u->{token}), key => 'k' x 48), \%f), 999, name => 'wrong key');
    is db_value("SELECT count(*) FROM identity_verifications WHERE user_id = $u->{id}"), 0, 'nothing stored';
    check_mok(scalar mform(POST => "verification?token=$u->{token}", \%f), '?token=');
    my $v = mregister();
    check_mok(scalar mform(POST => 'verification', { %f, cardno => card(), token => $v->{token} }), 'token field in the body');
    my $w = register_user();
    my $dev = login($w->{username}, $w->{password});
    check_mok(scalar mform(POST => 'verification', { %f, cardno => card() }, auth($dev)),
              'a developer-face token in Authorization');
    my ($res, $json) = mget("getVerification/token/$dev");
    check_mok($res, 'a developer-face user reads it back');
    is $json->{data}{name}, '孙*', 'masked';
    # the path wins over the query
    check_mfail(scalar mget("getVerification/token/garbage?token=$dev"), 999, name => 'a bad path token is not rescued');
};

done_testing;
