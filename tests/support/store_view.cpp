#include "support/store_view.hpp"

#include <catch2/catch.hpp>

#include "store/snapshot.hpp"
#include "store/store.hpp"

namespace xuictl::test {

std::vector<StoredOperation> stored_operations(const StateDir& state) {
    std::vector<StoredOperation> out;
    if (!std::filesystem::exists(state.db_path())) {
        return out;
    }
    auto store = open_store(state.store_location());
    INFO((store ? std::string() : store.error().message));
    REQUIRE(store);
    auto list = (*store)->operations();
    INFO((list ? std::string() : list.error().message));
    REQUIRE(list);
    for (const auto& e : list->entries) {
        StoredOperation op{e.id, e.status, e.command, false};
        if (auto body = (*store)->snapshot(e.id); body && *body) {
            auto snapshot = snapshot_from_json(**body, e.id);
            op.snapshot_loads = snapshot && snapshot->id == e.id;
        }
        out.push_back(std::move(op));
    }
    return out;
}

}  // namespace xuictl::test
