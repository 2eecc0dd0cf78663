#!/usr/bin/env bash
# Runs the benchmark contract (../shared/BENCHMARKS.md) for the connector and for the raw-Netty baseline,
# alternating the two clients RUNS times per benchmark against one server, on each transport of TRANSPORTS and
# in each variant of VARIANTS, and prints per row (variant, transport, benchmark) the medians, the
# connector/raw-Netty ratio (both clients on the SAME transport and TLS provider, in the same run), p50/p99
# latency for ping-pong and the CPU seconds of each client, with the JIT compile and GC seconds inside them.
#
# Builds no Java: run `./mvnw -B package -pl core,benchmarks -am -DskipTests` (or a full build) first. (SERVER=c
# compiles the C server into OUT.)
#
# Sizes come from environment variables, so a quick run is easy:
#   RUNS=3 THROUGHPUT_BYTES=256m PINGPONG_COUNT=20000 CONNECT_COUNT=2000 benchmarks/run.sh
#
#   RUNS                 runs per client and benchmark (default 5)
#   TRANSPORTS           transports of both clients, space-separated (default: nio epoll io_uring)
#   VARIANTS             cold (the sizes below), warm (4x the sizes, so JIT warm-up weighs less) and/or steady (the
#                        sizes below, run STEADY_REPEAT times in one process with --repeat and the last one reported:
#                        the steady state, with the earlier runs as the warm-up); default: cold warm. idle runs in
#                        cold only.
#   STEADY_REPEAT        runs per process in the steady variant (default 3)
#   BENCHES              which benchmarks, space-separated (default: all of
#                        throughput throughput-tls pingpong-1 pingpong-100 pingpong-100-tls connect connect-tls idle)
#   THROUGHPUT_BYTES     bytes per throughput run (default 1g); CHUNK bytes per write (default 64k)
#   TLS_THROUGHPUT_BYTES bytes per TLS throughput run (default THROUGHPUT_BYTES)
#   PINGPONG_SIZE        message size (default 64)
#   PINGPONG_COUNT       round trips on 1 connection (default 100000)
#   PINGPONG_CONNS       connections for the multi-connection run (default 100)
#   PINGPONG_COUNT_EACH  round trips per connection on PINGPONG_CONNS connections (default 2000)
#   CONNECT_COUNT        connections per connect run (default 10000); TLS_CONNECT_COUNT (default CONNECT_COUNT/5)
#   CONNECT_CONCURRENCY  connects in flight (default 50)
#   IDLE_CONNS           connections held open by the idle run (default 5000)
#   CLIENT_THREADS       event-loop threads of both clients (default: each client's own: the connector's one per
#                        two cores, raw Netty's one, as the contract's plain Netty; set it to compare the same count)
#   SERVER               java (default): the jar's own Netty server; c: the neutral C server of c-server/server.c
#                        (one thread, epoll, OpenSSL), built into OUT with CC (default cc; needs OpenSSL's headers,
#                        Debian's libssl-dev). The contract's reference figures were taken against a C server, and it
#                        leaves more of the two cores to the clients.
#   SERVER_THREADS       worker threads of the Java server (default: Netty's)
#   JAVA, JAVA_OPTS      the java command and options for the clients (default: java, none)
#   SERVER_JAVA_OPTS     options for the Java server's JVMs
#   OUT                  directory for the raw JSON lines (default: a new temp dir, printed at the end)
#   BUN                  path of a bun binary (e.g. 1.4.5: `npm install bun@1.4.5` in a directory outside the repo,
#                        then BUN=<dir>/node_modules/bun/bin/bun.exe): when set, the Bun reference client
#                        (bun/client.js) runs too, in the same alternation, and each row also prints Bun's median and
#                        the connector/Bun ratio. Bun always runs on its own single epoll event loop, whatever the
#                        row's transport (the row's other two clients run on that transport). Unset: no Bun.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/socket-connector-benchmarks.jar}"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:-}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
RUNS="${RUNS:-5}"
TRANSPORTS="${TRANSPORTS:-nio epoll io_uring}"
VARIANTS="${VARIANTS:-cold warm}"
STEADY_REPEAT="${STEADY_REPEAT:-3}"
BENCHES="${BENCHES:-throughput throughput-tls pingpong-1 pingpong-100 pingpong-100-tls connect connect-tls idle}"
THROUGHPUT_BYTES="${THROUGHPUT_BYTES:-1g}"
TLS_THROUGHPUT_BYTES="${TLS_THROUGHPUT_BYTES:-$THROUGHPUT_BYTES}"
CHUNK="${CHUNK:-64k}"
PINGPONG_SIZE="${PINGPONG_SIZE:-64}"
PINGPONG_COUNT="${PINGPONG_COUNT:-100000}"
PINGPONG_CONNS="${PINGPONG_CONNS:-100}"
PINGPONG_COUNT_EACH="${PINGPONG_COUNT_EACH:-2000}"
CONNECT_COUNT="${CONNECT_COUNT:-10000}"
TLS_CONNECT_COUNT="${TLS_CONNECT_COUNT:-$(( CONNECT_COUNT / 5 ))}"
CONNECT_CONCURRENCY="${CONNECT_CONCURRENCY:-50}"
IDLE_CONNS="${IDLE_CONNS:-5000}"
CLIENT_THREADS="${CLIENT_THREADS:-}"
SERVER="${SERVER:-java}"
SERVER_THREADS="${SERVER_THREADS:-}"
BUN="${BUN:-}"
OUT="${OUT:-$(mktemp -d -t socket-connector-bench.XXXXXX)}"
mkdir -p "$OUT"

clients="connector raw-netty"
if [[ -n "$BUN" ]]; then
  if ! bun_version="$("$BUN" --version 2>&1)"; then
    echo "error: BUN=$BUN does not run: $bun_version" >&2
    exit 1
  fi
  clients="connector raw-netty bun"
fi

if [[ ! -f "$JAR" ]]; then
  echo "error: $JAR not found; build it first: ./mvnw -B package -pl core,benchmarks -am -DskipTests" >&2
  exit 1
fi

case "$SERVER" in
  java) ;;
  c)
    c_server="$OUT/c-server"
    if ! "${CC:-cc}" -O2 -o "$c_server" "$here/c-server/server.c" -lssl -lcrypto 2>"$OUT/c-server.build"; then
      echo "error: SERVER=c: the C server did not build (needs ${CC:-cc} and OpenSSL's headers, Debian's libssl-dev):" \
        "$(head -1 "$OUT/c-server.build")" >&2
      exit 1
    fi
    ;;
  *) echo "error: SERVER takes java or c (was $SERVER)" >&2; exit 2 ;;
esac

server_pids=()
cleanup() {
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${server_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# start_server NAME MODE [--tls]: starts a server on a free loopback port and sets port_NAME.
start_server() {
  local name="$1" mode="$2"; shift 2
  local log="$OUT/server-$name.out"
  local threads=()
  [[ -n "$SERVER_THREADS" ]] && threads=(--threads "$SERVER_THREADS")
  if [[ "$SERVER" == c ]]; then
    "$c_server" server --mode "$mode" --host 127.0.0.1 --port 0 "$@" >"$log" 2>"$OUT/server-$name.err" &
  else
    # shellcheck disable=SC2086
    "$JAVA" $SERVER_JAVA_OPTS -jar "$JAR" server --mode "$mode" --host 127.0.0.1 --port 0 "${threads[@]}" "$@" \
      >"$log" 2>"$OUT/server-$name.err" &
  fi
  server_pids+=("$!")
  local port=""
  for _ in $(seq 1 600); do
    port="$(sed -n 's/.*"port":\([0-9]*\).*/\1/p' "$log" 2>/dev/null | head -1)"
    [[ -n "$port" ]] && break
    if ! kill -0 "${server_pids[-1]}" 2>/dev/null; then
      echo "error: server $name did not start: $(tail -1 "$OUT/server-$name.err")" >&2
      exit 1
    fi
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "error: server $name did not report its port" >&2; exit 1; }
  printf -v "port_$name" '%s' "$port"
}

needs() { [[ " $BENCHES " == *" $1"* ]]; }

needs throughput && start_server count count
needs throughput-tls && start_server count_tls count --tls
{ needs pingpong || needs connect || needs idle; } && start_server echo echo
{ needs pingpong-100-tls || needs connect-tls; } && start_server echo_tls echo --tls

# bytes SIZE: SIZE (k/m/g suffixes, powers of 1024) in bytes.
bytes() {
  local v="${1,,}"
  case "$v" in
    *k) echo $(( ${v%k} * 1024 )) ;;
    *m) echo $(( ${v%m} * 1024 * 1024 )) ;;
    *g) echo $(( ${v%g} * 1024 * 1024 * 1024 )) ;;
    *) echo "$v" ;;
  esac
}

# args_for BENCH MULTIPLIER: the command line of one benchmark, its sizes times MULTIPLIER.
args_for() {
  local m="$2"
  case "$1" in
    throughput)       echo "throughput --port $port_count --bytes $(( $(bytes "$THROUGHPUT_BYTES") * m )) --chunk $CHUNK" ;;
    throughput-tls)   echo "throughput --port $port_count_tls --bytes $(( $(bytes "$TLS_THROUGHPUT_BYTES") * m )) --chunk $CHUNK --tls --insecure" ;;
    pingpong-1)       echo "pingpong --port $port_echo --size $PINGPONG_SIZE --count $(( PINGPONG_COUNT * m )) --conns 1" ;;
    pingpong-100)     echo "pingpong --port $port_echo --size $PINGPONG_SIZE --count $(( PINGPONG_COUNT_EACH * m )) --conns $PINGPONG_CONNS" ;;
    pingpong-100-tls) echo "pingpong --port $port_echo_tls --size $PINGPONG_SIZE --count $(( PINGPONG_COUNT_EACH * m )) --conns $PINGPONG_CONNS --tls --insecure" ;;
    connect)          echo "connect --port $port_echo --count $(( CONNECT_COUNT * m )) --concurrency $CONNECT_CONCURRENCY" ;;
    connect-tls)      echo "connect --port $port_echo_tls --count $(( TLS_CONNECT_COUNT * m )) --concurrency $CONNECT_CONCURRENCY --tls --insecure" ;;
    idle)             echo "idle --port $port_echo --conns $IDLE_CONNS" ;;
    *) echo "error: unknown benchmark $1" >&2; exit 2 ;;
  esac
}

metric_for() {
  case "$1" in
    throughput*) echo mib_per_s ;;
    pingpong*) echo rtt_per_s ;;
    connect*) echo per_s ;;
    idle) echo bytes_per_conn ;;
  esac
}

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([-0-9.a-z]*\).*/\1/p"; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

threads=""
[[ -n "$CLIENT_THREADS" ]] && threads="--threads $CLIENT_THREADS"

for variant in $VARIANTS; do
  repeat=""
  case "$variant" in
    cold) mult=1 ;;
    warm) mult=4 ;;
    steady) mult=1; repeat="--repeat $STEADY_REPEAT" ;;
    *) echo "error: VARIANTS takes cold, warm and steady (was $variant)" >&2; exit 2 ;;
  esac
  for transport in $TRANSPORTS; do
    for bench in $BENCHES; do
      [[ "$variant" != cold && "$bench" == idle ]] && continue
      args="$(args_for "$bench" "$mult") $repeat --transport $transport"
      for run in $(seq 1 "$RUNS"); do
        # alternate which client goes first, so neither always runs on a warmer machine
        if [[ -z "$BUN" ]]; then
          if (( run % 2 )); then order="connector raw-netty"; else order="raw-netty connector"; fi
        else
          # rotate the three clients: each goes first, second and third in turn
          case $(( run % 3 )) in
            1) order="connector raw-netty bun" ;;
            2) order="raw-netty bun connector" ;;
            0) order="bun connector raw-netty" ;;
          esac
        fi
        for client in $order; do
          echo "[run.sh] $variant $transport $bench run $run/$RUNS $client" >&2
          if [[ "$client" == bun ]]; then
            # Bun has one event loop and no transport choice: the benchmark's own options only
            # shellcheck disable=SC2046
            cmd=("$BUN" "$here/bun/client.js" $(args_for "$bench" "$mult") $repeat)
          else
            # shellcheck disable=SC2206
            cmd=("$JAVA" $JAVA_OPTS -jar "$JAR" $args --client "$client" $threads)
          fi
          if ! line="$("${cmd[@]}" 2>>"$OUT/client.err")"; then
            echo "error: $bench ($variant, $transport, $client, run $run) failed: $(tail -1 "$OUT/client.err")" >&2
            exit 1
          fi
          echo "$line" >>"$OUT/$variant.$transport.$bench.$client.jsonl"
        done
      done
    done
  done
done

med() { field "$1" <"$2" | median; }

echo
echo "socket-connector benchmarks: medians of $RUNS runs per client ($(date -u +%Y-%m-%dT%H:%MZ), $SERVER server, $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), client threads ${CLIENT_THREADS:-default}${BUN:+, Bun $bun_version})"
printf '%-5s %-9s %-24s %-10s %12s %12s %7s %7s %7s %9s   %s\n' variant transport benchmark metric connector raw-netty ratio \
  "cpu_s c" "cpu_s r" "cpu ratio" "p50/p99 us (connector | raw-netty)"
if [[ -n "$BUN" ]]; then
  printf '%-5s %-9s %-24s %-10s %12s %7s %7s %9s   %s\n' "" "" "  Bun (same run):" "" bun "c/bun" "cpu_s b" "cpu c/b" \
    "p50/p99 us (bun)"
fi
for variant in $VARIANTS; do
  for transport in $TRANSPORTS; do
    for bench in $BENCHES; do
      cf="$OUT/$variant.$transport.$bench.connector.jsonl"
      rf="$OUT/$variant.$transport.$bench.raw-netty.jsonl"
      [[ -f "$cf" && -f "$rf" ]] || continue
      metric="$(metric_for "$bench")"
      c="$(med "$metric" "$cf")"
      r="$(med "$metric" "$rf")"
      ratio="$(awk -v c="$c" -v r="$r" 'BEGIN { if (r + 0 == 0) print "n/a"; else printf "%.3f", c / r }')"
      cc="$(med cpu_s "$cf")"
      cr="$(med cpu_s "$rf")"
      cpu="$(awk -v c="$cc" -v r="$cr" 'BEGIN { if (r + 0 == 0) print "n/a"; else printf "%.3f", c / r }')"
      lat=""
      if [[ "$bench" == pingpong* ]]; then
        lat="$(med p50_us "$cf")/$(med p99_us "$cf") | $(med p50_us "$rf")/$(med p99_us "$rf")"
      fi
      name="$bench"
      if [[ "$bench" == *tls ]]; then
        name="$bench/$(field tls_provider <"$cf" | head -1)"
      fi
      printf '%-5s %-9s %-24s %-10s %12s %12s %7s %7s %7s %9s   %s\n' "$variant" "$transport" "$name" "$metric" "$c" "$r" \
        "$ratio" "$cc" "$cr" "$cpu" "$lat"
      if [[ "$bench" != idle ]]; then
        # how much of that CPU was warm-up: JIT compile and GC seconds in the same interval
        cj="$(med jit_s "$cf")"; cg="$(med gc_s "$cf")"; rj="$(med jit_s "$rf")"; rg="$(med gc_s "$rf")"
        if [[ "$cj" != n/a && "$rj" != n/a ]]; then
          printf '%-5s %-9s %-24s %-10s %12s %12s\n' "" "" "  of which jit / gc s" "" "$cj / $cg" "$rj / $rg"
        fi
      fi
      if [[ "$bench" == idle ]]; then
        # the same run's other two readings: resident memory after the native heap was trimmed (what the
        # process holds, not what malloc kept), and the live heap after full GCs
        for extra in bytes_per_conn_trimmed heap_per_conn; do
          c="$(med "$extra" "$cf")"
          r="$(med "$extra" "$rf")"
          [[ "$c" == n/a || "$r" == n/a ]] && continue
          ratio="$(awk -v c="$c" -v r="$r" 'BEGIN { if (r + 0 == 0) print "n/a"; else printf "%.3f", c / r }')"
          printf '%-5s %-9s %-24s %-10s %12s %12s %7s\n' "$variant" "$transport" "  idle" "${extra#bytes_per_conn_}" "$c" "$r" \
            "$ratio"
        done
      fi
      bf="$OUT/$variant.$transport.$bench.bun.jsonl"
      if [[ -n "$BUN" && -f "$bf" ]]; then
        b="$(med "$metric" "$bf")"
        bratio="$(awk -v c="$c" -v b="$b" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.3f", c / b }')"
        cb="$(med cpu_s "$bf")"
        bcpu="$(awk -v c="$cc" -v b="$cb" 'BEGIN { if (b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.3f", c / b }')"
        blat=""
        [[ "$bench" == pingpong* ]] && blat="$(med p50_us "$bf")/$(med p99_us "$bf")"
        printf '%-5s %-9s %-24s %-10s %12s %7s %7s %9s   %s\n' "" "" "  bun (epoll)" "" "$b" "$bratio" "$cb" "$bcpu" "$blat"
      fi
    done
  done
done
echo "ratio = connector / raw-netty on the same transport and TLS provider, same run (higher is better, except idle"
echo "bytes_per_conn where lower is better); cold = the sizes given, warm = 4x those sizes, steady = the sizes given,"
echo "the last of $STEADY_REPEAT runs in one process (the earlier ones its warm-up)"
echo "idle rows: bytes_per_conn = resident memory per connection as read; trimmed = the same after the JVM trimmed its"
echo "native heap (left out when it cannot); heap_per_conn = live heap per connection after full GCs"
echo "cpu_s = client process CPU seconds for the measured work (c = connector, r = raw-netty); cpu ratio = c / r"
echo "(lower is better; steadier than wall-clock rates on a shared machine)"
echo "jit / gc s = medians of the seconds the same interval spent compiling (the sum of the JIT compilations' elapsed"
echo "times) and collecting garbage: a cold row whose jit share is large measures warm-up more than the steady state"
if [[ -n "$BUN" ]]; then
  echo "bun = the Bun reference client (bun/client.js, Bun.connect, its own epoll loop), same run; c/bun = connector / bun"
  echo "(rates: higher is better; idle: lower is better); cpu c/b = connector CPU seconds / Bun's"
fi
echo "raw results: $OUT"
