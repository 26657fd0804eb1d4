# Migrations 050 (the account core), 051 (participation instances) and 052
# (rate limits) on a database of the release before, on whichever engine
# the suite runs: scripts/test-engines.sh builds the suite's database with
# tools/devplat-migrate --to 040_mobile, loads the rows of
# t/sql/<engine>/premigration/*.sql, then runs the migrator again. This file
# checks what became of every one of those rows, that schema_migrations
# lists every schema file, that the migrator run again applies nothing, and
# the rules the database itself now enforces.
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use Apache::Test ();
use Devplat::Test;

my $top = Apache::Test::vars('top_dir');
my %SQLDIR = (sqlite => 'sqlite', pgsql => 'postgresql', mysql => 'mysql');
my $sqldir = "$top/sql/$SQLDIR{ engine() }";

my $MOBILE_FORM = '19900000008';
my $DATETIME = DATETIME_RE;

sub q_ { sql_quote($_[0]) }

sub user {
    my ($name) = @_;
    my ($u) = db_rows('SELECT id, username, mobile, email, unverified_mobile, unverified_email '
                      . 'FROM users WHERE username = ' . q_($name));
    return $u;
}

sub id_of { my $u = user($_[0]); return $u ? $u->{id} : undef }

# db() that is expected to fail: (1, message) when it did, (0, '') when not.
sub db_fails {
    my ($sql) = @_;
    my $ok = eval { db($sql); 1 };
    return $ok ? (0, '') : (1, $@ // '');
}

# The migrator on the suite's live database: (exit code, output).
sub migrate {
    my (@opts) = @_;
    my $sock = $ENV{DEVPLAT_TEST_SOCKDIR} // '';
    my @target = engine() eq 'pgsql' ? ('pgsql', "host=$sock port=5432 dbname=devplat user=devplat")
               : engine() eq 'mysql' ? ('mysql', '-S', "$sock/mysql.sock", '-u', 'root', 'devplat')
               :                       ('sqlite', db_path());
    my $q = sub { my $x = shift; $x =~ s/'/'\\''/g; "'$x'" };
    my $cmd = join ' ', map { $q->($_) } "$top/tools/devplat-migrate", '--sql-dir', $sqldir, @opts, @target;
    my $out = qx{$cmd 2>&1};
    return ($? >> 8, Encode::decode('UTF-8', $out));
}

# the index of $t on exactly these columns: its {unique, columns, name}
sub index_on {
    my ($t, $cols) = @_;
    my $ix = table_indexes($t);
    for my $n (sort keys %$ix) {
        return { %{ $ix->{$n} }, name => $n } if $ix->{$n}{columns} eq $cols;
    }
    return undef;
}

# ---------------------------------------------------------------- the rows

scenario 'the fixture is there' => sub {
    my $n = db_value(q{SELECT count(*) AS n FROM users WHERE username LIKE 'premig\_%' ESCAPE '\\'});
    is $n, 18, '18 premig_* users (and one renamed) from t/sql/<engine>/premigration/'
        or BAIL_OUT('the premigration fixture was not loaded (scripts/test-engines.sh)');
};

scenario 'contacts: admin-face ones unverified, e-mails lower-case' => sub {
    my %want = (
        # signed up on the admin face: both contacts never proved
        premig_admin_signup => [undef, undef, '19900000001', 'premig.signup@premig.example'],
        # an administrator changed the phone: only the phone moves
        premig_phone_edited => [undef, 'premig.phone@premig.example', '19900000002', undef],
        # an administrator changed the e-mail: only the e-mail moves
        premig_email_edited => ['19900000003', undef, undef, 'premig.mail@premig.example'],
        # admin-face sign-up, then both proved by codes (change_mobile, bind_email)
        premig_proved_later => ['19900000004', 'premig.later@premig.example', undef, undef],
        # equal ignoring case: the lowest id keeps it, lower-cased
        premig_case_a       => [undef, 'premig.case@premig.example', undef, undef],
        premig_case_b       => [undef, undef, undef, 'premig.case@premig.example'],
        premig_upper        => [undef, 'premig.upper@premig.example', undef, undef],
        # a user of no admin-face origin keeps the proven mobile
        premig_dev_wins     => ['19900000009', undef, undef, undef],
    );
    for my $name (sort keys %want) {
        my $u = user($name) or do { fail "$name exists"; next };
        my ($m, $e, $um, $ue) = @{ $want{$name} };
        is $u->{mobile}, $m, "$name: mobile " . ($m // 'NULL');
        is $u->{email}, $e, "$name: email " . ($e // 'NULL');
        is $u->{unverified_mobile}, $um, "$name: unverified_mobile " . ($um // 'NULL');
        is $u->{unverified_email}, $ue, "$name: unverified_email " . ($ue // 'NULL');
    }
    is db_value(q{SELECT count(*) AS n FROM users WHERE email LIKE '%@premig.example' AND email <> lower(email)}), 0,
        'no proven e-mail with an upper-case letter';
};

scenario 'a username of mobile form is renamed, with an audit row' => sub {
    is db_value('SELECT count(*) AS n FROM users WHERE username = ' . q_($MOBILE_FORM)), 0,
        "no user named $MOBILE_FORM any more";
    my ($u) = db_rows('SELECT id, username, mobile FROM users WHERE mobile = ' . q_($MOBILE_FORM));
    ok $u, "the user of mobile $MOBILE_FORM is still there" or return;
    is $u->{username}, "m${MOBILE_FORM}_$u->{id}", "renamed m<number>_<id>: $u->{username}";
    my @a = db_rows("SELECT action, detail, created_at FROM audit_log WHERE user_id = $u->{id} "
                    . q{AND action = 'username_migrated'});
    is scalar @a, 1, 'one audit row username_migrated';
    is $a[0]{detail}, $MOBILE_FORM, 'its detail is the old name' if @a;
    like $a[0]{created_at} // '', $DATETIME, 'its created_at is YYYY-MM-DD HH:MM:SS' if @a;
};

scenario 'identity_verifications: the two old stores merged' => sub {
    ok !table_exists('real_name_auths'), 'real_name_auths is gone';
    ok !table_exists('id_verifications'), 'id_verifications is gone';
    my $taken = '证件号码已被其他账号认证';
    # name => [id_number, status, message, source, certificate_type_id, actual_name, picture, created_at]
    my %want = (
        # both records; the developer one passed: it wins
        premig_dev_wins     => ['650102199001011028', 1, '', 'developer', 1, '迁开发', '/storage/premig/dev_wins.png', '2025-02-01 00:00:00'],
        # developer pending, mobile verified: the mobile one (居民身份证, no picture)
        premig_mob_wins     => ['650102199001011052', 1, '', 'mobile', 1, '迁移动', '', '2025-02-03 00:00:00'],
        # developer rejected, mobile withdrawn: the developer one as it was
        premig_dev_fallback => ['650102199001011060', 2, '照片不清晰', 'developer', 1, '迁驳回', '/storage/premig/fallback.png', '2025-02-01 00:00:00'],
        # one number, three accounts: passed first, then the earliest
        premig_dup_mobile   => ['650102199001011087', 1, '', 'mobile', 1, '迁重三', '', '2025-03-01 00:00:00'],
        premig_dup_passed   => ['650102199001011087', 2, $taken, 'developer', 1, '迁重二', '/storage/premig/dup2.png', '2025-06-01 00:00:00'],
        premig_dup_early    => ['650102199001011087', 2, $taken, 'developer', 1, '迁重一', '/storage/premig/dup1.png', '2025-01-01 00:00:00'],
        # one number, two pending records of the same moment: the lower id
        premig_tie_a        => ['650102199001011095', 0, '', 'developer', 1, '迁同甲', '/storage/premig/tie_a.png', '2025-04-01 00:00:00'],
        premig_tie_b        => ['650102199001011095', 2, $taken, 'developer', 1, '迁同乙', '/storage/premig/tie_b.png', '2025-04-01 00:00:00'],
        # withdrawn (state 0): rejected, 已撤销; its number passed for another account
        premig_withdrawn    => ['650102199001011108', 2, '已撤销', 'mobile', 1, '迁撤销', '', '2025-01-05 00:00:00'],
        premig_reclaimed    => ['650102199001011108', 1, '', 'developer', 1, '迁再认', '/storage/premig/reclaimed.png', '2025-05-01 00:00:00'],
        # the stored form of an ID card number: upper-case X
        premig_lower_x      => ['65010219900101101X', 1, '', 'mobile', 1, '迁小写', '', '2025-01-07 00:00:00'],
    );
    for my $name (sort keys %want) {
        my $id = id_of($name) or do { fail "$name exists"; next };
        my @r = db_rows('SELECT id_number, status, message, source, certificate_type_id, actual_name, '
                        . "authenticate_picture, created_at, active_number FROM identity_verifications WHERE user_id = $id");
        is scalar @r, 1, "$name: one identity record" or next;
        my $r = $r[0];
        my @w = @{ $want{$name} };
        is $r->{id_number}, $w[0], "$name: id_number $w[0]";
        is $r->{status}, $w[1], "$name: status $w[1]";
        is $r->{message}, $w[2], "$name: message '$w[2]'";
        is $r->{source}, $w[3], "$name: source $w[3]";
        is $r->{certificate_type_id}, $w[4], "$name: certificate_type_id $w[4]";
        is $r->{actual_name}, $w[5], "$name: actual_name";
        is $r->{authenticate_picture}, $w[6], "$name: authenticate_picture '$w[6]'";
        is $r->{created_at}, $w[7], "$name: created_at kept";
        is $r->{active_number}, ($w[1] == 2 ? undef : $w[0]),
            "$name: active_number " . ($w[1] == 2 ? 'NULL (rejected)' : $w[0]);
    }
    for my $name (grep { !$want{$_} } map { "premig_$_" } qw(admin_signup phone_edited case_a upper)) {
        my $id = id_of($name);
        is db_value("SELECT count(*) AS n FROM identity_verifications WHERE user_id = $id"), 0,
            "$name: no identity record";
    }
    is db_value(q{SELECT count(*) AS n FROM identity_verifications WHERE id_number LIKE '6501021990010110%'
                  AND status <> 2 GROUP BY id_number ORDER BY count(*) DESC LIMIT 1}), 1,
        'no number of the fixture held by two records that are not rejected';
};

scenario 'codes: account_id 0 on the old rows' => sub {
    my @c = db_rows(q{SELECT purpose, account_id, sent_at FROM code_cooldowns WHERE destination = '19900000099'});
    is scalar @c, 1, 'the old cooldown is there';
    is $c[0]{account_id}, 0, 'with account_id 0' if @c;
    is $c[0]{sent_at}, 4102444800, 'and its sent_at' if @c;
    my @v = db_rows(q{SELECT account_id, digest FROM verification_codes WHERE destination = '19900000099'});
    is scalar @v, 1, 'the old code is there';
    is $v[0]{account_id}, 0, 'with account_id 0' if @v;
};

scenario 'indexes' => sub {
    my $ix = index_on('verification_codes', 'destination,purpose,account_id,created_at');
    ok $ix, 'verification_codes: an index on (destination, purpose, account_id, created_at)';
    ok !exists table_indexes('verification_codes')->{verification_codes_dest}, 'verification_codes_dest is gone';
    $ix = index_on('code_cooldowns', 'destination,purpose,account_id');
    ok $ix && $ix->{unique}, 'code_cooldowns: the primary key is (destination, purpose, account_id)';
    ok !index_on('code_cooldowns', 'destination,purpose'), '... and no longer (destination, purpose)';
    for my $c (qw(unverified_mobile unverified_email)) {
        $ix = index_on('users', $c);
        ok $ix, "users: an index on $c";
        is $ix->{name}, "users_$c", "named users_$c" if $ix;
        ok $ix && !$ix->{unique}, '... not unique';
    }
    $ix = index_on('identity_verifications', 'active_number');
    ok $ix && $ix->{unique}, 'identity_verifications: a unique index on active_number';
    is $ix->{name}, 'identity_verifications_active_number', 'named identity_verifications_active_number' if $ix;
};

scenario 'participations: 051 gave each its instance' => sub {
    my %inst;
    for my $name (qw(premig_case_a premig_upper)) {
        my @r = db_rows('SELECT i.id, i.name, i.gpu, i.cpu, i.ram, i.minutes, i.consumption_points, i.status, '
                        . 'i.created_at, i.updated_at FROM project_instances i '
                        . 'JOIN project_participations pp ON pp.id = i.participation_id '
                        . "WHERE pp.user_id = @{[ id_of($name) ]}");
        is scalar @r, 1, "$name: one instance" or next;
        $inst{$name} = $r[0];
    }
    my $a = $inst{premig_case_a} || {};
    is_deeply { map { $_ => $a->{$_} } qw(name gpu cpu ram minutes consumption_points status created_at updated_at) },
        { name => 'premig 迁移项目', gpu => 0, cpu => 0, ram => 0, minutes => 0, consumption_points => 0,
          status => 'creating', created_at => '2025-01-03 00:00:00', updated_at => '2025-01-03 00:00:00' },
        'the participation without one: creating, named after the project, no resources, its created_at';
    my $u = $inst{premig_upper} || {};
    is_deeply [map { $u->{$_} } qw(name gpu minutes status created_at)],
        ['premig 实例', 2, 90, 'training', '2025-01-05 00:00:00'], 'the provisioned instance is left as it was';
    is db_value('SELECT count(*) AS n FROM project_participations pp WHERE NOT EXISTS '
                . '(SELECT 1 FROM project_instances i WHERE i.participation_id = pp.id)'), 0,
        'no participation without an instance';
};

scenario '052: the rate-limit table and the indexes of the purge' => sub {
    ok table_exists('rate_limits'), 'rate_limits exists';
    my $pk = index_on('rate_limits', 'bucket,subject,window_start');
    ok $pk && $pk->{unique}, 'rate_limits: unique on (bucket, subject, window_start), one row per window';
    for my $ix (['rate_limits', 'expires_at', 'rate_limits_expires'],
                ['verification_codes', 'created_at', 'verification_codes_created'],
                ['code_cooldowns', 'sent_at', 'code_cooldowns_sent']) {
        my ($t, $c, $n) = @$ix;
        my $i = index_on($t, $c);
        ok $i, "$t: an index on $c";
        is $i->{name}, $n, "named $n" if $i;
    }
    my ($f1, $e1) = db_fails(q{INSERT INTO rate_limits (bucket, subject, window_start, expires_at) }
                             . q{VALUES ('premig-limit', '10.0.250.9', 3600, 7200)});
    ok !$f1, 'a row without hits' or diag $e1;
    is db_value(q{SELECT hits FROM rate_limits WHERE bucket = 'premig-limit'}), 0, '... starts at 0';
    my ($f2) = db_fails(q{INSERT INTO rate_limits (bucket, subject, window_start, expires_at, hits) }
                        . q{VALUES ('premig-limit', '10.0.250.9', 3600, 7200, 1)});
    ok $f2, 'a second row of the same window: refused';
    my ($f3, $e3) = db_fails(q{INSERT INTO rate_limits (bucket, subject, window_start, expires_at, hits) }
                             . q{VALUES ('premig-limit', '10.0.250.9', 7200, 10800, 1)});
    ok !$f3, 'the next window: a row of its own' or diag $e3;
    db(q{DELETE FROM rate_limits WHERE bucket = 'premig-limit'});
    is db_value(q{SELECT count(*) AS n FROM verification_codes WHERE destination = '19900000099'}), 1,
        'the codes of the release before are still there';
};

# ---------------------------------------------------------------- the runner

scenario 'schema_migrations lists every schema file' => sub {
    opendir my $dh, $sqldir or die "$sqldir: $!";
    my @files = sort map { s/\.sql$//r } grep { /^0.*\.sql$/ } readdir $dh;
    ok scalar(grep { $_ eq '050_account_core' } @files), "$sqldir has 050_account_core.sql";
    ok scalar(grep { $_ eq '051_participation_instances' } @files), "$sqldir has 051_participation_instances.sql";
    ok scalar(grep { $_ eq '052_rate_limits' } @files), "$sqldir has 052_rate_limits.sql";
    my @rows = db_rows('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    is_deeply [map { $_->{version} } @rows], \@files, 'one row per sql/<engine>/0*.sql file, nothing else';
    is scalar(grep { ($_->{applied_at} // '') !~ $DATETIME } @rows), 0, 'applied_at YYYY-MM-DD HH:MM:SS';
    ok !(grep { $_->{version} eq 'demo' } @rows), 'demo.sql was not applied';
};

# the newest schema file: what the database is at
my $LAST = do {
    opendir my $dh, $sqldir or die "$sqldir: $!";
    (sort map { s/\.sql$//r } grep { /^\d+_.*\.sql$/ } readdir $dh)[-1];
};

scenario 'the runner again: nothing to apply' => sub {
    my $before = db_value('SELECT count(*) AS n FROM schema_migrations');
    my ($rc, $out) = migrate('--dry-run');
    is $rc, 0, 'dry run: exit 0' or diag $out;
    like $out, qr/^nothing to apply: the database is at \Q$LAST\E$/m, 'dry run: nothing to apply';
    unlike $out, qr/would/, 'dry run: nothing it would do';
    ($rc, $out) = migrate();
    is $rc, 0, 'exit 0' or diag $out;
    like $out, qr/^nothing to apply: the database is at \Q$LAST\E$/m, 'says there is nothing to apply';
    unlike $out, qr/^applied /m, 'applies no file';
    is db_value('SELECT count(*) AS n FROM schema_migrations'), $before, 'schema_migrations unchanged';
    ($rc, $out) = migrate('--to', '040_mobile');
    is $rc, 0, '--to an applied version: exit 0' or diag $out;
    like $out, qr/^nothing to apply/m, '... nothing to apply';
    ($rc, $out) = migrate('--to', '999_none');
    is $rc, 1, '--to an unknown version: exit 1';
    like $out, qr/999_none/, '... naming it';
};

# ---------------------------------------------------------------- the rules

scenario 'a username of mobile form is refused by the database' => sub {
    my $msg = engine() eq 'sqlite' ? qr/username must not be a mobile number/ : qr/users_username_not_mobile/;
    my ($failed, $err) = db_fails('INSERT INTO users (username, password, created_at, updated_at) VALUES '
                                  . q{('19900000077', 'x', '2025-01-01 00:00:00', '2025-01-01 00:00:00')});
    ok $failed, 'INSERT of username 19900000077 fails';
    like $err, $msg, '... by the rule' if $failed;
    db(q{DELETE FROM users WHERE username = '19900000077'}) unless $failed;
    my $id = id_of('premig_upper');
    ($failed, $err) = db_fails(qq{UPDATE users SET username = '13912345678' WHERE id = $id});
    ok $failed, 'UPDATE of a username to 13912345678 fails';
    like $err, $msg, '... by the rule' if $failed;
    is user('premig_upper')->{id}, $id, 'the name is unchanged';
    # not of the form: 12..., 10 or 12 digits, letters around
    for my $name (qw(12345678901 1990000007 199000000777 x19900000077)) {
        my ($f) = db_fails('INSERT INTO users (username, password, created_at, updated_at) VALUES ('
                           . q_($name) . q{, 'x', '2025-01-01 00:00:00', '2025-01-01 00:00:00')});
        ok !$f, "username $name is not of mobile form: accepted";
        db('DELETE FROM users WHERE username = ' . q_($name));
    }
};

scenario 'one ID number verifies one account: enforced by the database' => sub {
    my $held = '650102199001011028';          # passed for premig_dev_wins
    my $a = id_of('premig_case_a');
    my $b = id_of('premig_case_b');
    my $insert = sub {
        my ($uid, $status) = @_;
        return db_fails('INSERT INTO identity_verifications (user_id, actual_name, certificate_type_id, id_number, '
                        . 'status, source, created_at, updated_at) VALUES '
                        . "($uid, '迁规则', 1, '$held', $status, 'mobile', '2025-07-01 00:00:00', '2025-07-01 00:00:00')");
    };
    my ($failed, $err) = $insert->($a, 0);
    ok $failed, 'a second pending record with the number fails';
    like $err, qr/active_number|unique|duplicate/i, '... on the unique index' if $failed;
    ($failed) = $insert->($b, 1);
    ok $failed, 'a second passed record with the number fails';
    ($failed, $err) = $insert->($a, 2);
    ok !$failed, 'a rejected record (status 2) with the number succeeds' or diag $err;
    ($failed) = db_fails("UPDATE identity_verifications SET status = 0 WHERE user_id = $a");
    ok $failed, 'putting the rejected record back to pending fails';
    is db_value("SELECT count(*) AS n FROM identity_verifications WHERE id_number = '$held' AND status <> 2"), 1,
        'one holder';
    db("DELETE FROM identity_verifications WHERE user_id IN ($a, $b)");
};

scenario 'a new participation gets its instance from the database, in the same statement' => sub {
    my $uid = id_of('premig_case_b');
    my $pid = db_value(q{SELECT id FROM projects WHERE name = 'premig 迁移项目'});
    my $pp = db_value("INSERT INTO project_participations (user_id, project_id, created_at, updated_at) VALUES "
                      . "($uid, $pid, '2025-08-01 10:00:00', '2025-08-01 11:00:00') RETURNING id");
    ok $pp, 'participation inserted' or return;
    my @r = db_rows('SELECT name, gpu, cpu, ram, minutes, consumption_points, status, created_at, updated_at '
                    . "FROM project_instances WHERE participation_id = $pp");
    is scalar @r, 1, 'one instance with it';
    is_deeply $r[0], { name => 'premig 迁移项目', gpu => 0, cpu => 0, ram => 0, minutes => 0, consumption_points => 0,
                       status => 'creating', created_at => '2025-08-01 10:00:00', updated_at => '2025-08-01 10:00:00' },
        'creating, named after the project, created with the participation' if @r;
    my ($failed) = db_fails("INSERT INTO project_instances (participation_id, name, status, created_at, updated_at) "
                            . "VALUES ($pp, 'second', 'creating', '2025-08-01 10:00:00', '2025-08-01 10:00:00')");
    ok $failed, 'a second instance is refused';
    db("DELETE FROM project_instances WHERE participation_id = $pp");
    db("DELETE FROM project_participations WHERE id = $pp");
};

scenario 'two users cannot share a (lower-case) e-mail' => sub {
    my ($failed, $err) = db_fails('INSERT INTO users (username, email, password, created_at, updated_at) VALUES '
                                  . q{('premig_rule_email', 'premig.case@premig.example', 'x', }
                                  . q{'2025-01-01 00:00:00', '2025-01-01 00:00:00')});
    ok $failed, 'INSERT of a second user with premig.case@premig.example fails';
    like $err, qr/users_email|unique|duplicate/i, '... on the unique index' if $failed;
    db(q{DELETE FROM users WHERE username = 'premig_rule_email'}) unless $failed;
    my $b = id_of('premig_case_b');
    ($failed) = db_fails(qq{UPDATE users SET email = 'premig.case\@premig.example' WHERE id = $b});
    ok $failed, "premig_case_b cannot take it back";
};

scenario 'code_cooldowns: one row per destination, purpose and account' => sub {
    my $d = 'premig.cooldown@premig.example';
    my $ins = sub {
        db_fails('INSERT INTO code_cooldowns (destination, purpose, account_id, sent_at) VALUES '
                 . "('$d', 'bind_email', $_[0], 100)");
    };
    my ($f1, $e1) = $ins->(1001);
    my ($f2, $e2) = $ins->(1002);
    ok !$f1 && !$f2, 'two rows differing only in account_id: both written' or diag "$e1 $e2";
    my ($f3) = $ins->(1002);
    ok $f3, 'the same destination, purpose and account again: refused';
    my ($f0, $e0) = db_fails("INSERT INTO code_cooldowns (destination, purpose, sent_at) VALUES ('$d', 'bind_email', 100)");
    ok !$f0, 'without account_id: account 0' or diag $e0;
    is db_value("SELECT account_id FROM code_cooldowns WHERE destination = '$d' AND account_id < 1000"), 0,
        '... stored as 0';
    is db_value("SELECT count(*) AS n FROM code_cooldowns WHERE destination = '$d'"), 3, 'three rows';
    db("DELETE FROM code_cooldowns WHERE destination = '$d'");
};

# ---------------------------------------------------------------- 053

scenario '053: the administrators\' guard row' => sub {
    ok table_exists('account_guards'), 'account_guards exists';
    my @g = db_rows('SELECT name, serial FROM account_guards ORDER BY name');
    is scalar(@g), 1, 'one row';
    is $g[0]{name}, 'administrators', "named 'administrators'" if @g;
    like $g[0]{serial} // '', qr/^\d+$/, 'its serial a count' if @g;
    my ($failed, $err) = db_fails(q{INSERT INTO account_guards (name) VALUES ('administrators')});
    ok $failed, 'a second row of the same name is refused';
    like $err, qr/unique|duplicate|primary|constraint/i, '... by the primary key' if $failed;
    is db_value(q{SELECT count(*) AS n FROM users WHERE username LIKE 'premig\_%' ESCAPE '\\'}), 18,
        'the users of the release before are all still there';
};

done_testing;
