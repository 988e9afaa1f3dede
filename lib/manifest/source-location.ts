/** Where an object was read from: the file and line, or the cdk8s construct that produced it. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line of the document's start. */
  readonly line?: number;
  /** The cdk8s construct that produced the object, for findings raised at synth time. */
  readonly constructPath?: string;
}
