#include "json/json_text.hpp"

#include <charconv>
#include <cstring>
#include <limits>

namespace xuictl {

char* put_utf8(char* o, unsigned cp) {
    if (cp <= 0x7F) {
        *o++ = static_cast<char>(cp);
    } else if (cp <= 0x7FF) {
        *o++ = static_cast<char>(0xC0 | (cp >> 6));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp <= 0xFFFF) {
        *o++ = static_cast<char>(0xE0 | (cp >> 12));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        *o++ = static_cast<char>(0xF0 | (cp >> 18));
        *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *o++ = static_cast<char>(0x80 | (cp & 0x3F));
    }
    return o;
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
