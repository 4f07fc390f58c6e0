import { useEffect, useState } from 'preact/hooks';
import type { ApiError, CallableResult } from '../../api/client';
import { useAction } from '../../components/ui';
import { api } from '../../firebase';

/** The Account as `getAccount` and every account-changing function answer it. */
export type Account = CallableResult<'getAccount'>;

/** The signed-in owner's account, loaded on mount; `set` takes the Account a change answered with. */
export function useAccount(): { account: Account | null; busy: boolean; error: ApiError | null; set: (a: Account) => void; reload: () => void } {
  const [account, setAccount] = useState<Account | null>(null);
  const load = useAction(() => api.call('getAccount'));
  const reload = (): void => {
    void load.run().then((a) => a && setAccount(a));
  };
  useEffect(reload, []);
  return { account, busy: load.busy, error: load.error, set: setAccount, reload };
}
