/** Maps a use case's failure to the JSON API's answer: 422 with field messages, or 403/404/409/429. */
import type { Failure } from '../outcome.ts';
import { HttpError } from './http-error.ts';

const STATUS = {
  forbidden: [403, 'errors.forbidden'],
  'not-found': [404, 'errors.notFound'],
  conflict: [409, 'errors.conflict'],
  throttled: [429, 'errors.rateLimited'],
} as const;

export function throwApiFailure(failure: Failure): never {
  if (failure.reason === 'invalid') throw new HttpError(422, 'invalid', 'errors.invalidRequest', {}, failure.errors);
  const [status, key] = STATUS[failure.reason];
  throw new HttpError(status, failure.reason, failure.message ?? key);
}
