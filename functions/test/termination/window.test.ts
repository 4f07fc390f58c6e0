import type { AccountView } from '../../src/accounts/view';
import { addDays, taipeiDate } from '../../src/shared/taipei';
import { useLocalFunctions } from '../support/local';
import { callError, customer } from './helpers';

const local = useLocalFunctions();

const getAccount = () => local.client.call<AccountView>('getAccount');
const request = (data?: unknown) => local.client.call<AccountView>('requestTermination', data);

/** The Taipei day now and a minute ago, so a midnight passing mid-test does not fail it. */
function todays(): string[] {
  return [taipeiDate(new Date(Date.now() - 60_000)), taipeiDate(new Date())];
}

describe('getAccount terminationWindow (the date picker of clause 3.1(a))', () => {
  it('when an active owner reads their account, then the window is the days requestTermination accepts: its last day is accepted and the day before its first is refused with the same dates', async () => {
    await customer(local.client);
    const { terminationWindow: window } = await getAccount();
    expect(typeof window?.earliest).toBe('string');
    const today = todays().find((day) => addDays(day, 7) === window?.earliest);
    expect(window).toEqual({ earliest: addDays(today!, 7), latest: addDays(today!, 90), default: addDays(today!, 30) });

    const refused = await callError(() => request({ effectiveAt: addDays(window!.earliest, -1) }));
    expect(refused.details).toMatchObject({ reason: 'INVALID_ARGUMENT', earliest: window!.earliest, latest: window!.latest });

    const terminating = await request({ effectiveAt: window!.latest });
    expect(terminating.status).toBe('terminating');
    expect(taipeiDate(new Date(terminating.termination!.effectiveAt))).toBe(window!.latest);
  });

  it('when the account is already terminating, then there is no window to offer (another request would be NOT_ACTIVE)', async () => {
    await customer(local.client);
    const terminating = await request();
    expect(terminating.terminationWindow).toBeNull();
    expect((await getAccount()).terminationWindow).toBeNull();
  });
});
