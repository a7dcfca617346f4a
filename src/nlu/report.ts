/**
 * The eval report as one self-contained HTML page: no scripts, no external files; the confusion matrix is a
 * table coloured as a heat map and the threshold sweep an inline SVG chart.
 */
import type { EscalationFigures, Share } from '../core/escalationFigures.js';
import type { ClassificationFigures, DecisionFigures, OutcomeFigures, RealQuestionFigures, SweepPoint } from './evaluate.js';

/** One labelled question set (--questions FILE), scored through the model alone and through the whole bot. */
export interface LabelledSetReport {
  file: string;
  /** The model's decision alone, row by row. */
  model: RealQuestionFigures;
  /** The same rows through the whole bot (triage, danger topics, history, dermatologist rule), as a patient meets it. */
  throughBot: OutcomeFigures;
  /** Escalation against the policy, through the whole bot, with every miss. */
  escalation: EscalationFigures;
}

export interface EvalReport {
  generatedAt: string;
  trainingHash: string;
  config: unknown;
  crossValidation: { k: number; classification: ClassificationFigures; decision: DecisionFigures; sweep: SweepPoint[] };
  heldOut: { classification: ClassificationFigures; decision: DecisionFigures; sweep: SweepPoint[] } | null;
  labelledSets: LabelledSetReport[];
  /** Default sets that were not there (../shared is absent on a clinic's machine), one sentence each. */
  labelledSetsSkipped: string[];
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function heatMap(c: ClassificationFigures): string {
  const max = Math.max(1, ...c.confusion.map((row) => Math.max(...row)));
  const head = c.labels.map((l) => `<th class="rot"><div>${esc(l)}</div></th>`).join('');
  const rows = c.labels
    .map((label, i) => {
      const support = c.confusion[i].reduce((a, b) => a + b, 0) || 1;
      const cells = c.confusion[i]
        .map((n, j) => {
          // Diagonal cells are shaded green by share of the row, errors red by count, so a glance finds mistakes.
          const share = i === j ? n / support : n / max;
          const colour = n === 0 ? '#fff' : i === j ? `rgba(46,139,87,${0.15 + 0.85 * share})` : `rgba(200,40,40,${0.2 + 0.8 * share})`;
          return `<td style="background:${colour}" title="${esc(label)} → ${esc(c.labels[j])}: ${n}">${n || ''}</td>`;
        })
        .join('');
      return `<tr><th>${esc(label)}</th>${cells}</tr>`;
    })
    .join('\n');
  return `<table class="heat"><tr><th>expected ↓ / predicted →</th>${head}</tr>\n${rows}</table>`;
}

function sweepChart(points: readonly SweepPoint[], current: number): string {
  const w = 640, h = 300, left = 50, right = 170, top = 20, bottom = 40;
  const x = (t: number): number => left + t * (w - left - right);
  const y = (v: number): number => top + (1 - v) * (h - top - bottom);
  const series: { key: keyof DecisionFigures; label: string; colour: string }[] = [
    { key: 'decisionAccuracy', label: 'right outcome', colour: '#1f77b4' },
    { key: 'answerPrecision', label: 'answers right', colour: '#2ca02c' },
    { key: 'coverage', label: 'in-scope answered', colour: '#ff7f0e' },
    { key: 'outOfScopeRecall', label: 'out-of-scope not answered', colour: '#d62728' },
  ];
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((v) => `<line x1="${left}" y1="${y(v)}" x2="${w - right}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v * 100}%</text>`)
    .join('');
  const xTicks = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map((t) => `<text x="${x(t)}" y="${h - bottom + 16}" text-anchor="middle">${t}</text>`)
    .join('');
  const lines = series
    .map((s, i) => {
      const d = points.map((p, j) => `${j ? 'L' : 'M'}${x(p.threshold).toFixed(1)},${y(p[s.key] as number).toFixed(1)}`).join(' ');
      return `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"/>` +
        `<rect x="${w - right + 12}" y="${top + i * 20}" width="12" height="3" fill="${s.colour}"/>` +
        `<text x="${w - right + 30}" y="${top + i * 20 + 5}">${esc(s.label)}</text>`;
    })
    .join('');
  const marker = `<line x1="${x(current)}" y1="${top}" x2="${x(current)}" y2="${h - bottom}" stroke="#555" stroke-dasharray="4 3"/>` +
    `<text x="${x(current) + 4}" y="${top + 10}">configured</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-size="11" font-family="sans-serif" role="img" aria-label="threshold sweep">` +
    `${grid}${xTicks}<text x="${(left + w - right) / 2}" y="${h - 6}" text-anchor="middle">answer threshold</text>${lines}${marker}</svg>`;
}

function figuresTable(rows: [string, string][]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function decisionRows(d: DecisionFigures): [string, string][] {
  return [
    ['questions', String(d.n)],
    ['right outcome (right answer, or no answer when out of scope)', pct(d.decisionAccuracy)],
    ['in-scope answered with the right intent', pct(d.answeredCorrectly)],
    ['in-scope answered at all', pct(d.coverage)],
    ['answers that were right', pct(d.answerPrecision)],
    ['in-scope offered the right intent as "did you mean"', pct(d.clarifiedWithRight)],
    ['out-of-scope not answered (recall)', pct(d.outOfScopeRecall)],
    ['out-of-scope declined outright', pct(d.outOfScopeDeclined)],
    ['unanswered that were out of scope (precision)', pct(d.outOfScopePrecision)],
  ];
}

function perIntentTable(c: ClassificationFigures): string {
  const rows = c.perIntent
    .map((p) => `<tr><td>${esc(p.intent)}</td><td>${pct(p.precision)}</td><td>${pct(p.recall)}</td><td>${pct(p.f1)}</td><td>${p.support}</td></tr>`)
    .join('');
  return `<table><tr><th>intent</th><th>precision</th><th>recall</th><th>F1</th><th>n</th></tr>${rows}</table>`;
}

function pairsList(c: ClassificationFigures): string {
  if (c.confusedPairs.length === 0) return '<p>No confusions.</p>';
  return `<ol>${c.confusedPairs.map((p) => `<li>${esc(p.expected)} → ${esc(p.predicted)}: ${p.count}</li>`).join('')}</ol>`;
}

function section(title: string, c: ClassificationFigures, d: DecisionFigures, sweep: readonly SweepPoint[], threshold: number): string {
  return `<h2>${esc(title)}</h2>
${figuresTable([['utterances', String(c.n)], ['accuracy (top intent)', pct(c.accuracy)], ['macro-F1', pct(c.macroF1)]])}
<h3>Decisions with the configured rule</h3>${decisionRows(d).length ? figuresTable(decisionRows(d)) : ''}
<h3>Threshold sweep</h3>${sweepChart(sweep, threshold)}
<h3>Most confused pairs</h3>${pairsList(c)}
<h3>Confusion matrix</h3>${heatMap(c)}
<h3>Per intent</h3>${perIntentTable(c)}`;
}

const share = (s: Share): string => (s.of === 0 ? 'n/a (no such rows)' : `${pct(s.hit / s.of)} (${s.hit} of ${s.of})`);

function labelledSection(set: LabelledSetReport): string {
  const e = set.escalation;
  const figures = figuresTable([
    ['questions', String(set.model.n)],
    ['intent: the model\'s decision accepted', `${pct(set.model.accuracy)} (${Math.round(set.model.accuracy * set.model.n)} of ${set.model.n})`],
    ['intent: through the whole bot, accepted', share(e.intent)],
    ['rows accepting only fallback not answered (through the whole bot)', set.throughBot.fallbackOnly > 0 ? `${pct(set.throughBot.fallbackRecall)} of ${set.throughBot.fallbackOnly}` : 'n/a (no such rows)'],
    ['urgent rows given urgent or emergency advice', share(e.urgent)],
    ['urgent and dermatologist rows given a dermatologist or more', share(e.dermatologist)],
    ['"none" rows escalated anyway (over-escalation)', share(e.overEscalated)],
    ['rows with a ceiling answered above it (false alarms)', share(e.falseAlarms)],
  ]);
  const why = (m: EscalationFigures['misses'][number]): string => (m.why ? `${m.why.step} ${m.why.id}${m.why.matched ? `: "${m.why.matched}"` : ''}` : '');
  const misses = e.misses.length
    ? `<table><tr><th>miss</th><th>question</th><th>expected</th><th>got</th><th>why the bot escalated</th></tr>${e.misses
        .map((m) => `<tr class="miss ${esc(m.kind)}"><td>${esc(m.kind)}</td><td>${esc(m.text)}</td><td>${esc(m.expected)}</td><td>${esc(m.got)}</td><td>${esc(why(m))}</td></tr>`)
        .join('')}</table>`
    : '<p>No misses.</p>';
  const rows = set.model.rows
    .map((x) => `<tr class="${x.right ? 'ok' : 'bad'}"><td>${esc(x.text)}</td><td>${esc(x.accept.join(', '))}</td><td>${esc(x.outcome)}</td><td>${esc(x.top)} (${pct(x.confidence)})</td></tr>`)
    .join('');
  return `<h2>${esc(set.file)}</h2>${figures}
<h3>Misses through the whole bot (escalation and intent)</h3>${misses}
<h3>The model's decision, row by row</h3><table><tr><th>question</th><th>accepted</th><th>outcome</th><th>top intent</th></tr>${rows}</table>`;
}

export function renderReport(r: EvalReport, threshold: number): string {
  const cv = r.crossValidation;
  const skipped = r.labelledSetsSkipped.map((s) => `<p>${esc(s)}</p>`).join('');
  const real = `${skipped}${r.labelledSets.map(labelledSection).join('\n')}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Intent model evaluation</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:3px 6px;font-size:13px;text-align:left}
table.heat td{width:22px;text-align:center;padding:2px}
th.rot{height:150px;white-space:nowrap;vertical-align:bottom;padding:0}
th.rot div{transform:translate(6px,-4px) rotate(-60deg);width:22px}
tr.ok td:nth-child(3){color:#1a7f37} tr.bad td:nth-child(3){color:#b42318;font-weight:bold}
tr.miss td:first-child{font-weight:bold} tr.urgent-miss td:first-child,tr.false-alarm td:first-child{color:#b42318}
</style></head><body>
<h1>Intent model evaluation</h1>
<p>Generated ${esc(r.generatedAt)} on training data ${esc(r.trainingHash.slice(0, 12))}. Clarify ("did you mean") and decline both count as not answering.</p>
${section(`Cross-validation (stratified ${cv.k}-fold)`, cv.classification, cv.decision, cv.sweep, threshold)}
${r.heldOut ? section('Held-out utterances (model trained on all training utterances)', r.heldOut.classification, r.heldOut.decision, r.heldOut.sweep, threshold) : ''}
<h1>Labelled question sets (never trained on; docs/MODEL.md says how blind they still are)</h1>${real}
<h2>Configuration</h2><pre>${esc(JSON.stringify(r.config, null, 2))}</pre>
</body></html>
`;
}
