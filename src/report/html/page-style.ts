/** The stylesheet of report.html and the console: readable at 1366x768 and on a projector. */
export const PAGE_CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:1320px;margin:0 auto;padding:16px 20px 48px}
h1{font-size:28px;margin:8px 0 4px}h2{font-size:24px;margin:0}h3{font-size:18px;margin:22px 0 8px;color:#424a53}
a{color:#0969da}code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eff1f3;padding:1px 4px;border-radius:4px}
.run{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:18px 22px;margin:18px 0}
.run-head{display:flex;align-items:center;justify-content:space-between;gap:12px;flex-wrap:wrap}
.hypothesis{color:#57606a;margin:4px 0 10px;font-style:italic}
.verdict{display:flex;align-items:center;gap:14px;flex-wrap:wrap;margin:8px 0}
.badge{font-weight:700;font-size:20px;padding:4px 14px;border-radius:8px;color:#fff;background:#57606a;letter-spacing:.5px}
.v-passed .badge{background:#1a7f37}.v-failed .badge,.v-error .badge{background:#cf222e}.v-aborted .badge,.v-not-run .badge,.v-interrupted .badge{background:#9a6700}.v-running .badge{background:#0969da}
.reason{font-size:17px}
.chips{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:6px 0}
.chip{border:2px solid currentColor;border-radius:999px;padding:2px 12px;font-weight:700;background:#fff}
body.live .chip{font-size:20px}
.facts{display:flex;flex-wrap:wrap;gap:6px 22px;margin:6px 0;color:#424a53}.facts div{display:flex;gap:6px}.facts dt{font-weight:600}.facts dd{margin:0}
.problems,.remaining{background:#fff8c5;border:1px solid #d4a72c;border-radius:8px;padding:8px 14px;margin:10px 0}
.remaining{background:#ffebe9;border-color:#cf222e}
.problems ul,.remaining ul{margin:4px 0 0 18px;padding:0}
.charts .chart-card{margin:0 0 12px;background:#fff;border:1px solid #eaeef2;border-radius:8px;padding:8px 10px}
.series-grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:12px}
figcaption{font-weight:600;margin-bottom:4px}
.chart{width:100%;min-height:120px}
.muted{color:#57606a;font-weight:400}
table.grid{border-collapse:collapse;width:100%;font-size:15px}
.grid th,.grid td{border-bottom:1px solid #d8dee4;padding:6px 8px;text-align:left;vertical-align:top}
.grid th{background:#f6f8fa;font-weight:600}
.st{font-weight:700;white-space:nowrap}.st-passed,.st-held,.st-not-triggered{color:#1a7f37}.st-failed,.st-error,.st-did-not-hold,.st-triggered{color:#cf222e}.st-pending{color:#0969da}.st-not-evaluated{color:#6e7781}.st-aborted,.st-not-run{color:#9a6700}
.chg.better{color:#1a7f37;font-weight:700}.chg.worse{color:#cf222e;font-weight:700}.chg.same{color:#57606a}
ol.events{list-style:none;padding:0;margin:0;font-size:15px;columns:2;column-gap:28px}
ol.events li{break-inside:avoid;padding:1px 0}
.ev-fault-injected{color:#9a6700}.ev-abort,.ev-error,.ev-fault-revert-failed{color:#cf222e;font-weight:600}.ev-run-finished{font-weight:700}
.toc{background:#fff;border:1px solid #d0d7de;border-radius:10px;padding:10px 18px}
.toc li{margin:3px 0}
@media (max-width:900px){.series-grid{grid-template-columns:1fr}ol.events{columns:1}}
@media print{body{background:#fff}.run{break-inside:avoid-page}}
`;
