#include "messages.hpp"

namespace sandbox {

Messages messages_for(PanelVersion v) {
    Messages m;
    const bool translated = v >= PanelVersion{2, 6, 0};  // §4.3: hard-coded before v2.6.0
    const bool head_json = v >= PanelVersion{3, 1, 0};   // wording cleanup in en-US.json at v3.1.0

    m.login_again = v >= PanelVersion{2, 0, 2}
                        ? "Your session has expired, please log in again"
                        : "The login time limit has expired. Please log in again.";
    if (v < PanelVersion{2, 1, 0}) {
        m.invalid_form_data = "Input data format is invalid.";
        m.empty_username = "Please enter username.";
        m.empty_password = "Please enter password.";
    } else {
        m.invalid_form_data =
            head_json ? "The input data format is invalid." : "The Input data format is invalid.";
        m.empty_username = "Username is required";
        m.empty_password = "Password is required";
    }
    if (v < PanelVersion{2, 3, 8}) {
        m.wrong_credentials = "Invalid username or password.";
    } else if (v < PanelVersion{2, 6, 0}) {
        m.wrong_credentials = "Invalid username or password or secret.";
    } else {
        m.wrong_credentials = "Invalid username or password or two-factor code.";
    }
    if (!translated) {
        m.success_login = "Login";
    } else {
        // v2.6.0 - v3.0.x carry a leading space in the toml/json value.
        m.success_login = head_json ? "You have successfully logged into your account."
                                    : " You have successfully logged into your account.";
    }

    m.obtain = "Obtain";
    if (translated) {
        m.something_went_wrong = "Something went wrong";
        m.inbound_create = "Inbound has been successfully created.";
        m.inbound_update = "Inbound has been successfully updated.";
        m.client_add = "Inbound client(s) have been added.";
        m.client_update = "Inbound client has been updated.";
        m.client_delete = "Inbound client has been deleted.";
        m.reset_client_traffic = "Traffic has been reset.";
        m.reset_all_traffic = "All traffic has been reset.";
        m.reset_all_client_traffic = head_json ? "Traffic for all clients has been reset."
                                               : "All traffic from the client has been reset.";
        m.del_depleted = head_json ? "All depleted clients have been deleted."
                                   : "All depleted clients are deleted.";
        m.reset_inbound_traffic = "Inbound traffic has been reset.";
        m.traffic_get_error = head_json ? "Error getting traffic." : "Error getting traffics.";
    } else {
        m.something_went_wrong = "Something went wrong!";
        m.inbound_create = "Create";  // pages.inbounds.create (v2.5.8 controller/inbound.go:107)
        m.inbound_update = "Update";
        m.client_add = "Client(s) added";
        m.client_update = "Client updated";
        m.client_delete = "Client deleted";
        m.reset_client_traffic = "Traffic has been reset";
        m.reset_all_traffic = "all traffic has been reset";
        m.reset_all_client_traffic = "All traffic from the client has been reset.";
        m.del_depleted = "All depleted clients are deleted";
        m.reset_inbound_traffic = "Inbound traffic has been reset.";
        m.traffic_get_error = "Error getting traffics";
    }
    return m;
}

}  // namespace sandbox
