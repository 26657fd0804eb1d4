# PUT review/{kind}/{id}: approving and rejecting, the effects users see on
# the developer and mobile faces, 409 for a submission that is not pending
# any more (decided first, or changed by the user since it was listed),
# 422 per field, and races: of two decisions exactly one wins.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::Review;

client_net(162);

my $admin = make_admin();
my $A = $admin->{token};
sub decide {
    my ($kind, $id, $body, $t) = @_;
    admin(PUT => "review/$kind/$id", $body, auth($t // $A));
}
sub audit_rows {
    my ($user, $action) = @_;
    return db_value("SELECT COUNT(*) FROM audit_log WHERE user_id = $user AND action = " . sql_quote($action));
}
sub details { my ($m) = @_; my (undef, $j) = mget("get_user_details?token=$m->{token}"); return $j->{data} }

my %RECORD = ('real-name' => 'identity_verifications', 'educational-info' => 'educational_infos',
              'job-info' => 'job_infos');
sub record_status {
    my ($kind, $u, $rid) = @_;
    return $kind eq 'award-info'
        ? db_value('SELECT status FROM award_infos WHERE id = ' . review_row($rid)->{record_id})
        : db_value("SELECT status FROM $RECORD{$kind} WHERE user_id = $u->{id}");
}

scenario 'approve: the record passes on the developer face, the reviewer is named' => sub {
    for my $kind (qw(real-name educational-info job-info award-info)) {
        my $u = dev_user();
        my $rid = submit($kind, $u);
        my ($res, $json) = decide($kind, $rid, { decision => 'approve' });
        check_admin_ok($res, "approve $kind");
        check_review($json->{data}, "approve $kind", kind => $kind, detail => 1, id => $rid, status => '已通过',
                     message => '', reviewer => $admin->{nickname}, history => []);
        like $json->{data}{reviewed_at}, DATETIME_RE, "$kind: reviewed_at";
        my $part = authenticate_part($u, $kind);
        $part = $part->[-1] if ref $part eq 'ARRAY';
        is $part->{authenticate_status}, '已通过', "$kind: 已通过 on GET /api/user/authenticate";
        is $part->{authenticate_message}, '', "$kind: no message";
        is record_status($kind, $u, $rid), 1, "$kind: the record's status";
        is review_row($rid)->{reviewer_id}, $admin->{id}, "$kind: reviewer_id";
        is audit_rows($u->{id}, 'review_approve'), 1, "$kind: an audit row";
        like db_value("SELECT detail FROM audit_log WHERE user_id = $u->{id} AND action = 'review_approve'"),
             qr/^\Q$kind\E $rid$/, "$kind: the audit row names the submission";
    }
};

scenario 'reject: the message reaches the user; a change puts the record back to 待审核' => sub {
    my $u = dev_user();
    my $rid = submit('educational-info', $u);
    my ($res, $json) = decide('educational-info', $rid, { decision => 'reject', message => '学历证明不清晰' });
    check_admin_ok($res, 'reject');
    is $json->{data}{status}, '未通过', 'status 未通过';
    is $json->{data}{message}, '学历证明不清晰', 'the message';
    my $part = authenticate_part($u, 'educational-info');
    is $part->{authenticate_status}, '未通过', 'the user sees 未通过';
    is $part->{authenticate_message}, '学历证明不清晰', 'and why';
    is audit_rows($u->{id}, 'review_reject'), 1, 'an audit row';
    my $again = submit('educational-info', $u, institution => '清华大学');
    $part = authenticate_part($u, 'educational-info');
    is $part->{authenticate_status}, '待审核', 'a change: 待审核 again';
    is $part->{authenticate_message}, '', 'and the message is gone';
    my ($r2, $j2) = admin(GET => "review/educational-info/$again", undef, auth($A));
    check_admin_ok($r2, 'the new submission');
    is scalar @{ $j2->{data}{history} }, 1, 'its history: the rejection before it';
    is_deeply [map { @$_{qw(id status message reviewer)} } @{ $j2->{data}{history} }],
              [$rid, '未通过', '学历证明不清晰', $admin->{nickname}], 'history entry';
    ok !grep({ $_->{id} == $again } @{ $j2->{data}{history} }), 'not itself';
};

scenario 'an award: each award is decided on its own' => sub {
    my $u = dev_user();
    my $a1 = submit('award-info', $u, competition => '第一');
    my $a2 = submit('award-info', $u, competition => '第二');
    check_admin_ok(scalar decide('award-info', $a2, { decision => 'reject', message => '证书与竞赛不符' }), 'reject the second');
    my $awards = authenticate_part($u, 'award-info');
    is_deeply [map { @$_{qw(competition authenticate_status authenticate_message)} } @$awards],
              ['第一', '待审核', '', '第二', '未通过', '证书与竞赛不符'], 'each award its own status';
    is review_row($a1)->{status}, 0, 'the first is still pending';
};

scenario 'real-name: a rejected number can be claimed by another account; a passed one verifies the mobile login' => sub {
    my $u = dev_user();
    my $card = valid_id_card(320106, 19880808, $$ % 1000);
    my $rid = submit('real-name', $u, id_number => $card);
    my $v = dev_user();
    my $photo = upload_picture($v->{token}, 'licensed-photo');
    my $try = sub {
        json_request(PUT => '/api/user/authenticate/real-name', { actual_name => '李四', certificate_type_id => 1,
                     id_number => $card, authenticate_picture => $photo }, auth($v->{token}));
    };
    check_error(scalar $try->(), 422, name => 'pending: the number is taken', field => 'id_number');
    check_admin_ok(scalar decide('real-name', $rid, { decision => 'reject', message => '证件照片模糊' }), 'reject');
    check_ok(scalar $try->(), 'rejected: another account may claim it');

    my $m = mobile_user();
    db("UPDATE users SET username = 'rv$m->{id}' WHERE id = $m->{id}");
    my $mt = login("rv$m->{id}", $m->{password});
    my $mrid = submit('real-name', { %$m, token => $mt });
    my (undef, $j) = mform(POST => 'login', { phone => $m->{phone}, password => $m->{password} });
    is $j->{data}{authenticationState}, 0, 'mobile login: not verified while pending';
    check_admin_ok(scalar decide('real-name', $mrid, { decision => 'approve' }), 'approve');
    (undef, $j) = mform(POST => 'login', { phone => $m->{phone}, password => $m->{password} });
    is $j->{data}{authenticationState}, 1, 'mobile login: verified (1) once approved';
    my (undef, $g) = mget("getVerification?token=$m->{token}");
    is $g->{data}{state}, 1, 'getVerification: state 1';
};

scenario 'qualification: approve makes the mobile account normal, reject makes it 3' => sub {
    my $m = mobile_user();
    is details($m)->{status}, '2', 'a new mobile account: 2 (not reviewed)';
    my $rid = submit('qualification', $m);
    is details($m)->{status}, '4', 'after the qualification: 4 (under review)';
    my ($res, $json) = decide('qualification', $rid, { decision => 'reject', message => '资格证已过期' });
    check_admin_ok($res, 'reject the qualification');
    check_review($json->{data}, 'rejected qualification', kind => 'qualification', detail => 1,
                 status => '未通过', message => '资格证已过期', account_status => '审核未通过');
    is details($m)->{status}, '3', 'get_user_details: 3 (信息认证未通过)';
    my $again = submit('qualification', $m);
    is details($m)->{status}, '4', 'a new picture: under review again';
    ($res, $json) = decide('qualification', $again, { decision => 'approve', message => '已核实' });
    check_admin_ok($res, 'approve the new one');
    is $json->{data}{account_status}, '已审核', 'account normal';
    is details($m)->{status}, '0', 'get_user_details: 0 (正常使用)';
    is_deeply [map { $_->{status} } @{ $json->{data}{history} }], ['未通过'], 'history: the rejection';
    check_mok(scalar mform(POST => 'login', { phone => $m->{phone}, password => $m->{password} }), 'login works');
    my ($r2, $j2) = admin(GET => "user/$m->{id}", undef, auth($A));
    is $j2->{data}{account_status}, '已审核', 'the admin face shows the account approved';
};

scenario 'a frozen account keeps its status; its qualification is still decided' => sub {
    my $m = mobile_user();
    my $rid = submit('qualification', $m);
    set_status($m->{id}, 1);
    check_admin_ok(scalar decide('qualification', $rid, { decision => 'approve' }), 'approve');
    is db_value("SELECT status FROM users WHERE id = $m->{id}"), 1, 'still frozen';
    is review_row($rid)->{status}, 1, 'the submission is approved';
};

scenario 'PUT audit/user/{id} approves the waiting qualification too' => sub {
    my $m = mobile_user();
    my $rid = submit('qualification', $m);
    check_admin_ok(scalar admin(PUT => "audit/user/$m->{id}", undef, auth($A)), 'audit/user');
    is details($m)->{status}, '0', 'normal';
    my $r = review_row($rid);
    is_deeply [$r->{status}, $r->{reviewer_id}], [1, $admin->{id}], 'the submission approved by this administrator';
    check_admin_error(scalar decide('qualification', $rid, { decision => 'reject', message => 'x' }), 409,
                      name => 'deciding it again');
    my $p = make_pending();
    check_admin_ok(scalar admin(PUT => "audit/user/$p->{id}", undef, auth($A)), 'audit/user without a qualification');
    check_admin_error(scalar admin(PUT => "audit/user/$p->{id}", undef, auth($A)), 409, name => 'twice: 409 as before');
};

scenario '409: decided already, or changed by the user since it was listed' => sub {
    my $u = dev_user();
    my $rid = submit('job-info', $u);
    check_admin_ok(scalar decide('job-info', $rid, { decision => 'approve' }), 'first decision');
    check_admin_error(scalar decide('job-info', $rid, { decision => 'reject', message => '不对' }), 409,
                      name => 'second decision', message => qr/已被审核或已被用户更新/);
    is record_status('job-info', $u, $rid), 1, 'the first decision stands';
    my $listed = submit('job-info', $u, organization => '甲公司');
    my $newer = submit('job-info', $u, organization => '乙公司');
    check_admin_error(scalar decide('job-info', $listed, { decision => 'approve' }), 409,
                      name => 'the user changed it since it was listed');
    is record_status('job-info', $u, $newer), 0, 'the record waits for its newest submission';
    is audit_rows($u->{id}, 'review_approve'), 1, 'no audit row for the refused ones';
};

scenario '404, 403, 401' => sub {
    my $u = dev_user();
    my $rid = submit('real-name', $u);
    check_admin_error(scalar decide('educational-info', $rid, { decision => 'approve' }), 404, name => 'another kind');
    check_admin_error(scalar decide('nope', $rid, { decision => 'approve' }), 404, name => 'unknown kind');
    check_admin_error(scalar decide('real-name', 99999999, { decision => 'approve' }), 404, name => 'no such id');
    check_admin_error(scalar decide('real-name', 'x1', { decision => 'approve' }), 422, name => 'bad id', field => 'id');
    my $other = make_user();
    my $t = admin_login($other->{nickname}, $other->{password});
    check_admin_error(scalar decide('real-name', $rid, { decision => 'approve' }, $t), 403, name => 'a user');
    check_admin_error(scalar decide('real-name', $rid, { decision => 'approve' }, $u->{token}), 403,
                      name => 'the submitter approving themselves');
    check_admin_error(scalar admin(PUT => "review/real-name/$rid", { decision => 'approve' }), 401, name => 'no token');
    my $d = dev_user();
    my $drid = submit('educational-info', $d);
    set_status($d->{id}, 5);
    check_admin_error(scalar decide('educational-info', $drid, { decision => 'approve' }), 404, name => 'a deleted user');
    is review_row($rid)->{status}, 0, 'nothing decided';
    is review_row($drid)->{status}, 0, 'nothing decided for the deleted one';
};

scenario 'nobody decides on their own submission' => sub {
    my $own = make_admin();
    my $me = { id => $own->{id}, token => $own->{token} };
    my $rid = submit('educational-info', $me);
    check_admin_error(scalar decide('educational-info', $rid, { decision => 'approve' }, $own->{token}), 403,
                      name => 'an administrator approving their own record', message => '不能审核自己的提交');
    is review_row($rid)->{status}, 0, 'still pending';
    check_admin_ok(scalar decide('educational-info', $rid, { decision => 'approve' }), 'another administrator may');
    my $q = submit('qualification', $me);
    check_admin_error(scalar decide('qualification', $q, { decision => 'approve' }, $own->{token}), 403,
                      name => 'their own qualification');
    check_admin_error(scalar admin(PUT => "audit/user/$own->{id}", undef, auth($own->{token})), 403,
                      name => 'audit/user of themselves while a qualification waits', message => '不能审核自己的资质认证');
    is review_row($q)->{status}, 0, 'the qualification still waits';
};

scenario '422 per field; nothing is written' => sub {
    my $u = dev_user();
    my $rid = submit('award-info', $u);
    my %bad = (
        'no body'               => [{}, 'decision'],
        'decision maybe'        => [{ decision => 'maybe' }, 'decision'],
        'decision Approve'      => [{ decision => 'Approve' }, 'decision'],
        'decision as a number'  => [{ decision => 1 }, 'decision'],
        'decision as an array'  => [{ decision => ['approve'] }, 'decision'],
        'reject without message' => [{ decision => 'reject' }, 'message'],
        'reject, empty message' => [{ decision => 'reject', message => '' }, 'message'],
        'reject, blank message' => [{ decision => 'reject', message => '   ' }, 'message'],
        'message of 201'        => [{ decision => 'reject', message => '长' x 201 }, 'message'],
        'approve, message of 201' => [{ decision => 'approve', message => 'x' x 201 }, 'message'],
        'control character'     => [{ decision => 'reject', message => "a\x{7}b" }, 'message'],
        'message as an object'  => [{ decision => 'reject', message => { a => 1 } }, 'message'],
    );
    for my $name (sort keys %bad) {
        my ($body, $field) = @{ $bad{$name} };
        check_admin_error(scalar decide('award-info', $rid, $body), 422, name => $name, field => $field);
    }
    check_admin_error(scalar admin(PUT => "review/award-info/$rid", '{"decision":', auth($A),
                                   'Content-Type' => 'application/json'), 422, name => 'broken JSON',
                      message => '请求体不是有效的JSON');
    my $r = review_row($rid);
    is_deeply [$r->{status}, $r->{message}, $r->{reviewed_at}], [0, '', ''], 'still pending, untouched';
    is record_status('award-info', $u, $rid), 0, 'the award untouched';
    is db_value("SELECT COUNT(*) FROM audit_log WHERE user_id = $u->{id} AND action LIKE 'review_%'"), 0, 'no audit row';
    check_admin_ok(scalar decide('award-info', $rid, { decision => 'reject', message => '长' x 200 }), '200 characters is fine');
};

scenario 'a form body works as JSON does' => sub {
    my $u = dev_user();
    my $rid = submit('educational-info', $u);
    my ($res) = admin(PUT => "review/educational-info/$rid", form_body(decision => 'reject', message => '请补充材料'),
                      auth($A), 'Content-Type' => 'application/x-www-form-urlencoded');
    check_admin_ok($res, 'form body');
    is authenticate_part($u, 'educational-info')->{authenticate_message}, '请补充材料', 'the message';
};

scenario 'race: two administrators decide at once, exactly one wins' => sub {
    my $b = make_admin();
    for my $round (1 .. 4) {
        my $u = dev_user();
        my $rid = submit('real-name', $u);
        my @out = parallel(2, sub {
            my ($i) = @_;
            my ($res) = decide('real-name', $rid, $i ? { decision => 'reject', message => '第二人' }
                                                     : { decision => 'approve' }, $i ? $b->{token} : $A);
            return $res->code;
        });
        is_deeply [sort @out], [200, 409], "round $round: one 200, one 409";
        my $r = review_row($rid);
        is record_status('real-name', $u, $rid), $r->{status}, "round $round: the record has the winner's decision";
        is db_value("SELECT COUNT(*) FROM audit_log WHERE user_id = $u->{id} AND action LIKE 'review_%'"), 1,
           "round $round: one audit row";
    }
};

scenario 'race: a decision while the user changes the record' => sub {
    for my $round (1 .. 4) {
        my $u = dev_user();
        my $rid = submit('educational-info', $u);
        my @out = parallel(2, sub {
            my ($i) = @_;
            if ($i) {
                my ($res) = json_request(PUT => '/api/user/authenticate/educational-info',
                    { institution => "改$round", education_id => 2, project_experience => 'x' }, auth($u->{token}));
                return $res->code;
            }
            my ($res) = decide('educational-info', $rid, { decision => 'approve' });
            return $res->code;
        });
        is $out[1], 200, "round $round: the user's change went through";
        ok $out[0] == 200 || $out[0] == 409, "round $round: the decision 200 or 409 ($out[0])";
        is db_value("SELECT COUNT(*) FROM reviews WHERE kind = 'educational-info' AND record_id = $u->{id} AND status = 0"),
           1, "round $round: exactly one pending submission: the change";
        is record_status('educational-info', $u, $rid), 0, "round $round: the record waits for the change's review";
        is authenticate_part($u, 'educational-info')->{institution}, "改$round", "round $round: the change is kept";
    }
};

if ($ENV{DEVPLAT_NODE2_URL}) {
    scenario 'node B decides, node A and the faces see it at once' => sub {
        my $m = mobile_user();
        my $rid = submit('qualification', $m);
        my ($res) = json_request(PUT => node_b_url("/admin/api/review/qualification/$rid"),
                                 { decision => 'approve' }, auth($A));
        check_admin_ok($res, 'node B: approve');
        is details($m)->{status}, '0', 'node A: get_user_details 0';
        my (undef, $j) = admin(GET => "review/qualification/$rid", undef, auth($A));
        is $j->{data}{status}, '已通过', 'node A: the queue shows it';
        check_admin_error(scalar decide('qualification', $rid, { decision => 'reject', message => 'x' }), 409,
                          name => 'node A: deciding again');
    };
}

done_testing();
