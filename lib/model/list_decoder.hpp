#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "json/events.hpp"
#include "model/inbound.hpp"
#include "util/result.hpp"

namespace xuictl {

// Builds inbounds (3x-ui-api.md §6.1) or one client_traffics row (§6.2)
// straight from JSON events, so a 100 000-client list is decoded while it
// streams in, without a document. Reads both settings shapes: a string
// holding JSON (≤ v3.0.x, parsed a second time) and a nested object (v3.1+).
// The first missing or mistyped field stops decoding with an api Error that
// names its JSON path ("obj[3].clientStats[0].up: expected an integer, got a
// string"); unknown fields are skipped. Paths are only built for that Error.
class ListDecoder final : public JsonEvents {
public:
    enum class Root { inbound_list, client_traffic };

    // `root_path` names the decoded value in errors ("obj").
    ListDecoder(std::string root_path, Root root);

    bool null() override;
    bool boolean(bool value) override;
    bool integer(int64_t value) override;
    bool number(double value) override;
    bool string(std::string_view value) override;
    bool key(std::string_view name) override;
    bool start_object() override;
    bool end_object() override;
    bool start_array() override;
    bool end_array() override;
    Error stop_reason() const override { return m_error; }
    // True for the value of a key that maps to no field (and inside a value
    // already being skipped): its events would change nothing.
    bool skip_value() override;

    // After the last event: the inbounds (Root::inbound_list) or the row
    // (Root::client_traffic), or the first problem (also "nothing decoded").
    Result<std::vector<Inbound>> take_inbounds();
    // Called with each inbound as soon as its object has ended, before the
    // next one is read: a reader can consume its clients while the list is
    // still streaming in (UsageBuilder::consume).
    void on_inbound(std::function<void(Inbound&)> done) { m_inbound_done = std::move(done); }
    Result<ClientTraffic> take_traffic();

    // The fields, one enum across the objects read; public for the key table.
    enum class Field : uint8_t;

private:
    enum class Frame : uint8_t { list, inbound, settings, clients, client, stats, traffic };
    struct Level {
        Frame frame;
        uint32_t count = 0;  // arrays: elements begun
        Field field{};       // objects: the field whose value comes next
        uint32_t seen = 0;   // objects: required fields present (bits)
    };
    enum class Kind : uint8_t { null, boolean, number, string, object, array };
    struct Scalar {
        Kind kind;
        bool b = false;
        bool is_integer = false;
        int64_t i = 0;
        double d = 0;
        std::string_view s;
    };

    bool on_scalar(const Scalar& v);
    bool on_container(Kind kind);
    // The value of the current field, or an array element, begins.
    bool begin_element(Kind kind);
    bool assign(Level& level, const Scalar& v);
    bool parse_settings_text(std::string_view text);
    bool check_required(const Level& level);
    bool fail(const std::string& why, const char* missing_key = nullptr, bool hint = true);
    std::string path(const char* missing_key) const;

    std::string m_root_path;
    Root m_root;
    std::vector<Level> m_stack;
    uint32_t m_skip_depth = 0;     // > 0 while skipping a value nobody reads
    bool m_settings_text = false;  // the next root value is a settings string's
    bool m_done = false;
    bool m_failed = false;
    Error m_error;
    std::vector<Inbound> m_inbounds;
    std::function<void(Inbound&)> m_inbound_done;
    ClientTraffic m_traffic;
};

}  // namespace xuictl
