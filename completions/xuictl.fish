# fish completion for xuictl(1)
#
# Installed as share/fish/vendor_completions.d/xuictl.fish, which fish loads
# on first use. To load it into the running shell instead:
#     xuictl completion fish | source
#
# Inbound ids (described by their remarks), client emails, profile names and
# audit ids are completed live: the hidden command
# `xuictl __complete inbounds|emails [INBOUND]|profiles|targets|audits` prints them one
# per line. For the panel's values it connects like any command (the
# connection options typed on this line, the XUI_* environment, a profile, a
# cached session) but never prompts, gives up after 3 s and keeps the list for
# a minute, so a TAB stays quick.

# The command path and arguments typed so far, without options and their values.
function __xuictl_args
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case --profile --url --username --password-file --token-file --totp-file --cacert \
                --pin --timeout --parallel -o --output --inbound --client --over --sort --confirm --once-per \
                --warn --crit --textfile --top --since --day --at --name --from --to --by
                set skip 1
            case '-*'
            case '*'
                echo $token
        end
    end
end

# --profile: profile names and groups (@eu); after a comma, the next name.
function __xuictl_profile_values
    set -l token (commandline -ct)
    if string match -q -- '*,*' $token
        set -l prefix (string replace -r '[^,]*$' '' -- $token)
        for name in (__xuictl_live profiles)
            echo $prefix$name
        end
    else
        __xuictl_live targets
    end
end

# __xuictl_at N WORD...: the words typed so far are WORD... plus N more.
function __xuictl_at
    set -l extra $argv[1]
    set -e argv[1]
    set -l args (__xuictl_args)
    test (count $args) -eq (math (count $argv) + $extra); or return 1
    for i in (seq (count $argv))
        test "$args[$i]" = "$argv[$i]"; or return 1
    end
end

# __xuictl_in WORD...: the command path typed so far starts with WORD...
function __xuictl_in
    set -l args (__xuictl_args)
    test (count $args) -ge (count $argv); or return 1
    for i in (seq (count $argv))
        test "$args[$i]" = "$argv[$i]"; or return 1
    end
end

# Prints the live values for $argv of the panel named on the line being completed.
function __xuictl_live
    set -l tokens (commandline -opc)
    set -l xuictl (string replace -r '^~/' "$HOME/" -- $tokens[1])
    set -l connection
    set -l i 2
    while test $i -le (count $tokens)
        set -l token $tokens[$i]
        switch $token
            case --profile --url --username --password-file --token-file --cacert --pin
                set i (math $i + 1)
                if set -q tokens[$i]
                    set -a connection $token (string replace -r '^~/' "$HOME/" -- $tokens[$i])
                end
            case '--profile=*' '--url=*' '--username=*' '--password-file=*' '--token-file=*' \
                '--cacert=*' '--pin=*'
                set -l parts (string split -m 1 = -- $token)
                set -a connection $parts[1] (string replace -r '^~/' "$HOME/" -- $parts[2])
            case --insecure
                set -a connection $token
        end
        set i (math $i + 1)
    end
    $xuictl $connection __complete $argv 2>/dev/null </dev/null
end

# `traffic reset INBOUND EMAIL`: the emails of the inbound already typed.
function __xuictl_inbound_emails
    set -l args (__xuictl_args)
    string match -qr '^[0-9]+$' -- $args[3]; and __xuictl_live emails $args[3]
end

complete -c xuictl -f

# Global options, understood before and after the command.
complete -c xuictl -l profile -x -a '(__xuictl_profile_values)' -d 'Use the named panel from config.toml; a,b or @group for several'
complete -c xuictl -l all-profiles -d 'Every profile in config.toml (a fleet)'
complete -c xuictl -l parallel -x -d 'Panels of a fleet read at once (default 4)'
complete -c xuictl -l url -x -d 'Panel URL with its web base path'
complete -c xuictl -l username -x -d 'Panel user name'
complete -c xuictl -l password-file -r -F -d 'Read the password from FILE (mode 0600)'
complete -c xuictl -l password-stdin -d 'Read the password from standard input'
complete -c xuictl -l token-file -r -F -d 'Read an API token from FILE'
complete -c xuictl -l totp-file -r -F -d 'Read the 2FA code from FILE'
complete -c xuictl -l cacert -r -F -d 'Trust the PEM certificates in FILE for TLS'
complete -c xuictl -l pin -x -d 'Pin the panel public key: sha256//BASE64'
complete -c xuictl -l insecure -d 'Do not verify TLS certificates (warns every run)'
complete -c xuictl -l timeout -x -d 'Seconds per request (default 30)'
complete -c xuictl -s o -l output -x -d 'Output format' -a "table\t'aligned columns, the default on a terminal'
json\t'one JSON document'
csv\t'comma-separated values'
tsv\t'tab-separated values, the default in a pipe'
prometheus\t'node_exporter textfile metrics (stats only)'"
complete -c xuictl -l bytes -d 'Show raw byte counts instead of KiB/MiB/GiB'
complete -c xuictl -l no-color -d 'No ANSI colours'
complete -c xuictl -s v -l verbose -d 'Show requests and timings on stderr (secrets redacted)'
complete -c xuictl -s h -l help -d 'Show help and exit'
complete -c xuictl -n '__xuictl_at 0' -l version -d 'Print the xuictl version and exit'

# Commands.
complete -c xuictl -n '__xuictl_at 0' -a stats -d 'Usage per inbound and per client'
complete -c xuictl -n '__xuictl_at 0' -a collect -d 'Record every client counters in the usage history'
complete -c xuictl -n '__xuictl_at 0' -a inbound -d 'Inbounds: list, reset client counters'
complete -c xuictl -n '__xuictl_at 0' -a clients -d 'Clients: list, show, purge depleted'
complete -c xuictl -n '__xuictl_at 0' -a traffic -d 'Traffic counters: reset, reset inbounds, restore'
complete -c xuictl -n '__xuictl_at 0' -a audit -d 'Read the audit log of destructive commands'
complete -c xuictl -n '__xuictl_at 0' -a schedule -d 'Print a crontab line or systemd units for a periodic command'
complete -c xuictl -n '__xuictl_at 0' -a login -d 'Log in and cache the session'
complete -c xuictl -n '__xuictl_at 0' -a logout -d 'Log out and delete the cached session'
complete -c xuictl -n '__xuictl_at 0' -a profile -d 'Named panels in config.toml'
complete -c xuictl -n '__xuictl_at 0' -a version -d 'Show the xuictl and panel versions'
complete -c xuictl -n '__xuictl_at 0' -a completion -d 'Print the shell completion script'

complete -c xuictl -n '__xuictl_at 0 inbound' -a list -d 'List inbounds with their own counters'
complete -c xuictl -n '__xuictl_at 0 inbound' -a reset -d 'Reset every client of inbound ID (or --all)'
complete -c xuictl -n '__xuictl_at 0 clients' -a list -d 'List clients with usage, quota and expiry'
complete -c xuictl -n '__xuictl_at 0 clients' -a show -d 'Show one client'
complete -c xuictl -n '__xuictl_at 0 clients' -a purge-depleted -d 'Delete depleted clients of inbound ID (or --all)'
complete -c xuictl -n '__xuictl_at 0 clients' -a restore -d 'Create again the clients a purge deleted'
complete -c xuictl -n '__xuictl_at 0 traffic' -a reset -d "Reset one client's up/down counters"
complete -c xuictl -n '__xuictl_at 0 traffic' -a reset-all -d "Reset every INBOUND's own counters (not clients')"
complete -c xuictl -n '__xuictl_at 0 traffic' -a restore -d 'Set client counters back to a snapshot'
complete -c xuictl -n '__xuictl_at 0 audit' -a show -d 'Print one audit entry in full, with its plan'
complete -c xuictl -n '__xuictl_at 0 audit' -a prune -d 'Remove audit records and their snapshots recorded before a date'
complete -c xuictl -n '__xuictl_at 0 schedule' -a print-cron -d 'Print a crontab line'
complete -c xuictl -n '__xuictl_at 0 schedule' -a print-systemd -d 'Print a systemd service and timer'
complete -c xuictl -n '__xuictl_at 0 profile' -a list -d 'List the profiles'
complete -c xuictl -n '__xuictl_at 0 profile' -a show -d 'Show one profile'
complete -c xuictl -n '__xuictl_at 0 profile' -a add -d 'Add or update a profile'
complete -c xuictl -n '__xuictl_at 0 profile' -a remove -d 'Remove a profile'
complete -c xuictl -n '__xuictl_at 0 completion' -a 'bash zsh fish'

# Arguments, live from the panel.
complete -c xuictl -n '__xuictl_at 0 inbound reset; or __xuictl_at 0 clients purge-depleted; or __xuictl_at 0 traffic reset' \
    -a '(__xuictl_live inbounds)'
complete -c xuictl -n '__xuictl_at 0 clients show' -a '(__xuictl_live emails)'
complete -c xuictl -n '__xuictl_at 1 traffic reset' -a '(__xuictl_inbound_emails)'
complete -c xuictl -n '__xuictl_at 0 profile show; or __xuictl_at 0 profile remove' -a '(__xuictl_live profiles)'
complete -c xuictl -n '__xuictl_at 0 audit show; or __xuictl_at 0 traffic restore; or __xuictl_at 0 clients restore' -a '(__xuictl_live audits)'
complete -c xuictl -n '__xuictl_at 0 traffic restore; or __xuictl_at 0 clients restore' -F
complete -c xuictl -n '__xuictl_at 0 schedule print-cron; or __xuictl_at 0 schedule print-systemd' \
    -a "'inbound reset --all' 'clients purge-depleted --all' 'traffic reset-all' collect"

# Command options.
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients list' -l inbound -x \
    -a '(__xuictl_live inbounds)' -d 'Only this inbound (id)'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients list' -l client -x \
    -a '(__xuictl_live emails)' -d 'Only this client (email)'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients list' -l depleted \
    -d 'Only clients the panel calls depleted'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients list' -l over -x \
    -d 'Only clients above PCT % of their quota'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients list' -l sort -x \
    -a 'inbound email used percent quota expiry' -d 'Sort order'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients list' -l reverse -d 'Reverse the sort order'
complete -c xuictl -n '__xuictl_in stats' -l warn -x -d 'List clients at or above PCT % of their quota; exit 10 if any'
complete -c xuictl -n '__xuictl_in stats' -l crit -x -d 'As --warn for a higher PCT; exit 11 (12 if depleted)'
complete -c xuictl -n '__xuictl_in stats' -l textfile -r -F -d 'Write -o prometheus metrics atomically to PATH'
complete -c xuictl -n '__xuictl_in stats' -l report -d 'Totals per inbound and overall, and the top clients'
complete -c xuictl -n '__xuictl_in stats' -l top -x -d 'With --report: how many top clients to list'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients show' -l since -x \
    -d 'Bytes moved since a duration back (12h, 30d, 2w) or a date, per the usage history'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients show' -l from -x -d 'Start of the usage-history window'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients show' -l to -x -d 'End of the usage-history window (default now)'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients show' -l by -x -a 'day week month cycle' \
    -d 'Split the window per day, week, month or reset cycle'
complete -c xuictl -n '__xuictl_in stats; or __xuictl_in clients show' -l lifetime \
    -d 'Counters when first seen plus everything seen since, across resets'
complete -c xuictl -n '__xuictl_in clients show' -l history -d 'Usage per day from the usage history (bars)'

complete -c xuictl -n '__xuictl_in inbound reset; or __xuictl_in clients purge-depleted' -l all -d 'Every inbound'
complete -c xuictl -n '__xuictl_in inbound reset; or __xuictl_in clients purge-depleted; or __xuictl_in clients restore; or __xuictl_in traffic' \
    -s y -l yes -d 'Do not ask for the confirmation phrase'
complete -c xuictl -n '__xuictl_in inbound reset; or __xuictl_in clients purge-depleted; or __xuictl_in clients restore; or __xuictl_in traffic' \
    -l confirm -x -d 'Confirm with this exact phrase instead of a prompt'
complete -c xuictl -n '__xuictl_in inbound reset; or __xuictl_in clients purge-depleted; or __xuictl_in clients restore; or __xuictl_in traffic' \
    -l dry-run -d 'Show the plan and stop; nothing is written'
complete -c xuictl -n '__xuictl_in inbound reset; or __xuictl_in clients purge-depleted; or __xuictl_in clients restore; or __xuictl_in traffic' \
    -l once-per -x -a 'day week month' -d 'Skip if it already succeeded in this local period'
complete -c xuictl -n '__xuictl_in inbound reset; or __xuictl_in clients purge-depleted; or __xuictl_in clients restore; or __xuictl_in traffic' \
    -l skip-unreachable -d 'Several panels: leave one that cannot be reached out of the plan'
complete -c xuictl -n '__xuictl_in traffic restore; or __xuictl_at 0 audit' -l client -x \
    -a '(__xuictl_live emails)' -d 'Only this client (email)'
complete -c xuictl -n '__xuictl_in traffic restore' -l allow-other-panel \
    -d 'Restore a snapshot taken from another panel URL'
complete -c xuictl -n '__xuictl_at 0 audit' -l since -x -d 'Only entries from DATE on (YYYY-MM-DD or ISO 8601)'
complete -c xuictl -n '__xuictl_in audit prune' -l before -x -d 'Remove what was recorded before DATE (YYYY-MM-DD or ISO 8601)'
complete -c xuictl -n '__xuictl_in audit prune' -s y -l yes -d 'Do not ask for confirmation'
complete -c xuictl -n '__xuictl_in schedule' -l monthly -d 'Once a month (on --day, default the 1st)'
complete -c xuictl -n '__xuictl_in schedule' -l weekly -d 'Once a week (on --day, default Monday)'
complete -c xuictl -n '__xuictl_in schedule' -l daily -d 'Once a day'
complete -c xuictl -n '__xuictl_in schedule' -l hourly -d 'Once an hour at the minute of --at (collect only)'
complete -c xuictl -n '__xuictl_in schedule' -l day -x -d 'Day of the month (1-31) or week (1-7, mon..sun)'
complete -c xuictl -n '__xuictl_in schedule' -l at -x -d 'Local time of day HH:MM (default 00:00)'
complete -c xuictl -n '__xuictl_in schedule print-systemd' -l name -x -d 'Unit name without suffix'

complete -c xuictl -n '__xuictl_in version' -l local -d 'Do not contact the panel'
complete -c xuictl -n '__xuictl_in profile add' -l default -d 'Make it the default profile'
complete -c xuictl -n '__xuictl_in profile add' -l save-password -d 'Store the password in config.toml (0600)'
