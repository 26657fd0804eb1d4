# Signed account events, one scenario per type, each made through a face
# of an httpd node that has DevplatEventWebhook (Devplat::Events): the
# receiver gets every event once, field by field with its JSON type, signed
# with the secret (checked with Digest::SHA, not the module's code), and no
# payload carries a password, a hash, a code or a token. devplat-admin
# writes the events of its own changes. Without a webhook nothing is
# written; a change whose event cannot be written is not written either.
use strict;
use warnings;
use utf8;
use Test::More;
use URI::Escape qw(uri_escape_utf8);
use Devplat::Test;
use Devplat::AccountTest;
use Devplat::Admin;
use Devplat::Mobile;
use Devplat::Review;
use Devplat::Node;
use Devplat::Events;

client_net(171);

my @secrets;        # passwords, codes and tokens the flows used: in no payload

# The events of user $id that came, after those already seen ($seen{$id}),
# waiting for every one the outbox holds for that user.
my %seen;
sub events_of {
    my ($rx, $id, $want) = @_;
    my @ids;
    wait_until(sub { @ids = grep { !$seen{$id}{$_} } outbox_ids($id); @ids >= $want }, 20);
    is scalar @ids, $want, "$want new event(s) of user $id in the outbox" or diag explain [outbox_rows($id)];
    my @got = wait_delivered($rx, \@ids);
    $seen{$id}{$_} = 1 for @ids;
    return @got;
}

my $rx = start_receiver();

scenario 'without DevplatEventWebhook nothing is written' => sub {
    # the suite's own server has no webhook, and no delivering server has
    # used the database yet for devplat-admin
    db('UPDATE event_state SET webhook_seen_at = NULL');
    my $u = register_user();
    is scalar(outbox_rows($u->{id})), 0, 'a registration on a server without a webhook: no event';
    my ($rc, $out) = admin_tool('', 'freeze', $u->{username});
    is $rc, 0, 'devplat-admin freeze' or diag $out;
    ($rc, $out) = admin_tool('', 'unfreeze', $u->{username});
    is $rc, 0, 'devplat-admin unfreeze' or diag $out;
    is scalar(outbox_rows($u->{id})), 0, 'devplat-admin, no delivering server yet: no event';
};

my $node = event_node('events20', $rx);

scenario 'a delivering server records itself for devplat-admin' => sub {
    ok wait_until(sub { db_value('SELECT webhook_seen_at FROM event_state WHERE id = 1') }, 20),
       'event_state.webhook_seen_at is set';
};

my $admin = make_admin();
push @secrets, $admin->{password}, $admin->{token};

scenario 'user.registered: devplat-admin create-admin' => sub {
    my ($e) = events_of($rx, $admin->{id}, 1);
    check_event($e, 'create-admin', type => 'user.registered', user_id => $admin->{id}, data => {
        source => [string => 'devplat-admin'], actor_id => [integer => 0],
        username => [string => $admin->{nickname}], status => [integer => 0], mobile => [string => ''] });
};

scenario 'user.registered: the developer face' => sub {
    my $u = register_user();
    push @secrets, $u->{password}, $u->{code};
    my ($e) = events_of($rx, $u->{id}, 1);
    check_event($e, 'developer register', type => 'user.registered', user_id => $u->{id}, data => {
        source => [string => 'developer'], actor_id => [integer => $u->{id}],
        username => [string => $u->{username}], status => [integer => 0], mobile => [string => $u->{mobile}] });
};

scenario 'user.registered: the mobile face' => sub {
    my $u = mregister();
    push @secrets, $u->{password}, $u->{code}, $u->{token};
    my $name = db_value("SELECT username FROM users WHERE id = $u->{id}");
    my ($e) = events_of($rx, $u->{id}, 1);
    check_event($e, 'mobile register', type => 'user.registered', user_id => $u->{id}, data => {
        source => [string => 'mobile'], actor_id => [integer => $u->{id}],
        username => [string => $name], status => [integer => 2], mobile => [string => $u->{phone}] });
};

scenario 'user.registered: the admin face (signUp)' => sub {
    my ($res, $json, $sent) = admin_sign_up();
    is $res->code, 200, 'signUp' or diag $res->content;
    push @secrets, $sent->{passwd};
    my $id = db_value('SELECT id FROM users WHERE username = ' . sql_quote($sent->{nickname}));
    my ($e) = events_of($rx, $id, 1);
    check_event($e, 'admin signUp', type => 'user.registered', user_id => $id, data => {
        source => [string => 'admin'], actor_id => [integer => $id],
        username => [string => $sent->{nickname}], status => [integer => 2],
        mobile => [string => ''] });    # the phone of a sign-up is not proven
};

scenario 'password.changed: the developer face' => sub {
    my $u = signed_in();
    push @secrets, $u->{password}, $u->{token}, $u->{code}, 'N3w-pass_9';
    events_of($rx, $u->{id}, 1);        # its registration
    my ($res) = json_request(PATCH => '/api/user/base/update-password',
                             { old_password => $u->{password}, new_password => 'N3w-pass_9' }, auth($u->{token}));
    check_ok($res, 'update-password');
    my ($e) = events_of($rx, $u->{id}, 1);
    check_event($e, 'update-password', type => 'password.changed', user_id => $u->{id}, data => {
        source => [string => 'developer'], actor_id => [integer => $u->{id}],
        reason => [string => 'password_change'] });

    ($res) = json_request(PATCH => '/api/user/base/update-password',
                          { old_password => 'Wrong-pass1', new_password => 'Other-pass2' }, auth($u->{token}));
    isnt $res->code, 200, 'a wrong old password changes nothing';
    sleep 1;
    is scalar(grep { !$seen{$u->{id}}{$_} } outbox_ids($u->{id})), 0, '... and tells nothing';
};

scenario 'password.changed: the mobile face (retrieve_password)' => sub {
    my $u = mregister();
    events_of($rx, $u->{id}, 1);
    my $code = msend_code($u->{phone}, 'retrieve');
    push @secrets, $u->{password}, $u->{token}, $code, 'N3wpass!';
    my ($res) = mform(POST => 'retrieve_password', { account => $u->{phone}, phone_code => $code,
                                                    new_password => 'N3wpass!' });
    check_mok($res, 'retrieve_password', info => '密码设置成功');
    my ($e) = events_of($rx, $u->{id}, 1);
    check_event($e, 'retrieve_password', type => 'password.changed', user_id => $u->{id}, data => {
        source => [string => 'mobile'], actor_id => [integer => $u->{id}],
        reason => [string => 'password_reset'] });
};

scenario 'contact.changed: bind an e-mail, change the mobile (developer face)' => sub {
    my $u = signed_in();
    push @secrets, $u->{password}, $u->{token}, $u->{code};
    events_of($rx, $u->{id}, 1);
    my $mail = 'Ev.' . unique_name() . '@Example.COM';
    my ($res, undef, $code) = bind_code_res($u, $mail);
    is $res->code, 200, 'a bind-email code';
    push @secrets, $code;
    ($res) = bind_email($u, $mail, $code);
    check_ok($res, 'bind-email');
    my ($e) = events_of($rx, $u->{id}, 1);
    my $stored = db_value("SELECT email FROM users WHERE id = $u->{id}");
    check_event($e, 'bind-email', type => 'contact.changed', user_id => $u->{id}, data => {
        source => [string => 'developer'], actor_id => [integer => $u->{id}],
        contact => [string => 'email'], value => [string => $stored], verified => [boolean => 1] });

    my $B = '/api/user/base/update-mobile';
    my $m = unique_mobile();
    my (undef, undef, $old) = code_get("$B/old-mobile-verification-code", $u->{token});
    my (undef, undef, $new) = code_get("$B/new-mobile-verification-code?mobile=$m", $u->{token});
    push @secrets, $old, $new;
    ($res) = json_request(PATCH => $B, { authentication_type => 'mobile', old_mobile_verification_code => $old,
                                         new_mobile => $m, new_mobile_verification_code => $new }, auth($u->{token}));
    check_ok($res, 'update-mobile');
    ($e) = events_of($rx, $u->{id}, 1);
    check_event($e, 'update-mobile', type => 'contact.changed', user_id => $u->{id}, data => {
        source => [string => 'developer'], actor_id => [integer => $u->{id}],
        contact => [string => 'mobile'], value => [string => $m], verified => [boolean => 1] });
};

scenario 'contact.changed and user.deleted: the admin face' => sub {
    my $u = register_user();
    push @secrets, $u->{password}, $u->{code};
    events_of($rx, $u->{id}, 1);
    my $m = unique_mobile();
    my $mail = 'adm.' . unique_name() . '@example.com';
    my ($res) = admin(PUT => "user/$u->{id}", { phone => $m, email => $mail }, auth($admin->{token}));
    check_admin_ok($res, 'PUT user', cmd => "user/$u->{id}");
    my @e = events_of($rx, $u->{id}, 2);
    my %by = map { ($_ && $_->{event} ? $_->{event}{data}{contact} // '' : '') => $_ } @e;
    check_event($by{mobile}, 'admin sets the phone', type => 'contact.changed', user_id => $u->{id}, data => {
        source => [string => 'admin'], actor_id => [integer => $admin->{id}],
        contact => [string => 'mobile'], value => [string => $m], verified => [boolean => 0] });
    check_event($by{email}, 'admin sets the e-mail', type => 'contact.changed', user_id => $u->{id}, data => {
        source => [string => 'admin'], actor_id => [integer => $admin->{id}],
        contact => [string => 'email'], value => [string => $mail], verified => [boolean => 0] });

    ($res) = admin(DELETE => "user/$u->{id}", undef, auth($admin->{token}));
    check_admin_ok($res, 'DELETE user', cmd => "user/$u->{id}");
    my ($d) = events_of($rx, $u->{id}, 1);
    check_event($d, 'admin deletes', type => 'user.deleted', user_id => $u->{id}, data => {
        source => [string => 'admin'], actor_id => [integer => $admin->{id}] });

    ($res) = admin(DELETE => "user/$u->{id}", undef, auth($admin->{token}));
    isnt $res->code, 200, 'deleting again changes nothing';
    sleep 1;
    is scalar(grep { !$seen{$u->{id}}{$_} } outbox_ids($u->{id})), 0, '... and tells nothing';
};

scenario 'review.decided and user.verified: the admin face' => sub {
    my $u = dev_user();
    push @secrets, $u->{password}, $u->{token};
    events_of($rx, $u->{id}, 1);
    my $rid = submit('real-name' => $u);
    my ($res) = admin(PUT => "review/real-name/$rid", { decision => 'approve' }, auth($admin->{token}));
    check_admin_ok($res, 'approve real-name', cmd => "review/real-name/$rid");
    my @e = events_of($rx, $u->{id}, 2);
    my %by = map { ($_ && $_->{event} ? $_->{event}{type} : '') => $_ } @e;
    check_event($by{'review.decided'}, 'real-name approved', type => 'review.decided', user_id => $u->{id}, data => {
        source => [string => 'admin'], actor_id => [integer => $admin->{id}], review_id => [integer => $rid],
        kind => [string => 'real-name'], decision => [string => 'approved'], message => [string => ''] });
    check_event($by{'user.verified'}, 'real-name approved', type => 'user.verified', user_id => $u->{id}, data => {
        source => [string => 'admin'], actor_id => [integer => $admin->{id}], review_id => [integer => $rid] });

    my $eid = submit('educational-info' => $u);
    ($res) = admin(PUT => "review/educational-info/$eid", { decision => 'reject', message => '学历证明不清晰' },
                   auth($admin->{token}));
    check_admin_ok($res, 'reject educational-info', cmd => "review/educational-info/$eid");
    my ($r) = events_of($rx, $u->{id}, 1);
    check_event($r, 'educational-info rejected', type => 'review.decided', user_id => $u->{id}, data => {
        source => [string => 'admin'], actor_id => [integer => $admin->{id}], review_id => [integer => $eid],
        kind => [string => 'educational-info'], decision => [string => 'rejected'],
        message => [string => '学历证明不清晰'] });
};

scenario 'user.verified: the mobile face (ID card check)' => sub {
    my $u = mobile_user();
    push @secrets, $u->{password}, $u->{token}, $u->{code};
    events_of($rx, $u->{id}, 1);
    submit(verification => $u);
    my ($e) = events_of($rx, $u->{id}, 1);
    check_event($e, 'mobile verification', type => 'user.verified', user_id => $u->{id}, data => {
        source => [string => 'mobile'], actor_id => [integer => $u->{id}], review_id => [integer => 0] });
};

scenario 'devplat-admin: freeze, unfreeze, passwd, review, delete' => sub {
    my $u = dev_user();
    push @secrets, $u->{password}, $u->{token}, 'T00l-pass';
    events_of($rx, $u->{id}, 1);
    my $rid = submit('real-name' => $u);
    my ($rc, $out) = admin_tool('', 'review', 'approve', 'real-name', $rid);
    is $rc, 0, 'devplat-admin review approve real-name' or diag $out;
    my %by = map { ($_ && $_->{event} ? $_->{event}{type} : '') => $_ } events_of($rx, $u->{id}, 2);
    check_event($by{'review.decided'}, 'devplat-admin review approve', type => 'review.decided', user_id => $u->{id},
        data => { source => [string => 'devplat-admin'], actor_id => [integer => 0], review_id => [integer => $rid],
                  kind => [string => 'real-name'], decision => [string => 'approved'], message => [string => ''] });
    check_event($by{'user.verified'}, 'devplat-admin review approve', type => 'user.verified', user_id => $u->{id},
        data => { source => [string => 'devplat-admin'], actor_id => [integer => 0], review_id => [integer => $rid] });

    my @steps = (
        [['', 'freeze', $u->{username}], 'user.frozen', {}],
        [['', 'unfreeze', $u->{username}], 'user.unfrozen', {}],
        [["T00l-pass\n", 'passwd', $u->{username}], 'password.changed', { reason => [string => 'admin_passwd'] }],
    );
    for my $s (@steps) {
        my ($args, $type, $data) = @$s;
        ($rc, $out) = admin_tool(@$args);
        is $rc, 0, "devplat-admin $args->[1]" or diag $out;
        my ($e) = events_of($rx, $u->{id}, 1);
        check_event($e, "devplat-admin $args->[1]", type => $type, user_id => $u->{id}, data => {
            source => [string => 'devplat-admin'], actor_id => [integer => 0], %$data });
    }
    ($rc, $out) = admin_tool('', 'freeze', $u->{username});
    ($rc, $out) = admin_tool('', 'freeze', $u->{username});
    isnt $rc, 0, 'freezing a frozen user is refused';
    my ($f) = events_of($rx, $u->{id}, 1);
    is $f->{event}{type}, 'user.frozen', '... and only the first freeze tells';
    ($rc, $out) = admin_tool('', 'delete', $u->{username});
    is $rc, 0, 'devplat-admin delete' or diag $out;
    my ($d) = events_of($rx, $u->{id}, 1);
    check_event($d, 'devplat-admin delete', type => 'user.deleted', user_id => $u->{id}, data => {
        source => [string => 'devplat-admin'], actor_id => [integer => 0] });
};

scenario 'an event that cannot be written: its change is not written either' => sub {
    my $u = signed_in();
    events_of($rx, $u->{id}, 1);
    my $hash = db_value("SELECT password FROM users WHERE id = $u->{id}");
    my $audits = audit_count($u->{id}, 'password_change');
    db(q{INSERT INTO test_faults (what, mobile) VALUES ('event_outbox.write', 'password.changed')});
    my ($res) = json_request(PATCH => '/api/user/base/update-password',
                             { old_password => $u->{password}, new_password => 'Fault-pass1' }, auth($u->{token}));
    db(q{DELETE FROM test_faults WHERE what = 'event_outbox.write'});
    ok $res->code >= 500, 'the change fails (' . $res->code . ')';
    is db_value("SELECT password FROM users WHERE id = $u->{id}"), $hash, 'the password is as it was';
    is audit_count($u->{id}, 'password_change'), $audits, 'no audit row';
    check_ok(scalar json_request(GET => '/api/me', undef, auth($u->{token})), 'the session still works');
    is scalar(grep { !$seen{$u->{id}}{$_} } outbox_ids($u->{id})), 0, 'no event';

    db(q{INSERT INTO test_faults (what, mobile) VALUES ('event_outbox.write', 'user.registered')});
    my $name = unique_name();
    my $mobile = unique_mobile();
    my $code = request_code($mobile);
    ($res) = json_request(POST => '/api/register', { username => $name, mobile => $mobile,
                                                     password => 'Passw0rd!', verification_code => $code });
    db(q{DELETE FROM test_faults WHERE what = 'event_outbox.write'});
    ok $res->code >= 500, 'a registration whose event fails fails (' . $res->code . ')';
    is db_value('SELECT count(*) FROM users WHERE username = ' . sql_quote($name)), 0, 'no user row';
};

scenario 'no password, hash, code, token or secret in any payload' => sub {
    my @all = received($rx);
    ok @all > 20, scalar(@all) . ' requests received';
    my ($key) = event_key();
    my @bad;
    for my $r (@all) {
        for my $s (grep { defined && length >= 4 } @secrets) {
            push @bad, "$s in $r->{body}" if index($r->{body}, $s) >= 0;
        }
        push @bad, "a bcrypt hash in $r->{body}" if $r->{body} =~ /\$2[aby]\$/;
        push @bad, "a JWT in $r->{body}" if $r->{body} =~ /eyJ[A-Za-z0-9_-]{8,}/;
        push @bad, "the event key in $r->{body}" if index($r->{body}, $key) >= 0;
        push @bad, "a code field in $r->{body}" if $r->{body} =~ /"(?:password|code|token|verification_code)"/;
    }
    is_deeply \@bad, [], 'none' or diag explain \@bad;
    my @dup;
    my %n;
    $n{ $_->{headers}{'x-devplat-event-id'} // '' }++ for delivered_ok($rx);
    is scalar(grep { $n{$_} > 1 } keys %n), 0, 'each event came once (the receiver was never down)';
    is scalar(grep { !signature_ok($_) } @all), 0, 'every request is signed with the secret';
};

scenario 'the node logged no error' => sub {
    stop_node($node);
    my $log = node_log($node);
    my @bad = grep { /\[(?:[a-z_]+:)?(?:error|crit|alert|emerg)\]/
                    && !/test fault|(?:PATCH \/api\/user\/base\/update-password|POST \/api\/register) answered 500/ }
              split /\n/, $log;
    is_deeply \@bad, [], 'no error in the error log but those of the injected faults' or diag join "\n", @bad;
    unlike $log, qr/\Q@{[ (event_key())[0] ]}\E/, 'the key is not in the log';
};

done_testing;
