import type { ComponentChildren, JSX } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { toApiError, type ApiError } from '../api/client';
import { reasonKeys } from '../i18n/reasons';

/** A labelled form control: the label is tied to the control, hints and errors are announced with it. */
export function Field(props: { label: string; hint?: string; error?: string | null; children: (id: string, describedBy: string | undefined) => ComponentChildren }): JSX.Element {
  const id = useId();
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.hint && <p class="hint" id={hintId}>{props.hint}</p>}
      {props.error && <p class="error" id={errorId} role="alert">{props.error}</p>}
    </div>
  );
}

/** A refusal in the reader's language: what happened and what to do (the `reasons` namespace). */
export function ErrorMessage({ error }: { error: ApiError | null }): JSX.Element | null {
  const { t } = useTranslation('reasons');
  if (!error) return null;
  const text = t(reasonKeys(error.reason, error.details), { defaultValue: '', ...error.details });
  return (
    <div class="notice notice-error" role="alert">
      <p>{text || t('FALLBACK', { reason: error.reason })}</p>
    </div>
  );
}

/** A success or information line that screen readers announce. */
export function Status({ children }: { children: ComponentChildren }): JSX.Element {
  return <div class="notice notice-ok" role="status">{children}</div>;
}

/** Runs an action with a busy flag and its error as an ApiError. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>): {
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  error: ApiError | null;
  clearError: () => void;
} {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  return {
    busy,
    error,
    clearError: () => setError(null),
    run: async (...args: A) => {
      setBusy(true);
      setError(null);
      try {
        return await action(...args);
      } catch (e) {
        setError(toApiError(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
  };
}

/**
 * A button that asks before a destructive action (a native modal <dialog>: focus stays inside,
 * Esc cancels) and only then runs it.
 */
export function ConfirmButton(props: { label: string; title: string; body: ComponentChildren; confirmLabel: string; danger?: boolean; disabled?: boolean; onConfirm: () => void }): JSX.Element {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" class={props.danger ? 'danger' : undefined} disabled={props.disabled} onClick={() => dialog.current?.showModal()}>{props.label}</button>
      <dialog ref={dialog} aria-labelledby={titleId}>
        <h2 id={titleId}>{props.title}</h2>
        <div>{props.body}</div>
        <div class="actions">
          <button type="button" onClick={() => dialog.current?.close()}>{t('cancel')}</button>
          <button type="button" class={props.danger ? 'danger' : 'primary'} onClick={() => { dialog.current?.close(); props.onConfirm(); }}>{props.confirmLabel}</button>
        </div>
      </dialog>
    </>
  );
}

/** "Load more" for paged lists (`nextPageToken`). */
export function MoreButton({ token, busy, onMore }: { token: string | null | undefined; busy: boolean; onMore: (token: string) => void }): JSX.Element | null {
  const { t } = useTranslation();
  if (!token) return null;
  return <button type="button" disabled={busy} onClick={() => onMore(token)}>{t('more')}</button>;
}
