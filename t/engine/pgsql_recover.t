# A statement error that only looks like a lost connection (its text says
# "prepared statement") makes the module recover the connection: it must
# leave the PostgreSQL session and its own list of prepared statements
# agreeing. Before, it forgot its list while the session kept every
# statement, so each later PREPARE on that pooled connection answered
# "already exists" and every request it served was a 503, for good.
# Runs in the pgsql run only.
use strict;
use warnings;
use utf8;
use Test::More;
use Devplat::Test;
use Devplat::Admin qw(admin);

client_net(77);

my $ip = client_ip();
# the rate-limit write of one client address fails with such a text
db(q{CREATE OR REPLACE FUNCTION test_fault_prepared_text() RETURNS trigger AS $$
BEGIN
    IF NEW.subject = '} . $ip . q{' THEN
        RAISE EXCEPTION 'test fault: prepared statement text';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql});
db('CREATE TRIGGER test_fault_prepared_text BEFORE INSERT OR UPDATE ON rate_limits '
   . 'FOR EACH ROW EXECUTE FUNCTION test_fault_prepared_text()');

my @refused = map { (admin(GET => 'captcha'))[0]->code } 1 .. 12;
db('DROP TRIGGER test_fault_prepared_text ON rate_limits');
db('DROP FUNCTION test_fault_prepared_text()');
ok !(grep { $_ == 200 } @refused), 'while the write fails: no captcha (' . join(',', @refused) . ')';

my %codes;
for (1 .. 120) {
    my ($res) = admin(GET => 'captcha');
    $codes{ $res->code }++;
}
is_deeply \%codes, { 200 => 120 }, 'afterwards every request on every pooled connection answers 200'
    or diag explain \%codes;

my $u = register_user();
my $t = login($u->{username}, $u->{password});
my %me;
$me{ (json_request(GET => '/api/me', undef, auth($t)))[0]->code }++ for 1 .. 60;
is_deeply \%me, { 200 => 60 }, '... and /api/me, 60 times';

done_testing;
