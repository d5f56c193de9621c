import { describe, expect, it } from 'vitest';
import { inSubnet, parseMask, subnetBroadcast } from './subnet.js';

describe('subnet arithmetic', () => {
  it('computes directed broadcast addresses', () => {
    expect(subnetBroadcast('127.0.0.1', '255.0.0.0')).toBe('127.255.255.255');
    expect(subnetBroadcast('10.42.7.9', '24')).toBe('10.42.7.255');
    expect(subnetBroadcast('10.42.7.9', '/20')).toBe('10.42.15.255');
    expect(subnetBroadcast('10.42.7.9', '32')).toBeUndefined();
    expect(subnetBroadcast('10.42.7.9', '31')).toBeUndefined();
  });
  it('parses masks and refuses non-contiguous ones', () => {
    expect(parseMask('255.255.255.0')).toBe(0xffffff00);
    expect(parseMask('255.0.255.0')).toBeUndefined();
    expect(parseMask('33')).toBeUndefined();
  });
  it('tells whether an address is in the subnet', () => {
    expect(inSubnet('127.0.0.1', '8', '127.3.4.5')).toBe(true);
    expect(inSubnet('10.0.0.1', '24', '10.0.1.1')).toBe(false);
  });
});
