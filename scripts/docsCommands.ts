/**
 * Which files the shell commands of the docs read and write, and which of those a reader who has
 * only the repository would not have: the check behind test/trainer/docsCommands.test.ts. A command
 * may read a file of the repository or one an earlier command of the same block wrote (`--out`,
 * `--json`, `--html`, `-o`, `>`, or the trainer's own models/out); nothing outside the repository,
 * even when it happens to exist on the machine that runs the test.
 */
import { isAbsolute, posix } from "node:path";
import { shellBlocks, shellCommands } from "./docsShell.js";

/** Flags whose value is a file or folder the command writes. */
const OUTPUT_FLAGS = new Set(["--out", "--json", "--html", "--output", "-o", "--persist-to"]);

/** Flags whose value is code, a header or a method, never a file (`node -e "…"`, `-H 'Accept: a/b'`). */
const NOT_FILE_FLAGS = new Set(["-e", "--eval", "-p", "--print", "-H", "--header", "-X"]);

/** Where commands write without being told: the trainer's version folders and the eval's report. */
const IMPLICIT_OUTPUTS: { words: string[]; path: string }[] = [
  { words: ["sidecart", "train"], path: "models/out" },
  { words: ["sidecart", "nightly"], path: "models/out" },
  { words: ["npm", "start"], path: "models/out" },
  { words: ["npm", "run", "eval"], path: "models/out/eval" },
];

/** A word standing for "your value here" (`--orders …`): not a path, and not runnable, but no file either. */
const PLACEHOLDER = /^(…|\.\.\.)$/;

/** A word that names a file: has a folder separator or ends in an extension (not a URL, host:port or number). */
export function isPathLike(word: string): boolean {
  if (word === "" || word.startsWith("-") || PLACEHOLDER.test(word)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word) || /^[\w.-]+:\d+(\/|$)/.test(word)) return false;
  return word.includes("/") || /\.[a-z][a-z0-9]*$/i.test(word);
}

export interface CommandFiles {
  reads: string[];
  writes: string[];
  /** `npm run <script>`'s script. */
  npmScript?: string;
}

/** curl's words are URLs, headers and bodies; only `-d @file` reads a file and `-o file` writes one. */
function curlFiles(words: readonly string[]): CommandFiles {
  const reads: string[] = [];
  const writes: string[] = [];
  words.forEach((word, i) => {
    const next = words[i + 1] ?? "";
    if (/^(-d|--data(-binary|-raw|-urlencode)?|-F|--form)$/.test(word) && next.startsWith("@"))
      reads.push(next.slice(1));
    if (word === "-T" || word === "--upload-file") reads.push(next);
    if (word === "-o" || word === "--output") writes.push(next);
  });
  return { reads, writes };
}

/** The files one command reads and writes, by its words (environment assignments and `npx` skipped). */
export function commandFiles(command: readonly string[]): CommandFiles {
  let words = command.slice();
  while (words.length > 0 && /^\w+=/.test(words[0] ?? "")) words = words.slice(1);
  if (words[0] === "npx") words = words.slice(1);
  if (words[0] === "curl") return curlFiles(words);
  const reads: string[] = [];
  const writes: string[] = [];
  for (const implicit of IMPLICIT_OUTPUTS) {
    if (implicit.words.every((w, i) => words[i] === w)) writes.push(implicit.path);
  }
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? "";
    const next = words[i + 1];
    if (word === ">" || word === ">>") {
      if (next !== undefined) writes.push(next);
      i++;
    } else if (word.startsWith("-")) {
      const [flag = "", inline] = word.split(/=(.*)/s, 2);
      const value = inline ?? (next !== undefined && !next.startsWith("-") && next !== ">" ? next : undefined);
      if (inline === undefined && value !== undefined) i++;
      if (value === undefined) continue;
      // `--map @mapping.json` names a file behind its @.
      const file = value.startsWith("@") ? value.slice(1) : value;
      if (OUTPUT_FLAGS.has(flag)) writes.push(file);
      else if (NOT_FILE_FLAGS.has(flag)) continue;
      else if (isPathLike(file)) reads.push(file);
    } else if (isPathLike(word)) {
      reads.push(word);
    }
  }
  const npmScript = words[0] === "npm" && words[1] === "run" ? words[2] : undefined;
  return npmScript === undefined ? { reads, writes } : { reads, writes, npmScript };
}

export interface Repository {
  /** Whether a path (relative to the repository root, possibly a glob) names something in it. */
  has(path: string): boolean;
  npmScripts: ReadonlySet<string>;
}

/** The path as the repository sees it, or null when it leads out of the repository. */
function repoPath(path: string): string | null {
  if (isAbsolute(path)) return null;
  const normal = posix.normalize(path).replace(/\/$/, "");
  return normal === ".." || normal.startsWith("../") ? null : normal;
}

const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** What is wrong with one shell block's commands: each problem names the command. */
export function blockProblems(text: string, repo: Repository): string[] {
  const problems: string[] = [];
  const written: string[] = [];
  for (const command of shellCommands(text)) {
    const shown = command.join(" ");
    const { reads, writes, npmScript } = commandFiles(command);
    if (npmScript !== undefined && !repo.npmScripts.has(npmScript)) {
      problems.push(`\`${shown}\`: package.json has no script "${npmScript}"`);
    }
    for (const read of reads) {
      const path = repoPath(read);
      if (path === null) problems.push(`\`${shown}\`: ${read} is outside the repository`);
      else if (!repo.has(path) && !written.some((w) => within(path, w)))
        problems.push(`\`${shown}\`: ${read} is not in the repository nor written earlier in the block`);
    }
    for (const write of writes) {
      const path = repoPath(write);
      if (path !== null) written.push(path);
    }
  }
  return problems;
}

/** Every problem of a page's shell blocks, each prefixed with the page and the block's line. */
export function pageProblems(page: string, markdown: string, repo: Repository): string[] {
  return shellBlocks(markdown).flatMap((block) =>
    blockProblems(block.text, repo).map((problem) => `${page}:${block.line}: ${problem}`),
  );
}
