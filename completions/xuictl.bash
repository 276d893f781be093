# bash completion for xuictl(1)                            -*- shell-script -*-
#
# Installed as share/bash-completion/completions/xuictl, where bash-completion
# loads it on first use. To load it into the running shell instead:
#     source <(xuictl completion bash)
# Needs the bash-completion package (_init_completion, _filedir).
#
# Inbound ids, client emails, profile names and audit ids are completed live:
# the hidden command `xuictl __complete inbounds|emails [INBOUND]|profiles|targets|audits`
# prints them one per line. For the panel's values it connects like any command
# (the connection options typed on this line, the XUI_* environment, a
# profile, a cached session) but never prompts, gives up after 3 s and keeps
# the list for a minute, so a TAB stays quick.

# Prints the live values for "$@" (inbounds | emails [INBOUND] | profiles |
# audits) of the panel named on the command line being completed.
_xuictl_live()
{
    local i w v xuictl=${words[0]}
    local -a connection=()
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --profile | --url | --username | --password-file | --token-file | --cacert | --pin)
                v=${words[i + 1]-}
                i=$((i + 1))
                ;;
            --profile=* | --url=* | --username=* | --password-file=* | --token-file=* | --cacert=* | --pin=*)
                v=${w#*=}
                w=${w%%=*}
                ;;
            --insecure)
                connection+=("$w")
                continue
                ;;
            *) continue ;;
        esac
        [[ $v == \~/* ]] && v=$HOME/${v#\~/}
        connection+=("$w" "$v")
    done
    [[ $xuictl == \~/* ]] && xuictl=$HOME/${xuictl#\~/}
    "$xuictl" "${connection[@]}" __complete "$@" 2>/dev/null </dev/null
}

# Prints $1, a word as typed, without its shell quoting ('a b', "a b" and
# a\ b are all `a b`), by reading it character by character: it is never
# evaluated, so $(...) and backticks in it stay text.
_xuictl_unquote()
{
    local word=$1 out= quote= c i
    for ((i = 0; i < ${#word}; i++)); do
        c=${word:i:1}
        if [[ $quote == "'" ]]; then
            [[ $c == "'" ]] && quote= || out+=$c
        elif [[ $quote == '"' ]]; then
            if [[ $c == '"' ]]; then
                quote=
            elif [[ $c == '\' && ${word:i+1:1} == [\"\\\$\`] ]]; then
                out+=${word:i+1:1}
                i=$((i + 1))
            else
                out+=$c
            fi
        elif [[ $c == "'" || $c == '"' ]]; then
            quote=$c
        elif [[ $c == '\' ]]; then
            i=$((i + 1))
            out+=${word:i:1}
        else
            out+=$c
        fi
    done
    printf '%s' "$out"
}

# COMPREPLY = the values of `__complete "$@"` starting with $cur: one per line,
# the first tab-separated field (the rest describes it). Values are panel
# text (an email may be `x;rm -rf ~@y` or hold `$(...)`): each goes in as one
# shell-quoted word (printf %q), so the line runs with the literal value.
_xuictl_values()
{
    local line typed
    COMPREPLY=()
    typed=$(_xuictl_unquote "$cur")
    while IFS= read -r line; do
        line=${line%%$'\t'*}
        [[ $line == "$typed"* ]] && COMPREPLY+=("$(printf '%q' "$line")")
    done < <(_xuictl_live "$@")
}

_xuictl()
{
    local cur prev words cword split
    _init_completion -s -n : || return

    # The value of the option before the cursor.
    case $prev in
        -o | --output)
            COMPREPLY=($(compgen -W 'table json csv tsv prometheus' -- "$cur"))
            return
            ;;
        --sort)
            COMPREPLY=($(compgen -W 'inbound email used percent quota expiry' -- "$cur"))
            return
            ;;
        --once-per)
            COMPREPLY=($(compgen -W 'day week month' -- "$cur"))
            return
            ;;
        --by)
            COMPREPLY=($(compgen -W 'day week month cycle' -- "$cur"))
            return
            ;;
        --cacert | --password-file | --token-file | --totp-file | --textfile)
            _filedir
            return
            ;;
        --inbound)
            _xuictl_values inbounds
            return
            ;;
        --client)
            _xuictl_values emails
            return
            ;;
        --profile)
            # Profile names and groups (@eu); a comma list: the next name.
            if [[ $cur == *,* ]]; then
                local prefix=${cur%,*},
                local -a names
                mapfile -t names < <(_xuictl_live profiles)
                mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "${names[*]}" -- "${cur##*,}")
            else
                _xuictl_values targets
            fi
            return
            ;;
        --url | --username | --pin | --timeout | --parallel | --over | --confirm | --warn | --crit | --top | \
            --since | --day | --at | --name | --from | --to)
            return
            ;;
    esac
    $split && return

    # The command path and its arguments so far, skipping options and their values.
    local i command= subcommand=
    local nested=' inbound clients traffic audit schedule profile ' # commands with subcommands
    local -a args=()
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            --profile | --url | --username | --password-file | --token-file | --totp-file | \
                --cacert | --pin | --timeout | --parallel | -o | --output | --inbound | --client | --over | \
                --sort | --confirm | --once-per | --warn | --crit | --textfile | --top | \
                --since | --day | --at | --name | --from | --to | --by)
                i=$((i + 1))
                ;;
            -*) ;;
            *)
                if [[ -z $command ]]; then
                    command=${words[i]}
                elif [[ -z $subcommand && $nested == *" $command "* ]]; then
                    subcommand=${words[i]}
                else
                    args+=("${words[i]}")
                fi
                ;;
        esac
    done

    if [[ $cur == -* ]]; then
        # Global options are understood before and after the command.
        local options='--profile --all-profiles --parallel --url --username --password-file
            --password-stdin --token-file --totp-file --cacert --pin --insecure --timeout -o --output
            --bytes --no-color -v --verbose -h --help'
        local query='--inbound --client --depleted --over --sort --reverse'
        local destructive='-y --yes --confirm --dry-run --once-per'
        local schedule='--monthly --weekly --daily --hourly --day --at'
        local history='--since --from --to --by --lifetime'
        case $command/$subcommand in
            /) options+=' --version' ;;
            stats/) options+=" $query --warn --crit --textfile --report --top $history" ;;
            clients/show) options+=" $history --history" ;;
            clients/list) options+=" $query" ;;
            inbound/reset | clients/purge-depleted) options+=" --all $destructive" ;;
            clients/restore) options+=" $destructive" ;;
            traffic/reset | traffic/reset-all) options+=" $destructive" ;;
            traffic/restore) options+=" --client --allow-other-panel $destructive" ;;
            audit/) options+=' --since --client' ;;
            audit/prune) options+=' --before -y --yes' ;;
            schedule/print-cron) options+=" $schedule" ;;
            schedule/print-systemd) options+=" $schedule --name" ;;
            version/) options+=' --local' ;;
            profile/add) options+=' --default --save-password' ;;
        esac
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi

    case $command/$subcommand/${#args[@]} in
        //0)
            COMPREPLY=($(compgen -W 'stats collect inbound clients traffic audit schedule login
                logout profile version completion' -- "$cur"))
            ;;
        inbound//0) COMPREPLY=($(compgen -W 'list reset' -- "$cur")) ;;
        clients//0) COMPREPLY=($(compgen -W 'list show purge-depleted restore' -- "$cur")) ;;
        traffic//0) COMPREPLY=($(compgen -W 'reset reset-all restore' -- "$cur")) ;;
        audit//0) COMPREPLY=($(compgen -W 'show prune' -- "$cur")) ;;
        schedule//0) COMPREPLY=($(compgen -W 'print-cron print-systemd' -- "$cur")) ;;
        profile//0) COMPREPLY=($(compgen -W 'list show add remove' -- "$cur")) ;;
        completion//0) COMPREPLY=($(compgen -W 'bash zsh fish' -- "$cur")) ;;
        inbound/reset/0 | clients/purge-depleted/0 | traffic/reset/0) _xuictl_values inbounds ;;
        audit/show/0) _xuictl_values audits ;;
        # An audit (snapshot) id, or a snapshot file.
        traffic/restore/0 | clients/restore/0) [[ $cur == */* ]] && _filedir json || _xuictl_values audits ;;
        clients/show/0) _xuictl_values emails ;;
        # traffic reset INBOUND EMAIL: only that inbound's clients.
        traffic/reset/1) [[ ${args[0]} =~ ^[0-9]+$ ]] && _xuictl_values emails "${args[0]}" ;;
        profile/show/0 | profile/remove/0) _xuictl_values profiles ;;
    esac
} &&
    complete -F _xuictl xuictl

# ex: filetype=sh
