import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../appEnv.js";
import { finishAfterAnswer, schedulerOf } from "../appEnv.js";
import { answerCacheControl, answerTag, clientTag, setAnswerHeaders } from "../http/answerHeaders.js";
import { AnswerMemo } from "./answerMemo.js";

export const CACHE_STATUS_HEADER = "X-Sidecart-Cache";
/** Headers a stored answer carries; the rest (CORS, Vary, experiments) the request's own middleware sets. */
const KEPT_HEADERS = ["content-type", "etag", "x-sidecart-model"];

export interface AnswerCacheOptions {
  /** How long a stored answer serves; 0 stores nothing (conditional requests are still answered). */
  seconds: number;
  /** The isolate's own answers, by body size (JSON bodies are one byte a character in V8). */
  memoryBytes?: number;
  /** The colo's shared cache behind the isolate's; absent outside the Workers runtime. */
  open?: () => Cache | undefined;
}

const defaultCache = () => (typeof caches === "undefined" ? undefined : caches.default);

/**
 * The question as the answer depends on it: the tag (model, config, arm), the path and the sorted
 * query without the unit id, whose only effect (the arm) is in the tag. Every shopper in one arm then
 * shares one entry per question.
 */
function cacheKey(c: Context<AppEnv>, tag: string): string {
  const url = new URL(c.req.url);
  url.searchParams.delete("unit");
  url.searchParams.sort();
  // The tag goes in the URL, not a header: the Cache API keys on the URL and ignores Vary.
  return `https://answers.sidecart.internal/${encodeURIComponent(tag)}${url.pathname}${url.search}`;
}

/**
 * Cacheable item answers, after withArms and withModel (the tag needs the arm and the model). A
 * request whose If-None-Match names the current tag gets a 304 without any scoring. With `seconds` > 0
 * 200 answers are kept in the isolate (most recently used, bounded) and in the Cache API, under keys
 * that name the tag, so a new model, config or arm never meets an old answer.
 */
export function answerCache({ seconds, memoryBytes = 2 * 1024 * 1024, open = defaultCache }: AnswerCacheOptions) {
  const memo = new AnswerMemo(memoryBytes);
  return createMiddleware<AppEnv>(async function answerCache(c, next) {
    const match = c.req.header("If-None-Match");
    // Without a conditional request or a cache there is nothing to key: the route tags its answer.
    if (match === undefined && seconds <= 0) return next();
    const model = c.get("model");
    const tag = answerTag(c, model);
    c.set("answerTag", tag);
    const sent = clientTag(c, tag);
    if (match !== undefined && match.split(",").some((t) => t.trim().replace(/^W\//, "") === sent)) {
      setAnswerHeaders(c, model, true, tag);
      return c.body(null, 304);
    }
    if (seconds <= 0) return next();
    const key = cacheKey(c, tag);
    const now = Date.now();
    const remembered = memo.get(key, now);
    if (remembered !== undefined) {
      for (const [name, value] of remembered.headers) c.header(name, value);
      c.header("Cache-Control", answerCacheControl(c));
      c.header("ETag", sent);
      c.header(CACHE_STATUS_HEADER, "hit");
      return c.body(remembered.body, 200);
    }
    const cache = open();
    const hit = await cache?.match(key);
    if (hit !== undefined) {
      const answer = new Response(hit.body, hit);
      answer.headers.set("Cache-Control", answerCacheControl(c));
      answer.headers.set("ETag", sent);
      answer.headers.set(CACHE_STATUS_HEADER, "hit");
      return answer;
    }
    await next();
    if (c.res.status !== 200) return;
    c.header(CACHE_STATUS_HEADER, "miss");
    const body = await c.res.clone().text();
    const headers: [string, string][] = [];
    for (const name of KEPT_HEADERS) {
      const value = c.res.headers.get(name);
      if (value !== null) headers.push([name, value]);
    }
    memo.set(key, { body, headers, expires: now + seconds * 1000 });
    if (cache === undefined) return;
    const stored = new Response(body, { headers: [...headers, ["cache-control", `public, max-age=${seconds}`]] });
    const put = cache.put(key, stored).catch((error: unknown) => console.error("answer cache put failed", error));
    await finishAfterAnswer(schedulerOf(c), put);
  });
}
