import { useEffect, useState } from 'preact/hooks';
import type { ApiError } from '../api/client';
import { useAction } from './ui';

/** One page of a list function: its items and the token of the next page (null at the end). */
export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

/** A paged list as a page shows it: every item loaded so far, and how to load more. */
export interface Pages<T> {
  readonly items: T[];
  /** True once the first page has arrived. */
  readonly loaded: boolean;
  readonly busy: boolean;
  readonly error: ApiError | null;
  /** The next page's token, for MoreButton; null when there is none. */
  readonly next: string | null;
  /** Appends the page at `pageToken`. */
  readonly more: (pageToken: string) => void;
  /** Changes loaded items in place (e.g. marked read) without reloading. */
  readonly update: (change: (items: T[]) => T[]) => void;
}

/**
 * Loads the first page when the page opens and whenever `key` (e.g. a filter) changes, then further
 * pages on request: the paging of listActivity, listMyNotices and the staff queues (`nextPageToken`).
 */
export function usePages<T>(fetchPage: (pageToken?: string) => Promise<Page<T>>, key = ''): Pages<T> {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const action = useAction(fetchPage);
  const load = (pageToken?: string): void => {
    void action.run(pageToken).then((page) => {
      if (!page) return;
      setItems((before) => (pageToken ? [...before, ...page.items] : page.items));
      setNext(page.next);
      setLoaded(true);
    });
  };
  useEffect(() => {
    setItems([]);
    setNext(null);
    setLoaded(false);
    load();
  }, [key]);
  return { items, loaded, busy: action.busy, error: action.error, next, more: load, update: setItems };
}
