// The port and KV folder `npm start` and `npm run serve` use, and the check that the port is free.
import { createServer } from "node:net";
import { parseArgs } from "node:util";

/** A mistake of the caller's, shown as one line by the script that runs it (not a stack trace). */
export class ServeError extends Error {
  name = "ServeError";
}

const USAGE = "usage: npm start -- [--port N] [--persist-to DIR], or PORT=N npm start";

function portOf(text, from) {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535)
    throw new ServeError(`${from} "${text}" is not a port number from 1 to 65535; ${USAGE}`);
  return port;
}

/** `--port N` (or `--port=N`) wins over the PORT variable, which wins over 8787. */
export function serveOptions(argv = process.argv.slice(2), env = process.env) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { port: { type: "string" }, "persist-to": { type: "string" } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new ServeError(`${error instanceof Error ? error.message : String(error)}; ${USAGE}`);
  }
  const { port, "persist-to": persistTo } = parsed.values;
  if (port !== undefined) return { port: portOf(port, "--port"), persistTo };
  if (env.PORT !== undefined && env.PORT !== "") return { port: portOf(env.PORT, "PORT"), persistTo };
  return { port: 8787, persistTo };
}

/** Throws one line naming the port and what to do when something else listens on it. */
export async function ensurePortFree(port, host) {
  const error = await new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", resolve);
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
  if (error === undefined) return;
  const other = port === 8801 ? 8802 : 8801;
  if (error.code === "EADDRINUSE")
    throw new ServeError(
      `port ${port} is already in use on ${host} (another server listens there); serve on another one: ` +
        `PORT=${other} npm start, or npm start -- --port ${other}`,
    );
  if (error.code === "EACCES")
    throw new ServeError(`port ${port} needs privileges on ${host}; use one above 1023: PORT=${other} npm start`);
  throw error;
}
