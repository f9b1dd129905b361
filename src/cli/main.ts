/**
 * The `cast` command: operator tasks that must work without the web interface (first administrator,
 * migrations before a deploy, tokens for automation, audit checks, backups). It finds the command,
 * runs it, and turns expected failures into one clear line and an exit code:
 * 0 done, 1 the command could not be done, 2 the command or the configuration is wrong.
 */
import { ConfigError } from '../core/config.ts';
import { COMMANDS, type Command } from './command.ts';
import { CommandFailure, UsageError } from './errors.ts';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'Usage: cast <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    `  ${'cast help [command]'.padEnd(width)}  Show this help, or the details of one command`,
    '',
    'Configuration comes from the environment, as for the server (DATABASE_URL, CAST_DATA_DIR, …).',
    'Exit codes: 0 done, 1 failed, 2 wrong command, options or configuration.',
  ].join('\n');
}

function describe(command: Command): string {
  return [`Usage: ${command.usage}`, '', command.summary + '.', '', command.details].join('\n');
}

/** Finds the command for the words typed; a group name alone ("user") matches all its commands. */
function lookup(words: string[]): { command?: Command; group: Command[] } {
  for (const length of [2, 1]) {
    const name = words.slice(0, length).join(' ');
    const command = COMMANDS.find((c) => c.name === name);
    if (command) return { command, group: [command] };
  }
  return { group: COMMANDS.filter((c) => c.name.split(' ')[0] === words[0]) };
}

function help(words: string[]): number {
  if (words.length === 0) {
    console.log(overview());
    return 0;
  }
  const { command, group } = lookup(words);
  if (command) console.log(describe(command));
  else if (group.length > 0) console.log(group.map(describe).join('\n\n'));
  else throw new UsageError(`no command called "${words.join(' ')}"`);
  return 0;
}

async function run(argv: string[]): Promise<number> {
  const [first] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') return help(argv.slice(1));
  const { command, group } = lookup(argv);
  if (!command) {
    if (group.length > 0) {
      const sub = argv[1] ?? '';
      throw new UsageError(sub === '' || sub.startsWith('-') ? `"${first}" needs a subcommand` : `unknown subcommand "${first} ${sub}"`, first);
    }
    throw new UsageError(`unknown command "${first}"`);
  }
  const args = argv.slice(command.name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(describe(command));
    return 0;
  }
  return (await command.load()).run(args);
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`cast: ${error.message}`);
      console.error(`Run "cast help${error.command ? ` ${error.command}` : ''}" for usage.`);
      return 2;
    }
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof CommandFailure) {
      console.error(`cast: ${error.message}`);
      return 1;
    }
    // Outages (database unreachable, disk full) are expected too: the message says enough, and a
    // stack trace would bury it. CAST_DEBUG=1 shows the trace when it is a bug after all.
    console.error(`cast: ${(error as Error).message ?? String(error)}`);
    if (process.env.CAST_DEBUG) console.error((error as Error).stack);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
// Closed databases leave nothing behind, but a stray timer in a dependency must not hold the shell.
process.exit();
