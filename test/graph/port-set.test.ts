import {
  ANY_PORT,
  formatPorts,
  intersectPorts,
  isAnyPort,
  isEmptyPortSet,
  NO_PORTS,
  portSet,
  unionPorts,
} from '../../lib/graph/port-set';

describe('port sets', () => {
  it('normalizes: sorted by protocol then port, touching and overlapping ranges merged, names unique', () => {
    const set = portSet(
      [
        { protocol: 'UDP', from: 53, to: 53 },
        { protocol: 'TCP', from: 8081, to: 8090 },
        { protocol: 'TCP', from: 8080, to: 8080 },
        { protocol: 'TCP', from: 443, to: 443 },
        { protocol: 'TCP', from: 8085, to: 9000 },
      ],
      [
        { protocol: 'TCP', name: 'metrics' },
        { protocol: 'TCP', name: 'metrics' },
      ],
    );
    expect(set).toEqual({
      ranges: [
        { protocol: 'TCP', from: 443, to: 443 },
        { protocol: 'TCP', from: 8080, to: 9000 },
        { protocol: 'UDP', from: 53, to: 53 },
      ],
      named: [{ protocol: 'TCP', name: 'metrics' }],
    });
    expect(formatPorts(set)).toBe('TCP 443,8080-9000,metrics, UDP 53');
  });

  it('formats every port as any, every port of one protocol as PROTO any, nothing as none', () => {
    expect(formatPorts(ANY_PORT)).toBe('any');
    expect(formatPorts(portSet([{ protocol: 'SCTP', from: 1, to: 65535 }]))).toBe('SCTP any');
    expect(formatPorts(NO_PORTS)).toBe('none');
    expect(isAnyPort(ANY_PORT)).toBe(true);
    expect(isAnyPort(portSet([{ protocol: 'TCP', from: 1, to: 65535 }]))).toBe(false);
    expect(isEmptyPortSet(NO_PORTS)).toBe(true);
  });

  it('intersects per protocol and keeps a named port only when both sides name it', () => {
    const a = portSet(
      [
        { protocol: 'TCP', from: 8000, to: 8100 },
        { protocol: 'UDP', from: 53, to: 53 },
      ],
      [{ protocol: 'TCP', name: 'http' }],
    );
    const b = portSet(
      [
        { protocol: 'TCP', from: 8080, to: 9000 },
        { protocol: 'TCP', from: 53, to: 53 },
      ],
      [{ protocol: 'TCP', name: 'http' }],
    );
    expect(formatPorts(intersectPorts(a, b))).toBe('TCP 8080-8100,http');
    expect(formatPorts(intersectPorts(a, ANY_PORT))).toBe('TCP 8000-8100, UDP 53');
    expect(
      isEmptyPortSet(
        intersectPorts(
          portSet([{ protocol: 'TCP', from: 1, to: 10 }]),
          portSet([{ protocol: 'UDP', from: 1, to: 10 }]),
        ),
      ),
    ).toBe(true);
  });

  it('unions several sets into one normalized set', () => {
    const u = unionPorts(
      portSet([{ protocol: 'TCP', from: 1, to: 100 }]),
      portSet([{ protocol: 'TCP', from: 101, to: 65535 }]),
      NO_PORTS,
    );
    expect(formatPorts(u)).toBe('TCP any');
  });
});
