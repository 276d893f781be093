#pragma once

#include <rapidjson/document.h>

#include <string>

namespace xuictl {

// `value` as one-line JSON text (RapidJSON's Writer).
std::string compact_text(const rapidjson::Value& value);

}  // namespace xuictl
