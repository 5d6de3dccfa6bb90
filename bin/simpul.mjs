#!/usr/bin/env node
// Entry point of the `simpul` command (also `npm run simpul -- …`). Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli, CliError } = await import('../src/server/cli.ts');
try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (err) {
  if (err instanceof CliError || (err instanceof Error && /in use by process/.test(err.message))) {
    console.error(err.message);
    process.exitCode = 1;
  } else {
    throw err;
  }
}
