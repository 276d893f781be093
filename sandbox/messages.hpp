#pragma once

#include <string>

#include "version.hpp"

namespace sandbox {

// English texts the emulated panel answers with (§3.1, §4.3), resolved once
// for the emulated version. Values were taken from the translation files of
// each tag (translate.en_US.toml up to v2.9.4, en-US.json from v3.0.0).
struct Messages {
    // pages.login.*
    std::string success_login;
    std::string wrong_credentials;
    std::string invalid_form_data;
    std::string empty_username;
    std::string empty_password;
    std::string login_again;
    // pages.inbounds.toasts.* and top-level keys
    std::string obtain;
    std::string something_went_wrong;
    std::string inbound_create;  // also the failure prefix of add up to v2.5.x
    std::string inbound_update;
    std::string client_add;
    std::string client_update;
    std::string client_delete;
    std::string reset_client_traffic;
    std::string reset_all_traffic;
    std::string reset_all_client_traffic;
    std::string del_depleted;
    std::string reset_inbound_traffic;
    std::string traffic_get_error;
};

[[nodiscard]] Messages messages_for(PanelVersion version);

}  // namespace sandbox
