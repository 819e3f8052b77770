/* crypto.c - libsodium wrappers. Nothing here invents cryptography. */
#include "base/common.h"
#include "base/buf.h"
#include "base/crypto.h"
#include "base/mem.h"

#include <sodium.h>

int rb_crypto_init(void)
{
    return sodium_init() < 0 ? RB_EINTERNAL : 0;
}

/* 16 bytes as a UUID in lower-case text form. */
static void uuid_text(const unsigned char b[16], char out[37])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

void rb_uuid_new(char out[37])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    uuid_text(b, out);
}

/* SHA-1 (FIPS 180-4, section 6.1) of one message, for name-based UUIDs only: RFC 4122 version 5
 * is defined over SHA-1, and libsodium has none. Not for anything that needs a secure hash. */
static uint32_t rol32(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(uint32_t h[5], const unsigned char *p)
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
    for (int t = 16; t < 80; t++)
        w[t] = rol32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20)
            f = (b & c) | (~b & d), k = 0x5a827999;
        else if (t < 40)
            f = b ^ c ^ d, k = 0x6ed9eba1;
        else if (t < 60)
            f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
        else
            f = b ^ c ^ d, k = 0xca62c1d6;
        uint32_t tmp = rol32(a, 5) + f + e + k + w[t];
        e = d, d = c, c = rol32(b, 30), b = a, a = tmp;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

static void sha1(const unsigned char *m, size_t len, unsigned char out[20])
{
    uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    size_t full = len / 64 * 64;
    for (size_t i = 0; i < full; i += 64)
        sha1_block(h, m + i);
    /* The padding: 0x80, zeros, the length in bits (64-bit big-endian); one or two blocks. */
    unsigned char tail[128] = {0};
    size_t rest = len - full, n = rest + 9 <= 64 ? 64 : 128;
    memcpy(tail, m + full, rest);
    tail[rest] = 0x80;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++)
        tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
    for (size_t i = 0; i < n; i += 64)
        sha1_block(h, tail + i);
    for (int i = 0; i < 20; i++)
        out[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

int rb_uuid_v5(const char *ns, const char *name, char out[37])
{
    size_t nlen = name ? strlen(name) : 0;
    if (!rb_uuid_valid(ns) || nlen > RB_UUID_NAME_MAX)
        return RB_EINVAL;
    unsigned char *m = rb_malloc(16 + nlen + 1);
    if (!m)
        return RB_ENOMEM;
    for (int i = 0, o = 0; i < 36; i++)
        if (ns[i] != '-') {
            m[o / 2] = (unsigned char)(o % 2 ? m[o / 2] | hexval(ns[i]) : hexval(ns[i]) << 4);
            o++;
        }
    if (nlen)
        memcpy(m + 16, name, nlen);
    unsigned char d[20];
    sha1(m, 16 + nlen, d);
    rb_free(m);
    d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);
    d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
    uuid_text(d, out);
    return 0;
}

bool rb_uuid_valid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-')
                return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return false;
        }
    }
    return true;
}

void rb_random_hex(size_t nbytes, char *out)
{
    unsigned char b[64];
    if (nbytes > sizeof(b))
        nbytes = sizeof(b);
    randombytes_buf(b, nbytes);
    sodium_bin2hex(out, nbytes * 2 + 1, b, nbytes);
    sodium_memzero(b, sizeof(b));
}

void rb_sha256_hex(const void *data, size_t len, char out[RB_SHA256_HEX_SIZE])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(out, RB_SHA256_HEX_SIZE, h, sizeof(h));
}

void rb_sha512_hex(const void *data, size_t len, char out[RB_SHA512_HEX_SIZE])
{
    unsigned char h[crypto_hash_sha512_BYTES];
    crypto_hash_sha512(h, data, len);
    sodium_bin2hex(out, RB_SHA512_HEX_SIZE, h, sizeof(h));
}

void rb_hmac_sha256_hex(const void *key, size_t keylen, const struct rb_str *parts, int n,
                        char out[RB_SHA256_HEX_SIZE])
{
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, key, keylen);
    for (int i = 0; i < n; i++)
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)parts[i].ptr, parts[i].len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, RB_SHA256_HEX_SIZE, mac, sizeof(mac));
    sodium_memzero(&st, sizeof(st));
}

bool rb_ct_streq(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return false;
    return sodium_memcmp(a, b, la) == 0;
}

int rb_password_hash(const char *password, char out[RB_PWHASH_SIZE])
{
    _Static_assert(RB_PWHASH_SIZE >= crypto_pwhash_STRBYTES, "hash buffer too small");
    if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return RB_ENOMEM;
    return 0;
}

bool rb_password_verify(const char *hash, const char *password)
{
    if (!hash || !password)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
