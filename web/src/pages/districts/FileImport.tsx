// A bureau file (housing units, a bank's rent payments) sent to POST /imports/{kind} as a person would
// pick it: the upload's progress, then the hub's answer with every refused row by line, field and reason.
// Shared by the districts and rent screens.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Field, Working } from '../../components/ui';
import { useSession } from '../../session';

export interface ImportRejection {
  index: number;
  field: string;
  reason: string;
}

export interface ImportAnswer {
  kind: string;
  batchKey: string;
  status: 'ACCEPTED' | 'PARTIAL' | 'REFUSED';
  replayed: boolean;
  received: number;
  accepted: number;
  rejected: number;
  errors: ImportRejection[];
}

/** how the hub's HTTP routes refuse (sendRouteError) */
interface RouteError {
  error?: { code: string; message: string; field?: string };
}

type Progress = { phase: 'upload'; sent: number; total: number } | { phase: 'processing' };

const isNdjson = (file: File) => /\.(ndjson|jsonl)$/i.test(file.name);

/** sends the file with XMLHttpRequest, which (unlike fetch) reports the upload's progress */
function send(url: string, token: string, file: File, onProgress: (p: Progress) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    const type = isNdjson(file) ? 'application/x-ndjson' : 'text/csv';
    xhr.setRequestHeader('content-type', type);
    xhr.upload.onprogress = (e) => onProgress({ phase: 'upload', sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => onProgress({ phase: 'processing' });
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: { code: 'NETWORK', message: `HTTP ${xhr.status}` } };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
}

/** a batch key a person need not invent: the file's name and the moment (the same file sent again under it is a replay) */
function suggestedKey(file: File): string {
  const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return `${file.name.replace(/\.[^.]+$/, '')}-${stamp}`.slice(0, 200);
}

export function FileImport({
  kind,
  title,
  columns,
  onImported,
}: {
  /** the kind in POST /imports/{kind} */
  kind: 'units' | 'rent-payments';
  title: string;
  /** the header row the CSV needs, shown as a hint */
  columns: string;
  onImported?(answer: ImportAnswer): void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [batchKey, setBatchKey] = useState('');
  const [mode, setMode] = useState<'KEEP_VALID' | 'ALL_OR_NOTHING'>('KEEP_VALID');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [answer, setAnswer] = useState<ImportAnswer | null>(null);
  const [problem, setProblem] = useState<{ message: string; field?: string | undefined } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file || !session) return;
    setAnswer(null);
    setProblem(null);
    setProgress({ phase: 'upload', sent: 0, total: file.size });
    try {
      const query = new URLSearchParams({ batchKey, mode });
      const { body } = await send(`/imports/${kind}?${query}`, session.token, file, setProgress);
      const result = body as ImportAnswer & RouteError;
      if (result.status && typeof result.received === 'number') {
        setAnswer(result);
        onImported?.(result);
      } else {
        setProblem({ message: result.error?.message ?? t('fileimport.failed'), field: result.error?.field });
      }
    } catch (error) {
      setProblem({ message: (error as Error).message });
    } finally {
      setProgress(null);
    }
  }

  const keyProblem = problem?.field === 'batchKey' ? problem.message : undefined;
  return (
    <form className="form import-form" aria-label={title} onSubmit={submit}>
      <Field label={t('fileimport.file')} hint={t('fileimport.columns', { columns })}>
        <input
          ref={fileInput}
          type="file"
          accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson"
          onChange={(e) => {
            const picked = e.target.files?.[0] ?? null;
            setFile(picked);
            setAnswer(null);
            setProblem(null);
            if (picked) setBatchKey(suggestedKey(picked));
          }}
        />
      </Field>
      <Field label={t('fileimport.batchKey')} error={keyProblem} hint={t('fileimport.batchKeyHint')}>
        <input value={batchKey} onChange={(e) => setBatchKey(e.target.value)} required maxLength={200} />
      </Field>
      <Field label={t('fileimport.mode')}>
        <select value={mode} onChange={(e) => setMode(e.target.value as typeof mode)}>
          <option value="KEEP_VALID">{t('fileimport.KEEP_VALID')}</option>
          <option value="ALL_OR_NOTHING">{t('fileimport.ALL_OR_NOTHING')}</option>
        </select>
      </Field>
      <button type="submit" disabled={!file || !batchKey || !!progress}>
        {t('fileimport.send')}
      </button>
      {progress && (
        <div className="import-progress">
          {progress.phase === 'upload' ? (
            <div className="working" role="status" aria-live="polite">
              <progress max={progress.total || 1} value={progress.sent} />
              <span>{t('fileimport.uploading', { percent: Math.round((100 * progress.sent) / (progress.total || 1)) })}</span>
            </div>
          ) : (
            <Working label={t('fileimport.processing')} />
          )}
        </div>
      )}
      {problem && !keyProblem && (
        <div className="api-error import-result" role="alert">
          <p>{t('common.error', { message: problem.message })}</p>
        </div>
      )}
      {answer && <ImportOutcome answer={answer} headerRow={!!file && !isNdjson(file)} />}
    </form>
  );
}

/** the hub's answer; `headerRow`: a CSV, whose record 0 is on line 2 */
export function ImportOutcome({ answer, headerRow }: { answer: ImportAnswer; headerRow: boolean }) {
  const { t } = useTranslation();
  const tone = answer.status === 'ACCEPTED' ? 'ok' : answer.status === 'PARTIAL' ? 'warn' : 'bad';
  return (
    <div className="import-result" role="status" aria-label={t('fileimport.result')}>
      <p>
        <Badge tone={tone}>{t(`fileimport.status.${answer.status}`)}</Badge>{' '}
        {answer.replayed
          ? t('fileimport.replayed', { key: answer.batchKey })
          : t('fileimport.counts', { received: answer.received, accepted: answer.accepted, rejected: answer.rejected })}
      </p>
      {answer.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label={t('fileimport.rejections')}>
            <thead>
              <tr>
                <th scope="col">{t('fileimport.line')}</th>
                <th scope="col">{t('fileimport.field')}</th>
                <th scope="col">{t('fileimport.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {answer.errors.map((e) => (
                <tr key={`${e.index}-${e.field}`}>
                  <td className="num">{t('fileimport.lineOf', { line: e.index + (headerRow ? 2 : 1), record: e.index + 1 })}</td>
                  <td className="mono">{e.field}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
