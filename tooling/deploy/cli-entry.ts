/**
 * How the deployment CLIs (`npm run preflight`, `npm run deploy`) start: the AWS SDK's notice that future
 * releases need Node 22 is silenced (its versions are pinned by package-lock.json; it would otherwise
 * open every report), `main`'s result becomes the exit status, and an error `main` did not turn into a
 * message is printed once with the command's name.
 */
export function runCliEntry(
  command: string,
  main: (argv: string[]) => Promise<number>,
  couldNot: number,
): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`${command}: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = couldNot;
    },
  );
}
