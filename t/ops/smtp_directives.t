# DevplatSmtpServer, DevplatSmtpFrom and DevplatSmtpAuthFile are checked
# when httpd reads them: a bad one stops httpd at startup (httpd -t here)
# with a message that names the directive; the credentials file's content
# never appears in a message. DevplatSmtpServer without DevplatSmtpFrom
# stops httpd when it starts (post_config, which httpd -t does not run).
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp ();
use IO::Socket::INET ();
use Apache::Test ();
use Devplat::Test;

client_net(182);

my $httpd = Apache::Test::vars('httpd');
my $conf = Apache::Test::vars('t_conf') . '/httpd.conf';
open my $fh, '<', $conf or die "$conf: $!";
my %seen;
my @modules = grep { !$seen{$_}++ } map { s/^\s+//r } grep { /^\s*LoadModule\s/ } <$fh>;
close $fh;

my $dir = File::Temp->newdir;

sub write_file {
    my ($name, $content, $mode) = @_;
    my $f = "$dir/$name";
    open my $out, '>:raw', $f or die "$f: $!";
    print $out $content;
    close $out;
    chmod $mode // 0600, $f;
    return $f;
}

sub config_test {
    my (@lines) = @_;
    my $file = write_file('test.conf', "ServerRoot $dir\nServerName localhost\n"
                          . "ErrorLog $dir/error_log\n" . join('', @modules)
                          . join('', map { "$_\n" } @lines), 0644);
    my $text = qx{'$httpd' -t -f '$file' 2>&1};
    return ($? >> 8, $text);
}

my $good = write_file('auth-good', "mailer\nsmtp-secret-Zq81\n");
my $crlf = write_file('auth-crlf', "mailer\r\nsmtp-secret-Zq81\r\n\r\n");
my ($rc, $out) = config_test('DevplatSmtpServer smtp://127.0.0.1:2525',
                             'DevplatSmtpFrom noreply@example.com',
                             "DevplatSmtpAuthFile $good");
is $rc, 0, 'smtp:// with a port, a sender and credentials: Syntax OK' or diag $out;
for my $ok ('smtps://mail.example.com', 'smtp://mail.example.com/devplat.example',
            'SMTP://[::1]:25', 'smtp://mail.example.com:587/') {
    ($rc, $out) = config_test("DevplatSmtpServer $ok", 'DevplatSmtpFrom noreply@example.com');
    is $rc, 0, "DevplatSmtpServer $ok: Syntax OK" or diag $out;
}
($rc, $out) = config_test('DevplatSmtpFrom 张三@example.com', "DevplatSmtpAuthFile $crlf");
is $rc, 0, 'a UTF-8 sender, a credentials file with CRLF lines: Syntax OK' or diag $out;

my $missing = "$dir/no-such-file";
my @bad = (
    ['DevplatSmtpServer http://mail.example.com', qr/DevplatSmtpServer: 'http:\/\/mail\.example\.com' is not an smtp:\/\/ or smtps:\/\/ URL/,
     'another scheme'],
    ['DevplatSmtpServer mail.example.com', qr/DevplatSmtpServer: .*(not a URL|not an smtp)/, 'no scheme'],
    ['DevplatSmtpServer smtp://', qr/DevplatSmtpServer: 'smtp:\/\/' is not a URL with a host/, 'no host'],
    ['DevplatSmtpServer smtp://mail.example.com:99999', qr/DevplatSmtpServer: .* is not a URL with a host/, 'a port out of range'],
    ['DevplatSmtpServer smtp://user:pw@mail.example.com', qr/DevplatSmtpServer: the URL must not hold a user name or password; put them in the file DevplatSmtpAuthFile names/,
     'credentials in the URL'],
    ['DevplatSmtpServer smtp://mail.example.com/?x=1', qr/DevplatSmtpServer: .* has a query or fragment/, 'a query'],
    ['DevplatSmtpFrom "Devplat <noreply@example.com>"', qr/DevplatSmtpFrom: 'Devplat <noreply\@example\.com>' is not a bare e-mail address/,
     'a display name'],
    ['DevplatSmtpFrom noreply', qr/DevplatSmtpFrom: 'noreply' is not a bare e-mail address/, 'no domain'],
    ["DevplatSmtpAuthFile $missing", qr/DevplatSmtpAuthFile: cannot read \Q$missing\E/, 'a missing file'],
    ['DevplatSmtpAuthFile ' . write_file('auth-empty', ''), qr/DevplatSmtpAuthFile: .* must hold the user name on its first line and the password on its second/,
     'an empty file'],
    ['DevplatSmtpAuthFile ' . write_file('auth-one', "mailer-only-Zq81\n"), qr/DevplatSmtpAuthFile: .* must hold the user name/,
     'a user name alone'],
    ['DevplatSmtpAuthFile ' . write_file('auth-three', "mailer\nsmtp-secret-Zq81\nextra-Zq81\n"), qr/DevplatSmtpAuthFile: .* and nothing else/,
     'a third line'],
    ['DevplatSmtpAuthFile ' . write_file('auth-nouser', "\nsmtp-secret-Zq81\n"), qr/DevplatSmtpAuthFile: .* must hold the user name/,
     'an empty user name'],
    ['DevplatSmtpAuthFile ' . write_file('auth-big', "mailer\n" . ('x' x 2000) . "\n"), qr/DevplatSmtpAuthFile: .* is larger than 1024 bytes/,
     'a file over 1024 bytes'],
);
for my $b (@bad) {
    my ($line, $re, $name) = @$b;
    ($rc, $out) = config_test($line);
    isnt $rc, 0, "$name: httpd refuses to start";
    like $out, $re, "$name: the message" or diag $out;
    like $out, qr/line \d+ of /, "$name: the line is named";
    unlike $out, qr/Zq81/, "$name: nothing of the file's content in the message";
}

# DevplatSmtpServer without DevplatSmtpFrom where an API is served: httpd
# starts to read its configuration, then stops in post_config.
my $port = IO::Socket::INET->new(Listen => 1, LocalAddr => '127.0.0.1', LocalPort => 0)->sockport;
my $key = write_file('jwt.key', join('', map { chr(65 + $_ % 26) } 1 .. 48));
mkdir "$dir/storage";
mkdir "$dir/logs";
my $db = Apache::Test::vars('serverroot') . '/var/engine.conf';
open my $ef, '<', $db or die "$db: $!";
my @engine = <$ef>;
close $ef;
my $file = write_file('start.conf', "ServerRoot $dir\nServerName localhost\nListen 127.0.0.1:$port\n"
    . "PidFile $dir/httpd.pid\nDefaultRuntimeDir $dir/logs\nTypesConfig /dev/null\nErrorLog $dir/start_error_log\n" . join('', @modules) . join('', @engine)
    . "DevplatJwtSecretFile $key\nDevplatStorageDir $dir/storage\n"
    . "DevplatSmtpServer smtp://127.0.0.1:2525\n<Location /api>\n    DevplatApi developer\n</Location>\n", 0644);
my $text = qx{timeout 30 '$httpd' -X -f '$file' 2>&1};
my $exit = $? >> 8;
ok $exit != 0 && $exit != 124, 'DevplatSmtpServer without DevplatSmtpFrom: httpd stops at startup'
    or diag "exit $exit: $text";
my $log = do { local $/; open my $lf, '<', "$dir/start_error_log" or die $!; <$lf> } // '';
like "$text$log", qr/DevplatSmtpFrom is required with DevplatSmtpServer smtp:\/\/127\.0\.0\.1:2525/,
    'the message names DevplatSmtpFrom';

done_testing;
