# Uploads: POST /api/user/base/upload/avatar (and the two other upload
# endpoints), the upload machinery behind them (streaming multipart, magic
# byte typing, limits, temporary files) and the files served back.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp ();
use Devplat::Test;

client_net(30);

my $AVATAR  = '/api/user/base/upload/avatar';
my $LICENSE = '/api/user/authenticate/upload/licensed-photo';
my $AWARD   = '/api/user/authenticate/upload/award-prove';

my $u = eval { register_user() };
my $token = $u ? eval { login($u->{username}, $u->{password}) } : undef;

sub file_part { my (%o) = @_; return { name => 'file', filename => 'a.png', type => 'image/png', content => image_bytes('png'), %o } }
sub upload { my ($path, $parts, %h) = @_; return upload_request($path, $parts, auth($token), %h) }
sub files_count { db_value('SELECT count(*) FROM files') }

# What a failed upload must leave: no new row, no new file, no temporary file.
sub nothing_left {
    my ($name, $rows, $files) = @_;
    is files_count(), $rows, "$name: no files row";
    is scalar(storage_files()), $files, "$name: no file stored";
    is_deeply [storage_leftovers()], [], "$name: no temporary file left";
}

# The documented success body of an upload.
sub check_upload {
    my ($res, $name, %want) = @_;
    my $json = check_ok($res, $name);
    my %type = (name => 'string', type => 'string', path => 'string', size => 'integer',
                request_ip => 'string', created_at => 'string', updated_at => 'string');
    for my $f (sort keys %type) {
        is jtype($res, 'data', $f), $type{$f}, "$name: data.$f is $type{$f}";
    }
    my $d = ref $json->{data} eq 'HASH' ? $json->{data} : {};
    like $d->{created_at} // '', DATETIME_RE, "$name: created_at format";
    is $d->{updated_at}, $d->{created_at}, "$name: updated_at = created_at";
    is $d->{request_ip}, client_ip(), "$name: request_ip is the client's (mod_remoteip)";
    for my $f (sort keys %want) {
        if (ref $want{$f}) { like $d->{$f} // '', $want{$f}, "$name: $f" }
        else               { is $d->{$f}, $want{$f}, "$name: $f = $want{$f}" }
    }
    return $d;
}

sub stored_bytes {
    my ($path) = @_;
    (my $rel = $path) =~ s{^/storage/}{};
    open my $fh, '<:raw', storage_dir() . "/$rel" or return undef;
    local $/;
    return scalar <$fh>;
}

scenario 'upload an avatar (PNG): the documented body, the file, the row' => sub {
    die "no user/token\n" unless $token;
    my $png = image_bytes('png');
    my ($res, $json) = upload($AVATAR, [file_part(filename => 'me.png')]);
    my $d = check_upload($res, 'avatar', name => 'me.png', type => 'avatar', size => 1,
                         path => qr{^/storage/avatar/[0-9a-f]{32}\.png$});
    is stored_bytes($d->{path}), $png, 'the stored file holds the bytes sent';
    (my $rel = $d->{path}) =~ s{^/storage/}{};
    my ($row) = db_rows('SELECT * FROM files WHERE stored_path = ' . sql_quote($rel));
    ok $row, 'a files row';
    is $row->{user_id}, $u->{id}, 'files.user_id is the uploader';
    is $row->{kind}, 'avatar', 'files.kind';
    is $row->{original_name}, 'me.png', 'files.original_name';
    is $row->{size}, length $png, 'files.size in bytes';
    is $row->{mime_type}, 'image/png', 'files.mime_type from the magic bytes';
    is $row->{client_ip}, client_ip(), 'files.client_ip';
    like $row->{created_at}, DATETIME_RE, 'files.created_at';
    is_deeply [storage_leftovers()], [], 'no temporary file left';
};

scenario 'every image type; each is served back with its type and nosniff' => sub {
    die "no token\n" unless $token;
    my %mime = (png => 'image/png', jpg => 'image/jpeg', gif => 'image/gif',
                bmp => 'image/bmp', webp => 'image/webp');
    for my $t (sort keys %mime) {
        my $bytes = image_bytes($t);
        # the client's name and Content-Type are not what decides
        my ($res) = upload($AVATAR, [file_part(filename => "pic.dat", type => 'application/octet-stream',
                                               content => $bytes)]);
        my $d = check_upload($res, "upload $t", path => qr{^/storage/avatar/[0-9a-f]{32}\.$t$},
                             name => 'pic.dat');
        next unless $d->{path};
        my $get = http_get($d->{path});
        is $get->code, 200, "$t: served by httpd";
        is $get->header('Content-Type'), $mime{$t}, "$t: Content-Type $mime{$t}";
        is $get->header('X-Content-Type-Options'), 'nosniff', "$t: X-Content-Type-Options nosniff";
        is $get->content, $bytes, "$t: the same bytes come back";
    }
};

scenario 'the three upload endpoints store their own kinds' => sub {
    die "no token\n" unless $token;
    my %kind = ($AVATAR => 'avatar', $LICENSE => 'licensed-photo', $AWARD => 'award-picture');
    for my $path (sort keys %kind) {
        my ($res) = upload($path, [file_part(content => image_bytes('jpg'), filename => 'x.jpg')]);
        check_upload($res, $path, type => $kind{$path},
                     path => qr{^/storage/\Q$kind{$path}\E/[0-9a-f]{32}\.jpg$});
    }
};

scenario 'curl -F: a real client encodes the form' => sub {
    die "no token\n" unless $token;
    my $dir = File::Temp->newdir;
    my $f = "$dir/photo.png";
    open my $fh, '>:raw', $f or die $!;
    print $fh png_of_size(5000);
    close $fh;
    my ($res) = curl_request(POST => $AVATAR, ['-F', "file=\@$f"], auth($token));
    check_upload($res, 'curl -F file=@photo.png', name => 'photo.png', size => 5);
    ($res) = curl_request(POST => $AVATAR, ['-F', "file=\@$f;type=image/png;filename=../../头像.png"], auth($token));
    check_upload($res, 'curl: ../ and a Chinese file name', name => '头像.png');
    ($res) = curl_request(POST => $AVATAR, ['-F', "file=\@$f;filename=C:\\Users\\me\\证件照.png"], auth($token));
    check_upload($res, 'curl: a Windows path', name => '证件照.png');
    ($res) = curl_request(POST => $AVATAR, ['-F', "file=\@$f", '-H', 'Transfer-Encoding: chunked'], auth($token));
    check_upload($res, 'curl: chunked', size => 5);
    ($res) = curl_request(POST => $AVATAR, ['-F', "file=\@$f", '-H', 'Expect: 100-continue'], auth($token));
    check_upload($res, 'curl: Expect 100-continue');
    ($res) = curl_request(POST => $AVATAR, ['-F', 'file=hello'], auth($token));
    check_error($res, 422, name => 'curl -F file=hello (a text value)', field => 'file');
    ($res) = curl_request(POST => $AVATAR, ['-F', "other=\@$f"], auth($token));
    check_error($res, 422, name => 'curl: the file in another field', field => ['other', 'file']);
};

scenario 'file names: path parts removed, non-ASCII kept, stored name random' => sub {
    die "no token\n" unless $token;
    my %names = ('../../../etc/passwd.png' => 'passwd.png', '..\\..\\boot.ini.png' => 'boot.ini.png',
                 '头像 (1).png' => '头像 (1).png', "a\x{7f}b.png" => 'a_b.png');
    for my $sent (sort keys %names) {
        my ($res) = upload($AVATAR, [file_part(filename => $sent)]);
        my $d = check_upload($res, "filename $sent", name => $names{$sent},
                             path => qr{^/storage/avatar/[0-9a-f]{32}\.png$});
    }
    my ($res) = upload($AVATAR, [file_part(filename => '..')]);
    my $d = check_upload($res, 'filename ..');
    like $d->{name} // '', qr/^[0-9a-f]{32}\.png$/, 'a name that is no name: the stored one';
    # the raw bytes of a GBK name are not UTF-8: kept as metadata, made safe
    my ($ct, $body) = multipart_body({ raw => qq{Content-Disposition: form-data; name="file"; filename="\xb2\xe2\xca\xd4.png"\r\n\r\n} . image_bytes('png') });
    ($res) = upload($AVATAR, $body, 'Content-Type' => $ct);
    check_upload($res, 'a GBK file name', name => '____.png');
};

scenario 'no token, a bad token: 401, nothing stored' => sub {
    my ($rows, $files) = (files_count(), scalar storage_files());
    my ($res) = upload_request($AVATAR, [file_part()]);
    check_401($res, 'no token');
    ($res) = upload_request($AVATAR, [file_part()], auth('eyJhbGciOiJIUzI1NiJ9.e30.x'));
    check_401($res, 'forged token');
    nothing_left('401', $rows, $files);
};

scenario 'refused files: 422 naming the field, nothing stored' => sub {
    die "no token\n" unless $token;
    my ($rows, $files) = (files_count(), scalar storage_files());
    my $svg = qq{<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>\n};
    my %bad = (
        'a text file named .png' => [file_part(content => "just text, not an image\n" x 20, filename => 'a.png')],
        'an SVG'                 => [file_part(content => $svg, filename => 'a.svg', type => 'image/svg+xml')],
        'an SVG named .png'      => [file_part(content => $svg, filename => 'a.png')],
        'HTML named .gif'        => [file_part(content => '<html><script>alert(1)</script></html>', filename => 'x.gif', type => 'image/gif')],
        'a PNG signature alone'  => [file_part(content => "\x89PNG\r\n\x1a\n")],
        'a zero-byte file'       => [file_part(content => '')],
        'no file field'          => [[nickname => 'abc']],
        'no parts at all'        => [],
        'file as a text value'   => [[file => 'not a file']],
        'two files'              => [file_part(), file_part()],
        'the file in another field' => [{ %{ file_part() }, name => 'image' }],
        'an empty browser file input' => [file_part(content => '', filename => '')],
    );
    for my $what (sort keys %bad) {
        my ($res) = upload($AVATAR, $bad{$what});
        check_error($res, 422, name => $what, field => ['file', 'image']);
    }
    my ($res, $json) = upload($AVATAR, $bad{'an SVG'});
    like $json->{message}, qr/PNG.*JPEG.*GIF.*BMP.*WebP/, 'the message lists the image types';
    ($res, $json) = upload($AVATAR, $bad{'no file field'});
    is $json->{message}, '文件不能为空', 'a missing file: 文件不能为空';
    nothing_left('refused files', $rows, $files);
};

scenario 'bodies that are not a multipart form: 422, nothing stored' => sub {
    die "no token\n" unless $token;
    my ($rows, $files) = (files_count(), scalar storage_files());
    my ($res) = json_request(POST => $AVATAR, { file => 'x.png' }, auth($token));
    check_error($res, 422, name => 'a JSON body', field => 'file');
    ($res) = json_request(POST => $AVATAR, undef, auth($token));
    check_error($res, 422, name => 'no body', field => 'file');
    ($res) = json_request(POST => $AVATAR, image_bytes('png'), auth($token), 'Content-Type' => 'image/png');
    check_error($res, 422, name => 'a bare PNG body', field => 'file');
    ($res) = json_request(POST => $AVATAR, 'x', auth($token), 'Content-Type' => 'multipart/form-data');
    check_error($res, 422, name => 'multipart without a boundary');
    my ($ct, $body) = multipart_body(file_part());
    ($res) = json_request(POST => $AVATAR, $body, auth($token), 'Content-Type' => 'multipart/form-data; boundary=other');
    check_error($res, 422, name => 'another boundary than the body\'s', message => '表单格式有误');
    ($res) = json_request(POST => $AVATAR, $body, auth($token), 'Content-Type' => 'multipart/mixed; boundary=x');
    check_error($res, 422, name => 'multipart/mixed', field => 'file');
    nothing_left('not multipart', $rows, $files);
};

scenario 'truncated and broken multipart bodies: 422, nothing stored' => sub {
    die "no token\n" unless $token;
    my ($rows, $files) = (files_count(), scalar storage_files());
    my $png = png_of_size(20000);
    my ($ct, $body) = multipart_body({ tail => '' }, file_part(content => $png));
    my ($res, $json) = upload($AVATAR, $body, 'Content-Type' => $ct);
    check_error($res, 422, name => 'no close delimiter', message => '表单格式有误');
    ($ct, $body) = multipart_body(file_part(content => $png));
    my $cut = substr($body, 0, length($body) - 5000);
    ($res) = upload($AVATAR, $cut, 'Content-Type' => $ct);
    check_error($res, 422, name => 'the body cut inside the file', message => '表单格式有误');
    ($ct, $body) = multipart_body({ raw => qq{Content-Disposition: form-data; name="file"; filename="a.png"\r\nbroken header line\r\n\r\n} . image_bytes('png') });
    ($res) = upload($AVATAR, $body, 'Content-Type' => $ct);
    check_error($res, 422, name => 'a header line without a colon', message => '表单格式有误');
    ($ct, $body) = multipart_body({ raw => qq{Content-Disposition: form-data; name="file"; name="x"; filename="a.png"\r\n\r\n} . image_bytes('png') });
    ($res) = upload($AVATAR, $body, 'Content-Type' => $ct);
    check_error($res, 422, name => 'name given twice', message => '表单格式有误');
    ($ct, $body) = multipart_body([a => 'b']);
    ($res) = upload($AVATAR, "$body" . ('--' x 10) . "\r\n", 'Content-Type' => $ct);
    is $res->code, 422, 'an epilogue after the close delimiter is ignored (the form still lacks the file)';
    nothing_left('broken bodies', $rows, $files);
};

scenario 'text fields of a form: checked even when unused' => sub {
    die "no token\n" unless $token;
    my ($rows, $files) = (files_count(), scalar storage_files());
    my ($res) = upload($AVATAR, [[note => "ab\xC3\x28"], file_part()]);
    check_error($res, 422, name => 'a text field that is not UTF-8');
    ($res) = upload($AVATAR, [[note => 'x' x (70 * 1024)], file_part()]);
    check_error($res, 413, name => 'text fields over 64 KiB');
    ($res) = upload($AVATAR, [(map { ["f$_" => 'v'] } 1 .. 40), file_part()]);
    check_error($res, 413, name => 'more than 32 parts');
    nothing_left('text fields', $rows, $files);
    ($res) = upload($AVATAR, [[note => '头像说明'], [note2 => ''], file_part()]);
    check_upload($res, 'valid text fields beside the file');
};

scenario 'size limits: DevplatUploadMaxSize, per location, and LimitRequestBody' => sub {
    die "no token\n" unless $token;
    my ($res, $json) = upload($AVATAR, [file_part(content => png_of_size(2097152))]);
    check_upload($res, 'exactly 2 MiB (the default limit)', size => 2048);
    my ($rows, $files) = (files_count(), scalar storage_files());
    ($res, $json) = upload($AVATAR, [file_part(content => png_of_size(2097153))]);
    check_error($res, 422, name => '2 MiB + 1 byte', field => 'file', message => '文件大小不能超过2048KB');
    ($res) = upload($AVATAR, [file_part(content => png_of_size(6 * 1024 * 1024))]);
    check_error($res, 422, name => '6 MiB (refused unread by its Content-Length)', field => 'file');
    # DevplatUploadMaxSize 102400 in <Location .../award-prove>
    ($res) = upload($AWARD, [file_part(content => png_of_size(102400))]);
    check_upload($res, '100 KiB where the limit is 100 KiB', size => 100);
    $rows = files_count();
    $files = scalar storage_files();
    ($res) = upload($AWARD, [file_part(content => png_of_size(102401))]);
    check_error($res, 422, name => 'over a per-location limit', field => 'file', message => '文件大小不能超过100KB');
    # LimitRequestBody 1048576 in <Location .../licensed-photo>: httpd's own limit
    ($res) = upload($LICENSE, [file_part(content => png_of_size(1500 * 1024))]);
    is $res->code, 413, 'over LimitRequestBody: httpd\'s own 413';
    nothing_left('over the limits', $rows, $files);
};

# A raw HTTP request for the avatar endpoint with the given body.
sub raw_head {
    my (%h) = @_;
    my $ip = client_ip();
    my $head = "POST $AVATAR HTTP/1.1\r\nHost: HOSTPORT\r\nAuthorization: Bearer $token\r\n"
             . "X-Forwarded-For: $ip\r\nConnection: close\r\n";
    $head .= "$_: $h{$_}\r\n" for sort keys %h;
    return "$head\r\n";
}

scenario 'a chunked upload, chunks cut inside the delimiters' => sub {
    die "no token\n" unless $token;
    my $png = png_of_size(30000);
    my ($ct, $body) = multipart_body([note => 'chunked'], file_part(content => $png, filename => 'c.png'));
    my $chunks = '';
    for (my $i = 0; $i < length $body; $i += 7) {
        my $c = substr $body, $i, 7;
        $chunks .= sprintf("%x\r\n%s\r\n", length $c, $c);
    }
    my ($res) = raw_request(raw_head('Content-Type' => $ct, 'Transfer-Encoding' => 'chunked') . "${chunks}0\r\n\r\n");
    my $d = check_upload($res, 'chunked upload', name => 'c.png', size => 30);
    is stored_bytes($d->{path} // ''), $png, 'the chunked file arrived whole';

    my ($rows, $files) = (files_count(), scalar storage_files());
    ($ct, $body) = multipart_body(file_part(content => png_of_size(2 * 1024 * 1024 + 10)));
    $chunks = '';
    for (my $i = 0; $i < length $body; $i += 65536) {
        my $c = substr $body, $i, 65536;
        $chunks .= sprintf("%x\r\n%s\r\n", length $c, $c);
    }
    ($res) = raw_request(raw_head('Content-Type' => $ct, 'Transfer-Encoding' => 'chunked') . "${chunks}0\r\n\r\n");
    check_error($res, 422, name => 'a chunked upload over the limit (no Content-Length)', field => 'file');
    ($res) = raw_request(raw_head('Content-Type' => $ct, 'Transfer-Encoding' => 'chunked') . "zz\r\nabc\r\n0\r\n\r\n");
    ok $res->code >= 400, 'a broken chunked body is refused (' . $res->code . ')';
    nothing_left('chunked', $rows, $files);
};

scenario 'a delimiter split across reads' => sub {
    die "no token\n" unless $token;
    my $png = png_of_size(4000);
    my ($ct, $body) = multipart_body([note => 'split'], file_part(content => $png, filename => 's.png'));
    my $head = raw_head('Content-Type' => $ct, 'Content-Length' => length $body);
    # cut in the middle of every delimiter: "...\r\n--bou" | "ndary..."
    my @pieces = ($head);
    my $rest = $body;
    while ($rest =~ /^(.*?\r\n------devplatTest)(.*)$/s) {
        push @pieces, $1;
        $rest = $2;
    }
    push @pieces, $rest;
    ok @pieces >= 4, 'the body goes in ' . scalar(@pieces) . ' writes';
    my ($res) = raw_pieces(\@pieces, pause => 0.2);
    my $d = check_upload($res, 'split delimiters', name => 's.png', size => 4);
    is stored_bytes($d->{path} // ''), $png, 'the file arrived whole';
};

scenario 'a client that disconnects mid-upload: no file, no row' => sub {
    die "no token\n" unless $token;
    my ($rows, $files) = (files_count(), scalar storage_files());
    my $png = png_of_size(300000);
    my ($ct, $body) = multipart_body(file_part(content => $png));
    client_net(31);     # a client address of its own, to find its log line
    my $ip = client_ip();
    my $head = raw_head('Content-Type' => $ct, 'Content-Length' => length $body);
    my $since = -s (Apache::Test::vars('t_logs') . '/error_log') // 0;
    raw_pieces([$head . substr($body, 0, 150000)], hangup => 1);
    my $line = error_log_wait(qr/\Q[client $ip\E:.*upload aborted after \d+ bytes/, since => $since);
    ok $line, 'the server saw the upload break off' or diag 'no "upload aborted" line for ' . $ip;
    like $line // '', qr/aborted after [1-9]\d* bytes/, 'after part of the file had been written';
    nothing_left('disconnect', $rows, $files);
    client_net(30);
};

scenario 'storage that cannot be written: 500 数据有误, nothing left' => sub {
    die "no token\n" unless $token;
    my $dir = storage_dir() . '/licensed-photo';
    mkdir $dir;
    rename $dir, "$dir.away" or die "rename $dir: $!";
    open my $fh, '>', $dir or die "$dir: $!";     # a file where the directory should be
    close $fh;
    my ($rows, $files) = (files_count(), scalar storage_files());
    my ($res) = upload($LICENSE, [file_part()]);
    check_error($res, 500, name => 'the kind directory is a file', message => '数据有误');
    nothing_left('unwritable storage', $rows, $files);
    unlink $dir;
    rename "$dir.away", $dir or die "rename back: $!";
    ($res) = upload($LICENSE, [file_part()]);
    check_upload($res, 'writable again');
};

# A trigger that refuses one file name, in the engine's own dialect.
sub refuse_name_trigger {
    my ($on) = @_;
    my %create = (
        sqlite => q{CREATE TRIGGER files_refuse BEFORE INSERT ON files WHEN NEW.original_name = 'refuse-me.png'
                    BEGIN SELECT RAISE(ABORT, 'refused by the test'); END},
        pgsql  => q{CREATE FUNCTION files_refuse() RETURNS trigger AS $$ BEGIN
                    IF NEW.original_name = 'refuse-me.png' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                    RETURN NEW; END $$ LANGUAGE plpgsql;
                    CREATE TRIGGER files_refuse BEFORE INSERT ON files FOR EACH ROW EXECUTE FUNCTION files_refuse()},
        mysql  => qq{DELIMITER //\nCREATE TRIGGER files_refuse BEFORE INSERT ON files FOR EACH ROW
                    IF NEW.original_name = 'refuse-me.png' THEN
                    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test'; END IF //\nDELIMITER },
    );
    my %drop = (sqlite => 'DROP TRIGGER files_refuse',
                pgsql  => 'DROP TRIGGER files_refuse ON files; DROP FUNCTION files_refuse()',
                mysql  => 'DROP TRIGGER files_refuse');
    db($on ? $create{engine()} : $drop{engine()});
}

# Not on SQLite: a schema change under a running httpd leaves every pooled
# apr_dbd_sqlite3 connection failing (its statements are never prepared
# again). The path is the same C code on every engine.
if (engine() ne 'sqlite') {
scenario 'the files row cannot be written: 500, the renamed file removed again' => sub {
    die "no token\n" unless $token;
    refuse_name_trigger(1);
    my ($rows, $files) = (files_count(), scalar storage_files());
    my ($res) = upload($AVATAR, [file_part(filename => 'refuse-me.png')]);
    check_error($res, 500, name => 'insert refused', message => '数据有误');
    nothing_left('refused insert', $rows, $files);
    refuse_name_trigger(0);
    ($res) = upload($AVATAR, [file_part(filename => 'refuse-me.png')]);
    check_upload($res, 'the same upload once the trigger is gone', name => 'refuse-me.png');
};
}

scenario 'another user\'s token stores the file as theirs' => sub {
    my $v = register_user();
    my $t = login($v->{username}, $v->{password});
    my ($res, $json) = upload_request($AVATAR, [file_part()], auth($t));
    my $d = check_upload($res, 'second user');
    (my $rel = ($d->{path} // '')) =~ s{^/storage/}{};
    is db_value('SELECT user_id FROM files WHERE stored_path = ' . sql_quote($rel)), $v->{id},
        'the row belongs to the uploader';
};

scenario 'stored files only: directories, temporary names, missing files' => sub {
    my $res = http_get('/storage/avatar/');
    ok $res->code == 403 || $res->code == 404, 'no directory listing (' . $res->code . ')';
    $res = http_get('/storage/avatar/' . ('0' x 32) . '.png');
    is $res->code, 404, 'a file that does not exist: 404';
    is $res->header('X-Content-Type-Options'), 'nosniff', 'nosniff on errors too';
    open my $fh, '>', storage_dir() . '/.upload-test' or die $!;
    print $fh '<html>';
    close $fh;
    $res = http_get('/storage/.upload-test');
    is $res->code, 403, 'temporary files are never served';
    unlink storage_dir() . '/.upload-test';
};

scenario 'GET on an upload endpoint: 405 with Allow' => sub {
    my ($res) = json_request(GET => $AVATAR, undef, auth($token // 'x'));
    check_error($res, 405, name => 'GET upload');
    is $res->header('Allow'), 'POST', 'Allow: POST';
};

done_testing;
