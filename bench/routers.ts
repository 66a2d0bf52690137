import { Hono } from "hono";
import { Router } from "itty-router";

// This worker's route table, with handlers that do nothing: what is left is routing and dispatch.
const ROUTES: [method: "get" | "post", path: string][] = [
  ["get", "/healthz"],
  ["get", "/v1/model"],
  ["get", "/v1/items/:sku/also-bought"],
  ["get", "/v1/items/:sku/upgrades"],
  ["get", "/v1/items/:sku/bundle"],
  ["post", "/v1/cart/suggestions"],
  ["post", "/v1/events"],
  ["get", "/bench/static"],
];

const ok = () => new Response("{}");

function requests(): Request[] {
  const paths = ["also-bought", "upgrades", "bundle"].flatMap((route) =>
    Array.from({ length: 20 }, (_, i) => `http://bench/v1/items/SKU${i}/${route}`),
  );
  return [
    ...paths.map((url) => new Request(url)),
    new Request("http://bench/healthz"),
    new Request("http://bench/v1/cart/suggestions", { method: "POST" }),
  ];
}

async function nsPerRequest(fetcher: (request: Request) => Response | Promise<Response>, n: number): Promise<number> {
  const batch = requests();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const response = await fetcher(batch[i % batch.length] as Request);
    if (response.status !== 200) throw new Error(`router answered ${response.status}`);
  }
  return Number(process.hrtime.bigint() - started) / n;
}

export interface RouterFigures {
  honoNs: number;
  ittyNs: number;
}

/** ns per routed request for Hono and itty-router over the same routes, alternating, median of rounds. */
export async function routerBench(rounds = 5, n = 100_000): Promise<RouterFigures> {
  const hono = new Hono();
  const itty = Router();
  for (const [method, path] of ROUTES) {
    hono[method](path, ok);
    itty[method](path, ok);
  }
  const honoFetch = (request: Request) => hono.fetch(request);
  const ittyFetch = (request: Request) => itty.fetch(request) as Promise<Response>;
  await nsPerRequest(honoFetch, n / 10);
  await nsPerRequest(ittyFetch, n / 10);
  const honoNs: number[] = [];
  const ittyNs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    honoNs.push(await nsPerRequest(honoFetch, n));
    ittyNs.push(await nsPerRequest(ittyFetch, n));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  return { honoNs: median(honoNs), ittyNs: median(ittyNs) };
}
