# Account core, rule 7: a code is bound to the account that asked for it.
# Account B cannot spend a code account A asked for (same destination and
# purpose), B's wrong guesses do not burn it, and B asking for a code to the
# same destination neither supersedes A's nor puts A in a cooldown.
# register/retrieve codes (asked for by no account) work as before.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(104);
field_labels(new_mobile_verification_code => ['新手机号验证码'], email => ['邮箱']);

my $B = '/api/user/base';

sub urow { user_row($_[0] // 0) || {} }

sub bind_code_res { code_get("$B/bind-email/verification-code?email=$_[1]", $_[0]{token}) }
sub new_code_res  { code_get("$B/update-mobile/new-mobile-verification-code?mobile=$_[1]", $_[0]{token}) }
sub old_code      { fetch_code("$B/update-mobile/old-mobile-verification-code", $_[0]{token}) }

sub bind_email {
    my ($u, $e, $code) = @_;
    return json_request(POST => "$B/bind-email", { email => $e, verification_code => "$code", password => $u->{password} },
                        auth($u->{token}));
}
sub update_mobile {
    my ($u, $m, $new_code, $old) = @_;
    return json_request(PATCH => "$B/update-mobile", { authentication_type => 'mobile',
                        old_mobile_verification_code => "" . ($old // old_code($u)), new_mobile => $m,
                        new_mobile_verification_code => "$new_code" }, auth($u->{token}));
}

sub spent {
    my ($dest, $purpose) = @_;
    return db_value('SELECT count(*) FROM verification_codes WHERE destination = ' . sql_quote($dest)
                    . ' AND purpose = ' . sql_quote($purpose) . ' AND used_at IS NOT NULL');
}

# code_of($name, code_get(...)): the code, the request asserted as a 200.
sub code_of {
    my ($name, $res, undef, $code) = @_;
    check_ok($res, $name);
    return $code // '000000';
}

scenario "bind-email: B cannot spend the code A asked for" => sub {
    my ($a, $b) = (signed_in(), signed_in());
    my $e = unique_email();
    my $ca = code_of('A asks for a bind code', bind_code_res($a, $e));
    my ($res, $json) = bind_email($b, $e, $ca);
    check_error($res, 422, name => "B with A's code", field => 'verification_code');
    is urow($b->{id})->{email}, undef, 'B bound nothing';
    is spent($e, 'bind_email'), 0, "A's code is not spent";
    check_ok(scalar bind_email($a, $e, $ca), "A's code still works");
    is urow($a->{id})->{email}, $e, 'A holds the address';
};

scenario "bind-email: B's wrong guesses do not burn A's code" => sub {
    my ($a, $b) = (signed_in(), signed_in());
    my $e = unique_email();
    my $ca = code_of('A asks for a bind code', bind_code_res($a, $e));
    for my $i (1 .. 5) {
        check_error(scalar bind_email($b, $e, sprintf('%06d', ($ca + $i) % 1000000)), 422,
                    name => "B's wrong guess $i", field => 'verification_code');
    }
    check_error(scalar bind_email($b, $e, $ca), 422, name => "B with A's code after guessing", field => 'verification_code');
    check_ok(scalar bind_email($a, $e, $ca), "A's code still works after B's five wrong guesses");
};

scenario "bind-email: B asking for a code to the same address does not touch A's" => sub {
    my ($a, $b) = (signed_in(), signed_in());
    my $e = unique_email();
    my $ca = code_of('A asks first', bind_code_res($a, $e));
    my $cb = code_of('B asks for the same address: no 429 (its own cooldown)', bind_code_res($b, $e));
    check_error(scalar bind_code_res($a, $e), 429, name => "A asking again at once: A's own cooldown holds");
    check_ok(scalar bind_email($a, $e, $ca), "A's code still works (not superseded by B's)");
    check_error(scalar bind_email($b, $e, $cb), 422, name => 'B, now that A holds it', field => 'email');

    my ($c, $d) = (signed_in(), signed_in());
    my $e2 = unique_email();
    my $cd = code_of('D asks first', bind_code_res($d, $e2));
    my ($res, $json, $cc) = bind_code_res($c, $e2);
    check_ok($res, "C then asks: no 429 because of D's request");
    isnt $res->code, 429, '... not throttled';
    check_ok(scalar bind_email($c, $e2, $cc // '000000'), "C's code works");
    check_error(scalar bind_email($d, $e2, $cd), 422, name => 'D, now that C holds it', field => 'email');
};

scenario "update-mobile: B cannot spend A's new-number code; B's guesses and requests leave it alone" => sub {
    my ($a, $b) = (signed_in(), signed_in());
    my $m = unique_mobile();
    my $ca = code_of('A asks for a code to the new number', new_code_res($a, $m));
    my $bold = old_code($b);
    check_error(scalar update_mobile($b, $m, $ca, $bold), 422, name => "B with A's new-number code",
                field => 'new_mobile_verification_code');
    for my $i (1 .. 5) {
        check_error(scalar update_mobile($b, $m, sprintf('%06d', ($ca + $i) % 1000000), $bold), 422,
                    name => "B's wrong guess $i", field => 'new_mobile_verification_code');
    }
    my ($res) = new_code_res($b, $m);
    check_ok($res, 'B asks for a code to the same number: no 429');
    is urow($b->{id})->{mobile}, $b->{mobile}, "B's mobile is unchanged";
    is spent($m, 'change_mobile_new'), 0, 'no new-number code spent';
    check_ok(scalar update_mobile($a, $m, $ca), "A's code still works");
    is urow($a->{id})->{mobile}, $m, 'A has the new number';
};

scenario 'register and retrieve codes (no account) are as before' => sub {
    my $m = unique_mobile();
    my $code = request_code($m);
    my ($res) = json_request(GET => "/api/register-sms?mobile=$m");
    check_error($res, 429, name => 'a second register code within the cooldown, from another client');
    my ($mres) = mform(POST => 'send_code', { phone => $m, type => 'register' }, 'X-Forwarded-For' => code_ip());
    check_mfail($mres, 429, name => '... nor from the mobile face', status => 429);
    my ($r2, $j2) = mform(POST => 'register', { phone => $m, code => $code, password => 'Passw0rd!', RegistrationID => 'r1' });
    check_mok($r2, 'the developer-face register code registers on the mobile face', info => '注册成功');

    my $u = mregister();
    my $rc = msend_code($u->{phone}, 'retrieve');
    check_mok(scalar mform(POST => 'retrieve_password', { account => $u->{phone}, phone_code => $rc,
                                                          new_password => 'N3wpass!' }),
              'a retrieve code resets the password', info => '密码设置成功');
    ok eval { mlogin($u->{phone}, 'N3wpass!') }, 'the new password logs in';
};

done_testing;
