#pragma once

#include <string>
#include <vector>

using X509 = struct x509_st;
using EVP_PKEY = struct evp_pkey_st;

namespace sandbox {

// A self-signed P-256 certificate generated in memory at startup: CA:TRUE
// (so `curl --cacert` accepts it as its own trust anchor) with SAN entries
// for the given DNS names and IPs. The PEM is also written to a private
// temporary directory (0700 dir, 0600 file) that is removed on destruction.
class TlsMaterial {
public:
    TlsMaterial(const std::vector<std::string>& dns_names, const std::vector<std::string>& ips);
    ~TlsMaterial();
    TlsMaterial(const TlsMaterial&) = delete;
    TlsMaterial& operator=(const TlsMaterial&) = delete;

    [[nodiscard]] X509* cert() const { return m_cert; }
    [[nodiscard]] EVP_PKEY* key() const { return m_key; }
    [[nodiscard]] const std::string& cert_pem() const { return m_cert_pem; }
    // Path of the PEM copy in the private temp dir.
    [[nodiscard]] const std::string& cert_path() const { return m_cert_path; }

private:
    X509* m_cert = nullptr;
    EVP_PKEY* m_key = nullptr;
    std::string m_cert_pem;
    std::string m_dir;
    std::string m_cert_path;
};

}  // namespace sandbox
