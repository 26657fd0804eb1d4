# E-mail codes over SMTP (DevplatSmtpServer, DevplatSmtpFrom,
# DevplatSmtpAuthFile) against a real SMTP server on loopback: Debian's
# python3-aiosmtpd (t/smtp_sink.py), started here on the port
# scripts/run-tests.sh chose and that the SMTP virtual hosts of
# t/conf/extra.conf.in name. It records every message it takes and every
# AUTH attempt; this file checks the envelope, the headers (RFC 5322, the
# subject as RFC 2047 encoded-words), the body's code against the one the
# response exposes, that SMS codes stay on the webhook, that the main
# server (no SMTP server) still mails through the webhook, and failures:
# the server down, a recipient refused, credentials offered to a server
# without STARTTLS. A failed delivery is an error with no cooldown.
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use JSON::PP ();
use MIME::Base64 ();
use POSIX ();
use Time::Local ();
use URI::Escape qw(uri_escape_utf8);
use Apache::Test ();
use Apache::TestRequest ();
use Devplat::Test;
use Devplat::Mobile;
use Devplat::AccountTest;

client_net(181);
field_labels(email => ['邮箱']);

my $port = $ENV{DEVPLAT_TEST_SMTP_PORT};
BAIL_OUT('DEVPLAT_TEST_SMTP_PORT is not set (scripts/run-tests.sh sets it)') unless $port;
my $top = Apache::Test::vars('top_dir');
my $var = Apache::Test::vars('serverroot') . '/var';
my $sink_log = "$var/smtp.log";
my $sink_pid = "$var/smtp.pid";
my $FROM = 'noreply@devplat.test';
my $B = '/api/user/base';
my $SINK;

# ------------------------------------------------------------------ the sink

sub start_sink {
    unlink $sink_pid;
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        open STDIN, '<', '/dev/null';
        exec '/usr/bin/python3', "$top/t/smtp_sink.py", '--port', $port, '--log', $sink_log,
             '--pid', $sink_pid, '--reject', 'rejected@example.com'
            or POSIX::_exit(127);
    }
    for (1 .. 100) {
        return $SINK = $pid if -s $sink_pid;
        last if waitpid($pid, POSIX::WNOHANG()) == $pid;
        select undef, undef, undef, 0.1;
    }
    die "t/smtp_sink.py did not start on 127.0.0.1:$port\n";
}

sub stop_sink {
    return unless $SINK;
    kill 'TERM', $SINK;
    waitpid $SINK, 0;
    undef $SINK;
}
END { stop_sink() }

sub sink_events {
    my ($event) = @_;
    open my $fh, '<:raw', $sink_log or return ();
    my @e;
    while (my $line = <$fh>) {
        my $e = eval { JSON::PP->new->utf8->decode($line) };
        push @e, $e if ref $e eq 'HASH' && $e->{event} eq $event;
    }
    return @e;
}
sub mails_to { my ($to) = @_; grep { grep { $_ eq $to } @{ $_->{rcpt_tos} } } sink_events('message') }
sub header { my ($m, $name) = @_; my $v = $m->{headers}{lc $name}; return $v ? $v->[0] : undef }

# ------------------------------------------------------------------ requests

sub on_host { Apache::TestRequest::module($_[0]) }

sub bind_code_for {
    my ($u, $e) = @_;
    return code_get("$B/bind-email/verification-code?email=" . uri_escape_utf8($e), $u->{token});
}

sub cooldown_rows {
    my ($dest) = @_;
    return db_value('SELECT count(*) FROM code_cooldowns WHERE destination = ' . sql_quote($dest)
                    . ' AND sent_at > 0');
}
sub code_rows {
    my ($dest) = @_;
    return db_value('SELECT count(*) FROM verification_codes WHERE destination = ' . sql_quote($dest));
}

# check_mail($mail, to => ..., code => ..., what => ...): one code e-mail.
sub check_mail {
    my ($m, %o) = @_;
    my $name = $o{name};
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    is $m->{mail_from}, $FROM, "$name: envelope sender DevplatSmtpFrom";
    is_deeply $m->{rcpt_tos}, [$o{to}], "$name: one envelope recipient, the address";
    is header($m, 'From'), $FROM, "$name: From";
    is header($m, 'To'), $o{to}, "$name: To";
    is header($m, 'Subject'), '邮箱验证码', "$name: Subject (decoded)";
    like $m->{raw_headers}, qr/^Subject: =\?UTF-8\?B\?[A-Za-z0-9+\/]+=*\?=\r?$/m,
        "$name: the raw Subject is an RFC 2047 encoded-word";
    my $date = header($m, 'Date') // '';
    like $date, qr/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/,
        "$name: Date in RFC 5322 form";
    if ($date =~ /^\w+, (\d\d) (\w+) (\d{4}) (\d\d):(\d\d):(\d\d)/) {
        my %mon = (Jan => 0, Feb => 1, Mar => 2, Apr => 3, May => 4, Jun => 5, Jul => 6,
                   Aug => 7, Sep => 8, Oct => 9, Nov => 10, Dec => 11);
        my $t = Time::Local::timegm($6, $5, $4, $1, $mon{$2}, $3);
        ok abs($t - time) < 120, "$name: Date is now";
    }
    like header($m, 'Message-ID'), qr/^<[0-9a-f]{32}\@devplat\.test>$/, "$name: Message-ID";
    is header($m, 'MIME-Version'), '1.0', "$name: MIME-Version";
    like header($m, 'Content-Type'), qr{^text/plain; charset="?utf-8"?$}i, "$name: text/plain UTF-8";
    is header($m, 'Content-Transfer-Encoding'), 'base64', "$name: base64 body";
    is_deeply $m->{defects}, [], "$name: Python's e-mail parser finds no defect";
    my $body = $m->{body} // '';
    like $body, qr/您的验证码是：(\d{6})/, "$name: the body states a code";
    my ($mailed) = $body =~ /您的验证码是：(\d{6})/;
    is $mailed, $o{code}, "$name: the mailed code is the one the response exposes";
    like $body, qr/验证码 5 分钟内有效/, "$name: its validity (DevplatCodeTTL 300 s)";
    like $body, qr/您正在\Q$o{what}\E/, "$name: what it is for ($o{what})" if $o{what};
    my $raw = MIME::Base64::decode_base64($m->{raw_b64});
    ok $raw !~ /[^\x00-\x7f]/, "$name: the message is 7-bit" unless $o{utf8};
    ok $raw !~ /(?<!\r)\n/, "$name: every line ends in CRLF";
}

start_sink();
on_host('devplat_smtp');

# ------------------------------------------------------------------ delivery

scenario 'a bind-email code goes by SMTP and binds' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my ($res, $json, $code) = bind_code_for($u, $e);
    check_ok($res, 'bind-email code');
    like $code // '', qr/^\d{6}$/, 'six digits exposed';
    my @m = mails_to($e);
    is scalar @m, 1, 'one message to the address';
    check_mail($m[0], name => 'bind-email', to => $e, code => $code, what => '绑定邮箱');
    is scalar(notify_for($e)), 0, 'nothing for the address at the webhook';
    my ($r2) = bind_email($u, $e, $code);
    check_ok($r2, 'the mailed code binds the address');
    is user_row($u->{id})->{email}, $e, 'users.email';
};

scenario 'the codes to a bound address go by SMTP too' => sub {
    my $u = signed_in();
    my $e = unique_email();
    my (undef, undef, $c) = bind_code_for($u, $e);
    check_ok(scalar bind_email($u, $e, $c), 'bound');
    my ($res, $json, $code) = code_get("$B/update-email/old-email-verification-code?email="
                                       . uri_escape_utf8($e), $u->{token});
    check_ok($res, 'update-email old-address code');
    my ($m) = grep { ($_->{body} // '') =~ /更换绑定邮箱/ } mails_to($e);
    ok $m, 'a message for update-email' or return;
    check_mail($m, name => 'update-email', to => $e, code => $code, what => '更换绑定邮箱');
    ($res, $json, $code) = code_get("$B/update-mobile/old-email-verification-code?email="
                                    . uri_escape_utf8($e), $u->{token});
    check_ok($res, 'update-mobile code by e-mail');
    ($m) = grep { ($_->{body} // '') =~ /更换绑定手机号/ } mails_to($e);
    ok $m, 'a message for update-mobile' or return;
    check_mail($m, name => 'update-mobile', to => $e, code => $code, what => '更换绑定手机号');
    my %ids = map { (header($_, 'Message-ID') => 1) } mails_to($e);
    is scalar(keys %ids), 3, 'every message has its own Message-ID';
};

scenario 'an internationalised address (RFC 6531) goes with SMTPUTF8' => sub {
    my $u = signed_in();
    my $e = "张三.$$." . time . '@example.com';
    my ($res, $json, $code) = bind_code_for($u, $e);
    check_ok($res, 'bind-email code to a UTF-8 local part');
    my ($m) = mails_to($e);
    ok $m, 'delivered' or return;
    ok $m->{smtputf8}, 'MAIL FROM carried SMTPUTF8';
    check_mail($m, name => 'UTF-8 address', to => $e, code => $code, utf8 => 1);
};

scenario 'SMS codes stay on the webhook' => sub {
    my $before = scalar sink_events('message');
    my $mobile = unique_mobile();
    my $code = request_code($mobile);
    my @n = notify_for($mobile);
    is scalar @n, 1, 'developer face: register-sms went to the webhook';
    is $n[0]{channel}, 'sms', 'as sms';
    is $n[0]{code}, $code, 'with the code';
    my $phone = unique_mobile();
    my $mcode = msend_code($phone, 'register');
    my @mn = notify_for($phone);
    is scalar @mn, 1, 'mobile face: send_code went to the webhook';
    is $mn[0]{code}, $mcode, 'with the code';
    is scalar(sink_events('message')), $before, 'the SMTP server got nothing';
};

scenario 'without DevplatSmtpServer e-mail still goes to the webhook' => sub {
    on_host('default');
    my $u = signed_in();
    my $e = unique_email();
    my ($res, $json, $code) = bind_code_for($u, $e);
    check_ok($res, 'bind-email code on the main server');
    my @n = notify_for($e);
    is scalar @n, 1, 'one message at the webhook';
    is $n[0]{channel}, 'email', 'channel email';
    is $n[0]{code}, $code, 'with the code';
    is scalar(mails_to($e)), 0, 'nothing at the SMTP server';
    on_host('devplat_smtp');
};

# ------------------------------------------------------------------ failures

scenario 'the SMTP server down: an error, no cooldown; back up: sent at once' => sub {
    my $u = signed_in();
    my $e = unique_email();
    stop_sink();
    my $size = -s Apache::Test::vars('t_logs') . '/error_log';
    my ($res, $json) = bind_code_for($u, $e);
    check_error($res, 500, name => 'server down', message => '验证码发送失败');
    is code_rows($e), 0, 'no code kept';
    is cooldown_rows($e), 0, 'no cooldown started';
    ok error_log_wait(qr/e-mail code to \Q$e\E through smtp:\/\/127\.0\.0\.1:\Q$port\E failed/,
                      since => $size), 'the error log names the address and the server';
    start_sink();
    my (undef, undef, $code) = bind_code_for($u, $e);
    ok defined $code, 'right after, with the server back: a code';
    my @m = mails_to($e);
    is scalar @m, 1, 'delivered once';
    check_mail($m[0], name => 'after the outage', to => $e, code => $code, what => '绑定邮箱') if @m;
    check_ok(scalar bind_email($u, $e, $code), 'and it binds');
};

scenario 'a refused recipient: an error, no cooldown' => sub {
    my $u = signed_in();
    my $e = 'rejected@example.com';
    my ($res) = bind_code_for($u, $e);
    check_error($res, 500, name => 'recipient refused (550)', message => '验证码发送失败');
    is code_rows($e), 0, 'no code kept';
    is cooldown_rows($e), 0, 'no cooldown started';
    is scalar(mails_to($e)), 0, 'nothing accepted';
    ($res) = bind_code_for($u, $e);
    check_error($res, 500, name => 'asked again at once: the same error, not 429',
                message => '验证码发送失败');
};

scenario 'credentials are never offered without TLS' => sub {
    on_host('devplat_smtp_auth');
    my $u = signed_in();
    my $e = unique_email();
    my $size = -s Apache::Test::vars('t_logs') . '/error_log';
    my ($res) = bind_code_for($u, $e);
    check_error($res, 500, name => 'a server without STARTTLS', message => '验证码发送失败');
    is scalar(sink_events('auth')), 0, 'no AUTH attempt reached the server';
    is scalar(mails_to($e)), 0, 'no message';
    is cooldown_rows($e), 0, 'no cooldown started';
    ok error_log_wait(qr/e-mail code to \Q$e\E through smtp:/, since => $size), 'logged';
    open my $fh, '<:raw', Apache::Test::vars('t_logs') . '/error_log' or die $!;
    my $leak = grep { /smtp-secret-Zq81/ } <$fh>;
    is $leak, 0, 'the password is in no line of the error log';
    on_host('devplat_smtp');
};

done_testing;
