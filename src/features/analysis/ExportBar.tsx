/** Export buttons: JSON, CSV and a printable one-page report (the print stylesheet lays it out). */
import type { ExportInput } from './report-export.ts';
import { download, exportStem, reportCsvFor, reportJson } from './report-export.ts';

export function ExportBar(props: { input: () => ExportInput }) {
  const stem = () => exportStem(props.input().name);
  return (
    <div class="toolbar export-bar" role="group" aria-label="Export">
      <button
        class="button"
        type="button"
        onClick={() => download(`${stem()}.analysis.json`, reportJson(props.input()), 'application/json')}
      >
        Export JSON
      </button>
      <button
        class="button"
        type="button"
        onClick={() => download(`${stem()}.analysis.csv`, reportCsvFor(props.input()), 'text/csv')}
      >
        Export CSV
      </button>
      <button class="button" type="button" onClick={() => window.print()}>
        Print report
      </button>
    </div>
  );
}
