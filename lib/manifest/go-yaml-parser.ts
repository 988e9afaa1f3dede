import { ErrorKind, Mark, ScalarStyle, Scanner, Tok, Token } from './go-yaml-scanner';

/**
 * The event parser of go-yaml v2 (parserc.go), ported line by line, and the node composer of its decode.go. Together
 * with go-yaml-scanner.ts it reads a YAML document into go-yaml's node tree exactly as kubectl does.
 *
 * @see https://github.com/go-yaml/yaml/blob/v2.4.0/parserc.go
 */

const enum Ev {
  NO,
  STREAM_START,
  STREAM_END,
  DOCUMENT_START,
  DOCUMENT_END,
  ALIAS,
  SCALAR,
  SEQUENCE_START,
  SEQUENCE_END,
  MAPPING_START,
  MAPPING_END,
}

const enum St {
  STREAM_START,
  IMPLICIT_DOCUMENT_START,
  DOCUMENT_START,
  DOCUMENT_CONTENT,
  DOCUMENT_END,
  BLOCK_NODE,
  BLOCK_NODE_OR_INDENTLESS_SEQUENCE,
  FLOW_NODE,
  BLOCK_SEQUENCE_FIRST_ENTRY,
  BLOCK_SEQUENCE_ENTRY,
  INDENTLESS_SEQUENCE_ENTRY,
  BLOCK_MAPPING_FIRST_KEY,
  BLOCK_MAPPING_KEY,
  BLOCK_MAPPING_VALUE,
  FLOW_SEQUENCE_FIRST_ENTRY,
  FLOW_SEQUENCE_ENTRY,
  FLOW_SEQUENCE_ENTRY_MAPPING_KEY,
  FLOW_SEQUENCE_ENTRY_MAPPING_VALUE,
  FLOW_SEQUENCE_ENTRY_MAPPING_END,
  FLOW_MAPPING_FIRST_KEY,
  FLOW_MAPPING_KEY,
  FLOW_MAPPING_VALUE,
  FLOW_MAPPING_EMPTY_VALUE,
  END,
}

interface YamlEvent {
  typ: Ev;
  start_mark: Mark;
  anchor?: Uint8Array;
  tag?: Uint8Array;
  value?: Uint8Array;
  implicit?: boolean;
  style?: ScalarStyle;
}

interface TagDirective {
  handle: Uint8Array;
  prefix: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const DEFAULT_TAG_DIRECTIVES: readonly TagDirective[] = [
  { handle: new Uint8Array([33]), prefix: new Uint8Array([33]) },
  { handle: new Uint8Array([33, 33]), prefix: new Uint8Array(Buffer.from('tag:yaml.org,2002:')) },
];

/** A YAML syntax error, where go-yaml reports it (0-based line and column within the document). */
export class GoYamlError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

class EventParser {
  private state = St.STREAM_START;
  private states: St[] = [];
  private marks: Mark[] = [];
  private tag_directives: TagDirective[] = [];
  stream_end_produced_or_error = false;

  constructor(private readonly s: Scanner) {}

  private peek_token(): Token | undefined {
    return this.s.peek_token();
  }

  private skip_token(): void {
    this.s.skip_token();
  }

  parse(): YamlEvent | undefined {
    if (this.s.stream_end_produced || this.s.error !== ErrorKind.NONE || this.state === St.END) {
      return { typ: Ev.NO, start_mark: { index: 0, line: 0, column: 0 } };
    }
    return this.state_machine();
  }

  private set_parser_error(problem: string, problem_mark: Mark): undefined {
    this.s.error = ErrorKind.PARSER;
    this.s.problem = problem;
    this.s.problem_mark = problem_mark;
    return undefined;
  }

  private set_parser_error_context(
    context: string,
    context_mark: Mark,
    problem: string,
    problem_mark: Mark,
  ): undefined {
    this.s.error = ErrorKind.PARSER;
    this.s.context = context;
    this.s.context_mark = context_mark;
    this.s.problem = problem;
    this.s.problem_mark = problem_mark;
    return undefined;
  }

  private pop_state(): void {
    this.state = this.states.pop() as St;
  }

  private state_machine(): YamlEvent | undefined {
    switch (this.state) {
      case St.STREAM_START:
        return this.parse_stream_start();
      case St.IMPLICIT_DOCUMENT_START:
        return this.parse_document_start(true);
      case St.DOCUMENT_START:
        return this.parse_document_start(false);
      case St.DOCUMENT_CONTENT:
        return this.parse_document_content();
      case St.DOCUMENT_END:
        return this.parse_document_end();
      case St.BLOCK_NODE:
        return this.parse_node(true, false);
      case St.BLOCK_NODE_OR_INDENTLESS_SEQUENCE:
        return this.parse_node(true, true);
      case St.FLOW_NODE:
        return this.parse_node(false, false);
      case St.BLOCK_SEQUENCE_FIRST_ENTRY:
        return this.parse_block_sequence_entry(true);
      case St.BLOCK_SEQUENCE_ENTRY:
        return this.parse_block_sequence_entry(false);
      case St.INDENTLESS_SEQUENCE_ENTRY:
        return this.parse_indentless_sequence_entry();
      case St.BLOCK_MAPPING_FIRST_KEY:
        return this.parse_block_mapping_key(true);
      case St.BLOCK_MAPPING_KEY:
        return this.parse_block_mapping_key(false);
      case St.BLOCK_MAPPING_VALUE:
        return this.parse_block_mapping_value();
      case St.FLOW_SEQUENCE_FIRST_ENTRY:
        return this.parse_flow_sequence_entry(true);
      case St.FLOW_SEQUENCE_ENTRY:
        return this.parse_flow_sequence_entry(false);
      case St.FLOW_SEQUENCE_ENTRY_MAPPING_KEY:
        return this.parse_flow_sequence_entry_mapping_key();
      case St.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE:
        return this.parse_flow_sequence_entry_mapping_value();
      case St.FLOW_SEQUENCE_ENTRY_MAPPING_END:
        return this.parse_flow_sequence_entry_mapping_end();
      case St.FLOW_MAPPING_FIRST_KEY:
        return this.parse_flow_mapping_key(true);
      case St.FLOW_MAPPING_KEY:
        return this.parse_flow_mapping_key(false);
      case St.FLOW_MAPPING_VALUE:
        return this.parse_flow_mapping_value(false);
      case St.FLOW_MAPPING_EMPTY_VALUE:
        return this.parse_flow_mapping_value(true);
      default:
        throw new Error('invalid parser state');
    }
  }

  private parse_stream_start(): YamlEvent | undefined {
    const token = this.peek_token();
    if (!token) return undefined;
    if (token.typ !== Tok.STREAM_START)
      return this.set_parser_error('did not find expected <stream-start>', token.start_mark);
    this.state = St.IMPLICIT_DOCUMENT_START;
    this.skip_token();
    return { typ: Ev.STREAM_START, start_mark: token.start_mark };
  }

  private parse_document_start(implicit: boolean): YamlEvent | undefined {
    let token = this.peek_token();
    if (!token) return undefined;
    if (!implicit) {
      while (token.typ === Tok.DOCUMENT_END) {
        this.skip_token();
        token = this.peek_token();
        if (!token) return undefined;
      }
    }
    if (
      implicit &&
      token.typ !== Tok.VERSION_DIRECTIVE &&
      token.typ !== Tok.TAG_DIRECTIVE &&
      token.typ !== Tok.DOCUMENT_START &&
      token.typ !== Tok.STREAM_END
    ) {
      if (!this.process_directives()) return undefined;
      this.states.push(St.DOCUMENT_END);
      this.state = St.BLOCK_NODE;
      return { typ: Ev.DOCUMENT_START, start_mark: token.start_mark };
    }
    if (token.typ !== Tok.STREAM_END) {
      const start_mark = token.start_mark;
      if (!this.process_directives()) return undefined;
      token = this.peek_token();
      if (!token) return undefined;
      if (token.typ !== Tok.DOCUMENT_START) {
        return this.set_parser_error('did not find expected <document start>', token.start_mark);
      }
      this.states.push(St.DOCUMENT_END);
      this.state = St.DOCUMENT_CONTENT;
      this.skip_token();
      return { typ: Ev.DOCUMENT_START, start_mark };
    }
    this.state = St.END;
    this.skip_token();
    return { typ: Ev.STREAM_END, start_mark: token.start_mark };
  }

  private parse_document_content(): YamlEvent | undefined {
    const token = this.peek_token();
    if (!token) return undefined;
    if (
      token.typ === Tok.VERSION_DIRECTIVE ||
      token.typ === Tok.TAG_DIRECTIVE ||
      token.typ === Tok.DOCUMENT_START ||
      token.typ === Tok.DOCUMENT_END ||
      token.typ === Tok.STREAM_END
    ) {
      this.pop_state();
      return this.process_empty_scalar(token.start_mark);
    }
    return this.parse_node(true, false);
  }

  private parse_document_end(): YamlEvent | undefined {
    const token = this.peek_token();
    if (!token) return undefined;
    const start_mark = token.start_mark;
    if (token.typ === Tok.DOCUMENT_END) this.skip_token();
    this.tag_directives = [];
    this.state = St.DOCUMENT_START;
    return { typ: Ev.DOCUMENT_END, start_mark };
  }

  private parse_node(block: boolean, indentless_sequence: boolean): YamlEvent | undefined {
    let token = this.peek_token();
    if (!token) return undefined;
    if (token.typ === Tok.ALIAS) {
      this.pop_state();
      this.skip_token();
      return { typ: Ev.ALIAS, start_mark: token.start_mark, anchor: token.value };
    }
    let start_mark = token.start_mark;
    let tag_token = false;
    let tag_handle: Uint8Array = EMPTY;
    let tag_suffix: Uint8Array = EMPTY;
    let anchor: Uint8Array | undefined;
    let tag_mark = token.start_mark;
    if (token.typ === Tok.ANCHOR) {
      anchor = token.value;
      start_mark = token.start_mark;
      this.skip_token();
      token = this.peek_token();
      if (!token) return undefined;
      if (token.typ === Tok.TAG) {
        tag_token = true;
        tag_handle = token.value ?? EMPTY;
        tag_suffix = token.suffix ?? EMPTY;
        tag_mark = token.start_mark;
        this.skip_token();
        token = this.peek_token();
        if (!token) return undefined;
      }
    } else if (token.typ === Tok.TAG) {
      tag_token = true;
      tag_handle = token.value ?? EMPTY;
      tag_suffix = token.suffix ?? EMPTY;
      start_mark = token.start_mark;
      tag_mark = token.start_mark;
      this.skip_token();
      token = this.peek_token();
      if (!token) return undefined;
      if (token.typ === Tok.ANCHOR) {
        anchor = token.value;
        this.skip_token();
        token = this.peek_token();
        if (!token) return undefined;
      }
    }
    let tag: Uint8Array = EMPTY;
    if (tag_token) {
      if (tag_handle.length === 0) {
        tag = tag_suffix;
      } else {
        for (const d of this.tag_directives) {
          if (bytesEqual(d.handle, tag_handle)) {
            tag = concat(d.prefix, tag_suffix);
            break;
          }
        }
        if (tag.length === 0) {
          return this.set_parser_error_context(
            'while parsing a node',
            start_mark,
            'found undefined tag handle',
            tag_mark,
          );
        }
      }
    }
    const implicit = tag.length === 0;
    if (indentless_sequence && token.typ === Tok.BLOCK_ENTRY) {
      this.state = St.INDENTLESS_SEQUENCE_ENTRY;
      return { typ: Ev.SEQUENCE_START, start_mark, anchor, tag, implicit };
    }
    if (token.typ === Tok.SCALAR) {
      let plain_implicit = false;
      if ((tag.length === 0 && token.style === ScalarStyle.PLAIN) || (tag.length === 1 && tag[0] === 33)) {
        plain_implicit = true;
      }
      this.pop_state();
      this.skip_token();
      return {
        typ: Ev.SCALAR,
        start_mark,
        anchor,
        tag,
        value: token.value,
        implicit: plain_implicit,
        style: token.style,
      };
    }
    if (token.typ === Tok.FLOW_SEQUENCE_START) {
      this.state = St.FLOW_SEQUENCE_FIRST_ENTRY;
      return { typ: Ev.SEQUENCE_START, start_mark, anchor, tag, implicit };
    }
    if (token.typ === Tok.FLOW_MAPPING_START) {
      this.state = St.FLOW_MAPPING_FIRST_KEY;
      return { typ: Ev.MAPPING_START, start_mark, anchor, tag, implicit };
    }
    if (block && token.typ === Tok.BLOCK_SEQUENCE_START) {
      this.state = St.BLOCK_SEQUENCE_FIRST_ENTRY;
      return { typ: Ev.SEQUENCE_START, start_mark, anchor, tag, implicit };
    }
    if (block && token.typ === Tok.BLOCK_MAPPING_START) {
      this.state = St.BLOCK_MAPPING_FIRST_KEY;
      return { typ: Ev.MAPPING_START, start_mark, anchor, tag, implicit };
    }
    if ((anchor && anchor.length > 0) || tag.length > 0) {
      this.pop_state();
      return { typ: Ev.SCALAR, start_mark, anchor, tag, value: EMPTY, implicit, style: ScalarStyle.PLAIN };
    }
    return this.set_parser_error_context(
      block ? 'while parsing a block node' : 'while parsing a flow node',
      start_mark,
      'did not find expected node content',
      token.start_mark,
    );
  }

  private parse_block_sequence_entry(first: boolean): YamlEvent | undefined {
    if (first) {
      const t = this.peek_token() as Token;
      this.marks.push(t.start_mark);
      this.skip_token();
    }
    let token = this.peek_token();
    if (!token) return undefined;
    if (token.typ === Tok.BLOCK_ENTRY) {
      const mark = token.end_mark;
      this.skip_token();
      token = this.peek_token();
      if (!token) return undefined;
      if (token.typ !== Tok.BLOCK_ENTRY && token.typ !== Tok.BLOCK_END) {
        this.states.push(St.BLOCK_SEQUENCE_ENTRY);
        return this.parse_node(true, false);
      }
      this.state = St.BLOCK_SEQUENCE_ENTRY;
      return this.process_empty_scalar(mark);
    }
    if (token.typ === Tok.BLOCK_END) {
      this.pop_state();
      this.marks.pop();
      this.skip_token();
      return { typ: Ev.SEQUENCE_END, start_mark: token.start_mark };
    }
    const context_mark = this.marks.pop() as Mark;
    return this.set_parser_error_context(
      'while parsing a block collection',
      context_mark,
      "did not find expected '-' indicator",
      token.start_mark,
    );
  }

  private parse_indentless_sequence_entry(): YamlEvent | undefined {
    let token = this.peek_token();
    if (!token) return undefined;
    if (token.typ === Tok.BLOCK_ENTRY) {
      const mark = token.end_mark;
      this.skip_token();
      token = this.peek_token();
      if (!token) return undefined;
      if (
        token.typ !== Tok.BLOCK_ENTRY &&
        token.typ !== Tok.KEY &&
        token.typ !== Tok.VALUE &&
        token.typ !== Tok.BLOCK_END
      ) {
        this.states.push(St.INDENTLESS_SEQUENCE_ENTRY);
        return this.parse_node(true, false);
      }
      this.state = St.INDENTLESS_SEQUENCE_ENTRY;
      return this.process_empty_scalar(mark);
    }
    this.pop_state();
    return { typ: Ev.SEQUENCE_END, start_mark: token.start_mark };
  }

  private parse_block_mapping_key(first: boolean): YamlEvent | undefined {
    if (first) {
      const t = this.peek_token() as Token;
      this.marks.push(t.start_mark);
      this.skip_token();
    }
    let token = this.peek_token();
    if (!token) return undefined;
    if (token.typ === Tok.KEY) {
      const mark = token.end_mark;
      this.skip_token();
      token = this.peek_token();
      if (!token) return undefined;
      if (token.typ !== Tok.KEY && token.typ !== Tok.VALUE && token.typ !== Tok.BLOCK_END) {
        this.states.push(St.BLOCK_MAPPING_VALUE);
        return this.parse_node(true, true);
      }
      this.state = St.BLOCK_MAPPING_VALUE;
      return this.process_empty_scalar(mark);
    }
    if (token.typ === Tok.BLOCK_END) {
      this.pop_state();
      this.marks.pop();
      this.skip_token();
      return { typ: Ev.MAPPING_END, start_mark: token.start_mark };
    }
    const context_mark = this.marks.pop() as Mark;
    return this.set_parser_error_context(
      'while parsing a block mapping',
      context_mark,
      'did not find expected key',
      token.start_mark,
    );
  }

  private parse_block_mapping_value(): YamlEvent | undefined {
    let token = this.peek_token();
    if (!token) return undefined;
    if (token.typ === Tok.VALUE) {
      const mark = token.end_mark;
      this.skip_token();
      token = this.peek_token();
      if (!token) return undefined;
      if (token.typ !== Tok.KEY && token.typ !== Tok.VALUE && token.typ !== Tok.BLOCK_END) {
        this.states.push(St.BLOCK_MAPPING_KEY);
        return this.parse_node(true, true);
      }
      this.state = St.BLOCK_MAPPING_KEY;
      return this.process_empty_scalar(mark);
    }
    this.state = St.BLOCK_MAPPING_KEY;
    return this.process_empty_scalar(token.start_mark);
  }

  private parse_flow_sequence_entry(first: boolean): YamlEvent | undefined {
    if (first) {
      const t = this.peek_token() as Token;
      this.marks.push(t.start_mark);
      this.skip_token();
    }
    let token = this.peek_token();
    if (!token) return undefined;
    if (token.typ !== Tok.FLOW_SEQUENCE_END) {
      if (!first) {
        if (token.typ === Tok.FLOW_ENTRY) {
          this.skip_token();
          token = this.peek_token();
          if (!token) return undefined;
        } else {
          const context_mark = this.marks.pop() as Mark;
          return this.set_parser_error_context(
            'while parsing a flow sequence',
            context_mark,
            "did not find expected ',' or ']'",
            token.start_mark,
          );
        }
      }
      if (token.typ === Tok.KEY) {
        this.state = St.FLOW_SEQUENCE_ENTRY_MAPPING_KEY;
        this.skip_token();
        return { typ: Ev.MAPPING_START, start_mark: token.start_mark, implicit: true, tag: EMPTY };
      } else if (token.typ !== Tok.FLOW_SEQUENCE_END) {
        this.states.push(St.FLOW_SEQUENCE_ENTRY);
        return this.parse_node(false, false);
      }
    }
    this.pop_state();
    this.marks.pop();
    this.skip_token();
    return { typ: Ev.SEQUENCE_END, start_mark: token.start_mark };
  }

  private parse_flow_sequence_entry_mapping_key(): YamlEvent | undefined {
    const token = this.peek_token();
    if (!token) return undefined;
    if (token.typ !== Tok.VALUE && token.typ !== Tok.FLOW_ENTRY && token.typ !== Tok.FLOW_SEQUENCE_END) {
      this.states.push(St.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE);
      return this.parse_node(false, false);
    }
    const mark = token.end_mark;
    this.skip_token();
    this.state = St.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE;
    return this.process_empty_scalar(mark);
  }

  private parse_flow_sequence_entry_mapping_value(): YamlEvent | undefined {
    const token = this.peek_token();
    if (!token) return undefined;
    if (token.typ === Tok.VALUE) {
      this.skip_token();
      const next = this.peek_token();
      if (!next) return undefined;
      if (next.typ !== Tok.FLOW_ENTRY && next.typ !== Tok.FLOW_SEQUENCE_END) {
        this.states.push(St.FLOW_SEQUENCE_ENTRY_MAPPING_END);
        return this.parse_node(false, false);
      }
    }
    this.state = St.FLOW_SEQUENCE_ENTRY_MAPPING_END;
    return this.process_empty_scalar(token.start_mark);
  }

  private parse_flow_sequence_entry_mapping_end(): YamlEvent | undefined {
    const token = this.peek_token();
    if (!token) return undefined;
    this.state = St.FLOW_SEQUENCE_ENTRY;
    return { typ: Ev.MAPPING_END, start_mark: token.start_mark };
  }

  private parse_flow_mapping_key(first: boolean): YamlEvent | undefined {
    if (first) {
      const t = this.peek_token() as Token;
      this.marks.push(t.start_mark);
      this.skip_token();
    }
    let token = this.peek_token();
    if (!token) return undefined;
    if (token.typ !== Tok.FLOW_MAPPING_END) {
      if (!first) {
        if (token.typ === Tok.FLOW_ENTRY) {
          this.skip_token();
          token = this.peek_token();
          if (!token) return undefined;
        } else {
          const context_mark = this.marks.pop() as Mark;
          return this.set_parser_error_context(
            'while parsing a flow mapping',
            context_mark,
            "did not find expected ',' or '}'",
            token.start_mark,
          );
        }
      }
      if (token.typ === Tok.KEY) {
        this.skip_token();
        token = this.peek_token();
        if (!token) return undefined;
        if (token.typ !== Tok.VALUE && token.typ !== Tok.FLOW_ENTRY && token.typ !== Tok.FLOW_MAPPING_END) {
          this.states.push(St.FLOW_MAPPING_VALUE);
          return this.parse_node(false, false);
        }
        this.state = St.FLOW_MAPPING_VALUE;
        return this.process_empty_scalar(token.start_mark);
      } else if (token.typ !== Tok.FLOW_MAPPING_END) {
        this.states.push(St.FLOW_MAPPING_EMPTY_VALUE);
        return this.parse_node(false, false);
      }
    }
    this.pop_state();
    this.marks.pop();
    this.skip_token();
    return { typ: Ev.MAPPING_END, start_mark: token.start_mark };
  }

  private parse_flow_mapping_value(empty: boolean): YamlEvent | undefined {
    let token = this.peek_token();
    if (!token) return undefined;
    if (empty) {
      this.state = St.FLOW_MAPPING_KEY;
      return this.process_empty_scalar(token.start_mark);
    }
    if (token.typ === Tok.VALUE) {
      this.skip_token();
      token = this.peek_token();
      if (!token) return undefined;
      if (token.typ !== Tok.FLOW_ENTRY && token.typ !== Tok.FLOW_MAPPING_END) {
        this.states.push(St.FLOW_MAPPING_KEY);
        return this.parse_node(false, false);
      }
    }
    this.state = St.FLOW_MAPPING_KEY;
    return this.process_empty_scalar(token.start_mark);
  }

  private process_empty_scalar(mark: Mark): YamlEvent {
    return { typ: Ev.SCALAR, start_mark: mark, value: EMPTY, tag: EMPTY, implicit: true, style: ScalarStyle.PLAIN };
  }

  private process_directives(): boolean {
    let token = this.peek_token();
    if (!token) return false;
    let version = false;
    while (token.typ === Tok.VERSION_DIRECTIVE || token.typ === Tok.TAG_DIRECTIVE) {
      if (token.typ === Tok.VERSION_DIRECTIVE) {
        if (version) {
          this.set_parser_error('found duplicate %YAML directive', token.start_mark);
          return false;
        }
        if (token.major !== 1 || token.minor !== 1) {
          this.set_parser_error('found incompatible YAML document', token.start_mark);
          return false;
        }
        version = true;
      } else {
        const value = { handle: token.value ?? EMPTY, prefix: token.prefix ?? EMPTY };
        if (!this.append_tag_directive(value, false, token.start_mark)) return false;
      }
      this.skip_token();
      token = this.peek_token();
      if (!token) return false;
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) {
      if (!this.append_tag_directive(d, true, token.start_mark)) return false;
    }
    return true;
  }

  private append_tag_directive(value: TagDirective, allow_duplicates: boolean, mark: Mark): boolean {
    for (const d of this.tag_directives) {
      if (bytesEqual(value.handle, d.handle)) {
        if (allow_duplicates) return true;
        this.set_parser_error('found duplicate %TAG directive', mark);
        return false;
      }
    }
    this.tag_directives.push({ handle: value.handle, prefix: value.prefix });
    return true;
  }
}

export const enum NodeKind {
  DOCUMENT = 1,
  MAPPING = 2,
  SEQUENCE = 4,
  SCALAR = 8,
  ALIAS = 16,
}

/** A node of go-yaml's tree (decode.go). */
export interface YamlNode {
  kind: NodeKind;
  /** 0-based. */
  line: number;
  column: number;
  tag: string;
  value: string;
  /** The scalar's bytes when they are not valid UTF-8 text (only a tag's URI escapes can do that). */
  implicit: boolean;
  alias?: YamlNode;
  children: YamlNode[];
}

/** The message go-yaml gives for a reader, scanner or parser error, and where it is (0-based). */
function failure(s: Scanner, input: Uint8Array): GoYamlError {
  const problem = s.problem || 'unknown problem parsing YAML content';
  if (s.error === ErrorKind.READER) {
    // Reader errors carry a byte offset; count lines up to it.
    let line = 0;
    let lineStart = 0;
    const end = Math.min(s.problem_offset, input.length);
    for (let i = 0; i < end; i++) {
      if (input[i] === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    const what = s.problem_value >= 0 ? ` (byte 0x${s.problem_value.toString(16)})` : '';
    return new GoYamlError(
      `${problem}${what}: the text must be UTF-8 (or UTF-16 with a byte order mark)`,
      line,
      end - lineStart,
    );
  }
  const context = s.context ? ` ${s.context} at line ${s.context_mark.line + 1}` : '';
  return new GoYamlError(`${problem}${context ? `,${context}` : ''}`, s.problem_mark.line, s.problem_mark.column);
}

function text(b: Uint8Array | undefined): string {
  return b && b.length > 0 ? utf8.decode(b) : '';
}

/**
 * Composes the first document of `input` into go-yaml's node tree (what yaml.Unmarshal reads: later documents in the
 * same text are never looked at). Returns null for a stream without a document. Throws GoYamlError.
 */
export function composeFirstDocument(input: Uint8Array): YamlNode | null {
  const scanner = new Scanner(input.length === 0 ? new Uint8Array([10]) : input);
  const parser = new EventParser(scanner);
  let event: YamlEvent | undefined;
  const peek = (): YamlEvent => {
    if (event) return event;
    const e = parser.parse();
    if (!e) throw failure(scanner, input);
    event = e;
    return e;
  };
  const expect = (typ: Ev): YamlEvent => {
    const e = peek();
    if (e.typ === Ev.STREAM_END || e.typ === Ev.NO) {
      throw new GoYamlError(
        'attempted to go past the end of stream; corrupted value?',
        e.start_mark.line,
        e.start_mark.column,
      );
    }
    if (e.typ !== typ)
      throw new GoYamlError(`expected event ${typ} but got ${e.typ}`, e.start_mark.line, e.start_mark.column);
    event = undefined;
    return e;
  };
  expect(Ev.STREAM_START);
  if (peek().typ === Ev.STREAM_END) return null;
  expect(Ev.DOCUMENT_START);
  const anchors = new Map<string, YamlNode>();
  const stack: YamlNode[] = [];
  let root: YamlNode | undefined;
  const node = (kind: NodeKind, e: YamlEvent): YamlNode => ({
    kind,
    line: e.start_mark.line,
    column: e.start_mark.column,
    tag: text(e.tag),
    value: '',
    implicit: e.implicit ?? false,
    children: [],
  });
  const attach = (n: YamlNode) => {
    if (stack.length === 0) root = n;
    else stack[stack.length - 1].children.push(n);
  };
  do {
    const e = peek();
    switch (e.typ) {
      case Ev.SCALAR: {
        const n = node(NodeKind.SCALAR, e);
        n.value = text(e.value);
        if (e.anchor) anchors.set(text(e.anchor), n);
        event = undefined;
        attach(n);
        break;
      }
      case Ev.ALIAS: {
        const n = node(NodeKind.ALIAS, e);
        n.value = text(e.anchor);
        n.alias = anchors.get(n.value);
        if (!n.alias)
          throw new GoYamlError(`unknown anchor '${n.value}' referenced`, e.start_mark.line, e.start_mark.column);
        event = undefined;
        attach(n);
        break;
      }
      case Ev.MAPPING_START:
      case Ev.SEQUENCE_START: {
        const n = node(e.typ === Ev.MAPPING_START ? NodeKind.MAPPING : NodeKind.SEQUENCE, e);
        if (e.anchor) anchors.set(text(e.anchor), n);
        event = undefined;
        stack.push(n);
        break;
      }
      case Ev.MAPPING_END:
      case Ev.SEQUENCE_END: {
        event = undefined;
        attach(stack.pop() as YamlNode);
        break;
      }
      default:
        throw new GoYamlError(`attempted to parse unknown event: ${e.typ}`, e.start_mark.line, e.start_mark.column);
    }
  } while (stack.length > 0);
  expect(Ev.DOCUMENT_END);
  return root as YamlNode;
}
