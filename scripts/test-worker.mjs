// The Workers-runtime tests, with a watchdog. On this 2-core machine workerd used to livelock while
// the tests ran: gdb showed its main thread pumping cppgc's incremental sweep task forever (waiting
// on a concurrent sweeper job) while V8's only worker thread (cores − 1 = 1) sat in a background
// compile that waited for the main thread to collect garbage. Nothing in the worker's code was on
// either stack. So workerd runs with --single-threaded-gc: V8 then collects on the main thread, and
// cppgc sweeps incrementally there instead of also posting a concurrent sweeper job (V8's
// CppHeap::ReduceGCCapabilititesFromFlags), so the main thread never waits for that worker thread.
// miniflare has no option for V8 flags, so MINIFLARE_WORKERD_PATH names scripts/workerd-v8.sh,
// which adds them to workerd's config (scripts/workerd-v8-check.mjs checks that they arrive).
// SIDECART_WORKERD_V8_FLAGS overrides them ("" for none), to compare runs.
// The watchdog stays as a safety net: a run that prints nothing for QUIET_MS (tests report one by
// one) is killed with its process group, its process table is printed, and it is started again. A
// run that fails is never retried: its exit code is the result.
import { execFileSync, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import workerd from "workerd";
import { localEnv } from "./env.mjs";

const V8_FLAGS = process.env.SIDECART_WORKERD_V8_FLAGS ?? "--single-threaded-gc";
const workerdEnv = {
  ...localEnv,
  MINIFLARE_WORKERD_PATH: fileURLToPath(new URL("./workerd-v8.sh", import.meta.url)),
  SIDECART_WORKERD_BIN: workerd.default,
  SIDECART_WORKERD_V8_FLAGS: V8_FLAGS,
};

const QUIET_MS = 60_000;
const TRIES = 5;

function processTable() {
  try {
    return execFileSync("ps", ["-eo", "pid,ppid,pgid,stat,pcpu,etime,wchan:20,args", "--sort=pid"], {
      encoding: "utf8",
    })
      .split("\n")
      .filter((line) => /PID|node|workerd|esbuild/.test(line))
      .map((line) => line.slice(0, 200))
      .join("\n");
  } catch {
    return "(ps unavailable)";
  }
}

console.error(`workerd V8 flags: ${V8_FLAGS || "(none)"}`);
for (let attempt = 1; attempt <= TRIES; attempt++) {
  const child = spawn(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", "--project", "worker", "--reporter=verbose"],
    {
      env: workerdEnv,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let lastOutput = Date.now();
  child.stdout.on("data", (chunk) => {
    lastOutput = Date.now();
    process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk) => {
    lastOutput = Date.now();
    process.stderr.write(chunk);
  });
  const result = await new Promise((resolve) => {
    const timer = setInterval(() => {
      if (Date.now() - lastOutput < QUIET_MS) return;
      clearInterval(timer);
      console.error(`\nworker tests printed nothing for ${QUIET_MS / 1000} s; processes:\n${processTable()}\n`);
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        // already gone
      }
      resolve("stalled");
    }, 1000);
    child.on("exit", (code) => {
      clearInterval(timer);
      resolve(code ?? 1);
    });
  });
  if (result !== "stalled") process.exit(result);
  console.error(`attempt ${attempt} of ${TRIES} stalled`);
}
process.exit(1);
