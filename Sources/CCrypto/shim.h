#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
// OpenSSL's libcrypto, for SHA-256, a CSPRNG and constant-time comparison of token hashes.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

// SHA-256 through one EVP_MD fetched once and shared by every thread. OpenSSL 3's one-shot
// SHA256() fetches the algorithm from its provider on every call, about 13,000 instructions:
// more than hashing a 3 KB result, and paid per upload and per site assessment.
static inline const EVP_MD *ccrypto_sha256_md(void) {
    static EVP_MD *cached;
    EVP_MD *md = __atomic_load_n(&cached, __ATOMIC_ACQUIRE);
    if (md != NULL) return md;
    md = EVP_MD_fetch(NULL, "SHA256", NULL);
    if (md == NULL) return NULL;
    EVP_MD *expected = NULL;
    if (!__atomic_compare_exchange_n(&cached, &expected, md, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        EVP_MD_free(md);  // another thread's fetch won
        return expected;
    }
    return md;
}

/// Writes the 32-byte SHA-256 of `count` bytes at `data` to `digest`; 1 on success.
static inline int ccrypto_sha256(const unsigned char *data, size_t count, unsigned char *digest) {
    const EVP_MD *md = ccrypto_sha256_md();
    if (md == NULL) return SHA256(data, count, digest) != NULL;
    return EVP_Digest(data, count, digest, NULL, md, NULL);
}

/// Writes the 32-byte HMAC-SHA256 (RFC 2104) of `count` bytes at `data` under `key` to
/// `mac`; 1 on success. Uses the shared SHA-256 EVP_MD, as ccrypto_sha256 does.
static inline int ccrypto_hmac_sha256(const unsigned char *key, size_t key_count, const unsigned char *data,
                                      size_t count, unsigned char *mac) {
    const EVP_MD *md = ccrypto_sha256_md();
    if (md == NULL) md = EVP_sha256();
    unsigned int length = 0;
    return HMAC(md, key, (int)key_count, data, count, mac, &length) != NULL && length == 32;
}
#endif
