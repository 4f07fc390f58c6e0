import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ConfirmButton, ErrorMessage, Status, useAction } from '../../components/ui';

/** The outcome of a section's actions, shown under its heading, where it outlasts the panels. */
export function useOutcome(): { show: (message: string | null) => void; element: JSX.Element | null } {
  const [message, setMessage] = useState<string | null>(null);
  return { show: setMessage, element: message ? <Status>{message}</Status> : null };
}

/** One staff action: its fields, a confirmation, then its result or refusal. */
export interface ActionPanelProps {
  /** The group's name, also the button's and the dialog's title. */
  readonly legend: string;
  /** What the dialog asks: the consequence, in words. */
  readonly confirm: string;
  readonly danger?: boolean;
  /** The viewer may not take this action (the function would refuse it): shown, but disabled. */
  readonly disabled?: boolean;
  /** False while a required field is empty. */
  readonly ready: boolean;
  /** Runs the action; answers what was done, in a sentence shown after it. */
  readonly run: () => Promise<string>;
  /** After a success: reload the view. */
  readonly onDone?: () => Promise<void> | void;
  /**
   * Where the outcome is shown when the reload may remove this panel (suspending hides "suspend"):
   * called with null as the action starts, then with what was done. Without it the panel shows it.
   */
  readonly onResult?: (message: string | null) => void;
  /** Shown unfolded at first (the page's main action); otherwise folded under its name. */
  readonly open?: boolean;
  readonly children?: ComponentChildren;
}

/**
 * One action folded under its name (a page of them stays short), its fields in a fieldset, a
 * ConfirmButton, and the outcome (Status or ErrorMessage) under it.
 */
export function ActionPanel(props: ActionPanelProps): JSX.Element {
  const [done, setDone] = useState<string | null>(null);
  const action = useAction(props.run);
  const confirmed = async (): Promise<void> => {
    setDone(null);
    props.onResult?.(null);
    const what = await action.run();
    if (what === undefined) return;
    // The outcome appears with the reloaded view, so what it says and what is shown agree.
    await props.onDone?.();
    if (props.onResult) props.onResult(what);
    else setDone(what);
  };
  return (
    <details class="console-action" open={props.open}>
      <summary>{props.legend}</summary>
      <fieldset disabled={props.disabled}>
        <legend class="visually-hidden">{props.legend}</legend>
        {props.children}
        <ConfirmButton
          label={props.legend}
          title={props.legend}
          body={<p>{props.confirm}</p>}
          confirmLabel={props.legend}
          danger={props.danger}
          disabled={!props.ready || action.busy}
          onConfirm={() => void confirmed()}
        />
        <ErrorMessage error={action.error} />
        {done && <Status>{done}</Status>}
      </fieldset>
    </details>
  );
}
