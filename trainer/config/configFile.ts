import { readFile } from "node:fs/promises";
import { findNodeAtLocation, parseTree, type Node, type ParseError } from "jsonc-parser";
import { configDocumentSchema, type ConfigDocument } from "../../models/config/configDocument.js";
import { issueLines } from "../../models/zodIssues.js";
import { configDigest } from "../../models/config/liveConfig.js";
import { UserError } from "../errors.js";

export interface ConfigFile {
  path: string;
  /** The text exactly as read: what is pushed, and what the digest is of. */
  text: string;
  document: ConfigDocument;
  digest: string;
}

/** A refused config file: every problem located as "file:line: path: problem". */
export class ConfigFileError extends UserError {
  constructor(
    readonly path: string,
    readonly problems: string[],
  ) {
    super(
      problems.length === 1
        ? (problems[0] ?? path)
        : `${path}: ${problems.length} problems, the config is refused:\n  ${problems.join("\n  ")}`,
    );
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The deepest node along a zod issue path that exists in the file (a missing key points at its parent). */
function nodeFor(root: Node, path: readonly PropertyKey[]): Node {
  for (let depth = path.length; depth > 0; depth--) {
    const segments = path.slice(0, depth).filter((p): p is string | number => typeof p !== "symbol");
    const node = findNodeAtLocation(root, segments);
    if (node) return node.parent?.type === "property" ? node.parent : node;
  }
  return root;
}

/** Parses and validates a config file; JSON syntax and schema problems are located to their lines. */
export function checkConfigText(path: string, text: string): ConfigFile {
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { allowTrailingComma: false, disallowComments: true });
  if (syntax.length > 0 || root === undefined) {
    const first = syntax[0];
    const line = first ? lineAt(text, first.offset) : 1;
    throw new ConfigFileError(path, [`${path}:${line}: not valid JSON`]);
  }
  // The worker reads the document with JSON.parse; validate exactly what it will see.
  const result = configDocumentSchema.safeParse(JSON.parse(text));
  if (!result.success) {
    const lines = issueLines(result.error);
    const problems = result.error.issues.map((issue, i) => {
      const line = lineAt(text, nodeFor(root, issue.path).offset);
      return `${path}:${line}: ${lines[i] ?? issue.message}`;
    });
    throw new ConfigFileError(path, problems);
  }
  return { path, text, document: result.data, digest: configDigest(text) };
}

export async function readConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: ${code === "ENOENT" ? "no such file" : `cannot read (${code ?? "unknown error"})`}`);
  }
  return checkConfigText(path, text);
}
