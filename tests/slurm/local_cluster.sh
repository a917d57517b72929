#!/usr/bin/env bash
# Start/stop a private one-node Slurm cluster on localhost, for tests.
#
#   tests/slurm/local_cluster.sh start DIR   # prints "export SLURM_CONF=DIR/slurm.conf"
#   tests/slurm/local_cluster.sh stop DIR    # always exits 0, idempotent
#
# Typical use:   eval "$(tests/slurm/local_cluster.sh start "$d")" || exit $?
#                ... sbatch --wait ...
#                tests/slurm/local_cluster.sh stop "$d"
#
# Everything (config, munge key+socket, state, spool, pids, logs) lives in DIR,
# so several clusters can coexist and nothing touches /etc/slurm or a system
# munged.  Only stdout carries the export line; all messages go to stderr.
#
# Exit codes of start: 0 ok, 77 machine cannot run it (not root, no apt),
# other nonzero = real failure (message + log tails on stderr).
#
# Tunables (environment):
#   LOCAL_CLUSTER_START_TIMEOUT  seconds to wait for the node to be idle   [60]
#   LOCAL_CLUSTER_DRAIN_TIMEOUT  seconds to wait for the queue to drain    [30]
#   LOCAL_CLUSTER_KILL_TIMEOUT   seconds between SIGTERM and SIGKILL       [10]
#   LOCAL_CLUSTER_PORT           first slurmctld port to try (slurmd=+1)
#                                [6817 + 2*(hash(DIR) % 400)]

set -u
set -o pipefail

START_TIMEOUT=${LOCAL_CLUSTER_START_TIMEOUT:-60}
DRAIN_TIMEOUT=${LOCAL_CLUSTER_DRAIN_TIMEOUT:-30}
KILL_TIMEOUT=${LOCAL_CLUSTER_KILL_TIMEOUT:-10}

# Daemons in stop order (slurmd first so no new steps start, munged last
# because the others need it to authenticate their shutdown RPCs).
DAEMONS="slurmd slurmctld munged"

msg()  { echo "local_cluster: $*" >&2; }
die()  { msg "ERROR: $1"; exit "${2:-1}"; }
# fail MSG: a start failed half-way: show logs, stop what did start, die.
fail() { show_logs; do_stop quiet; die "$1"; }

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}

# ---------------------------------------------------------------- helpers --

# is_ours PID NAME: PID is a live daemon NAME of this DIR.  PIDs are
# recycled, so the PID only counts if /proc/PID/comm is the daemon name AND
# its command line has our DIR-specific argument (-f DIR/slurm.conf or
# --socket=DIR/munge/munge.socket), which also tells our daemons apart from
# another cluster's daemons of the same name.
is_ours() {
    local pid=$1 name=$2 comm a args=()
    read -r comm 2>/dev/null <"/proc/$pid/comm" || return 1
    [ "$comm" = "$name" ] || return 1
    running "$pid" || return 1
    mapfile -d '' -t args 2>/dev/null <"/proc/$pid/cmdline" || return 1
    for a in "${args[@]}"; do
        [ "$a" = "$DIR/slurm.conf" ] && return 0
        [ "$a" = "--socket=$DIR/munge/munge.socket" ] && return 0
    done
    return 1
}

# pid_of NAME: PID recorded in DIR/run/NAME.pid, if that is still ours.
pid_of() {
    local f="$DIR/run/$1.pid" pid
    [ -r "$f" ] || return 1
    pid=$(tr -dc '0-9' <"$f")
    [ -n "$pid" ] && is_ours "$pid" "$1" || return 1
    echo "$pid"
}

alive() { pid_of "$1" >/dev/null; }

# Our slurmstepd processes: they have no DIR on their command line
# ("slurmstepd: [12.batch]"), but they keep the slurmd log file of DIR open.
our_stepds() {
    local p comm fd
    for p in /proc/[0-9]*; do
        read -r comm 2>/dev/null <"$p/comm" || continue
        [ "$comm" = slurmstepd ] || continue
        running "${p#/proc/}" || continue
        for fd in "$p"/fd/*; do
            case $(readlink "$fd" 2>/dev/null) in
                "$DIR"/log/*) echo "${p#/proc/}"; break ;;
            esac
        done
    done
}

# Processes of our jobs, for when Slurm could not end them (slurmctld dead,
# drain timed out): children of our slurmstepds, and batch scripts run from
# our spool ("/bin/sh DIR/spool/job00012/slurm_script"), with all their
# descendants.  Without this, killing a slurmstepd orphans its job.
our_job_procs() {
    local -A kids=()
    local p pid st ppid rest a queue=() found=() args=() x c
    for p in /proc/[0-9]*; do
        pid=${p#/proc/}
        read -r rest 2>/dev/null <"$p/stat" || continue
        read -r st ppid _ <<<"${rest##*) }"
        [ "$st" = Z ] && continue
        kids[$ppid]+=" $pid"
        mapfile -d '' -t args 2>/dev/null <"$p/cmdline" || continue
        for a in "${args[@]}"; do
            case $a in
                "$DIR"/spool/*) queue+=("$pid"); break ;;
            esac
        done
    done
    found=("${queue[@]}")
    queue+=("$@")
    while [ ${#queue[@]} -gt 0 ]; do
        x=${queue[0]}
        queue=("${queue[@]:1}")
        for c in ${kids[$x]:-}; do
            found+=("$c")
            queue+=("$c")
        done
    done
    [ ${#found[@]} -eq 0 ] || printf '%s\n' "${found[@]}" | sort -nu
}

# Every live process of daemon NAME that belongs to DIR (normally just the
# recorded PID; the scan also finds daemons whose pid file got lost).
daemon_pids() {
    local p
    for p in /proc/[0-9]*; do
        is_ours "${p#/proc/}" "$1" && echo "${p#/proc/}"
    done
}

# running PID: process exists and is not a zombie (containers whose PID 1
# does not reap would otherwise keep dead daemons "alive").
running() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# kill_wait SIG PID...: send SIG, then wait up to KILL_TIMEOUT for all to exit.
# Returns 0 if all exited.
kill_wait() {
    local sig=$1; shift
    local p left i
    [ $# -gt 0 ] || return 0
    kill "-$sig" "$@" 2>/dev/null
    for ((i = 0; i < KILL_TIMEOUT * 10; i++)); do
        left=""
        for p in "$@"; do running "$p" && left="$left $p"; done
        [ -z "$left" ] && return 0
        sleep 0.1
    done
    return 1
}

# Print the tail of the daemon logs to help diagnose a failed start.
show_logs() {
    local f
    for f in "$DIR"/log/*.log "$DIR"/log/*.out; do
        [ -s "$f" ] || continue
        echo "----- tail $f -----" >&2
        tail -n 15 "$f" >&2
    done
}

port_in_use() {
    # A connect() to a free loopback port fails at once.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# --------------------------------------------------------------- install --

ensure_installed() {
    local missing="" c
    for c in munged slurmctld slurmd sinfo sbatch squeue scancel scontrol; do
        command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
    done
    [ -z "$missing" ] && return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "missing$missing and no apt-get to install slurm-wlm/munge" 77
    msg "installing slurm-wlm munge (missing:$missing)"
    export DEBIAN_FRONTEND=noninteractive
    # Try without 'apt-get update' first: it is slow and usually not needed.
    if ! apt-get install -y -q slurm-wlm munge >"$DIR/log/apt.log" 2>&1; then
        msg "apt-get install failed, running apt-get update and retrying"
        apt-get update -q >>"$DIR/log/apt.log" 2>&1
        apt-get install -y -q slurm-wlm munge >>"$DIR/log/apt.log" 2>&1 ||
            { tail -n 20 "$DIR/log/apt.log" >&2; die "apt-get install slurm-wlm munge failed (see $DIR/log/apt.log)"; }
    fi
    for c in munged slurmctld slurmd sinfo sbatch squeue scancel scontrol; do
        command -v "$c" >/dev/null 2>&1 || die "$c still missing after install"
    done
}

# ----------------------------------------------------------------- config --

write_config() {
    local ncpu ctld_port slurmd_port
    ncpu=$(nproc)

    # Free port pair, so several clusters (or a system Slurm) can coexist.
    # Without LOCAL_CLUSTER_PORT the search starts at a DIR-dependent port
    # in 6817..7615 so that clusters started at the same moment (parallel
    # tests) are unlikely to both pick the same free pair.
    local base=${LOCAL_CLUSTER_PORT:-$((6817 + 2 * ($(cksum <<<"$DIR" | cut -d' ' -f1) % 400)))}
    ctld_port=$base
    while port_in_use "$ctld_port" || port_in_use $((ctld_port + 1)); do
        ctld_port=$((ctld_port + 2))
        [ "$ctld_port" -lt $((base + 200)) ] || die "no free port pair in $base..$((base + 200))"
    done
    slurmd_port=$((ctld_port + 1))

    cat >"$DIR/slurm.conf" <<EOF
# Generated by tests/slurm/local_cluster.sh -- one-node test cluster.
ClusterName=migsim-local
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
# Loopback only: bind slurmctld and slurmd to 127.0.0.1, not INADDR_ANY.
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root

# Private munged (see start_munged) instead of /run/munge/munge.socket.2.
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket

# No systemd/cgroups in test containers: plain /proc based tracking.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true

# One task per CPU so array tasks run side by side (select/linear would
# give each task the whole node).  No RealMemory: do not use --mem.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
# Trust the node line below instead of what slurmd detects.
SlurmdParameters=config_overrides
ReturnToService=2

# Fast turnaround for tests.  'sbatch --wait' polls every 2 s but
# quadruples the interval (up to 32 s) while it is < MinJobAge/2, so
# MinJobAge=5 keeps 2 s polls; it must stay above 2 s or a finished job
# can be purged before sbatch sees it.  KillWait: SIGTERM->SIGKILL on cancel.
SchedulerParameters=batch_sched_delay=0
MinJobAge=5
KillWait=2
InactiveLimit=0

StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info

NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 Port=$slurmd_port CPUs=$ncpu RealMemory=1024 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

# ----------------------------------------------------------------- daemons --

# We always run our own munged on a socket under DIR rather than reusing a
# system munged: a system one may be absent, use another key, or be stopped
# by someone else mid-test, and separate sockets keep concurrent clusters
# independent.  It runs as root (all our clients are root) with a fresh key.
start_munged() {
    local m="$DIR/munge"
    mkdir -p "$m"
    # munged insists on a world-searchable socket directory ...
    chmod 0755 "$m"
    if [ ! -s "$m/munge.key" ]; then
        dd if=/dev/urandom of="$m/munge.key" bs=1024 count=1 status=none ||
            die "cannot create munge key"
    fi
    chmod 0400 "$m/munge.key"
    rm -f "$m/munge.socket"
    # ... and on world-searchable parents too; DIR from 'mktemp -d' is 0700.
    # --force turns that (harmless: only root talks to this socket) into a
    # warning.  It still refuses a socket held by a live munged (lock file).
    munged --force \
        --socket="$m/munge.socket" \
        --key-file="$m/munge.key" \
        --pid-file="$DIR/run/munged.pid" \
        --seed-file="$m/munged.seed" \
        --log-file="$DIR/log/munged.log" \
        >>"$DIR/log/munged.out" 2>&1 ||
        fail "munged failed to start"
    wait_for "munged" 5 || fail "munged did not write its pid file"
    munge -n -S "$m/munge.socket" | unmunge -S "$m/munge.socket" >/dev/null 2>&1 ||
        fail "munge self-test on $m/munge.socket failed"
}

# wait_for NAME SECS: wait until the daemon has a pid file naming a live
# process of ours.
wait_for() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        alive "$1" && return 0
        sleep 0.1
    done
    return 1
}

node_state() {
    sinfo -h -n localhost -o %T 2>/dev/null | head -n 1
}

# ------------------------------------------------------------------ start --

do_start() {
    mkdir -p "$DIR"/{run,log,state,spool} || die "cannot create $DIR"
    export SLURM_CONF="$DIR/slurm.conf"

    # Unix socket paths are limited to 107 bytes; the slurmd spool holds
    # sockets named like localhost_1234567.4294967292.
    [ ${#DIR} -le 70 ] || die "DIR path too long for unix sockets (${#DIR} > 70 chars): $DIR"
    # slurm.conf has no quoting for paths.
    case $DIR in *[[:space:]]*) die "DIR must not contain whitespace: '$DIR'" ;; esac

    ensure_installed

    # Already running from an earlier start of the same DIR: reuse it.
    if alive munged && alive slurmctld && alive slurmd && [ -f "$SLURM_CONF" ]; then
        msg "cluster in $DIR already running, reusing it"
    else
        # Clean up whatever is left of a half-started/crashed cluster.
        do_stop quiet
        # Fresh state: no jobs/nodes recovered from an earlier run of DIR.
        rm -rf "${DIR:?}/state" "${DIR:?}/spool"
        mkdir -p "$DIR/state" "$DIR/spool"
        : >"$DIR/log/munged.out"
        write_config
        start_munged

        # -i: never refuse to start because of state files (state is empty anyway).
        slurmctld -i -f "$SLURM_CONF" >>"$DIR/log/slurmctld.out" 2>&1 ||
            fail "slurmctld failed to start"
        wait_for slurmctld 10 || fail "slurmctld did not come up"

        # -N localhost: this host's name (e.g. 'vm') is not in slurm.conf.
        slurmd -N localhost -f "$SLURM_CONF" >>"$DIR/log/slurmd.out" 2>&1 ||
            fail "slurmd failed to start"
        wait_for slurmd 10 || fail "slurmd did not come up"
    fi

    # Bounded wait for the node to register and become usable.
    local t0=$SECONDS state=""
    while :; do
        state=$(node_state)
        case $state in
            idle|mixed|allocated|completing) break ;;
        esac
        for d in $DAEMONS; do
            alive "$d" || fail "$d died during startup"
        done
        ((SECONDS - t0 < START_TIMEOUT)) ||
            fail "node not idle after ${START_TIMEOUT}s (state: '${state:-none}')"
        sleep 0.5
    done
    msg "cluster up in $DIR (node $state, $((SECONDS - t0))s after daemons started)"
    printf 'export SLURM_CONF=%q\n' "$DIR/slurm.conf"
}

# ------------------------------------------------------------------- stop --

do_stop() {
    local quiet=${1:-} d t0 queue drained="" ids=() pids=() jobs=()
    [ -d "$DIR" ] || { [ -n "$quiet" ] || msg "$DIR does not exist, nothing to stop"; return 0; }
    export SLURM_CONF="$DIR/slurm.conf"

    # slurmstepd ignores SIGTERM, so let Slurm itself end the jobs first.
    if alive slurmctld && [ -f "$SLURM_CONF" ]; then
        # %F: array job id (one per array), plain job id otherwise.
        mapfile -t ids < <(squeue -h -o %F 2>/dev/null | sort -u)
        if [ ${#ids[@]} -gt 0 ]; then
            msg "cancelling jobs: ${ids[*]}"
            scancel "${ids[@]}" 2>/dev/null
        fi
        t0=$SECONDS
        while :; do
            # Check squeue succeeded: empty output from a failed call is no drain.
            queue=$(squeue -h -o %i 2>/dev/null) && [ -z "$queue" ] && { drained=1; break; }
            # Without slurmd, running jobs never finish: kill them below.
            alive slurmd || break
            if ((SECONDS - t0 >= DRAIN_TIMEOUT)); then
                msg "queue not drained after ${DRAIN_TIMEOUT}s, killing anyway"
                break
            fi
            sleep 0.5
        done
    fi

    # Normally the steps are gone now.  Whatever is left (slurmctld dead,
    # drain timeout) is killed here: job processes first, then their
    # slurmstepd, which ignores SIGTERM.
    if [ -n "$drained" ]; then
        t0=$SECONDS
        while [ -n "$(our_stepds)" ] && ((SECONDS - t0 < KILL_TIMEOUT)); do sleep 0.2; done
    fi
    mapfile -t pids < <(our_stepds)
    mapfile -t jobs < <(our_job_procs "${pids[@]}")
    if [ ${#jobs[@]} -gt 0 ]; then
        msg "killing leftover job processes: ${jobs[*]}"
        kill_wait TERM "${jobs[@]}" || kill_wait KILL "${jobs[@]}"
    fi
    if [ ${#pids[@]} -gt 0 ]; then
        msg "killing leftover slurmstepd: ${pids[*]}"
        kill_wait KILL "${pids[@]}"
    fi

    for d in $DAEMONS; do
        mapfile -t pids < <(daemon_pids "$d")
        if [ ${#pids[@]} -gt 0 ]; then
            [ -n "$quiet" ] || msg "stopping $d (pid ${pids[*]})"
            if ! kill_wait TERM "${pids[@]}"; then
                msg "$d (pid ${pids[*]}) ignored SIGTERM for ${KILL_TIMEOUT}s, sending SIGKILL"
                kill_wait KILL "${pids[@]}"
            fi
        fi
        rm -f "$DIR/run/$d.pid"
    done
    return 0
}

# ------------------------------------------------------------------- main --

[ $# -eq 2 ] || usage
CMD=$1
# Absolute, symlink-free path: it is baked into slurm.conf and matched
# against daemon command lines.
case $CMD in
    start)
        [ "$(id -u)" -eq 0 ] || die "must run as root (starts slurmctld/slurmd/munged)" 77
        mkdir -p "$2" || die "cannot create $2" ;;
    stop)  [ -d "$2" ] || { msg "$2 does not exist, nothing to stop"; exit 0; } ;;
    *) usage ;;
esac
DIR=$(cd "$2" && pwd -P) || die "cannot resolve $2"

case $CMD in
    start) do_start ;;
    stop)
        [ "$(id -u)" -eq 0 ] || { msg "not root, nothing to stop"; exit 0; }
        do_stop
        msg "stopped cluster in $DIR"
        exit 0 ;;
esac
