/**
 * The two kinds of expected failure a command can end with. main.ts turns them into a message and
 * an exit code, never a stack trace: 2 when the person typed the command wrong, 1 when the command
 * was right but could not be done (an e-mail already taken, a broken audit chain, …).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help the message points to, e.g. "user create". */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export class CommandFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailure';
  }
}
