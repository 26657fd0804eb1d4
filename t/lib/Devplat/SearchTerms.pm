package Devplat::SearchTerms;
# The rules of modules/core/search_terms.h written again, independently, in
# Perl: the terms a project's texts give the search index (every folded
# character u<hex> and every pair of adjacent folded characters
# <hex>x<hex>, of the texts joined with a line feed). The migration tests
# check what the SQL of the migrations wrote against them.
use strict;
use warnings;
use utf8;

use Exporter 'import';
our @EXPORT = qw(search_terms);

# A code point as the index folds it: ASCII lower-cased, İ -> i, the
# Kelvin sign -> k, full-width letters lower-cased; the caseless CJK,
# Hangul and full-width ranges as they are; any other character one
# bucket, 0x80.
sub fold_cp {
    my ($c) = @_;
    return $c + 32 if $c >= 65 && $c <= 90;
    return $c if $c < 128;
    return 105 if $c == 0x130;
    return 107 if $c == 0x212A;
    return $c + 32 if $c >= 0xFF21 && $c <= 0xFF3A;
    return $c if ($c >= 0x2E80 && $c <= 0x9FFF) || ($c >= 0xAC00 && $c <= 0xD7AF)
              || ($c >= 0xF900 && $c <= 0xFAFF) || ($c >= 0xFF00 && $c <= 0xFFEF)
              || ($c >= 0x20000 && $c <= 0x3FFFF);
    return 0x80;
}

# search_terms(@texts): the terms, sorted, space separated
sub search_terms {
    my @g = map { fold_cp(ord) } split //, join "\n", map { $_ // '' } @_;
    my %t;
    for my $i (0 .. $#g) {
        $t{ sprintf 'u%03x', $g[$i] } = 1;
        $t{ sprintf '%02xx%02x', $g[$i], $g[$i + 1] } = 1 if $i < $#g;
    }
    return join ' ', sort keys %t;
}

1;
