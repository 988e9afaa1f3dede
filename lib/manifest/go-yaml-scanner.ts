/**
 * The reader and scanner of go-yaml v2 (gopkg.in/yaml.v2 2.4.0, itself a port of libyaml), ported line by line so that
 * bulwark tokenizes YAML exactly as kubectl and Helm do (through sigs.k8s.io/yaml). Same names as the Go source
 * (readerc.go, scannerc.go) where it helps a side-by-side reading; comments say where the port differs in form.
 *
 * It works on bytes, as Go does: the input is decoded (UTF-8 or UTF-16 by byte order mark, invalid sequences and
 * control characters refused) into UTF-8 in the same 512-byte raw chunks as go-yaml, because some behaviour depends on
 * them (when a reader error is noticed; go-yaml's byte-order-mark test looks at the start of its current buffer).
 *
 * @see https://github.com/go-yaml/yaml/blob/v2.4.0/scannerc.go
 */

export const enum Tok {
  NO,
  STREAM_START,
  STREAM_END,
  VERSION_DIRECTIVE,
  TAG_DIRECTIVE,
  DOCUMENT_START,
  DOCUMENT_END,
  BLOCK_SEQUENCE_START,
  BLOCK_MAPPING_START,
  BLOCK_END,
  FLOW_SEQUENCE_START,
  FLOW_SEQUENCE_END,
  FLOW_MAPPING_START,
  FLOW_MAPPING_END,
  BLOCK_ENTRY,
  FLOW_ENTRY,
  KEY,
  VALUE,
  ALIAS,
  ANCHOR,
  TAG,
  SCALAR,
}

export const enum ScalarStyle {
  ANY,
  PLAIN,
  SINGLE_QUOTED,
  DOUBLE_QUOTED,
  LITERAL,
  FOLDED,
}

export interface Mark {
  index: number;
  line: number;
  column: number;
}

export interface Token {
  typ: Tok;
  start_mark: Mark;
  end_mark: Mark;
  /** Scalar text, anchor or alias name, tag handle, %TAG handle (UTF-8 bytes). */
  value?: Uint8Array;
  suffix?: Uint8Array;
  prefix?: Uint8Array;
  style?: ScalarStyle;
  major?: number;
  minor?: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  token_number: number;
  mark: Mark;
}

export const enum ErrorKind {
  NONE,
  READER,
  SCANNER,
  PARSER,
  COMPOSER,
}

const RAW_BUFFER_SIZE = 512;
const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

const enum Enc {
  ANY,
  UTF8,
  UTF16LE,
  UTF16BE,
}

function copyMark(m: Mark): Mark {
  return { index: m.index, line: m.line, column: m.column };
}

/** A growable byte string (Go's []byte used with append). */
export class Bytes {
  buf: Uint8Array;
  len = 0;
  constructor(size = 16) {
    this.buf = new Uint8Array(size);
  }
  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  push(b: number): void {
    if (this.len === this.buf.length) this.grow(this.len + 1);
    this.buf[this.len++] = b;
  }
  append(src: Uint8Array | Bytes, from = 0, to?: number): void {
    const arr = src instanceof Bytes ? src.buf : src;
    const end = to ?? (src instanceof Bytes ? src.len : src.length);
    const n = end - from;
    if (n <= 0) return;
    if (this.len + n > this.buf.length) this.grow(this.len + n);
    if (n < 32) {
      // A loop beats creating a subarray view for the few bytes this mostly copies.
      const buf = this.buf;
      let o = this.len;
      for (let i = from; i < end; i++) buf[o++] = arr[i];
    } else {
      this.buf.set(arr.subarray(from, end), this.len);
    }
    this.len += n;
  }
  clear(): void {
    this.len = 0;
  }
  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function width(b: number): number {
  if ((b & 0x80) === 0) return 1;
  if ((b & 0xe0) === 0xc0) return 2;
  if ((b & 0xf0) === 0xe0) return 3;
  if ((b & 0xf8) === 0xf0) return 4;
  return 0;
}

export class Scanner {
  // --- reader state ---
  private readonly input: Uint8Array;
  private input_pos = 0;
  private raw_start = 0; // raw buffer = input[raw_start .. raw_end), raw_buffer_pos = raw_pos
  private raw_pos = 0;
  private raw_end = 0;
  private eof = false;
  private encoding = Enc.ANY;
  private offset = 0;
  /** Decoded UTF-8, kept whole (Go slides a 1536-byte window over it; `window` is where that window starts). */
  buffer: Uint8Array;
  private buffer_len = 0;
  buffer_pos = 0;
  private window = 0;
  unread = 0;

  // --- error state ---
  error = ErrorKind.NONE;
  problem = '';
  problem_offset = 0;
  problem_value = 0;
  problem_mark: Mark = { index: 0, line: 0, column: 0 };
  context = '';
  context_mark: Mark = { index: 0, line: 0, column: 0 };

  // --- scanner state ---
  mark: Mark = { index: 0, line: 0, column: 0 };
  stream_start_produced = false;
  stream_end_produced = false;
  private flow_level = 0;
  tokens: Token[] = [];
  tokens_head = 0;
  tokens_parsed = 0;
  token_available = false;
  private indent = 0;
  private indents: number[] = [];
  private simple_key_allowed = false;
  private simple_keys: SimpleKey[] = [];
  private simple_keys_by_tok = new Map<number, number>();
  // Scratch buffers of the scalar scanners (never used by two scans at once), kept to spare allocations.
  private readonly scratch_s = new Bytes(256);
  private readonly scratch_leading = new Bytes(16);
  private readonly scratch_trailing = new Bytes(16);
  private readonly scratch_spaces = new Bytes(16);
  private scratch(): [Bytes, Bytes, Bytes, Bytes] {
    const r: [Bytes, Bytes, Bytes, Bytes] = [
      this.scratch_s,
      this.scratch_leading,
      this.scratch_trailing,
      this.scratch_spaces,
    ];
    for (const b of r) b.clear();
    return r;
  }

  constructor(input: Uint8Array) {
    this.input = input;
    // UTF-16 to UTF-8 at most triples... 2 bytes become at most 3; plus room for the end-of-stream zeros.
    this.buffer = new Uint8Array(Math.ceil(input.length * 1.5) + 64);
  }

  // ---------------------------------------------------------------- readerc.go

  private set_reader_error(problem: string, offset: number, value: number): boolean {
    this.error = ErrorKind.READER;
    this.problem = problem;
    this.problem_offset = offset;
    this.problem_value = value;
    return false;
  }

  private determine_encoding(): boolean {
    while (!this.eof && this.raw_end - this.raw_pos < 3) {
      if (!this.update_raw_buffer()) return false;
    }
    const buf = this.input;
    const pos = this.raw_pos;
    const avail = this.raw_end - pos;
    if (avail >= 2 && buf[pos] === 0xff && buf[pos + 1] === 0xfe) {
      this.encoding = Enc.UTF16LE;
      this.raw_pos += 2;
      this.offset += 2;
    } else if (avail >= 2 && buf[pos] === 0xfe && buf[pos + 1] === 0xff) {
      this.encoding = Enc.UTF16BE;
      this.raw_pos += 2;
      this.offset += 2;
    } else if (avail >= 3 && buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf) {
      this.encoding = Enc.UTF8;
      this.raw_pos += 3;
      this.offset += 3;
    } else {
      this.encoding = Enc.UTF8;
    }
    return true;
  }

  private update_raw_buffer(): boolean {
    // The raw buffer is input[raw_start, raw_end) with capacity RAW_BUFFER_SIZE; raw_pos is where decoding is.
    if (this.raw_pos === this.raw_start && this.raw_end - this.raw_start === RAW_BUFFER_SIZE) return true;
    if (this.eof) return true;
    this.raw_start = this.raw_pos; // Go moves the unread bytes to the front
    const room = RAW_BUFFER_SIZE - (this.raw_end - this.raw_start);
    if (this.input_pos === this.input.length) {
      this.eof = true;
      return true;
    }
    const n = Math.min(room, this.input.length - this.input_pos);
    this.input_pos += n;
    this.raw_end += n;
    return true;
  }

  update_buffer(length: number): boolean {
    if (this.unread >= length) return true;
    if (this.encoding === Enc.ANY) {
      if (!this.determine_encoding()) return false;
    }
    this.window = this.buffer_pos;
    let first = true;
    const raw = this.input;
    const out = this.buffer;
    while (this.unread < length) {
      if (!first || this.raw_pos === this.raw_end) {
        if (!this.update_raw_buffer()) return false;
      }
      first = false;
      while (this.raw_pos !== this.raw_end) {
        let value = 0;
        let w = 0;
        const raw_unread = this.raw_end - this.raw_pos;
        if (this.encoding === Enc.UTF8) {
          let octet = raw[this.raw_pos];
          if ((octet & 0x80) === 0) w = 1;
          else if ((octet & 0xe0) === 0xc0) w = 2;
          else if ((octet & 0xf0) === 0xe0) w = 3;
          else if ((octet & 0xf8) === 0xf0) w = 4;
          else return this.set_reader_error('invalid leading UTF-8 octet', this.offset, octet);
          if (w > raw_unread) {
            if (this.eof) return this.set_reader_error('incomplete UTF-8 octet sequence', this.offset, -1);
            break;
          }
          if ((octet & 0x80) === 0) value = octet & 0x7f;
          else if ((octet & 0xe0) === 0xc0) value = octet & 0x1f;
          else if ((octet & 0xf0) === 0xe0) value = octet & 0x0f;
          else value = octet & 0x07;
          for (let k = 1; k < w; k++) {
            octet = raw[this.raw_pos + k];
            if ((octet & 0xc0) !== 0x80) {
              return this.set_reader_error('invalid trailing UTF-8 octet', this.offset + k, octet);
            }
            value = (value << 6) + (octet & 0x3f);
          }
          if (!(
            w === 1 ||
            (w === 2 && value >= 0x80) ||
            (w === 3 && value >= 0x800) ||
            (w === 4 && value >= 0x10000)
          )) {
            return this.set_reader_error('invalid length of a UTF-8 sequence', this.offset, -1);
          }
          if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
            return this.set_reader_error('invalid Unicode character', this.offset, value);
          }
        } else {
          const low = this.encoding === Enc.UTF16LE ? 0 : 1;
          const high = 1 - low;
          if (raw_unread < 2) {
            if (this.eof) return this.set_reader_error('incomplete UTF-16 character', this.offset, -1);
            break;
          }
          value = raw[this.raw_pos + low] + (raw[this.raw_pos + high] << 8);
          if ((value & 0xfc00) === 0xdc00) {
            return this.set_reader_error('unexpected low surrogate area', this.offset, value);
          }
          if ((value & 0xfc00) === 0xd800) {
            w = 4;
            if (raw_unread < 4) {
              if (this.eof) return this.set_reader_error('incomplete UTF-16 surrogate pair', this.offset, -1);
              break;
            }
            const value2 = raw[this.raw_pos + low + 2] + (raw[this.raw_pos + high + 2] << 8);
            if ((value2 & 0xfc00) !== 0xdc00) {
              return this.set_reader_error('expected low surrogate area', this.offset + 2, value2);
            }
            value = 0x10000 + ((value & 0x3ff) << 10) + (value2 & 0x3ff);
          } else {
            w = 2;
          }
        }
        if (!(
          value === 0x09 ||
          value === 0x0a ||
          value === 0x0d ||
          (value >= 0x20 && value <= 0x7e) ||
          value === 0x85 ||
          (value >= 0xa0 && value <= 0xd7ff) ||
          (value >= 0xe000 && value <= 0xfffd) ||
          (value >= 0x10000 && value <= 0x10ffff)
        )) {
          return this.set_reader_error('control characters are not allowed', this.offset, value);
        }
        this.raw_pos += w;
        this.offset += w;
        let bl = this.buffer_len;
        if (value <= 0x7f) {
          out[bl++] = value;
        } else if (value <= 0x7ff) {
          out[bl++] = 0xc0 + (value >> 6);
          out[bl++] = 0x80 + (value & 0x3f);
        } else if (value <= 0xffff) {
          out[bl++] = 0xe0 + (value >> 12);
          out[bl++] = 0x80 + ((value >> 6) & 0x3f);
          out[bl++] = 0x80 + (value & 0x3f);
        } else {
          out[bl++] = 0xf0 + (value >> 18);
          out[bl++] = 0x80 + ((value >> 12) & 0x3f);
          out[bl++] = 0x80 + ((value >> 6) & 0x3f);
          out[bl++] = 0x80 + (value & 0x3f);
        }
        this.buffer_len = bl;
        this.unread++;
      }
      if (this.eof) {
        this.ensure(this.buffer_len + 1);
        this.buffer[this.buffer_len++] = 0;
        this.unread++;
        break;
      }
    }
    // Go pads the window with zeros up to `length`; the buffer here is zero beyond buffer_len already.
    this.ensure(this.buffer_len + 16);
    return true;
  }

  /** Room for the end-of-stream zeros Go keeps appending (each past-the-end read adds one). */
  private ensure(size: number): void {
    if (size <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(size, this.buffer.length * 2));
    next.set(this.buffer.subarray(0, this.buffer_len));
    this.buffer = next;
  }

  private cache(n: number): boolean {
    return this.unread >= n || this.update_buffer(n);
  }

  // ---------------------------------------------------------------- character classes (yamlprivateh.go)

  private is_alpha(i: number): boolean {
    const b = this.buffer[i];
    return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 95 || b === 45;
  }
  private is_digit(i: number): boolean {
    const b = this.buffer[i];
    return b >= 48 && b <= 57;
  }
  private is_hex(i: number): boolean {
    const b = this.buffer[i];
    return (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102);
  }
  private as_hex(i: number): number {
    const b = this.buffer[i];
    if (b >= 65 && b <= 70) return b - 65 + 10;
    if (b >= 97 && b <= 102) return b - 97 + 10;
    return b - 48;
  }
  /** Go's is_bom ignores its index and looks at the start of the current buffer window: kept as is. */
  private is_bom(): boolean {
    const b = this.buffer;
    const w = this.window;
    return b[w] === 0xef && b[w + 1] === 0xbb && b[w + 2] === 0xbf;
  }
  private is_blank(i: number): boolean {
    const b = this.buffer[i];
    return b === 32 || b === 9;
  }
  private is_break(i: number): boolean {
    const b = this.buffer;
    const c = b[i];
    return (
      c === 13 ||
      c === 10 ||
      (c === 0xc2 && b[i + 1] === 0x85) ||
      (c === 0xe2 && b[i + 1] === 0x80 && (b[i + 2] === 0xa8 || b[i + 2] === 0xa9))
    );
  }
  private is_crlf(i: number): boolean {
    return this.buffer[i] === 13 && this.buffer[i + 1] === 10;
  }
  private is_breakz(i: number): boolean {
    return this.buffer[i] === 0 || this.is_break(i);
  }
  private is_blankz(i: number): boolean {
    const c = this.buffer[i];
    return c === 32 || c === 9 || c === 0 || this.is_break(i);
  }
  private ch(i = 0): number {
    return this.buffer[this.buffer_pos + i];
  }

  // ---------------------------------------------------------------- scannerc.go

  private skip(): void {
    this.mark.index++;
    this.mark.column++;
    this.unread--;
    this.buffer_pos += width(this.buffer[this.buffer_pos]);
  }

  private skip_line(): void {
    if (this.is_crlf(this.buffer_pos)) {
      this.mark.index += 2;
      this.mark.column = 0;
      this.mark.line++;
      this.unread -= 2;
      this.buffer_pos += 2;
    } else if (this.is_break(this.buffer_pos)) {
      this.mark.index++;
      this.mark.column = 0;
      this.mark.line++;
      this.unread--;
      this.buffer_pos += width(this.buffer[this.buffer_pos]);
    }
  }

  private read(s: Bytes): void {
    const b = this.buffer;
    const w = width(b[this.buffer_pos]);
    if (w === 0) throw new Error('invalid character sequence');
    for (let k = 0; k < w; k++) s.push(b[this.buffer_pos + k]);
    this.buffer_pos += w;
    this.mark.index++;
    this.mark.column++;
    this.unread--;
  }

  private read_line(s: Bytes): void {
    const buf = this.buffer;
    const pos = this.buffer_pos;
    if (buf[pos] === 13 && buf[pos + 1] === 10) {
      s.push(10);
      this.buffer_pos += 2;
      this.mark.index++;
      this.unread--;
    } else if (buf[pos] === 13 || buf[pos] === 10) {
      s.push(10);
      this.buffer_pos += 1;
    } else if (buf[pos] === 0xc2 && buf[pos + 1] === 0x85) {
      s.push(10);
      this.buffer_pos += 2;
    } else if (buf[pos] === 0xe2 && buf[pos + 1] === 0x80 && (buf[pos + 2] === 0xa8 || buf[pos + 2] === 0xa9)) {
      s.append(buf, pos, pos + 3);
      this.buffer_pos += 3;
    } else {
      return;
    }
    this.mark.index++;
    this.mark.column = 0;
    this.mark.line++;
    this.unread--;
  }

  /** yaml_parser_scan: the next token, or undefined on error (see `error`). */
  peek_token(): Token | undefined {
    if (this.token_available || this.fetch_more_tokens()) return this.tokens[this.tokens_head];
    return undefined;
  }

  skip_token(): void {
    this.token_available = false;
    this.tokens_parsed++;
    this.stream_end_produced = this.tokens[this.tokens_head].typ === Tok.STREAM_END;
    this.tokens_head++;
    // Go compacts its queue when full; here: drop consumed tokens now and then.
    if (this.tokens_head > 1024 && this.tokens_head * 2 > this.tokens.length) {
      this.tokens = this.tokens.slice(this.tokens_head);
      this.tokens_head = 0;
    }
  }

  private set_scanner_error(context: string, context_mark: Mark, problem: string): boolean {
    this.error = ErrorKind.SCANNER;
    this.context = context;
    this.context_mark = copyMark(context_mark);
    this.problem = problem;
    this.problem_mark = copyMark(this.mark);
    return false;
  }

  private set_scanner_tag_error(directive: boolean, context_mark: Mark, problem: string): boolean {
    return this.set_scanner_error(
      directive ? 'while parsing a %TAG directive' : 'while parsing a tag',
      context_mark,
      problem,
    );
  }

  private insert_token(pos: number, token: Token): void {
    if (pos < 0) {
      this.tokens.push(token);
      return;
    }
    this.tokens.splice(this.tokens_head + pos, 0, token);
  }

  private fetch_more_tokens(): boolean {
    for (;;) {
      if (this.tokens_head !== this.tokens.length) {
        const head_tok_idx = this.simple_keys_by_tok.get(this.tokens_parsed);
        if (head_tok_idx === undefined) break;
        const [valid, ok] = this.simple_key_is_valid(this.simple_keys[head_tok_idx]);
        if (!ok) return false;
        if (!valid) break;
      }
      if (!this.fetch_next_token()) return false;
    }
    this.token_available = true;
    return true;
  }

  private fetch_next_token(): boolean {
    if (!this.cache(1)) return false;
    if (!this.stream_start_produced) return this.fetch_stream_start();
    if (!this.scan_to_next_token()) return false;
    if (!this.unroll_indent(this.mark.column)) return false;
    if (!this.cache(4)) return false;
    const pos = this.buffer_pos;
    const c = this.buffer[pos];
    if (c === 0) return this.fetch_stream_end();
    if (this.mark.column === 0 && c === 37 /* % */) return this.fetch_directive();
    const b = this.buffer;
    if (this.mark.column === 0 && c === 45 && b[pos + 1] === 45 && b[pos + 2] === 45 && this.is_blankz(pos + 3)) {
      return this.fetch_document_indicator(Tok.DOCUMENT_START);
    }
    if (this.mark.column === 0 && c === 46 && b[pos + 1] === 46 && b[pos + 2] === 46 && this.is_blankz(pos + 3)) {
      return this.fetch_document_indicator(Tok.DOCUMENT_END);
    }
    switch (c) {
      case 91:
        return this.fetch_flow_collection_start(Tok.FLOW_SEQUENCE_START);
      case 123:
        return this.fetch_flow_collection_start(Tok.FLOW_MAPPING_START);
      case 93:
        return this.fetch_flow_collection_end(Tok.FLOW_SEQUENCE_END);
      case 125:
        return this.fetch_flow_collection_end(Tok.FLOW_MAPPING_END);
      case 44:
        return this.fetch_flow_entry();
    }
    if (c === 45 && this.is_blankz(pos + 1)) return this.fetch_block_entry();
    if (c === 63 /* ? */ && (this.flow_level > 0 || this.is_blankz(pos + 1))) return this.fetch_key();
    if (c === 58 /* : */ && (this.flow_level > 0 || this.is_blankz(pos + 1))) return this.fetch_value();
    if (c === 42 /* * */) return this.fetch_anchor(Tok.ALIAS);
    if (c === 38 /* & */) return this.fetch_anchor(Tok.ANCHOR);
    if (c === 33 /* ! */) return this.fetch_tag();
    if (c === 124 /* | */ && this.flow_level === 0) return this.fetch_block_scalar(true);
    if (c === 62 /* > */ && this.flow_level === 0) return this.fetch_block_scalar(false);
    if (c === 39) return this.fetch_flow_scalar(true);
    if (c === 34) return this.fetch_flow_scalar(false);
    if (
      !(
        this.is_blankz(pos) ||
        c === 45 ||
        c === 63 ||
        c === 58 ||
        c === 44 ||
        c === 91 ||
        c === 93 ||
        c === 123 ||
        c === 125 ||
        c === 35 ||
        c === 38 ||
        c === 42 ||
        c === 33 ||
        c === 124 ||
        c === 62 ||
        c === 39 ||
        c === 34 ||
        c === 37 ||
        c === 64 ||
        c === 96
      ) ||
      (c === 45 && !this.is_blank(pos + 1)) ||
      (this.flow_level === 0 && (c === 63 || c === 58) && !this.is_blankz(pos + 1))
    ) {
      return this.fetch_plain_scalar();
    }
    return this.set_scanner_error(
      'while scanning for the next token',
      this.mark,
      'found character that cannot start any token',
    );
  }

  private simple_key_is_valid(simple_key: SimpleKey): [boolean, boolean] {
    if (!simple_key.possible) return [false, true];
    if (simple_key.mark.line < this.mark.line || simple_key.mark.index + 1024 < this.mark.index) {
      if (simple_key.required) {
        return [
          false,
          this.set_scanner_error('while scanning a simple key', simple_key.mark, "could not find expected ':'"),
        ];
      }
      simple_key.possible = false;
      return [false, true];
    }
    return [true, true];
  }

  private save_simple_key(): boolean {
    const required = this.flow_level === 0 && this.indent === this.mark.column;
    if (this.simple_key_allowed) {
      const simple_key: SimpleKey = {
        possible: true,
        required,
        token_number: this.tokens_parsed + (this.tokens.length - this.tokens_head),
        mark: copyMark(this.mark),
      };
      if (!this.remove_simple_key()) return false;
      this.simple_keys[this.simple_keys.length - 1] = simple_key;
      this.simple_keys_by_tok.set(simple_key.token_number, this.simple_keys.length - 1);
    }
    return true;
  }

  private remove_simple_key(): boolean {
    const i = this.simple_keys.length - 1;
    const key = this.simple_keys[i];
    if (key.possible) {
      if (key.required) {
        return this.set_scanner_error('while scanning a simple key', key.mark, "could not find expected ':'");
      }
      key.possible = false;
      this.simple_keys_by_tok.delete(key.token_number);
    }
    return true;
  }

  private increase_flow_level(): boolean {
    this.simple_keys.push({
      possible: false,
      required: false,
      token_number: this.tokens_parsed + (this.tokens.length - this.tokens_head),
      mark: copyMark(this.mark),
    });
    this.flow_level++;
    if (this.flow_level > MAX_FLOW_LEVEL) {
      return this.set_scanner_error(
        'while increasing flow level',
        this.simple_keys[this.simple_keys.length - 1].mark,
        `exceeded max depth of ${MAX_FLOW_LEVEL}`,
      );
    }
    return true;
  }

  private decrease_flow_level(): boolean {
    if (this.flow_level > 0) {
      this.flow_level--;
      const last = this.simple_keys.pop() as SimpleKey;
      this.simple_keys_by_tok.delete(last.token_number);
    }
    return true;
  }

  private roll_indent(column: number, number: number, typ: Tok, mark: Mark): boolean {
    if (this.flow_level > 0) return true;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS) {
        return this.set_scanner_error(
          'while increasing indent level',
          this.simple_keys[this.simple_keys.length - 1].mark,
          `exceeded max depth of ${MAX_INDENTS}`,
        );
      }
      const token: Token = { typ, start_mark: copyMark(mark), end_mark: copyMark(mark) };
      if (number > -1) number -= this.tokens_parsed;
      this.insert_token(number, token);
    }
    return true;
  }

  private unroll_indent(column: number): boolean {
    if (this.flow_level > 0) return true;
    while (this.indent > column) {
      this.insert_token(-1, { typ: Tok.BLOCK_END, start_mark: copyMark(this.mark), end_mark: copyMark(this.mark) });
      this.indent = this.indents.pop() as number;
    }
    return true;
  }

  private fetch_stream_start(): boolean {
    this.indent = -1;
    this.simple_keys.push({ possible: false, required: false, token_number: 0, mark: copyMark(this.mark) });
    this.simple_keys_by_tok = new Map();
    this.simple_key_allowed = true;
    this.stream_start_produced = true;
    this.insert_token(-1, { typ: Tok.STREAM_START, start_mark: copyMark(this.mark), end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_stream_end(): boolean {
    if (this.mark.column !== 0) {
      this.mark.column = 0;
      this.mark.line++;
    }
    if (!this.unroll_indent(-1)) return false;
    if (!this.remove_simple_key()) return false;
    this.simple_key_allowed = false;
    this.insert_token(-1, { typ: Tok.STREAM_END, start_mark: copyMark(this.mark), end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_directive(): boolean {
    if (!this.unroll_indent(-1)) return false;
    if (!this.remove_simple_key()) return false;
    this.simple_key_allowed = false;
    const token = this.scan_directive();
    if (!token) return false;
    this.insert_token(-1, token);
    return true;
  }

  private fetch_document_indicator(typ: Tok): boolean {
    if (!this.unroll_indent(-1)) return false;
    if (!this.remove_simple_key()) return false;
    this.simple_key_allowed = false;
    const start_mark = copyMark(this.mark);
    this.skip();
    this.skip();
    this.skip();
    this.insert_token(-1, { typ, start_mark, end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_flow_collection_start(typ: Tok): boolean {
    if (!this.save_simple_key()) return false;
    if (!this.increase_flow_level()) return false;
    this.simple_key_allowed = true;
    const start_mark = copyMark(this.mark);
    this.skip();
    this.insert_token(-1, { typ, start_mark, end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_flow_collection_end(typ: Tok): boolean {
    if (!this.remove_simple_key()) return false;
    if (!this.decrease_flow_level()) return false;
    this.simple_key_allowed = false;
    const start_mark = copyMark(this.mark);
    this.skip();
    this.insert_token(-1, { typ, start_mark, end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_flow_entry(): boolean {
    if (!this.remove_simple_key()) return false;
    this.simple_key_allowed = true;
    const start_mark = copyMark(this.mark);
    this.skip();
    this.insert_token(-1, { typ: Tok.FLOW_ENTRY, start_mark, end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_block_entry(): boolean {
    if (this.flow_level === 0) {
      if (!this.simple_key_allowed) {
        return this.set_scanner_error('', this.mark, 'block sequence entries are not allowed in this context');
      }
      if (!this.roll_indent(this.mark.column, -1, Tok.BLOCK_SEQUENCE_START, this.mark)) return false;
    }
    if (!this.remove_simple_key()) return false;
    this.simple_key_allowed = true;
    const start_mark = copyMark(this.mark);
    this.skip();
    this.insert_token(-1, { typ: Tok.BLOCK_ENTRY, start_mark, end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_key(): boolean {
    if (this.flow_level === 0) {
      if (!this.simple_key_allowed) {
        return this.set_scanner_error('', this.mark, 'mapping keys are not allowed in this context');
      }
      if (!this.roll_indent(this.mark.column, -1, Tok.BLOCK_MAPPING_START, this.mark)) return false;
    }
    if (!this.remove_simple_key()) return false;
    this.simple_key_allowed = this.flow_level === 0;
    const start_mark = copyMark(this.mark);
    this.skip();
    this.insert_token(-1, { typ: Tok.KEY, start_mark, end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_value(): boolean {
    const simple_key = this.simple_keys[this.simple_keys.length - 1];
    const [valid, ok] = this.simple_key_is_valid(simple_key);
    if (!ok) return false;
    if (valid) {
      this.insert_token(simple_key.token_number - this.tokens_parsed, {
        typ: Tok.KEY,
        start_mark: copyMark(simple_key.mark),
        end_mark: copyMark(simple_key.mark),
      });
      if (
        !this.roll_indent(simple_key.mark.column, simple_key.token_number, Tok.BLOCK_MAPPING_START, simple_key.mark)
      ) {
        return false;
      }
      simple_key.possible = false;
      this.simple_keys_by_tok.delete(simple_key.token_number);
      this.simple_key_allowed = false;
    } else {
      if (this.flow_level === 0) {
        if (!this.simple_key_allowed) {
          return this.set_scanner_error('', this.mark, 'mapping values are not allowed in this context');
        }
        if (!this.roll_indent(this.mark.column, -1, Tok.BLOCK_MAPPING_START, this.mark)) return false;
      }
      this.simple_key_allowed = this.flow_level === 0;
    }
    const start_mark = copyMark(this.mark);
    this.skip();
    this.insert_token(-1, { typ: Tok.VALUE, start_mark, end_mark: copyMark(this.mark) });
    return true;
  }

  private fetch_anchor(typ: Tok): boolean {
    if (!this.save_simple_key()) return false;
    this.simple_key_allowed = false;
    const token = this.scan_anchor(typ);
    if (!token) return false;
    this.insert_token(-1, token);
    return true;
  }

  private fetch_tag(): boolean {
    if (!this.save_simple_key()) return false;
    this.simple_key_allowed = false;
    const token = this.scan_tag();
    if (!token) return false;
    this.insert_token(-1, token);
    return true;
  }

  private fetch_block_scalar(literal: boolean): boolean {
    if (!this.remove_simple_key()) return false;
    this.simple_key_allowed = true;
    const token = this.scan_block_scalar(literal);
    if (!token) return false;
    this.insert_token(-1, token);
    return true;
  }

  private fetch_flow_scalar(single: boolean): boolean {
    if (!this.save_simple_key()) return false;
    this.simple_key_allowed = false;
    const token = this.scan_flow_scalar(single);
    if (!token) return false;
    this.insert_token(-1, token);
    return true;
  }

  private fetch_plain_scalar(): boolean {
    if (!this.save_simple_key()) return false;
    this.simple_key_allowed = false;
    const token = this.scan_plain_scalar();
    if (!token) return false;
    this.insert_token(-1, token);
    return true;
  }

  private scan_to_next_token(): boolean {
    for (;;) {
      if (!this.cache(1)) return false;
      if (this.mark.column === 0 && this.is_bom()) this.skip();
      if (!this.cache(1)) return false;
      while (this.ch() === 32 || ((this.flow_level > 0 || !this.simple_key_allowed) && this.ch() === 9)) {
        this.skip();
        if (!this.cache(1)) return false;
      }
      if (this.ch() === 35) {
        while (!this.is_breakz(this.buffer_pos)) {
          this.skip();
          if (!this.cache(1)) return false;
        }
      }
      if (this.is_break(this.buffer_pos)) {
        if (!this.cache(2)) return false;
        this.skip_line();
        if (this.flow_level === 0) this.simple_key_allowed = true;
      } else {
        break;
      }
    }
    return true;
  }

  private skip_blanks_and_comment(): boolean {
    if (!this.cache(1)) return false;
    while (this.is_blank(this.buffer_pos)) {
      this.skip();
      if (!this.cache(1)) return false;
    }
    if (this.ch() === 35) {
      while (!this.is_breakz(this.buffer_pos)) {
        this.skip();
        if (!this.cache(1)) return false;
      }
    }
    return true;
  }

  private scan_directive(): Token | undefined {
    const start_mark = copyMark(this.mark);
    this.skip();
    const name = this.scan_directive_name(start_mark);
    if (name === undefined) return undefined;
    let token: Token;
    if (name === 'YAML') {
      const version = this.scan_version_directive_value(start_mark);
      if (!version) return undefined;
      token = {
        typ: Tok.VERSION_DIRECTIVE,
        start_mark,
        end_mark: copyMark(this.mark),
        major: version[0],
        minor: version[1],
      };
    } else if (name === 'TAG') {
      const tag = this.scan_tag_directive_value(start_mark);
      if (!tag) return undefined;
      token = { typ: Tok.TAG_DIRECTIVE, start_mark, end_mark: copyMark(this.mark), value: tag[0], prefix: tag[1] };
    } else {
      this.set_scanner_error('while scanning a directive', start_mark, 'found unknown directive name');
      return undefined;
    }
    if (!this.skip_blanks_and_comment()) return undefined;
    if (!this.is_breakz(this.buffer_pos)) {
      this.set_scanner_error('while scanning a directive', start_mark, 'did not find expected comment or line break');
      return undefined;
    }
    if (this.is_break(this.buffer_pos)) {
      if (!this.cache(2)) return undefined;
      this.skip_line();
    }
    return token;
  }

  private scan_directive_name(start_mark: Mark): string | undefined {
    if (!this.cache(1)) return undefined;
    const s = new Bytes();
    while (this.is_alpha(this.buffer_pos)) {
      this.read(s);
      if (!this.cache(1)) return undefined;
    }
    if (s.len === 0) {
      this.set_scanner_error('while scanning a directive', start_mark, 'could not find expected directive name');
      return undefined;
    }
    if (!this.is_blankz(this.buffer_pos)) {
      this.set_scanner_error('while scanning a directive', start_mark, 'found unexpected non-alphabetical character');
      return undefined;
    }
    return Buffer.from(s.bytes()).toString('latin1');
  }

  private scan_version_directive_value(start_mark: Mark): [number, number] | undefined {
    if (!this.cache(1)) return undefined;
    while (this.is_blank(this.buffer_pos)) {
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    const major = this.scan_version_directive_number(start_mark);
    if (major === undefined) return undefined;
    if (this.ch() !== 46) {
      this.set_scanner_error(
        'while scanning a %YAML directive',
        start_mark,
        "did not find expected digit or '.' character",
      );
      return undefined;
    }
    this.skip();
    const minor = this.scan_version_directive_number(start_mark);
    if (minor === undefined) return undefined;
    return [major, minor];
  }

  private scan_version_directive_number(start_mark: Mark): number | undefined {
    if (!this.cache(1)) return undefined;
    let value = 0;
    let length = 0;
    while (this.is_digit(this.buffer_pos)) {
      length++;
      if (length > 2) {
        this.set_scanner_error('while scanning a %YAML directive', start_mark, 'found extremely long version number');
        return undefined;
      }
      value = value * 10 + (this.ch() - 48);
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    if (length === 0) {
      this.set_scanner_error('while scanning a %YAML directive', start_mark, 'did not find expected version number');
      return undefined;
    }
    return value;
  }

  private scan_tag_directive_value(start_mark: Mark): [Uint8Array, Uint8Array] | undefined {
    if (!this.cache(1)) return undefined;
    while (this.is_blank(this.buffer_pos)) {
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    const handle = this.scan_tag_handle(true, start_mark);
    if (!handle) return undefined;
    if (!this.cache(1)) return undefined;
    if (!this.is_blank(this.buffer_pos)) {
      this.set_scanner_error('while scanning a %TAG directive', start_mark, 'did not find expected whitespace');
      return undefined;
    }
    while (this.is_blank(this.buffer_pos)) {
      this.skip();
      if (!this.cache(1)) return undefined;
    }
    const prefix = this.scan_tag_uri(true, undefined, start_mark);
    if (!prefix) return undefined;
    if (!this.cache(1)) return undefined;
    if (!this.is_blankz(this.buffer_pos)) {
      this.set_scanner_error(
        'while scanning a %TAG directive',
        start_mark,
        'did not find expected whitespace or line break',
      );
      return undefined;
    }
    return [handle, prefix];
  }

  private scan_anchor(typ: Tok): Token | undefined {
    const s = new Bytes();
    const start_mark = copyMark(this.mark);
    this.skip();
    if (!this.cache(1)) return undefined;
    while (this.is_alpha(this.buffer_pos)) {
      this.read(s);
      if (!this.cache(1)) return undefined;
    }
    const end_mark = copyMark(this.mark);
    const c = this.ch();
    if (
      s.len === 0 ||
      !(
        this.is_blankz(this.buffer_pos) ||
        c === 63 ||
        c === 58 ||
        c === 44 ||
        c === 93 ||
        c === 125 ||
        c === 37 ||
        c === 64 ||
        c === 96
      )
    ) {
      this.set_scanner_error(
        typ === Tok.ANCHOR ? 'while scanning an anchor' : 'while scanning an alias',
        start_mark,
        'did not find expected alphabetic or numeric character',
      );
      return undefined;
    }
    return { typ, start_mark, end_mark, value: s.bytes() };
  }

  private scan_tag(): Token | undefined {
    let handle: Uint8Array;
    let suffix: Uint8Array;
    const start_mark = copyMark(this.mark);
    if (!this.cache(2)) return undefined;
    if (this.ch(1) === 60 /* < */) {
      this.skip();
      this.skip();
      const uri = this.scan_tag_uri(false, undefined, start_mark);
      if (!uri) return undefined;
      suffix = uri;
      handle = new Uint8Array(0);
      if (this.ch() !== 62) {
        this.set_scanner_error('while scanning a tag', start_mark, "did not find the expected '>'");
        return undefined;
      }
      this.skip();
    } else {
      const h = this.scan_tag_handle(false, start_mark);
      if (!h) return undefined;
      handle = h;
      if (handle[0] === 33 && handle.length > 1 && handle[handle.length - 1] === 33) {
        const uri = this.scan_tag_uri(false, undefined, start_mark);
        if (!uri) return undefined;
        suffix = uri;
      } else {
        const uri = this.scan_tag_uri(false, handle, start_mark);
        if (!uri) return undefined;
        suffix = uri;
        handle = new Uint8Array([33]);
        if (suffix.length === 0) {
          const t = handle;
          handle = suffix;
          suffix = t;
        }
      }
    }
    if (!this.cache(1)) return undefined;
    if (!this.is_blankz(this.buffer_pos)) {
      this.set_scanner_error('while scanning a tag', start_mark, 'did not find expected whitespace or line break');
      return undefined;
    }
    return { typ: Tok.TAG, start_mark, end_mark: copyMark(this.mark), value: handle, suffix };
  }

  private scan_tag_handle(directive: boolean, start_mark: Mark): Uint8Array | undefined {
    if (!this.cache(1)) return undefined;
    if (this.ch() !== 33) {
      this.set_scanner_tag_error(directive, start_mark, "did not find expected '!'");
      return undefined;
    }
    const s = new Bytes();
    this.read(s);
    if (!this.cache(1)) return undefined;
    while (this.is_alpha(this.buffer_pos)) {
      this.read(s);
      if (!this.cache(1)) return undefined;
    }
    if (this.ch() === 33) {
      this.read(s);
    } else if (directive && !(s.len === 1 && s.buf[0] === 33)) {
      this.set_scanner_tag_error(directive, start_mark, "did not find expected '!'");
      return undefined;
    }
    return s.bytes();
  }

  private scan_tag_uri(directive: boolean, head: Uint8Array | undefined, start_mark: Mark): Uint8Array | undefined {
    const s = new Bytes();
    let hasTag = head !== undefined && head.length > 0;
    if (head && head.length > 1) s.append(head, 1);
    if (!this.cache(1)) return undefined;
    for (;;) {
      const c = this.ch();
      if (!(
        this.is_alpha(this.buffer_pos) ||
        c === 59 ||
        c === 47 ||
        c === 63 ||
        c === 58 ||
        c === 64 ||
        c === 38 ||
        c === 61 ||
        c === 43 ||
        c === 36 ||
        c === 44 ||
        c === 46 ||
        c === 33 ||
        c === 126 ||
        c === 42 ||
        c === 39 ||
        c === 40 ||
        c === 41 ||
        c === 91 ||
        c === 93 ||
        c === 37
      )) {
        break;
      }
      if (c === 37) {
        if (!this.scan_uri_escapes(directive, start_mark, s)) return undefined;
      } else {
        this.read(s);
      }
      if (!this.cache(1)) return undefined;
      hasTag = true;
    }
    if (!hasTag) {
      this.set_scanner_tag_error(directive, start_mark, 'did not find expected tag URI');
      return undefined;
    }
    return s.bytes();
  }

  private scan_uri_escapes(directive: boolean, start_mark: Mark, s: Bytes): boolean {
    let w = 1024;
    while (w > 0) {
      if (!this.cache(3)) return false;
      const p = this.buffer_pos;
      if (!(this.buffer[p] === 37 && this.is_hex(p + 1) && this.is_hex(p + 2))) {
        return this.set_scanner_tag_error(directive, start_mark, 'did not find URI escaped octet');
      }
      const octet = (this.as_hex(p + 1) << 4) + this.as_hex(p + 2);
      if (w === 1024) {
        w = width(octet);
        if (w === 0) return this.set_scanner_tag_error(directive, start_mark, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        return this.set_scanner_tag_error(directive, start_mark, 'found an incorrect trailing UTF-8 octet');
      }
      s.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return true;
  }

  private scan_block_scalar(literal: boolean): Token | undefined {
    const start_mark = copyMark(this.mark);
    this.skip();
    if (!this.cache(1)) return undefined;
    let chomping = 0;
    let increment = 0;
    if (this.ch() === 43 || this.ch() === 45) {
      chomping = this.ch() === 43 ? 1 : -1;
      this.skip();
      if (!this.cache(1)) return undefined;
      if (this.is_digit(this.buffer_pos)) {
        if (this.ch() === 48) {
          this.set_scanner_error(
            'while scanning a block scalar',
            start_mark,
            'found an indentation indicator equal to 0',
          );
          return undefined;
        }
        increment = this.ch() - 48;
        this.skip();
      }
    } else if (this.is_digit(this.buffer_pos)) {
      if (this.ch() === 48) {
        this.set_scanner_error(
          'while scanning a block scalar',
          start_mark,
          'found an indentation indicator equal to 0',
        );
        return undefined;
      }
      increment = this.ch() - 48;
      this.skip();
      if (!this.cache(1)) return undefined;
      if (this.ch() === 43 || this.ch() === 45) {
        chomping = this.ch() === 43 ? 1 : -1;
        this.skip();
      }
    }
    if (!this.skip_blanks_and_comment()) return undefined;
    if (!this.is_breakz(this.buffer_pos)) {
      this.set_scanner_error(
        'while scanning a block scalar',
        start_mark,
        'did not find expected comment or line break',
      );
      return undefined;
    }
    if (this.is_break(this.buffer_pos)) {
      if (!this.cache(2)) return undefined;
      this.skip_line();
    }
    const end_mark = { m: copyMark(this.mark) };
    const indent = { v: 0 };
    if (increment > 0) indent.v = this.indent >= 0 ? this.indent + increment : increment;
    const [s, leading_break, trailing_breaks] = this.scratch();
    if (!this.scan_block_scalar_breaks(indent, trailing_breaks, start_mark, end_mark)) return undefined;
    if (!this.cache(1)) return undefined;
    let leading_blank = false;
    let trailing_blank = false;
    while (this.mark.column === indent.v && this.ch() !== 0) {
      trailing_blank = this.is_blank(this.buffer_pos);
      if (!literal && !leading_blank && !trailing_blank && leading_break.len > 0 && leading_break.buf[0] === 10) {
        if (trailing_breaks.len === 0) s.push(32);
      } else {
        s.append(leading_break);
      }
      leading_break.clear();
      s.append(trailing_breaks);
      trailing_breaks.clear();
      leading_blank = this.is_blank(this.buffer_pos);
      while (!this.is_breakz(this.buffer_pos)) {
        this.read(s);
        if (!this.cache(1)) return undefined;
      }
      if (!this.cache(2)) return undefined;
      this.read_line(leading_break);
      if (!this.scan_block_scalar_breaks(indent, trailing_breaks, start_mark, end_mark)) return undefined;
    }
    if (chomping !== -1) s.append(leading_break);
    if (chomping === 1) s.append(trailing_breaks);
    return {
      typ: Tok.SCALAR,
      start_mark,
      end_mark: end_mark.m,
      value: s.bytes(),
      style: literal ? ScalarStyle.LITERAL : ScalarStyle.FOLDED,
    };
  }

  private scan_block_scalar_breaks(
    indent: { v: number },
    breaks: Bytes,
    start_mark: Mark,
    end_mark: { m: Mark },
  ): boolean {
    end_mark.m = copyMark(this.mark);
    let max_indent = 0;
    for (;;) {
      if (!this.cache(1)) return false;
      while ((indent.v === 0 || this.mark.column < indent.v) && this.ch() === 32) {
        this.skip();
        if (!this.cache(1)) return false;
      }
      if (this.mark.column > max_indent) max_indent = this.mark.column;
      if ((indent.v === 0 || this.mark.column < indent.v) && this.ch() === 9) {
        return this.set_scanner_error(
          'while scanning a block scalar',
          start_mark,
          'found a tab character where an indentation space is expected',
        );
      }
      if (!this.is_break(this.buffer_pos)) break;
      if (!this.cache(2)) return false;
      this.read_line(breaks);
      end_mark.m = copyMark(this.mark);
    }
    if (indent.v === 0) {
      indent.v = max_indent;
      if (indent.v < this.indent + 1) indent.v = this.indent + 1;
      if (indent.v < 1) indent.v = 1;
    }
    return true;
  }

  private at_document_indicator(): boolean {
    const b = this.buffer;
    const p = this.buffer_pos;
    return (
      this.mark.column === 0 &&
      ((b[p] === 45 && b[p + 1] === 45 && b[p + 2] === 45) || (b[p] === 46 && b[p + 1] === 46 && b[p + 2] === 46)) &&
      this.is_blankz(p + 3)
    );
  }

  private scan_flow_scalar(single: boolean): Token | undefined {
    const start_mark = copyMark(this.mark);
    this.skip();
    const [s, leading_break, trailing_breaks, whitespaces] = this.scratch();
    for (;;) {
      if (!this.cache(4)) return undefined;
      if (this.at_document_indicator()) {
        this.set_scanner_error('while scanning a quoted scalar', start_mark, 'found unexpected document indicator');
        return undefined;
      }
      if (this.ch() === 0) {
        this.set_scanner_error('while scanning a quoted scalar', start_mark, 'found unexpected end of stream');
        return undefined;
      }
      let leading_blanks = false;
      while (!this.is_blankz(this.buffer_pos)) {
        const c = this.ch();
        if (single && c === 39 && this.ch(1) === 39) {
          s.push(39);
          this.skip();
          this.skip();
        } else if (single && c === 39) {
          break;
        } else if (!single && c === 34) {
          break;
        } else if (!single && c === 92 && this.is_break(this.buffer_pos + 1)) {
          if (!this.cache(3)) return undefined;
          this.skip();
          this.skip_line();
          leading_blanks = true;
          break;
        } else if (!single && c === 92) {
          let code_length = 0;
          switch (this.ch(1)) {
            case 48:
              s.push(0);
              break;
            case 97:
              s.push(7);
              break;
            case 98:
              s.push(8);
              break;
            case 116:
            case 9:
              s.push(9);
              break;
            case 110:
              s.push(10);
              break;
            case 118:
              s.push(11);
              break;
            case 102:
              s.push(12);
              break;
            case 114:
              s.push(13);
              break;
            case 101:
              s.push(0x1b);
              break;
            case 32:
              s.push(32);
              break;
            case 34:
              s.push(34);
              break;
            case 39:
              s.push(39);
              break;
            case 92:
              s.push(92);
              break;
            case 78:
              s.push(0xc2);
              s.push(0x85);
              break;
            case 95:
              s.push(0xc2);
              s.push(0xa0);
              break;
            case 76:
              s.push(0xe2);
              s.push(0x80);
              s.push(0xa8);
              break;
            case 80:
              s.push(0xe2);
              s.push(0x80);
              s.push(0xa9);
              break;
            case 120:
              code_length = 2;
              break;
            case 117:
              code_length = 4;
              break;
            case 85:
              code_length = 8;
              break;
            default:
              this.set_scanner_error('while parsing a quoted scalar', start_mark, 'found unknown escape character');
              return undefined;
          }
          this.skip();
          this.skip();
          if (code_length > 0) {
            let value = 0;
            if (!this.cache(code_length)) return undefined;
            for (let k = 0; k < code_length; k++) {
              if (!this.is_hex(this.buffer_pos + k)) {
                this.set_scanner_error(
                  'while parsing a quoted scalar',
                  start_mark,
                  'did not find expected hexdecimal number',
                );
                return undefined;
              }
              value = value * 16 + this.as_hex(this.buffer_pos + k);
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
              this.set_scanner_error(
                'while parsing a quoted scalar',
                start_mark,
                'found invalid Unicode character escape code',
              );
              return undefined;
            }
            if (value <= 0x7f) {
              s.push(value);
            } else if (value <= 0x7ff) {
              s.push(0xc0 + (value >> 6));
              s.push(0x80 + (value & 0x3f));
            } else if (value <= 0xffff) {
              s.push(0xe0 + (value >> 12));
              s.push(0x80 + ((value >> 6) & 0x3f));
              s.push(0x80 + (value & 0x3f));
            } else {
              s.push(0xf0 + (value >> 18));
              s.push(0x80 + ((value >> 12) & 0x3f));
              s.push(0x80 + ((value >> 6) & 0x3f));
              s.push(0x80 + (value & 0x3f));
            }
            for (let k = 0; k < code_length; k++) this.skip();
          }
        } else {
          this.read(s);
        }
        if (!this.cache(2)) return undefined;
      }
      if (!this.cache(1)) return undefined;
      if (single ? this.ch() === 39 : this.ch() === 34) break;
      while (this.is_blank(this.buffer_pos) || this.is_break(this.buffer_pos)) {
        if (this.is_blank(this.buffer_pos)) {
          if (!leading_blanks) this.read(whitespaces);
          else this.skip();
        } else {
          if (!this.cache(2)) return undefined;
          if (!leading_blanks) {
            whitespaces.clear();
            this.read_line(leading_break);
            leading_blanks = true;
          } else {
            this.read_line(trailing_breaks);
          }
        }
        if (!this.cache(1)) return undefined;
      }
      if (leading_blanks) {
        if (leading_break.len > 0 && leading_break.buf[0] === 10) {
          if (trailing_breaks.len === 0) s.push(32);
          else s.append(trailing_breaks);
        } else {
          s.append(leading_break);
          s.append(trailing_breaks);
        }
        trailing_breaks.clear();
        leading_break.clear();
      } else {
        s.append(whitespaces);
        whitespaces.clear();
      }
    }
    this.skip();
    return {
      typ: Tok.SCALAR,
      start_mark,
      end_mark: copyMark(this.mark),
      value: s.bytes(),
      style: single ? ScalarStyle.SINGLE_QUOTED : ScalarStyle.DOUBLE_QUOTED,
    };
  }

  private scan_plain_scalar(): Token | undefined {
    const [s, leading_break, trailing_breaks, whitespaces] = this.scratch();
    let leading_blanks = false;
    const indent = this.indent + 1;
    const start_mark = copyMark(this.mark);
    let end_mark = copyMark(this.mark);
    for (;;) {
      if (!this.cache(4)) return undefined;
      if (this.at_document_indicator()) break;
      if (this.ch() === 35) break;
      while (!this.is_blankz(this.buffer_pos)) {
        const c = this.ch();
        if (
          (c === 58 && this.is_blankz(this.buffer_pos + 1)) ||
          (this.flow_level > 0 && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125))
        ) {
          break;
        }
        if (leading_blanks || whitespaces.len > 0) {
          if (leading_blanks) {
            if (leading_break.buf[0] === 10) {
              if (trailing_breaks.len === 0) s.push(32);
              else s.append(trailing_breaks);
            } else {
              s.append(leading_break);
              s.append(trailing_breaks);
            }
            trailing_breaks.clear();
            leading_break.clear();
            leading_blanks = false;
          } else {
            s.append(whitespaces);
            whitespaces.clear();
          }
        }
        this.read(s);
        end_mark = copyMark(this.mark);
        if (!this.cache(2)) return undefined;
      }
      if (!(this.is_blank(this.buffer_pos) || this.is_break(this.buffer_pos))) break;
      if (!this.cache(1)) return undefined;
      while (this.is_blank(this.buffer_pos) || this.is_break(this.buffer_pos)) {
        if (this.is_blank(this.buffer_pos)) {
          if (leading_blanks && this.mark.column < indent && this.ch() === 9) {
            this.set_scanner_error(
              'while scanning a plain scalar',
              start_mark,
              'found a tab character that violates indentation',
            );
            return undefined;
          }
          if (!leading_blanks) this.read(whitespaces);
          else this.skip();
        } else {
          if (!this.cache(2)) return undefined;
          if (!leading_blanks) {
            whitespaces.clear();
            this.read_line(leading_break);
            leading_blanks = true;
          } else {
            this.read_line(trailing_breaks);
          }
        }
        if (!this.cache(1)) return undefined;
      }
      if (this.flow_level === 0 && this.mark.column < indent) break;
    }
    if (leading_blanks) this.simple_key_allowed = true;
    return { typ: Tok.SCALAR, start_mark, end_mark, value: s.bytes(), style: ScalarStyle.PLAIN };
  }
}
