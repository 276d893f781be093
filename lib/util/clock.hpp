#pragma once

#include <cstdint>

namespace xuictl {

// Wall-clock time, behind an interface so plans ("expired?") are testable.
class Clock {
public:
    virtual ~Clock() = default;
    virtual int64_t now_ms() const = 0;  // unix milliseconds
};

class SystemClock final : public Clock {
public:
    int64_t now_ms() const override;
};

}  // namespace xuictl
