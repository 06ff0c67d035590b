/**
 * `--format sarif`: the plan's violations as SARIF 2.1.0, for code-scanning tools (GitHub code scanning,
 * the SARIF viewers of editors).
 *
 * One run per policy pack: the pack is the tool (`tool.driver` with its name, version and every policy
 * as a rule: description, help with the remediation, the level it ran at as `defaultConfiguration.level`
 * — mandatory → error, advisory → warning, disabled → none — and its severity), the pack's violations
 * across every stack are the run's results. A result points at its resource twice: logically by URN
 * (`logicalLocations[].fullyQualifiedName`, kind `resource`; the stack's URN for a stack policy) and
 * physically at the program that declares it (the `--program` file, or `infra/index.ts` for account
 * stacks), relative to the repository — with the line where the program names the resource when it
 * names it exactly once. `partialFingerprints` hash the pack, policy and URN, so a result keeps its
 * identity from run to run.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { PackRule, PlanReport, StackReport } from "../engine";
import type { EnforcementLevel } from "../../policy-eval/policy-config";

/** The `$schema` of the log. */
export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** The key of the results' partial fingerprint. */
export const FINGERPRINT_KEY = "lakehousePolicyUrnHash/v1";

type SarifLevel = "error" | "warning" | "note" | "none";

/** A SARIF level for a Pulumi enforcement level (remediate policies block like mandatory ones). */
export function sarifLevel(level: EnforcementLevel): SarifLevel {
  return level === "advisory" ? "warning" : level === "disabled" ? "none" : "error";
}

/** GitHub code scanning's `security-severity` score for a policy severity. */
const SECURITY_SEVERITY: Record<string, string> = {
  low: "3.0",
  medium: "5.5",
  high: "8.0",
  critical: "9.5",
};

/** Where the report's programs are. */
export interface SarifSources {
  /** The repository root: artifact URIs are relative to it. */
  readonly root: string;
  /** The program file every stack ran (absolute path). */
  readonly programFile: string;
}

/** The artifact URI of a file: relative to the root (with `%SRCROOT%`), else an absolute file URI. */
function artifactLocation(root: string, file: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(root, file);
  if (relative && !relative.startsWith("..") && !path.isAbsolute(relative)) {
    return { uri: relative.split(path.sep).map(encodeURIComponent).join("/"), uriBaseId: "%SRCROOT%" };
  }
  return { uri: pathToFileURL(file).href };
}

/**
 * The 1-based line where the program declares the resource: where `new <Class>("<name>"` is written
 * once, else where the name is written once as a string literal; none when it is not (a derived name).
 */
function lineOf(source: string | undefined, name: string): number | undefined {
  if (!source) return undefined;
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  for (const pattern of [`\\bnew\\s+[\\w$.]+\\s*\\(\\s*(["'\`])${escaped}\\1`, `(["'\`])${escaped}\\1`]) {
    const found = [...source.matchAll(new RegExp(pattern, "g"))];
    if (found.length === 1) return source.slice(0, found[0].index).split("\n").length;
    if (found.length > 1) return undefined;
  }
  return undefined;
}

/** A stable identity of a result: the pack, policy and URN (and its rank among equal ones). */
export function fingerprint(pack: string, policy: string, urn: string, occurrence = 1): string {
  const hash = createHash("sha256").update(`${pack}/${policy}\n${urn}`).digest("hex");
  return occurrence > 1 ? `${hash}:${occurrence}` : hash;
}

function rule(pack: string, version: string, r: PackRule) {
  const severity = r.severity ? `, severity ${r.severity}` : "";
  const fix =
    r.remediation ??
    "Each result's message names the fix for its resource: its first line is this policy's description, " +
      "the lines after it say what to change.";
  return {
    id: r.name,
    name: r.name,
    shortDescription: { text: r.description },
    fullDescription: {
      text: `${r.description} Policy ${r.name} of the pack ${pack}@${version}, enforced as ${r.level}${severity}.`,
    },
    help: {
      text:
        `${r.description}\n\nHow to fix: ${fix}\n\n` +
        `It runs as ${r.level}; the pack's config changes that (\`{ "${r.name}": "advisory" }\` in the file ` +
        "given to --policy-pack-config).",
    },
    defaultConfiguration: { level: sarifLevel(r.level), enabled: r.level !== "disabled" },
    properties: {
      severity: r.severity ?? "unspecified",
      enforcementLevel: r.level,
      tags: [pack],
      ...(r.severity && SECURITY_SEVERITY[r.severity]
        ? { "security-severity": SECURITY_SEVERITY[r.severity] }
        : {}),
    },
  };
}

function stackUrn(stack: StackReport): string {
  return stack.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? `stack:${stack.stack}`;
}

/** The report as a SARIF 2.1.0 log (JSON text). */
export function renderSarif(report: PlanReport, sources: SarifSources): string {
  const program = artifactLocation(sources.root, sources.programFile);
  let source: string | undefined;
  try {
    source = fs.readFileSync(sources.programFile, "utf8");
  } catch {
    source = undefined;
  }
  const runs = report.packs.map((pack) => {
    const rules = pack.rules.map((r) => rule(pack.name, pack.version, r));
    const seen = new Map<string, number>();
    const results = report.stacks.flatMap((stack) =>
      stack.violations
        .filter((v) => v.pack === pack.name)
        .map((v) => {
          const resource = v.urn ? stack.resources.find((r) => r.urn === v.urn) : undefined;
          const urn = v.urn ?? stackUrn(stack);
          const key = `${v.policy}\n${urn}`;
          const occurrence = (seen.get(key) ?? 0) + 1;
          seen.set(key, occurrence);
          const line = resource ? lineOf(source, resource.name) : undefined;
          const ruleIndex = pack.rules.findIndex((r) => r.name === v.policy);
          return {
            ruleId: v.policy,
            ...(ruleIndex >= 0 ? { ruleIndex } : {}),
            level: sarifLevel(v.level),
            message: { text: v.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: program,
                  ...(line ? { region: { startLine: line } } : {}),
                },
                logicalLocations: [
                  {
                    fullyQualifiedName: urn,
                    kind: "resource",
                    ...(resource ? { name: resource.name } : { name: stack.stack }),
                  },
                ],
              },
            ],
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(pack.name, v.policy, urn, occurrence) },
            properties: {
              stack: stack.stack,
              account: stack.account,
              ...(resource ? { resourceType: resource.type } : {}),
              ...(v.severity ? { severity: v.severity } : {}),
            },
          };
        }),
    );
    return {
      tool: {
        driver: {
          name: pack.name,
          version: pack.version,
          informationUri: "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
          rules,
        },
      },
      automationDetails: { id: `lakehouse-plan/${pack.name}/` },
      invocations: [{ executionSuccessful: true }],
      results,
      properties: {
        platform: report.platform,
        date: report.date,
        stacks: report.stacks.map((s) => s.stack),
      },
    };
  });
  return JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs }, null, 2) + "\n";
}
