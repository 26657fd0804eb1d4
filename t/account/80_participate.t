# GET /api/user/participate-project
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::AccountTest;

client_net(48);

my $P = '/api/user/participate-project';
sub get { json_request(GET => $P, undef, auth($_[0]{token})) }

sub join_project {
    my ($u, $pid, $at) = @_;
    return db_value("INSERT INTO project_participations (user_id, project_id, created_at, updated_at) VALUES ($u->{id}, $pid, "
                    . sql_quote($at) . ', ' . sql_quote($at) . ') RETURNING id');
}

# The database creates a participation's instance with it (migration 051);
# instance() provisions it as a deployment would: updates the row, returns its id.
sub instance {
    my ($pp, %i) = @_;
    my %row = (name => '安全帽识别', gpu => 2, cpu => 2, ram => 2, minutes => 150, consumption_points => 1200,
               status => 'creating', created_at => '2019-08-27 14:00:00', updated_at => '2019-08-27 14:00:00', %i);
    db('UPDATE project_instances SET ' . join(', ', map { "$_ = " . sql_quote($row{$_}) } sort keys %row)
       . " WHERE participation_id = $pp");
    return db_value("SELECT id FROM project_instances WHERE participation_id = $pp");
}

my %ITYPE = (id => 'integer', name => 'string', gpu => 'integer', cpu => 'integer', ram => 'integer',
             time_consuming => 'string', consumption_points => 'integer', status => 'string', created_at => 'string');

scenario 'a user who takes part in nothing: []' => sub {
    my $u = signed_in();
    my ($res, $json) = get($u);
    check_ok($res, 'participate-project');
    is jtype($res, 'data'), 'array', 'data is an array';
    is_deeply $json->{data}, [], 'empty';
};

scenario 'projects with their instances: every documented field' => sub {
    my $u = signed_in();
    my $p1 = insert_project(name => '安全工地：安全帽识别', status => 'registration');
    my $p2 = insert_project(name => '智慧交通：车牌识别', status => 'ing', level => 2);
    my $pp1 = join_project($u, $p1, '2024-01-01 08:00:00');
    my $pp2 = join_project($u, $p2, '2024-02-01 08:00:00');
    my $i1 = instance($pp1);
    my ($res, $json) = get($u);
    check_ok($res, 'participate-project');
    is scalar @{ $json->{data} }, 2, 'two projects';
    my @fields = (@{ +PROJECT_FIELDS }, 'instance');
    is join(',', sort keys %{ $json->{data}[1] }), join(',', sort @fields), 'project fields + instance';
    my $d = $json->{data};
    is $d->[0]{id}, $p2, 'the newest participation first';
    is $d->[1]{id}, $p1, 'then the older one';
    my $prow = project_row($p1);
    for my $f (@{ +PROJECT_FIELDS }) {
        is jtype($res, 'data', 1, $f), PROJECT_TYPES->{$f}, "data.1.$f is " . PROJECT_TYPES->{$f};
        is $d->[1]{$f}, $prow->{$f}, "data.1.$f = $prow->{$f}";
    }
    ok !exists $d->[1]{delivery_at}, 'no delivery_at in the list (as documented)';
    is jtype($res, 'data', 1, 'instance'), 'object', 'instance is an object';
    is join(',', sort keys %{ $d->[1]{instance} }), join(',', sort keys %ITYPE), 'the documented instance fields';
    is jtype($res, 'data', 1, 'instance', $_), $ITYPE{$_}, "instance.$_ is $ITYPE{$_}" for sort keys %ITYPE;
    is_deeply $d->[1]{instance}, { id => $i1, name => '安全帽识别', gpu => 2, cpu => 2, ram => 2, time_consuming => '2h30min',
                                   consumption_points => 1200, status => 'creating', created_at => '2019-08-27 14:00:00' },
        'the instance as documented';
    # joined, never provisioned: the instance the database made with it
    my $prow2 = project_row($p2);
    my $i2 = db_value("SELECT id FROM project_instances WHERE participation_id = $pp2");
    ok $i2, 'the second participation got its instance when it was inserted';
    is jtype($res, 'data', 0, 'instance'), 'object', 'a new participation: instance is an object';
    is jtype($res, 'data', 0, 'instance', $_), $ITYPE{$_}, "new instance.$_ is $ITYPE{$_}" for sort keys %ITYPE;
    is_deeply $d->[0]{instance}, { id => $i2, name => $prow2->{name}, gpu => 0, cpu => 0, ram => 0,
                                   time_consuming => '0min', consumption_points => 0, status => 'creating',
                                   created_at => '2024-02-01 08:00:00' },
        'the new instance: named after the project, no resources yet, creating, created with the participation';
};

scenario 'instance status: the documented set; time as h/min' => sub {
    my $u = signed_in();
    my @st = qw(creating coding training training_completed testing finished_test project_deadline stop);
    my %min = (creating => 0, coding => 59, training => 60, training_completed => 61, testing => 600,
               finished_test => 1439, project_deadline => 1440, stop => 45);
    my %text = (creating => '0min', coding => '59min', training => '1h0min', training_completed => '1h1min',
                testing => '10h0min', finished_test => '23h59min', project_deadline => '24h0min', stop => '45min');
    my $n = 0;
    for my $s (@st) {
        $n++;
        my $pp = join_project($u, insert_project(name => "状态 $s"), sprintf('2024-03-%02d 00:00:00', $n));
        instance($pp, status => $s, minutes => $min{$s});
    }
    my ($res, $json) = get($u);
    my %got = map { $_->{instance}{status} => $_->{instance}{time_consuming} } @{ $json->{data} };
    is_deeply \%got, \%text, 'every status, each with its time';
    my $pp = join_project($u, insert_project(), '2024-04-01 00:00:00');
    ok !eval { instance($pp, status => 'running'); 1 }, 'the schema refuses another status';
    is db_value("SELECT status FROM project_instances WHERE participation_id = $pp"), 'creating', '... it stays creating';
    ok !eval { db("INSERT INTO project_instances (participation_id, name, status, created_at, updated_at) VALUES ($pp, 'x', 'creating', '2024-04-01 00:00:00', '2024-04-01 00:00:00')"); 1 },
        'a second instance for one participation is refused by the schema';
};

scenario "another user's participations are not listed" => sub {
    my $u = signed_in();
    my $v = signed_in();
    my $p = insert_project();
    instance(join_project($u, $p, '2024-01-01 00:00:00'));
    my ($res, $json) = get($v);
    is_deeply $json->{data}, [], 'v takes part in nothing';
    ($res, $json) = get($u);
    is scalar @{ $json->{data} }, 1, 'u in one';
    ok !eval { join_project($u, $p, '2024-01-02 00:00:00'); 1 }, 'the same project twice is refused by the schema';
};

scenario 'tokens: 401' => sub {
    check_401(scalar json_request(GET => $P), 'no token');
    check_401(scalar json_request(GET => $P, undef, auth('a.b.c')), 'malformed');
    my $u = signed_in();
    my $t2 = login($u->{username}, $u->{password});
    check_ok(scalar json_request(PATCH => '/api/user/base/update-password', { old_password => $u->{password}, new_password => 'Changed-1' },
                                 auth($u->{token})), 'password changed in another session');
    check_401(scalar get({ token => $t2 }), 'the other session was revoked');
    check_ok(scalar get($u), 'the session that changed it works');
};

done_testing;
