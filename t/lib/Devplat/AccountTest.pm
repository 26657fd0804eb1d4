package Devplat::AccountTest;
# Helpers of the t/account/*.t files (projects, personal centre): rows made
# directly in the test database, field lists of 000, a signed-in user.
use strict;
use warnings;
use utf8;

use Exporter 'import';
use Carp qw(croak);
use Test::More ();
use URI::Escape ();
use Devplat::Test;

our @EXPORT = qw(
    PROJECT_FIELDS PROJECT_TYPES
    insert_project project_row check_project
    signed_in code_get fetch_code user_row unique_email
    audit_count bind_code_res bind_email bind_at_once
);

# data.* of 项目分页列表 in the document's order; 项目详情 adds delivery_at.
use constant PROJECT_FIELDS => [qw(id name status purchase_budget introduction domain
                                   research_direction level created_at updated_at)];
use constant PROJECT_TYPES => {
    id => 'integer', name => 'string', status => 'string', purchase_budget => 'integer',
    introduction => 'string', domain => 'string', research_direction => 'string',
    level => 'integer', created_at => 'string', updated_at => 'string',
    delivery_at => 'string',
};

my $SEQ = 0;

# insert_project(name => .., status => .., ...) -> id. Defaults make a
# plausible project; every column may be given.
sub insert_project {
    my (%f) = @_;
    $SEQ++;
    my %row = (
        name => "测试项目 $$-$SEQ", status => 'registration', purchase_budget => 2000,
        introduction => '工地安全帽佩戴识别', domain => '工地', research_direction => '人脸',
        level => 1, delivery_at => '2030-01-01 00:00:00',
        created_at => '2024-01-01 00:00:00', updated_at => '2024-01-02 00:00:00',
        %f,
    );
    my @cols = sort keys %row;
    my $id = db_value('INSERT INTO projects (' . join(', ', @cols) . ') VALUES ('
                      . join(', ', map { sql_quote($row{$_}) } @cols) . ') RETURNING id');
    croak "insert_project: no id" unless defined $id;
    return $id;
}

sub project_row {
    my ($id) = @_;
    my ($row) = db_rows("SELECT * FROM projects WHERE id = $id");
    return $row;
}

# check_project($res, [path], $name, $row, with_delivery => 1): the object
# at path has exactly the documented fields, with their JSON types, and the
# values of $row (a projects row).
sub check_project {
    my ($res, $path, $name, $row, %o) = @_;
    my $tb = Test::More->builder;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @fields = (@{ +PROJECT_FIELDS }, $o{with_delivery} ? ('delivery_at') : ());
    my $v = decode_body($res);
    for my $k (@$path) { $v = ref $v eq 'HASH' ? $v->{$k} : ref $v eq 'ARRAY' ? $v->[$k] : undef }
    $tb->is_eq(ref $v, 'HASH', "$name: project is an object") or return;
    $tb->is_eq(join(',', sort keys %$v), join(',', sort @fields), "$name: exactly the documented fields");
    for my $f (@fields) {
        $tb->is_eq(jtype($res, @$path, $f), PROJECT_TYPES->{$f}, "$name: $f is " . PROJECT_TYPES->{$f});
    }
    if ($row) {
        for my $f (@fields) {
            $tb->is_eq($v->{$f}, $row->{$f}, "$name: $f = " . ($row->{$f} // 'undef'));
        }
    }
    return $v;
}

# A new registered user with a token: {id, username, mobile, password, token}.
sub signed_in {
    my (%o) = @_;
    my $u = register_user(%o);
    $u->{token} = login($u->{username}, $u->{password});
    return $u;
}

# GET a code endpoint as a client of its own (codes are capped per client
# address): ($res, $json, $code), or $res in scalar context.
sub code_get {
    my ($path, $token, %h) = @_;
    my ($res, $json) = json_request(GET => $path, undef, auth($token), 'X-Forwarded-For' => code_ip(), %h);
    my $code = (ref $json eq 'HASH' && ref $json->{data} eq 'HASH') ? $json->{data}{verification_code} : undef;
    return wantarray ? ($res, $json, $code) : $res;
}

# The bind-email code for $e (as code_get answers) and the bind itself.
sub bind_code_res {
    my ($u, $e) = @_;
    return code_get('/api/user/base/bind-email/verification-code?email=' . URI::Escape::uri_escape_utf8($e),
                    $u->{token});
}
sub bind_email {
    my ($u, $e, $code) = @_;
    return json_request(POST => '/api/user/base/bind-email',
                        { email => $e, verification_code => $code, password => $u->{password} },
                        auth($u->{token}));
}

# One account per spelling of the address $e asks for a code, then all
# bind at the same moment; returns the HTTP codes of the binds.
sub bind_at_once {
    my ($e, @spell) = @_;
    my @users = map { signed_in() } @spell;
    my @codes;
    for my $i (0 .. $#users) {
        # a fresh slot for each account (the cooldown is 60 s)
        db('UPDATE code_cooldowns SET sent_at = sent_at - 120 WHERE destination = ' . sql_quote($e));
        my ($res, undef, $code) = bind_code_res($users[$i], $spell[$i]);
        Test::More::is($res->code, 200, "account $i asks for a code ($spell[$i])");
        push @codes, $code // '000000';
    }
    return parallel(scalar @users, sub {
        my ($i) = @_;
        my ($res) = bind_email($users[$i], $spell[$i], $codes[$i]);
        return $res->code;
    });
}

# fetch_code($path, $token): like code_get, but returns only the code and
# croaks (a scenario's failure) when none came back.
sub fetch_code {
    my ($path, $token, %h) = @_;
    my ($res, undef, $code) = code_get($path, $token, %h);
    croak "$path: " . $res->status_line . ' ' . ($res->content // '') unless defined $code;
    return $code;
}

sub user_row {
    my ($id) = @_;
    my ($row) = db_rows("SELECT * FROM users WHERE id = $id");
    return $row;
}

# lower-case and unique per process and call
sub unique_email {
    $SEQ++;
    return sprintf 'u%d.%d@example.com', $$, $SEQ;
}

sub audit_count {
    my ($user_id, $action) = @_;
    return db_value("SELECT count(*) FROM audit_log WHERE user_id = $user_id AND action = " . sql_quote($action));
}

1;
