// A bureau file (housing units, a bank's rent payments) sent to POST /imports/{kind} as a person would
// pick it: the upload's progress, then the hub's answer with every refused row by line, field and reason.
// Shared by the districts and rent screens.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Field, TableHead, Working } from './ui';
import { useSession } from '../session';
import { lineOf, mediaTypeOf, readImportAnswer, suggestedBatchKey, type ImportAnswer, type ImportProblem } from './imports';

export type { ImportAnswer } from './imports';

type Progress = { phase: 'upload'; sent: number; total: number } | { phase: 'processing' };

/** sends the file with XMLHttpRequest, which (unlike fetch) reports the upload's progress */
function send(url: string, token: string, file: File, onProgress: (p: Progress) => void): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('content-type', mediaTypeOf(file.name));
    xhr.upload.onprogress = (e) => onProgress({ phase: 'upload', sent: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => onProgress({ phase: 'processing' });
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
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
  const [problem, setProblem] = useState<ImportProblem | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file || !session) return;
    setAnswer(null);
    setProblem(null);
    setProgress({ phase: 'upload', sent: 0, total: file.size });
    try {
      const query = new URLSearchParams({ batchKey, mode });
      const { status, text } = await send(`/imports/${kind}?${query}`, session.token, file, setProgress);
      const read = readImportAnswer(status, text);
      if ('answer' in read) {
        setAnswer(read.answer);
        onImported?.(read.answer);
      } else {
        setProblem(read.problem);
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
            if (picked) setBatchKey(suggestedBatchKey(picked.name, new Date()));
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
      {answer && <ImportOutcome answer={answer} fileName={file?.name ?? ''} />}
    </form>
  );
}

/** the hub's answer, each refused record by its line in the file */
export function ImportOutcome({ answer, fileName }: { answer: ImportAnswer; fileName: string }) {
  const { t } = useTranslation();
  const tone = answer.status === 'ACCEPTED' ? 'ok' : answer.status === 'PARTIAL' ? 'warn' : 'bad';
  return (
    <div className="import-result" role="status" aria-label={t('fileimport.result')}>
      <p>
        <Badge tone={tone}>{t(`fileimport.status.${answer.status}`)}</Badge>{' '}
        {answer.replayed
          ? t('fileimport.replayed', { key: answer.batchKey })
          : t('fileimport.counts', { count: answer.received, accepted: answer.accepted, rejected: answer.rejected })}
      </p>
      {answer.errors.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label={t('fileimport.rejections')}>
            <TableHead columns={[t('fileimport.line'), t('fileimport.field'), t('fileimport.reason')]} />
            <tbody>
              {answer.errors.map((e) => (
                <tr key={`${e.index}-${e.field}`}>
                  <td className="num">{t('fileimport.lineOf', { line: lineOf(e.index, fileName), record: e.index + 1 })}</td>
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
