# The review queues on the admin face: GET review/list and GET
# review/{kind}/{id}. Every kind is submitted through its own face (the
# developer face's real-name, educational-info, job-info and award-info,
# the mobile face's qualification and ID-card verification) and shows up
# with what was submitted, in the developer face's names.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::Review;

client_net(160);

my $admin = make_admin();
my $A = $admin->{token};
sub list { my ($q, $t) = @_; admin(GET => 'review/list' . (defined $q ? "?$q" : ''), undef, auth($t // $A)) }
sub detail { my ($kind, $id, $t) = @_; admin(GET => "review/$kind/$id", undef, auth($t // $A)) }

# every item of a list answer, by id
sub items { my ($json) = @_; my $d = eval { $json->{data}{data} } || []; return { map { $_->{id} => $_ } @$d } }

my $dev = dev_user();
my $mob = mobile_user();
my %id;
$id{'real-name'}        = submit('real-name', $dev, actual_name => '王小明');
$id{'educational-info'} = submit('educational-info', $dev, institution => '复旦大学');
$id{'job-info'}         = submit('job-info', $dev, organization => '某某科技');
$id{'award-info'}       = submit('award-info', $dev, competition => 'CV101榜单', pictures => 2);
$id{'qualification'}    = submit('qualification', $mob);

scenario 'every submission is a pending review, with what was submitted' => sub {
    for my $kind (KINDS) {
        ok $id{$kind}, "$kind: a review row";
        my ($res, $json) = list("kind=$kind&user_id=" . ($kind eq 'qualification' ? $mob->{id} : $dev->{id}));
        check_admin_ok($res, "list $kind", cmd => 'review/list');
        my $item = items($json)->{ $id{$kind} };
        check_review($item, "list $kind", kind => $kind, status => '待审核', message => '',
                     reviewed_at => '', reviewer => '');
    }
    my $it = items(scalar((list("kind=real-name&user_id=$dev->{id}"))[1]))->{ $id{'real-name'} };
    is $it->{actual_name}, '王小明', 'real-name: actual_name';
    is $it->{certificate_type_id}, 1, 'real-name: certificate_type_id';
    like $it->{id_number}, qr/^\d{17}[\dX]$/, 'real-name: the whole number, for the reviewer';
    is_deeply $it->{pictures}, [$it->{authenticate_picture}], 'real-name: the licensed photo is its picture';
    is $it->{nickname}, $dev->{username}, 'nickname of the user';
    is $it->{user_id}, $dev->{id}, 'user_id';
    my (undef, $j) = list("kind=job-info&user_id=$dev->{id}");
    my $job = items($j)->{ $id{'job-info'} };
    is_deeply $job->{domain_id}, [2, 1], 'job-info: domain_id in the order given, integers';
    is $job->{organization}, '某某科技', 'job-info: organization';
    is_deeply $job->{pictures}, [], 'job-info: no pictures';
    (undef, $j) = list("kind=award-info&user_id=$dev->{id}");
    my $award = items($j)->{ $id{'award-info'} };
    is scalar @{ $award->{pictures} }, 2, 'award-info: its two pictures';
    is_deeply $award->{award_picture}, $award->{pictures}, 'award-info: award_picture as the developer face names it';
    my $shown = authenticate_part($dev, 'award-info');
    is_deeply $award->{pictures}, $shown->[-1]{award_picture}, 'the same paths the developer face shows';
    (undef, $j) = list("kind=educational-info&user_id=$dev->{id}");
    is items($j)->{ $id{'educational-info'} }{project_experience}, "项目一\n项目二", 'multi-line text as sent';
    (undef, $j) = list("kind=qualification&user_id=$mob->{id}");
    my $q = items($j)->{ $id{qualification} };
    is_deeply $q->{pictures}, [$q->{picture}], 'qualification: its picture';
    like $q->{picture}, qr{^/storage/}, 'the path upload_image gave';
};

scenario 'GET review/{kind}/{id}: the submission, the account status and the history' => sub {
    for my $kind (KINDS) {
        my ($res, $json) = detail($kind, $id{$kind});
        check_admin_ok($res, "detail $kind");
        check_review($json->{data}, "detail $kind", kind => $kind, detail => 1, id => $id{$kind},
                     status => '待审核', history => []);
    }
    my (undef, $j) = detail('qualification', $id{qualification});
    is $j->{data}{account_status}, '审核中', 'the mobile account is under review (4)';
    (undef, $j) = detail('real-name', $id{'real-name'});
    is $j->{data}{account_status}, '已审核', "the developer's account is normal (已审核)";
};

scenario 'a resubmission supersedes: one pending per record, the old one gone from the queue' => sub {
    my $u = dev_user();
    my $first = submit('educational-info', $u, institution => '第一次');
    my $second = submit('educational-info', $u, institution => '第二次');
    isnt $first, $second, 'a new review row';
    is review_row($first)->{status}, 3, 'the first is superseded (3)';
    is review_id('educational-info', $u->{id}), $second, 'the second is the pending one';
    my (undef, $j) = list("kind=educational-info&user_id=$u->{id}");
    is_deeply [sort keys %{ items($j) }], [$second], 'only the second is in the queue';
    is $j->{data}{total}, 1, 'total 1';
    my ($res, $d) = detail('educational-info', $first);
    check_admin_ok($res, 'the superseded one can still be read');
    is $d->{data}{status}, '已失效', 'shown as 已失效';
    is $d->{data}{institution}, '第一次', 'with what was submitted then';
    # awards are records of their own: two awards, two pending reviews
    my $a1 = submit('award-info', $u, pictures => 1);
    my $a2 = submit('award-info', $u, pictures => 1);
    is review_row($a1)->{status}, 0, 'the first award stays pending';
    is review_row($a2)->{status}, 0, 'the second award is pending';
};

scenario 'race: one record submitted many times at once keeps one pending submission, the one it holds' => sub {
    my $u = dev_user();
    my @codes = parallel(6, sub {
        my ($i) = @_;
        my ($res) = json_request(PUT => '/api/user/authenticate/educational-info',
            { institution => "并发${i}", education_id => 2, project_experience => "第${i}次" }, auth($u->{token}));
        return $res->code;
    });
    is_deeply [sort @codes], [(200) x 6], 'every submission answered 200';
    my @pending = db_rows("SELECT id, fields FROM reviews WHERE kind = 'educational-info' "
                          . "AND record_id = $u->{id} AND status = 0");
    is scalar @pending, 1, 'exactly one pending submission';
    is db_value("SELECT COUNT(*) FROM reviews WHERE kind = 'educational-info' AND record_id = $u->{id} "
                . 'AND status = 3'), 5, 'the other five superseded';
    my $held = authenticate_part($u, 'educational-info')->{institution};
    my (undef, $j) = detail('educational-info', $pending[0]{id});
    is $j->{data}{institution}, $held, 'the pending one is what the record holds';

    my $m = mobile_user();
    my @pics = map { scalar mupload($m->{token}) } 1 .. 4;
    @codes = parallel(4, sub {
        my ($i) = @_;
        my ($res, $json) = mform(POST => "authenticationQualifications/token/$m->{token}", { picture => $pics[$i] });
        return $json->{code} // 0;
    });
    is_deeply [sort @codes], [(1000) x 4], 'every qualification answered 1000';
    is db_value("SELECT COUNT(*) FROM reviews WHERE kind = 'qualification' AND record_id = $m->{id} AND status = 0"),
       1, 'one pending qualification';
};

scenario 'the mobile ID-card verification is in the store, passed by its check' => sub {
    my $m = mobile_user();
    my $rid = submit('verification', $m, name => '赵六');
    my ($res, $json) = detail('real-name', $rid);
    check_admin_ok($res, 'detail of a mobile verification');
    check_review($json->{data}, 'mobile verification', kind => 'real-name', detail => 1, status => '已通过',
                 reviewer => '', actual_name => '赵六', authenticate_picture => '', pictures => []);
    like $json->{data}{reviewed_at}, DATETIME_RE, 'reviewed_at: when it passed';
    my (undef, $p) = list("status=1&kind=real-name&user_id=$m->{id}");
    ok items($p)->{$rid}, 'listed among the passed ones';
    (undef, $p) = list("kind=real-name&user_id=$m->{id}");
    is $p->{data}{total}, 0, 'not in the pending queue';
};

scenario 'list: filters, newest first, pagination as list/user' => sub {
    my $u = dev_user();
    my @ids = map { submit('award-info', $u, competition => "榜单$_", pictures => 1) } 1 .. 5;
    my ($res, $json) = list("kind=award-info&user_id=$u->{id}&per_page=2");
    check_admin_ok($res, 'page 1 of 3');
    my $d = $json->{data};
    is join(',', sort keys %$d), 'current_page,data,last_page,per_page,total', 'the page object of list/user';
    is jtype($res, 'data', $_), 'integer', "$_ is an integer" for qw(total per_page current_page last_page);
    is_deeply [$d->{total}, $d->{per_page}, $d->{current_page}, $d->{last_page}], [5, 2, 1, 3], 'total 5, 2 per page, 3 pages';
    is_deeply [map { $_->{id} } @{ $d->{data} }], [@ids[4, 3]], 'newest first';
    (undef, $json) = list("kind=award-info&user_id=$u->{id}&per_page=2&page=3");
    is_deeply [map { $_->{id} } @{ $json->{data}{data} }], [$ids[0]], 'the last page';
    (undef, $json) = list("kind=award-info&user_id=$u->{id}&per_page=2&page=4");
    is_deeply $json->{data}{data}, [], 'past the end: an empty page';
    (undef, $json) = list("user_id=$u->{id}");
    is $json->{data}{total}, 5, 'every kind of one user';
    (undef, $json) = list("user_id=$u->{id}&kind=");
    is $json->{data}{total}, 5, 'kind= is every kind';
    (undef, $json) = list("user_id=$u->{id}&status=2");
    is $json->{data}{total}, 0, 'none rejected';
    ($res, $json) = list("per_page=100");
    check_admin_ok($res, 'everyone, 100 per page');
    cmp_ok $json->{data}{total}, '>=', 10, 'everyone: at least what this file submitted';
    ok !(grep { $_->{status} ne '待审核' } @{ $json->{data}{data} }), 'the default is the pending queue';
    my @order = map { $_->{id} } @{ $json->{data}{data} };
    is_deeply \@order, [sort { $b <=> $a } @order], 'newest first across users';
};

scenario 'list: bad parameters are 422 naming them' => sub {
    my %bad = (kind => ['nope', 'REAL-NAME', 'real-name%00'], status => ['3', '-1', 'x', '1.5'],
               user_id => ['0', '-4', 'abc', '1e3'], page => ['0', 'x'], per_page => ['0', '101', 'x']);
    for my $p (sort keys %bad) {
        for my $v (@{ $bad{$p} }) {
            check_admin_error(scalar list("$p=$v"), 422, name => "$p=$v", field => $p, cmd => 'review/list');
        }
    }
    check_admin_error(scalar admin(GET => 'review/list', { kind => ['real-name'] }, auth($A),
                                   'Content-Type' => 'application/json'), 422,
                      name => 'kind as an array', field => 'kind');
};

scenario 'detail: 404 for an unknown kind or id, 422 for a bad id' => sub {
    check_admin_error(scalar detail('nope', $id{'real-name'}), 404, name => 'unknown kind', message => qr/审核类型不存在/);
    check_admin_error(scalar detail('educational-info', $id{'real-name'}), 404, name => 'an id of another kind',
                      message => '审核记录不存在');
    check_admin_error(scalar detail('real-name', 99999999), 404, name => 'no such id', message => '审核记录不存在');
    for my $bad ('0', 'abc', '-1', '1.0', '01x') {
        check_admin_error(scalar detail('real-name', $bad), 422, name => "id $bad", field => 'id');
    }
};

scenario 'administrators only: 401 without a token, 403 for anyone else' => sub {
    my $other = make_user();
    my $t = admin_login($other->{nickname}, $other->{password});
    check_admin_error(scalar list(undef, $t), 403, name => 'list as a user', message => MSG_FORBIDDEN);
    check_admin_error(scalar detail('real-name', $id{'real-name'}, $t), 403, name => 'detail as a user');
    check_admin_error(scalar detail('real-name', $id{'real-name'}, $dev->{token}), 403,
                      name => 'detail as the submitter');
    my ($res) = admin(GET => 'review/list');
    check_admin_error($res, 401, name => 'no token');
    ($res) = admin(GET => "review/real-name/$id{'real-name'}", undef, auth('x.y.z'));
    check_admin_error($res, 401, name => 'garbage token');
};

scenario 'a deleted user is out of the queue' => sub {
    my $u = dev_user();
    my $rid = submit('job-info', $u);
    set_status($u->{id}, 5);
    my (undef, $json) = list("user_id=$u->{id}");
    is $json->{data}{total}, 0, 'not listed';
    check_admin_error(scalar detail('job-info', $rid), 404, name => 'detail of a deleted user');
};

done_testing();
