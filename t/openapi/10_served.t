# The OpenAPI documents (openapi/) as httpd serves them: the test
# configuration has the quick start's Alias /openapi (conf/quickstart.conf.in).
use strict;
use warnings;
use utf8;
use Test::More;
use YAML::XS ();
use Apache::Test ();
use Devplat::Test;

client_net(241);

my $dir = Apache::Test::vars('top_dir') . '/openapi';
my %face = (developer => '/api', admin => '/admin/api', mobile => '/Api');

for my $face (sort keys %face) {
    scenario "GET /openapi/$face.yaml" => sub {
        my $res = http_get("/openapi/$face.yaml");
        is $res->code, 200, "$face.yaml: 200";
        is $res->header('Content-Type'), 'application/yaml; charset=utf-8', "$face.yaml: application/yaml, UTF-8";
        is $res->header('X-Content-Type-Options'), 'nosniff', "$face.yaml: nosniff";
        is $res->header('Access-Control-Allow-Origin'), '*', "$face.yaml: readable from any origin";
        open my $fh, '<:raw', "$dir/$face.yaml" or die "$dir/$face.yaml: $!";
        my $file = do { local $/; <$fh> };
        ok $res->content eq $file, "$face.yaml: the very bytes of openapi/$face.yaml";
        my $doc = eval { YAML::XS::Load($res->content) };
        is ref $doc, 'HASH', "$face.yaml: parses as YAML" or diag $@;
        $doc = {} unless ref $doc eq 'HASH';
        is $doc->{openapi}, '3.1.0', "$face.yaml: OpenAPI 3.1.0";
        is eval { $doc->{servers}[0]{url} }, $face{$face}, "$face.yaml: server $face{$face}, as the faces are mounted";
        like eval { $doc->{info}{title} } // '', qr/\p{Han}/, "$face.yaml: a Chinese title";
        ok eval { keys %{ $doc->{paths} } } > 10, "$face.yaml: its operations";
    };
}

scenario 'nothing else is served from there' => sub {
    is http_get('/openapi/../conf/extra.conf.in')->code, 404, 'no way out of the directory';
    is http_get('/openapi/none.yaml')->code, 404, 'an unknown document: 404';
};

done_testing;
