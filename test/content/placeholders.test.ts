import { expect } from 'chai';
import { loadKnowledgeBase } from '../../src/content/load.js';
import { CLINIC_PLACEHOLDERS, placeholdersIn } from '../../src/content/placeholders.js';
import { fillClinicDetails } from '../../src/core/answer.js';

const clinic = { name: 'Riverside Skin Clinic', phone: '+1 555 010 0199', bookingUrl: 'https://clinic.example.org/book', emergencyNumber: '911' };

describe('clinic placeholders', () => {
  it('finds every {name} in a text, known or not', () => {
    expect(placeholdersIn('Call {clinicPhone} or {clinicphone}; {} is empty')).to.deep.equal(['clinicPhone', 'clinicphone', '']);
  });

  it('are all filled in by the answer layer ({topics} by the loader, see packs.test.ts), so a patient never sees a raw {placeholder}', () => {
    for (const name of CLINIC_PLACEHOLDERS) {
      expect(fillClinicDetails(`before {${name}} after`, clinic), name).to.not.include('{');
    }
  });

  it('leave no braces in any conversation answer once filled', () => {
    const conversation = [...loadKnowledgeBase().entries.values()].filter((e) => e.kind === 'conversation');
    expect(conversation.length).to.be.greaterThan(0);
    for (const entry of conversation) {
      expect(fillClinicDetails(entry.answer, clinic), entry.file).to.not.match(/[{}]/);
    }
    expect(fillClinicDetails(conversation.find((e) => e.intent === 'talk-to-human')?.answer ?? '', clinic)).to.include('+1 555 010 0199');
  });
});
