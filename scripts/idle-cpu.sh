#!/usr/bin/env bash
# Measures the console's idle CPU: runs `warroom demo` (release build) in a detached tmux session
# at 160×48, lets it settle, then reads the process's utime+stime from /proc/<pid>/stat before
# and after a window (30 s by default) and prints the share of one core it used. Nobody types:
# this is the cost of the observer's pollers, the simulator they poll and the 1 s redraws.
#
#   scripts/idle-cpu.sh [SECONDS]          (builds with cargo build --release first)
#   WARROOM=path/to/warroom scripts/idle-cpu.sh
#
# A measurement, not a test; Linux only (/proc).
set -euo pipefail
cd "$(dirname "$0")/.."

window=${1:-30}
settle=5
if [ -z "${WARROOM:-}" ]; then
    cargo build --release --quiet
    WARROOM="${CARGO_TARGET_DIR:-target}/release/warroom"
fi
command -v tmux >/dev/null || { echo "idle-cpu: tmux not found" >&2; exit 1; }

session="warroom-idle-$$"
state=$(mktemp -d)
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    rm -rf "$state"
}
trap cleanup EXIT

# Its own state directory, so the log goes nowhere that matters.
tmux new-session -d -s "$session" -x 160 -y 48 \
    "exec env WARROOM_STATE_DIR='$state' '$WARROOM' demo"
pid=$(tmux display-message -p -t "$session" '#{pane_pid}')

sleep "$settle"
[ -r "/proc/$pid/stat" ] || { echo "idle-cpu: warroom (pid $pid) is not running" >&2; exit 1; }

ticks() {
    # Fields 14 and 15 (utime, stime); the command name (field 2) may hold spaces, so cut
    # after its closing parenthesis first.
    local rest
    rest=$(sed 's/^.*) //' "/proc/$pid/stat")
    awk '{ print $12 + $13 }' <<<"$rest"
}
hz=$(getconf CLK_TCK)
before=$(ticks)
start=$(date +%s.%N)
sleep "$window"
after=$(ticks)
end=$(date +%s.%N)

awk -v t="$((after - before))" -v hz="$hz" -v s="$start" -v e="$end" 'BEGIN {
    secs = e - s
    printf "warroom demo idle: %.2f%% of one core (%d ticks at %d Hz over %.1f s)\n",
        100 * t / hz / secs, t, hz, secs
}'
