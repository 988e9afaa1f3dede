/**
 * The corpus of the differential test against go-yaml: hand-written documents for every feature the reader must get
 * right, and a seeded generator that combines them (merge keys in every position, anchors and aliases, tags, quoting,
 * block scalars with every header, YAML 1.1 scalars, odd white space, line ends, encodings, byte-level damage).
 */

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** The issue's manifest: a merge key after explicit keys hides a privileged, hostPID pod. */
export const MERGE_KEY_MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      hostPID: false
      <<: {hostPID: true}
      containers:
        - name: api
          image: registry.example.com/api@sha256:0000000000000000000000000000000000000000000000000000000000000000
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
            <<: {privileged: true, allowPrivilegeEscalation: true, capabilities: {add: [SYS_ADMIN]}}
`;

const HAND_WRITTEN: readonly string[] = [
  MERGE_KEY_MANIFEST,
  // merge keys in every position
  'a: 1\n<<: {a: 2}\n',
  '<<: {a: 2}\na: 1\n',
  'a: 1\n<<: {a: 2}\n<<: {a: 3}\n',
  '<<: {a: 1}\n<<: {a: 2}\nb: 0\n',
  'x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  <<: [*x, *y]\n',
  'x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nz:\n  b: 0\n  <<: [*x, *y]\n  c: 0\n',
  'x: &x {a: 1}\nz:\n  <<: *x\n  <<: {a: 3}\n',
  'x: &x {a: 1}\nz:\n  <<: [*x, {a: 4}]\n',
  'x: &x {a: {b: 1}}\nz:\n  <<: *x\n  a: {c: 2}\n',
  'a:\n  <<:\n    <<: {x: 1}\n    y: 2\n',
  '<<: []\n',
  '<<: ~\n',
  '<<: 1\n',
  '<<: [1]\n',
  'x: &x [1]\n<<: *x\n',
  'x: &x 1\ny:\n  <<: [*x]\n',
  '"<<": {a: 1}\n',
  "'<<': 1\n",
  '!!merge <<: {a: 1}\n',
  '! <<: {a: 1}\n',
  '? <<\n: {a: 1}\n',
  'a: <<\n',
  '[<<]\n',
  '{<<: {a: 1}, b: 2}\n',
  '- <<: {a: 1}\n  a: 2\n',
  // anchors and aliases
  'a: &a hello\nb: *a\n',
  'a: &a [1, 2]\nb: *a\nc: *a\n',
  'a: *unknown\n',
  'a: &a [*a]\n',
  'a: &a\n  b: *a\n',
  '&a a: 1\n*a : 2\n',
  'a: &x 1\nb: &x 2\nc: *x\n',
  'a: &a-b.c_d 1\nb: *a-b.c_d\n',
  'a: &a1\nb: *a1\n',
  '- &a\n- *a\n',
  'a: & 1\n',
  '&a [1, 2]: x\n',
  // tags
  'a: !!str 123\nb: !!int "12"\nc: !!float 1\nd: !!bool yes\ne: !!null ""\n',
  'a: !!int 1.5\n',
  'a: !!int abc\n',
  'a: !!float .inf\n',
  'a: !!bool 1\n',
  'a: !!null x\n',
  'a: !!str\n',
  'a: !!binary aGVsbG8=\n',
  'a: !!binary |\n  aGVs\n  bG8=\n',
  'a: !!binary aGVsbG8\n',
  'a: !!binary "/w=="\n',
  'a: !!binary 4pyT\n',
  '!!binary aGk=: 1\n',
  'a: !custom value\nb: !custom [1]\nc: !custom {x: 1}\n',
  'a: ! 12\nb: ! "12"\n',
  'a: !<tag:yaml.org,2002:int> 12\n',
  'a: !<!bar> baz\n',
  'a: !!timestamp 2001-12-14\nb: !!timestamp 2001-12-14t21:59:43.10-05:00\nc: !!timestamp 2001-12-14 21:59:43.10\n',
  'a: !!timestamp 2001-02-30\n',
  'a: !!timestamp x\n',
  'a: !!map {b: 1}\nb: !!seq [1]\nc: !!map x\n',
  'a: !e!tag x\n',
  '%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n',
  'a: !!str &a 1\nb: &b !!int 2\nc: [*a, *b]\n',
  'a: !!int &x\n',
  // quoting
  'a: "yes"\nb: \'0644\'\nc: "\\x41\\u00e9\\U0001F600"\nd: "\\/"\n',
  'a: "\\uD800"\n',
  'a: "\\q"\n',
  'a: "tab\\there\\N\\_\\L\\P\\0\\a\\b\\e\\f\\v\\r\\ \\\'"\n',
  "a: 'it''s'\n",
  'a: "multi\n  line\n\n  text"\n',
  "a: 'multi\n  line\n\n\n  text'\n",
  'a: "esc\\\n   aped"\n',
  'a: "unterminated\n',
  'a: "\t"\nb: "a\tb"\n',
  'a: "x" y\n',
  '"a" : 1\n\'b\' : 2\n',
  '"a\\nb": 1\n',
  // block scalars
  'a: |\n  x\n  y\n',
  'a: |-\n  x\n\n',
  'a: |+\n  x\n\n\n',
  'a: >\n  x\n  y\n\n  z\n',
  'a: >-\n  x\n   indented\n  y\n',
  'a: >+\n  x\n\n',
  'a: |2\n    x\n  y\n',
  'a: |1\n  x\n',
  'a: |0\n  x\n',
  'a: |-2\n   x\n',
  'a: >2-\n   x\n',
  'a: |\n\n\n  x\n',
  'a: |\n    \n  x\n',
  'a: |\n  x\n \ty\n',
  'a: |\n\tx\n',
  'a: | # comment\n  x\n',
  'a: |x\n  x\n',
  'a: |\nb: 1\n',
  '- |\n x\n- >\n y\n',
  '|\n top level\n',
  'a: |\n  trailing  \n  spaces \n',
  'a:\n  b: |\n    x\n  c: |-\n      y\n',
  // YAML 1.1 scalars
  'a: [yes, no, on, off, y, n, Y, N, Yes, NO, True, FALSE, ON, Off]\n',
  'a: [~, null, Null, NULL, ""]\n',
  'a: [0777, 0o17, 0x1F, 0X1f, 0b101, 0B11, -0b101, +1, -1, 1_000, 1__0, +_1, _1]\n',
  'a: [1:30, 190:20:30, 1:30.5]\n',
  'a: [1e3, 1E+3, 1.5, -1.5e-3, .5, .5_0, ._5, 5., 0., 00, 08, 09.5, -0, +0, -0.0]\n',
  'a: [9223372036854775807, 9223372036854775808, 18446744073709551615, 18446744073709551616]\n',
  'a: [-9223372036854775808, -9223372036854775809, 12345678901234567890123, 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF]\n',
  'a: [2001-12-14, 2002-02-30, 1234-5, 1e400, 1e-400]\n',
  'a: .inf\n',
  'a: -.Inf\n',
  'a: .nan\n',
  'a: [.inf]\n',
  '.inf: 1\n.nan: 2\n',
  'a: .inf\na: 1\n',
  // keys
  '1: a\n2.5: b\ntrue: c\n~: d\n',
  '1: a\n"1": b\n',
  '1: a\n1.0: b\n',
  'yes: a\ntrue: b\n',
  '0x10: a\n16: b\n',
  '1e3: a\n1000.5: b\n1e7: c\n0.00001: d\n123456789: e\n1.5e-7: f\n3.14159265358979: g\n',
  '18446744073709551615: a\n',
  '? a\n: 1\n',
  '? [a, b]\n: 1\n',
  '? {a: 1}\n: 2\n',
  '? a\n? b\n',
  '? |\n  block key\n: v\n',
  '[1, 2]: x\n',
  'a: 1\na: 2\n',
  'a: {b: 1}\na: {c: 2}\n',
  '{a: 1, a: 2}\n',
  'a:\nb:\n',
  ': a\n',
  '? \n: \n',
  `${'k'.repeat(1100)}: v\n`,
  `"${'k'.repeat(1100)}": v\n`,
  '__proto__: {polluted: true}\n',
  'constructor: 1\ntoString: 2\n',
  // flow collections
  'a: [1, [2, [3]], {b: {c: [4]}}]\n',
  'a: [a?b, c]\n',
  'a: [a:b, "c":d, e: f]\n',
  'a: {a:b}\n',
  'a: {"a":b}\n',
  'a: [a, ]\n',
  'a: {a: 1, }\n',
  'a: [, a]\n',
  'a: [a b, c  d]\n',
  'a: [a #c\n, b]\n',
  'a: [\n  1,\n  2\n]\n',
  'a: {\nb: 1\n}\n',
  'a: [-a, -]\n',
  'a: [- a]\n',
  'a: [? a : b]\n',
  'a: [a: b, c: d]\n',
  'a: {? a}\n',
  '[a, b]\n',
  '{a: 1}\n',
  'a: ["a]\n',
  'a: [a]]\n',
  'a: {a: [}]\n',
  'a: [a]#c\n',
  // white space, comments, line ends
  'a: 1 # comment\n# only\nb: 2#not\n',
  'a: 1\t# tab then comment\n',
  'a:\t1\n',
  'a: 1\t\n',
  '\ta: 1\n',
  'a:\n\t- 1\n',
  'a:\n  -\t1\n',
  'a: 1\n  \nb: 2\n',
  'a: 1\r\nb: 2\r\n',
  'a: "x\r\n y"\r\n',
  'a: 1\rb: 2\r',
  'a: |\r  x\r  y\r',
  'a: 1\r',
  'a: 1\r\n---\r\nb: 2\r\n',
  'a: b\u0085c: d\n',
  'a: b\u2028c: d\n',
  'a: "x\u2029y"\n',
  'a: b\u00a0c\n',
  'a:\u00a0b\n',
  'a:  \n  b\n',
  'a: b\n  c\n d\n',
  'a: b\nc\n',
  '  a: 1\n  b: 2\n',
  '  a: 1\n b: 2\n',
  'a:\n- 1\n- 2\nb: 3\n',
  'a:\n  - 1\n - 2\n',
  '- - 1\n  - 2\n- - 3\n',
  '- a: 1\n  b: 2\n-   c: 3\n    d: 4\n',
  '-\n  a: 1\n',
  '-\n-\n',
  'a: - b\n',
  'a: b: c\n',
  'a:b\n',
  'a :b\n',
  '- a\nb: 1\n',
  '',
  '\n\n',
  '# just a comment\n',
  'plain scalar document\n',
  '"quoted document"\n',
  '- just\n- a list\n',
  '1\n',
  '~\n',
  'null\n',
  // documents, markers, directives
  'a: 1\n---\nb: 2\n',
  '---\na: 1\n',
  '--- # comment\na: 1\n',
  '--- a: 1\n',
  '--- |\n  x\n',
  '---\n---\n---\n',
  'a: 1\n...\n',
  'a: 1\n...\nb: [\n',
  'a: 1\n... # c\n',
  'a: 1\n....\n',
  '----\na: 1\n',
  'a: 1\n---   \nb: 2\n',
  'a: 1\n---\t#c\nb: 2\n',
  'a: 1\n---\u00a0\nb: 2\n',
  'a: 1\n--- x\nb: 2\n',
  '%YAML 1.1\n---\na: 1\n',
  '%YAML 1.2\n---\na: 1\n',
  '%YAML 1.1\na: 1\n',
  '%FOO bar\n---\na: 1\n',
  'a: 1\n%YAML 1.1\n',
  ' ---\na: 1\n',
  'a: "x\n---\n"\n',
  // encodings and bytes
  '\ufeffa: 1\n',
  'a: 1\n---\n\ufeffb: 2\n',
  'a: \ufeff1\n',
  '\ufeff\ufeffa: 1\n',
  'a: \u0001\n',
  'a: "\u0007"\n',
  'a: \u007f\n',
  'a: \u0085x\n',
  'a: \ufffe\n',
  'a: 😀\nb: "😀"\n😀: c\n',
  'a: 日本語\n日本: 語\n',
  // what the fast reader reads itself: plain and single-quoted scalars over several lines, a leading `---`
  'a: one\n  two\n\n  three\nb: 1\n',
  'a: one\n two\n',
  'a: one\n  # comment\n  two\n',
  'a: one\n  two: three\n',
  'a: one\n  two #c\n',
  'a: one\n  two:\n',
  '- one\n  two\n- three\n',
  '- k: one\n   two\n  j: 1\n',
  'a:\n- one\n two\n',
  "a: 'one\n  two'\n",
  "a: 'one\n\n\n  two'\nb: 1\n",
  "a: 'it''s\n  ''quoted'' '\n",
  "a: 'one  \n  '\n",
  "a: 'one\n'\n",
  "a: 'one\ntwo' x\n",
  "a: 'one\n  two': 1\n",
  "- 'one\n  two'\n",
  "a: 'unterminated\n  b: 1\n",
  '--- \na: 1\n',
  '---  # c\na: 1\n---\n---\nb: 2\n',
  '---#c\na: 1\n',
];

/** Streams given as bytes (invalid UTF-8, UTF-16). */
function handWrittenBytes(): Uint8Array[] {
  const utf16 = (s: string, be: boolean) => {
    const le = Buffer.from(`\ufeff${s}`, 'utf16le');
    if (be) for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
    return new Uint8Array(le);
  };
  return [
    new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0x0a]),
    new Uint8Array([0x61, 0x3a, 0x20, 0xc3, 0x0a]),
    new Uint8Array([0x61, 0x3a, 0x20, 0xc0, 0x80, 0x0a]),
    new Uint8Array([0x61, 0x3a, 0x20, 0xed, 0xa0, 0x80, 0x0a]),
    new Uint8Array([0x61, 0x3a, 0x20, 0xf4, 0x90, 0x80, 0x80, 0x0a]),
    new Uint8Array([0x61, 0x3a, 0x20, 0x31, 0x0a, 0x2e, 0x2e, 0x2e, 0x0a, 0xff, 0x0a]),
    new Uint8Array([...Buffer.from('a: 1\n...\n'), ...Buffer.alloc(600, 0x20), 0xff]),
    new Uint8Array([0x61, 0x3a, 0x20, 0x00, 0x0a]),
    utf16('a: 1\nb: [x, "é"]\n', false),
    utf16('a: 1\n---\nb: 2\n', true),
    new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x3a]),
    new Uint8Array([0xff, 0xfe, 0x00, 0xd8, 0x61, 0x00]),
    new Uint8Array([0xfe, 0xff]),
    new Uint8Array([0x61, 0x00, 0x3a, 0x00, 0x20, 0x00, 0x31, 0x00]),
  ];
}

export function handWrittenCorpus(): Uint8Array[] {
  return [...HAND_WRITTEN.map(enc), ...handWrittenBytes()];
}

/** A small seeded generator (mulberry32), so that every run tests the same documents. */
class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const PLAIN = [
  'a',
  'foo bar',
  'x  y',
  'hello',
  'v1',
  'nginx:1.25',
  'a:b',
  'a#b',
  '-a',
  '?a',
  'a?',
  '日本',
  'é',
  '😀',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'Y',
  'N',
  'Yes',
  'NO',
  'True',
  'false',
  'TRUE',
  'On',
  'OFF',
  'null',
  'Null',
  'NULL',
  '~',
  '0777',
  '0o17',
  '0x1F',
  '0X1f',
  '0b101',
  '-0b101',
  '0B11',
  '0x',
  '0b',
  '0o',
  '+1',
  '-1',
  '1_000',
  '1__0',
  '+_1',
  '-_1',
  '_1',
  '1_',
  '1:30',
  '190:20:30',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  '.iNf',
  '1e3',
  '1E+3',
  '1.5',
  '-1.5e-3',
  '.5',
  '.5_0',
  '._5',
  '.5e1_0',
  '5.',
  '0.',
  '00',
  '08',
  '09.5',
  '-0',
  '+0',
  '-0.0',
  '+.5',
  '-.5e3',
  '1.',
  '1e',
  'e1',
  '1e+',
  '0.1',
  '3.14159',
  '1_0.5_0',
  '1e1_0',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551615',
  '18446744073709551616',
  '-9223372036854775808',
  '-9223372036854775809',
  '12345678901234567890123',
  '0x7FFFFFFFFFFFFFFF',
  '0xFFFFFFFFFFFFFFFF',
  '0x10000000000000000',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2002-02-30',
  '2001-12-14 21:59:43.10',
  '2001-1-2',
  '1234-5',
  '1e400',
  '-1e400',
  '1e-400',
  'http://x:80/y',
  '<<',
  '=',
  'a b c',
  'privileged',
  'SYS_ADMIN',
  'hostPID',
  'true1',
  '1true',
  '0x1G',
  '+-1',
  '--1',
  '1-',
  '12:00',
  '1:2:3',
];

const QUOTED = [
  '"yes"',
  "'0644'",
  '"\\x41"',
  '"\\u00e9"',
  '"\\U0001F600"',
  '"\\/"',
  '"\\uD800"',
  '"a\\tb"',
  '"\\N\\_\\L\\P"',
  "'it''s'",
  '""',
  "''",
  '"\\\\"',
  '"\\""',
  '"a\\qb"',
  '"\\x4"',
  '"\\U00110000"',
  '"<<"',
  "'<<'",
  '"#x"',
  "'a # b'",
  '"1"',
  "'true'",
  '"~"',
  '"é😀"',
  '"\\e\\0"',
  '" lead"',
  '"trail "',
];

const KEYS = [
  'a',
  'b',
  'c',
  'name',
  'spec',
  'hostPID',
  'privileged',
  'image',
  'x.y/z',
  'app.kubernetes.io/name',
  '1',
  '2.5',
  'true',
  'yes',
  '~',
  'null',
  '0x10',
  '1e3',
  '"a"',
  "'b'",
  '"1"',
  '-k',
  'k-',
  'k_1',
  '日本',
  '"a b"',
  '.5',
  '-1',
  '2001-12-14',
  '"<<"',
  'on',
  'N',
  '18446744073709551615',
  '.inf',
  '.nan',
  '""',
];

const TAGS = [
  '!!str',
  '!!int',
  '!!float',
  '!!bool',
  '!!null',
  '!!binary',
  '!!timestamp',
  '!!map',
  '!!seq',
  '!!merge',
  '!custom',
  '!',
  '!<tag:yaml.org,2002:str>',
  '!<tag:yaml.org,2002:int>',
  '!e!x',
  '!!',
  '!<>',
];

const BINARY = ['aGVsbG8=', '/w==', '4pyT', 'aGVsbG8', 'a', '', '////', 'YQ==YQ==', 'wqA=', '7aCA'];

const BLOCK_HEADERS = ['|', '>', '|-', '>-', '|+', '>+', '|2', '>1', '|1-', '>2+', '|-1', '|0', '| #c', '|x'];

interface Ctx {
  r: Random;
  anchors: string[];
  depth: number;
  /** Only constructs go-yaml accepts (most of the time), so that values get compared, not just errors. */
  clean: boolean;
  /** Anchors on mappings (what a merge key may name). */
  mapAnchors: string[];
}

const CLEAN_KEYS = KEYS.filter((k) => !['~', 'null', '18446744073709551615', '""'].includes(k));

function flowMap(c: Ctx): string {
  const r = c.r;
  const n = 1 + r.int(3);
  const items: string[] = [];
  for (let i = 0; i < n; i++) items.push(`${r.pick(CLEAN_KEYS)}: ${scalar(c)}`);
  return `{${items.join(', ')}}`;
}

const NON_FINITE = new Set(['.inf', '-.Inf', '+.INF', '.nan', '.NaN']);
const CLEAN_PLAIN = PLAIN.filter((p) => !NON_FINITE.has(p));
const BAD_QUOTED = new Set(['"\\/"', '"\\uD800"', '"a\\qb"', '"\\x4"', '"\\U00110000"']);
const CLEAN_QUOTED = QUOTED.filter((q) => !BAD_QUOTED.has(q));
const CLEAN_BLOCK_HEADERS = ['|', '>', '|-', '>-', '|+', '>+', '|2', '>1', '|1-', '>2+', '|-1', '| #c'];

function cleanScalar(c: Ctx): string {
  const r = c.r;
  const roll = r.int(20);
  if (roll < 11) return r.pick(CLEAN_PLAIN);
  if (roll < 15) return r.pick(CLEAN_QUOTED);
  if (roll < 16) return `!!binary ${r.pick(['aGVsbG8=', '/w==', '4pyT', '', '7aCA', 'wqA='])}`;
  if (roll < 17) return `${r.pick(['!!str', '!custom', '!', '!<tag:yaml.org,2002:str>'])} ${r.pick(CLEAN_PLAIN)}`;
  if (roll < 18) return `${r.pick(['!!int', '!!float'])} ${r.pick(['1', '0x1F', '-7', '0777', '1_000', '+3'])}`;
  if (roll < 19 && c.anchors.length > 0) return `*${r.pick(c.anchors)}`;
  return r.chance(0.5) ? '' : r.pick(CLEAN_PLAIN);
}

function scalar(c: Ctx): string {
  const r = c.r;
  if (c.clean) return cleanScalar(c);
  const roll = r.int(20);
  if (roll < 9) return r.pick(PLAIN);
  if (roll < 13) return r.pick(QUOTED);
  if (roll < 14) return `!!binary ${r.pick(BINARY)}`;
  if (roll < 16) return `${r.pick(TAGS)} ${r.chance(0.5) ? r.pick(PLAIN) : r.pick(QUOTED)}`;
  if (roll < 17 && c.anchors.length > 0) return `*${r.pick(c.anchors)}`;
  if (roll < 18) return r.chance(0.9) ? '' : `*nope`;
  return r.pick(PLAIN);
}

function flow(c: Ctx, depth: number): string {
  const r = c.r;
  const n = r.int(4);
  const items: string[] = [];
  const isMap = r.chance(0.5);
  for (let i = 0; i < n; i++) {
    let v = depth > 0 && r.chance(0.25) ? flow(c, depth - 1) : scalar(c);
    if (r.chance(0.05)) v = `&f${c.anchors.length} ${v}`;
    if (isMap) {
      const k = r.chance(0.1) ? '<<' : r.pick(KEYS);
      items.push(r.chance(0.1) ? k : `${k}:${c.clean || r.chance(0.9) ? ' ' : ''}${v}`);
    } else {
      items.push(v);
    }
  }
  const sep = c.clean || r.chance(0.9) ? ', ' : r.pick([',', ' , ', ',\n  ', ' ,']);
  const body = items.join(sep);
  const trailing = !c.clean && r.chance(0.05) ? ',' : '';
  return isMap ? `{${body}${trailing}}` : `[${body}${trailing}]`;
}

function blockScalar(c: Ctx, indent: number): string {
  const r = c.r;
  const header = r.pick(c.clean ? CLEAN_BLOCK_HEADERS : BLOCK_HEADERS);
  const lines: string[] = [];
  const base = indent + 1 + r.int(3);
  const n = r.int(5);
  for (let i = 0; i < n; i++) {
    const roll = r.int(10);
    if (roll === 0) lines.push('');
    else if (roll === 1) lines.push(' '.repeat(base + r.int(3)));
    else if (roll === 2) lines.push(`${' '.repeat(base + 1 + r.int(2))}more ${r.pick(PLAIN)}`);
    else if (roll === 3) lines.push(`${' '.repeat(base)}${r.pick(PLAIN)}  `);
    else if (roll === 4 && !c.clean && r.chance(0.3))
      lines.push(`${' '.repeat(Math.max(0, base - 1))}\t${r.pick(PLAIN)}`);
    else lines.push(`${' '.repeat(base)}${r.pick(PLAIN)} ${r.pick(PLAIN)}`);
  }
  return `${header}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

/** A value after `key:` or `- ` at `indent`: inline (same line) or block (following lines). */
function value(c: Ctx, indent: number): string {
  const r = c.r;
  let prefix = '';
  let anchor: string | undefined;
  if (r.chance(0.1)) {
    anchor = `a${c.anchors.length}`;
    prefix = `&${anchor} `;
    c.anchors.push(anchor);
  }
  if (!c.clean && r.chance(0.05)) prefix += `${r.pick(TAGS)} `;
  const roll = r.int(10);
  if (c.depth < 4 && roll < 3) {
    c.depth++;
    const step = r.pick([2, 2, 2, 1, 3, 4]);
    const isMap = r.chance(0.6);
    const body = isMap ? mapping(c, indent + step) : sequence(c, r.chance(0.3) ? indent : indent + step);
    if (isMap && anchor) c.mapAnchors.push(anchor);
    c.depth--;
    return `${prefix.trimEnd()}\n${body}`;
  }
  if (roll < 5) {
    if (c.clean && r.chance(0.5)) {
      if (anchor) c.mapAnchors.push(anchor);
      return `${prefix}${flowMap(c)}\n`;
    }
    return `${prefix}${flow(c, 2)}\n`;
  }
  if (roll < 6) return `${prefix}${blockScalar(c, indent)}`;
  if (roll === 6) {
    const more = ' '.repeat(indent + 1 + r.int(3));
    const gap = r.chance(0.3) ? '\n' : '';
    if (r.chance(0.5)) return `${prefix}${r.pick(CLEAN_PLAIN)}\n${gap}${more}${r.pick(CLEAN_PLAIN)}\n`;
    return `${prefix}'${r.pick(CLEAN_PLAIN)}\n${gap}${more}${r.pick(CLEAN_PLAIN)}'\n`;
  }
  const s = scalar(c);
  const comment = r.chance(0.1) ? r.pick(c.clean ? [' # c', ' #'] : [' # c', '\t# c', ' #', '#c']) : '';
  const trailing = r.chance(0.05) ? r.pick(c.clean ? [' ', '  '] : [' ', '  ', '\t']) : '';
  return `${prefix}${s}${comment}${trailing}\n`;
}

function mapping(c: Ctx, indent: number): string {
  const r = c.r;
  const pad = ' '.repeat(indent);
  const n = 1 + r.int(4);
  const used: string[] = [];
  let out = '';
  for (let i = 0; i < n; i++) {
    const roll = r.int(20);
    if (roll < 3) {
      // a merge key: alias, list of aliases and maps, or an inline map
      const m = c.mapAnchors;
      const clean = [
        m.length > 0 ? `*${r.pick(m)}` : flowMap(c),
        `[${m.length > 0 ? `*${r.pick(m)}, ` : ''}${flowMap(c)}${m.length > 1 ? `, *${r.pick(m)}` : ''}]`,
        flowMap(c),
        `{${used.length ? `${r.pick(used)}: ${scalar(c)}` : 'z: 1'}, hostPID: true}`,
      ];
      const choices = [
        c.anchors.length > 0 ? `*${r.pick(c.anchors)}` : '{m: 1}',
        `[${c.anchors.length > 0 ? `*${r.pick(c.anchors)}, ` : ''}${flow(c, 1)}]`,
        flow(c, 1),
        `{${used.length ? `${r.pick(used)}: ${scalar(c)}` : 'z: 1'}, hostPID: true}`,
      ];
      out += `${pad}<<: ${r.pick(c.clean ? clean : choices)}\n`;
      continue;
    }
    let key = roll < 5 && used.length > 0 ? r.pick(used) : r.pick(c.clean ? CLEAN_KEYS : KEYS);
    if (!c.clean && r.chance(0.03)) key = `${r.pick(TAGS)} ${key}`;
    if (r.chance(0.03)) key = `&k${c.anchors.length} ${key}`;
    used.push(key);
    if (r.chance(0.04)) {
      out += `${pad}? ${key}\n${pad}: ${value(c, indent)}`;
      continue;
    }
    const sep = c.clean || r.chance(0.95) ? ': ' : r.pick([':', ' : ', ':  ', ':\t']);
    const v = value(c, indent);
    out +=
      v.startsWith('\n') || v.startsWith('&') || v.startsWith('!')
        ? `${pad}${key}:${v.startsWith('\n') ? '' : ' '}${v}`
        : `${pad}${key}${sep}${v}`;
  }
  return out;
}

function sequence(c: Ctx, indent: number): string {
  const r = c.r;
  const pad = ' '.repeat(indent);
  const n = 1 + r.int(3);
  let out = '';
  for (let i = 0; i < n; i++) {
    if (r.chance(0.3) && c.depth < 4) {
      c.depth++;
      const m = mapping(c, indent + 2);
      c.depth--;
      out += `${pad}- ${m.slice(indent + 2)}`;
      continue;
    }
    const v = value(c, indent);
    out += v.startsWith('\n') ? `${pad}-${v}` : `${pad}- ${v}`;
  }
  return out;
}

function document(r: Random, clean: boolean): string {
  const c: Ctx = { r, anchors: [], depth: 0, clean, mapAnchors: [] };
  const roll = r.int(20);
  if (roll < 14) return mapping(c, r.chance(0.05) ? 1 : 0);
  if (roll < 17) return sequence(c, 0);
  if (roll < 19) return `${flow(c, 3)}\n`;
  return value(c, 0);
}

const INSERTS = [
  ':',
  '-',
  '?',
  '#',
  '\t',
  '\r',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  ' ',
  '\n',
  '\u00a0',
  '\u0085',
  '\u2028',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\r\n',
  '---',
  '...',
  '<<: ',
  '  ',
  '\\',
];

function mutate(r: Random, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const n = 1 + r.int(3);
  for (let i = 0; i < n; i++) {
    const at = r.int(out.length + 1);
    const roll = r.int(10);
    if (roll < 5) out.splice(at, 0, ...Buffer.from(r.pick(INSERTS)));
    else if (roll < 8) out.splice(at, 1);
    else
      out.splice(
        at,
        0,
        ...r.pick([[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98]]),
      );
  }
  return new Uint8Array(out);
}

/** `count` generated streams (1 to 3 documents each), the same for the same seed. */
export function generatedCorpus(seed: number, count: number): Uint8Array[] {
  const r = new Random(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const docs: string[] = [];
    const n = r.chance(0.8) ? 1 : 2 + r.int(2);
    const clean = r.chance(0.6);
    for (let d = 0; d < n; d++) docs.push(document(r, clean));
    let text = docs
      .map((d, k) => (k > 0 || r.chance(0.1) ? `${r.pick(['---\n', '--- # x\n', '---\n\n'])}${d}` : d))
      .join('');
    if (r.chance(0.05)) text += r.pick(['...\n', '---\n', '\n\n']);
    if (r.chance(0.03))
      text = `${r.pick(['%YAML 1.1\n---\n', '%YAML 1.2\n---\n', '%TAG !e! tag:e.com:\n---\n'])}${text}`;
    if (r.chance(0.05)) text = text.replace(/\n/g, '\r\n');
    else if (r.chance(0.02)) text = text.replace(/\n/g, '\r');
    if (r.chance(0.03)) text = `\ufeff${text}`;
    if (r.chance(0.05)) text = text.trimEnd();
    let bytes: Uint8Array = enc(text);
    if (r.chance(0.02)) {
      const le = Buffer.from(`\ufeff${text}`, 'utf16le');
      if (r.chance(0.5)) for (let k = 0; k < le.length; k += 2) [le[k], le[k + 1]] = [le[k + 1], le[k]];
      bytes = new Uint8Array(le);
    } else if (!clean && r.chance(0.5)) {
      bytes = mutate(r, bytes);
    }
    out.push(bytes);
  }
  return out;
}
