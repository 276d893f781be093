#include "model/list_decoder.hpp"

#include <fmt/format.h>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>

#include "json/stream_parse.hpp"

namespace xuictl {

// Every field xuictl reads, in the objects that hold them.
enum class ListDecoder::Field : uint8_t {
    none,  // a key nobody reads: its value is skipped
    in_id,
    in_remark,
    in_protocol,
    in_tag,
    in_port,
    in_enable,
    in_up,
    in_down,
    in_total,
    in_expiry,
    in_traffic_reset,
    in_node_id,
    in_settings,
    in_client_stats,
    settings_clients,
    cl_email,
    cl_enable,
    cl_total_gb,
    cl_expiry,
    cl_reset,
    cl_traffic_reset,
    cl_traffic_reset_day,
    tr_id,
    tr_inbound_id,
    tr_enable,
    tr_email,
    tr_up,
    tr_down,
    tr_total,
    tr_expiry,
    tr_reset,
    tr_reset_day,
    tr_reset_max,
    tr_reset_count,
    tr_last_online,
    tr_all_time,
};

namespace {

using Field = ListDecoder::Field;

enum class Type : uint8_t { int64, int32, boolean, string, nested };

struct FieldInfo {
    int frame;  // ListDecoder::Frame as int: the object the key belongs to
    std::string_view name;
    Field field;
    Type type;
    uint32_t required_bit;  // 0 = optional (missing or null reads as the default)
};

// Frame numbers as in ListDecoder::Frame (inbound = 1, settings = 2, client = 4,
// traffic = 6); kept in step by the static_asserts in the class body below.
constexpr int k_inbound = 1, k_settings = 2, k_client = 4, k_traffic = 6;

// Key → field, per object. Required bits are checked in this order when an
// object ends, so "missing" names the same field a reader would name first.
constexpr FieldInfo k_fields[] = {
    {k_inbound, "id", Field::in_id, Type::int32, 1},
    {k_inbound, "up", Field::in_up, Type::int64, 2},
    {k_inbound, "down", Field::in_down, Type::int64, 4},
    {k_inbound, "remark", Field::in_remark, Type::string, 0},
    {k_inbound, "protocol", Field::in_protocol, Type::string, 0},
    {k_inbound, "tag", Field::in_tag, Type::string, 0},
    {k_inbound, "port", Field::in_port, Type::int32, 0},
    {k_inbound, "enable", Field::in_enable, Type::boolean, 0},
    {k_inbound, "total", Field::in_total, Type::int64, 0},
    {k_inbound, "expiryTime", Field::in_expiry, Type::int64, 0},
    {k_inbound, "trafficReset", Field::in_traffic_reset, Type::string, 0},
    {k_inbound, "nodeId", Field::in_node_id, Type::int32, 0},  // a master's node inbound
    {k_inbound, "settings", Field::in_settings, Type::nested, 0},
    {k_inbound, "clientStats", Field::in_client_stats, Type::nested, 0},
    {k_settings, "clients", Field::settings_clients, Type::nested, 0},
    {k_client, "email", Field::cl_email, Type::string, 1},
    {k_client, "enable", Field::cl_enable, Type::boolean, 0},
    {k_client, "totalGB", Field::cl_total_gb, Type::int64, 0},  // bytes despite the name
    {k_client, "expiryTime", Field::cl_expiry, Type::int64, 0},
    {k_client, "reset", Field::cl_reset, Type::int32, 0},
    // After v3.6.0 (model.go:899-901, omitempty): the client's own cycle.
    {k_client, "trafficReset", Field::cl_traffic_reset, Type::string, 0},
    {k_client, "trafficResetDay", Field::cl_traffic_reset_day, Type::int32, 0},
    {k_traffic, "email", Field::tr_email, Type::string, 1},
    {k_traffic, "up", Field::tr_up, Type::int64, 2},
    {k_traffic, "down", Field::tr_down, Type::int64, 4},
    {k_traffic, "id", Field::tr_id, Type::int64, 0},
    {k_traffic, "inboundId", Field::tr_inbound_id, Type::int32, 0},
    {k_traffic, "enable", Field::tr_enable, Type::boolean, 0},
    {k_traffic, "total", Field::tr_total, Type::int64, 0},
    {k_traffic, "expiryTime", Field::tr_expiry, Type::int64, 0},
    {k_traffic, "reset", Field::tr_reset, Type::int32, 0},
    {k_traffic, "resetDay", Field::tr_reset_day, Type::int32, 0},
    {k_traffic, "resetMax", Field::tr_reset_max, Type::int32, 0},
    {k_traffic, "resetCount", Field::tr_reset_count, Type::int32, 0},
    {k_traffic, "lastOnline", Field::tr_last_online, Type::int64, 0},
    {k_traffic, "allTime", Field::tr_all_time, Type::int64, 0},
};

constexpr size_t k_field_count = static_cast<size_t>(Field::tr_all_time) + 1;

// Tables built once: field → its entry, and each object's run of k_fields.
struct FieldIndex {
    static constexpr size_t k_max_key = 16;  // longer keys are never ours
    static constexpr size_t k_per_length = 4;

    const FieldInfo* by_field[k_field_count] = {};
    // frame × key length → up to four k_fields entries (index + 1; 0 ends).
    uint8_t by_length[8][k_max_key][k_per_length] = {};
    uint32_t required[8] = {};  // the required bits of each object

    FieldIndex() {
        for (size_t i = 0; i < std::size(k_fields); ++i) {
            const FieldInfo& f = k_fields[i];
            by_field[static_cast<size_t>(f.field)] = &f;
            const auto frame = static_cast<size_t>(f.frame);
            required[frame] |= f.required_bit;
            uint8_t* slots = by_length[frame][f.name.size()];
            size_t k = 0;
            while (slots[k] != 0) {
                ++k;  // bounded: the static_assert below keeps k < k_per_length
            }
            slots[k] = static_cast<uint8_t>(i + 1);
        }
    }
};
// FieldIndex's fixed tables hold every key: short keys, few per length.
constexpr bool fits_field_index() {
    for (const auto& f : k_fields) {
        if (f.name.empty() || f.name.size() >= FieldIndex::k_max_key) {
            return false;
        }
        size_t same_length = 0;
        for (const auto& g : k_fields) {
            same_length += g.frame == f.frame && g.name.size() == f.name.size();
        }
        if (same_length > FieldIndex::k_per_length) {
            return false;
        }
    }
    return std::size(k_fields) < 255;
}
static_assert(fits_field_index());

const FieldIndex k_index;

const FieldInfo* info_of(Field field) {
    return k_index.by_field[static_cast<size_t>(field)];
}

// Called for every key of a 50 MB list. Most keys are ones nobody reads
// (uuids, subIds, timestamps): the length, then the first letter, reject them.
Field lookup(int frame, std::string_view key) {
    if (key.empty() || key.size() >= FieldIndex::k_max_key) {
        return Field::none;
    }
    const uint8_t* slots = k_index.by_length[frame][key.size()];
    for (size_t k = 0; k < FieldIndex::k_per_length && slots[k] != 0; ++k) {
        const std::string_view name = k_fields[slots[k] - 1].name;
        if (name[0] == key[0] && std::memcmp(name.data(), key.data(), key.size()) == 0) {
            return k_fields[slots[k] - 1].field;
        }
    }
    return Field::none;
}

bool is_array(int frame) {
    return frame == 0 || frame == 3 || frame == 5;
}

const char* expected(Type type) {
    switch (type) {
        case Type::int64:
        case Type::int32:
            return "an integer";
        case Type::boolean:
            return "a boolean";
        case Type::string:
            return "a string";
        case Type::nested:
            return "an array";
    }
    return "";
}

// Go marshals int64 as integers, but tolerate an integral double so that a
// panel behind a re-encoding proxy still works.
bool integral(double d, int64_t& out) {
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9.0e18) {
        out = static_cast<int64_t>(d);
        return true;
    }
    return false;
}

}  // namespace

ListDecoder::ListDecoder(std::string root_path, Root root)
    : m_root_path(std::move(root_path)), m_root(root) {
    static_assert(
        static_cast<int>(Frame::list) == 0 && static_cast<int>(Frame::inbound) == k_inbound &&
        static_cast<int>(Frame::settings) == k_settings && static_cast<int>(Frame::clients) == 3 &&
        static_cast<int>(Frame::client) == k_client && static_cast<int>(Frame::stats) == 5 &&
        static_cast<int>(Frame::traffic) == k_traffic);
    m_stack.reserve(8);
}

std::string ListDecoder::path(const char* missing_key) const {
    std::string p = m_root_path;
    for (size_t i = 0; i < m_stack.size(); ++i) {
        const Level& level = m_stack[i];
        if (is_array(static_cast<int>(level.frame))) {
            if (level.count > 0) {
                p += fmt::format("[{}]", level.count - 1);
            }
            continue;
        }
        const bool last = i + 1 == m_stack.size();
        std::string_view key;
        if (last && missing_key != nullptr) {
            key = missing_key;
        } else if (const FieldInfo* f = info_of(level.field)) {
            key = f->name;
        }
        if (!key.empty()) {
            p += p.empty() ? "" : ".";
            p += key;
        }
    }
    return p;
}

bool ListDecoder::fail(const std::string& why, const char* missing_key, bool hint) {
    if (!m_failed) {
        m_failed = true;
        m_error = make_error(
            ErrorKind::api, fmt::format("unexpected panel JSON at {}: {}", path(missing_key), why),
            hint ? "this panel version may not be supported; run with -v and report it" : "");
    }
    return false;
}

namespace {

const char* kind_name(int kind) {
    static constexpr const char* k_names[] = {"null",     "a boolean", "a number",
                                              "a string", "an object", "an array"};
    return k_names[kind];
}

}  // namespace

bool ListDecoder::begin_element(Kind kind) {
    const char* got = kind_name(static_cast<int>(kind));
    if (m_stack.empty()) {
        if (m_done) {
            return fail("more than one value");
        }
        if (m_root == Root::inbound_list) {
            // A panel with no inbounds sends [] (GORM's Find always yields a
            // non-nil slice); null must not read as "no clients at all".
            if (kind != Kind::array) {
                return fail(fmt::format("expected an array, got {}", got), nullptr, false);
            }
            m_stack.push_back({Frame::list});
        } else {
            if (kind != Kind::object) {
                return fail(fmt::format("expected an object, got {}", got), nullptr, false);
            }
            m_stack.push_back({Frame::traffic});
        }
        return true;
    }
    Level& top = m_stack.back();
    switch (top.frame) {
        case Frame::list:
        case Frame::clients:
        case Frame::stats: {
            ++top.count;
            if (kind != Kind::object) {
                return fail(fmt::format("expected an object, got {}", got), nullptr, false);
            }
            if (top.frame == Frame::list) {
                m_inbounds.emplace_back().traffic_reset = "never";
                m_stack.push_back({Frame::inbound});
            } else if (top.frame == Frame::clients) {
                m_inbounds.back().clients.emplace_back();
                m_stack.push_back({Frame::client});
            } else {
                m_inbounds.back().client_stats.emplace_back();
                m_stack.push_back({Frame::traffic});
            }
            return true;
        }
        case Frame::inbound:
        case Frame::settings:
        case Frame::client:
        case Frame::traffic:
            break;
    }
    // The value of an object's field is a container.
    switch (top.field) {
        case Field::none:
            m_skip_depth = 1;
            return true;
        case Field::in_settings:
            if (kind != Kind::object) {
                return m_settings_text
                           ? fail(fmt::format("expected an object, got {}", got), nullptr, false)
                           : fail(fmt::format("expected a JSON string or an object, got {}", got));
            }
            m_inbounds.back().settings_was_object = !m_settings_text;
            m_settings_text = false;
            m_stack.push_back({Frame::settings});
            return true;
        case Field::in_client_stats:
        case Field::settings_clients:
            if (kind != Kind::array) {
                return fail(fmt::format("expected an array, got {}", got));
            }
            if (top.field == Field::in_client_stats) {
                m_stack.push_back({Frame::stats});
            } else {
                m_stack.push_back({Frame::clients});
            }
            return true;
        default: {
            const FieldInfo* f = info_of(top.field);
            return fail(fmt::format("expected {}, got {}", expected(f->type), got));
        }
    }
}

bool ListDecoder::on_container(Kind kind) {
    if (m_skip_depth > 0) {
        ++m_skip_depth;
        return true;
    }
    return begin_element(kind);
}

bool ListDecoder::on_scalar(const Scalar& v) {
    if (m_skip_depth > 0) {
        return true;
    }
    if (m_stack.empty() || is_array(static_cast<int>(m_stack.back().frame))) {
        return begin_element(v.kind);  // a scalar where an object or array belongs
    }
    return assign(m_stack.back(), v);
}

bool ListDecoder::parse_settings_text(std::string_view text) {
    // ≤ v3.0.x: settings is a string holding JSON (§4.2). Its events come back
    // here, as if the object had been nested.
    m_settings_text = true;
    const size_t depth = m_stack.size();
    long error_at = -1;
    const Status parsed = parse_json_text(text, *this, error_at);
    m_settings_text = false;
    if (!parsed && !m_failed) {
        m_stack.resize(depth);  // the error is the string's, not a field's inside it
        return fail(fmt::format("the settings string is not valid JSON (byte {})", error_at),
                    nullptr, false);
    }
    return parsed.ok();
}

bool ListDecoder::assign(Level& level, const Scalar& v) {
    const Field field = level.field;
    if (field == Field::none) {
        return true;
    }
    const char* got = kind_name(static_cast<int>(v.kind));
    if (field == Field::in_settings) {
        if (m_settings_text) {
            return fail(fmt::format("expected an object, got {}", got), nullptr, false);
        }
        if (v.kind == Kind::string) {
            return parse_settings_text(v.s);
        }
        return v.kind == Kind::null ||
               fail(fmt::format("expected a JSON string or an object, got {}", got));
    }
    const FieldInfo* f = info_of(field);
    if (v.kind == Kind::null && f->required_bit == 0) {
        return true;  // null reads as the default, like a missing field
    }
    level.seen |= f->required_bit;
    int64_t n = 0;
    switch (f->type) {
        case Type::nested:
            return fail(fmt::format("expected an array, got {}", got));
        case Type::int64:
        case Type::int32:
            if (v.kind != Kind::number || !(v.is_integer ? (n = v.i, true) : integral(v.d, n))) {
                return fail(fmt::format("expected an integer, got {}", got));
            }
            if (f->type == Type::int32 &&
                (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max())) {
                return fail(fmt::format("integer {} out of range", n));
            }
            break;
        case Type::boolean:
            if (v.kind != Kind::boolean) {
                return fail(fmt::format("expected a boolean, got {}", got));
            }
            break;
        case Type::string:
            if (v.kind != Kind::string) {
                return fail(fmt::format("expected a string, got {}", got));
            }
            break;
    }
    const int i32 = static_cast<int>(n);
    switch (field) {
        case Field::in_id:
            m_inbounds.back().id = i32;
            break;
        case Field::in_remark:
            m_inbounds.back().remark = v.s;
            break;
        case Field::in_protocol:
            m_inbounds.back().protocol = v.s;
            break;
        case Field::in_tag:
            m_inbounds.back().tag = v.s;
            break;
        case Field::in_port:
            m_inbounds.back().port = i32;
            break;
        case Field::in_enable:
            m_inbounds.back().enable = v.b;
            break;
        case Field::in_up:
            m_inbounds.back().up = n;
            break;
        case Field::in_down:
            m_inbounds.back().down = n;
            break;
        case Field::in_total:
            m_inbounds.back().total = n;
            break;
        case Field::in_expiry:
            m_inbounds.back().expiry_time = n;
            break;
        case Field::in_traffic_reset:
            m_inbounds.back().traffic_reset = v.s;
            break;
        case Field::in_node_id:
            m_inbounds.back().node_id = i32;
            break;
        case Field::cl_email:
            m_inbounds.back().clients.back().email = v.s;
            break;
        case Field::cl_enable:
            m_inbounds.back().clients.back().enable = v.b;
            break;
        case Field::cl_total_gb:
            m_inbounds.back().clients.back().total_bytes = n;
            // list/slim keeps only email, enable and comment (docs/panel-api.md).
            m_inbounds.back().clients_complete = true;
            break;
        case Field::cl_expiry:
            m_inbounds.back().clients.back().expiry_time = n;
            break;
        case Field::cl_reset:
            m_inbounds.back().clients.back().reset = i32;
            break;
        case Field::cl_traffic_reset:
            // Text the panel does not use reads as unknown, never as an error.
            m_inbounds.back().clients.back().traffic_cycle = traffic_cycle_from(v.s);
            break;
        case Field::cl_traffic_reset_day:
            m_inbounds.back().clients.back().traffic_reset_day = i32;
            break;
        default: {
            ClientTraffic& t =
                m_root == Root::client_traffic ? m_traffic : m_inbounds.back().client_stats.back();
            switch (field) {
                case Field::tr_id:
                    t.id = n;
                    break;
                case Field::tr_inbound_id:
                    t.inbound_id = i32;
                    break;
                case Field::tr_enable:
                    t.enable = v.b;
                    break;
                case Field::tr_email:
                    t.email = v.s;
                    break;
                case Field::tr_up:
                    t.up = n;
                    break;
                case Field::tr_down:
                    t.down = n;
                    break;
                case Field::tr_total:
                    t.total = n;
                    break;
                case Field::tr_expiry:
                    t.expiry_time = n;
                    break;
                case Field::tr_reset:
                    t.reset = i32;
                    break;
                case Field::tr_reset_day:
                    t.reset_day = i32;
                    break;
                case Field::tr_reset_max:
                    t.reset_max = i32;
                    break;
                case Field::tr_reset_count:
                    t.reset_count = i32;
                    if (m_root != Root::client_traffic) {
                        // Always marshalled after v3.6.0: per-client cycles exist here.
                        m_inbounds.back().rows_after_3_6 = true;
                    }
                    break;
                case Field::tr_last_online:
                    t.last_online = n;
                    break;
                case Field::tr_all_time:
                    t.all_time = n;
                    break;
                default:
                    break;
            }
        }
    }
    return true;
}

bool ListDecoder::check_required(const Level& level) {
    const int frame = static_cast<int>(level.frame);
    if ((level.seen & k_index.required[frame]) == k_index.required[frame]) {
        return true;  // the common case, without a scan
    }
    for (const auto& f : k_fields) {
        if (f.frame == frame && f.required_bit != 0 && (level.seen & f.required_bit) == 0) {
            return fail("missing", std::string(f.name).c_str());
        }
    }
    return true;
}

bool ListDecoder::key(std::string_view name) {
    if (m_skip_depth > 0) {
        return true;
    }
    Level& top = m_stack.back();
    top.field = lookup(static_cast<int>(top.frame), name);
    if (top.field == Field::in_traffic_reset) {
        // The field exists from v2.8.1 on, even when null: a version hint.
        m_inbounds.back().has_traffic_reset = true;
    }
    return true;
}

bool ListDecoder::skip_value() {
    // A scalar for Field::none is ignored by assign(), a container is counted
    // away by m_skip_depth: either way the state after the value is the state
    // after key(), which skipping leaves as it is.
    return m_skip_depth > 0 || (!m_stack.empty() && m_stack.back().field == Field::none);
}

bool ListDecoder::end_object() {
    if (m_skip_depth > 0) {
        --m_skip_depth;
        return true;
    }
    if (!check_required(m_stack.back())) {
        return false;
    }
    if (m_stack.back().frame == Frame::inbound && m_inbound_done) {
        m_inbound_done(m_inbounds.back());
    }
    m_stack.pop_back();
    m_done = m_stack.empty();
    return true;
}

bool ListDecoder::end_array() {
    if (m_skip_depth > 0) {
        --m_skip_depth;
        return true;
    }
    // Give back what doubling left over: up to half of 100 000 clients.
    if (m_stack.back().frame == Frame::clients) {
        m_inbounds.back().clients.shrink_to_fit();
    } else if (m_stack.back().frame == Frame::stats) {
        m_inbounds.back().client_stats.shrink_to_fit();
    }
    m_stack.pop_back();
    m_done = m_stack.empty();
    return true;
}

bool ListDecoder::null() {
    return on_scalar({Kind::null, false, false, 0, 0, {}});
}
bool ListDecoder::boolean(bool value) {
    return on_scalar({Kind::boolean, value, false, 0, 0, {}});
}
bool ListDecoder::integer(int64_t value) {
    return on_scalar({Kind::number, false, true, value, 0, {}});
}
bool ListDecoder::number(double value) {
    return on_scalar({Kind::number, false, false, 0, value, {}});
}
bool ListDecoder::string(std::string_view value) {
    return on_scalar({Kind::string, false, false, 0, 0, value});
}
bool ListDecoder::start_object() {
    return on_container(Kind::object);
}
bool ListDecoder::start_array() {
    return on_container(Kind::array);
}

Result<std::vector<Inbound>> ListDecoder::take_inbounds() {
    if (m_failed) {
        return m_error;
    }
    if (!m_done) {
        return make_error(ErrorKind::api,
                          fmt::format("unexpected panel JSON at {}: missing", m_root_path));
    }
    return std::move(m_inbounds);
}

Result<ClientTraffic> ListDecoder::take_traffic() {
    if (m_failed) {
        return m_error;
    }
    if (!m_done) {
        return make_error(ErrorKind::api,
                          fmt::format("unexpected panel JSON at {}: missing", m_root_path));
    }
    return std::move(m_traffic);
}

}  // namespace xuictl
