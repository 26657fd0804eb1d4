# devplat-admin (the built binary at the top of the test copy) against the
# test database of the engine under test: list, create-admin, passwd,
# freeze, unfreeze; clear messages and non-zero exits on bad input.
use strict;
use warnings;
use utf8;
use Test::More;
use Apache::Test ();
use File::Temp ();
use Devplat::Test;
use Devplat::Admin;

client_net(58);

my $bin = Apache::Test::vars('top_dir') . '/devplat-admin';

# The binary with exactly these arguments: (exit code, output).
sub raw_tool {
    my ($stdin, @args) = @_;
    my $in = File::Temp->new;
    print $in $stdin // '';
    close $in;
    my $cmd = join ' ', map { (my $x = $_) =~ s/'/'\\''/g; "'$x'" } $bin, @args;
    my $out = qx{$cmd < '$in' 2>&1};
    return ($? >> 8, Encode::decode('UTF-8', $out));
}

sub audits { db_value("SELECT count(*) FROM audit_log WHERE user_id = $_[0] AND action = " . sql_quote($_[1])) }

ok -x $bin, "devplat-admin is built at $bin";

scenario 'create-admin: the new administrator signs in to the admin face' => sub {
    my $name = unique_name();
    my ($rc, $out) = admin_tool("Adm1n-pw\n", 'create-admin', $name);
    is $rc, 0, 'exit 0' or diag $out;
    like $out, qr/created administrator \Q$name\E \(id \d+\)/, 'says what it did';
    unlike $out, qr/Adm1n-pw/, 'never echoes the password';
    my ($row) = db_rows('SELECT * FROM users WHERE username = ' . sql_quote($name));
    ok $row, 'a users row';
    is $row->{is_admin}, 1, 'is_admin 1';
    is $row->{status}, 0, 'status 0';
    like $row->{password} // '', qr/^\$2[aby]\$04\$/, 'a bcrypt hash of the given cost';
    is audits($row->{id}, 'admin_create'), 1, 'audited';
    my ($res, $json) = admin_login_full($name, 'Adm1n-pw');
    check_admin_ok($res, 'admin login', cmd => 'login', message => '登录成功');
    is $json->{data}{user_level}, 1, 'user_level 1';
    check_admin_ok(scalar admin(GET => 'list/user', undef, auth($json->{data}{token})), 'may list users', cmd => 'list/user');

    my $cn = '管理员' . ($$ % 1000);
    ($rc, $out) = admin_tool("Adm1n-pw\r\n", 'create-admin', $cn);
    is $rc, 0, 'a Chinese name, a CRLF line end' or diag $out;
    check_admin_ok(scalar admin_login_full($cn, 'Adm1n-pw'), 'it signs in', message => '登录成功');
};

scenario 'a hash of another cost is made again at DevplatBcryptCost by the first login' => sub {
    my $name = unique_name();
    my ($rc, $out) = admin_tool("Rehash-pw1\n", '--bcrypt-cost', 6, 'create-admin', $name);
    is $rc, 0, 'create-admin --bcrypt-cost 6' or diag $out;
    my ($row) = db_rows('SELECT id, password, updated_at FROM users WHERE username = ' . sql_quote($name));
    like $row->{password} // '', qr/^\$2[aby]\$06\$/, 'stored at cost 6';
    check_ok(scalar login_full($name, 'Rehash-pw1'), 'the developer face logs it in');
    my ($after) = db_rows("SELECT password, updated_at FROM users WHERE id = $row->{id}");
    like $after->{password} // '', qr/^\$2[aby]\$04\$/, 'now at the configured cost 4';
    is $after->{updated_at}, $row->{updated_at}, 'not a change of the account: updated_at kept';
    check_ok(scalar login_full($name, 'Rehash-pw1'), 'the same password logs in again');
    check_error(scalar login_full($name, 'Rehash-pw2'), 500, name => 'a wrong one still fails');
};

scenario 'create-admin refuses bad input' => sub {
    my $n0 = db_value('SELECT count(*) FROM users');
    my $taken = make_user();
    my @cases = (
        ["Adm1n-pw\n", ['create-admin', 'a'],            qr/not a valid name/,           'a 1-character name'],
        ["Adm1n-pw\n", ['create-admin', 'x' x 17],       qr/not a valid name/,           'a 17-character name'],
        ["Adm1n-pw\n", ['create-admin', "a b"],          qr/not a valid name/,           'a name with a space'],
        ["Adm1n-pw\n", ['create-admin', "x'; DROP TABLE users; --"], qr/not a valid name/, 'SQL as a name'],
        ["Adm1n-pw\n", ['create-admin', "ab\xff"],       qr/not a valid name/,           'invalid UTF-8'],
        ["Adm1n-pw\n", ['create-admin', $taken->{nickname}], qr/taken by user $taken->{id} \(normal\)/, 'a taken name'],
        ["",           ['create-admin', unique_name()],  qr/no password on standard input/, 'no password'],
        ["\n",         ['create-admin', unique_name()],  qr/0 characters; it must have 6 to 32/, 'an empty line'],
        ["abcde\n",    ['create-admin', unique_name()],  qr/5 characters; it must have 6 to 32/, '5 characters'],
        [('a' x 33) . "\n", ['create-admin', unique_name()], qr/33 characters; it must have 6 to 32/, '33 characters'],
        [('a' x 400) . "\n", ['create-admin', unique_name()], qr/longer than 32/,       'a 400-character line'],
        ["abc def1\n", ['create-admin', unique_name()],  qr/visible ASCII/,               'a space'],
        ["密码密码密码\n", ['create-admin', unique_name()], qr/visible ASCII/,            'Chinese'],
    );
    for my $c (@cases) {
        my ($stdin, $args, $re, $what) = @$c;
        my ($rc, $out) = admin_tool($stdin, @$args);
        is $rc, 1, "$what: exit 1";
        like $out, qr/^devplat-admin: /m, "$what: a message prefixed with the tool's name";
        like $out, $re, "$what: says why" or diag $out;
    }
    is db_value('SELECT count(*) FROM users'), $n0 + 1, 'no user created (besides the taken one)';
    my $d = make_user();
    set_status($d->{id}, 5);
    my ($rc, $out) = admin_tool("Adm1n-pw\n", 'create-admin', $d->{nickname});
    is $rc, 1, 'the name of a deleted user: exit 1';
    like $out, qr/taken by user $d->{id} \(deleted\)/, 'says it belongs to a deleted user';
    my $ok = 'a' x 6;
    ($rc, $out) = admin_tool("$ok\n", 'create-admin', substr(unique_name() . ('z' x 16), 0, 16));
    is $rc, 0, '6 characters and a 16-character name are fine' or diag $out;
    ($rc, $out) = admin_tool(('b' x 32) . "\n", 'create-admin', 'a' . ($$ % 10));
    is $rc, 0, '32 characters and a 2-character name are fine' or diag $out;
};

scenario 'passwd: a new password, every session ends' => sub {
    my $u = make_user();
    my $t1 = admin_login($u->{nickname}, $u->{password});
    my $t2 = login($u->{nickname}, $u->{password});
    my ($rc, $out) = admin_tool("New-pass-9\n", 'passwd', $u->{nickname});
    is $rc, 0, 'exit 0' or diag $out;
    like $out, qr/password of \Q$u->{nickname}\E changed; its sessions are revoked/, 'says what it did';
    check_admin_error(scalar admin(GET => "user/$u->{id}", undef, auth($t1)), 401, name => 'admin-face token after passwd');
    check_401(scalar json_request(GET => '/api/me', undef, auth($t2)), 'developer-face token after passwd');
    check_admin_error(scalar admin_login_full($u->{nickname}, $u->{password}), 422, name => 'the old password', message => '用户名或密码错误');
    check_admin_ok(scalar admin_login_full($u->{nickname}, 'New-pass-9'), 'the new password', message => '登录成功');
    is audits($u->{id}, 'admin_passwd'), 1, 'audited';

    my $hash = db_value("SELECT password FROM users WHERE id = $u->{id}");
    for my $c (["x\n", qr/1 characters; it must have 6 to 32/, 'a short password'],
               ["", qr/no password on standard input/, 'no password']) {
        ($rc, $out) = admin_tool($c->[0], 'passwd', $u->{nickname});
        is $rc, 1, "$c->[2]: exit 1";
        like $out, $c->[1], "$c->[2]: says why";
    }
    ($rc, $out) = admin_tool("New-pass-9\n", 'passwd', 'nobody' . $$);
    is $rc, 1, 'an unknown user: exit 1';
    like $out, qr/no user named 'nobody$$'/, 'says so';
    my $d = make_user();
    set_status($d->{id}, 5);
    ($rc, $out) = admin_tool("New-pass-9\n", 'passwd', $d->{nickname});
    is $rc, 1, 'a deleted user: exit 1';
    like $out, qr/no user named .* \(it was deleted\)/, 'says it was deleted';
    is db_value("SELECT password FROM users WHERE id = $u->{id}"), $hash, 'the refused changes wrote nothing';
};

scenario 'freeze and unfreeze' => sub {
    my $u = make_user();
    my $t = admin_login($u->{nickname}, $u->{password});
    my ($rc, $out) = admin_tool('', 'freeze', $u->{nickname});
    is $rc, 0, 'freeze: exit 0' or diag $out;
    like $out, qr/\Q$u->{nickname}\E: frozen/, 'says frozen';
    is db_value("SELECT status FROM users WHERE id = $u->{id}"), 1, 'status 1';
    check_admin_error(scalar admin(GET => "user/$u->{id}", undef, auth($t)), 401, name => 'the token stops at once');
    check_admin_error(scalar admin_login_full($u->{nickname}, $u->{password}), 403, name => 'login refused', message => '账号已被冻结');
    ($rc, $out) = admin_tool('', 'freeze', $u->{nickname});
    is $rc, 1, 'freeze again: exit 1';
    like $out, qr/is frozen, not normal/, 'says it is frozen already';
    my (undef, $list) = admin_tool('', 'list');
    like $list, qr/^\Q$u->{id}\E\s+\Q$u->{nickname}\E\s+\Q$u->{mobile}\E\s+frozen\s+no\s/m, 'list shows it frozen';

    ($rc, $out) = admin_tool('', 'unfreeze', $u->{nickname});
    is $rc, 0, 'unfreeze: exit 0' or diag $out;
    like $out, qr/\Q$u->{nickname}\E: normal/, 'says normal';
    check_admin_ok(scalar admin(GET => "user/$u->{id}", undef, auth($t)), 'the token works again');
    ($rc, $out) = admin_tool('', 'unfreeze', $u->{nickname});
    is $rc, 1, 'unfreeze again: exit 1';
    like $out, qr/is normal, not frozen/, 'says it is not frozen';
    is audits($u->{id}, 'admin_freeze'), 1, 'freeze audited once';
    is audits($u->{id}, 'admin_unfreeze'), 1, 'unfreeze audited once';

    my $p = make_pending();
    ($rc, $out) = admin_tool('', 'freeze', $p->{nickname});
    is $rc, 1, 'a user that is not reviewed: exit 1';
    like $out, qr/is not-reviewed, not normal/, 'says its state';
    ($rc, $out) = admin_tool('', 'freeze', 'nobody' . $$);
    is $rc, 1, 'an unknown user: exit 1';
};

scenario 'list' => sub {
    my $u = make_user();
    my $a = make_admin(no_login => 1);
    my $d = make_user();
    set_status($d->{id}, 5);
    my ($rc, $out) = admin_tool('', 'list');
    is $rc, 0, 'exit 0' or diag $out;
    like $out, qr/^id\s+username\s+mobile\s+status\s+admin\s+created_at$/m, 'a header line';
    like $out, qr/^\Q$u->{id}\E\s+\Q$u->{nickname}\E\s+\Q$u->{mobile}\E\s+normal\s+no\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m, 'a user';
    like $out, qr/^\Q$a->{id}\E\s+\Q$a->{nickname}\E\s+-\s+normal\s+yes\s/m, 'an administrator (no mobile)';
    unlike $out, qr/^\Q$d->{id}\E\s/m, 'no deleted user';
    my $lines = () = $out =~ /^\d+\s/mg;
    is $lines, db_value('SELECT count(*) FROM users WHERE status <> 5'), 'one line per user';
};

scenario 'usage errors: exit 2, a message, a hint' => sub {
    my ($driver, $params) = dbd_params();
    my @p = ('--driver', $driver, '--params', $params);
    my @cases = (
        [[], qr/usage: devplat-admin/, 'no arguments'],
        [[@p], qr/no command given/, 'no command'],
        [[@p, 'frobnicate'], qr/unknown command 'frobnicate'/, 'an unknown command'],
        [[@p, 'create-admin'], qr/create-admin takes one argument/, 'create-admin without NAME'],
        [[@p, 'passwd', 'a', 'b'], qr/passwd takes one argument/, 'passwd with two'],
        [[@p, 'freeze', ''], qr/freeze takes one argument/, 'freeze with an empty NAME'],
        [[@p, 'list', 'x'], qr/list takes no arguments/, 'list with an argument'],
        [['--params', 'x', 'list'], qr/--driver and --params are required/, 'no --driver'],
        [['--driver', 'sqlite3', 'list'], qr/--driver and --params are required/, 'no --params'],
        [['--driver', 'oracle', '--params', 'x', 'list'], qr/unknown driver 'oracle'/, 'an unknown driver'],
        [[@p, '--bcrypt-cost', '3', 'list'], qr/--bcrypt-cost must be a whole number from 4 to 31, not '3'/, 'cost 3'],
        [[@p, '--bcrypt-cost', '4x', 'list'], qr/not '4x'/, "cost '4x'"],
        [[@p, '--bogus', 'list'], qr/invalid option/, 'an unknown option'],
    );
    for my $c (@cases) {
        my ($rc, $out) = raw_tool('', @{ $c->[0] });
        is $rc, 2, "$c->[2]: exit 2";
        like $out, $c->[1], "$c->[2]: says why" or diag $out;
    }
    my ($rc, $out) = raw_tool('', '--help');
    is $rc, 0, '--help: exit 0';
    like $out, qr/create-admin NAME/, '--help lists the commands';
};

scenario 'database problems: exit 1 and a message' => sub {
    my ($rc, $out) = raw_tool('', '--driver', 'sqlite3', '--params', '/nonexistent/devplat.db', 'list');
    is $rc, 1, 'a missing SQLite file: exit 1';
    like $out, qr{database file /nonexistent/devplat.db does not exist}, 'says so';
    my $empty = File::Temp->new(SUFFIX => '.db');
    ($rc, $out) = raw_tool('', '--driver', 'sqlite3', '--params', "$empty", 'list');
    is $rc, 1, 'a database without the schema: exit 1';
    like $out, qr/is the schema applied\?/, 'says what is likely wrong';
    my ($driver) = dbd_params();
    if ($driver ne 'sqlite3') {
        my $bad = $driver eq 'pgsql' ? "host=/nonexistent port=5432 dbname=devplat user=devplat"
                                     : "sock=/nonexistent/mysql.sock dbname=devplat user=root";
        ($rc, $out) = raw_tool('', '--driver', $driver, '--params', $bad, 'list');
        is $rc, 1, "$driver: a server that is not there: exit 1";
        like $out, qr/cannot open the database/, 'says so' or diag $out;
    }
};

done_testing;
