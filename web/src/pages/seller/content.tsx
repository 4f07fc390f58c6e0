import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useTranslation } from 'react-i18next';
import { download, saveFile } from '../../api/download';
import { useSession } from '../../auth/session';
import { ErrorMessage, Status, useAction } from '../../components/ui';
import { DueInvoices, type DueInvoice } from './due-invoices';
import { useAccount } from './use-account';

type Phase = { at: 'idle' } | { at: 'running'; lines: number } | { at: 'saved'; lines: number; filename: string };

/**
 * `/content`: downloads all the account's content (`exportContent`, NDJSON) as one file, with the
 * documents received so far; a refusal says why, and for amounts due which invoices to pay (clause 3.2(b)).
 */
export function ContentPage(): JSX.Element {
  const { t } = useTranslation('seller');
  const { user } = useSession();
  const { account } = useAccount();
  const [phase, setPhase] = useState<Phase>({ at: 'idle' });
  const run = useAction(async () => {
    setPhase({ at: 'running', lines: 0 });
    try {
      const file = await download(user!, 'exportContent', {}, (p) => setPhase({ at: 'running', lines: p.lines }));
      saveFile(file.blob, file.filename);
      setPhase({ at: 'saved', lines: file.lines, filename: file.filename });
    } catch (error) {
      setPhase({ at: 'idle' });
      throw error;
    }
  });
  const refusedInvoices = run.error?.reason === 'AMOUNTS_DUE' ? (run.error.details.invoices as DueInvoice[] | undefined) ?? [] : [];
  const lines = phase.at === 'idle' ? 0 : phase.lines;
  return (
    <section aria-labelledby="content-title">
      <h1 id="content-title">{t('content.title')}</h1>
      <p>{t('content.explain')}</p>
      {account && !account.retrieval.allowed && (
        <p class="notice notice-error">{t(`account.retrievalRefused.${account.retrieval.reason ?? 'TERMINATED'}`)}</p>
      )}
      <button type="button" class="primary" disabled={run.busy || !user} onClick={() => void run.run()}>{t('content.download')}</button>
      <div class="field">
        <span id="content-progress-label">{t(phase.at === 'running' ? 'content.receiving' : 'content.progress', { count: lines })}</span>
        {phase.at === 'running'
          ? <progress aria-labelledby="content-progress-label" />
          : <progress aria-labelledby="content-progress-label" value={phase.at === 'saved' ? 1 : 0} max={1} />}
      </div>
      {phase.at === 'saved' && <Status>{t('content.saved', { count: phase.lines, filename: phase.filename })}</Status>}
      <ErrorMessage error={run.error} />
      <DueInvoices invoices={refusedInvoices} />
    </section>
  );
}
