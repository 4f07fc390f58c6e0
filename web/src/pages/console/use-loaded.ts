import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../../api/client';
import { useAction } from '../../components/ui';

/** What a console page has loaded, with a way to load it again after an action. */
export interface Loaded<R> {
  readonly data: R | null;
  readonly busy: boolean;
  readonly error: ApiError | null;
  readonly reload: () => Promise<void>;
}

/**
 * Loads `load()` when the page opens and whenever `key` changes. A reload keeps the last answer on
 * screen until the new one arrives, so an action's result stays visible while the view refreshes.
 */
export function useLoaded<R>(load: () => Promise<R>, key: string): Loaded<R> {
  const [data, setData] = useState<R | null>(null);
  const action = useAction(load);
  const reload = async (): Promise<void> => {
    const result = await action.run();
    if (result !== undefined) setData(result);
  };
  useEffect(() => {
    setData(null);
    void reload();
  }, [key]);
  return { data, busy: action.busy, error: action.error, reload };
}
