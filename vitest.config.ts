import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// Local-only Workers runtime: no metrics, no Request.cf download, no account.
process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

export default defineConfig({
  test: {
    // Trains one model on the bundled sample for every project that needs one.
    globalSetup: ["test/globalSetup.ts"],
    projects: [
      {
        test: {
          name: "node",
          include: ["test/trainer/**/*.test.ts", "test/rules/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              // Extra namespaces: one nobody publishes to, one the fault tests break, one for a second model,
              // one the experiment tests push config documents to.
              kvNamespaces: ["EMPTY_MODELS", "SCRATCH_MODELS", "JOURNEY_MODELS", "CONFIG_MODELS"],
              // This machine: the public local token key and unit salt may sign (worker/tokens/tokenKeys.ts).
              // BENCH_SCORER replaces the graph in the benchmark only (SIDECART_BENCH "1"): set here, where
              // SIDECART_BENCH is "0", every answer the tests check proves a deploy ignores it.
              bindings: { SIDECART_LOCAL: "1", BENCH_SCORER: "none" },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["test/worker/seedKv.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
