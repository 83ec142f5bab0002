"""The page's stylesheet, inline in its <head>: a column grid of cards, a phone layout (390 px), print."""

from __future__ import annotations

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #f6f8fa; color: #1f2328; font: 15px/1.45 system-ui, -apple-system,
       "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; }
header, main, footer { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 12px; }
.lede { color: #57606a; margin: 0 0 12px; }
.release { color: #57606a; font-size: 14px; margin: 0 0 8px; }
.release time { white-space: nowrap; }
.headlines { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 4px; padding: 0;
             list-style: none; }
.headlines li { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px;
                min-width: 170px; }
.headlines b { display: block; font-size: 24px; }
.headlines span { color: #57606a; font-size: 13px; }
.headlines small { display: block; color: #57606a; font-size: 13px; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr));
        gap: 20px; }
figure.chart { margin: 0; background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
               padding: 14px 16px; min-width: 0; overflow-wrap: anywhere; }
.values { font-variant-numeric: tabular-nums; }
/* A phone (390 px): narrower margins; every card fits the width, nothing scrolls sideways. */
@media (max-width: 600px) {
  header, main, footer { padding: 0 10px; }
  figure.chart { padding: 10px; }
  .headlines li { min-width: 0; flex: 1 1 140px; }
  /* The sources table: one block per publication, its cells one under another. */
  table, tbody, tr, td { display: block; }
  thead { display: none; }
  tr { border: 1px solid #d0d7de; margin-bottom: 8px; }
  td { border: 0; }
  td::before { content: attr(data-label) ": "; color: #57606a; }
}
figure.chart h3 { font-size: 16px; margin: 0 0 8px; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 720px; }
/* Each chart is drawn twice: for a column and, narrower, for a phone, whose text stays ~11 px. */
figure.chart .narrow { display: none; }
figure.chart .narrow svg { max-width: 440px; }
@media (max-width: 600px) {
  figure.chart .wide { display: none; }
  figure.chart .narrow { display: block; }
}
figcaption { color: #57606a; font-size: 13px; margin-top: 8px; }
figcaption .coverage { color: #1f2328; }
figcaption p, figcaption details { margin: 4px 0 0; }
figcaption ul { margin: 2px 0 0; padding-left: 20px; }
summary { cursor: pointer; }
.precision { color: #7d4e00; }
.approx-badge, .exact-badge { display: inline-block; border-radius: 4px; padding: 0 5px;
                              margin-right: 4px; font-weight: 600; }
.approx-badge { background: #fff8c5; border: 1px solid #d4a72c; color: #7d4e00; }
.exact-badge { background: #dafbe1; border: 1px solid #4ac26b; color: #116329; }
code { font-size: 12px; overflow-wrap: break-word; }
/* Findings and source pages hold long unbroken words (URLs, `kerncijfers_count=2490,`). */
section li, section p { overflow-wrap: anywhere; }
table { border-collapse: collapse; background: #fff; font-size: 13px; max-width: 100%; }
/* A cell breaks a word only if it is wider than the whole line ("anywhere" let the browser narrow a
   column to a letter's width: "severi|ty"); a check's name may break after an underscore (<wbr>). */
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; overflow-wrap: break-word; }
footer { color: #57606a; font-size: 13px; padding-bottom: 32px; }
/* report.html#<chart id> shows that chart alone: a link to one chart, or a frame to embed it. */
body:has(.chart:target) .page-part, body:has(.chart:target) .chart:not(:target) { display: none; }
body:has(.chart:target) .grid { display: block; }
body:has(.chart:target) figure.chart { max-width: 720px; }
@media print {
  body { background: #fff; }
  /* A grid's items do not break across pages well: one chart after another, none split. */
  .grid { display: block; }
  figure.chart { break-inside: avoid; margin-bottom: 16px; }
  figure.chart svg { max-width: 520px; }
  /* The folded lists of sources print open: paper cannot unfold them. */
  details::details-content { content-visibility: visible; display: block; height: auto; }
}
"""
