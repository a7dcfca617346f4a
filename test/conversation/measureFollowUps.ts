/**
 * `npx tsx test/conversation/measureFollowUps.ts [--second] [--alone] [--show]`: the multi-turn figures of test/conversation/followUpTable.ts
 * through the real answerer (the README's follow-up figure).
 */
import { testCore } from '../helpers/testBot.js';
import { CONVERSATIONS, SECOND_SET } from './followUpTable.js';
import { figures, play } from './followUpScore.js';

const { answerer } = testCore();
// --alone: every turn read on its own, as the bot did before conversation context (the "before" figure).
const alone = { converse: (text: string) => ({ reply: answerer.answer(text), memory: {} }) };
const set = process.argv.includes('--second') ? SECOND_SET : CONVERSATIONS;
const f = figures(play(set, process.argv.includes('--alone') ? alone : answerer));
const pct = (x: { ok: number; of: number }) => `${((100 * x.ok) / x.of).toFixed(1)}% (${x.ok}/${x.of})`;
console.log(`conversations=${set.length} follow-up turns accepted=${pct(f.followUps)} dangers kept=${pct(f.dangers)} false alarms=${f.falseAlarms} escalation misses=${f.levelMisses}`);
if (process.argv.includes('--show')) for (const m of f.misses) console.log(`  ${m}`);
