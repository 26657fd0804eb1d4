# GET /api/user/level-credit
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::AccountTest;

client_net(46);

my $P = '/api/user/level-credit';
sub get { json_request(GET => $P, undef, auth($_[0]{token})) }

my %TYPE = (
    id => 'integer', level => 'integer', integral => 'integer', general_integral => 'integer',
    dedicated_integral => 'integer', gpu_available_time => 'string', created_at => 'string',
    updated_at => 'string', upgrade_condition => 'object', integral_record => 'array',
);
my @UPGRADE = qw(experience business_algorithm algorithm_type project current_experience
                 current_business_algorithm current_algorithm_type current_project);

# A record as another service of the platform writes it: with its kind's
# total (users.general_integral / dedicated_integral, 058), which the faces read.
sub credit {
    my ($u, $amount, $positive, $dedicated, $message, $at) = @_;
    db("INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at) VALUES ($u->{id}, $amount, $positive, $dedicated, "
       . sql_quote($message) . ', ' . sql_quote($at) . ', ' . sql_quote($at) . ')');
    add_total($u, ($positive ? 1 : -1) * $amount, $dedicated);
}

sub add_total {
    my ($u, $change, $dedicated) = @_;
    my $col = $dedicated ? 'dedicated_integral' : 'general_integral';
    db("UPDATE users SET $col = $col + ($change) WHERE id = $u->{id}");
}

sub participate {
    my ($u, %i) = @_;
    my $pid = insert_project();
    my $pp = db_value("INSERT INTO project_participations (user_id, project_id, created_at, updated_at) VALUES ($u->{id}, $pid, '2024-05-01 10:00:00', '2024-05-01 10:00:00') RETURNING id");
    if (%i) {
        # the database made the instance with the participation (051): provision it
        db("UPDATE project_instances SET name = 'inst', gpu = $i{gpu}, cpu = 4, ram = 16, minutes = $i{minutes}, consumption_points = 100, status = 'training' WHERE participation_id = $pp");
    }
    return $pp;
}

sub level_row { my ($l) = db_rows("SELECT * FROM levels WHERE level = $_[0]"); $l }

scenario 'a new user: every documented field with its type' => sub {
    my $u = signed_in();
    my ($res, $json) = get($u);
    check_ok($res, 'level-credit');
    is jtype($res, 'data'), 'object', 'data is an object';
    is join(',', sort keys %{ $json->{data} }), join(',', sort keys %TYPE), 'exactly the documented fields';
    is jtype($res, 'data', $_), $TYPE{$_}, "data.$_ is $TYPE{$_}" for sort keys %TYPE;
    is join(',', sort keys %{ $json->{data}{upgrade_condition} }), join(',', sort @UPGRADE), 'upgrade_condition fields';
    is jtype($res, 'data', 'upgrade_condition', $_), 'integer', "upgrade_condition.$_ is an integer" for @UPGRADE;
    my $d = $json->{data};
    my $row = user_row($u->{id});
    is $d->{id}, $u->{id}, 'id is the user';
    is $d->{level}, 1, 'level 1';
    is $d->{integral}, 100, 'integral 100 (the registration credit)';
    is $d->{general_integral}, 100, 'general 100';
    is $d->{dedicated_integral}, 0, 'dedicated 0';
    is $d->{gpu_available_time}, level_row(1)->{gpu_minutes} . 'min', 'GPU time: what level 1 grants';
    is $d->{created_at}, $row->{created_at}, 'created_at is the user';
    is $d->{updated_at}, $row->{updated_at}, 'updated_at is the user';
    my $l2 = level_row(2);
    is_deeply $d->{upgrade_condition}, {
        experience => $l2->{experience}, business_algorithm => $l2->{business_algorithm},
        algorithm_type => $l2->{algorithm_type}, project => $l2->{project},
        current_experience => 0, current_business_algorithm => 0, current_algorithm_type => 0, current_project => 0,
    }, "upgrade_condition: level 2's conditions, nothing done yet";
    is scalar @{ $d->{integral_record} }, 1, 'one record';
    my @rec = qw(change is_positive_growth message created_at);
    is join(',', sort keys %{ $d->{integral_record}[0] }), join(',', sort @rec), 'record fields';
    is jtype($res, 'data', 'integral_record', 0, $_), $_ =~ /change|is_positive/ ? 'integer' : 'string',
        "integral_record.0.$_ type" for @rec;
    is_deeply $d->{integral_record}[0], { change => 100, is_positive_growth => 1, message => '完成注册获取积分',
                                          created_at => $row->{created_at} }, 'the registration record';
};

scenario 'integral is the signed sum; general + dedicated = integral; newest record first' => sub {
    my $u = signed_in();
    credit($u, 30, 0, 0, '购买GPU时长', '2030-01-01 10:00:00');
    credit($u, 500, 1, 1, '项目专用积分奖励', '2030-01-02 10:00:00');
    credit($u, 120, 0, 1, '专用积分消费', '2030-01-03 10:00:00');
    credit($u, 45, 1, 0, '完成新手任务', '2030-01-04 10:00:00');
    my ($res, $json) = get($u);
    check_ok($res, 'level-credit');
    my $d = $json->{data};
    is $d->{general_integral}, 100 - 30 + 45, 'general: 100 - 30 + 45';
    is $d->{dedicated_integral}, 500 - 120, 'dedicated: 500 - 120';
    is $d->{integral}, $d->{general_integral} + $d->{dedicated_integral}, 'general + dedicated = integral';
    my $sum = 0;
    $sum += ($_->{is_positive_growth} ? 1 : -1) * $_->{change} for @{ $d->{integral_record} };
    is $d->{integral}, $sum, 'integral = the signed sum of the records shown';
    is $d->{integral}, db_value("SELECT SUM(CASE WHEN is_positive_growth = 1 THEN amount ELSE -amount END) FROM credit_records WHERE user_id = $u->{id}"),
        '... and of the table';
    my ($mr, $mj) = json_request(GET => '/api/me', undef, auth($u->{token}));
    is $mj->{data}{integral}, $d->{integral}, '/api/me tells the same integral';
    is_deeply [map { $_->{message} } @{ $d->{integral_record} }],
        ['完成新手任务', '专用积分消费', '项目专用积分奖励', '购买GPU时长', '完成注册获取积分'], 'newest first';
    is_deeply [map { $_->{is_positive_growth} } @{ $d->{integral_record} }], [1, 0, 1, 0, 1], 'is_positive_growth 0/1';
    is_deeply [map { $_->{change} } @{ $d->{integral_record} }], [45, 120, 500, 30, 100], 'change is the amount, without sign';
};

scenario 'counters, projects and GPU time come from the data' => sub {
    my $u = signed_in();
    db("INSERT INTO user_growth (user_id, experience, business_algorithm, algorithm_type, updated_at) VALUES ($u->{id}, 1300, 2, 3, '2024-01-01 00:00:00')");
    participate($u, gpu => 2, minutes => 30);     # 60 GPU minutes
    participate($u, gpu => 1, minutes => 45);     # 45
    participate($u);                              # an instance just created: no GPU minutes yet
    my ($res, $json) = get($u);
    check_ok($res, 'level-credit');
    my $c = $json->{data}{upgrade_condition};
    is $c->{current_experience}, 1300, 'current_experience from user_growth';
    is $c->{current_business_algorithm}, 2, 'current_business_algorithm';
    is $c->{current_algorithm_type}, 3, 'current_algorithm_type';
    is $c->{current_project}, 3, 'current_project counts the participations';
    is $json->{data}{gpu_available_time}, (level_row(1)->{gpu_minutes} - 105) . 'min', 'GPU time left: grant - gpu x minutes';
    participate($u, gpu => 8, minutes => 600);
    ($res, $json) = get($u);
    is $json->{data}{gpu_available_time}, '0min', 'never below 0min';
};

scenario 'levels: the next level, the top of the ladder, a level without a row' => sub {
    my $u = signed_in();
    db("UPDATE users SET level = 3 WHERE id = $u->{id}");
    my ($res, $json) = get($u);
    my $l4 = level_row(4);
    is $json->{data}{level}, 3, 'level 3';
    is $json->{data}{upgrade_condition}{experience}, $l4->{experience}, "level 4's experience";
    is $json->{data}{upgrade_condition}{project}, $l4->{project}, "level 4's projects";
    is $json->{data}{gpu_available_time}, level_row(3)->{gpu_minutes} . 'min', "level 3's GPU time";

    my $top = db_value('SELECT MAX(level) FROM levels');
    db("UPDATE users SET level = $top WHERE id = $u->{id}");
    ($res, $json) = get($u);
    is $json->{data}{upgrade_condition}{experience}, level_row($top)->{experience}, 'at the top: its own conditions';

    db("UPDATE users SET level = 99 WHERE id = $u->{id}");
    ($res, $json) = get($u);
    check_ok($res, 'a level the ladder does not know');
    is $json->{data}{upgrade_condition}{experience}, 0, 'no conditions';
    is $json->{data}{gpu_available_time}, '0min', 'no GPU time';
};

scenario 'the newest 100 records are listed; integral counts them all' => sub {
    my $u = signed_in();
    my @values = map { sprintf "(%d, %d, 1, 0, '任务奖励%03d', '2031-01-01 00:%02d:%02d', '2031-01-01 00:00:00')",
                       $u->{id}, $_, $_, int($_ / 60), $_ % 60 } 1 .. 120;
    db('INSERT INTO credit_records (user_id, amount, is_positive_growth, dedicated, message, created_at, updated_at) VALUES ' . join(', ', @values));
    add_total($u, 120 * 121 / 2, 0);
    my ($res, $json) = get($u);
    my $d = $json->{data};
    is scalar @{ $d->{integral_record} }, 100, '100 records';
    is $d->{integral_record}[0]{message}, '任务奖励120', 'the newest first';
    is $d->{integral_record}[99]{message}, '任务奖励021', 'the 100th newest last';
    is $d->{integral}, 100 + 120 * 121 / 2, 'integral counts every record';
};

scenario 'another user sees only their own' => sub {
    my $u = signed_in();
    my $v = signed_in();
    credit($u, 999, 1, 1, '只属于u', '2030-06-01 00:00:00');
    my ($res, $json) = get($v);
    is $json->{data}{id}, $v->{id}, 'v gets v';
    is $json->{data}{integral}, 100, "v's integral";
    ok !(grep { $_->{message} eq '只属于u' } @{ $json->{data}{integral_record} }), "not u's records";
};

scenario 'tokens: 401' => sub {
    check_401(scalar json_request(GET => $P), 'no token');
    check_401(scalar json_request(GET => $P, undef, auth('a.b.c')), 'malformed');
    my $u = signed_in();
    check_ok(scalar json_request(DELETE => '/api/logout', undef, auth($u->{token})), 'logout');
    check_401(scalar get($u), 'logged out');
    my $v = signed_in();
    db("UPDATE users SET status = 1 WHERE id = $v->{id}");
    check_401(scalar get($v), 'frozen user');
};

done_testing;
