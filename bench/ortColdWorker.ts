/**
 * The workerd half of `npm run bench:ort-cold`: a worker bundled on its own by bench/ortColdStart.ts
 * (esbuild), with ORT's wasm as a CompiledWasm module exactly as wrangler ships it. Each workerd
 * process the bench starts is one fresh isolate; its first request, `POST /probe?scenario=...` with the real model in
 * the body, runs one scenario of bench/ortColdProbe.ts and answers its figures as JSON.
 *
 * Built four times (ORT_COLD_WARM): "none" does nothing with ORT at module scope, like the worker
 * today; "promise" starts ORT (configure + an Add-graph session + one run + release) at module scope
 * without awaiting it; "tla" awaits the same with a top-level await; "mini" is "promise" with a
 * miniature sidecart scoring graph (200 items, the same operators) instead of the Add graph. Their
 * start-up and first-request times show what moving ORT's start out of the request would buy, and
 * whether workerd allows it.
 */
import * as ort from "onnxruntime-web/wasm";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";
import { createOrtSession, ortStartMs } from "../worker/ort/ortRuntime.js";
import {
  addFeeds,
  configureOrt,
  createSession,
  realFeeds,
  Recorder,
  runScenario,
  SCENARIOS,
  watchInstantiate,
  type ProbeModels,
  type Scenario,
} from "./ortColdProbe.js";

declare const ORT_COLD_WARM: "none" | "promise" | "tla" | "mini";
/** The Add graph, base64: built by the bench with onnx-proto, inlined so module scope needs no I/O. */
declare const ORT_COLD_ADD_B64: string;
/** The miniature scoring graph and its tables.bin, base64. */
declare const ORT_COLD_MINI_MODEL_B64: string;
declare const ORT_COLD_MINI_DATA_B64: string;

const bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
const ADD = bytes(ORT_COLD_ADD_B64);

interface WarmState {
  mode: typeof ORT_COLD_WARM;
  /** "done" when the module-scope warm-up had finished before the first request arrived. */
  stateAtFirstRequest: "done" | "pending" | "failed" | "none" | null;
  /** performance.now() at the warm-up's start and end (workerd may hold the clock at module scope). */
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
}

const warm: WarmState = {
  mode: ORT_COLD_WARM,
  stateAtFirstRequest: null,
  startedAt: null,
  endedAt: null,
  error: null,
};
let warmState: "done" | "pending" | "failed" | "none" = "none";

// Before anything instantiates ORT: time the instantiation and every call into its exports.
watchInstantiate(ortWasm);

async function warmUp(): Promise<void> {
  warm.startedAt = performance.now();
  warmState = "pending";
  try {
    configureOrt(ort, ortWasm);
    if (ORT_COLD_WARM === "mini") {
      const session = await createSession(ort, bytes(ORT_COLD_MINI_MODEL_B64), "all");
      await session.run(realFeeds(ort, bytes(ORT_COLD_MINI_DATA_B64)));
      await session.release();
    } else {
      const session = await createSession(ort, ADD, "all");
      await session.run(addFeeds(ort));
      await session.release();
    }
    warmState = "done";
  } catch (error) {
    warmState = "failed";
    warm.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  warm.endedAt = performance.now();
}

const warming: Promise<void> | null = ORT_COLD_WARM === "none" ? null : warmUp();
if (ORT_COLD_WARM === "tla") await warming;

function splitBody(body: ArrayBuffer): ProbeModels {
  const view = new DataView(body);
  const modelBytes = view.getUint32(0, true);
  const dataBytes = view.getUint32(4, true);
  const model = new Uint8Array(body, 8, modelBytes);
  return { add: ADD, real: { model, tables: new Uint8Array(body, 8 + modelBytes, dataBytes) } };
}

/** A KV-like read: the bench's own HTTP server answers after a fixed delay. */
async function read(url: string): Promise<number> {
  const response = await fetch(url);
  return (await response.arrayBuffer()).byteLength;
}

/** ORT's start as a warm-up would do it: configure, an Add-graph session, released. */
async function startOrt(): Promise<void> {
  configureOrt(ort, ortWasm);
  const session = await createSession(ort, ADD, "all");
  await session.release();
}

/**
 * Whether ORT's start (CPU) overlaps a read in flight (I/O), as it would if readModel started ORT
 * before its KV reads: "read-alone", "read-none" (ORT's start alone), "read-then-ort" (today's order), "read-with-ort" (together) and
 * "read-yield-ort" (together, ORT after one event-loop turn).
 */
async function overlapScenario(scenario: string, url: string): Promise<Recorder> {
  const recorder = new Recorder();
  if (scenario === "read-alone") await recorder.step("read", () => read(url));
  if (scenario === "read-none") await recorder.step("ORT start", () => startOrt());
  if (scenario === "read-then-ort") {
    await recorder.step("read, then ORT start", async () => {
      await read(url);
      await startOrt();
    });
  }
  if (scenario === "read-with-ort") {
    await recorder.step("read and ORT start together", () => Promise.all([read(url), startOrt()]));
  }
  if (scenario === "read-yield-ort") {
    // One turn of the event loop first, so the read is on the wire before ORT holds the thread.
    const yieldOnce = () => new Promise((done) => setTimeout(done, 0));
    await recorder.step("read, one event-loop turn, ORT start", () =>
      Promise.all([read(url), yieldOnce().then(startOrt)]),
    );
  }
  return recorder;
}

/** Today's path: the worker's own createOrtSession (graphOptimizationLevel "all") makes the first session. */
async function appScenario(models: ProbeModels): Promise<Recorder> {
  const recorder = new Recorder();
  const { model, tables } = models.real;
  await recorder.step("first session: real graph, all (ortRuntime.createOrtSession)", () => createOrtSession(model));
  recorder.notes.push(`ortRuntime.ortStartMs() = ${ortStartMs()}`);
  const second = await recorder.step("later session: real graph, all (ortRuntime.createOrtSession)", () =>
    createOrtSession(model),
  );
  await recorder.runs("real graph (all)", second, realFeeds(ort, tables));
  return recorder;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/ping") return new Response("ok");
    if (url.pathname !== "/probe") return new Response("not found", { status: 404 });
    warm.stateAtFirstRequest ??= warmState;
    const models = splitBody(await request.arrayBuffer());
    const scenario = url.searchParams.get("scenario") ?? "";
    const started = performance.now();
    try {
      let result;
      if (scenario === "app") {
        result = (await appScenario(models)).result(scenario);
      } else if (scenario.startsWith("read-")) {
        result = (await overlapScenario(scenario, url.searchParams.get("url") ?? "")).result(scenario);
      } else if (scenario === "warm") {
        const recorder = new Recorder();
        await recorder.step("await the module-scope warm-up", () => warming);
        result = await runScenario(ort, ortWasm, models, "real-all", recorder);
        result.scenario = "warm";
      } else if ((SCENARIOS as readonly string[]).includes(scenario)) {
        result = await runScenario(ort, ortWasm, models, scenario as Scenario);
      } else {
        return new Response(`unknown scenario ${scenario}`, { status: 400 });
      }
      return Response.json({ ...result, warm, handlerMs: performance.now() - started });
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error);
      return new Response(message, { status: 500 });
    }
  },
};
