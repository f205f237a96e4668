#!/usr/bin/env bash
# Scale-out (issue 17): the plug-in on Debian's WordPress behind several web servers (php -S, 4
# workers each) on three database topologies, all on 127.0.0.1 from Debian packages:
#   single   one MariaDB server (the baseline);
#   galera   a three-node MariaDB Galera cluster, one web server per node (g1, g2, g3);
#   replica  a primary with an asynchronous replica (1 s behind) and tests/scale/db.php, a
#            read/write-splitting drop-in that sends reads to the replica.
# Each has three web servers (12 PHP workers) and gets one burst: per order valid notifies (exact duplicates spread over the web servers)
# and a forged body, and for some orders a rollback racing the notifies. Asserted: every order
# paid exactly once, payment_complete once, forged never OK, no 5xx, OK for every saved payment.
# Galera also loses a node in the middle of a second burst. Throughput and p99 of each burst as a
# ratio to the baseline are printed (and kept in $MYPOS_TEST_ARTIFACTS/scale/figures.md).
# TAP output. Usage: tests/scale/run.sh [EXT.so] [IPC_BIN]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ext="$(realpath "${1:-$root/target/release/libmypos_ipc.so}")"
ipc="$(realpath "${2:-$root/target/release/ipc}")"
keys="$root/tests/data/test-keys"
orders=${SCALE_ORDERS:-24}       # orders per burst; the last $rolled also get a rollback
rolled=${SCALE_ROLLED:-3}
copies=${SCALE_COPIES:-4}        # identical valid notifies per paid order
parallel=${SCALE_PARALLEL:-8}    # requests in flight
galera_lib=/usr/lib/galera/libgalera_smm.so
source "$root/tests/tap.sh"

for f in "$ext" "$ipc" /usr/sbin/mariadbd /usr/bin/mariadb-install-db /usr/bin/mariadb-dump "$galera_lib" \
  /usr/share/wordpress/wp-settings.php; do
  [ -e "$f" ] || bail "missing $f (make build; scripts/install-deps.sh wordpress galera)"
done
php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' || bail "php mysqli missing (scripts/install-deps.sh wordpress)"

tmp="$(mktemp -d /tmp/mypos-scale.XXXXXX)"
source "$root/tests/plugin-wp/lib.sh"
webs=()    # process groups of the web servers of the current topology
dbnames=() # database servers started (their pids are in $tmp/<name>/mpid)

stop_webs() {
  for g in "${webs[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
  for g in "${webs[@]}"; do
    wait "$g" 2>/dev/null
    for _ in $(seq 50); do pgrep -g "$g" >/dev/null || break; sleep 0.1; done
    pgrep -g "$g" >/dev/null && kill -KILL -- "-$g" 2>/dev/null
  done
  webs=()
}
db_stop() { # $1 = name: SIGTERM, then wait for its exit (30 s at most)
  local pid
  pid="$(cat "$tmp/$1/mpid" 2>/dev/null)" || return 0
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -f "$tmp/$1/mpid"
}
cleanup() {
  stop_webs
  for n in "${dbnames[@]}"; do db_stop "$n"; done
  if [ -n "${MYPOS_TEST_ARTIFACTS:-}" ]; then
    art="$MYPOS_TEST_ARTIFACTS/scale"; rm -rf "$art"; mkdir -p "$art/logs"
    cp "$tmp"/*.log "$tmp"/figures.md "$art/logs/" 2>/dev/null
    for n in "${dbnames[@]}"; do cp "$tmp/$n/err.log" "$art/logs/db-$n.log" 2>/dev/null; done
    cp "$tmp/figures.md" "$art/" 2>/dev/null
    mkdir -p "$art/keys"; cp -r "$tmp/keys/." "$tmp/pack.txt" "$art/keys/" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Database servers: copies of one freshly initialised datadir, a socket and a loopback port each.
timeout 60 mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$tmp/pristine" --auth-root-authentication-method=normal \
  --skip-test-db >"$tmp/db-install.log" 2>&1 || bail "mariadb-install-db failed: $(tail -3 "$tmp/db-install.log")"
db_start() { # $1 = name, then mariadbd options; sets nothing, returns non-zero when it does not come up
  local n="$1"; shift
  mkdir -p "$tmp/$n"; [ -d "$tmp/$n/data" ] || cp -a "$tmp/pristine" "$tmp/$n/data"
  [ -f "$tmp/$n/port" ] || free_port >"$tmp/$n/port"
  /usr/sbin/mariadbd --no-defaults --datadir="$tmp/$n/data" --socket="$tmp/$n/sock" --port="$(cat "$tmp/$n/port")" \
    --bind-address=127.0.0.1 --user="$(id -un)" --pid-file="$tmp/$n/pid" --skip-grant-tables --log-error="$tmp/$n/err.log" \
    --innodb-buffer-pool-size=32M --max-connections=200 "$@" >/dev/null 2>&1 &
  echo $! >"$tmp/$n/mpid"
  [[ " ${dbnames[*]} " = *" $n "* ]] || dbnames+=("$n")
  for _ in $(seq 300); do
    sql "$n" 'SELECT 1' >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$tmp/$n/mpid")" 2>/dev/null || break
    sleep 0.1
  done
  WP_ERROR="mariadbd $n did not start: $(tail -3 "$tmp/$n/err.log")"; return 1
}
sql() { timeout 20 mariadb --no-defaults --socket="$tmp/$1/sock" -u root -N -e "$2"; }
sqlwp() { timeout 20 mariadb --no-defaults --socket="$tmp/$1/sock" -u root -N -D wp -e "$2"; }

# --- One WordPress for every topology; each web server names its database in the environment.
wp="$tmp/wp"
cp -rL /usr/share/wordpress "$wp" || bail "copying WordPress failed"
sock="__SOCK__"; home_port="$(free_port)"
wp_config "$wp" "$home_port" <<PHP
define('WP_DEBUG', false);
define('DISABLE_WP_CRON', true);
define('MYPOS_WP_TEST_WC_LOG', '$tmp/wc.log');
define('MYPOS_WP_TEST_PLUGIN', '$root/woocommerce-plugin/mypos-ipc-woocommerce.php');
PHP
sed -i "s|define('DB_HOST', 'localhost:__SOCK__');|define('DB_HOST', (string) getenv('MYPOS_DB_HOST'));|" "$wp/wp-config.php"
grep -q "getenv('MYPOS_DB_HOST')" "$wp/wp-config.php" || bail "wp-config.php: DB_HOST not replaced"
mkdir -p "$wp/wp-content/mu-plugins"
cp "$root"/tests/wp/mu/*.php "$root"/tests/plugin-wp/mu/*.php "$wp/wp-content/mu-plugins/"
"$ipc" keygen --out "$tmp/keys" >/dev/null || bail "ipc keygen failed"
"$ipc" config-pack encode --sid 000000000000010 --wallet 61938166610 --key-index 1 \
  --key "$tmp/keys/merchant_private_key.pem" --cert "$keys/simulated-mypos-cert.pem" >"$tmp/pack.txt" || bail "config-pack failed"
ok "WordPress with the plug-in, keys and configuration pack ready"

# site_setup NAME: wp_install() and $orders pending orders through the database server NAME
# (MYPOS_DB_HOST); sets ORDERS.
site_setup() {
  export MYPOS_DB_HOST="localhost:$tmp/$1/sock"
  sql "$1" 'CREATE DATABASE IF NOT EXISTS wp' || return 1
  wp_install "$wp" "http://127.0.0.1:$home_port" || return 1
  new_orders "$orders"
}
new_orders() { # $1 = how many; sets ORDERS (through MYPOS_DB_HOST)
  local out
  out="$(wpphp "$root/tests/plugin-wp/setup.php" "$wp" "$tmp/pack.txt" 0 "$1" 2>&1)"
  mapfile -t ORDERS <<<"$out"
  [ "${#ORDERS[@]}" = "$1" ] && ! grep -qv '^[0-9][0-9]*$' <<<"$out" || { WP_ERROR="setup failed: $out"; return 1; }
}
# web_start DBHOST [REPLICA_SOCKET]: a php -S with 4 workers in its own process group; sets WEB_URL.
web_start() {
  local p; p="$(free_port)"
  env "$WP_PHP_ENV" MYPOS_DB_HOST="$1" MYPOS_DB_REPLICA="${2:-}" PHP_CLI_SERVER_WORKERS=4 \
    setsid php -d memory_limit=256M -S "127.0.0.1:$p" -t "$wp" "$root/tests/wp/router.php" >>"$tmp/web.log" 2>&1 &
  webs+=($!)
  WEB_URL="http://127.0.0.1:$p/?wc-api=mypos_ipc"
  for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/wp-login.php" && return 0; sleep 0.1; done
  WP_ERROR="php -S on $p did not answer: $(tail -3 "$tmp/web.log")"; return 1
}

# --- Bodies: for order o, the notify of payment 700000+o signed by myPOS, the same signed with the
# merchant's key (forged), and myPOS's rollback of it.
myposkey="$keys/simulated-mypos-private-key.pem"
fields() { # $1 = method, $2 = order
  printf 'IPCmethod=%s&SID=000000000000010&Amount=24.45&Currency=EUR&OrderID=%s' "$1" "$2"
}
bodies() { # writes $tmp/b/<order>.{valid,forged,rollback} for each order given
  mkdir -p "$tmp/b"
  for o in "$@"; do
    [ -f "$tmp/b/$o.valid" ] && continue
    local n="$(fields IPCPurchaseNotify "$o")&IPC_Trnref=$((700000 + o))&RequestSTAN=083107&RequestDateTime=2026-11-23+10%3A15%3A00"
    printf '%s' "$n" | "$ipc" sign --key "$myposkey" >"$tmp/b/$o.valid" || return 1
    printf '%s' "$n" | "$ipc" sign --key "$tmp/keys/merchant_private_key.pem" >"$tmp/b/$o.forged" || return 1
    fields IPCPurchaseRollback "$o" | "$ipc" sign --key "$myposkey" >"$tmp/b/$o.rollback" || return 1
  done
}

# post_one URL BODY OUT: one POST; OUT.res gets "<http code> <seconds>", OUT.body the answer.
post_one() {
  curl -s --max-time 20 -o "$3.body" -w '%{http_code} %{time_total}\n' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary "@$2" "$1" >"$3.res" 2>/dev/null || echo "000 20" >"$3.res"
}
export -f post_one
# burst NAME PLAN: the requests of PLAN (lines "URL BODY KIND ORDER") in that order, $parallel in
# flight; answers in $tmp/r/NAME/<line>.{res,body}; sets BURST_SECONDS.
burst() {
  local dir="$tmp/r/$1" t0 t1
  mkdir -p "$dir"
  t0=$(date +%s.%N)
  awk -v d="$dir" '{print $1, $2, d "/" NR}' "$2" | xargs -P "$parallel" -n 3 bash -c 'post_one "$@"' _
  t1=$(date +%s.%N)
  BURST_SECONDS=$(php -r "printf('%.3f', $t1 - $t0);")
}
# plan URL... : the burst's requests for ORDERS, the servers taken in turn so that duplicates of
# one order arrive together on different servers.
plan() {
  local i=0 k o urls=("$@") n=${#ORDERS[@]}
  for idx in "${!ORDERS[@]}"; do
    o="${ORDERS[$idx]}"
    if [ "$idx" -ge $((n - rolled)) ]; then
      for k in 1 2; do echo "${urls[$((i++ % ${#urls[@]}))]} $tmp/b/$o.valid valid $o"; done
      echo "${urls[$((i++ % ${#urls[@]}))]} $tmp/b/$o.rollback rollback $o"
    else
      for k in $(seq "$copies"); do echo "${urls[$((i++ % ${#urls[@]}))]} $tmp/b/$o.valid valid $o"; done
      echo "${urls[$((i++ % ${#urls[@]}))]} $tmp/b/$o.forged forged $o"
    fi
  done
}

# answers NAME PLAN: one line per request, "KIND ORDER CODE SECONDS BODY" (BODY: the first 20 bytes, _ if empty).
answers() {
  local i=0 kind o code secs body
  while read -r _ _ kind o; do
    i=$((i + 1))
    read -r code secs <"$tmp/r/$1/$i.res"
    body="$(head -c 20 "$tmp/r/$1/$i.body" 2>/dev/null | tr -c 'A-Za-z0-9 _-' '_')"
    echo "$kind $o $code $secs ${body:-_}"
  done <"$2"
}
# figures NAME ANSWERS: "<requests/s> <p99 ms>" of the burst.
figures() {
  local count p99
  count=$(wc -l <"$2")
  p99=$(awk '{print $4}' "$2" | sort -n | awk -v c="$count" '{a[NR]=$1} END {i=int(c*0.99+0.999); if (i<1) i=1; printf "%.0f", a[i]*1000}')
  php -r "printf('%.1f %s', $count / $BURST_SECONDS, '$p99');"
}
# order_state DB O: "status|trnref|payment_complete count" as stored (and logged by the test hooks).
order_state() {
  local row pc
  row="$(sqlwp "$1" "SELECT CONCAT(p.post_status, '|', IFNULL((SELECT meta_value FROM wp_postmeta m WHERE m.post_id = p.ID AND m.meta_key = '_mypos_ipc_trnref' LIMIT 1), '')) FROM wp_posts p WHERE p.ID = $2")"
  pc="$(grep -c " payment_complete $2 " "$tmp/events.log" 2>/dev/null)"
  echo "$row|${pc:-0}"
}

# check_burst NAME DB ANSWERS: the invariants of one burst.
check_burst() {
  local name="$1" db="$2" a="$3" bad="" o st
  local fivexx forged
  fivexx=$(awk '$3 >= 500 || $3 == 0' "$a" | wc -l)
  check "$name: no 5xx and no failed connection ($fivexx of $(wc -l <"$a"))" test "$fivexx" = 0
  forged=$(awk '$1 == "forged" && ($3 != 400 || $5 == "OK")' "$a" | wc -l)
  check "$name: every forged body answered 400, never OK ($forged not)" test "$forged" = 0
  for idx in "${!ORDERS[@]}"; do
    o="${ORDERS[$idx]}"; st="$(order_state "$db" "$o")"
    if [ "$idx" -ge $((${#ORDERS[@]} - rolled)) ]; then
      # Notify and rollback raced: failed in the end, paid at most once, a notify OK only if it paid.
      local oks; oks=$(awk -v o="$o" '$1 == "valid" && $2 == o && $3 == 200 && $5 == "OK"' "$a" | wc -l)
      [[ "$st" =~ ^wc-failed\|[0-9]*\|([01])$ ]] && { [ "$oks" = 0 ] || [ "${BASH_REMATCH[1]}" = 1 ]; } \
        && awk -v o="$o" '$1 == "rollback" && $2 == o && !($3 == 200 && $5 == "OK") {exit 1}' "$a" || bad+=" $o:$st(rollback,$oks OK)"
    else
      [ "$st" = "wc-processing|$((700000 + o))|1" ] \
        && awk -v o="$o" '$1 == "valid" && $2 == o && !($3 == 200 && $5 == "OK") {exit 1}' "$a" || bad+=" $o:$st"
    fi
  done
  check "$name: every order paid exactly once, payment_complete once, every valid notify answered exactly OK; rollbacks OK and leave the order failed${bad:+ (wrong:$bad)}" test -z "$bad"
  local held; held="$(sqlwp "$db" "SELECT COUNT(*) FROM wp_mypos_ipc_messages WHERE gate IS NOT NULL")"
  check "$name: every gate open again ($held held)" test "$held" = 0
}

# run_topology NAME DB URL...: bodies, one burst over the servers, checks, figures.
run_topology() {
  local name="$1" db="$2"; shift 2
  : >"$tmp/events.log"
  bodies "${ORDERS[@]}" || bail "ipc sign failed"
  # Warm the servers' workers and file caches (not counted): one forged body each, 400.
  local warm=()
  for u in "$@"; do for _ in 1 2 3 4; do curl -s -o /dev/null --max-time 20 --data-binary "@$tmp/b/${ORDERS[0]}.forged" "$u" & warm+=($!); done; done
  for p in "${warm[@]}"; do wait "$p"; done
  plan "$@" >"$tmp/plan-$name.txt"
  burst "$name" "$tmp/plan-$name.txt"
  answers "$name" "$tmp/plan-$name.txt" >"$tmp/answers-$name.log"
  check_burst "$name" "$db" "$tmp/answers-$name.log"
  read -r rps p99 <<<"$(figures "$name" "$tmp/answers-$name.log")"
  echo "$name $rps $p99 $(wc -l <"$tmp/answers-$name.log") $# " >>"$tmp/figures.txt"
  diag "$name: $(wc -l <"$tmp/answers-$name.log") requests over $# web servers in $BURST_SECONDS s: $rps requests/s, p99 $p99 ms"
}
diag() { echo "# $*"; }

# ============ single: one MariaDB server, two web servers on it ============
db_start single --skip-log-bin || bail "$WP_ERROR"
site_setup single || bail "$WP_ERROR"
host="localhost:$tmp/single/sock"
su=()
for _ in 1 2 3; do web_start "$host" || bail "$WP_ERROR"; su+=("$WEB_URL"); done
ok "single: one MariaDB, three web servers (4 workers each), orders ${ORDERS[*]}"
run_topology single single "${su[@]}"
stop_webs; db_stop single

# ============ galera: three nodes on loopback, one web server per node ============
for i in 1 2 3; do free_port >"$tmp/g$i.gport"; free_port >"$tmp/g$i.ist"; done
cluster="gcomm://127.0.0.1:$(cat "$tmp/g1.gport"),127.0.0.1:$(cat "$tmp/g2.gport"),127.0.0.1:$(cat "$tmp/g3.gport")"
galera_start() { # $1 = node number, then more options
  local i="$1"; shift
  mkdir -p "$tmp/g$i"; [ -f "$tmp/g$i/port" ] || free_port >"$tmp/g$i/port"
  db_start "g$i" --skip-log-bin --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$galera_lib" --wsrep-cluster-address="$cluster" --wsrep-cluster-name=mypos-scale \
    --wsrep-node-name="g$i" --wsrep-node-address="127.0.0.1:$(cat "$tmp/g$i.gport")" \
    --wsrep-sst-method=mysqldump --wsrep-sst-auth=root: --wsrep-sst-receive-address="127.0.0.1:$(cat "$tmp/g$i/port")" \
    --wsrep-provider-options="base_host=127.0.0.1;base_port=$(cat "$tmp/g$i.gport");ist.recv_addr=127.0.0.1:$(cat "$tmp/g$i.ist");gcache.size=64M" \
    "$@" || return 1
  for _ in $(seq 300); do
    [ "$(sql "g$i" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)" = Synced ] && return 0
    kill -0 "$(cat "$tmp/g$i/mpid")" 2>/dev/null || break
    sleep 0.1
  done
  WP_ERROR="Galera node g$i not synced: $(grep -i error "$tmp/g$i/err.log" | tail -3)"; return 1
}
galera_start 1 --wsrep-new-cluster || bail "$WP_ERROR"
site_setup g1 || bail "$WP_ERROR"
galera_start 2 && galera_start 3 || bail "$WP_ERROR"
size="$(sql g2 "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)"
check "galera: three nodes synced (cluster size $size; the site installed on g1 reached g2 and g3 by state transfer)" \
  bash -c "[ '$size' = 3 ] && [ \"\$(timeout 10 mariadb --no-defaults --socket='$tmp/g3/sock' -u root -N -e 'SELECT COUNT(*) FROM wp.wp_posts WHERE post_type = \"shop_order\"')\" = '$orders' ]"
diag "galera: GET_LOCK on a node answers $(sql g2 "SELECT GET_LOCK('mypos_probe', 0)" 2>&1 | head -c 120) (a lock local to that node either way)"
gu=()
for i in 1 2 3; do web_start "localhost:$tmp/g$i/sock" || bail "$WP_ERROR"; gu+=("$WEB_URL"); done
ok "galera: three web servers (4 workers each), one per node, orders ${ORDERS[*]}"
run_topology galera g1 "${gu[@]}"
source "$here/refund-race.sh"
refund_race

# --- Fault under load: g3 stops while a burst is in flight.
first=("${ORDERS[@]}")
export MYPOS_DB_HOST="localhost:$tmp/g1/sock"
new_orders "$orders" || bail "$WP_ERROR"
bodies "${ORDERS[@]}" || bail "ipc sign failed"
: >"$tmp/events.log"
log_from=$(($(wc -l <"$tmp/wc.log") + 1))
# recorded O: how many times a payment of order O was read back and answered OK (the log line of
# NotifyHandler::answer() after the read-back); pc O: payment_complete hooks fired.
recorded() { tail -n "+$log_from" "$tmp/wc.log" | grep -c "IPCPurchaseNotify for order $1: mark_paid (ok)"; }
pc() { grep -c " payment_complete $1 " "$tmp/events.log"; }
# Order k's three copies go to servers 1, 2, 3 (g1, g2, g3): lines 3k+1 and 3k+2 reach survivors.
for o in "${ORDERS[@]}"; do for i in 0 1 2; do echo "${gu[$i]} $tmp/b/$o.valid valid $o"; done; done >"$tmp/plan-fault.txt"
burst fault "$tmp/plan-fault.txt" & burst_pid=$!
for _ in $(seq 100); do [ "$(ls "$tmp/r/fault" 2>/dev/null | grep -c '\.res$')" -ge $((orders)) ] && break; sleep 0.05; done
stopped_after="$(ls "$tmp/r/fault" 2>/dev/null | grep -c '\.res$')"
stopped_at=$(date +%s)
db_stop g3
wait "$burst_pid"
answers fault "$tmp/plan-fault.txt" >"$tmp/answers-fault.log"
diag "fault: g3 stopped after $stopped_after of $(wc -l <"$tmp/plan-fault.txt") answers; answers (servers 1 2 3 per order): $(awk '{print $3}' "$tmp/answers-fault.log" | paste -sd' ')"
size="$(sql g1 "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)"
check "fault: the cluster goes on with two nodes (cluster size $size)" test "$size" = 2
unpaid=" $(for o in "${ORDERS[@]}"; do [[ "$(order_state g1 "$o")" = wc-processing* ]] || echo "$o"; done | paste -sd' ') "
# A survivor may answer 503 (busy, not OK) only for an order whose gate the stopped node held.
surv_bad="$(awk -v u="$unpaid" 'NR % 3 != 0 && ($3 == 0 || ($3 >= 500 && !($3 == 503 && index(u, " " $2 " ")))) {print $2 ":" $3}' "$tmp/answers-fault.log" | paste -sd' ')"
check "fault: the survivors answered every request, 503 only for an order the stopped node was changing${surv_bad:+ (bad: $surv_bad)}" test -z "$surv_bad"
refused="$(for o in "${ORDERS[@]}"; do
  [[ "$unpaid" = *" $o "* ]] || awk -v o="$o" '$2 == o && $3 < 500 && $3 != 0 && !($3 == 200 && $5 == "OK") {print o ":" $3 "/" $5}' "$tmp/answers-fault.log"
done | paste -sd' ')"
check "fault: every answer to a saved payment is OK or a failure of the stopped node, never a refusal${refused:+ (refused: $refused)}" test -z "$refused"
# consistent ANSWERS...: each order recorded paid exactly once, or still pending with no OK at all.
consistent() {
  local o st oks bad=""
  for o in "${ORDERS[@]}"; do
    st="$(order_state g1 "$o")"
    oks=$(cat "$@" | awk -v o="$o" '$2 == o && $3 == 200 && $5 == "OK"' | wc -l)
    if [[ "$st" = "wc-processing|$((700000 + o))|"* ]] && [ "$(recorded "$o")" = 1 ]; then :
    elif [[ "$st" = wc-pending\|* ]] && [ "$(recorded "$o")" = 0 ] && [ "$oks" = 0 ]; then :
    else bad+=" $o:$st($oks OK, $(recorded "$o") recorded)"; fi
  done
  echo "$bad"
}
bad="$(consistent "$tmp/answers-fault.log")"
unsaved=$(for o in "${ORDERS[@]}"; do echo $(($(pc "$o") - $(recorded "$o"))); done | awk '{s += $1} END {print s}')
check "fault: every order consistent: paid and recorded exactly once, or pending with no OK ($(wc -w <<<"$unpaid") pending)${bad:+ wrong:$bad}" test -z "$bad"
diag "fault: $unsaved payment_complete hook(s) fired by a worker on g3 whose save did not stick (WooCommerce fires the hook after save() whatever the database did)"
galera_start 3 || bail "$WP_ERROR"
size="$(sql g3 "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2)"
check "fault: g3 rejoined and synced (cluster size $size)" test "$size" = 3
# A gate left by a worker of the stopped node is taken over after MessageClaims::STALE_SECONDS (30).
[ "$(wc -w <<<"$unpaid")" = 0 ] || sleep $((stopped_at + 31 - $(date +%s) > 0 ? stopped_at + 31 - $(date +%s) : 0))
for o in "${ORDERS[@]}"; do for i in 0 1 2; do echo "${gu[$i]} $tmp/b/$o.valid valid $o"; done; done >"$tmp/plan-rejoin.txt"
burst rejoin "$tmp/plan-rejoin.txt"
answers rejoin "$tmp/plan-rejoin.txt" >"$tmp/answers-rejoin.log"
bad="$(consistent "$tmp/answers-fault.log" "$tmp/answers-rejoin.log")"
notok=$(awk '!($3 == 200 && $5 == "OK")' "$tmp/answers-rejoin.log" | wc -l)
check "after the rejoin: the notify repeated on all three nodes pays each order once, recorded once in all, every answer OK ($notok not OK)${bad:+ wrong:$bad}" \
  bash -c "[ -z '$bad' ] && [ '$notok' = 0 ]"
# --- A worker that died holding a gate: a fresh gate makes the notify wait 3 s and answer 503
# (nothing changed); one older than MessageClaims::STALE_SECONDS is taken over and the order paid once.
new_orders 2 || bail "$WP_ERROR"
bodies "${ORDERS[@]}" || bail "ipc sign failed"
read -r fresh_o stale_o <<<"${ORDERS[*]}"
now=$(date +%s)
sqlwp g1 "INSERT INTO wp_mypos_ipc_messages (order_id, ipc_order_id, trnref, method, state, gate, created, updated) VALUES
  ($fresh_o, '$fresh_o', '', 'IPCPurchaseRollback', 'applying', 1, $now, $now),
  ($stale_o, '$stale_o', '', 'IPCPurchaseRollback', 'applying', 1, $((now - 40)), $((now - 40)))" || bail "inserting gates failed"
: >"$tmp/events.log"
printf '%s\n' "${gu[0]} $tmp/b/$fresh_o.valid valid $fresh_o" "${gu[1]} $tmp/b/$stale_o.valid valid $stale_o" \
  "${gu[2]} $tmp/b/$stale_o.valid valid $stale_o" >"$tmp/plan-gates.txt"
burst gates "$tmp/plan-gates.txt"
answers gates "$tmp/plan-gates.txt" >"$tmp/answers-gates.log"
check "a gate held by a live worker: the notify is answered 503 after the wait and the order is unchanged ($(head -1 "$tmp/answers-gates.log" | cut -d' ' -f3-); $(order_state g1 "$fresh_o"))" \
  bash -c "[ '$(head -1 "$tmp/answers-gates.log" | cut -d' ' -f3)' = 503 ] && [ '$(order_state g1 "$fresh_o")' = 'wc-pending||0' ]"
check "a gate left 40 s ago: taken over, both notifies answered exactly OK, the order paid once ($(tail -2 "$tmp/answers-gates.log" | cut -d' ' -f3,5 | paste -sd' '); $(order_state g1 "$stale_o"))" \
  bash -c "[ \"\$(tail -2 '$tmp/answers-gates.log' | awk '\$3 == 200 && \$5 == \"OK\"' | wc -l)\" = 2 ] && [ '$(order_state g1 "$stale_o")' = 'wc-processing|$((700000 + stale_o))|1' ]"
ORDERS=("${first[@]}")
# --- The same burst on real WooCommerce (HPOS) when WP_SRC/WC_SRC are set (wc.sh).
source "$here/wc.sh"
wc_galera
stop_webs; for i in 1 2 3; do db_stop "g$i"; done

# ============ replica: a primary, a replica 1 s behind, the read/write-splitting drop-in ============
db_start primary --log-bin=mysql-bin --server-id=1 --binlog-format=ROW || bail "$WP_ERROR"
db_start replica --skip-log-bin --server-id=2 || bail "$WP_ERROR"
sql replica "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(cat "$tmp/primary/port"), MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_DELAY=1; START SLAVE" \
  || bail "replication not set up"
site_setup primary || bail "$WP_ERROR"
for _ in $(seq 100); do
  [ "$(sql replica "SELECT COUNT(*) FROM wp.wp_posts WHERE post_type = 'shop_order'" 2>/dev/null)" = "$orders" ] && break; sleep 0.1
done
check "replica: the replica has the site and the orders (replication from the primary)" \
  test "$(sql replica "SELECT COUNT(*) FROM wp.wp_posts WHERE post_type = 'shop_order'" 2>/dev/null)" = "$orders"
cp "$here/db.php" "$wp/wp-content/db.php"
host="localhost:$tmp/primary/sock"
ru=()
for _ in 1 2 3; do web_start "$host" "$tmp/replica/sock" || bail "$WP_ERROR"; ru+=("$WEB_URL"); done
ok "replica: three web servers with the drop-in (reads to the replica until send_reads_to_masters()), orders ${ORDERS[*]}"
selects() { sql replica "SHOW GLOBAL STATUS LIKE 'Com_select'" | cut -f2; }
s0="$(selects)"
run_topology replica primary "${ru[@]}"
s1="$(selects)"
check "replica: the drop-in did send reads to the replica ($((s1 - s0)) SELECTs there during the burst)" test $((s1 - s0)) -gt "$orders"
stop_webs; rm -f "$wp/wp-content/db.php"

dberr=$(grep -c "WordPress database error.*\(mypos_ipc_messages\|GET_LOCK\)" "$tmp/web.log")
check "the gate's expected duplicate keys and a refused GET_LOCK stay out of the PHP error log ($dberr lines)" test "$dberr" = 0

# --- Figures: each burst as a ratio to the single-server baseline.
read -r _ base_rps base_p99 _ < <(grep '^single ' "$tmp/figures.txt")
{
  echo "| topology | web servers | requests | requests/s | p99 ms | throughput vs single | p99 vs single |"
  echo "|---|---|---|---|---|---|---|"
  while read -r name rps p99 count servers; do
    php -r "printf('| %s | %d | %d | %.1f | %d | %.2f | %.2f |' . PHP_EOL, '$name', $servers, $count, $rps, $p99, $rps / $base_rps, $p99 / max(1, $base_p99));"
  done <"$tmp/figures.txt"
} >"$tmp/figures.md"
sed 's/^/# /' "$tmp/figures.md"
if [ "$failed" -ne 0 ]; then
  echo "# plug-in log:"; grep -v ' info ' "$tmp/wc.log" 2>/dev/null | tail -20 | sed 's/^/#   /'
fi
tap_plan
exit "$failed"
