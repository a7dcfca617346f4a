import { expect } from 'chai';
import { isAllowedLocalServiceUrl } from '../../src/server/relayGuard.js';

describe('relay guard (local mode)', () => {
  const allowed = [
    'http://localhost:3978/',
    'http://127.0.0.1:50000',
    'http://127.8.9.10/',
    'http://[::1]:4000/',
    'http://[0:0:0:0:0:0:0:1]/',
    'http://[::ffff:127.0.0.1]:8000/',
    'https://LOCALHOST/',
    'http://emulator.localhost:9000/',
  ];
  const refused = [
    'https://smba.trafficmanager.invalid/',
    'http://127.0.0.1.invalid/',
    'http://localhost.invalid/',
    'http://user@connector.invalid/',
    'ftp://127.0.0.1/',
    'http://127.0.0.1:8080/admin/reset',
    'http://localhost:9200/?q=1',
    'http://127.0.0.1/#frag',
    'http://[::ffff:10.0.0.1]/',
    'file:///etc/passwd',
    'not a url',
  ];
  for (const url of allowed) it(`lets replies go to ${url}`, () => expect(isAllowedLocalServiceUrl(url)).to.equal(true));
  for (const url of refused) it(`refuses ${url}`, () => expect(isAllowedLocalServiceUrl(url)).to.equal(false));

  it('allows the origins the operator listed (the server’s own public address)', () => {
    expect(isAllowedLocalServiceUrl('https://bot.clinic.invalid/directline', ['https://bot.clinic.invalid'])).to.equal(true);
    expect(isAllowedLocalServiceUrl('https://other.clinic.invalid/', ['https://bot.clinic.invalid'])).to.equal(false);
  });
});
