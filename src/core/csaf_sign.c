/*
 * csaf_sign.c - OpenPGP signatures of the CSAF provider's files through GPGME (see
 * csaf_sign.h).
 *
 * Must never sign with a key the operator did not name, or prompt for a passphrase.
 */
#include "base/common.h"

#include <ctype.h>
#include <gpgme.h>

#include "base/log.h"
#include "core/csaf_sign.h"

static char key_fpr[CSAF_FPR_MAX + 1];
static char home[512];

static int new_ctx(gpgme_ctx_t *ctx)
{
    if (gpgme_new(ctx) != GPG_ERR_NO_ERROR)
        return RB_EIO;
    gpgme_set_protocol(*ctx, GPGME_PROTOCOL_OpenPGP);
    if (home[0])
        gpgme_ctx_set_engine_info(*ctx, GPGME_PROTOCOL_OpenPGP, NULL, home);
    gpgme_set_armor(*ctx, 1);
    gpgme_set_pinentry_mode(*ctx, GPGME_PINENTRY_MODE_LOOPBACK);
    return 0;
}

/* A context for the configured key: RB_ENOTFOUND when none is configured, RB_EIO when GPGME
 * cannot start. */
static int key_ctx(gpgme_ctx_t *ctx)
{
    if (!key_fpr[0])
        return RB_ENOTFOUND;
    return new_ctx(ctx);
}

/* Moves what GPGME wrote into out. */
static int take(gpgme_data_t d, rb_buf *out)
{
    size_t n = 0;
    char *mem = gpgme_data_release_and_get_mem(d, &n);
    int rc = mem && n ? rb_buf_add(out, mem, n) : RB_EIO;
    gpgme_free(mem);
    return rc;
}

int csaf_sign_configure(const char *fpr, const char *gnupg_home, rb_errinfo *ei)
{
    size_t n = fpr ? strlen(fpr) : 0;
    if (n < 16 || n > CSAF_FPR_MAX || strspn(fpr, "0123456789abcdefABCDEF") != n)
        return rb_err(ei, RB_EINVAL, "csaf-signing-key",
                      "--csaf-signing-key takes the key's fingerprint (40 hexadecimal digits, "
                      "as gpg --list-secret-keys --with-colons prints it)");
    gpgme_check_version(NULL);
    if (gnupg_home && rb_strlcpy(home, gnupg_home, sizeof(home)))
        return rb_err(ei, RB_EINVAL, "gnupg-home", "--gnupg-home is too long");
    gpgme_ctx_t ctx;
    if (new_ctx(&ctx))
        return rb_err(ei, RB_EIO, "", "cannot start GPGME");
    gpgme_key_t key = NULL;
    gpgme_error_t e = gpgme_get_key(ctx, fpr, &key, 1);
    bool ok = e == GPG_ERR_NO_ERROR && key && key->can_sign && !key->revoked && !key->expired;
    if (key)
        gpgme_key_unref(key);
    gpgme_release(ctx);
    if (!ok)
        return rb_err(ei, RB_ENOTFOUND, "csaf-signing-key",
                      "the keyring (GNUPGHOME) holds no usable secret signing key %s", fpr);
    for (size_t i = 0; i < n; i++)
        key_fpr[i] = (char)toupper((unsigned char)fpr[i]);
    key_fpr[n] = '\0';
    return 0;
}

const char *csaf_sign_key(void)
{
    return key_fpr[0] ? key_fpr : NULL;
}

int csaf_sign(const void *data, size_t len, rb_buf *out)
{
    gpgme_ctx_t ctx;
    int rc = key_ctx(&ctx);
    if (rc)
        return rc;
    rc = RB_EIO;
    gpgme_key_t key = NULL;
    gpgme_data_t in = NULL, sig = NULL;
    if (gpgme_get_key(ctx, key_fpr, &key, 1) || gpgme_signers_add(ctx, key) ||
        gpgme_data_new_from_mem(&in, data, len, 0) || gpgme_data_new(&sig))
        goto out;
    gpgme_error_t e = gpgme_op_sign(ctx, in, sig, GPGME_SIG_MODE_DETACH);
    if (e != GPG_ERR_NO_ERROR) {
        rb_log(RB_LOG_ERROR, "gpgme: cannot sign: %s", gpgme_strerror(e));
        goto out;
    }
    rc = take(sig, out);
    sig = NULL;
out:
    if (sig)
        gpgme_data_release(sig);
    if (in)
        gpgme_data_release(in);
    if (key)
        gpgme_key_unref(key);
    gpgme_release(ctx);
    return rc;
}

int csaf_sign_public_key(rb_buf *out)
{
    gpgme_ctx_t ctx;
    int rc = key_ctx(&ctx);
    if (rc)
        return rc;
    gpgme_data_t d = NULL;
    rc = RB_EIO;
    if (!gpgme_data_new(&d) && !gpgme_op_export(ctx, key_fpr, 0, d)) {
        rc = take(d, out);
        d = NULL;
    }
    if (d)
        gpgme_data_release(d);
    gpgme_release(ctx);
    return rc;
}
