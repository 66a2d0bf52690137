#!/usr/bin/env node
// The CLI is TypeScript; tsx compiles it on the fly so there is no build step between clone and run.
import { register } from "tsx/esm/api";

register();
const { run } = await import("../trainer/cli.ts");
process.exitCode = await run(process.argv.slice(2));
