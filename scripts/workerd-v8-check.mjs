// Checks that scripts/workerd-v8.sh really hands workerd its V8 flags: a worker reports whether
// `gc` is a global, which V8 exposes only under --expose-gc. Run after upgrading miniflare or
// workerd: `node scripts/workerd-v8-check.mjs` (prints the two answers, exits 1 if either is wrong).
import { fileURLToPath } from "node:url";
import workerd from "workerd";
import { Miniflare } from "miniflare";
import { localEnv } from "./env.mjs";

Object.assign(process.env, localEnv);
const wrapper = fileURLToPath(new URL("./workerd-v8.sh", import.meta.url));

async function typeofGc(flags) {
  process.env.MINIFLARE_WORKERD_PATH = wrapper;
  process.env.SIDECART_WORKERD_BIN = workerd.default ?? workerd;
  process.env.SIDECART_WORKERD_V8_FLAGS = flags;
  const mf = new Miniflare({
    modules: true,
    script: "export default { fetch: () => new Response(typeof globalThis.gc) };",
    compatibilityDate: "2025-01-01",
  });
  try {
    return await (await mf.dispatchFetch("http://check/")).text();
  } finally {
    await mf.dispose();
  }
}

const without = await typeofGc("");
const withFlag = await typeofGc("--expose-gc");
console.log(`typeof gc without flags: ${without}; with --expose-gc: ${withFlag}`);
process.exit(without === "undefined" && withFlag === "function" ? 0 : 1);
