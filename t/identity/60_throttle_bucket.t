# Account core, rule 8: the login throttle keeps one bucket per account
# (and client), whatever identifier (username, mobile, e-mail in any case,
# nickname) and face the failures came through; a wrong password in
# update-mobile counts in it too (rule 6). The test server runs
# DevplatLoginThrottle 5 900 2: five failures lock for 2 s (then 4 s, ...).
# Unknown identifiers are throttled by the identifier typed.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(105);

my $B = '/api/user/base';

# One failed login through $face with $id; asserts the face's wrong-password
# answer (so that a lock, 429, shows as a failure here).
sub fail_once {
    my ($face, $id, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    if ($face eq 'developer') {
        check_error(scalar login_full($id, 'Wrong-pass9'), 500, name => $name, message => MSG_LOGIN);
    }
    elsif ($face eq 'admin') {
        check_admin_error(scalar admin_login_full($id, 'Wrong-pass9'), 422, name => $name, cmd => 'login',
                          message => '用户名或密码错误');
    }
    else {
        check_mfail(scalar mform(POST => 'login', { phone => $id, password => 'Wrong-pass9' }), 1010, name => $name,
                    info => '账号密码错误');
    }
}

# The right password through $face with $id: the throttled answer.
sub locked {
    my ($face, $id, $pw, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $res;
    if ($face eq 'developer') {
        $res = login_full($id, $pw);
        check_error($res, 429, name => $name);
    }
    elsif ($face eq 'admin') {
        $res = admin_login_full($id, $pw);
        check_admin_error($res, 429, name => $name, cmd => 'login');
    }
    else {
        $res = mform(POST => 'login', { phone => $id, password => $pw });
        check_mfail($res, 429, name => $name, status => 429);
    }
    like $res->header('Retry-After') // '', qr/^[1-9]\d*$/, "$name: Retry-After";
}

# The five failures of the rule: username (developer), mobile (mobile face),
# nickname (admin face), spread over the three faces.
sub five_failures {
    my ($u) = @_;
    fail_once(developer => $u->{username}, 'failure 1: developer, username');
    fail_once(mobile    => $u->{mobile},   'failure 2: mobile face, mobile');
    fail_once(admin     => $u->{username}, 'failure 3: admin face, nickname');
    fail_once(mobile    => $u->{mobile},   'failure 4: mobile face, mobile');
    fail_once(developer => $u->{username}, 'failure 5: developer, username');
}

my @unlock;     # accounts that must sign in again once the locks are over

for my $face (qw(developer admin mobile)) {
    scenario "five failures over three identifiers and faces lock the account: the $face face answers 429" => sub {
        my $u = register_user(password => 'Right_pw1');
        five_failures($u);
        my $id = $face eq 'mobile' ? $u->{mobile} : $u->{username};
        locked($face, $id, 'Right_pw1', "the right password on the $face face");
        locked(developer => $u->{mobile}, 'Right_pw1', 'the right password by mobile on the developer face')
            if $face eq 'developer';
        push @unlock, $u;
    };
}

scenario 'the spellings of a proven e-mail and the mobile share the bucket' => sub {
    my $u = signed_in(password => 'Right_pw1');
    my $e = unique_email();
    my ($r, undef, $code) = code_get("$B/bind-email/verification-code?email=$e", $u->{token});
    check_ok(scalar json_request(POST => "$B/bind-email", { email => $e, verification_code => $code // '000000',
                                                            password => 'Right_pw1' }, auth($u->{token})),
             'an address bound');
    my ($local, $domain) = split /\@/, $e;
    fail_once(developer => uc $e, 'failure 1: the address in upper case');
    fail_once(developer => $local . '@' . uc $domain, 'failure 2: another spelling');
    fail_once(developer => ucfirst($local) . '@' . ucfirst($domain), 'failure 3: another spelling');
    fail_once(admin => $e, 'failure 4: the address on the admin face');
    fail_once(developer => $u->{mobile}, 'failure 5: the mobile');
    locked(developer => $u->{username}, 'Right_pw1', 'the right password by username');
    push @unlock, $u;
};

scenario "a wrong password in update-mobile counts in the account's bucket" => sub {
    my $u = signed_in(password => 'Right_pw1');
    fail_once(developer => $u->{username}, "failure $_: developer login") for 1 .. 4;
    my $m = unique_mobile();
    my ($r, undef, $code) = code_get("$B/update-mobile/new-mobile-verification-code?mobile=$m", $u->{token});
    my ($res, $json) = json_request(PATCH => "$B/update-mobile", { authentication_type => 'password',
        password => 'Wrong-pass9', new_mobile => $m, new_mobile_verification_code => $code // '000000' }, auth($u->{token}));
    check_error($res, 422, name => 'failure 5: a wrong password in update-mobile', field => 'password');
    is urow($u->{id})->{mobile}, $u->{mobile}, 'the mobile is unchanged';
    locked(mobile => $u->{mobile}, 'Right_pw1', 'the right password on the mobile face');
    push @unlock, $u;
};

sub urow { user_row($_[0] // 0) || {} }

scenario 'unknown identifiers: throttled by the identifier typed, nobody else locked' => sub {
    my $bystander = register_user(password => 'Right_pw1');
    my $ghost = 'ghost_' . ($$ % 100000);
    fail_once(developer => $ghost, "unknown name, failure $_") for 1 .. 5;
    check_error(scalar login_full($ghost, 'Right_pw1'), 429, name => 'the unknown name is locked');
    fail_once(developer => $ghost . 'x', 'another unknown name is not locked');
    my $gm = unique_mobile();
    fail_once(mobile => $gm, "unknown mobile, failure $_") for 1 .. 5;
    check_mfail(scalar mform(POST => 'login', { phone => $gm, password => 'Right_pw1' }), 429, status => 429,
                name => 'the unknown mobile is locked');
    ok eval { login($bystander->{username}, 'Right_pw1') }, 'an existing account is not locked by them';
    ok eval { mlogin($bystander->{mobile}, 'Right_pw1') }, '... on the mobile face either';
};

scenario "one account's failures lock neither another account nor another client" => sub {
    my $u = register_user(password => 'Right_pw1');
    my $v = register_user(password => 'Right_pw1');
    five_failures($u);
    ok eval { login($v->{username}, 'Right_pw1') }, 'another account signs in';
    check_ok(scalar login_full($u->{username}, 'Right_pw1', 'X-Forwarded-For' => '10.0.105.250'),
             'the locked account from another client');
    push @unlock, $u;
};

scenario 'the locks end: every locked account signs in again' => sub {
    sleep 3;        # the first lock lasts 2 s
    for my $u (@unlock) {
        my ($res, $json) = login_full($u->{mobile}, 'Right_pw1');
        check_ok($res, "account $u->{id} by mobile after the lock");
        is eval { $json->{data}{user_info}{id} }, $u->{id}, '... the same account';
    }
};

done_testing;
