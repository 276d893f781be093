#include "tls.hpp"

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util.hpp"

namespace sandbox {

namespace {

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("TLS setup failed: ") + what);
}

EVP_PKEY* generate_p256() {
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), &EVP_PKEY_CTX_free);
    EVP_PKEY* key = nullptr;
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
        EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0 ||
        EVP_PKEY_generate(ctx.get(), &key) <= 0) {
        fail("key generation");
    }
    return key;
}

void add_extension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
        fail("certificate extension");
    }
    X509_EXTENSION_free(ext);
}

}  // namespace

TlsMaterial::TlsMaterial(const std::vector<std::string>& dns_names,
                         const std::vector<std::string>& ips) {
    m_key = generate_p256();
    m_cert = X509_new();
    if (m_cert == nullptr || X509_set_version(m_cert, 2) != 1) {
        fail("X509_new");
    }
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7FU;
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(m_cert));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(m_cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(m_cert), 30L * 24 * 3600);
    X509_set_pubkey(m_cert, m_key);
    X509_NAME* name = X509_get_subject_name(m_cert);
    const std::string cn = "xuictl-sandbox";
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(m_cert, name);

    std::string san;
    for (const auto& dns : dns_names) {
        san += (san.empty() ? "" : ",") + std::string("DNS:") + dns;
    }
    for (const auto& ip : ips) {
        san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
    }
    add_extension(m_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(m_cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
    add_extension(m_cert, NID_ext_key_usage, "serverAuth");
    add_extension(m_cert, NID_subject_key_identifier, "hash");
    add_extension(m_cert, NID_subject_alt_name, san);
    if (X509_sign(m_cert, m_key, EVP_sha256()) <= 0) {
        fail("X509_sign");
    }

    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_X509(bio.get(), m_cert);
    char* data = nullptr;
    const long len = BIO_ctrl(bio.get(), BIO_CTRL_INFO, 0, static_cast<void*>(&data));
    m_cert_pem.assign(data, static_cast<std::size_t>(len));

    std::string tmpl = "/tmp/xuictl-sandbox.XXXXXX";
    std::vector<char> dir(tmpl.begin(), tmpl.end());
    dir.push_back('\0');
    if (::mkdtemp(dir.data()) == nullptr) {  // mkdtemp creates the directory with mode 0700
        fail("mkdtemp");
    }
    m_dir = dir.data();
    m_cert_path = m_dir + "/cert.pem";
    std::string error;
    if (!write_file_atomic(m_cert_path, m_cert_pem, error)) {
        fail("writing the certificate");
    }
}

TlsMaterial::~TlsMaterial() {
    if (!m_cert_path.empty()) {
        ::unlink(m_cert_path.c_str());
    }
    if (!m_dir.empty()) {
        ::rmdir(m_dir.c_str());
    }
    X509_free(m_cert);
    EVP_PKEY_free(m_key);
}

}  // namespace sandbox
