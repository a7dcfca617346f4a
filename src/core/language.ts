import type { LanguageReading } from '../language/index.js';
import type { ClinicInfo, Reply } from './answer.js';

/** The reply's language, when it is not English: the approved texts with the clinic's details filled in. */
export interface ReplyLanguage {
  /** ISO 639-1 code, e.g. "es"; what the records keep. */
  code: string;
  name: string;
  notice: string;
  emergency?: { label: string; advice: string; call: string };
}

/**
 * The answer step for a message in another language: its emergency rule gives the emergency advice in that
 * language; otherwise the approved sentence that the assistant answers in English only, with the clinic's phone.
 */
export function inAnotherLanguage(reading: LanguageReading, clinic: ClinicInfo, bare: (kind: Reply['kind'], confidence: number) => Reply): Reply {
  const fill = (text: string) =>
    text.replaceAll('{clinicName}', clinic.name).replaceAll('{clinicPhone}', clinic.phone).replaceAll('{emergencyNumber}', clinic.emergencyNumber);
  const { code, name, notice, emergency } = reading.language;
  const language: ReplyLanguage = {
    code,
    name,
    notice: fill(notice),
    ...(emergency ? { emergency: { label: emergency.label, advice: fill(emergency.advice), call: fill(emergency.call) } } : {}),
  };
  if (reading.emergency && language.emergency) {
    return {
      ...bare('emergency', 1),
      escalation: 'emergency',
      escalationReason: language.emergency.advice,
      trigger: { step: 'red-flag', id: `${code}:${reading.emergency.ruleId}`, matched: reading.emergency.matched },
      redFlag: `${code}:${reading.emergency.ruleId}`,
      language,
    };
  }
  return { ...bare('decline', 0), declineReason: `written in ${name}`, language };
}
