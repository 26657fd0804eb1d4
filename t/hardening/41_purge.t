# The purge of expired rows (issue 11, item 5): a limited request (here a
# captcha drawn) deletes, at most once per DevplatPurgeInterval (5 s in
# t/conf/extra.conf.in) in each child, the rate-limit windows that ended,
# the captchas past their time, the codes no cap counts any more (older than
# a day and expired) and the cooldowns older than a day; everything else
# stays.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin;

client_net(134);

my $INTERVAL = 5;
my $DAY = 86400;
my $tag = "purge$$";

sub q_ { sql_quote($_[0]) }

sub rate_row {
    my ($subject, $start, $expires) = @_;
    db('INSERT INTO rate_limits (bucket, subject, window_start, expires_at, hits) VALUES ('
       . join(', ', q_('captcha-address'), q_("$tag-$subject"), $start, $expires, 3) . ')');
}

sub captcha_row {
    my ($name, $expires) = @_;
    my $id = substr(unpack('H*', "$tag$name") . ('0' x 32), 0, 32);
    db('INSERT INTO captchas (id, digest, created_at, expires_at, client_ip) VALUES ('
       . join(', ', q_($id), q_('x' x 64), $expires - 300, $expires, q_($tag)) . ')');
    return $id;
}

sub code_row {
    my ($name, $created, $expires) = @_;
    db('INSERT INTO verification_codes (destination, purpose, account_id, channel, digest, '
       . 'created_at, expires_at, client_ip) VALUES ('
       . join(', ', q_("$tag-$name"), q_('register'), 0, q_('sms'), q_('x' x 64), $created, $expires,
              q_('10.0.134.9')) . ')');
}

sub cooldown_row {
    my ($name, $sent) = @_;
    db('INSERT INTO code_cooldowns (destination, purpose, account_id, sent_at) VALUES ('
       . join(', ', q_("$tag-$name"), q_('register'), 0, $sent) . ')');
}

sub count_where {
    my ($table, $column, $value) = @_;
    return db_value("SELECT count(*) AS n FROM $table WHERE $column = " . q_($value)) + 0;
}

scenario 'expired rows go, live ones stay' => sub {
    my $now = time;
    rate_row('ended', $now - 7200, $now - 3600);
    rate_row('just-ended', $now - 60, $now - 1);
    rate_row('current', $now - 10, $now + 3590);
    my $dead = captcha_row('dead', $now - 1);
    my $live = captcha_row('live', $now + 290);
    code_row('old-expired', $now - 2 * $DAY, $now - 2 * $DAY + 300);
    code_row('recent-expired', $now - 600, $now - 300);       # the daily cap still counts it
    code_row('old-live', $now - 2 * $DAY, $now + 600);        # a long DevplatCodeTTL
    cooldown_row('old', $now - 2 * $DAY);
    cooldown_row('recent', $now - 120);

    # every child purged more than an interval ago: the next limited
    # request, whichever child serves it, purges
    sleep $INTERVAL + 1;
    my ($res) = admin(GET => 'captcha', undef, 'X-Forwarded-For' => '10.0.134.1');
    is $res->code, 200, 'a captcha drawn';

    is count_where('rate_limits', 'subject', "$tag-ended"), 0, 'a rate-limit window that ended an hour ago: gone';
    is count_where('rate_limits', 'subject', "$tag-just-ended"), 0, 'one that ended a second ago: gone';
    is count_where('rate_limits', 'subject', "$tag-current"), 1, 'the current window: kept';
    is count_where('captchas', 'id', $dead), 0, 'an expired captcha: gone';
    is count_where('captchas', 'id', $live), 1, 'a live captcha: kept';
    is count_where('verification_codes', 'destination', "$tag-old-expired"), 0,
        'a code of two days ago, expired: gone';
    is count_where('verification_codes', 'destination', "$tag-recent-expired"), 1,
        'an expired code of ten minutes ago: kept (the daily cap counts it)';
    is count_where('verification_codes', 'destination', "$tag-old-live"), 1,
        'an old code not yet expired: kept';
    is count_where('code_cooldowns', 'destination', "$tag-old"), 0, 'a cooldown of two days ago: gone';
    is count_where('code_cooldowns', 'destination', "$tag-recent"), 1, 'a cooldown of two minutes ago: kept';
    is count_where('captchas', 'client_ip', '10.0.134.1'), 1, 'the captcha just drawn: kept';
};

# the rows that stayed
db('DELETE FROM captchas WHERE client_ip = ' . q_($tag));
db('DELETE FROM rate_limits WHERE subject LIKE ' . q_("$tag-%"));
db('DELETE FROM verification_codes WHERE destination LIKE ' . q_("$tag-%"));
db('DELETE FROM code_cooldowns WHERE destination LIKE ' . q_("$tag-%"));

done_testing;
