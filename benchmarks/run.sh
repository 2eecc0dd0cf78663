#!/usr/bin/env bash
# Runs the benchmark contract (../shared/BENCHMARKS.md) for the connector and for the raw-Netty baseline,
# alternating the two clients RUNS times per benchmark against one server, and prints medians and the
# connector/raw-Netty ratio per benchmark (p50/p99 latency too for ping-pong).
#
# Builds nothing: run `./mvnw -B package -pl core,benchmarks -am -DskipTests` (or a full build) first.
#
# Sizes come from environment variables, so a quick run is easy:
#   RUNS=3 THROUGHPUT_BYTES=256m PINGPONG_COUNT=20000 CONNECT_COUNT=2000 benchmarks/run.sh
#
#   RUNS                 runs per client and benchmark (default 5)
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
#   CLIENT_THREADS       event-loop threads of both clients (default: Netty's, 2 x cores)
#   SERVER_THREADS       worker threads of the server (default: Netty's)
#   JAVA, JAVA_OPTS      the java command and options for the clients (default: java, none)
#   SERVER_JAVA_OPTS     options for the server JVMs
#   OUT                  directory for the raw JSON lines (default: a new temp dir, printed at the end)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
JAR="${JAR:-$here/target/socket-connector-benchmarks.jar}"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:-}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:-}"
RUNS="${RUNS:-5}"
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
SERVER_THREADS="${SERVER_THREADS:-}"
OUT="${OUT:-$(mktemp -d -t socket-connector-bench.XXXXXX)}"
mkdir -p "$OUT"

if [[ ! -f "$JAR" ]]; then
  echo "error: $JAR not found; build it first: ./mvnw -B package -pl core,benchmarks -am -DskipTests" >&2
  exit 1
fi

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
  # shellcheck disable=SC2086
  "$JAVA" $SERVER_JAVA_OPTS -jar "$JAR" server --mode "$mode" --host 127.0.0.1 --port 0 "${threads[@]}" "$@" \
    >"$log" 2>"$OUT/server-$name.err" &
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

# args_for BENCH: the command line of one benchmark.
args_for() {
  case "$1" in
    throughput)       echo "throughput --port $port_count --bytes $THROUGHPUT_BYTES --chunk $CHUNK" ;;
    throughput-tls)   echo "throughput --port $port_count_tls --bytes $TLS_THROUGHPUT_BYTES --chunk $CHUNK --tls --insecure" ;;
    pingpong-1)       echo "pingpong --port $port_echo --size $PINGPONG_SIZE --count $PINGPONG_COUNT --conns 1" ;;
    pingpong-100)     echo "pingpong --port $port_echo --size $PINGPONG_SIZE --count $PINGPONG_COUNT_EACH --conns $PINGPONG_CONNS" ;;
    pingpong-100-tls) echo "pingpong --port $port_echo_tls --size $PINGPONG_SIZE --count $PINGPONG_COUNT_EACH --conns $PINGPONG_CONNS --tls --insecure" ;;
    connect)          echo "connect --port $port_echo --count $CONNECT_COUNT --concurrency $CONNECT_CONCURRENCY" ;;
    connect-tls)      echo "connect --port $port_echo_tls --count $TLS_CONNECT_COUNT --concurrency $CONNECT_CONCURRENCY --tls --insecure" ;;
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

for bench in $BENCHES; do
  args="$(args_for "$bench")"
  for run in $(seq 1 "$RUNS"); do
    # alternate which client goes first, so neither always runs on a warmer machine
    if (( run % 2 )); then order="connector raw-netty"; else order="raw-netty connector"; fi
    for client in $order; do
      echo "[run.sh] $bench run $run/$RUNS $client" >&2
      # shellcheck disable=SC2086
      if ! line="$("$JAVA" $JAVA_OPTS -jar "$JAR" $args --client "$client" $threads 2>>"$OUT/client.err")"; then
        echo "error: $bench ($client, run $run) failed: $(tail -1 "$OUT/client.err")" >&2
        exit 1
      fi
      echo "$line" >>"$OUT/$bench.$client.jsonl"
    done
  done
done

echo
echo "socket-connector benchmarks: medians of $RUNS runs per client ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $("$JAVA" -version 2>&1 | head -1))"
printf '%-17s %-15s %14s %14s %8s %10s   %s\n' benchmark metric connector raw-netty ratio "cpu ratio" \
  "p50/p99 us (connector | raw-netty)"
for bench in $BENCHES; do
  metric="$(metric_for "$bench")"
  c="$(field "$metric" <"$OUT/$bench.connector.jsonl" | median)"
  r="$(field "$metric" <"$OUT/$bench.raw-netty.jsonl" | median)"
  ratio="$(awk -v c="$c" -v r="$r" 'BEGIN { if (r + 0 == 0) print "n/a"; else printf "%.3f", c / r }')"
  cc="$(field cpu_s <"$OUT/$bench.connector.jsonl" | median)"
  cr="$(field cpu_s <"$OUT/$bench.raw-netty.jsonl" | median)"
  cpu="$(awk -v c="$cc" -v r="$cr" 'BEGIN { if (r + 0 == 0) print "n/a"; else printf "%.3f", c / r }')"
  lat=""
  if [[ "$bench" == pingpong* ]]; then
    lat="$(field p50_us <"$OUT/$bench.connector.jsonl" | median)/$(field p99_us <"$OUT/$bench.connector.jsonl" | median) | $(field p50_us <"$OUT/$bench.raw-netty.jsonl" | median)/$(field p99_us <"$OUT/$bench.raw-netty.jsonl" | median)"
  fi
  printf '%-17s %-15s %14s %14s %8s %10s   %s\n' "$bench" "$metric" "$c" "$r" "$ratio" "$cpu" "$lat"
done
if needs throughput-tls && needs "throughput "; then
  c="$(field mib_per_s <"$OUT/throughput.connector.jsonl" | median)"
  t="$(field mib_per_s <"$OUT/throughput-tls.connector.jsonl" | median)"
  echo "connector TLS/plain throughput: $(awk -v t="$t" -v c="$c" 'BEGIN { printf "%.3f", t / c }')"
fi
echo "ratio = connector / raw-netty (higher is better, except idle bytes_per_conn where lower is better)"
echo "cpu ratio = client process CPU seconds for the same work, connector / raw-netty (lower is better; steadier"
echo "than wall-clock rates on a shared machine)"
echo "raw results: $OUT"
