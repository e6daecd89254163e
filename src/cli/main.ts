import { Command } from 'commander';
import { isTailorError } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';

/** Builds the `tailor` command line; each sub-command lives in its own file under ./commands. */
export function buildCli(): Command {
  const program = new Command('tailor')
    .description('Real-time, personalised product recommendations for fashion shops')
    .version('0.1.0')
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI; errors print their code and message (no stack) and set a non-zero exit code. */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (isTailorError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\n`);
      process.exitCode = 2;
    } else throw err;
  }
}
