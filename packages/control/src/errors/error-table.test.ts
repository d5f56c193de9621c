import { describe, expect, it } from 'vitest';
import { PeerNotFoundError, PingTimeoutError, P2PError } from '@p2p/core';
import { controlCodecs } from '../codec/index.js';
import { CONTROL_ERROR_CODES, codeOfControlError, controlErrorMessage } from './error-code.js';
import { BadControlRequestError, DaemonBusyError } from './control-errors.js';
import { CONTROL_ERROR_TABLE, controlCodeOf, fromControlError, toControlError } from './error-table.js';

describe('control error codes', () => {
  it('name every value of the proto enum but UNSPECIFIED, by the same name', () => {
    const fromProto = Object.entries(controlCodecs.ErrorCode)
      .filter(([name]) => name !== 'ERROR_CODE_UNSPECIFIED')
      .map(([name, n]) => [name.replace('ERROR_CODE_', ''), n]);
    expect(Object.entries(CONTROL_ERROR_CODES).sort()).toEqual(fromProto.sort());
    expect(Object.keys(CONTROL_ERROR_TABLE).sort()).toEqual(Object.keys(CONTROL_ERROR_CODES).sort());
  });

  it('travel as the string and the enum together, and read either', () => {
    expect(controlErrorMessage('BUSY', 'full')).toEqual({ code: 'BUSY', message: 'full', codeEnum: controlCodecs.ErrorCode.ERROR_CODE_BUSY });
    expect(codeOfControlError({ code: 'garbage', codeEnum: controlCodecs.ErrorCode.ERROR_CODE_PEER_NOT_FOUND })).toBe('PEER_NOT_FOUND');
    expect(codeOfControlError({ code: 'PING_TIMEOUT' })).toBe('PING_TIMEOUT');
    expect(codeOfControlError({ code: 'SOMETHING_NEWER', codeEnum: 999 })).toBe('INTERNAL');
  });

  it('map thrown errors to codes by their stable code, never by text', () => {
    expect(controlCodeOf(new PeerNotFoundError('bob'))).toBe('PEER_NOT_FOUND');
    expect(controlCodeOf(new PingTimeoutError('bob', 5))).toBe('PING_TIMEOUT');
    expect(controlCodeOf(new BadControlRequestError('x'))).toBe('BAD_REQUEST');
    expect(controlCodeOf(new Error('ERR_PEER_NOT_FOUND'))).toBe('INTERNAL');
    class Joined extends P2PError {
      readonly controlCode = 'BUSY';
      constructor() { super('ERR_SOMETHING_ELSE', 'joined'); }
    }
    expect(controlCodeOf(new Joined())).toBe('BUSY');
    expect(toControlError(new PeerNotFoundError('bob', 'no such peer'))).toMatchObject({ code: 'PEER_NOT_FOUND', message: 'bob: no such peer' });
  });

  it('rebuild the same class on the client, with the daemon\'s message', () => {
    const e = fromControlError('PEER_NOT_FOUND', 'bob: no such peer');
    expect(e).toBeInstanceOf(PeerNotFoundError);
    expect(e.code).toBe('ERR_PEER_NOT_FOUND');
    expect(e.message).toBe('bob: no such peer');
    expect(fromControlError('BUSY', 'full')).toBeInstanceOf(DaemonBusyError);
    for (const [code, mapping] of Object.entries(CONTROL_ERROR_TABLE)) {
      const rebuilt = fromControlError(code as keyof typeof CONTROL_ERROR_TABLE, 'm');
      expect(rebuilt.code).toBe(mapping.errorCode);
      expect(controlCodeOf(rebuilt)).toBe(code);
    }
  });
});
