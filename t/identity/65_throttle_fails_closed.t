# The login throttle fails closed: an attempt that cannot be recorded checks
# no password, on every face that checks one (developer, admin and mobile
# login, the old password of update-password). Faults come from
# t/sql/<engine>/050_throttle_faults.sql (Devplat::Mobile's with_fault).
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP ();
use Devplat::Test;
use Devplat::AccountTest;
use Devplat::Admin;
use Devplat::Mobile;

client_net(108);

sub sessions_of { db_value("SELECT count(*) FROM sessions WHERE user_id = $_[0]") }

scenario 'no attempt recorded, no password checked: 503 on every face' => sub {
    my $u = register_user(password => 'Closed_pw1');
    my $t = login($u->{username}, 'Closed_pw1');
    my $before = sessions_of($u->{id});
    with_fault('login_throttle.write', { mobile => "#user:$u->{id}" }, sub {
        check_error(scalar login_full($u->{username}, 'Closed_pw1'), 503,
                    name => 'developer login, the right password');
        check_error(scalar login_full($u->{username}, 'Wrong_pw1'), 503,
                    name => 'developer login, a wrong password');
        check_admin_error(scalar admin_login_full($u->{username}, 'Closed_pw1'), 503,
                          name => 'admin login, the right password', cmd => 'login');
        my $res = mform(POST => 'login', { phone => $u->{mobile}, password => 'Closed_pw1' });
        is $res->code, 503, 'mobile login, the right password: HTTP 503';
        check_error(scalar json_request(PATCH => '/api/user/base/update-password',
                                        { old_password => 'Closed_pw1', new_password => 'Closed_pw2' },
                                        auth($t)), 503, name => 'update-password, the right old password');
    });
    is sessions_of($u->{id}), $before, 'no session was issued';
    is audit_count($u->{id}, 'login_failed'), 0, 'no password was checked (no failure audited)';
    ok eval { login($u->{username}, 'Closed_pw1') }, 'the password is unchanged and logs in once healed';
};

scenario 'a right password forgets the attempt it counted' => sub {
    my $u = register_user(password => 'Count_pw1');
    for my $i (1 .. 4) {
        check_error(scalar login_full($u->{username}, "Count_no$i"), 500, name => "wrong $i");
    }
    check_ok(scalar login_full($u->{username}, 'Count_pw1'), 'the fifth, right one logs in');
    is db_value(q{SELECT count(*) FROM login_throttle WHERE account = } . sql_quote("#user:$u->{id}")), 0,
       'the bucket is gone after the right password';
    for my $i (1 .. 4) {
        check_error(scalar login_full($u->{username}, "Again_no$i"), 500, name => "wrong again $i");
    }
    check_ok(scalar login_full($u->{username}, 'Count_pw1'), 'four more wrong ones still leave the account open');
};

scenario 'concurrent right logins of one account from one address all succeed' => sub {
    my $u = register_user(password => 'Many_pw1');
    my @codes = parallel(8, sub {
        my ($i) = @_;
        my $res = $i % 2 ? login_full($u->{username}, 'Many_pw1')
                         : scalar mform(POST => 'login', { phone => $u->{mobile}, password => 'Many_pw1' });
        return $res->code . ($i % 2 ? '' : ':' . (eval { JSON::PP->new->decode($res->content)->{code} } // '-'));
    });
    is scalar(grep { defined && /^200(:1000)?$/ } @codes), 8, 'eight logins, eight 200s (no 503 from the race)'
        or diag join ' ', map { $_ // 'undef' } @codes;
    is db_value(q{SELECT count(*) FROM login_throttle WHERE account = } . sql_quote("#user:$u->{id}")), 0,
       'no attempt is left counted';
};

done_testing;
