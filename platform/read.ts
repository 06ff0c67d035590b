/**
 * Reads an input file (a platform definition, a stack file) safely: whatever a path names — a folder,
 * a FIFO, a device such as `/dev/zero`, a symlink loop, a huge or binary file — the reader refuses it
 * with a message that says what the path is and what is expected, and never hangs or reads unbounded.
 * Also the helpers that keep messages about raw input bounded and printable.
 */
import * as fs from "fs";

/** The largest input file read (bytes). The example definition is ~20 KB. */
export const MAX_INPUT_BYTES = 5 * 1024 * 1024;

/** An input file that cannot be read as text; the message names the file and what to do. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file === "" ? "(empty path)" : file}: ${reason}`);
    this.name = "InputFileError";
  }
}

/** What a non-regular file is, in words. */
function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "not a regular file";
}

function describeErrno(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "ENOENT":
      return "does not exist";
    case "ELOOP":
      return "is a symbolic link loop (too many levels of symbolic links)";
    case "EACCES":
    case "EPERM":
      return "cannot be read (permission denied)";
    case "ENOTDIR":
      return "does not exist (a part of the path is not a directory)";
    case "ENAMETOOLONG":
      return "is too long a path";
    default:
      return `cannot be read (${err.code ?? err.message})`;
  }
}

/** `stat` of an input path (following symlinks), as an {@link InputFileError} when it fails. */
export function statInput(file: string): fs.Stats {
  if (file === "") throw new InputFileError(file, "the path is empty: name a file");
  try {
    return fs.statSync(file);
  } catch (err) {
    throw new InputFileError(file, describeErrno(err as NodeJS.ErrnoException));
  }
}

/**
 * The byte offset of the first byte that does not start a valid UTF-8 sequence (overlong forms,
 * surrogates, code points above U+10FFFF and cut-short sequences refused, as the WHATWG decoder
 * refuses them); -1 when the bytes are valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return i;
    // The second byte's range excludes overlong forms, surrogates and values above U+10FFFF.
    if (b === 0xe0) min = 0xa0;
    else if (b === 0xf0) min = 0x90;
    else min = 0x80;
    if (b === 0xed) max = 0x9f;
    else if (b === 0xf4) max = 0x8f;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      // The sequence that starts at i is cut short or malformed: i is the first bad byte.
      if (c === undefined) return i;
      if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Reads a regular file of at most `maxBytes` bytes as UTF-8 text. Refuses, as {@link InputFileError}:
 * an empty path, a missing file, a symlink loop, anything but a regular file (checked on the opened
 * descriptor, which is opened non-blocking so a FIFO cannot hang the read), a file over the cap
 * (checked before reading, and again while reading in case it grows) and bytes that are not UTF-8
 * (with the offset of the first bad byte). A UTF-8 byte order mark is dropped.
 */
export function readInputText(file: string, maxBytes = MAX_INPUT_BYTES): { text: string; stat: fs.Stats } {
  const first = statInput(file);
  if (!first.isFile()) {
    throw new InputFileError(file, `is ${kindOf(first)}, not a regular file: name a YAML file`);
  }
  const cap = `the cap is ${maxBytes} bytes (${(maxBytes / 1024 / 1024).toFixed(0)} MiB)`;
  if (first.size > maxBytes) {
    throw new InputFileError(file, `is ${first.size} bytes, larger than an input file may be (${cap})`);
  }
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new InputFileError(file, describeErrno(err as NodeJS.ErrnoException));
  }
  let bytes: Buffer;
  let stat: fs.Stats;
  try {
    stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      throw new InputFileError(file, `is ${kindOf(stat)}, not a regular file: name a YAML file`);
    }
    const buffer = Buffer.alloc(Math.min(maxBytes, stat.size) + 1);
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) {
        throw new InputFileError(file, `grew past the input size cap while being read (${cap})`);
      }
      if (length === buffer.length) break;
    }
    bytes = buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    throw new InputFileError(
      file,
      `is not UTF-8 text: byte offset ${bad} (0x${bytes[bad]?.toString(16).padStart(2, "0") ?? "end of file"}) ` +
        `is not valid UTF-8; save the file as UTF-8`,
    );
  }
  let text = bytes.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { text, stat };
}

/** The most characters of one raw value a message quotes. */
export const MAX_QUOTED = 120;

/**
 * Makes raw text safe to print in one line of a message: control characters (terminal escapes,
 * newlines) shown as `\n`, `\x1b`, `\u2028`; at most `max` characters, then `… (N more characters)`.
 */
export function printable(text: string, max = MAX_QUOTED): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  // C0 and C1 controls (terminal escapes), line and paragraph separators, and the bidirectional
  // overrides and isolates that reorder what a reader sees ("Trojan Source").
  const safe = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\r") return "\\r";
    if (c === "\t") return "\\t";
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
  });
  return text.length > max ? `${safe}… (${text.length - max} more characters)` : safe;
}

/** `value` in double quotes for a message, bounded and printable ({@link printable}). */
export function quoteValue(value: unknown, max = MAX_QUOTED): string {
  return `"${printable(typeof value === "string" ? value : String(value), max)}"`;
}

/** Alias limits of a parsed YAML document. */
export const MAX_ALIASES = 1000;
/** The most nodes a document may have once its aliases are expanded. */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * Checks the object graph a YAML loader produced for alias abuse, without expanding it: js-yaml
 * returns an alias as the same object, so a "billion laughs" document parses to a small graph that
 * every later walk (validation, copying, printing) would expand exponentially. Counts the collections
 * reached more than once (alias uses), the node count once expanded (memoised per object), and
 * recursive aliases (a collection that contains itself). Returns a problem, or null.
 */
export function aliasProblem(
  data: unknown,
  limits = { aliases: MAX_ALIASES, nodes: MAX_EXPANDED_NODES },
): string | null {
  const size = new Map<object, number>();
  const open = new Set<object>();
  let aliases = 0;
  let problem: string | null = null;
  // Iterative post-order walk: no recursion, so depth cannot overflow the stack.
  const stack: Array<{ node: object; children: unknown[]; next: number; total: number }> = [];
  const enter = (value: unknown): number | null => {
    if (value === null || typeof value !== "object") return 1;
    const known = size.get(value);
    if (known !== undefined) {
      aliases++;
      return known;
    }
    if (open.has(value)) {
      problem = "a YAML alias refers to a collection that contains it (a recursive alias): remove it";
      return 0;
    }
    open.add(value);
    stack.push({ node: value, children: Object.values(value), next: 0, total: 1 });
    return null;
  };
  const add = (n: number) => {
    const top = stack[stack.length - 1];
    top.total = Math.min(top.total + n, Number.MAX_SAFE_INTEGER);
  };
  const root = enter(data);
  if (root !== null) return problem;
  while (stack.length > 0 && problem === null) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      const n = enter(top.children[top.next++]);
      if (n !== null) add(n);
    } else {
      stack.pop();
      open.delete(top.node);
      size.set(top.node, top.total);
      if (stack.length > 0) add(top.total);
    }
    if (aliases > limits.aliases) {
      problem = `more than ${limits.aliases} YAML alias uses (the cap): write the values out, or use fewer aliases`;
    } else if (top.total > limits.nodes) {
      problem =
        `YAML aliases expand the document to more than ${limits.nodes} nodes (the cap): ` +
        `a definition does not need nested aliases; write the values out`;
    }
  }
  return problem;
}
