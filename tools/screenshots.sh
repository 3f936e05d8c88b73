#!/usr/bin/env bash
# Screenshots of the browser for the README: builds the release binary,
# runs `newsline demo` in a private tmux session at 140x42, drives it to
# five states and writes each screen as an SVG into screenshots/:
#   main.svg            the timeline as it opens (stories)
#   story.svg           a story reported by several sources
#   search.svg          a fuzzy search with its matches highlighted
#   country-filter.svg  the timeline filtered to one country
#   source-view.svg     the source article with the quote highlighted
# Needs tmux and python3. Nothing of the user's is read or written: the
# store and config folders point into a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."

COLS=140
ROWS=42
OUT=screenshots
SOCK="newsline-shots-$$"
TMP="$(mktemp -d)"
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT

command -v tmux >/dev/null || { echo "screenshots: tmux is not installed" >&2; exit 1; }
cargo build --release --quiet
BIN="$PWD/target/release/newsline"
mkdir -p "$OUT" "$TMP/config" "$TMP/data" "$TMP/home"

cat >"$TMP/run.sh" <<EOF
unset NO_COLOR TMUX
export TERM=xterm-256color HOME='$TMP/home' XDG_CONFIG_HOME='$TMP/config' XDG_DATA_HOME='$TMP/data'
export NEWSLINE_STORE='$TMP/data/store.db'
exec '$BIN' demo
EOF

t() { tmux -L "$SOCK" "$@"; }
screen() { t capture-pane -p -t shots; }

# Waits until the screen matches the extended regex $1 and has settled
# (two equal captures in a row).
wait_for() {
    local last="" now i
    for i in $(seq 1 300); do
        now="$(screen)"
        if [[ "$now" == "$last" ]] && grep -Eq -- "$1" <<<"$now"; then
            return 0
        fi
        last="$now"
        sleep 0.05
    done
    echo "screenshots: timed out waiting for /$1/; the screen:" >&2
    screen >&2
    exit 1
}

shot() {
    t capture-pane -e -p -t shots >"$TMP/$1.ansi"
    python3 tools/ansi_to_svg.py --cols "$COLS" --rows "$ROWS" --title "newsline: $2" \
        "$TMP/$1.ansi" "$OUT/$1.svg"
    echo "wrote $OUT/$1.svg"
}

t -f /dev/null new-session -d -s shots -x "$COLS" -y "$ROWS" "sh '$TMP/run.sh'"
t set-option -t shots remain-on-exit on

# 1. The timeline as it opens: stories, one row per happening.
wait_for '^[0-9]+ of [0-9]+ stories'
shot main "the stories timeline of the demo articles"

# 2. A story that several outlets report, its sources in the detail pane.
for _ in $(seq 1 80); do
    screen | grep -Eq 'Sources \([3-9]' && break
    t send-keys -t shots j
    sleep 0.1
done
wait_for 'Sources \([3-9]'
shot story "a story with its sources side by side"

# The rest is on single events (`v`).
t send-keys -t shots v
wait_for '^[0-9]+ of [0-9]+ events'
t send-keys -t shots g

# 3. A search for an official's surname; the cursor lands on the best match.
t send-keys -t shots /
t send-keys -t shots -l ceasefire
wait_for '^/ceasefire +[0-9]+ of [0-9]+ *$'
shot search "fuzzy search with highlighted matches"
t send-keys -t shots Escape
wait_for '^/ search'

# 4. The country picker: Kenya, ticked, closed.
t send-keys -t shots c
wait_for 'Countries'
t send-keys -t shots -l Kenya
wait_for '\[ \] KE  Kenya'
t send-keys -t shots Enter
wait_for '\[x\] KE  Kenya'
t send-keys -t shots Escape
wait_for '\[country: KE\] · newest first'
# Down to an event with a quote, so the detail pane shows one.
for _ in $(seq 1 30); do
    screen | grep -q 'Quotes (' && break
    t send-keys -t shots j
    sleep 0.15
done
wait_for 'Quotes \('
shot country-filter "the timeline filtered to Kenya"

# 5. The source article, landed on the quote (Tab: from the detail pane,
# Enter opens the article at the selected quote).
t send-keys -t shots Tab
wait_for 'j/k quotes'
t send-keys -t shots Enter
wait_for 'quote 1 of'
shot source-view "the source article with the quote highlighted"

t send-keys -t shots Escape
wait_for 'Tab timeline'
t send-keys -t shots q
