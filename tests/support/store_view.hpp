#pragma once

#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace xuictl::test {

// One operation as the local store holds it at a given moment.
struct StoredOperation {
    std::string id;
    std::string status;  // "pending" until the outcome is recorded
    std::string command;
    bool snapshot_loads = false;  // its snapshot exists and parses, with the same id
};

// Every operation recorded under `state`, oldest first, read through the
// product's own read API (Store::operations, Store::snapshot,
// snapshot_from_json): the one function to change if the store changes.
// No database: none. An unreadable store is a test failure (REQUIRE).
std::vector<StoredOperation> stored_operations(const StateDir& state);

}  // namespace xuictl::test
