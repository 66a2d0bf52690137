// Loaded with `node --import` into a measured command: reports its peak RSS as a JSON line on stderr at exit.
import { writeSync } from "node:fs";

process.on("exit", () => {
  writeSync(2, `\n${JSON.stringify({ event: "rusage", maxRssKiB: process.resourceUsage().maxRSS })}\n`);
});
