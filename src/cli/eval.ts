/**
 * npm run eval                                   cross-validation and held-out figures for intents/, and every
 *                                                labelled question set scored through the model and the whole
 *                                                bot, written to eval-report/report.{html,json}
 * npm run eval -- --questions FILE [--questions F2]
 *                                                the labelled sets to score (default: ../shared/eval/
 *                                                real-questions.jsonl and safety-examples.jsonl when present)
 * npm run eval -- --corpus FILE [--corpus F2]    micro-F1 of the same pipeline on public corpora
 *                 [--json]                       (Braun et al. format), as text or one JSON object
 */
import './explainStartupErrors.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import 'dotenv/config';
import { loadCoreConfig } from '../config.js';
import { loadContent } from '../content/load.js';
import { parseContentPacks } from '../content/packs.js';
import { coreWith } from '../core/loadCore.js';
import { escalationFigures, type Share } from '../core/escalationFigures.js';
import type { Content } from '../core/types.js';
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
} from '../nlu/evaluate.js';
import { trainModel, type NaiveBayesIntentModel } from '../nlu/model.js';
import { renderReport, type EvalReport, type LabelledSetReport } from '../nlu/report.js';
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

/** The sets scored when none is named: the shared ones, when ../shared is beside the checkout. */
const DEFAULT_SETS = [join(sharedDir, 'eval/real-questions.jsonl'), join(sharedDir, 'eval/safety-examples.jsonl')];

/** A labelled set through the model alone and through the bot's own answer(), as a patient meets it. */
function scoreSet(file: string, content: Content, model: NaiveBayesIntentModel): LabelledSetReport {
  let rows;
  try {
    rows = parseRealQuestions(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${relative(process.cwd(), file)}: ${(e as Error).message}`, { cause: e });
  }
  const { answerer } = coreWith(loadCoreConfig(), content, model);
  const replies = rows.map((r) => answerer.answer(r.text));
  return {
    file: relative(projectRoot, file),
    model: realQuestionFigures(model, rows),
    throughBot: outcomeFigures(rows, replies.map((r) => ({ outcome: r.intent ?? FALLBACK, declined: r.kind === 'decline' }))),
    escalation: escalationFigures(rows, replies),
  };
}

const share = (s: Share): string => (s.of === 0 ? 'n/a' : `${pct(s.hit / s.of)} (${s.hit}/${s.of})`);

function evalContent(questionFiles: string[]): void {
  const config = loadNluConfig();
  // Measured with the packs the bot runs with (CONTENT_PACKS); `CONTENT_PACKS=none npm run eval` measures the article alone.
  const content = loadContent(undefined, { packs: parseContentPacks(loadCoreConfig().CONTENT_PACKS) });
  const oos = config.decision.outOfScopeLabel;
  const rule = config.decision;

  const cvPredictions = crossValidate(content.training, config, K);
  const cv = { k: K, classification: classificationFigures(cvPredictions), decision: decisionFigures(cvPredictions, oos), sweep: thresholdSweep(cvPredictions, rule) };

  const model = trainModel(content.training, { config });
  const heldOutPredictions = predictAll(model, config, content.heldOut);
  const heldOut = heldOutPredictions.length
    ? { classification: classificationFigures(heldOutPredictions), decision: decisionFigures(heldOutPredictions, oos), sweep: thresholdSweep(heldOutPredictions, rule) }
    : null;

  const named = questionFiles.length > 0;
  const files = named ? questionFiles : DEFAULT_SETS.filter((f) => existsSync(f));
  const labelledSetsSkipped = named ? [] : DEFAULT_SETS.filter((f) => !existsSync(f)).map((f) => `${f} not found: its figures are skipped.`);
  const labelledSets = files.map((file) => scoreSet(file, content, model));

  const report: EvalReport = {
    generatedAt: new Date().toISOString(),
    trainingHash: content.trainingHash,
    config,
    crossValidation: cv,
    heldOut,
    labelledSets,
    labelledSetsSkipped,
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
  for (const set of labelledSets) {
    const e = set.escalation;
    const declines = set.throughBot.fallbackOnly > 0 ? `; fallback-only rows not answered ${pct(set.throughBot.fallbackRecall)} of ${set.throughBot.fallbackOnly}` : '';
    console.log(`${set.file} (${set.model.n} questions): intent through the model ${pct(set.model.accuracy)}, through the whole bot ${share(e.intent)}${declines}`);
    console.log(`  escalation: urgent ${share(e.urgent)}, dermatologist or higher ${share(e.dermatologist)}, over-escalation ${share(e.overEscalated)}, false alarms ${share(e.falseAlarms)}; ${e.misses.filter((m) => m.kind !== 'intent').length} escalation misses listed in the report`);
  }
  for (const line of labelledSetsSkipped) console.log(line);
  console.log(`report: ${relative(process.cwd(), join(outDir, 'report.html'))}`);
}

const { values } = parseArgs({
  options: { corpus: { type: 'string', multiple: true }, questions: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
  strict: true,
});

// npm runs scripts from the project's root; a path is meant from where the command was typed.
const fromCaller = (file: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), file);
const questionFiles = (values.questions ?? []).map(fromCaller);
const absent = questionFiles.filter((f) => !existsSync(f));
if (absent.length > 0) {
  console.error(`labelled question set not found: ${absent.join(', ')}`);
  process.exit(2);
}
if (values.corpus?.length) evalCorpora(values.corpus, values.json ?? false);
else evalContent(questionFiles);
