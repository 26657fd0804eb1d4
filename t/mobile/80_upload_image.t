# POST /Api/User/upload_image/token/<t>: multipart field "file" -> data.path.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp ();
use Devplat::Test;
use Devplat::Mobile;

client_net(68);

my $u = eval { mregister() };

sub files_of { my ($id) = @_; return db_value("SELECT count(*) FROM files WHERE user_id = $id") }

sub up {
    my ($parts, %h) = @_;
    my $path = delete $h{path} // "upload_image/token/$u->{token}";
    return upload_request(mpath($path), $parts, %h);
}

sub file_part {
    my (%o) = @_;
    return { name => 'file', filename => $o{filename} // 'photo.png',
             content => $o{content} // image_bytes('png'), type => $o{type} // 'image/png' };
}

# Refused uploads leave no file, no row and no temporary file behind.
sub nothing_stored {
    my ($name, $rows, $files) = @_;
    is files_of($u->{id}), $rows, "$name: no files row";
    is scalar(storage_files()), $files, "$name: no file stored";
    is_deeply [storage_leftovers()], [], "$name: no temporary file left";
}

scenario 'upload a PNG: 上传成功 and the stored path' => sub {
    die "no user\n" unless $u;
    my $before = files_of($u->{id});
    my ($res, $json) = up([file_part(filename => '头像.png')]);
    check_mok($res, 'upload_image', info => '上传成功');
    is jtype($res, 'data'), 'object', 'data is an object';
    is join(',', sort keys %{ $json->{data} || {} }), 'path', 'data: path';
    is jtype($res, qw(data path)), 'string', 'path is a string';
    my $path = $json->{data}{path} // '';
    like $path, qr{^/storage/image/[0-9a-f]{32}\.png$}, 'a random name below /storage/image/';
    is files_of($u->{id}), $before + 1, 'one files row';
    my ($row) = db_rows('SELECT * FROM files WHERE stored_path = ' . sql_quote($path =~ s{^/storage/}{}r));
    is $row->{user_id}, $u->{id}, 'owned by the user';
    is $row->{kind}, 'image', 'kind image';
    is $row->{original_name}, '头像.png', 'the client name kept as metadata';
    is $row->{mime_type}, 'image/png', 'typed image/png';
    ok -f storage_dir() . ($path =~ s{^/storage}{}r), 'the file is in DevplatStorageDir';
    my $get = http_get($path);
    is $get->code, 200, 'httpd serves it';
    is $get->header('Content-Type'), 'image/png', 'as image/png';
    is $get->header('X-Content-Type-Options'), 'nosniff', 'never sniffed';
    is $get->content, image_bytes('png'), 'the same bytes';
};

scenario 'every image type, by its bytes, not its name' => sub {
    die "no user\n" unless $u;
    for my $t (qw(jpg gif bmp webp)) {
        my ($res, $json) = up([file_part(filename => 'x.png', type => 'image/png', content => image_bytes($t))]);
        check_mok($res, "a $t named x.png", info => '上传成功');
        like $json->{data}{path} // '', qr{^/storage/image/[0-9a-f]{32}\.$t$}, "stored as .$t";
    }
};

scenario 'curl -F, ?token= and Authorization' => sub {
    die "no user\n" unless $u;
    my $dir = File::Temp->newdir;
    open my $fh, '>:raw', "$dir/p.png" or die $!;
    print $fh image_bytes('png');
    close $fh;
    my ($res, $json) = curl_request(POST => mpath("upload_image?token=$u->{token}"), ['-F', "file=\@$dir/p.png"]);
    check_mok($res, 'curl -F with ?token=', info => '上传成功');
    like $json->{data}{path} // '', qr{^/storage/image/}, 'a path';
    ($res) = up([file_part()], path => 'upload_image', auth($u->{token}));
    check_mok($res, 'Authorization: Bearer');
};

scenario 'no token or a bad one: 999 before the body is read' => sub {
    die "no user\n" unless $u;
    my ($rows, $files) = (files_of($u->{id}), scalar storage_files());
    check_mfail(scalar up([file_part()], path => 'upload_image'), 999, name => 'no token', info => '用户未登录');
    check_mfail(scalar up([file_part()], path => 'upload_image/token/abc'), 999, name => 'garbage token');
    check_mfail(scalar up([['token', $u->{token}], file_part()], path => 'upload_image'), 999,
                name => 'a token in a form field does not count for uploads');
    nothing_stored('refused', $rows, $files);
};

scenario 'no file: 997; wrong files and bodies: 1006' => sub {
    die "no user\n" unless $u;
    my ($rows, $files) = (files_of($u->{id}), scalar storage_files());
    check_mfail(scalar up([['note', 'x']]), 997, name => 'no file field', info => '图片不能为空');
    check_mfail(scalar up([{ %{ file_part() }, name => 'picture' }]), 1006, name => 'the file in another field');
    check_mfail(scalar up([file_part(content => '')]), 1006, name => 'an empty file');
    check_mfail(scalar up([file_part(content => "just text\n", filename => 'a.png')]), 1006, name => 'text named .png');
    check_mfail(scalar up([file_part(content => '<svg xmlns="http://www.w3.org/2000/svg"/>', filename => 'a.svg',
                                     type => 'image/svg+xml')]), 1006, name => 'an SVG');
    check_mfail(scalar up([['file', 'not a file']]), 1006, name => 'a text value in the file field');
    check_mfail(scalar up([file_part(), file_part()]), 1006, name => 'two files');
    check_mfail(scalar up(form_body(file => 'x'), 'Content-Type' => 'application/x-www-form-urlencoded'), 1006,
                name => 'not multipart');
    my ($ct, $body) = multipart_body({ tail => '' }, file_part());
    check_mfail(scalar up($body, 'Content-Type' => $ct), 1006, name => 'a truncated body');
    check_mfail(scalar up([file_part(content => png_of_size(2097153))]), 1006, name => 'over DevplatUploadMaxSize');
    nothing_stored('refused', $rows, $files);
    check_mok(scalar up([file_part(content => png_of_size(2097152))]), 'exactly DevplatUploadMaxSize');
};

scenario 'the database refuses the files row: 998, nothing left on disk' => sub {
    die "no user\n" unless $u;
    my ($rows, $files) = (files_of($u->{id}), scalar storage_files());
    my ($res) = with_fault('files.insert', { user_id => $u->{id} }, sub { up([file_part()]) });
    check_mfail($res, 998, name => 'refused', info => '图片上传失败');
    nothing_stored('refused', $rows, $files);
};

scenario 'the uploaded path is what uploadPortrait takes' => sub {
    die "no user\n" unless $u;
    my $path = mupload($u->{token}, 'jpg');
    check_mok(scalar mform(POST => "uploadPortrait/token/$u->{token}", { portrait => $path }), 'uploadPortrait');
    my (undef, $json) = mget("get_user_details?token=$u->{token}");
    is $json->{data}{portrait}, $path, 'the portrait';
};

done_testing;
