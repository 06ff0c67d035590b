import { ruleTable } from "../../platform/aws-names";

/** The table as docs/definition.md shows it, from the rules the definition's validation applies. */
export function ruleTableMarkdown(): string {
  const cell = (s: string): string => s.replace(/\|/g, "\\|");
  return [
    "| name | length | characters | AWS rule |",
    "| --- | --- | --- | --- |",
    ...ruleTable().map(
      (r) => `| ${cell(r.what)} (\`${r.kind}\`) | ${r.length} | ${cell(r.allowed)} | [source](${r.source}) |`,
    ),
  ].join("\n");
}
