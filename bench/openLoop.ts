import { Agent, request as httpRequest } from "node:http";

export interface PlannedRequest {
  /** What the figures are kept under (e.g. "get", "cart"). */
  kind: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
}

export interface KindFigures {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface RateResult {
  offeredRps: number;
  achievedRps: number;
  /** Transport errors, timeouts and answers that were not 2xx. */
  errors: number;
  /** Requests that were due while every connection was busy: the server had fallen behind. */
  behind: number;
  p99Ms: number;
  kinds: Record<string, KindFigures>;
  statuses: Record<string, number>;
  /** Transport failures by message (connection reset, timeout, …). */
  failures: Record<string, number>;
}

const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN);
const round = (ms: number) => Math.round(ms * 10) / 10;

function figures(latencies: number[]): KindFigures {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: sorted.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.at(-1) ?? NaN),
  };
}

/**
 * Open-loop load: `rps` requests a second, evenly spaced, sent when they are due whether or not the
 * earlier ones were answered (over up to `maxInFlight` keep-alive connections). Each latency counts
 * from the moment its request was due, so a server that falls behind shows it in the percentiles
 * instead of slowing the client down with it (autocannon's rate option sends each second's quota
 * in one burst and times from the actual send).
 */
export async function driveAtRate(
  base: string,
  next: () => PlannedRequest,
  rps: number,
  seconds: number,
  maxInFlight = 128,
): Promise<RateResult> {
  const url = new URL(base);
  // Idle connections are closed after 1 s by the client, before the server's own idle timeout can
  // close one just as a request is written to it ("socket hang up": 6 in one 10-minute soak).
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight, noDelay: true, timeout: 1000 });
  const latencies = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const total = Math.round(rps * seconds);
  let sent = 0;
  let inFlight = 0;
  let errors = 0;
  let behind = 0;
  const start = performance.now();
  let lastAnswer = start;

  await new Promise<void>((resolve) => {
    const settle = () => {
      inFlight--;
      lastAnswer = performance.now();
      if (sent === total && inFlight === 0) resolve();
    };
    const send = (planned: PlannedRequest, due: number) => {
      inFlight++;
      const headers: Record<string, string | number> =
        planned.body === undefined
          ? {}
          : { "content-type": "application/json", "content-length": Buffer.byteLength(planned.body) };
      const req = httpRequest(
        { agent, host: url.hostname, port: url.port, method: planned.method, path: planned.path, headers },
        (res) => {
          res.resume();
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status < 200 || status >= 300) errors++;
            let list = latencies.get(planned.kind);
            if (list === undefined) latencies.set(planned.kind, (list = []));
            list.push(performance.now() - due);
            settle();
          });
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
      req.on("error", (error) => {
        failures[error.message] = (failures[error.message] ?? 0) + 1;
        errors++;
        settle();
      });
      req.end(planned.body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rps) + 1);
      for (; sent < due; sent++) {
        const at = start + (sent * 1000) / rps;
        if (inFlight >= maxInFlight) behind++;
        else send(next(), at);
      }
      if (sent < total) setTimeout(tick, 1);
      else if (inFlight === 0) resolve();
    };
    tick();
  });
  agent.destroy();

  const kinds: Record<string, KindFigures> = {};
  for (const [kind, list] of latencies) kinds[kind] = figures(list);
  const answered = [...latencies.values()].reduce((n, list) => n + list.length, 0);
  return {
    offeredRps: rps,
    achievedRps: Math.round(answered / ((lastAnswer - start) / 1000)),
    errors,
    behind,
    p99Ms: figures([...latencies.values()].flat()).p99Ms,
    kinds,
    statuses,
    failures,
  };
}
