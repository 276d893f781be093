#include "json/json_text.hpp"

#include <charconv>
#include <cstring>
#include <limits>

namespace xuictl {
namespace {

unsigned hex4(const char* p) {
    unsigned value = 0;
    for (int i = 0; i < 4; ++i) {
        value = value * 16 + static_cast<unsigned>(json_hex_digit(p[i]));
    }
    return value;
}

// As RapidJSON's UTF8::Encode, lone surrogates included.
void append_utf8(std::string& out, unsigned cp) {
    if (cp <= 0x7F) {
        out += static_cast<char>(cp);
    } else if (cp <= 0x7FF) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp <= 0xFFFF) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

// Escapes were validated by JsonStreamReader::check_escape().
// Settings strings (≤ v3.0.x) are mostly escaped quotes: runs are copied whole.
void decode_json_escapes(std::string_view raw, std::string& out) {
    out.clear();
    out.reserve(raw.size());
    size_t i = 0;
    for (;;) {
        const void* found = std::memchr(raw.data() + i, '\\', raw.size() - i);
        const size_t slash = found != nullptr
                                 ? static_cast<size_t>(static_cast<const char*>(found) - raw.data())
                                 : raw.size();
        out.append(raw.data() + i, slash - i);
        if (slash == raw.size()) {
            return;
        }
        i = slash + 1;
        const char e = raw[i++];
        switch (e) {
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                unsigned cp = hex4(raw.data() + i);
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    const unsigned low = hex4(raw.data() + i + 2);  // after its backslash and u
                    i += 6;
                    cp = (((cp - 0xD800) << 10) | (low - 0xDC00)) + 0x10000;
                }
                append_utf8(out, cp);
                break;
            }
            default:
                out += e;
                break;  // '"', '\\', '/'
        }
    }
}

namespace {

// from_chars says only "out of range": whether the value is too large or too
// small follows from its decimal exponent (RapidJSON gives ±inf or ±0 there).
double out_of_range_value(std::string_view text) {
    const bool minus = !text.empty() && text[0] == '-';
    // The value is 0.d... × 10^(scale + exponent), d the first non-zero digit.
    long long scale = 0;
    long long fraction_digits = 0;
    bool found = false;
    bool fraction = false;
    size_t i = minus ? 1 : 0;
    for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
        if (text[i] == '.') {
            fraction = true;
            continue;
        }
        if (!found && text[i] != '0') {
            found = true;
            scale = fraction ? -fraction_digits : 0;
        }
        if (fraction) {
            ++fraction_digits;
        } else if (found) {
            ++scale;
        }
    }
    long long exponent = 0;
    bool exponent_minus = false;
    if (i < text.size()) {
        ++i;
        if (text[i] == '+' || text[i] == '-') {
            exponent_minus = text[i] == '-';
            ++i;
        }
        // Saturates: RapidJSON accepts any number of digits in a negative exponent.
        for (; i < text.size() && exponent < 1'000'000'000'000LL; ++i) {
            exponent = exponent * 10 + (text[i] - '0');
        }
    }
    const long long power = scale + (exponent_minus ? -exponent : exponent);
    const double magnitude = power > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    return minus ? -magnitude : magnitude;
}

}  // namespace

double json_number_value(std::string_view text) {
    double value = 0;
    const char* first = text.data();
    const auto [ptr, ec] = std::from_chars(first, first + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
        value = out_of_range_value(text);
    }
    return value;
}

}  // namespace xuictl
