/**
 * The declaration module's long-lived parts for one running app: the public declarations kept for a
 * few seconds, the abuse controls, the signing intake and the count reader. Built once per app.
 */
import { deriveKey } from '../../core/crypto.ts';
import { createAbuseControls, type AbuseControls } from './abuse.ts';
import { createCountReader, type CountReader } from './counts.ts';
import type { DeclarationsDeps } from './deps.ts';
import { createPublicDeclarations, type PublicDeclarations } from './service.ts';
import { createSigning, type Signing } from './signing.ts';

export interface Module {
  deps: DeclarationsDeps;
  declarations: PublicDeclarations;
  abuse: AbuseControls;
  signing: Signing;
  counts: CountReader;
}

export function createModule(deps: DeclarationsDeps): Module {
  const abuse = createAbuseControls(deps.db, deps.keys.throttle, deps.config.rateLimitScale);
  // Derived from the blind-index key, which stays the same when the instance key changes (pinned).
  const emailKey = deriveKey(deps.keys.blindIndex, 'declaration-email');
  return {
    deps,
    declarations: createPublicDeclarations(deps.db),
    abuse,
    signing: createSigning(deps, abuse, emailKey),
    counts: createCountReader(deps.db),
  };
}
