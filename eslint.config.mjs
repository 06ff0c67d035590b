// ESLint flat config: typescript-eslint's recommended rules, Pulumi's rules against Outputs in
// template literals (they need type information), and Prettier owning the formatting.
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import pulumi from "@pulumi/eslint-plugin";

/**
 * The import arrows (../shared/STYLE.md, "Which way the imports run"): the definition imports nothing of
 * ours; components read the definition; the program (infra) reads components and the definition; the
 * validator reads the definition only and never Pulumi; the policies read only their helper package.
 * tooling/ and tests/ may import anything.
 */
const ours = (...folders) => ({
  regex: `^(\\.\\./)+(${folders.join("|")})(/|$)`,
  message: "this import runs against the architecture's arrows (README, Architecture)",
});
const noPulumi = { group: ["@pulumi/*"], message: "no Pulumi here: this code runs without the engine" };
const arrows = [
  {
    files: ["platform/**/*.ts"],
    patterns: [noPulumi, ours("components", "infra", "tooling", "validator", "policies", "stacks")],
  },
  { files: ["components/**/*.ts"], patterns: [ours("infra", "tooling", "validator", "policies")] },
  { files: ["infra/**/*.ts"], patterns: [ours("tooling", "policies")] },
  { files: ["validator/**/*.ts"], patterns: [noPulumi, ours("components", "infra", "tooling", "policies")] },
  {
    files: ["policies/**/*.ts"],
    patterns: [ours("components", "infra", "tooling", "validator", "platform", "lib")],
  },
].map(({ files, patterns }) => ({ files, rules: { "no-restricted-imports": ["error", { patterns }] } }));

export default tseslint.config(
  { ignores: ["node_modules/**", "dist/**", "docs/**", ".scratch/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      eqeqeq: ["error", "always"],
    },
  },
  ...arrows,
  prettier,
);
