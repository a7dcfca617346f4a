import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLanguages } from '../../src/language/index.js';
import { replyTexts } from '../../src/bot/replyText.js';
import { renderReply } from '../../src/bot/cards.js';
import { createTestBot, testCore } from '../helpers/testBot.js';

/**
 * Messages in other languages get the approved sentence in that language, with the clinic's phone, and a Spanish
 * emergency gets the emergency advice in Spanish. Questions written for these tests (not from any evaluation set).
 */
describe('other languages', () => {
  const { answerer, clinic } = testCore();

  const questions: Array<[code: string, question: string, words: RegExp]> = [
    ['es', '¿Qué es la dermatitis atópica?', /solo responde en inglés/],
    ['es', 'tengo eccema en las manos, qué crema puedo usar', /solo responde en inglés/],
    ['fr', "Qu'est-ce que l'eczéma atopique ?", /uniquement en anglais/],
    ['fr', 'Mon fils a de l’eczéma, quelle crème utiliser ?', /uniquement en anglais/],
    ['pt', 'O que é dermatite atópica?', /apenas em inglês/],
    ['pt', 'Minha pele coça muito à noite, o que posso fazer?', /apenas em inglês/],
    ['de', 'Was ist Neurodermitis?', /nur auf Englisch/],
    ['de', 'Meine Haut juckt sehr, welche Creme hilft?', /nur auf Englisch/],
    ['zh', '什么是特应性皮炎？', /只能用英语回答/],
    ['zh', '湿疹会传染吗', /只能用英语回答/],
    ['ar', 'ما هو الإكزيما؟', /باللغة الإنجليزية فقط/],
    ['ar', 'هل الإكزيما معدية', /باللغة الإنجليزية فقط/],
    ['vi', 'Bệnh chàm là gì?', /chỉ trả lời bằng tiếng Anh/],
    ['vi', 'Da tôi bị ngứa nhiều, tôi nên làm gì?', /chỉ trả lời bằng tiếng Anh/],
  ];
  for (const [code, question, words] of questions) {
    it(`${code}: "${question}" → the approved sentence in that language, with the clinic's phone`, () => {
      const reply = answerer.answer(question);
      expect(reply.language?.code, JSON.stringify(reply.language)).to.equal(code);
      expect(reply.escalation).to.equal('none');
      const texts = replyTexts(reply, clinic);
      expect(texts).to.have.length(1);
      expect(texts[0]).to.match(words).and.include(clinic.phone);
      expect(texts[0]).not.to.match(/Sorry, I can't answer/);
    });
  }

  const spanishEmergencies = [
    'no puedo respirar',
    'se me hincha la garganta',
    'mi hijo casi no puede respirar',
    'me cuesta mucho respirar y tengo el pecho apretado',
    'se le están hinchando los labios a mi hija',
    'Tengo la lengua hinchada después de ponerme la crema',
    'siento que me ahogo',
    'se me está cerrando la garganta',
  ];
  for (const message of spanishEmergencies) {
    it(`es emergency: "${message}" → the emergency advice in Spanish, first and alone, with a button to call`, () => {
      const reply = answerer.answer(message);
      expect(reply.kind).to.equal('emergency');
      expect(reply.language?.code).to.equal('es');
      const [text, ...rest] = replyTexts(reply, clinic);
      expect(rest).to.deep.equal([]);
      expect(text).to.match(/^EMERGENCIA: llame al 911 ahora/);
      const card = renderReply(reply, clinic, true).messages[0]!.attachments![0]!.content as { body: Array<{ items: Array<{ text?: string; actions?: Array<{ title: string; url: string }> }> }> };
      expect(card.body[0]!.items[0]!.text).to.equal('\u26A0 Emergencia');
      expect(card.body[0]!.items.flatMap((i) => i.actions ?? [])).to.deep.include({ type: 'Action.OpenUrl', title: 'Llamar al 911', url: 'tel:911' });
    });
  }

  const calmSpanish = ['¿puedo respirar vapor con eccema?', '¿el eccema hincha la piel de las manos?'];
  for (const message of calmSpanish) {
    it(`es, no emergency: "${message}" → the approved sentence, not the emergency`, () => {
      const reply = answerer.answer(message);
      expect(reply.kind).to.equal('decline');
      expect(reply.language?.code).to.equal('es');
    });
  }

  const english = ['ok', 'hi', 'thanks', 'dupixent', 'tacrolimus', 'what is eczema', 'can I use vaseline', 'is tacrolimus safe for kids', 'eczema herpeticum', 'la roche posay cream for eczema?', 'cerave or aveeno', 'no', 'yes please', 'zorblatt quixotrum'];
  for (const message of english) {
    it(`English stays English: "${message}"`, () => {
      expect(answerer.answer(message).language).to.equal(undefined);
    });
  }

  it('records the language of each question', async () => {
    const bot = await createTestBot();
    try {
      await bot.join();
      await bot.say('what is eczema');
      await bot.say('¿Qué es la dermatitis atópica?');
      const languages = (await bot.records.list('questions')).map((q) => q.language).reverse();
      expect(languages).to.deep.equal(['en', 'es']);
    } finally {
      await bot.close();
    }
  });

  it('refuses a languages file with mistakes at start-up, listing every one with its language and field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'languages-'));
    try {
      const file = join(dir, 'languages.yaml');
      writeFileSync(
        file,
        [
          'es:',
          '  name: Spanish',
          '  franc: spa',
          '  notice: "Solo en inglés, sin teléfono."',
          'fr:',
          '  name: French',
          '  franc: fra',
          '  notice: "Anglais seulement : {clinicPhone}."',
          '  emergency:',
          '    label: Emergencia',
          '    advice: "llame al {emergencyNumber}"',
          '    call: Llamar',
          '    rules:',
          '      - id: breathing',
          "        patterns: ['no puedo respirar']",
          "        examples: ['me falta el aire']",
          '',
        ].join('\n'),
      );
      let message = '';
      try {
        loadLanguages(new Set(), file);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).to.match(/2 problems/);
      expect(message).to.match(/entry "es", field "notice": .*\{clinicPhone\}/);
      expect(message).to.match(/entry "fr", field "emergency\.rules\[0\]\.examples\[0\]": rule "breathing" does not match/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
