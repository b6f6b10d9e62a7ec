#ifndef CTLS_SHIM_H
#define CTLS_SHIM_H
// OpenSSL's libssl for the agent's TLS probes: the handshake runs over memory BIOs so the
// bytes still travel through the Sockets layer. Swift cannot call OpenSSL's function-like
// macros, hence the `static inline` wrappers below.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// SNI (RFC 6066 §3): SSL_set_tlsext_host_name is a macro over SSL_ctrl.
static inline int ctls_set_server_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

/// TLS 1.2 as the floor: what browsers (and so the media clients) still negotiate.
static inline int ctls_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

/// The leaf certificate, owned by the caller (X509_free); renamed in OpenSSL 3.
static inline X509 *ctls_peer_certificate(SSL *ssl) {
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    return SSL_get1_peer_certificate(ssl);
#else
    return SSL_get_peer_certificate(ssl);
#endif
}

/// One field (by NID) of the certificate's issuer name into `buffer`; its length, or -1.
static inline int ctls_issuer_field(X509 *cert, int nid, char *buffer, int length) {
    return X509_NAME_get_text_by_NID(X509_get_issuer_name(cert), nid, buffer, length);
}

static inline int ctls_nid_common_name(void) { return NID_commonName; }
static inline int ctls_nid_organization(void) { return NID_organizationName; }
static inline long ctls_verify_ok(void) { return X509_V_OK; }
#endif
