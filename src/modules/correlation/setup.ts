/** The linker an instance runs: its keys, the warning list (built in plus CAST_LINK_WARNING_LIST) and the common cap. */
import type { AppDeps } from '../../core/app-deps.ts';
import { createLinker, DEFAULT_COMMON_CAP, type Linker, type LinkerOptions } from './linker.ts';
import { builtInWarningList, warningKeys, type WarningEntry } from './warning-list.ts';

export function linkerOptions(deps: Pick<AppDeps, 'keys'>, extra: { warningList?: readonly WarningEntry[]; commonCap?: number } = {}): LinkerOptions {
  const key = deps.keys.blindIndex;
  return { key, commonCap: extra.commonCap ?? DEFAULT_COMMON_CAP, warning: warningKeys(key, [...builtInWarningList(), ...(extra.warningList ?? [])]) };
}

export const linkerFor = (deps: Pick<AppDeps, 'keys'>, extra: { warningList?: readonly WarningEntry[]; commonCap?: number } = {}): Linker => createLinker(linkerOptions(deps, extra));
