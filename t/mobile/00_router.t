# The mobile face at /Api: routes, methods, unusable bodies, in its envelope.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Mobile;

client_net(60);

scenario 'unknown paths: HTTP 404 in the mobile envelope' => sub {
    for my $path ('/Api/User/nope', '/Api/nope', '/Api/', '/Api/User', '/Api/user/login',
                  '/Api/User/LOGIN', '/Api/User/login/extra', '/Api/User/login/token',
                  '/Api/User/get_user_details/token/a/b') {
        my $res = json_request(GET => $path);
        my $json = check_menvelope($res, "GET $path", status => 404);
        is $json->{code}, 404, "GET $path: code 404";
        is $json->{state}, 2, "GET $path: state 2";
        is $json->{data}, '', "GET $path: data ''";
    }
};

my %allow = (
    send_code                    => 'POST',
    register                     => 'POST',
    login                        => 'POST',
    retrieve_password            => 'POST',
    verification                 => 'POST',
    getVerification              => 'GET,HEAD,POST',
    get_user_details             => 'GET,HEAD',
    uploadPortrait               => 'POST',
    authenticationQualifications => 'GET,HEAD,POST',
    exit_login                   => 'GET,HEAD,POST',
    upload_image                 => 'POST',
);

scenario 'a method the action does not take: HTTP 405 with Allow, in the envelope' => sub {
    for my $action (sort keys %allow) {
        my %ok = map { $_ => 1 } split /,/, $allow{$action};
        for my $m (grep { !$ok{$_} } qw(GET POST PUT DELETE PATCH)) {
            for my $path (mpath($action), mpath("$action/token/abc")) {
                my $res = json_request($m => $path, ($m =~ /^(POST|PUT|PATCH)$/ ? {} : undef));
                my $json = check_menvelope($res, "$m $path", status => 405);
                is $json->{code}, 405, "$m $path: code 405";
                is join(',', sort split /,/, $res->header('Allow') // ''), $allow{$action},
                   "$m $path: Allow $allow{$action}";
            }
        }
    }
};

scenario 'every action also answers below /token/<t> and ?token=' => sub {
    for my $action (sort keys %allow) {
        my $m = $allow{$action} =~ /POST/ ? 'POST' : 'GET';
        for my $path (mpath("$action/token/not-a-token"), mpath($action) . '?token=not-a-token') {
            my $res = json_request($m => $path, $m eq 'POST' ? {} : undef);
            my $json = check_menvelope($res, "$m $path");
            ok $json->{code} != 404 && $json->{code} != 405, "$m $path is routed ($json->{code})";
        }
    }
    my $res = json_request(POST => '/Api/User/uploadPortrait/', {});
    check_mfail($res, 999, name => 'uploadPortrait/ (as 002 writes it) is routed', info => '用户未登录');
};

scenario 'unusable bodies: 1006 with HTTP 200' => sub {
    my %bad = (
        'malformed JSON'       => ['{"phone":', 'application/json'],
        'JSON array'           => ['["phone"]', 'application/json'],
        'JSON string'          => ['"phone"', 'application/json'],
        'trailing garbage'     => ['{"phone":"1"} x', 'application/json'],
        'invalid UTF-8 (JSON)' => [qq({"phone":"\xff\xfe"}), 'application/json'],
        'invalid UTF-8 (form)' => ["phone=%FF%FE&password=x", 'application/x-www-form-urlencoded'],
        'broken escape (form)' => ["phone=%zz", 'application/x-www-form-urlencoded'],
        'text/plain'           => ['phone=1', 'text/plain'],
        'no Content-Type'      => ['phone=1', undef],
        'oversized (64 KiB+)'  => ['phone=' . ('1' x 70000), 'application/x-www-form-urlencoded'],
    );
    for my $what (sort keys %bad) {
        my ($body, $ct) = @{ $bad{$what} };
        my $res = json_request(POST => mpath('login'), $body, 'Content-Type' => $ct);
        check_mfail($res, 1006, name => $what);
    }
};

scenario 'an empty /token/ segment is a request without a token: 999' => sub {
    check_mfail(scalar mform(POST => 'verification/token/', { name => '张三', cardno => '110101199003077777' }),
                999, name => 'POST verification/token/', info => '用户未登录');
    check_mfail(scalar mget('get_user_details/token/'), 999, name => 'GET get_user_details/token/',
                info => '用户未登录');
    check_mfail(scalar mget('exit_login/token/'), 999, name => 'GET exit_login/token/', info => '用户未登录');
};

scenario 'the developer face is untouched' => sub {
    my $res = json_request(GET => '/api/me?token=abc');
    check_401($res, 'developer /api/me still answers its own 401');
    $res = json_request(GET => '/api/User/login');
    check_error($res, 404, name => '/api/User/login is not the mobile face');
};

done_testing;
