// npm run build: the storefront widget, bundled and minified by esbuild into public/ (served by the
// worker's static assets at /widget/v1/sidecart.js). Prints its size and fails above the 6 KB gzip bound.
import { mkdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const OUT = "public/widget/v1/sidecart.js";
const MAX_GZIP_BYTES = 6 * 1024;

export async function buildWidget({ quiet = false } = {}) {
  await mkdir("public/widget/v1", { recursive: true });
  await build({
    entryPoints: ["widget/sidecart.ts"],
    outfile: OUT,
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2022"],
    legalComments: "none",
    logLevel: "warning",
  });
  const bytes = await readFile(OUT);
  const gzip = gzipSync(bytes, { level: 9 }).byteLength;
  if (!quiet) console.log(`${OUT}: ${bytes.byteLength} bytes, ${gzip} bytes gzip (bound ${MAX_GZIP_BYTES})`);
  if (gzip > MAX_GZIP_BYTES) throw new Error(`${OUT} is ${gzip} bytes gzip, above the ${MAX_GZIP_BYTES}-byte bound`);
  return { bytes: bytes.byteLength, gzip };
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWidget();
