import { describe, expect, it } from 'vitest';
import { InvalidConfigValueError } from '../errors.js';
import { formatHostPort, parseBoolean, parseHostPort, parseMask, parsePort, parseRole } from './parse-values.js';

describe('config values', () => {
  it('parses HOST:PORT for IPv4, bracketed IPv6 and names', () => {
    expect(parseHostPort('--listen', '127.0.0.1:7070')).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(parseHostPort('--listen', '[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort('--seed', 'seed.example.org:7070')).toEqual({ host: 'seed.example.org', port: 7070 });
    expect(formatHostPort({ host: '::1', port: 1 })).toBe('[::1]:1');
  });

  it('refuses bad addresses with the option named', () => {
    for (const bad of ['127.0.0.1', ':7070', '127.0.0.1:70000', '::1:7070', '[nope]:1', 'a b:1', '1.2.3.4:-1', 7070]) {
      expect(() => parseHostPort('--listen', bad)).toThrow(InvalidConfigValueError);
    }
    expect(() => parseHostPort('--listen', 'x')).toThrow(/^--listen: /);
  });

  it('parses masks dotted or as prefix lengths, refusing holes', () => {
    expect(parseMask('--mask', '255.0.0.0')).toBe('255.0.0.0');
    expect(parseMask('--mask', '24')).toBe('255.255.255.0');
    expect(parseMask('--mask', '/8')).toBe('255.0.0.0');
    expect(parseMask('--mask', '0')).toBe('0.0.0.0');
    expect(() => parseMask('--mask', '255.0.255.0')).toThrow(/contiguous/);
    expect(() => parseMask('--mask', '33')).toThrow(InvalidConfigValueError);
  });

  it('parses ports, booleans and roles', () => {
    expect(parsePort('--discovery-port', '7071', false)).toBe(7071);
    expect(() => parsePort('--discovery-port', '0', false)).toThrow(InvalidConfigValueError);
    expect(parseBoolean('P2P_LAN', 'off')).toBe(false);
    expect(parseBoolean('P2P_LAN', '1')).toBe(true);
    expect(() => parseBoolean('P2P_LAN', 'maybe')).toThrow(InvalidConfigValueError);
    expect(parseRole('--role', 'seed')).toBe('seed');
    expect(parseRole('--role', 'server')).toBe('server');
    expect(() => parseRole('--role', 'relay')).toThrow(/peer, seed, server/);
  });
});
