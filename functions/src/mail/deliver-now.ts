import type { Deps } from '../deps';
import { deliverSoon } from './deliver-soon';

/**
 * The first delivery attempt of outbox messages a use case just committed. The one place that
 * names the outbox sender, so switching it is one line.
 * Never throws: the messages are already stored, and `deliverMail` retries whatever is left.
 */
export async function deliverNow(deps: Deps, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  try {
    await deliverSoon(deps, [...ids]);
  } catch (error) {
    deps.log.log('WARNING', 'mail.deliver_now_failed', { ids, error });
  }
}
