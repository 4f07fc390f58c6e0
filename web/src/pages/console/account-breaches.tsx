import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { Field } from '../../components/ui';
import { api } from '../../firebase';
import { formatDateTime } from '../../time';
import type { SectionProps } from './account';
import { ActionPanel, useOutcome } from './action-panel';

type Breach = SectionProps['account']['breaches'][number];

/** Open breaches with their cure periods, recording one and marking one cured (clause 3.1(b)(i)). */
export function BreachSection(props: SectionProps): JSX.Element {
  const outcome = useOutcome();
  const child = { ...props, onResult: outcome.show };
  const { t, i18n } = useTranslation('staff');
  const { breaches } = props.account;
  return (
    <section aria-labelledby="breaches">
      <h2 id="breaches">{t('breaches.heading')}</h2>
      {outcome.element}
      {breaches.length === 0 && <p>{t('breaches.none')}</p>}
      {breaches.length > 0 && (
        <ul class="console-list" aria-label={t('breaches.open')}>
          {breaches.map((b) => (
            <li key={b.breachId}>
              <p class="console-text">{b.description}</p>
              <p class="hint">
                {t('breaches.notifiedAt')}：{formatDateTime(b.notifiedAt, i18n.language)} · {t('breaches.cureBy')}：{formatDateTime(b.cureBy, i18n.language)}
              </p>
              <Resolve {...child} breach={b} />
            </li>
          ))}
        </ul>
      )}
      {props.account.status !== 'terminated' && <RecordBreach {...child} />}
    </section>
  );
}

function Resolve({ account, canAct, reload, onResult, breach }: SectionProps & { breach: Breach }): JSX.Element {
  const { t } = useTranslation('staff');
  const [note, setNote] = useState('');
  return (
    <ActionPanel legend={t('breaches.resolve')} confirm={t('breaches.resolveConfirm')} disabled={!canAct} ready={note.trim() !== ''} onDone={reload} onResult={onResult}
      run={async () => {
        await api.call('adminResolveBreach', { uid: account.uid, breachId: breach.breachId, note });
        return t('breaches.resolved');
      }}>
      <Field label={t('breaches.resolveNote')}>{(id) => <textarea id={id} required maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />}</Field>
    </ActionPanel>
  );
}

function RecordBreach({ account, canAct, reload, onResult }: SectionProps): JSX.Element {
  const { t, i18n } = useTranslation('staff');
  const [description, setDescription] = useState('');
  const [days, setDays] = useState('');
  return (
    <ActionPanel legend={t('breaches.record')} confirm={t('breaches.recordConfirm')} danger disabled={!canAct} ready={description.trim() !== ''} onDone={reload} onResult={onResult}
      run={async () => {
        const recorded = await api.call('adminRecordBreach', { uid: account.uid, description, cureDays: days ? Number(days) : null });
        setDescription('');
        return t('breaches.recorded', { date: formatDateTime(recorded.cureBy, i18n.language) });
      }}>
      <Field label={t('breaches.description')}>{(id) => <textarea id={id} required maxLength={2000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />}</Field>
      <Field label={t('breaches.cureDays')} hint={t('breaches.cureHint')}>
        {(id, d) => <input id={id} type="number" inputMode="numeric" min={1} max={365} step={1} aria-describedby={d} value={days} onInput={(e) => setDays(e.currentTarget.value)} />}
      </Field>
    </ActionPanel>
  );
}
