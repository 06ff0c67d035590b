/**
 * `npm run validate`: the governance validator by hand (CONTRACTS §4).
 *
 *   npm run validate -- [--platform <file>] [--endpoint <url>] [--region <r>] [--date YYYY-MM-DD]
 *                       [--format table|json] [--dry-run]
 *
 * The report goes to stdout, progress to stderr. A run (not `--dry-run`) holds the date's run lock in the
 * governance bucket; when another run of the date holds it, the report says skipped and the exit is 0.
 * Exit 0: it ran (findings or not) or was skipped; 2: it could not (bad
 * flags, invalid platform, unreachable endpoint, e-mails that could not be sent), with the reason.
 */
import * as fs from "fs";
import * as path from "path";
import Table from "cli-table3";
import { Command, CommanderError, Option } from "commander";
import { lakeAccount, loadPlatform, PlatformDefinitionError, printable } from "../platform";
import type { Platform } from "../platform";
import { createClients } from "./aws";
import { parseDate, utcDate } from "./dates";
import { countBySeverity } from "./findings";
import { validate, ValidationReport, ValidatorUnavailableError } from "./validator";

const ROOT = path.resolve(__dirname, "..");

/** Exit statuses of `npm run validate`. */
export const EXIT = { ran: 0, couldNot: 2 } as const;

/** The report as CONTRACTS §4 JSON: date, findings, and the e-mails' recipients and subjects. */
export function renderJson(report: ValidationReport): string {
  return `${JSON.stringify(
    {
      date: report.date,
      findings: report.findings,
      emails: report.emails.map(({ to, subject }) => ({ to, subject })),
      ...(report.skipped ? { skipped: report.skipped } : {}),
    },
    null,
    2,
  )}\n`;
}

/** The report as tables for a terminal: findings, then e-mails, then a summary line. */
export function renderTable(report: ValidationReport): string {
  const plain = { head: [], border: [], compact: true };
  const out: string[] = [
    `Governance validation for ${report.date} (as of ${report.asOf})${report.dryRun ? ", dry run" : ""}`,
  ];
  if (report.skipped)
    return (
      `${out[0]}\nSkipped: another run of ${report.date} is under way (${report.skipped.holder} has held ` +
      `${report.skipped.lock} since ${report.skipped.since}); nothing was checked, written or sent. ` +
      `Run again when it has finished.\n`
    );
  if (report.tookOverLock)
    out.push(
      `Took over the stale run lock ${report.tookOverLock.lock} of ${report.tookOverLock.holder} (since ${report.tookOverLock.since}).`,
    );
  if (report.findings.length === 0) out.push("No findings.");
  else {
    const findings = new Table({
      head: ["Severity", "Dataset", "Check", "Message"],
      style: plain,
      colWidths: [10, 22, 14, 90],
      wordWrap: true,
    });
    for (const f of report.findings)
      // Data-derived text (S3 keys in messages and objects) is printed with its controls escaped.
      findings.push([
        f.severity,
        f.dataset,
        f.check,
        f.object ? `${printable(f.message, 2000)}\n${printable(f.object, 1024)}` : printable(f.message, 2000),
      ]);
    out.push(findings.toString());
  }
  if (report.emails.length > 0) {
    const emails = new Table({
      head: [report.dryRun ? "Would e-mail" : "E-mailed", "Subject"],
      style: plain,
      wordWrap: true,
      colWidths: [40, 96],
    });
    for (const e of report.emails) emails.push([e.to, e.subject]);
    out.push(emails.toString());
  }
  const c = countBySeverity(report.findings);
  out.push(
    `${report.findings.length} findings (${c.error} errors, ${c.warning} warnings, ${c.info} info) in ${report.stats.datasets} datasets, ` +
      `${report.stats.objects} objects; ${report.emails.length} e-mails${report.dryRun ? " not sent (dry run)" : ""}; ` +
      `${report.findingsObject ? `findings in ${report.findingsObject}; ` : ""}${report.stats.requests} requests, ${report.stats.retries} retries`,
  );
  return `${out.join("\n")}\n`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit status. */
export async function main(
  argv: string[],
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  },
): Promise<number> {
  const cli = new Command("validate")
    .description("Validate every registered dataset against its registration and e-mail the owners")
    .option("--platform <file>", "platform definition", path.join(ROOT, "stacks/platform.yaml"))
    .option("--endpoint <url>", "send every AWS request to this endpoint (moto, LocalStack, a VPC endpoint)")
    .option("--region <region>", "the region of the lake (default: the lake account's region)")
    .option("--date <YYYY-MM-DD>", "the run date (default: today, UTC)")
    .addOption(new Option("--format <format>", "report format").choices(["table", "json"]).default("table"))
    .option("--dry-run", "read and report, but write no findings and send no e-mail", false)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    cli.parse(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ran : EXIT.couldNot;
    throw err;
  }
  const opts = cli.opts<{
    platform: string;
    endpoint?: string;
    region?: string;
    date?: string;
    format: "table" | "json";
    dryRun: boolean;
  }>();
  const fail = (message: string) => {
    io.stderr(`validate: ${message}\n`);
    return EXIT.couldNot;
  };
  let platform: Platform;
  let date: string;
  let clients;
  try {
    date = opts.date ?? utcDate(new Date());
    parseDate(date, "--date");
    // The flag is named when the file is not there at all; any other problem with it (a directory, a
    // FIFO, not UTF-8, invalid) comes from the definition's loader, naming the file.
    if (!fs.existsSync(path.resolve(opts.platform))) return fail(`--platform ${opts.platform}: no such file`);
    platform = loadPlatform(path.resolve(opts.platform));
    clients = createClients({ region: opts.region ?? lakeAccount(platform).region, endpoint: opts.endpoint });
  } catch (err) {
    if (err instanceof PlatformDefinitionError) return fail(err.message);
    return fail((err as Error).message.replace(/^endpoint:/, "--endpoint:").replace(/^region:/, "--region:"));
  }
  try {
    const report = await validate({
      platform,
      date,
      clients,
      dryRun: opts.dryRun,
      progress: (line) => io.stderr(`validate: ${line}\n`),
    });
    io.stdout(opts.format === "json" ? renderJson(report) : renderTable(report));
    if (report.failures.length > 0)
      return fail(
        `${report.failures.length} e-mail(s) could not be sent:\n  ${report.failures.join("\n  ")}`,
      );
    return EXIT.ran;
  } catch (err) {
    if (err instanceof ValidatorUnavailableError) return fail(err.message);
    return fail(`internal error: ${(err as Error).stack ?? String(err)}`);
  }
}

if (require.main === module) {
  // The SDK versions are pinned by package-lock.json; its notice about future releases needing Node 22
  // would otherwise open every report.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`validate: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = EXIT.couldNot;
    },
  );
}
