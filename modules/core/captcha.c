/* Captcha pictures with libgd. The text is laid out from libgd's built-in
 * Giant font (no font file needed), each character scaled, turned and
 * coloured on its own, the whole text then waved, and noise drawn under
 * and over it: easy for a person, a nuisance for plain OCR.
 *
 * Randomness of the picture comes from OpenSSL too: a predictable layout
 * would help whoever trains a solver. */

#include <math.h>
#include <string.h>

#include <apr_strings.h>

#include <openssl/rand.h>

#include <gd.h>
#include <gdfontg.h>

#include "captcha.h"
#include "random.h"

#define W DEVPLAT_CAPTCHA_WIDTH
#define H DEVPLAT_CAPTCHA_HEIGHT
#define MARGIN 8
#define PI 3.14159265358979323846

/* Random numbers from a refilled buffer of OpenSSL bytes. */
typedef struct {
    unsigned char buf[512];
    apr_size_t pos;
    int failed;
} rnd;

static unsigned int rnd_u16(rnd *g)
{
    unsigned int v;

    if (g->pos + 2 > sizeof(g->buf)) {
        if (RAND_bytes(g->buf, sizeof(g->buf)) != 1) {
            g->failed = 1;
        }
        g->pos = 0;
    }
    v = (unsigned int)g->buf[g->pos] << 8 | g->buf[g->pos + 1];
    g->pos += 2;
    return v;
}

/* Uniform in [lo, hi]. */
static double rnd_range(rnd *g, double lo, double hi)
{
    return lo + (hi - lo) * (double)rnd_u16(g) / 65535.0;
}

static int rnd_int(rnd *g, int lo, int hi)
{
    return lo + (int)(rnd_u16(g) % (unsigned int)(hi - lo + 1));
}

static int in_alphabet(const char *text)
{
    apr_size_t i;

    if (!text || strlen(text) != DEVPLAT_CAPTCHA_LEN) {
        return 0;
    }
    for (i = 0; i < DEVPLAT_CAPTCHA_LEN; i++) {
        if (!strchr(DEVPLAT_CAPTCHA_ALPHABET, text[i])) {
            return 0;
        }
    }
    return 1;
}

char *devplat_captcha_text(apr_pool_t *p)
{
    return devplat_random_from(p, DEVPLAT_CAPTCHA_ALPHABET, DEVPLAT_CAPTCHA_LEN);
}

char *devplat_captcha_normalize(apr_pool_t *p, const char *input)
{
    char *out;
    apr_size_t i;

    if (!input || strlen(input) != DEVPLAT_CAPTCHA_LEN) {
        return NULL;
    }
    out = apr_pstrdup(p, input);
    for (i = 0; i < DEVPLAT_CAPTCHA_LEN; i++) {
        char c = out[i];

        if (c >= 'a' && c <= 'z') {
            out[i] = (char)(c - 'a' + 'A');
        }
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            return NULL;
        }
    }
    return out;
}

/* The font's pixel (0 or 1) at column x, row y of character c. */
static double glyph_at(const gdFont *f, unsigned char c, int x, int y)
{
    if (x < 0 || y < 0 || x >= f->w || y >= f->h || c < f->offset
        || c >= f->offset + f->nchars) {
        return 0.0;
    }
    return f->data[((c - f->offset) * f->h + y) * f->w + x] ? 1.0 : 0.0;
}

/* Bilinear sample of the character at (u, v) in font pixels. */
static double glyph_sample(const gdFont *f, unsigned char c, double u, double v)
{
    int x0 = (int)floor(u), y0 = (int)floor(v);
    double fx = u - x0, fy = v - y0;

    return glyph_at(f, c, x0, y0) * (1 - fx) * (1 - fy)
           + glyph_at(f, c, x0 + 1, y0) * fx * (1 - fy)
           + glyph_at(f, c, x0, y0 + 1) * (1 - fx) * fy
           + glyph_at(f, c, x0 + 1, y0 + 1) * fx * fy;
}

/* Coverage of the text (0..1) and which character covers each pixel. */
typedef struct {
    float cov[H][W];
    unsigned char who[H][W];
} layer;

static void lay_out(layer *L, const char *text, rnd *g)
{
    const gdFont *f = gdFontGetGiant();
    double slot = (double)(W - 2 * MARGIN) / DEVPLAT_CAPTCHA_LEN;
    int i, x, y;

    memset(L, 0, sizeof(*L));
    for (i = 0; i < DEVPLAT_CAPTCHA_LEN; i++) {
        double sx = rnd_range(g, 2.0, 2.5), sy = rnd_range(g, 1.9, 2.3);
        double a = rnd_range(g, -0.35, 0.35), ca = cos(a), sa = sin(a);
        double cx = MARGIN + slot * (i + 0.5) + rnd_range(g, -2.5, 2.5);
        double cy = H / 2.0 + rnd_range(g, -4.0, 4.0);
        double r = 0.5 * sqrt(f->w * sx * f->w * sx + f->h * sy * f->h * sy) + 2;
        int x0 = (int)(cx - r), x1 = (int)(cx + r), y0 = (int)(cy - r), y1 = (int)(cy + r);

        for (y = y0 < 0 ? 0 : y0; y <= y1 && y < H; y++) {
            for (x = x0 < 0 ? 0 : x0; x <= x1 && x < W; x++) {
                double dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                /* back from the picture into the font's pixels */
                double u = (ca * dx + sa * dy) / sx + f->w / 2.0 - 0.5;
                double v = (-sa * dx + ca * dy) / sy + f->h / 2.0 - 0.5;
                double c = glyph_sample(f, (unsigned char)text[i], u, v);

                if (c > L->cov[y][x]) {
                    L->cov[y][x] = (float)c;
                    L->who[y][x] = (unsigned char)i;
                }
            }
        }
    }
}

static double cov_at(const layer *L, int x, int y)
{
    return (x < 0 || y < 0 || x >= W || y >= H) ? 0.0 : L->cov[y][x];
}

/* The text waved: each pixel reads the layer a few pixels away, along
 * sines of the other coordinate. */
static void wave(const layer *in, layer *out, rnd *g)
{
    double ax = rnd_range(g, 1.5, 2.8), px = rnd_range(g, 28, 45), phx = rnd_range(g, 0, 2 * PI);
    double ay = rnd_range(g, 2.0, 3.5), py = rnd_range(g, 60, 100), phy = rnd_range(g, 0, 2 * PI);
    int x, y;

    for (y = 0; y < H; y++) {
        for (x = 0; x < W; x++) {
            double u = x + ax * sin(2 * PI * y / px + phx);
            double v = y + ay * sin(2 * PI * x / py + phy);
            int x0 = (int)floor(u), y0 = (int)floor(v);
            double fx = u - x0, fy = v - y0;
            int nx = (int)floor(u + 0.5), ny = (int)floor(v + 0.5);

            out->cov[y][x] = (float)(cov_at(in, x0, y0) * (1 - fx) * (1 - fy)
                                     + cov_at(in, x0 + 1, y0) * fx * (1 - fy)
                                     + cov_at(in, x0, y0 + 1) * (1 - fx) * fy
                                     + cov_at(in, x0 + 1, y0 + 1) * fx * fy);
            nx = nx < 0 ? 0 : nx >= W ? W - 1 : nx;
            ny = ny < 0 ? 0 : ny >= H ? H - 1 : ny;
            out->who[y][x] = in->who[ny][nx];
        }
    }
}

/* A curve across the picture, a sine between random ends. */
static void noise_curve(gdImagePtr im, rnd *g, int color)
{
    double y0 = rnd_range(g, 8, H - 8), y1 = rnd_range(g, 8, H - 8);
    double amp = rnd_range(g, 3, 10), period = rnd_range(g, 50, 140), ph = rnd_range(g, 0, 2 * PI);
    int x, px = 0, py = 0;

    gdImageSetThickness(im, rnd_int(g, 1, 2));
    for (x = 0; x <= W; x += 3) {
        int y = (int)(y0 + (y1 - y0) * x / W + amp * sin(2 * PI * x / period + ph));

        if (x > 0) {
            gdImageLine(im, px, py, x, y, color);
        }
        px = x;
        py = y;
    }
    gdImageSetThickness(im, 1);
}

static int draw(gdImagePtr im, const char *text, rnd *g, layer *a, layer *b)
{
    int bg[3], ink[DEVPLAT_CAPTCHA_LEN][3];
    int i, x, y, n;

    for (i = 0; i < 3; i++) {
        bg[i] = rnd_int(g, 226, 255);
    }
    gdImageFilledRectangle(im, 0, 0, W - 1, H - 1, gdTrueColor(bg[0], bg[1], bg[2]));

    /* under the text: light speckles and pale curves */
    for (n = 0; n < W * H / 6; n++) {
        int v = rnd_int(g, 150, 225);
        gdImageSetPixel(im, rnd_int(g, 0, W - 1), rnd_int(g, 0, H - 1),
                        gdTrueColor(v, rnd_int(g, 150, 225), rnd_int(g, 150, 225)));
    }
    for (n = 0; n < 4; n++) {
        noise_curve(im, g, gdTrueColor(rnd_int(g, 140, 210), rnd_int(g, 140, 210),
                                       rnd_int(g, 140, 210)));
    }

    /* the text: dark, one colour per character */
    for (i = 0; i < DEVPLAT_CAPTCHA_LEN; i++) {
        ink[i][0] = rnd_int(g, 0, 110);
        ink[i][1] = rnd_int(g, 0, 110);
        ink[i][2] = rnd_int(g, 0, 110);
    }
    lay_out(a, text, g);
    wave(a, b, g);
    for (y = 0; y < H; y++) {
        for (x = 0; x < W; x++) {
            double c = b->cov[y][x];
            int under, k = b->who[y][x], rgb[3];

            if (c <= 0.02) {
                continue;
            }
            c = c > 0.5 ? 1.0 : c * 2;      /* crisp strokes, soft edges */
            under = gdImageGetTrueColorPixel(im, x, y);
            rgb[0] = gdTrueColorGetRed(under);
            rgb[1] = gdTrueColorGetGreen(under);
            rgb[2] = gdTrueColorGetBlue(under);
            for (i = 0; i < 3; i++) {
                rgb[i] = (int)(rgb[i] * (1 - c) + ink[k][i] * c + 0.5);
            }
            gdImageSetPixel(im, x, y, gdTrueColor(rgb[0], rgb[1], rgb[2]));
        }
    }

    /* over the text: two thin dark curves and scattered dots */
    for (n = 0; n < 2; n++) {
        int k = rnd_int(g, 0, DEVPLAT_CAPTCHA_LEN - 1);
        noise_curve(im, g, gdTrueColor(ink[k][0], ink[k][1], ink[k][2]));
    }
    for (n = 0; n < W * H / 40; n++) {
        int v = rnd_int(g, 0, 160);
        gdImageSetPixel(im, rnd_int(g, 0, W - 1), rnd_int(g, 0, H - 1),
                        gdTrueColor(v, rnd_int(g, 0, 160), rnd_int(g, 0, 160)));
    }
    return !g->failed;
}

unsigned char *devplat_captcha_png(apr_pool_t *p, const char *text, apr_size_t *len)
{
    gdImagePtr im;
    layer *a, *b;
    rnd *g;
    void *png = NULL;
    unsigned char *out = NULL;
    int size = 0;

    if (!in_alphabet(text) || !len) {
        return NULL;
    }
    g = apr_pcalloc(p, sizeof(*g));
    g->pos = sizeof(g->buf);
    a = apr_palloc(p, sizeof(*a));
    b = apr_palloc(p, sizeof(*b));
    im = gdImageCreateTrueColor(W, H);
    if (!im) {
        return NULL;
    }
    if (draw(im, text, g, a, b)) {
        /* a palette of 64 colours keeps the picture at about 3 KB; zlib's
         * level 9 would save 2% for twice the time */
        if (gdImageTrueColorToPalette(im, 0, 64)) {
            png = gdImagePngPtrEx(im, &size, 6);
        }
    }
    gdImageDestroy(im);
    if (png && size > 0) {
        out = apr_pmemdup(p, png, (apr_size_t)size);
        *len = (apr_size_t)size;
    }
    if (png) {
        gdFree(png);
    }
    return out;
}
