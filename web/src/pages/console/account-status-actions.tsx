import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui';
import { api } from '../../firebase';
import { addDays, taipeiDate } from '../../time';
import type { SectionProps } from './account';
import { ActionPanel, useOutcome } from './action-panel';
import { taipeiToday } from './dates';

const KINDS = ['cause', 'legal', 'partner', 'convenience'] as const;
type Kind = (typeof KINDS)[number];

/** Suspend / reinstate (clause 3.1(b)(ii)), terminate (clause 3.1(a)/(b)) and the contract end (clause 3.1(c)). */
export function StatusActions(props: SectionProps): JSX.Element {
  const outcome = useOutcome();
  const child = { ...props, onResult: outcome.show };
  const { t } = useTranslation('staff');
  const { status } = props.account;
  return (
    <section aria-labelledby="status-actions">
      <h2 id="status-actions">{t('status.heading')}</h2>
      {outcome.element}
      {(status === 'active' || status === 'terminating') && <Suspend {...child} />}
      {(status === 'suspended' || status === 'terminating') && <Reinstate {...child} />}
      {status !== 'terminated' && <Terminate {...child} />}
      {status !== 'terminated' && <Contract {...child} />}
    </section>
  );
}

function Suspend({ account, canAct, reload, onResult }: SectionProps): JSX.Element {
  const { t } = useTranslation('staff');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  return (
    <ActionPanel legend={t('status.suspend')} confirm={t('status.suspendConfirm')} danger disabled={!canAct} ready={reason.trim() !== '' && note.trim() !== ''} onDone={reload} onResult={onResult}
      run={async () => {
        await api.call('adminSuspendAccount', { uid: account.uid, reason, note });
        return t('status.suspended');
      }}>
      <Field label={t('status.suspendReason')}>{(id) => <input id={id} required maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
      <Field label={t('status.suspendNote')}>{(id) => <textarea id={id} required maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}</Field>
    </ActionPanel>
  );
}

function Reinstate({ account, canAct, reload, onResult }: SectionProps): JSX.Element {
  const { t } = useTranslation('staff');
  const suspended = account.status === 'suspended';
  const [note, setNote] = useState('');
  // A terminating account that is not suspended can only have its termination withdrawn.
  const [withdraw, setWithdraw] = useState(!suspended);
  return (
    <ActionPanel legend={suspended ? t('status.reinstate') : t('status.withdraw')} confirm={suspended ? t('status.reinstateConfirm') : t('status.withdrawConfirm')} disabled={!canAct} ready={note.trim() !== ''} onDone={reload} onResult={onResult}
      run={async () => {
        await api.call('adminReinstateAccount', { uid: account.uid, note, withdrawTermination: withdraw || !suspended });
        return suspended ? t('status.reinstated') : t('status.withdrawn');
      }}>
      <Field label={t('status.reinstateNote')}>{(id) => <textarea id={id} required maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}</Field>
      {suspended && account.termination && (
        <label class="console-check"><input type="checkbox" checked={withdraw} onChange={(e) => setWithdraw(e.currentTarget.checked)} /> {t('status.withdrawTermination')}</label>
      )}
    </ActionPanel>
  );
}

function Terminate({ account, canAct, reload, onResult }: SectionProps): JSX.Element {
  const { t } = useTranslation('staff');
  const [kind, setKind] = useState<Kind>('cause');
  const [reason, setReason] = useState('');
  const [date, setDate] = useState('');
  const [immediate, setImmediate] = useState(false);
  const now = immediate && kind !== 'convenience';
  return (
    <ActionPanel legend={t('status.terminate')} confirm={t('status.terminateConfirm')} danger disabled={!canAct} ready={reason.trim() !== '' && (now || date !== '')} onDone={reload} onResult={onResult}
      run={async () => {
        await api.call('adminTerminateAccount', { uid: account.uid, kind, reason, ...(now ? { immediate: true } : { effectiveAt: date }) });
        return t('status.terminated');
      }}>
      <Field label={t('status.kind')}>
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            {KINDS.map((k) => <option key={k} value={k}>{t(`account.kinds.${k}`)}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('status.reason')}>{(id) => <input id={id} required maxLength={500} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />}</Field>
      <Field label={t('status.effectiveDate')} hint={t('status.effectiveHint')}>
        {(id, describedBy) => <input id={id} type="date" aria-describedby={describedBy} disabled={now} min={addDays(taipeiToday(), 1)} value={date} onInput={(e) => setDate(e.currentTarget.value)} />}
      </Field>
      {kind !== 'convenience' && (
        <label class="console-check"><input type="checkbox" checked={immediate} onChange={(e) => setImmediate(e.currentTarget.checked)} /> {t('status.immediate')}</label>
      )}
    </ActionPanel>
  );
}

function Contract({ account, canAct, reload, onResult }: SectionProps): JSX.Element {
  const { t } = useTranslation('staff');
  const [date, setDate] = useState(account.contract.endsAt ? taipeiDate(new Date(account.contract.endsAt)) : '');
  return (
    <ActionPanel legend={t('status.contract')} confirm={t('status.contractConfirm')} disabled={!canAct} ready onDone={reload} onResult={onResult}
      run={async () => {
        await api.call('adminSetContract', { uid: account.uid, endsAt: date || null });
        return t('status.contractSet');
      }}>
      <Field label={t('status.contractDate')} hint={t('common.taipeiDate')}>
        {(id, describedBy) => <input id={id} type="date" aria-describedby={describedBy} min={addDays(taipeiToday(), 1)} value={date} onInput={(e) => setDate(e.currentTarget.value)} />}
      </Field>
    </ActionPanel>
  );
}
