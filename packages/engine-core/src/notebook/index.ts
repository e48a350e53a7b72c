// Notebook helpers: rich display (HTML tables, run reports, snapshot history, SVG charts) for the
// tslab kernel, and the optional danfojs adapter.
export { display, inNotebook, mimeBundleOf, rowsHtml } from "./display.js";
export { MIME_BUNDLE, hasMimeBundle, type MimeBundle, type HasMimeBundle } from "./mime-bundle.js";
export { arrowTableHtml, DEFAULT_MAX_ROWS, type TableHtmlOptions } from "./table-html.js";
export { loadReportHtml, loadReportText, isLoadReport, validationOutcome, type LoadReportLike, type ValidationOutcomeLike } from "./load-report-html.js";
export { historyHtml, historyText, isHistory, type SnapshotLike } from "./history-html.js";
export { barChart, lineChart, Chart, type ChartOptions, type ChartData } from "./chart.js";
export { toDanfo, type DanfoDataFrame, type ToDanfoOptions } from "./danfo.js";
export { escapeHtml } from "./html.js";
export { columnTypeName, formatValue } from "./cell-format.js";
