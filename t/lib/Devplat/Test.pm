package Devplat::Test;
# Helpers shared by the Apache::Test files in t/api/*.t.
#
#   use Devplat::Test;
#   client_net(12);                        # this file's clients: 10.0.12.x
#   my ($res, $json) = json_request(POST => '/api/login', {username => ..});
#   check_error($res, 422, field => 'username');
#   is jtype($res, qw(data id)), 'integer';
#
# Every request carries X-Forwarded-For (mod_remoteip trusts 127.0.0.1), so
# each test file is its own set of clients: code sending is capped per client
# IP, and each file must use its own addresses. Requests for codes rotate
# through 10.0.<net>.1, .2, ... (15 codes per address).
use strict;
use warnings;
use utf8;

use Exporter 'import';
use Carp qw(croak);
use B ();
use Encode ();
use JSON::PP ();
use HTTP::Request ();
use HTTP::Response ();
use IO::Socket::INET ();
use MIME::Base64 ();
use URI ();
use File::Temp ();
use Test::More ();
use Apache::Test ();
use Apache::TestRequest ();

our @EXPORT = qw(
    json_request raw_request api_url form_body decode_body
    client_net client_ip code_ip
    request_code register_user login login_full auth
    unique_mobile unique_name
    db db_rows db_value sql_quote db_path engine table_exists table_indexes
    dbd_params admin_tool node_b_url
    jwt_key_path jwt_key jwt_parts jwt_claims jwt_forge b64url
    jtype json_type is_integer is_string
    check_json check_envelope check_ok check_error check_401
    check_user check_token_info
    notify_log notify_for
    scenario wrong_code parallel
    DATETIME_RE MSG_OK MSG_TOKEN MSG_LOGIN
    image_bytes png_of_size multipart_body upload_request curl_request
    http_get storage_dir storage_files storage_leftovers raw_pieces error_log_wait
    upload_picture
);

use constant DATETIME_RE => qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
use constant MSG_OK      => '操作成功';
use constant MSG_TOKEN   => '令牌认证失败';
use constant MSG_LOGIN   => '用户名或密码错误';

# Chinese labels a validation message may use instead of the field's key.
my %LABEL = (
    username          => [qw(用户名 username)],
    mobile            => [qw(手机号 手机 mobile)],
    password          => [qw(密码 password)],
    verification_code => [qw(验证码 verification_code code)],
    file              => [qw(文件 file)],
    avatar            => [qw(头像 avatar)],
    actual_name       => [qw(真实姓名 actual_name)],
    certificate_type_id => [qw(证件类型 certificate_type_id)],
    id_number         => [qw(证件号码 id_number)],
    authenticate_picture => [qw(认证照片 authenticate_picture)],
    institution       => [qw(院校 institution)],
    education_id      => [qw(学历 education_id)],
    project_experience => [qw(项目经历 project_experience)],
    organization      => [qw(组织 organization)],
    position_id       => [qw(职位 position_id)],
    domain_id         => [qw(领域 domain_id)],
    competition       => [qw(竞赛 competition)],
    award_level_id    => [qw(奖项等级 award_level_id)],
    award_picture     => [qw(获奖照片 award_picture)],
    award_info        => [qw(奖项信息 award_info)],
    province          => [qw(省 province)],
    city              => [qw(市 city)],
    county            => [qw(县 county)],
    is_overseas       => [qw(是否海外 is_overseas)],
    research_direction_id => [qw(研究方向 research_direction_id)],
);

# field_labels(per_page => ['每页条数'], ...): further names a 422 message
# may use for a field (check_error's "message names the field").
sub field_labels {
    my (%l) = @_;
    push @{ $LABEL{$_} }, @{ $l{$_} } for keys %l;
}
push @EXPORT, 'field_labels';

my $JSON = JSON::PP->new->utf8->canonical->allow_nonref;

# Test names and diagnostics hold Chinese messages: print them as UTF-8.
{
    my $tb = Test::More->builder;
    binmode $tb->$_, ':encoding(UTF-8)' for qw(output failure_output todo_output);
}

# ------------------------------------------------------------------ clients

my $NET;            # this file's 10.0.<net>.x
my $HOST = 1;       # current 10.0.<net>.<host>
my $CODES = 0;      # codes requested from the current address

sub client_net {
    my ($n) = @_;
    croak "client_net: 1..249" unless defined $n && $n =~ /^\d+$/ && $n >= 1 && $n <= 249;
    ($NET, $HOST, $CODES) = ($n, 1, 0);
}

sub _net {
    return $NET if defined $NET;
    # a file that did not choose: derive one from its name (kept apart from
    # the explicit ones, which are < 200)
    my $sum = 0;
    $sum = ($sum * 31 + ord) % 1000003 for split //, $0;
    return $NET = 200 + $sum % 40;
}

sub client_ip { my $n = _net(); "10.0.$n.$HOST" }

# The address for the next code request (moves on after 15).
sub code_ip {
    my $n = _net();
    if ($CODES >= 15) { $HOST++; $CODES = 0; croak "code_ip: out of addresses" if $HOST > 254 }
    $CODES++;
    return "10.0.$n.$HOST";
}

# ------------------------------------------------------------------ HTTP

my $UA;
sub _ua {
    return $UA if $UA && $UA->{_devplat_pid} == $$;
    $UA = Apache::TestRequest::user_agent(reset => 1)
        or croak "no LWP user agent";
    $UA->timeout(60);
    $UA->{_devplat_pid} = $$;
    return $UA;
}

# A test file may send every request to another httpd (Devplat::Node):
# local $Devplat::Test::BASE_URL = $node->{url};
our $BASE_URL;

sub api_url {
    return "$BASE_URL$_[0]" if $BASE_URL && $_[0] =~ m{^/};
    return Apache::TestRequest::resolve_url($_[0]);
}

# Every exchange the helpers below make is appended as one JSON line to
# t/logs/exchanges.jsonl (method, path, status, response Content-Type and
# body, the test file): after an engine's run, t/openapi/contract.py checks
# each response against the operation of the OpenAPI documents (openapi/)
# it belongs to. One write per line in append mode, so forked clients
# (parallel()) never interleave.
sub _exchange_log { Apache::Test::vars('t_logs') . '/exchanges.jsonl' }

sub record_exchange {
    my ($method, $url, $res, %o) = @_;
    return unless $res;
    my $u = URI->new($url);
    my $target = $u->can('path_query') ? $u->path_query : "$url";
    my $body = $res->content // '';
    my %x = (
        file   => $0,
        via    => $o{via} // 'lwp',
        method => $method,
        target => $target,
        host   => ($u->can('host_port') ? $u->host_port : ''),
        status => ($res->code // 0) + 0,
        content_type => scalar($res->header('Content-Type')) // '',
        request_content_type => $o{request_content_type} // '',
        length => length $body,
    );
    if (length $body > 262144) {
        $x{body_omitted} = JSON::PP::true;
    }
    elsif (defined(my $text = eval { Encode::decode('UTF-8', "$body", Encode::FB_CROAK) })) {
        $x{body} = $text;
    }
    else {
        $x{body_base64} = MIME::Base64::encode_base64($body, '');
    }
    my $line = JSON::PP->new->utf8->canonical->encode(\%x) . "\n";
    if (open my $fh, '>>:raw', _exchange_log()) {
        syswrite $fh, $line;
        close $fh;
    }
}
push @EXPORT, 'record_exchange';

# The request line of raw bytes: (method, target).
sub _raw_target {
    my ($bytes) = @_;
    return $bytes =~ /\A([A-Z]+) (\S+)/ ? ($1, $2) : ('?', '?');
}

sub _raw_content_type {
    my ($bytes) = @_;
    my ($head) = split /\r?\n\r?\n/, $bytes, 2;
    return $head =~ /^Content-Type:[ \t]*([^\r\n]*)/mi ? $1 : '';
}

# application/x-www-form-urlencoded body (UTF-8) from a list of pairs.
sub form_body {
    my @pairs = @_;
    my $u = URI->new('http:');
    $u->query_form(map { Encode::is_utf8($_) ? Encode::encode('UTF-8', $_) : $_ } @pairs);
    return $u->query // '';
}

# The body decoded as JSON (object or not), undef when it is not JSON.
sub decode_body {
    my ($res) = @_;
    my $body = $res->content;
    return undef unless defined $body && length $body;
    my $v = eval { $JSON->decode($body) };
    return $v;
}

# json_request($method, $path, $body, %headers) -> ($res, $json_or_undef)
#   $body: undef (none), a hash/array ref (sent as JSON), or a raw string
#   (bytes; characters are sent as UTF-8) sent as application/json unless a
#   Content-Type header says otherwise. A header given as undef is not sent
#   (e.g. 'X-Forwarded-For' => undef, 'Content-Type' => undef).
sub json_request {
    my ($method, $path, $body, %h) = @_;
    my $req = HTTP::Request->new($method => api_url($path));

    my $xff;
    if (exists $h{'X-Forwarded-For'}) {
        $xff = delete $h{'X-Forwarded-For'};
    }
    else {
        $xff = $path =~ m{^/api/[a-z-]*-sms\b} ? code_ip() : client_ip();
    }
    $req->header('X-Forwarded-For' => $xff) if defined $xff;

    if (defined $body) {
        my $content = ref $body ? $JSON->encode($body)
                    : Encode::is_utf8($body) ? Encode::encode('UTF-8', $body)
                    : $body;
        $req->header('Content-Type' => 'application/json');
        $req->content($content);
        $req->header('Content-Length' => length $content);
    }
    elsif ($method =~ /^(POST|PUT|PATCH)$/) {
        $req->header('Content-Length' => 0);
    }
    for my $k (sort keys %h) {
        if (defined $h{$k}) { $req->header($k => $h{$k}) }
        else                { $req->remove_header($k) }
    }
    my $res = _ua()->request($req);
    record_exchange($method, $req->uri, $res, via => 'lwp',
                    request_content_type => scalar $req->header('Content-Type'));
    return wantarray ? ($res, decode_body($res)) : $res;
}

# Sends raw bytes (a whole HTTP request) and parses the answer. For what LWP
# will not send: chunked bodies, broken framing.
sub raw_request {
    my ($bytes) = @_;
    my $hostport = Apache::TestRequest::hostport();
    my ($host, $port) = split /:/, $hostport;
    $host = '127.0.0.1' if $host eq 'localhost';
    my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Timeout => 30)
        or croak "connect $hostport: $!";
    binmode $sock;
    $bytes =~ s/\bHOSTPORT\b/$hostport/g;
    print $sock $bytes;
    my $answer = '';
    local $SIG{ALRM} = sub { die "raw_request: timeout\n" };
    alarm 60;
    while (1) {
        my $n = sysread $sock, my $buf, 65536;
        last unless $n;
        $answer .= $buf;
    }
    alarm 0;
    close $sock;
    my $res = HTTP::Response->parse($answer);
    # HTTP::Response->parse leaves a chunked body as it came
    if (($res->header('Transfer-Encoding') // '') =~ /chunked/i) {
        my $raw = $res->content;
        my $out = '';
        while ($raw =~ s/^([0-9a-fA-F]+)[^\r\n]*\r\n//) {
            my $len = hex $1;
            last if $len == 0;
            $out .= substr $raw, 0, $len, '';
            $raw =~ s/^\r\n//;
        }
        $res->content($out);
    }
    my ($rm, $rt) = _raw_target($bytes);
    record_exchange($rm, "http://$hostport$rt", $res, via => 'raw',
                    request_content_type => _raw_content_type($bytes));
    return wantarray ? ($res, decode_body($res)) : $res;
}

# ------------------------------------------------------------------ accounts

my $SEQ = 0;

# ^1[3-9]\d{9}$, unique per process and call (15 + 5 digits of the pid + seq).
sub unique_mobile {
    $SEQ++;
    return sprintf '15%05d%04d', $$ % 100000, $SEQ % 10000;
}

# 2-16 characters of [A-Za-z0-9_], unique per process and call.
sub unique_name {
    $SEQ++;
    return sprintf 'u%d_%d', $$, $SEQ;
}

# GET /api/register-sms for $mobile; returns the code (or croaks), or in list
# context ($code, $res, $json).
sub request_code {
    my ($mobile, %h) = @_;
    my ($res, $json) = json_request(GET => "/api/register-sms?mobile=$mobile", undef, %h);
    my $code = (ref $json eq 'HASH' && ref $json->{data} eq 'HASH')
             ? $json->{data}{verification_code} : undef;
    croak "register-sms $mobile: " . _describe($res) unless $res->code == 200 && defined $code;
    return wantarray ? ($code, $res, $json) : $code;
}

# Registers a new user (code request + POST /api/register). Options: username,
# mobile, password. Returns {id, username, mobile, password, data => {...}}.
sub register_user {
    my (%o) = @_;
    my $mobile   = $o{mobile}   // unique_mobile();
    my $username = $o{username} // unique_name();
    my $password = $o{password} // 'Passw0rd!';
    my $code = request_code($mobile);
    my ($res, $json) = json_request(POST => '/api/register', {
        username => $username, mobile => $mobile,
        password => $password, verification_code => $code,
    });
    croak "register $username/$mobile: " . _describe($res)
        unless $res->code == 200 && ref $json eq 'HASH' && ref $json->{data} eq 'HASH';
    return {
        id => $json->{data}{id}, username => $username, mobile => $mobile,
        password => $password, data => $json->{data}, code => $code,
    };
}

sub login_full {
    my ($username, $password, %h) = @_;
    return json_request(POST => '/api/login', { username => $username, password => $password }, %h);
}

# POST /api/login; returns the access token (croaks unless 200).
sub login {
    my ($username, $password, %h) = @_;
    my ($res, $json) = login_full($username, $password, %h);
    my $t = eval { $json->{data}{token_info}{access_token} };
    croak "login $username: " . _describe($res) unless $res->code == 200 && defined $t;
    return $t;
}

sub auth { return (Authorization => "Bearer $_[0]") }

# The body as characters (for diagnostics).
sub _text {
    my ($res) = @_;
    my $body = $res->content // '';
    $body = Encode::decode('UTF-8', $body, Encode::FB_DEFAULT);
    $body = substr($body, 0, 300) . '...' if length $body > 300;
    return $body;
}

sub _describe {
    my ($res) = @_;
    return $res->status_line . ' ' . _text($res);
}

# A six-digit code that is not $code. (Works on a copy: a string that perl
# has used as a number is encoded by JSON::PP as a number.)
sub wrong_code { my $n = "$_[0]"; sprintf '%06d', ($n + 1) % 1000000 }

# ------------------------------------------------------------------ database

# The database db() and friends run on: the suite's, unless a test sets
# $Devplat::Test::SCRATCH_DB (local) to a database of its own, a file name
# on SQLite and a database name on the servers (the migration tests).
our $SCRATCH_DB;

sub db_path { $SCRATCH_DB // Apache::Test::vars('serverroot') . '/var/devplat.db' }

sub _db_name { $SCRATCH_DB // 'devplat' }

sub sql_quote {
    my ($s) = @_;
    return 'NULL' unless defined $s;
    $s =~ s/'/''/g;
    return "'$s'";
}

sub engine { $ENV{DEVPLAT_TEST_ENGINE} || 'sqlite' }

# The command line client of the engine under test (scripts/test-engines.sh
# starts the server and exports where its socket is).
sub _client {
    my $sock = $ENV{DEVPLAT_TEST_SOCKDIR} // '';
    my $name = _db_name();
    return "psql -X -q -A -t -v ON_ERROR_STOP=1 -h '$sock' -p 5432 -U devplat -d '$name' -f"
        if engine() eq 'pgsql';
    return "mariadb --default-character-set=utf8mb4 -S '$sock/mysql.sock' -u root -B '$name' <"
        if engine() eq 'mysql';
    my $db = db_path();
    return "sqlite3 -batch -bail '$db' <";
}

sub _run_sql {
    my ($text) = @_;
    # MariaDB reads backslashes in string literals as escapes; the tests
    # quote the SQL standard way (sql_quote), as SQLite and PostgreSQL do
    $text = "SET SESSION sql_mode = CONCAT(\@\@sql_mode, ',NO_BACKSLASH_ESCAPES');\n$text"
        if engine() eq 'mysql';
    my $fh = File::Temp->new(SUFFIX => '.sql');
    binmode $fh, ':encoding(UTF-8)';
    print $fh $text;
    close $fh;
    my $cmd = _client();
    my $out = qx{$cmd '$fh' 2>&1};
    croak "SQL client failed ($?): $out\nSQL: $text" if $?;
    return Encode::decode('UTF-8', $out);
}

sub _sqlite {
    my ($mode, $sql) = @_;
    my $text = ".timeout 10000\n";
    $text .= ".mode $mode\n" if $mode;
    return _run_sql("$text$sql;\n");
}

# Runs SQL on the test database (any engine); returns the client's output.
sub db {
    my ($sql) = @_;
    return _sqlite(undef, $sql) if engine() eq 'sqlite';
    return _run_sql("$sql;\n");
}

# SELECT ... -> list of hashrefs (SQL NULL is undef)
sub db_rows {
    my ($sql) = @_;
    if (engine() eq 'sqlite') {
        my $out = _sqlite('json', $sql);
        return () unless $out =~ /\S/;
        return @{ JSON::PP->new->decode($out) };
    }
    if (engine() eq 'pgsql') {
        # a data-modifying statement (INSERT ... RETURNING) goes in a CTE
        my $out = _run_sql($sql =~ /^\s*(INSERT|UPDATE|DELETE)\b/i
            ? "WITH devplat_row AS ($sql) SELECT coalesce(json_agg(devplat_row), '[]'::json) FROM devplat_row;\n"
            : "SELECT coalesce(json_agg(devplat_row), '[]'::json) FROM ($sql) devplat_row;\n");
        return @{ JSON::PP->new->decode($out) };
    }
    # mysql batch output: a header line, then tab-separated rows
    # (a row of one empty string is an empty line: keep it)
    my @lines = split /\n/, _run_sql("$sql;\n"), -1;
    pop @lines if @lines && $lines[-1] eq '';
    return () unless @lines;
    my @names = split /\t/, shift @lines, -1;
    my %unescape = (n => "\n", t => "\t", '0' => "\0", '\\' => '\\');
    my @rows;
    for my $line (@lines) {
        my @v = map {
            $_ eq 'NULL' ? undef : do { (my $x = $_) =~ s/\\([nt0\\])/$unescape{$1}/g; $x }
        } ($line eq '' ? ('') : split /\t/, $line, -1);
        my %row;
        @row{@names} = @v;
        push @rows, \%row;
    }
    return @rows;
}

# SELECT of one value -> that value (undef when no row)
sub db_value {
    my @rows = db_rows($_[0]);
    return undef unless @rows;
    my @v = values %{ $rows[0] };
    return $v[0];
}

# The --driver/--params of devplat-admin (and DBDParams) for the engine
# under test.
sub dbd_params {
    my $sock = $ENV{DEVPLAT_TEST_SOCKDIR} // '';
    my $name = _db_name();
    return ('pgsql', "host=$sock port=5432 dbname=$name user=devplat") if engine() eq 'pgsql';
    return ('mysql', "sock=$sock/mysql.sock dbname=$name user=root") if engine() eq 'mysql';
    return ('sqlite3', db_path());
}

# Runs the built devplat-admin against the test database; $stdin is fed to
# it. Returns (exit code, stdout + stderr).
sub admin_tool {
    my ($stdin, @args) = @_;
    my ($driver, $params) = dbd_params();
    my $bin = Apache::Test::vars('top_dir') . '/devplat-admin';
    my $in = File::Temp->new;
    print $in $stdin // '';
    close $in;
    my $q = sub { my $x = shift; $x =~ s/'/'\\''/g; "'$x'" };
    my $cmd = join ' ', map { $q->($_) } $bin, '--driver', $driver, '--params', $params,
                                         '--bcrypt-cost', 4, @args;
    my $out = qx{$cmd < '$in' 2>&1};
    return ($? >> 8, Encode::decode('UTF-8', $out));
}

# The URL of $path on the second httpd node (same database, key, storage).
sub node_b_url {
    my ($path) = @_;
    croak 'DEVPLAT_NODE2_URL is not set (scripts/run-tests.sh starts node 2)'
        unless $ENV{DEVPLAT_NODE2_URL};
    return $ENV{DEVPLAT_NODE2_URL} . $path;
}

# Indexes of a table: { name => {unique => 0|1, columns => 'a,b'} }.
sub table_indexes {
    my ($t) = @_;
    my $qt = sql_quote($t);
    my @rows;
    if (engine() eq 'sqlite') {
        @rows = db_rows(qq{SELECT il.name AS name, il."unique" AS uniq,
                                  (SELECT group_concat(name, ',') FROM
                                      (SELECT ii.name FROM pragma_index_info(il.name) ii ORDER BY ii.seqno)) AS cols
                           FROM pragma_index_list($qt) il});
    }
    elsif (engine() eq 'pgsql') {
        @rows = db_rows(qq{SELECT i.relname AS name, CASE WHEN ix.indisunique THEN 1 ELSE 0 END AS uniq,
                                  string_agg(a.attname, ',' ORDER BY k.ord) AS cols
                           FROM pg_index ix
                           JOIN pg_class i ON i.oid = ix.indexrelid
                           JOIN pg_class t ON t.oid = ix.indrelid
                           CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
                           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                           WHERE t.relname = $qt AND t.relnamespace = 'public'::regnamespace
                           GROUP BY i.relname, ix.indisunique});
    }
    else {
        @rows = db_rows(qq{SELECT index_name AS name, 1 - MAX(non_unique) AS uniq,
                                  GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
                           FROM information_schema.statistics
                           WHERE table_schema = DATABASE() AND table_name = $qt
                           GROUP BY index_name});
    }
    return { map { $_->{name} => { unique => $_->{uniq} + 0, columns => $_->{cols} } } @rows };
}

# 1 when the table exists in the test database.
sub table_exists {
    my ($name) = @_;
    my $q = sql_quote($name);
    return db_value(
        engine() eq 'sqlite'
            ? "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $q"
            : "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $q"
              . (engine() eq 'mysql' ? ' AND table_schema = DATABASE()' : '')) + 0;
}

# ------------------------------------------------------------------ tokens

sub jwt_key_path { Apache::Test::vars('serverroot') . '/var/jwt.key' }

sub jwt_key {
    open my $fh, '<:raw', jwt_key_path() or croak jwt_key_path() . ": $!";
    local $/;
    return scalar <$fh>;
}

sub b64url {
    my $s = MIME::Base64::encode_base64($_[0], '');
    $s =~ tr{+/}{-_};
    $s =~ s/=+$//;
    return $s;
}

sub _unb64url {
    my $s = $_[0];
    $s =~ tr{-_}{+/};
    $s .= '=' x ((4 - length($s) % 4) % 4);
    return MIME::Base64::decode_base64($s);
}

# The token's header and payload as raw JSON texts (for type checks).
sub jwt_parts {
    my ($t) = @_;
    my @p = split /\./, $t, -1;
    return unless @p == 3;
    return (_unb64url($p[0]), _unb64url($p[1]));
}

# The claims, decoded without verification.
sub jwt_claims {
    my (undef, $payload) = jwt_parts($_[0]);
    return undef unless defined $payload;
    return eval { JSON::PP->new->decode($payload) };
}

# A token with the given claims, signed by hand. Options: alg (HS256, HS384,
# HS512, none, or any string for the header while signing with sign_alg),
# key (default: the server's key), header (extra header fields).
sub jwt_forge {
    my ($claims, %o) = @_;
    require Digest::SHA;
    my $alg = $o{alg} // 'HS256';
    my $sign_alg = $o{sign_alg} // $alg;
    my $key = $o{key} // jwt_key();
    my $header = { typ => 'JWT', alg => $alg, %{ $o{header} || {} } };
    my $j = JSON::PP->new->canonical;
    my $input = b64url($j->encode($header)) . '.' . b64url($j->encode($claims));
    my %mac = (
        HS256 => \&Digest::SHA::hmac_sha256,
        HS384 => \&Digest::SHA::hmac_sha384,
        HS512 => \&Digest::SHA::hmac_sha512,
    );
    my $sig = $sign_alg eq 'none' ? '' : b64url($mac{$sign_alg}->($input, $key));
    return "$input.$sig";
}

# ------------------------------------------------------------------ types

# The JSON type of a freshly decoded value: integer, number, string, boolean,
# null, object, array. Perl caches a string form once a number is printed, so
# prefer jtype($res, @path), which decodes the body again for each check.
sub json_type {
    return 'null' unless defined $_[0];
    if (ref $_[0]) {
        return 'boolean' if JSON::PP::is_bool($_[0]);
        return 'object'  if ref $_[0] eq 'HASH';
        return 'array'   if ref $_[0] eq 'ARRAY';
        return 'ref';
    }
    my $f = B::svref_2object(\$_[0])->FLAGS;
    # a number never read as a string has no POK; one that was printed has
    # only the private flag SVp_POK without SVf_POK on perl >= 5.36
    if (($f & (B::SVp_IOK | B::SVp_NOK)) && !($f & B::SVf_POK)) {
        return ($f & B::SVp_IOK) ? 'integer' : 'number';
    }
    return 'string';
}

sub is_integer { json_type($_[0]) eq 'integer' }
sub is_string  { json_type($_[0]) eq 'string' }

# jtype($res, 'data', 'user_info', 'id') -> the JSON type at that path of the
# response body ('missing' when absent, 'invalid' when not JSON).
sub jtype {
    my ($res, @path) = @_;
    my $v = decode_body($res);
    return 'invalid' unless defined $v || ($res->content // '') eq 'null';
    for my $k (@path) {
        if (ref $v eq 'HASH') {
            return 'missing' unless exists $v->{$k};
            $v = $v->{$k};
        }
        elsif (ref $v eq 'ARRAY' && $k =~ /^\d+$/) {
            return 'missing' unless $k < @$v;
            $v = $v->[$k];
        }
        else {
            return 'missing';
        }
    }
    return json_type($v);
}

# ------------------------------------------------------------------ checks
# Each check emits several Test::More assertions named "$name: ...".

sub _tb { Test::More->builder }

# Content-Type application/json and a JSON object body.
sub check_json {
    my ($res, $name) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $ct = $res->header('Content-Type') // '';
    $tb->like($ct, qr{^application/json\s*(;\s*charset="?utf-8"?\s*)?$}i, "$name: Content-Type application/json");
    my $json = decode_body($res);
    $tb->ok(ref $json eq 'HASH', "$name: body is a JSON object")
        or $tb->diag('body: ' . _text($res));
    return $json;
}

# HTTP status, JSON object, status_code (integer) == HTTP status, message string.
sub check_envelope {
    my ($res, $status, $name) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    $tb->is_eq($res->code, $status, "$name: HTTP $status")
        or $tb->diag('got: ' . _describe($res));
    my $json = check_json($res, $name);
    $json = {} unless ref $json eq 'HASH';
    $tb->is_eq(jtype($res, 'status_code'), 'integer', "$name: status_code is an integer");
    $tb->is_eq($json->{status_code}, $status, "$name: status_code $status");
    $tb->is_eq(jtype($res, 'message'), 'string', "$name: message is a string");
    return $json;
}

# A 200 envelope with message 操作成功 and data.
sub check_ok {
    my ($res, $name) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_envelope($res, 200, $name);
    $tb->is_eq($json->{message}, MSG_OK, "$name: message 操作成功");
    $tb->ok(exists $json->{data}, "$name: has data");
    return $json;
}

# check_error($res, $status, name => .., message => 'exact' | qr//, field => 'mobile')
# An error envelope: no data; 422 with errors {field: [strings]} whose
# message names the field.
sub check_error {
    my ($res, $status, %o) = @_;
    my $name = $o{name} // "HTTP $status";
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $json = check_envelope($res, $status, $name);
    $tb->ok(!exists $json->{data}, "$name: no data in an error");
    if (defined $o{message}) {
        if (ref $o{message}) { $tb->like($json->{message}, $o{message}, "$name: message") }
        else                 { $tb->is_eq($json->{message}, $o{message}, "$name: message $o{message}") }
    }
    else {
        $tb->ok(defined $json->{message} && length $json->{message}, "$name: message not empty");
    }
    if ($status == 422) {
        # a field's error carries errors {field: [messages]}; a body that is
        # not a JSON object at all may come without "errors"
        my $errors = $json->{errors};
        if ($o{field} || exists $json->{errors}) {
            $tb->ok(ref $errors eq 'HASH', "$name: errors is an object")
                or $tb->diag('body: ' . _text($res));
        }
        $errors = {} unless ref $errors eq 'HASH';
        my $shape_ok = 1;
        for my $f (keys %$errors) {
            my $m = $errors->{$f};
            $shape_ok = 0 unless ref $m eq 'ARRAY' && @$m && !grep { !defined || ref || !length } @$m;
        }
        $tb->ok($shape_ok, "$name: errors.<field> are non-empty lists of messages")
            or $tb->diag('errors: ' . JSON::PP->new->canonical->encode($errors));
        if (my $field = $o{field}) {
            my @fields = ref $field ? @$field : ($field);
            my ($hit) = grep { exists $errors->{$_} } @fields;
            $tb->ok(defined $hit, "$name: errors.$fields[0]")
                or $tb->diag('errors: ' . JSON::PP->new->canonical->encode($errors));
            if (defined $hit) {
                my @names = ($hit, @{ $LABEL{$hit} || [] });
                my $msg = $json->{message} // '';
                $tb->ok((grep { index($msg, $_) >= 0 } @names), "$name: message names the field ($hit)")
                    or $tb->diag("message: $msg");
            }
        }
    }
    return $json;
}

# Token failure: exactly {"status_code":401,"message":"令牌认证失败"}.
sub check_401 {
    my ($res, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return check_error($res, 401, name => $name, message => MSG_TOKEN);
}

# The user object at @path: id, username, avatar, level, integral,
# created_at, updated_at with their types; no password. %expect: values.
sub check_user {
    my ($res, $path, $name, %expect) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @p = @$path;
    $tb->is_eq(jtype($res, @p), 'object', "$name: user is an object");
    my %want = (id => 'integer', username => 'string', avatar => 'string',
                level => 'integer', integral => 'integer',
                created_at => 'string', updated_at => 'string');
    for my $f (sort keys %want) {
        $tb->is_eq(jtype($res, @p, $f), $want{$f}, "$name: $f is $want{$f}");
    }
    my $u = decode_body($res);
    for my $k (@p) { $u = ref $u eq 'HASH' ? $u->{$k} : undef }
    $u = {} unless ref $u eq 'HASH';
    $tb->ok(defined $u->{id} && $u->{id} =~ /^\d+$/ && $u->{id} > 0, "$name: id > 0");
    for my $f (qw(created_at updated_at)) {
        $tb->like($u->{$f} // '', DATETIME_RE, "$name: $f is YYYY-MM-DD HH:MM:SS");
    }
    $tb->ok(!(grep { exists $u->{$_} } qw(password password_hash hash)), "$name: no password in the user");
    for my $f (sort keys %expect) {
        $tb->is_eq($u->{$f}, $expect{$f}, "$name: $f = $expect{$f}");
    }
    return $u;
}

# data.token_info: access_token eyJ..., token_type bearer, expires_in 7200.
sub check_token_info {
    my ($res, $name) = @_;
    my $tb = _tb();
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @p = qw(data token_info);
    $tb->is_eq(jtype($res, @p), 'object', "$name: token_info is an object");
    $tb->is_eq(jtype($res, @p, 'access_token'), 'string', "$name: access_token is a string");
    $tb->is_eq(jtype($res, @p, 'token_type'), 'string', "$name: token_type is a string");
    $tb->is_eq(jtype($res, @p, 'expires_in'), 'integer', "$name: expires_in is an integer");
    my $ti = eval { decode_body($res)->{data}{token_info} } || {};
    $tb->like($ti->{access_token} // '', qr/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/, "$name: access_token is a JWT (eyJ...)");
    $tb->is_eq($ti->{token_type}, 'bearer', "$name: token_type bearer");
    $tb->is_eq($ti->{expires_in}, 7200, "$name: expires_in 7200");
    return $ti;
}

# ------------------------------------------------------------------ webhook sink

sub _notify_path { Apache::Test::vars('serverroot') . '/var/notify.log' }

# Every message the sink received, oldest first.
sub notify_log {
    open my $fh, '<:raw', _notify_path() or return ();
    my @m;
    while (my $line = <$fh>) {
        my $m = eval { JSON::PP->new->utf8->decode($line) };
        push @m, $m if ref $m eq 'HASH';
    }
    return @m;
}

sub notify_for {
    my ($to) = @_;
    return grep { defined $_->{to} && $_->{to} eq $to } notify_log();
}

# ------------------------------------------------------------------ structure

# parallel($n, sub { my $i = shift; ...; return $string }) runs the sub in $n
# forked children released at the same moment; returns their strings in
# order (undef for a child that died).
sub parallel {
    my ($n, $code) = @_;
    require POSIX;
    my $dir = File::Temp->newdir;
    pipe my $gate_r, my $gate_w or croak "pipe: $!";
    my @kids;
    for my $i (0 .. $n - 1) {
        my $pid = fork;
        croak "fork: $!" unless defined $pid;
        if (!$pid) {
            close $gate_w;
            sysread $gate_r, my $buf, 1;      # returns at EOF: when the parent closes
            my $out = eval { $code->($i) };
            $out = "died: $@" unless defined $out;
            if (open my $fh, '>', "$dir/$i") { print $fh $out; close $fh }
            POSIX::_exit(0);
        }
        push @kids, $pid;
    }
    close $gate_r;
    close $gate_w;
    waitpid $_, 0 for @kids;
    my @out;
    for my $i (0 .. $n - 1) {
        my $v;
        if (open my $fh, '<', "$dir/$i") { local $/; $v = <$fh> }
        push @out, $v;
    }
    return @out;
}

# scenario 'name' => sub { ... }: runs a group of assertions; if it dies (a
# helper croaked, the server closed the connection), that is one failure and
# the file goes on with the next scenario.
sub scenario {
    my ($name, $code) = @_;
    Test::More::note("--- $name");
    my $ok = eval { $code->(); 1 };
    unless ($ok) {
        my $err = $@ || 'unknown error';
        chomp $err;
        Test::More::fail("$name: died");
        Test::More::diag("$name: $err");
    }
    return $ok;
}

# ------------------------------------------------------------------ uploads

# Tiny real images (2x2, written by libgd), as raw bytes.
my %IMAGE = (
    png  => 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAACXBIWXMAAA7EAAAOxAGVKw4bAAAADUlEQVQImWP4z4AA/wEOAAH/Ggh7jgAAAABJRU5ErkJggg==',
    gif  => 'R0lGODdhAgACAJEAAAQCBPwCBAQC/AAAACwAAAAAAgACAAACAwwgBQA7',
    bmp  => 'Qk1CAAAAAAAAADYAAAAoAAAAAgAAAAIAAAABABgAAAAAAAwAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/wAAAAAAAP8AAAAAAA==',
    webp => 'UklGRj4AAABXRUJQVlA4IDIAAADwAQCdASoCAAIAAUAmJQBOl0AAYSDfcAAA/v6hfkDdWoKgs2m8W92Hy1R322YPoLQAAA==',
    jpg  => '/9j/4AAQSkZJRgABAQEAYABgAAD//gA7Q1JFQVRPUjogZ2QtanBlZyB2MS4wICh1c2luZyBJSkcgSlBFRyB2NjIpLCBxdWFsaXR5ID0gODAK/9sAQwAGBAUGBQQGBgUGBwcGCAoQCgoJCQoUDg8MEBcUGBgXFBYWGh0lHxobIxwWFiAsICMmJykqKRkfLTAtKDAlKCko/9sAQwEHBwcKCAoTCgoTKBoWGigoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo/8AAEQgAAgACAwEiAAIRAQMRAf/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/EAB8BAAMBAQEBAQEBAQEAAAAAAAABAgMEBQYHCAkKC//EALURAAIBAgQEAwQHBQQEAAECdwABAgMRBAUhMQYSQVEHYXETIjKBCBRCkaGxwQkjM1LwFWJy0QoWJDThJfEXGBkaJicoKSo1Njc4OTpDREVGR0hJSlNUVVZXWFlaY2RlZmdoaWpzdHV2d3h5eoKDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uLj5OXm5+jp6vLz9PX29/j5+v/aAAwDAQACEQMRAD8A+dIY0liSSVFeR1DMzDJYnqSaKKK/Q8P/AAoei/Iwr/xZer/M/9k=',
);

# image_bytes('png'|'jpg'|'gif'|'bmp'|'webp') -> the bytes of a real image.
sub image_bytes {
    my ($type) = @_;
    croak "image_bytes: unknown type $type" unless $IMAGE{$type};
    return MIME::Base64::decode_base64($IMAGE{$type});
}

# A valid PNG of exactly $n bytes (>= 111): the 2x2 image with a tEXt chunk
# of padding before IEND.
sub png_of_size {
    my ($n) = @_;
    require Compress::Zlib;
    my $png = image_bytes('png');
    my $len = $n - length($png) - 12;
    croak "png_of_size: $n is too small" if $len < 8;
    my $data = "Comment\0" . ('x' x ($len - 8));
    my $chunk = pack('N', $len) . 'tEXt' . $data . pack('N', Compress::Zlib::crc32("tEXt$data"));
    substr($png, -12, 0) = $chunk;
    return $png;
}

# multipart_body(@parts) -> ($content_type, $body). Each part is
#   [name => 'value']                                      a text field
#   {name => 'file', filename => 'a.png', content => $bytes, type => 'image/png'}
#   {raw => "Content-Disposition: ...\r\n\r\nbytes"}       headers + content as given
# Options as a leading hashref: {boundary => '...', tail => '--\r\n' (what
# follows the last delimiter; '' truncates the body)}.
sub multipart_body {
    my $o = (ref $_[0] eq 'HASH' && !exists $_[0]{name} && !exists $_[0]{raw}) ? shift : {};
    my @parts = @_;
    my $b = $o->{boundary} // ('----devplatTest' . join('', map { ('a'..'z', 0..9)[rand 36] } 1 .. 16));
    my $body = '';
    for my $p (@parts) {
        $body .= "--$b\r\n";
        if (ref $p eq 'ARRAY') {
            my ($name, $value) = @$p;
            $value = Encode::encode('UTF-8', $value) if Encode::is_utf8($value);
            $body .= qq{Content-Disposition: form-data; name="$name"\r\n\r\n$value\r\n};
        }
        elsif (exists $p->{raw}) {
            my $raw = $p->{raw};
            $raw = Encode::encode('UTF-8', $raw) if Encode::is_utf8($raw);
            $body .= "$raw\r\n";
        }
        else {
            my $fn = $p->{filename} // 'file.bin';
            $fn = Encode::encode('UTF-8', $fn) if Encode::is_utf8($fn);
            $body .= qq{Content-Disposition: form-data; name="$p->{name}"; filename="$fn"\r\n};
            $body .= "Content-Type: $p->{type}\r\n" if defined $p->{type};
            $body .= "\r\n" . ($p->{content} // '') . "\r\n";
        }
    }
    $body .= "--$b" . ($o->{tail} // "--\r\n");
    return ("multipart/form-data; boundary=$b", $body);
}

# upload_request($path, \@parts, %headers): POST a multipart body built by
# multipart_body(). A string instead of \@parts is sent as it is (give the
# Content-Type header yourself).
sub upload_request {
    my ($path, $parts, %h) = @_;
    my ($ct, $body) = ref $parts eq 'ARRAY' ? multipart_body(@$parts) : (undef, $parts);
    $h{'Content-Type'} = $ct if defined $ct && !exists $h{'Content-Type'};
    return json_request(POST => $path, $body, %h);
}

# curl_request($method, $path, \@curl_args, %headers) -> ($res, $json): runs
# the curl command line tool (as a real client encodes a form: -F) and
# returns its answer as an HTTP::Response.
sub curl_request {
    my ($method, $path, $args, %h) = @_;
    my $dir = File::Temp->newdir;
    $h{'X-Forwarded-For'} = client_ip() unless exists $h{'X-Forwarded-For'};
    my @cmd = ('curl', '-s', '-S', '--max-time', '60', '-X', $method, '-D', "$dir/h", '-o', "$dir/b",
               (map { ('-H', "$_: $h{$_}") } grep { defined $h{$_} } sort keys %h),
               @$args, api_url($path));
    system(@cmd) == 0 or croak "curl failed ($?): @cmd";
    open my $hf, '<:raw', "$dir/h" or croak "$dir/h: $!";
    my $head = do { local $/; <$hf> };
    # the last response (after any 100 Continue)
    my @heads = grep { /\S/ } split /\r\n\r\n/, $head;
    open my $bf, '<:raw', "$dir/b" or croak "$dir/b: $!";
    my $body = do { local $/; <$bf> } // '';
    my $res = HTTP::Response->parse($heads[-1] . "\r\n\r\n" . $body);
    my $ct = $h{'Content-Type'} // ((grep { $_ eq '-F' || $_ eq '--form' } @$args) ? 'multipart/form-data' : '');
    record_exchange($method, api_url($path), $res, via => 'curl', request_content_type => $ct);
    return wantarray ? ($res, decode_body($res)) : $res;
}

# GET of any path (a stored file) with the test user agent.
sub http_get {
    my ($path, %h) = @_;
    my $req = HTTP::Request->new(GET => api_url($path));
    $req->header($_ => $h{$_}) for keys %h;
    my $res = _ua()->request($req);
    record_exchange(GET => $req->uri, $res, via => 'get');
    return $res;
}

sub storage_dir { Apache::Test::vars('serverroot') . '/var/storage' }

# Every file below the storage directory (relative paths, sorted).
sub storage_files {
    my $root = storage_dir();
    my @out;
    my @dirs = ($root);
    while (my $d = shift @dirs) {
        opendir my $dh, $d or next;
        for my $e (readdir $dh) {
            next if $e eq '.' || $e eq '..';
            my $p = "$d/$e";
            if (-d $p) { push @dirs, $p }
            else       { push @out, substr($p, length($root) + 1) }
        }
    }
    return sort @out;
}

# Temporary files of uploads (none may be left once a request is over).
sub storage_leftovers { grep { m{(^|/)\.upload-} } storage_files() }

# raw_pieces(\@pieces, pause => 0.2, hangup => 0) sends a raw request in
# separate writes with a pause between them (so that the server reads them
# separately: a multipart delimiter split across reads). HOSTPORT is
# replaced as in raw_request(). With hangup => 1 the connection is closed
# after the last piece without waiting for an answer (a client that goes
# away mid-upload); returns nothing then.
sub raw_pieces {
    my ($pieces, %o) = @_;
    require Socket;
    my $hostport = Apache::TestRequest::hostport();
    my ($host, $port) = split /:/, $hostport;
    $host = '127.0.0.1' if $host eq 'localhost';
    my $sock = IO::Socket::INET->new(PeerAddr => $host, PeerPort => $port, Timeout => 30)
        or croak "connect $hostport: $!";
    binmode $sock;
    setsockopt($sock, Socket::IPPROTO_TCP(), Socket::TCP_NODELAY(), 1);
    my $pause = $o{pause} // 0.2;
    my $first = 1;
    for my $piece (@$pieces) {
        select(undef, undef, undef, $pause) unless $first;
        $first = 0;
        (my $bytes = $piece) =~ s/\bHOSTPORT\b/$hostport/g;
        my $off = 0;
        while ($off < length $bytes) {
            my $n = syswrite $sock, $bytes, length($bytes) - $off, $off;
            croak "raw_pieces: write: $!" unless defined $n;
            $off += $n;
        }
    }
    if ($o{hangup}) {
        close $sock;
        return;
    }
    my $answer = '';
    local $SIG{ALRM} = sub { die "raw_pieces: timeout\n" };
    alarm 60;
    while (1) {
        my $n = sysread $sock, my $buf, 65536;
        last unless $n;
        $answer .= $buf;
    }
    alarm 0;
    close $sock;
    my $res = HTTP::Response->parse($answer);
    my ($rm, $rt) = _raw_target(join '', @$pieces);
    record_exchange($rm, "http://$hostport$rt", $res, via => 'raw',
                    request_content_type => _raw_content_type(join '', @$pieces));
    return wantarray ? ($res, decode_body($res)) : $res;
}

# error_log_wait(qr/.../, since => $offset, timeout => 20): waits until a
# line of the server's error log (after byte $offset: take -s of the log
# before the request) matches; returns that line (undef after the timeout).
sub error_log_wait {
    my ($re, %o) = @_;
    my $log = Apache::Test::vars('t_logs') . '/error_log';
    my $until = time + ($o{timeout} // 20);
    while (1) {
        if (open my $fh, '<:raw', $log) {
            seek $fh, $o{since} // 0, 0;
            while (my $line = <$fh>) {
                return $line if $line =~ $re;
            }
        }
        return undef if time > $until;
        select(undef, undef, undef, 0.1);
    }
}

# upload_picture($token, 'avatar'|'licensed-photo'|'award-picture', type => 'png')
# uploads a small image through the developer API; returns its data.path.
my %UPLOAD_PATH = (
    'avatar'         => '/api/user/base/upload/avatar',
    'licensed-photo' => '/api/user/authenticate/upload/licensed-photo',
    'award-picture'  => '/api/user/authenticate/upload/award-prove',
);
sub upload_picture {
    my ($token, $kind, %o) = @_;
    my $type = $o{type} // 'png';
    my $path = $UPLOAD_PATH{$kind} or croak "upload_picture: unknown kind $kind";
    my ($res, $json) = upload_request($path, [{ name => 'file', filename => "p.$type",
                                                content => image_bytes($type) }], auth($token));
    my $p = eval { $json->{data}{path} };
    croak "upload $kind: " . _describe($res) unless $res->code == 200 && defined $p;
    return $p;
}

1;
