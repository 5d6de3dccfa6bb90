import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportBatch, ImportField, ImportIssue, ImportReportRow } from '../../api/types.ts';
import { formatNumber } from '../../format.ts';
import { useMediaQuery } from '../../hooks.ts';
import { PREVIEW_ROWS } from './shared.ts';
import { addStrings } from '../../i18n/add.ts';
import * as strings from '../../i18n/parts/importExport.ts';

addStrings(strings);

/** Rows shown at first and added per "show more": the commit choice stays within reach on a phone. */
const STEP = 10;

type Filter = 'all' | 'errors' | 'warnings' | 'duplicates';

const matches = (r: ImportReportRow, f: Filter) =>
  f === 'all' ? true : f === 'errors' ? r.errors.length > 0 : f === 'warnings' ? r.errors.length === 0 : !!r.duplicateOf;

/**
 * The rows with problems, each with its line in the file so it can be found in the spreadsheet:
 * a table on wide screens, cards on phones. Errors and warnings differ in words and symbol, not
 * only in colour.
 */
export function ReportPanel({ batch, fields }: { batch: ImportBatch; fields: ImportField[] }) {
  const { t } = useTranslation();
  const wide = useMediaQuery('(min-width: 48rem)');
  const [filter, setFilter] = useState<Filter>('all');
  const [shown, setShown] = useState(STEP);
  const id = useId();
  const report = batch.report ?? [];
  const labelOf = new Map(fields.map((f) => [f.key, f.label]));
  const matching = report.filter((r) => matches(r, filter));
  const rows = matching.slice(0, shown);
  const reportUrl = `/api/registry/imports/${batch.id}/report.csv`;
  const counts: Record<Filter, number> = {
    all: report.length,
    errors: report.filter((r) => matches(r, 'errors')).length,
    warnings: report.filter((r) => matches(r, 'warnings')).length,
    duplicates: report.filter((r) => matches(r, 'duplicates')).length,
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('importer.reportTitle')}</h2>
      {report.length === 0 ? (
        <p>{t('importer.reportClean')}</p>
      ) : (
        <>
          <p className="muted">
            {report.length >= PREVIEW_ROWS
              ? t('importer.reportFirst', { count: report.length })
              : t('importer.reportAll', { count: report.length, n: formatNumber(report.length) })}
          </p>
          <div className="field report-filter">
            <label htmlFor={`${id}-filter`}>{t('importer.reportFilter')}</label>
            <select
              id={`${id}-filter`}
              value={filter}
              onChange={(e) => {
                setFilter(e.target.value as Filter);
                setShown(STEP);
              }}
            >
              {(['all', 'errors', 'warnings', 'duplicates'] as const).map((f) => (
                <option key={f} value={f}>
                  {t(`importer.filters.${f}`)} ({formatNumber(counts[f])})
                </option>
              ))}
            </select>
          </div>
          {wide ? (
            <div className="table-wrap">
              <table className="data-table report-table">
                <caption className="sr-only">{t('importer.reportTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('importer.colRow')}</th>
                    <th scope="col">{t('importer.colLine')}</th>
                    <th scope="col">{t('importer.colStatus')}</th>
                    <th scope="col">{t('importer.colProblems')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.row} className={r.errors.length ? 'row-invalid' : 'row-warning'}>
                      <td>{formatNumber(r.row)}</td>
                      <td>{formatNumber(r.line)}</td>
                      <td>
                        <RowVerdict r={r} />
                      </td>
                      <td>
                        <Issues r={r} labelOf={labelOf} batch={batch} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <ul className="report-cards">
              {rows.map((r) => (
                <li key={r.row} className={`report-card ${r.errors.length ? 'row-invalid' : 'row-warning'}`}>
                  <p className="report-card-head">
                    <span className="report-card-title">{t('importer.rowTitle', { row: formatNumber(r.row), line: formatNumber(r.line) })}</span>
                    <RowVerdict r={r} />
                  </p>
                  <Issues r={r} labelOf={labelOf} batch={batch} />
                </li>
              ))}
            </ul>
          )}
          {matching.length > rows.length && (
            <div className="actions">
              <button type="button" className="btn" onClick={() => setShown((n) => n + STEP)}>
                {t('importer.showMore', { count: Math.min(STEP, matching.length - rows.length), shown: formatNumber(rows.length), total: formatNumber(matching.length) })}
              </button>
            </div>
          )}
        </>
      )}
      <p className="report-download">
        <a href={reportUrl} download>
          {t('importer.reportCsv')}
        </a>
        <span className="hint"> {t('importer.reportCsvHint')}</span>
      </p>
    </section>
  );
}

function RowVerdict({ r }: { r: ImportReportRow }) {
  const { t } = useTranslation();
  return r.errors.length ? (
    <span className="verdict verdict-error">
      <span aria-hidden="true">✕ </span>
      {t('importer.verdictInvalid')}
    </span>
  ) : (
    <span className="verdict verdict-warning">
      <span aria-hidden="true">! </span>
      {t('importer.verdictWarning')}
    </span>
  );
}

function Issues({ r, labelOf, batch }: { r: ImportReportRow; labelOf: Map<string, string>; batch: ImportBatch }) {
  const { t } = useTranslation();
  const item = (kind: 'error' | 'warning', i: ImportIssue, n: number) => (
    <li key={`${kind}-${n}`} className={`issue issue-${kind}`}>
      <span className="issue-kind">{t(kind === 'error' ? 'importer.issueError' : 'importer.issueWarning')}:</span>{' '}
      <strong>{labelOf.get(i.field) ?? i.field}</strong> — {i.message}
      {i.code === 'required' && labelOf.has(i.field) && !batch.mapping?.[i.field] && <span className="hint"> {t('importer.noColumnHint')}</span>}
    </li>
  );
  const dup = r.duplicateOf;
  return (
    <>
      <ul className="issues">
        {r.errors.map((i, n) => item('error', i, n))}
        {r.warnings.map((i, n) => item('warning', i, n))}
      </ul>
      {dup && (
        <p className="duplicate-of">
          {dup.row !== undefined ? (
            t('importer.duplicateOfRow', { row: formatNumber(dup.row) })
          ) : dup.memberId !== undefined ? (
            <>
              {t('importer.duplicateOfMember')}{' '}
              <Link to={`/anggota/${dup.memberId}`}>#{dup.memberId}</Link>
            </>
          ) : dup.communityId !== undefined ? (
            `${t('importer.duplicateOfCommunity')} #${dup.communityId}`
          ) : null}
          {batch.kind === 'members' && dup.kind === 'nik' && <span className="hint"> {t('importer.nikDuplicateNote')}</span>}
        </p>
      )}
    </>
  );
}
