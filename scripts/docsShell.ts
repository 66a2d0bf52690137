/**
 * The shell commands of a Markdown page, as the command check in test/trainer/docsCommands.test.ts
 * reads them: the fenced blocks marked sh, bash, shell or zsh, split into commands and words the way
 * a POSIX shell would for the simple commands the docs use (quotes, `\` line continuations, `#`
 * comments, `&&`, `||`, `;`, `|`, `>`). No expansion: a `$VAR` stays as written.
 */

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "zsh"]);

export interface ShellBlock {
  /** 1-based line of the block's opening fence. */
  line: number;
  /** The block's text, the fence's own indentation taken off each line. */
  text: string;
}

/** The page's fenced shell blocks, in order (a fence may be indented, as in a list item). */
export function shellBlocks(markdown: string): ShellBlock[] {
  const blocks: ShellBlock[] = [];
  let open: { line: number; indent: number; fence: string; shell: boolean; lines: string[] } | null = null;
  markdown.split("\n").forEach((line, index) => {
    if (open === null) {
      const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line);
      if (fence === null) return;
      const [, indent = "", marks = "", language = ""] = fence;
      open = { line: index + 1, indent: indent.length, fence: marks, shell: SHELL_LANGUAGES.has(language), lines: [] };
      return;
    }
    if (line.trim().startsWith(open.fence) && line.trim().replace(/[`~]/g, "") === "") {
      if (open.shell) blocks.push({ line: open.line, text: open.lines.join("\n") });
      open = null;
      return;
    }
    const indent = open.indent;
    open.lines.push(line.slice(Math.min(indent, line.length - line.trimStart().length)));
  });
  return blocks;
}

/** Separators between commands; `>` and `>>` stay words so the reader can see what is written. */
const OPERATORS = ["&&", "||", ";", "|", "&", "\n"];

/** The block's simple commands, each as its words (quotes removed), comments and empty commands dropped. */
export function shellCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "\\" && text.charAt(i + 1) === "\n") {
      i += 2; // a continuation line: the command goes on
    } else if (c === "\\") {
      word += text.charAt(i + 1);
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unclosed ' in: ${text.slice(i, i + 40)}`);
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text.charAt(j) !== '"') {
        if (text.charAt(j) === "\\" && '"\\$`'.includes(text.charAt(j + 1))) j++;
        word += text.charAt(j);
        j++;
      }
      if (j >= text.length) throw new Error(`unclosed " in: ${text.slice(i, i + 40)}`);
      inWord = true;
      i = j + 1;
    } else if (c === "#" && !inWord) {
      while (i < text.length && text.charAt(i) !== "\n") i++;
    } else if (c === ">") {
      const redirect = text.startsWith(">>", i) ? ">>" : ">";
      // `2>` names a file descriptor, not a word of the command.
      if (/^\d+$/.test(word)) word = "";
      else endWord();
      inWord = false;
      words.push(redirect);
      i += redirect.length;
    } else {
      const operator = OPERATORS.find((op) => text.startsWith(op, i));
      if (operator !== undefined) {
        endCommand();
        i += operator.length;
      } else if (c === " " || c === "\t") {
        endWord();
        i++;
      } else {
        word += c;
        inWord = true;
        i++;
      }
    }
  }
  endCommand();
  return commands;
}
