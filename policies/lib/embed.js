#!/usr/bin/env node
// Embeds @acme/lakehouse-policy-lib into a policy pack, so the pack's folder is all `pulumi policy
// publish` (which ships the folder's `npm pack`) needs: compiles this package with its own tsconfig
// (JavaScript and .d.ts: ts-node does not compile .ts inside node_modules) into a temporary folder, then
// places package.json and dist/ in <pack>/node_modules/@acme/lakehouse-policy-lib. A real copy, not a
// link: npm pack bundles it through the pack's bundleDependencies, and a `file:` link would not survive
// the install of the published tarball. Nothing is written inside policies/lib itself. Reports on
// stderr: `npm pack --json` owns stdout.
//
//   node policies/lib/embed.js <pack folder>      (each pack's `prepack` runs it with ".")
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const pack = process.argv[2];
if (!pack) {
  console.error("usage: node policies/lib/embed.js <pack folder>");
  process.exit(2);
}
const lib = __dirname;
const manifest = JSON.parse(fs.readFileSync(path.join(lib, "package.json"), "utf8"));
const packManifest = JSON.parse(fs.readFileSync(path.join(pack, "package.json"), "utf8"));
const wanted = packManifest.dependencies && packManifest.dependencies[manifest.name];
if (wanted !== manifest.version) {
  console.error(
    `${path.join(pack, "package.json")}: dependencies["${manifest.name}"] is ${JSON.stringify(wanted)}; ` +
      `set it to "${manifest.version}", the version this repository's policies/lib has`,
  );
  process.exit(2);
}

const dist = fs.mkdtempSync(path.join(os.tmpdir(), "lakehouse-policy-lib-"));
const tsc = require.resolve("typescript/bin/tsc", { paths: [lib] });
execFileSync(process.execPath, [tsc, "-p", path.join(lib, "tsconfig.json"), "--outDir", dist], {
  stdio: ["ignore", 2, 2], // npm pack --json owns stdout
});

const target = path.join(pack, "node_modules", ...manifest.name.split("/"));
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
fs.copyFileSync(path.join(lib, "package.json"), path.join(target, "package.json"));
fs.cpSync(dist, path.join(target, "dist"), { recursive: true });
fs.rmSync(dist, { recursive: true, force: true });
console.error(`embedded ${manifest.name}@${manifest.version} into ${target}`);
