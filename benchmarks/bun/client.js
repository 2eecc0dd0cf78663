// The benchmark client contract (BENCHMARKS.md: throughput, pingpong, connect, idle) for Bun, on Bun.connect only.
//
//   bun benchmarks/bun/client.js <command> [options]      (tested with Bun 1.4.5: `npm install bun@1.4.5`)
//
// Same options, same one-line JSON result on stdout and the same exit codes as the Java benchmark client
// (0 done, 1 failed run with a one-line `error: ...` on stderr, 2 usage error); progress goes to stderr.
// Written the way Bun code is meant to be written: write() returns what the kernel (or TLS) accepted and the
// rest is retried in drain; every handler runs on Bun's one event loop (epoll on Linux). Every byte is
// verified: the throughput count, every echoed ping-pong byte, every connection of connect and idle.
"use strict";

const fs = require("node:fs");

const USAGE = [
  "usage: bun client.js <command> [options]",
  "  throughput --host H --port P --bytes N --chunk C [--tls] [--insecure]   (or --unix PATH)",
  "  pingpong   --host H --port P --size S --count N --conns K [--tls] [--insecure]   (or --unix PATH)",
  "  connect    --host H --port P --count N --concurrency K [--tls] [--insecure]",
  "  idle       --host H --port P --conns N",
  "  common: --timeout SECONDS (default 600), --transport auto|epoll (Bun runs one epoll event loop);",
  "          --repeat N (throughput, pingpong, connect: run N times in this process and report the last, the",
  "          earlier ones warming it up; default 1);",
  "          sizes accept k/m/g suffixes (powers of 1024)",
].join("\n");

class UsageError extends Error {}
class BenchmarkFailure extends Error {}

const FLAGS = new Set(["tls", "insecure"]);
const KNOWN = new Set(["host", "port", "unix", "bytes", "chunk", "size", "count", "conns", "concurrency", "timeout",
  "transport", "tls", "insecure", "client", "repeat"]);

function parseOptions(args) {
  const values = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--") || arg.length === 2) {
      throw new UsageError(`unexpected argument '${arg}' (options are --name value)`);
    }
    let name = arg.substring(2);
    let value;
    const eq = name.indexOf("=");
    if (eq > 0) {
      value = name.substring(eq + 1);
      name = name.substring(0, eq);
    } else if (FLAGS.has(name)) {
      value = "true";
    } else {
      if (i + 1 >= args.length) {
        throw new UsageError(`option --${name} needs a value`);
      }
      value = args[++i];
    }
    if (!KNOWN.has(name)) {
      throw new UsageError(`unknown option --${name}`);
    }
    if (values.has(name)) {
      throw new UsageError(`option --${name} is given twice`);
    }
    values.set(name, value);
  }
  return values;
}

// A positive size: k/m/g suffixes (powers of 1024), underscores allowed; as BenchOptions.size.
function size(values, name, defaultValue) {
  const text = values.get(name);
  if (text === undefined) {
    if (defaultValue < 0) {
      throw new UsageError(`option --${name} is required`);
    }
    return defaultValue;
  }
  let t = text.trim().toLowerCase().replaceAll("_", "");
  let multiplier = 1;
  const unit = t.charAt(t.length - 1);
  if (unit === "k" || unit === "m" || unit === "g") {
    multiplier = unit === "k" ? 1024 : unit === "m" ? 1024 * 1024 : 1024 * 1024 * 1024;
    t = t.substring(0, t.length - 1);
  }
  if (!/^[+-]?\d+$/.test(t)) {
    throw new UsageError(`option --${name} must be a number (was '${text}')`);
  }
  const value = Number(t) * multiplier;
  if (!Number.isSafeInteger(value)) {
    throw new UsageError(`option --${name} must be a number (was '${text}')`);
  }
  if (value <= 0) {
    throw new UsageError(`option --${name} must be positive (was '${text}')`);
  }
  return value;
}

function intSize(values, name, defaultValue) {
  const value = size(values, name, defaultValue);
  if (value > 2147483647) {
    throw new UsageError(`option --${name} must be at most 2147483647`);
  }
  return value;
}

function repeatOption(command, values) {
  const repeat = intSize(values, "repeat", 1);
  if (repeat > 1 && command === "idle") {
    throw new UsageError("option --repeat is for throughput, pingpong and connect, not idle (which measures what N connections add to a process)");
  }
  return repeat;
}

function flag(values, name) {
  const value = values.get(name);
  return value !== undefined && value !== "false";
}

function spec(command, values) {
  const client = values.get("client");
  if (client !== undefined && client !== "bun") {
    throw new UsageError(`option --client must be bun in the Bun client (was '${client}')`);
  }
  const transport = (values.get("transport") ?? "auto").trim().toLowerCase().replace("-", "_");
  if (transport !== "auto" && transport !== "epoll") {
    throw new UsageError(`option --transport must be auto or epoll in the Bun client, which runs one epoll event loop (was '${values.get("transport")}')`);
  }
  const unixAllowed = command === "throughput" || command === "pingpong";
  let target;
  const unix = values.get("unix");
  if (unix !== undefined) {
    if (!unixAllowed) {
      throw new UsageError("option --unix is not supported by this command");
    }
    target = { unix, toString: () => `unix:${unix}` };
  } else {
    const port = intSize(values, "port", -1);
    if (port > 65535) {
      throw new UsageError(`option --port must be between 1 and 65535 (was ${port})`);
    }
    const hostname = values.get("host") ?? "127.0.0.1";
    target = { hostname, port, toString: () => `${hostname}:${port}` };
  }
  return {
    target,
    tls: flag(values, "tls"),
    insecure: flag(values, "insecure"),
    bytes: size(values, "bytes", 1024 * 1024 * 1024),
    chunk: intSize(values, "chunk", 64 * 1024),
    size: intSize(values, "size", 64),
    count: intSize(values, "count", 10000),
    conns: intSize(values, "conns", command === "idle" ? 1000 : 1),
    concurrency: intSize(values, "concurrency", 50),
    timeoutMs: size(values, "timeout", 600) * 1000,
    repeat: repeatOption(command, values),
  };
}

function log(message) {
  process.stderr.write(`[bench] ${message}\n`);
}

function oneLine(error) {
  const text = error instanceof Error ? (error.message || error.name) + (error.code ? ` (${error.code})` : "") : String(error);
  return text.replace(/\s+/g, " ").trim();
}

// One-line JSON, fields in insertion order; numbers that are not integers get three decimals (as Json.java).
class Json {
  constructor(bench) {
    this.parts = [];
    this.field("bench", bench);
  }

  field(name, value) {
    let text;
    if (typeof value === "string") {
      text = JSON.stringify(value);
    } else if (typeof value === "boolean") {
      text = String(value);
    } else if (typeof value === "bigint") {
      text = value.toString();
    } else {
      if (!Number.isSafeInteger(value)) {
        throw new Error(`${name}: ${value} is not an integer (use double())`);
      }
      text = String(value);
    }
    this.parts.push(`"${name}":${text}`);
    return this;
  }

  double(name, value) {
    this.parts.push(`"${name}":${value.toFixed(3)}`);
    return this;
  }

  toString() {
    return `{${this.parts.join(",")}}`;
  }
}

// CPU seconds of this process (all threads, user + system), as CpuClock in the Java client.
function cpuNanos() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) * 1000;
}

const nanoTime = () => Bun.nanoseconds();

// The ping-pong payload, byte for byte the one of Payload.java.
function payloadAt(connection, round, index) {
  return (index * 31 + round * 7 + connection * 13 + (index >>> 8)) & 0xff;
}

function fillPayload(message, connection, round) {
  for (let i = 0; i < message.length; i++) {
    message[i] = payloadAt(connection, round, i);
  }
}

function tlsOptions(spec) {
  return spec.tls ? { rejectUnauthorized: !spec.insecure } : undefined;
}

function connect(spec, handler) {
  const socket = Object.assign({ binaryType: "uint8array" }, handler);
  const options = { socket, tls: tlsOptions(spec) };
  if (spec.target.unix !== undefined) {
    options.unix = spec.target.unix;
  } else {
    options.hostname = spec.target.hostname;
    options.port = spec.target.port;
  }
  return Bun.connect(options);
}

// A promise with its resolve/reject exposed, settled at most once.
function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // marked handled: a failure is reported where the promise is awaited, never as an unhandled rejection
  promise.catch(() => {});
  const d = { promise, done: false };
  d.resolve = (v) => {
    if (!d.done) {
      d.done = true;
      resolve(v);
    }
  };
  d.reject = (e) => {
    if (!d.done) {
      d.done = true;
      reject(e);
    }
  };
  return d;
}

function failure(what, error) {
  return error instanceof BenchmarkFailure ? error : new BenchmarkFailure(`${what}: ${oneLine(error)}`);
}

async function throughput(spec) {
  const chunk = new Uint8Array(Math.min(spec.chunk, spec.bytes));
  fillPayload(chunk, 0, 0);
  const result = deferred();
  const reply = new Uint8Array(8);
  let replyLength = 0;
  let remaining = spec.bytes;
  let offset = 0;
  let shutdown = false;
  let start = 0, end = 0, cpuStart = 0, cpuEnd = 0;

  function pump(socket) {
    while (remaining > 0) {
      const length = Math.min(chunk.length - offset, remaining);
      const accepted = socket.write(chunk, offset, length);
      if (accepted < 0) {
        result.reject(new BenchmarkFailure(`write returned -1 with ${remaining} bytes left`));
        socket.terminate();
        return;
      }
      remaining -= accepted;
      offset += accepted;
      if (offset === chunk.length) {
        offset = 0;
      }
      if (accepted < length) {
        return;
      }
    }
    if (!shutdown) {
      shutdown = true;
      // FIN, still readable for the count (end() closes a plain TCP socket at once in Bun)
      socket.shutdown();
    }
  }

  connect(spec, {
    open(socket) {
      cpuStart = cpuNanos();
      start = nanoTime();
      pump(socket);
    },
    drain(socket) {
      pump(socket);
    },
    data(socket, data) {
      if (replyLength + data.length > 8) {
        result.reject(new BenchmarkFailure(`server sent ${replyLength + data.length} bytes instead of an 8-byte count`));
        socket.terminate();
        return;
      }
      reply.set(data, replyLength);
      replyLength += data.length;
      if (replyLength === 8) {
        end = nanoTime();
        cpuEnd = cpuNanos();
      }
    },
    close(socket, error) {
      if (error) {
        result.reject(failure("connection closed with an error", error));
      } else if (replyLength === 8) {
        result.resolve(new DataView(reply.buffer).getBigInt64(0, false));
      } else {
        result.reject(new BenchmarkFailure(`short read: connection closed after ${replyLength} of the 8 count bytes (${remaining} bytes unsent)`));
      }
    },
    error(socket, error) {
      result.reject(failure("socket error", error));
      socket.terminate();
    },
    connectError(socket, error) {
      result.reject(failure(`connect to ${spec.target}`, error));
    },
  }).catch((error) => result.reject(failure(`connect to ${spec.target}`, error)));

  const count = await result.promise;
  if (count !== BigInt(spec.bytes)) {
    throw new BenchmarkFailure(`server counted ${count} bytes but ${spec.bytes} were sent`);
  }
  const seconds = (end - start) / 1e9;
  return new Json("throughput")
    .field("bytes", spec.bytes)
    .double("seconds", seconds)
    .double("mib_per_s", spec.bytes / (1024 * 1024) / seconds)
    .double("cpu_s", (cpuEnd - cpuStart) / 1e9);
}

// Nearest-rank percentile in microseconds, as Latencies.java.
function percentileMicros(sorted, percentile) {
  if (sorted.length === 0) {
    return 0;
  }
  const rank = Math.ceil((percentile / 100) * sorted.length);
  return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1000;
}

async function pingpong(spec) {
  const conns = [];
  const opens = [];
  for (let id = 0; id < spec.conns; id++) {
    const c = {
      id,
      message: new Uint8Array(spec.size),
      rtt: new Float64Array(spec.count),
      round: 0,
      received: 0,
      sent: spec.size, // nothing to write until the first send (a TLS socket drains after its handshake)
      sentAt: 0,
      done: deferred(),
      ready: deferred(),
      socket: null,
    };
    conns.push(c);
    const fail = (socket, error) => {
      c.done.reject(error);
      socket.terminate();
    };
    const writeRest = (socket) => {
      const accepted = socket.write(c.message, c.sent, c.message.length - c.sent);
      if (accepted < 0) {
        fail(socket, new BenchmarkFailure(`write returned -1 on connection ${c.id}`));
        return;
      }
      c.sent += accepted;
    };
    c.send = (socket) => {
      fillPayload(c.message, c.id, c.round);
      c.sent = 0;
      c.sentAt = nanoTime();
      writeRest(socket);
    };
    opens.push(connect(spec, {
      open(socket) {
        if (!spec.tls) {
          c.ready.resolve();
        }
      },
      handshake(socket, success, authorizationError) {
        if (success) {
          c.ready.resolve();
        } else {
          c.ready.reject(failure(`TLS handshake on connection ${c.id}`, authorizationError ?? new Error("handshake failed")));
        }
      },
      drain(socket) {
        if (c.sent < c.message.length) {
          writeRest(socket);
        }
      },
      data(socket, data) {
        if (c.round >= spec.count || c.received + data.length > c.message.length) {
          fail(socket, new BenchmarkFailure(`echo longer than sent on connection ${c.id}, round ${c.round}`));
          return;
        }
        for (let i = 0; i < data.length; i++) {
          if (data[i] !== payloadAt(c.id, c.round, c.received + i)) {
            fail(socket, new BenchmarkFailure(`echo mismatch on connection ${c.id}, round ${c.round}, byte ${c.received + i}: expected ${payloadAt(c.id, c.round, c.received + i)} but got ${data[i]}`));
            return;
          }
        }
        c.received += data.length;
        if (c.received === c.message.length) {
          const now = nanoTime();
          c.rtt[c.round++] = now - c.sentAt;
          c.received = 0;
          if (c.round === spec.count) {
            c.done.resolve(now);
          } else {
            c.send(socket);
          }
        }
      },
      close(socket, error) {
        c.ready.reject(new BenchmarkFailure(`connection ${c.id} closed before it was ready${error ? ": " + oneLine(error) : ""}`));
        c.done.reject(new BenchmarkFailure(`connection ${c.id} closed after ${c.round} of ${spec.count} round trips${error ? ": " + oneLine(error) : ""}`));
      },
      error(socket, error) {
        fail(socket, failure(`socket error on connection ${c.id}`, error));
      },
      connectError(socket, error) {
        c.ready.reject(failure(`pingpong connect to ${spec.target}`, error));
        c.done.reject(failure(`pingpong connect to ${spec.target}`, error));
      },
    }).then((socket) => {
      c.socket = socket;
    }, (error) => {
      throw failure(`pingpong connect to ${spec.target}`, error);
    }));
  }
  await Promise.all(opens);
  // a TLS socket is ready after its handshake (the promise resolves at TCP connect)
  for (const c of conns) {
    await c.ready.promise;
  }
  const cpuStart = cpuNanos();
  const start = nanoTime();
  for (const c of conns) {
    c.send(c.socket);
  }
  let end = start;
  for (const c of conns) {
    end = Math.max(end, await c.done.promise);
  }
  const cpu = cpuNanos() - cpuStart;
  const all = new Float64Array(spec.count * spec.conns);
  conns.forEach((c, i) => all.set(c.rtt, i * spec.count));
  all.sort();
  for (const c of conns) {
    c.socket.end();
  }
  const roundtrips = spec.count * spec.conns;
  const seconds = (end - start) / 1e9;
  return new Json("pingpong")
    .field("roundtrips", roundtrips)
    .double("seconds", seconds)
    .double("rtt_per_s", roundtrips / seconds)
    .double("p50_us", percentileMicros(all, 50))
    .double("p99_us", percentileMicros(all, 99))
    .double("cpu_s", cpu / 1e9);
}

async function connectBench(spec) {
  async function run(count) {
    const allOpened = deferred();
    const done = deferred();
    let launched = 0, opened = 0, closed = 0, resumed = 0;
    const fail = (what, error) => {
      const f = failure(what, error);
      allOpened.reject(f);
      done.reject(f);
    };
    const handler = {
      data(socket, data) {
        fail("connect", new BenchmarkFailure(`the echo server sent ${data.length} bytes nobody asked for`));
      },
      open(socket) {
        if (spec.tls && socket.isSessionReused && socket.isSessionReused()) {
          resumed++;
        }
        if (++opened === count) {
          allOpened.resolve(nanoTime());
        }
        socket.end();
        launch();
      },
      close(socket, error) {
        if (error) {
          fail("connection closed with an error", error);
        } else if (++closed === count) {
          done.resolve(nanoTime());
        }
      },
      error(socket, error) {
        fail("socket error", error);
        socket.terminate();
      },
      connectError(socket, error) {
        fail(`connect to ${spec.target}`, error);
      },
    };
    if (spec.tls) {
      // with a handshake handler Bun calls open before the handshake; count the connection when it is done
      const counted = handler.open;
      handler.open = () => {};
      handler.handshake = (socket, success, authorizationError) => {
        if (!success) {
          fail(`TLS handshake with ${spec.target}`, authorizationError ?? new Error("handshake failed"));
        } else {
          counted(socket);
        }
      };
    }
    function launch() {
      if (launched >= count || done.done) {
        return;
      }
      launched++;
      connect(spec, handler).catch((error) => fail(`connect to ${spec.target}`, error));
    }
    return { allOpened, done, launch, resumed: () => resumed, opened: () => opened };
  }

  // one untimed connection first, so one-time setup (TLS context) is out of the rate
  const warmUp = await run(1);
  warmUp.launch();
  await warmUp.done.promise;
  const r = await run(spec.count);
  const cpuStart = cpuNanos();
  const start = nanoTime();
  for (let i = 0; i < Math.min(spec.concurrency, spec.count); i++) {
    r.launch();
  }
  const end = await r.allOpened.promise;
  await r.done.promise;
  const cpu = cpuNanos() - cpuStart;
  const seconds = (end - start) / 1e9;
  const json = new Json("connect")
    .field("count", spec.count)
    .double("seconds", seconds)
    .double("per_s", spec.count / seconds)
    .double("cpu_s", cpu / 1e9);
  if (spec.tls) {
    json.field("resumed", r.resumed());
  }
  return json;
}

// Full GCs (synchronous in Bun) until the heap in use stops shrinking (at most five), 100 ms apart, as
// MemoryProbe.heapAfterFullGc in the Java client.
async function heapAfterFullGc() {
  let previous = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < 5; i++) {
    Bun.gc(true);
    await Bun.sleep(100);
    const used = process.memoryUsage().heapUsed;
    if (used >= previous) {
      return used;
    }
    previous = used;
  }
  return previous;
}

// VmRSS from /proc/self/status, as MemoryProbe.residentBytes.
function residentBytes() {
  let status;
  try {
    status = fs.readFileSync("/proc/self/status", "utf8");
  } catch (error) {
    throw new BenchmarkFailure(`cannot read VmRSS from /proc/self/status: ${oneLine(error)}`);
  }
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) {
    throw new BenchmarkFailure("no VmRSS line in /proc/self/status");
  }
  return Number(match[1]) * 1024;
}

// VmRSS once it has settled (two reads 100 ms apart within 64 KiB, at most 20 reads), as
// MemoryProbe.residentBytesSettled.
async function residentBytesSettled() {
  let previous = residentBytes();
  for (let i = 0; i < 20; i++) {
    await Bun.sleep(100);
    const current = residentBytes();
    if (Math.abs(current - previous) <= 64 * 1024) {
      return current;
    }
    previous = current;
  }
  return previous;
}

async function idle(spec) {
  const errors = [];
  // a TLS socket is open once its handshake is done (Bun.connect resolves at TCP connect)
  const handshakes = new Map();
  const handler = {
    data(socket, data) {
      errors.push(new BenchmarkFailure(`the echo server sent ${data.length} bytes to an idle connection`));
    },
    handshake(socket, success, authorizationError) {
      const ready = handshakes.get(socket) ?? deferred();
      handshakes.set(socket, ready);
      if (success) {
        ready.resolve(socket);
      } else {
        ready.reject(failure(`TLS handshake with ${spec.target}`, authorizationError ?? new Error("handshake failed")));
      }
    },
    close(socket) {
      handshakes.get(socket)?.reject(new BenchmarkFailure(`a connection to ${spec.target} closed during its handshake`));
    },
    error(socket, error) {
      log(`idle connection error: ${oneLine(error)}`);
      errors.push(error);
      socket.terminate();
    },
    connectError(socket, error) {
      errors.push(error);
    },
  };
  async function open() {
    let socket;
    try {
      socket = await connect(spec, handler);
    } catch (error) {
      throw failure(`idle connect to ${spec.target}`, error);
    }
    if (!spec.tls) {
      return socket;
    }
    const ready = handshakes.get(socket) ?? deferred();
    handshakes.set(socket, ready);
    await ready.promise;
    handshakes.delete(socket);
    return socket;
  }
  async function openAll(conns) {
    const sockets = [];
    const batch = 100;
    for (let from = 0; from < conns; from += batch) {
      const opens = [];
      for (let i = from; i < Math.min(conns, from + batch); i++) {
        opens.push(open());
      }
      sockets.push(...(await Promise.all(opens)));
    }
    return sockets;
  }
  for (const socket of await openAll(Math.min(8, spec.conns))) {
    socket.end();
  }
  const heapBefore = await heapAfterFullGc();
  const rssBefore = await residentBytesSettled();
  const sockets = await openAll(spec.conns);
  const heapAfter = await heapAfterFullGc();
  const rssAfter = await residentBytesSettled();
  for (const socket of sockets) {
    if (socket.readyState !== 1) {
      throw new BenchmarkFailure(`a connection closed while idle (readyState ${socket.readyState})`);
    }
  }
  if (errors.length > 0) {
    throw failure("idle connection error", errors[0]);
  }
  for (const socket of sockets) {
    socket.end();
  }
  const rssDelta = rssAfter - rssBefore;
  const heapDelta = heapAfter - heapBefore;
  return new Json("idle")
    .field("conns", spec.conns)
    .field("rss_delta_bytes", rssDelta)
    .field("heap_delta_bytes", heapDelta)
    .field("bytes_per_conn", Math.trunc(rssDelta / spec.conns))
    .field("heap_per_conn", Math.trunc(heapDelta / spec.conns));
}

function describe(command, s) {
  switch (command) {
    case "throughput": return `${s.bytes} bytes in ${s.chunk}-byte writes`;
    case "pingpong": return `${s.count} x ${s.size} B on ${s.conns} connection(s)`;
    case "connect": return `${s.count} connections, ${s.concurrency} in flight`;
    case "idle": return `${s.conns} connections`;
    default: return "";
  }
}

async function main(argv) {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "help") {
    process.stderr.write(USAGE + "\n");
    return argv.length === 0 ? 2 : 0;
  }
  const command = argv[0];
  const commands = { throughput, pingpong, connect: connectBench, idle };
  try {
    if (!Object.hasOwn(commands, command)) {
      throw new UsageError(`unknown command '${command}' (throughput, pingpong, connect, idle)`);
    }
    const s = spec(command, parseOptions(argv.slice(1)));
    log(`${command} ${describe(command, s)} with bun client against ${s.target}${s.tls ? " (TLS)" : ""}` +
      (s.repeat > 1 ? `, ${s.repeat} times (the last is reported)` : ""));
    let json;
    // the steady state: the earlier runs warm this process up, the last is measured (each has the whole timeout)
    for (let run = 1; run <= s.repeat; run++) {
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new BenchmarkFailure(`${command} did not finish within ${s.timeoutMs / 1000} s`)), s.timeoutMs);
      });
      json = await Promise.race([commands[command](s), timeout]);
      clearTimeout(timer);
      if (run < s.repeat) {
        log(`run ${run} of ${s.repeat} (warm-up): ${json}`);
      }
    }
    if (s.repeat > 1) {
      json.field("repeat", s.repeat);
    }
    json.field("client", "bun").field("transport", "epoll");
    if (s.tls) {
      json.field("tls_provider", "boringssl");
    }
    process.stdout.write(json.toString() + "\n");
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${oneLine(error)}\nrun with --help for usage\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof BenchmarkFailure ? oneLine(error) : oneLine(failure("run failed", error))}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((status) => process.exit(status), (error) => {
  process.stderr.write(`error: ${oneLine(error)}\n`);
  process.exit(1);
});
