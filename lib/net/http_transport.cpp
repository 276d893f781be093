#include "net/http_transport.hpp"

namespace xuictl {

std::string HttpResponse::header(const std::string& lower_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_name) {
            return value;
        }
    }
    return {};
}

}  // namespace xuictl
