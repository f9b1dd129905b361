/** Route guards: who may reach a page or an API operation at all. Finer checks happen in services. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserActor } from '../auth/actor.ts';
import { HttpError } from './http-error.ts';
import { redirect } from './render.tsx';

/**
 * For pages: the signed-in person, or undefined after sending them where they must go first
 * (sign-in, the code step, or two-factor enrolment).
 */
export function pageUser(req: FastifyRequest, reply: FastifyReply, options: { allowEnrolment?: boolean } = {}): UserActor | undefined {
  const actor = req.actor;
  if (actor.kind === 'user' && (actor.stage === 'full' || (actor.stage === 'enrol' && options.allowEnrolment))) return actor;
  if (actor.kind === 'user' && actor.stage === 'enrol') {
    void redirect(reply, '/account/two-factor');
  } else if (actor.kind === 'user' && actor.stage === 'totp') {
    void redirect(reply, `/signin/code?next=${encodeURIComponent(req.url)}`);
  } else {
    void redirect(reply, `/signin?next=${encodeURIComponent(req.url)}`);
  }
  return undefined;
}

/** For the API: the signed-in person or token holder, or a 401. */
export function apiUser(req: FastifyRequest): UserActor {
  const actor = req.actor;
  if (actor.kind === 'user' && actor.stage === 'full') return actor;
  throw new HttpError(401, 'unauthorised', 'errors.signInRequired', { 'www-authenticate': 'Bearer' });
}
