package Devplat::Review;
# Helpers for the review queues' tests (t/backoffice/1*.t): submissions
# through the developer and mobile faces, and the shape of a submission as
# the admin face shows it.
#
#   my $u = dev_user();                          # {id, username, password, token}
#   my $id = submit(real_name => $u);            # the review id it made
#   my ($res, $json) = admin(GET => "review/real-name/$id", undef, auth($admin->{token}));
#   check_review($json->{data}, 'detail', kind => 'real-name', detail => 1);
use strict;
use warnings;
use utf8;

use Exporter 'import';
use Carp qw(croak);
use Test::More ();
use Devplat::Test;
use Devplat::Mobile;

our @EXPORT = qw(dev_user mobile_user submit review_id review_row check_review
                 KINDS %FIELD_TYPES authenticate_part);

use constant KINDS => qw(real-name educational-info job-info award-info qualification);

# The fields each kind shows beside the review's own, with their JSON types.
our %FIELD_TYPES = (
    'real-name'        => { actual_name => 'string', certificate_type_id => 'integer',
                            id_number => 'string', authenticate_picture => 'string' },
    'educational-info' => { institution => 'string', education_id => 'integer',
                            project_experience => 'string' },
    'job-info'         => { organization => 'string', position_id => 'integer',
                            domain_id => 'array', project_experience => 'string' },
    'award-info'       => { competition => 'string', award_level_id => 'integer',
                            award_picture => 'array' },
    'qualification'    => { picture => 'string' },
);
my %COMMON = (id => 'integer', kind => 'string', user_id => 'integer', nickname => 'string',
              status => 'string', message => 'string', submitted_at => 'string',
              reviewed_at => 'string', reviewer => 'string', pictures => 'array');
my %DETAIL = (account_status => 'string', history => 'array');
my %HISTORY = (id => 'integer', status => 'string', message => 'string',
               submitted_at => 'string', reviewed_at => 'string', reviewer => 'string');

# A developer-face user with a token.
sub dev_user {
    my $u = register_user();
    $u->{token} = login($u->{username}, $u->{password});
    return $u;
}

# A mobile-face user (status 2 until a qualification is decided).
sub mobile_user { return mregister() }

my $CARD_SEQ = 0;
sub _card {
    $CARD_SEQ++;
    # birth dates from 1960-01-01 over some 40 years, apart per process and call
    my @t = gmtime(-315619200 + 86400 * (($$ % 2000) * 7 + $CARD_SEQ));
    return valid_id_card(320106, sprintf('%04d%02d%02d', $t[5] + 1900, $t[4] + 1, $t[3]),
                         ($$ + $CARD_SEQ) % 1000);
}

# submit($what => $user, %fields): one submission through its face;
# returns the id of the review row it made (croaks unless it worked).
sub submit {
    my ($what, $u, %f) = @_;
    my $base = '/api/user/authenticate';
    my ($res, $json, $kind, $record);
    if ($what eq 'real-name') {
        my $photo = $f{authenticate_picture} // upload_picture($u->{token}, 'licensed-photo');
        ($res, $json) = json_request(PUT => "$base/real-name", { actual_name => $f{actual_name} // '张三',
            certificate_type_id => 1, id_number => $f{id_number} // _card(),
            authenticate_picture => $photo }, auth($u->{token}));
    }
    elsif ($what eq 'educational-info') {
        ($res, $json) = json_request(PUT => "$base/educational-info", { institution => $f{institution} // '北京大学',
            education_id => 3, project_experience => $f{project_experience} // "项目一\n项目二" },
            auth($u->{token}));
    }
    elsif ($what eq 'job-info') {
        ($res, $json) = json_request(PUT => "$base/job-info", { organization => $f{organization} // '某公司',
            position_id => 1, domain_id => [2, 1], project_experience => '做过视觉' }, auth($u->{token}));
    }
    elsif ($what eq 'award-info') {
        my @pics = map { upload_picture($u->{token}, 'award-picture') } 1 .. ($f{pictures} // 2);
        ($res, $json) = json_request(POST => "$base/award-info", { competition => $f{competition} // 'CV榜单',
            award_level_id => 1, award_picture => \@pics }, auth($u->{token}));
    }
    elsif ($what eq 'qualification') {
        my $pic = $f{picture} // mupload($u->{token});
        ($res, $json) = mform(POST => "authenticationQualifications/token/$u->{token}", { picture => $pic });
        croak "qualification: " . $res->status_line . ' ' . ($res->content // '')
            unless $res->code == 200 && ($json->{code} // 0) == 1000;
        return review_id('qualification', $u->{id});
    }
    elsif ($what eq 'verification') {
        ($res, $json) = mform(POST => "verification/token/$u->{token}",
                              { name => $f{name} // '李四', cardno => $f{cardno} // _card() });
        croak "verification: " . $res->status_line . ' ' . ($res->content // '')
            unless $res->code == 200 && ($json->{code} // 0) == 1000;
        return db_value("SELECT MAX(id) FROM reviews WHERE kind = 'real-name' AND user_id = $u->{id}");
    }
    else { croak "submit: $what?" }
    croak "$what: " . $res->status_line . ' ' . ($res->content // '') unless $res->code == 200;
    return db_value("SELECT MAX(id) FROM reviews WHERE kind = " . sql_quote($what) . " AND user_id = $u->{id}");
}

# The pending review of a record (the user's id, an award's id), or undef.
sub review_id {
    my ($kind, $record) = @_;
    return db_value("SELECT id FROM reviews WHERE kind = " . sql_quote($kind)
                    . " AND record_id = $record AND status = 0");
}

sub review_row {
    my ($id) = @_;
    my ($r) = db_rows("SELECT id, kind, user_id, record_id, status, message, reviewer_id, reviewed_at "
                      . "FROM reviews WHERE id = $id");
    return $r;
}

# check_review($item, $name, kind => .., detail => 1, %expect): every
# field of a submission (and of the detail) with its JSON type, nothing
# else; %expect values compared.
sub check_review {
    my ($item, $name, %o) = @_;
    my $tb = Test::More->builder;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $kind = $o{kind} // (ref $item eq 'HASH' ? $item->{kind} : '');
    my %want = (%COMMON, %{ $FIELD_TYPES{$kind} || {} }, $o{detail} ? %DETAIL : ());
    $tb->ok(ref $item eq 'HASH', "$name: an object") or return;
    $tb->is_eq(join(',', sort keys %$item), join(',', sort keys %want), "$name: exactly the fields of $kind");
    for my $f (sort keys %want) {
        $tb->is_eq(json_type($item->{$f}), $want{$f}, "$name: $f is $want{$f}");
    }
    $tb->like($item->{submitted_at}, DATETIME_RE, "$name: submitted_at is a time");
    $tb->ok($item->{reviewed_at} eq '' || $item->{reviewed_at} =~ DATETIME_RE, "$name: reviewed_at '' or a time");
    $tb->ok(!grep({ json_type($_) ne 'string' || $_ !~ m{^/storage/} } @{ $item->{pictures} || [] }),
            "$name: pictures are /storage/ paths");
    if ($o{detail}) {
        for my $h (@{ $item->{history} || [] }) {
            $tb->is_eq(join(',', sort keys %$h), join(',', sort keys %HISTORY), "$name: a history entry's fields");
            $tb->is_eq(json_type($h->{$_}), $HISTORY{$_}, "$name: history.$_ is $HISTORY{$_}") for sort keys %HISTORY;
        }
    }
    for my $f (sort grep { !/^(kind|detail)$/ } keys %o) {
        if (ref $o{$f}) { $tb->ok(Test::More::eq_array($item->{$f}, $o{$f}), "$name: $f") }
        else            { $tb->is_eq($item->{$f}, $o{$f}, "$name: $f $o{$f}") }
    }
}

# The part of GET /api/user/authenticate a kind changes, for the user.
sub authenticate_part {
    my ($u, $kind) = @_;
    my ($res, $json) = json_request(GET => '/api/user/authenticate', undef, auth($u->{token}));
    croak 'authenticate: ' . $res->status_line unless $res->code == 200;
    my $d = $json->{data};
    return $kind eq 'real-name' ? $d->{real_name}
         : $kind eq 'educational-info' ? $d->{educational_info}
         : $kind eq 'job-info' ? $d->{job_info}
         : $d->{award_info};
}

1;
