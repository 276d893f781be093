#include "json/compact_text.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace xuictl {

std::string compact_text(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    value.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace xuictl
