#pragma once

#include <string>

#include "panel/identity.hpp"
#include "panel/panel_role.hpp"

namespace xuictl {

// Whether `node`, one entry of a master's node list, is the panel at
// `panel`: the address the master dials (internal/web/runtime/remote.go:
// 154-176) equals the panel's own URL, compared exactly, with no DNS
// lookup — scheme (anything but "http" is "https", as the master does),
// host (case-insensitive, IPv6 brackets dropped; a name and an IP of the
// same host are different), port (the node's is always explicit; a URL
// without one has 80 or 443 by its scheme) and base path (leading and
// trailing "/" added, as node.go:383-395 stores it; case-sensitive). A
// transitive sub-node carries no base path (node_tree.go:132-147): it
// matches on scheme, host and port alone. An entry with no address or no
// port matches nothing.
bool node_is_panel(const PanelNode& node, const PanelIdentity& panel);

// Whether the master syncs — and so counts — the node's inbound `tag`:
// every inbound in sync mode "all"; in "selected" the listed tags, with or
// without the "n<id>-" prefix the master may add (nodeSelectedTagSet,
// internal/web/service/node.go:760-777; port_conflict.go:248-253).
bool node_syncs_tag(const PanelNode& node, const std::string& tag);

}  // namespace xuictl
