# POST /Api/User/send_code: phone, type = register | retrieve.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(61);

sub send_code { mform(POST => 'send_code', $_[0], 'X-Forwarded-For' => code_ip(), @_[1 .. $#_]) }

scenario 'a register code for a new number' => sub {
    my $m = unique_mobile();
    my ($res, $json) = send_code({ phone => $m, type => 'register' });
    check_mok($res, 'send_code register', info => '发送成功');
    is jtype($res, 'data'), 'object', 'data is an object (DevplatExposeCodes On)';
    is jtype($res, qw(data verification_code)), 'string', 'data.verification_code is a string';
    like $json->{data}{verification_code} // '', qr/^\d{6}$/, 'six digits';
    my @sent = notify_for($m);
    is scalar @sent, 1, 'the webhook got one message';
    is $sent[0]{channel}, 'sms', 'channel sms';
    is $sent[0]{purpose}, 'register', 'purpose register';
    is $sent[0]{code}, $json->{data}{verification_code}, 'the code sent is the code shown';
    my @rows = db_rows('SELECT * FROM verification_codes WHERE destination = ' . sql_quote($m));
    is scalar @rows, 1, 'one code row';
    is $rows[0]{purpose}, 'register', 'stored for purpose register';
    like $rows[0]{client_ip} // '', qr/^10\.0\.61\.\d+$/, 'the client address is recorded';
    ok !(grep { defined && $_ eq $json->{data}{verification_code} } values %{ $rows[0] }), 'not stored in clear';
};

scenario 'a JSON body works too' => sub {
    my $m = unique_mobile();
    my ($res) = mjson(POST => 'send_code', { phone => $m, type => 'register' }, 'X-Forwarded-For' => code_ip());
    check_mok($res, 'send_code (JSON)', info => '发送成功');
};

scenario 'a retrieve code for a registered number' => sub {
    my $u = mregister();
    my ($res, $json) = send_code({ phone => $u->{phone}, type => 'retrieve' });
    check_mok($res, 'send_code retrieve', info => '发送成功');
    like $json->{data}{verification_code} // '', qr/^\d{6}$/, 'six digits';
    my ($msg) = grep { $_->{purpose} eq 'retrieve' } notify_for($u->{phone});
    ok $msg, 'the webhook got a retrieve message';

    my $d = register_user();          # the developer face's users retrieve here too
    check_mok(scalar send_code({ phone => $d->{mobile}, type => 'retrieve' }), 'retrieve for a developer-face user');
};

scenario 'register for a taken number: 1007; retrieve for an unknown one: 1015' => sub {
    my $u = mregister();
    check_mfail(scalar send_code({ phone => $u->{phone}, type => 'register' }), 1007,
                name => 'register code for a registered number', info => '该账号已存在');
    check_mfail(scalar send_code({ phone => unique_mobile(), type => 'retrieve' }), 1015,
                name => 'retrieve code for an unknown number', info => '用户不存在');
    my $v = mregister();
    db("UPDATE users SET status = 5 WHERE id = $v->{id}");
    check_mfail(scalar send_code({ phone => $v->{phone}, type => 'retrieve' }), 1015,
                name => 'retrieve code for a deleted account', info => '用户不存在');
    check_mfail(scalar send_code({ phone => $v->{phone}, type => 'register' }), 1007,
                name => 'a deleted account still holds its number', info => '该账号已存在');
    is scalar(grep { $_->{purpose} eq 'retrieve' } notify_for($v->{phone})), 0, 'nothing was sent';
};

scenario 'missing fields: 997; bad ones: 1006' => sub {
    my $m = unique_mobile();
    check_mfail(scalar send_code({ type => 'register' }), 997, name => 'no phone', info => '缺少必须参数:phone');
    check_mfail(scalar send_code({ phone => $m }), 997, name => 'no type', info => '缺少必须参数:type');
    check_mfail(scalar send_code({ phone => '', type => 'register' }), 997, name => 'empty phone',
                info => '缺少必须参数:phone');
    check_mfail(scalar send_code({}), 997, name => 'nothing');
    check_mfail(scalar mjson(POST => 'send_code', { phone => 0 + "$m", type => 'register' }), 1006,
                name => 'phone as a JSON number', info => '输入的信息不符合:phone必须是字符串');
    check_mfail(scalar mjson(POST => 'send_code', { phone => $m, type => ['register'] }), 1006,
                name => 'type as an array', info => '输入的信息不符合:type必须是字符串');
    for my $p ('12345678901', '1354855412', 'abcdefghijk', '+8613548554126', q{1' OR '1'='1}) {
        check_mfail(scalar send_code({ phone => $p, type => 'register' }), 1006, name => "phone '$p'",
                    info => '输入的信息不符合:手机号格式不正确');
    }
    for my $t ('login', 'REGISTER', 'register ', 'password') {
        check_mfail(scalar send_code({ phone => $m, type => $t }), 1006, name => "type '$t'",
                    info => '输入的信息不符合:type须为register或retrieve');
    }
    is scalar(notify_for($m)), 0, 'nothing was sent';
    is db_value('SELECT count(*) FROM verification_codes WHERE destination = ' . sql_quote($m)), 0, 'no code row';
};

scenario 'a second code within the cooldown: HTTP 429 with Retry-After' => sub {
    my $m = unique_mobile();
    my $code = msend_code($m, 'register');
    my ($res, $json) = send_code({ phone => $m, type => 'register' });
    check_mfail($res, 429, name => 'second request', status => 429);
    my $ra = $res->header('Retry-After') // '';
    ok $ra =~ /^\d+$/ && $ra > 0 && $ra <= 60, "Retry-After within the cooldown ($ra)";
    is scalar(notify_for($m)), 1, 'nothing more was sent';
    # the cooldown is per purpose: once registered, a retrieve code is not held up
    check_mok(scalar mform(POST => 'register', { phone => $m, code => $code, password => 'Passw0rd!',
                                                RegistrationID => 'r1' }), 'the first code registers');
    check_mok(scalar send_code({ phone => $m, type => 'retrieve' }), 'a retrieve code right away');
};

scenario 'the cooldown is per number and purpose, shared with the developer face' => sub {
    my $m = unique_mobile();
    my $code = request_code($m);                     # developer face, purpose register
    check_mfail(scalar send_code({ phone => $m, type => 'register' }), 429, status => 429,
                name => 'a mobile register code right after a developer one');
    # and the developer code registers here: one code machinery
    my ($res) = mform(POST => 'register', { phone => $m, code => $code, password => 'Passw0rd!',
                                            RegistrationID => 'r1' });
    check_mok($res, 'a register-sms code registers on the mobile face', info => '注册成功');
};

scenario 'a failed delivery: HTTP 500, no code, no cooldown' => sub {
    my $m = '13900000000';                            # the sink fails for this number
    my ($res) = send_code({ phone => $m, type => 'register' });
    check_mfail($res, 500, name => 'delivery failed', status => 500, info => '验证码发送失败');
    is db_value(q{SELECT count(*) FROM verification_codes WHERE destination = '13900000000'}), 0, 'no code row';
    ($res) = send_code({ phone => $m, type => 'register' });
    check_mfail($res, 500, name => 'a retry is not held by a cooldown', status => 500);
};

done_testing;
