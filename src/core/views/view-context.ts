/** What every server-rendered view may need to know about the request it answers. */
import type { Actor } from '../auth/actor.ts';
import type { Language, Translate } from '../i18n.ts';

export interface ViewContext {
  t: Translate;
  lang: Language;
  actor: Actor;
  csrfToken: string;
  /** The path of the current page, for the language switcher to come back to. */
  path: string;
}
