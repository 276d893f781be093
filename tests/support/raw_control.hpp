#pragma once

#include <string>

namespace xuictl::test {

// True when text holds a byte a terminal would act on: a C0 control other
// than the '\n' line ends output writes itself, DEL, or the UTF-8 form of a
// C1 control (U+0080-U+009F).
inline bool has_raw_control(const std::string& text) {
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c < 0x20 && c != '\n') || c == 0x7F) {
            return true;
        }
        if (c == 0xC2 && i + 1 < text.size() &&
            (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0x80) {
            return true;
        }
    }
    return false;
}

}  // namespace xuictl::test
