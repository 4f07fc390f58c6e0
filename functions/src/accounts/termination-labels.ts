import type { Locale } from '../shared/locale';
import type { Termination, TerminationKind } from './model';

/** How people read a termination kind, in the mails about it. */
export const TERMINATION_KIND_LABELS: Record<Locale, Record<TerminationKind, string>> = {
  'zh-TW': {
    convenience: '任意終止',
    cause: '因違約終止',
    legal: '依法令或政府機關要求終止',
    partner: '因第三方合作夥伴變更終止',
    'contract-end': '合約期滿',
  },
  en: {
    convenience: 'termination for convenience',
    cause: 'termination for cause',
    legal: 'termination on a legal or government demand',
    partner: 'termination after a change of a third-party partner',
    'contract-end': 'end of the contract',
  },
};

/**
 * True when the customer can still call the termination off themselves: only their own
 * termination for convenience (clause 3.1(a)); the mails about it then say how.
 */
export function customerMayCancel(termination: Pick<Termination, 'kind' | 'initiatedBy'>): boolean {
  return termination.initiatedBy === 'customer' && termination.kind === 'convenience';
}
