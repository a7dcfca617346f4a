/**
 * npm run eval                                   cross-validation, held-out and real-questions figures for
 *                                                intents/, written to eval-report/report.{html,json}
 * npm run eval -- --corpus FILE [--corpus F2]    micro-F1 of the same pipeline on public corpora
 *                 [--json]                       (Braun et al. format), as text or one JSON object
 */
import './explainStartupErrors.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import 'dotenv/config';
import { loadCoreConfig } from '../config.js';
import { loadContent } from '../content/load.js';
import { coreWith } from '../core/loadCore.js';
import type { Content } from '../core/types.js';
import type { IntentModel } from '../nlu/index.js';
import { evaluateCorpus, overallMicroF1, readCorpus } from '../nlu/benchmark.js';
import { loadNluConfig } from '../nlu/config.js';
import {
  classificationFigures,
  crossValidate,
  decisionFigures,
  FALLBACK,
  outcomeFigures,
  parseRealQuestions,
  predictAll,
  realQuestionFigures,
  thresholdSweep,
  type OutcomeFigures,
  type RealQuestion,
} from '../nlu/evaluate.js';
import { trainModel } from '../nlu/model.js';
import { renderReport, type EvalReport } from '../nlu/report.js';
import { projectRoot, sharedDir } from '../paths.js';

const K = 5;
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function evalCorpora(files: string[], json: boolean): void {
  const config = loadNluConfig();
  const results = files.map((file) => evaluateCorpus(file, readCorpus(file), config));
  const overall = overallMicroF1(results);
  if (json) {
    const corpora = results.map(({ file, microF1, train, test }) => ({ file, microF1, train, test }));
    process.stdout.write(`${JSON.stringify({ corpora, overall: { microF1: overall } })}\n`);
    return;
  }
  for (const r of results) console.log(`${r.file}: micro-F1 ${r.microF1.toFixed(3)} (${r.correct}/${r.test} test, ${r.train} train)`);
  console.log(`overall micro-F1 ${overall.toFixed(3)} over ${results.reduce((a, r) => a + r.test, 0)} test sentences`);
}

/** The real questions as a patient meets them: the bot's own answer(), with triage and the dermatologist rule. */
function throughBot(content: Content, model: IntentModel, rows: readonly RealQuestion[]): OutcomeFigures {
  const { answerer } = coreWith(loadCoreConfig(), content, model);
  return outcomeFigures(
    rows,
    rows.map((r) => {
      const reply = answerer.answer(r.text);
      return { outcome: reply.intent ?? FALLBACK, declined: reply.kind === 'decline' };
    }),
  );
}

function evalContent(): void {
  const config = loadNluConfig();
  const content = loadContent();
  const oos = config.decision.outOfScopeLabel;
  const rule = config.decision;

  const cvPredictions = crossValidate(content.training, config, K);
  const cv = { k: K, classification: classificationFigures(cvPredictions), decision: decisionFigures(cvPredictions, oos), sweep: thresholdSweep(cvPredictions, rule) };

  const model = trainModel(content.training, { config });
  const heldOutPredictions = predictAll(model, config, content.heldOut);
  const heldOut = heldOutPredictions.length
    ? { classification: classificationFigures(heldOutPredictions), decision: decisionFigures(heldOutPredictions, oos), sweep: thresholdSweep(heldOutPredictions, rule) }
    : null;

  const realFile = join(sharedDir, 'eval/real-questions.jsonl');
  let realQuestions: EvalReport['realQuestions'] = null;
  let realQuestionsSkipped: string | undefined;
  if (existsSync(realFile)) {
    const rows = parseRealQuestions(readFileSync(realFile, 'utf8'));
    realQuestions = { file: realFile, ...realQuestionFigures(model, rows), throughBot: throughBot(content, model, rows) };
  } else {
    realQuestionsSkipped = `${realFile} not found: real-questions figures skipped.`;
  }

  const report: EvalReport = {
    generatedAt: new Date().toISOString(),
    trainingHash: content.trainingHash,
    config,
    crossValidation: cv,
    heldOut,
    realQuestions,
    ...(realQuestionsSkipped ? { realQuestionsSkipped } : {}),
  };
  const outDir = join(projectRoot, 'eval-report');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'report.html'), renderReport(report, rule.threshold));

  const c = cv.classification;
  console.log(`cross-validation (${K}-fold, ${c.n} utterances): accuracy ${pct(c.accuracy)}, macro-F1 ${pct(c.macroF1)}`);
  console.log(`  decisions: right outcome ${pct(cv.decision.decisionAccuracy)}, answers right ${pct(cv.decision.answerPrecision)}, in-scope answered ${pct(cv.decision.coverage)}, out-of-scope not answered ${pct(cv.decision.outOfScopeRecall)} (precision ${pct(cv.decision.outOfScopePrecision)})`);
  console.log(`  most confused: ${c.confusedPairs.slice(0, 5).map((p) => `${p.expected}→${p.predicted} ${p.count}`).join(', ') || 'none'}`);
  if (heldOut) {
    const h = heldOut.classification;
    console.log(`held-out (${h.n} utterances): accuracy ${pct(h.accuracy)}, macro-F1 ${pct(h.macroF1)}; right outcome ${pct(heldOut.decision.decisionAccuracy)}, out-of-scope not answered ${pct(heldOut.decision.outOfScopeRecall)}`);
  }
  if (realQuestions) {
    const q = realQuestions;
    console.log(`real questions (${q.n}, test set): outcome accepted ${pct(q.accuracy)}; fallback-only rows not answered ${pct(q.fallbackRecall)} of ${q.fallbackOnly} (declined outright ${pct(q.fallbackDeclined)}); intent rows answered right ${pct(q.intentRowsRight)}`);
    console.log(`  through the whole bot (triage, dermatologist rule): outcome accepted ${pct(q.throughBot.accuracy)}; fallback-only rows not answered ${pct(q.throughBot.fallbackRecall)}`);
  } else {
    console.log(realQuestionsSkipped);
  }
  console.log(`report: ${relative(process.cwd(), join(outDir, 'report.html'))}`);
}

const { values } = parseArgs({
  options: { corpus: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
  strict: true,
});

if (values.corpus?.length) evalCorpora(values.corpus, values.json ?? false);
else evalContent();
