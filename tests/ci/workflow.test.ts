/**
 * The CI workflow (.github/workflows/lakehouse.yml) parsed and validated by GitHub's own workflow parser,
 * its structure asserted (triggers, the waves' `needs` chain and conditions, matrices from the matrix
 * job, least permissions, OIDC, both policy packs, concurrency), and the matrices tooling/deploy/matrix.ts
 * prints for the example definition.
 *
 * `@actions/workflow-parser` and `@actions/expressions` ship ECMAScript modules only, and the parser
 * imports its JSON schema without an import attribute, which Node's own loader refuses
 * (ERR_IMPORT_ASSERTION_TYPE_MISSING): they are imported through tsx's ESM hooks.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import { dump, load } from "js-yaml";
import { loadPlatform } from "../../platform";
import type { Platform } from "../../platform";
import { listStacks } from "../../tooling/plan/stacks";
import { main as planMain } from "../../tooling/plan/cli";
import {
  deploymentMatrices,
  DeploymentMatrices,
  githubOutputLines,
  main as matrixMain,
  MatrixInputError,
  WAVES,
} from "../../tooling/deploy/matrix";

type WorkflowParser = typeof import("@actions/workflow-parser");
type Expressions = typeof import("@actions/expressions");
type WorkflowTemplate = import("@actions/workflow-parser").WorkflowTemplate;
type Token = NonNullable<import("@actions/workflow-parser").TemplateParseResult["value"]>;

const ROOT = path.resolve(__dirname, "..", "..");
const WORKFLOW = path.join(ROOT, ".github/workflows/lakehouse.yml");
const EXAMPLE = path.join(ROOT, "stacks/platform.yaml");
const STACKS = path.join(ROOT, "stacks");

let P: WorkflowParser;
let E: Expressions;

/** tsx's ESM hooks; a variable specifier, as TypeScript's node10 resolution does not read tsx's `exports`. */
const TSX_ESM_API = "tsx/esm/api";

async function loadModules(): Promise<void> {
  const { register } = (await import(TSX_ESM_API)) as { register: () => () => Promise<void> };
  const unregister = register();
  try {
    P = await import("@actions/workflow-parser");
    E = await import("@actions/expressions");
  } finally {
    await unregister();
  }
}

/** Parses workflow text: the parser's errors, the converted template and the validated token tree. */
async function parse(
  content: string,
): Promise<{ errors: string[]; template?: WorkflowTemplate; tree?: Token }> {
  const result = P.parseWorkflow({ name: "lakehouse.yml", content }, new P.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || result.value === undefined) return { errors };
  const template = await P.convertWorkflowTemplate(result.context, result.value);
  return { errors: (template.errors ?? []).map((e) => e.Message), template, tree: result.value };
}

/** A parsed token as plain data: mappings, sequences, literals; an expression as `${{ expr }}`. */
function plain(t: Token): unknown {
  if (P.isMapping(t)) {
    const o: Record<string, unknown> = {};
    for (const { key, value } of t) o[key.toString()] = plain(value);
    return o;
  }
  if (P.isSequence(t)) return [...t].map(plain);
  if (P.isBasicExpression(t)) return `\${{ ${t.expression} }}`;
  if (P.isString(t) || P.isBoolean(t) || P.isNumber(t)) return t.value;
  return null;
}

interface RawStep {
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface RawJob {
  permissions?: Record<string, string>;
  needs?: string[];
  if?: string;
  strategy?: { "fail-fast"?: boolean; matrix?: unknown };
  outputs?: Record<string, string>;
  steps: RawStep[];
}
interface RawWorkflow {
  permissions?: Record<string, string>;
  jobs: Record<string, RawJob>;
}

/** Evaluates a GitHub expression with `github` and `needs` contexts and the job status functions. */
function evaluate(
  expression: string,
  ctx: { github: object; needs?: Record<string, { result: string; outputs?: Record<string, string> }> },
): unknown {
  const results = Object.values(ctx.needs ?? {}).map((n) => n.result);
  const status = (name: string, value: boolean) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new E.data.BooleanData(value),
  });
  // Job-level status functions: success() when every job it needs succeeded (a skipped one is not
  // success), failure() when one failed; nothing is cancelled here.
  const functions = [
    status(
      "success",
      results.every((r) => r === "success"),
    ),
    status("failure", results.includes("failure")),
    status("cancelled", false),
    status("always", true),
  ];
  const lexed = new E.Lexer(expression).lex();
  const expr = new E.Parser(lexed.tokens, ["github", "needs", "vars"], functions).parse();
  const context = JSON.parse(JSON.stringify({ vars: {}, needs: {}, ...ctx }), E.data.reviver);
  const value = new E.Evaluator(expr, context, new Map(functions.map((f) => [f.name, f]))).evaluate();
  return JSON.parse(JSON.stringify(value, E.data.replacer));
}

const runs = (job: RawJob): string => job.steps.map((s) => s.run ?? "").join("\n");
const uses = (job: RawJob, action: string): RawStep[] =>
  job.steps.filter((s) => s.uses?.split("@")[0] === action);
const lines = (v: unknown): string[] =>
  String(v)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");

describe("the CI workflow (.github/workflows/lakehouse.yml)", () => {
  const content = fs.readFileSync(WORKFLOW, "utf8");
  let template: WorkflowTemplate;
  let raw: RawWorkflow;
  const job = (id: string): RawJob => {
    const j = raw.jobs[id];
    expect(j, `job ${id}`).to.not.equal(undefined);
    return j;
  };
  const converted = (id: string) => {
    const j = template.jobs.find((x) => x.id.value === id);
    if (!j) throw new Error(`no job ${id}`);
    return j;
  };
  const deployJobs = [...WAVES];
  const credentialed = ["preview", ...deployJobs];

  before(async () => {
    await loadModules();
    const parsed = await parse(content);
    expect(parsed.errors).to.deep.equal([]);
    template = parsed.template!;
    raw = plain(parsed.tree!) as RawWorkflow;
  });

  it("parses without an error, while the same parser rejects a broken copy", async () => {
    expect((await parse(content)).errors).to.deep.equal([]);
    const broken = await parse(
      content.replace("    runs-on: ubuntu-latest\n", "    runs-on: ubuntu-latest\n    permisions: {}\n"),
    );
    expect(broken.errors.join("\n")).to.match(/permisions/);
  });

  it("runs on pull requests to main and on pushes to main, nothing else", () => {
    expect(Object.keys(template.events).sort()).to.deep.equal(["pull_request", "push"]);
    expect(template.events.pull_request?.branches).to.deep.equal(["main"]);
    expect(template.events.push?.branches).to.deep.equal(["main"]);
  });

  it("deploys the waves in order, each needing the matrix job and every earlier wave", () => {
    expect(deployJobs).to.deep.equal(["producers", "consumers", "lake", "consumers-again"]);
    deployJobs.forEach((id, i) => {
      expect(
        (converted(id).needs ?? []).map((n) => n.value),
        id,
      ).to.deep.equal(["matrix", ...deployJobs.slice(0, i)]);
    });
    expect((converted("preview").needs ?? []).map((n) => n.value)).to.deep.equal(["plan", "matrix"]);
  });

  it("starts a wave after a skipped (empty) wave, never after a failed one, and skips a wave without stacks", () => {
    const push = { event_name: "push" };
    const ifOf = (id: string) => converted(id).if.expression;
    const needs = (id: string, result: (dep: string) => string, count = "1") =>
      Object.fromEntries(
        (converted(id).needs ?? []).map((n) => [
          n.value,
          { result: result(n.value), outputs: n.value === "matrix" ? { [`${id}-count`]: count } : {} },
        ]),
      );
    for (const id of deployJobs) {
      expect(evaluate(ifOf(id), { github: push, needs: needs(id, () => "success") }), `${id} runs`).to.equal(
        true,
      );
      expect(
        evaluate(ifOf(id), { github: push, needs: needs(id, () => "success", "0") }),
        `${id} empty`,
      ).to.equal(false);
      expect(
        evaluate(ifOf(id), { github: { event_name: "pull_request" }, needs: needs(id, () => "success") }),
        `${id} on a pull request`,
      ).to.equal(false);
      expect(
        evaluate(ifOf(id), {
          github: push,
          needs: needs(id, (d) => (d === "matrix" ? "failure" : "success")),
        }),
        `${id} after the matrix job failed`,
      ).to.equal(false);
    }
    for (const [i, id] of deployJobs.entries()) {
      if (i === 0) continue;
      for (const earlier of deployJobs.slice(0, i)) {
        const after = (r: string) =>
          evaluate(ifOf(id), { github: push, needs: needs(id, (d) => (d === earlier ? r : "success")) });
        expect(after("skipped"), `${id} after ${earlier} was skipped`).to.equal(true);
        expect(after("failure"), `${id} after ${earlier} failed`).to.equal(false);
      }
    }
  });

  it("takes every wave's matrix and the previews' from the matrix job's outputs, which matrix.ts writes", () => {
    for (const id of [...deployJobs, "preview"]) {
      const name = id === "preview" ? "preview" : id;
      expect(job(id).strategy?.matrix, id).to.equal(`\${{ fromJSON(needs.matrix.outputs.${name}) }}`);
      expect(job(id).strategy?.["fail-fast"], `${id} fail-fast`).to.equal(false);
    }
    const m = job("matrix");
    const step = m.steps.find((s) => s.id === "waves");
    expect(step?.run).to.equal('node -r tsx/cjs tooling/deploy/matrix.ts --github-output "$GITHUB_OUTPUT"');
    const written = githubOutputLines(deploymentMatrices(loadPlatform(EXAMPLE), listStacks(STACKS)))
      .trim()
      .split("\n")
      .map((l) => l.slice(0, l.indexOf("=")));
    expect(Object.keys(m.outputs ?? {}).sort()).to.deep.equal([...written].sort());
    for (const [name, value] of Object.entries(m.outputs ?? {})) {
      expect(value, name).to.equal(`\${{ steps.waves.outputs.${name} }}`);
    }
  });

  it("grants nothing by default, contents: read to every job, id-token: write only to the jobs that assume a role, pull-requests: write only where it comments", () => {
    expect(raw.permissions).to.deep.equal({});
    for (const [id, j] of Object.entries(raw.jobs)) {
      const expected: Record<string, string> = { contents: "read" };
      if (credentialed.includes(id)) expected["id-token"] = "write";
      if (id === "access-diff") expected["pull-requests"] = "write";
      expect(j.permissions, id).to.deep.equal(expected);
      const assumes = uses(j, "aws-actions/configure-aws-credentials").length > 0;
      expect(assumes, `${id} assumes a role`).to.equal(credentialed.includes(id));
      const comments = uses(j, "actions/github-script").length > 0;
      expect(comments, `${id} comments`).to.equal(id === "access-diff");
    }
  });

  it("assumes the matrix entry's deployment role in its account and region before every pulumi step", () => {
    for (const id of credentialed) {
      const steps = job(id).steps;
      const aws = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      const pulumi = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
      expect(aws, id).to.be.greaterThan(-1);
      expect(pulumi, id).to.be.greaterThan(aws);
      const w = steps[aws].with ?? {};
      if (id === "preview") expect(String(w["role-to-assume"])).to.contain("|| matrix.deploymentRoleArn }}");
      else expect(w["role-to-assume"], id).to.equal("${{ matrix.deploymentRoleArn }}");
      expect(w["aws-region"], id).to.equal("${{ matrix.region }}");
      expect(w["allowed-account-ids"], id).to.equal("${{ matrix.accountId }}");
    }
  });

  it("previews on pull requests and runs up on pushes, each stack with both policy packs and their config", () => {
    const commands: Record<string, string> = {};
    for (const [id, j] of Object.entries(raw.jobs)) {
      for (const step of uses(j, "pulumi/actions")) {
        const w = step.with ?? {};
        commands[id] = String(w.command);
        expect(String(w["stack-name"]), id).to.contain("matrix.stack");
        expect(lines(w.policyPacks), id).to.deep.equal(["policies/governance", "policies/security"]);
        expect(lines(w.policyPackConfigs), id).to.deep.equal([
          "policy-config/governance.json",
          "policy-config/security.json",
        ]);
        expect(runs(j), id).to.contain("npm run policy-config -- --out-dir policy-config");
        expect(runs(j), id).to.contain("npm --prefix policies/governance run prepack");
        expect(runs(j), id).to.contain("npm --prefix policies/security run prepack");
        expect(runs(j), id).to.contain("npm run build:validator");
      }
    }
    expect(commands).to.deep.equal({
      preview: "preview",
      producers: "up",
      consumers: "up",
      lake: "up",
      "consumers-again": "up",
    });
    expect(converted("preview").if.expression).to.contain("github.event_name == 'pull_request'");
  });

  it("runs npm ci and the offline plan on pull requests", () => {
    const plan = job("plan");
    expect(runs(plan)).to.match(/^npm ci\b/m);
    expect(runs(plan)).to.match(/^npm run plan$/m);
    expect(converted("plan").if.expression).to.contain("github.event_name == 'pull_request'");
  });

  it("comments the access diff only when the plan knows --format access-markdown, against the base branch's definition", async () => {
    const steps = job("access-diff").steps;
    const format = steps.find((s) => s.id === "format");
    expect(format?.run).to.contain("npm run --silent plan -- --help").and.to.contain("*access-markdown*");
    const base = steps.find((s) => s.id === "base");
    expect(base?.if).to.equal("steps.format.outputs.known == 'true'");
    expect(base?.run).to.contain("git show HEAD^1:stacks/platform.yaml");
    const diff = steps.find((s) => s.id === "diff");
    expect(diff?.if).to.equal("steps.base.outputs.file != ''");
    expect(diff?.run).to.contain('--format access-markdown --base "$BASE_PLATFORM"');
    const comment = uses(job("access-diff"), "actions/github-script")[0];
    expect(comment.if).to.contain("steps.diff.outcome == 'success'");
    // The guard reads the plan's --help, which lists the formats it accepts.
    let help = "";
    const code = await planMain(["--help"], { stdout: (s) => void (help += s), stderr: () => undefined });
    expect(code).to.equal(0);
    expect(help).to.contain('"mermaid"');
  });

  it("never runs two deployments at once and never cancels one; a pull request's newer commit cancels its preview", () => {
    const c = plain(template.concurrency) as { group: string; "cancel-in-progress": string };
    const strip = (s: string) => s.replace(/^\$\{\{ | \}\}$/g, "");
    const at = (github: object) => ({
      group: evaluate(strip(c.group), { github }),
      cancel: evaluate(strip(c["cancel-in-progress"]), { github }),
    });
    expect(at({ event_name: "push" })).to.deep.equal({ group: "lakehouse-deploy", cancel: false });
    expect(at({ event_name: "pull_request", event: { pull_request: { number: 7 } } })).to.deep.equal({
      group: "lakehouse-preview-7",
      cancel: true,
    });
  });

  it("pins every action to a current major version", () => {
    const all = Object.values(raw.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    for (const u of all) expect(u).to.match(/^[\w-]+\/[\w-]+@v\d+$/);
    expect([...new Set(all)].sort()).to.deep.equal([
      "actions/checkout@v7",
      "actions/github-script@v8",
      "actions/setup-node@v7",
      "aws-actions/configure-aws-credentials@v6",
      "pulumi/actions@v7",
    ]);
  });

  it("hands the Pulumi backend's secrets only to the pulumi steps", () => {
    for (const [id, j] of Object.entries(raw.jobs)) {
      for (const s of j.steps) {
        const secrets = JSON.stringify(s).match(/secrets\.\w+/g) ?? [];
        if (s.uses?.startsWith("pulumi/actions@")) {
          expect(s.env, id).to.deep.equal({
            PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
            PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
          });
          expect(s.with?.["cloud-url"], id).to.equal("${{ vars.PULUMI_BACKEND_URL }}");
        } else expect(secrets, `${id}: ${s.uses ?? s.run}`).to.deep.equal([]);
      }
    }
  });
});

describe("tooling/deploy/matrix.ts", () => {
  const platform = loadPlatform(EXAMPLE);
  const stacks = listStacks(STACKS);
  const role = (id: string) => `arn:aws:iam::${id}:role/pulumi-deploy`;
  const entry = (name: string, id: string) => ({
    stack: name,
    account: name,
    accountId: id,
    region: "eu-west-1",
    deploymentRoleArn: role(id),
  });
  const run = (...argv: string[]) => {
    let stdout = "";
    let stderr = "";
    const code = matrixMain(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
    return { code, stdout, stderr };
  };
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-matrix-"));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const stackFile = (stack: string, account: string) =>
    fs.writeFileSync(
      path.join(tmp, `Pulumi.${stack}.yaml`),
      dump({ config: { "lakehouse:account": account } }),
    );

  it("puts the example's stacks in their waves (definition order within one), with each account's deployment role", () => {
    const m = deploymentMatrices(platform, stacks);
    const producers = [entry("web-producer", "222222222222"), entry("ops-producer", "333333333333")];
    const consumers = [
      entry("analytics-consumer", "444444444444"),
      entry("finance-consumer", "555555555555"),
    ];
    const lake = [entry("lake-prod", "111111111111")];
    expect(m).to.deep.equal({
      preview: { include: [...producers, ...consumers, ...lake] },
      producers: { include: producers },
      consumers: { include: consumers },
      lake: { include: lake },
      "consumers-again": { include: consumers },
    });
  });

  it("deploys a consumer account again after the lake only when one of its teams reads a dataset", () => {
    const p: Platform = {
      ...platform,
      consumers: platform.consumers
        .filter((c) => c.account !== "finance-consumer")
        .concat(
          platform.consumers
            .filter((c) => c.account === "finance-consumer")
            .map((c) => ({ ...c, read: { tags: [], datasets: ["no_such_dataset"] } })),
        ),
    };
    const m = deploymentMatrices(p, stacks);
    expect(m.consumers.include.map((e) => e.stack)).to.deep.equal(["analytics-consumer", "finance-consumer"]);
    expect(m["consumers-again"].include.map((e) => e.stack)).to.deep.equal(["analytics-consumer"]);
  });

  it("refuses an account without deploymentRoleArn, naming it", () => {
    const p: Platform = {
      ...platform,
      accounts: platform.accounts.map((a) =>
        a.name === "lake-prod" ? { ...a, deploymentRoleArn: undefined } : a,
      ),
    };
    expect(() => deploymentMatrices(p, stacks))
      .to.throw(MatrixInputError)
      .with.property("message")
      .that.matches(/lake-prod has no deploymentRoleArn/);
  });

  it("exits 2 for a stack that names no account of the definition, or two stacks of one account", () => {
    stackFile("lake-prod", "lake-prod");
    stackFile("typo", "lake-prd");
    const unknown = run("--platform", EXAMPLE, "--stacks-dir", tmp);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/lake-prd.*is no account of the definition/);
    expect(unknown.stdout).to.equal("");
    fs.rmSync(path.join(tmp, "Pulumi.typo.yaml"));
    stackFile("lake-again", "lake-prod");
    const twice = run("--platform", EXAMPLE, "--stacks-dir", tmp);
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.match(/stacks lake-again and lake-prod both deploy account lake-prod/);
  });

  it("exits 2 for an invalid definition", () => {
    const doc = load(fs.readFileSync(EXAMPLE, "utf8")) as { accounts: unknown[] };
    doc.accounts = [];
    fs.writeFileSync(path.join(tmp, "platform.yaml"), dump(doc));
    const r = run("--platform", path.join(tmp, "platform.yaml"), "--stacks-dir", STACKS);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^matrix: /);
  });

  it("appends each matrix and its count to --github-output, the same JSON it prints, and says which accounts have no stack", () => {
    const out = path.join(tmp, "github-output");
    fs.writeFileSync(out, "earlier=kept\n");
    const r = run("--github-output", out);
    expect(r.code).to.equal(0);
    const printed = JSON.parse(r.stdout) as DeploymentMatrices;
    const written = fs.readFileSync(out, "utf8").trim().split("\n");
    expect(written[0]).to.equal("earlier=kept");
    const pairs = Object.fromEntries(
      written.slice(1).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    for (const name of ["preview", ...WAVES] as const) {
      expect(JSON.parse(pairs[name]), name).to.deep.equal(printed[name]);
      expect(pairs[`${name}-count`], name).to.equal(String(printed[name].include.length));
    }
    expect(r.stderr).to.equal("");

    stackFile("lake-prod", "lake-prod");
    const partial = run("--stacks-dir", tmp);
    expect(partial.code).to.equal(0);
    expect(
      (JSON.parse(partial.stdout) as DeploymentMatrices).preview.include.map((e) => e.stack),
    ).to.deep.equal(["lake-prod"]);
    expect(partial.stderr).to.contain("account web-producer has no stack file");
  });
});
