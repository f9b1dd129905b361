/**
 * Failures the fuzzer found in modules owned by other engineers this session, reported to them and
 * not yet fixed. Each is matched by operation and kind of problem only, so any other failure on the
 * same operation still fails the test. Remove an entry when its fix lands.
 */
export type Problem = '5xx' | 'no-response' | 'leak' | 'changed-on-4xx';

export interface Failure {
  operationId: string;
  caller: 'anonymous' | 'member' | 'coordinator';
  problem: Problem;
  request: string;
  status: number;
  detail: string;
}

export interface KnownFailure {
  operationId: string;
  problem: Problem;
  /** The module, whose owner has the report. */
  owner: string;
  what: string;
}

export const KNOWN_FAILURES: readonly KnownFailure[] = [];

export function knownFailure(failure: Failure): KnownFailure | undefined {
  return KNOWN_FAILURES.find((k) => k.operationId === failure.operationId && k.problem === failure.problem);
}
