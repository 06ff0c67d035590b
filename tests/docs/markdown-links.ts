/**
 * What the link check needs from a Markdown file: its headings' anchors as GitHub renders them, and its
 * relative links, each resolved to the file (and heading) it points at.
 *
 * The anchor rule is github-slugger's (Flet/github-slugger 2.x, `index.js` and `script/generate-regex.mjs`),
 * which mirrors GitHub's own table-of-contents filter: lowercase the heading's text; drop every character
 * of the Unicode categories Other_Number, punctuation other than `_` and `-` (Ps, Pe, Pi, Pf, Po, Pd but
 * `-`), Symbol, Control, Private_Use, Format, Unassigned and Separator but ` ` (alphabetic characters are
 * always kept); turn each space into `-` (no squeezing: `a - b` is `a---b`). A repeated anchor gets `-1`,
 * `-2`, ... in order of appearance, skipping suffixes already taken.
 */
import * as fs from "fs";
import * as path from "path";

const REMOVED = /[\p{No}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Pd}\p{S}\p{Cc}\p{Co}\p{Cf}\p{Cn}\p{Z}]/u;
const ALPHABETIC = /\p{Alphabetic}/u;

/** A heading's text as its anchor, without the duplicate suffix. */
export function githubSlug(text: string): string {
  let out = "";
  for (const ch of text.toLowerCase()) {
    if (ch === " " || ch === "-" || ALPHABETIC.test(ch) || !REMOVED.test(ch)) out += ch;
  }
  return out.replace(/ /g, "-");
}

/** Anchors for the headings of one document, in order: duplicates get `-1`, `-2`, ... */
export class Slugger {
  private readonly occurrences = new Map<string, number>();

  slug(text: string): string {
    const original = githubSlug(text);
    let result = original;
    while (this.occurrences.has(result)) {
      const n = (this.occurrences.get(original) ?? 0) + 1;
      this.occurrences.set(original, n);
      result = `${original}-${n}`;
    }
    this.occurrences.set(result, 0);
    return result;
  }
}

/** A line of a document and whether it is inside a fenced code block. */
interface Line {
  readonly text: string;
  readonly code: boolean;
}

function splitLines(markdown: string): Line[] {
  const lines: Line[] = [];
  let fence: string | undefined;
  for (const text of markdown.split(/\r?\n/)) {
    const opener = /^\s*(`{3,}|~{3,})/.exec(text);
    if (fence === undefined && opener) {
      fence = opener[1];
      lines.push({ text, code: true });
    } else if (fence !== undefined) {
      const closes = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`).test(text);
      lines.push({ text, code: true });
      if (closes) fence = undefined;
    } else lines.push({ text, code: false });
  }
  return lines;
}

/** Inline Markdown as the text GitHub renders: code spans' content, links' text, no images, no tags. */
export function inlineText(markdown: string): string {
  return markdown
    .replace(/(`+)\s?([\s\S]*?)\s?\1(?!`)/g, (_m, _ticks, code: string) => code)
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/(\*\*|__|\*|_|~~)(\S(?:[\s\S]*?\S)?)\1/g, "$2")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();
}

/** Every anchor of a document: its headings' (ATX and setext) and explicit `id`/`name` attributes. */
export function anchors(markdown: string): Set<string> {
  const slugger = new Slugger();
  const found = new Set<string>();
  const lines = splitLines(markdown);
  lines.forEach((line, i) => {
    if (line.code) return;
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line.text);
    const previous = i > 0 ? lines[i - 1] : undefined;
    const setext =
      /^ {0,3}(=+|-+)[ \t]*$/.test(line.text) &&
      previous !== undefined &&
      !previous.code &&
      previous.text.trim() !== "" &&
      !/^ {0,3}([-*+>|#]|\d+[.)])/.test(previous.text);
    if (atx) found.add(slugger.slug(inlineText(atx[1] ?? "")));
    else if (setext && previous) found.add(slugger.slug(inlineText(previous.text)));
    for (const m of line.text.matchAll(/<[A-Za-z][^>]*\s(?:id|name)="([^"]+)"/g)) found.add(m[1]);
  });
  return found;
}

/** A link as written: its target and the line it is on (1-based). */
export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Inline links and images (`[text](target)`, `![alt](target)`) and reference definitions, outside code. */
export function links(markdown: string): Link[] {
  const lines = splitLines(markdown);
  // Code blocks and code spans become spaces, so that offsets still give line numbers.
  const prose = lines
    .map((l) => (l.code ? " ".repeat(l.text.length) : l.text))
    .join("\n")
    .replace(/(`+)[\s\S]*?\1(?!`)/g, (m) => m.replace(/[^\n]/g, " "));
  const lineAt = (offset: number): number => prose.slice(0, offset).split("\n").length;
  const found: Link[] = [];
  const inline =
    /\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
  for (const m of prose.matchAll(inline)) {
    found.push({ target: m[1].replace(/^<|>$/g, ""), line: lineAt(m.index ?? 0) });
  }
  for (const m of prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)/gm)) {
    found.push({ target: m[1].replace(/^<|>$/g, ""), line: lineAt(m.index ?? 0) });
  }
  return found;
}

/** Whether a target leaves the repository's files: a URL with a scheme (`https:`, `mailto:`) or `//host`. */
export function isExternal(target: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) || target.startsWith("//");
}

/**
 * The problems of one file's relative links, each as `<file>:<line>: <target>: <why>`: a missing file or
 * folder, a path outside the repository, or an `#anchor` that is no heading of the Markdown file it names.
 */
export function brokenLinks(
  root: string,
  file: string,
  anchorCache = new Map<string, Set<string>>(),
): string[] {
  const anchorsOf = (f: string): Set<string> => {
    let a = anchorCache.get(f);
    if (!a) {
      a = anchors(fs.readFileSync(f, "utf8"));
      anchorCache.set(f, a);
    }
    return a;
  };
  const rel = path.relative(root, file);
  const problems: string[] = [];
  for (const { target, line } of links(fs.readFileSync(file, "utf8"))) {
    if (isExternal(target)) continue;
    const where = `${rel}:${line}: ${target}`;
    const hash = target.indexOf("#");
    const filePart = decodeURI(hash < 0 ? target : target.slice(0, hash));
    const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const resolved =
      filePart === ""
        ? file
        : filePart.startsWith("/")
          ? path.join(root, filePart)
          : path.resolve(path.dirname(file), filePart);
    const fromRoot = path.relative(root, resolved);
    if (fromRoot.startsWith("..") || path.isAbsolute(fromRoot)) {
      problems.push(`${where}: points outside the repository; link a file of the repository or a URL`);
      continue;
    }
    if (!fs.existsSync(resolved)) {
      problems.push(`${where}: ${fromRoot} does not exist; fix the path (files moved in the layout change?)`);
      continue;
    }
    if (anchor === undefined || anchor === "") continue;
    if (!resolved.endsWith(".md") || fs.statSync(resolved).isDirectory()) {
      if (/^L\d+(-L\d+)?$/.test(anchor)) continue; // a line of a source file, as GitHub links them
      problems.push(`${where}: #${anchor} on a file that is not Markdown; link the file without an anchor`);
      continue;
    }
    const known = anchorsOf(resolved);
    if (!known.has(anchor)) {
      problems.push(`${where}: ${fromRoot} has no heading #${anchor}; use one of: ${[...known].join(", ")}`);
    }
  }
  return problems;
}
