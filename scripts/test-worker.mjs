// The Workers-runtime tests, with a watchdog. On this machine workerd sometimes spins at 100% CPU
// before the first test of the worker project reports (seen on fresh installs, not reproduced in
// isolation); a run that prints nothing for LIMIT is killed with its process group and started again.
// A run that fails is never retried: its exit code is the result.
import { spawn } from "node:child_process";
import { localEnv } from "./env.mjs";

const LIMIT_MS = 240_000;
const TRIES = 3;

for (let attempt = 1; attempt <= TRIES; attempt++) {
  const child = spawn(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--project", "worker"], {
    env: localEnv,
    stdio: "inherit",
    detached: true,
  });
  const result = await new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        // already gone
      }
      resolve("hung");
    }, LIMIT_MS);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
  if (result !== "hung") process.exit(result);
  console.error(
    `\nworker tests did not finish within ${LIMIT_MS / 1000} s (workerd busy); attempt ${attempt} of ${TRIES}\n`,
  );
}
process.exit(1);
