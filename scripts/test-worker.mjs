// The Workers-runtime tests, with a watchdog. On this machine the worker project sometimes stalls
// before its first test reports (seen on fresh clones, not reproduced on demand); a run that prints
// nothing for QUIET_MS is killed with its process group, its process table is printed for diagnosis,
// and it is started again. A run that fails is never retried: its exit code is the result.
import { execFileSync, spawn } from "node:child_process";
import { localEnv } from "./env.mjs";

const QUIET_MS = 150_000;
const TRIES = 3;

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

for (let attempt = 1; attempt <= TRIES; attempt++) {
  const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", "worker"], {
    env: localEnv,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
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
