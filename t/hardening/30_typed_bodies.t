# The documented types on every endpoint of every face (issue 11, item
# 10): no success body holds a JSON null anywhere, since 000, 001 and 002
# type every field they show as a string, integer, array or object. The
# flows are those of the endpoint tests, walked here with the states in
# which nulls hide: accounts made on one face read through the others,
# sections not filled in, a participation just made, lists with such rows.
# The last scenario checks that every route of modules/api/routes.c was
# walked, so a new endpoint cannot escape the check.
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Apache::Test ();
use Devplat::Test;
use Devplat::AccountTest;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::Review;

client_net(120);

my %walked;         # "face METHOD route" => number of success bodies checked

# The JSON paths of every null in a decoded value.
sub null_paths {
    my ($v, $path) = @_;
    return ($path eq '' ? '(body)' : $path) unless defined $v;
    if (ref $v eq 'HASH') {
        return map { null_paths($v->{$_}, "$path.$_") } sort keys %$v;
    }
    if (ref $v eq 'ARRAY') {
        return map { null_paths($v->[$_], "$path.$_") } 0 .. $#$v;
    }
    return ();
}

# walk($face, $method, $route, $res, $name): the answer is a success of the
# face's envelope and holds no null. Returns the decoded body.
sub walk {
    my ($face, $method, $route, $res, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    $name = "$face $method $route" . (defined $name ? " ($name)" : '');
    my $json = decode_body($res);
    my $ok = $res->code == 200 && ref $json eq 'HASH'
        && ($face eq 'developer' ? ($json->{status_code} // 0) == 200
          : $face eq 'admin'     ? ($json->{status} && JSON::PP::is_bool($json->{status}) && $json->{status})
          :                        ($json->{code} // 0) == 1000);
    ok $ok, "$name: a success" or do { diag $res->status_line . ' ' . substr($res->content // '', 0, 300); return $json };
    my @nulls = null_paths($json, '');
    is_deeply \@nulls, [], "$name: no null in the body" or diag substr($res->content // '', 0, 600);
    $walked{"$face $method $route"}++;
    return $json;
}

sub dev  { walk('developer', @_) }
sub adm  { walk('admin', @_) }
sub mob  { walk('mobile', @_) }

sub code_of {
    my ($path, $token) = @_;
    my ($res, $json, $code) = code_get($path, $token);
    die "$path: " . $res->status_line . ' ' . ($res->content // '') . "\n" unless defined $code;
    return ($res, $code);
}

# A valid 居民身份证 number, different on every call (an area code no other
# test uses, a real birth date).
my $CARD = 0;
sub card {
    $CARD++;
    return valid_id_card(110108, sprintf('%04d%02d%02d', 1970 + $$ % 30, 1 + $CARD % 12, 1 + $$ % 28),
                         100 + ($$ + $CARD) % 900);
}

# ---------------------------------------------------------------- developer

my ($u, $token);

scenario 'developer: the account endpoints' => sub {
    my $mobile = unique_mobile();
    my ($code, $res) = request_code($mobile);
    dev(GET => 'register-sms', $res);
    my $name = unique_name();
    ($res) = json_request(POST => '/api/register', { username => $name, mobile => $mobile,
                                                     password => 'Passw0rd!', verification_code => $code });
    my $json = dev(POST => 'register', $res);
    $u = { id => $json->{data}{id}, username => $name, mobile => $mobile, password => 'Passw0rd!' };
    ($res) = login_full($name, 'Passw0rd!');
    $json = dev(POST => 'login', $res);
    $token = $json->{data}{token_info}{access_token};
    $u->{token} = $token;
    dev(GET => 'me', scalar json_request(GET => '/api/me', undef, auth($token)), 'a new user');
    my $t2 = login($name, 'Passw0rd!');
    ($res) = json_request(PUT => '/api/refresh', undef, auth($t2));
    $json = dev(PUT => 'refresh', $res);
    my $t3 = eval { $json->{data}{token_info}{access_token} } // $t2;
    dev(DELETE => 'logout', scalar json_request(DELETE => '/api/logout', undef, auth($t3)));
};
die "no developer user\n" unless $token;

scenario 'developer: projects' => sub {
    my $pid = insert_project(name => '类型项目');
    dev(GET => 'project/paginate', scalar json_request(GET => '/api/project/paginate?per_page=50', undef, auth($token)));
    dev(GET => 'project/paginate', scalar json_request(GET => '/api/project/paginate?per_page=10&q=' . uri_escape_utf8('无此项目xyz'),
                                                        undef, auth($token)), 'nothing found');
    dev(GET => 'project/base/{project_id}', scalar json_request(GET => "/api/project/base/$pid", undef, auth($token)));
};

scenario 'developer: the personal centre, nothing filled in' => sub {
    dev(GET => 'user/authenticate', scalar json_request(GET => '/api/user/authenticate', undef, auth($token)), 'empty');
    dev(GET => 'user/base', scalar json_request(GET => '/api/user/base', undef, auth($token)), 'empty');
    dev(GET => 'user/level-credit', scalar json_request(GET => '/api/user/level-credit', undef, auth($token)), 'empty');
    dev(GET => 'user/mirror', scalar json_request(GET => '/api/user/mirror', undef, auth($token)), 'empty');
    dev(GET => 'user/participate-project', scalar json_request(GET => '/api/user/participate-project', undef, auth($token)),
        'empty');
    for my $l (qw(certificate-type domain education position award-level)) {
        dev(GET => "user/authenticate/$l", scalar json_request(GET => "/api/user/authenticate/$l", undef, auth($token)));
    }
    dev(GET => 'user/base/research-direction',
        scalar json_request(GET => '/api/user/base/research-direction', undef, auth($token)));
};

scenario 'developer: the personal centre, filled in' => sub {
    my %res;
    for my $k (['avatar', 'user/base/upload/avatar'], ['licensed-photo', 'user/authenticate/upload/licensed-photo'],
               ['award-picture', 'user/authenticate/upload/award-prove']) {
        my ($res) = upload_request("/api/$k->[1]", [{ name => 'file', filename => 'p.png', content => image_bytes('png') }],
                                   auth($token));
        my $json = dev(POST => $k->[1], $res);
        $res{ $k->[0] } = eval { $json->{data}{path} };
    }
    my $A = '/api/user/authenticate';
    dev(PUT => 'user/authenticate/real-name', scalar json_request(PUT => "$A/real-name",
        { actual_name => '张三', certificate_type_id => 1, id_number => card(),
          authenticate_picture => $res{'licensed-photo'} }, auth($token)));
    dev(PUT => 'user/authenticate/educational-info', scalar json_request(PUT => "$A/educational-info",
        { institution => '北京大学', education_id => 3, project_experience => '完成河流污染识别算法' }, auth($token)));
    dev(PUT => 'user/authenticate/job-info', scalar json_request(PUT => "$A/job-info",
        { organization => '北京大学', position_id => 4, domain_id => [1, 2], project_experience => 'x' }, auth($token)));
    dev(POST => 'user/authenticate/award-info', scalar json_request(POST => "$A/award-info",
        { competition => 'CV101榜单活动', award_level_id => 1, award_picture => [$res{'award-picture'}] }, auth($token)));
    dev(GET => 'user/authenticate', scalar json_request(GET => $A, undef, auth($token)), 'filled in');
    dev(PUT => 'user/base', scalar json_request(PUT => '/api/user/base',
        { avatar => $res{avatar}, province => '广东省', city => '深圳市', county => '南山区', is_overseas => 0,
          research_direction_id => [1] }, auth($token)));
    dev(GET => 'user/base', scalar json_request(GET => '/api/user/base', undef, auth($token)), 'filled in');
    dev(GET => 'me', scalar json_request(GET => '/api/me', undef, auth($token)), 'with an avatar');

    db("INSERT INTO mirrors (user_id, name, created_at, updated_at) VALUES ($u->{id}, 'bare', "
       . "'2024-01-01 00:00:00', '2024-01-01 00:00:00')");
    dev(GET => 'user/mirror', scalar json_request(GET => '/api/user/mirror', undef, auth($token)), 'a mirror of defaults');
    my $pid = insert_project(name => '参与的项目');
    db("INSERT INTO project_participations (user_id, project_id, created_at, updated_at) VALUES ($u->{id}, $pid, "
       . "'2024-01-01 00:00:00', '2024-01-01 00:00:00')");
    dev(GET => 'user/participate-project', scalar json_request(GET => '/api/user/participate-project', undef, auth($token)),
        'a participation just made');
    dev(GET => 'user/level-credit', scalar json_request(GET => '/api/user/level-credit', undef, auth($token)),
        'with a participation');
    db("UPDATE users SET level = (SELECT MAX(level) FROM levels) WHERE id = $u->{id}");
    dev(GET => 'user/level-credit', scalar json_request(GET => '/api/user/level-credit', undef, auth($token)),
        'at the top level (no next level)');
};

scenario 'developer: contacts and password' => sub {
    my $B = '/api/user/base';
    my $e = unique_email();
    my ($res, $code) = code_of("$B/bind-email/verification-code?email=" . uri_escape_utf8($e), $token);
    dev(GET => 'user/base/bind-email/verification-code', $res);
    dev(POST => 'user/base/bind-email', scalar json_request(POST => "$B/bind-email",
        { email => $e, verification_code => $code, password => $u->{password} }, auth($token)));

    my ($r1, $old) = code_of("$B/update-mobile/old-mobile-verification-code", $token);
    dev(GET => 'user/base/update-mobile/old-mobile-verification-code', $r1);
    my ($r2, $by_mail) = code_of("$B/update-mobile/old-email-verification-code?email=" . uri_escape_utf8($e), $token);
    dev(GET => 'user/base/update-mobile/old-email-verification-code', $r2);
    my $m = unique_mobile();
    my ($r3, $new) = code_of("$B/update-mobile/new-mobile-verification-code?mobile=$m", $token);
    dev(GET => 'user/base/update-mobile/new-mobile-verification-code', $r3);
    dev(PATCH => 'user/base/update-mobile', scalar json_request(PATCH => "$B/update-mobile",
        { authentication_type => 'mobile', old_mobile_verification_code => $old, new_mobile => $m,
          new_mobile_verification_code => $new }, auth($token)));

    my ($r4, $ecode) = code_of("$B/update-email/old-email-verification-code?email=" . uri_escape_utf8($e), $token);
    dev(GET => 'user/base/update-email/old-email-verification-code', $r4);
    dev(PATCH => 'user/base/update-email', scalar json_request(PATCH => "$B/update-email",
        { old_email_verification_code => $ecode, old_email => $e, new_email => unique_email() }, auth($token)));

    dev(PATCH => 'user/base/update-password', scalar json_request(PATCH => "$B/update-password",
        { old_password => $u->{password}, new_password => 'Changed-1' }, auth($token)));
    $u->{password} = 'Changed-1';
};

# ---------------------------------------------------------------- admin

client_net(122);
my $admin = make_admin();
client_net(120);

scenario 'admin: every endpoint' => sub {
    client_net(122);
    my ($id, $code, $res) = captcha();
    adm(GET => 'captcha', $res);
    ($res) = admin_login_full($admin->{nickname}, $admin->{password});
    adm(POST => 'login', $res);
    ($res) = admin_sign_up();
    my $json = adm(PUT => 'signUp', $res);
    my $signed = db_value('SELECT max(id) FROM users');
    my $t = $admin->{token};
    adm(GET => 'list/user', scalar admin(GET => 'list/user', undef, auth($t)), 'page 1');
    my $past = int(db_value('SELECT count(*) FROM users') / 10) + 5;
    adm(GET => 'list/user', scalar admin(GET => "list/user?page=$past", undef, auth($t)), 'past the end');
    # accounts of every origin through the admin face
    my $mob = mregister();
    for my $who ([developer => $u->{id}], [mobile => $mob->{id}], ['admin sign-up' => $signed],
                 [premigration => db_value(q{SELECT id FROM users WHERE username = 'premig_dev_wins'})]) {
        next unless $who->[1];
        adm(GET => 'user/{id}', scalar admin(GET => "user/$who->[1]", undef, auth($t)), "a $who->[0] account");
    }
    adm(PUT => 'user/{id}', scalar admin(PUT => "user/$mob->{id}", { position => 'QA' }, auth($t)));
    adm(PUT => 'audit/user/{id}', scalar admin(PUT => "audit/user/$signed", undef, auth($t)));
    my $victim = make_user();
    adm(DELETE => 'user/{id}', scalar admin(DELETE => "user/$victim->{id}", undef, auth($t)));
    # the review queues: a submission of each kind listed, one read and decided
    my $ru = dev_user();
    my $rid = submit('educational-info', $ru);
    submit($_, $ru) for qw(real-name job-info award-info);
    submit('qualification', $mob);
    adm(GET => 'review/list', scalar admin(GET => 'review/list?per_page=100', undef, auth($t)));
    adm(GET => 'review/{kind}/{id}', scalar admin(GET => "review/educational-info/$rid", undef, auth($t)));
    adm(PUT => 'review/{kind}/{id}', scalar admin(PUT => "review/educational-info/$rid",
                                                 { decision => 'approve' }, auth($t)));
    # the project catalogue: a new project, edited, listed and deleted
    my $pj = adm(POST => 'project', scalar admin(POST => 'project',
                 { name => '类型目录', delivery_at => '2030-01-01 00:00:00' }, auth($t)));
    my $pid = $pj && ref $pj->{data} eq 'HASH' ? $pj->{data}{id} : 0;
    adm(PUT => 'project/{id}', scalar admin(PUT => "project/$pid", { level => 2 }, auth($t)));
    adm(GET => 'project/list', scalar admin(GET => 'project/list?per_page=5', undef, auth($t)));
    adm(DELETE => 'project/{id}', scalar admin(DELETE => "project/$pid", undef, auth($t)));
    # a credit change, and the audit log with every row written above
    adm(POST => 'user/{id}/credit', scalar admin(POST => "user/$ru->{id}/credit",
                                                 { change => 25, message => '类型检查' }, auth($t)));
    adm(GET => 'user/{id}/credit', scalar admin(GET => "user/$ru->{id}/credit", undef, auth($t)));
    adm(GET => 'audit/list', scalar admin(GET => 'audit/list?per_page=100', undef, auth($t)));
    client_net(120);
};

# ---------------------------------------------------------------- mobile

scenario 'mobile: every endpoint' => sub {
    client_net(123);
    my $phone = unique_mobile();
    my ($code, $res) = msend_code($phone, 'register');
    mob(POST => 'User/send_code', $res);
    ($res) = mform(POST => 'register', { phone => $phone, code => $code, password => 'Passw0rd!',
                                         RegistrationID => "1a0018970a$$" });
    my $json = mob(POST => 'User/register', $res);
    my $t = eval { $json->{data}{token} } // die "no mobile token\n";
    ($res) = mform(POST => 'login', { phone => $phone, password => 'Passw0rd!' });
    mob(POST => 'User/login', $res);
    mob(GET => 'User/get_user_details', scalar mget("get_user_details?token=$t"), 'a new account');
    mob(GET => 'User/get_user_details', scalar mget("get_user_details/token/$t"), 'token in the path');
    # accounts of the other faces through the mobile face
    mob(GET => 'User/get_user_details', scalar mget("get_user_details?token=$token"), 'a developer account');
    my $adm_user = make_user();
    my $ta = login($adm_user->{username}, $adm_user->{password});
    mob(GET => 'User/get_user_details', scalar mget("get_user_details?token=$ta"), 'an account with name and e-mail');

    ($res) = mform(POST => "verification/token/$t", { name => '张三', cardno => card() });
    mob(POST => 'User/verification', $res);
    mob(GET => 'User/getVerification', scalar mget("getVerification/token/$t"));
    mob(POST => 'User/getVerification', scalar mform(POST => "getVerification/token/$t", {}));
    # the developer face's real-name record read through the mobile face
    mob(GET => 'User/getVerification', scalar mget("getVerification/token/$token"), 'a developer record');

    my ($path, $r) = mupload($t);
    mob(POST => 'User/upload_image', $r);
    mob(POST => 'User/uploadPortrait', scalar mform(POST => "uploadPortrait/token/$t", { portrait => $path }));
    mob(POST => 'User/uploadPortrait/', scalar mform(POST => 'uploadPortrait/', { portrait => scalar mupload($t), token => $t }));
    mob(GET => 'User/get_user_details', scalar mget("get_user_details?token=$t"), 'with a portrait, verified');
    mob(GET => 'User/authenticationQualifications',
        scalar mget("authenticationQualifications/token/$t?picture=" . uri_escape_utf8(scalar mupload($t))));
    mob(POST => 'User/authenticationQualifications',
        scalar mform(POST => "authenticationQualifications/token/$t", { picture => scalar mupload($t) }));
    mob(GET => 'User/get_user_details', scalar mget("get_user_details?token=$t"), 'under review');

    # the mobile account, verified on the mobile face, through the developer face
    my ($lres) = login_full($phone, 'Passw0rd!');
    my $lj = dev(POST => 'login', $lres, 'a mobile account by its phone');
    my $dt = eval { $lj->{data}{token_info}{access_token} } // '';
    for my $p ('me', 'user/base', 'user/authenticate', 'user/level-credit') {
        dev(GET => $p, scalar json_request(GET => "/api/$p", undef, auth($dt)), 'a mobile account');
    }

    my $rcode = msend_code($phone, 'retrieve');
    mob(POST => 'User/retrieve_password', scalar mform(POST => 'retrieve_password',
        { account => $phone, phone_code => $rcode, new_password => 'N3wpass!' }));
    my $t2 = mlogin($phone, 'N3wpass!');
    my $t3 = mlogin($phone, 'N3wpass!');
    mob(GET => 'User/exit_login', scalar mget("exit_login?token=$t2"));
    mob(POST => 'User/exit_login', scalar mform(POST => 'exit_login', { token => $t3 }));
    client_net(120);
};

# ---------------------------------------------------------------- coverage

scenario 'every route of modules/api/routes.c was walked' => sub {
    my $top = Apache::Test::vars('top_dir');
    open my $fh, '<', "$top/modules/api/routes.c" or die "routes.c: $!";
    my ($face, @routes);
    while (<$fh>) {
        $face = $1 if /^static const devplat_route (developer|admin|mobile)_routes\[\]/;
        next unless $face;
        if (/^\s*MOBILE\("(\w+)",\s*"([^"]+)"/) {
            push @routes, "$face $1 User/$2";
        }
        elsif (/^\s*\{"(\w+)",\s*"([^"]+)"/) {
            push @routes, "$face $1 $2";
        }
    }
    cmp_ok scalar(@routes), '>=', 50, 'routes found: ' . scalar(@routes);
    my @missed = grep { !$walked{$_} } @routes;
    is_deeply \@missed, [], 'every route had a success body checked';
};

done_testing;
