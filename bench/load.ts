import autocannon from "autocannon";

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface LoadTarget {
  name: string;
  method?: "GET" | "POST";
  /** Called for every request: a different anchor or cart each time, never one hot key. */
  next: () => { path: string; body?: string };
}

/** Drives one target with a fixed number of connections for a fixed time (closed loop, loopback). */
export async function drive(
  base: string,
  target: LoadTarget,
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: target.method ?? "GET",
        headers: target.method === "POST" ? { "content-type": "application/json" } : {},
        setupRequest: (request) => {
          const { path, body } = target.next();
          return { ...request, path, ...(body === undefined ? {} : { body }) };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}
