#include "support/store_view.hpp"

#include <catch2/catch.hpp>

#include "store/audit.hpp"
#include "store/files.hpp"
#include "store/snapshot.hpp"

namespace xuictl::test {

std::vector<StoredOperation> stored_operations(const StateDir& state) {
    std::vector<StoredOperation> out;
    if (!std::filesystem::exists(state.audit_path())) {
        return out;
    }
    auto entries = AuditLog(state.audit_path().string()).read_all();
    INFO((entries ? std::string() : entries.error().message));
    REQUIRE(entries);
    for (const auto& e : *entries) {
        StoredOperation op{e.id, e.status, e.command, false};
        if (auto text = read_file(e.snapshot)) {
            auto snapshot = snapshot_from_json(*text, e.snapshot);
            op.snapshot_loads = snapshot && snapshot->id == e.id;
        }
        out.push_back(std::move(op));
    }
    return out;
}

}  // namespace xuictl::test
