/* crypto.c - libsodium wrappers. Nothing here invents cryptography. */
#include "base/common.h"
#include "base/buf.h"
#include "base/crypto.h"

#include <sodium.h>

int rb_crypto_init(void)
{
    return sodium_init() < 0 ? RB_EINTERNAL : 0;
}

void rb_uuid_new(char out[37])
{
    unsigned char b[16];
    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
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
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return RB_ENOMEM;
    return 0;
}

bool rb_password_verify(const char *hash, const char *password)
{
    if (!hash || !password)
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}
