# Sourced by tests/scale/run.sh on the Galera cluster after the first burst (its orders are paid):
# for three orders two admins press "Refund" at the same moment, one through g1 and one through
# g2 (refund.php, the stand-in's WordPress); myPOS is refund-counter.php. Asserted per order:
# exactly one IPCRefund reached myPOS and exactly one of the two was told "refunded" (the other is
# refused: pending, or busy), so a refund cannot be sent twice from two nodes (OrderGate).
# Needs (from run.sh): tmp here wp myposkey ORDERS webs WP_PHP_ENV, free_port, wpphp, check.

refund_race() {
  local p o at r1 r2 sent done_ bad="" g1="localhost:$tmp/g1/sock" g2="localhost:$tmp/g2/sock"
  p="$(free_port)"
  env "$WP_PHP_ENV" REFUND_COUNTER_LOG="$tmp/refunds.log" MYPOS_KEY="$myposkey" \
    setsid php -S "127.0.0.1:$p" "$here/refund-counter.php" >>"$tmp/web.log" 2>&1 &
  webs+=($!)
  for _ in $(seq 50); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" && break; sleep 0.1; done
  MYPOS_DB_HOST="$g1" wpphp "$here/refund.php" "$wp" endpoint "http://127.0.0.1:$p/" >/dev/null \
    || { not_ok "galera refund race: endpoint not configured"; return 0; }
  for o in "${ORDERS[@]:0:3}"; do
    : >"$tmp/refunds.log"
    at=$(php -r 'printf("%.3f", microtime(true) + 3);')
    MYPOS_DB_HOST="$g1" wpphp "$here/refund.php" "$wp" refund "$o" 10.00 "$at" >"$tmp/refund-$o-1.txt" 2>>"$tmp/refund-race.log" & r1=$!
    MYPOS_DB_HOST="$g2" wpphp "$here/refund.php" "$wp" refund "$o" 10.00 "$at" >"$tmp/refund-$o-2.txt" 2>>"$tmp/refund-race.log" & r2=$!
    wait "$r1"; wait "$r2"
    sent=$(grep -c '^IPCRefund ' "$tmp/refunds.log")
    done_=$(cat "$tmp/refund-$o-1.txt" "$tmp/refund-$o-2.txt" | grep -c '^refunded$')
    diag "refund race, order $o: $sent IPCRefund at myPOS; g1: $(head -1 "$tmp/refund-$o-1.txt" | cut -c1-70); g2: $(head -1 "$tmp/refund-$o-2.txt" | cut -c1-70)"
    [ "$sent" = 1 ] && [ "$done_" = 1 ] || bad+=" $o:$sent sent/$done_ refunded"
  done
  local late; late=$(grep -c 'started late' "$tmp/refund-race.log" 2>/dev/null)
  check "galera: two refunds of the same order at once on g1 and g2: exactly one reaches myPOS, one is refunded (3 orders, ${late:-0} starts late)${bad:+ (wrong:$bad)}" test -z "$bad"
}
